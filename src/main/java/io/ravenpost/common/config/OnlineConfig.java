package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

public record OnlineConfig(long leaseMs, long renewMs, int buckets) {
  static OnlineConfig from(JsonObject raw) {
    int lease = Conf.intIn(raw, "online.leaseMs", 1000, 600000);
    int renew = Conf.intIn(raw, "online.renewMs", 100, 600000);
    if (renew * 2 > lease) {
      throw new IllegalArgumentException("config online.renewMs must be at most half of online.leaseMs");
    }
    return new OnlineConfig(lease, renew, Conf.intIn(raw, "online.buckets", 1, 1 << 20));
  }
}
