package io.ravenpost.gate;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.api.Frames;
import io.ravenpost.api.gate.Broadcast;
import io.ravenpost.api.gate.BroadcastReply;
import io.ravenpost.api.mail.GlobalRecipients;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.online.NodeLease;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@code online} global mail reaching this node ({@link Broadcast}): one message per node, not
 * one per player. The node records which of its sessions were online at the send (the mail side
 * writes their copies from that record), and only then tells them, straight from this node's
 * session table, with the id their copy will have.
 */
final class Broadcasts {
  private static final long RECORD_TIMEOUT_MS = 30_000;
  /** A repeated broadcast (a resumed send) is recognised among this many recent ones and not told twice. */
  private static final int REMEMBERED = 1024;

  private final NodeInfo node;
  private final SessionTable sessions;
  private final NodeLease lease;
  private final DeliveryOptions record;
  private final Counter pushes;
  private final Set<Long> recent = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  });

  /** @param localMail whether this node runs the mail role (the recipients are recorded here then) */
  Broadcasts(NodeInfo node, boolean localMail, SessionTable sessions, NodeLease lease) {
    this.node = node;
    this.sessions = sessions;
    this.lease = lease;
    this.record = new DeliveryOptions().setSendTimeout(RECORD_TIMEOUT_MS)
        .setLocalOnly(localMail);
    this.pushes = Counter.builder("raven_gate_broadcast_pushes_total")
        .description("mail.new pushes of online global mail, told straight from the session table")
        .register(node.metrics());
  }

  /** Records this node's recipients, then pushes to them; answers how many once recorded. */
  Future<BroadcastReply> deliver(Broadcast b) {
    synchronized (recent) {
      if (recent.contains(b.globalMailId())) {
        return Future.succeededFuture(new BroadcastReply(0, true));
      }
    }
    List<Session> told = sessions.all().stream()
        .filter(s -> s.online() && s.onlineSince <= b.createdAt()).toList();
    List<Long> uids = told.stream().map(s -> s.uid).toList();
    return Bus.request(node.vertx(), MailAddresses.GLOBAL_RECIPIENTS,
            new GlobalRecipients(b.globalMailId(), node.id(), uids), record)
        .map(reply -> {
          synchronized (recent) {
            recent.add(b.globalMailId());
          }
          if (b.visibleAt() <= System.currentTimeMillis() && !lease.lapsed()) {
            push(told, b);
          }
          return new BroadcastReply(told.size(), false);
        });
  }

  private void push(List<Session> told, Broadcast b) {
    for (Session s : told) {
      if (s.online()) {
        long mailId = b.mailIdOf(s.uid);
        s.unread++;
        s.push(Frames.mailNew(b.summaryFor(s.uid, s.claims.name(), s.claims.locale()).put("mailId", mailId), s.unread,
            null));
        pushes.increment();
      }
    }
  }
}
