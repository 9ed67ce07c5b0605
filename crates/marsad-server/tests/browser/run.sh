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
# Skips (exit 0, with a message) when the seed corpus, chromium or node is
# missing, unless MARSAD_BROWSER_REQUIRED=1. With MARSAD_URL set, no build or
# server: the specs run against that address. With MARSAD_BIN set, that
# binary is used instead of building target/debug/marsad.
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
STORE=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$STORE" ]; then rm -rf "$STORE"; fi
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

    LOG="$STORE/serve.log"
    "$BIN" --data "$STORE/data" serve --addr 127.0.0.1:0 >"$LOG" 2>&1 &
    SERVER_PID=$!
    URL=""
    for _ in $(seq 1 300); do
        URL="$(grep -o 'listening on http://[^[:space:]]*' "$LOG" | head -n 1 | sed 's/^listening on //')" || true
        [ -n "$URL" ] && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            cat "$LOG" >&2
            echo "marsad serve exited before listening" >&2
            exit 1
        fi
        sleep 0.2
    done
    if [ -z "$URL" ]; then
        cat "$LOG" >&2
        echo "marsad serve did not print 'listening on http://ADDR' within 60 s" >&2
        exit 1
    fi
    export MARSAD_URL="${URL%/}"
fi

echo "testing the web UI at $MARSAD_URL with $CHROMIUM"
export CHROMIUM
status=0
npx --no-install playwright test "$@" || status=$?
echo "screenshots: $ARTIFACTS"
ls "$ARTIFACTS"/*.png 2>/dev/null | sed 's/^/  /' || true
exit "$status"
