package io.ravenpost.tools;

import io.ravenpost.common.config.ConfigMask;
import io.ravenpost.node.RavenConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code config}: the configuration a node started here would run with, secrets masked. */
@Command(name = "config", description = {"Prints the effective configuration as JSON: the bundled defaults, "
    + "config/ravenpost.json (or RAVEN_CONFIG) and RAVEN_* variables, checked as a node checks them.",
    "Secrets and the passwords in URIs are masked."})
public final class ConfigCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(ConfigMask.masked(RavenConfig.load(null).raw()).encodePrettily());
    return 0;
  }
}
