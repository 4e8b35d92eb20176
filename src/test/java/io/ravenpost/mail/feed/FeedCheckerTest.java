package io.ravenpost.mail.feed;

import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.runJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The change feed's promise, checked the way a game client lives it: operators send, send to
 * everyone, recall and retract; mail expires and opens; players read, claim and delete; clients
 * drop and come back on any node, and one node is killed half way. Each client rebuilds its mailbox
 * only from pushes, its own replies and mail.sync, and at the end holds exactly what mail.list
 * shows. The run is random; its seed is printed and named in every failure.
 */
class FeedCheckerTest {
  private static final int PLAYERS = 4;
  private static final int STEPS = 240;
  private static final long SHORT_TTL_S = 3;

  static Scratch db;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    db = new Scratch();
    cluster = TestCluster.start(3, db.overrides(new JsonObject()));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    db.close();
  }

  /** One player: a mirror of the mailbox, and the connection while there is one. */
  private static final class Player {
    final long uid = TestEnv.randomUid();
    final Mirror mirror = new Mirror();
    TestClient client;
    int node = -1;
  }

  private final List<Integer> live = new ArrayList<>(List.of(0, 1, 2));
  private final List<Long> sendIds = new ArrayList<>();
  private final List<Long> globals = new ArrayList<>();
  private Random random;
  private long lastTimedEvent;

  @Test
  void everyClientEndsWithTheMailboxTheServerLists() {
    long seed = System.nanoTime();
    random = new Random(seed);
    String run = "checker seed " + seed;
    System.out.println(run);
    List<Player> players = new ArrayList<>();
    for (int i = 0; i < PLAYERS; i++) {
      players.add(new Player());
    }
    for (int step = 0; step < STEPS; step++) {
      if (step == STEPS / 2) {
        killOneNode(players);
      }
      act(players);
      for (Player p : players) {
        if (p.client != null) {
          p.mirror.take(p.client);
        }
      }
    }
    settle(players);
    int syncs = 0;
    int resyncs = 0;
    for (Player p : players) {
      if (p.client == null) {
        connect(p);
      }
      p.mirror.take(p.client);
      // Listing may copy global mail in (distribution on read); its changes are in the feed.
      Mirror.listed(p.client);
      p.mirror.sync(p.client);
      p.mirror.take(p.client);
      Map<Long, JsonObject> truth = Mirror.listed(p.client);
      assertThat(p.mirror.box).as(run + ": uid " + p.uid + " rebuilt from the feed vs mail.list").isEqualTo(truth);
      syncs += p.mirror.syncs;
      resyncs += p.mirror.resyncs;
      p.client.close();
    }
    System.out.printf("%s: %d players, %d steps, %d syncs, %d resyncs%n", run, PLAYERS, STEPS, syncs, resyncs);
    assertThat(resyncs).as(run + ": nothing was trimmed and the epoch never changed").isZero();
  }

  private void act(List<Player> players) {
    Player p = players.get(random.nextInt(players.size()));
    int roll = random.nextInt(100);
    if (roll < 25) {
      send(pickSome(players), roll < 6);
    } else if (roll < 28) {
      globalSend();
    } else if (roll < 29 && !globals.isEmpty()) {
      admin("DELETE", "/admin/global-mail/" + globals.get(random.nextInt(globals.size())), null);
    } else if (roll < 35) {
      recallOne(p);
    } else if (roll < 37 && !sendIds.isEmpty()) {
      admin("DELETE", "/admin/sends/" + sendIds.get(random.nextInt(sendIds.size())), null);
    } else if (roll < 70) {
      playerOp(p);
    } else if (roll < 80) {
      if (p.client != null) {
        disconnect(p);
      }
    } else if (roll < 95) {
      if (p.client == null) {
        connect(p);
      }
    } else {
      runJob(node(), "mail-expiry");
    }
  }

  private List<Player> pickSome(List<Player> players) {
    List<Player> out = new ArrayList<>();
    players.forEach(p -> {
      if (random.nextInt(3) == 0) {
        out.add(p);
      }
    });
    if (out.isEmpty()) {
      out.add(players.get(random.nextInt(players.size())));
    }
    return out;
  }

  /** A personal send; some carry rewards, some expire in seconds, some open in a second. */
  private void send(List<Player> to, boolean timed) {
    JsonArray uids = new JsonArray();
    to.forEach(p -> uids.add(p.uid));
    JsonObject body = new JsonObject().put("target", new JsonObject().put("type", "users").put("uids", uids))
        .put("title", "t" + random.nextInt(1000)).put("body", "b");
    if (random.nextBoolean()) {
      body.put("attachments", new JsonArray().add(gold(1 + random.nextInt(9))));
    }
    if (timed) {
      long now = System.currentTimeMillis();
      if (random.nextBoolean()) {
        body.put("ttlSeconds", SHORT_TTL_S);
        lastTimedEvent = Math.max(lastTimedEvent, now + SHORT_TTL_S * 1000);
      } else {
        body.put("startsAt", now + 1000);
        lastTimedEvent = Math.max(lastTimedEvent, now + 1000);
      }
    }
    Reply r = admin("POST", "/admin/mail", body);
    if (r.status() == 201) {
      sendIds.add(r.body().getLong("sendId"));
    }
  }

  private void globalSend() {
    JsonObject body = new JsonObject().put("target", new JsonObject().put("type", "all"))
        .put("title", "everyone " + random.nextInt(1000)).put("body", "b")
        .put("attachments", new JsonArray().add(gold(5)));
    Reply r = admin("POST", "/admin/mail", body);
    if (r.status() == 201) {
      globals.add(r.body().getLong("globalMailId"));
    }
  }

  private void recallOne(Player p) {
    JsonArray mails = admin("GET", "/admin/users/" + p.uid + "/mail?limit=20", null).body().getJsonArray("mails");
    if (mails != null && !mails.isEmpty()) {
      long id = mails.getJsonObject(random.nextInt(mails.size())).getLong("mailId");
      admin("DELETE", "/admin/users/" + p.uid + "/mail/" + id, null);
    }
  }

  /**
   * Read, claim, delete or claim all, on a mail the client holds; refusals (it changed meanwhile)
   * are fine. The client is not pushed its own changes: the next push's gap brings them.
   */
  private void playerOp(Player p) {
    if (p.client == null || p.mirror.box.isEmpty()) {
      return;
    }
    List<Long> ids = new ArrayList<>(p.mirror.box.keySet());
    long id = ids.get(random.nextInt(ids.size()));
    JsonObject body = new JsonObject().put("mailId", id);
    int which = random.nextInt(10);
    String op = which < 4 ? "mail.open" : which < 7 ? "mail.claim" : which < 9 ? "mail.delete" : "mail.claimAll";
    try {
      Await.result(p.client.call(op, op.equals("mail.claimAll") ? new JsonObject() : body));
    } catch (RuntimeException | AssertionError refused) {
      // NOT_FOUND, ALREADY_CLAIMED, HAS_UNCLAIMED, MAIL_EXPIRED, NO_ATTACHMENTS: the mailbox moved on.
      if (p.client.isClosed()) {
        p.client = null;
      }
    }
  }

  /**
   * Logs in on a live node. Right after the kill, a player whose session was on the dead node is
   * refused (LOGIN_CONFLICT, UNAVAILABLE) until its lease there ends: the client tries again, as a
   * game client does, for at most 20 s.
   */
  private void connect(Player p) {
    long end = System.currentTimeMillis() + 20_000;
    while (true) {
      p.node = live.get(random.nextInt(live.size()));
      TestClient c = TestClient.ws(cluster.node(p.node).wsPort());
      try {
        JsonObject login = c.loginSync(TestTokens.player(p.uid));
        p.client = c;
        p.mirror.loggedIn(c, login);
        return;
      } catch (RuntimeException | AssertionError refused) {
        c.close();
        if (System.currentTimeMillis() > end) {
          throw refused;
        }
        Await.result(TestClient.vertx().timer(250));
      }
    }
  }

  private void disconnect(Player p) {
    p.mirror.take(p.client);
    Await.result(p.client.close());
    p.client = null;
  }

  private void killOneNode(List<Player> players) {
    cluster.crash(2);
    live.remove(Integer.valueOf(2));
    for (Player p : players) {
      if (p.client != null && p.node == 2) {
        p.client.awaitClosed(10_000);
        p.client = null;
      }
    }
  }

  /** Lets timed mail expire and open, then runs the jobs that number those changes. */
  private void settle(List<Player> players) {
    long wait = lastTimedEvent + 200 - System.currentTimeMillis();
    if (wait > 0) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    runJob(node(), "mail-expiry");
    runJob(node(), "mail-opening");
  }

  private RavenNode node() {
    return cluster.node(live.get(random.nextInt(live.size())));
  }

  private Reply admin(String method, String path, JsonObject body) {
    return http(node(), method, path, TestTokens.admin(), body, Map.of());
  }
}
