package io.ravenpost.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code stats.historySampleMs}, a gate node records its own sessions and logins per second in
 * Redis, where any node can read every node's history ({@code GET /admin/stats/history}). The
 * numbers are the gate's own meters, so the chart and {@code /metrics} never disagree.
 */
public final class HistorySampler extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HistorySampler.class);
  /** The gate's meters, as {@code /metrics} names them. */
  static final String SESSIONS_GAUGE = "raven_gate_sessions_online";
  static final String LOGINS_COUNTER = "raven_gate_logins_total";

  private final NodeInfo node;
  private final Stores stores;
  private final StatsConfig cfg;
  private final HistoryKeys keys;
  private long timer = -1;
  private double lastLogins;
  private long lastAt;
  private boolean warned;

  public HistorySampler(NodeInfo node, Stores stores, StatsConfig cfg) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.keys = new HistoryKeys(stores);
  }

  @Override
  public Future<?> start() {
    lastLogins = logins(node.metrics());
    lastAt = System.currentTimeMillis();
    timer = vertx.setPeriodic(cfg.historySampleMs(), id -> sample());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void sample() {
    long now = System.currentTimeMillis();
    double logins = logins(node.metrics());
    double perSec = now > lastAt ? (logins - lastLogins) * 1000.0 / (now - lastAt) : 0;
    lastLogins = logins;
    lastAt = now;
    Gauge sessions = node.metrics().find(SESSIONS_GAUGE).gauge();
    JsonObject point = new JsonObject().put("t", now).put("s", sessions == null ? 0 : (long) sessions.value())
        .put("l", Math.round(perSec * 100) / 100.0);
    String list = keys.node(node.id());
    stores.redisBatch(List.of(
            Request.cmd(Command.LPUSH).arg(list).arg(point.encode()),
            Request.cmd(Command.LTRIM).arg(list).arg(0).arg(cfg.historyPoints() - 1),
            Request.cmd(Command.PEXPIRE).arg(list).arg(cfg.spanMs()),
            Request.cmd(Command.ZADD).arg(keys.nodes()).arg(now).arg(node.id()),
            Request.cmd(Command.ZREMRANGEBYSCORE).arg(keys.nodes()).arg("-inf").arg(now - cfg.spanMs())))
        .onSuccess(r -> warned = false)
        .onFailure(t -> {
          // One line per outage, not one per sample: the chart shows the gap anyway.
          if (!warned) {
            LOG.warn("node {}: stats history not recorded ({}); the dashboard's charts have a gap", node.id(),
                t.getMessage());
          }
          warned = true;
        });
  }

  /** Logins that succeeded on this node so far. */
  private static double logins(MeterRegistry metrics) {
    return metrics.find(LOGINS_COUNTER).tag("result", "ok").counters().stream().mapToDouble(Counter::count).sum();
  }
}
