#!/usr/bin/env bash
# Creates .venv with the service and its dev tools; with --with-node also the Node tools the tests use (Cypher
# linter, GraphQL-over-HTTP audit), with --with-browser Debian's Chromium and CJK fonts for the browser tests.
#
# The pip install is skipped when .venv was already installed from this very pyproject.toml by this Python (a stamp
# in .venv records both), so scripts/demo.sh starts at once the second time. The package is installed editable, so
# code changes need no reinstall; a changed pyproject.toml (dependencies, entry points) triggers one. Under CI
# (CI set) it always installs.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
WITH_NODE=0
WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --with-node) WITH_NODE=1 ;;
    --with-browser) WITH_BROWSER=1 ;;
    *) echo "usage: scripts/bootstrap.sh [--with-node] [--with-browser]; unknown argument: $arg" >&2; exit 2 ;;
  esac
done

as_root_with_apt() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
STAMP=.venv/.graph-service-installed
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1) $(.venv/bin/python -c 'import sys; print(sys.version.split()[0])')"
if [ -n "${CI:-}" ] || [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  rm -f "$STAMP"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  echo "$WANT" >"$STAMP"
fi

if [ "$WITH_NODE" = 1 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    # Node is only needed by the tests (the service is pure Python).
    if as_root_with_apt; then
      apt_install nodejs npm
    else
      echo "npm not found: install Node.js 18+ to run the Cypher lint and GraphQL-over-HTTP audit tests" >&2
      exit 1
    fi
  fi
  npm ci --prefix tools --no-audit --no-fund --silent
fi

if [ "$WITH_BROWSER" = 1 ]; then
  # The browser tests drive Debian's Chromium through Playwright (its own browser download cannot work offline);
  # Noto CJK lets pages show Chinese.
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  compgen -G "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc" >/dev/null || missing+=(fonts-noto-cjk)
  if [ "${#missing[@]}" -gt 0 ]; then
    if as_root_with_apt; then
      apt_install "${missing[@]}"
    else
      echo "the browser tests need Debian packages ${missing[*]}: apt-get install ${missing[*]} (as root)" >&2
      exit 1
    fi
  fi
fi
