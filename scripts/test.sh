#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv, dev extras), check lint and types,
# then run the whole suite (in random order: pytest-randomly prints the seed; rerun one order
# with --randomly-seed=N, or keep file order with -p no:randomly).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
echo "ruff check"
.venv/bin/ruff check .
echo "mypy"
.venv/bin/mypy voice_coach scripts tests
exec .venv/bin/python -m pytest -q "$@"
