package io.ravenpost;

import io.ravenpost.tools.Cli;
import io.ravenpost.tools.ConfigCommand;
import io.ravenpost.tools.FeedCommand;
import io.ravenpost.tools.NodeCommand;
import io.ravenpost.tools.OperatorCommand;
import io.ravenpost.tools.TokenCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code java -jar ravenpost.jar [node]} runs a node; {@code token ...} mints a development token;
 * {@code operator ...} manages console accounts; {@code feed new-epoch} renews the change feed's
 * epoch after a restore; {@code config} prints the effective configuration.
 * {@code run.sh} wraps them (and runs the benchmark from its own jar, bench/).
 */
@Command(name = "ravenpost", description = "In-game mail cluster. Without a command, runs a node.")
public final class Main implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
  private boolean help;

  private final NodeCommand node = new NodeCommand();

  public static void main(String[] args) {
    Main main = new Main();
    int code = main.commandLine().execute(args);
    // A started node lives on Vert.x's threads until SIGTERM; every other command is done here.
    if (!main.node.running()) {
      System.exit(code);
    }
  }

  /** The whole command line, for {@link #main} and for tests that run a command in their own JVM. */
  public CommandLine commandLine() {
    return Cli.configure(new CommandLine(this)
        .addSubcommand(node)
        .addSubcommand(new TokenCommand())
        .addSubcommand(new OperatorCommand())
        .addSubcommand(new FeedCommand())
        .addSubcommand(new ConfigCommand()));
  }

  @Override
  public Integer call() throws Exception {
    return node.call();
  }
}
