package io.ravenpost.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.ravenpost.common.RavenConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.ArrayList;
import java.util.List;

/** Hazelcast for a loopback-friendly cluster: TCP join, no multicast, dead members seen in seconds. */
final class ClusterSetup {
  private static final int PORTS_PER_MEMBER_HOST = 10;

  private ClusterSetup() {
  }

  static Config hazelcast(RavenConfig.ClusterConfig cfg) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cfg.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(cfg.heartbeatSeconds()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cfg.maxNoHeartbeatSeconds()));
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(cfg.port()).setPortAutoIncrement(true).setPortCount(100);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(expand(cfg));
    return hz;
  }

  /** A member without a port means the first few ports from the configured one. */
  private static List<String> expand(RavenConfig.ClusterConfig cfg) {
    List<String> out = new ArrayList<>();
    for (String m : cfg.members()) {
      if (m.contains(":")) {
        out.add(m);
      } else {
        for (int i = 0; i < PORTS_PER_MEMBER_HOST; i++) {
          out.add(m + ":" + (cfg.port() + i));
        }
      }
    }
    return out;
  }
}
