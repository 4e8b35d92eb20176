package io.ravenpost.online;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link UnreadWatchTest} with the nodes on a Redis Cluster: watches answer from counts cached on whichever master holds the player's slot. */
@ExtendWith(RedisClusterMode.class)
class UnreadWatchOnClusterTest extends UnreadWatchTest {
}
