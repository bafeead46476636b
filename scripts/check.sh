#!/usr/bin/env bash
# The quick check before a commit: lint, the course packs, and originality against the
# seed notes (when the notes are beside the checkout). The full suite is scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/ruff ] || scripts/setup.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/buildreal check-pack courses
if [ -x ../shared/tools/originality ]; then ../shared/tools/originality . ; fi
