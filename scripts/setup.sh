#!/usr/bin/env bash
# Create .venv and install Kruispunt with its test extras (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
log=.venv/install.log
# Setuptools warns at length about template folders; keep that in a log unless the install fails.
if ! { .venv/bin/python -m pip install --quiet --upgrade pip && .venv/bin/python -m pip install --quiet -e ".[test]"; } >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
