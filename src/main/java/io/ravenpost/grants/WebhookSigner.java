package io.ravenpost.grants;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Ravenpost-Signature} header of a webhook request: {@code t=<epoch s>,v1=<hex>} where
 * the hex is HMAC-SHA256 of {@code "<t>.<body>"} under {@code grants.webhook.secret}. The time is
 * inside the signed text so a receiver can refuse old requests replayed at it.
 */
final class WebhookSigner {
  static final String HEADER = "Ravenpost-Signature";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  WebhookSigner(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  String header(long epochSeconds, String body) {
    return "t=" + epochSeconds + ",v1=" + hmac(epochSeconds + "." + body);
  }

  private String hmac(String text) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }
}
