package io.ravenpost.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.ProducerSend;
import io.ravenpost.api.mail.SendResult;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Db;
import io.ravenpost.common.Errors;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.schedule.RunClaims.Claim;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code schedules} job: each due schedule's run is claimed (one node at a time) and sent
 * through the admin send path ({@code raven.mail.admin.send}) with the idempotency key
 * {@code schedule:<id>:<runAt>} and the producer {@value #PRODUCER}, so every try of a run, on
 * whichever node, stores the mail once: a node that takes over a run whose node died mid-way gets
 * the first send's answer back and sends nothing new. Each send is audited as the actor
 * {@code schedule:<id>}. Runs that sent are logged at INFO; every run is counted in
 * {@code raven_schedule_runs_total{result="sent"|"skipped"|"failed"}}.
 */
public final class ScheduleRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);
  /** Whose keys the runs' are: no HTTP caller is this producer (theirs are token subjects or operators). */
  static final String PRODUCER = "schedules";
  /** The audit actor of a run's send is this prefix and the schedule's id. */
  static final String ACTOR = "schedule:";
  /** As long as an HTTP send waits for the mail role. */
  private static final long SEND_TIMEOUT_MS = 30_000;
  /** Failures a later try may get past; any other (a body the mail role now refuses) fails the run at once. */
  private static final Set<ErrorCode> PASSING = Set.of(ErrorCode.UNAVAILABLE, ErrorCode.IN_FLIGHT,
      ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL);

  private enum Outcome { NONE, SENT, RETRY, FAILED }

  private record Done(Outcome outcome, int skipped) {
    static final Done NOTHING = new Done(Outcome.NONE, 0);
  }

  private final NodeInfo node;
  private final ScheduleConfig cfg;
  private final LongSupplier clock;
  private final RunClaims claims;
  private final AuditLog audit;
  private final Counter sent;
  private final Counter skipped;
  private final Counter failed;

  /** @param clock the time runs are judged due by (epoch ms); tests give their own */
  public ScheduleRunner(NodeInfo node, Db db, ScheduleConfig cfg, LongSupplier clock) {
    this.node = node;
    this.cfg = cfg;
    this.clock = clock;
    this.claims = new RunClaims(db, node.id(), cfg);
    this.audit = new AuditLog(db);
    MeterRegistry m = node.metrics();
    this.sent = runs(m, RunClaims.SENT, "Scheduled runs whose send was stored (counted by the node that recorded it)");
    this.skipped = runs(m, RunClaims.SKIPPED, "Due runs skipped because a later run was due too (downtime)");
    this.failed = runs(m, RunClaims.FAILED, "Scheduled runs given up after their send failed");
  }

  private static Counter runs(MeterRegistry m, String result, String description) {
    return Counter.builder("raven_schedule_runs_total").tag("result", result).description(description).register(m);
  }

  /**
   * Runs every due schedule (at most {@code schedule.batch}); one schedule's failure never stops
   * another's run. Answers {@code {sent, skipped, failed, retried}} when a run sent something, else
   * 0, so the scheduler logs at INFO only runs that sent.
   */
  public Future<Object> runDue() {
    return claims.due(clock.getAsLong())
        .compose(ids -> Future.join(ids.stream().map(this::runOne).toList()))
        .map(all -> summary(all.<Done>list()));
  }

  private static Object summary(List<Done> all) {
    int[] n = new int[Outcome.values().length];
    int skippedRuns = 0;
    for (Done d : all) {
      n[d.outcome().ordinal()]++;
      skippedRuns += d.skipped();
    }
    if (n[Outcome.SENT.ordinal()] == 0) {
      return 0;
    }
    return new JsonObject().put("sent", n[Outcome.SENT.ordinal()]).put("skipped", skippedRuns)
        .put("failed", n[Outcome.FAILED.ordinal()]).put("retried", n[Outcome.RETRY.ordinal()]);
  }

  private Future<Done> runOne(long id) {
    return claims.claim(id, clock)
        .compose(c -> c == null ? Future.succeededFuture(Done.NOTHING) : run(c))
        .recover(t -> {
          LOG.warn("schedule {}: its due run was not handled on node {} ({}); the next job run tries again", id,
              node.id(), t.toString());
          return Future.succeededFuture(Done.NOTHING);
        });
  }

  private Future<Done> run(Claim c) {
    skipped.increment(c.skipped().size());
    if (!c.skipped().isEmpty()) {
      LOG.warn("schedule {}: {} runs missed while no node ran them are skipped (the latest, {}); run {} is sent "
          + "instead", c.id(), c.skipped().size(), c.schedule().rule().local(c.skipped().get(0)),
          c.schedule().rule().local(c.runAt()));
    }
    return send(c).transform(ar -> ar.succeeded() ? stored(c, ar.result()) : unsent(c, ar.cause()))
        .map(o -> new Done(o, c.skipped().size()));
  }

  private Future<SendResult> send(Claim c) {
    DeliveryOptions o = who(c).addTo(new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS));
    return Bus.request(node.vertx(), MailAddresses.ADMIN_SEND, ProducerSend.of(c.schedule().mail(), c.key(), PRODUCER),
        o);
  }

  /** The run as the audit trail and the send's logs name it. */
  private static AuditContext who(Claim c) {
    return new AuditContext(ACTOR + c.id(), c.key(), "schedule " + c.id());
  }

  private Future<Outcome> stored(Claim c, SendResult result) {
    JsonObject answer = SendResult.CODEC.encode(result);
    return claims.finish(c, RunClaims.SENT, answer, null, clock.getAsLong()).map(mine -> {
      if (!mine) {
        return Outcome.NONE;
      }
      sent.increment();
      LOG.info("schedule {} ({}) sent its run of {} on node {}: {}", c.id(), c.schedule().name(),
          c.schedule().rule().local(c.runAt()), node.id(), answer.encode());
      return Outcome.SENT;
    });
  }

  /**
   * A failed send: tried again after {@code schedule.retryMs} while the failure may pass and
   * attempts remain (waiting on another try of the same run is no attempt), else the run is
   * recorded failed, audited, and the schedule moves on to its next run.
   */
  private Future<Outcome> unsent(Claim c, Throwable t) {
    ErrorCode code = Errors.codeOf(t);
    boolean waiting = code == ErrorCode.IN_FLIGHT;
    int attempts = c.schedule().attempts() + (waiting ? 0 : 1);
    long now = clock.getAsLong();
    if (PASSING.contains(code) && attempts < cfg.maxAttempts()) {
      if (waiting) {
        LOG.warn("schedule {}: run {} is being sent by another try (a node past its lease); looked at again in {} ms",
            c.id(), c.schedule().rule().local(c.runAt()), cfg.retryMs());
      } else {
        LOG.warn("schedule {}: run {} not sent yet (attempt {} of {}): {}; tried again in {} ms", c.id(),
            c.schedule().rule().local(c.runAt()), attempts, cfg.maxAttempts(), t.getMessage(), cfg.retryMs());
      }
      return claims.retry(c, !waiting, now).map(Outcome.RETRY);
    }
    // Viewers read the stored error: an internal failure's own text (SQL, hosts) stays in the log.
    String error = code == ErrorCode.INTERNAL ? code.name() : code.name() + ": " + t.getMessage();
    return claims.finish(c, RunClaims.FAILED, null, error, now).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture(Outcome.NONE);
      }
      failed.increment();
      LOG.warn("schedule {}: run {} failed after {} attempt(s) and is given up: {}: {}", c.id(),
          c.schedule().rule().local(c.runAt()), attempts, code.name(), t.getMessage());
      // A lost audit row is logged by the audit log itself; the run stays failed either way.
      return audit.recordAlone(who(c), AuditContext.SEND, "schedule " + c.id() + " run " + c.runAt(), code.name())
          .otherwiseEmpty().map(Outcome.FAILED);
    });
  }
}
