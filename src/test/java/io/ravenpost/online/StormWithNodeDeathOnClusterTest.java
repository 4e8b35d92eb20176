package io.ravenpost.online;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link StormWithNodeDeathTest} with the nodes on a Redis Cluster: the dead node's lease copies run out in every registry shard. */
@ExtendWith(RedisClusterMode.class)
class StormWithNodeDeathOnClusterTest extends StormWithNodeDeathTest {
}
