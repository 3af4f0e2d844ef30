#!/usr/bin/env bash
# Serve Mustafid for `make run`: the background worker (Huey) beside the development server.
# Both stop together on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=1
host="${1:-127.0.0.1:8000}"

.venv/bin/python manage.py run_huey --quiet &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Mustafid is running at http://${host}/   (worker pid ${worker})
  Demo accounts, password «mustafid-demo»:
    officer, representative, researcher, committee, manager, quality, volunteer, admin
  Ctrl-C stops the server and the worker.

MSG
.venv/bin/python manage.py runserver "$host"
