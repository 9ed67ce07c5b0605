#!/usr/bin/env python3
"""The peers' side of bench/run: PyStemmer, PostgreSQL 15 full-text search,
SQLite FTS5 and dateparser, on the same inputs as marsad-bench.

    peers.py check                          which peers are usable here (JSON)
    peers.py text    --corpus DIR [--runs 5] [--limit N]
    peers.py arcd    --file train.json
    peers.py latency --corpus DIR --queries FILE
    peers.py dates   --seeds DIR --gold bench/dates-gold.tsv --marsad marsad.json [--runs 3]

Every subcommand prints a Markdown table and, on its last line, one JSON
object with the raw figures (bench/report.py reads those). PostgreSQL runs as
a private cluster in a temporary directory (initdb + pg_ctl, as the postgres
user when started as root), listening on a Unix socket only, with parallel
query off so each statement uses one core, like the other engines here. It is
stopped and deleted at the end. Timings are taken by psql's \\timing (client
side, Unix socket round trip included) for PostgreSQL and by
time.perf_counter() around execute + fetchall for SQLite.
"""
import argparse
import csv
import glob
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

PG_BIN = "/usr/lib/postgresql/15/bin"


def median_p99(xs):
    xs = sorted(xs)
    if not xs:
        return float("nan"), float("nan")
    at = lambda q: xs[round((len(xs) - 1) * q)]
    return at(0.5), at(0.99)


def load_snn(corpus, limit=None):
    """(id, title, content) of every SaudiNewsNet article in file order."""
    out = []
    for path in sorted(glob.glob(os.path.join(corpus, "*.json"))):
        with open(path, encoding="utf-8") as f:
            for i, a in enumerate(json.load(f)):
                if a.get("content"):
                    out.append((f"{os.path.basename(path)}#{i}", a.get("title") or "", a["content"]))
        if limit and len(out) >= limit:
            return out[:limit]
    return out


def dedupe(docs):
    seen, out = set(), []
    for d in docs:
        if d[2] not in seen:
            seen.add(d[2])
            out.append(d)
    return out


# ---------------------------------------------------------------- PostgreSQL


class Pg:
    """A private PostgreSQL cluster in a temporary directory."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="marsad-bench-pg-")
        self.data = os.path.join(self.root, "data")
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.started = False

    def start(self):
        subprocess.run(self.as_user + [f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "bench",
                                       "-E", "UTF8", "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
        opts = (f"-k {self.root} -c listen_addresses='' -c max_parallel_workers_per_gather=0 "
                "-c shared_buffers=512MB -c maintenance_work_mem=512MB -c work_mem=64MB "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        subprocess.run(self.as_user + [f"{PG_BIN}/pg_ctl", "-D", self.data, "-o", opts, "-w",
                                       "-l", os.path.join(self.root, "log"), "start"],
                       check=True, stdout=subprocess.DEVNULL)
        self.started = True
        return self

    def version(self):
        return self.psql("-Atc", "SHOW server_version").strip()

    def psql(self, *args, stdin=None):
        cmd = ["psql", "-h", self.root, "-U", "bench", "-d", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        r = subprocess.run(cmd + list(args), input=stdin, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr.strip()[:500]}")
        return r.stdout

    def script(self, sql):
        """Runs a script; returns its stdout."""
        path = os.path.join(self.root, "script.sql")
        with open(path, "w", encoding="utf-8") as f:
            f.write(sql)
        return self.psql("-f", path)

    def timed(self, sql):
        """Runs a script with \\timing and query output discarded; the times in ms."""
        out = self.script("\\timing on\n\\o /dev/null\n" + sql)
        return [float(m) for m in re.findall(r"^Time: ([0-9.]+) ms", out, re.M)]

    def copy(self, table, columns, rows):
        path = os.path.join(self.root, table + ".csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
        self.psql("-c", f"\\copy {table}({','.join(columns)}) FROM '{path}' WITH (FORMAT csv)")
        os.remove(path)

    def stop(self):
        if self.started:
            subprocess.run(self.as_user + [f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def pg_or_query(words):
    """websearch_to_tsquery text that ORs the words (their lexemes, after the arabic config)."""
    return " or ".join(w for w in words if w.lower() != "or")


def fts5_or_query(words):
    terms = ['"' + w.replace('"', '""') + '"' for w in words if re.search(r"\w", w)]
    return " OR ".join(terms)


# ---------------------------------------------------------------- check


def check():
    have = {}
    try:
        import Stemmer  # noqa: F401
        have["pystemmer"] = True
    except ImportError:
        have["pystemmer"] = False
    try:
        import dateparser  # noqa: F401
        have["dateparser"] = True
    except ImportError:
        have["dateparser"] = False
    try:
        import datasketch  # noqa: F401
        have["datasketch"] = True
    except ImportError:
        have["datasketch"] = False
    try:
        c = sqlite3.connect(":memory:")
        c.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
        have["fts5"] = True
    except sqlite3.Error:
        have["fts5"] = False
    have["postgresql"] = (os.path.exists(f"{PG_BIN}/initdb") and shutil.which("psql") is not None
                          and (os.geteuid() != 0 or shutil.which("runuser") is not None))
    print(json.dumps(have))


def versions():
    v = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version}
    for mod, name in (("Stemmer", "PyStemmer"), ("dateparser", "dateparser"), ("datasketch", "datasketch")):
        try:
            from importlib.metadata import version
            v[name] = version(name)
        except Exception:
            pass
    try:
        v["postgresql"] = subprocess.run([f"{PG_BIN}/postgres", "--version"], capture_output=True,
                                         text=True).stdout.strip()
    except OSError:
        pass
    return v


# ---------------------------------------------------------------- text


def text(args):
    import Stemmer
    docs = load_snn(args.corpus, args.limit)
    texts = [d[2] for d in docs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    words = sum(len(t.split()) for t in texts)
    results = {}

    stemmer = Stemmer.Stemmer("arabic")
    word_re = re.compile(r"\w+")
    secs = []
    terms = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        terms = 0
        for t in texts:
            terms += len(stemmer.stemWords(word_re.findall(t)))
        secs.append(time.perf_counter() - t0)
    results["pystemmer"] = {"median_secs": statistics.median(secs), "terms": terms, "runs": args.runs}

    if not args.no_pg:
        pg = Pg()
        try:
            pg.start()
            pg.script("CREATE TABLE snn(id int, content text);")
            pg.copy("snn", ["id", "content"], ((i, t) for i, t in enumerate(texts)))
            pg.script("VACUUM ANALYZE snn;")
            runs = max(1, min(args.runs, args.pg_runs))
            ms = pg.timed("SELECT sum(length(to_tsvector('arabic', content))) FROM snn;\n" * runs)
            lexemes = int(pg.psql("-Atc", "SELECT sum(length(to_tsvector('arabic', content))) FROM snn").strip())
            results["postgresql"] = {"median_secs": statistics.median(ms) / 1e3, "terms": lexemes, "runs": runs,
                                     "terms_note": "distinct lexemes per document"}
        finally:
            pg.stop()

    print("| engine | articles | MB | runs | median s | MB/s | input words/s | terms out |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        s = r["median_secs"]
        print(f"| {name} | {len(texts)} | {nbytes / 1e6:.1f} | {r['runs']} | {s:.3f} | {nbytes / 1e6 / s:.1f} "
              f"| {words / s:.0f} | {r['terms']} |")
    print(json.dumps({"bench": "text-peers", "articles": len(texts), "bytes": nbytes, "words": words,
                      "engines": results, "versions": versions()}))


# ---------------------------------------------------------------- ARCD


def arcd_load(path):
    with open(path, encoding="utf-8") as f:
        squad = json.load(f)
    paragraphs, questions = [], []
    for a, article in enumerate(squad["data"]):
        for p, par in enumerate(article["paragraphs"]):
            pid = f"arcd-{a}-{p}"
            paragraphs.append((pid, par["context"]))
            for q in par["qas"]:
                questions.append((re.sub(r'["\-:«»“”]', " ", q["question"]), pid))
    return paragraphs, questions


def score(ranked, questions):
    mrr = r1 = r10 = 0.0
    for ids, (_, rel) in zip(ranked, questions):
        ids = ids[:10]
        if rel in ids:
            rank = ids.index(rel)
            mrr += 1 / (rank + 1)
            r10 += 1
            r1 += rank == 0
    n = max(1, len(questions))
    return {"mrr10": mrr / n, "recall1": r1 / n, "recall10": r10 / n}


def arcd(args):
    paragraphs, questions = arcd_load(args.file)
    results = {}

    pg = Pg()
    try:
        pg.start()
        pg.script("CREATE TABLE arcd(id text, content text);")
        pg.copy("arcd", ["id", "content"], paragraphs)
        pg.script("ALTER TABLE arcd ADD COLUMN tsv tsvector;"
                  "UPDATE arcd SET tsv = to_tsvector('arabic', content);"
                  "CREATE INDEX ON arcd USING gin(tsv); VACUUM ANALYZE arcd;")
        for rank, label in (("ts_rank_cd", "ts_rank_cd"), ("ts_rank", "ts_rank")):
            sql = []
            for n, (q, _) in enumerate(questions):
                tq = f"websearch_to_tsquery('arabic', {lit(pg_or_query(q.split()))})"
                sql.append(f"SELECT {n}, string_agg(id, ',' ORDER BY r DESC, id) FROM (SELECT id, {rank}(tsv, q) r "
                           f"FROM arcd, {tq} q WHERE tsv @@ q ORDER BY r DESC, id LIMIT 10) s;")
            out = pg.psql("-At", "-F", "\t", "-f", "/dev/stdin", stdin="\n".join(sql))
            ranked = [[] for _ in questions]
            for line in out.splitlines():
                n, _, ids = line.partition("\t")
                ranked[int(n)] = [i for i in ids.split(",") if i]
            results[f"PostgreSQL 15 FTS (`arabic` config, OR query, {label})"] = score(ranked, questions)
    finally:
        pg.stop()

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE arcd USING fts5(id UNINDEXED, content, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO arcd(id, content) VALUES (?, ?)", paragraphs)
    ranked = []
    for q, _ in questions:
        m = fts5_or_query(q.split())
        rows = db.execute("SELECT id FROM arcd WHERE arcd MATCH ? ORDER BY bm25(arcd) LIMIT 10", (m,)).fetchall() if m else []
        ranked.append([r[0] for r in rows])
    results["SQLite FTS5 (unicode61 remove_diacritics 2, OR query, bm25)"] = score(ranked, questions)

    print("| engine | MRR@10 | Recall@1 | Recall@10 |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['mrr10']:.3f} | {r['recall1']:.3f} | {r['recall10']:.3f} |")
    print(json.dumps({"bench": "arcd-peers", "paragraphs": len(paragraphs), "questions": len(questions),
                      "engines": results}))


# ---------------------------------------------------------------- latency


def latency(args):
    docs = dedupe(load_snn(args.corpus, args.limit))
    with open(args.queries, encoding="utf-8") as f:
        queries = [l.strip() for l in f if l.strip()]
    results = {}

    pg = Pg()
    try:
        pg.start()
        pg.script("CREATE TABLE docs(id text, title text, content text);")
        t0 = time.perf_counter()
        pg.copy("docs", ["id", "title", "content"], docs)
        pg.script("ALTER TABLE docs ADD COLUMN tsv tsvector;"
                  "UPDATE docs SET tsv = setweight(to_tsvector('arabic', title), 'A') || "
                  "setweight(to_tsvector('arabic', content), 'B');"
                  "CREATE INDEX docs_tsv ON docs USING gin(tsv); VACUUM ANALYZE docs;")
        build = time.perf_counter() - t0
        size = int(pg.psql("-Atc", "SELECT pg_total_relation_size('docs')").strip())
        sql = []
        for q in queries:
            tq = f"websearch_to_tsquery('arabic', {lit(pg_or_query(q.split()))})"
            sql.append("SELECT id, title, ts_headline('arabic', content, q, 'MaxFragments=1, MaxWords=25, MinWords=10') "
                       f"FROM (SELECT id, title, content, q FROM docs, {tq} q WHERE tsv @@ q "
                       "ORDER BY ts_rank_cd(tsv, q) DESC LIMIT 10) s;")
        pg.timed("\n".join(sql[:50]))  # warm-up
        ms = pg.timed("\n".join(sql))
        p50, p99 = median_p99(ms)
        results["postgresql"] = {"median_ms": p50, "p99_ms": p99, "queries": len(ms), "build_secs": build,
                                 "bytes": size}
    finally:
        pg.stop()

    tmp = tempfile.mkdtemp(prefix="marsad-bench-fts5-")
    try:
        path = os.path.join(tmp, "fts.db")
        db = sqlite3.connect(path)
        t0 = time.perf_counter()
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, content, "
                   "tokenize='unicode61 remove_diacritics 2')")
        db.executemany("INSERT INTO docs(id, title, content) VALUES (?, ?, ?)", docs)
        db.commit()
        build = time.perf_counter() - t0
        sql = ("SELECT id, title, snippet(docs, 2, '<mark>', '</mark>', '…', 20) FROM docs "
               "WHERE docs MATCH ? ORDER BY bm25(docs, 0, 2.0, 1.0) LIMIT 10")
        ms = []
        warm = queries[:50]
        for i, q in enumerate(warm + queries):
            m = fts5_or_query(q.split())
            t0 = time.perf_counter()
            db.execute(sql, (m,)).fetchall()
            if i >= len(warm):
                ms.append((time.perf_counter() - t0) * 1e3)
        p50, p99 = median_p99(ms)
        results["sqlite-fts5"] = {"median_ms": p50, "p99_ms": p99, "queries": len(ms), "build_secs": build,
                                  "bytes": os.path.getsize(path)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("| engine | documents | queries | median ms | p99 ms | load + index s | size MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {len(docs)} | {r['queries']} | {r['median_ms']:.2f} | {r['p99_ms']:.2f} "
              f"| {r['build_secs']:.1f} | {r['bytes'] / 1e6:.0f} |")
    print(json.dumps({"bench": "latency-peers", "documents": len(docs), "engines": results}))


# ---------------------------------------------------------------- dates


def read_gold(path):
    anchors, gold = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            doc, surface, value = line.rstrip("\n").split("\t")
            if surface == "@anchor":
                anchors[doc] = value
            else:
                gold.append((doc, surface, value))
    return anchors, gold


def seed_texts(seeds, anchors):
    out = {}
    for doc in anchors:
        [path] = glob.glob(os.path.join(seeds, f"{doc}_*.txt"))
        with open(path, encoding="utf-8") as f:
            out[doc] = f.read()
    return out


def score_dates(texts, gold, found):
    """found: {doc: [(start, end, value or None)]} in characters. Returns counts."""
    spans = []  # (doc, start, end, value)
    for doc, surface, value in gold:
        for m in re.finditer(re.escape(surface), texts[doc]):
            spans.append((doc, m.start(), m.end(), value))
    scored = [s for s in spans if s[3] != "-"]
    hit, correct = set(), set()
    false_pos = 0
    total_found = 0
    for doc, items in found.items():
        for start, end, value in items:
            over = [i for i, s in enumerate(spans) if s[0] == doc and s[1] < end and start < s[2]]
            if not over:
                false_pos += 1
                total_found += 1
                continue
            if all(spans[i][3] == "-" for i in over):
                continue  # an unscored expression: neither right nor wrong
            total_found += 1
            for i in over:
                if spans[i][3] == "-":
                    continue
                hit.add(i)
                gv = spans[i][3]
                if value is not None and value[: len(gv)] == gv:
                    correct.add(i)
    n = len(scored)
    return {"gold": n, "found": len(hit), "correct": len(correct), "reported": total_found,
            "false_positives": false_pos,
            "precision": (total_found - false_pos) / total_found if total_found else 0.0,
            "recall_found": len(hit) / n, "recall_correct": len(correct) / n}


def dates(args):
    import datetime

    import dateparser
    from dateparser.search import search_dates

    anchors, gold = read_gold(args.gold)
    texts = seed_texts(args.seeds, anchors)
    results = {}
    with open(args.marsad, encoding="utf-8") as f:
        marsad = json.load(f)
    found = {d["id"]: [(x["start"], x["end"], x["value"]) for x in d["found"]] for d in marsad["docs"]}
    results["marsad"] = dict(score_dates(texts, gold, found), median_secs=marsad["median_secs"],
                             runs=marsad["runs"])

    secs = []
    found = {}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        raw = {}
        for doc, text in texts.items():
            base = datetime.datetime.fromisoformat(anchors[doc])
            raw[doc] = search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": base}) or []
        secs.append(time.perf_counter() - t0)
    for doc, items in raw.items():
        pos, out = 0, []
        for surface, dt in items:
            at = texts[doc].find(surface, pos)
            if at < 0:
                at = texts[doc].find(surface)
            if at < 0:
                continue
            pos = at + len(surface)
            out.append((at, at + len(surface), dt.date().isoformat()))
        found[doc] = out
    results["dateparser"] = dict(score_dates(texts, gold, found), median_secs=statistics.median(secs),
                                 runs=args.runs, examples=[[d, t[0], t[1].isoformat()] for d in raw for t in raw[d]][:60])

    print("| engine | gold expressions | found | correctly normalized | reported | false positives | precision | time (5 articles) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['gold']} | {r['found']} | {r['correct']} | {r['reported']} | {r['false_positives']} "
              f"| {r['precision']:.2f} | {r['median_secs'] * 1e3:.1f} ms |")
    print(json.dumps({"bench": "dates", "engines": results, "dateparser": dateparser.__version__}, ensure_ascii=False))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check")
    sub.add_parser("versions")
    p = sub.add_parser("text")
    p.add_argument("--corpus", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--pg-runs", type=int, default=3)
    p.add_argument("--limit", type=int)
    p.add_argument("--no-pg", action="store_true")
    p = sub.add_parser("arcd")
    p.add_argument("--file", required=True)
    p = sub.add_parser("latency")
    p.add_argument("--corpus", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--limit", type=int)
    p = sub.add_parser("dates")
    p.add_argument("--seeds", required=True)
    p.add_argument("--gold", required=True)
    p.add_argument("--marsad", required=True)
    p.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if a.cmd == "check":
        check()
    elif a.cmd == "versions":
        print(json.dumps(versions()))
    else:
        {"text": text, "arcd": arcd, "latency": latency, "dates": dates}[a.cmd](a)


if __name__ == "__main__":
    main()
