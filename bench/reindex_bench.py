"""Rebuilding the full-text index against raw tantivy (`python bench/reindex_bench.py`).

Each round runs, in fresh processes one after the other (so that a change in
the machine's load falls on all of them): `reindex` of a store into an empty
folder; with ``--against`` the same with another version's ``src`` (e.g.
``git archive main src | tar -x -C /tmp/main``); raw tantivy indexing the same
texts (one stored text field, its default tokenizer, one writer, as
`scale_bench.py` does); the same with docsearch's folding analyzer in place
of the default one (what a peer that folds Vietnamese diacritics pays); and
tantivy alone on docsearch's own documents (made beforehand, not timed), so that what is left between the two is what
docsearch spends in Python. Reported: medians of the rounds, documents per
second of wall-clock time, the CPU time of the process (all its threads) and,
for the rebuilds, of the thread that reads the store and makes the documents.

The store is ``--store`` (any docsearch store), else a synthetic one of
``--docs`` documents made once in ``--workdir`` by `search_bench.build_store`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))

from bench_report import machine, write_section  # noqa: E402

# Each job prints one JSON line: wall and CPU seconds of the work, and of the
# main thread; documents indexed.
_JOB = r"""
import json, resource, sys, time
from pathlib import Path

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

kind, store_dir, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from docsearch.store import Store
store = Store.open(store_dir)
if kind == "same":
    # docsearch's documents, made before the clock starts
    import tantivy
    from docsearch.search import tantivy_engine
    from docsearch.search.indexer import fingerprints, load_documents

    class Collect:
        def __init__(self):
            self.docs = []
        def add_document(self, doc):
            self.docs.append(doc)

    collect = Collect()
    maker = tantivy_engine.TantivyEngine(out, tantivy.Index(tantivy_engine._schema()), "g0", writer=collect)
    prints = fingerprints(store)
    for doc in load_documents(store, sorted(prints), prints):
        maker.add(doc)
    out.mkdir(parents=True)
    index = tantivy.Index(tantivy_engine._schema(), path=str(out))
    for name, analyzer in tantivy_engine._analyzers().items():
        index.register_tokenizer(name, analyzer)
    wall, c, main = time.perf_counter(), cpu(), time.thread_time()
    writer = index.writer(tantivy_engine.REBUILD_HEAP, 0)
    for doc in collect.docs:
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    n = len(collect.docs)
elif kind in ("raw", "raw-fold"):
    import tantivy
    from docsearch.search import tantivy_engine
    out.mkdir(parents=True)
    wall, c, main = time.perf_counter(), cpu(), time.thread_time()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("doc", stored=True, indexed=True)
    if kind == "raw":
        builder.add_text_field("body", stored=True)
        index = tantivy.Index(builder.build(), path=str(out))
    else:
        builder.add_text_field("body", stored=True, tokenizer_name="ds_fold")
        index = tantivy.Index(builder.build(), path=str(out))
        index.register_tokenizer("ds_fold", tantivy_engine._analyzers()["ds_fold"])
    writer = index.writer(256_000_000)
    n = 0
    for doc_id, text in store.texts():
        writer.add_document(tantivy.Document(doc=doc_id, body=text))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
elif kind == "raw-peer":
    # What a peer offering the same kinds of search would index, in plain
    # tantivy: the text folded and stored, the title folded, and a column
    # each for type, issuer, year and language (facets and filters).
    import tantivy
    from docsearch.search import tantivy_engine
    out.mkdir(parents=True)
    wall, c, main = time.perf_counter(), cpu(), time.thread_time()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("doc", stored=True, indexed=True, fast=True)
    builder.add_text_field("body", stored=True, tokenizer_name="ds_fold")
    builder.add_text_field("title", tokenizer_name="ds_fold")
    for name in ("type", "issuer", "lang"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    index = tantivy.Index(builder.build(), path=str(out))
    index.register_tokenizer("ds_fold", tantivy_engine._analyzers()["ds_fold"])
    writer = index.writer(256_000_000)
    n = 0
    loads = json.loads
    for doc_id, title, lang, text, self_json in store.conn.execute(
            "SELECT doc_id, title, lang, text, self_json FROM documents ORDER BY doc_id"):
        ident = loads(self_json) if self_json else {}
        d = tantivy.Document(doc=doc_id, body=text, title=title or ident.get("title") or "", lang=lang or "und",
                             type=ident.get("type") or "", issuer=ident.get("issuer") or "")
        d.add_integer("year", int(str(ident.get("date") or "0")[:4] or 0))
        writer.add_document(d)
        n += 1
    writer.commit()
    writer.wait_merging_threads()
else:
    from docsearch.search import reindex
    wall, c, main = time.perf_counter(), cpu(), time.thread_time()
    n = reindex(store, out).documents
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": cpu() - c, "main": time.thread_time() - main,
                  "docs": n}))
"""


def run_job(kind: str, src: Path, store: Path, out: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "docsearch-bench-pycache"))
    r = subprocess.run([sys.executable, "-c", _JOB, kind, str(store), str(out)], capture_output=True, text=True,
                       env=env)
    if r.returncode != 0:
        raise SystemExit(f"reindex_bench: the {kind} job failed:\n{r.stderr.strip()}")
    return dict(json.loads(r.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="a docsearch store (default: a synthetic one of --docs documents)")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", type=Path, help="the src folder of another version, measured in the same rounds")
    ap.add_argument("--against-name", help="what to call that version in the table (default: its path)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "docsearch-reindex-bench")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    store = args.store
    if store is None:
        sys.path.insert(0, str(SRC))
        import search_bench

        store = args.workdir / f"store-{args.docs}"
        search_bench.build_store(store, args.docs, 1)[0].close()
    load = os.getloadavg()[0]
    jobs: list[tuple[str, str, Path]] = [("this", "reindex", SRC)]
    if args.against is not None:
        jobs.append((f"with {args.against}", "reindex", args.against))
    jobs += [("raw", "raw", SRC), ("raw-fold", "raw-fold", SRC), ("raw-peer", "raw-peer", SRC),
             ("same", "same", SRC)]
    results: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in jobs}
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for n in range(args.rounds):
            for name, kind, src in jobs:
                out = Path(tmp) / f"{name.replace('/', '_')}-{n}"
                results[name].append(run_job(kind, src, store, out))
                print(f"round {n + 1} {name}: {results[name][-1]}", flush=True)
    end_load = os.getloadavg()[0]

    def med(name: str, field: str) -> float:
        return statistics.median(r[field] for r in results[name])

    docs = int(results["this"][0]["docs"])
    raw_rate = docs / med("raw", "wall")
    raw_cpu = med("raw", "cpu")

    def row(label: str, name: str) -> str:
        rate = docs / med(name, "wall")
        return (f"| {label} | {rate:,.0f} | {med(name, 'cpu'):.2f} s | {med(name, 'main'):.2f} s | "
                f"{rate / raw_rate:.0%} | "
                f"{raw_cpu / med(name, 'cpu'):.0%} |")

    lines = [
        f"Machine: {machine()}; load average {load:.1f} at the start and {end_load:.1f} at the end. Command: "
        "`python bench/reindex_bench.py" + (" --store STORE" if args.store else f" --docs {args.docs}")
        + (f" --against {'SRC' if args.against_name else args.against}" if args.against else "")
        + f"`; {docs:,} documents, medians of "
        f"{args.rounds} rounds, each job a fresh process, the jobs of a round one after the other.",
        "",
        "| job | documents/s (wall) | CPU, all threads | CPU, main thread | rate / raw tantivy | "
        "raw tantivy's CPU / this CPU |",
        "|---|---|---|---|---|---|",
        row("`reindex`", "this"),
    ]
    if args.against is not None:
        lines.append(row(f"`reindex` of {args.against_name or args.against}", f"with {args.against}"))
    lines += [row("raw tantivy, same texts", "raw"),
              row("raw tantivy, same texts, docsearch's folding analyzer", "raw-fold"),
              row("raw tantivy, a peer's fields (text folded and stored, title, type, issuer, year, language)",
                  "raw-peer"),
              row("tantivy alone, docsearch's documents made beforehand", "same")]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("reindex", "Rebuilding the full-text index", body)


if __name__ == "__main__":
    main()
