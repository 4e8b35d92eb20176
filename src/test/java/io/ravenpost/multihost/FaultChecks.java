package io.ravenpost.multihost;

import io.ravenpost.multihost.Checker.Violation;
import io.ravenpost.multihost.History.Event;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The checker's invariants about faults and time (iv to vii); see {@link Checker}. */
final class FaultChecks {
  private static final long PUSH_WAIT_MS = 3_000;

  private final History history;
  private final List<Nemesis.Outcome> faults;
  private final long leaseMs;
  private final Map<String, Conn> conns;
  private final List<Violation> violations;
  private final JsonObject measures;

  FaultChecks(History history, List<Nemesis.Outcome> faults, long leaseMs, Map<String, Conn> conns,
              List<Violation> violations, JsonObject measures) {
    this.history = history;
    this.faults = faults;
    this.leaseMs = leaseMs;
    this.conns = conns;
    this.violations = violations;
    this.measures = measures;
  }

  void check() {
    failoverAfterKill();
    healing();
    noConflictForUnreachableOwners();
    pushedWhenCalm();
    noFencingWhenCalm();
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
      long worst = 0;
      for (long uid : displaced) {
        Event first = history.ofType("login.ok").stream()
            .filter(e -> e.uid() == uid && e.at() > t0 && e.host() != f.host()).findFirst().orElse(null);
        long waited = first == null ? -1 : first.at() - t0;
        worst = Math.max(worst, waited);
        if (first == null || waited > leaseMs + 1000) {
          violations.add(new Violation("iv failover after kill", t0, "uid " + uid + " (on killed h" + f.host()
              + ") " + (first == null ? "never logged in elsewhere" : "logged in on h" + first.host() + " only "
              + waited + " ms after the kill (limit " + (leaseMs + 1000) + " ms)")));
        }
      }
      measures.put(f.fault() + " h" + f.host(), new JsonObject().put("displacedAccounts", displaced.size())
          .put("slowestLoginElsewhereMs", worst));
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

  /** (vii) In a calm window every mail reaches a recipient that was online throughout. */
  private void pushedWhenCalm() {
    List<long[]> calm = calmWindows();
    Map<Long, Set<Long>> pushed = new HashMap<>();
    for (Event e : history.ofType("push.mail")) {
      pushed.computeIfAbsent(e.uid(), u -> new HashSet<>()).add(e.data().getLong("mailId"));
    }
    for (Event e : history.ofType("send.ok")) {
      long postStart = e.at() - e.data().getLong("ms", 0L);
      if (calm.stream().noneMatch(w -> postStart >= w[0] && e.at() + PUSH_WAIT_MS <= w[1])) {
        continue;
      }
      long mailId = e.data().getLong("mailId");
      Conn online = conns.values().stream().filter(c -> c.uid == e.uid() && c.loginAt > 0 && c.loginAt < postStart
          && c.closedAt > e.at() + PUSH_WAIT_MS).findFirst().orElse(null);
      if (online != null && !pushed.getOrDefault(e.uid(), Set.of()).contains(mailId)) {
        violations.add(new Violation("vii pushed when calm", e.at(), "mail " + mailId + " '"
            + e.data().getString("title") + "' stored via h" + e.host() + " at " + e.at() + " never reached "
            + online.describe() + ", online from before the send until at least 3 s after"));
      }
    }
  }

  /**
   * (viii) No spurious fencing: no SHUTDOWN in a calm window, nor to a session whose whole life
   * (login to kick) met no fault. A node takes a login only with its lease renewed, so fencing
   * such a session means the node wrongly believed its lease lost.
   */
  private void noFencingWhenCalm() {
    List<long[]> calm = calmWindows();
    for (Event e : history.ofType("push.session.kicked")) {
      if (!"SHUTDOWN".equals(e.data().getString("reason"))) {
        continue;
      }
      Conn c = conns.get(e.conn());
      boolean inCalm = calm.stream().anyMatch(w -> e.at() >= w[0] && e.at() <= w[1]);
      // A login still unanswered when the kick came counts from when it was sent.
      long since = c == null ? -1 : c.loginAt > 0 ? c.loginAt : c.loginSentAt;
      boolean faultFree = since > 0 && faults.stream().noneMatch(f -> f.startAt() <= e.at() && f.endAt() >= since);
      if (inCalm || faultFree) {
        violations.add(new Violation("viii no spurious fencing", e.at(), (c == null ? e.conn() : c.describe())
            + " was kicked SHUTDOWN at " + e.at() + (inCalm ? " in a calm window (no fault, cluster whole)"
            : " though no fault was under way from its login (" + (c.loginAt > 0 ? "answered " + c.loginAt
            : "sent " + since + ", not answered") + ") to the kick" + afterFault(e.at()))));
      }
    }
  }

  private String afterFault(long at) {
    Nemesis.Outcome last = null;
    for (Nemesis.Outcome f : faults) {
      if (f.endAt() <= at) {
        last = f;
      }
    }
    return last == null ? "" : "; " + (at - last.endAt()) + " ms after " + last.fault() + " of h" + last.host()
        + " ended";
  }

  private List<long[]> calmWindows() {
    List<long[]> calm = new ArrayList<>();
    long open = -1;
    for (Event e : history.events()) {
      if (e.type().equals("calm.start")) {
        open = e.at();
      } else if (e.type().equals("calm.end") && open >= 0) {
        calm.add(new long[] {open, e.at()});
        open = -1;
      }
    }
    return calm;
  }

  private String faultAt(long at) {
    for (Nemesis.Outcome f : faults) {
      if (at >= f.startAt() && at <= f.endAt()) {
        return " (during " + f.fault() + " of h" + f.host() + ")";
      }
    }
    return "";
  }
}
