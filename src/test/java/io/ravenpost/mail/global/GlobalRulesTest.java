package io.ravenpost.mail.global;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.api.RavenException;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.target.GlobalPlayer;
import io.ravenpost.mail.global.target.GlobalSegment;
import io.ravenpost.node.RavenConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Global mail's rules without services: config, target rules, the cached body's encoding. */
class GlobalRulesTest {
  private static GlobalConfig load(Map<String, String> env, JsonObject global) {
    return RavenConfig.load(env, new JsonObject().put("global", global).put("gate", new JsonObject().put("host", "127.0.0.1"))).global();
  }

  @Test
  void configDefaultsEnvOverridesAndBadValuesNamingTheKey() {
    GlobalConfig d = load(Map.of(), new JsonObject());
    assertThat(d.workers()).isEqualTo(4);
    assertThat(d.retractPolicy()).isEqualTo(GlobalConfig.RetractPolicy.WITHDRAW_UNCLAIMED);
    assertThat(d.deletedBodySeconds()).isEqualTo(1800);
    GlobalConfig e = load(Map.of("RAVEN_GLOBAL_WORKERS", "0", "RAVEN_GLOBAL_RETRACT_POLICY", "keep"), new JsonObject());
    assertThat(e.workers()).isZero();
    assertThat(e.retractPolicy()).isEqualTo(GlobalConfig.RetractPolicy.KEEP);
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("retractPolicy", "drop")))
        .hasMessageContaining("global.retractPolicy");
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("fetchBatch", 0)))
        .hasMessageContaining("global.fetchBatch");
    assertThatThrownBy(() -> load(Map.of("RAVEN_GLOBAL_INFLIGHT_MS", "soon"), new JsonObject()))
        .hasMessageContaining("global.inflightMs");
  }

  @Test
  void allToDateMeansCreatedBeforeTheSendToTheSecond() {
    long sentAt = 1_700_000_000_500L;
    GlobalMail m = mail(GlobalMail.ALL_TO_DATE, null, sentAt);
    assertThat(m.eligible(player(1_700_000_000L, null, null), sentAt)).isTrue();
    assertThat(m.eligible(player(1_700_000_001L, null, null), sentAt)).isFalse();
    assertThat(m.eligible(null, sentAt)).as("no users row").isFalse();
    assertThat(mail(GlobalMail.ALL, null, sentAt).eligible(null, sentAt)).isTrue();
    assertThat(mail(GlobalMail.ONLINE, null, sentAt).eligible(player(0, null, null), sentAt))
        .as("online mail is never distributed lazily").isFalse();
    assertThat(mail(GlobalMail.ALL, null, sentAt).eligible(null, sentAt + 86_400_000L)).as("expired").isFalse();
  }

  @Test
  void segmentsMatchEveryGivenCriterion() {
    GlobalSegment s = GlobalSegment.parse(new JsonObject().put("zone", "eu").put("minLevel", 10).put("maxLevel", 20)
        .put("tags", new JsonArray().add("vip").add("beta")));
    assertThat(s.matches(player(0, "eu", 10, "vip", "beta", "x"))).isTrue();
    assertThat(s.matches(player(0, "eu", 20, "beta", "vip"))).isTrue();
    assertThat(s.matches(player(0, "us", 15, "vip", "beta"))).isFalse();
    assertThat(s.matches(player(0, "eu", 21, "vip", "beta"))).isFalse();
    assertThat(s.matches(player(0, "eu", null, "vip", "beta"))).isFalse();
    assertThat(s.matches(player(0, "eu", 15, "vip"))).isFalse();
    assertThat(GlobalSegment.parse(new JsonObject().put("minLevel", 5)).matches(player(0, null, 5))).isTrue();
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("minLevel", -1),
        new JsonObject().put("minLevel", 3).put("maxLevel", 2), new JsonObject().put("zone", 7),
        new JsonObject().put("tags", new JsonArray().add("")))) {
      assertThatThrownBy(() -> GlobalSegment.parse(bad)).as(bad.encode()).isInstanceOf(RavenException.class)
          .hasMessageContaining("target");
    }
  }

  @Test
  void theCachedBodyRoundTripsThroughMsgpack() {
    GlobalSegment s = GlobalSegment.parse(new JsonObject().put("zone", "eu").put("tags", new JsonArray().add("vip")));
    GlobalMail m = new GlobalMail(42, GlobalMail.SEGMENT, s, "GM", "title", "body \u00e9",
        "[{\"type\":\"currency\",\"id\":\"gold\",\"amount\":5}]", 2000, 3000, 1000, 7L);
    assertThat(GlobalMail.fromMsgpack(m.toMsgpack())).isEqualTo(m);
    assertThat(m.target()).isEqualTo(new JsonObject().put("type", "segment").put("zone", "eu")
        .put("tags", new JsonArray().add("vip")));
  }

  private static GlobalMail mail(String type, GlobalSegment segment, long sentAt) {
    return new GlobalMail(1, type, segment, "system", "t", "b", null, sentAt, sentAt + 3_600_000L, sentAt, null);
  }

  private static GlobalPlayer player(long createdAtSeconds, String zone, Integer level, String... tags) {
    return new GlobalPlayer(1, createdAtSeconds, zone, level, Set.of(tags));
  }
}
