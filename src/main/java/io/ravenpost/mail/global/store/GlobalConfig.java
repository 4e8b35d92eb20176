package io.ravenpost.mail.global.store;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * The {@code global} config section (server-wide mail), validated at start-up: a bad value stops
 * the node with a message naming the key. Every key can be overridden from the environment as
 * {@code RAVEN_GLOBAL_<KEY>}.
 *
 * @param workers          distribution workers on each node with the mail role (0: this node only
 *                         distributes on login and read, it never pops the login queue)
 * @param workerBatch      uids one worker takes from the login queue at a time
 * @param inflightMs       how long a popped uid may stay in flight before the requeue job puts it back
 * @param fetchBatch       global mail ids read from the id ZSET per round of one distribution
 * @param loginCatchUpMs   how long a login waits for its own distribution before answering
 *                         {@code unread} (0: login only queues the uid)
 * @param catchUpOnRead    whether {@code mail.list} (first page) and {@code mail.unread} distribute first
 * @param retractPolicy    what happens to delivered copies when a global mail is retracted
 * @param deletedBodySeconds how long the cached body of a retracted mail stays (the global-mail design: 30 min)
 * @param repairBatch      global mail rows per statement of the repair job
 * @param onlineBatch      players per transaction of an {@code online} send
 * @param withdrawBatch    copies withdrawn per statement by a retraction
 * @param withdrawBudgetMs how long DELETE waits for the withdrawal before answering (the rest goes on
 *                         in the background and the repair job finishes it if this node dies)
 * @param pushesPerPlayer  {@code mail.new} pushes one distribution sends a player at most (the newest)
 */
public record GlobalConfig(int workers, int workerBatch, long inflightMs, int fetchBatch, long loginCatchUpMs,
                           boolean catchUpOnRead, RetractPolicy retractPolicy, int deletedBodySeconds,
                           int repairBatch, int onlineBatch, int withdrawBatch, long withdrawBudgetMs,
                           int pushesPerPlayer) {

  /** What a retraction does to copies already in mailboxes. */
  public enum RetractPolicy {
    /** Unclaimed copies are withdrawn (soft-deleted); claimed rewards stay claimed. */
    WITHDRAW_UNCLAIMED,
    /** Copies stay; only copies not visible yet (a future {@code startsAt}) are withdrawn. */
    KEEP
  }

  public static GlobalConfig from(JsonObject raw) {
    String policy = Conf.str(raw, "global.retractPolicy");
    RetractPolicy p = switch (policy) {
      case "withdraw-unclaimed" -> RetractPolicy.WITHDRAW_UNCLAIMED;
      case "keep" -> RetractPolicy.KEEP;
      default -> throw new IllegalArgumentException(
          "config global.retractPolicy must be withdraw-unclaimed or keep, not '" + policy + "'");
    };
    return new GlobalConfig(Conf.intIn(raw, "global.workers", 0, 16),
        Conf.intIn(raw, "global.workerBatch", 1, 1000),
        Conf.longIn(raw, "global.inflightMs", 500, 3_600_000),
        Conf.intIn(raw, "global.fetchBatch", 1, 1000),
        Conf.longIn(raw, "global.loginCatchUpMs", 0, 10_000),
        Conf.bool(raw, "global.catchUpOnRead"), p,
        Conf.intIn(raw, "global.deletedBodySeconds", 1, 7 * 86_400),
        Conf.intIn(raw, "global.repairBatch", 1, 10_000),
        Conf.intIn(raw, "global.onlineBatch", 1, 5000),
        Conf.intIn(raw, "global.withdrawBatch", 1, 10_000),
        Conf.longIn(raw, "global.withdrawBudgetMs", 0, 60_000),
        Conf.intIn(raw, "global.pushesPerPlayer", 0, 100));
  }
}
