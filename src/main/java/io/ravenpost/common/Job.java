package io.ravenpost.common;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * A periodic job. Each run is taken by one node of the cluster per interval (a Redis lease named
 * after the job), so adding nodes never multiplies the work.
 */
public record Job(String name, long intervalMs, Supplier<Future<?>> run) {
}
