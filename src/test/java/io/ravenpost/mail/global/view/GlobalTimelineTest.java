package io.ravenpost.mail.global.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.Frames;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/global-mail/{id}/timeline}: the copies two online players received and the one
 * they opened, per minute with every minute between present; an open dated eight days back turns
 * the buckets into hours and keeps the totals; an id with no copies answers empty series.
 */
class GlobalTimelineTest {
  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;

  @Test
  void copiesDeliveredOpenedAndClaimedAddUpPerBucket() {
    try (GlobalTesting.Scratch scratch = new GlobalTesting.Scratch();
         TestCluster cluster = TestCluster.start(1, scratch.overrides(new JsonObject()))) {
      RavenNode node = cluster.node(0);
      List<TestClient> players = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        players.add(GlobalTesting.login(node, GlobalTesting.token(TestEnv.randomUid(),
            System.currentTimeMillis() / 1000 - 3600)));
      }
      try {
        TestHttp.Response sent = TestHttp.post(node.adminPort(), "/admin/mail", TestTokens.admin(), new JsonObject()
            .put("target", new JsonObject().put("type", "online")).put("title", "timeline").put("body", "b"));
        assertThat(sent.status()).isEqualTo(201);
        long gid = sent.json().getLong("globalMailId");
        long mailId = players.get(0).nextPush(Frames.MAIL_NEW, 10_000).getJsonObject("body").getJsonObject("mail")
            .getLong("mailId");
        players.get(1).nextPush(Frames.MAIL_NEW, 10_000);
        assertThat(players.get(0).callSync("mail.open", new JsonObject().put("mailId", mailId)).getString("error"))
            .isNull();

        JsonObject minutes = timeline(node, gid);
        assertThat(minutes.getLong("bucketMs")).isEqualTo(MINUTE);
        assertThat(sum(minutes, "delivered")).isEqualTo(2);
        assertThat(sum(minutes, "opened")).isEqualTo(1);
        assertThat(sum(minutes, "claimed")).isZero();
        assertContiguous(minutes, MINUTE);

        long eightDaysAgo = System.currentTimeMillis() - 8 * 24 * HOUR;
        scratch.execute("UPDATE mailbox SET read_at = ? WHERE global_id = ? AND read_at IS NOT NULL", eightDaysAgo, gid);
        JsonObject hours = timeline(node, gid);
        assertThat(hours.getLong("bucketMs")).isEqualTo(HOUR);
        assertThat(hours.getJsonArray("t").getLong(0)).isEqualTo(eightDaysAgo / HOUR * HOUR);
        assertThat(sum(hours, "delivered")).isEqualTo(2);
        assertThat(sum(hours, "opened")).isEqualTo(1);
        assertThat(hours.getJsonArray("opened").getLong(0)).isEqualTo(1);
        assertContiguous(hours, HOUR);

        JsonObject none = timeline(node, gid + 1_000_000);
        assertThat(none.getJsonArray("t")).isEmpty();
        assertThat(none.getJsonArray("delivered")).isEmpty();
      } finally {
        players.forEach(TestClient::close);
      }
    }
  }

  private static JsonObject timeline(RavenNode node, long gid) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/global-mail/" + gid + "/timeline", TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  private static long sum(JsonObject timeline, String series) {
    return timeline.getJsonArray(series).stream().mapToLong(v -> ((Number) v).longValue()).sum();
  }

  private static void assertContiguous(JsonObject timeline, long bucketMs) {
    JsonArray t = timeline.getJsonArray("t");
    for (int i = 1; i < t.size(); i++) {
      assertThat(t.getLong(i) - t.getLong(i - 1)).isEqualTo(bucketMs);
    }
    for (String s : List.of("delivered", "opened", "claimed")) {
      assertThat(timeline.getJsonArray(s)).hasSameSizeAs(t);
    }
  }
}
