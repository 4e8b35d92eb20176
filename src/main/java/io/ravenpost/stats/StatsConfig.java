package io.ravenpost.stats;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * The {@code stats} section (env {@code RAVEN_STATS_*}): the history the console's dashboard charts.
 *
 * @param historySampleMs how often each gate node records its sessions and logins per second
 * @param historyPoints   samples kept per node (360 at 10 s: the last hour)
 */
public record StatsConfig(long historySampleMs, int historyPoints) {
  public static StatsConfig from(JsonObject raw) {
    return new StatsConfig(Conf.longIn(raw, "stats.historySampleMs", 100, 600_000),
        Conf.intIn(raw, "stats.historyPoints", 2, 10_000));
  }

  /** How far back the history reaches. */
  public long spanMs() {
    return historySampleMs * historyPoints;
  }
}
