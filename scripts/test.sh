#!/usr/bin/env bash
# Run the whole test suite: ./scripts/test.sh [pytest arguments]
# SQLite by default; set DATABASE_URL=postgres://… to run against PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/bootstrap.sh
# one worker per core (pytest-xdist); pass -n 0 to run in a single process
exec .venv/bin/python -m pytest -n auto "$@"
