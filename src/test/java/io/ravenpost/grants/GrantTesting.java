package io.ravenpost.grants;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What a game server does with grants, over the HTTP API, and how a test makes them (send, then claim). */
final class GrantTesting {
  private GrantTesting() {
  }

  /** A node config where grants go by {@code delivery}, with the dead-letter sweep and gauge every 200 ms. */
  static JsonObject delivery(String delivery) {
    return new JsonObject().put("grants", new JsonObject().put("delivery", delivery).put("sweepMs", 200));
  }

  /** Sends {@code uid} a mail with {@code gold} gold and claims it: answers the grantId the game will see. */
  static String claimed(RavenNode node, long uid, long gold) {
    long mailId = MailTesting.sendOne(node, uid, "reward " + gold, MailTesting.gold(gold));
    MailTesting.opSync(node, uid, "mail.claim", MailTesting.id(mailId));
    return uid + "-" + mailId;
  }

  /** {@code GET /internal/grants} as a service: the grants offered. */
  static List<JsonObject> pull(RavenNode node, String query) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/internal/grants" + query, TestTokens.service());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonObject> out = new ArrayList<>();
    r.json().getJsonArray("grants").forEach(g -> out.add((JsonObject) g));
    return out;
  }

  static void ack(RavenNode node, List<JsonObject> grants) {
    if (grants.isEmpty()) {
      return;
    }
    JsonArray ids = new JsonArray(grants.stream().map(g -> (Object) g.getString("grantId")).toList());
    TestHttp.Response r = TestHttp.post(node.adminPort(), "/internal/grants/ack", TestTokens.service(),
        new JsonObject().put("grantIds", ids));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  /** The mail id part of a grantId, which orders one uid's grants. */
  static long mailId(String grantId) {
    return Long.parseLong(grantId.substring(grantId.indexOf('-') + 1));
  }
}
