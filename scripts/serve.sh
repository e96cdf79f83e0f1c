#!/usr/bin/env bash
# Set up and serve Kruispunt on http://127.0.0.1:5000 with SQLite in instance/, content checked,
# and demo accounts created and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/elearn content check
.venv/bin/elearn init-db
.venv/bin/elearn demo
echo "Serving on http://127.0.0.1:${PORT:-5000} (Ctrl+C stops)"
exec .venv/bin/elearn run --host 127.0.0.1 --port "${PORT:-5000}"
