package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** @param drainMs how long a graceful stop waits for accepted requests to be answered */
public record NodeConfig(String id, Set<String> roles, long drainMs) {
  static final Set<String> KNOWN = Set.of("gate", "online", "mail", "scheduler", "admin");

  static NodeConfig from(JsonObject raw) {
    List<String> roles = Conf.strings(raw, "node.roles");
    for (String r : roles) {
      if (!KNOWN.contains(r)) {
        throw new IllegalArgumentException("config node.roles: unknown role '" + r + "', known " + KNOWN);
      }
    }
    return new NodeConfig(Conf.str(raw, "node.id"), Set.copyOf(roles), Conf.longIn(raw, "node.drainMs", 0, 300_000));
  }

  public boolean has(String role) {
    return roles.contains(role);
  }
}
