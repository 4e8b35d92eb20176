package io.ravenpost.gate;

import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Frames;
import io.ravenpost.api.RavenException;
import io.ravenpost.common.Errors;
import io.ravenpost.common.FrameCodec;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.logging.LogContext;
import io.ravenpost.gate.GateConfig;
import io.ravenpost.online.NodeLease;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request frame's way through the gate: decode, check (rate, stopping, lease), dispatch to
 * {@link GateOps}, reply in the encoding of the request. Every failure ends as an error reply.
 */
final class FramePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(FramePipeline.class);
  /** Refusals a second, in bursts, beyond which a client is flooding and is closed. */
  private static final int FLOOD_FACTOR = 10;

  private final GateConfig cfg;
  private final GateOps ops;
  private final GateMetrics metrics;
  private final NodeLease lease;
  private final InFlight openOps;
  private final BooleanSupplier stopping;
  private final Admission admission;

  FramePipeline(GateConfig cfg, GateOps ops, GateMetrics metrics, NodeLease lease, InFlight openOps,
                BooleanSupplier stopping, Admission admission) {
    this.cfg = cfg;
    this.ops = ops;
    this.metrics = metrics;
    this.lease = lease;
    this.openOps = openOps;
    this.stopping = stopping;
    this.admission = admission;
  }

  /** Each frame is one request, on a context of its own, so its log lines say whose and which it is. */
  void onFrame(Session s, Buffer data, boolean binary) {
    LogContext.dispatch(data, d -> frame(s, d, binary));
  }

  private void frame(Session s, Buffer data, boolean binary) {
    if (s.closing || s.state == Session.State.CLOSED) {
      return;
    }
    long now = System.currentTimeMillis();
    s.lastSeen = now;
    s.binary = binary;
    // The bucket is charged before decoding: a flood costs a counter, not a parse.
    boolean allowed = s.allow(cfg.opsPerSecond(), cfg.opsBurst(), now);
    if (!allowed && s.flooding(now, FLOOD_FACTOR * cfg.opsBurst())) {
      admission.refused("flood");
      refuse(s, null, ErrorCode.RATE_LIMITED, "flooding: more than " + FLOOD_FACTOR * cfg.opsBurst()
          + " refused requests in a second; closing");
      s.close();
      return;
    }
    JsonObject frame;
    try {
      frame = binary ? FrameCodec.decodeMsgpack(data) : FrameCodec.decodeJson(data);
    } catch (RavenException e) {
      metrics.badFrame();
      s.send(Frames.error(null, e.code(), e.getMessage()));
      return;
    }
    Object id = frame.getValue(Frames.ID);
    if (id != null && !(id instanceof Number) && !(id instanceof String)) {
      s.send(Frames.error(null, ErrorCode.BAD_REQUEST, "id must be a number or a string"));
      return;
    }
    if (!allowed) {
      // Decoded only to name the request in the refusal; a flood is closed above before it costs much.
      refuse(s, id, ErrorCode.RATE_LIMITED, "more than " + cfg.opsPerSecond() + " requests per second");
      return;
    }
    if (s.inFlight >= cfg.maxInFlightPerSession()) {
      refuse(s, id, ErrorCode.RATE_LIMITED, "more than " + cfg.maxInFlightPerSession() + " requests in flight");
      return;
    }
    if (stopping.getAsBoolean()) {
      refuse(s, id, ErrorCode.UNAVAILABLE, "node is shutting down; reconnect");
      return;
    }
    if (lease.lapsed()) {
      refuse(s, id, ErrorCode.UNAVAILABLE, "this node lost contact with Redis; retry or reconnect");
      return;
    }
    LogContext.put(LogContext.SESSION, s.id);
    LogContext.put(LogContext.UID, s.uid == 0 ? null : Long.toString(s.uid));
    LogContext.put(LogContext.REQUEST_ID, requestId(s, id));
    Object op = frame.getValue(Frames.OP);
    ClientOp known = op instanceof String name ? ClientOp.of(name) : null;
    // A held long poll is a read that may last its whole waitMs: a stop does not wait for it.
    Future<JsonObject> result = known != null && known.longPoll()
        ? handle(s, op, frame.getValue(Frames.BODY))
        : openOps.track(() -> handle(s, op, frame.getValue(Frames.BODY)));
    s.inFlight++;
    result.onComplete(ar -> {
      s.inFlight--;
      reply(s, id, ar.succeeded() ? ar.result() : null, ar.cause());
    });
  }

  private void reply(Session s, Object id, JsonObject body, Throwable failure) {
    if (failure == null) {
      metrics.replied("ok");
      s.send(Frames.ok(id, body));
    } else {
      RavenException e = Errors.toRaven(failure);
      metrics.replied(e.code().name());
      if (e.code() == ErrorCode.INTERNAL) {
        String requestId = requestId(s, id);
        LOG.warn("op failed {} request={}: {}", s.logId(), requestId, failure.toString());
        s.send(Frames.internal(id, requestId));
      } else {
        s.send(Frames.error(id, e.code(), e.getMessage()));
      }
    }
    // After a login reply: the pushes that came while it was being answered (none otherwise).
    s.releasePushes();
  }

  private static String requestId(Session s, Object id) {
    return s.id + ":" + id;
  }

  private void refuse(Session s, Object id, ErrorCode code, String message) {
    metrics.replied(code.name());
    s.send(Frames.error(id, code, message));
  }

  private Future<JsonObject> handle(Session s, Object op, Object body) {
    try {
      return ops.handle(s, op, body);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
