package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.adminSend;
import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.opSync;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Producers' sends: idempotency over HTTP and the event bus, validation, big sends, pagination. */
class MailSendTest {
  static TestCluster cluster;
  static RavenNode node;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new JsonObject().put("mail", new JsonObject().put("capacity", 1000)));
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Reply internal(JsonObject body, String key) {
    return http(node, "POST", "/internal/mail", TestTokens.service(), body,
        key == null ? Map.of() : Map.of("Idempotency-Key", key));
  }

  private static long count(long uid) {
    return opSync(node, uid, "mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails").size();
  }

  @Test
  void sameKeyTenTimesInParallelStoresOneMail() {
    long uid = TestEnv.randomUid();
    String key = "reward-" + UUID.randomUUID();
    JsonObject body = mail(users(uid), "once").put("attachments", new JsonArray().add(gold(9)));
    List<CompletableFuture<Reply>> calls = IntStream.range(0, 10)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> internal(body, key))).toList();
    List<Reply> replies = calls.stream().map(CompletableFuture::join).toList();

    Map<Integer, Long> byStatus = replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
    assertThat(byStatus.keySet()).isSubsetOf(201, 409);
    assertThat(byStatus.get(201)).isGreaterThanOrEqualTo(1);
    replies.stream().filter(r -> r.status() == 409).forEach(r -> assertThat(r.code()).isEqualTo("IN_FLIGHT"));
    Set<JsonArray> results = replies.stream().filter(r -> r.status() == 201)
        .map(r -> r.body().getJsonArray("mailIds")).collect(Collectors.toSet());
    assertThat(results).hasSize(1);
    assertThat(count(uid)).isEqualTo(1);

    Reply again = internal(body, key);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body().getJsonArray("mailIds")).isEqualTo(results.iterator().next());
    Reply other = internal(mail(users(uid), "another body"), key);
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.code()).isEqualTo("IDEMPOTENCY_MISMATCH");
    assertThat(count(uid)).isEqualTo(1);
  }

  @Test
  void internalMailNeedsAKeyAndAServiceOrAdminToken() {
    long uid = TestEnv.randomUid();
    JsonObject body = mail(users(uid), "keys");
    Reply noKey = internal(body, null);
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.code()).isEqualTo("BAD_REQUEST");
    assertThat(noKey.body().getJsonObject("error").getString("message")).contains("Idempotency-Key");
    assertThat(internal(body, "has space").status()).isEqualTo(400);
    assertThat(http(node, "POST", "/internal/mail", TestTokens.player(uid), body, Map.of("Idempotency-Key", "k"))
        .status()).as("a player-secret token is no operator token").isEqualTo(401);
    assertThat(http(node, "POST", "/internal/mail", null, body, Map.of("Idempotency-Key", "k")).status())
        .isEqualTo(401);
    assertThat(http(node, "POST", "/admin/mail", TestTokens.service(), body, Map.of()).status()).isEqualTo(403);
    assertThat(http(node, "POST", "/internal/mail", TestTokens.admin(), body,
        Map.of("Idempotency-Key", "admin-" + uid)).status()).isEqualTo(201);
    assertThat(count(uid)).isEqualTo(1);
  }

  @Test
  void theEventBusSendSharesKeysWithHttpWhenItNamesTheSameProducerAndRequiresOne() {
    long uid = TestEnv.randomUid();
    String key = "bus-" + UUID.randomUUID();
    JsonObject body = mail(users(uid), "from a game service");
    Throwable noKey = Await.failure(bus(body.copy()));
    assertThat(((ReplyException) noKey).failureCode()).isEqualTo(ErrorCode.BAD_REQUEST.wire());
    // The service token's subject is "2": a bus sender naming it shares that producer's keys.
    JsonArray viaBus = Await.result(bus(body.copy().put("idempotencyKey", key).put("producer", "2")))
        .getJsonArray("mailIds");
    Reply viaHttp = internal(body, key);
    assertThat(viaHttp.status()).isEqualTo(201);
    assertThat(viaHttp.body().getJsonArray("mailIds")).isEqualTo(viaBus);
    assertThat(count(uid)).isEqualTo(1);
    adminSend(node, body);
    adminSend(node, body);
    assertThat(count(uid)).as("the admin API without a key sends each time").isEqualTo(3);
  }

  private static Future<JsonObject> bus(JsonObject body) {
    return node.context().vertx().eventBus().<JsonObject>request(MailAddresses.SEND.address(), body,
        new DeliveryOptions().setSendTimeout(20_000)).map(m -> m.body());
  }

  @Test
  void badSendsAreRefusedNamingTheField() {
    long uid = TestEnv.randomUid();
    JsonArray eleven = new JsonArray();
    IntStream.range(0, 11).forEach(i -> eleven.add(gold(1)));
    JsonArray tooMany = new JsonArray();
    IntStream.range(0, 1001).forEach(i -> tooMany.add(TestEnv.randomUid()));
    Map<String, JsonObject> cases = Map.ofEntries(
        Map.entry("target", new JsonObject().put("title", "t").put("body", "b")),
        Map.entry("target.type", mail(new JsonObject().put("type", "everyone"), "t")),
        Map.entry("target.uids", mail(new JsonObject().put("type", "users").put("uids", new JsonArray()), "t")),
        Map.entry("target.uids[1]", mail(new JsonObject().put("type", "users")
            .put("uids", new JsonArray().add(uid).add("abc")), "t")),
        Map.entry("has more than 1000", mail(new JsonObject().put("type", "users").put("uids", tooMany), "t")),
        Map.entry("title", mail(users(uid), "x".repeat(129))),
        Map.entry("body", mail(users(uid), "t").put("body", "\u00e9".repeat(2049))),
        Map.entry("attachments", mail(users(uid), "t").put("attachments", eleven)),
        Map.entry("attachments[0].amount", mail(users(uid), "t").put("attachments", new JsonArray().add(gold(0)))),
        Map.entry("attachments[0].type", mail(users(uid), "t").put("attachments", new JsonArray()
            .add(new JsonObject().put("type", "gem").put("id", "g").put("amount", 1)))),
        Map.entry("attachments[0].id", mail(users(uid), "t").put("attachments", new JsonArray()
            .add(new JsonObject().put("type", "item").put("amount", 1)))),
        Map.entry("ttlSeconds", mail(users(uid), "t").put("ttlSeconds", 0)));
    cases.forEach((field, body) -> {
      Reply r = http(node, "POST", "/admin/mail", TestTokens.admin(), body, Map.of());
      assertThat(r.status()).as(field).isEqualTo(400);
      assertThat(r.code()).as(field).isEqualTo("BAD_REQUEST");
      assertThat(r.body().getJsonObject("error").getString("message")).as(field).contains(field);
    });
    assertThat(http(node, "POST", "/admin/mail", TestTokens.admin(), null, Map.of()).status()).isEqualTo(400);
    assertThat(count(uid)).isZero();
  }

  @Test
  void oneCallToAThousandPlayersIsOneMailEach() {
    List<Long> uids = IntStream.range(0, 1000).mapToObj(i -> TestEnv.randomUid()).toList();
    long[] arr = uids.stream().mapToLong(Long::longValue).toArray();
    List<Long> ids = adminSend(node, mail(users(arr), "to everyone listed").put("attachments",
        new JsonArray().add(gold(3))));
    assertThat(ids).hasSize(1000).doesNotHaveDuplicates();
    for (int i : new int[] {0, 499, 999}) {
      JsonObject m = opSync(node, uids.get(i), "mail.list", new JsonObject()).getJsonArray("mails").getJsonObject(0);
      assertThat(m.getLong("mailId")).isEqualTo(ids.get(i));
    }
  }

  @Test
  void paginationOverTwoHundredFiftyMailsWithConcurrentInsertsNeitherSkipsNorRepeats() {
    long uid = TestEnv.randomUid();
    List<Long> original = new ArrayList<>(sendMany(uid, 250, "old"));
    assertThat(original).hasSize(250);

    List<Long> seen = new ArrayList<>();
    Future<List<Long>> concurrent = Future.succeededFuture(List.of());
    String cursor = null;
    int pages = 0;
    do {
      JsonObject req = new JsonObject().put("limit", 7);
      if (cursor != null) {
        req.put("cursor", cursor);
      }
      JsonObject page = opSync(node, uid, "mail.list", req);
      page.getJsonArray("mails").forEach(m -> seen.add(((JsonObject) m).getLong("mailId")));
      cursor = page.getString("nextCursor");
      if (pages++ % 5 == 0) {
        Future<List<Long>> prev = concurrent;
        Future<List<Long>> more = sendBatch(uid, 3, "new");
        concurrent = Future.all(prev, more).map(v -> {
          List<Long> all = new ArrayList<>(prev.result());
          all.addAll(more.result());
          return all;
        });
      }
    } while (cursor != null);
    List<Long> inserted = Await.result(concurrent);

    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).containsAll(original);
    assertThat(new HashSet<>(original).size() + inserted.size()).isGreaterThanOrEqualTo(seen.size());
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)).isLessThan(seen.get(i - 1));
    }
    assertThat(opSync(node, uid, "mail.unread", new JsonObject()).getLong("unread")).isEqualTo(250 + inserted.size());
  }

  @Test
  void unreadStaysTrueUnderConcurrentSendsOpensAndClaims() {
    long uid = TestEnv.randomUid();
    sendMany(uid, 10, "note");
    Await.result(Future.all(IntStream.range(0, 10).mapToObj(i -> rewardTo(uid)).toList()));
    List<Long> all = opSync(node, uid, "mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails").stream()
        .map(m -> ((JsonObject) m).getLong("mailId")).toList();
    List<Future<?>> racing = new ArrayList<>();
    racing.add(sendBatch(uid, 20, "racing"));
    all.subList(0, 8).forEach(id -> racing.add(MailTesting.op(node, uid, "mail.open", MailTesting.id(id))));
    all.subList(5, 12).forEach(id -> racing.add(MailTesting.op(node, uid, "mail.claim", MailTesting.id(id))
        .recover(t -> Future.succeededFuture())));
    racing.add(MailTesting.op(node, uid, "mail.claimAll", new JsonObject()));
    all.subList(15, 20).forEach(id -> racing.add(MailTesting.op(node, uid, "mail.delete", MailTesting.id(id))
        .recover(t -> Future.succeededFuture())));
    Await.result(Future.all(racing), 30_000);

    long unreadRows = opSync(node, uid, "mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails").stream()
        .filter(m -> !((JsonObject) m).getBoolean("read")).count();
    assertThat(opSync(node, uid, "mail.unread", new JsonObject()).getLong("unread")).isEqualTo(unreadRows);
    assertThat(Await.result(node.context().vertx().eventBus().<JsonObject>request(MailAddresses.HEARTBEAT.address(),
        new JsonObject().put("uid", uid))).body().getLong("unread")).isEqualTo(unreadRows);
  }

  private static Future<Long> rewardTo(long uid) {
    return node.context().vertx().eventBus().<JsonObject>request(MailAddresses.ADMIN_SEND.address(),
            mail(users(uid), "gift").put("attachments", new JsonArray().add(gold(1))))
        .map(m -> m.body().getJsonArray("mailIds").getLong(0));
  }

  @Test
  void mailWithALaterStartsAtStaysHiddenUntilThen() {
    long uid = TestEnv.randomUid();
    long later = System.currentTimeMillis() + 3_600_000;
    long hidden = adminSend(node, mail(users(uid), "tomorrow's event").put("startsAt", later).put("ttlSeconds", 60))
        .get(0);
    long shown = adminSend(node, mail(users(uid), "already started").put("startsAt", 1000)).get(0);
    assertThat(opSync(node, uid, "mail.list", new JsonObject()).getJsonArray("mails").stream()
        .map(m -> ((JsonObject) m).getLong("mailId")).toList()).containsExactly(shown);
    assertThat(opSync(node, uid, "mail.unread", new JsonObject()).getLong("unread")).isEqualTo(1);
    assertThat(MailTesting.opError(node, uid, "mail.open", MailTesting.id(hidden))).isEqualTo(ErrorCode.NOT_FOUND);
    JsonObject admin = http(node, "GET", "/admin/users/" + uid + "/mail", TestTokens.admin(), null, Map.of()).body();
    assertThat(admin.getJsonArray("mails")).hasSize(1);
  }

  private static List<Long> sendMany(long uid, int n, String title) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i += 50) {
      ids.addAll(Await.result(sendBatch(uid, Math.min(50, n - i), title)));
    }
    return ids;
  }

  /** {@code n} sends over the bus at once; completes with their mail ids. */
  private static Future<List<Long>> sendBatch(long uid, int n, String title) {
    List<Future<Long>> each = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      each.add(node.context().vertx().eventBus().<JsonObject>request(MailAddresses.ADMIN_SEND.address(),
              mail(users(uid), title + " " + i), new DeliveryOptions().setSendTimeout(20_000))
          .map(m -> m.body().getJsonArray("mailIds").getLong(0)));
    }
    return Future.all(each).map(cf -> {
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(cf.resultAt(i));
      }
      return out;
    });
  }
}
