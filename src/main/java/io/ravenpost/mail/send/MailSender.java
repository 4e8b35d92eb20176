package io.ravenpost.mail.send;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.mail.ProducerSend;
import io.ravenpost.api.mail.SendResult;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.Users;
import io.ravenpost.mail.text.MailTexts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The one way mail gets sent (the mail-server design's {@code MailHelper.Send}): the admin API, the internal
 * API, {@code raven.mail.send} and players' {@code mail.send} all come through here, are
 * validated the same way and are handed to the delivery strategy of their target type.
 */
public final class MailSender {
  /** Every target type of PROTOCOL.md; those without a handler are answered "not supported yet". */
  static final List<String> TARGET_TYPES = List.of("users", "all", "all_to_date", "online", "segment");

  private final MailConfig cfg;
  private final Map<String, TargetHandler> targets;
  private final Users users;
  private final RateLimiter rateLimiter;
  private final Idempotency idempotency;
  private final MailTexts texts;

  public MailSender(MailConfig cfg, Map<String, TargetHandler> targets, Users users, RateLimiter rateLimiter,
                    Idempotency idempotency, MailTexts texts) {
    this.cfg = cfg;
    this.targets = Map.copyOf(targets);
    this.users = users;
    this.rateLimiter = rateLimiter;
    this.idempotency = idempotency;
    this.texts = texts;
  }

  /**
   * A producer's or operator's send; {@code idempotencyKey} null means none, {@code audit} null
   * means it did not come through the HTTP API (nothing to audit).
   */
  public Future<SendResult> send(ProducerSend send, boolean keyRequired, AuditContext audit) {
    String idempotencyKey = Idempotency.keyField(send.body(), keyRequired);
    SendRequest req = SendRequest.parse(send.body(), cfg, audit);
    TargetHandler handler = handlerOf(req);
    handler.check(req);
    if (req.content() == null) {
      return handler.send(req, idempotencyKey);
    }
    return texts.store(req.content()).compose(id -> handler.send(req.withText(id), idempotencyKey));
  }

  /**
   * Checks a producer's or operator's body as {@link #send} does, without sending: a BAD_REQUEST
   * naming the field, or nothing. Schedules check their mail with it before they are stored.
   */
  public void check(JsonObject body) {
    SendRequest req = SendRequest.parse(body, cfg, null);
    handlerOf(req).check(req);
  }

  private TargetHandler handlerOf(SendRequest req) {
    String type = req.target().type();
    if (!TARGET_TYPES.contains(type)) {
      throw Fields.bad("target.type", "must be one of " + TARGET_TYPES);
    }
    TargetHandler handler = targets.get(type);
    if (handler == null) {
      throw ErrorCode.BAD_REQUEST.error("target type " + type + " not supported yet");
    }
    return handler;
  }

  /**
   * A player's {@code mail.send}: {@code {to: uid or {name}, title, body, clientMsgId?}} →
   * {@code {mailId}}. The body is validated before it costs rate budget; the recipient must have
   * logged in once. A {@code clientMsgId} this sender used before (kept as long as producers'
   * idempotency keys) answers the first mail's id and sends nothing, without costing rate budget.
   */
  public Future<JsonObject> sendFromPlayer(long uid, JsonObject body) {
    To to = To.parse(body);
    SendRequest checked = SendRequest.player(uid, "", 0, body, cfg);
    String clientMsgId = SendRequest.clientMsgId(body);
    String key = clientMsgId == null ? null : "player:" + uid + "/" + clientMsgId;
    Future<Long> earlier = key == null ? Future.succeededFuture(null)
        : idempotency.stored(key, checked.requestHash()).map(MailSender::mailIdOf);
    return earlier.compose(id -> id != null ? Future.succeededFuture(id) : sendNew(uid, to, body, key))
        .map(id -> new JsonObject().put("mailId", id));
  }

  private Future<Long> sendNew(long uid, To to, JsonObject body, String key) {
    return rateLimiter.hit(uid)
        .compose(v -> to.name() != null ? users.uidByName(to.name())
            : users.nameOf(to.uid()).map(ignored -> to.uid()))
        .compose(toUid -> senderName(uid).map(from -> SendRequest.player(uid, from, toUid, body, cfg)))
        .compose(req -> targets.get(SendRequest.USERS).send(req, key))
        .map(r -> r.mailIds().get(0));
  }

  /** The one mail id a player's earlier send stored, or null when none was. */
  private static Long mailIdOf(Map<Integer, JsonObject> stored) {
    for (JsonObject part : stored.values()) {
      for (String uid : part.fieldNames()) {
        return part.getLong(uid);
      }
    }
    return null;
  }

  /** {@code to}: a uid (number or decimal string) or {@code {name}}. */
  private record To(Long uid, String name) {
    static To parse(JsonObject body) {
      if (body.getValue("to") instanceof JsonObject o) {
        return new To(null, Fields.requireString(o, "name", 64));
      }
      Long uid = Fields.optLong(body, "to");
      if (uid == null) {
        throw Fields.bad("to", "is required: a uid or {name}");
      }
      return new To(uid, null);
    }
  }

  private Future<String> senderName(long uid) {
    return users.nameOf(uid).map(name -> name == null || name.isEmpty() ? "player " + uid : name);
  }
}
