package io.ravenpost.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.multihost.Checker.EndState;
import io.ravenpost.multihost.Checker.Violation;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9 item 6: the fault schedule of {@link Nemesis} on the three-host bed while players on
 * every host log in (three accounts each, three accounts logged in on two hosts at once, and per
 * host an account whose second client logs in elsewhere in the middle of a fault there),
 * heartbeat, receive and claim mail sent at a steady rate; then {@link Checker} judges the
 * history. Prints a table and writes target/nemesis/&lt;time&gt;.json; fails on any violation.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class NemesisTest {
  private static final int TAP_HOST = 2;
  private static final int SINGLES_PER_HOST = 3;
  private static final int TWIN_ACCOUNTS = 3;
  private static final long MAIL_PERIOD_MS = 500;
  private static final TestClient.Mode[] MODES = {TestClient.Mode.WS_JSON, TestClient.Mode.WS_MSGPACK,
      TestClient.Mode.TCP};

  @Test
  void faultsNeverBreakTheInvariants() throws Exception {
    long startedAt = System.currentTimeMillis();
    long seed = ThreadLocalRandom.current().nextLong();
    String runId = "nm" + Long.toHexString(seed & 0xffffffL);
    History history = new History();
    List<Player> players = new ArrayList<>();
    MailSender sender = null;
    Bed bed = Bed.start(TAP_HOST);
    try {
      String[] hosts = {bed.address(0), bed.address(1), bed.address(2)};
      int n = 0;
      for (int h = 0; h < Bed.HOSTS; h++) {
        for (int k = 0; k < SINGLES_PER_HOST; k++, n++) {
          players.add(new Player("p" + n, TestEnv.randomUid(), h, false, k == 0, MODES[n % 3], hosts, history,
              seed + n));
        }
      }
      for (int t = 0; t < TWIN_ACCOUNTS; t++, n += 2) {
        long uid = TestEnv.randomUid();
        players.add(new Player("p" + n, uid, t, true, true, MODES[n % 3], hosts, history, seed + n));
        players.add(new Player("p" + (n + 1), uid, (t + 1) % Bed.HOSTS, true, false, MODES[(n + 1) % 3], hosts,
            history, seed + n + 1));
      }
      // Per host, a patient client whose twin logs in elsewhere only in the middle of a fault there.
      Map<Integer, Player> usurpers = new HashMap<>();
      for (int h = 0; h < Bed.HOSTS; h++, n += 2) {
        long uid = TestEnv.randomUid();
        players.add(new Player("p" + n, uid, h, true, true, MODES[n % 3], hosts, history, seed + n));
        Player usurper = new Player("p" + (n + 1), uid, (h + 1) % Bed.HOSTS, true, false, MODES[(n + 1) % 3], hosts,
            history, seed + n + 1);
        usurpers.put(h, usurper);
      }
      history.mark("run.start", new JsonObject().put("runId", runId).put("seed", seed)
          .put("players", new JsonArray(players.stream().map(p -> p.name + " uid=" + p.uid + " home=h" + p.home
              + (p.twin ? " twin" : "")).collect(Collectors.toList()))));
      players.forEach(Player::start);
      players.addAll(usurpers.values());
      assertThat(Nemesis.await(30_000, () -> players.stream().filter(p -> !p.twin).allMatch(Player::online)))
          .as("every player logged in before the faults").isTrue();

      List<Long> uids = players.stream().map(p -> p.uid).distinct().toList();
      sender = new MailSender(bed, history, uids, MAIL_PERIOD_MS, runId, seed);
      sender.start();
      // Undisturbed warm-up: the workload is seen working (mail sent, pushed, claimed) before any fault.
      assertThat(Nemesis.await(30_000, () -> history.ofType("claim.ok").size() >= 5))
          .as("claims before the faults: %s", NemesisReport.counts(history)).isTrue();
      Nemesis nemesis = new Nemesis(bed, history, players, usurpers);
      nemesis.calm(Nemesis.CALM_MS);
      history.mark("warmup.end", null);

      List<Nemesis.Outcome> faults = nemesis.run();
      sender.stop();
      // Let the last pushes be claimed: until no claim has been answered for 2 s (at most 15 s).
      Nemesis.await(15_000, () -> quietFor(history, 2_000));
      players.forEach(Player::stop);
      history.mark("run.end", null);

      EndState end = endState(bed, uids);
      Checker checker = new Checker(history, end, faults, Bed.LEASE_MS);
      List<Violation> violations = checker.check();
      JsonObject extra = new JsonObject().put("seed", seed).put("mailboxes", end.mailboxes().values().stream()
          .mapToInt(List::size).sum()).put("measures", checker.measures());
      NemesisReport.write(runId, startedAt, bed, history, faults, violations, extra);
      assertThat(violations).as("violations (see the table above and target/nemesis/)").isEmpty();
    } finally {
      if (sender != null) {
        sender.stop();
      }
      players.forEach(Player::stop);
      bed.close();
    }
  }

  private static boolean quietFor(History history, long ms) {
    long now = System.currentTimeMillis();
    return history.events().stream().filter(e -> e.type().startsWith("claim.") || e.type().equals("push.mail"))
        .mapToLong(History.Event::at).max().orElse(0) < now - ms;
  }

  /** Every account's mailbox (admin API, any host that answers) and its mail_outbox rows (MySQL). */
  private static EndState endState(Bed bed, List<Long> uids) {
    Map<Long, List<JsonObject>> mailboxes = new HashMap<>();
    for (long uid : uids) {
      mailboxes.put(uid, mailbox(bed, uid));
    }
    Map<Long, Map<Long, Integer>> outbox = new HashMap<>();
    Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(MySQLConnectOptions.fromUri(bed.mysqlUri())).using(TestClient.vertx()).build();
    try {
      String in = uids.stream().map(String::valueOf).collect(Collectors.joining(","));
      for (Row r : Await.result(pool.query("SELECT uid, mail_id, COUNT(*) FROM mail_outbox WHERE uid IN (" + in
          + ") GROUP BY uid, mail_id").execute())) {
        outbox.computeIfAbsent(r.getLong(0), u -> new HashMap<>()).put(r.getLong(1), r.getInteger(2));
      }
    } finally {
      Await.result(pool.close());
    }
    return new EndState(mailboxes, outbox);
  }

  private static List<JsonObject> mailbox(Bed bed, long uid) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 20; page++) {
      String path = "/admin/users/" + uid + "/mail?limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
      TestHttp.Response r = anyHost(bed, path);
      JsonArray mails = r.json().getJsonArray("mails", new JsonArray());
      mails.forEach(m -> out.add((JsonObject) m));
      Object next = r.json().getValue("nextCursor");
      cursor = next == null ? null : next.toString();
      if (cursor == null) {
        return out;
      }
    }
    throw new AssertionError("mailbox of " + uid + " has more than 20 pages");
  }

  private static TestHttp.Response anyHost(Bed bed, String path) {
    List<String> errors = new ArrayList<>();
    for (int attempt = 0; attempt < 2 * Bed.HOSTS; attempt++) {
      int h = attempt % Bed.HOSTS;
      try {
        TestHttp.Response r = bed.admin(h, "GET", path, null, Map.of(), Duration.ofSeconds(10));
        if (r.status() == 200) {
          return r;
        }
        errors.add("h" + h + ": " + r.status() + " " + r.body());
      } catch (RuntimeException e) {
        errors.add("h" + h + ": " + e);
      }
    }
    throw new AssertionError("no host answered GET " + path + ": " + errors);
  }
}
