package io.ravenpost.bench.load;

import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.CpuMeter;
import io.ravenpost.bench.node.ThreadCpu;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * C clients, each in a closed loop for a fixed time: connect, {@code auth.login}, wait for the
 * reply (uid claimed in the registry, unread counted), close, again. Client {@code i} logs in as
 * its own few uids in turn, on node {@code i % nodes}.
 */
public final class LoginLoop {
  private static final long RETRY_PAUSE_MS = 50;
  private static final long MAX_LOGINS_PER_SECOND = 50_000;

  private final LoadGen load;
  private final int[] ports;
  private final String[] tokens;
  private final int clients;
  private final int uidsPerClient;
  public final Latency latency = new Latency();
  public final LongAdder logins = new LongAdder();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  /** CPU per process during the phase, see {@link CpuMeter}. */
  public JsonObject cpu = new JsonObject();
  private long startNanos;
  private long endNanos;

  public LoginLoop(LoadGen load, List<BenchNode> nodes, String[] tokens, int clients) {
    this.load = load;
    this.ports = nodes.stream().mapToInt(BenchNode::wsPort).toArray();
    this.tokens = tokens;
    this.clients = clients;
    this.uidsPerClient = tokens.length / clients;
  }

  /** Runs for {@code seconds}; returns once every client has finished its last login. */
  public LoginLoop run(double seconds, String label, CpuMeter cpuMeter) {
    long maxIterations = (long) (seconds * MAX_LOGINS_PER_SECOND / clients) + 10;
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    startNanos = System.nanoTime();
    cpuMeter.begin();
    List<Future<Void>> all = new ArrayList<>();
    try (Progress p = Progress.start(label, this::progressLine)) {
      for (int i = 0; i < clients; i++) {
        int client = i;
        Promise<Void> done = Promise.promise();
        load.on(client, () -> {
          step(client, 0, maxIterations, deadline, done);
          return Future.succeededFuture();
        });
        all.add(done.future());
      }
      Sync.await(Future.join(all), (long) (seconds * 1000) + 2 * BenchClient.REQUEST_TIMEOUT_MS + 10_000);
    } finally {
      stop.set(true);
      endNanos = System.nanoTime();
      cpu = cpuMeter.end(logins.sum());
    }
    return this;
  }

  private void step(int i, long iteration, long max, long deadline, Promise<Void> done) {
    if (stop.get() || iteration >= max || System.nanoTime() >= deadline) {
      done.tryComplete();
      return;
    }
    String token = tokens[i * uidsPerClient + (int) (iteration % uidsPerClient)];
    long t0 = System.nanoTime();
    load.connect(i, ports[i % ports.length])
        .compose(c -> c.login(token)
            .onSuccess(b -> {
              latency.recordNanos(System.nanoTime() - t0);
              logins.increment();
            })
            .transform(ar -> {
              if (ar.failed()) {
                error(ar.cause());
              }
              return c.close();
            }))
        .onComplete(ar -> {
          if (ar.failed()) {
            error(ar.cause());
            load.later(i, RETRY_PAUSE_MS, () -> step(i, iteration + 1, max, deadline, done));
          } else {
            step(i, iteration + 1, max, deadline, done);
          }
        });
  }

  private void error(Throwable t) {
    errors.computeIfAbsent(BenchClient.codeOf(t), k -> new LongAdder()).increment();
  }

  public double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  public double perSecond() {
    return logins.sum() / seconds();
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public JsonObject errorsJson() {
    JsonObject o = new JsonObject();
    new TreeMap<>(errors).forEach((k, v) -> o.put(k, v.sum()));
    return o;
  }

  private String progressLine() {
    double s = (System.nanoTime() - startNanos) / 1e9;
    return String.format("%,d logins, %,.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d", logins.sum(),
        logins.sum() / s, latency.ms(50), latency.ms(99), errorCount());
  }
  private static final int WARM_ROUNDS = 12;
  private static final double JIT_QUIET = 0.1;

  /**
   * Closed-loop logins in rounds of {@code roundS} seconds until the JIT compilers took less than
   * a tenth of every server's CPU in a round (at most twelve rounds; one when shorter than a second): a fresh JVM compiles for
   * tens of seconds under load, and a server still compiling measures its compiler, not its work.
   */
  public static void warmUp(LoadGen load, List<BenchNode> servers, String[] tokens, int clients, double roundS,
                            String label) {
    // A smoke run's sub-second round checks that it runs, not what it measures: one round.
    int rounds = roundS < 1 ? 1 : WARM_ROUNDS;
    for (int round = 1; round <= rounds; round++) {
      List<Map<String, Long>> before = servers.stream().map(n -> ThreadCpu.of(n.pid())).toList();
      new LoginLoop(load, servers, tokens, clients).run(roundS, label + " warm-up " + round, CpuMeter.of(servers));
      long all = 0;
      long jit = 0;
      for (int i = 0; i < servers.size(); i++) {
        Map<String, Long> used = ThreadCpu.delta(before.get(i), ThreadCpu.of(servers.get(i).pid()));
        all += used.values().stream().mapToLong(Long::longValue).sum();
        jit += used.getOrDefault(ThreadCpu.JIT, 0L);
      }
      if (all == 0 || jit < JIT_QUIET * all) {
        Progress.say(String.format("%s: warm after %d round(s) (JIT %d of %d ms in the last)", label, round, jit, all));
        return;
      }
    }
    Progress.say(label + ": the JIT still compiles after " + rounds + " warm-up round(s)");
  }
}
