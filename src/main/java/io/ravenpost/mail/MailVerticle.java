package io.ravenpost.mail;

import io.ravenpost.common.InFlight;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.claim.OutboxRelay;
import io.ravenpost.mail.global.GlobalMailRole;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail role of a node: deploys its request consumers on {@code mail.eventLoops} event loops
 * ({@link MailOpsVerticle}), and keeps here, once per node, the operators' global-mail addresses,
 * the global distribution workers and the outbox backlog gauge. Ready when every consumer's
 * registration has reached the cluster.
 */
public final class MailVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MailVerticle.class);
  private static final long BACKLOG_REFRESH_MS = 5000;

  private final MailModule mail;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private InFlight work;
  private GlobalMailRole global;

  public MailVerticle(MailModule mail) {
    this.mail = mail;
  }

  @Override
  public Future<?> start() {
    MailConfig cfg = mail.config();
    work = new InFlight(vertx);
    global = mail.global();
    consumers.addAll(global.consumers(work));
    MailMetrics metrics = mail.metrics();
    metrics.registerBacklogGauge(() -> OutboxRelay.backlog(mail.stores().db()), BACKLOG_REFRESH_MS);
    int loops = cfg.loops();
    // Deployed from here, the request verticles are undeployed (and drained) before this one stops.
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> {
          AtomicInteger next = new AtomicInteger();
          return vertx.deployVerticle(() -> new MailOpsVerticle(mail, next.getAndIncrement()),
              new DeploymentOptions().setInstances(loops));
        })
        .compose(v -> global.startWorkers())
        .onSuccess(v -> LOG.info("mail on node {} ready on {} event loops: ttl={}s capacity={} expiryPolicy={} "
            + "relay={}", mail.node().id(), loops, cfg.ttlSeconds(), cfg.capacity(), cfg.expiryPolicy(),
            cfg.relayEnabled()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> MailOpsVerticle.drained(mail, work))
        .eventually(global::stop);
  }
}
