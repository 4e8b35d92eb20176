package io.ravenpost.common.config;

import io.ravenpost.api.NodeRole;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** @param drainMs how long a graceful stop waits for accepted requests to be answered */
public record NodeConfig(String id, Set<NodeRole> roles, long drainMs) {
  public static NodeConfig from(JsonObject raw) {
    Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
    for (String r : Conf.strings(raw, "node.roles")) {
      NodeRole role = NodeRole.of(r);
      if (role == null) {
        throw new IllegalArgumentException("config node.roles: unknown role '" + r + "', known "
            + Arrays.stream(NodeRole.values()).map(NodeRole::wire).toList());
      }
      roles.add(role);
    }
    return new NodeConfig(Conf.str(raw, "node.id"), Set.copyOf(roles), Conf.longIn(raw, "node.drainMs", 0, 300_000));
  }

  public boolean has(NodeRole role) {
    return roles.contains(role);
  }

  /** The roles by their config names, for logs. */
  public List<String> names() {
    return roles.stream().sorted().map(NodeRole::wire).toList();
  }
}
