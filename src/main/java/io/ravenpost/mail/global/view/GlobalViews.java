package io.ravenpost.mail.global.view;

import io.ravenpost.api.Fields;
import io.ravenpost.api.mail.MailPage;
import io.ravenpost.api.mail.PreviewResult;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.Localize;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalSql;
import io.ravenpost.mail.global.target.GlobalSegment;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators see of global mail: the list, newest first, with each mail's copies counted on
 * every shard, and how many players a target would reach now.
 */
public final class GlobalViews {
  private final Stores stores;
  private final OnlineState registry;
  private final Localize localize;

  /** @param localize gives the titles of mail sent in several languages: the list shows the default one */
  public GlobalViews(Stores stores, OnlineState registry, Localize localize) {
    this.stores = stores;
    this.registry = registry;
    this.localize = localize;
  }

  /** {@code GET /admin/global-mail}: newest first, with copies counted on every shard. */
  public Future<MailPage> page(Long cursor, int limit) {
    return stores.db().primary().preparedQuery(GlobalSql.PAGE)
        .execute(Tuple.of(cursor == null ? Long.MAX_VALUE : cursor, limit + 1))
        .compose(rows -> {
          List<Row> list = new ArrayList<>();
          rows.forEach(list::add);
          boolean more = list.size() > limit;
          List<Row> shown = more ? list.subList(0, limit) : list;
          List<Long> ids = shown.stream().map(r -> r.getLong("id")).toList();
          return counts(ids).compose(counts -> {
            List<Future<JsonObject>> mails = new ArrayList<>();
            for (Row r : shown) {
              mails.add(inDefaultLanguage(summary(r, counts.getOrDefault(r.getLong("id"), new long[3])),
                  r.getLong("text_id")));
            }
            return Future.all(mails).map(cf -> new MailPage(new JsonArray(cf.list()),
                more ? Long.toString(ids.get(ids.size() - 1)) : null));
          });
        });
  }

  /** A mail with texts in several languages is listed with its default locale's title. */
  private Future<JsonObject> inDefaultLanguage(JsonObject summary, Long textId) {
    if (textId == null) {
      return Future.succeededFuture(summary);
    }
    return localize.titles(textId).map(t -> {
      if (t == null) {
        return summary;
      }
      String locale = t.getString("defaultLocale");
      return summary.put("title", t.getJsonObject("byLocale").getString(locale)).put("locale", locale);
    });
  }

  private static JsonObject summary(Row r, long[] c) {
    GlobalMail m = GlobalMail.fromRow(r);
    return new JsonObject().put("globalMailId", m.id()).put("target", m.target()).put("from", m.from())
        .put("title", m.title()).put("hasAttachments", m.attachments() != null).put("createdAt", m.createdAt())
        .put("startsAt", m.startsAt()).put("expiresAt", m.expiresAt()).put("deletedAt", r.getLong("deleted_at"))
        .put("withdrawnAt", r.getLong("withdrawn_at"))
        // An online send's walk over the players online: running until sentAt is set.
        .put("sentAt", r.getLong("sent_at"))
        .put("delivered", c[0]).put("claimed", c[1]).put("removed", c[2]);
  }

  /** Per global id: copies, claimed copies, removed copies (withdrawn, deleted by the player, expired), all shards. */
  private Future<Map<Long, long[]>> counts(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Future<Map<Long, long[]>>> parts = new ArrayList<>();
    for (Pool pool : stores.db().all()) {
      parts.add(pool.preparedQuery(GlobalSql.deliveryCounts(ids.size())).execute(Tuple.from(new ArrayList<>(ids)))
          .map(rows -> {
            Map<Long, long[]> m = new HashMap<>();
            rows.forEach(r -> m.put(r.getLong(0), new long[] {r.getLong(1), num(r, 2), num(r, 3)}));
            return m;
          }));
    }
    return Future.all(parts).map(cf -> {
      Map<Long, long[]> all = new HashMap<>();
      for (int i = 0; i < cf.size(); i++) {
        cf.<Map<Long, long[]>>resultAt(i).forEach((id, c) -> all.merge(id, c,
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
      }
      return all;
    });
  }

  private static long num(Row r, int i) {
    Object v = r.getValue(i);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** How many registered players a target would reach now ({@code online}: registry entries). */
  public Future<PreviewResult> preview(JsonObject raw) {
    String type = Fields.optString(raw, "type", 32);
    if (type == null || !GlobalMail.TYPES.contains(type)) {
      throw Fields.bad("target.type", "must be one of " + GlobalMail.TYPES);
    }
    Future<Long> matches = switch (type) {
      case GlobalMail.ONLINE -> registry.countEntries();
      case GlobalMail.ALL -> countUsers(GlobalSql.COUNT_USERS, List.of());
      case GlobalMail.ALL_TO_DATE -> countUsers(GlobalSql.COUNT_USERS_BEFORE,
          List.of(GlobalMail.createdBeforeSeconds(System.currentTimeMillis())));
      default -> {
        GlobalSegment s = GlobalSegment.parse(raw);
        List<Object> params = new ArrayList<>();
        String where = s.sqlWhere(params);
        yield countUsers(GlobalSql.countUsersWhere(where), params);
      }
    };
    return matches.map(n -> new PreviewResult(type.equals(GlobalMail.SEGMENT)
        ? new JsonObject().put("type", type).mergeIn(GlobalSegment.parse(raw).toJson())
        : new JsonObject().put("type", type), n));
  }

  private Future<Long> countUsers(String sql, List<Object> params) {
    List<Future<Long>> parts = new ArrayList<>();
    for (Pool pool : stores.db().all()) {
      parts.add(pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> rows.iterator().next().getLong(0)));
    }
    return Future.all(parts).map(cf -> {
      long n = 0;
      for (int i = 0; i < cf.size(); i++) {
        n += cf.<Long>resultAt(i);
      }
      return n;
    });
  }
}
