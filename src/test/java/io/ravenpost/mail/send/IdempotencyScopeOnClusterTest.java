package io.ravenpost.mail.send;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link IdempotencyScopeTest} with the nodes on a Redis Cluster: the in-flight keys live on whichever master holds their slot. */
@ExtendWith(RedisClusterMode.class)
class IdempotencyScopeOnClusterTest extends IdempotencyScopeTest {
}
