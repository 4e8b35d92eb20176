package io.ravenpost.mail.global.distribute;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.common.Db;
import io.ravenpost.common.Stores;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One player is in one worker's batch at a time. A player queued again while a worker holds it
 * (a login, the online walk) used to be handed to a second worker at once: both then locked the
 * same {@code global_mail_cursor} rows, and with overlapping batches InnoDB deadlocked them.
 */
class GlobalQueueTest {
  private Stores stores;
  private GlobalQueue queue;

  @BeforeEach
  void open() {
    TestEnv.ensure();
    Redis redis = TestEnv.redisClient();
    Db db = Db.connect(TestClient.vertx(), new MysqlConfig(List.of(TestEnv.mysqlUri()), 1), new SimpleMeterRegistry());
    stores = new Stores(db, redis, redis, TestEnv.randomPrefix(), TestEnv.redisCluster() != null);
    queue = new GlobalQueue(stores, new GlobalKeys(stores));
  }

  @AfterEach
  void close() {
    Await.result(stores.close());
  }

  @Test
  void aPlayerQueuedAgainWhileInFlightWaitsForThatBatchThenIsTakenAgain() {
    Await.result(queue.enqueue(List.of(1L, 2L)));
    GlobalQueue.Taken first = Await.result(queue.take(10, 60_000));
    assertThat(first.uids()).containsExactly(1L, 2L);

    Await.result(queue.enqueue(List.of(2L, 3L)));
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("2 is still in the first batch").containsExactly(3L);
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("nothing due while 2 is held").isEmpty();
    assertThat(Await.result(queue.queued())).as("2 waits in the queue, not dropped").isEqualTo(1);

    Await.result(queue.done(first));
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("due once the first batch is done").containsExactly(2L);
  }

  @Test
  void aPlayerHeldByADeadWorkerIsTakenOnceItsDeadlinePassed() {
    Await.result(queue.enqueue(List.of(7L)));
    assertThat(Await.result(queue.take(10, 300)).uids()).containsExactly(7L);
    Await.result(queue.enqueue(List.of(7L)));
    assertThat(Await.result(queue.take(10, 60_000)).uids()).isEmpty();
    Await.result(TestClient.vertx().timer(400));
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("the dead holder's deadline passed").containsExactly(7L);
  }

  @Test
  void aFailedBatchIsTakenAgainAfterAPauseNotAfterItsDeadline() {
    Await.result(queue.enqueue(List.of(5L, 6L)));
    GlobalQueue.Taken taken = Await.result(queue.take(10, 60_000));
    assertThat(taken.uids()).containsExactly(5L, 6L);
    Await.result(queue.enqueue(List.of(6L)));
    Await.result(queue.failed(taken, 300));
    assertThat(Await.result(queue.inFlight())).as("the failed batch left flight").isZero();
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("6 was queued again meanwhile: due at once")
        .containsExactly(6L);
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("5 not before the pause").isEmpty();
    Await.result(TestClient.vertx().timer(400));
    assertThat(Await.result(queue.take(10, 60_000)).uids()).as("5 after the pause").containsExactly(5L);
  }

  /** Workers racing on one queue while players are queued again and again: never one player in two batches. */
  @Test
  void racingWorkersNeverHoldOnePlayerTwice() {
    List<Long> players = LongStream.range(1, 41).boxed().toList();
    Set<Long> held = ConcurrentHashMap.newKeySet();
    List<String> overlaps = new ArrayList<>();
    Set<Long> served = new HashSet<>();
    long until = System.currentTimeMillis() + 3_000;
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      // Staggered, so that one worker takes while the others hold their batches.
      workers.add(TestClient.vertx().timer(1 + w * 20L).compose(v -> work(held, overlaps, served, until)));
    }
    // Queued again every 20 ms while batches take 80: most re-queues find the player in flight.
    for (int round = 0; round < 30; round++) {
      Await.result(queue.enqueue(players));
      Await.result(TestClient.vertx().timer(20));
    }
    Await.result(Future.all(workers), 20_000);
    assertThat(overlaps).as("players taken while another batch held them").isEmpty();
    assertThat(served).containsAll(players);
  }

  private Future<Void> work(Set<Long> held, List<String> overlaps, Set<Long> served, long until) {
    if (System.currentTimeMillis() > until) {
      return Future.succeededFuture();
    }
    return queue.take(8, 60_000).compose(t -> {
      if (t.uids().isEmpty()) {
        return TestClient.vertx().timer(5).<Void>mapEmpty();
      }
      for (Long u : t.uids()) {
        if (!held.add(u)) {
          synchronized (overlaps) {
            overlaps.add("uid " + u);
          }
        }
      }
      synchronized (served) {
        served.addAll(t.uids());
      }
      // A batch takes a while, as a distribution does.
      return TestClient.vertx().timer(80).compose(v -> {
        t.uids().forEach(held::remove);
        return queue.done(t);
      });
    }).compose(v -> work(held, overlaps, served, until));
  }
}
