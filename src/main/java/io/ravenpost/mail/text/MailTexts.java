package io.ravenpost.mail.text;

import com.samskivert.mustache.Template;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.gate.Broadcast;
import io.ravenpost.api.text.Locales;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.Localize;
import io.ravenpost.mail.box.Mail;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mail text in every language: stores a send's texts once ({@code mail_texts}, primary shard) and
 * shows each mail in its reader's language when it is read. A stored text never changes, so each
 * node keeps the ones it has read (bounded); the reader's name and language come from the
 * {@code users} row the reader's login wrote.
 */
public final class MailTexts implements Localize {
  private static final int CACHED_TEXTS = 10_000;

  private final Db db;
  private final MeterRegistry metrics;
  private final Templates templates;
  private final Bounded<Long, Content> texts = new Bounded<>(CACHED_TEXTS);

  /** Who reads: the name and language of the player's current session. */
  private record Reader(long uid, String name, String locale) {
  }

  public MailTexts(Db db, MeterRegistry metrics, Templates templates) {
    this.db = db;
    this.metrics = metrics;
    this.templates = templates;
  }

  /**
   * Stores a send's content once and answers its id; a template send keeps the template's latest
   * version. A placeholder of that version without a value is BAD_REQUEST naming it; an unknown
   * template is NOT_FOUND.
   */
  public Future<Long> store(Content content) {
    Future<Content> checked = !content.isTemplate() ? Future.succeededFuture(content)
        : templates.latest(content.template()).map(v -> {
          for (String name : v.names()) {
            boolean player = Placeholders.PLAYER_NAME.equals(name) || Placeholders.PLAYER_UID.equals(name);
            if (!player && content.params().getValue(name) == null) {
              throw Fields.bad("params." + name, "is required by template " + v.id() + " v" + v.version());
            }
          }
          return content.withVersion(v.version());
        });
    return checked.compose(c -> db.retrying(() -> db.primary().preparedQuery(TextSql.INSERT_TEXT)
            .execute(Tuple.of(c.toJson().encode(), System.currentTimeMillis())))
        .map(r -> {
          long id = r.property(MySQLClient.LAST_INSERTED_ID);
          texts.put(id, c);
          return id;
        }));
  }

  @Override
  public Future<List<Mail>> apply(long uid, List<Mail> mails) {
    Set<Long> ids = new LinkedHashSet<>();
    mails.forEach(m -> {
      if (m.textId() != null) {
        ids.add(m.textId());
      }
    });
    if (ids.isEmpty()) {
      return Future.succeededFuture(mails);
    }
    return reader(uid).compose(reader -> contents(ids).compose(found -> {
      List<Future<Mail>> shown = new ArrayList<>();
      mails.forEach(m -> shown.add(m.textId() == null ? Future.succeededFuture(m) : show(m, found.get(m.textId()), reader)));
      return Future.all(shown).map(cf -> cf.<Mail>list());
    }));
  }

  /**
   * Every language's title, for an online global mail's one push to many sessions: a template's
   * are filled with the params, its player placeholders left for each session (Broadcast).
   */
  @Override
  public Future<JsonObject> titles(long textId) {
    return contents(Set.of(textId)).map(found -> found.get(textId)).compose(c -> {
      if (!c.isTemplate()) {
        Map<String, String> byLocale = new HashMap<>();
        c.texts().byLocale().forEach((l, t) -> byLocale.put(l, t.title()));
        return Future.succeededFuture(Broadcast.titles(byLocale, c.texts().defaultLocale(), false));
      }
      return templates.version(c.template(), c.version()).map(v -> {
        Map<String, Object> values = new HashMap<>(c.params().getMap());
        values.put("player", Map.of("name", Broadcast.PLAYER_NAME, "uid", Broadcast.PLAYER_UID));
        Map<String, String> byLocale = new HashMap<>();
        v.compiled().forEach((l, t) -> byLocale.put(l, Placeholders.fill(t[0], values)));
        return Broadcast.titles(byLocale, v.texts().defaultLocale(), true);
      });
    });
  }

  /**
   * Counts how a mail's language matched its reader's: {@code exact}, {@code language} (a fallback
   * from {@code pt-BR} to {@code pt}) or {@code default} (the reader's language, if any, is missing
   * from the mail): many {@code default}s say players read mail in a language it is not written in.
   */
  private String counted(String chosen, String wanted) {
    String match = chosen.equals(wanted) ? "exact" : wanted != null && wanted.startsWith(chosen + "-") ? "language"
        : "default";
    Counter.builder("raven_mail_text_choices_total").description("Mail texts shown, by how the reader's language matched")
        .tag("match", match).register(metrics).increment();
    return chosen;
  }

  private Future<Reader> reader(long uid) {
    return db.read(() -> db.forUid(uid).preparedQuery(TextSql.READER).execute(Tuple.of(uid))).map(rows -> {
      if (rows.size() == 0) {
        return new Reader(uid, null, null);
      }
      Row r = rows.iterator().next();
      return new Reader(uid, r.getString("name"), Locales.orNull(r.getString("locale")));
    });
  }

  private Future<Map<Long, Content>> contents(Set<Long> ids) {
    Map<Long, Content> found = new HashMap<>();
    List<Future<Void>> loads = new ArrayList<>();
    for (Long id : ids) {
      Content c = texts.get(id);
      if (c != null) {
        found.put(id, c);
        continue;
      }
      loads.add(db.read(() -> db.primary().preparedQuery(TextSql.TEXT).execute(Tuple.of(id))).compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(ErrorCode.INTERNAL.error("mail text " + id + " is missing"));
        }
        Content loaded = Content.fromJson(new JsonObject(rows.iterator().next().getString(0)));
        texts.put(id, loaded);
        synchronized (found) {
          found.put(id, loaded);
        }
        return Future.succeededFuture();
      }));
    }
    return Future.all(loads).map(found);
  }

  private Future<Mail> show(Mail m, Content c, Reader reader) {
    if (!c.isTemplate()) {
      Texts.Chosen chosen = c.texts().choose(reader.locale());
      counted(chosen.locale(), reader.locale());
      return Future.succeededFuture(m.shown(chosen.locale(), chosen.text().title(), chosen.text().body()));
    }
    return templates.version(c.template(), c.version()).map(v -> {
      String locale = counted(v.texts().choose(reader.locale()).locale(), reader.locale());
      Template[] t = v.compiled().get(locale);
      Map<String, Object> values = new HashMap<>(c.params().getMap());
      values.put("player", Map.of("name", reader.name() == null ? "player " + reader.uid() : reader.name(),
          "uid", Long.toString(reader.uid())));
      return m.shown(locale, Placeholders.fill(t[0], values), Placeholders.fill(t[1], values));
    });
  }
}
