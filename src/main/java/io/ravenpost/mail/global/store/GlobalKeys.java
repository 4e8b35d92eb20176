package io.ravenpost.mail.global.store;

import io.ravenpost.common.Stores;

/**
 * Redis keys and scripts of global mail (the global-mail design). Redis holds a cache and a queue here: the
 * body strings and the id ZSET are rebuilt from MySQL by the repair job, and a lost queue entry
 * only means that player is served at their next read or login instead of by a worker.
 *
 * <p>On a Redis Cluster, keys that a script touches together share a hash tag: the bodies and the
 * id ZSET ({@code {g}}: a create caches both at once, and there are few global mails), and the
 * queue, in-flight set and wake-up key ({@code {q}}: a pop moves uids between them atomically).
 * Per-player hints keep a tag of their own uid and spread over every master. On one Redis the
 * names stay as they always were.
 */
public final class GlobalKeys {
  /**
   * The member that says the id ZSET is complete (every live lazily distributed id is in it).
   * The repair job writes it together with the ids; a ZSET that was lost and re-created by a later
   * ZADD lacks it, and readers then take the ids from MySQL until the next repair.
   */
  public static final String COMPLETE = "complete";

  /** Create: the msgpack body (expiring after the mail) and the id in the ZSET (member id, score id). */
  static final String CACHE = """
      redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
      redis.call('ZADD', KEYS[2], ARGV[3], ARGV[3])
      return 1
      """;

  /** Ids after a cursor, oldest first, or nil when the ZSET is not known to be complete. */
  static final String IDS_AFTER = """
      if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then
        return false
      end
      return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
      """;

  /** The newest lazily distributed id, or false when the ZSET is not known to be complete. */
  static final String NEWEST = """
      if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
        return false
      end
      local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      if #top == 0 then return 0 end
      return tonumber(top[2])
      """;

  /** Repair: the ZSET becomes exactly the given ids plus the completeness member, atomically. */
  static final String REPLACE_IDS = """
      redis.call('DEL', KEYS[1])
      for i = 1, #ARGV do
        redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i])
      end
      redis.call('ZADD', KEYS[1], 0, 'complete')
      return #ARGV
      """;

  /**
   * Login queue: ZADD NX each uid (score = time, so the oldest login is served first); when any was
   * new, set the wake-up member that a blocked worker's BZPOPMIN is waiting for.
   */
  public static final String ENQUEUE = """
      local added = 0
      for i = 2, #ARGV do
        added = added + redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[i])
      end
      if added > 0 then
        redis.call('ZADD', KEYS[2], 0, 'w')
      end
      return added
      """;

  /**
   * A worker's pop: up to ARGV[1] uids that are due (score at most ARGV[3], now) leave the queue
   * and enter the in-flight ZSET (score = the deadline ARGV[2]) in one atomic step, so a worker
   * that dies holding them leaves them in flight, never nowhere. A due uid still in flight under
   * another worker's live deadline is not taken: two workers would lock the same cursor rows (and
   * deadlock on them); it waits in the queue, scored at that deadline, until {@link #DONE} makes
   * it due again (mail created during that batch still reaches it) or the deadline passes. If due
   * uids remain, the wake-up member is set again for the next worker.
   */
  public static final String POP = """
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'LIMIT', 0, ARGV[1])
      local uids = {}
      for _, uid in ipairs(due) do
        local held = redis.call('ZSCORE', KEYS[2], uid)
        if held and tonumber(held) > tonumber(ARGV[3]) then
          redis.call('ZADD', KEYS[1], held, uid)
        else
          redis.call('ZREM', KEYS[1], uid)
          redis.call('ZADD', KEYS[2], ARGV[2], uid)
          uids[#uids + 1] = uid
        end
      end
      if #redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'LIMIT', 0, 1) > 0 then
        redis.call('ZADD', KEYS[3], 0, 'w')
      end
      return uids
      """;

  /**
   * Done: removes uids from flight, but only those still carrying this pop's deadline (not
   * re-popped since); one queued again meanwhile becomes due now (ARGV[2]) and a worker is woken.
   */
  public static final String DONE = """
      local n = 0
      local again = 0
      for i = 3, #ARGV do
        local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
        if score and tonumber(score) == tonumber(ARGV[1]) then
          n = n + redis.call('ZREM', KEYS[1], ARGV[i])
          again = again + redis.call('ZADD', KEYS[2], 'XX', 'CH', ARGV[2], ARGV[i])
        end
      end
      if again > 0 then
        redis.call('ZADD', KEYS[3], 0, 'w')
      end
      return n
      """;

  /**
   * A batch that failed: its uids (those still carrying its deadline ARGV[1]) leave flight and are
   * queued again, due at ARGV[2] (a short pause), or earlier if already queued so; a worker is
   * woken. Without it they would wait out the whole in-flight deadline, and so would their
   * players queued again meanwhile.
   */
  public static final String FAILED = """
      local n = 0
      for i = 3, #ARGV do
        local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
        if score and tonumber(score) == tonumber(ARGV[1]) then
          redis.call('ZREM', KEYS[1], ARGV[i])
          redis.call('ZADD', KEYS[2], 'LT', ARGV[2], ARGV[i])
          n = n + 1
        end
      end
      if n > 0 then
        redis.call('ZADD', KEYS[3], 0, 'w')
      end
      return n
      """;

  /** Requeue job: in-flight uids past their deadline go back to the queue (NX) and a worker is woken. */
  public static final String REQUEUE = """
      local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
      for _, uid in ipairs(due) do
        redis.call('ZADD', KEYS[1], 'NX', ARGV[1], uid)
        redis.call('ZREM', KEYS[2], uid)
      end
      if #due > 0 then
        redis.call('ZADD', KEYS[3], 0, 'w')
      end
      return #due
      """;

  private final Stores stores;
  /** {@code gmail:{g}:} on a cluster (bodies and ids), {@code gmail:} on one Redis. */
  private final String cache;
  /** {@code gmail:{q}:} on a cluster (the distribution queue), {@code gmail:} on one Redis. */
  private final String queue;

  public GlobalKeys(Stores stores) {
    this.stores = stores;
    this.cache = stores.redisClustered() ? "gmail:{g}:" : "gmail:";
    this.queue = stores.redisClustered() ? "gmail:{q}:" : "gmail:";
  }

  /** {@code gmail:body:<id>} → msgpack of the mail (the global-mail design's "prefix + id" string). */
  String body(long id) {
    return stores.key(cache + "body:" + id);
  }

  /** {@code gmail:ids} → ZSET of lazily distributed global mail ids (member id, score id) plus {@link #COMPLETE}. */
  public String ids() {
    return stores.key(cache + "ids");
  }

  /** {@code gmail:queue} → ZSET of uids waiting for distribution (score = when queued). */
  public String queue() {
    return stores.key(queue + "queue");
  }

  /** {@code gmail:inflight} → ZSET of uids a worker took (score = deadline, epoch ms). */
  public String inflight() {
    return stores.key(queue + "inflight");
  }

  /** {@code gmail:wake} → ZSET with at most one member; workers block on it with BZPOPMIN. */
  public String wake() {
    return stores.key(queue + "wake");
  }

  /**
   * {@code gmail:seen:{<uid>}} → the newest global id this player's distribution is known to have
   * considered: a read that finds it at the ZSET's newest id needs no distribution (no MySQL).
   */
  String seen(long uid) {
    return stores.key("gmail:seen:{" + uid + "}");
  }

  /** {@code gmail:pending} → SET of online sends' recipient records whose copies are still being written. */
  public String pending() {
    return stores.key("gmail:pending");
  }

  /** {@code gmail:rebuild} → short lease: one node rebuilds the id ZSET when a reader found it incomplete. */
  public String rebuild() {
    return stores.key("gmail:rebuild");
  }
}
