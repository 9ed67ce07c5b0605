#!/usr/bin/env python3
"""Draws the real-news gold sample from SaudiNewsNet, deterministically.

    python3 bench/gold/sample.py [--shared ../shared] [--work /tmp/gold-work]

Writes `data/gold/news/articles.tsv` (which articles, never their text) and,
for the annotators, one numbered file per article under WORK (not part of
the project: it holds article text).

Extraction sample: 11 articles from each of the 12 outlets present (132),
drawn with random.Random(20261202) among articles whose `content` has 300 to
4,000 characters (the median is 1,215; 5% are shorter, mostly title-only
items, 8% longer, mostly opinion columns). Within each outlet the draws
alternate dev, test, dev, ... so each half has every outlet.

Story sample: 400 articles drawn with random.Random(20261203) from the three
consecutive days 2015-08-06, 2015-08-07 and 2015-08-08 (same length bounds),
split dev/test by alternation in draw order.

Offsets in the annotations are UTF-8 byte offsets into the body Marsad's JSON
reader makes of `content`: lines split on \\n, \\r, U+2028, U+2029, each
trimmed, blank lines dropped, joined with \\n.
"""
import argparse
import collections
import json
import os
import random

SEED = 20261202
STORY_SEED = 20261203
PER_OUTLET = 11
STORY_DAYS = ["2015-08-06", "2015-08-07", "2015-08-08"]
STORY_COUNT = 400
MIN_CHARS, MAX_CHARS = 300, 4000


def body_of(content):
    import re
    lines = re.split("[\n\r\u2028\u2029]", content)
    return "\n".join(l.strip() for l in lines if l.strip())


def load(shared):
    folder = os.path.join(shared, "corpus", "saudinewsnet")
    items = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for index, article in enumerate(json.load(f)):
                items.append((name, index, article))
    return items


def eligible(article):
    return MIN_CHARS <= len(article.get("content") or "") <= MAX_CHARS


def dump(work, gid, name, index, article):
    body = body_of(article["content"])
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, gid + ".txt"), "w", encoding="utf-8") as out:
        out.write(f"# {gid}  file={name} index={index} source={article['source']} date={article['date_extracted']}\n")
        out.write(f"# title: {article.get('title','')}\n")
        for n, line in enumerate(body.split("\n"), 1):
            out.write(f"[{n}] {line}\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(root), "shared"))
    parser.add_argument("--work", default="/tmp/gold-work")
    args = parser.parse_args()
    items = load(args.shared)

    by_outlet = collections.defaultdict(list)
    for item in items:
        if eligible(item[2]):
            by_outlet[item[2]["source"]].append(item)
    rng = random.Random(SEED)
    rows = []
    for outlet in sorted(by_outlet):
        drawn = rng.sample(by_outlet[outlet], PER_OUTLET)
        for k, (name, index, article) in enumerate(drawn):
            rows.append((name, index, article, "dev" if k % 2 == 0 else "test"))
    out_dir = os.path.join(root, "data", "gold", "news")
    with open(os.path.join(out_dir, "articles.tsv"), "w", encoding="utf-8") as out:
        out.write("# gold id\tfile\tindex\tsource\tsplit\n")
        for n, (name, index, article, split) in enumerate(rows, 1):
            gid = f"g{n:03d}"
            out.write(f"{gid}\t{name}\t{index}\t{article['source']}\t{split}\n")
            dump(os.path.join(args.work, "articles"), gid, name, index, article)

    pool = [it for it in items if it[0][:-5] in STORY_DAYS and eligible(it[2])]
    drawn = random.Random(STORY_SEED).sample(pool, STORY_COUNT)
    drawn_sorted = drawn  # draw order decides the split
    with open(os.path.join(out_dir, "story-articles.tsv"), "w", encoding="utf-8") as out:
        out.write("# story gold id\tfile\tindex\tsource\tsplit\n")
        for n, (name, index, article) in enumerate(drawn_sorted, 1):
            sid = f"s{n:03d}"
            out.write(f"{sid}\t{name}\t{index}\t{article['source']}\t{'dev' if n % 2 else 'test'}\n")
    with open(os.path.join(args.work, "stories.txt"), "w", encoding="utf-8") as out:
        for n, (name, index, article) in enumerate(drawn_sorted, 1):
            lead = body_of(article["content"])[:350].replace("\n", " / ")
            out.write(f"s{n:03d} | {article['source']} | {article['date_extracted'][:10]} | {article.get('title','')} | {lead}\n")
    print(f"{len(rows)} extraction articles from {len(by_outlet)} outlets; {STORY_COUNT} story articles from {len(pool)}")


if __name__ == "__main__":
    main()
