#!/usr/bin/env bash
# Time to first screen of every page of the web UI, in headless Debian
# chromium, on a real corpus (the figures in BENCHMARKS.md, "The web UI at
# corpus scale").
#
#   bench/ui_first_screen.sh                    # all of ../shared/corpus/saudinewsnet
#   bench/ui_first_screen.sh --data /tmp/snn    # an existing store
#   MARSAD_URL=http://127.0.0.1:8080 bench/ui_first_screen.sh   # a running server
#
# Builds target/release/marsad (MARSAD_BIN overrides), ingests the corpus
# into a temporary store unless --data is given, serves it on a free port
# and runs bench/ui/first_screen.mjs, which prints a Markdown table: per
# page, when its first screen was visible, the API requests and bytes by
# then, and when the last API response came (capped at 60 s,
# SETTLE_CAP_MS). Needs chromium and the browser tests' node_modules
# (crates/marsad-server/tests/browser: npm ci). Timed, so not a test: the
# suite asserts the structure instead (specs/scale.spec.mjs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${MARSAD_CORPUS:-$ROOT/../shared/corpus/saudinewsnet}"
DATA=""
if [ "${1:-}" = "--data" ]; then DATA="$2"; fi

BROWSER_DIR="$ROOT/crates/marsad-server/tests/browser"
if [ ! -d "$BROWSER_DIR/node_modules/@playwright/test" ]; then
    (cd "$BROWSER_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

TMP=""
PID=""
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
    if [ -n "$TMP" ]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

if [ -z "${MARSAD_URL:-}" ]; then
    if [ -n "${MARSAD_BIN:-}" ]; then
        BIN="$MARSAD_BIN"
    else
        (cd "$ROOT" && cargo build --release -p marsad-cli --quiet)
        BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/marsad"
    fi
    TMP="$(mktemp -d "${TMPDIR:-/tmp}/marsad-ui-bench.XXXXXX")"
    if [ -z "$DATA" ]; then
        [ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set MARSAD_CORPUS or give --data STORE)" >&2; exit 1; }
        DATA="$TMP/data"
        echo "ingesting $CORPUS" >&2
        "$BIN" --data "$DATA" ingest "$CORPUS" >"$TMP/ingest.log" 2>&1 || { tail "$TMP/ingest.log" >&2; exit 1; }
    fi
    "$BIN" --data "$DATA" serve --addr 127.0.0.1:0 >"$TMP/serve.log" 2>&1 &
    PID=$!
    URL=""
    for _ in $(seq 1 300); do
        URL="$(grep -o 'listening on http://[^[:space:]]*' "$TMP/serve.log" | head -n 1 | sed 's/^listening on //')" || true
        [ -n "$URL" ] && break
        kill -0 "$PID" 2>/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }
        sleep 0.2
    done
    [ -n "$URL" ] || { echo "marsad serve did not start" >&2; exit 1; }
    export MARSAD_URL="${URL%/}"
fi

node "$ROOT/bench/ui/first_screen.mjs"
