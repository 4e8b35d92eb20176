package io.ravenpost.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.multihost.Checker.EndState;
import io.ravenpost.multihost.Checker.Violation;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nemesis checker on histories written by hand: it must see each kind of violation, and none in a clean run. */
class CheckerTest {
  private static final long T = 1_000_000;
  private static final long UID = 42;

  private final History h = new History();
  private final List<Nemesis.Outcome> faults = new ArrayList<>();
  private final Map<Long, List<JsonObject>> mailboxes = new HashMap<>();
  private final Map<Long, Map<Long, Integer>> outbox = new HashMap<>();

  @Test
  void aCleanKickAndAClaimedMailPass() {
    login("a#1", 0, T, T + 5);
    heartbeat("a#1", T + 100, T + 100);
    h.addAt(T + 200, "send.ok", null, UID, 0, new JsonObject().put("mailId", 7L).put("title", "nm|42|1"));
    h.addAt(T + 210, "push.mail", "a#1", UID, -1, new JsonObject().put("mailId", 7L).put("title", "nm|42|1"));
    h.addAt(T + 220, "claim.ok", "a#1", UID, 0, new JsonObject().put("mailId", 7L).put("why", "push"));
    h.addAt(T + 300, "push.session.kicked", "a#1", UID, -1, new JsonObject().put("reason", "LOGIN_ELSEWHERE"));
    h.addAt(T + 301, "closed", "a#1", UID, 0, new JsonObject());
    login("b#1", 1, T + 250, T + 305);
    heartbeat("b#1", T + 400, T + 400);
    mailbox(7, true, 1);
    assertThat(check()).isEmpty();
  }

  @Test
  void aReplyToTheOldSessionAfterTheNewLoginIsTwoLiveSessions() {
    login("a#1", 0, T, T + 5);
    login("b#1", 1, T + 250, T + 300);
    heartbeat("a#1", T + 320, T + 310);
    assertThat(check()).extracting(Violation::invariant).containsExactly("i one live session");
  }

  @Test
  void mailMissingDoubledOrPushedToTheWrongSessionIsSeen() {
    login("a#1", 0, T, T + 5);
    h.addAt(T + 10, "send.ok", null, UID, 0, new JsonObject().put("mailId", 7L).put("title", "nm|42|1"));
    h.addAt(T + 11, "send.ok", null, UID, 0, new JsonObject().put("mailId", 8L).put("title", "nm|42|2"));
    h.addAt(T + 20, "push.mail", "a#1", UID, -1, new JsonObject().put("mailId", 9L).put("title", "nm|43|3"));
    h.addAt(T + 30, "push.session.kicked", "a#1", UID, -1, new JsonObject().put("reason", "LOGIN_ELSEWHERE"));
    h.addAt(T + 31, "push.mail", "a#1", UID, -1, new JsonObject().put("mailId", 7L).put("title", "nm|42|1"));
    mailbox(7, false, 0);
    mailbox(7, false, 0);
    assertThat(check()).extracting(Violation::invariant).containsExactlyInAnyOrder("ii mail once",
        "ii mail once", "ii push to the right session", "ii push to the right session");
  }

  @Test
  void aMailGrantedTwiceOrWithoutItsOutboxRowIsSeen() {
    login("a#1", 0, T, T + 5);
    h.addAt(T + 10, "send.ok", null, UID, 0, new JsonObject().put("mailId", 7L).put("title", "nm|42|1"));
    h.addAt(T + 20, "claim.ok", "a#1", UID, 0, new JsonObject().put("mailId", 7L).put("why", "push"));
    h.addAt(T + 21, "claim.ok", "a#1", UID, 0, new JsonObject().put("mailId", 7L).put("why", "list"));
    mailbox(7, true, 0);
    assertThat(check()).extracting(Violation::invariant).containsExactly("iii claim once", "iii claim once");
  }

  @Test
  void slowFailoverSlowHealingAndConflictsAreSeen() {
    login("a#1", 0, T, T + 5);
    faults.add(new Nemesis.Outcome("kill-9", 0, T + 100, T + 9000, T + 9100, ""));
    faults.add(new Nemesis.Outcome("partition-20s", 1, T + 20_000, T + 40_000, T + 60_000, ""));
    h.addAt(T + 101, "closed", "a#1", UID, 0, new JsonObject());
    h.addAt(T + 3000, "login.fail", "a#2", UID, 1, new JsonObject().put("code", "LOGIN_CONFLICT")
        .put("sentAt", T + 200));
    login("a#3", 1, T + 3100, T + 5000);
    h.addAt(T + 25_000, "login.fail", "a#4", UID, 2, new JsonObject().put("code", "LOGIN_CONFLICT")
        .put("sentAt", T + 22_000));
    assertThat(check()).extracting(Violation::invariant)
        .containsExactly("iv failover after kill", "vi no LOGIN_CONFLICT", "v healing");
  }

  @Test
  void aConflictInAStormOfOneUidIsAllowed() {
    login("a#1", 0, T, T + 5);
    h.addAt(T + 3000, "login.fail", "a#2", UID, 1, new JsonObject().put("code", "LOGIN_CONFLICT")
        .put("sentAt", T + 100));
    login("b#1", 2, T + 50, T + 200);
    assertThat(check()).isEmpty();
  }

  @Test
  void aMailNotPushedToAPlayerOnlineInACalmWindowIsSeen() {
    login("a#1", 0, T, T + 5);
    h.addAt(T + 10, "calm.start", null, 0, -1, null);
    h.addAt(T + 100, "send.ok", null, UID, 1, new JsonObject().put("mailId", 7L).put("title", "nm|42|1").put("ms", 20));
    h.addAt(T + 200, "send.ok", null, UID, 1, new JsonObject().put("mailId", 8L).put("title", "nm|42|2").put("ms", 20));
    h.addAt(T + 230, "push.mail", "a#1", UID, -1, new JsonObject().put("mailId", 8L).put("title", "nm|42|2"));
    h.addAt(T + 10_000, "calm.end", null, 0, -1, null);
    mailbox(7, false, 0);
    mailbox(8, false, 0);
    assertThat(check()).extracting(Violation::message).singleElement().asString().contains("mail 7 ");
  }

  @Test
  void aShutdownOfASessionThatMetNoFaultIsSpurious() {
    faults.add(new Nemesis.Outcome("redis-cut-20s", 0, T, T + 20_000, T + 20_000, ""));
    login("a#1", 0, T - 5000, T - 4000);
    h.addAt(T + 2000, "push.session.kicked", "a#1", UID, -1, new JsonObject().put("reason", "SHUTDOWN"));
    login("a#2", 0, T + 21_000, T + 21_100);
    h.addAt(T + 27_000, "push.session.kicked", "a#2", UID, -1, new JsonObject().put("reason", "SHUTDOWN"));
    h.addAt(T + 26_000, "login.sent", "a#3", UID, 0, null);
    h.addAt(T + 27_000, "push.session.kicked", "a#3", UID, -1, new JsonObject().put("reason", "SHUTDOWN"));
    assertThat(check()).extracting(Violation::message).hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("a#2").contains("7000 ms after redis-cut-20s"))
        .anySatisfy(m -> assertThat(m).contains("a#3").contains("not answered"));
  }

  private List<Violation> check() {
    return new Checker(h, new EndState(mailboxes, outbox), faults, 3000).check();
  }

  private void login(String conn, int host, long sentAt, long at) {
    h.addAt(at, "login.ok", conn, UID, host, new JsonObject().put("session", "s-" + conn).put("serverTime", at - 1)
        .put("sentAt", sentAt));
  }

  private void heartbeat(String conn, long at, long serverTime) {
    h.addAt(at, "hb.ok", conn, UID, 0, new JsonObject().put("serverTime", serverTime).put("sentAt", at - 1));
  }

  private void mailbox(long mailId, boolean claimed, int outboxRows) {
    mailboxes.computeIfAbsent(UID, u -> new ArrayList<>()).add(new JsonObject().put("mailId", mailId)
        .put("title", "nm|42|" + (mailId - 6)).put("claimed", claimed));
    if (outboxRows > 0) {
      outbox.computeIfAbsent(UID, u -> new HashMap<>()).put(mailId, outboxRows);
    }
  }
}
