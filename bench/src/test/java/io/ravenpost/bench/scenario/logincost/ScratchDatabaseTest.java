package io.ravenpost.bench.scenario.logincost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scenario's own database is always a {@code ravenpost_scratch_*} one, the only kind the app user may create. */
class ScratchDatabaseTest {
  @Test
  void aScratchDatabaseGivenWithMysqlIsThePrefix() {
    assertThat(ScratchDatabase.name("ravenpost_scratch_lc", "logincost", "1abc"))
        .isEqualTo("ravenpost_scratch_lc_1abc");
  }

  @Test
  void anyOtherDatabaseGivesAScratchNameOfTheScenario() {
    assertThat(ScratchDatabase.name("ravenpost_bench", "logincost", "1abc"))
        .isEqualTo("ravenpost_scratch_logincost_1abc");
  }

  @Test
  void theUriKeepsItsCredentialsAndOptions() {
    String uri = "mysql://u:p@127.0.0.1:3306/ravenpost_bench?ssl=false";

    assertThat(ScratchDatabase.databaseOf(uri)).isEqualTo("ravenpost_bench");
    assertThat(ScratchDatabase.withDatabase(uri, "ravenpost_scratch_x"))
        .isEqualTo("mysql://u:p@127.0.0.1:3306/ravenpost_scratch_x?ssl=false");
    assertThat(ScratchDatabase.withDatabase("mysql://u:p@db:3306", "d")).isEqualTo("mysql://u:p@db:3306/d");
  }
}
