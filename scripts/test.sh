#!/usr/bin/env bash
# From a fresh clone: install everything the tests need, then lint, type-check and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --with-node --with-browser
.venv/bin/ruff check .
.venv/bin/ruff format --check graph_service tests bench
.venv/bin/mypy graph_service
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
