package io.ravenpost.http;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** A named queue whose depth operators see in {@code GET /admin/stats} (cluster-wide, not per node). */
public interface QueueDepth {
  String name();

  Future<Long> depth();

  static QueueDepth of(String name, Supplier<Future<Long>> depth) {
    return new QueueDepth() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Long> depth() {
        return depth.get();
      }
    };
  }
}
