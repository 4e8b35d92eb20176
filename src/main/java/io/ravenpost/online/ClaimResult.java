package io.ravenpost.online;

/**
 * The outcome of one claim attempt. {@code mine} is set when this session now owns the uid;
 * otherwise {@code owner} is the live entry that has to be kicked first. {@code replaced} is a
 * stale entry of a dead node that the claim overwrote.
 */
public record ClaimResult(Entry mine, Entry owner, Entry replaced) {
  public boolean claimed() {
    return mine != null;
  }
}
