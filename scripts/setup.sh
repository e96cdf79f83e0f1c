#!/usr/bin/env bash
# Create .venv and install Kruispunt (idempotent), one line per step. EXTRAS names the optional
# parts to add, comma-separated (postgres, deploy, test, e2e); none by default.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
EXTRAS=${EXTRAS:-}
TARGET=.
[ -n "$EXTRAS" ] && TARGET=".[$EXTRAS]"
step() { printf '[setup] %s\n' "$*"; }
if [ ! -x .venv/bin/python ]; then
  step "creating the virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
log=.venv/install.log
# Setuptools warns at length about template folders; keep that in a log unless the install fails.
step "upgrading pip"
if ! .venv/bin/python -m pip install --quiet --upgrade pip >"$log" 2>&1; then cat "$log"; exit 1; fi
step "installing Kruispunt and its dependencies${EXTRAS:+ with $EXTRAS} (about a minute the first time)"
if ! .venv/bin/python -m pip install --quiet -e "$TARGET" >>"$log" 2>&1; then cat "$log"; exit 1; fi
step "done"
