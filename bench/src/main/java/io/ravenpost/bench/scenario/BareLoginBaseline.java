package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.load.LoginLoop;
import io.ravenpost.bench.node.BareLoginServer;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.ChildNode;
import io.ravenpost.bench.node.CpuMeter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The login scenario's bare-stack baseline: {@link BareLoginServer} in a JVM of its own, on the
 * scenario's database and a Redis prefix of its own, driven by the same {@link LoginLoop} with
 * the same clients, tokens and durations as the 1-node phase.
 */
final class BareLoginBaseline {
  static final String LABEL = "bare login server";

  private BareLoginBaseline() {
  }

  /** The measured closed loop (after a warm-up); its {@code cpu} has the bare server under {@link #LABEL}. */
  static LoginLoop run(BenchRun run, String[] tokens, int clients, double warmup, int seconds) {
    BenchOptions o = run.options();
    int port = ChildNode.freeOffset(1000, 9000) + ChildNode.WS_BASE;
    Path log = o.outDir().resolve("logs").resolve("login-bare-server.log");
    Process server;
    try {
      server = ChildNode.spawn(o.nodeJavaOpts(), BareLoginServer.class.getName(), List.of(Integer.toString(port)),
          Map.of("RAVEN_JWT_SECRET", o.jwtSecret(), "RAVEN_ADMIN_JWT_SECRET", o.adminJwtSecret(),
              "RAVEN_MYSQL_URI", run.store().mysqlUri(), "RAVEN_MYSQL_SHARDS", "",
              "RAVEN_REDIS_URI", o.redisUri(), "RAVEN_REDIS_PREFIX", run.redisPrefix() + "login-bare:"), log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the bare login server: " + e.getMessage(), e);
    }
    try {
      PushScenario.awaitListening(run, port, server);
      List<BenchNode> bare = List.of(node(port, server.pid()));
      LoginLoop.warmUp(run.load(), bare, tokens, clients, warmup, "bare login");
      return new LoginLoop(run.load(), bare, tokens, clients).run(seconds, "bare login", CpuMeter.of(bare));
    } finally {
      server.destroy();
    }
  }

  private static BenchNode node(int port, long pid) {
    return new BenchNode() {
      @Override
      public String label() {
        return LABEL;
      }

      @Override
      public int wsPort() {
        return port;
      }

      @Override
      public int adminPort() {
        return port;
      }

      @Override
      public long pid() {
        return pid;
      }

      @Override
      public void stop() {
      }
    };
  }
}
