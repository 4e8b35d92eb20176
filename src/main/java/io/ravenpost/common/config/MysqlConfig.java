package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

public record MysqlConfig(List<String> shardUris, int poolSize) {
  public static MysqlConfig from(JsonObject raw) {
    List<String> shards = Conf.strings(raw, "mysql.shards");
    List<String> uris = shards.isEmpty() ? List.of(Conf.str(raw, "mysql.uri")) : shards;
    for (String u : uris) {
      if (!u.startsWith("mysql://") && !u.startsWith("mariadb://")) {
        throw new IllegalArgumentException("config mysql.uri/shards: '" + u + "' is not a mysql:// URI");
      }
    }
    return new MysqlConfig(uris, Conf.intIn(raw, "mysql.poolSize", 1, 256));
  }
}
