#!/usr/bin/env bash
# Browser tests of the Marsad web UI.
#
#   crates/marsad-server/tests/browser/run.sh [playwright args, e.g. -g graph]
#
# Builds `marsad` (cargo build -p marsad-cli), ingests the seed corpus
# (../shared/corpus/seeds from the repository root, or $MARSAD_SEEDS) into a
# temporary store, starts `marsad serve` on a free port, runs the Playwright
# specs with Debian's chromium (/usr/bin/chromium or $CHROMIUM; browsers are
# never downloaded), stops the server, and keeps the screenshots in
# artifacts/ (gitignored).
#
# Also writes a synthetic corpus of MARSAD_SCALE_DOCS articles (default 1500;
# make_corpus.mjs), ingests it into a second store and serves it for
# specs/scale.spec.mjs (MARSAD_SCALE_URL); MARSAD_SCALE_DOCS=0 skips that.
#
# Skips (exit 0, with a message) when the seed corpus, chromium or node is
# missing, unless MARSAD_BROWSER_REQUIRED=1. With MARSAD_URL set, no build or
# server: the specs run against that address (and the scale specs against
# MARSAD_SCALE_URL, if set). With MARSAD_BIN set, that binary is used instead
# of building target/debug/marsad.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
SEEDS="${MARSAD_SEEDS:-$ROOT/../shared/corpus/seeds}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
ARTIFACTS="$HERE/artifacts"

skip() {
    echo "browser tests skipped: $1"
    if [ "${MARSAD_BROWSER_REQUIRED:-0}" = "1" ]; then exit 1; fi
    exit 0
}

[ -d "$SEEDS" ] || [ -n "${MARSAD_URL:-}" ] || skip "no seed corpus at $SEEDS (set MARSAD_SEEDS)"
[ -x "$CHROMIUM" ] || skip "no chromium at $CHROMIUM (apt-get install -y chromium, or set CHROMIUM)"
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are needed"

cd "$HERE"
if [ ! -d node_modules/@playwright/test ]; then
    echo "installing the test runner (npm ci; no browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png

SERVER_PID=""
SCALE_PID=""
STORE=""
cleanup() {
    for pid in $SERVER_PID $SCALE_PID; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "$STORE" ]; then rm -rf "$STORE"; fi
}

# serve DATA LOG: starts `marsad serve` on a free port; sets SERVED_PID and
# SERVED_URL.
serve() {
    "$BIN" --data "$1" serve --addr 127.0.0.1:0 >"$2" 2>&1 &
    SERVED_PID=$!
    SERVED_URL=""
    for _ in $(seq 1 300); do
        SERVED_URL="$(grep -o 'listening on http://[^[:space:]]*' "$2" | head -n 1 | sed 's/^listening on //')" || true
        [ -n "$SERVED_URL" ] && break
        if ! kill -0 "$SERVED_PID" 2>/dev/null; then
            cat "$2" >&2
            echo "marsad serve exited before listening" >&2
            exit 1
        fi
        sleep 0.2
    done
    if [ -z "$SERVED_URL" ]; then
        cat "$2" >&2
        echo "marsad serve did not print 'listening on http://ADDR' within 60 s" >&2
        exit 1
    fi
    SERVED_URL="${SERVED_URL%/}"
}
trap cleanup EXIT INT TERM

if [ -z "${MARSAD_URL:-}" ]; then
    if [ -n "${MARSAD_BIN:-}" ]; then
        BIN="$MARSAD_BIN"
    else
        echo "building marsad"
        (cd "$ROOT" && cargo build -p marsad-cli --quiet)
        BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/marsad"
    fi
    [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

    STORE="$(mktemp -d "${TMPDIR:-/tmp}/marsad-browser.XXXXXX")"
    echo "ingesting $SEEDS into $STORE"
    "$BIN" --data "$STORE/data" ingest "$SEEDS" >"$STORE/ingest.log" 2>&1 || {
        cat "$STORE/ingest.log" >&2
        echo "ingest failed" >&2
        exit 1
    }

    serve "$STORE/data" "$STORE/serve.log"
    SERVER_PID=$SERVED_PID
    export MARSAD_URL="$SERVED_URL"

    SCALE_DOCS="${MARSAD_SCALE_DOCS:-1500}"
    if [ "$SCALE_DOCS" -gt 0 ]; then
        echo "ingesting $SCALE_DOCS synthetic articles into $STORE/scale"
        node "$HERE/make_corpus.mjs" "$SCALE_DOCS" >"$STORE/scale.jsonl"
        "$BIN" --data "$STORE/scale" ingest "$STORE/scale.jsonl" >"$STORE/scale-ingest.log" 2>&1 || {
            cat "$STORE/scale-ingest.log" >&2
            echo "ingest of the synthetic corpus failed" >&2
            exit 1
        }
        serve "$STORE/scale" "$STORE/scale-serve.log"
        SCALE_PID=$SERVED_PID
        export MARSAD_SCALE_URL="$SERVED_URL"
    fi
fi

echo "testing the web UI at $MARSAD_URL with $CHROMIUM"
export CHROMIUM
status=0
npx --no-install playwright test "$@" || status=$?
echo "screenshots: $ARTIFACTS"
ls "$ARTIFACTS"/*.png 2>/dev/null | sed 's/^/  /' || true
exit "$status"
