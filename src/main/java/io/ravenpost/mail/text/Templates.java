package io.ravenpost.mail.text;

import com.samskivert.mustache.Template;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mail templates on the primary shard: every PUT stores the next version; versions never change,
 * so a compiled version is cached for good (bounded).
 */
public final class Templates {
  static final int MAX_LISTED = 500;
  static final int VERSIONS_SHOWN = 50;
  private static final int CACHED_VERSIONS = 1000;

  private final Db db;
  private final Bounded<String, Version> versions = new Bounded<>(CACHED_VERSIONS);

  /** One stored version, compiled: each locale's title and body, and every placeholder it names. */
  record Version(String id, int version, Texts texts, Map<String, Template[]> compiled, Set<String> names,
                 String createdBy, long createdAt) {
    static Version of(String id, int version, Texts texts, String createdBy, long createdAt) {
      Map<String, Template[]> compiled = new HashMap<>();
      Set<String> names = new TreeSet<>();
      texts.byLocale().forEach((locale, t) -> {
        Template title = Placeholders.compile("texts." + locale + ".title", t.title());
        Template body = Placeholders.compile("texts." + locale + ".body", t.body());
        names.addAll(Placeholders.names("texts." + locale + ".title", title));
        names.addAll(Placeholders.names("texts." + locale + ".body", body));
        compiled.put(locale, new Template[] {title, body});
      });
      return new Version(id, version, texts, Map.copyOf(compiled), Set.copyOf(names), createdBy, createdAt);
    }

    static Version fromRow(Row r) {
      return of(r.getString("id"), r.getInteger("version"), Texts.fromJson(new JsonObject(r.getString("texts"))),
          r.getString("created_by"), r.getLong("created_at"));
    }

    JsonObject toJson() {
      return texts.toJson().put("id", id).put("version", version).put("createdBy", createdBy)
          .put("createdAt", createdAt).put("placeholders", new JsonArray(names.stream().sorted().toList()));
    }
  }

  public Templates(Db db) {
    this.db = db;
  }

  /** Stores {@code body} as the template's next version (audited); answers {@code {id, version}}. */
  Future<JsonObject> put(String rawId, JsonObject body, AuditContext who) {
    String id = Content.templateId("id", rawId);
    Texts texts = Texts.parse(body);
    // Compiled once before it is stored: a text that is not a template is refused, naming its field.
    Version.of(id, 0, texts, who.actor(), 0);
    long now = System.currentTimeMillis();
    return db.tx(db.primary(), conn -> conn.preparedQuery(TextSql.LOCK_TEMPLATE).execute(Tuple.of(id))
        .map(rows -> {
          Integer max = rows.iterator().next().getInteger(0);
          return max == null ? 1 : max + 1;
        })
        .compose(v -> conn.preparedQuery(TextSql.INSERT_TEMPLATE)
            .execute(Tuple.of(id, v, texts.toJson().encode(), who.actor(), now)).map(v))
        .compose(v -> AuditLog.record(conn, who, AuditContext.TEMPLATE_PUT, "template " + id + " v" + v, AuditLog.OK)
            .map(new JsonObject().put("id", id).put("version", v))));
  }

  /** The latest version of every template, by id. */
  Future<JsonObject> list() {
    return db.read(() -> db.primary().preparedQuery(TextSql.LATEST_TEMPLATES).execute(Tuple.of(MAX_LISTED)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(Version.fromRow(r).toJson()));
          return new JsonObject().put("templates", out);
        });
  }

  /** The latest version with the list of earlier ones; NOT_FOUND when the template was never stored. */
  Future<JsonObject> one(String rawId) {
    String id = Content.templateId("id", rawId);
    return db.read(() -> db.primary().preparedQuery(TextSql.TEMPLATE_VERSIONS).execute(Tuple.of(id, VERSIONS_SHOWN)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ErrorCode.NOT_FOUND.error("no template " + id));
          }
          JsonArray all = new JsonArray();
          rows.forEach(r -> all.add(new JsonObject().put("version", r.getInteger("version"))
              .put("createdBy", r.getString("created_by")).put("createdAt", r.getLong("created_at"))));
          return Future.succeededFuture(Version.fromRow(rows.iterator().next()).toJson().put("versions", all));
        });
  }

  /** The latest version, for a send; NOT_FOUND naming the template. */
  Future<Version> latest(String id) {
    return db.read(() -> db.primary().preparedQuery(TextSql.TEMPLATE_VERSIONS).execute(Tuple.of(id, 1)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.error("template " + id + " does not exist"))
            : Future.succeededFuture(remember(Version.fromRow(rows.iterator().next()))));
  }

  /** One version, for a reader: cached, since versions never change. */
  Future<Version> version(String id, int version) {
    Version v = versions.get(id + "@" + version);
    if (v != null) {
      return Future.succeededFuture(v);
    }
    return db.read(() -> db.primary().preparedQuery(TextSql.TEMPLATE_VERSION).execute(Tuple.of(id, version)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.error("template " + id + " v" + version + " does not exist"))
            : Future.succeededFuture(remember(Version.fromRow(rows.iterator().next()))));
  }

  private Version remember(Version v) {
    versions.put(v.id() + "@" + v.version(), v);
    return v;
  }
}
