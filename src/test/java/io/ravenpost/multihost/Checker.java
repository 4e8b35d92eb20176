package io.ravenpost.multihost;

import io.ravenpost.multihost.History.Event;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
 * (a storm) or in a kill -9 step (a dead node's lease must run out, issue 9 item 4): a session on a
 * node the event bus cannot reach is kicked through Redis.</li>
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

  /** A client connection as the history tells it. */
  static final class Conn {
    final String label;
    long uid;
    int host;
    String session;
    long loginAt = -1;
    long loginServerTime = -1;
    long closedAt = Long.MAX_VALUE;
    long kickedSeq = Long.MAX_VALUE;
    final List<Event> replies = new ArrayList<>();

    Conn(String label) {
      this.label = label;
    }

    String describe() {
      return label + " (session " + session + " on h" + host + ", login stamped " + loginServerTime + ")";
    }
  }

  private final History history;
  private final EndState end;
  private final List<Nemesis.Outcome> faults;
  private final long leaseMs;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Conn> conns = new HashMap<>();

  Checker(History history, EndState end, List<Nemesis.Outcome> faults, long leaseMs) {
    this.history = history;
    this.end = end;
    this.faults = faults;
    this.leaseMs = leaseMs;
  }

  List<Violation> check() {
    indexConnections();
    oneLiveSession();
    mailOnce();
    pushesToTheRightSession();
    claimsOnce();
    failoverAfterKill();
    healing();
    noConflictForUnreachableOwners();
    violations.sort(Comparator.comparingLong(Violation::at));
    return violations;
  }

  private void indexConnections() {
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
        case "hb.ok" -> c.replies.add(e);
        case "push.session.kicked" -> c.kickedSeq = Math.min(c.kickedSeq, e.seq());
        case "closed" -> c.closedAt = Math.min(c.closedAt, e.at());
        default -> { }
      }
    }
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

  /** (iv) Players of a killed node log in elsewhere within leaseMs + 1 s of the kill. */
  private void failoverAfterKill() {
    for (Nemesis.Outcome f : faults) {
      if (!f.fault().startsWith("kill")) {
        continue;
      }
      long t0 = f.startAt();
      Set<Long> displaced = new TreeSet<>();
      conns.values().stream().filter(c -> c.host == f.host() && c.loginAt > 0 && c.loginAt <= t0 && c.closedAt >= t0)
          .forEach(c -> displaced.add(c.uid));
      for (long uid : displaced) {
        Event first = history.ofType("login.ok").stream()
            .filter(e -> e.uid() == uid && e.at() > t0 && e.host() != f.host()).findFirst().orElse(null);
        long waited = first == null ? -1 : first.at() - t0;
        if (first == null || waited > leaseMs + 1000) {
          violations.add(new Violation("iv failover after kill", t0, "uid " + uid + " (on killed h" + f.host()
              + ") " + (first == null ? "never logged in elsewhere" : "logged in on h" + first.host() + " only "
              + waited + " ms after the kill (limit " + (leaseMs + 1000) + " ms)")));
        }
      }
    }
  }

  /** (v) Whole again within 15 s of each fault's end. */
  private void healing() {
    for (Nemesis.Outcome f : faults) {
      if (f.recoveryMs() < 0 || f.recoveryMs() > Nemesis.HEAL_LIMIT_MS) {
        violations.add(new Violation("v healing", f.endAt(), f.fault() + " on h" + f.host() + ": cluster "
            + (f.recoveryMs() < 0 ? "not whole within 60 s" : "whole only " + f.recoveryMs() + " ms")
            + " after the fault ended (limit " + Nemesis.HEAL_LIMIT_MS + " ms)"));
      }
    }
  }

  /** (vi) LOGIN_CONFLICT only in a storm of one uid's logins, or while a killed node's lease runs out. */
  private void noConflictForUnreachableOwners() {
    List<Event> attempts = history.events().stream()
        .filter(e -> e.type().equals("login.ok") || e.type().equals("login.fail")).toList();
    for (Event e : attempts) {
      if (!"LOGIN_CONFLICT".equals(e.data().getString("code"))) {
        continue;
      }
      long sent = e.data().getLong("sentAt");
      boolean inKill = faults.stream().anyMatch(f -> f.fault().startsWith("kill") && e.at() >= f.startAt()
          && sent <= f.endAt());
      boolean storm = attempts.stream().anyMatch(o -> o != e && o.uid() == e.uid()
          && o.data().getLong("sentAt") < e.at() && o.at() > sent);
      if (!inKill && !storm) {
        violations.add(new Violation("vi no LOGIN_CONFLICT", e.at(), "uid " + e.uid() + ": " + e.conn()
            + " on h" + e.host() + " answered LOGIN_CONFLICT after " + (e.at() - sent) + " ms, no other login of"
            + " the uid under way" + faultAt(e.at())));
      }
    }
  }

  private String faultAt(long at) {
    for (Nemesis.Outcome f : faults) {
      if (at >= f.startAt() && at <= f.endAt()) {
        return " (during " + f.fault() + " of h" + f.host() + ")";
      }
    }
    return "";
  }

  private long lastAt() {
    List<Event> all = history.events();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).at();
  }
}
