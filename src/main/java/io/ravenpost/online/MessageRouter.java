package io.ravenpost.online;

import io.ravenpost.api.KickReason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Where pushes and kicks to sessions go (Nakama's message router): features name a presence
 * ({@link Entry}) and a frame or a reason, never a gate's address.
 */
public interface MessageRouter {
  /**
   * Writes each session's frames, in order, to that session if it is still online on its node; one
   * message per node, no answer.
   */
  void pushAll(Map<Entry, List<JsonObject>> frames);

  /**
   * Kicks {@code owner}'s session: over the event bus to its node, or, when that node does not
   * answer within {@code timeoutMs}, through the store ({@link Evictions}). The result says which.
   */
  Future<Kicked> kick(Entry owner, KickReason reason, long timeoutMs);

  /** How a kick went: the session is gone and its entry released, or its node was asked through the store. */
  enum Kicked { RELEASED, EVICTION_REQUESTED }
}
