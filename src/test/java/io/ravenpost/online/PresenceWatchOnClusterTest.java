package io.ravenpost.online;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PresenceWatchTest} with the nodes on a Redis Cluster: presence reads registry shards on every master. */
@ExtendWith(RedisClusterMode.class)
class PresenceWatchOnClusterTest extends PresenceWatchTest {
}
