#!/usr/bin/env bash
# Creates .venv with the service and its dev tools, and the Node tools the tests use (Cypher linter, GraphQL-over-HTTP audit).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
if [ "${1:-}" = "--with-node" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    # Node is only needed by the tests (the service is pure Python).
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
    else
      echo "npm not found: install Node.js 18+ to run the Cypher lint and GraphQL-over-HTTP audit tests" >&2
      exit 1
    fi
  fi
  npm ci --prefix tools --no-audit --no-fund --silent
fi
