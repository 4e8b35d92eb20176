package io.ravenpost.bench.load;

import io.ravenpost.bench.Sync;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Many simulated clients on a few event loops. Client {@code i} lives on loop {@code i % loops}
 * and connects from source address {@code 127.0.0.(1 + i % sources)}, so tens of thousands of
 * connections do not run out of ephemeral ports (about 28k per source address).
 */
public final class LoadGen {
  private static final int MAX_CONNECTIONS = 1_000_000;

  private final List<Context> contexts;
  private final List<WebSocketClient> sockets = new ArrayList<>();
  private final List<NetClient> tcp = new ArrayList<>();

  private LoadGen(Vertx vertx, List<Context> contexts, int sources) {
    this.contexts = contexts;
    for (int s = 0; s < sources; s++) {
      sockets.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(MAX_CONNECTIONS)
          .setLocalAddress("127.0.0." + (s + 1))
          .setConnectTimeout((int) BenchClient.CONNECT_TIMEOUT_MS)
          .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20)));
      tcp.add(vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0." + (s + 1))
          .setConnectTimeout((int) BenchClient.CONNECT_TIMEOUT_MS)));
    }
  }

  /** One context per event loop: a deployment with {@code loops} instances spreads over them. */
  public static LoadGen create(Vertx vertx, int loops, int sources) {
    List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
    Sync.await(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(loops)), 30_000);
    return new LoadGen(vertx, List.copyOf(contexts), sources);
  }

  int loops() {
    return contexts.size();
  }

  /** Runs {@code work} on client {@code i}'s event loop. */
  <T> Future<T> on(int i, Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    contexts.get(i % contexts.size()).runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** Runs {@code action} on client {@code i}'s event loop after {@code ms}. */
  void later(int i, long ms, Runnable action) {
    Context c = contexts.get(i % contexts.size());
    c.owner().setTimer(ms, id -> c.runOnContext(v -> action.run()));
  }

  /** Connects client {@code i} to a node's WebSocket port, on the client's loop and source address. */
  Future<BenchClient> connect(int i, int port) {
    return connect(i, port, BenchClient.Transport.WS);
  }

  /** The same over {@code transport}; {@code port} is the node's port for it. */
  Future<BenchClient> connect(int i, int port, BenchClient.Transport transport) {
    if (transport == BenchClient.Transport.TCP) {
      NetClient net = tcp.get(i % tcp.size());
      return on(i, () -> BenchClient.connectTcp(net, port));
    }
    WebSocketClient ws = sockets.get(i % sockets.size());
    return on(i, () -> BenchClient.connect(ws, port));
  }

  /** Connect then log in with {@code token}; a client whose login fails is closed. */
  Future<BenchClient> connectAndLogin(int i, int port, String token) {
    return connect(i, port).compose(c -> c.login(token).map(b -> c)
        .recover(t -> c.close().transform(v -> Future.failedFuture(t))));
  }
}
