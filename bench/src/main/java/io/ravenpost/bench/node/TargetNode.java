package io.ravenpost.bench.node;

import io.ravenpost.bench.Endpoint;

/** A node that was already running (--target, or a test's in-process cluster); never stopped by us. */
final class TargetNode implements BenchNode {
  private final Endpoint endpoint;
  private final long pid;

  TargetNode(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.pid = ProcStats.pidListeningOn(endpoint.wsPort());
  }

  @Override
  public String label() {
    return "node :" + endpoint.wsPort();
  }

  @Override
  public int wsPort() {
    return endpoint.wsPort();
  }

  @Override
  public int adminPort() {
    return endpoint.adminPort();
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public void stop() {
  }
}
