#!/usr/bin/env bash
# Set up everything and start the app with demo data on SQLite: ./scripts/start.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/bootstrap.sh

# DEBUG stays off unless asked for (DEBUG=1): its pages list every URL to anyone (trial 9)
export DEBUG="${DEBUG:-0}"
port="${PORT:-8000}"
# the e-mails the demo prints to this console link back to this server
export SITE_URL="${SITE_URL:-http://127.0.0.1:${port}}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
# the reminders due today (in production cron runs this every hour: README, "Notifications")
.venv/bin/python manage.py send_reminders
echo
echo "政务公开培训与考核管理系统 is starting at http://127.0.0.1:${port}/"
echo "Log in with one of the demo users above (password Demo@2026). Stop with Ctrl+C."
# the background worker (big PDFs, recomputation: docs/ARCHITECTURE.md) runs beside the server
.venv/bin/python manage.py db_worker --no-reload --verbosity 0 &
worker=$!
trap 'kill "${worker}" 2>/dev/null' EXIT
.venv/bin/python manage.py runserver "127.0.0.1:${port}"
