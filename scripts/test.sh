#!/usr/bin/env bash
# Set up and run the whole test suite: SQLite always, PostgreSQL too when one answers on
# 127.0.0.1:5432 (or ELEARN_TEST_DATABASE_URL is set), browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=postgres,deploy,test,e2e ./scripts/setup.sh
if [ -z "${SKIP_E2E:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium for the browser tests (apt)"
  if [ "$(id -u)" = 0 ]; then APT=apt-get; else APT="sudo apt-get"; fi
  $APT update -qq && DEBIAN_FRONTEND=noninteractive $APT install -y -qq chromium >/dev/null
fi
if [ -z "${SKIP_E2E:-}" ]; then
  echo "== installing pa11y for the browser tests (npm ci; uses Debian's Chromium, downloads no browser)"
  (cd tests/e2e/pa11y && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "== ruff (lint and format)"
.venv/bin/ruff check elearn tests benchmarks scripts certificates
.venv/bin/ruff format --check --quiet elearn tests benchmarks scripts certificates
.venv/bin/elearn content check
if command -v npm >/dev/null 2>&1; then  # the independent credential verifier (tests/verifier, lock file)
  (cd tests/verifier && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p test-artifacts
# one pytest worker per CPU (pytest-xdist); a file's tests stay together and in order on one worker
PARALLEL=(-n "${TEST_WORKERS:-auto}" --dist loadfile)
echo "== test suite on SQLite"
.venv/bin/python -m pytest "${PARALLEL[@]}" --cov=elearn --cov-report=term --cov-fail-under=90 "$@"
PG_URL=${ELEARN_TEST_DATABASE_URL:-}
if [ -z "$PG_URL" ] && .venv/bin/python - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
then
  PG_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
fi
if [ -n "$PG_URL" ]; then
  echo "== test suite on PostgreSQL ($PG_URL)"
  ELEARN_TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "${PARALLEL[@]}" -m "not e2e" -p no:cacheprovider "$@"
fi
if [ -n "$PG_URL" ] && [ -f benchmarks/two_instances.py ]; then
  echo "== scale-out check: two app instances sharing PostgreSQL and Redis"
  timeout 180 .venv/bin/python benchmarks/run.py --two-instances
fi
if [ -f benchmarks/run.py ]; then
  echo "== benchmark smoke run"
  .venv/bin/python benchmarks/run.py --smoke
fi
