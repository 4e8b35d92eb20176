package io.ravenpost.common;

import java.util.Collections;

/** Conditions that address rows by a two-column key. */
public final class SqlKeys {
  private SqlKeys() {
  }

  /**
   * {@code (a, b) IN ((?, ?), ...)} for {@code n} keys. MariaDB turns a one-element row IN into a
   * row equality that it does not resolve through the index: a locking statement then scans and
   * locks every row of the table, and two such transactions deadlock. One key is written as plain
   * equalities instead.
   */
  public static String pairsIn(String a, String b, int n) {
    if (n == 1) {
      return "(" + a + " = ? AND " + b + " = ?)";
    }
    return "(" + a + ", " + b + ") IN (" + String.join(", ", Collections.nCopies(n, "(?, ?)")) + ")";
  }
}
