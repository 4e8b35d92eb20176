package io.ravenpost.bench;

import io.ravenpost.bench.node.Machine;
import io.ravenpost.bench.scenario.CrossnodeScenario;
import io.ravenpost.bench.scenario.GlobalScenario;
import io.ravenpost.bench.scenario.GrantsScenario;
import io.ravenpost.bench.scenario.HeartbeatScenario;
import io.ravenpost.bench.scenario.IdleScenario;
import io.ravenpost.bench.scenario.LoginScenario;
import io.ravenpost.bench.scenario.PushScenario;
import io.ravenpost.bench.scenario.SendScenario;
import io.ravenpost.bench.scenario.SyncScenario;
import io.ravenpost.bench.scenario.logincost.LoginCostScenario;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the chosen scenarios one after another, prints each table and writes
 * {@code <out>/<scenario>.json} with every figure, the machine and the versions.
 */
public final class Bench {
  private static final Map<String, Scenario> SCENARIOS = Map.of(
      "login", new LoginScenario(),
      "idle", new IdleScenario(),
      "heartbeat", new HeartbeatScenario(),
      "crossnode", new CrossnodeScenario(),
      "push", new PushScenario(),
      "send", new SendScenario(),
      "global", new GlobalScenario(),
      "sync", new SyncScenario(),
      "grants", new GrantsScenario(),
      "logincost", new LoginCostScenario());

  private Bench() {
  }

  /** Runs every scenario of {@code options}; returns the result files written, in order. */
  public static List<Path> run(BenchOptions options) {
    List<Path> written = new ArrayList<>();
    JsonObject machine = Machine.describe();
    try (BenchRun run = new BenchRun(options)) {
      JsonObject versions = Machine.versions().mergeIn(run.serverVersions());
      Progress.say("run " + run.runId() + " on " + machine.getInteger("cores") + " cores, "
          + machine.getLong("memoryBytes") / (1 << 20) + " MiB; Java " + versions.getString("java")
          + ", Vert.x " + versions.getString("vertx") + (options.smoke() ? "; smoke sizes" : ""));
      for (String name : options.scenarios()) {
        long t0 = System.currentTimeMillis();
        Progress.say(name + ": starting");
        Report report = runOne(run, name);
        System.out.println(report.render());
        JsonObject json = new JsonObject().put("runId", run.runId())
            .put("startedAt", Instant.ofEpochMilli(t0).toString())
            .put("elapsedMs", System.currentTimeMillis() - t0)
            .put("machine", machine).put("versions", versions).put("options", options.toJson())
            .mergeIn(report.toJson());
        written.add(write(options.outDir(), name, json));
      }
    }
    return written;
  }

  /**
   * One scenario on a database and Redis prefix of its own, which are gone again when it returns,
   * whatever happened; its report says how big that state was when it ended.
   */
  private static Report runOne(BenchRun run, String name) {
    Report report;
    try (ScenarioStore store = run.openStore(name)) {
      try {
        report = SCENARIOS.get(name).run(run);
      } catch (RuntimeException e) {
        report = new Report(name).skip("failed: " + e.getMessage());
        e.printStackTrace(System.err);
      }
      return report.ranAgainst(store.sizes());
    } catch (RuntimeException e) {
      e.printStackTrace(System.err);
      return new Report(name).skip("failed: " + e.getMessage());
    }
  }

  private static Path write(Path dir, String name, JsonObject json) {
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(name + ".json");
      Files.writeString(f, json.encodePrettily() + "\n");
      Progress.say(name + ": wrote " + f);
      return f;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write results to " + dir + ": " + e.getMessage(), e);
    }
  }
}
