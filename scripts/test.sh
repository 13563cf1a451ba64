#!/usr/bin/env bash
# Run the whole test suite: ./scripts/test.sh [pytest arguments]
# SQLite by default; set DATABASE_URL=postgres://… to run against PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
