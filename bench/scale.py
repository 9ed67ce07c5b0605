#!/usr/bin/env python3
"""Scale curve for bench/run: ingest N SaudiNewsNet articles into an empty
store and measure what it costs and how fast the store answers.

    scale.py --corpus DIR --bin target/release --out bench/out/scale --sizes 1000,10000,26368[,250000]

Sizes up to the corpus size (26,368 articles) take the first N articles in
file order (file names sort by date); the full size ingests the corpus
folder itself. Larger sizes are resampled: copy k (k = 0, 1, 2, ...) of
article i is the article with id `snn-<i>-r<k>`, its date shifted by 7*k days,
`?r=<k>` added to its URL, and one deterministic light edit so exact-duplicate
detection keeps it: the words of its first sentence rotated by k positions
(the copy is still a near-duplicate of the original, which the reuse stage
sees as a syndicated copy: the worst case for that stage). Copies are written
in copy order (all of copy 0, then copy 1, ...), as a JSON Lines file.

For each size: ingest wall time and peak RSS (/usr/bin/time -v), docs/s,
store size on disk (du), search median/p99 over 1,000 queries
(marsad-bench latency), and the wall time of the CLI processes
`marsad entities --json` and `marsad timeline --json` (median of 5).
Prints a Markdown table and one JSON line.
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import time


def articles(corpus):
    out = []
    for path in sorted(glob.glob(os.path.join(corpus, "*.json"))):
        with open(path, encoding="utf-8") as f:
            out.extend(json.load(f))
    return out


def shift(date, days):
    try:
        d = datetime.datetime.strptime(date[:19], "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return date
    return (d + datetime.timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


def edit(content, k):
    """Rotates the words of the first sentence by k positions."""
    m = re.search(r"[.!?؟\n]", content)
    end = m.end() if m else len(content)
    words = content[:end].split(" ")
    if len(words) > 1:
        k %= len(words)
        words = words[k:] + words[:k]
    return " ".join(words) + content[end:]


def write_corpus(all_articles, n, path):
    with open(path, "w", encoding="utf-8") as f:
        for j in range(n):
            k, i = divmod(j, len(all_articles))
            a = dict(all_articles[i])
            if n > len(all_articles):
                a["id"] = f"snn-{i}-r{k}"
                if k:
                    a["date_extracted"] = shift(a.get("date_extracted"), 7 * k)
                    a["url"] = (a.get("url") or "") + f"?r={k}"
                    a["content"] = edit(a.get("content") or "", k)
            f.write(json.dumps(a, ensure_ascii=False) + "\n")


def time_v(cmd, log=None):
    """Wall time, peak RSS and stdout of `cmd`; its stderr (with
    MARSAD_TIMINGS=1, the refresh's stage times) goes to `log` if given."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if log:
        with open(log, "w", encoding="utf-8") as f:
            f.write(r.stderr)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {r.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    h, m, s = wall.groups()
    secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    return secs, rss * 1024, r.stdout


def du(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True).stdout.split()[0])


def cli_median(cmd, runs=5):
    secs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        secs.append(time.perf_counter() - t0)
    return statistics.median(secs)


def last_json(text):
    try:
        return json.loads(text)
    except ValueError:
        pass
    return json.loads([l for l in text.splitlines() if l.startswith("{")][-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="1000,10000,26368")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--keep", default="", help="size whose store is kept as OUT/store-N (others are deleted)")
    a = ap.parse_args()
    marsad, bench = os.path.join(a.bin, "marsad"), os.path.join(a.bin, "marsad-bench")
    os.makedirs(a.out, exist_ok=True)
    all_articles = articles(a.corpus)
    rows = []
    for n in [int(s) for s in a.sizes.split(",") if s]:
        data = os.path.join(a.out, f"store-{n}")
        shutil.rmtree(data, ignore_errors=True)
        if n == len(all_articles):
            source, how = a.corpus, "the corpus folder"
        else:
            source = os.path.join(a.out, f"corpus-{n}.jsonl")
            write_corpus(all_articles, n, source)
            how = "first N articles" if n < len(all_articles) else "resampled (see bench/scale.py)"
        load = os.getloadavg()[0]
        secs, rss, out = time_v([marsad, "--data", data, "ingest", "--json", source])
        report = last_json(out)
        size = du(data)
        lat = last_json(subprocess.run([bench, "latency", "--data", data, "--queries", str(a.queries)]
                                       + (["--queries-out", os.path.join(a.out, f"queries-{n}.txt")]),
                                       capture_output=True, text=True, check=True).stdout)
        ent = cli_median([marsad, "--data", data, "entities", "--json"])
        tl = cli_median([marsad, "--data", data, "timeline", "--json"])
        row = {"size": n, "input": how, "added": report.get("added"), "duplicates": len(report.get("duplicates") or []),
               "ingest_secs": secs, "docs_per_s": n / secs, "peak_rss": rss, "store_bytes": size,
               "search_median_ms": lat["median_ms"], "search_p99_ms": lat["p99_ms"],
               "entities_cli_s": ent, "timeline_cli_s": tl, "load_at_start": load}
        rows.append(row)
        print(json.dumps(row), flush=True)
        if source != a.corpus:
            os.remove(source)
        if str(n) != a.keep:
            shutil.rmtree(data, ignore_errors=True)
    print("| articles | stored | ingest s | docs/s | peak RSS MB | store MB | search p50 ms | p99 ms | `entities` s | `timeline` s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['size']} | {r['added']} | {r['ingest_secs']:.1f} | {r['docs_per_s']:.0f} | {r['peak_rss'] / 1e6:.0f} "
              f"| {r['store_bytes'] / 1e6:.0f} | {r['search_median_ms']:.2f} | {r['search_p99_ms']:.2f} "
              f"| {r['entities_cli_s']:.2f} | {r['timeline_cli_s']:.2f} |")
    print(json.dumps({"bench": "scale", "rows": rows}))


if __name__ == "__main__":
    main()
