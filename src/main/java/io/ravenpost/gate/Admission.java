package io.ravenpost.gate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.gate.GateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection may cost before it has logged in: one address holds at most
 * {@code gate.maxConnectionsPerIp} sockets, a WebSocket upgrade must finish within
 * {@code gate.handshakeTimeoutMs}, and a login within {@code gate.loginDeadlineMs} of connecting.
 * Counting happens at the socket, so sockets that never finish the upgrade are counted too.
 */
final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private final Vertx vertx;
  private final GateConfig cfg;
  private final MeterRegistry registry;
  private final Map<String, Integer> perIp = new ConcurrentHashMap<>();
  /** Sockets on the WebSocket port that have not upgraded yet, by remote address. */
  private final Map<String, Long> handshakes = new ConcurrentHashMap<>();

  Admission(Vertx vertx, GateConfig cfg, MeterRegistry registry) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.registry = registry;
  }

  /** A new socket on the WebSocket port: refused over the address's cap, else timed until it upgrades. */
  void onHttpConnection(HttpConnection conn) {
    SocketAddress remote = conn.remoteAddress();
    if (!enter(remote)) {
      conn.close();
      return;
    }
    String key = String.valueOf(remote);
    long timer = vertx.setTimer(cfg.handshakeTimeoutMs(), id -> {
      if (handshakes.remove(key) != null) {
        refused("handshake_timeout");
        LOG.info("closing {}: no WebSocket upgrade within {} ms", key, cfg.handshakeTimeoutMs());
        conn.close();
      }
    });
    handshakes.put(key, timer);
    conn.closeHandler(v -> {
      Long t = handshakes.remove(key);
      if (t != null) {
        vertx.cancelTimer(t);
      }
      leave(remote);
    });
  }

  /** The socket at {@code remote} became a WebSocket: its handshake clock stops. */
  void upgraded(SocketAddress remote) {
    Long t = handshakes.remove(String.valueOf(remote));
    if (t != null) {
      vertx.cancelTimer(t);
    }
  }

  /**
   * Counts a socket for its address; false (and counted as refused) when the address is at its cap.
   * The count changes only inside the map's atomic compute: a socket arriving while the address's
   * last one leaves must not count on an entry that the leave is removing.
   */
  boolean enter(SocketAddress remote) {
    boolean[] admitted = new boolean[1];
    perIp.compute(host(remote), (h, n) -> {
      int held = n == null ? 0 : n;
      admitted[0] = held < cfg.maxConnectionsPerIp();
      return admitted[0] ? held + 1 : n;
    });
    if (!admitted[0]) {
      refused("per_ip");
    }
    return admitted[0];
  }

  void leave(SocketAddress remote) {
    perIp.computeIfPresent(host(remote), (h, n) -> n <= 1 ? null : n - 1);
  }

  /** Closes the session if it has not logged in by the deadline (a login under way is bounded elsewhere). */
  void loginDeadline(Session s) {
    vertx.setTimer(cfg.loginDeadlineMs(), id -> {
      if (s.state == Session.State.CONNECTED) {
        refused("login_deadline");
        LOG.info("closing {}: no login within {} ms", s.logId(), cfg.loginDeadlineMs());
        s.close();
      }
    });
  }

  void refused(String reason) {
    Counter.builder("raven_gate_refused_connections_total").tag("reason", reason)
        .description("Connections the gate refused or closed for its abuse limits: per_ip, handshake_timeout, login_deadline, flood")
        .register(registry).increment();
  }

  private static String host(SocketAddress a) {
    return a == null ? "?" : a.hostAddress();
  }
}
