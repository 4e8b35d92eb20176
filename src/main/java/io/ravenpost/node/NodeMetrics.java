package io.ravenpost.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The node's Prometheus registry: every meter tagged {@code node=<node.id>} (set {@code node.id}
 * for a tag that stays the same across restarts), JVM memory, GC, threads, class loading, CPU,
 * open file descriptors, uptime, and {@code raven_build{version, java, vertx}} = 1 (not
 * {@code _info}: Prometheus keeps that suffix for its own info type).
 */
final class NodeMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  NodeMetrics(String nodeId) {
    registry.config().commonTags("node", nodeId);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("raven_build", () -> 1).description("Ravenpost build running on this node")
        .tag("version", version()).tag("java", System.getProperty("java.version"))
        .tag("vertx", String.valueOf(Vertx.class.getPackage().getImplementationVersion()))
        .register(registry);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The GC metrics listen to JVM notifications: a node stopped in a JVM that goes on lets them go. */
  @Override
  public void close() {
    gc.close();
  }

  /** The Maven version, from the filtered ravenpost-build.properties in the jar. */
  static String version() {
    try (InputStream in = NodeMetrics.class.getClassLoader().getResourceAsStream("ravenpost-build.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
