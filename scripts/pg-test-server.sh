#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server on loopback for the test suite.
#   scripts/pg-test-server.sh start DIR   -> prints the DATABASE_URL to use
#   scripts/pg-test-server.sh stop DIR
# Debian's server binaries live in /usr/lib/postgresql/<version>/bin. PostgreSQL refuses
# to run as root, so as root the server runs as the 'postgres' system user.
set -euo pipefail
action=$1; dir=$2
port=${PGTEST_PORT:-54329}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_pg "$bindir/initdb" -D "$dir" -U buildreal --auth=trust -E UTF8 >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U buildreal buildreal 2>/dev/null || true
    echo "postgres://buildreal@127.0.0.1:$port/buildreal"
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
