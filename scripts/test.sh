#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (root,
# package registries only) and runs the whole suite. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: speech synthesis and conversion for audio fixtures, ffmpeg
# for the decoder fallback, PulseAudio + ALSA plugins + PortAudio for the real
# capture path, Chromium + driver for the HTML report browser test.
DEBS="espeak-ng sox libsox-fmt-all ffmpeg libsndfile1 libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins alsa-utils chromium chromium-driver"
missing=""
for p in $DEBS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
python3 -m ruff check phraseguard tests bench
lint-imports  # the layering contract in pyproject.toml (import-linter)
python3 -m pytest -q -rs "$@"
