package io.ravenpost.multihost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bed's network: one Linux network namespace per host, each with one interface "eth0" on a
 * bridge in the root namespace, addresses from a /24 of 10.213.0.0/16 that exists nowhere else.
 * The bridge has three addresses of the root namespace: .1 (where test clients come from), .2
 * (the bed's Redis) and .3 (the relay to MariaDB), so a host can be cut from Redis alone. No
 * namespace has a default route and the bridge has no uplink: a packet can only reach the
 * namespaces and the root namespace's bridge addresses.
 *
 * <p>One host ({@code tapHost}) has a TAP device instead of a veth, linked to the bridge by
 * {@link DelayLink}, which is how latency is added without netem.
 *
 * <p>Every name starts with {@link #PREFIX} plus a random id, and a marker file names the JVM that
 * owns it, so a later run removes what a crashed run left (see {@link BedJanitor}).
 */
final class BedNetwork implements AutoCloseable {
  static final String PREFIX = "rpN";

  final String id;
  final String subnet;
  final int hosts;
  final int tapHost;
  private DelayLink link;

  private BedNetwork(String id, String subnet, int hosts, int tapHost) {
    this.id = id;
    this.subnet = subnet;
    this.hosts = hosts;
    this.tapHost = tapHost;
  }

  static BedNetwork create(int hosts, int tapHost) {
    BedJanitor.requireTools();
    BedJanitor.cleanStale();
    String id = PREFIX + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    BedNetwork net = new BedNetwork(id, "10.213." + freeSubnetOctet(), hosts, tapHost);
    BedJanitor.claim(net.id, net.subnet);
    try {
      net.build();
      return net;
    } catch (RuntimeException | Error e) {
      net.close();
      throw e;
    }
  }

  String ns(int host) {
    return id + "-h" + host;
  }

  String hostAddress(int host) {
    return subnet + "." + (11 + host);
  }

  String rootAddress() {
    return subnet + ".1";
  }

  String redisAddress() {
    return subnet + ".2";
  }

  String mysqlAddress() {
    return subnet + ".3";
  }

  private String bridge() {
    return id + "br";
  }

  private void build() {
    Sh.run("ip", "link", "add", bridge(), "type", "bridge");
    noIpv6(null, bridge());
    Sh.run("ip", "link", "set", bridge(), "up");
    for (String a : List.of(rootAddress(), redisAddress(), mysqlAddress())) {
      Sh.run("ip", "addr", "add", a + "/24", "dev", bridge());
    }
    for (int i = 0; i < hosts; i++) {
      String ns = ns(i);
      Sh.run("ip", "netns", "add", ns);
      String inside = id + "u" + i;
      if (i == tapHost) {
        Sh.run("ip", "tuntap", "add", "dev", id + "t" + i, "mode", "tap");
        Sh.run("ip", "tuntap", "add", "dev", inside, "mode", "tap");
        attach(id + "t" + i);
      } else {
        Sh.run("ip", "link", "add", id + "v" + i, "type", "veth", "peer", "name", inside);
        attach(id + "v" + i);
      }
      Sh.run("ip", "link", "set", inside, "netns", ns);
      Sh.run("ip", "-n", ns, "link", "set", inside, "name", "eth0");
      noIpv6(ns, "all");
      Sh.run("ip", "-n", ns, "addr", "add", hostAddress(i) + "/24", "dev", "eth0");
      Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
      Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    if (tapHost >= 0 && tapHost < hosts) {
      link = DelayLink.start(ns(tapHost), "eth0", id + "t" + tapHost);
      BedJanitor.note(id, "pid", Long.toString(link.pid()));
    }
  }

  private void attach(String rootSide) {
    noIpv6(null, rootSide);
    Sh.run("ip", "link", "set", rootSide, "master", bridge());
    Sh.run("ip", "link", "set", rootSide, "up");
  }

  /** IPv6 is off on the bed's devices, so they send nothing (router solicitations, MLD) beyond its IPv4. */
  private static void noIpv6(String ns, String dev) {
    String file = "/proc/sys/net/ipv6/conf/" + dev + "/disable_ipv6";
    if (ns == null) {
      Sh.attempt("sh", "-c", "[ -e " + file + " ] && echo 1 > " + file);
    } else {
      Sh.attempt("ip", "netns", "exec", ns, "sh", "-c", "[ -e " + file + " ] && echo 1 > " + file);
    }
  }

  /**
   * Cuts (or heals) {@code host} from the other hosts, both ways, with blackhole routes on each
   * side; Redis, MariaDB and the test's clients (the bridge's addresses) are still reached.
   */
  void isolate(int host, boolean cut) {
    for (int other = 0; other < hosts; other++) {
      if (other != host) {
        route(host, hostAddress(other), cut);
        route(other, hostAddress(host), cut);
      }
    }
  }

  /** Cuts (or heals) {@code host} from the bed's Redis only. */
  void cutRedis(int host, boolean cut) {
    route(host, redisAddress(), cut);
  }

  private void route(int host, String address, boolean add) {
    Sh.run("ip", "-n", ns(host), "route", add ? "add" : "del", "blackhole", address + "/32");
  }

  /** Frames leaving the TAP host wait {@code outMs}, frames reaching it {@code inMs}. */
  void delay(int outMs, int inMs) {
    if (link == null) {
      throw new IllegalStateException("this bed has no delay link");
    }
    link.set(outMs, inMs);
  }

  /** Routes of a host's namespace, to show (and check) that nothing leads off the bed. */
  String routes(int host) {
    return Sh.run("ip", "-n", ns(host), "route", "show", "table", "all");
  }

  @Override
  public void close() {
    if (link != null) {
      link.close();
    }
    BedJanitor.remove(id);
  }

  /** An octet N such that 10.213.N.0/24 overlaps no address or route of this machine or another bed. */
  private static int freeSubnetOctet() {
    String seen = Sh.run("ip", "-4", "addr") + Sh.run("ip", "-4", "route", "show", "table", "all")
        + BedJanitor.claimedSubnets();
    List<Integer> free = new ArrayList<>();
    for (int n = 100; n < 250; n++) {
      if (!seen.contains("10.213." + n + ".") && !coveredByRoute(seen, n)) {
        free.add(n);
      }
    }
    if (free.isEmpty()) {
      throw new IllegalStateException("no free 10.213.N.0/24 for the bed");
    }
    return free.get(ThreadLocalRandom.current().nextInt(free.size()));
  }

  /** A shorter prefix (10.0.0.0/8, 10.213.0.0/16, ...) in the route table would capture the subnet. */
  private static boolean coveredByRoute(String table, int n) {
    for (String line : table.split("\n")) {
      String[] w = line.trim().split("\\s+");
      String dst = w.length > 1 && (w[0].equals("blackhole") || w[0].equals("unreachable")) ? w[1] : w[0];
      if (!dst.contains("/")) {
        continue;
      }
      String[] p = dst.split("/");
      int len = Integer.parseInt(p[1]);
      long net = ipv4(p[0]);
      long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
      if (len <= 24 && (ipv4("10.213." + n + ".0") & mask) == (net & mask)) {
        return true;
      }
    }
    return false;
  }

  private static long ipv4(String a) {
    String[] o = a.split("\\.");
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (i < o.length ? Long.parseLong(o[i]) : 0);
    }
    return v;
  }
}
