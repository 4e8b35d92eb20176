package io.ravenpost.api.online;

import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.Codec;
import io.ravenpost.api.Endpoint;
import io.ravenpost.api.Topic;
import io.ravenpost.api.UidQuery;
import io.vertx.core.json.JsonObject;

/** The online role's addresses: the account registry's services and its change events. */
public final class OnlineAddresses {
  /**
   * Published cluster-wide whenever a uid comes online or goes offline. The "session became owner"
   * event: a session is announced online only after it owns the registry entry, so consumers may
   * deliver to it.
   */
  public static final Topic<OnlineChanged> CHANGED = Topic.of("raven.online.changed", OnlineChanged.CODEC);
  /** Where a uid is online, if its node is alive. */
  public static final Endpoint<UidQuery, OnlineStatus> LOOKUP =
      Endpoint.of("raven.online.lookup", UidQuery.CODEC, OnlineStatus.CODEC);
  /** Closes the uid's session wherever it is (an entry of a dead node is simply dropped). */
  public static final Endpoint<KickUid, Kicked> KICK = Endpoint.of("raven.online.kick", KickUid.CODEC, Kicked.CODEC);
  /**
   * Client ops the gate forwards to the online role ({@code presence.watch}); the reply body goes
   * back to the client. The watcher is the session (one outstanding watch per session).
   */
  public static final Endpoint<ClientRequest, JsonObject> CLIENT =
      Endpoint.of("raven.online.client", ClientRequest.CODEC, Codec.RAW);

  private OnlineAddresses() {
  }
}
