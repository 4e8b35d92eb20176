package io.ravenpost.gate;

import io.vertx.core.buffer.Buffer;

/** A client transport: WebSocket (text or binary frames) or length-prefixed TCP. */
interface Connection {
  /** Writes one encoded frame; {@code binary} says msgpack rather than JSON text; a no-op once closed. */
  void write(Buffer frame, boolean binary);

  /** True while more than the connection's write-queue limit is waiting to go out (the client is not reading). */
  boolean congested();

  void close();

  String remote();
}
