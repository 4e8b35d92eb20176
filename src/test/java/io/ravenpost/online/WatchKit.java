package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the watch tests share: the held-watch gauge, outcome counters, bus calls, heap readings. */
final class WatchKit {
  private WatchKit() {
  }

  /** Node overrides giving a test node just these roles. */
  static JsonObject roles(String... roles) {
    return new JsonObject().put("node", new JsonObject().put("roles", new JsonArray(List.of((Object[]) roles))));
  }

  static double held(RavenNode node, String kind) {
    Gauge g = node.context().metrics().find("raven_watch_held").tag("kind", kind).gauge();
    return g == null ? 0 : g.value();
  }

  static double outcomes(RavenNode node, String kind, String outcome) {
    Counter c = node.context().metrics().find("raven_watch_total").tag("kind", kind).tag("outcome", outcome)
        .counter();
    return c == null ? 0 : c.count();
  }

  /** Counters are bumped just after the watch leaves the gauge, so this waits for them too. */
  static void countedOnce(RavenNode node, String kind, String outcome, double before) {
    Poll.until(kind + " watches ended " + outcome, 2000, () -> outcomes(node, kind, outcome) >= before + 1);
    assertThat(outcomes(node, kind, outcome)).isEqualTo(before + 1);
  }

  /** For asserting that nothing happens within a window; never to wait for something to happen. */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Future<JsonObject> request(RavenNode from, String address, JsonObject body, long timeoutMs) {
    return from.context().vertx().eventBus().<JsonObject>request(address, body,
        new DeliveryOptions().setSendTimeout(timeoutMs)).map(m -> m.body());
  }

  /** The code a failed bus request carries, as the edge would map it. */
  static ErrorCode codeOf(Future<?> f) {
    Throwable t = Await.failure(f);
    if (!(t instanceof ReplyException re)) {
      throw new AssertionError("expected a coded reply failure, got " + t);
    }
    return ErrorCode.fromWire(re.failureCode());
  }

  static JsonObject presence(JsonArray uids, JsonObject known, long waitMs) {
    return new JsonObject().put("uids", uids).put("known", known).put("waitMs", waitMs);
  }

  /** Heap in use after collections, the lowest of a few readings (less noise from background threads). */
  static long usedHeap() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  /**
   * The mail role's side of the watch contract with counts a test sets at will (any count, at
   * once, no MySQL rows): answers {@code mail.unread} on {@code raven.mail.client} from a map and
   * publishes {@code raven.mail.unread.changed} as the mail role does after a change. Runs on a
   * real node; tests using it give no node the {@code mail} role. The real mail path is covered by
   * {@link UnreadWatchMailPathTest}.
   */
  static final class MailStandIn {
    private final RavenNode node;
    private final Map<Long, Long> counts = new ConcurrentHashMap<>();

    private MailStandIn(RavenNode node) {
      this.node = node;
    }

    static MailStandIn on(RavenNode node) {
      MailStandIn m = new MailStandIn(node);
      MessageConsumer<JsonObject> c = node.context().vertx().eventBus().consumer(MailAddresses.CLIENT.address(), msg -> {
        if (!ClientOp.MAIL_UNREAD.wire().equals(msg.headers().get("op"))) {
          msg.fail(ErrorCode.UNKNOWN_OP.wire(), "stand-in answers mail.unread only");
          return;
        }
        long uid = Long.parseLong(msg.headers().get("uid"));
        msg.reply(new JsonObject().put("unread", m.counts.getOrDefault(uid, 0L)));
      });
      Await.result(c.completion());
      return m;
    }

    /** Stores the count and tells the cluster, as storing or reading a mail would. */
    void set(long uid, long unread) {
      counts.put(uid, unread);
      node.context().vertx().eventBus().publish(MailAddresses.UNREAD_CHANGED.address(),
          new JsonObject().put("uid", uid).put("unread", unread));
    }
  }
}
