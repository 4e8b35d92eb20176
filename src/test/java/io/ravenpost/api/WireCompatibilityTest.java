package io.ravenpost.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.gate.Broadcast;
import io.ravenpost.api.gate.BroadcastReply;
import io.ravenpost.api.gate.GateAction;
import io.ravenpost.api.gate.Kick;
import io.ravenpost.api.gate.Push;
import io.ravenpost.api.gate.Pushes;
import io.ravenpost.api.gate.Released;
import io.ravenpost.api.mail.GlobalPreview;
import io.ravenpost.api.mail.GlobalRecipients;
import io.ravenpost.api.mail.GlobalRetract;
import io.ravenpost.api.mail.GrantMessage;
import io.ravenpost.api.mail.HeartbeatReply;
import io.ravenpost.api.mail.MailLogin;
import io.ravenpost.api.mail.MailLoginReply;
import io.ravenpost.api.mail.MailPage;
import io.ravenpost.api.mail.MailboxQuery;
import io.ravenpost.api.mail.PreviewResult;
import io.ravenpost.api.mail.ProducerSend;
import io.ravenpost.api.mail.Recorded;
import io.ravenpost.api.mail.Resumed;
import io.ravenpost.api.mail.SendResult;
import io.ravenpost.api.mail.UnreadChanged;
import io.ravenpost.api.node.JobRun;
import io.ravenpost.api.node.Pong;
import io.ravenpost.api.node.RunJob;
import io.ravenpost.api.online.KickUid;
import io.ravenpost.api.online.Kicked;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.api.online.OnlineStatus;
import io.ravenpost.api.watch.PresenceAnswer;
import io.ravenpost.api.watch.WatchCancel;
import io.ravenpost.api.watch.WatchPresence;
import io.ravenpost.api.watch.WatchUnread;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node of this version and one of the version before still talk during a rolling upgrade: every
 * message the earlier version sent (its bodies and headers, written out here as it wrote them) is
 * read by this version's codecs, and written back with every field the earlier version reads, at
 * the same value. New fields may be added; none may go or change.
 */
class WireCompatibilityTest {
  private record Sample<T>(String name, Codec<T> codec, String body, Map<String, String> headers) {
  }

  private static <T> Sample<T> of(String name, Codec<T> codec, String body) {
    return new Sample<>(name, codec, body, Map.of());
  }

  private static final List<Sample<?>> EARLIER = List.of(
      new Sample<>("push", Push.CODEC, "{\"sessionId\":\"s1\",\"frame\":{\"op\":\"mail.new\",\"body\":{\"unread\":1}}}",
          Map.of("action", "push")),
      new Sample<>("pushes", Pushes.CODEC, "{\"pushes\":[{\"sessionId\":\"s1\",\"frame\":{\"op\":\"mail.new\"}}]}",
          Map.of("action", "pushes")),
      new Sample<>("kick", Kick.CODEC, "{\"uid\":42,\"sessionId\":\"s1\",\"reason\":\"LOGIN_ELSEWHERE\"}",
          Map.of("action", "kick")),
      of("kick reply", Released.CODEC, "{\"released\":true}"),
      new Sample<>("broadcast", Broadcast.CODEC, "{\"globalMailId\":7,\"createdAt\":1000,\"visibleAt\":1000,"
          + "\"summary\":{\"title\":\"t\"},\"mailIds\":[70,71]}", Map.of("action", "broadcast")),
      of("broadcast reply", BroadcastReply.CODEC, "{\"players\":3}"),
      of("broadcast reply, repeated", BroadcastReply.CODEC, "{\"players\":0,\"repeated\":true}"),
      of("online changed", OnlineChanged.CODEC, "{\"uid\":42,\"online\":true,\"node\":\"n1\",\"sessionId\":\"s1\","
          + "\"at\":1000}"),
      of("lookup", UidQuery.CODEC, "{\"uid\":42}"),
      of("lookup reply", OnlineStatus.CODEC, "{\"online\":true,\"node\":\"n1\",\"sessionId\":\"s1\",\"since\":1000}"),
      of("lookup reply, offline", OnlineStatus.CODEC, "{\"online\":false}"),
      of("kick uid", KickUid.CODEC, "{\"uid\":42,\"reason\":\"ADMIN\"}"),
      of("kick uid reply", Kicked.CODEC, "{\"kicked\":true}"),
      of("presence watch", WatchPresence.CODEC, "{\"uids\":[1,2],\"known\":{\"1\":true,\"2\":false},\"waitMs\":500,"
          + "\"watcher\":\"w\",\"ref\":\"r1\"}"),
      of("presence reply", PresenceAnswer.CODEC, "{\"online\":{\"1\":false}}"),
      of("unread watch", WatchUnread.CODEC, "{\"uid\":42,\"known\":3,\"waitMs\":500,\"watcher\":\"w\",\"ref\":\"r1\"}"),
      of("unread reply", UnreadCount.CODEC, "{\"unread\":3}"),
      of("watch cancel", WatchCancel.CODEC, "{\"ref\":\"r1\"}"),
      of("mail login", MailLogin.CODEC, "{\"uid\":42,\"sessionId\":\"s1\",\"claims\":{\"uid\":42,\"role\":\"player\"}}"),
      of("mail login reply", MailLoginReply.CODEC, "{\"unread\":2}"),
      of("heartbeat reply", HeartbeatReply.CODEC, "{\"unread\":2,\"newMail\":true}"),
      of("send", ProducerSend.CODEC, "{\"target\":{\"type\":\"users\",\"uids\":[42]},\"title\":\"t\",\"body\":\"b\","
          + "\"idempotencyKey\":\"k1\",\"producer\":\"2\"}"),
      of("send reply", SendResult.CODEC, "{\"mailIds\":[9,10]}"),
      of("send reply, global", SendResult.CODEC, "{\"globalMailId\":7}"),
      of("admin mailbox", MailboxQuery.CODEC, "{\"uid\":42,\"cursor\":\"100\",\"limit\":\"10\"}"),
      of("mail page", MailPage.CODEC, "{\"mails\":[{\"mailId\":9}],\"nextCursor\":\"9\"}"),
      of("unread changed", UnreadChanged.CODEC, "{\"uid\":42,\"unread\":3,\"at\":1000}"),
      of("grant", GrantMessage.CODEC, "{\"grantId\":\"42-9\",\"uid\":42,\"mailId\":9,\"attachments\":"
          + "[{\"type\":\"currency\",\"id\":\"gold\",\"amount\":5}],\"reason\":\"claim\"}"),
      of("global list", PageQuery.CODEC, "{\"cursor\":\"7\",\"limit\":\"20\"}"),
      of("retract", GlobalRetract.CODEC, "{\"globalMailId\":7}"),
      of("preview", GlobalPreview.CODEC, "{\"target\":{\"type\":\"segment\",\"zone\":\"eu\"}}"),
      of("preview reply", PreviewResult.CODEC, "{\"target\":{\"type\":\"all\"},\"matches\":12}"),
      of("recipients", GlobalRecipients.CODEC, "{\"globalMailId\":7,\"gateNode\":\"n1\",\"uids\":[1,2]}"),
      of("recipients reply", Recorded.CODEC, "{\"recorded\":2}"),
      of("resume reply", Resumed.CODEC, "{\"resumed\":1}"),
      of("run job", RunJob.CODEC, "{\"job\":\"mail-purge\"}"),
      of("run job reply", JobRun.CODEC, "{\"job\":\"mail-purge\",\"ran\":true,\"result\":\"{}\"}"),
      of("ping reply", Pong.CODEC, "{\"node\":\"n1\"}"),
      new Sample<>("client op", ClientRequest.CODEC, "{\"mailId\":9}",
          Map.of("op", "mail.claim", "uid", "42", "sessionId", "s1", "node", "n1")));

  @Test
  void everyMessageOfTheEarlierVersionIsReadAndWrittenBackWithItsFields() {
    List<String> lost = new ArrayList<>();
    for (Sample<?> s : EARLIER) {
      lost.addAll(roundTrip(s));
    }
    assertThat(lost).isEmpty();
  }

  @Test
  void gateActionsAndErrorCodesKeepTheirWireNames() {
    assertThat(GateAction.of("push")).isEqualTo(GateAction.PUSH);
    assertThat(GateAction.of("pushes")).isEqualTo(GateAction.PUSHES);
    assertThat(GateAction.of("kick")).isEqualTo(GateAction.KICK);
    assertThat(GateAction.of("broadcast")).isEqualTo(GateAction.BROADCAST);
    // The earlier version numbered failures 4000 + the code's position; these numbers are fixed now.
    String[] earlierOrder = {"BAD_REQUEST", "UNKNOWN_OP", "NOT_AUTHENTICATED", "AUTH_INVALID", "AUTH_EXPIRED",
        "FORBIDDEN", "LOGIN_CONFLICT", "NOT_FOUND", "MAIL_EXPIRED", "ALREADY_CLAIMED", "NO_ATTACHMENTS",
        "HAS_UNCLAIMED", "IN_FLIGHT", "IDEMPOTENCY_MISMATCH", "RATE_LIMITED", "TOO_LARGE", "UNAVAILABLE", "INTERNAL"};
    for (int i = 0; i < earlierOrder.length; i++) {
      assertThat(ErrorCode.valueOf(earlierOrder[i]).wire()).as(earlierOrder[i]).isEqualTo(4000 + i);
      assertThat(ErrorCode.fromWire(4000 + i).name()).isEqualTo(earlierOrder[i]);
    }
    assertThat(ErrorCode.values()).extracting(ErrorCode::wire).doesNotHaveDuplicates();
  }

  private static <T> List<String> roundTrip(Sample<T> s) {
    JsonObject body = new JsonObject(s.body());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(s.headers());
    T value = s.codec().decode(body.copy(), headers);
    JsonObject again = s.codec().encode(value);
    DeliveryOptions written = s.codec().headers(value, new DeliveryOptions());
    List<String> lost = new ArrayList<>();
    for (String field : body.fieldNames()) {
      Object before = body.getValue(field);
      Object after = again.getValue(field);
      if (!same(before, after)) {
        lost.add(s.name() + ": " + field + " was " + before + ", written back " + after);
      }
    }
    s.headers().forEach((k, v) -> {
      String after = written.getHeaders() == null ? null : written.getHeaders().get(k);
      if (!v.equals(after)) {
        lost.add(s.name() + ": header " + k + " was " + v + ", written back " + after);
      }
    });
    return lost;
  }

  /** Equal as JSON, numbers by value: a cursor the earlier version sent as "7" may come back as 7 or "7". */
  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.longValue() == y.longValue();
    }
    if (a instanceof String x && b instanceof Number y || a instanceof Number && b instanceof String) {
      return String.valueOf(a).equals(String.valueOf(b));
    }
    return new JsonObject().put("v", a).equals(new JsonObject().put("v", b));
  }
}
