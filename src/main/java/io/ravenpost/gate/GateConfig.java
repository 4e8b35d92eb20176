package io.ravenpost.gate;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * The {@code gate} section. The pre-login limits ({@code preLoginMaxFrameBytes},
 * {@code loginDeadlineMs}, {@code handshakeTimeoutMs}, {@code maxConnectionsPerIp}) keep a
 * connection that has not logged in cheap: it cannot hold big buffers, cannot linger, and one
 * address cannot fill the node with them.
 */
public record GateConfig(String host, int wsPort, int tcpPort, int maxFrameBytes,
                         int idleTimeoutSeconds, long loginTimeoutMs, LoginPolicy loginPolicy,
                         int opsPerSecond, int opsBurst, int maxSessions, int maxQueuedBytes,
                         int preLoginMaxFrameBytes, long loginDeadlineMs, long handshakeTimeoutMs,
                         int maxConnectionsPerIp, int maxInFlightPerSession, int eventLoops) {
  public static GateConfig from(JsonObject raw, int offset) {
    String policy = Conf.str(raw, "gate.loginPolicy");
    LoginPolicy p = switch (policy) {
      case "newest-wins" -> LoginPolicy.NEWEST_WINS;
      case "reject-new" -> LoginPolicy.REJECT_NEW;
      default -> throw new IllegalArgumentException(
          "config gate.loginPolicy must be newest-wins or reject-new, not '" + policy + "'");
    };
    int maxFrame = Conf.intIn(raw, "gate.maxFrameBytes", 1024, 16 << 20);
    return new GateConfig(Conf.str(raw, "gate.host"), Conf.port(raw, "gate.wsPort", offset),
        Conf.port(raw, "gate.tcpPort", offset), maxFrame,
        Conf.intIn(raw, "gate.idleTimeoutSeconds", 2, 3600),
        Conf.intIn(raw, "gate.loginTimeoutMs", 100, 60000), p,
        Conf.intIn(raw, "gate.opsPerSecond", 1, 100000), Conf.intIn(raw, "gate.opsBurst", 1, 100000),
        Conf.intIn(raw, "gate.maxSessions", 1, 10_000_000),
        Conf.intIn(raw, "gate.maxQueuedBytes", 16 * 1024, 256 << 20),
        // A login frame carries a token: a few hundred bytes; the bound stays below the frame limit.
        Conf.intIn(raw, "gate.preLoginMaxFrameBytes", 512, maxFrame),
        Conf.longIn(raw, "gate.loginDeadlineMs", 500, 600_000),
        Conf.longIn(raw, "gate.handshakeTimeoutMs", 200, 600_000),
        Conf.intIn(raw, "gate.maxConnectionsPerIp", 1, 10_000_000),
        Conf.intIn(raw, "gate.maxInFlightPerSession", 1, 10_000),
        // 0: one per core.
        Conf.intIn(raw, "gate.eventLoops", 0, 256));
  }
}
