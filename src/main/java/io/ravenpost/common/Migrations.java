package io.ravenpost.common;

import io.vertx.mysqlclient.MySQLConnectOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema of one shard, migrated by Flyway from {@code db/migrations/} ({@code V001__users.sql},
 * {@code V002__mail.sql}, ...: every {@code V<version>__<name>.sql} there, no list to keep). Flyway
 * records what it applied, with checksums, in {@link #HISTORY}, and holds a MySQL named lock while it
 * migrates, so nodes starting together do not race. Blocking (JDBC): run it on a worker thread.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  static final String LOCATION = "classpath:db/migrations";
  static final String HISTORY = "flyway_schema_history";
  /**
   * The table of the runner that came before Flyway: {@code (version, name, applied_at)}, no
   * checksums. A database that has it is taken over by a Flyway baseline at its highest version.
   * It is left in place: nothing reads it once {@link #HISTORY} exists, and a node of an older
   * version that still starts against this database finds its migrations done there.
   */
  static final String OLD_HISTORY = "schema_version";

  private Migrations() {
  }

  /** Applies the pending migrations to {@code target}; fails naming the file when a shipped one was edited. */
  static void run(MySQLConnectOptions target) {
    FluentConfiguration cfg = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(jdbcUrl(target), target.getUser(), target.getPassword())
        .locations(LOCATION)
        .table(HISTORY)
        // A misnamed file (V8_x.sql, V008-x.sql) stops the node instead of being skipped in silence.
        .validateMigrationNaming(true);
    Integer taken = takeOverFrom(cfg.getDataSource(), target);
    if (taken != null) {
      LOG.info("schema of {}: taking over from {} at version {} (a Flyway baseline)", where(target), OLD_HISTORY,
          taken);
      // Written as the files are (V007__...), so the history reads 001, ..., 007 whichever way it began.
      cfg.baselineOnMigrate(true).baselineVersion(String.format("%03d", taken))
          .baselineDescription("taken over from " + OLD_HISTORY);
    }
    Flyway flyway = cfg.load();
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (FlywayValidateException e) {
      throw edited(flyway, target).orElseThrow(() -> e);
    }
    if (result.migrationsExecuted > 0) {
      LOG.info("schema of {}: {} migration(s) applied, now at version {}", where(target), result.migrationsExecuted,
          result.targetSchemaVersion);
    }
  }

  /**
   * The version to take over at when the old runner migrated this database and Flyway has not yet:
   * the highest it recorded, or 0 if it stopped before its first file. Null otherwise.
   */
  private static Integer takeOverFrom(DataSource ds, MySQLConnectOptions target) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      Set<String> tables = new HashSet<>();
      try (ResultSet t = s.executeQuery("SELECT table_name FROM information_schema.tables "
          + "WHERE table_schema = DATABASE() AND table_name IN ('" + OLD_HISTORY + "', '" + HISTORY + "')")) {
        while (t.next()) {
          tables.add(t.getString(1));
        }
      }
      if (!tables.contains(OLD_HISTORY) || tables.contains(HISTORY)) {
        return null;
      }
      try (ResultSet v = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + OLD_HISTORY)) {
        v.next();
        return v.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the schema of " + where(target) + ": " + e.getMessage(), e);
    }
  }

  /** The refusal for applied migrations whose files no longer match their recorded checksums. */
  private static Optional<IllegalStateException> edited(Flyway flyway, MySQLConnectOptions target) {
    List<MigrationInfo> changed = Arrays.stream(flyway.info().all())
        .filter(m -> m.isVersioned() && m.isApplied() && !m.isChecksumMatching())
        .toList();
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    String files = changed.stream()
        .map(m -> m.getScript() + " (checksum " + m.getAppliedChecksum() + " when applied, " + m.getResolvedChecksum()
            + " now)")
        .collect(Collectors.joining(", "));
    boolean one = changed.size() == 1;
    return Optional.of(new IllegalStateException("schema migration" + (one ? " " : "s ") + files
        + (one ? " was" : " were") + " changed after being applied to " + where(target)
        + "; restore " + (one ? "it" : "them") + " and add a new migration instead"));
  }

  static String jdbcUrl(MySQLConnectOptions target) {
    return "jdbc:mariadb://" + target.getHost() + ":" + target.getPort() + "/" + target.getDatabase();
  }

  private static String where(MySQLConnectOptions target) {
    return target.getHost() + ":" + target.getPort() + "/" + target.getDatabase();
  }
}
