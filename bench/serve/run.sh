#!/usr/bin/env bash
# Load test of `marsad serve` (issue 5): search over the full SaudiNewsNet
# store on loopback, with oha rotating through 1,000 realistic queries.
#
#   bench/serve/run.sh                     # 30 s short run + 300 s long run
#   DURATION=60 CONNECTIONS=32 bench/serve/run.sh
#
# Environment (all optional):
#   STORE=/tmp/snn            the store; built from CORPUS when missing
#   CORPUS=../shared/corpus/saudinewsnet (beside the repository)
#   PORT=8089  CONNECTIONS=16  QUERIES=1000
#   WARMUP=10  SHORT=30  DURATION=300   seconds
#   READERS=                  `marsad serve --readers` (default: 2 × cores)
#   RSS_EVERY=10              seconds between RSS samples in the long run
#
# Prints a table: requests/s, latency p50/p90/p99/max, errors, and the
# server's RSS (first/last/max of the samples) over the long run, plus the
# exact commands. Everything runs on this machine; nothing is committed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/serve"
STORE=${STORE:-/tmp/snn}
CORPUS=${CORPUS:-$ROOT/../shared/corpus/saudinewsnet}
PORT=${PORT:-8089}
CONNECTIONS=${CONNECTIONS:-16}
QUERIES=${QUERIES:-1000}
WARMUP=${WARMUP:-10}
SHORT=${SHORT:-30}
DURATION=${DURATION:-300}
RSS_EVERY=${RSS_EVERY:-10}
OUT=${OUT:-$(mktemp -d /tmp/marsad-serve-bench.XXXXXX)}
MARSAD="$ROOT/target/release/marsad"
mkdir -p "$OUT"

echo "== build" >&2
(cd "$ROOT" && cargo build --release -p marsad-cli >&2)

echo "== store $STORE" >&2
docs=$("$MARSAD" --data "$STORE" stats --json 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])' 2>/dev/null || echo 0)
if [ "${docs:-0}" -lt 20000 ]; then
    echo "store missing or incomplete ($docs documents): ingesting $CORPUS" >&2
    rm -rf "$STORE"
    "$MARSAD" --data "$STORE" ingest "$CORPUS" >&2
    docs=$("$MARSAD" --data "$STORE" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
fi
echo "$docs documents" >&2

OHA=$(command -v oha || true)
[ -n "$OHA" ] || { [ -x "$HOME/.cargo/bin/oha" ] && OHA="$HOME/.cargo/bin/oha"; } || true
if [ -z "$OHA" ]; then
    echo "== installing oha (cargo install oha --locked)" >&2
    cargo install oha --locked >&2
    OHA="$HOME/.cargo/bin/oha"
fi
echo "== $("$OHA" --version)" >&2

BASE="http://127.0.0.1:$PORT"
URLS="$OUT/urls.txt"
python3 "$HERE/queries.py" "$STORE" "$BASE" "$QUERIES" > "$URLS"
echo "== $(wc -l < "$URLS") query URLs in $URLS" >&2

SERVE=("$MARSAD" --data "$STORE" serve --addr "127.0.0.1:$PORT")
[ -n "${READERS:-}" ] && SERVE+=(--readers "$READERS")
"${SERVE[@]}" > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q listening "$OUT/serve.log" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
    sleep 0.2
done
curl -sf "$(head -1 "$URLS")" > /dev/null || { echo "the server does not answer" >&2; exit 1; }

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }

# run NAME SECONDS: oha with the URL list, JSON summary in $OUT/NAME.json.
run() {
    local name=$1 secs=$2
    local cmd=("$OHA" -z "${secs}s" -c "$CONNECTIONS" --no-tui --urls-from-file
               --output-format json "$URLS")
    echo "== $name: ${cmd[*]}" >&2
    echo "${cmd[*]}" > "$OUT/$name.cmd"
    local t0; t0=$(cpu_ticks)
    "${cmd[@]}" > "$OUT/$name.json"
    echo $(( $(cpu_ticks) - t0 )) > "$OUT/$name.cpu"
}

echo "== RSS at start: $(rss_kb) kB" >&2
run warmup "$WARMUP"
run short "$SHORT"

: > "$OUT/rss.txt"
( while kill -0 "$SERVER" 2>/dev/null; do
      echo "$(date +%s) $(rss_kb)" >> "$OUT/rss.txt"
      sleep "$RSS_EVERY"
  done ) &
SAMPLER=$!
run long "$DURATION"
kill "$SAMPLER" 2>/dev/null || true
echo "$(date +%s) $(rss_kb)" >> "$OUT/rss.txt"

python3 "$HERE/report.py" "$OUT" "$(getconf CLK_TCK)" "${SERVE[*]}"
echo "(raw results in $OUT)"
