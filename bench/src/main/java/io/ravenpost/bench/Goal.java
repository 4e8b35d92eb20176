package io.ravenpost.bench;

import io.vertx.core.json.JsonObject;

/**
 * One goal of the benchmark, checked against a figure measured in the same run. A goal whose figure
 * could not be measured (baseline tool missing, feature not there) is neither met nor missed.
 */
public record Goal(String name, Double value, boolean atLeast, double limit, String unit) {
  public static Goal atLeast(String name, Double value, double limit, String unit) {
    return new Goal(name, value, true, limit, unit);
  }

  public static Goal atMost(String name, Double value, double limit, String unit) {
    return new Goal(name, value, false, limit, unit);
  }

  /** True, false, or null when the figure is unknown. */
  Boolean met() {
    if (value == null || value.isNaN()) {
      return null;
    }
    return atLeast ? value >= limit : value <= limit;
  }

  String verdict() {
    Boolean m = met();
    return m == null ? "not measured" : m ? "met" : "MISSED";
  }

  String rule() {
    return (atLeast ? ">= " : "<= ") + Table.cell(limit) + (unit.isEmpty() ? "" : " " + unit);
  }

  JsonObject toJson() {
    return new JsonObject().put("name", name).put("value", value == null || value.isNaN() ? null : Latency.round(value))
        .put("rule", atLeast ? ">=" : "<=").put("limit", limit).put("unit", unit).put("met", met());
  }
}
