#!/usr/bin/env bash
# The main job: set up, then practise one question at the microphone. With no microphone
# (or when not run from a terminal) it analyses the bundled example answer instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/voice-coach try "$@"
