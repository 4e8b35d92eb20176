package io.ravenpost.bench.node;

/** A node under load: where it listens and, when known, its process id (for RSS and heap). */
public interface BenchNode {
  String label();

  int wsPort();

  /** The client TCP port: the WebSocket port + 1, as PROTOCOL.md's 7100 / 7101 (offsets add to both). */
  default int tcpPort() {
    return wsPort() + 1;
  }

  int adminPort();

  /** The node's JVM process id, or -1 when not known (then RSS and heap come from /metrics only). */
  long pid();

  /** False once a node this benchmark started has exited (a reused node is assumed alive). */
  default boolean alive() {
    return true;
  }

  /** Stops the node if this benchmark started it; reused nodes are left running. */
  void stop();
}
