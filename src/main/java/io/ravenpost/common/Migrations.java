package io.ravenpost.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema files from {@code db/migrations/} (listed in its {@code index.txt}), applied
 * once each under a MySQL named lock so that nodes starting together do not race.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String DIR = "db/migrations/";
  private static final String LOCK = "ravenpost_schema_migration";

  private Migrations() {
  }

  static Future<Void> run(Pool pool) {
    List<String> files = index();
    return pool.getConnection().compose(conn -> lock(conn)
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INT PRIMARY KEY, name VARCHAR(200) NOT NULL, "
            + "applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB").execute())
        .compose(v -> conn.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row r : rows) {
            applied.add(r.getInteger(0));
          }
          Future<Void> chain = Future.succeededFuture();
          for (String f : files) {
            int version = Integer.parseInt(f.substring(1, f.indexOf("__")));
            if (!applied.contains(version)) {
              chain = chain.compose(v -> apply(conn, version, f));
            }
          }
          return chain;
        })
        .eventually(() -> conn.query("SELECT RELEASE_LOCK('" + LOCK + "')").execute()
            .eventually(conn::close)));
  }

  private static Future<Void> lock(SqlConnection conn) {
    return conn.query("SELECT GET_LOCK('" + LOCK + "', 60)").execute().compose(rows -> {
      Integer got = rows.iterator().next().getInteger(0);
      return got != null && got == 1 ? Future.succeededFuture()
          : Future.failedFuture("could not take the schema migration lock within 60 s");
    });
  }

  private static Future<Void> apply(SqlConnection conn, int version, String file) {
    Future<Void> chain = Future.succeededFuture();
    for (String stmt : statements(file)) {
      chain = chain.compose(v -> conn.query(stmt).execute().mapEmpty());
    }
    return chain
        .compose(v -> conn.preparedQuery("INSERT INTO schema_version (version, name) VALUES (?, ?)")
            .execute(Tuple.of(version, file)))
        .onSuccess(v -> LOG.info("schema migration {} applied", file))
        .mapEmpty();
  }

  private static List<String> index() {
    return Arrays.stream(read("index.txt").split("\n")).map(String::trim)
        .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
  }

  private static List<String> statements(String file) {
    List<String> out = new ArrayList<>();
    for (String s : read(file).split(";\\s*\n")) {
      String stripped = s.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim();
      if (!stripped.isEmpty()) {
        out.add(stripped);
      }
    }
    return out;
  }

  private static String read(String name) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration resource " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
