package io.ravenpost.grants;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts grants to {@code grants.webhook.url}, on every node with the mail role. Each of a few lanes
 * leases a batch (so nodes and lanes never send the same grant at once, and a dead node's grants
 * return when its leases end), posts it signed, and acknowledges the whole batch on a 2xx; on
 * anything else each grant waits a growing, jittered pause, capped at {@code grants.retryCapMs}.
 * A uid's next grant is not leased before its previous one is acknowledged, and claims never wait
 * for any of this: they only write the outbox row.
 */
final class WebhookDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  /** Requests one node has out at once: a slow receiver holds one lane, not every grant. */
  static final int LANES = 4;
  private static final long FIRST_BACKOFF_MS = 1000;
  /** How long an idle lane sleeps without a claim event: leases and retry pauses end silently. */
  private static final long IDLE_MS = 1000;
  /** How a refusal by the receiver reads in {@code last_error}: {@code HTTP <status>}. */
  private static final String REFUSED = "HTTP ";
  private static final int SOLO_TRIES = 3;

  private final Vertx vertx;
  private final GrantsConfig cfg;
  private final GrantOutbox outbox;
  private final GrantWake wake;
  private final GrantMetrics metrics;
  private final WebhookSigner signer;
  private final WebClient client;
  private volatile boolean running;
  // One WARN when the receiver starts failing and one INFO when it answers again; each failed
  // request in between is DEBUG and counted in raven_grants_failed_total.
  private volatile boolean failing;

  WebhookDelivery(Vertx vertx, GrantsConfig cfg, GrantOutbox outbox, GrantWake wake, GrantMetrics metrics) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.outbox = outbox;
    this.wake = wake;
    this.metrics = metrics;
    this.signer = new WebhookSigner(cfg.webhookSecret());
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) cfg.timeoutMs())
        .setUserAgent("Ravenpost-Grants"));
  }

  void start() {
    running = true;
    for (int i = 0; i < LANES; i++) {
      lane();
    }
  }

  void stop() {
    running = false;
    client.close();
  }

  private void lane() {
    if (!running) {
      return;
    }
    round().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("grant webhook round failed (grants stay in the outbox): {}", ar.cause().toString());
      }
      if (ar.succeeded() && ar.result()) {
        vertx.runOnContext(v -> lane());
      } else {
        wake.next(IDLE_MS).onComplete(v -> lane());
      }
    });
  }

  /** One request; true when there were grants to send. */
  private Future<Boolean> round() {
    return outbox.lease(cfg.batch(), cfg.webhookLeaseMs()).compose(lease -> {
      if (lease.grants().isEmpty()) {
        return Future.succeededFuture(false);
      }
      List<Grant> batch = new ArrayList<>();
      List<Future<Void>> posts = new ArrayList<>();
      for (Grant g : lease.grants()) {
        if (suspect(g)) {
          posts.add(post(lease, List.of(g)));
        } else {
          batch.add(g);
        }
      }
      if (!batch.isEmpty()) {
        posts.add(post(lease, batch));
      }
      return Future.join(posts).map(true);
    });
  }

  /**
   * A grant the receiver refused is tried on its own a few times, so one grant the game cannot take
   * does not fail the others of its batch; then it rejoins batches, so a long refusal of everything
   * costs batch-sized requests, not one per grant.
   */
  private static boolean suspect(Grant g) {
    return g.attempts() > 1 && g.attempts() <= 1 + SOLO_TRIES && g.lastError() != null
        && g.lastError().startsWith(REFUSED);
  }

  private Future<Void> post(GrantOutbox.Lease lease, List<Grant> grants) {
    String body = new JsonObject().put("grants", new JsonArray(grants.stream().map(Grant::toJson).toList()))
        .encode();
    // Only the status matters: a receiver's body, however large, is not read into memory.
    return client.postAbs(cfg.webhookUrl()).as(BodyCodec.none()).timeout(cfg.timeoutMs())
        .putHeader("content-type", "application/json")
        .putHeader(WebhookSigner.HEADER, signer.header(System.currentTimeMillis() / 1000, body))
        .sendBuffer(Buffer.buffer(body))
        .transform(ar -> ar.succeeded() && ar.result().statusCode() / 100 == 2 ? acked(grants)
            : retryLater(lease, grants, ar.succeeded() ? refused(ar.result()) : failure(ar.cause())));
  }

  private Future<Void> acked(List<Grant> grants) {
    if (failing) {
      failing = false;
      LOG.info("grant webhook {} answers again", cfg.webhookUrl());
    }
    return outbox.ack(grants.stream().map(Grant::id).toList()).map(n -> {
      metrics.delivered("webhook", n);
      return null;
    });
  }

  private record Failure(String reason, String detail) {
  }

  private static Failure refused(HttpResponse<Void> r) {
    return new Failure("status", REFUSED + r.statusCode());
  }

  private Failure failure(Throwable t) {
    if (t instanceof ConnectException || String.valueOf(t.getMessage()).contains("onnection")) {
      return new Failure("connection", "no connection: " + t.getMessage());
    }
    if (t.getClass().getSimpleName().contains("Timeout") || String.valueOf(t.getMessage()).contains("imeout")) {
      return new Failure("timeout", "no answer within " + cfg.timeoutMs() + " ms");
    }
    return new Failure("error", t.toString());
  }

  private Future<Void> retryLater(GrantOutbox.Lease lease, List<Grant> grants, Failure why) {
    metrics.failed(why.reason(), grants.size());
    if (!failing) {
      failing = true;
      LOG.warn("grant webhook {} failing ({}): grants stay in the outbox and are tried again with backoff",
          cfg.webhookUrl(), why.detail());
    }
    LOG.debug("grant webhook {}: {} grants will be tried again ({}); first {}", cfg.webhookUrl(), grants.size(),
        why.detail(), grants.get(0).grantId());
    long now = System.currentTimeMillis();
    List<Future<Void>> puts = new ArrayList<>();
    for (Grant g : grants) {
      puts.add(outbox.retryLater(lease, g, now + backoff(g.attempts()), why.detail()));
    }
    return Future.all(puts).mapEmpty();
  }

  /** Half the grown pause plus up to the other half at random, so retries of a crowd spread out. */
  private long backoff(int attempts) {
    long grown = Math.min(cfg.retryCapMs(), FIRST_BACKOFF_MS << Math.min(20, Math.max(0, attempts - 1)));
    return grown / 2 + ThreadLocalRandom.current().nextLong(grown / 2 + 1);
  }
}
