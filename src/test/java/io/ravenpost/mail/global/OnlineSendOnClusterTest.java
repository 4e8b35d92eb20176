package io.ravenpost.mail.global;

import io.ravenpost.testkit.RedisClusterMode;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link OnlineSendTest} with the nodes on a Redis Cluster: online sends walk registry shards on every master. */
@ExtendWith(RedisClusterMode.class)
class OnlineSendOnClusterTest extends OnlineSendTest {
}
