package io.ravenpost.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Who this node is and where it reports: its id (the incarnation's, unique in the cluster), its
 * Vert.x and its metrics registry.
 */
public record NodeInfo(String id, Vertx vertx, MeterRegistry metrics) {
}
