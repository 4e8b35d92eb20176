package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.LocalRedisCluster;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A held connection is replaced when it drops while Redis lives (a network blip, a server closing
 * clients): without that, every command (on a cluster, every slot of that master) would keep
 * failing. And the held connections pipeline: far more commands are in flight than connections.
 */
class HeldRedisClientTest {
  /** Enough keys to land on every master. */
  private static final List<String> KEYS = IntStream.range(0, 24).mapToObj(i -> "held-test:{" + i + "}").toList();

  @Test
  void connectionsKilledUnderTheHeldOneAreReplacedAndEverySlotAnswersAgain() {
    try (LocalRedisCluster redis = LocalRedisCluster.start()) {
      RedisOptions o = new RedisOptions().setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
          .setMaxPoolSize(4);
      redis.nodes().forEach(o::addConnectionString);
      Redis client = new HeldRedisClient(TestClient.vertx(), Redis.createClient(TestClient.vertx(), o), 1);
      try {
        Await.result(all(client, k -> Request.cmd(Command.SET).arg(k).arg(k)));
        redis.killClients();
        Poll.until("every slot answers on a replaced connection", 15_000, () -> {
          Future<List<Response>> reads = all(client, k -> Request.cmd(Command.GET).arg(k));
          Await.result(reads.recover(t -> Future.succeededFuture()), 5_000);
          return reads.succeeded();
        });
        List<Response> values = Await.result(all(client, k -> Request.cmd(Command.GET).arg(k)));
        assertThat(values.stream().map(Response::toString).toList()).isEqualTo(KEYS);
      } finally {
        Await.result(client.close());
      }
    }
  }

  @Test
  void aStandaloneConnectionKilledByRedisIsReplacedAndCommandsPipelineOverTheHeldOnes() {
    Redis pooled = Redis.createClient(TestClient.vertx(), new RedisOptions().setConnectionString(TestEnv.redisUri())
        .setMaxPoolSize(4).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(10_000));
    Redis client = new HeldRedisClient(TestClient.vertx(), pooled, 1);
    Redis admin = Redis.createClient(TestClient.vertx(), TestEnv.redisUri());
    try {
      long before = Await.result(client.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong();
      // 2,000 commands at once over one held connection: all answered, in order, none refused.
      List<Future<Response>> many = IntStream.range(0, 2000)
          .mapToObj(i -> client.send(Request.cmd(Command.ECHO).arg("m" + i))).toList();
      Await.result(Future.all(many));
      assertThat(many.stream().map(f -> f.result().toString()).toList())
          .isEqualTo(IntStream.range(0, 2000).mapToObj(i -> "m" + i).toList());
      assertThat(Await.result(client.send(Request.cmd(Command.CLIENT).arg("ID"))).toLong())
          .as("one held connection served them all").isEqualTo(before);

      Await.result(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(before)));
      Poll.until("commands answer on a replaced connection", 15_000, () -> {
        Future<Response> id = client.send(Request.cmd(Command.CLIENT).arg("ID"));
        Await.result(id.recover(t -> Future.succeededFuture()), 5_000);
        return id.succeeded() && id.result().toLong() != before;
      });
    } finally {
      Await.result(client.close());
      Await.result(admin.close());
    }
  }

  /**
   * Two verticles' contexts on one held connection: each hears its answers on its own context (its
   * own thread), as with the library's clients; a verticle's callbacks on another's thread would
   * race on state that verticle keeps unsynchronised.
   */
  @Test
  void answersComeBackOnTheCallersContext() {
    Redis client = new HeldRedisClient(TestClient.vertx(), Redis.createClient(TestClient.vertx(),
        new RedisOptions().setConnectionString(TestEnv.redisUri()).setMaxPoolSize(4)), 1);
    try {
      List<String> wrong = new CopyOnWriteArrayList<>();
      List<Future<Void>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Context ctx = TestClient.vertx().getOrCreateContext();
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> {
          List<Future<Response>> sends = new ArrayList<>();
          for (int n = 0; n < 20; n++) {
            sends.add(client.send(Request.cmd(Command.PING)).onComplete(ar -> {
              if (Vertx.currentContext() != ctx) {
                wrong.add(Thread.currentThread().getName());
              }
            }));
            sends.add(client.batch(List.of(Request.cmd(Command.PING))).map(r -> r.get(0)).onComplete(ar -> {
              if (Vertx.currentContext() != ctx) {
                wrong.add(Thread.currentThread().getName());
              }
            }));
          }
          Future.all(sends).<Void>mapEmpty().onComplete(p);
        });
        done.add(p.future());
      }
      Await.result(Future.all(done));
      assertThat(wrong).as("answers heard on another context's thread").isEmpty();
    } finally {
      Await.result(client.close());
    }
  }

  private static Future<List<Response>> all(Redis client, Function<String, Request> cmd) {
    List<Future<Response>> sends = KEYS.stream().map(k -> client.send(cmd.apply(k))).toList();
    return Future.all(sends).map(cf -> sends.stream().map(Future::result).toList());
  }
}
