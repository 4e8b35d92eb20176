package io.ravenpost.schedule;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * One schedule as stored: its rule, the {@code POST /admin/mail} body each run sends, and where its
 * runs stand. Times are epoch milliseconds.
 *
 * @param nextRunAt    the next run not yet claimed; null when none is left or the schedule was deleted
 * @param lastRunAt    the latest run that was sent or failed
 * @param pendingRunAt a run claimed by a node and not finished yet
 * @param leaseOwner   the claim holding the pending run (node id and a random part), null between tries
 * @param attempts     failed sends of the pending run so far
 * @param dueAt        when the job must look at the schedule next
 */
record Schedule(long id, String name, CronRule rule, JsonObject mail, String createdBy, long createdAt, Long deletedAt,
                Long nextRunAt, Long lastRunAt, Long pendingRunAt, String leaseOwner, Long leaseUntil, int attempts,
                Long dueAt) {
  static Schedule fromRow(Row r) {
    CronRule rule = CronRule.stored(r.getString("cron"), r.getString("timezone"), r.getLong("starts_at"),
        r.getLong("ends_at"));
    return new Schedule(r.getLong("id"), r.getString("name"), rule, new JsonObject(r.getString("mail")),
        r.getString("created_by"), r.getLong("created_at"), r.getLong("deleted_at"), r.getLong("next_run_at"),
        r.getLong("last_run_at"), r.getLong("pending_run_at"), r.getString("lease_owner"), r.getLong("lease_until"),
        r.getInteger("attempts"), r.getLong("due_at"));
  }

  /** What operators see: every field, null where there is no value. */
  JsonObject toJson() {
    return new JsonObject().put("scheduleId", id).put("name", name).put("cron", rule.cron())
        .put("timezone", rule.timezone()).put("startsAt", rule.startsAt()).put("endsAt", rule.endsAt())
        .put("mail", mail).put("createdBy", createdBy).put("createdAt", createdAt).put("deletedAt", deletedAt)
        .put("lastRunAt", lastRunAt).put("nextRunAt", nextRunAt).put("pendingRunAt", pendingRunAt);
  }
}
