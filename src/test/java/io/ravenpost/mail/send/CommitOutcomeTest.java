package io.ravenpost.mail.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.common.Db;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.MailKeys;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.feed.Feed;
import io.ravenpost.mail.send.BatchWrite.Part;
import io.ravenpost.node.NodeContext;
import io.ravenpost.online.impl.EventBusRouter;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TcpProxy;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group commit whose COMMIT reached MariaDB but whose answer never came back (the connection
 * died right after): the sends in it are stored once, not written again, and every sender gets
 * its own mail ids. A TCP proxy between the batcher's pool and MariaDB passes the COMMIT on and
 * then closes the connection before MariaDB's answer returns.
 */
class CommitOutcomeTest {
  /** A COM_QUERY packet's command byte followed by the statement the SQL client ends a transaction with. */
  static final byte[] COMMIT = ("\u0003COMMIT").getBytes(StandardCharsets.ISO_8859_1);
  static TestCluster cluster;
  static NodeContext ctx;
  static TcpProxy proxy;
  static Db proxied;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    ctx = cluster.node(0).context();
    URI mysql = URI.create(TestEnv.mysqlUri());
    proxy = TcpProxy.to(mysql.getHost(), mysql.getPort());
    String through = TestEnv.mysqlUri().replace(":" + mysql.getPort() + "/", ":" + proxy.port() + "/");
    proxied = Db.connect(ctx.vertx(), new MysqlConfig(List.of(through), 4), new SimpleMeterRegistry());
  }

  @AfterAll
  static void stop() {
    Await.result(proxied.close());
    proxy.close();
    cluster.close();
  }

  @Test
  void sendsWhoseCommitLandedUnansweredAreStoredOnceAndAnswered() {
    MailConfig cfg = ctx.config().mail();
    MailMetrics metrics = new MailMetrics(new SimpleMeterRegistry());
    MailKeys keys = new MailKeys(ctx.stores());
    Mailbox mailbox = new Mailbox(ctx.db());
    MailNotifier notifier = new MailNotifier(ctx.info(), ctx.stores(), cfg, keys, mailbox, metrics, cluster.node(0).online(),
        new EventBusRouter(ctx.vertx(), cluster.node(0).online()), new UnreadCache(ctx.info(), ctx.stores(), keys, mailbox));
    // One transaction at a time: the first send goes alone, the four behind it share the next one.
    SendBatcher batcher = new SendBatcher(proxied, new BatchWrite(new Capacity(cfg, metrics), new Feed(proxied)),
        new Idempotency(ctx.stores(), keys), notifier, metrics, 1000, 1, 10_000);
    List<Long> uids = players(3);
    String prefix = "commit-" + TestEnv.randomUid() + "-";

    proxy.dropAnswersAfter(COMMIT, 2);
    List<Future<Part>> answers = new ArrayList<>();
    answers.add(submit(batcher, prefix + "alone", uids.subList(0, 1)));
    for (int i = 0; i < 4; i++) {
      answers.add(submit(batcher, prefix + "batched" + i, uids));
    }

    Await.result(Future.join(answers).otherwiseEmpty(), 60_000);
    assertThat(proxy.tripsLeft()).as("both COMMITs were cut off from their answers").isZero();
    Part alone = Await.result(answers.get(0));
    assertThat(alone.ids()).containsOnlyKeys(uids.get(0));
    assertThat(rows(prefix + "alone", uids)).as("the lone send, stored once").isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      String title = prefix + "batched" + i;
      Part p = Await.result(answers.get(i + 1));
      assertThat(p.ids()).containsOnlyKeys(uids.toArray(Long[]::new));
      assertThat(rows(title, uids)).as("%s, stored once per player", title).isEqualTo(3);
      p.ids().forEach((uid, id) -> assertThat(title(uid, id)).isEqualTo(title));
    }
  }

  private static Future<Part> submit(SendBatcher batcher, String title, List<Long> uids) {
    JsonObject body = new JsonObject().put("target", new JsonObject().put("type", "users")
        .put("uids", new JsonArray(new ArrayList<>(uids)))).put("title", title).put("body", "b");
    SendRequest req = SendRequest.parse(body, ctx.config().mail(), null);
    return batcher.submit(0, proxied.primary(), req, uids, null, 1);
  }

  private static long rows(String title, List<Long> uids) {
    return Await.result(ctx.db().primary().preparedQuery("SELECT COUNT(*) FROM mailbox WHERE uid IN (?, ?, ?) "
            + "AND title = ?").execute(Tuple.of(uids.get(0), uids.get(1), uids.get(2), title)))
        .iterator().next().getLong(0);
  }

  private static String title(long uid, long id) {
    return Await.result(ctx.db().primary().preparedQuery("SELECT title FROM mailbox WHERE uid = ? AND id = ?")
        .execute(Tuple.of(uid, id))).iterator().next().getString(0);
  }

  private static List<Long> players(int n) {
    long first = TestEnv.randomUid();
    List<Long> out = new ArrayList<>();
    for (long u = first; out.size() < n; u++) {
      out.add(u);
    }
    return out;
  }
}
