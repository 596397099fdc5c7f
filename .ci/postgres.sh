#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the conformance suite and prints
#   export TEST_POSTGRES_DSN=postgres://...
# on stdout (everything else goes to stderr), so that CI can run
#   eval "$(bash .ci/postgres.sh)"
# `bash .ci/postgres.sh stop` stops the cluster and removes its directory.
#
# Uses Debian's PostgreSQL (installed with apt-get if initdb is missing). The
# server cannot run as root, so the cluster belongs to the `postgres` system
# user (or the current user when not root). It listens on 127.0.0.1 on a free
# port, with its unix socket inside the cluster's temporary directory.
set -euo pipefail
state="${TMPDIR:-/tmp}/rastro-ci-postgres.dir"
log() { echo "postgres.sh: $*" >&2; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    log "initdb not found; installing postgresql"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$d"
}

# as runs a command as the cluster's owner.
as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  local dir="${RASTRO_CI_PGDIR:-}"
  [ -z "$dir" ] && [ -f "$state" ] && dir=$(cat "$state")
  [ -z "$dir" ] && { log "no cluster to stop"; return 0; }
  as "$(bindir)/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
  rm -rf "$dir" "$state"
  log "stopped and removed $dir"
}

start() {
  local bin dir port
  bin=$(bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rastro-pg.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log "initdb in $dir/data ($bin)"
  as "$bin/initdb" -D "$dir/data" -U rastro --auth=trust -E UTF8 --locale=C.UTF-8 >&2
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
  as "$bin/createdb" -h 127.0.0.1 -p "$port" -U rastro rastro_test >&2
  echo "$dir" >"$state"
  log "PostgreSQL ready on 127.0.0.1:$port (log: $dir/server.log)"
  echo "export RASTRO_CI_PGDIR=$dir"
  echo "export TEST_POSTGRES_DSN=postgres://rastro@127.0.0.1:$port/rastro_test?sslmode=disable"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) log "usage: $0 [start|stop]"; exit 2 ;;
esac
