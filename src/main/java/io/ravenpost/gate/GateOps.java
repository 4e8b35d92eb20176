package io.ravenpost.gate;

import io.micrometer.core.instrument.Timer;
import io.ravenpost.api.mail.HeartbeatReply;
import io.ravenpost.api.mail.MailSessions;
import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Headers;
import io.ravenpost.api.NodeRole;
import io.ravenpost.api.UidQuery;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.MailLogin;
import io.ravenpost.api.mail.MailLoginReply;
import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.api.text.Locales;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Errors;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stages;
import io.ravenpost.common.Tokens;
import io.ravenpost.common.config.NodeConfig;
import io.ravenpost.common.logging.LogContext;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the gate does with each request frame once it is decoded: login, heartbeat, or forward. */
final class GateOps {
  private static final Logger LOG = LoggerFactory.getLogger(GateOps.class);
  private static final long FORWARD_TIMEOUT_MS = 10_000;
  private static final long LONG_POLL_MARGIN_MS = 70_000;
  private static final long HEARTBEAT_MAIL_TIMEOUT_MS = 2000;

  private final NodeInfo node;
  private final Tokens tokens;
  private final OnlineState online;
  private final LoginFlow login;
  private final Timer loginTimer;
  private final Stages loginStages;
  private final boolean localMail;
  private final boolean localOnline;
  private final MailSessions localSessions;
  private final GateMetrics metrics;

  GateOps(NodeInfo node, NodeConfig roles, Tokens tokens, OnlineState online, LoginFlow login,
          MailSessions localSessions, GateMetrics metrics) {
    this.metrics = metrics;
    this.node = node;
    this.tokens = tokens;
    this.online = online;
    this.login = login;
    this.localMail = roles.has(NodeRole.MAIL);
    this.localOnline = roles.has(NodeRole.ONLINE);
    this.localSessions = localSessions;
    this.loginTimer = Timer.builder("raven_gate_login_seconds").publishPercentileHistogram()
        .register(node.metrics());
    this.loginStages = new Stages(node.metrics(), "raven_gate_login_stage_seconds",
        "Each step of a login as the gate waits on it: token check, registry claim, the mail side", "token", "claim", "mail");
  }

  Future<JsonObject> handle(Session s, Object opValue, Object bodyValue) {
    if (!(opValue instanceof String name) || name.isEmpty()) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("op must be a non-empty string"));
    }
    if (bodyValue != null && !(bodyValue instanceof JsonObject)) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("body must be an object"));
    }
    JsonObject body = bodyValue == null ? new JsonObject() : (JsonObject) bodyValue;
    ClientOp op = ClientOp.of(name);
    if (op == null) {
      return Future.failedFuture(ErrorCode.UNKNOWN_OP.error("unknown op " + name));
    }
    if (op == ClientOp.AUTH_LOGIN) {
      return login(s, body);
    }
    if (!s.online()) {
      return Future.failedFuture(ErrorCode.NOT_AUTHENTICATED.error("log in first"));
    }
    return op == ClientOp.HEARTBEAT ? heartbeat(s) : forward(s, op, body);
  }

  private Future<JsonObject> login(Session s, JsonObject body) {
    if (s.state != Session.State.CONNECTED) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("this connection has already logged in"));
    }
    String token;
    String locale;
    try {
      token = Fields.requireString(body, "token", 8192);
      String tag = Fields.optString(body, "locale", Locales.MAX_TAG_CHARS);
      locale = tag == null ? null : Locales.canonical("locale", tag);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long start = System.nanoTime();
    return loginStages.time("token", () -> tokens.verify(token))
        .compose(claims -> {
          if (s.state != Session.State.CONNECTED) {
            return Future.failedFuture(ErrorCode.BAD_REQUEST.error("this connection has already logged in"));
          }
          s.uid = claims.uid();
          LogContext.put(LogContext.UID, Long.toString(claims.uid()));
          s.claims = locale == null ? claims : claims.withLocale(locale);
          // No entry owned yet: a kick or close now releases whichever entry this session's claim writes.
          s.epoch = 0;
          s.state = Session.State.CLAIMING;
          return loginStages.time("claim", () -> login.claim(claims.uid(), s.id));
        })
        .compose(entry -> becomeOwner(s, entry))
        .compose(entry -> loginStages.time("mail", () -> mailOnLogin(s)))
        .map(mail -> {
          JsonObject reply = new JsonObject().put("uid", s.uid).put("sessionId", s.id)
              .put("serverTime", System.currentTimeMillis()).put("unread", mail.unread());
          return mail.epoch() == null ? reply : reply.put("seq", mail.seq()).put("epoch", mail.epoch());
        })
        // A login undone gives its entry back before the error is answered: a client that tries
        // again at once on this connection finds nothing of the undone login in the way.
        .transform(ar -> loggedIn(s, ar.succeeded() ? null : ar.cause(), start)
            .transform(v -> ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause())));
  }

  private Future<Boolean> loggedIn(Session s, Throwable failure, long startNanos) {
    loginTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    String result = failure == null ? "ok" : Errors.codeOf(failure).name();
    metrics.loggedIn(result);
    if (failure != null && s.state == Session.State.CLAIMING) {
      s.state = Session.State.CONNECTED;
      s.uid = 0;
    }
    if (failure == null) {
      LOG.debug("login {}", s.logId());
    }
    // It owned the entry but the mail side failed: give the entry back so that the reply
    // (an error) is the truth and a retry on this connection starts clean.
    return failure != null && s.state == Session.State.ONLINE ? undoLogin(s) : Future.succeededFuture(false);
  }

  private Future<Boolean> undoLogin(Session s) {
    synchronized (s) {
      if (s.state != Session.State.ONLINE) {
        return Future.succeededFuture(false);
      }
      s.state = Session.State.CONNECTED;
    }
    Future<Boolean> released = released(s, "LOGIN_UNDONE");
    s.uid = 0;
    return released.otherwise(false);
  }

  /** The session owns the entry now; if it closed meanwhile, give the entry straight back. */
  private Future<Entry> becomeOwner(Session s, Entry entry) {
    synchronized (s) {
      if (s.state == Session.State.CLAIMING) {
        s.epoch = entry.epoch();
        s.holdPushes();
        s.onlineSince = System.currentTimeMillis();
        s.state = Session.State.ONLINE;
        online.announce(new OnlineChanged(s.uid, true, node.id(), s.id, System.currentTimeMillis()));
        return Future.succeededFuture(entry);
      }
    }
    return online.release(s.uid, node.id(), s.id, entry.epoch())
        .compose(v -> Future.failedFuture(ErrorCode.LOGIN_CONFLICT.error("session closed during login")));
  }

  /** The mail side of the login; without a mail role in the cluster, no mail and no feed. */
  private Future<MailLoginReply> mailOnLogin(Session s) {
    MailLogin req = new MailLogin(s.uid, s.id, s.claims.toJson());
    Future<MailLoginReply> asked = localSessions != null
        ? localSessions.login(req).timeout(FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        : Bus.request(node.vertx(), MailAddresses.LOGIN, req, mailOptions().setSendTimeout(FORWARD_TIMEOUT_MS));
    return asked
        .onSuccess(r -> s.unread = r.unread())
        .recover(t -> noMailRole(t) ? Future.succeededFuture(new MailLoginReply(0, 0, null)) : Future.failedFuture(t));
  }

  private Future<JsonObject> heartbeat(Session s) {
    JsonObject out = new JsonObject().put("serverTime", System.currentTimeMillis());
    Future<HeartbeatReply> asked = localSessions != null
        ? localSessions.heartbeat(s.uid).timeout(HEARTBEAT_MAIL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        : Bus.request(node.vertx(), MailAddresses.HEARTBEAT, new UidQuery(s.uid),
            mailOptions().setSendTimeout(HEARTBEAT_MAIL_TIMEOUT_MS));
    return asked
        .map(r -> {
          s.unread = r.unread();
          return out.put("unread", s.unread).put("newMail", r.newMail());
        })
        // A heartbeat is first a liveness answer: when the mail side is slow or absent, say what we last knew.
        .recover(t -> Future.succeededFuture(out.put("unread", s.unread).put("newMail", false)));
  }

  private Future<JsonObject> forward(Session s, ClientOp op, JsonObject body) {
    boolean mail = op.role() == NodeRole.MAIL;
    DeliveryOptions opts = (mail ? mailOptions() : onlineOptions())
        .addHeader(Headers.REQUEST_ID, LogContext.requestId())
        .setSendTimeout(op.longPoll() ? LONG_POLL_MARGIN_MS : FORWARD_TIMEOUT_MS);
    return Bus.request(node.vertx(), mail ? MailAddresses.CLIENT : OnlineAddresses.CLIENT,
        new ClientRequest(op, s.uid, s.id, node.id(), body), opts);
  }

  /**
   * A node that runs the mail role answers its own sessions' mail ops: no hop to another JVM, no
   * serialization, and a node's load stays on that node. Without the role, any node answers.
   */
  private DeliveryOptions mailOptions() {
    return new DeliveryOptions().setLocalOnly(localMail);
  }

  private DeliveryOptions onlineOptions() {
    return new DeliveryOptions().setLocalOnly(localOnline);
  }

  /** Releases the session's registry entry and, if it was the owner, tells the cluster it left. */
  Future<Boolean> released(Session s, String reason) {
    // Read now: the session's uid may be reset (an undone login) before Redis answers.
    long uid = s.uid;
    long epoch = s.epoch;
    String logId = s.logId();
    return online.release(uid, node.id(), s.id, epoch)
        .onSuccess(released -> {
          if (released) {
            online.announce(new OnlineChanged(uid, false, node.id(), s.id, System.currentTimeMillis()));
            metrics.loggedOut(reason);
            LOG.debug("logout {} reason={}", logId, reason);
          }
        })
        .onFailure(t -> LOG.warn("release failed {}: {} (the stale sweep will clear it)", logId, t.getMessage()));
  }

  /** Claims the entry again for a session whose entry the registry lost; true while it is still ours. */
  Future<Boolean> reclaim(Session s) {
    return online.tryClaim(s.uid, node.id(), s.id).map(r -> {
      Entry ours = r.claimed() ? r.mine() : r.owner() != null && r.owner().sessionId().equals(s.id)
          && r.owner().node().equals(node.id()) ? r.owner() : null;
      if (ours != null) {
        s.epoch = ours.epoch();
      }
      return ours != null;
    });
  }

  private static boolean noMailRole(Throwable t) {
    return t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
