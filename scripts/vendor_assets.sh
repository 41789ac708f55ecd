#!/usr/bin/env bash
# Reproduces graph_service/static/vendor/ (GraphiQL, React) from web/package-lock.json: the exact release builds
# the lock pins, with their licences and a MANIFEST.json of checksums. Run after changing web/package.json
# (then `npm install --prefix web` first to update the lock), and commit the result: the service ships these
# files in its wheel, so installing it needs no Node and a browser loads nothing from outside.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix web --ignore-scripts --no-audit --no-fund --silent
node web/vendor.mjs
