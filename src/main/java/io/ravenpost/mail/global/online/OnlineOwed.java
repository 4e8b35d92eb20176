package io.ravenpost.mail.global.online;

import io.ravenpost.common.Stores;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.mail.global.store.GlobalSql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player told about an {@code online} send may open, claim or list before the background writer
 * reached them: their copy is written first. The records still being written are a Redis set
 * ({@code id/gateNode}), so a mail op costs one SMEMBERS while no online send is in flight; an open
 * record's players are read from MySQL once per node and kept sorted for a binary search. Losing the
 * set only makes such a read wait for the writer; the records themselves are in MySQL.
 */
public final class OnlineOwed {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineOwed.class);

  private final Stores stores;
  private final GlobalKeys keys;
  private final Map<String, long[]> players = new ConcurrentHashMap<>();

  public OnlineOwed(Stores stores, GlobalKeys keys) {
    this.stores = stores;
    this.keys = keys;
  }

  Future<Void> opened(long id, String gate) {
    return stores.redis().sadd(List.of(keys.pending(), id + "/" + gate)).<Void>mapEmpty()
        .recover(t -> {
          LOG.warn("online send {} not marked pending ({}); its players' reads wait for the writer", id, t.getMessage());
          return Future.succeededFuture();
        });
  }

  Future<Void> closed(long id, String gate) {
    players.remove(id + "/" + gate);
    return stores.redis().srem(List.of(keys.pending(), id + "/" + gate)).<Void>mapEmpty()
        .recover(t -> Future.succeededFuture());
  }

  /**
   * Writes {@code uid}'s copies of the online sends still being written that told it. Records no
   * longer open are dropped from this node's memory here: only the writer's node hears of their
   * close, and every other node would otherwise keep their players for good.
   */
  public Future<Void> settle(long uid, OnlineCopies copies) {
    return stores.redis().smembers(keys.pending()).compose(open -> {
      Set<String> still = new HashSet<>();
      open.forEach(member -> still.add(member.toString()));
      players.keySet().retainAll(still);
      List<Future<Void>> each = new ArrayList<>();
      open.forEach(member -> {
        String record = member.toString();
        each.add(told(record).compose(uids -> Arrays.binarySearch(uids, uid) < 0 ? Future.<Void>succeededFuture()
            : copies.writeOne(Long.parseLong(record.substring(0, record.indexOf('/'))), uid)));
      });
      return Future.all(each).<Void>mapEmpty();
    });
  }

  /** How many records' players this node keeps in memory. */
  int remembered() {
    return players.size();
  }

  private Future<long[]> told(String record) {
    long[] known = players.get(record);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    int slash = record.indexOf('/');
    return stores.db().primary().preparedQuery(GlobalSql.RECIPIENTS)
        .execute(Tuple.of(Long.parseLong(record.substring(0, slash)), record.substring(slash + 1)))
        .map(rows -> {
          long[] uids = rows.size() == 0 ? new long[0] : OnlineCopies.unpack(rows.iterator().next().getBuffer(0));
          Arrays.sort(uids);
          players.put(record, uids);
          return uids;
        });
  }
}
