package io.ravenpost.api.mail;

import io.vertx.core.Future;

/**
 * The mail side of a session, as a node's own gate calls it when the node runs the mail role. The
 * heartbeat is the op every session sends every 30 s: called in place, it costs no event-bus
 * message and no hop to another event loop. A gate without a local mail role asks
 * {@link MailAddresses#HEARTBEAT} instead; both answer the same.
 */
public interface MailSessions {
  /** The unread count and whether mail arrived since the last list. */
  Future<HeartbeatReply> heartbeat(long uid);
}
