package io.ravenpost.multihost;

import io.ravenpost.multihost.History.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A client connection as the history tells it: its login, the replies it got, its kick and close. */
final class Conn {
  final String label;
  long uid;
  int host;
  String session;
  long loginSentAt = -1;
  long loginAt = -1;
  long loginServerTime = -1;
  long closedAt = Long.MAX_VALUE;
  long kickedSeq = Long.MAX_VALUE;
  final List<Event> replies = new ArrayList<>();

  private Conn(String label) {
    this.label = label;
  }

  String describe() {
    return label + " (session " + session + " on h" + host + ", login stamped " + loginServerTime + ")";
  }

  /** Every connection of the history by label. */
  static Map<String, Conn> index(History history) {
    Map<String, Conn> conns = new HashMap<>();
    for (Event e : history.events()) {
      if (e.conn() == null || e.uid() == 0) {
        continue;
      }
      Conn c = conns.computeIfAbsent(e.conn(), Conn::new);
      c.uid = e.uid();
      switch (e.type()) {
        case "login.ok" -> {
          c.host = e.host();
          c.session = e.data().getString("session");
          c.loginAt = e.at();
          c.loginServerTime = e.serverTime();
        }
        case "login.sent" -> c.loginSentAt = e.at();
        case "hb.ok" -> c.replies.add(e);
        case "push.session.kicked" -> c.kickedSeq = Math.min(c.kickedSeq, e.seq());
        case "closed" -> c.closedAt = Math.min(c.closedAt, e.at());
        default -> { }
      }
    }
    return conns;
  }
}
