package io.ravenpost.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A scheduler section that runs no periodic job for a day, for tests that count statements. Read
 * from the bundled defaults, so a job added later is quiet here too instead of a 1 s job sneaking
 * a statement into a count now and then.
 */
public final class QuietJobs {
  private static final long DAY_MS = 24L * 3600 * 1000;

  private QuietJobs() {
  }

  /** Every job's interval set to a day, except the named ones (keys of the scheduler section). */
  public static JsonObject except(String... keep) {
    JsonObject quiet = new JsonObject();
    Set<String> kept = Set.of(keep);
    for (String key : defaults().fieldNames()) {
      if (!kept.contains(key)) {
        quiet.put(key, DAY_MS);
      }
    }
    return quiet;
  }

  private static JsonObject defaults() {
    try (InputStream in = QuietJobs.class.getClassLoader().getResourceAsStream("ravenpost.json")) {
      if (in == null) {
        throw new IllegalStateException("ravenpost.json is not on the test classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("scheduler");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
