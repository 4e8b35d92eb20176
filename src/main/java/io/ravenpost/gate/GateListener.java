package io.ravenpost.gate;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;

/**
 * One more event loop for the gate: the same handlers on the same ports as the
 * {@link GateVerticle}'s own listeners, so a node's sockets, frame decoding and replies are spread
 * over as many cores as {@code gate.eventLoops} says instead of queueing on one.
 */
final class GateListener extends VerticleBase {
  private final Sockets sockets;
  private final int wsPort;
  private final int tcpPort;
  private HttpServer ws;
  private NetServer tcp;

  GateListener(Sockets sockets, int wsPort, int tcpPort) {
    this.sockets = sockets;
    this.wsPort = wsPort;
    this.tcpPort = tcpPort;
  }

  @Override
  public Future<?> start() {
    ws = sockets.wsServer(vertx, wsPort);
    tcp = sockets.tcpServer(vertx, tcpPort);
    return Future.all(ws.listen(), tcp.listen());
  }

  @Override
  public Future<?> stop() {
    return Future.join(ws.close(), tcp.close());
  }
}
