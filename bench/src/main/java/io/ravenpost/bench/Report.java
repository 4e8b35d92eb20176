package io.ravenpost.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario found: its figures and baseline (free-form JSON), the tables printed, the
 * goals checked, and notes (caps, missing tools). A skipped scenario says why.
 */
public final class Report {
  final String scenario;
  public final JsonObject figures = new JsonObject();
  public final JsonObject baseline = new JsonObject();
  final List<Goal> goals = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  private final List<Table> tables = new ArrayList<>();
  private String skipped;

  public Report(String scenario) {
    this.scenario = scenario;
  }

  public Report table(Table t) {
    tables.add(t);
    return this;
  }

  public Report goal(Goal g) {
    goals.add(g);
    return this;
  }

  public Report note(String n) {
    notes.add(n);
    return this;
  }

  /**
   * The sizes of the state the scenario ran against ({@link ScenarioStore#sizes()}): a figure, and
   * the first table, so that figures of runs on different sizes are never compared unawares.
   */
  Report ranAgainst(JsonObject sizes) {
    figures.put("sizes", sizes);
    Table t = new Table("ran against", "users", "mailbox rows", "global mails", "Redis keys of the run");
    t.row(sizes.getString("database") + (sizes.getBoolean("createdForTheScenario") ? " (created for it, now dropped)"
        : " (the targets' own)"), sizes.getValue("users"), sizes.getValue("mailboxRows"),
        sizes.getValue("globalMails"), sizes.getValue("redisKeys"));
    tables.add(0, t);
    return this;
  }

  /** Marks the scenario skipped; figures measured before the decision stay in the JSON. */
  public Report skip(String why) {
    this.skipped = why;
    return this;
  }

  public boolean isSkipped() {
    return skipped != null;
  }

  String render() {
    StringBuilder sb = new StringBuilder("\n== " + scenario + " ==\n");
    if (skipped != null) {
      sb.append("skipped: ").append(skipped).append('\n');
    }
    tables.forEach(t -> sb.append(t.render()).append('\n'));
    if (!goals.isEmpty()) {
      Table g = new Table("goal", "measured", "rule", "verdict");
      goals.forEach(x -> g.row(x.name(), x.value() == null ? null : Table.cell(x.value()) + " " + x.unit(),
          x.rule(), x.verdict()));
      sb.append(g.render());
    }
    notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
    return sb.toString();
  }

  JsonObject toJson() {
    JsonArray g = new JsonArray();
    goals.forEach(x -> g.add(x.toJson()));
    JsonArray t = new JsonArray();
    tables.forEach(x -> t.add(x.toJson()));
    return new JsonObject().put("scenario", scenario).put("status", skipped == null ? "ok" : "skipped")
        .put("skipReason", skipped).put("figures", figures).put("baseline", baseline).put("goals", g)
        .put("notes", new JsonArray(notes)).put("tables", t);
  }
}
