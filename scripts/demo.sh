#!/usr/bin/env bash
# From a fresh clone: install (skipped while .venv matches pyproject.toml), seed the Heze demo city into the
# embedded store (first run only) and serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/graph-service serve --demo "$@"
