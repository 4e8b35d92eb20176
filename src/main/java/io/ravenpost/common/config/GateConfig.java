package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

public record GateConfig(String host, int wsPort, int tcpPort, int maxFrameBytes,
                         int idleTimeoutSeconds, long loginTimeoutMs, LoginPolicy loginPolicy,
                         int opsPerSecond, int opsBurst, int maxSessions, int maxQueuedBytes) {
  static GateConfig from(JsonObject raw, int offset) {
    String policy = Conf.str(raw, "gate.loginPolicy");
    LoginPolicy p = switch (policy) {
      case "newest-wins" -> LoginPolicy.NEWEST_WINS;
      case "reject-new" -> LoginPolicy.REJECT_NEW;
      default -> throw new IllegalArgumentException(
          "config gate.loginPolicy must be newest-wins or reject-new, not '" + policy + "'");
    };
    return new GateConfig(Conf.str(raw, "gate.host"), Conf.port(raw, "gate.wsPort", offset),
        Conf.port(raw, "gate.tcpPort", offset), Conf.intIn(raw, "gate.maxFrameBytes", 1024, 16 << 20),
        Conf.intIn(raw, "gate.idleTimeoutSeconds", 2, 3600),
        Conf.intIn(raw, "gate.loginTimeoutMs", 100, 60000), p,
        Conf.intIn(raw, "gate.opsPerSecond", 1, 100000), Conf.intIn(raw, "gate.opsBurst", 1, 100000),
        Conf.intIn(raw, "gate.maxSessions", 1, 10_000_000),
        Conf.intIn(raw, "gate.maxQueuedBytes", 16 * 1024, 256 << 20));
  }
}
