package io.ravenpost.api.mail;

import io.vertx.core.Future;

/**
 * The mail side of a session, as a node's own gate calls it when the node runs the mail role. The
 * heartbeat is the op every session sends every 30 s and the login the one every session starts
 * with: called in place, they cost no event-bus message and no hop to another event loop. A gate
 * without a local mail role asks {@link MailAddresses#HEARTBEAT} and {@link MailAddresses#LOGIN}
 * instead; both answer the same.
 */
public interface MailSessions {
  /** Records the player (after its session owns the registry entry); the unread count and feed position. */
  Future<MailLoginReply> login(MailLogin login);

  /** The unread count and whether mail arrived since the last list. */
  Future<HeartbeatReply> heartbeat(long uid);
}
