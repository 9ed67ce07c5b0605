#!/usr/bin/env python3
"""Writes the search URLs the `marsad serve` load test rotates through.

Usage: queries.py STORE_DIR BASE_URL [COUNT]   (URLs on standard output)

Like `marsad-bench latency` (crates/marsad-bench/src/latency.rs): queries are
words drawn deterministically from stored titles (the 5,000 newest documents,
in `Store::list_documents` order), so they are realistic and have matches.
Here a query has 1 to 3 words (i % 3 + 1), which mixes cheap one-word
lookups with the all-words ranking of longer ones. Words of 3 characters or
fewer are skipped and query-syntax characters (" : -) become spaces, so every
query parses. No randomness: query i depends only on i and the store.
"""

import sqlite3
import sys
import urllib.parse


def main() -> None:
    store, base = sys.argv[1], sys.argv[2].rstrip("/")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    db = sqlite3.connect(f"file:{store}/marsad.sqlite3?mode=ro", uri=True)
    titles = [
        title or display or ""
        for title, display in db.execute(
            "SELECT title, display_title FROM documents"
            " ORDER BY date IS NULL, date DESC, id LIMIT 5000"
        )
    ]
    if not titles:
        sys.exit(f"the store at {store} has no documents")
    written = 0
    i = 0
    while written < count and i < 10 * count:
        title = titles[(i * 7919) % len(titles)]
        words = [w for w in title.split() if len(w) > 3]
        take = i % 3 + 1
        i += 1
        if not words:
            continue
        start = (i * 31) % len(words)
        picked = [words[(start + k) % len(words)] for k in range(min(take, len(words)))]
        query = " ".join(picked)
        for c in '":-':
            query = query.replace(c, " ")
        query = " ".join(query.split())
        if not query:
            continue
        print(f"{base}/api/search?q={urllib.parse.quote(query)}")
        written += 1


if __name__ == "__main__":
    main()
