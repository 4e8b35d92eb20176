package io.ravenpost.online;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link OneSessionPerAccountTest} with the nodes on a Redis Cluster: registry claims and kicks span registry shards on every master. */
@ExtendWith(RedisClusterMode.class)
class OneSessionPerAccountOnClusterTest extends OneSessionPerAccountTest {
}
