#!/usr/bin/env python3
"""What one small ingest costs as the store grows (issue 13).

For each base size N (0 = an empty store), a store of the first N articles
of SaudiNewsNet (resampled past the corpus size, as in bench/scale.py) is
built once by `marsad ingest`; then, RUNS times, a copy of it takes 10 new
articles (the corpus's last ones, never in any base) in one
`marsad ingest`, timed with /usr/bin/time -v: wall time and peak RSS of the
whole process, corpus views included. Each run's stderr is kept in OUT
(with MARSAD_TIMINGS=1, the refresh's stage times). The copy is flushed to
disk (sync) before the timed run: its writeback is the harness's cost, not
Marsad's. The ratios against the empty store are what the issue bounds
(≤ ×3 time, ≤ ×3 peak RSS). With --keep, the base stores stay in OUT and
a later run with --keep times new increments on them without building
them again (a 250k base takes half an hour).

    python3 bench/increment.py --corpus ../shared/corpus/saudinewsnet \\
        --bin target/release --out bench/out/increment --sizes 0,10000,26000 --runs 3
"""

import argparse
import json
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import articles, time_v, write_corpus, last_json  # noqa: E402

NEW = 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="0,10000,26000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true",
                    help="keep each base store in OUT, and use one already there instead of building it")
    a = ap.parse_args()
    marsad = os.path.join(a.bin, "marsad")
    os.makedirs(a.out, exist_ok=True)
    everything = articles(a.corpus)
    reserved = NEW * a.runs
    base_pool, new_pool = everything[:-reserved], everything[-reserved:]
    batches = []
    for r in range(a.runs):
        path = os.path.join(a.out, f"new-{r}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for art in new_pool[r * NEW:(r + 1) * NEW]:
                f.write(json.dumps(art, ensure_ascii=False) + "\n")
        batches.append(path)
    rows = []
    for n in [int(s) for s in a.sizes.split(",") if s != ""]:
        base = os.path.join(a.out, f"base-{n}")
        build = None
        if a.keep and n > 0 and os.path.isdir(base):
            print(f"base-{n}: kept from an earlier run", file=sys.stderr)
        elif n > 0:
            shutil.rmtree(base, ignore_errors=True)
            source = os.path.join(a.out, f"base-{n}.jsonl")
            write_corpus(base_pool, n, source)
            secs, rss, out = time_v([marsad, "--data", base, "ingest", "--json", source],
                                    log=os.path.join(a.out, f"base-{n}.stderr"))
            build = {"secs": secs, "peak_rss": rss, "stored": last_json(out).get("added")}
            os.remove(source)
        else:
            shutil.rmtree(base, ignore_errors=True)
            os.makedirs(base)
        times, peaks = [], []
        load = os.getloadavg()[0]
        for r in range(a.runs):
            work = os.path.join(a.out, "work")
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(base, work)
            # The copy's gigabyte of dirty pages would otherwise be flushed
            # by the ingest's first fsync and timed as Marsad's.
            os.sync()
            secs, rss, _ = time_v([marsad, "--data", work, "ingest", "--json", batches[r]],
                                  log=os.path.join(a.out, f"add-{n}-{r}.stderr"))
            times.append(secs)
            peaks.append(rss)
            shutil.rmtree(work)
        rows.append({"base": n, "build": build, "secs": statistics.median(times), "peak_rss": statistics.median(peaks),
                     "runs": times, "load": load})
        if not (a.keep and n > 0):
            shutil.rmtree(base)
        print(json.dumps(rows[-1]), flush=True)
    empty = rows[0]
    print()
    print("| store before | base ingest s | base ingest peak RSS MB | +10 articles s | ×empty | +10 peak RSS MB | ×empty | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        b = row["build"]
        label = f"{row['base']:,}" if row["base"] else "empty"
        print(f"| {label} | {b['secs']:.1f} | {b['peak_rss'] / 2**20:.0f} |" if b else f"| {label} | | |", end="")
        print(f" {row['secs']:.2f} | ×{row['secs'] / empty['secs']:.2f} | {row['peak_rss'] / 2**20:.0f} |"
              f" ×{row['peak_rss'] / empty['peak_rss']:.2f} | {row['load']:.2f} |")
    with open(os.path.join(a.out, "increment.json"), "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
