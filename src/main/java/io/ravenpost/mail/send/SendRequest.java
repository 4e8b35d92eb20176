package io.ravenpost.mail.send;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.Fields;
import io.ravenpost.common.Hashing;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.Attachment;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.text.Content;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A validated send: the body of {@code POST /admin/mail}, {@code POST /internal/mail} and
 * {@code raven.mail.send}, or a player's {@code mail.send}. Every bound of the issue is checked
 * here, and a violation is a BAD_REQUEST naming the field.
 *
 * @param target      where it goes; {@code uids} is set (distinct, in request order) for {@code users}
 * @param kind        {@code system} or {@code player}
 * @param from        sender display name
 * @param fromUid     the sending player, for player mail
 * @param startsAt    epoch ms before which the mail is not shown, or null for now
 * @param requestHash SHA-256 of the canonical request body, for idempotency checks
 * @param audit       the operator or service sending through /admin or /internal (null otherwise):
 *                    the send writes its audit row in its own transaction
 * @param content     the texts in several languages or the template, or null for plain {@code {title,
 *                    body}}; then {@code title} and {@code body} are empty and {@code textId} points
 *                    at the stored content once {@link #withText} has been called
 */
public record SendRequest(Target target, String kind, String from, Long fromUid, String title, String body,
                   List<Attachment> attachments, long ttlSeconds, Long startsAt, String requestHash,
                   AuditContext audit, Content content, Long textId) {
  static final int MAX_TITLE_CHARS = 128;
  static final int MAX_BODY_BYTES = 4096;
  static final int MAX_UIDS = 1000;
  static final int MAX_FROM_CHARS = 64;
  public static final String USERS = "users";
  static final String CLIENT_MSG_ID = "clientMsgId";
  private static final Pattern CLIENT_MSG_ID_VALID = Pattern.compile("[\\x21-\\x7e]{1,64}");
  private static final String PLAYER_MESSAGE_HASH = Hashing.sha256Hex("a player's mail.send with a clientMsgId");

  /** {@code type} and, for {@code users}, the uids; {@code raw} is the sender's object for other types. */
  public record Target(String type, List<Long> uids, JsonObject raw) {
  }

  /** A producer's or operator's request (everything but {@code idempotencyKey} counts for the hash). */
  static SendRequest parse(JsonObject req, MailConfig cfg, AuditContext audit) {
    JsonObject t = Fields.optObject(req, "target");
    if (t == null) {
      throw Fields.bad("target", "is required");
    }
    String type = Fields.optString(t, "type", 32);
    if (type == null) {
      throw Fields.bad("target.type", "is required");
    }
    Target target = new Target(type, USERS.equals(type) ? uids(t) : List.of(), t);
    String from = Fields.optString(req, "from", MAX_FROM_CHARS);
    JsonArray att = Fields.optArray(req, "attachments", Attachment.MAX_PER_MAIL);
    Content content = Content.parse(req);
    return new SendRequest(target, Mail.SYSTEM, from == null || from.isEmpty() ? Mail.SYSTEM : from, null,
        content == null ? title(req) : "", content == null ? body(req) : "",
        att == null ? List.of() : Attachment.parseList(att), ttl(req, cfg), startsAt(req, cfg), hash(req), audit,
        content, null);
  }

  /**
   * A player's {@code mail.send}: text only, to one uid, with the default time to live. With a
   * {@code clientMsgId} every body hashes alike: a repeat of the id answers the first mail, whatever
   * it carries (PROTOCOL.md), rather than an error the client cannot act on.
   */
  static SendRequest player(long fromUid, String fromName, long to, JsonObject req, MailConfig cfg) {
    if (req.getValue("attachments") != null) {
      throw Fields.bad("attachments", "are not allowed: player mail is text only");
    }
    String hash = req.getValue(CLIENT_MSG_ID) != null ? PLAYER_MESSAGE_HASH : hash(req);
    return new SendRequest(new Target(USERS, List.of(to), null), Mail.PLAYER, fromName, fromUid,
        title(req), body(req), List.of(), cfg.ttlSeconds(), null, hash, null, null, null);
  }

  /** This send pointing at its content, stored under {@code id}. */
  public SendRequest withText(Long id) {
    return new SendRequest(target, kind, from, fromUid, title, body, attachments, ttlSeconds, startsAt, requestHash,
        audit, content, id);
  }

  /** The optional id a player's client gives a {@code mail.send}, so that its retry is not a second mail. */
  static String clientMsgId(JsonObject req) {
    String id = Fields.optString(req, CLIENT_MSG_ID, 64);
    if (id != null && !CLIENT_MSG_ID_VALID.matcher(id).matches()) {
      throw Fields.bad(CLIENT_MSG_ID, "must be 1..64 printable ASCII characters without spaces");
    }
    return id;
  }

  public boolean hasAttachments() {
    return !attachments.isEmpty();
  }

  /** When the mail is created (shown): now, or a later {@code startsAt}. */
  public long createdAt(long now) {
    return startsAt == null ? now : Math.max(now, startsAt);
  }

  public long expiresAt(long now) {
    return createdAt(now) + ttlSeconds * 1000;
  }

  private static String title(JsonObject req) {
    return Fields.requireString(req, "title", MAX_TITLE_CHARS);
  }

  private static String body(JsonObject req) {
    String b = Fields.optString(req, "body", MAX_BODY_BYTES);
    if (b == null) {
      throw Fields.bad("body", "is required");
    }
    if (b.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      throw Fields.bad("body", "is longer than " + MAX_BODY_BYTES + " bytes (UTF-8)");
    }
    return b;
  }

  private static long ttl(JsonObject req, MailConfig cfg) {
    return Fields.longInRange(req, "ttlSeconds", cfg.ttlSeconds(), 1, cfg.maxTtlSeconds());
  }

  private static Long startsAt(JsonObject req, MailConfig cfg) {
    Long s = Fields.optLong(req, "startsAt");
    if (s == null) {
      return null;
    }
    long latest = System.currentTimeMillis() + cfg.maxTtlSeconds() * 1000;
    if (s < 0 || s > latest) {
      throw Fields.bad("startsAt", "must be an epoch time in milliseconds, at most maxTtlSeconds ahead");
    }
    return s;
  }

  private static List<Long> uids(JsonObject target) {
    JsonArray a = Fields.optArray(target, "uids", MAX_UIDS);
    if (a == null || a.isEmpty()) {
      throw Fields.bad("target.uids", "must list 1.." + MAX_UIDS + " uids");
    }
    Set<Long> seen = new LinkedHashSet<>();
    for (int i = 0; i < a.size(); i++) {
      seen.add(Fields.requireLong(new JsonObject().put("target.uids[" + i + "]", a.getValue(i)),
          "target.uids[" + i + "]"));
    }
    return new ArrayList<>(seen);
  }

  /** SHA-256 over the body with keys sorted at every level, without {@code idempotencyKey}. */
  private static String hash(JsonObject req) {
    JsonObject copy = req.copy();
    copy.remove("idempotencyKey");
    copy.remove(Idempotency.PRODUCER);
    StringBuilder sb = new StringBuilder();
    canonical(copy, sb);
    return Hashing.sha256Hex(sb.toString());
  }

  private static void canonical(Object v, StringBuilder sb) {
    if (v instanceof JsonObject o) {
      sb.append('{');
      for (String k : new TreeSet<>(o.fieldNames())) {
        sb.append(new JsonArray().add(k).encode()).append(':');
        canonical(o.getValue(k), sb);
        sb.append(',');
      }
      sb.append('}');
    } else if (v instanceof JsonArray a) {
      sb.append('[');
      for (Object e : a) {
        canonical(e, sb);
        sb.append(',');
      }
      sb.append(']');
    } else {
      sb.append(new JsonArray().add(v).encode());
    }
  }
}
