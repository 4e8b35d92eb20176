package io.ravenpost.tools;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.common.Db;
import io.ravenpost.node.RavenConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code operator add NAME --role viewer|operator|admin}, {@code operator list},
 * {@code operator password NAME}, {@code operator remove NAME}: console accounts, straight in the
 * configured MySQL (migrated first). A generated password is printed once; each change is in the
 * audit trail with actor {@code cli:<user>}.
 */
@Command(name = "operator", description = "Console accounts, in the configured MySQL (migrated first).")
public final class OperatorCommand {
  @Spec
  private CommandSpec spec;

  @Command(name = "add", description = "Adds an operator and prints the generated password, once.")
  int add(@Parameters(paramLabel = "NAME", description = "the sign-in name") String name,
          @Option(names = "--role", required = true, paramLabel = "ROLE", converter = RoleName.class,
              description = "viewer, operator or admin") Role role) throws InterruptedException {
    return run("add", (store, who) -> store.add(name, role, who));
  }

  @Command(name = "list", description = "Lists operators: name and role, one per line.")
  int list() throws InterruptedException {
    return run("list", (store, who) -> store.list());
  }

  @Command(name = "password", description = "Replaces an operator's password with a generated one (printed once) "
      + "and ends the operator's sessions.")
  int password(@Parameters(paramLabel = "NAME") String name) throws InterruptedException {
    return run("password", (store, who) -> store.resetPassword(name, who));
  }

  @Command(name = "remove", description = "Removes an operator.")
  int remove(@Parameters(paramLabel = "NAME") String name) throws InterruptedException {
    return run("remove", (store, who) -> store.remove(name, who).map(v -> new JsonObject().put("removed", name)));
  }

  private int run(String cmd, BiFunction<OperatorStore, AuditContext, Future<JsonObject>> op)
      throws InterruptedException {
    RavenConfig cfg = RavenConfig.load(null);
    Vertx vertx = Vertx.vertx();
    Db db = Db.connect(vertx, cfg.mysql(), new SimpleMeterRegistry());
    OperatorStore store = new OperatorStore(vertx, db);
    AuditContext who = new AuditContext("cli:" + System.getProperty("user.name"),
        UUID.randomUUID().toString().substring(0, 16), "cli operator " + cmd);
    try {
      print(cmd, Cli.await(db.migrate().compose(v -> op.apply(store, who)), 60));
      return 0;
    } finally {
      db.close().eventually(vertx::close);
    }
  }

  private void print(String cmd, JsonObject out) {
    PrintWriter w = spec.commandLine().getOut();
    if (out.containsKey("password")) {
      w.println("operator " + out.getString("name") + (out.containsKey("role") ? " (" + out.getString("role")
          + ")" : "") + " password: " + out.getString("password"));
      w.println("(shown once: only its hash is stored; `operator password " + out.getString("name")
          + "` makes a new one)");
    } else if ("list".equals(cmd)) {
      out.getJsonArray("operators").forEach(o -> w.println(((JsonObject) o).getString("name") + "\t"
          + ((JsonObject) o).getString("role")));
    } else {
      w.println(out.encode());
    }
  }

  static final class RoleName implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      for (Role r : Role.values()) {
        if (r.wire().equals(value)) {
          return r;
        }
      }
      throw new TypeConversionException("must be viewer, operator or admin, not '" + value + "'");
    }
  }
}
