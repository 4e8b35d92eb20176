package io.ravenpost.api;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * A client op the gate does not answer itself, forwarded to the role that does
 * ({@link ClientOp#address()}). The op was parsed once, at the gate; it travels in headers with the
 * session it comes from ({@link Headers#OP}, {@link Headers#UID}, {@link Headers#SESSION_ID},
 * {@link Headers#NODE}), the body is the client's, and the reply body goes back to the client.
 *
 * @param uid the authenticated uid of the session: never taken from the body
 */
public record ClientRequest(ClientOp op, long uid, String sessionId, String node, JsonObject body) {
  public static final Codec<ClientRequest> CODEC = Codec.withHeaders(ClientRequest::body,
      (r, o) -> {
        o.addHeader(Headers.OP, r.op.wire()).addHeader(Headers.UID, Long.toString(r.uid));
        if (r.sessionId != null) {
          o.addHeader(Headers.SESSION_ID, r.sessionId);
        }
        if (r.node != null) {
          o.addHeader(Headers.NODE, r.node);
        }
      },
      ClientRequest::decode);

  public ClientRequest {
    body = body == null ? new JsonObject() : body;
  }

  /** A request on behalf of a uid without a session (a watch asking the mail role for a count). */
  public static ClientRequest forUid(ClientOp op, long uid) {
    return new ClientRequest(op, uid, null, null, new JsonObject());
  }

  private static ClientRequest decode(JsonObject body, MultiMap h) {
    String name = h.get(Headers.OP);
    Long uid = Uid.tryParse(h.get(Headers.UID));
    if (name == null || uid == null) {
      throw ErrorCode.BAD_REQUEST.error("a forwarded client op needs the op and uid headers");
    }
    ClientOp op = ClientOp.of(name);
    if (op == null) {
      throw ErrorCode.UNKNOWN_OP.error("unknown op " + name);
    }
    return new ClientRequest(op, uid, h.get(Headers.SESSION_ID), h.get(Headers.NODE), body);
  }

  /** Options carrying this request's headers. */
  public DeliveryOptions options(DeliveryOptions base) {
    return CODEC.headers(this, base);
  }
}
