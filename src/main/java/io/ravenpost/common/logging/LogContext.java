package io.ravenpost.common.logging;

import io.ravenpost.api.Headers;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a log line says about the request it was written for: {@code uid}, {@code session},
 * {@code node}, {@code requestId} (and {@code actor} on the admin API). A request runs on a
 * duplicated Vert.x context of its own (HTTP requests and event-bus messages do by themselves;
 * the gate makes one per frame) and every callback of its futures runs on that context, so the
 * values live there and {@link MdcFilter} copies them into the MDC on every line logged, whatever
 * thread or step writes it. Lines written outside a request carry only the node.
 */
public final class LogContext {
  public static final String UID = "uid";
  public static final String SESSION = "session";
  public static final String NODE = "node";
  public static final String REQUEST_ID = "requestId";
  public static final String ACTOR = "actor";
  static final String[] KEYS = {UID, SESSION, NODE, REQUEST_ID, ACTOR};
  private static final Object DATA = new Object();
  /** The node of this JVM, for lines written outside any request (tests run several per JVM). */
  private static volatile String jvmNode;

  private LogContext() {
  }

  public static void jvmNode(String nodeId) {
    jvmNode = nodeId;
  }

  static String jvmNode() {
    return jvmNode;
  }

  /**
   * Sets {@code key} for the rest of the current request. Only a duplicated context is a request's
   * own: the event loop's context is shared by every connection on it, so nothing is put there.
   */
  public static void put(String key, String value) {
    ContextInternal c = ContextInternal.current();
    if (c == null || !c.isDuplicate()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, String> m = (Map<String, String>) c.localContextData()
        .computeIfAbsent(DATA, k -> new ConcurrentHashMap<String, String>());
    if (value == null || value.isEmpty()) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
  }

  /** The request values of the current context (empty outside a request). */
  @SuppressWarnings("unchecked")
  static Map<String, String> current() {
    ContextInternal c = ContextInternal.current();
    if (c == null || !c.isDuplicate()) {
      return Map.of();
    }
    Object m = c.localContextData().get(DATA);
    return m == null ? Map.of() : (Map<String, String>) m;
  }

  /** The request id of the current request, or "" outside one. */
  public static String requestId() {
    return current().getOrDefault(REQUEST_ID, "");
  }

  /** A message sent for a client's or an operator's request: its uid, session and request id. */
  public static void fromHeaders(MultiMap headers) {
    put(UID, headers.get(Headers.UID));
    put(SESSION, headers.get(Headers.SESSION_ID));
    put(REQUEST_ID, headers.get(Headers.REQUEST_ID));
    put(ACTOR, headers.get(Headers.ACTOR));
  }

  /**
   * Runs {@code handler} now, on this thread, on a new duplicated context of the current one, so
   * what it puts and the callbacks it schedules belong to this one request (a client frame).
   */
  public static <E> void dispatch(E event, Handler<E> handler) {
    ContextInternal c = ContextInternal.current();
    if (c == null) {
      handler.handle(event);
      return;
    }
    c.duplicate().dispatch(event, handler);
  }
}
