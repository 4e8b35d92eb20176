package io.ravenpost.mail.box;

import io.ravenpost.common.NodeContext;

/**
 * Redis keys and scripts of the mail role. Redis only holds hints here (new-mail markers, send
 * rate windows, in-flight idempotency leases): flushing it never loses or duplicates mail.
 */
public final class MailKeys {
  /**
   * Seed 000's new-mail marker: keeps the newest mail id of a uid, with a TTL. Only raises it,
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
   * Seed 000's compare-delete on fetch: clears the marker only if the newest id read from MySQL
   * is at least the marker, so a mail stored after that read keeps its marker.
   */
  static final String CLEAR_NEW = """
      local cur = redis.call('GET', KEYS[1])
      if cur and tonumber(cur) <= tonumber(ARGV[1]) then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """;

  /** Fixed-window counter: returns the count in the current window, which starts with the first hit. */
  public static final String HIT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;

  /**
   * The unread cache's compare-and-set: keeps a count only if no commit bumped the version since it
   * was read ({@link UnreadCache}). ARGV: version read, count, stale-at (epoch ms), TTL ms.
   */
  static final String SET_UNREAD = """
      if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return 0 end
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

  private final NodeContext ctx;

  public MailKeys(NodeContext ctx) {
    this.ctx = ctx;
  }

  /** {@code mail:new:<uid>} → newest mail id not yet fetched by the player. */
  String newMail(long uid) {
    return ctx.key("mail:new:" + uid);
  }

  /** {@code mail:u:{<uid>}} → the player's cached unread count, its version and when it goes stale. */
  String unread(long uid) {
    return ctx.key("mail:u:{" + uid + "}");
  }

  /** {@code mail:rate:<uid>} → player-to-player mails sent in the current window. */
  public String sendRate(long uid) {
    return ctx.key("mail:rate:" + uid);
  }

  /** {@code mail:idem:<key>} → request hash of a producer send that is running now. */
  public String inFlight(String idempotencyKey) {
    return ctx.key("mail:idem:" + idempotencyKey);
  }
}
