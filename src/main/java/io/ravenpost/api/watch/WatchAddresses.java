package io.ravenpost.api.watch;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Endpoint;
import io.ravenpost.api.Topic;
import io.ravenpost.api.UnreadCount;

/** The long-poll watches, held by the online role of any node: for services and the HTTP API. */
public final class WatchAddresses {
  /** A presence watch; same rules as {@code presence.watch}. */
  public static final Endpoint<WatchPresence, PresenceAnswer> PRESENCE =
      Endpoint.of("raven.online.watch", WatchPresence.CODEC, PresenceAnswer.CODEC);
  /**
   * An unread-count watch. UNAVAILABLE when the node holds {@code watch.maxHeldPerNode} watches or
   * stops.
   */
  public static final Endpoint<WatchUnread, UnreadCount> UNREAD =
      Endpoint.of("raven.mail.watch", WatchUnread.CODEC, UnreadCount.CODEC);
  /** The caller of a held watch is gone. */
  public static final Topic<WatchCancel> CANCEL = Topic.of("raven.watch.cancel", WatchCancel.CODEC);
  /**
   * Published by the stale-watches job: every node checks the sessions behind its held watches
   * against the registry and drops those gone.
   */
  public static final Topic<Void> SWEEP = Topic.of("raven.watch.sweep", Codec.NONE);

  private WatchAddresses() {
  }
}
