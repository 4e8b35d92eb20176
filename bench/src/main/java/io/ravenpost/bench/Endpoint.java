package io.ravenpost.bench;

import java.net.URI;

/** Where a running node listens: its client WebSocket port and its admin HTTP port, on 127.0.0.1. */
public record Endpoint(int wsPort, int adminPort) {
  /** Admin port = WebSocket port + 80, as in PROTOCOL.md (7100 / 7180, node i adds 10*i to both). */
  private static final int ADMIN_OFFSET = 80;

  /**
   * Parses {@code ws://127.0.0.1:7100[/ws]}; {@code admin} is {@code http://127.0.0.1:7180} or null
   * for the default offset. Load goes to this machine only, so other hosts are refused.
   */
  public static Endpoint parse(String ws, String admin) {
    int wsPort = localPort(ws, "ws");
    int adminPort = admin == null ? wsPort + ADMIN_OFFSET : localPort(admin, "http");
    return new Endpoint(wsPort, adminPort);
  }

  private static int localPort(String uri, String scheme) {
    URI u = URI.create(uri.contains("://") ? uri : scheme + "://" + uri);
    String host = u.getHost();
    if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
      throw new IllegalArgumentException("benchmark traffic goes to 127.0.0.1 only, not " + uri);
    }
    if (u.getPort() <= 0) {
      throw new IllegalArgumentException("no port in " + uri);
    }
    return u.getPort();
  }

  @Override
  public String toString() {
    return "ws://127.0.0.1:" + wsPort + "/ws (admin :" + adminPort + ")";
  }
}
