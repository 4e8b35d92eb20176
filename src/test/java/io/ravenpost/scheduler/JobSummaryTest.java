package io.ravenpost.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job that found nothing to do (most runs of most jobs) is not an operator's business: its run is
 * logged at INFO only when its summary counts something.
 */
class JobSummaryTest {
  @Test
  void aSummaryCountsAsWorkOnlyWhenItCountsSomething() {
    assertThat(SchedulerVerticle.didWork(null)).isFalse();
    assertThat(SchedulerVerticle.didWork(0)).isFalse();
    assertThat(SchedulerVerticle.didWork(List.of())).isFalse();
    assertThat(SchedulerVerticle.didWork(new JsonObject().put("mail", 0L).put("outbox", 0L))).isFalse();
    assertThat(SchedulerVerticle.didWork(new JsonObject().put("mail", 0L).put("outbox", 3L))).isTrue();
    assertThat(SchedulerVerticle.didWork(new JsonObject().put("shards", new JsonArray().add(1)))).isTrue();
    assertThat(SchedulerVerticle.didWork(2)).isTrue();
    assertThat(SchedulerVerticle.didWork(List.of("x"))).isTrue();
  }
}
