#!/usr/bin/env bash
# Set up and serve Kruispunt on http://127.0.0.1:5000 with SQLite in instance/, content checked,
# and demo accounts created and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/elearn content check
.venv/bin/elearn init-db
.venv/bin/elearn demo
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
# Certificates, QR codes and credentials name this URL: the one this server answers on, unless set.
export ELEARN_PUBLIC_BASE_URL=${ELEARN_PUBLIC_BASE_URL:-http://$HOST:$PORT}
echo "Serving on http://$HOST:$PORT (Ctrl+C stops); certificates point to $ELEARN_PUBLIC_BASE_URL"
exec .venv/bin/elearn run --host "$HOST" --port "$PORT"
