#!/usr/bin/env bash
# Makes sure the Redis and MariaDB that the configuration uses answer, installing them (Debian
# packages redis-server, mariadb-server) when missing, initialising an empty MariaDB data directory,
# and starting whichever is down; then creates the project's databases and user (root may be
# socket-only, which the MySQL client cannot use). A service that RAVEN_MYSQL_URI / RAVEN_REDIS_URI
# (or RAVEN_TEST_MYSQL_URI / RAVEN_TEST_REDIS_URI) put on another host is neither started nor checked.
# Installing and starting need root; without it the script says exactly what to run.
# Idempotent; safe to run before every start and every test run.
set -euo pipefail
RAVEN_SCRIPT=services
. "$(dirname "$0")/lib.sh"

RAVEN_DB_USER=${RAVEN_DB_USER:-ravenpost}
RAVEN_DB_PASSWORD=${RAVEN_DB_PASSWORD:-ravenpost}
DATABASES=${RAVEN_DATABASES:-"ravenpost ravenpost_test ravenpost_test_b"}
MYSQL_DATADIR=${RAVEN_MYSQL_DATADIR:-/var/lib/mysql}

# local_port DEFAULT URI... : the local port the given URIs use, or "" when every URI given points
# to another host (nothing to start here). No URI at all means the default, on this machine.
local_port() {
  local default=$1 port="" any=""; shift
  for uri in "$@"; do
    [ -z "$uri" ] && continue
    any=1
    if is_local_host "$(uri_host "$uri")"; then port=$(uri_port "$uri" "$default"); fi
  done
  if [ -z "$any" ]; then echo "$default"; else echo "$port"; fi
}

redis_port=$(local_port 6379 "${RAVEN_REDIS_URI:-}" "${RAVEN_TEST_REDIS_URI:-}")
mysql_port=$(local_port 3306 "${RAVEN_MYSQL_URI:-}" "${RAVEN_TEST_MYSQL_URI:-}")
root=$([ "$(id -u)" -eq 0 ] && echo 1 || echo "")

# Packages first, in one apt-get call.
missing=()
if [ -n "$redis_port" ] && ! port_open "$redis_port" && ! command -v redis-server >/dev/null; then
  missing+=(redis-server)
fi
if [ -n "$mysql_port" ] && ! port_open "$mysql_port"; then
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
fi
if [ -n "$mysql_port" ] && ! command -v mysql >/dev/null; then
  missing+=(mariadb-client)
fi
if [ ${#missing[@]} -gt 0 ]; then
  install_packages "${missing[@]}" || exit 1
fi

if [ -z "$redis_port" ]; then
  say "Redis: the configuration points to another host; not starting or checking a local one"
elif ! port_open "$redis_port"; then
  cmd=(redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no
    --dir /var/lib/redis --logfile /var/log/redis/ci.log)
  if [ -z "$root" ]; then
    say "Redis is down on 127.0.0.1:$redis_port; start it as root:  mkdir -p /var/lib/redis /var/log/redis && $(printf '%q ' "${cmd[@]}")"
    exit 1
  fi
  say "Redis is down; starting it on 127.0.0.1:$redis_port"
  mkdir -p /var/lib/redis /var/log/redis
  "${cmd[@]}"
  wait_port "$redis_port" || { say "Redis did not come up on 127.0.0.1:$redis_port (see /var/log/redis/ci.log)"; exit 1; }
fi

if [ -z "$mysql_port" ]; then
  say "MariaDB: the configuration points to another host; not starting or checking a local one"
  exit 0
fi

if ! port_open "$mysql_port"; then
  if [ -z "$root" ]; then
    say "MariaDB is down on 127.0.0.1:$mysql_port; as root run:"
    [ -d "$MYSQL_DATADIR/mysql" ] || say "  mariadb-install-db --user=mysql --datadir=$MYSQL_DATADIR --skip-test-db"
    say "  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld && start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --datadir=$MYSQL_DATADIR --port=$mysql_port"
    exit 1
  fi
  if [ ! -d "$MYSQL_DATADIR/mysql" ]; then
    say "MariaDB data directory $MYSQL_DATADIR is empty; initialising it"
    mkdir -p "$MYSQL_DATADIR" && chown mysql:mysql "$MYSQL_DATADIR"
    mariadb-install-db --user=mysql --datadir="$MYSQL_DATADIR" --skip-test-db >/dev/null
  fi
  say "MariaDB is down; starting it on 127.0.0.1:$mysql_port"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --datadir="$MYSQL_DATADIR" \
    --port="$mysql_port"
  wait_port "$mysql_port" || { say "MariaDB did not come up on 127.0.0.1:$mysql_port"; exit 1; }
fi

# Root over the socket first (fresh installs), then root over TCP with an empty password.
mysql_root() {
  if mysql -uroot -e 'SELECT 1' >/dev/null 2>&1; then mysql -uroot "$@";
  else mysql -h127.0.0.1 -P"$mysql_port" -uroot "$@"; fi
}

for _ in $(seq 1 30); do mysql_root -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
sql="CREATE USER IF NOT EXISTS '${RAVEN_DB_USER}'@'localhost' IDENTIFIED BY '${RAVEN_DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${RAVEN_DB_USER}'@'127.0.0.1' IDENTIFIED BY '${RAVEN_DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${RAVEN_DB_USER}'@'%' IDENTIFIED BY '${RAVEN_DB_PASSWORD}';"
for db in $DATABASES; do
  sql="$sql
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4;
GRANT ALL PRIVILEGES ON \`$db\`.* TO '${RAVEN_DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '${RAVEN_DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '${RAVEN_DB_USER}'@'%';"
done
# Scratch databases (ravenpost_scratch_*) let tests exercise migrations on an empty schema; the
# benchmark creates and drops one database per scenario (ravenpost_bench_<run>_<scenario>).
for pattern in 'ravenpost\_scratch\_%' 'ravenpost\_bench\_%'; do
  sql="$sql
GRANT ALL PRIVILEGES ON \`$pattern\`.* TO '${RAVEN_DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`$pattern\`.* TO '${RAVEN_DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$pattern\`.* TO '${RAVEN_DB_USER}'@'%';"
done
if ! mysql_root -e "$sql"; then
  say "could not create the databases and user as root; create user ${RAVEN_DB_USER} with access to: $DATABASES"
  exit 1
fi
say "MariaDB 127.0.0.1:$mysql_port ready (user ${RAVEN_DB_USER}, databases: $DATABASES)${redis_port:+; Redis 127.0.0.1:$redis_port ready}"
