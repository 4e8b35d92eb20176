package io.ravenpost.mail.send;

import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Send ids, unique across the cluster: blocks of {@link #BLOCK} taken from {@code id_blocks} on the
 * primary shard (one statement per block), handed out here. Ids of a block this node never gave
 * out (it stopped) are skipped, never reused.
 */
final class SendIds {
  static final int BLOCK = 1000;
  private static final String TAKE = "INSERT INTO id_blocks (name, next) VALUES ('send', LAST_INSERT_ID(?)) "
      + "ON DUPLICATE KEY UPDATE next = LAST_INSERT_ID(next + VALUES(next))";

  private final Db db;
  private final Queue<Promise<Long>> waiting = new ArrayDeque<>();
  private long next;
  private long end;
  private boolean taking;

  SendIds(Db db) {
    this.db = db;
  }

  synchronized Future<Long> next() {
    if (next < end) {
      return Future.succeededFuture(next++);
    }
    Promise<Long> p = Promise.promise();
    waiting.add(p);
    if (!taking) {
      taking = true;
      take();
    }
    return p.future();
  }

  /** The block after the counter's new value is ours: (value - BLOCK, value]. */
  private void take() {
    db.retrying(() -> db.primary().preparedQuery(TAKE).execute(Tuple.of(BLOCK)))
        .map(r -> r.property(MySQLClient.LAST_INSERTED_ID))
        .onComplete(ar -> {
          // Answered outside the lock: an answer's callbacks may ask for the next id.
          Map<Promise<Long>, Long> given = new LinkedHashMap<>();
          Queue<Promise<Long>> failed = new ArrayDeque<>();
          synchronized (this) {
            taking = false;
            if (ar.succeeded()) {
              next = ar.result() - BLOCK + 1;
              end = ar.result() + 1;
              while (!waiting.isEmpty() && next < end) {
                given.put(waiting.poll(), next++);
              }
              if (!waiting.isEmpty()) {
                taking = true;
                take();
              }
            } else {
              failed.addAll(waiting);
              waiting.clear();
            }
          }
          given.forEach(Promise::complete);
          failed.forEach(p -> p.fail(ar.cause()));
        });
  }
}
