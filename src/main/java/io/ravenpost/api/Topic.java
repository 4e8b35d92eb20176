package io.ravenpost.api;

/** A typed address that events are published to, cluster-wide: every subscriber on every node gets each one. */
public record Topic<T>(String address, Codec<T> codec) {
  public static <T> Topic<T> of(String address, Codec<T> codec) {
    return new Topic<>(address, codec);
  }
}
