package io.ravenpost.bench.scenario.logincost;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.ScenarioStore;
import io.ravenpost.bench.Sync;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * The scenario's own database, as the run made it ({@link ScenarioStore}: created empty before the
 * scenario, dropped after it), with the counts the phases read: a phase's sizes, how many players
 * have their global mail.
 */
final class ScratchDatabase {
  private static final long SQL_TIMEOUT_MS = 120_000;

  private final String name;
  private final String uri;
  private final Pool pool;

  private ScratchDatabase(String name, String uri, Pool pool) {
    this.name = name;
    this.uri = uri;
    this.pool = pool;
  }

  static ScratchDatabase of(BenchRun run) {
    ScenarioStore store = run.store();
    return new ScratchDatabase(ScenarioStore.databaseOf(store.mysqlUri()), store.mysqlUri(), store.sql());
  }

  String name() {
    return name;
  }

  /** The URI nodes are given ({@code RAVEN_MYSQL_URI}). */
  String uri() {
    return uri;
  }

  Pool pool() {
    return pool;
  }

  /** Registered players, mailbox rows and live global mails, as a phase ran against them. */
  JsonObject sizes() {
    long users = count("SELECT COUNT(*) FROM users", Tuple.tuple());
    long mailbox = count("SELECT COUNT(*) FROM mailbox", Tuple.tuple());
    long global = count("SELECT COUNT(*) FROM global_mail WHERE deleted_at IS NULL AND expires_at > ?",
        Tuple.of(System.currentTimeMillis()));
    return new JsonObject().put("users", users).put("mailboxRows", mailbox).put("globalMails", global);
  }

  long count(String sql, Tuple args) {
    return Sync.await(pool.preparedQuery(sql).execute(args), SQL_TIMEOUT_MS).iterator().next().getLong(0);
  }
}
