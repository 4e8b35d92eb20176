package io.ravenpost.scheduler;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.node.JobRun;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.api.node.RunJob;
import io.ravenpost.common.Bus;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.Job;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the periodic jobs the features contribute; one node of the cluster per job and interval
 * (a Redis lease named after the job). A run that did something is logged at INFO with its
 * summary; one that found nothing to do (the usual case for most) only at DEBUG, and every run is
 * counted ({@code raven_scheduler_runs_total{job, result}}).
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);

  private final NodeInfo node;
  private final Stores stores;
  private final long drainMs;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private MessageConsumer<JsonObject> runConsumer;
  private InFlight running;

  /** @param drainMs how long a stop waits for a job under way to finish */
  public SchedulerVerticle(NodeInfo node, Stores stores, List<Job> jobs, long drainMs) {
    this.node = node;
    this.stores = stores;
    this.drainMs = drainMs;
    jobs.forEach(j -> this.jobs.put(j.name(), j));
  }

  @Override
  public Future<?> start() {
    running = new InFlight(vertx);
    jobs.values().forEach(j -> timers.add(vertx.setPeriodic(j.intervalMs(), id -> tick(j))));
    runConsumer = Bus.serve(vertx, NodeAddresses.SCHEDULER_RUN, null, (r, h) -> runNow(r));
    return runConsumer.completion();
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    // A job cut off mid-way is safe (its transactions roll back) but wasted; let it finish.
    return runConsumer.unregister().compose(v -> running.drained(drainMs));
  }

  /** Takes the job's lease for (almost) one interval; whoever holds it runs this round. */
  private void tick(Job j) {
    String lease = stores.key("job:" + j.name());
    long ttl = Math.max(50, j.intervalMs() - Math.min(1000, j.intervalMs() / 10));
    stores.redis().set(List.of(lease, node.id(), "NX", "PX", Long.toString(ttl)))
        .compose(r -> r == null ? Future.succeededFuture() : run(j))
        .onFailure(t -> LOG.warn("job {} failed on node {}: {}", j.name(), node.id(), t.toString()));
  }

  private Future<JobRun> runNow(RunJob req) {
    Job j = jobs.get(req.job());
    if (j == null) {
      return Future.failedFuture(ErrorCode.NOT_FOUND.error("no job " + req.job() + "; jobs: " + jobs.keySet()));
    }
    return run(j).map(r -> new JobRun(req.job(), true, r == null ? null : String.valueOf(r)));
  }

  private Future<?> run(Job j) {
    long start = System.currentTimeMillis();
    return running.track(() -> j.run().get().map(r -> (Object) r))
        .onSuccess(r -> {
          Counter.builder("raven_scheduler_runs_total").tag("job", j.name()).tag("result", "ok")
              .register(node.metrics()).increment();
          if (didWork(r)) {
            LOG.info("job {} ran on node {} in {} ms: {}", j.name(), node.id(), System.currentTimeMillis() - start, r);
          } else {
            LOG.debug("job {} ran on node {} in {} ms: nothing to do", j.name(), node.id(),
                System.currentTimeMillis() - start);
          }
        })
        .onFailure(t -> Counter.builder("raven_scheduler_runs_total").tag("job", j.name())
            .tag("result", "failed").register(node.metrics()).increment());
  }

  /** Whether a job's summary says it did something: a count above zero anywhere in it, or a non-empty list. */
  static boolean didWork(Object result) {
    if (result instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (result instanceof JsonObject o) {
      return o.stream().anyMatch(e -> didWork(e.getValue()));
    }
    if (result instanceof JsonArray a) {
      return !a.isEmpty();
    }
    if (result instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    return result instanceof String s && !s.isEmpty();
  }
}
