#!/usr/bin/env bash
# Set everything up and serve the bundled courses at http://127.0.0.1:8000 on SQLite
# (or on PostgreSQL when DATABASE_URL is set). Arguments go to `buildreal serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/buildreal serve "$@"
