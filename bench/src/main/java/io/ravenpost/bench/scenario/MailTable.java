package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Sync;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-INSERT baseline of the {@code send} and {@code global} scenarios: the mailbox rows the
 * cluster wrote for the benchmark's players, written again with multi-row INSERTs into an empty
 * copy of the same table ({@code CREATE TABLE ... LIKE}), as fast as the database takes them;
 * repeated into a fresh copy until at least 50,000 rows or 2 s were timed.
 */
final class MailTable {
  private static final int ROWS_PER_STATEMENT = 500;
  private static final int IN_FLIGHT = 4;
  private static final int MAX_ROWS = 200_000;
  private static final long SQL_TIMEOUT_MS = 300_000;
  private static final long MIN_ROWS = 50_000;
  private static final long MIN_NANOS = 2_000_000_000L;
  private static final int MAX_ROUNDS = 50;

  private MailTable() {
  }

  /**
   * The personal mailbox table: one whose name has "mail" (not "global") and that has a
   * {@code uid} column; the common names win. Null when there is none yet.
   */
  static String discover(Pool sql) {
    RowSet<Row> rows = Sync.await(sql.query("SELECT DISTINCT table_name FROM information_schema.columns"
        + " WHERE table_schema = DATABASE() AND column_name = 'uid' AND table_name LIKE '%mail%'"
        + " AND table_name NOT LIKE '%global%' AND table_name NOT LIKE '%bench%'"
        + " AND table_name NOT LIKE '%outbox%' AND table_name NOT LIKE '%cursor%'"
        + " ORDER BY table_name IN ('mail', 'mails', 'mailbox', 'mailboxes', 'user_mail') DESC, table_name"
        + " LIMIT 1").execute(), 10_000);
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }

  /**
   * Copies the rows of {@code [fromUid, toUid)} in {@code table} into an empty copy of it;
   * {@code {table, rows, seconds, rowsPerSecond}}, or {@code {available: false, why}}.
   */
  static JsonObject rawInsert(BenchRun run, String table, long fromUid, long toUid) {
    if (table == null) {
      return new JsonObject().put("available", false).put("why", "no mailbox table found in the benchmark database");
    }
    Pool sql = run.sql();
    RowSet<Row> rows = Sync.await(sql.preparedQuery("SELECT * FROM `" + table + "` WHERE uid >= ? AND uid < ? LIMIT "
        + MAX_ROWS).execute(Tuple.of(fromUid, toUid)), SQL_TIMEOUT_MS);
    if (rows.size() == 0) {
      return new JsonObject().put("available", false).put("why", "the cluster wrote no rows to " + table);
    }
    List<String> columns = rows.columnsNames();
    List<String> values = new ArrayList<>();
    for (Row r : rows) {
      values.add(SqlText.row(r, columns.size()));
    }
    String copy = table + "_benchcopy";
    // The same rows into an empty copy, again and again until the sample is big enough to time.
    long rowsDone = 0;
    long nanos = 0;
    try {
      for (int round = 0; round < MAX_ROUNDS && (rowsDone < MIN_ROWS || nanos < MIN_NANOS); round++) {
        Sync.await(sql.query("DROP TABLE IF EXISTS `" + copy + "`").execute(), SQL_TIMEOUT_MS);
        Sync.await(sql.query("CREATE TABLE `" + copy + "` LIKE `" + table + "`").execute(), SQL_TIMEOUT_MS);
        long t0 = System.nanoTime();
        insertAll(sql, copy, columns, values);
        nanos += System.nanoTime() - t0;
        rowsDone += values.size();
      }
      double s = nanos / 1e9;
      return new JsonObject().put("available", true).put("table", table).put("rows", values.size())
          .put("rowsInserted", rowsDone).put("rowsPerStatement", ROWS_PER_STATEMENT).put("inFlight", IN_FLIGHT)
          .put("seconds", Latency.round(s)).put("rowsPerSecond", Latency.round(rowsDone / s));
    } finally {
      Sync.await(sql.query("DROP TABLE IF EXISTS `" + copy + "`").execute(), SQL_TIMEOUT_MS);
    }
  }

  /** Multi-row INSERTs as SQL text (one round trip each, no prepare), a few in flight. */
  private static void insertAll(Pool sql, String table, List<String> columns, List<String> values) {
    String head = "INSERT INTO `" + table + "` (`" + String.join("`, `", columns) + "`) VALUES ";
    List<Future<?>> inFlight = new ArrayList<>();
    for (int from = 0; from < values.size(); from += ROWS_PER_STATEMENT) {
      String stmt = head + String.join(", ", values.subList(from, Math.min(values.size(), from + ROWS_PER_STATEMENT)));
      inFlight.add(sql.query(stmt).execute());
      if (inFlight.size() == IN_FLIGHT) {
        Sync.await(Future.all(inFlight), SQL_TIMEOUT_MS);
        inFlight.clear();
      }
    }
    Sync.await(Future.all(inFlight), SQL_TIMEOUT_MS);
  }
}
