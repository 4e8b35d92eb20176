package io.ravenpost.bench.scenario;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

/** SQL literals for the raw-INSERT baselines: rows read back from the database, written as text. */
final class SqlText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SqlText() {
  }

  /** {@code (v1, v2, ...)} of the row's first {@code columns} values. */
  static String row(Row r, int columns) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < columns; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      literal(sb, r.getValue(i));
    }
    return sb.append(')').toString();
  }

  static void literal(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("NULL");
    } else if (v instanceof Number) {
      sb.append(v);
    } else if (v instanceof Boolean b) {
      sb.append(b ? '1' : '0');
    } else if (v instanceof Buffer b) {
      sb.append("X'");
      for (byte x : b.getBytes()) {
        sb.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
      }
      sb.append('\'');
    } else {
      sb.append('\'').append(v.toString().replace("\\", "\\\\").replace("'", "\\'")).append('\'');
    }
  }
}
