package io.ravenpost.api;

/** Account ids: int64, written as decimal strings on the wire and in headers. */
public final class Uid {
  private Uid() {
  }

  /** The int64 written in {@code s}, or null when {@code s} is not one. */
  public static Long tryParse(String s) {
    if (s == null || s.isEmpty() || s.length() > 20) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && s.length() > 1)) {
        return null;
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The int64 written in {@code s}; BAD_REQUEST naming {@code what} when it is not one. */
  public static long parse(String s, String what) {
    Long uid = tryParse(s);
    if (uid == null) {
      throw ErrorCode.BAD_REQUEST.error(what + " must be a decimal int64");
    }
    return uid;
  }
}
