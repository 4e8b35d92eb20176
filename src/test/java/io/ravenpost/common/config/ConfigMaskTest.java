package io.ravenpost.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConfigMaskTest {
  @Test
  void secretsAndPasswordsInUrisAreMaskedAndNothingElse() {
    JsonObject raw = new JsonObject()
        .put("jwt", new JsonObject().put("secret", "s1").put("leewaySeconds", 5))
        .put("admin", new JsonObject().put("jwtSecret", "s2").put("host", "127.0.0.1"))
        .put("mysql", new JsonObject().put("uri", "mysql://ravenpost:p1@db:3306/ravenpost")
            .put("shards", new JsonArray().add("mysql://a:p2@h1/x").add("mysql://b@h2/y?password=p3&ssl=true")))
        .put("redis", new JsonObject().put("uri", "redis://:p4@127.0.0.1:6379")
            .put("clusterNodes", new JsonArray().add("redis://u:p5@10.0.0.5:7000").add("redis://10.0.0.6:7000")))
        .put("addon", new JsonObject().put("smtpPassword", "p6").put("clientSecrets", new JsonArray().add("p7"))
            .put("apiSecret", ""));

    JsonObject masked = ConfigMask.masked(raw);

    assertThat(masked.encode()).doesNotContain("s1", "s2", "p1", "p2", "p3", "p4", "p5", "p6", "p7");
    assertThat(masked.getJsonObject("jwt")).isEqualTo(new JsonObject().put("secret", "****").put("leewaySeconds", 5));
    assertThat(masked.getJsonObject("admin").getString("host")).isEqualTo("127.0.0.1");
    assertThat(masked.getJsonObject("mysql").getString("uri")).isEqualTo("mysql://ravenpost:****@db:3306/ravenpost");
    assertThat(masked.getJsonObject("mysql").getJsonArray("shards"))
        .containsExactly("mysql://a:****@h1/x", "mysql://b@h2/y?password=****&ssl=true");
    assertThat(masked.getJsonObject("redis").getString("uri")).isEqualTo("redis://:****@127.0.0.1:6379");
    assertThat(masked.getJsonObject("redis").getJsonArray("clusterNodes"))
        .containsExactly("redis://u:****@10.0.0.5:7000", "redis://10.0.0.6:7000");
    assertThat(masked.getJsonObject("addon").getString("apiSecret")).as("an unset secret stays visibly unset")
        .isEmpty();
    assertThat(raw.getJsonObject("jwt").getString("secret")).as("the input is left alone").isEqualTo("s1");
  }

  @Test
  void aUriWithoutPasswordIsUnchanged() {
    assertThat(ConfigMask.uri("mysql://ravenpost@127.0.0.1:3306/db?useSSL=false"))
        .isEqualTo("mysql://ravenpost@127.0.0.1:3306/db?useSSL=false");
    assertThat(ConfigMask.uri("redis://127.0.0.1:6379/2")).isEqualTo("redis://127.0.0.1:6379/2");
  }
}
