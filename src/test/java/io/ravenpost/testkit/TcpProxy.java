package io.ravenpost.testkit;

import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut: every connection through it closes and new ones
 * are refused until {@link #restore}. Put between one node and Redis, it cuts that node off while
 * the rest of the cluster still reaches Redis (a partition, not a Redis crash).
 */
public final class TcpProxy implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpProxy(String bindHost, int bindPort, String host, int port) {
    client = TestClient.vertx().createNetClient();
    server = TestClient.vertx().createNetServer().connectHandler(in -> {
      if (cut) {
        in.close();
        return;
      }
      in.pause();
      client.connect(port, host).onSuccess(out -> {
        open.add(in);
        open.add(out);
        in.closeHandler(v -> {
          open.remove(in);
          out.close();
        });
        out.closeHandler(v -> {
          open.remove(out);
          in.close();
        });
        in.handler(out::write);
        out.handler(in::write);
        in.resume();
      }).onFailure(t -> in.close());
    });
    Await.result(server.listen(bindPort, bindHost));
  }

  public static TcpProxy to(String host, int port) {
    return new TcpProxy("127.0.0.1", 0, host, port);
  }

  /** A relay listening on {@code bindHost:bindPort}, e.g. a bridge address that network namespaces reach. */
  public static TcpProxy relay(String bindHost, int bindPort, String host, int port) {
    return new TcpProxy(bindHost, bindPort, host, port);
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every connection through the proxy and refuses new ones. */
  public void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    Await.result(server.close());
    Await.result(client.close());
  }
}
