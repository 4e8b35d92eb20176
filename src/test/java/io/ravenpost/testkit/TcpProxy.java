package io.ravenpost.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut: every connection through it closes and new ones
 * are refused until {@link #restore}. Put between one node and Redis, it cuts that node off while
 * the rest of the cluster still reaches Redis (a partition, not a Redis crash).
 */
public final class TcpProxy implements AutoCloseable {
  private static final long TRIP_CLOSE_MS = 300;
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile byte[] tripwire;
  private final AtomicInteger trips = new AtomicInteger();

  /**
   * One direction of one connection. While stalled it holds what it receives instead of passing it
   * on, as a link that drops packets does until TCP retransmits them.
   */
  private static final class Pipe {
    private final NetSocket to;
    private final List<Buffer> held = new ArrayList<>();
    private boolean stalled;

    Pipe(NetSocket to) {
      this.to = to;
    }

    synchronized void write(Buffer b) {
      if (stalled) {
        held.add(b);
      } else {
        to.write(b);
      }
    }

    synchronized void stall() {
      stalled = true;
    }

    synchronized void release() {
      stalled = false;
      held.forEach(to::write);
      held.clear();
    }
  }

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
        Pipe up = new Pipe(out);
        Pipe down = new Pipe(in);
        pipes.add(up);
        pipes.add(down);
        in.handler(b -> {
          up.write(b);
          if (tripped(b)) {
            // What was sent arrives and is acted on; its answer never comes back.
            down.stall();
            TestClient.vertx().setTimer(TRIP_CLOSE_MS, id -> {
              in.close();
              out.close();
            });
          }
        });
        out.handler(down::write);
        in.resume();
      }).onFailure(t -> in.close());
    });
    Await.result(server.listen(bindPort, bindHost));
  }

  private boolean tripped(Buffer b) {
    byte[] pattern = tripwire;
    return pattern != null && indexOf(b.getBytes(), pattern) >= 0 && trips.getAndDecrement() > 0;
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * The next {@code times} client-to-server writes that contain {@code pattern} are passed on, and
   * their connection is then closed before any answer comes back: for a database, a statement (a
   * COMMIT) that is carried out while its client only sees the connection die.
   */
  public void dropAnswersAfter(byte[] pattern, int times) {
    trips.set(times);
    tripwire = pattern;
  }

  /** How many of the armed {@link #dropAnswersAfter} trips have not fired yet. */
  public int tripsLeft() {
    return Math.max(0, trips.get());
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

  /**
   * A cut that drops packets rather than resetting: connections stay open but nothing passes, and
   * new ones are refused. See {@link #heal}.
   */
  public void stall() {
    cut = true;
    pipes.forEach(Pipe::stall);
  }

  /**
   * Ends a {@link #stall}: new connections work at once, while what the stalled ones hold arrives
   * only {@code lateMs} later, as TCP's backed-off retransmissions deliver it after a long cut.
   */
  public void heal(long lateMs) {
    cut = false;
    List<Pipe> stalled = List.copyOf(pipes);
    TestClient.vertx().setTimer(lateMs, id -> stalled.forEach(Pipe::release));
  }

  @Override
  public void close() {
    cut();
    Await.result(server.close());
    Await.result(client.close());
  }
}
