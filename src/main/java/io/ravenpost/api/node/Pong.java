package io.ravenpost.api.node;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** A node's answer to a ping (sent with no body): its id. */
public record Pong(String node) {
  public static final Codec<Pong> CODEC = Codec.json(p -> new JsonObject().put("node", p.node),
      j -> new Pong(j.getString("node")));
}
