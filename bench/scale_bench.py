"""How every command's cost grows with the corpus, and the peers on the same work.

For each size (1,000, 10,000 and 100,000 documents by default) it builds
synthetic stores and measures, in one run:

- ingest: plain-text files from ``synthetic.py`` through ``docsearch ingest
  --jobs 2`` (documents/s, CPU of every process, peak memory); up to
  ``--ingest-max`` documents; median of 3 runs up to 10,000;
- reindex: the full-text index rebuilt from the store, taking turns with raw
  tantivy indexing the same texts into a one-field index; median of 3 up to
  10,000;
- search: the benchmark queries with snippets and facets, next to raw tantivy
  answering them on the same index (its own query parser over the folded
  fields, top 10 with the count, stored documents fetched, the same facet
  aggregation; no snippets, no reference or filter semantics);
- implements (a central document with a tenth of the corpus implementing it)
  and ``coverage --central`` on a graph store of ten relations per document,
  resolved once after it is generated; each run starts with nothing resolved
  in the process, as one command line call does;
- site build: first build, then again with nothing changed; up to
  ``--site-max`` documents (10,000 by default: a site of 100,000 documents is
  190,000 pages, minutes on its own).

Peers measured in the same run: Whoosh (index and queries, on ``--whoosh-docs``
documents), pdfminer.six and pypdfium2 (PDF text), eyecite and a plain ``re``
pass (citation finding). Results go into the "scale" section of docs/benchmarks.md.

``--million`` measures only search (``reindex`` beside raw tantivy, and the
queries) and the graph queries, at 1,000,000 generated documents (the graph
store: ten million relations), into a section of its own: the first run
makes the stores (6 GB and, once resolved, 14 GB in ``--workdir``) and
resolves the graph store once: about an hour, most of it that resolution.

    .venv/bin/python bench/scale_bench.py                # 1k, 10k, 100k
    .venv/bin/python bench/scale_bench.py --quick        # 1k only, fewer repetitions
    .venv/bin/python bench/scale_bench.py --million      # search and the graph at 1M, generated
    .venv/bin/python bench/scale_bench.py --sizes 1000,10000 --site-max 100000 --no-write

Generated corpora and stores are kept in ``--workdir`` and reused by later runs
(``bench/run.py`` gives every benchmark the same one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import graph_bench  # noqa: E402
import search_bench  # noqa: E402
import site_bench  # noqa: E402
from docsearch.graph import coverage_matrix, implements  # noqa: E402
from docsearch.graph.resolve import forget_resolved  # noqa: E402
from docsearch.graph.stored import is_current, settle  # noqa: E402
from docsearch.ingestion import ingest  # noqa: E402
from docsearch.refs import fold  # noqa: E402
from docsearch.search import FullTextIndex, reindex  # noqa: E402
from docsearch.search.indexer import fingerprints, load_documents  # noqa: E402
from docsearch.search.tantivy_engine import FACET_FIELDS, TantivyEngine  # noqa: E402
from docsearch.site import build_site  # noqa: E402
from docsearch.store import Store  # noqa: E402
from synthetic import Generator  # noqa: E402

from bench_report import machine, write_section  # noqa: E402

QUERIES = [q for kind in ("terms", "phrases", "filtered") for q, _ in search_bench.KINDS[kind]]


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _best(fn: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs (``before``
    called ahead of each run, outside the timing)."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        t, c = time.perf_counter(), _cpu()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
    return min(walls), min(cpus)


def _median(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall-clock and median CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
    return statistics.median(walls), statistics.median(cpus), result


def _pct(samples: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def _latency(run: Callable[[str], object], passes: int) -> tuple[float, float]:
    """p50 / p95 CPU milliseconds over the queries, from the pass with the lowest p95."""
    for q in QUERIES:
        run(q)
    best = (float("inf"), float("inf"))
    for _ in range(passes):
        cpu = []
        for q in QUERIES:
            c = time.process_time()
            run(q)
            cpu.append(time.process_time() - c)
        p = _pct(cpu)
        if p[1] < best[1]:
            best = p
    return best


def _marker_ok(folder: Path, key: str) -> bool:
    marker = folder / "complete"
    return marker.exists() and marker.read_text() == key


def _mark(folder: Path, key: str) -> None:
    (folder / "complete").write_text(key)


# --- graph ------------------------------------------------------------------------------------

def graph_scale(n: int, work: Path, repeat: int) -> dict[str, Any]:
    folder = work / f"graph-{n}"
    key = f"{n} {n * 10} {n // 10}"
    if not _marker_ok(folder, key):
        shutil.rmtree(folder, ignore_errors=True)
        with Store.open(folder) as store:
            graph_bench.generate(store, n, n * 10, n // 10, text_chars=1000)
        _mark(folder, key)
    with Store.open(folder) as store:
        if not is_current(store):
            # Generated straight into the tables, never resolved (an ingest
            # resolves each batch it commits): resolved once here, so that the
            # queries read the stored resolution as they do after an ingest.
            t, c = time.perf_counter(), _cpu()
            with store.bulk_writes():
                settle(store)
            print(f"  graph resolved in full once: {time.perf_counter() - t:.1f} s ({_cpu() - c:.1f} s CPU)",
                  flush=True)
        found = len(implements(store, graph_bench.TARGET).implementers)
        # Cold: nothing resolved in this process before each run, as for one
        # command line call (a long-running server keeps what it resolved, and
        # a repeated query would then measure only that cache).
        impl = _best(lambda: implements(store, graph_bench.TARGET), repeat, before=forget_resolved)
        cov = _best(lambda: coverage_matrix(store), repeat, before=forget_resolved)
    return {"implementers": found, "implements": impl, "coverage": cov}


# --- site -------------------------------------------------------------------------------------

def site_scale(n: int, work: Path) -> dict[str, Any]:
    folder = work / f"site-{n}"
    if not _marker_ok(folder, str(n)):
        shutil.rmtree(folder, ignore_errors=True)
        with Store.open(folder) as store:
            site_bench.generate(store, n)
        _mark(folder, str(n))
    out = work / f"site-out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    with Store.open(folder) as store:
        c = _cpu()
        first = build_site(store, out, jobs=2)
        cpu = _cpu() - c
        again = build_site(store, out, jobs=2)
    shutil.rmtree(out, ignore_errors=True)
    return {"pages": first.pages, "first_s": first.seconds, "first_cpu": cpu, "again_s": again.seconds,
            "written_again": again.written}


# --- full-text search ----------------------------------------------------------------------------

def _raw_tantivy_build(store: Store, folder: Path) -> float:
    """Raw tantivy indexing the same texts read from the store (one stored
    text field, its default tokenizer, one writer as ours); seconds."""
    import tantivy

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("doc", stored=True, indexed=True)
    builder.add_text_field("body", stored=True)
    index = tantivy.Index(builder.build(), path=str(folder))
    started = time.perf_counter()
    writer = index.writer(256_000_000)
    for doc_id, text in store.texts():
        writer.add_document(tantivy.Document(doc=doc_id, body=text))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


class _Collect:
    """Stands in for tantivy's writer: keeps the documents docsearch makes."""

    def __init__(self) -> None:
        self.docs: list[Any] = []

    def add_document(self, doc: Any) -> None:
        self.docs.append(doc)


def _same_schema_build(store: Store, folder: Path) -> float:
    """Tantivy alone on docsearch's own work: the documents ``reindex`` would
    add, made beforehand (not timed), added with docsearch's schema, analyzers
    and writer settings and committed; seconds. The gap to ``reindex`` is what
    docsearch spends reading the store and making the documents."""
    import tantivy

    from docsearch.search import tantivy_engine

    collect = _Collect()
    engine = TantivyEngine(folder, tantivy.Index(tantivy_engine._schema()), "g0",
                           writer=collect)  # type: ignore[arg-type]
    prints = fingerprints(store)
    for doc in load_documents(store, sorted(prints), prints):
        engine.add(doc)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    index = tantivy.Index(tantivy_engine._schema(), path=str(folder))
    for name, analyzer in tantivy_engine._analyzers().items():
        index.register_tokenizer(name, analyzer)
    started = time.perf_counter()
    writer = index.writer(tantivy_engine.REBUILD_HEAP, 0)
    for doc in collect.docs:
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def search_scale(n: int, work: Path, passes: int, repeat: int) -> dict[str, Any]:
    store, _ = search_bench.build_store(work / f"search-{n}", n, 1)
    index_dir = work / f"search-index-{n}"
    try:
        # A rebuild and raw tantivy take turns, so that a change in the
        # machine's load falls on both.
        ours_w, ours_c, raw_w, raw_c = [], [], [], []
        for _ in range(repeat):
            shutil.rmtree(index_dir, ignore_errors=True)
            t, c = time.perf_counter(), _cpu()
            reindex(store, index_dir)
            ours_w.append(time.perf_counter() - t)
            ours_c.append(_cpu() - c)
            t, c = time.perf_counter(), _cpu()
            _raw_tantivy_build(store, work / f"raw-tantivy-{n}")
            raw_w.append(time.perf_counter() - t)
            raw_c.append(_cpu() - c)
            shutil.rmtree(work / f"raw-tantivy-{n}", ignore_errors=True)
        reindex_s, raw_s = statistics.median(ours_w), statistics.median(raw_w)
        # Held in memory beforehand, so only up to 10,000 documents.
        same_s = _same_schema_build(store, work / f"same-tantivy-{n}") if n <= 10_000 else None
        shutil.rmtree(work / f"same-tantivy-{n}", ignore_errors=True)
        with FullTextIndex(index_dir) as fx:
            ours = _latency(lambda q: fx.search(q, limit=10), passes)
        engine = TantivyEngine.open_reader(index_dir)
        searcher = engine.index.searcher()

        spec = {name: {"terms": {"field": field, "size": 50 if name == "issuer" else 200}}
                for name, field in FACET_FIELDS.items()}

        def raw(q: str) -> int:
            # Filters are left to the query parser as words: raw tantivy
            # knows nothing of type:, year: or references.
            parsed, _ = engine.index.parse_query_lenient(fold(q), ["body_fold", "body_en", "body_de", "title_fold"])
            hits = searcher.search(parsed, 10, count=True).hits
            for _, address in hits:
                searcher.doc(address)
            searcher.aggregate(parsed, spec)
            return len(hits)

        raw_lat = _latency(raw, passes)
        engine.close()
    finally:
        store.close()
        shutil.rmtree(index_dir, ignore_errors=True)
    return {"reindex_rate": n / reindex_s, "raw_rate": n / raw_s, "reindex_cpu": statistics.median(ours_c),
            "raw_cpu": statistics.median(raw_c), "same_rate": n / same_s if same_s else None, "repeat": repeat,
            "ours": ours, "raw": raw_lat}


# --- ingest ---------------------------------------------------------------------------------------

def _status_kib(pid: int, fields: tuple[str, ...]) -> dict[str, int]:
    """The given fields of /proc/<pid>/status, in KiB (empty once the process is gone)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                name, _, value = line.partition(":")
                if name in fields:
                    out[name] = int(value.split()[0])
    except (OSError, ValueError):
        return {}
    return out


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        here = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{here}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{here}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


class _AnonPeak:
    """The largest anonymous resident memory (RssAnon: the process's own
    heap, not the file pages it maps or reads, which are the OS's cache) of
    this process and of each process it starts, sampled every 0.1 s while
    the block runs; MB. ru_maxrss counts both kinds, and has no high-water
    mark of its own for the anonymous part."""

    def __init__(self) -> None:
        self.own = 0.0
        self.children = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="anon-peak", daemon=True)

    def __enter__(self) -> _AnonPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = os.getpid()
        while True:
            self.own = max(self.own, _status_kib(me, ("RssAnon",)).get("RssAnon", 0) / 1024)
            for kid in _descendants(me):
                self.children = max(self.children, _status_kib(kid, ("RssAnon",)).get("RssAnon", 0) / 1024)
            if self._stop.wait(0.1):
                return


def generated_files(files: Path, n: int, seed: int = 1) -> Path:
    """The folder ``files/docs`` of ``n`` texts from ``synthetic.py``'s
    ``seed``, written once and kept (marked complete)."""
    key = str(n) if seed == 1 else f"{n} seed {seed}"
    if not _marker_ok(files, key):
        shutil.rmtree(files, ignore_errors=True)
        for d in Generator(seed).documents(n):
            path = files / "docs" / d.path.lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(d.text, "utf-8")
        _mark(files, key)
    return files / "docs"


def ingest_scale(n: int, work: Path, repeat: int) -> dict[str, Any]:
    files = work / f"files-{n}"
    generated_files(files, n)
    size = sum(p.stat().st_size for p in (files / "docs").rglob("*") if p.is_file())

    def once() -> Any:
        with tempfile.TemporaryDirectory(prefix="scale-ingest-", dir=work) as tmp, \
                Store.open(Path(tmp) / "idx") as store:
            return ingest([files / "docs"], store, jobs=2)

    with _AnonPeak() as anon:
        wall, cpu, summary = _median(once, repeat)
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"docs": len(summary.added), "mb": size / 1e6, "wall": wall, "cpu": cpu, "peak_mb": peak / 1024,
            "anon_mb": anon.own, "worker_anon_mb": anon.children, "failed": len(summary.failed), "repeat": repeat}


# --- peers ------------------------------------------------------------------------------------------

def whoosh_peer(work: Path, n: int, passes: int) -> dict[str, Any] | None:
    try:
        import whoosh  # noqa: F401
    except ImportError:
        return None
    store, _ = search_bench.build_store(work / f"search-{n}", n, 1)
    try:
        ids = store.doc_ids()
        prints = fingerprints(store)
        ix, w_seconds = search_bench.whoosh_build(store, ids, prints, work / "whoosh")
        sub = work / "tantivy-subset"
        t_seconds = search_bench.tantivy_subset(store, ids, prints, sub)
        wrun = search_bench.whoosh_runner(ix)
        pairs = [p for kind in ("terms", "phrases", "filtered") for p in search_bench.KINDS[kind] if p[1]]
        w_cpu = []
        for _ in range(min(passes, 2)):
            for _, wq in pairs:
                c = time.process_time()
                wrun(str(wq))
                w_cpu.append(time.process_time() - c)
        with FullTextIndex(sub) as fx:
            ours = _latency(lambda q: fx.search(q, limit=10), passes)
    finally:
        store.close()
        shutil.rmtree(work / "whoosh", ignore_errors=True)
        shutil.rmtree(work / "tantivy-subset", ignore_errors=True)
    return {"docs": n, "whoosh_rate": n / w_seconds, "ours_rate": n / t_seconds, "whoosh": _pct(w_cpu), "ours": ours}


def pdf_peer() -> dict[str, Any]:
    import pypdfium2

    from docsearch.extract import extract_file

    pdfs = sorted((ROOT / "corpus").rglob("*.pdf"))
    pages = 0
    for p in pdfs:
        doc = pypdfium2.PdfDocument(str(p))
        pages += len(doc)
        doc.close()

    def ours() -> None:
        for p in pdfs:
            extract_file(p)

    def raw() -> None:
        for p in pdfs:
            doc = pypdfium2.PdfDocument(str(p))
            for page in doc:
                page.get_textpage().get_text_range()
            doc.close()

    out: dict[str, Any] = {"files": len(pdfs), "pages": pages, "docsearch": pages / _best(ours, 3)[1],
                           "pypdfium2": pages / _best(raw, 3)[1]}
    try:
        from pdfminer.high_level import extract_text as pdfminer_text
    except ImportError:
        return out
    out["pdfminer.six"] = pages / _best(lambda: [pdfminer_text(str(p)) for p in pdfs], 1)[1]
    return out


def citation_peer() -> dict[str, Any]:
    import re

    from docsearch.refs import tag

    texts = [d.text for d in Generator(7).documents(400)]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    number = re.compile(r"\b\d{1,4}\s*[-/]\s*[A-ZĐ]{1,5}(?:\s*[-/]\s*[A-ZĐ0-9]{1,6})+")
    out: dict[str, Any] = {"mb": mb,
                           "docsearch": mb / _best(lambda: [tag(t) for t in texts], 2)[1],
                           "re": mb / _best(lambda: [number.findall(t) for t in texts], 2)[1]}
    try:
        from eyecite import get_citations
    except ImportError:
        return out
    out["eyecite"] = mb / _best(lambda: [get_citations(t) for t in texts], 1)[1]
    return out


# --- report -------------------------------------------------------------------------------------------

def _s(wall_cpu: tuple[float, float]) -> str:
    wall, cpu = wall_cpu
    if wall < 0.1:  # a graph query on a small store: milliseconds, not "0.00 s"
        return f"{wall * 1000:.1f} ms ({cpu * 1000:.1f} ms CPU)"
    return f"{wall:.2f} s ({cpu:.2f} s CPU)"


def report(sizes: list[int], rows: dict[int, dict[str, Any]], peers: dict[str, Any], meta: dict[str, Any]) -> str:
    head = "| measure | " + " | ".join(f"{n:,} docs" for n in sizes) + " |"
    lines = [
        f"Run {meta['date']} on {machine()}; load average {meta['load_before']:.1f} before and "
        f"{meta['load_after']:.1f} after (the machine is shared, so wall-clock times include waiting for a core; "
        f"CPU times do not). Command: `{meta['command']}`, {meta['elapsed'] / 60:.1f} minutes in all.",
        "",
        head,
        "|---|" + "---|" * len(sizes),
    ]

    ran = {part for n in sizes for part in rows[n]}

    def row(label: str, fn: Callable[[dict[str, Any]], str], part: str) -> None:
        if part not in ran:  # a run of some parts only (--million) shows only those
            return
        cells = [fn(rows[n][part]) if part in rows[n] else "not run" for n in sizes]
        if set(cells) == {"not run"}:  # e.g. what is measured only up to 10,000 documents, in --million
            return
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("ingest, plain text, `--jobs 2`: documents/s (CPU s, peak memory; of it anonymous, ingesting process / "
        "a worker)",
        lambda r: f"{r['docs'] / r['wall']:,.0f} ({r['cpu']:.1f} s, {r['peak_mb']:.0f} MB; "
                  + (f"{r['anon_mb']:.0f} / {r['worker_anon_mb']:.0f} MB)" if "anon_mb" in r else "not measured)"),
        "ingest")
    row("`reindex`: documents/s (CPU s)", lambda r: f"{r['reindex_rate']:,.0f} ({r['reindex_cpu']:.1f} s)", "search")
    row("raw tantivy indexing the same texts: documents/s (CPU s)",
        lambda r: f"{r['raw_rate']:,.0f} ({r['raw_cpu']:.1f} s)", "search")
    row("reindex / raw tantivy", lambda r: f"{r['reindex_rate'] / r['raw_rate']:.0%}", "search")
    row("tantivy alone on docsearch's documents and schema (made beforehand): documents/s",
        lambda r: f"{r['same_rate']:,.0f}" if r.get("same_rate") else "not run", "search")
    row("reindex / tantivy alone on the same documents",
        lambda r: f"{r['reindex_rate'] / r['same_rate']:.0%}" if r.get("same_rate") else "not run", "search")
    row("search with snippets + facets, p50 / p95 CPU", lambda r: f"{r['ours'][0]:.1f} / {r['ours'][1]:.1f} ms",
        "search")
    row("raw tantivy, same queries and facets, no snippets: p50 / p95 CPU",
        lambda r: f"{r['raw'][0]:.1f} / {r['raw'][1]:.1f} ms", "search")
    row("p95 ratio to raw tantivy", lambda r: f"{r['ours'][1] / max(r['raw'][1], 1e-6):.1f}x", "search")
    row("`implements` (a tenth of the corpus implementing one document)",
        lambda r: f"{_s(r['implements'])}, {r['implementers']:,} found", "graph")
    row("`coverage --central`", lambda r: _s(r["coverage"]), "graph")
    row("`site build`, 2 processes: pages/s (pages)",
        lambda r: f"{r['pages'] / r['first_s']:,.0f} ({r['pages']:,}; {r['pages'] / r['first_cpu']:,.0f} per CPU-s)",
        "site")
    row("`site build` again, nothing changed", lambda r: f"{r['again_s']:.2f} s ({r['first_s'] / r['again_s']:.0f}x faster)",
        "site")
    notes = []
    if ran & {"ingest", "search"}:
        notes.append(f"Ingest and `reindex` (with raw tantivy taking turns with it): medians of {meta['repeat']} "
                     "runs below 10,000 documents, one run from 10,000; CPU time counts every process and thread "
                     "of the run.")
    if "ingest" in ran:
        notes.append("Each size's ingest runs in a process of its own, so that its peak memory is the "
                     "ingest's alone: the largest ru_maxrss of that process and of its worker processes "
                     "(resident memory, file pages included); the anonymous peaks (RssAnon, the processes' own "
                     "memory without the file pages the OS caches) are sampled every 0.1 s during the ingest.")
    if "site" in ran:
        notes.append("`site build` stops at `--site-max` documents.")
    if notes:
        lines += ["", " ".join(notes)]
    lines.append("")
    lines.append("Graph stores: ten relations per document, texts of 1,000 characters (`graph_bench.generate`); "
                 "site stores: `site_bench.generate`; search and ingest: `synthetic.py`. A graph store is resolved "
                 "once after it is generated, as an ingest resolves what it commits, and its queries read that "
                 "stored resolution; each run of a query starts with nothing resolved in the process (as one "
                 "command line call does), after a first run that warms the operating system's file cache; "
                 "best of several runs.")
    w = peers.get("whoosh")
    p = peers.get("pdf", {})
    c = peers.get("citations", {})
    if peers:
        lines += ["", "Peers, measured in the same run:", "", "| work | docsearch | peer | ratio |", "|---|---|---|---|"]
    if w:
        lines.append(f"| index {w['docs']:,} documents | {w['ours_rate']:,.0f} documents/s | Whoosh "
                     f"{w['whoosh_rate']:,.0f} documents/s | {w['ours_rate'] / w['whoosh_rate']:.0f}x |")
        lines.append(f"| queries on them, p50 / p95 CPU | {w['ours'][0]:.1f} / {w['ours'][1]:.1f} ms | Whoosh "
                     f"{w['whoosh'][0]:.0f} / {w['whoosh'][1]:.0f} ms | {w['whoosh'][1] / w['ours'][1]:.0f}x at p95 |")
    if p:
        lines.append(f"| PDF text, {p['files']} files, {p['pages']} pages (corpus/) | {p['docsearch']:,.0f} pages/s | "
                     f"pypdfium2 alone {p['pypdfium2']:,.0f} pages/s | {p['docsearch'] / p['pypdfium2']:.0%} |")
        if "pdfminer.six" in p:
            lines.append(f"| the same | {p['docsearch']:,.0f} pages/s | pdfminer.six {p['pdfminer.six']:,.1f} pages/s | "
                         f"{p['docsearch'] / p['pdfminer.six']:.0f}x |")
    if c:
        lines.append(f"| finding citations, {c['mb']:.1f} MB of synthetic text, one core | {c['docsearch']:.2f} MB/s "
                     f"(the whole tagger) | a plain `re` pass for numbers {c['re']:.0f} MB/s | "
                     f"{c['docsearch'] / c['re']:.0%} |")
        if "eyecite" in c:
            lines.append(f"| the same | {c['docsearch']:.2f} MB/s | eyecite {c['eyecite']:.2f} MB/s (US legal citations; "
                         f"it finds none here) | {c['docsearch'] / c['eyecite']:.1f}x |")
    return "\n".join(lines) + "\n"


def _peers(work: Path, whoosh_docs: int, passes: int) -> dict[str, Any]:
    return {"whoosh": whoosh_peer(work, whoosh_docs, passes), "pdf": pdf_peer(), "citations": citation_peer()}


def _peers_apart(work: Path, whoosh_docs: int, passes: int) -> dict[str, Any]:
    """:func:`_peers` in a process of its own. This one holds what the sizes
    measured before left behind, and a large heap makes the garbage
    collector's passes, and so a pure-Python peer, slower: pdfminer.six ran
    at 16 pages/s at the end of a full run against 44 in a fresh process,
    which made the ratio against it look 2.7 times better than it is. Both
    sides of each ratio are measured there."""
    return _apart("--peers-json", str(whoosh_docs), "--passes", str(passes), "--workdir", str(work))


def _ingest_apart(n: int, work: Path, repeat: int) -> dict[str, Any]:
    """:func:`ingest_scale` in a process of its own. In this one the peak
    memory of an ingest of 100,000 documents counted what the sizes measured
    before it had left (the searchers and stores of 1,000 and 10,000): 413
    MB in one run, 449 in another of nearly the same code, where the ingest
    alone peaked at 376-414 MB."""
    return _apart("--ingest-json", str(n), "--repeat", str(repeat), "--workdir", str(work))


def _apart(*options: str) -> dict[str, Any]:
    """What this script prints last (JSON) when run in a new process with ``options``."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), *options],
                         check=True, stdout=subprocess.PIPE, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--quick", action="store_true", help="1,000 documents only, fewer repetitions")
    ap.add_argument("--million", action="store_true",
                    help="search and the graph at 1,000,000 generated documents (about an hour the first "
                         "time, for the stores; minutes once they are kept), into a section of their own")
    # Ingest at 100,000 is minutes, but it is where a cost growing faster
    # than the corpus shows (the graph settle did): the default run has it.
    ap.add_argument("--ingest-max", type=int, default=100_000, help="largest corpus ingested from files")
    # A site of 100,000 documents is 190,000 pages: minutes on its own, so the
    # default run stops at 10,000 (--site-max 100000 for the whole row).
    ap.add_argument("--site-max", type=int, default=10_000, help="largest store built into a site")
    # Whoosh indexes tens of documents a second: 2,000 are enough for the ratio.
    ap.add_argument("--whoosh-docs", type=int, default=2_000)
    ap.add_argument("--workdir", type=Path,
                    default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-scale-bench")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    ap.add_argument("--parts", default="ingest,search,graph,site,peers",
                    help="comma-separated rows to measure: ingest, search (reindex and queries), graph, site, "
                         "peers (default: all; a partial run prints and leaves docs/benchmarks.md alone)")
    ap.add_argument("--peers-json", type=int, metavar="WHOOSH_DOCS", help=argparse.SUPPRESS)
    ap.add_argument("--passes", type=int, default=3, help=argparse.SUPPRESS)
    ap.add_argument("--ingest-json", type=int, metavar="DOCS", help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.ingest_json is not None:  # one size's ingest alone, in the process _ingest_apart starts
        print(json.dumps(ingest_scale(args.ingest_json, args.workdir, args.repeat)))
        return
    if args.peers_json is not None:  # the peers alone, in the process _peers_apart starts
        print(json.dumps(_peers(args.workdir, args.peers_json, args.passes)))
        return
    if args.million:
        if args.quick:
            ap.error("--million and --quick are two different runs")
        args.sizes, args.parts = "1000000", "search,graph"
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if not parts or parts - {"ingest", "search", "graph", "site", "peers"}:
        ap.error(f"--parts takes ingest, search, graph, site, peers (got {args.parts})")
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat, passes = (2, 2) if args.quick else (3, 3)
    whoosh_docs = min(args.whoosh_docs, max(sizes))
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    meta: dict[str, Any] = {"load_before": os.getloadavg()[0], "repeat": repeat,
                            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    rows: dict[int, dict[str, Any]] = {}
    for n in sizes:
        rows[n] = {}
        print(f"== {n:,} documents", flush=True)
        # Medians of three at 1,000 documents, where one run is seconds and noise
        # dominates; from 10,000 a run is a minute or more and averages itself,
        # so one run keeps `make bench` under 20 minutes.
        times = repeat if n < 10_000 else 1
        if n <= args.ingest_max and "ingest" in parts:
            rows[n]["ingest"] = _ingest_apart(n, work, times)
            print(f"  ingest {rows[n]['ingest']}", flush=True)
        if "search" in parts:
            rows[n]["search"] = search_scale(n, work, passes, times)
            print(f"  search {rows[n]['search']}", flush=True)
        if "graph" in parts:
            rows[n]["graph"] = graph_scale(n, work, repeat)
            print(f"  graph {rows[n]['graph']}", flush=True)
        if n <= args.site_max and "site" in parts:
            rows[n]["site"] = site_scale(n, work)
            print(f"  site {rows[n]['site']}", flush=True)
    peers: dict[str, Any] = {}
    if "peers" in parts:
        print("== peers", flush=True)
        peers = _peers_apart(work, whoosh_docs, passes)
        print(f"  {peers}", flush=True)
    meta["load_after"] = os.getloadavg()[0]
    meta["elapsed"] = time.perf_counter() - started
    meta["command"] = "python bench/scale_bench.py" + (" --quick" if args.quick else "") + (
        " --million" if args.million else
        f" --sizes {args.sizes}" if not args.quick and args.sizes != ap.get_default("sizes") else "")
    body = report(sizes, rows, peers, meta)
    print(body)
    if not args.no_write and args.million:
        write_section("scale-million", "Scaling: search and the graph at 1,000,000 documents, generated", body)
    elif not args.no_write and parts == {"ingest", "search", "graph", "site", "peers"}:
        if args.quick:  # the short run keeps its own section: the whole table stays as the last full run left it
            write_section("scale-quick", "Scaling: the short run (`--quick`, 1,000 documents)", body)
        else:
            write_section("scale", "Scaling with the corpus, and peers", body)


if __name__ == "__main__":
    main()
