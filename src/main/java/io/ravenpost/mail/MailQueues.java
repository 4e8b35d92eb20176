package io.ravenpost.mail;

import io.ravenpost.http.QueueDepth;
import io.ravenpost.common.NodeContext;
import java.util.List;

/** The mail feature's queues as {@code GET /admin/stats} lists them; any node can read them. */
public final class MailQueues {
  private MailQueues() {
  }

  public static List<QueueDepth> depths(NodeContext ctx) {
    GlobalQueue queue = new GlobalQueue(ctx, new GlobalKeys(ctx));
    return List.of(
        QueueDepth.of("globalQueued", queue::queued),
        QueueDepth.of("globalInFlight", queue::inFlight),
        QueueDepth.of("grantsUnacknowledged", () -> OutboxRelay.backlog(ctx.db())));
  }
}
