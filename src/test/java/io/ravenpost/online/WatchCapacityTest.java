package io.ravenpost.online;

import static io.ravenpost.online.WatchKit.held;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.watch.WatchAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Held-watch hygiene at scale: a node bounded at 10,000 watches (and 100,000 watched uids) holds
 * that many for little heap, refuses one more, answers them all on one change, and answers what
 * it holds on a graceful stop.
 * Node 0 sends (and stands in for the mail side); node 1 has only the online role and holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchCapacityTest {
  static final int N = 10_000;
  static TestCluster cluster;
  static RavenNode sender;
  static RavenNode holder;
  static WatchKit.MailStandIn mail;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(0, new JsonObject().put("watch", new JsonObject()
        .put("maxHeldPerNode", N).put("maxHeldUidsPerNode", 100_000).put("maxWaitMs", 60_000)));
    sender = cluster.addNode(WatchKit.roles("gate", "admin"));
    holder = cluster.addNode(WatchKit.roles("online"));
    mail = WatchKit.MailStandIn.on(sender);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static JsonObject watch(long uid, String watcher) {
    return new JsonObject().put("uid", uid).put("known", 0).put("watcher", watcher).put("waitMs", 60_000);
  }

  private static Future<JsonObject> send(String address, JsonObject body, long timeoutMs) {
    return WatchKit.request(sender, address, body, timeoutMs);
  }

  @Test
  @Order(1)
  void tenThousandHeldWatchesCostLittleHeapAndAreAllAnsweredByOneChange() {
    long warmUp = TestEnv.randomUid();
    hold(WatchAddresses.UNREAD.address(), "unread", N, i -> watch(warmUp, "w" + i));
    mail.set(warmUp, 1);
    Poll.until("the warm-up round answered", 20_000, () -> held(holder, "unread") == 0);
    long uid = TestEnv.randomUid();
    long callers = callerSideHeap(N, i -> watch(uid, "w" + i));

    List<Future<JsonObject>> watches = hold(WatchAddresses.UNREAD.address(), "unread", N, i -> watch(uid, "w" + i));
    long withWatches = WatchKit.usedHeap();
    assertThat(WatchKit.codeOf(send(WatchAddresses.UNREAD.address(), watch(uid, "one-too-many"), 5000)))
        .isEqualTo(ErrorCode.UNAVAILABLE);
    Future<JsonObject> replacement = send(WatchAddresses.UNREAD.address(), watch(uid, "w0"), 70_000);
    assertThat(Await.result(watches.get(0)).getLong("unread")).as("a replacement is taken when full").isZero();
    watches.set(0, replacement);
    Poll.until("the replacement held", 5000, () -> held(holder, "unread") == N);

    long t0 = System.currentTimeMillis();
    mail.set(uid, 1);
    Await.result(Future.all(watches), 20_000);
    System.out.printf("%d held watches answered %d ms after one change%n", N, System.currentTimeMillis() - t0);
    assertThat(watches).allSatisfy(w -> assertThat(w.result().getLong("unread")).isEqualTo(1));
    Poll.until("no watch held", 5000, () -> held(holder, "unread") == 0);
    watches.clear();
    long perWatch = report("unread", N, withWatches - WatchKit.usedHeap(), callers);
    assertThat(perWatch).as("heap per held unread watch on the holding node").isLessThan(4096);
  }

  @Test
  @Order(2)
  void presenceWatchesAreBoundedByTheUidsTheyWatch() {
    int n = 500;
    JsonArray uids = new JsonArray();
    JsonObject known = new JsonObject();
    for (int i = 0; i < 200; i++) {
      long u = TestEnv.randomUid();
      uids.add(u);
      known.put(Long.toString(u), false);
    }
    IntFunction<JsonObject> body = i -> WatchKit.presence(uids, known, 60_000).put("watcher", "p" + i);
    List<Future<JsonObject>> watches = hold(WatchAddresses.PRESENCE.address(), "presence", n, body);
    assertThat(WatchKit.codeOf(send(WatchAddresses.PRESENCE.address(), body.apply(n), 5000)))
        .as("500 watches of 200 uids fill watch.maxHeldUidsPerNode").isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(WatchKit.codeOf(send(WatchAddresses.UNREAD.address(), watch(TestEnv.randomUid(), null), 5000)))
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(held(holder, "unread")).isZero();
    hold(WatchAddresses.PRESENCE.address(), "presence", n, i -> body.apply(i).put("waitMs", 1));
    assertThat(Await.result(Future.all(watches), 10_000).<JsonObject>list())
        .allSatisfy(w -> assertThat(w.getJsonObject("online")).as("replaced: nothing changed").isEmpty());
    Poll.until("no presence watch held", 5000, () -> held(holder, "presence") == 0);
  }

  /** Sends n watches from node 0 and waits until node 1 holds them (or has taken them all, for short waits). */
  private static List<Future<JsonObject>> hold(String address, String kind, int n, IntFunction<JsonObject> body) {
    List<Future<JsonObject>> watches = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      watches.add(send(address, body.apply(i), 70_000));
    }
    Poll.until(n + " " + kind + " watches taken", 20_000, () -> held(holder, kind) == n
        || watches.stream().allMatch(Future::isComplete));
    return watches;
  }

  /**
   * Prints what n held watches kept on the heap: the heap with them held less the heap once they
   * are answered (so one-off growth, such as buffer pools, is not counted), less what the same
   * requests cost the callers alone.
   */
  private static long report(String kind, int n, long total, long callers) {
    long perWatch = (total - callers) / n;
    System.out.printf("heap for %d held %s watches: %d bytes in all (%d per watch), of which the callers' "
        + "pending requests %d (%d per watch); held on the node: %d bytes per watch%n",
        n, kind, total, total / n, callers, callers / n, perWatch);
    return perWatch;
  }

  /** What n requests cost while pending on the caller's side alone: received, never answered, timed out. */
  private static long callerSideHeap(int n, IntFunction<JsonObject> body) {
    AtomicInteger received = new AtomicInteger();
    MessageConsumer<JsonObject> sink = holder.context().vertx().eventBus()
        .consumer("test.watch.sink", m -> received.incrementAndGet());
    Await.result(sink.completion());
    List<Future<JsonObject>> pending = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pending.add(send("test.watch.sink", body.apply(i), 3000));
    }
    Poll.until("the sink received every request", 20_000, () -> received.get() == n);
    long whilePending = WatchKit.usedHeap();
    Poll.until("every pending request timed out", 20_000, () -> pending.stream().allMatch(Future::isComplete));
    pending.clear();
    Await.result(sink.unregister());
    return whilePending - WatchKit.usedHeap();
  }

  @Test
  @Order(3)
  void aGracefulStopAnswersEveryHeldWatchUnavailable() {
    long uid = TestEnv.randomUid();
    long friend = TestEnv.randomUid();
    Future<JsonObject> unread = send(WatchAddresses.UNREAD.address(), watch(uid, "s"), 70_000);
    Future<JsonObject> presence = send(WatchAddresses.PRESENCE.address(), WatchKit.presence(
        new JsonArray().add(friend), new JsonObject().put(Long.toString(friend), false), 60_000), 70_000);
    Poll.until("both watches held", 5000, () -> held(holder, "unread") == 1 && held(holder, "presence") == 1);
    cluster.stop(1);
    assertThat(WatchKit.codeOf(unread)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(WatchKit.codeOf(presence)).isEqualTo(ErrorCode.UNAVAILABLE);
  }
}
