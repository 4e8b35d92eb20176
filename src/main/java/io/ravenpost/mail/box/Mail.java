package io.ravenpost.mail.box;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;

/**
 * One mail of one mailbox. Read as a summary (no body, no attachment list) for lists and pushes,
 * or in full for {@code mail.open}; both shapes are PROTOCOL.md's, times in epoch milliseconds.
 * {@code fromUid} (the sending player, for player mail) is an addition to the contract.
 *
 * @param textId the send's texts in every language ({@code mail_texts}), or null for plain mail
 *               whose {@code title} and {@code body} are the text
 * @param locale the language {@code title} and {@code body} were chosen in for the reader, or null
 */
public record Mail(long id, long uid, String kind, String from, Long fromUid, String title, String body,
            List<Attachment> attachments, boolean hasAttachments, long createdAt, long expiresAt,
            Long readAt, Long claimedAt, Long textId, String locale) {
  public static final String SYSTEM = "system";
  public static final String PLAYER = "player";

  public static Mail summaryOf(Row r) {
    return new Mail(r.getLong("id"), r.getLong("uid"), r.getString("kind"), r.getString("sender"),
        r.getLong("sender_uid"), r.getString("title"), null, null, r.getInteger("has_attachments") == 1,
        r.getLong("created_at"), r.getLong("expires_at"), r.getLong("read_at"), r.getLong("claimed_at"),
        r.getLong("text_id"), null);
  }

  static Mail fullOf(Row r) {
    String att = r.getString("attachments");
    return new Mail(r.getLong("id"), r.getLong("uid"), r.getString("kind"), r.getString("sender"),
        r.getLong("sender_uid"), r.getString("title"), r.getString("body"), Attachment.fromStored(att),
        att != null, r.getLong("created_at"), r.getLong("expires_at"), r.getLong("read_at"),
        r.getLong("claimed_at"), r.getLong("text_id"), null);
  }

  /** This mail shown in {@code chosen} (a locale, or null) with that language's title and body. */
  public Mail shown(String chosen, String title, String body) {
    return new Mail(id, uid, kind, from, fromUid, title, this.body == null ? null : body, attachments, hasAttachments,
        createdAt, expiresAt, readAt, claimedAt, textId, chosen);
  }

  public boolean expired(long now) {
    return expiresAt <= now;
  }

  public boolean unclaimed() {
    return hasAttachments && claimedAt == null;
  }

  public JsonObject summary() {
    JsonObject s = new JsonObject().put("mailId", id).put("kind", kind).put("from", from).put("fromUid", fromUid)
        .put("title", title).put("createdAt", createdAt).put("expiresAt", expiresAt)
        .put("read", readAt != null).put("hasAttachments", hasAttachments).put("claimed", claimedAt != null);
    return locale == null ? s : s.put("locale", locale);
  }

  public JsonObject full() {
    return summary().put("body", body).put("attachments", Attachment.toJson(attachments));
  }
}
