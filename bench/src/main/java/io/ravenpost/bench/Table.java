package io.ravenpost.bench;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A plain text table that is also Markdown, so a result can be pasted into a note as it is. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(cell(c));
    }
    while (r.size() < header.size()) {
      r.add("");
    }
    rows.add(r);
    return this;
  }

  String render() {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, w);
    char[][] dashes = new char[w.length][];
    for (int i = 0; i < w.length; i++) {
      dashes[i] = new char[w[i]];
      Arrays.fill(dashes[i], '-');
    }
    List<String> sep = new ArrayList<>();
    for (char[] d : dashes) {
      sep.add(new String(d));
    }
    line(sb, sep, w);
    rows.forEach(r -> line(sb, r, w));
    return sb.toString();
  }

  JsonArray toJson() {
    JsonArray a = new JsonArray().add(new JsonArray(header));
    rows.forEach(r -> a.add(new JsonArray(r)));
    return a;
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w) {
    sb.append('|');
    for (int i = 0; i < w.length; i++) {
      sb.append(' ').append(String.format("%-" + w[i] + "s", cells.get(i))).append(" |");
    }
    sb.append('\n');
  }

  /** Numbers with thousands separators and at most 2 decimals (3 below 1). */
  static String cell(Object v) {
    if (v == null) {
      return "n/a";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return "n/a";
      }
      return String.format(Locale.ROOT, Math.abs(d) < 1 ? "%,.3f" : Math.abs(d) >= 1000 ? "%,.0f" : "%,.2f", d);
    }
    if (v instanceof Number n) {
      return String.format(Locale.ROOT, "%,d", n.longValue());
    }
    return v.toString();
  }
}
