package io.ravenpost.api;

/**
 * A typed event-bus address: what is asked there and what comes back, with their wire forms. Every
 * request and reply of the cluster goes through one of these ({@link Addresses}), so a message's
 * shape is written down once and checked where it is read.
 *
 * @param reply null for an address that is sent to and never answers
 */
public record Endpoint<Q, A>(String address, Codec<Q> request, Codec<A> reply) {
  public static <Q, A> Endpoint<Q, A> of(String address, Codec<Q> request, Codec<A> reply) {
    return new Endpoint<>(address, request, reply);
  }

  /** The same messages at another address (a per-node address such as a gate's). */
  public Endpoint<Q, A> at(String otherAddress) {
    return new Endpoint<>(otherAddress, request, reply);
  }
}
