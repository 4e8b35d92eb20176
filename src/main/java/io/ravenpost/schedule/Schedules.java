package io.ravenpost.schedule;

import io.ravenpost.common.Job;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.common.config.SchedulerConfig;
import io.ravenpost.http.AdminRoutes;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * The schedules feature, wired once per node: its admin routes (on nodes with the admin role) and
 * its job (on nodes with the scheduler role). Runs go through the mail role over the event bus, so
 * the job needs no mail role on its own node.
 */
public final class Schedules {
  /** The job's name, as {@code raven_scheduler_runs_total{job}} and {@code raven.scheduler.run} know it. */
  public static final String JOB = "schedules";

  private final NodeInfo node;
  private final Stores stores;
  private final ScheduleConfig cfg;

  public Schedules(NodeInfo node, Stores stores, ScheduleConfig cfg) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
  }

  /** @param mailCheck the mail role's check of a send body: a schedule's mail is checked as POST /admin/mail checks */
  public AdminRoutes routes(Consumer<JsonObject> mailCheck) {
    return new ScheduleRoutes(new ScheduleStore(stores.db()), mailCheck, System::currentTimeMillis);
  }

  /** The job that sends each due run, every {@code scheduler.schedulesMs}. */
  public List<Job> jobs(SchedulerConfig intervals) {
    ScheduleRunner runner = new ScheduleRunner(node, stores.db(), cfg, System::currentTimeMillis);
    return List.of(new Job(JOB, intervals.schedulesMs(), runner::runDue));
  }
}
