package io.ravenpost.common.config;

public record RedisConfig(String uri, String prefix, int poolSize) {
}
