package io.ravenpost.mail.global;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link GlobalMailTest} with the nodes on a Redis Cluster: the global cache and the distribution queue each live in one slot of their own. */
@ExtendWith(RedisClusterMode.class)
class GlobalMailOnClusterTest extends GlobalMailTest {
}
