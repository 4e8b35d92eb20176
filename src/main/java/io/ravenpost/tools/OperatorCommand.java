package io.ravenpost.tools;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.common.Db;
import io.ravenpost.common.config.RavenConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code operator add NAME --role viewer|operator|admin}, {@code operator list},
 * {@code operator password NAME}, {@code operator remove NAME}: console accounts, straight in the
 * configured MySQL (migrated first). A generated password is printed once; each change is in the
 * audit trail with actor {@code cli:<user>}.
 */
public final class OperatorCommand {
  private static final String USAGE = "usage: operator add NAME --role viewer|operator|admin | operator list"
      + " | operator password NAME | operator remove NAME";

  private OperatorCommand() {
  }

  public static int run(String[] args) {
    if (args.length == 0) {
      return usage("what to do?");
    }
    RavenConfig cfg = RavenConfig.load(null);
    Vertx vertx = Vertx.vertx();
    Db db = Db.connect(vertx, cfg.mysql(), new SimpleMeterRegistry());
    OperatorStore store = new OperatorStore(vertx, db);
    AuditContext who = new AuditContext("cli:" + System.getProperty("user.name"),
        UUID.randomUUID().toString().substring(0, 16), "cli operator " + args[0]);
    try {
      Future<JsonObject> f = switch (args[0]) {
        case "add" -> args.length == 4 && "--role".equals(args[2])
            ? db.migrate().compose(v -> store.add(args[1], Role.parse(args[3]), who)) : null;
        case "list" -> args.length == 1 ? db.migrate().compose(v -> store.list()) : null;
        case "password" -> args.length == 2 ? db.migrate().compose(v -> store.resetPassword(args[1], who)) : null;
        case "remove" -> args.length == 2
            ? db.migrate().compose(v -> store.remove(args[1], who)).map(v -> new JsonObject().put("removed", args[1]))
            : null;
        default -> null;
      };
      if (f == null) {
        return usage("bad arguments");
      }
      JsonObject out = f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      print(args[0], out);
      return 0;
    } catch (Exception e) {
      System.err.println("operator: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return 1;
    } finally {
      db.close().eventually(vertx::close);
    }
  }

  private static void print(String cmd, JsonObject out) {
    if (out.containsKey("password")) {
      System.out.println("operator " + out.getString("name") + (out.containsKey("role") ? " (" + out.getString("role")
          + ")" : "") + " password: " + out.getString("password"));
      System.out.println("(shown once: only its hash is stored; `operator password " + out.getString("name")
          + "` makes a new one)");
    } else if ("list".equals(cmd)) {
      out.getJsonArray("operators").forEach(o -> System.out.println(((JsonObject) o).getString("name") + "\t"
          + ((JsonObject) o).getString("role")));
    } else {
      System.out.println(out.encode());
    }
  }

  private static int usage(String why) {
    System.err.println("operator: " + why);
    System.err.println(USAGE);
    return 2;
  }
}
