package io.ravenpost.common.config;

public record AdminConfig(String host, int port) {
}
