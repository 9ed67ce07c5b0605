#!/usr/bin/env python3
"""Turns raw annotations (FORMAT.md) into span-only gold files.

    python3 bench/gold/convert.py [--work /tmp/gold-work] [--raw raw] [--out data/gold/news/annotations]

Every anchor is checked against the article body; an anchor that does not
match stops the conversion of that file with a message naming file, item and
reason (exit 1 if any failed). Output: one JSON file per article with byte
spans into the body, names, labels and cue words only.
"""
import argparse
import json
import os
import sys

from sample import body_of, load

ENTITY_TYPES = {"PERS", "ORG", "LOC"}
SPEAKER_KINDS = {"person", "organization", "group", "description", "unknown"}
EVENT_TYPES = {
    "meeting", "visit", "agreement", "attack", "military", "arrest", "legal",
    "accident", "disaster", "health", "protest", "election", "appointment",
    "decision", "launch", "conference", "business", "sports", "death", "other",
}
STATUSES = {"happened", "planned", "denied"}
GRANULARITIES = {"day", "month", "year", "decade"}


class Bad(Exception):
    pass


# Conventions applied to every annotator's marks (GUIDELINES.md §1), so that
# the gold set follows one rule where annotators chose differently.
HEAD_WORDS = ("نادي", "صحيفة", "جريدة", "مجلة", "قناة", "شركة")
PLACE_HEADS = ("منطقة ", "محافظة ", "مدينة ")
NOT_NAMES = {"المملكة"}


def canonical(name):
    """A region is named as its city is: `منطقة حائل` is `حائل`."""
    name = (name or "").strip()
    if name.startswith("منطقة "):
        name = name[len("منطقة "):]
    return name


def contraction(line, start, text, entity):
    """In an لل contraction (للهلال = ل + الهلال) the span starts after لل:
    the article's lam is written as the second ل. Names without the article
    (للبنان = ل + لبنان) keep their own ل."""
    if (text.startswith("ل") and start >= 1 and line[start - 1] == "ل"
            and (start == 1 or not line[start - 2].isalpha())
            and canonical(entity).startswith("ال") and not canonical(entity).startswith("ل")):
        return start + 1, text[1:]
    return start, text


def span_convention(line, start, text, mention_type):
    """GUIDELINES.md §1: an organisation's head word is part of its name, a
    place's administrative head (منطقة، محافظة، مدينة) is not, and a
    person's family name آل X is."""
    if mention_type == "LOC":
        for head in PLACE_HEADS:
            rest = text[len(head):]
            if text.startswith(head) and rest and not rest.startswith(("الملك", "الأمير")):
                return start + len(head), rest
        return start, text
    if mention_type == "PERS":
        after = line[start + len(text):]
        if after.startswith(" آل ") and not text.endswith(" آل"):
            family = after[1:].split()[:2]
            if len(family) == 2:
                return start, text + " " + " ".join(family).rstrip("،,.:؛)»\"")
        return start, text
    for head in HEAD_WORDS:
        h = head + " "
        if start >= len(h) and line[start - len(h):start] == h:
            before = line[start - len(h) - 1:start - len(h)] if start > len(h) else " "
            if before in " ،,.(«\"-–":
                return start - len(h), h + text
    return start, text


def line_starts(body):
    starts, pos = [], 0
    for line in body.split("\n"):
        starts.append(pos)
        pos += len(line.encode("utf-8")) + 1
    return starts


def find_occ(line, needle, occ, after=0):
    pos = after - 1
    for _ in range(occ):
        pos = line.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def byte_span(lines, starts, n, char_start, char_end):
    line = lines[n - 1]
    b0 = starts[n - 1] + len(line[:char_start].encode("utf-8"))
    b1 = starts[n - 1] + len(line[:char_end].encode("utf-8"))
    return [b0, b1]


def get_line(lines, item, key="line"):
    n = item.get(key)
    if not isinstance(n, int) or not 1 <= n <= len(lines):
        raise Bad(f"{key} {n!r} out of range 1..{len(lines)}")
    return n


def convert(raw, body):
    lines = body.split("\n")
    starts = line_starts(body)
    out = {"entities": [], "quotes": [], "events": []}
    for k, e in enumerate(raw.get("entities", [])):
        where = f"entities[{k}]"
        try:
            n = get_line(lines, e)
            text = e["text"].strip()
            if e.get("type") not in ENTITY_TYPES:
                raise Bad(f"type {e.get('type')!r}")
            p = find_occ(lines[n - 1], text, int(e.get("occ", 1)))
            if p < 0:
                raise Bad(f"{text!r} occurrence {e.get('occ', 1)} not in paragraph {n}")
            if text in NOT_NAMES:
                continue
            p, text = span_convention(lines[n - 1], p, text, e["type"])
            p, text = contraction(lines[n - 1], p, text, e.get("entity") or text)
            out["entities"].append({
                "span": byte_span(lines, starts, n, p, p + len(text)),
                "text": text, "type": e["type"],
                "entity": canonical(e.get("entity") or text),
            })
        except (Bad, KeyError, ValueError, TypeError) as err:
            raise Bad(f"{where}: {err}")
    for k, q in enumerate(raw.get("quotes", [])):
        where = f"quotes[{k}]"
        try:
            n = get_line(lines, q)
            m = get_line(lines, q, "end_line") if "end_line" in q else n
            s = find_occ(lines[n - 1], q["start"].strip(), int(q.get("start_occ", 1)))
            if s < 0:
                raise Bad(f"start {q['start']!r} not in paragraph {n}")
            after = s if m == n else 0
            e = lines[m - 1].find(q["end"].strip(), after)
            if e < 0:
                raise Bad(f"end {q['end']!r} not in paragraph {m} after start")
            e += len(q["end"].strip())
            if q.get("speaker_kind") not in SPEAKER_KINDS:
                raise Bad(f"speaker_kind {q.get('speaker_kind')!r}")
            span = [byte_span(lines, starts, n, s, s)[0], byte_span(lines, starts, m, e, e)[0]]
            if span[1] <= span[0]:
                raise Bad("empty span")
            cue = (q.get("cue") or "").split()
            out["quotes"].append({
                "span": span, "direct": bool(q.get("direct")),
                "speaker": canonical(q.get("speaker")),
                "speaker_kind": q["speaker_kind"], "named": bool(q.get("named")),
                "cue": " ".join(cue[:3]),
            })
        except (Bad, KeyError, ValueError, TypeError) as err:
            raise Bad(f"{where}: {err}")
    for k, v in enumerate(raw.get("events", [])):
        where = f"events[{k}]"
        try:
            n = get_line(lines, v)
            trig = v["trigger"].strip()
            p = find_occ(lines[n - 1], trig, int(v.get("occ", 1)))
            if p < 0:
                raise Bad(f"trigger {trig!r} not in paragraph {n}")
            if v.get("type") not in EVENT_TYPES:
                raise Bad(f"type {v.get('type')!r}")
            if v.get("status") not in STATUSES:
                raise Bad(f"status {v.get('status')!r}")
            date = v.get("date")
            gran = v.get("granularity")
            if date is not None and gran not in GRANULARITIES:
                raise Bad(f"granularity {gran!r}")
            out["events"].append({
                "span": byte_span(lines, starts, n, p, p + len(trig)),
                "trigger": trig, "type": v["type"], "status": v["status"],
                "date": date, "granularity": gran if date is not None else None,
                "actors": [canonical(a) for a in v.get("actors") or []],
                "place": canonical(v.get("place")) or None,
            })
        except (Bad, KeyError, ValueError, TypeError) as err:
            raise Bad(f"{where}: {err}")
    return out


def dump_gold(doc):
    """One JSON object per line inside each list, so diffs stay readable."""
    head = {k: v for k, v in doc.items() if not isinstance(v, list)}
    parts = [json.dumps(head, ensure_ascii=False)[:-1]]
    for key in ("entities", "quotes", "events"):
        items = ",\n  ".join(json.dumps(x, ensure_ascii=False) for x in doc[key])
        parts.append(f'"{key}": [' + (f"\n  {items}\n ]" if items else "]"))
    return ",\n ".join(parts) + "\n}\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(root), "shared"))
    ap.add_argument("--work", default="/tmp/gold-work")
    ap.add_argument("--raw", default="raw")
    ap.add_argument("--out", default=os.path.join(root, "data", "gold", "news", "annotations"))
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    rows = {}
    with open(os.path.join(root, "data", "gold", "news", "articles.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            gid, name, index, source, split = line.rstrip("\n").split("\t")
            rows[gid] = (name, int(index), source, split)
    articles = {(n, i): a for n, i, a in load(args.shared)}
    raw_dir = os.path.join(args.work, args.raw)
    os.makedirs(args.out, exist_ok=True)
    failed = 0
    done = 0
    for fname in sorted(os.listdir(raw_dir)):
        gid = fname[:-5]
        if not fname.endswith(".json") or (args.only and gid not in args.only):
            continue
        if gid not in rows:
            print(f"{fname}: unknown gold id", file=sys.stderr)
            failed += 1
            continue
        name, index, source, split = rows[gid]
        body = body_of(articles[(name, index)]["content"])
        try:
            with open(os.path.join(raw_dir, fname), encoding="utf-8") as f:
                raw = json.load(f)
            gold = convert(raw, body)
        except (Bad, json.JSONDecodeError) as err:
            print(f"{fname}: {err}", file=sys.stderr)
            failed += 1
            continue
        doc = {"id": gid, "file": name, "index": index, "source": source, "split": split}
        doc.update(gold)
        with open(os.path.join(args.out, gid + ".json"), "w", encoding="utf-8") as f:
            f.write(dump_gold(doc))
        done += 1
    print(f"converted {done}, failed {failed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
