package io.ravenpost.api;

/** A failure with a wire code. No stack trace: these are expected outcomes, not bugs. */
public final class RavenException extends RuntimeException {
  private final ErrorCode code;

  public RavenException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
