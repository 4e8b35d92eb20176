package io.ravenpost.schedule;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.RavenException;
import io.vertx.core.json.JsonObject;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A checked {@code POST /admin/schedules} body: {@code {name, cron, timezone?, startsAt?, endsAt?,
 * mail}}. Everything is checked before anything is stored, each fault a BAD_REQUEST naming its
 * field; the mail is checked as {@code POST /admin/mail} checks its body, its faults named
 * {@code mail.<field>}.
 *
 * @param nextRunAt the first run (epoch ms)
 */
record NewSchedule(String name, CronRule rule, JsonObject mail, long nextRunAt) {
  static final int MAX_NAME_CHARS = 128;
  static final String MAIL = "mail";

  /**
   * @param mailCheck the mail role's check of a send body (BAD_REQUEST naming the field, or nothing)
   * @param now       the time the first run must come after
   */
  static NewSchedule parse(JsonObject body, Consumer<JsonObject> mailCheck, long now) {
    String name = Fields.requireString(body, "name", MAX_NAME_CHARS).trim();
    if (name.isEmpty()) {
      throw Fields.bad("name", "is required");
    }
    CronRule rule = CronRule.parse(body);
    JsonObject mail = Fields.optObject(body, MAIL);
    if (mail == null) {
      throw Fields.bad(MAIL, "is required: a POST /admin/mail body");
    }
    // Each run sends with a key of its own; a key in the body would be the same for every run.
    if (mail.containsKey("idempotencyKey")) {
      throw Fields.bad(MAIL + ".idempotencyKey", "is not allowed: each run has a key of its own");
    }
    try {
      mailCheck.accept(mail);
    } catch (RavenException e) {
      throw e.code() == ErrorCode.BAD_REQUEST ? ErrorCode.BAD_REQUEST.error(MAIL + "." + e.getMessage()) : e;
    }
    OptionalLong first = rule.after(now);
    if (first.isEmpty()) {
      throw Fields.bad(rule.endsAt() != null ? "endsAt" : "cron", "leaves no run: the schedule would never send");
    }
    return new NewSchedule(name, rule, mail.copy(), first.getAsLong());
  }
}
