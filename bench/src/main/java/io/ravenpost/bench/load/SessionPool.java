package io.ravenpost.bench.load;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Many authenticated sessions held open on one node: opened with a bounded number of logins in
 * flight, kept alive with a heartbeat every 25 s (the protocol asks for one at least every 30 s),
 * closed together.
 */
public final class SessionPool implements AutoCloseable {
  private static final int IN_FLIGHT = 200;
  private static final long HEARTBEAT_EVERY_MS = 25_000;
  private static final long HEARTBEAT_SWEEP_MS = 5_000;
  private static final long OPEN_TIMEOUT_PER_SESSION_MS = 50;

  private final BenchRun run;
  private final AtomicReferenceArray<BenchClient> clients;
  public final LongAdder failed = new LongAdder();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final long heartbeatTimer;
  private final BenchClient.Transport transport;
  private double openSeconds;

  private SessionPool(BenchRun run, int n, BenchClient.Transport transport) {
    this.run = run;
    this.transport = transport;
    this.clients = new AtomicReferenceArray<>(n);
    this.heartbeatTimer = run.vertx().setPeriodic(HEARTBEAT_SWEEP_MS, id -> heartbeat());
  }

  /**
   * Opens {@code n} sessions of fresh uids on {@code port}; {@code onPush} receives pushes with
   * the index of the session. Failures are counted, not retried.
   */
  public static SessionPool open(BenchRun run, String label, int port, int n, Consumer<Indexed> onPush) {
    return open(run, label, port, BenchClient.Transport.WS, n, onPush);
  }

  /** The same over {@code transport}, {@code port} being the node's port for it. */
  public static SessionPool open(BenchRun run, String label, int port, BenchClient.Transport transport, int n,
                                 Consumer<Indexed> onPush) {
    long base = run.uids(n);
    String[] tokens = new String[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = run.playerToken(base + i);
    }
    return open(run, label, port, transport, tokens, onPush);
  }

  /**
   * Opens one connection per entry of {@code tokens}, logging in with it; a null token means
   * "connect only" (for the bare broadcast server of the push baseline).
   */
  public static SessionPool open(BenchRun run, String label, int port, String[] tokens, Consumer<Indexed> onPush) {
    return open(run, label, port, BenchClient.Transport.WS, tokens, onPush);
  }

  private static SessionPool open(BenchRun run, String label, int port, BenchClient.Transport transport,
                                  String[] tokens, Consumer<Indexed> onPush) {
    int n = tokens.length;
    SessionPool pool = new SessionPool(run, n, transport);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    try (Progress p = Progress.start(label, () -> String.format("%,d of %,d sessions open, %,d failed",
        opened.get(), n, pool.failed.sum()))) {
      for (int w = 0; w < Math.min(IN_FLIGHT, n); w++) {
        Promise<Void> done = Promise.promise();
        pool.openNext(port, tokens, next, opened, onPush, done);
        workers.add(done.future());
      }
      Sync.await(Future.join(workers), 60_000 + n * OPEN_TIMEOUT_PER_SESSION_MS);
    }
    pool.openSeconds = (System.nanoTime() - t0) / 1e9;
    Progress.say(String.format("%s: %,d sessions open in %.1f s, %,d failed", label, opened.get(),
        pool.openSeconds, pool.failed.sum()));
    return pool;
  }

  /** A push with the index of the session that received it. */
  public record Indexed(int index, BenchClient.Push push) {
  }

  private void openNext(int port, String[] tokens, AtomicInteger next, AtomicInteger opened,
                        Consumer<Indexed> onPush, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= tokens.length) {
      done.tryComplete();
      return;
    }
    run.load().connect(i, port, transport)
        .compose(c -> {
          c.onPush(p -> onPush.accept(new Indexed(i, p)));
          if (tokens[i] == null) {
            return Future.succeededFuture(c);
          }
          return c.login(tokens[i]).map(b -> c).recover(t -> c.close().transform(v -> Future.failedFuture(t)));
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            clients.set(i, ar.result());
            opened.incrementAndGet();
          } else {
            failed.increment();
            errors.computeIfAbsent(BenchClient.codeOf(ar.cause()), k -> new LongAdder()).increment();
          }
          openNext(port, tokens, next, opened, onPush, done);
        });
  }

  private void heartbeat() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < clients.length(); i++) {
      BenchClient c = clients.get(i);
      if (c != null && c.uid != 0 && !c.isClosed() && now - c.lastSentMs > HEARTBEAT_EVERY_MS) {
        c.request("heartbeat", new JsonObject());
      }
    }
  }

  public int size() {
    return clients.length();
  }

  public BenchClient get(int i) {
    return clients.get(i);
  }

  public int open() {
    int n = 0;
    for (int i = 0; i < clients.length(); i++) {
      BenchClient c = clients.get(i);
      n += c != null && !c.isClosed() ? 1 : 0;
    }
    return n;
  }

  public double openSeconds() {
    return openSeconds;
  }

  /** Closes every session, a bounded number at a time. */
  @Override
  public void close() {
    run.vertx().cancelTimer(heartbeatTimer);
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(IN_FLIGHT, clients.length()); w++) {
      Promise<Void> done = Promise.promise();
      closeNext(next, done);
      workers.add(done.future());
    }
    try {
      Sync.await(Future.join(workers), 60_000 + clients.length() * OPEN_TIMEOUT_PER_SESSION_MS);
    } catch (RuntimeException e) {
      Progress.say("closing sessions: " + e.getMessage());
    }
  }

  private void closeNext(AtomicInteger next, Promise<Void> done) {
    BenchClient c = null;
    while (c == null) {
      int i = next.getAndIncrement();
      if (i >= clients.length()) {
        done.tryComplete();
        return;
      }
      c = clients.getAndSet(i, null);
    }
    c.close().onComplete(ar -> closeNext(next, done));
  }
}
