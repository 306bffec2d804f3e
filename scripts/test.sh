#!/usr/bin/env bash
# Set up (scripts/setup.sh), lint, and run the whole test suite. Database tests run on SQLite
# and on PostgreSQL (each test in a schema of its own, dropped afterwards); set
# PROCTOR_TEST_POSTGRES_URL to another server, or to an empty string to skip PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Browser tests drive Debian's chromium (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing and cannot be installed here: browser tests will be skipped" >&2
  fi
fi
export PROCTOR_TEST_POSTGRES_URL="${PROCTOR_TEST_POSTGRES_URL-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
