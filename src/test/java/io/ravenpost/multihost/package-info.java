/**
 * The multi-host test bed and its nemesis.
 *
 * <p><b>Bed.</b> {@link io.ravenpost.multihost.Bed} makes three Linux network namespaces (hosts
 * h0..h2, addresses 10.213.N.11-13 on a free /24), a bridge in the root namespace holding
 * 10.213.N.1 (test clients), .2 (a redis-server of the bed's own) and .3 (a relay to the test
 * MariaDB server, on a scratch database of the bed's own), and runs one node per namespace
 * configured only by environment variables ({@link io.ravenpost.multihost.Bed#nodeEnv}). No
 * namespace has a default route and the bridge has no uplink. Host h2's interface is a TAP
 * device joined to the bridge by {@code src/test/resources/multihost/delaylink.py}, which adds
 * latency on demand: this kernel has no netem. Namespaces, links, the bed's Redis, the relay and
 * node JVMs are removed when the bed closes, from a shutdown hook if the JVM is stopped, and by
 * the next run if the JVM was killed (marker files in /run/ravenpost-bed).
 *
 * <p><b>Needs</b> root, iproute2, /dev/net/tun, python3 and redis-server; without them the tests
 * fail saying so (never skip).
 *
 * <p><b>Run</b> {@code mvn -B -ntp test -Dtest='MultiHostTest,NemesisTest,CheckerTest'} (about
 * 45 s, 3.5 min and 1 s); they are part of {@code ./scripts/test.sh}. The nemesis prints a table
 * and writes target/nemesis/&lt;time&gt;.json (history, faults, violations, node env and log paths;
 * node logs are in target/node-logs/).
 */
package io.ravenpost.multihost;
