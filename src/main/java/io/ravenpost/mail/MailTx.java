package io.ravenpost.mail;

import io.ravenpost.common.Errors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Transactions that are retried (with a short jittered pause) on deadlock and lock-wait timeout. */
final class MailTx {
  private static final Logger LOG = LoggerFactory.getLogger(MailTx.class);
  private static final int ATTEMPTS = 5;

  private MailTx() {
  }

  static <T> Future<T> run(Vertx vertx, Pool pool, Function<SqlConnection, Future<T>> work) {
    return attempt(vertx, pool, work, 1);
  }

  private static <T> Future<T> attempt(Vertx vertx, Pool pool, Function<SqlConnection, Future<T>> work, int n) {
    return pool.withTransaction(work).recover(t -> {
      if (!Errors.isRetryableSql(t) || n >= ATTEMPTS) {
        return Future.failedFuture(t);
      }
      long pause = ThreadLocalRandom.current().nextLong(5, 20L << n);
      LOG.debug("transaction attempt {} hit {}; retrying in {} ms", n, t.getMessage(), pause);
      return vertx.timer(pause).compose(v -> attempt(vertx, pool, work, n + 1));
    });
  }
}
