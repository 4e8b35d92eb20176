package io.ravenpost.common;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Endpoint;
import io.ravenpost.api.Topic;
import io.ravenpost.common.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus, typed: every message is one of the contract's records, written and read by its
 * {@link io.ravenpost.api.Codec}, so no address sees a body whose shape is only in a comment. Every
 * request gets a reply or a coded failure, never silence.
 */
public final class Bus {
  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

  private Bus() {
  }

  /** Asks {@code endpoint}; its reply decoded, or the failure with its code. */
  public static <Q, A> Future<A> request(Vertx vertx, Endpoint<Q, A> endpoint, Q request, DeliveryOptions options) {
    DeliveryOptions o = endpoint.request().headers(request, new DeliveryOptions(options));
    return vertx.eventBus().<JsonObject>request(endpoint.address(), endpoint.request().encode(request), o)
        .map(m -> endpoint.reply().decode(m.body(), m.headers()));
  }

  /** Sends to {@code endpoint} without waiting for an answer. */
  public static <Q> void send(Vertx vertx, Endpoint<Q, ?> endpoint, Q message, DeliveryOptions options) {
    DeliveryOptions o = endpoint.request().headers(message, new DeliveryOptions(options));
    vertx.eventBus().send(endpoint.address(), endpoint.request().encode(message), o);
  }

  /** Publishes {@code event} to every subscriber of {@code topic} on every node. */
  public static <T> void publish(Vertx vertx, Topic<T> topic, T event) {
    vertx.eventBus().publish(topic.address(), topic.codec().encode(event));
  }

  /** Takes every event of {@code topic}; one that does not decode is dropped (it cannot be answered). */
  public static <T> MessageConsumer<JsonObject> subscribe(Vertx vertx, Topic<T> topic, Consumer<T> handler) {
    return vertx.eventBus().consumer(topic.address(), m -> {
      T event;
      try {
        event = topic.codec().decode(m.body(), m.headers());
      } catch (RuntimeException e) {
        LOG.debug("dropped a malformed event on {}: {}", topic.address(), e.getMessage());
        return;
      }
      handler.accept(event);
    });
  }

  /**
   * Answers {@code endpoint} with {@code handler} (which also sees the headers: the caller's audit
   * context and request id); any failure, even a throw or a body that does not decode, becomes a
   * coded failure. With {@code work}, each request is counted until answered, so a stopping role
   * can wait for the ones it took.
   */
  public static <Q, A> MessageConsumer<JsonObject> serve(Vertx vertx, Endpoint<Q, A> endpoint, InFlight work,
                                                         BiFunction<Q, MultiMap, Future<A>> handler) {
    return vertx.eventBus().consumer(endpoint.address(), m -> {
      if (work == null) {
        answer(endpoint, m, handler);
      } else {
        work.track(() -> answer(endpoint, m, handler));
      }
    });
  }

  /** Replies {@code result} to {@code msg} in {@code codec}'s wire form, or its failure with its code. */
  public static <A> void reply(Message<JsonObject> msg, Codec<A> codec, Future<A> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(codec.encode(ar.result()));
      } else {
        Errors.fail(msg, ar.cause());
      }
    });
  }

  private static <Q, A> Future<A> answer(Endpoint<Q, A> endpoint, Message<JsonObject> msg,
                                         BiFunction<Q, MultiMap, Future<A>> handler) {
    // Lines written while serving this message carry the uid, session and request id it is for.
    LogContext.fromHeaders(msg.headers());
    Future<A> f;
    try {
      f = handler.apply(endpoint.request().decode(msg.body(), msg.headers()), msg.headers());
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.andThen(ar -> {
      if (ar.failed()) {
        Errors.fail(msg, ar.cause());
      } else if (endpoint.reply() != null) {
        msg.reply(endpoint.reply().encode(ar.result()));
      }
    });
  }
}
