#!/usr/bin/env bash
# Ravenpost launcher.
#   ./run.sh                    one node with every role
#   ./run.sh --nodes N          N nodes on this machine as one cluster (node i adds 10*i to each port)
#   ./run.sh token --uid 42 [--role admin] [--created-at EPOCH_S] ...   print a signed token
#   ./run.sh operator add NAME --role viewer|operator|admin              a console account (password printed once)
#   ./run.sh operator list | password NAME | remove NAME
#   ./run.sh feed new-epoch                                             after a restore: every client reloads its mailbox
#   ./run.sh config                                                     the effective configuration, secrets masked
#   ./run.sh bench [scenario...] [options]                              run the benchmark
#   ./run.sh token|operator|feed|config|bench --help                         each command's own options
# Checks Redis and MariaDB first (starting them if down) and builds the jars when missing or stale:
# target/ravenpost.jar (the product, module server/) and bench/target/ravenpost-bench.jar (module bench/).
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/ravenpost.jar
BENCH_JAR=bench/target/ravenpost-bench.jar
JVM_FLAGS=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx1g -XX:+UseG1GC"}

# Both jars come from one build at the root, so either being stale rebuilds both.
stale() {
  [ ! -f "$1" ] || [ -n "$(find pom.xml server/pom.xml bench/pom.xml src bench/src docs config -newer "$1" -type f 2>/dev/null \
    | head -n 1)" ]
}

build_if_stale() {
  if stale "$JAR" || stale "$BENCH_JAR"; then
    echo "[run] building $JAR and $BENCH_JAR" >&2
    mvn -B -ntp -q package -DskipTests
  fi
}

# The secrets shipped in config/ are public, so a node with them refuses listeners off loopback. For
# development on this machine run.sh makes secrets of its own once (kept in .dev-secrets/, not in
# git) and uses them for the nodes and the token command alike; production sets RAVEN_JWT_SECRET
# (player tokens) and RAVEN_ADMIN_JWT_SECRET (admin and service tokens).
ensure_secret() {
  local var=$1 file=.dev-secrets/$2
  if [ -z "${!var:-}" ]; then
    if [ ! -s "$file" ]; then
      mkdir -p .dev-secrets && chmod 700 .dev-secrets
      head -c 48 /dev/urandom | base64 | tr -d '/+=\n' > "$file"
      echo "[run] generated a development secret in $file (production sets $var)" >&2
    fi
    export "$var=$(cat "$file")"
  fi
}

java_cmd() {
  # shellcheck disable=SC2086
  exec java "${JVM_FLAGS[@]}" $JAVA_OPTS -jar "$JAR" "$@"
}

ensure_secret RAVEN_JWT_SECRET jwt
ensure_secret RAVEN_ADMIN_JWT_SECRET admin-jwt

case "${1:-}" in
  token)
    shift; build_if_stale; java_cmd token "$@" ;;
  operator)
    shift; scripts/ensure-services.sh; build_if_stale; java_cmd operator "$@" ;;
  feed)
    shift; scripts/ensure-services.sh; build_if_stale; java_cmd feed "$@" ;;
  config)
    shift; build_if_stale; java_cmd config "$@" ;;
  bench)
    # Each scenario creates and drops a database of its own (ravenpost_bench_<run>_<scenario>,
    # which ensure-services.sh grants the project user), and the benchmark holds one socket per
    # simulated session, so it takes the highest open-files limit allowed.
    shift
    scripts/ensure-services.sh
    build_if_stale
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    # The benchmark's own main class; the product jar beside it brings Vert.x and the client code.
    # shellcheck disable=SC2086
    exec java "${JVM_FLAGS[@]}" $JAVA_OPTS -cp "$JAR:$BENCH_JAR" io.ravenpost.bench.BenchCommand "$@" ;;
esac

nodes=1
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || { echo "--nodes takes 1..99" >&2; exit 2; }

scripts/ensure-services.sh
build_if_stale

if [ "$nodes" -eq 1 ]; then
  # A stable node id: metrics keep their node tag across restarts.
  RAVEN_NODE_ID=${RAVEN_NODE_ID:-node0} java_cmd node
fi

pids=()
stop_all() {
  echo "[run] stopping ${#pids[@]} nodes" >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit 0
}
trap stop_all INT TERM
mkdir -p logs
# Each node its own Hazelcast port, and every node lists them all: the split-brain check that
# heals a paused or cut-off node walks this list, so it names only ports with a node behind them.
hz_port=${RAVEN_CLUSTER_PORT:-5701}
members=$(for i in $(seq 0 $((nodes - 1))); do printf '127.0.0.1:%s,' $((hz_port + i)); done)
for i in $(seq 0 $((nodes - 1))); do
  # shellcheck disable=SC2086
  RAVEN_NODE_PORT_OFFSET=$((10 * i)) RAVEN_NODE_ID="node$i" \
    RAVEN_CLUSTER_PORT=$((hz_port + i)) RAVEN_CLUSTER_MEMBERS="${RAVEN_CLUSTER_MEMBERS:-${members%,}}" \
    java "${JVM_FLAGS[@]}" $JAVA_OPTS -jar "$JAR" node > "logs/node$i.log" 2>&1 &
  pids+=($!)
  echo "[run] node$i: ws://127.0.0.1:$((7100 + 10 * i))/ws tcp 127.0.0.1:$((7101 + 10 * i))" \
    "admin http://127.0.0.1:$((7180 + 10 * i)) (log: logs/node$i.log)"
done
echo "[run] $nodes nodes starting; Ctrl-C stops them all"
wait "${pids[@]}"
