package io.ravenpost.mail.feed;

import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each shard's feed epoch. Made at random the first time a shard's feed is used (a new or wiped
 * database), and again by {@link #renew} (an operator's {@code feed new-epoch} after a restore from
 * backup). Read once per {@link #TTL_MS} per node, so a renewal reaches every node within that.
 */
public final class Epochs {
  static final long TTL_MS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Known(String epoch, long readAt) {
  }

  private final Db db;
  private final ConcurrentHashMap<Integer, Known> known = new ConcurrentHashMap<>();

  Epochs(Db db) {
    this.db = db;
  }

  /** The epoch of {@code uid}'s shard. */
  public Future<String> of(long uid) {
    int shard = db.shardOf(uid);
    Known k = known.get(shard);
    long now = System.currentTimeMillis();
    if (k != null && now - k.readAt() < TTL_MS) {
      return Future.succeededFuture(k.epoch());
    }
    Pool pool = db.shard(shard);
    return db.retrying(() -> pool.preparedQuery(FeedSql.EPOCH_MAKE).execute(Tuple.of(fresh())))
        .compose(r -> pool.preparedQuery(FeedSql.EPOCH).execute())
        .map(rows -> {
          String epoch = rows.iterator().next().getString(0);
          known.put(shard, new Known(epoch, now));
          return epoch;
        });
  }

  /** Gives every shard a new epoch: every client's next sync answers resync. */
  public static Future<Void> renew(Db db) {
    Future<Void> chain = Future.succeededFuture();
    for (Pool pool : db.all()) {
      chain = chain.compose(v -> pool.preparedQuery(FeedSql.EPOCH_RENEW).execute(Tuple.of(fresh())).mapEmpty());
    }
    return chain;
  }

  private static String fresh() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
