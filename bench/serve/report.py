#!/usr/bin/env python3
"""Prints the table of a bench/serve/run.sh run.

Usage: report.py OUT_DIR CLK_TCK SERVE_COMMAND

Reads OUT_DIR/{short,long}.json (oha --output-format json), NAME.cmd, NAME.cpu
(server CPU ticks during the run) and rss.txt ("epoch_seconds rss_kb" lines).
"Errors" are non-200 answers plus failed requests; requests oha cuts off when
its time is up ("aborted due to deadline") are listed apart, not as errors.
"""

import json
import sys
from pathlib import Path


def main() -> None:
    out, tck, serve = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    print(f"server: {serve}")
    print()
    print("| run | seconds | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | cut at deadline | server CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("short", "long"):
        path = out / f"{name}.json"
        if not path.exists():
            continue
        d = json.loads(path.read_text())
        s, p = d["summary"], d["latencyPercentiles"]
        statuses = {int(k): v for k, v in d.get("statusCodeDistribution", {}).items()}
        ok = statuses.get(200, 0)
        errors = dict(d.get("errorDistribution", {}))
        deadline = errors.pop("aborted due to deadline", 0)
        failed = sum(v for k, v in statuses.items() if k != 200) + sum(errors.values())
        answered = sum(statuses.values())
        cpu = int((out / f"{name}.cpu").read_text()) * 1000 / tck
        print(
            f"| {name} | {s['total']:.0f} | {answered} | {answered / s['total']:.0f} "
            f"| {p['p50'] * 1e3:.2f} | {p['p90'] * 1e3:.2f} | {p['p99'] * 1e3:.2f} | {s['slowest'] * 1e3:.1f} "
            f"| {failed} | {deadline} | {cpu / max(answered, 1):.3f} |"
        )
        if errors or len(statuses) > 1:
            print(f"  {name}: statuses {statuses}, errors {errors}")
    print()
    rss_path = out / "rss.txt"
    if rss_path.exists():
        samples = [int(line.split()[1]) for line in rss_path.read_text().split("\n") if len(line.split()) == 2]
        if samples:
            mib = [kb / 1024 for kb in samples]
            print(
                f"server RSS over the long run ({len(mib)} samples): first {mib[0]:.1f} MiB, "
                f"last {mib[-1]:.1f} MiB, max {max(mib):.1f} MiB, min {min(mib):.1f} MiB"
            )
            print("samples (MiB): " + " ".join(f"{m:.0f}" for m in mib))
    print()
    for name in ("warmup", "short", "long"):
        cmd = out / f"{name}.cmd"
        if cmd.exists():
            print(f"{name}: {cmd.read_text().strip()}")


if __name__ == "__main__":
    main()
