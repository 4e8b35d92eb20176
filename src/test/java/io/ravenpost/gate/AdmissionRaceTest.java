package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.gate.GateConfig;
import io.ravenpost.node.RavenConfig;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The per-address connection count holds whatever the event loops do at once: sockets of one
 * address arriving and leaving on several threads are each counted, so the address never holds more
 * than {@code gate.maxConnectionsPerIp}. Threads churn sockets of one address for a while; a socket
 * is counted as held only between its admission and its departure, and that count never exceeds
 * the limit, and once they all left the address has its whole allowance again.
 */
class AdmissionRaceTest {
  private static final int LIMIT = 2;
  private static final int THREADS = 4;

  @Test
  void churnOnSeveralThreadsNeverAdmitsMoreThanTheLimit() throws Exception {
    GateConfig cfg = RavenConfig.load(Map.of(), new JsonObject().put("gate",
        new JsonObject().put("maxConnectionsPerIp", LIMIT).put("host", "127.0.0.1"))).gate();
    Admission admission = new Admission(TestClient.vertx(), cfg, new SimpleMeterRegistry());
    AtomicInteger held = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      SocketAddress socket = SocketAddress.inetSocketAddress(40_000 + t, "10.1.2.3");
      Thread churn = new Thread(() -> {
        while (!stop.get()) {
          if (admission.enter(socket)) {
            most.accumulateAndGet(held.incrementAndGet(), Math::max);
            held.decrementAndGet();
            admission.leave(socket);
          }
        }
      });
      threads.add(churn);
      churn.start();
    }
    Thread.sleep(3000);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(most.get()).as("sockets of one address held at once").isLessThanOrEqualTo(LIMIT);
    int again = 0;
    while (again <= LIMIT && admission.enter(SocketAddress.inetSocketAddress(50_000 + again, "10.1.2.3"))) {
      again++;
    }
    assertThat(again).as("the allowance once every socket left").isEqualTo(LIMIT);
  }
}
