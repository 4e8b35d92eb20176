package io.ravenpost.multihost;

import io.ravenpost.multihost.History.Event;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants, judged from the history and the end state only:
 * <ol>
 * <li>one live session per account: no reply stamped (serverTime) for a session after a later
 * session of the same uid had its login reply stamped;</li>
 * <li>every acknowledged mail is in its recipient's mailbox exactly once (an unacknowledged one at
 * most once); no mail.new reached a session of another uid, or a connection after its
 * session.kicked;</li>
 * <li>every claim granted once: at most one ok reply per mail, and mail_outbox holds a row for a
 * mail exactly when its mailbox says claimed;</li>
 * <li>after kill -9, each player of the dead node logged in elsewhere within leaseMs + 1 s;</li>
 * <li>the cluster whole again within 15 s of each fault's end;</li>
 * <li>no login answered LOGIN_CONFLICT, except while another login of the same uid was under way
 * (a storm) or in a kill -9 step (a dead node's lease must run out): a session on a
 * node the event bus cannot reach is kicked through Redis;</li>
 * <li>in calm windows (no fault, cluster whole), a mail stored for a player whose connection was
 * logged in before the send and stayed open 3 s after it is pushed (mail.new) to that player:
 * healing brought every event-bus consumer back;</li>
 * <li>no spurious fencing: no session closed SHUTDOWN in a calm window, or without any fault
 * between its login and the kick.</li>
 * </ol>
 */
final class Checker {
  record Violation(String invariant, long at, String message) {
    JsonObject toJson() {
      return new JsonObject().put("invariant", invariant).put("at", at).put("message", message);
    }
  }

  /** What was in MySQL at the end: each uid's mailbox summaries, and outbox rows per (uid, mail). */
  record EndState(Map<Long, List<JsonObject>> mailboxes, Map<Long, Map<Long, Integer>> outbox) {
  }

  private final History history;
  private final EndState end;
  private final List<Nemesis.Outcome> faults;
  private final long leaseMs;
  private final List<Violation> violations = new ArrayList<>();
  private Map<String, Conn> conns;
  private final JsonObject measures = new JsonObject();

  Checker(History history, EndState end, List<Nemesis.Outcome> faults, long leaseMs) {
    this.history = history;
    this.end = end;
    this.faults = faults;
    this.leaseMs = leaseMs;
  }

  List<Violation> check() {
    conns = Conn.index(history);
    oneLiveSession();
    mailOnce();
    pushesToTheRightSession();
    claimsOnce();
    new FaultChecks(history, faults, leaseMs, conns, violations, measures).check();
    violations.sort(Comparator.comparingLong(Violation::at));
    return violations;
  }

  /** (i) For each session, the next login of its uid; a reply to it stamped later is a second live session. */
  private void oneLiveSession() {
    Map<Long, List<Conn>> byUid = new HashMap<>();
    conns.values().stream().filter(c -> c.loginServerTime > 0)
        .forEach(c -> byUid.computeIfAbsent(c.uid, u -> new ArrayList<>()).add(c));
    for (List<Conn> list : byUid.values()) {
      list.sort(Comparator.comparingLong(c -> c.loginServerTime));
      for (int i = 0; i + 1 < list.size(); i++) {
        Conn a = list.get(i);
        Conn b = list.get(i + 1);
        List<Event> late = a.replies.stream().filter(r -> r.serverTime() > b.loginServerTime).toList();
        if (!late.isEmpty()) {
          Event r = late.get(0);
          violations.add(new Violation("i one live session", r.at(), "uid " + a.uid + ": " + a.describe()
              + " answered a heartbeat stamped " + r.serverTime() + " (" + (r.serverTime() - b.loginServerTime)
              + " ms after the newer login; " + late.size() + " such replies, last stamped "
              + late.get(late.size() - 1).serverTime() + ") while " + b.describe() + " was logged in"));
        }
      }
    }
  }

  /** (ii) Acknowledged mail in the mailbox exactly once; any mail at most once. */
  private void mailOnce() {
    Map<Long, Map<String, Integer>> titles = new HashMap<>();
    Map<Long, Map<Long, Integer>> ids = new HashMap<>();
    end.mailboxes().forEach((uid, mails) -> {
      for (JsonObject m : mails) {
        titles.computeIfAbsent(uid, u -> new HashMap<>()).merge(m.getString("title"), 1, Integer::sum);
        ids.computeIfAbsent(uid, u -> new HashMap<>()).merge(m.getLong("mailId"), 1, Integer::sum);
      }
    });
    for (Event e : history.ofType("send.ok")) {
      long mailId = e.data().getLong("mailId");
      int byId = ids.getOrDefault(e.uid(), Map.of()).getOrDefault(mailId, 0);
      int byTitle = titles.getOrDefault(e.uid(), Map.of()).getOrDefault(e.data().getString("title"), 0);
      if (byId != 1 || byTitle != 1) {
        violations.add(new Violation("ii mail once", e.at(), "mail " + mailId + " '" + e.data().getString("title")
            + "' to uid " + e.uid() + " was acknowledged (201 via h" + e.host() + ") but the mailbox holds it "
            + byId + " time(s) by id, " + byTitle + " by title"));
      }
    }
    for (Event e : history.ofType("send.unknown")) {
      int byTitle = titles.getOrDefault(e.uid(), Map.of()).getOrDefault(e.data().getString("title"), 0);
      if (byTitle > 1) {
        violations.add(new Violation("ii mail once", e.at(), "unacknowledged mail '" + e.data().getString("title")
            + "' (" + e.data().encode() + ") is in uid " + e.uid() + "'s mailbox " + byTitle + " times"));
      }
    }
  }

  /** (ii) A mail.new only to its recipient's session, never after that connection was kicked. */
  private void pushesToTheRightSession() {
    for (Event e : history.ofType("push.mail")) {
      String title = e.data().getString("title", "");
      String[] parts = title.split("\\|");
      if (parts.length == 3 && parts[0].equals("nm") && Long.parseLong(parts[1]) != e.uid()) {
        violations.add(new Violation("ii push to the right session", e.at(), "mail.new '" + title + "' (mail "
            + e.data().getLong("mailId") + ") reached " + e.conn() + " of uid " + e.uid()));
      }
      Conn c = conns.get(e.conn());
      if (c != null && e.seq() > c.kickedSeq) {
        violations.add(new Violation("ii push to the right session", e.at(), "mail.new '" + title + "' reached "
            + c.describe() + " after its session.kicked"));
      }
    }
  }

  /** (iii) At most one ok claim per mail; outbox row exactly for the mails the mailbox says are claimed. */
  private void claimsOnce() {
    Map<Long, List<Event>> oks = new HashMap<>();
    for (Event e : history.ofType("claim.ok")) {
      oks.computeIfAbsent(e.data().getLong("mailId"), m -> new ArrayList<>()).add(e);
    }
    oks.forEach((mailId, list) -> {
      if (list.size() > 1) {
        List<String> who = list.stream().map(e -> e.conn() + "@" + e.at() + "(" + e.data().getString("why") + ")")
            .toList();
        violations.add(new Violation("iii claim once", list.get(1).at(), "mail " + mailId + " claimed ok "
            + list.size() + " times: " + who));
      }
    });
    end.mailboxes().forEach((uid, mails) -> {
      Map<Long, Integer> rows = end.outbox().getOrDefault(uid, Map.of());
      for (JsonObject m : mails) {
        long mailId = m.getLong("mailId");
        int n = rows.getOrDefault(mailId, 0);
        boolean claimed = m.getBoolean("claimed", false);
        boolean okSeen = oks.containsKey(mailId);
        if ((claimed && n != 1) || (!claimed && n != 0) || (okSeen && !claimed)) {
          violations.add(new Violation("iii claim once", lastAt(), "uid " + uid
              + " mail " + mailId + ": mailbox claimed=" + claimed + ", mail_outbox rows=" + n
              + ", claim ok replies seen=" + (okSeen ? oks.get(mailId).size() : 0)));
        }
      }
    });
  }

  /** Figures the checks measured on the way (e.g. per kill: the slowest login elsewhere). */
  JsonObject measures() {
    return measures;
  }

  private long lastAt() {
    List<Event> all = history.events();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).at();
  }
}
