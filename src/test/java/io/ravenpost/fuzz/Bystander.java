package io.ravenpost.fuzz;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A logged-in player on the fuzzed node who heartbeats every 100 ms and expects each answer within
 * 2 s: what every other player on the node would notice if fuzzing hurt it.
 */
final class Bystander implements AutoCloseable {
  private static final long EVERY_MS = 100;
  private static final long ANSWER_WITHIN_MS = 2000;

  private final TestClient client;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private final Thread loop;
  private volatile boolean running = true;

  Bystander(int wsPort) {
    client = TestClient.ws(wsPort);
    client.loginSync(TestTokens.player(TestEnv.randomUid()));
    loop = new Thread(this::run, "fuzz-bystander");
    loop.setDaemon(true);
    loop.start();
  }

  private void run() {
    while (running) {
      long start = System.currentTimeMillis();
      try {
        JsonObject hb = Await.result(client.call("heartbeat", new JsonObject()), ANSWER_WITHIN_MS);
        if (hb.getLong("serverTime") == null) {
          firstProblem.compareAndSet(null, "heartbeat answer without serverTime: " + hb.encode());
        }
        answered.incrementAndGet();
      } catch (RuntimeException | AssertionError e) {
        firstProblem.compareAndSet(null, "heartbeat failed after " + answered.get() + " answers: " + e);
      }
      long left = EVERY_MS - (System.currentTimeMillis() - start);
      if (left > 0) {
        try {
          Thread.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  int answered() {
    return answered.get();
  }

  /** Null while every heartbeat was answered in time. */
  String problem() {
    return firstProblem.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.join(5000);
    client.close();
  }
}
