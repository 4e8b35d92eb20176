package io.ravenpost.grants;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * One grant as game servers receive it: {@code {grantId, uid, mailId, attachments, grantedAt}}.
 * {@code grantId} is {@code <uid>-<mailId>}, the outbox row's key, so a receiver can drop a repeat.
 *
 * @param attempts  how many times it was offered, this time included
 * @param lastError why the previous attempt failed, or null
 */
record Grant(long uid, long mailId, JsonArray attachments, long grantedAt, int attempts, String lastError) {
  /** A grant's outbox key, parsed from its {@code grantId}. */
  record Id(long uid, long mailId) {
    static Id parse(Object grantId) {
      String s = String.valueOf(grantId);
      int dash = s.indexOf('-');
      try {
        if (grantId instanceof String && dash > 0 && s.length() <= 41) {
          return new Id(Long.parseLong(s.substring(0, dash)), Long.parseLong(s.substring(dash + 1)));
        }
      } catch (NumberFormatException e) {
        // refused below
      }
      throw new RavenException(ErrorCode.BAD_REQUEST, "grantId must be \"<uid>-<mailId>\", not " + s);
    }

    @Override
    public String toString() {
      return uid + "-" + mailId;
    }
  }

  static Grant of(Row r) {
    return new Grant(r.getLong("uid"), r.getLong("mail_id"), new JsonArray(r.getString("attachments")),
        r.getLong("created_at"), r.getInteger("attempts"), r.getString("last_error"));
  }

  Id id() {
    return new Id(uid, mailId);
  }

  String grantId() {
    return id().toString();
  }

  JsonObject toJson() {
    return new JsonObject().put("grantId", grantId()).put("uid", uid).put("mailId", mailId)
        .put("attachments", attachments).put("grantedAt", grantedAt);
  }
}
