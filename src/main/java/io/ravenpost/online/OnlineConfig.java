package io.ravenpost.online;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * @param leaseMs     how long a node's lease lives without renewal (failover time after a crash)
 * @param renewMs     how often it is renewed (at most half the lease)
 * @param buckets     registry hashes the uids are spread over
 * @param reconcileMs how often a node checks its sessions against the registry (entries the store
 *                    lost are put back; a session whose entry names another one is closed)
 */
public record OnlineConfig(long leaseMs, long renewMs, int buckets, long reconcileMs) {
  public static OnlineConfig from(JsonObject raw) {
    int lease = Conf.intIn(raw, "online.leaseMs", 1000, 600000);
    int renew = Conf.intIn(raw, "online.renewMs", 100, 600000);
    if (renew * 2 > lease) {
      throw new IllegalArgumentException("config online.renewMs must be at most half of online.leaseMs");
    }
    return new OnlineConfig(lease, renew, Conf.intIn(raw, "online.buckets", 1, 1 << 20),
        Conf.longIn(raw, "online.reconcileMs", 100, 3_600_000));
  }
}
