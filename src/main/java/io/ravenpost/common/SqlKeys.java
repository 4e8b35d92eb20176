package io.ravenpost.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Conditions that address rows by a two-column key, and how many rows one statement takes. */
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

  /**
   * Sizes of the multi-row statements that write {@code n} rows: as many of {@code max} (a power of
   * two) as fit, then the powers of two that make up the rest. A prepared statement is cached per
   * connection by its text, and preparing one of a thousand rows makes the server describe every
   * parameter: with sizes from this short fixed set, each connection prepares each shape once,
   * instead of once for every batch size a workload happens to produce.
   */
  public static List<Integer> chunks(int n, int max) {
    List<Integer> out = new ArrayList<>();
    int left = n;
    while (left >= max) {
      out.add(max);
      left -= max;
    }
    for (int size = Integer.highestOneBit(Math.max(1, left)); left > 0; size >>= 1) {
      if (left >= size) {
        out.add(size);
        left -= size;
      }
    }
    return out;
  }
}
