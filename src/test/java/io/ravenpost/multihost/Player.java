package io.ravenpost.multihost;

import io.ravenpost.api.RavenException;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One game client of the nemesis run, as a real one behaves: logs in on its home host, heartbeats,
 * claims every mail it is told about (push, or the list after a login), and when kicked or cut off
 * connects again (home first, else the next host) and logs in with quick retries. A twin shares
 * its uid with a client on another host and logs in again some seconds after each kick, so the
 * two kick each other now and then. A patient client waits long for a heartbeat (it can see a
 * frozen node answer after it resumes) and heartbeats on a fixed beat; an impatient one gives up
 * after 3 s and moves host.
 * Everything it sees goes to the {@link History}.
 */
final class Player {
  private static final long HEARTBEAT_MS = 700;
  private static final long CONNECT_TIMEOUT_MS = 2000;
  private static final long LOGIN_TIMEOUT_MS = 8000;
  private static final long CALL_TIMEOUT_MS = 10_000;
  private static final long RETRY_MS = 100;

  final String name;
  final long uid;
  final int home;
  final boolean twin;
  private final boolean patient;
  private final TestClient.Mode mode;
  private final String[] hosts;
  private final History history;
  private final Random random;
  private final Vertx vertx = TestClient.vertx();
  private boolean running;
  private int gen;
  private TestClient conn;
  private String label;
  private int host = -1;
  private boolean online;
  private String kickReason;
  private boolean goingHome;
  private long sequenceStart;
  private int attempts;

  Player(String name, long uid, int home, boolean twin, boolean patient, TestClient.Mode mode, String[] hosts,
         History history, long seed) {
    this.name = name;
    this.uid = uid;
    this.home = home;
    this.twin = twin;
    this.patient = patient;
    this.mode = mode;
    this.hosts = hosts;
    this.history = history;
    this.random = new Random(seed);
  }

  synchronized void start() {
    running = true;
    sequenceStart = System.currentTimeMillis();
    connect(home);
  }

  /** Logged in on a connection that is still open. */
  synchronized boolean online() {
    return online;
  }

  synchronized int host() {
    return online ? host : -1;
  }

  /** Moves to the home host if logged in elsewhere (a fault step sets its scene); no-op otherwise. */
  synchronized void goHome() {
    if (running && online && host != home && conn != null) {
      goingHome = true;
      conn.close();
    }
  }

  synchronized void stop() {
    running = false;
    gen++;
    if (conn != null) {
      conn.close();
    }
  }

  private void connect(int target) {
    int g = ++gen;
    host = target;
    online = false;
    kickReason = null;
    attempts++;
    int port = mode == TestClient.Mode.TCP ? BedNode.TCP_PORT : BedNode.WS_PORT;
    Future<TestClient> f = TestClient.connect(hosts[target], port, mode);
    f.timeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> connected(g, target, f, ar.cause()));
  }

  private synchronized void connected(int g, int target, Future<TestClient> f, Throwable failure) {
    if (g != gen || !running || failure != null) {
      // A connection that completes after its timeout, or for a superseded attempt, is dropped.
      f.onSuccess(TestClient::close);
      if (g == gen && running) {
        history.add("connect.fail", name, uid, target, new JsonObject().put("error", String.valueOf(failure)));
        retry(next(target), RETRY_MS);
      }
      return;
    }
    TestClient c = f.result();
    conn = c;
    label = name + "#" + g;
    String myLabel = label;
    c.onPush(p -> pushed(g, c, myLabel, p));
    c.closedFuture().onComplete(v -> closed(g, myLabel, target));
    long sentAt = System.currentTimeMillis();
    history.add("login.sent", myLabel, uid, target, null);
    c.login(TestTokens.player(uid)).timeout(LOGIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> loggedIn(g, c, myLabel, target, sentAt, ar.result(), ar.cause()));
  }

  private synchronized void loggedIn(int g, TestClient c, String myLabel, int target, long sentAt, JsonObject body,
                                     Throwable failure) {
    if (g != gen || !running) {
      return;
    }
    if (failure != null) {
      String code = code(failure);
      history.add("login.fail", myLabel, uid, target, new JsonObject().put("code", code).put("sentAt", sentAt));
      gen++;
      c.close();
      // A conflict or an outage is worth retrying here at once; a dead or silent node is not.
      boolean sameHost = code.equals("LOGIN_CONFLICT") || code.equals("UNAVAILABLE");
      retry(sameHost && attempts % 5 != 0 ? target : next(target), RETRY_MS);
      return;
    }
    online = true;
    long now = System.currentTimeMillis();
    history.add("login.ok", myLabel, uid, target, new JsonObject().put("session", body.getString("sessionId"))
        .put("serverTime", body.getLong("serverTime")).put("sentAt", sentAt)
        .put("wait", now - sequenceStart).put("attempts", attempts));
    attempts = 0;
    heartbeat(g, c, myLabel, target);
    c.call("mail.list", new JsonObject().put("limit", 100)).timeout(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(list -> {
          JsonArray mails = list.getJsonArray("mails", new JsonArray());
          for (int i = 0; i < mails.size(); i++) {
            JsonObject m = mails.getJsonObject(i);
            if (m.getBoolean("hasAttachments", false) && !m.getBoolean("claimed", false)) {
              claim(c, myLabel, target, m.getLong("mailId"), "list");
            }
          }
        });
  }

  /**
   * An impatient client heartbeats after each reply; a patient one on a fixed beat whether or not
   * the last was answered, as a game loop does: a frozen node then finds a backlog of requests in
   * its socket when it resumes, which it must not answer once its lease may have gone.
   */
  private void heartbeat(int g, TestClient c, String myLabel, int target) {
    long sentAt = System.currentTimeMillis();
    if (patient) {
      nextHeartbeat(g, c, myLabel, target, HEARTBEAT_MS);
    }
    c.call("heartbeat", new JsonObject()).timeout(patient ? 25_000 : 3_000, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          synchronized (this) {
            if (ar.succeeded()) {
              history.add("hb.ok", myLabel, uid, target, new JsonObject()
                  .put("serverTime", ar.result().getLong("serverTime")).put("sentAt", sentAt));
            } else if (ar.cause() instanceof TimeoutException && g == gen && running) {
              history.add("hb.timeout", myLabel, uid, target, new JsonObject().put("sentAt", sentAt));
              // Silent node: give up on it and go elsewhere, as a game client would.
              c.close();
              return;
            } else if (ar.failed()) {
              history.add("hb.fail", myLabel, uid, target, new JsonObject().put("sentAt", sentAt)
                  .put("code", code(ar.cause())));
            }
            if (!patient) {
              nextHeartbeat(g, c, myLabel, target, Math.max(1, HEARTBEAT_MS - (System.currentTimeMillis() - sentAt)));
            }
          }
        });
  }

  private void nextHeartbeat(int g, TestClient c, String myLabel, int target, long delayMs) {
    vertx.setTimer(delayMs, t -> {
      synchronized (this) {
        if (g == gen && running && online) {
          heartbeat(g, c, myLabel, target);
        }
      }
    });
  }

  private void pushed(int g, TestClient c, String myLabel, JsonObject p) {
    String op = p.getString("op");
    JsonObject body = p.getJsonObject("body", new JsonObject());
    synchronized (this) {
      if ("mail.new".equals(op)) {
        JsonObject mail = body.getJsonObject("mail", new JsonObject());
        history.add("push.mail", myLabel, uid, -1, new JsonObject().put("mailId", mail.getLong("mailId"))
            .put("title", mail.getString("title")));
        if (mail.getBoolean("hasAttachments", false) && running) {
          claim(c, myLabel, -1, mail.getLong("mailId"), "push");
        }
      } else {
        history.add("push." + op, myLabel, uid, -1, body);
        if ("session.kicked".equals(op) && g == gen) {
          kickReason = body.getString("reason");
        }
      }
    }
  }

  private void claim(TestClient c, String myLabel, int target, long mailId, String why) {
    c.call("mail.claim", new JsonObject().put("mailId", mailId)).timeout(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          JsonObject d = new JsonObject().put("mailId", mailId).put("why", why);
          if (ar.succeeded()) {
            history.add("claim.ok", myLabel, uid, target,
                d.put("attachments", ar.result().getJsonArray("attachments")));
          } else {
            history.add("claim.fail", myLabel, uid, target, d.put("code", code(ar.cause())));
          }
        });
  }

  private synchronized void closed(int g, String myLabel, int target) {
    history.add("closed", myLabel, uid, target, new JsonObject().put("kicked", g == gen ? kickReason : null));
    if (g != gen || !running) {
      return;
    }
    online = false;
    gen++;
    if ("LOGIN_ELSEWHERE".equals(kickReason) && twin) {
      // The pause is the twin's choice, not waiting on the server: its login wait starts after it.
      int g2 = gen;
      vertx.setTimer(2000 + random.nextInt(3000), t -> {
        synchronized (this) {
          if (g2 == gen && running) {
            sequenceStart = System.currentTimeMillis();
            connect(home);
          }
        }
      });
      return;
    }
    sequenceStart = System.currentTimeMillis();
    retry(kickReason != null || goingHome ? home : next(host), RETRY_MS);
    goingHome = false;
  }

  private void retry(int target, long delayMs) {
    int g = gen;
    vertx.setTimer(delayMs, t -> {
      synchronized (this) {
        if (g == gen && running) {
          connect(target);
        }
      }
    });
  }

  private int next(int h) {
    return (h + 1) % hosts.length;
  }

  private static String code(Throwable t) {
    if (t instanceof RavenException re) {
      return re.code().name();
    }
    if (t instanceof TimeoutException) {
      return "TIMEOUT";
    }
    if (t instanceof TestClient.ConnectionClosed) {
      return "CLOSED";
    }
    return t.getClass().getSimpleName();
  }
}
