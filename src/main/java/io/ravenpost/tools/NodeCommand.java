package io.ravenpost.tools;

import io.ravenpost.node.RavenConfig;
import io.ravenpost.node.RavenNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code node}: runs a node with the configured roles until SIGTERM, which stops it gracefully. */
@Command(name = "node", description = {"Runs a node with the configured roles (the default command).",
    "Configured by config/ravenpost.json (or RAVEN_CONFIG) and RAVEN_* variables; see `ravenpost config`."})
public final class NodeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  private volatile boolean running;

  /** Whether a node started: the process must then outlive the command. */
  public boolean running() {
    return running;
  }

  @Override
  public Integer call() throws Exception {
    RavenConfig cfg = RavenConfig.load(null);
    CompletableFuture<RavenNode> started = RavenNode.start(cfg).toCompletionStage().toCompletableFuture();
    RavenNode n;
    try {
      n = started.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("node failed to start: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
      return 1;
    }
    System.out.printf("ravenpost node %s ready: ws://%s:%d/ws tcp://%s:%d admin http://%s:%d%n",
        n.nodeId(), cfg.gate().host(), n.wsPort(), cfg.gate().host(), n.tcpPort(), cfg.admin().host(),
        n.adminPort());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: stopping node {} gracefully", n.nodeId());
      try {
        n.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("graceful stop did not finish: {}", e.toString());
      }
    }, "ravenpost-shutdown"));
    running = true;
    return 0;
  }
}
