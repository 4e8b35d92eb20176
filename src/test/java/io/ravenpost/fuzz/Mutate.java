package io.ravenpost.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Byte-level mutations of a well-formed input, the way AFL-style fuzzers damage it: flips,
 * interesting values, splices of tokens, truncation, duplication. Starting from valid frames keeps
 * most inputs close enough to the grammar to reach the decoder's deeper paths.
 */
final class Mutate {
  /** Bytes that sit on parser boundaries in JSON and msgpack. */
  private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xc0, (byte) 0xc1,
      (byte) 0xc4, (byte) 0xc6, (byte) 0xc9, (byte) 0xcf, (byte) 0xd3, (byte) 0xd9, (byte) 0xdb, (byte) 0xdc,
      (byte) 0xdd, (byte) 0xdf, (byte) 0xd4, (byte) 0xc7, '{', '}', '[', ']', '"', ':', ',', '\\', '-', 'e', '0'};
  private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "-0", "1e999999",
      "-1e-999999", "123456789012345678901234567890", "NaN", "\\u0000", "\\ud800", "\"\\", "\u00ff\u00fe",
      "{\"id\":", "\"op\":", "\"body\":", "[[[[[[[[[[[[[[[[", "]]]]", "\"mail.list\"", "\"auth.login\""};

  private Mutate() {
  }

  /** One to {@code maxRounds} random mutations of a copy of {@code in}. */
  static byte[] bytes(Random r, byte[] in, int maxRounds) {
    byte[] b = in.clone();
    int rounds = 1 + r.nextInt(maxRounds);
    for (int i = 0; i < rounds; i++) {
      b = once(r, b);
    }
    return b;
  }

  private static byte[] once(Random r, byte[] b) {
    int at = b.length == 0 ? 0 : r.nextInt(b.length);
    switch (r.nextInt(9)) {
      case 0 -> {
        if (b.length > 0) {
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> {
        if (b.length > 0) {
          b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
        }
      }
      case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 3 -> b = splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
      case 4 -> b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(8)), new byte[0]);
      case 5 -> {
        int end = Math.min(b.length, at + 1 + r.nextInt(16));
        b = splice(b, end, end, Arrays.copyOfRange(b, at, end));
      }
      case 6 -> {
        byte[] noise = new byte[1 + r.nextInt(8)];
        r.nextBytes(noise);
        b = splice(b, at, at, noise);
      }
      case 7 -> {
        if (b.length > 4) {
          int word = r.nextInt(b.length - 3);
          int v = new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65536, 65537}[r.nextInt(6)];
          b[word] = (byte) (v >>> 24);
          b[word + 1] = (byte) (v >>> 16);
          b[word + 2] = (byte) (v >>> 8);
          b[word + 3] = (byte) v;
        }
      }
      default -> {
        if (b.length > 1) {
          int other = r.nextInt(b.length);
          byte t = b[at];
          b[at] = b[other];
          b[other] = t;
        }
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
    byte[] out = new byte[b.length - (to - from) + insert.length];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(b, to, out, from + insert.length, b.length - to);
    return out;
  }
}
