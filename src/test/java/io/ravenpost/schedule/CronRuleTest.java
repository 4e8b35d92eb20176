package io.ravenpost.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Run times as cron-utils 9.2.1 defines them, in the schedule's zone: the daylight saving days of
 * America/New_York in 2026 (spring forward on March 8 at 02:00, fall back on November 1 at 02:00),
 * the window, the latest due run after downtime and the runs it skips. These assertions are what
 * docs/operations.md promises operators.
 */
class CronRuleTest {
  private static final String NY = "America/New_York";

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static CronRule rule(String cron, String zone) {
    return CronRule.parse(new JsonObject().put("cron", cron).put("timezone", zone));
  }

  @Test
  void aWallTimeThatDoesNotExistOnTheSpringForwardDayHasNoRunThatDay() {
    CronRule daily = rule("30 2 * * *", NY);
    // 02:30 EST on March 7 (07:30Z); March 8 has no 02:30 (02:00 EST jumps to 03:00 EDT); March 9 at 02:30 EDT.
    assertThat(daily.upcoming(at("2026-03-07T00:00:00Z"), 3))
        .containsExactly(at("2026-03-07T07:30:00Z"), at("2026-03-09T06:30:00Z"), at("2026-03-10T06:30:00Z"));
    assertThat(daily.local(at("2026-03-09T06:30:00Z"))).isEqualTo("2026-03-09T02:30-04:00");
    // An hourly rule runs at 01:00 EST and then 03:00 EDT: 07:00Z follows 06:00Z, one hour of real time.
    assertThat(rule("0 * * * *", NY).upcoming(at("2026-03-08T05:30:00Z"), 3))
        .containsExactly(at("2026-03-08T06:00:00Z"), at("2026-03-08T07:00:00Z"), at("2026-03-08T08:00:00Z"));
  }

  @Test
  void aWallTimeThatOccursTwiceOnTheFallBackDayRunsOnceAtItsFirstOccurrence() {
    CronRule daily = rule("30 1 * * *", NY);
    // 01:30 EDT (05:30Z) on November 1; its second occurrence, 01:30 EST (06:30Z), is no run; then November 2 EST.
    assertThat(daily.upcoming(at("2026-10-31T12:00:00Z"), 3))
        .containsExactly(at("2026-11-01T05:30:00Z"), at("2026-11-02T06:30:00Z"),
            at("2026-11-03T06:30:00Z"));
    assertThat(daily.local(at("2026-11-01T05:30:00Z"))).isEqualTo("2026-11-01T01:30-04:00");
    // Counted from inside the repeated hour (a schedule created then), the next run is the second 01:30.
    assertThat(daily.after(at("2026-11-01T05:45:00Z")).getAsLong()).isEqualTo(at("2026-11-01T06:30:00Z"));
    // A rule on every hour runs at both 01:00s: 05:00Z (EDT) and 06:00Z (EST).
    assertThat(rule("0 * * * *", NY).upcoming(at("2026-11-01T04:30:00Z"), 3))
        .containsExactly(at("2026-11-01T05:00:00Z"), at("2026-11-01T06:00:00Z"), at("2026-11-01T07:00:00Z"));
  }

  @Test
  void runsStayInsideTheWindow() {
    long start = at("2026-01-10T00:00:00Z");
    long end = at("2026-01-12T09:00:00Z");
    CronRule r = CronRule.parse(new JsonObject().put("cron", "0 9 * * *").put("startsAt", start).put("endsAt", end));
    assertThat(r.timezone()).isEqualTo("UTC");
    // From well before startsAt: the first run is the first at or after it; endsAt itself is no run.
    assertThat(r.upcoming(at("2026-01-01T00:00:00Z"), 5))
        .containsExactly(at("2026-01-10T09:00:00Z"), at("2026-01-11T09:00:00Z"));
    CronRule onTheDot = CronRule.parse(new JsonObject().put("cron", "0 9 * * *")
        .put("startsAt", at("2026-01-10T09:00:00Z")));
    assertThat(onTheDot.after(at("2026-01-01T00:00:00Z")).getAsLong()).isEqualTo(at("2026-01-10T09:00:00Z"));
    assertThat(r.after(at("2026-01-11T09:00:00Z"))).isEmpty();
  }

  @Test
  void afterDowntimeTheLatestDueRunIsSentAndTheOlderOnesSkipped() {
    CronRule every10 = rule("*/10 * * * *", "UTC");
    long next = at("2026-05-01T10:00:00Z");
    long now = at("2026-05-01T12:05:30Z");
    long latest = every10.latestDue(next, now);
    assertThat(latest).isEqualTo(at("2026-05-01T12:00:00Z"));
    List<Long> skipped = every10.skipped(next, latest, RunClaims.MAX_SKIPPED_RECORDED);
    assertThat(skipped).hasSize(12).startsWith(at("2026-05-01T11:50:00Z")).endsWith(next);
    assertThat(every10.skipped(next, latest, 3)).hasSize(3).startsWith(at("2026-05-01T11:50:00Z"));
    // A run due exactly now counts; nothing is skipped when the next run is the only one due.
    assertThat(every10.latestDue(next, next)).isEqualTo(next);
    assertThat(every10.skipped(next, next, 100)).isEmpty();
    assertThat(every10.latestDue(next, next + 599_999)).isEqualTo(next);
    assertThat(every10.latestDue(next, next + 600_000)).isEqualTo(next + 600_000);
    // A window's end bounds the catch-up too.
    CronRule ending = CronRule.parse(new JsonObject().put("cron", "*/10 * * * *")
        .put("endsAt", at("2026-05-01T11:00:00Z")));
    assertThat(ending.latestDue(next, now)).isEqualTo(at("2026-05-01T10:50:00Z"));
  }

  @Test
  void badRulesAreRefusedNamingTheField() {
    assertRefused(new JsonObject().put("cron", "* * * *"), "cron is not a Unix cron expression of 5 fields");
    assertRefused(new JsonObject().put("cron", "0 0 1 * * 2027"), "cron is not a Unix cron expression");
    assertRefused(new JsonObject().put("cron", "61 * * * *"), "cron is not");
    assertRefused(new JsonObject().put("cron", "@daily"), "cron is not");
    assertRefused(new JsonObject(), "cron is required");
    assertRefused(new JsonObject().put("cron", "0 0 * * *").put("timezone", "Mars/Olympus"), "timezone must be");
    assertRefused(new JsonObject().put("cron", "0 0 * * *").put("timezone", "+02:00"), "timezone must be");
    assertRefused(new JsonObject().put("cron", "0 0 * * *").put("startsAt", 20).put("endsAt", 20), "endsAt must be");
    assertRefused(new JsonObject().put("cron", "0 0 * * *").put("startsAt", "soon"), "startsAt must be");
  }

  private static void assertRefused(JsonObject req, String message) {
    assertThatThrownBy(() -> CronRule.parse(req)).isInstanceOf(RavenException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((RavenException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
