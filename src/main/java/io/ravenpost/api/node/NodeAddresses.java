package io.ravenpost.api.node;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Endpoint;

/** Addresses every node, or the scheduler role, answers. */
public final class NodeAddresses {
  /** Runs a job now on this cluster. */
  public static final Endpoint<RunJob, JobRun> SCHEDULER_RUN =
      Endpoint.of("raven.scheduler.run", RunJob.CODEC, JobRun.CODEC);

  private NodeAddresses() {
  }

  /**
   * What node {@code nodeId} answers a ping on, whatever its roles (sent with no body): a member
   * that answers is one the event bus reaches both ways.
   */
  public static Endpoint<Void, Pong> ping(String nodeId) {
    return Endpoint.of("raven.node." + nodeId + ".ping", Codec.NONE, Pong.CODEC);
  }
}
