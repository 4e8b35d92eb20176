package io.ravenpost.mail.box;

import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.sendOne;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.UnreadChanged;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.BusEvents;
import io.ravenpost.testkit.ClientRequests;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.QuietJobs;
import io.ravenpost.testkit.SessionQuestions;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The global-mail design: a heartbeat costs one Redis read. Heartbeats, {@code mail.unread} and re-polled unread
 * watches are answered from the cached count, without one MySQL statement, and the count is right
 * again at once after mail arrives, is read, or appears at its {@code startsAt}.
 */
class UnreadWithoutSqlTest {
  static TestCluster cluster;
  static RavenNode node;

  @BeforeAll
  static void start() {
    // No periodic job may run a statement while the test counts them; the test of startsAt runs
    // the opening job itself.
    JsonObject quiet = QuietJobs.except();
    cluster = TestCluster.start(1, new JsonObject().put("scheduler", quiet)
        .put("gate", new JsonObject().put("opsPerSecond", 10_000).put("opsBurst", 10_000)));
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static long sqlStatements() {
    return ClientRequests.count(node.context().metrics())[0];
  }

  @Test
  void heartbeatsUnreadOpsAndWatchRepollsRunNoSql() {
    long uid = TestEnv.randomUid();
    TestClient c = TestClient.ws(node.wsPort());
    c.loginSync(TestTokens.player(uid));
    long first;
    try (BusEvents<UnreadChanged> unread = BusEvents.on(node.context().vertx(), MailAddresses.UNREAD_CHANGED)) {
      first = sendOne(node, uid, "one unread");
      unread.await("the send announced uid " + uid + "'s count", 5000, e -> e.uid() == uid && e.unread() == 1);
    }
    // A read while the send's mark still stands counts in MySQL without caching; the reads measured
    // below start once one was answered from the cache.
    Poll.until("a heartbeat answered from the cached count", 5000, () -> {
      long sql = sqlStatements();
      return c.callSync("heartbeat", new JsonObject()).getLong("unread") == 1 && sqlStatements() == sql;
    });
    c.callSync("mail.unread", new JsonObject());
    String watch = "/internal/users/" + uid + "/unread?known=0&waitMs=0";

    int poolSize = node.context().config().mysql().poolSize();
    long readCost = SessionQuestions.sum(node.context().db().primary(), poolSize);
    readCost = SessionQuestions.sum(node.context().db().primary(), poolSize) - readCost;
    long questions = SessionQuestions.sum(node.context().db().primary(), poolSize);
    long before = sqlStatements();
    for (int i = 0; i < 300; i++) {
      assertThat(c.callSync("heartbeat", new JsonObject()).getLong("unread")).isEqualTo(1);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(c.callSync("mail.unread", new JsonObject()).getLong("unread")).isEqualTo(1);
      assertThat(TestHttp.get(node.adminPort(), watch, TestTokens.service()).json().getLong("unread")).isEqualTo(1);
    }
    long statements = sqlStatements() - before;
    System.out.printf("300 heartbeats, 50 mail.unread and 50 watch re-polls: %d SQL statements%n", statements);
    assertThat(statements).as("SQL statements for 400 reads of a cached count").isZero();
    long counted = SessionQuestions.sum(node.context().db().primary(), poolSize) - questions - readCost;
    System.out.printf("MariaDB's Questions on the node's connections over the same reads: %d%n", counted);
    assertThat(counted).as("MariaDB's Questions counter over 400 reads of a cached count").isZero();

    c.callSync("mail.open", id(first));
    assertThat(c.callSync("heartbeat", new JsonObject()).getLong("unread")).as("after reading it").isZero();
    long beforeSend = SessionQuestions.sum(node.context().db().primary(), poolSize);
    sendOne(node, uid, "two");
    assertThat(SessionQuestions.sum(node.context().db().primary(), poolSize) - beforeSend - readCost)
        .as("the counter does see the node's statements: a send runs some").isPositive();
    assertThat(c.callSync("heartbeat", new JsonObject()).getLong("unread")).as("after a new mail").isEqualTo(1);
    Await.result(c.close());
  }

  @Test
  void mailThatAppearsAtItsStartsAtIsCountedFromThen() {
    long uid = TestEnv.randomUid();
    TestClient c = TestClient.ws(node.wsPort());
    c.loginSync(TestTokens.player(uid));
    long startsAt = System.currentTimeMillis() + 1500;
    MailTesting.adminSend(node, mail(users(uid), "later").put("startsAt", startsAt));
    assertThat(c.callSync("heartbeat", new JsonObject()).getLong("unread")).as("before its startsAt").isZero();
    assertThat(c.callSync("heartbeat", new JsonObject()).getLong("unread")).isZero();
    Poll.until("its startsAt passed", 5000, () -> System.currentTimeMillis() > startsAt);
    GlobalTesting.runJob(node, "mail-opening");
    JsonObject pushed = c.nextPush("mail.new", 5000);
    assertThat(pushed).as("mail.new when the mail opens at its startsAt").isNotNull();
    assertThat(System.currentTimeMillis()).as("not pushed before its startsAt").isGreaterThanOrEqualTo(startsAt);
    assertThat(c.callSync("heartbeat", new JsonObject()).getLong("unread")).as("counted once visible").isEqualTo(1);
    Await.result(c.close());
  }
}
