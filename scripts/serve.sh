#!/usr/bin/env bash
# Set up and serve Kruispunt on http://127.0.0.1:${PORT:-5000} with SQLite in instance/, content
# checked, and demo accounts created and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
echo "[serve] checking the course content"
.venv/bin/elearn content check
echo "[serve] creating or upgrading the database"
.venv/bin/elearn init-db
echo "[serve] creating the demo accounts"
.venv/bin/elearn demo
echo "[serve] serving on http://127.0.0.1:${PORT:-5000} (Ctrl+C stops)"
exec .venv/bin/elearn run --host 127.0.0.1 --port "${PORT:-5000}"
