#!/usr/bin/env bash
# Makes sure Redis and MariaDB answer on 127.0.0.1, starting them if they are down, then creates
# the project's databases and user (root may be socket-only, which the MySQL client cannot use).
# Idempotent; safe to run before every start and every test run.
set -euo pipefail

RAVEN_DB_USER=${RAVEN_DB_USER:-ravenpost}
RAVEN_DB_PASSWORD=${RAVEN_DB_PASSWORD:-ravenpost}
DATABASES=${RAVEN_DATABASES:-"ravenpost ravenpost_test ravenpost_test_b"}

say() { echo "[services] $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

if ! port_open 6379; then
  if command -v redis-server >/dev/null; then
    say "Redis is down; starting it"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_port 6379 || { say "Redis did not come up on 127.0.0.1:6379 (see /var/log/redis/ci.log)"; exit 1; }
  else
    say "Redis is not running on 127.0.0.1:6379 and redis-server is not installed (apt-get install redis-server)"
    exit 1
  fi
fi

if ! port_open 3306; then
  if [ -x /usr/sbin/mariadbd ]; then
    say "MariaDB is down; starting it"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_port 3306 || { say "MariaDB did not come up on 127.0.0.1:3306"; exit 1; }
  else
    say "MariaDB is not running on 127.0.0.1:3306 and mariadbd is not installed (apt-get install mariadb-server)"
    exit 1
  fi
fi

# Root over the socket first (fresh installs), then root over TCP with an empty password.
mysql_root() {
  if mysql -uroot -e 'SELECT 1' >/dev/null 2>&1; then mysql -uroot "$@";
  else mysql -h127.0.0.1 -uroot "$@"; fi
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
# Scratch databases (ravenpost_scratch_*) let tests exercise migrations on an empty schema.
sql="$sql
GRANT ALL PRIVILEGES ON \`ravenpost\\_scratch\\_%\`.* TO '${RAVEN_DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`ravenpost\\_scratch\\_%\`.* TO '${RAVEN_DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`ravenpost\\_scratch\\_%\`.* TO '${RAVEN_DB_USER}'@'%';"
if ! mysql_root -e "$sql"; then
  say "could not create the databases and user as root; create user ${RAVEN_DB_USER} with access to: $DATABASES"
  exit 1
fi
say "Redis 127.0.0.1:6379 and MariaDB 127.0.0.1:3306 ready (user ${RAVEN_DB_USER}, databases: $DATABASES)"
