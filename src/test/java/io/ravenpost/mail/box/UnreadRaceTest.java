package io.ravenpost.mail.box;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.NodeContext;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cached unread count is moved by what a send adds rather than recounted. A reader that
 * recounts between that send's commit and its add must not leave the count one too high: the
 * interleaving is played step by step against the real Redis and MariaDB.
 */
class UnreadRaceTest {
  static TestCluster cluster;
  static NodeContext ctx;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    ctx = cluster.node(0).context();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aRecountBetweenASendsCommitAndItsAddDoesNotCountTheMailTwice() {
    MailKeys keys = new MailKeys(ctx.stores());
    Mailbox mailbox = new Mailbox(ctx.db());
    UnreadCache unread = new UnreadCache(ctx.info(), ctx.stores(), keys, mailbox);
    long uid = TestEnv.randomUid();
    assertThat(Await.result(unread.unread(uid))).isZero();
    // An earlier change made the cached count stale: the next reader recounts from MySQL.
    Await.result(unread.changed(List.of(uid)));

    assertThat(Await.result(unread.writing(List.of(uid)))).isTrue();
    long now = System.currentTimeMillis();
    Await.result(ctx.db().forUid(uid).preparedQuery("INSERT INTO mailbox (uid, kind, sender, title, body, "
        + "created_at, expires_at) VALUES (?, 'system', 'system', 'race', 'b', ?, ?)")
        .execute(Tuple.of(uid, now, now + 86_400_000L)));
    // The reader comes after the commit and before the send's add: MySQL already has the mail.
    assertThat(Await.result(unread.unread(uid))).isEqualTo(1);
    Await.result(unread.added(Map.of(uid, new UnreadCache.Added(1, now + 86_400_000L)), Set.of()));

    assertThat(Await.result(unread.unread(uid))).as("cached count after the add").isEqualTo(1)
        .isEqualTo(Await.result(mailbox.unread(uid)));
  }
}
