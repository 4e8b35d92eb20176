package io.ravenpost.tools;

import io.ravenpost.common.Claims;
import io.ravenpost.common.Tokens;
import io.ravenpost.node.RavenConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code token --uid 42 [--role admin] [--created-at S] [--name N] [--zone Z] [--level L] [--tags a,b]
 * [--locale TAG] [--ttl S]}. Player tokens are signed with the player secret ({@code jwt.secret}),
 * admin and service tokens with the operator secret ({@code admin.jwtSecret}), as the nodes check them.
 */
@Command(name = "token", sortOptions = false, description = {"Prints a signed token (HS256).",
    "Player tokens are signed with the player secret (jwt.secret), admin and service tokens with the "
        + "operator secret (admin.jwtSecret)."})
public final class TokenCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--uid", required = true, paramLabel = "N", converter = Cli.Positive.class,
      description = "the player (claim sub), a whole number above 0")
  private long uid;

  @Option(names = "--role", paramLabel = "ROLE", converter = RoleName.class,
      description = "player (the default), service or admin")
  private String role;

  @Option(names = "--created-at", paramLabel = "EPOCH_S",
      description = "account creation, epoch seconds (default: now)")
  private Long createdAt;

  @Option(names = "--name", paramLabel = "N", description = "display name")
  private String name;

  @Option(names = "--zone", paramLabel = "Z", description = "zone (segments of global mail)")
  private String zone;

  @Option(names = "--level", paramLabel = "L", description = "player level (segments of global mail)")
  private Integer level;

  @Option(names = "--tags", paramLabel = "TAG", split = ",", description = "tags (segments of global mail)")
  private List<String> tags;

  @Option(names = "--locale", paramLabel = "TAG", converter = Cli.LocaleTag.class,
      description = "the player's language, a BCP 47 tag such as en or pt-BR (claim locale)")
  private String locale;

  @Option(names = "--ttl", paramLabel = "S", defaultValue = "86400", description = "seconds the token is valid "
      + "(default: ${DEFAULT-VALUE})")
  private int ttl;

  @Override
  public Integer call() {
    Cli.within(spec, "--ttl", ttl, 1, Integer.MAX_VALUE);
    JsonObject claims = claims();
    RavenConfig cfg = RavenConfig.load(null);
    boolean player = Claims.PLAYER.equals(claims.getString("role", Claims.PLAYER));
    String secret = player ? cfg.jwt().secret() : cfg.admin().jwtSecret();
    if (secret.isEmpty()) {
      throw Cli.badValue(spec, "jwt.secret is empty: player tokens come from the account service (jwt.jwksUrl)");
    }
    if (player) {
      // A node that checks issuer and audience refuses development tokens without them.
      putIfSet(claims, "iss", cfg.jwt().issuer().isEmpty() ? null : cfg.jwt().issuer());
      putIfSet(claims, "aud", cfg.jwt().audience().isEmpty() ? null : cfg.jwt().audience());
    }
    Vertx vertx = Vertx.vertx();
    try {
      spec.commandLine().getOut().println(new Tokens(vertx, secret, cfg.jwt().leewaySeconds()).mint(claims, ttl));
      return 0;
    } finally {
      vertx.close();
    }
  }

  private JsonObject claims() {
    JsonObject claims = new JsonObject().put("sub", Long.toString(uid));
    putIfSet(claims, "role", role);
    putIfSet(claims, "name", name);
    putIfSet(claims, "zone", zone);
    claims.put("created_at", createdAt != null ? createdAt : System.currentTimeMillis() / 1000);
    putIfSet(claims, "level", level);
    putIfSet(claims, "tags", tags == null ? null : new JsonArray(tags));
    putIfSet(claims, "locale", locale);
    return claims;
  }

  private static void putIfSet(JsonObject claims, String key, Object value) {
    if (value != null) {
      claims.put(key, value);
    }
  }

  /** The roles a node accepts in a token; anything else would be refused at login. */
  static final class RoleName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!List.of(Claims.PLAYER, Claims.SERVICE, Claims.ADMIN).contains(value)) {
        throw new TypeConversionException("must be player, service or admin, not '" + value + "'");
      }
      return value;
    }
  }
}
