package io.ravenpost.scheduler;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.api.node.JobRun;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.api.node.RunJob;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Bus;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeContext;
import io.ravenpost.mail.MailJobs;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the periodic jobs of {@link Jobs}; one node of the cluster per job and interval. */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);

  private final NodeContext ctx;
  private final OnlineState online;
  private final MailJobs mail;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private MessageConsumer<JsonObject> runConsumer;
  private InFlight running;

  public SchedulerVerticle(NodeContext ctx, OnlineState online, MailJobs mail) {
    this.ctx = ctx;
    this.online = online;
    this.mail = mail;
  }

  @Override
  public Future<?> start() {
    running = new InFlight(vertx);
    for (Job j : Jobs.all(vertx, ctx.config().scheduler(), online, mail)) {
      jobs.put(j.name(), j);
      timers.add(vertx.setPeriodic(j.intervalMs(), id -> tick(j)));
    }
    runConsumer = Bus.serve(vertx, NodeAddresses.SCHEDULER_RUN, null, (r, h) -> runNow(r));
    return runConsumer.completion();
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    // A job cut off mid-way is safe (its transactions roll back) but wasted; let it finish.
    return runConsumer.unregister().compose(v -> running.drained(ctx.config().node().drainMs()));
  }

  /** Takes the job's lease for (almost) one interval; whoever holds it runs this round. */
  private void tick(Job j) {
    String lease = ctx.key("job:" + j.name());
    long ttl = Math.max(50, j.intervalMs() - Math.min(1000, j.intervalMs() / 10));
    ctx.redis().set(List.of(lease, ctx.nodeId(), "NX", "PX", Long.toString(ttl)))
        .compose(r -> r == null ? Future.succeededFuture() : run(j))
        .onFailure(t -> LOG.warn("job {} failed on node {}: {}", j.name(), ctx.nodeId(), t.toString()));
  }

  private Future<JobRun> runNow(RunJob req) {
    Job j = jobs.get(req.job());
    if (j == null) {
      return Future.failedFuture(ErrorCode.NOT_FOUND.error("no job " + req.job() + "; jobs: " + jobs.keySet()));
    }
    return run(j).map(r -> new JobRun(req.job(), true, r == null ? null : String.valueOf(r)));
  }

  private Future<?> run(Job j) {
    long start = System.currentTimeMillis();
    return running.track(() -> j.run().get().map(r -> (Object) r))
        .onSuccess(r -> {
          Counter.builder("raven_scheduler_runs_total").tag("job", j.name()).tag("result", "ok")
              .register(ctx.metrics()).increment();
          LOG.info("job {} ran on node {} in {} ms: {}", j.name(), ctx.nodeId(),
              System.currentTimeMillis() - start, r);
        })
        .onFailure(t -> Counter.builder("raven_scheduler_runs_total").tag("job", j.name())
            .tag("result", "failed").register(ctx.metrics()).increment());
  }
}
