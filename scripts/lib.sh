# Shared by the scripts: install Debian packages that are missing, once per run.
# Sourced, not run. As root it runs `apt-get update` once, then installs; without root it prints
# the exact commands to run and fails, so a developer knows what to do.

say() { echo "[${RAVEN_SCRIPT:-setup}] $*" >&2; }

# install_packages PKG... : installs the packages (all of them, in one apt-get call).
install_packages() {
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: $*"
    say "run as root:  apt-get update && apt-get install -y --no-install-recommends $*"
    return 1
  fi
  # One update per run of the test or start command, even when several scripts install.
  if [ -z "${RAVEN_APT_UPDATED:-}" ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    export RAVEN_APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

# uri_host URI : the host of a mysql://, mariadb:// or redis:// URI (empty when none).
uri_host() {
  local rest=${1#*://}
  rest=${rest##*@}
  rest=${rest%%/*}
  case "$rest" in
    \[*\]*) rest=${rest#[}; echo "${rest%%]*}" ;;
    *) echo "${rest%%:*}" ;;
  esac
}

# uri_port URI DEFAULT : its port, or DEFAULT.
uri_port() {
  local rest=${1#*://}
  rest=${rest##*@}
  rest=${rest%%/*}
  rest=${rest##*]}
  case "$rest" in
    *:*) echo "${rest##*:}" ;;
    *) echo "$2" ;;
  esac
}

is_local_host() {
  case "$1" in
    ""|localhost|127.*|::1) return 0 ;;
    *) return 1 ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}
