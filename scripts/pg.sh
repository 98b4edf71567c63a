#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks: Debian's postgresql binaries, a temporary data
# folder, a free loopback port, fsync on, the unix socket inside the folder. Nothing else on the machine is
# used or assumed to be running.
#
#   scripts/pg.sh start          initdb + start; prints two lines: the DSN, then the folder (for stop)
#   scripts/pg.sh stop FOLDER    stop the server and delete the folder
#   scripts/pg.sh bindir         prints the folder of the PostgreSQL binaries, or fails if there are none
#   scripts/pg.sh run CMD ARGS…  runs CMD with KASSA_PG_DSN naming a cluster started for it, stopped after;
#                                without PostgreSQL binaries CMD runs without it (the Go tests then skip
#                                loudly, or fail under CI)
#
# PostgreSQL refuses to run as root; run as root, the cluster belongs to the user "postgres" (made by the
# Debian package) or, without it, "nobody". PGBIN overrides where the binaries are looked for.
set -euo pipefail

bindir() {
  if [ -n "${PGBIN:-}" ] && [ -x "$PGBIN/initdb" ]; then
    echo "$PGBIN"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  echo "pg.sh: no PostgreSQL binaries (apt-get install postgresql, or set PGBIN)" >&2
  return 1
}

# as runs a command as the cluster's owner: ourselves, or an unprivileged user when we are root.
owner=""
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi
as() {
  if [ -z "$owner" ]; then
    "$@"
  else
    setpriv --reuid="$owner" --regid="$(id -g "$owner")" --clear-groups --reset-env -- "$@"
  fi
}

# freeport prints a loopback port nothing listens on (the server's start is retried if another process
# takes it first).
freeport() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "pg.sh: no free port" >&2
  return 1
}

start() {
  local bin dir port
  bin=$(bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/kassa-pg.XXXXXX")
  chmod 700 "$dir"
  [ -n "$owner" ] && chown "$owner" "$dir"
  # --no-sync: a throw-away cluster need not survive a power cut before it starts; the server runs with fsync.
  if ! as "$bin/initdb" -D "$dir/data" -U kassa --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    return 1
  fi
  for _ in 1 2 3 4 5; do
    port=$(freeport)
    # fsync stays on (the default): the figures of a durable hub are the ones worth measuring.
    if as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on -c max_connections=300 -c shared_buffers=128MB" \
      start >/dev/null 2>&1; then
      # The "postgres" database initdb made is the one used: creating another costs seconds of fsyncs.
      echo "postgres://kassa@127.0.0.1:$port/postgres?sslmode=disable"
      echo "$dir"
      return
    fi
  done
  cat "$dir/server.log" >&2 || true
  rm -rf "$dir"
  echo "pg.sh: the server did not start" >&2
  return 1
}

stop() {
  local dir=${1:?pg.sh stop FOLDER}
  case "$dir" in
  */kassa-pg.*) ;;
  *)
    echo "pg.sh: $dir is not a folder made by pg.sh start" >&2
    return 1
    ;;
  esac
  if [ -d "$dir/data" ]; then
    as "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

run() {
  if [ -n "${KASSA_PG_DSN:-}" ] || ! bindir >/dev/null 2>&1; then
    "$@"
    return
  fi
  local out rc=0
  out=$(start)
  run_dir=$(echo "$out" | tail -n 1)
  trap 'stop "$run_dir"' EXIT
  trap 'exit 130' INT TERM
  KASSA_PG_DSN=$(echo "$out" | head -n 1) "$@" || rc=$?
  return $rc
}

case "${1:-}" in
start) start ;;
run)
  shift
  run "$@"
  ;;
stop) stop "${2:-}" ;;
bindir) bindir ;;
*)
  echo "usage: scripts/pg.sh start | stop FOLDER | bindir | run CMD [ARGS…]" >&2
  exit 2
  ;;
esac
