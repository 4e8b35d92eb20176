package io.ravenpost.mail.global.store;

import io.ravenpost.common.FrameCodec;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.global.target.GlobalPlayer;
import io.ravenpost.mail.global.target.GlobalSegment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;

/**
 * One global mail: the row of {@code global_mail} and, for lazily distributed types, the msgpack
 * body cached in Redis (the global-mail design). Times are epoch milliseconds; {@code startsAt} is when copies
 * become visible, {@code createdAt} when it was sent.
 *
 * @param attachments the stored attachment JSON (as validated at send time), or null
 * @param textId      its texts in every language ({@code mail_texts}), which every copy points at, or
 *                    null for plain mail ({@code title}, {@code body})
 */
public record GlobalMail(long id, String type, GlobalSegment segment, String from, String title, String body,
                  String attachments, long startsAt, long expiresAt, long createdAt, Long textId) {
  public static final String ALL = "all";
  public static final String ALL_TO_DATE = "all_to_date";
  public static final String ONLINE = "online";
  public static final String SEGMENT = "segment";
  public static final List<String> TYPES = List.of(ALL, ALL_TO_DATE, ONLINE, SEGMENT);
  /** The {@code kind} of a mailbox copy. */
  public static final String KIND = "global";

  public GlobalMail withId(long newId) {
    return new GlobalMail(newId, type, segment, from, title, body, attachments, startsAt, expiresAt, createdAt, textId);
  }

  /** Whether players get it lazily (login, read): every type but {@code online}, which is stored at send time. */
  public boolean lazy() {
    return !ONLINE.equals(type);
  }

  /** Whether the rules need the player's {@code users} row. */
  public boolean needsPlayer() {
    return ALL_TO_DATE.equals(type) || SEGMENT.equals(type);
  }

  /**
   * The global-mail design's rule "only mail created after the user" and the target's filter. {@code player} is
   * null when the uid has no {@code users} row. Mail not visible yet is eligible (the copy shows
   * from {@code startsAt}); expired mail is not.
   */
  public boolean eligible(GlobalPlayer player, long now) {
    if (expiresAt <= now) {
      return false;
    }
    return switch (type) {
      case ALL -> true;
      case ALL_TO_DATE -> player != null && player.createdAtSeconds() <= createdBeforeSeconds(createdAt);
      case SEGMENT -> segment != null && segment.matches(player);
      default -> false;
    };
  }

  /** The largest account creation time (epoch seconds) that counts as "created before" {@code atMs}. */
  public static long createdBeforeSeconds(long atMs) {
    return Math.floorDiv(atMs - 1, 1000);
  }

  /** The summary of the copy in {@code uid}'s mailbox, for pushes. */
  public Mail copy(long mailId, long uid) {
    return new Mail(mailId, uid, KIND, from, null, title, null, null, attachments != null, startsAt, expiresAt,
        null, null, textId, null);
  }

  /** {@code {type, ...filter}} as the sender gave it. */
  public JsonObject target() {
    JsonObject t = segment == null ? new JsonObject() : segment.toJson();
    return new JsonObject().put("type", type).mergeIn(t);
  }

  public Buffer toMsgpack() {
    return FrameCodec.encodeMsgpack(new JsonObject().put("id", id).put("type", type)
        .put("segment", segment == null ? null : segment.toJson()).put("from", from).put("title", title)
        .put("body", body).put("attachments", attachments).put("startsAt", startsAt)
        .put("expiresAt", expiresAt).put("createdAt", createdAt).put("textId", textId));
  }

  public static GlobalMail fromMsgpack(Buffer b) {
    JsonObject o = FrameCodec.decodeMsgpack(b);
    return new GlobalMail(o.getLong("id"), o.getString("type"), GlobalSegment.fromJson(o.getJsonObject("segment")),
        o.getString("from"), o.getString("title"), o.getString("body"), o.getString("attachments"),
        o.getLong("startsAt"), o.getLong("expiresAt"), o.getLong("createdAt"), o.getLong("textId"));
  }

  public static GlobalMail fromRow(Row r) {
    String seg = r.getString("segment");
    return new GlobalMail(r.getLong("id"), r.getString("target_type"),
        seg == null ? null : GlobalSegment.fromJson(new JsonObject(seg)), r.getString("sender"),
        r.getString("title"), r.getString("body"), r.getString("attachments"), r.getLong("starts_at"),
        r.getLong("expires_at"), r.getLong("created_at"), r.getLong("text_id"));
  }
}
