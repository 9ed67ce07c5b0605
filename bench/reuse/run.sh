#!/bin/sh
# MinHash signing: Marsad vs datasketch on the same word-bigram shingles.
# usage: bench/reuse/run.sh [N_DOCS] [NUM_PERM] [RUNS]   (from anywhere)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
P=${2:-128}
RUNS=${3:-5}
FILE=${TMPDIR:-/tmp}/marsad-reuse-shingles.txt
run() { echo "\$ $*"; "$@"; }
run cargo build -q -p marsad-reuse --release --example sign_speed
run ./target/release/examples/sign_speed dump "$FILE" "$N"
echo
echo "| what | time | shingles/s | docs/s |"
echo "|---|---|---|---|"
run ./target/release/examples/sign_speed bench "$FILE" "$P" "$RUNS"
run python3 bench/reuse/datasketch_peer.py "$FILE" "$P" "$RUNS"
