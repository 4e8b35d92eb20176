package io.ravenpost;

import io.ravenpost.common.config.RavenConfig;
import io.ravenpost.node.RavenNode;
import io.ravenpost.tools.OperatorCommand;
import io.ravenpost.tools.TokenCommand;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ravenpost.jar} runs a node; {@code token ...} mints a development token;
 * {@code operator ...} manages console accounts. {@code run.sh} wraps them (and runs the benchmark
 * from its own jar, bench/).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    String cmd = args.length == 0 ? "node" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (cmd) {
      case "node" -> runNode();
      case "token" -> System.exit(TokenCommand.run(rest));
      case "operator" -> System.exit(OperatorCommand.run(rest));
      default -> {
        System.err.println("usage: ravenpost [node | token --uid N [--role R] ... | operator add NAME --role R"
            + " | operator list | operator password NAME | operator remove NAME]");
        System.exit(2);
      }
    }
  }

  private static void runNode() throws Exception {
    RavenConfig cfg;
    try {
      cfg = RavenConfig.load(null);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("ravenpost: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    CompletableFuture<RavenNode> started = RavenNode.start(cfg).toCompletionStage().toCompletableFuture();
    RavenNode node;
    try {
      node = started.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("node failed to start: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
      System.exit(1);
      return;
    }
    System.out.printf("ravenpost node %s ready: ws://%s:%d/ws tcp://%s:%d admin http://%s:%d%n",
        node.nodeId(), cfg.gate().host(), node.wsPort(), cfg.gate().host(), node.tcpPort(), cfg.admin().host(),
        node.adminPort());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: stopping node {} gracefully", node.nodeId());
      try {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("graceful stop did not finish: {}", e.toString());
      }
    }, "ravenpost-shutdown"));
  }
}
