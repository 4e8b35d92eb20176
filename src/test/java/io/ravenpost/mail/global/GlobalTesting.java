package io.ravenpost.mail.global;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.box.MailSql;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.QuietJobs;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Helpers of the global mail tests. Global mail reaches every player of a database, so each test
 * class runs its cluster on a scratch database of its own ({@code ravenpost_scratch_*}, dropped at
 * the end): other tests' players never see these mails, and these tests never see theirs.
 */
public final class GlobalTesting {
  private static final int SEED_ROWS_PER_STATEMENT = 5000;

  private GlobalTesting() {
  }

  /** A database of the test's own, migrated by the first node that starts on it. */
  public static final class Scratch implements AutoCloseable {
    public final String name;
    final String uri;
    final Pool pool;
    private final Pool admin;

    public Scratch() {
      name = "ravenpost_scratch_g" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
      String base = TestEnv.mysqlUri();
      uri = base.substring(0, base.lastIndexOf('/') + 1) + name;
      admin = pool(base, 1);
      Await.result(admin.query("CREATE DATABASE " + name).execute());
      pool = pool(uri, 4);
    }

    private static Pool pool(String uri, int size) {
      return MySQLBuilder.pool().with(new PoolOptions().setMaxSize(size))
          .connectingTo(MySQLConnectOptions.fromUri(uri)).using(TestClient.vertx()).build();
    }

    public String uri() {
      return uri;
    }

    /** Node overrides that put a cluster on this database. */
    public JsonObject overrides(JsonObject more) {
      return new JsonObject().put("mysql", new JsonObject().put("uri", uri)).mergeIn(more, true);
    }

    public long count(String sql, Object... args) {
      return Await.result(pool.preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
    }

    public void execute(String sql, Object... args) {
      Await.result(pool.preparedQuery(sql).execute(Tuple.from(args)));
    }

    public List<Row> rows(String sql, Object... args) {
      List<Row> out = new ArrayList<>();
      Await.result(pool.preparedQuery(sql).execute(Tuple.from(args))).forEach(out::add);
      return out;
    }

    /** Copies of one global mail per uid (withdrawn ones included), for the given uids. */
    Map<Long, Long> copies(long globalId, List<Long> uids) {
      Map<Long, Long> out = new HashMap<>();
      uids.forEach(u -> out.put(u, 0L));
      if (uids.isEmpty()) {
        return out;
      }
      List<Object> args = new ArrayList<>(List.of(globalId));
      args.addAll(uids);
      for (Row r : rows("SELECT uid, COUNT(*) FROM mailbox WHERE global_id = ? AND uid IN ("
          + MailSql.marks(uids.size()) + ") GROUP BY uid", args.toArray())) {
        out.put(r.getLong(0), r.getLong(1));
      }
      return out;
    }

    /** Visible (not deleted) copies of one global mail among these uids. */
    long liveCopies(long globalId, List<Long> uids) {
      List<Object> args = new ArrayList<>(List.of(globalId));
      args.addAll(uids);
      return count("SELECT COUNT(*) FROM mailbox WHERE global_id = ? AND deleted_at IS NULL AND uid IN ("
          + MailSql.marks(uids.size()) + ")", args.toArray());
    }

    /**
     * Registers {@code count} players {@code from, from+1, ...} directly in {@code users}, with
     * multi-row inserts: zone {@code z<uid % 4>}, level {@code uid % 50}, tag {@code vip} on every tenth.
     */
    public void seedUsers(long from, int count, long createdAtSeconds) {
      for (int at = 0; at < count; at += SEED_ROWS_PER_STATEMENT) {
        int n = Math.min(SEED_ROWS_PER_STATEMENT, count - at);
        StringBuilder sb = new StringBuilder("INSERT INTO users (uid, name, created_at, zone, level, tags, "
            + "first_login_at, last_login_at) VALUES ");
        for (int i = 0; i < n; i++) {
          long uid = from + at + i;
          sb.append(i == 0 ? "" : ",").append('(').append(uid).append(",NULL,").append(createdAtSeconds)
              .append(",'z").append(uid % 4).append("',").append(uid % 50).append(',')
              .append(uid % 10 == 0 ? "'vip,eu'" : "'eu'").append(',').append(createdAtSeconds * 1000)
              .append(',').append(createdAtSeconds * 1000).append(')');
        }
        Await.result(pool.query(sb.toString()).execute(), 60_000);
      }
    }

    @Override
    public void close() {
      Await.result(pool.close());
      Await.result(admin.query("DROP DATABASE IF EXISTS " + name).execute(), 60_000);
      Await.result(admin.close());
    }
  }

  /**
   * A one-node cluster quiet enough to count its statements: no periodic job, no relay, no worker
   * polling Redis, a few registry buckets, a long node lease.
   */
  static JsonObject quiet(Scratch db) {
    JsonObject daily = QuietJobs.except();
    return db.overrides(new JsonObject()
        .put("scheduler", daily)
        .put("mail", new JsonObject().put("relayEnabled", false))
        .put("online", new JsonObject().put("buckets", 4).put("leaseMs", 600_000).put("renewMs", 300_000))
        .put("global", new JsonObject().put("workers", 0).put("loginCatchUpMs", 5000)));
  }

  public static JsonObject target(String type) {
    return new JsonObject().put("type", type);
  }

  public static JsonObject globalMail(JsonObject target, String title) {
    return new JsonObject().put("target", target).put("title", title).put("body", "body of " + title)
        .put("attachments", new JsonArray().add(MailTesting.gold(10)));
  }

  /** Waits until an {@code online} send's walk finished (the operators' list shows its {@code sentAt}). */
  public static void awaitSent(RavenNode node, long id) {
    Poll.until("the walk of global mail " + id + " finished", 60_000, () -> {
      MailTesting.Reply r = MailTesting.http(node, "GET", "/admin/global-mail?limit=100", TestTokens.admin(), null,
          Map.of());
      return r.body().getJsonArray("mails").stream().map(o -> (JsonObject) o)
          .anyMatch(m -> m.getLong("globalMailId") == id && m.getValue("sentAt") != null);
    });
  }

  /** POST /admin/mail with a global target; must answer 201 {globalMailId}. */
  public static long send(RavenNode node, JsonObject body) {
    MailTesting.Reply r = MailTesting.http(node, "POST", "/admin/mail", TestTokens.admin(), body, Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
    return r.body().getLong("globalMailId");
  }

  public static void runJob(RavenNode node, String job) {
    Await.result(node.context().vertx().eventBus().request(NodeAddresses.SCHEDULER_RUN.address(), new JsonObject().put("job", job)),
        60_000);
  }

  /**
   * Runs a job with a short timeout; false when no answer came (right after a crash the request
   * may still be routed to the dead node's registration until the cluster notices).
   */
  public static boolean tryRunJob(RavenNode node, String job) {
    Future<?> f = node.context().vertx().eventBus().request(NodeAddresses.SCHEDULER_RUN.address(), new JsonObject().put("job", job),
        new DeliveryOptions().setSendTimeout(2000));
    Await.result(f.recover(t -> Future.succeededFuture()), 10_000);
    return f.succeeded();
  }

  /** A player token whose claims match a seeded row (creation time in epoch seconds). */
  public static String token(long uid, long createdAtSeconds) {
    return TestTokens.mint(new JsonObject().put("sub", Long.toString(uid)).put("role", "player")
        .put("created_at", createdAtSeconds));
  }

  /** Logs a player in over WebSocket on {@code node}; answers the client (the caller closes it). */
  public static TestClient login(RavenNode node, String token) {
    TestClient c = TestClient.ws(node.wsPort());
    c.loginSync(token);
    return c;
  }

  public static Future<TestClient> loginAsync(RavenNode node, String token) {
    return TestClient.connect(node.wsPort(), TestClient.Mode.WS_JSON)
        .compose(c -> c.login(token).map(r -> c));
  }

  /** A short pause inside a bounded polling loop. */
  public static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
