package io.ravenpost.gate;

import io.ravenpost.common.Claims;
import io.ravenpost.common.FrameCodec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client connection. Kept small on purpose (a node holds tens of thousands): no timers, no
 * event-bus registrations; the gate sweeps idle sessions and routes pushes by session id.
 */
final class Session {
  /** A login that takes long may collect this many pushes; more are dropped (the unread count still tells). */
  private static final int MAX_HELD = 32;

  enum State { CONNECTED, CLAIMING, ONLINE, CLOSED }

  final String id;
  final Connection conn;
  final long connectedAt;
  volatile State state = State.CONNECTED;
  /** Set when the server closes it: frames still arriving (a flood's tail) are dropped unread. */
  volatile boolean closing;
  long uid;
  /** The epoch of the registry entry this session owns: its releases remove that entry and no later one. */
  volatile long epoch;
  Claims claims;
  long lastSeen;
  long unread;
  /** When this session became the owner of its uid (epoch ms): "online at" an online send's time. */
  volatile long onlineSince = Long.MAX_VALUE;
  /** Answer and push in the encoding the client last used. */
  boolean binary;
  private double tokens;
  private boolean slow;
  /** Pushes that came between owning the entry and the login reply going out; null when not holding. */
  private List<JsonObject> held;
  /** Told once when a write finds the client too far behind; one handler shared by every session. */
  Consumer<Session> onSlow = s -> { };
  private long refillAt;
  /** Requests dispatched and not yet answered (event loop only). */
  int inFlight;
  private int refusals;
  private long refusalsSince;

  /** The event loop the connection lives on; every write happens there. */
  private final Context context;
  /** That loop's thread name (one shared string per loop), for the per-loop session gauge. */
  final String loop;

  Session(String id, Connection conn, boolean binary, int burst, Context context) {
    this.id = id;
    this.context = context;
    this.loop = Thread.currentThread().getName();
    this.conn = conn;
    this.binary = binary;
    this.connectedAt = System.currentTimeMillis();
    this.lastSeen = connectedAt;
    this.tokens = burst;
    this.refillAt = connectedAt;
  }

  boolean online() {
    return state == State.ONLINE;
  }

  /** Token bucket: {@code rate} ops per second with bursts up to {@code burst}. */
  boolean allow(int rate, int burst, long now) {
    tokens = Math.min(burst, tokens + (now - refillAt) * rate / 1000.0);
    refillAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /**
   * Counts a refused frame; true once more than {@code max} were refused within a second, which
   * a client that backs off never reaches: the sender is flooding, not bursting.
   */
  boolean flooding(long now, int max) {
    if (now - refusalsSince > 1000) {
      refusalsSince = now;
      refusals = 0;
    }
    return ++refusals > max;
  }

  void send(JsonObject frame) {
    if (Vertx.currentContext() == context) {
      write(frame);
    } else {
      context.runOnContext(v -> write(frame));
    }
  }

  /** Holds pushes until {@link #releasePushes}: the client sees its login reply before any push. */
  synchronized void holdPushes() {
    held = new ArrayList<>();
  }

  /** A push: sent now, or held while the login reply is still to go out. */
  void push(JsonObject frame) {
    synchronized (this) {
      if (held != null) {
        if (held.size() < MAX_HELD) {
          held.add(frame);
        }
        return;
      }
    }
    send(frame);
  }

  /** Sends what was held (if the session is online; a failed login drops it) and stops holding. */
  void releasePushes() {
    List<JsonObject> out;
    synchronized (this) {
      out = held;
      held = null;
    }
    if (out != null && online()) {
      out.forEach(this::send);
    }
  }

  /** Closes on the connection's event loop, after any write queued before it. */
  void close() {
    closing = true;
    if (Vertx.currentContext() == context) {
      conn.close();
    } else {
      context.runOnContext(v -> conn.close());
    }
  }

  private void write(JsonObject frame) {
    if (conn.congested()) {
      // The client stopped reading: more frames would only pile up in this node's memory.
      if (!slow) {
        slow = true;
        onSlow.accept(this);
      }
      return;
    }
    conn.write(binary ? FrameCodec.encodeMsgpack(frame) : FrameCodec.encodeJson(frame), binary);
  }

  /** Marks the session closed; true only for the first caller, so close work runs once. */
  synchronized boolean markClosed() {
    if (state == State.CLOSED) {
      return false;
    }
    state = State.CLOSED;
    return true;
  }

  String logId() {
    return "uid=" + uid + " session=" + id;
  }
}
