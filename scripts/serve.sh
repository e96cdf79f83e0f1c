#!/usr/bin/env bash
# Set up and serve Kruispunt on http://127.0.0.1:${PORT:-5000} with SQLite in instance/, content
# checked, and demo accounts and a demo group created and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
# Certificates, QR codes and credentials name this URL: the one this server answers on, unless set.
export ELEARN_PUBLIC_BASE_URL=${ELEARN_PUBLIC_BASE_URL:-http://$HOST:$PORT}
./scripts/setup.sh
echo "[serve] checking the course content"
.venv/bin/elearn content check
echo "[serve] creating or upgrading the database"
.venv/bin/elearn init-db
echo "[serve] creating the demo accounts and demo group"
.venv/bin/elearn demo
echo "[serve] serving on http://$HOST:$PORT (Ctrl+C stops); certificates point to $ELEARN_PUBLIC_BASE_URL"
exec .venv/bin/elearn run --host "$HOST" --port "$PORT"
