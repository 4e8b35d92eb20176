package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.LocalRedisCluster;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The held cluster connection is replaced when its connections drop while their masters live (a
 * network blip, a server closing clients): without that, every slot would stay unreachable.
 */
class HeldClusterClientTest {
  /** Enough keys to land on every master. */
  private static final List<String> KEYS = IntStream.range(0, 24).mapToObj(i -> "held-test:{" + i + "}").toList();

  @Test
  void connectionsKilledUnderTheHeldOneAreReplacedAndEverySlotAnswersAgain() {
    try (LocalRedisCluster redis = LocalRedisCluster.start()) {
      RedisOptions o = new RedisOptions().setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
          .setMaxPoolSize(4);
      redis.nodes().forEach(o::addConnectionString);
      Redis client = new HeldClusterClient(TestClient.vertx(), Redis.createClient(TestClient.vertx(), o), 1);
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

  private static Future<List<Response>> all(Redis client, Function<String, Request> cmd) {
    List<Future<Response>> sends = KEYS.stream().map(k -> client.send(cmd.apply(k))).toList();
    return Future.all(sends).map(cf -> sends.stream().map(Future::result).toList());
  }
}
