package io.ravenpost.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class against the JVM's shared {@link LocalRedisCluster}: every node its tests start
 * has {@code redis.mode} = cluster. Put it on a subclass of a standalone test to run the same
 * black-box checks on both modes.
 */
public final class RedisClusterMode implements BeforeAllCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    TestEnv.useRedisCluster(LocalRedisCluster.shared());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestEnv.useRedisCluster(null);
  }
}
