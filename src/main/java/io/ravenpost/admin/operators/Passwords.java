package io.ravenpost.admin.operators;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;

/**
 * Operators' passwords: Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), about
 * 50 ms here. Hashing is deliberately slow, so it runs on a worker thread, never an event loop.
 */
public final class Passwords {
  private static final Argon2 ARGON2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
  private static final int MEMORY_KIB = 19 * 1024;
  private static final int PASSES = 2;
  private static final int LANES = 1;
  /** No confusable characters (0/O, 1/l/I): a generated password is read off a terminal once. */
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final int GENERATED_LENGTH = 20;
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * Checked when the name is unknown, so an unknown name costs as long as a wrong password. Made
   * on first use, on the worker thread that verifies: as a static of this class it was hashed by
   * whichever thread loaded the class first, an event loop, which it blocked for seconds.
   */
  private static final class Dummy {
    static final String HASH = ARGON2.hash(PASSES, MEMORY_KIB, LANES, "not-a-password".toCharArray());
  }

  private Passwords() {
  }

  /** A fresh random password of 20 characters (about 116 bits). */
  public static String generate() {
    StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
    for (int i = 0; i < GENERATED_LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  public static Future<String> hash(Vertx vertx, String password) {
    return vertx.executeBlocking(() -> ARGON2.hash(PASSES, MEMORY_KIB, LANES, password.toCharArray()), false);
  }

  /** Whether {@code password} matches {@code hash}; a null hash (no such operator) never matches. */
  public static Future<Boolean> verify(Vertx vertx, String hash, String password) {
    return vertx.executeBlocking(() -> {
      boolean ok = ARGON2.verify(hash == null ? Dummy.HASH : hash, password.toCharArray());
      return ok && hash != null;
    }, false);
  }
}
