package io.ravenpost.mail.send;

import io.ravenpost.api.mail.SendResult;
import io.vertx.core.Future;

/**
 * One delivery strategy of the mail-server design (Specify, Online, All, AllToDate), chosen by the send's
 * {@code target.type}. {@link MailSender} holds one per supported type; a new target type is a
 * new handler added to the map built in {@link MailVerticle}.
 */
public interface TargetHandler {
  /**
   * Stores (or schedules) the mail for the target and answers the send's result body.
   *
   * @param idempotencyKey the producer's key, or null (admin sends without one, player mail)
   */
  Future<SendResult> send(SendRequest request, String idempotencyKey);

  /** Checks what only this strategy reads of the request (a segment's filter), without sending. */
  default void check(SendRequest request) {
  }
}
