package io.ravenpost.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When a schedule runs: a Unix cron expression (5 fields, read by cron-utils) in an IANA time zone,
 * between {@code startsAt} (inclusive) and {@code endsAt} (exclusive). Run times are computed by
 * cron-utils' {@link ExecutionTime} on {@link ZonedDateTime}s in the zone, so daylight saving time
 * is what that library defines: a wall time that does not exist on a spring-forward day has no run
 * that day, and a fixed wall time that occurs twice on a fall-back day runs once, at its first
 * occurrence, when the previous run came before it (docs/operations.md has the details).
 */
public final class CronRule {
  static final int MAX_CRON_CHARS = 128;
  static final String UTC = "UTC";
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String cron;
  private final ZoneId zone;
  private final Long startsAt;
  private final Long endsAt;
  private final ExecutionTime times;

  private CronRule(String cron, ZoneId zone, Long startsAt, Long endsAt) {
    this.cron = cron;
    this.zone = zone;
    this.startsAt = startsAt;
    this.endsAt = endsAt;
    this.times = ExecutionTime.forCron(parseCron(cron));
  }

  /**
   * The rule of a request ({@code cron}, {@code timezone}, {@code startsAt}, {@code endsAt}, from a
   * body or a query string): a BAD_REQUEST naming the field when one is wrong.
   */
  static CronRule parse(JsonObject req) {
    String cron = Fields.requireString(req, "cron", MAX_CRON_CHARS).trim();
    String tz = Fields.optString(req, "timezone", 64);
    Long startsAt = Fields.optLong(req, "startsAt");
    Long endsAt = Fields.optLong(req, "endsAt");
    if (startsAt != null && startsAt < 0) {
      throw Fields.bad("startsAt", "must be an epoch time in milliseconds");
    }
    if (endsAt != null && endsAt < 0) {
      throw Fields.bad("endsAt", "must be an epoch time in milliseconds");
    }
    if (startsAt != null && endsAt != null && endsAt <= startsAt) {
      throw Fields.bad("endsAt", "must be later than startsAt");
    }
    return new CronRule(cron, zone(tz == null || tz.isEmpty() ? UTC : tz), startsAt, endsAt);
  }

  /** A rule as stored (checked when it was created). */
  static CronRule stored(String cron, String timezone, Long startsAt, Long endsAt) {
    return new CronRule(cron, ZoneId.of(timezone), startsAt, endsAt);
  }

  private static Cron parseCron(String cron) {
    try {
      return PARSER.parse(cron).validate();
    } catch (RuntimeException e) {
      throw Fields.bad("cron", "is not a Unix cron expression of 5 fields (minute hour day-of-month month "
          + "day-of-week): " + e.getMessage());
    }
  }

  /** An IANA zone id ({@code Europe/Paris}, {@code UTC}); offsets and abbreviations are refused. */
  private static ZoneId zone(String id) {
    if (!ZoneId.getAvailableZoneIds().contains(id)) {
      throw Fields.bad("timezone", "must be an IANA time zone id such as Europe/Paris or UTC, not " + id);
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw Fields.bad("timezone", "must be an IANA time zone id such as Europe/Paris or UTC, not " + id);
    }
  }

  public String cron() {
    return cron;
  }

  public String timezone() {
    return zone.getId();
  }

  public Long startsAt() {
    return startsAt;
  }

  public Long endsAt() {
    return endsAt;
  }

  /** The first run strictly after {@code at} and not before {@code startsAt}; empty when none is left. */
  public OptionalLong after(long at) {
    long from = startsAt == null ? at : Math.max(at, startsAt - 1);
    Optional<ZonedDateTime> next = times.nextExecution(zoned(from));
    if (next.isEmpty()) {
      return OptionalLong.empty();
    }
    long t = next.get().toInstant().toEpochMilli();
    return endsAt != null && t >= endsAt ? OptionalLong.empty() : OptionalLong.of(t);
  }

  /** Up to {@code n} runs after {@code at}, in order. */
  public List<Long> upcoming(long at, int n) {
    List<Long> out = new ArrayList<>();
    OptionalLong t = after(at);
    while (t.isPresent() && out.size() < n) {
      out.add(t.getAsLong());
      t = after(t.getAsLong());
    }
    return out;
  }

  /**
   * The run to send when {@code next} (a run time) has come by {@code now}: the latest run at or
   * before {@code now} (and before {@code endsAt}), never earlier than {@code next}. Older due runs
   * are skipped: after downtime only the latest missed run is sent.
   */
  public long latestDue(long next, long now) {
    long bound = endsAt == null ? now : Math.min(now, endsAt - 1);
    // lastExecution answers the last run strictly before its argument.
    Optional<ZonedDateTime> last = times.lastExecution(zoned(bound + 1));
    return Math.max(next, last.map(t -> t.toInstant().toEpochMilli()).orElse(next));
  }

  /** The runs from {@code next} (inclusive) to {@code latest} (exclusive), newest first, at most {@code max}. */
  public List<Long> skipped(long next, long latest, int max) {
    List<Long> out = new ArrayList<>();
    Optional<ZonedDateTime> t = times.lastExecution(zoned(latest));
    while (t.isPresent() && out.size() < max) {
      long ms = t.get().toInstant().toEpochMilli();
      if (ms < next) {
        break;
      }
      out.add(ms);
      t = times.lastExecution(t.get());
    }
    return out;
  }

  /** A run time as the schedule's zone shows it, e.g. {@code 2026-03-09T02:30-04:00}. */
  public String local(long at) {
    return zoned(at).toOffsetDateTime().toString();
  }

  private ZonedDateTime zoned(long ms) {
    return Instant.ofEpochMilli(ms).atZone(zone);
  }
}
