package io.ravenpost.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One timer per step of a multi-step operation ({@code name{stage=…}}), so that when the whole is
 * slow an operator sees which step waits, not just that it does. Timers are registered up front:
 * a hot path never looks a meter up.
 */
public final class Stages {
  private final Map<String, Timer> timers = new HashMap<>();

  public Stages(MeterRegistry registry, String name, String description, String... stages) {
    for (String stage : stages) {
      timers.put(stage, Timer.builder(name).tag("stage", stage).description(description)
          .publishPercentileHistogram().register(registry));
    }
  }

  /** Runs {@code step} and records how long its future took, failed or not. */
  public <T> Future<T> time(String stage, Supplier<Future<T>> step) {
    Timer timer = timers.get(stage);
    if (timer == null) {
      throw new IllegalArgumentException("no stage " + stage);
    }
    long start = System.nanoTime();
    return step.get().onComplete(ar -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }
}
