package io.ravenpost.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Helpers shared by the mail tests: HTTP calls, gate-like event-bus calls, a grant consumer, polling. */
public final class MailTesting {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private MailTesting() {
  }

  public record Reply(int status, JsonObject body) {
    public String code() {
      return body.getJsonObject("error").getString("code");
    }
  }

  public static Reply http(RavenNode node, String method, String path, String token, JsonObject body,
                    Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body()));
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** GET a text resource (e.g. /metrics). */
  public static String text(RavenNode node, String path) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path)).GET().build();
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  public static JsonObject users(long... uids) {
    JsonArray a = new JsonArray();
    for (long u : uids) {
      a.add(u);
    }
    return new JsonObject().put("type", "users").put("uids", a);
  }

  public static JsonObject mail(JsonObject target, String title) {
    return new JsonObject().put("target", target).put("title", title).put("body", "body of " + title);
  }

  public static JsonObject gold(long amount) {
    return new JsonObject().put("type", "currency").put("id", "gold").put("amount", amount);
  }

  /** POST /admin/mail; must answer 201. Returns the mail ids. */
  public static List<Long> adminSend(RavenNode node, JsonObject body) {
    Reply r = http(node, "POST", "/admin/mail", TestTokens.admin(), body, Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
    return r.body().getJsonArray("mailIds").stream().map(o -> ((Number) o).longValue()).toList();
  }

  public static long sendOne(RavenNode node, long uid, String title, JsonObject... attachments) {
    JsonObject body = mail(users(uid), title);
    if (attachments.length > 0) {
      body.put("attachments", new JsonArray(List.of((Object[]) attachments)));
    }
    return adminSend(node, body).get(0);
  }

  /** A mail op as the gate forwards it, from any node: the reply body, or a RavenException with the code. */
  public static Future<JsonObject> op(RavenNode node, long uid, String op, JsonObject body) {
    DeliveryOptions opts = new DeliveryOptions().addHeader("op", op).addHeader("uid", Long.toString(uid))
        .addHeader("sessionId", "test").addHeader("node", node.nodeId()).setSendTimeout(20_000);
    return node.context().vertx().eventBus().<JsonObject>request(MailAddresses.CLIENT.address(), body, opts)
        .map(m -> m.body())
        .recover(t -> Future.failedFuture(t instanceof ReplyException re
            ? new RavenException(ErrorCode.fromWire(re.failureCode()), re.getMessage()) : t));
  }

  public static JsonObject opSync(RavenNode node, long uid, String op, JsonObject body) {
    return Await.result(op(node, uid, op, body));
  }

  public static ErrorCode opError(RavenNode node, long uid, String op, JsonObject body) {
    Throwable t = Await.failure(op(node, uid, op, body));
    assertThat(t).isInstanceOf(RavenException.class);
    return ((RavenException) t).code();
  }

  /** The error code of a mail op, or null when it succeeded. */
  public static ErrorCode outcome(RavenNode node, long uid, String op, JsonObject body) {
    Future<JsonObject> f = op(node, uid, op, body);
    Await.result(f.recover(t -> Future.succeededFuture()));
    return f.succeeded() ? null : ((RavenException) f.cause()).code();
  }

  public static JsonObject id(long mailId) {
    return new JsonObject().put("mailId", mailId);
  }

  /** A connection pool of the test's own to a test database, to look at rows directly. */
  public static Pool pool(String uri) {
    return MySQLBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(MySQLConnectOptions.fromUri(uri)).using(TestClient.vertx()).build();
  }

  /** The outbox row of a mail: {@code {attempts, delivered}}, or null when there is none. */
  public static JsonObject outboxRow(Pool pool, long uid, long mailId) {
    String sql = "SELECT attempts, delivered_at FROM mail_outbox WHERE uid = ? AND mail_id = ?";
    return Await.result(pool.preparedQuery(sql).execute(Tuple.of(uid, mailId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new JsonObject().put("attempts", r.getInteger(0)).put("delivered", r.getLong(1) != null);
    }));
  }

  /** Runs a scheduler job now on the node's cluster. */
  public static void runJob(RavenNode node, String job) {
    // On this node's own scheduler when it has one: a clustered request may be routed to a node
    // the test has just crashed (its consumer stays known for a few seconds) and never answered.
    var bus = node.context().vertx().eventBus();
    JsonObject ask = new JsonObject().put("job", job);
    Await.result(bus.request(NodeAddresses.SCHEDULER_RUN.address(), ask, new DeliveryOptions().setLocalOnly(true))
        .recover(t -> t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? bus.request(NodeAddresses.SCHEDULER_RUN.address(), ask) : Future.failedFuture(t)));
  }

  /** Waits (bounded polling) until the condition holds. */
  public static void eventually(String what, long timeoutMs, BooleanSupplier condition) {
    long end = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("not within " + timeoutMs + " ms: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A game service consuming raven.reward.grant: acknowledges and records every delivery. */
  public static final class GrantSink implements AutoCloseable {
    final List<JsonObject> received = new CopyOnWriteArrayList<>();
    final Map<String, Integer> byGrantId = new ConcurrentHashMap<>();
    private final MessageConsumer<JsonObject> consumer;

    GrantSink(RavenNode node) {
      consumer = node.context().vertx().eventBus().consumer(MailAddresses.REWARD_GRANT.address(), m -> {
        received.add(m.body());
        byGrantId.merge(m.body().getString("grantId"), 1, Integer::sum);
        m.reply(new JsonObject().put("ok", true));
      });
      Await.result(consumer.completion());
    }

    List<JsonObject> forUid(long uid) {
      return received.stream().filter(g -> g.getLong("uid") == uid).toList();
    }

    @Override
    public void close() {
      Await.result(consumer.unregister());
    }
  }
}
