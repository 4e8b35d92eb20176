package io.ravenpost.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.ravenpost.common.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Hazelcast and the event bus on the configured addresses: TCP join with the listed members (no
 * multicast), dead members seen in seconds, split clusters merged within seconds of a fault
 * ending. Loopback is only the default: a node on another host joins through config alone.
 */
final class ClusterSetup {

  private ClusterSetup() {
  }

  static Config hazelcast(ClusterConfig cfg, String nodeId) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cfg.name());
    hz.getMemberAttributeConfig().setAttribute(HazelcastMembership.NODE_ATTRIBUTE, nodeId);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", Boolean.toString(cfg.bindsAny()));
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(cfg.heartbeatSeconds()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cfg.maxNoHeartbeatSeconds()));
    // The split-brain check is what joins two halves again after a pause or a partition; its
    // defaults (300 s, then every 120 s) leave a cluster split for minutes.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(cfg.mergeDelaySeconds()));
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(cfg.mergeDelaySeconds()));
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(cfg.port()).setPortAutoIncrement(true).setPortCount(100);
    if (!cfg.bindsAny()) {
      net.getInterfaces().setEnabled(true).setInterfaces(List.of(ip(cfg.host(), "cluster.host")));
    }
    net.setPublicAddress(ip(cfg.publicHost(), "cluster.publicHost"));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(expand(cfg));
    return hz;
  }

  /** The event bus binds the cluster host and tells peers the public one. */
  static EventBusOptions eventBus(ClusterConfig cfg) {
    EventBusOptions bus = new EventBusOptions().setHost(cfg.host()).setPort(cfg.busPort())
        .setClusterPublicHost(cfg.publicHost());
    // Left unset, the public port is the port actually bound (a fixed 0 would be advertised as is).
    return cfg.busPort() > 0 ? bus.setClusterPublicPort(cfg.busPort()) : bus;
  }

  /** Hazelcast's interface list takes addresses, not names. */
  private static String ip(String host, String key) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("config " + key + ": cannot resolve '" + host + "'");
    }
  }

  /**
   * A member without a port is taken on the configured port. Only real addresses are listed: the
   * split-brain check that merges two halves tries one listed address per round, so every
   * address without a member behind it delays healing by a connect timeout.
   */
  private static List<String> expand(ClusterConfig cfg) {
    List<String> out = new ArrayList<>();
    for (String m : cfg.members()) {
      out.add(m.contains(":") ? m : m + ":" + cfg.port());
    }
    return out;
  }
}
