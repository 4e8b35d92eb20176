package io.ravenpost.api.node;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** What a job run on request did: {@code result} is the job's own summary (null when it has none). */
public record JobRun(String job, boolean ran, String result) {
  public static final Codec<JobRun> CODEC = Codec.json(
      r -> new JsonObject().put("job", r.job).put("ran", r.ran).put("result", r.result),
      j -> new JobRun(j.getString("job"), j.getBoolean("ran", false), j.getString("result")));
}
