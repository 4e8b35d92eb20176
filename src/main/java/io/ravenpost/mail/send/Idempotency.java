package io.ravenpost.mail.send;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.RavenException;
import io.ravenpost.common.Errors;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.MailKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producers' idempotency keys (the client-and-producer design: a 2 s timeout and one retry make duplicates normal).
 *
 * <p>The key's row is written in the same transaction as the mail it produced, on the shard of
 * that mail. A send to players on several shards is one transaction per shard, and each writes a
 * row for the key there with that shard's part of the result: a retry after a partial failure
 * finds the shards already done, replays their part and only sends the rest. Before sending, the
 * key is looked up on every shard, so the same key with another body is refused whichever shards
 * the two bodies touch. A short Redis lease marks a send in flight (409 for a concurrent repeat);
 * it is only an early answer: the primary key of the row is what makes a duplicate impossible.
 */
public final class Idempotency {
  private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final long IN_FLIGHT_MS = 60_000;
  static final String FIELD = "idempotencyKey";
  /**
   * Who the key belongs to: the token's subject over HTTP (set by the route, never by the body),
   * {@code bus} or what an event-bus sender names. Two producers that pick the same key never meet.
   */
  public static final String PRODUCER = "producer";
  private static final Pattern PRODUCER_VALID = Pattern.compile("[\\x21-\\x7e]{1,64}");

  private final Stores stores;
  private final MailKeys keys;

  public Idempotency(Stores stores, MailKeys keys) {
    this.stores = stores;
    this.keys = keys;
  }

  public static String requireKey(String key, String field) {
    if (key == null || key.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.error(field + " is required");
    }
    if (!VALID.matcher(key).matches()) {
      throw ErrorCode.BAD_REQUEST.error(field + " must be 1..128 printable ASCII characters without spaces");
    }
    return key;
  }

  /**
   * The {@code idempotencyKey} field of an event-bus send, validated and scoped to its
   * {@code producer}; null when absent and optional.
   */
  public static String keyField(JsonObject body, boolean required) {
    Object v = body.getValue(FIELD);
    if (v == null && !required) {
      return null;
    }
    if (v != null && !(v instanceof String)) {
      throw Fields.bad(FIELD, "must be a string");
    }
    String key = requireKey((String) v, FIELD);
    Object producer = body.getValue(PRODUCER, "bus");
    if (!(producer instanceof String p) || !PRODUCER_VALID.matcher(p).matches()) {
      throw Fields.bad(PRODUCER, "must be 1..64 printable ASCII characters without spaces");
    }
    return p + "/" + key;
  }

  /**
   * Runs a keyed send at most once. {@code send} gets the parts earlier tries stored (by shard) and
   * either replays them or stores the rest. A repeat that finds the first try's lease still held is
   * answered from what that try stored when {@code complete} says it is all there (the lease may
   * outlive the send by a moment, or for its whole TTL if Redis lost the release); IN_FLIGHT only
   * while the first try really is running. The lease is released before the answer leaves, so a
   * producer that repeats at once after an answer finds the result, never a 409.
   */
  public <T> Future<T> once(String key, String hash, Predicate<Map<Integer, JsonObject>> complete,
                            Function<Map<Integer, JsonObject>, Future<T>> send) {
    return begin(key, hash).transform(lease -> {
      if (lease.succeeded()) {
        return stored(key, hash).compose(send).eventually(() -> end(key));
      }
      if (Errors.codeOf(lease.cause()) != ErrorCode.IN_FLIGHT) {
        return Future.failedFuture(lease.cause());
      }
      return stored(key, hash).compose(done -> complete.test(done) ? send.apply(done)
          : Future.failedFuture(lease.cause()));
    });
  }

  /** Marks the key in flight, or fails IN_FLIGHT (same body running) / IDEMPOTENCY_MISMATCH (other body). */
  private Future<Void> begin(String key, String hash) {
    String k = keys.inFlight(key);
    return stores.redis().set(List.of(k, hash, "NX", "PX", Long.toString(IN_FLIGHT_MS)))
        .compose(r -> r != null ? Future.<Void>succeededFuture() : stores.redis().get(k).compose(v -> {
          if (v != null && !hash.equals(v.toString())) {
            return Future.failedFuture(mismatch(key));
          }
          return Future.failedFuture(ErrorCode.IN_FLIGHT.error("a send with idempotency key " + key
              + " is in flight; retry later"));
        }))
        .recover(t -> {
          if (t instanceof RavenException) {
            return Future.failedFuture(t);
          }
          // The lease only gives concurrent repeats an early 409; the database still refuses duplicates.
          LOG.warn("idempotency lease for key {} unavailable ({}); relying on the database", key, t.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> end(String key) {
    return stores.redis().del(List.of(keys.inFlight(key))).<Void>mapEmpty().recover(t -> {
      LOG.debug("idempotency lease {} not released: {}", key, t.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The parts already stored for this key, by shard index; IDEMPOTENCY_MISMATCH if any was for another body. */
  public Future<Map<Integer, JsonObject>> stored(String key, String hash) {
    List<Pool> shards = stores.db().all();
    List<Future<JsonObject>> reads = new ArrayList<>();
    for (Pool p : shards) {
      reads.add(read(p, key, hash));
    }
    return Future.all(reads).map(cf -> {
      Map<Integer, JsonObject> out = new HashMap<>();
      for (int i = 0; i < shards.size(); i++) {
        if (cf.resultAt(i) != null) {
          out.put(i, cf.resultAt(i));
        }
      }
      return out;
    });
  }

  /** One shard's stored part, or null. */
  public Future<JsonObject> read(Pool pool, String key, String hash) {
    return pool.preparedQuery(SendSql.IDEMPOTENCY_GET).execute(Tuple.of(key)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row r = rows.iterator().next();
      return hash.equals(r.getString("request_hash")) ? Future.succeededFuture(new JsonObject(r.getString("result")))
          : Future.failedFuture(mismatch(key));
    });
  }

  /** Records this shard's part of the result, inside the transaction that stored it. */
  public static Future<Void> put(SqlConnection conn, String key, String hash, JsonObject result) {
    return putAll(conn, List.of(new Stored(key, hash, result)));
  }

  /** One key's part of a result, to be recorded. */
  record Stored(String key, String hash, JsonObject result) {
  }

  /** Records several keys' parts in one statement, inside the transaction that stored them. */
  static Future<Void> putAll(SqlConnection conn, List<Stored> parts) {
    if (parts.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    List<Object> args = new ArrayList<>();
    parts.forEach(p -> args.addAll(List.of(p.key(), p.hash(), p.result().encode(), now)));
    return conn.preparedQuery(SendSql.idempotencyPut(parts.size())).execute(Tuple.from(args)).mapEmpty();
  }

  private static RavenException mismatch(String key) {
    return ErrorCode.IDEMPOTENCY_MISMATCH.error("idempotency key " + key + " was used with another body");
  }
}
