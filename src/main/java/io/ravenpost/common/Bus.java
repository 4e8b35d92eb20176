package io.ravenpost.common;

import io.ravenpost.common.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.util.function.Function;

/** Event-bus service plumbing: every request gets a reply or a coded failure, never silence. */
public final class Bus {
  private Bus() {
  }

  /** Runs {@code handler} on the message and replies its result; any failure (even a throw) becomes a code. */
  public static <T, R> void answer(Message<T> msg, Function<T, Future<R>> handler) {
    reply(msg, handler);
  }

  /** The same, counted in {@code work} until the reply is sent, so a stopping role can wait for it. */
  public static <T, R> void answer(Message<T> msg, InFlight work, Function<T, Future<R>> handler) {
    work.track(() -> reply(msg, handler));
  }

  private static <T, R> Future<R> reply(Message<T> msg, Function<T, Future<R>> handler) {
    // Lines written while serving this message carry the uid, session and request id it is for.
    LogContext.fromHeaders(msg.headers());
    Future<R> f;
    try {
      f = handler.apply(msg.body());
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.andThen(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        Errors.fail(msg, ar.cause());
      }
    });
  }
}
