"""datasketch side of the MinHash comparison (bench/reuse/run.sh).

Reads the shingle file written by `sign_speed dump` (one shingle per line,
an empty line after each document) and times, median of RUNS runs:
  * MinHash(num_perm=P) + update_batch per document (the documented idiom);
  * MinHash.bulk(docs, num_perm=P) (shares the permutations);
  * MinHashLSH(threshold=0.5, num_perm=P): insert every document, then query
    every document (signatures computed beforehand, not timed).

usage: python3 datasketch_peer.py SHINGLES [NUM_PERM] [RUNS]
"""
import statistics
import sys
import time

import datasketch
from datasketch import MinHash, MinHashLSH


def read(path):
    docs, cur = [], []
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if line:
                cur.append(line)
            elif cur:
                docs.append(cur)
                cur = []
    if cur:
        docs.append(cur)
    return docs


def main():
    path = sys.argv[1]
    num_perm = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    docs = read(path)
    n_docs = len(docs)
    n_sh = sum(len(d) for d in docs)
    print(f"{n_docs} documents, {n_sh} shingles, num_perm={num_perm}, "
          f"median of {runs} runs, datasketch {datasketch.__version__}")

    def row(what, secs):
        print(f"| datasketch: {what} | {secs:.4f} s | {n_sh / secs:.0f} shingles/s "
              f"| {n_docs / secs:.0f} docs/s |")

    def timed(fn):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    def per_doc():
        for d in docs:
            m = MinHash(num_perm=num_perm)
            m.update_batch(d)

    row("MinHash() + update_batch per doc", timed(per_doc))
    row("MinHash.bulk", timed(lambda: MinHash.bulk(docs, num_perm=num_perm)))

    sigs = MinHash.bulk(docs, num_perm=num_perm)
    found = [0]

    def lsh():
        index = MinHashLSH(threshold=0.5, num_perm=num_perm)
        for i, m in enumerate(sigs):
            index.insert(i, m)
        pairs = 0
        for m in sigs:
            pairs += len(index.query(m)) - 1
        found[0] = pairs // 2

    secs = timed(lsh)
    print(f"| datasketch: MinHashLSH(threshold=0.5) insert + query all | {secs:.4f} s "
          f"| - | {n_docs / secs:.0f} docs/s |  ({found[0]} candidate pairs)")


if __name__ == "__main__":
    main()
