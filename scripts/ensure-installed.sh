#!/bin/sh
# Installs the pinned dependencies when they are missing or older than package-lock.json, so that
# `npm start`, `npm test` and `npm run check` work on a fresh clone. It runs first in each of those
# scripts, under whatever Node runs npm (the system's is fine for installing); the commands after it
# then find the pinned Node 24 in node_modules/.bin, which npm has already put first on PATH.
set -eu

cd "$(dirname "$0")/.."

# npm writes node_modules/.package-lock.json at the end of every successful install: its absence
# means no install (or an interrupted one), and a lockfile newer than it means the tree is stale.
installed=node_modules/.package-lock.json

npm_quietly() {
  npm "$@" --no-audit --no-fund --loglevel=error
}

if [ ! -d node_modules ]; then
  echo "baton: installing dependencies (first run, under a minute)…" >&2
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if npm_quietly ci >"$log" 2>&1; then
    cat "$log"
  elif grep -q EUSAGE "$log"; then
    # npm ci refuses a lockfile that lacks an optional package, such as workerd's builds for other
    # platforms when the registry in use does not serve them; npm install keeps the locked versions.
    echo "baton: npm ci refused package-lock.json ($(grep -m1 -o 'Missing: [^ ]*' "$log" || echo 'out of sync')); using npm install" >&2
    npm_quietly install
  else
    cat "$log" >&2
    exit 1
  fi
elif [ ! -f "$installed" ] || [ package-lock.json -nt "$installed" ]; then
  echo "baton: package-lock.json changed, updating dependencies…" >&2
  npm_quietly install
  # npm leaves the hidden lockfile alone when nothing needed to change; touch it so the next run is fast.
  touch "$installed"
fi

if [ ! -x node_modules/.bin/node ]; then
  echo "baton: node_modules/.bin/node is missing after install; run 'npm ci' and read its errors." >&2
  exit 1
fi
