package io.ravenpost.mail.global;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Players logging in again and again, one after another, each on a node of its own, while a Redis
 * Cluster master fails over: every attempt's time and outcome is kept, so a test can tell which
 * logins went through during the failover and how long those of the dead master's slots were refused.
 */
final class FailoverProbe implements AutoCloseable {
  /** How long one login may take before it counts as failed (a hung command, not an answer). */
  private static final long LOGIN_MS = 5_000;

  /** One login: when it was sent and answered, and its error code (null when it succeeded). */
  record Attempt(long uid, long sentAt, long answeredAt, String code) {
    boolean ok() {
      return code == null;
    }
  }

  private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ExecutorService threads;
  private final List<CompletableFuture<Void>> loops = new ArrayList<>();

  /** Starts one login loop per player, on node {@code nodes.get(i % size)} for the {@code i}-th. */
  FailoverProbe(List<RavenNode> nodes, List<Long> uids, long createdAt) {
    threads = Executors.newFixedThreadPool(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      long uid = uids.get(i);
      RavenNode node = nodes.get(i % nodes.size());
      loops.add(CompletableFuture.runAsync(() -> loop(node, uid, GlobalTesting.token(uid, createdAt)), threads));
    }
  }

  private void loop(RavenNode node, long uid, String token) {
    while (!stop.get()) {
      long sentAt = System.currentTimeMillis();
      Future<JsonObject> login = TestClient.connect(node.wsPort(), TestClient.Mode.WS_JSON)
          .compose(c -> c.login(token).eventually(c::close));
      Await.result(login.recover(t -> Future.succeededFuture()), LOGIN_MS + 1_000);
      String code = !login.isComplete() ? "NO_ANSWER" : login.succeeded() ? null
          : login.cause() instanceof RavenException re ? re.code().name() : login.cause().toString();
      attempts.add(new Attempt(uid, sentAt, System.currentTimeMillis(), code));
      // Pacing, so that a refused login does not spin: the loop measures, it waits on nothing.
      GlobalTesting.pause(50);
    }
  }

  /** Every attempt for {@code uid} sent at or after {@code from}. */
  List<Attempt> of(long uid, long from) {
    synchronized (attempts) {
      return attempts.stream().filter(a -> a.uid() == uid && a.sentAt() >= from).toList();
    }
  }

  /** True once {@code uid} logged in with an attempt sent after {@code at}. */
  boolean succeededAfter(long uid, long at) {
    return of(uid, at).stream().anyMatch(Attempt::ok);
  }

  /**
   * How long after {@code from} logins of {@code uid} were refused: until the answer to the last
   * refused one (0 when none was). Every refusal must be {@code UNAVAILABLE}, the retry-later code.
   */
  long refusedFor(long uid, long from) {
    List<Attempt> mine = of(uid, from);
    assertThat(mine.stream().filter(a -> !a.ok()).map(Attempt::code).distinct().toList())
        .as("why logins of %d were refused", uid).allMatch(c -> c.equals(ErrorCode.UNAVAILABLE.name()));
    return mine.stream().filter(a -> !a.ok()).mapToLong(a -> a.answeredAt() - from).max().orElse(0);
  }

  @Override
  public void close() {
    stop.set(true);
    loops.forEach(l -> l.orTimeout(LOGIN_MS * 2, TimeUnit.MILLISECONDS).exceptionally(t -> null).join());
    threads.shutdownNow();
  }
}
