package io.ravenpost.mail.box;

import io.ravenpost.common.Stores;

/**
 * Redis keys and scripts of the mail role. Redis only holds hints here (new-mail markers, send
 * rate windows, in-flight idempotency leases): flushing it never loses or duplicates mail.
 */
public final class MailKeys {
  /**
   * The global-mail design's new-mail marker: keeps the newest mail id of a uid, with a TTL. Only raises it,
   * so a late writer with an older id cannot hide a newer mail.
   */
  static final String MARK_NEW = """
      local cur = redis.call('GET', KEYS[1])
      if (not cur) or tonumber(cur) < tonumber(ARGV[1]) then
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        return 1
      end
      return 0
      """;

  /**
   * The global-mail design's compare-delete on fetch: clears the marker only if the newest id read from MySQL
   * is at least the marker, so a mail stored after that read keeps its marker.
   */
  static final String CLEAR_NEW = """
      local cur = redis.call('GET', KEYS[1])
      if cur and tonumber(cur) <= tonumber(ARGV[1]) then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """;

  /**
   * The unread cache's compare-and-set: keeps a count only if no commit bumped the version since it
   * was read ({@link UnreadCache}), and no write that will add to it is under way (KEYS[2], the
   * pending writes: such a count may already hold mail whose add is still to come). ARGV: version
   * read, count, stale-at (epoch ms), TTL ms.
   */
  static final String SET_UNREAD = """
      if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return 0 end
      if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then return 0 end
      redis.call('HSET', KEYS[1], 'c', ARGV[2], 'cv', ARGV[1], 'until', ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      return 1
      """;

  /** After a commit that may change the count: whatever count is cached is no longer current. */
  static final String BUMP_UNREAD = """
      redis.call('HINCRBY', KEYS[1], 'v', 1)
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return 1
      """;

  /**
   * Before a transaction that will store mail for the player: one more write under way (KEYS[1],
   * expiring by itself in ARGV[1] ms should its writer die before it says how it ended).
   */
  static final String MARK_WRITING = """
      redis.call('INCR', KEYS[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return 1
      """;

  /** A marked write that ended without an add (it failed, or the count is recounted): bump, one fewer pending. */
  static final String SETTLE_UNREAD = """
      redis.call('HINCRBY', KEYS[1], 'v', 1)
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      if redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
      return 1
      """;

  /**
   * After a commit that stored new mail: like {@link #BUMP_UNREAD}, but a count that was current
   * stays current, moved by the mails that became visible (no MySQL read needed). Returns the new
   * count, or -1 when none was current. {@code until} is kept as the string it came as (Lua's
   * numbers would print Long.MAX_VALUE in exponent form). The write was marked before its
   * transaction ({@link #MARK_WRITING}), so the count it moves was read before that commit; it is one
   * fewer pending (KEYS[2]). ARGV: added, stale-at of the new mail, now, TTL ms.
   */
  static final String ADD_UNREAD = """
      if redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
      local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      local h = redis.call('HMGET', KEYS[1], 'c', 'cv', 'until')
      if not (h[1] and h[2] and h[3]) or tonumber(h[2]) ~= v - 1 or tonumber(h[3]) <= tonumber(ARGV[3]) then
        return -1
      end
      local c = tonumber(h[1]) + tonumber(ARGV[1])
      local u = h[3]
      if tonumber(ARGV[2]) < tonumber(h[3]) then u = ARGV[2] end
      redis.call('HSET', KEYS[1], 'c', c, 'cv', v, 'until', u)
      return c
      """;

  private final Stores stores;

  public MailKeys(Stores stores) {
    this.stores = stores;
  }

  /** {@code mail:new:<uid>} → newest mail id not yet fetched by the player. */
  String newMail(long uid) {
    return stores.key("mail:new:" + uid);
  }

  /** {@code mail:u:{<uid>}} → the player's cached unread count, its version and when it goes stale. */
  String unread(long uid) {
    return stores.key("mail:u:{" + uid + "}");
  }

  /** {@code mail:u:{<uid>}:w} → writes under way that will add mail to the player's unread count. */
  String writing(long uid) {
    return stores.key("mail:u:{" + uid + "}:w");
  }

  /** {@code mail:rate:<uid>} → player-to-player mails sent in the current window. */
  public String sendRate(long uid) {
    return stores.key("mail:rate:" + uid);
  }

  /** {@code mail:idem:<key>} → request hash of a producer send that is running now. */
  public String inFlight(String idempotencyKey) {
    return stores.key("mail:idem:" + idempotencyKey);
  }
}
