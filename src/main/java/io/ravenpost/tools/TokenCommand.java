package io.ravenpost.tools;

import io.ravenpost.common.Claims;
import io.ravenpost.common.Tokens;
import io.ravenpost.common.config.RavenConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * {@code token --uid 42 [--role admin] [--created-at S] [--name N] [--zone Z] [--level L] [--tags a,b] [--ttl S]}.
 * Player tokens are signed with the player secret ({@code jwt.secret}), admin and service tokens
 * with the operator secret ({@code admin.jwtSecret}), as the nodes check them.
 */
public final class TokenCommand {
  private TokenCommand() {
  }

  public static int run(String[] args) {
    JsonObject claims = new JsonObject();
    long ttl = 24 * 3600;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        return usage("missing value for " + flag);
      }
      String v = args[++i];
      switch (flag) {
        case "--uid" -> claims.put("sub", v);
        case "--role" -> claims.put("role", v);
        case "--name" -> claims.put("name", v);
        case "--zone" -> claims.put("zone", v);
        case "--created-at" -> claims.put("created_at", Long.parseLong(v));
        case "--level" -> claims.put("level", Integer.parseInt(v));
        case "--tags" -> claims.put("tags", new JsonArray(Arrays.asList(v.split(","))));
        case "--ttl" -> ttl = Long.parseLong(v);
        default -> {
          return usage("unknown flag " + flag);
        }
      }
    }
    if (!claims.containsKey("sub")) {
      return usage("--uid is required");
    }
    claims.put("created_at", claims.getLong("created_at", System.currentTimeMillis() / 1000));
    Vertx vertx = Vertx.vertx();
    try {
      RavenConfig cfg = RavenConfig.load(null);
      String role = claims.getString("role", Claims.PLAYER);
      String secret = Claims.PLAYER.equals(role) ? cfg.jwt().secret() : cfg.admin().jwtSecret();
      System.out.println(new Tokens(vertx, secret, cfg.jwt().leewaySeconds()).mint(claims, ttl));
      return 0;
    } finally {
      vertx.close();
    }
  }

  private static int usage(String why) {
    System.err.println("token: " + why);
    System.err.println("usage: token --uid N [--role player|service|admin] [--created-at EPOCH_S] [--name N]"
        + " [--zone Z] [--level L] [--tags a,b] [--ttl SECONDS]");
    return 2;
  }
}
