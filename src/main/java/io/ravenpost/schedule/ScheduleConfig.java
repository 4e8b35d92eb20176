package io.ravenpost.schedule;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * The {@code schedule} section (env {@code RAVEN_SCHEDULE_*}); the job's interval is the
 * scheduler's {@code scheduler.schedulesMs}.
 *
 * @param leaseMs     how long a claimed run belongs to the node that claimed it: a node that dies
 *                    mid-run leaves the run to another node after this, whose retry (with the run's
 *                    idempotency key) sends nothing new if the first send was stored. Longer than a
 *                    send may take (30 s), so a live node is not overtaken
 * @param retryMs     the pause before a run whose send failed is tried again
 * @param maxAttempts failed sends of one run before it is recorded {@code failed} and the schedule
 *                    moves on to its next run
 * @param batch       due schedules one run of the job takes
 */
public record ScheduleConfig(long leaseMs, long retryMs, int maxAttempts, int batch) {
  public static ScheduleConfig from(JsonObject raw) {
    return new ScheduleConfig(Conf.longIn(raw, "schedule.leaseMs", 500, 3_600_000),
        Conf.longIn(raw, "schedule.retryMs", 100, 3_600_000), Conf.intIn(raw, "schedule.maxAttempts", 1, 1000),
        Conf.intIn(raw, "schedule.batch", 1, 10_000));
  }
}
