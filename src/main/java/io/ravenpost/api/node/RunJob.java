package io.ravenpost.api.node;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** Run a periodic job now on this cluster (operators, tests): answered {@link JobRun}. */
public record RunJob(String job) {
  public static final Codec<RunJob> CODEC = Codec.json(r -> new JsonObject().put("job", r.job),
      j -> new RunJob(Fields.requireString(j, "job", 64)));
}
