package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/**
 * A producer's or operator's send: the body of {@code POST /internal/mail} or {@code POST /admin/mail}
 * as it came, with the {@code idempotencyKey} and the {@code producer} it belongs to (the token's
 * subject over HTTP, never taken from the body there). Answered {@link SendResult}. The body is
 * checked by the mail role, which names the field that is wrong.
 */
public record ProducerSend(JsonObject body) {
  public static final String KEY = "idempotencyKey";
  public static final String PRODUCER = "producer";
  public static final Codec<ProducerSend> CODEC = Codec.json(ProducerSend::body, ProducerSend::new);

  public static ProducerSend of(JsonObject mail, String key, String producer) {
    JsonObject body = mail.copy();
    if (key != null) {
      body.put(KEY, key);
    }
    return new ProducerSend(body.put(PRODUCER, producer));
  }
}
