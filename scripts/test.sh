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

# The package as users get it (pip, pipx and pre-commit all install the
# wheel, not the checkout): build the wheel, install it with its declared
# dependencies into a fresh venv (no system site-packages, so a missing
# dependency fails here; pip's cache keeps it to seconds), and run it from
# outside the checkout. The wheel ships its tables prebuilt, so the first
# run must leave the empty cache folder empty.
wheel_check() {
    local tmp repo
    repo="$PWD"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    python3 -m pip wheel -q --disable-pip-version-check --no-deps -w "$tmp/dist" "$repo"
    python3 -m venv "$tmp/venv"
    "$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check "$tmp"/dist/phraseguard-*.whl
    (
        cd "$tmp"
        unset PYTHONPATH
        export PHRASEGUARD_CACHE="$tmp/cache"
        where="$(venv/bin/python -c 'import phraseguard; print(phraseguard.__file__)')"
        case "$where" in "$tmp/venv/"*) ;; *) echo "wheel check: imported $where, not the wheel"; exit 1;; esac
        # The example scripts break rules on purpose: exactly 1 (findings).
        # 0 would mean the wheel found nothing (its lexicon missing, say).
        rc=0; venv/bin/phraseguard lint --no-config "$repo/examples/scripts" >/dev/null || rc=$?
        [ "$rc" -eq 1 ] || { echo "wheel check: lint of the examples exited $rc, not 1"; exit 1; }
        venv/bin/phraseguard score "$repo/examples/transcripts" --db "$tmp/results.db" >/dev/null
        # lexicon show lists the bundled lexicon's rules, all of them.
        venv/bin/phraseguard lexicon show --no-config --format json > "$tmp/shown.json"
        venv/bin/python - "$tmp/shown.json" "$repo/lexicons/default.toml" <<'PY' || exit 1
import json, sys, tomllib
shown = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "rb") as fp:
    wanted = [r["id"] for r in tomllib.load(fp)["rule"]]
ids = [r["id"] for r in shown["rules"]]
if shown["name"] != "default" or ids != wanted:
    sys.exit(f"wheel check: lexicon show listed {shown['name']} {ids}, not default {wanted}")
PY
        # The parsed lexicon (lexicon-*.pickle, engine/lexicon_cache.py) is
        # written by the first run on purpose: its key holds the installed
        # files' times, which the build cannot know. So are the candidate
        # automata (anchors-*.pickle): objects of a compiled extension the
        # build environment does not install. Anything else is a table the
        # wheel should have shipped.
        built="$(ls -A "$tmp/cache" 2>/dev/null | grep -v '^\(lexicon\|anchors\)-.*\.pickle$' || true)"
        if [ -n "$built" ]; then
            echo "wheel check: the first run built tables the wheel should ship: $built"
            exit 1
        fi
    )
    echo "wheel check: ok"
}
wheel_check

# The suite's own table cache, unless one is given: the user's cache keeps only
# the few most recent lexicons (cache.toml keep_per_table), so a lexicon being
# edited beside a running suite could evict the default's tables mid-run, and
# the tests that pin a warm start would see a cold one.
if [ -z "${PHRASEGUARD_CACHE:-}" ]; then
    suite_cache="$(mktemp -d)"
    trap 'rm -rf "$suite_cache"' EXIT
    export PHRASEGUARD_CACHE="$suite_cache"
fi
python3 -m pytest -q -rs "$@"
