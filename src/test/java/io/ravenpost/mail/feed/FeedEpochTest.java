package io.ravenpost.mail.feed;

import static io.ravenpost.mail.MailTesting.sendOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * After a restore from backup an operator runs {@code feed new-epoch}: every client that syncs
 * with the old epoch is told to reload, and new logins carry the new one. On a database of its own.
 */
class FeedEpochTest {

  @Test
  void aNewEpochMakesEveryClientReload() throws Exception {
    try (Scratch db = new Scratch(); TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      long uid = TestEnv.randomUid();
      TestClient c = TestClient.ws(cluster.node(0).wsPort());
      String before = c.loginSync(TestTokens.player(uid)).getString("epoch");
      sendOne(cluster.node(0), uid, "before the restore");
      JsonObject sync = new JsonObject().put("since", 0).put("epoch", before);
      assertThat(c.callSync("mail.sync", sync).getJsonArray("changes")).hasSize(1);

      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "io.ravenpost.Main", "feed", "new-epoch").redirectErrorStream(true);
      pb.environment().put("RAVEN_MYSQL_URI", db.uri());
      pb.environment().put("RAVEN_MYSQL_SHARDS", "");
      pb.environment().put("RAVEN_GATE_HOST", "127.0.0.1");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();

      // Nodes read the epoch at most every 10 s.
      JsonObject resync = Poll.until("the new epoch reaches the node", 15_000, () -> {
        JsonObject r = c.callSync("mail.sync", sync);
        return Boolean.TRUE.equals(r.getBoolean("resync")) ? r : null;
      });
      assertThat(resync.getString("epoch")).isNotEqualTo(before);
      assertThat(resync.getLong("seq")).isEqualTo(1);
      c.close();
      TestClient again = TestClient.ws(cluster.node(0).wsPort());
      assertThat(again.loginSync(TestTokens.player(uid)).getString("epoch")).isEqualTo(resync.getString("epoch"));
      again.close();
      assertThat(out).contains("new feed epoch on 1 shard(s)");
    }
  }
}
