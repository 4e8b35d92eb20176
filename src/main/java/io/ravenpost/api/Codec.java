package io.ravenpost.api;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How one message type travels on the event bus: a JSON body, and for a few types headers too
 * (the client op a gate forwards travels in headers, as it always has). The one place a message's
 * wire form is written and read; decoding a malformed body fails with BAD_REQUEST naming the field.
 */
public final class Codec<T> {
  /** A body that is already the wire form: a client's op body or reply, passed through as it is. */
  public static final Codec<JsonObject> RAW = json(j -> j, j -> j);
  /** No body worth reading: an acknowledgement. */
  public static final Codec<Void> NONE = json(v -> new JsonObject(), j -> null);

  private final Function<T, JsonObject> encode;
  private final BiFunction<JsonObject, MultiMap, T> decode;
  private final BiConsumer<T, DeliveryOptions> headers;

  private Codec(Function<T, JsonObject> encode, BiFunction<JsonObject, MultiMap, T> decode,
                BiConsumer<T, DeliveryOptions> headers) {
    this.encode = encode;
    this.decode = decode;
    this.headers = headers;
  }

  public static <T> Codec<T> json(Function<T, JsonObject> encode, Function<JsonObject, T> decode) {
    return new Codec<>(encode, (body, h) -> decode.apply(body), (v, o) -> { });
  }

  /** A type part of which travels in headers. */
  public static <T> Codec<T> withHeaders(Function<T, JsonObject> encode, BiConsumer<T, DeliveryOptions> headers,
                                         BiFunction<JsonObject, MultiMap, T> decode) {
    return new Codec<>(encode, decode, headers);
  }

  public JsonObject encode(T value) {
    return value == null ? new JsonObject() : encode.apply(value);
  }

  /** Adds the value's headers, if its type has any, to {@code options}. */
  public DeliveryOptions headers(T value, DeliveryOptions options) {
    if (value != null) {
      headers.accept(value, options);
    }
    return options;
  }

  public T decode(JsonObject body, MultiMap headers) {
    return decode.apply(body == null ? new JsonObject() : body, headers == null ? MultiMap.caseInsensitiveMultiMap()
        : headers);
  }
}
