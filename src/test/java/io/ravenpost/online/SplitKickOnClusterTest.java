package io.ravenpost.online;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SplitKickTest} with the nodes on a Redis Cluster: a kick asked through Redis reaches the owner's queue on whichever master holds it. */
@ExtendWith(RedisClusterMode.class)
class SplitKickOnClusterTest extends SplitKickTest {
}
