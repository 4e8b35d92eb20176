package io.ravenpost.multihost;

import io.ravenpost.testkit.TestHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The game server's side of the run: a personal mail with an attachment to a random account every
 * {@code periodMs}, through POST /admin/mail on the hosts in turn. A call that times out or fails
 * is sent once more to the next host with the same Idempotency-Key, so it can never make two
 * mails; its outcome is then recorded as unknown (the mail may or may not exist, at most once).
 * Titles carry the recipient ({@code nm|<uid>|<seq>}), so a push can be checked against its session.
 */
final class MailSender implements Runnable {
  private static final Duration TIMEOUT = Duration.ofSeconds(4);

  private final Bed bed;
  private final History history;
  private final List<Long> uids;
  private final long periodMs;
  private final String runId;
  private final Random random;
  private volatile boolean running = true;
  private Thread thread;
  private int next;

  MailSender(Bed bed, History history, List<Long> uids, long periodMs, String runId, long seed) {
    this.bed = bed;
    this.history = history;
    this.uids = uids;
    this.periodMs = periodMs;
    this.runId = runId;
    this.random = new Random(seed);
  }

  void start() {
    thread = new Thread(this, "nemesis-mail-sender");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the call under way (bounded by two timeouts). */
  void stop() throws InterruptedException {
    running = false;
    thread.join(3 * TIMEOUT.toMillis());
  }

  @Override
  public void run() {
    long due = System.currentTimeMillis();
    for (int seq = 1; running; seq++) {
      sendOne(seq);
      due += periodMs;
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        try {
          Thread.sleep(wait); // pacing of the workload, not a wait for a condition
        } catch (InterruptedException e) {
          return;
        }
      } else {
        due = System.currentTimeMillis();
      }
    }
  }

  private void sendOne(int seq) {
    long uid = uids.get(random.nextInt(uids.size()));
    String title = "nm|" + uid + "|" + seq;
    JsonObject body = new JsonObject()
        .put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(uid)))
        .put("title", title).put("body", "nemesis mail " + seq)
        .put("attachments", new JsonArray().add(new JsonObject().put("type", "currency").put("id", "gold")
            .put("amount", 1)));
    Map<String, String> headers = Map.of("Idempotency-Key", runId + "-" + seq);
    JsonObject data = new JsonObject().put("title", title);
    for (int attempt = 0; attempt < 2; attempt++) {
      int host = pickHost();
      long t0 = System.currentTimeMillis();
      String outcome;
      try {
        TestHttp.Response r = bed.admin(host, "POST", "/admin/mail", body, headers, TIMEOUT);
        if (r.status() == 201) {
          JsonArray ids = r.json().getJsonArray("mailIds");
          history.add("send.ok", null, uid, host, data.put("mailId", ids.getLong(0))
              .put("ms", System.currentTimeMillis() - t0).put("attempt", attempt));
          return;
        }
        outcome = r.status() + " " + r.errorCode();
      } catch (RuntimeException e) {
        outcome = e.getCause() == null ? e.toString() : e.getCause().toString();
      }
      data.put("try" + attempt, "h" + host + ": " + outcome);
    }
    history.add("send.unknown", null, uid, -1, data);
  }

  /** The hosts in turn, skipping a node that is not running (killed and not yet restarted). */
  private int pickHost() {
    for (int i = 0; i < Bed.HOSTS; i++) {
      int h = next++ % Bed.HOSTS;
      if (bed.node(h).alive()) {
        return h;
      }
    }
    return 0;
  }
}
