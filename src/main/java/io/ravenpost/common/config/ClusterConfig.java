package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * @param host       the address Hazelcast and the event bus bind (an address of this machine)
 * @param publicHost the address peers use to reach this node (NAT, containers); the bind host when empty
 * @param busPort    the event bus's TCP port (0: any free port; fix it when a firewall sits between nodes)
 */
public record ClusterConfig(boolean enabled, String name, String host, String publicHost, List<String> members,
                            int port, int busPort, int heartbeatSeconds, int maxNoHeartbeatSeconds,
                            int mergeDelaySeconds) {
  public static ClusterConfig from(JsonObject raw) {
    String host = Conf.str(raw, "cluster.host").trim();
    String pub = Conf.str(raw, "cluster.publicHost").trim();
    if (host.isEmpty()) {
      throw new IllegalArgumentException("config cluster.host must name an address of this machine");
    }
    if (("0.0.0.0".equals(host) || "::".equals(host)) && pub.isEmpty()) {
      throw new IllegalArgumentException("config cluster.host " + host + " binds every interface: set "
          + "cluster.publicHost (RAVEN_CLUSTER_PUBLIC_HOST) to the address peers should use");
    }
    return new ClusterConfig(Conf.bool(raw, "cluster.enabled"), Conf.str(raw, "cluster.name"), host,
        pub.isEmpty() ? host : pub, Conf.strings(raw, "cluster.members"),
        Conf.intIn(raw, "cluster.port", 1, 65535), Conf.intIn(raw, "cluster.busPort", 0, 65535),
        Conf.intIn(raw, "cluster.heartbeatSeconds", 1, 60),
        Conf.intIn(raw, "cluster.maxNoHeartbeatSeconds", 2, 600),
        Conf.intIn(raw, "cluster.mergeDelaySeconds", 1, 600));
  }

  /** True when Hazelcast should bind every interface rather than the one named. */
  public boolean bindsAny() {
    return "0.0.0.0".equals(host) || "::".equals(host);
  }
}
