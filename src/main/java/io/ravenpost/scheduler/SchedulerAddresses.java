package io.ravenpost.scheduler;

/** Event-bus addresses of the scheduler role. */
public final class SchedulerAddresses {
  /** Request {@code {job}} → {@code {job, ran}}: runs a job now on this cluster (operators, tests). */
  public static final String RUN = "raven.scheduler.run";

  private SchedulerAddresses() {
  }
}
