package io.ravenpost.online;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ReconcileTest} with the nodes on a Redis Cluster: an entry lost in a registry shard (a failover that dropped it) is put back or its older session closed. */
@ExtendWith(RedisClusterMode.class)
class ReconcileOnClusterTest extends ReconcileTest {
}
