#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up, then every test on SQLite, then
# the database tests (tests/web) again on a real PostgreSQL server started here.
# Extra arguments go to pytest (e.g. scripts/test.sh -k quiz -x).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

pgdir=$(mktemp -d /tmp/buildreal-pg.XXXXXX)
cleanup() { scripts/pg-test-server.sh stop "$pgdir/data"; rm -rf "$pgdir"; }
trap cleanup EXIT
chmod 755 "$pgdir"
pg_url=$(scripts/pg-test-server.sh start "$pgdir/data")

export PYTHONHASHSEED=0
echo "== pytest on SQLite (whole suite)"
.venv/bin/python -m pytest "$@"
echo "== pytest on PostgreSQL (database tests: tests/web)"
DATABASE_URL="$pg_url" .venv/bin/python -m pytest tests/web -m "not browser" "$@"
