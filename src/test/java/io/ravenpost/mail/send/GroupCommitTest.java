package io.ravenpost.mail.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.api.RavenException;
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
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of sends against the real MariaDB and Redis of a running node: sends that arrive
 * while a transaction runs share the next one, each still gets exactly its own mail, one bad send
 * in a batch fails alone, and capacity and cached unread counts hold when one batch brings many
 * mails to one mailbox. One transaction at a time per shard ({@code inFlight} 1), so a burst queues.
 */
class GroupCommitTest {
  static TestCluster cluster;
  static NodeContext ctx;
  MailMetrics metrics;
  SimpleMeterRegistry registry;
  SendBatcher batcher;
  UnreadCache unread;
  Mailbox mailbox;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    ctx = cluster.node(0).context();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void batcher() {
    registry = new SimpleMeterRegistry();
    metrics = new MailMetrics(registry);
    MailConfig cfg = ctx.config().mail();
    MailKeys keys = new MailKeys(ctx.stores());
    mailbox = new Mailbox(ctx.db());
    unread = new UnreadCache(ctx.info(), ctx.stores(), keys, mailbox);
    MailNotifier notifier = new MailNotifier(ctx.info(), ctx.stores(), cfg, keys, mailbox, metrics, cluster.node(0).online(),
        new EventBusRouter(ctx.vertx(), cluster.node(0).online()), unread);
    batcher = new SendBatcher(ctx.db(), new BatchWrite(new Capacity(cfg, metrics), new Feed(ctx.db())), new Idempotency(ctx.stores(), keys),
        notifier, metrics, 1000, 1, 10_000);
  }

  private static SendRequest request(String title, List<Long> uids) {
    JsonObject body = new JsonObject().put("target", new JsonObject().put("type", "users")
        .put("uids", new JsonArray(new ArrayList<>(uids)))).put("title", title).put("body", "group commit");
    return SendRequest.parse(body, ctx.config().mail(), null);
  }

  private Future<Part> submit(SendRequest req, String key) {
    List<Long> uids = req.target().uids();
    return batcher.submit(ctx.db().shardOf(uids.get(0)), ctx.db().forUid(uids.get(0)), req, uids, key, 1);
  }

  private static List<Long> uidsOnOneShard(int n) {
    List<Long> out = new ArrayList<>();
    long first = TestEnv.randomUid();
    for (long u = first; out.size() < n; u++) {
      if (ctx.db().shardOf(u) == ctx.db().shardOf(first)) {
        out.add(u);
      }
    }
    return out;
  }

  /** Every id of the part is a row of that uid, with that part's title; answers the rows seen. */
  private static int assertOwnMail(Part part, String title) {
    part.ids().forEach((uid, id) -> {
      List<Row> rows = new ArrayList<>();
      Await.result(ctx.db().forUid(uid).preparedQuery("SELECT title FROM mailbox WHERE uid = ? AND id = ?")
          .execute(Tuple.of(uid, id))).forEach(rows::add);
      assertThat(rows).as("mail %d of uid %d", id, uid).hasSize(1);
      assertThat(rows.get(0).getString("title")).isEqualTo(title);
    });
    return part.ids().size();
  }

  private long batches() {
    return registry.get("raven_mail_send_batch_mails").summary().count();
  }

  @Test
  void concurrentSendsShareTransactionsAndEachGetsItsOwnMail() {
    List<Long> uids = uidsOnOneShard(10);
    String prefix = "gc-" + TestEnv.randomUid() + "-";
    List<Future<Part>> answers = new ArrayList<>();
    for (int i = 0; i < 41; i++) {
      // Every part names the same ten mailboxes: ids must still come back to the right send.
      answers.add(submit(request(prefix + i, uids), null));
    }
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < answers.size(); i++) {
      Part p = Await.result(answers.get(i));
      assertThat(p.ids().keySet()).containsExactlyInAnyOrderElementsOf(uids);
      assertThat(p.stored()).hasSize(10);
      assertOwnMail(p, prefix + i);
      ids.addAll(p.ids().values());
    }
    assertThat(ids).as("410 mails, 410 distinct ids").hasSize(410);
    assertThat(batches()).as("41 sends arriving together share transactions").isLessThanOrEqualTo(10);
    assertThat(registry.get("raven_mail_send_batch_mails").summary().totalAmount()).isEqualTo(410);
  }

  @Test
  void eachAuditedSendOfABatchCommitsItsOwnAuditRow() {
    List<Long> uids = uidsOnOneShard(2);
    String prefix = "gc-audit-" + TestEnv.randomUid() + "-";
    List<Future<Part>> answers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      JsonObject body = new JsonObject().put("target", new JsonObject().put("type", "users")
          .put("uids", new JsonArray(new ArrayList<>(uids)))).put("title", prefix + i).put("body", "audited");
      SendRequest req = SendRequest.parse(body, ctx.config().mail(),
          new io.ravenpost.api.AuditContext("token:gc", prefix + "req" + i, "POST /admin/mail"));
      answers.add(submit(req, null));
    }
    for (int i = 0; i < answers.size(); i++) {
      Part p = Await.result(answers.get(i));
      List<Row> rows = new ArrayList<>();
      Await.result(ctx.db().forUid(uids.get(0)).preparedQuery("SELECT action, target, result FROM audit_log "
          + "WHERE request_id = ?").execute(Tuple.of(prefix + "req" + i))).forEach(rows::add);
      assertThat(rows).as("audit row of send %d", i).hasSize(1);
      assertThat(rows.get(0).getString("action")).isEqualTo("send");
      assertThat(rows.get(0).getString("result")).isEqualTo("ok");
      assertThat(rows.get(0).getString("target")).isEqualTo(PersonalDelivery.summary(p.ids()));
    }
    assertThat(batches()).as("12 sends arriving together share transactions").isLessThan(12);
  }

  @Test
  void aBadSendInABatchFailsAloneAndTheOthersCommit() {
    List<Long> uids = uidsOnOneShard(3);
    String prefix = "gc-bad-" + TestEnv.randomUid() + "-";
    SendRequest replayed = request(prefix + "replayed", uids.subList(0, 1));
    SendRequest mismatched = request(prefix + "mismatched", uids.subList(1, 2));
    String replayKey = "test/" + prefix + "r";
    String mismatchKey = "test/" + prefix + "m";
    // Both keys already committed by an earlier send the batcher does not know of (another node's).
    JsonObject earlier = new JsonObject().put(Long.toString(uids.get(0)), 424242L);
    Await.result(ctx.db().forUid(uids.get(0)).preparedQuery("INSERT INTO mail_idempotency (idem_key, request_hash, "
            + "result, created_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)")
        .execute(Tuple.from(List.of(replayKey, replayed.requestHash(), earlier.encode(), System.currentTimeMillis(),
            mismatchKey, "another-body", new JsonObject().encode(), System.currentTimeMillis()))));

    Future<Part> first = submit(request(prefix + "first", uids), null);
    List<Future<Part>> good = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      good.add(submit(request(prefix + i, uids), "test/" + prefix + "k" + i));
    }
    Future<Part> replay = submit(replayed, replayKey);
    Future<Part> mismatch = submit(mismatched, mismatchKey);

    assertOwnMail(Await.result(first), prefix + "first");
    for (int i = 0; i < good.size(); i++) {
      assertThat(assertOwnMail(Await.result(good.get(i)), prefix + i)).isEqualTo(3);
    }
    Part r = Await.result(replay);
    assertThat(r.ids()).as("the earlier result, replayed").isEqualTo(Map.of(uids.get(0), 424242L));
    assertThat(r.stored()).isEmpty();
    Throwable t = Await.failure(mismatch);
    assertThat(t).isInstanceOf(RavenException.class).hasMessageContaining("another body");
    assertThat(registry.get("raven_mail_send_batch_splits_total").counter().count())
        .as("the failed batch was split once").isGreaterThanOrEqualTo(1);
    long strays = Await.result(ctx.db().forUid(uids.get(0)).preparedQuery("SELECT COUNT(*) FROM mailbox WHERE "
        + "uid IN (?, ?) AND title IN (?, ?)").execute(Tuple.of(uids.get(0), uids.get(1), prefix + "replayed",
        prefix + "mismatched"))).iterator().next().getLong(0);
    assertThat(strays).as("neither refused send left mail behind").isZero();
  }

  @Test
  void aFullLaneRefusesNewSendsUnavailableAndStoresTheRest() {
    MailConfig cfg = ctx.config().mail();
    MailKeys keys = new MailKeys(ctx.stores());
    MailNotifier notifier = new MailNotifier(ctx.info(), ctx.stores(), cfg, keys, mailbox, metrics, cluster.node(0).online(),
        new EventBusRouter(ctx.vertx(), cluster.node(0).online()), unread);
    SendBatcher small = new SendBatcher(ctx.db(), new BatchWrite(new Capacity(cfg, metrics), new Feed(ctx.db())),
        new Idempotency(ctx.stores(), keys), notifier, metrics, 1000, 1, 3);
    List<Long> uids = uidsOnOneShard(1);
    String prefix = "gc-full-" + TestEnv.randomUid() + "-";
    List<Future<Part>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      SendRequest req = request(prefix + i, uids);
      answers.add(small.submit(ctx.db().shardOf(uids.get(0)), ctx.db().forUid(uids.get(0)), req, uids, null, 1));
    }
    int stored = 0;
    int refused = 0;
    for (Future<Part> a : answers) {
      Await.result(a.map(p -> 1).otherwise(t -> {
        assertThat(t).isInstanceOf(RavenException.class);
        assertThat(((RavenException) t).code()).isEqualTo(io.ravenpost.api.ErrorCode.UNAVAILABLE);
        return 0;
      }));
      if (a.succeeded()) {
        stored++;
      } else {
        refused++;
      }
    }
    assertThat(refused).as("one running and three waiting fit; sends beyond are refused").isPositive();
    assertThat(Await.result(mailbox.unread(uids.get(0)))).as("every accepted send stored").isEqualTo(stored);
  }

  @Test
  void capacityAndCachedUnreadCountsHoldWhenOneBatchFillsAMailbox() {
    long full = TestEnv.randomUid();
    long counted = uidsOnOneShard(1).get(0);
    int capacity = ctx.config().mail().capacity();
    assertThat(Await.result(unread.unread(counted))).as("primes the cached count").isZero();

    List<Future<Part>> answers = new ArrayList<>();
    for (int i = 0; i < capacity + 30; i++) {
      answers.add(submit(request("gc-cap-" + i, List.of(full)), null));
    }
    for (int i = 0; i < 25; i++) {
      answers.add(submit(request("gc-count-" + i, List.of(counted)), null));
    }
    answers.forEach(Await::result);

    assertThat(Await.result(mailbox.unread(full))).as("a mailbox never holds more than its capacity")
        .isEqualTo(capacity);
    assertThat(Await.result(unread.unread(full))).as("the count of a mailbox that lost mail is recounted")
        .isEqualTo(capacity);
    assertThat(Await.result(unread.unread(counted))).as("the cached count moved by what the batches added")
        .isEqualTo(25).isEqualTo(Await.result(mailbox.unread(counted)));
  }
}
