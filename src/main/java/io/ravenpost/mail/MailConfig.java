package io.ravenpost.mail;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * The {@code mail} config section, validated at start-up: a bad value stops the node with a
 * message naming the key ({@code mail.capacity}, ...). Every key can be overridden from the
 * environment as {@code RAVEN_MAIL_<KEY>}.
 *
 * @param ttlSeconds            default time to live of a mail
 * @param maxTtlSeconds         largest {@code ttlSeconds} a sender may ask for
 * @param capacity              mails a mailbox keeps; over it the oldest without unclaimed attachments go
 * @param expiryPolicy          what happens to unclaimed attachments when a mail expires
 * @param playerSendLimit       player-to-player mails one sender may send per window
 * @param playerSendWindowSeconds the rate-limit window
 * @param markerSeconds         lifetime of the Redis new-mail marker
 * @param idempotencyKeepSeconds how long idempotency keys are kept (at least 24 h)
 * @param retentionSeconds      how long deleted and expired mail and delivered grants stay before purge
 * @param relayEnabled          whether this node publishes grants on the event bus (the outbox relay): only
 *                              when {@code grants.delivery} is {@code eventbus}, else webhook or pull take them
 * @param relayBatch            outbox rows taken per relay round and shard
 * @param relayLeaseMs          how long a relay owns a row it is publishing before another may retry it
 * @param grantTimeoutMs        how long a grant consumer has to acknowledge
 * @param relayMaxBackoffMs     longest pause between two attempts of one grant
 * @param jobBatch              rows handled per statement by the expiry and purge jobs
 * @param sendBatchRows         most mails one group-commit transaction of sends writes to a shard
 * @param sendBatchesInFlight   group-commit transactions of sends running at once per shard
 * @param sendQueueMax          sends waiting for a group-commit transaction per shard; more are refused UNAVAILABLE
 * @param eventLoops            event loops the mail role's request consumers run on (0: one per core)
 * @param feedDays              days each mailbox change is kept in the change feed before it is trimmed
 */
public record MailConfig(long ttlSeconds, long maxTtlSeconds, int capacity, ExpiryPolicy expiryPolicy,
                         int playerSendLimit, int playerSendWindowSeconds, int markerSeconds,
                         long idempotencyKeepSeconds, long retentionSeconds, boolean relayEnabled,
                         int relayBatch, long relayLeaseMs, long grantTimeoutMs, long relayMaxBackoffMs,
                         int jobBatch, int sendBatchRows, int sendBatchesInFlight, int sendQueueMax,
                         int eventLoops, int feedDays) {

  /** What happens to the unclaimed attachments of a mail that expires. */
  public enum ExpiryPolicy {
    /** They are dropped, and each drop is logged ({@code uid= mailId= attachments=}) and counted. */
    DISCARD,
    /** They are granted as if claimed at expiry (an outbox row, published on {@code raven.reward.grant}). */
    GRANT
  }

  private static final long YEAR_SECONDS = 366L * 24 * 3600;

  /** The event loops the request consumers run on: {@code eventLoops}, or one per core. */
  public int loops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  /**
   * @param grantsOnTheBus whether grants go out on the event bus ({@code grants.delivery}, read by
   *     the grants feature): the relay publishes only then
   */
  public static MailConfig from(JsonObject raw, boolean grantsOnTheBus) {
    long ttl = Conf.longIn(raw, "mail.ttlSeconds", 1, 10 * YEAR_SECONDS);
    long maxTtl = Conf.longIn(raw, "mail.maxTtlSeconds", 1, 10 * YEAR_SECONDS);
    if (ttl > maxTtl) {
      throw new IllegalArgumentException("config mail.ttlSeconds must not exceed mail.maxTtlSeconds");
    }
    String policy = Conf.str(raw, "mail.expiryPolicy");
    ExpiryPolicy p = switch (policy) {
      case "discard" -> ExpiryPolicy.DISCARD;
      case "grant" -> ExpiryPolicy.GRANT;
      default -> throw new IllegalArgumentException(
          "config mail.expiryPolicy must be discard or grant, not '" + policy + "'");
    };
    long lease = Conf.longIn(raw, "mail.relayLeaseMs", 200, 3_600_000);
    long grantTimeout = Conf.longIn(raw, "mail.grantTimeoutMs", 100, 600_000);
    if (grantTimeout >= lease) {
      throw new IllegalArgumentException("config mail.grantTimeoutMs must be shorter than mail.relayLeaseMs");
    }
    return new MailConfig(ttl, maxTtl, Conf.intIn(raw, "mail.capacity", 1, 100_000), p,
        Conf.intIn(raw, "mail.playerSendLimit", 1, 1_000_000),
        Conf.intIn(raw, "mail.playerSendWindowSeconds", 1, 86_400),
        Conf.intIn(raw, "mail.markerSeconds", 1, 30 * 86_400),
        Conf.longIn(raw, "mail.idempotencyKeepSeconds", 86_400, YEAR_SECONDS),
        Conf.longIn(raw, "mail.retentionSeconds", 0, YEAR_SECONDS),
        Conf.bool(raw, "mail.relayEnabled") && grantsOnTheBus,
        Conf.intIn(raw, "mail.relayBatch", 1, 10_000), lease, grantTimeout,
        Conf.longIn(raw, "mail.relayMaxBackoffMs", 100, 3_600_000),
        Conf.intIn(raw, "mail.jobBatch", 1, 100_000),
        Conf.intIn(raw, "mail.sendBatchRows", 1, 5_000),
        Conf.intIn(raw, "mail.sendBatchesInFlight", 1, 64),
        Conf.intIn(raw, "mail.sendQueueMax", 1, 1_000_000),
        Conf.intIn(raw, "mail.eventLoops", 0, 256),
        Conf.intIn(raw, "mail.feedDays", 1, 366));
  }
}
