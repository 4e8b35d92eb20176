package io.ravenpost.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every write through /admin and /internal is in the trail with its actor: a send to two shards
 * leaves one entry on each shard, written in that shard's transaction; a write whose transaction
 * rolls back leaves only its failure; refusals, kicks and operator changes are recorded; pages
 * walk the shards newest first.
 */
class AuditTrailTest {
  static TestCluster cluster;
  static RavenNode node;
  static Pool shardA;
  static Pool shardB;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new JsonObject().put("mysql", new JsonObject()
        .put("shards", new JsonArray().add(TestEnv.mysqlUri()).add(TestEnv.mysqlUriB()))));
    node = cluster.node(0);
    shardA = MailTesting.pool(TestEnv.mysqlUri());
    shardB = MailTesting.pool(TestEnv.mysqlUriB());
  }

  @AfterAll
  static void stop() {
    Await.result(shardA.close());
    Await.result(shardB.close());
    cluster.close();
  }

  @Test
  void aSendToTwoShardsLeavesOneEntryOnEachInItsOwnTransaction() {
    long even = TestEnv.randomUid() & ~1L;
    long odd = even + 1;
    String id = request("two-shards");
    TestHttp.Response r = send("POST", "/admin/mail", TestTokens.admin(), new JsonObject()
        .put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(even).add(odd)))
        .put("title", "audited").put("body", "b"), id);
    assertThat(r.status()).isEqualTo(201);
    JsonArray ids = r.json().getJsonArray("mailIds");
    assertThat(count(shardA, id)).as("shard 0 has the even uid's entry").isEqualTo(1);
    assertThat(count(shardB, id)).as("shard 1 has the odd uid's entry").isEqualTo(1);
    List<JsonObject> mine = entries("token:1", id);
    assertThat(mine).extracting(e -> e.getString("target")).containsExactlyInAnyOrder(
        "users " + even + " mail " + ids.getLong(0), "users " + odd + " mail " + ids.getLong(1));
    assertThat(mine).allSatisfy(e -> {
      assertThat(e.getString("action")).isEqualTo("send");
      assertThat(e.getString("result")).isEqualTo("ok");
      assertThat(e.getString("route")).isEqualTo("POST /admin/mail");
    });
  }

  @Test
  void aWriteThatRollsBackLeavesOnlyItsFailure() {
    String id = request("rollback");
    assertThat(send("DELETE", "/admin/global-mail/" + Long.MAX_VALUE / 3, TestTokens.admin(), null, id).status())
        .isEqualTo(404);
    List<JsonObject> mine = entries("token:1", id);
    assertThat(mine).as("the retraction's own entry rolled back with it").hasSize(1);
    assertThat(mine.get(0).getString("result")).isEqualTo("NOT_FOUND");
    assertThat(mine.get(0).getString("action")).isEqualTo("retract");
  }

  @Test
  void refusalsKicksAndOperatorChangesAreRecorded() {
    String refused = request("refused");
    assertThat(send("POST", "/admin/users/5/kick", TestTokens.service(), null, refused).status()).isEqualTo(403);
    assertThat(entries("token:2", refused)).singleElement().satisfies(e -> {
      assertThat(e.getString("result")).isEqualTo("FORBIDDEN");
      assertThat(e.getString("action")).isEqualTo("kick");
    });
    for (String path : new String[] {"/admin/users/5/mail/7", "/admin/sends/9"}) {
      String recall = request("recall");
      assertThat(send("DELETE", path, TestTokens.service(), null, recall).status()).isEqualTo(403);
      assertThat(entries("token:2", recall)).as("refused recall %s", path).singleElement().satisfies(e -> {
        assertThat(e.getString("result")).isEqualTo("FORBIDDEN");
        assertThat(e.getString("action")).isEqualTo("recall");
      });
    }
    String bad = request("bad");
    assertThat(send("POST", "/admin/mail", TestTokens.admin(), new JsonObject().put("title", "x"), bad).status())
        .isEqualTo(400);
    assertThat(entries("token:1", bad)).singleElement().satisfies(e -> assertThat(e.getString("result"))
        .isEqualTo("BAD_REQUEST"));

    long uid = TestEnv.randomUid();
    String kick = request("kick");
    assertThat(send("POST", "/admin/users/" + uid + "/kick", TestTokens.admin(), null, kick).status()).isEqualTo(204);
    assertThat(entries("token:1", kick)).singleElement().satisfies(e -> {
      assertThat(e.getString("action")).isEqualTo("kick");
      assertThat(e.getString("target")).isEqualTo("uid " + uid + " (was not online)");
      assertThat(e.getString("result")).isEqualTo("ok");
    });

    String name = "audited-" + Long.toHexString(uid & 0xffffff);
    String add = request("add");
    assertThat(send("POST", "/admin/operators", TestTokens.admin(), new JsonObject().put("name", name)
        .put("role", "viewer"), add).status()).isEqualTo(201);
    assertThat(entries("token:1", add)).singleElement().satisfies(e -> {
      assertThat(e.getString("action")).isEqualTo("operator.add");
      assertThat(e.getString("target")).isEqualTo("operator " + name + " as viewer");
    });
    String remove = request("remove");
    assertThat(send("DELETE", "/admin/operators/" + name, TestTokens.admin(), null, remove).status()).isEqualTo(204);
    assertThat(entries("token:1", remove)).singleElement().satisfies(e -> assertThat(e.getString("action"))
        .isEqualTo("operator.remove"));
  }

  @Test
  void pagesWalkEveryShardNewestFirst() {
    String actor = "token:" + (TestEnv.randomUid() % 1_000_000 + 10);
    String token = TestTokens.operator(new JsonObject().put("sub", actor.substring(6)).put("role", "admin"));
    for (int i = 0; i < 4; i++) {
      long uid = TestEnv.randomUid();
      assertThat(send("POST", "/admin/mail", token, new JsonObject().put("target", new JsonObject()
          .put("type", "users").put("uids", new JsonArray().add(uid).add(uid + 1))).put("title", "p" + i)
          .put("body", "b"), request("page" + i)).status()).isEqualTo(201);
    }
    List<JsonObject> walked = new ArrayList<>();
    String cursor = null;
    do {
      TestHttp.Response page = TestHttp.get(node.adminPort(), "/admin/audit?limit=3&actor=" + actor
          + (cursor == null ? "" : "&cursor=" + cursor), TestTokens.admin());
      assertThat(page.status()).isEqualTo(200);
      page.json().getJsonArray("entries").forEach(e -> walked.add((JsonObject) e));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertThat(walked).as("8 entries: 4 sends to two shards each").hasSize(8);
    assertThat(walked).extracting(e -> e.getString("target")).doesNotHaveDuplicates();
    for (int i = 1; i < walked.size(); i++) {
      assertThat(walked.get(i).getLong("at")).isLessThanOrEqualTo(walked.get(i - 1).getLong("at"));
    }
  }

  private static String request(String what) {
    return what + "-" + Long.toHexString(System.nanoTime());
  }

  private static TestHttp.Response send(String method, String path, String token, JsonObject body, String requestId) {
    return TestHttp.send(node.adminPort(), method, path, token, body, Map.of("X-Request-Id", requestId));
  }

  private static long count(Pool pool, String requestId) {
    return Await.result(pool.preparedQuery("SELECT COUNT(*) FROM audit_log WHERE request_id = ?")
        .execute(Tuple.of(requestId))).iterator().next().getLong(0);
  }

  /** The entries of {@code actor} with this request id (refusals are written after the answer: wait a little). */
  private static List<JsonObject> entries(String actor, String requestId) {
    long end = System.currentTimeMillis() + 3000;
    List<JsonObject> out = new ArrayList<>();
    while (out.isEmpty() && System.currentTimeMillis() < end) {
      TestHttp.get(node.adminPort(), "/admin/audit?limit=200&actor=" + actor, TestTokens.admin()).json()
          .getJsonArray("entries").forEach(e -> {
            if (requestId.equals(((JsonObject) e).getString("requestId"))) {
              out.add((JsonObject) e);
            }
          });
      if (out.isEmpty()) {
        GlobalTesting.pause(50);
      }
    }
    return out;
  }
}
