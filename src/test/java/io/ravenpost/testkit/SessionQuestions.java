package io.ravenpost.testkit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * MariaDB's own count of the statements a node's pool ran: the session {@code Questions} status of
 * every connection of the pool, summed. All {@code size} connections are held at once while they
 * are read, so each is read exactly once; reading them costs a fixed number of statements, which
 * a caller measures with two reads in a row.
 */
public final class SessionQuestions {
  private SessionQuestions() {
  }

  public static long sum(Pool pool, int size) {
    List<Future<SqlConnection>> held = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      held.add(pool.getConnection());
    }
    List<SqlConnection> conns = new ArrayList<>();
    try {
      held.forEach(f -> conns.add(Await.result(f)));
      long total = 0;
      for (SqlConnection c : conns) {
        total += Long.parseLong(Await.result(c.query("SHOW SESSION STATUS LIKE 'Questions'").execute()).iterator()
            .next().getString(1));
      }
      return total;
    } finally {
      conns.forEach(SqlConnection::close);
    }
  }
}
