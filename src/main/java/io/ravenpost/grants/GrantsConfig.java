package io.ravenpost.grants;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Locale;

/**
 * The {@code grants} section (env {@code RAVEN_GRANTS_*}, {@code webhook.url} is
 * {@code RAVEN_GRANTS_WEBHOOK_URL}): how claimed attachments reach the game servers.
 *
 * @param delivery      who pushes grants: the event-bus relay, the webhook sender, or nobody (pull)
 * @param webhookUrl    where the webhook sender POSTs batches (required with {@code webhook})
 * @param webhookSecret the HMAC-SHA256 key of the {@code Ravenpost-Signature} header
 * @param timeoutMs     how long one webhook request may take before it counts as failed
 * @param batch         grants per webhook request, and the default {@code limit} of a pull
 * @param retryCapMs    the longest pause between two attempts at one grant
 * @param retentionMs   how long a grant may stay unacknowledged (from its claim or its resend)
 *                      before it is dead-lettered; {@code retentionDays} in the file, fractions allowed
 * @param sweepMs       how often the dead-letter sweep runs (one node of the cluster at a time)
 */
public record GrantsConfig(Delivery delivery, String webhookUrl, String webhookSecret, long timeoutMs, int batch,
                           long retryCapMs, long retentionMs, long sweepMs) {
  private static final long DAY_MS = 86_400_000L;
  private static final int MIN_SECRET = 16;

  /** Who pushes grants out of the outbox; pulling works whichever is chosen. */
  public enum Delivery {
    EVENTBUS, WEBHOOK, PULL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static GrantsConfig from(JsonObject raw) {
    Delivery delivery = delivery(raw);
    String url = Conf.str(raw, "grants.webhook.url").trim();
    String secret = Conf.str(raw, "grants.webhook.secret");
    if (delivery == Delivery.WEBHOOK) {
      checkUrl(url);
      if (secret.length() < MIN_SECRET) {
        throw new IllegalArgumentException("config grants.webhook.secret must be set (at least " + MIN_SECRET
            + " characters) when grants.delivery is webhook: receivers check every request's signature with it");
      }
    }
    return new GrantsConfig(delivery, url, secret, Conf.longIn(raw, "grants.timeoutMs", 100, 600_000),
        Conf.intIn(raw, "grants.batch", 1, 1000), Conf.longIn(raw, "grants.retryCapMs", 100, 86_400_000),
        retention(raw), Conf.longIn(raw, "grants.sweepMs", 100, 86_400_000));
  }

  /** The configured delivery; the mail role reads it too, to leave the outbox to webhook or pull. */
  public static Delivery delivery(JsonObject raw) {
    String v = Conf.str(raw, "grants.delivery").trim();
    for (Delivery d : Delivery.values()) {
      if (d.wire().equals(v)) {
        return d;
      }
    }
    throw new IllegalArgumentException("config grants.delivery must be eventbus, webhook or pull, not '" + v + "'");
  }

  private static void checkUrl(String url) {
    try {
      URI u = new URI(url);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return;
      }
    } catch (Exception e) {
      // refused below with the key's name
    }
    throw new IllegalArgumentException("config grants.webhook.url must be an http(s) URL when grants.delivery is "
        + "webhook, not '" + url + "'");
  }

  /** Days, fractions allowed, so a test can dead-letter within seconds. */
  private static long retention(JsonObject raw) {
    Object v = Conf.get(raw, "grants.retentionDays");
    double days;
    try {
      days = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("config grants.retentionDays must be a number of days, not " + v);
    }
    if (!(days >= 0.00001 && days <= 3650)) {
      throw new IllegalArgumentException("config grants.retentionDays must be between 0.00001 and 3650, not " + v);
    }
    return Math.round(days * DAY_MS);
  }

  /** How long a webhook request holds its grants: past this another node may take them. */
  long webhookLeaseMs() {
    return timeoutMs + 5000;
  }
}
