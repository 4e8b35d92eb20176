package io.ravenpost.testkit;

import io.ravenpost.common.Lifecycle;
import io.ravenpost.node.RavenNode;
import io.vertx.core.Future;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node killed as a killed process would die, for failure tests: no kicks, no registry release,
 * its lease left to expire, its Hazelcast membership cut without a goodbye. Nodes started with a
 * {@link Switch} can be killed so; the product itself only ever stops gracefully.
 */
public final class Crash {
  private Crash() {
  }

  /** A lifecycle a test can switch to halting. */
  public static final class Switch implements Lifecycle {
    private final AtomicBoolean halting = new AtomicBoolean();

    @Override
    public boolean halting() {
      return halting.get();
    }
  }

  /** Kills {@code node}, started with {@code lifecycle}. */
  public static Future<Void> of(RavenNode node, Switch lifecycle) {
    lifecycle.halting.set(true);
    HazelcastClusterManager cluster = node.clusterManager();
    if (cluster != null) {
      cluster.getHazelcastInstance().getLifecycleService().terminate();
    }
    // A dead process's connections end with it: its MySQL transactions roll back and it takes
    // nothing more from Redis. Closing them first does that here; else a worker's statement still
    // waiting on a lock committed after the "crash" and held its locks, or the worker popped
    // another batch (GlobalWorkerCrashTest saw both).
    var stores = node.context().stores();
    stores.controlClient().close();
    stores.redisClient().close();
    return stores.db().close().timeout(5, TimeUnit.SECONDS).recover(t -> Future.succeededFuture())
        .compose(v -> node.context().vertx().close().timeout(10, TimeUnit.SECONDS))
        .recover(t -> Future.succeededFuture())
        .onComplete(ar -> node.metricsClosed());
  }
}
