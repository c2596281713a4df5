"""The PostgreSQL store beside the embedded one, in the same run.

Starts a private PostgreSQL server (docsearch.pgcluster) and measures:

1. ingest of synthetic plain-text documents into a folder and into the
   server (``--jobs 2``), documents/s of each;
2. two ingests at once into the server (two folders of the same texts, as
   two units would send them) while 50 client threads search it, counting
   errors and duplicates;
3. ``implements`` and ``coverage`` on the graph benchmark's store
   (``--graph-docs`` documents, 10 relations each, ``--implementers`` of
   one resolution), generated into a folder and copied into the server with
   ``docsearch migrate`` (a generated folder is resolved first, as an
   ingest would have; migrate then copies that resolution as it is), and
   copied back from the server into a new folder (``--no-back`` skips it).

With ``--per-commit`` each ingest also reports where its time went, commit
by commit: the store's writes (``Store.save_documents``), the graph's
``settle`` and the full-text index's update, in ms per document of the
commit, for the first and the last commits, and the end of the run's
full-text work (``LiveIndex.finish``: RUM built again on PostgreSQL after a
large run).

    python bench/pg_bench.py                         # 2,000 texts, 100,000-document graph
    python bench/pg_bench.py --docs 500 --graph-docs 10000 --json
    python bench/pg_bench.py --docs 10000 --graph-docs 0 --no-concurrent --per-commit
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docsearch import ingestion  # noqa: E402
from docsearch.graph import coverage, coverage_matrix, implements  # noqa: E402
from docsearch.graph.resolve import forget_resolved  # noqa: E402
from docsearch.graph.stored import settle  # noqa: E402
from docsearch.ingestion import ingest  # noqa: E402
from docsearch.migrate import copy_index  # noqa: E402
from docsearch.pgcluster import LocalCluster  # noqa: E402
from docsearch.search import FullTextIndex  # noqa: E402
from docsearch.search.indexer import LiveIndex  # noqa: E402
from docsearch.store import Store  # noqa: E402
from graph_bench import TARGET, generate  # noqa: E402
from synthetic import Generator  # noqa: E402

QUERIES = ("Nghị quyết 57", "chuyen doi so", "kinh tế tư nhân", "type:KH year:2025", "cites:57-NQ/TW",
           "Resolution 57", "Digitalisierung", "\"khoa học, công nghệ\"", "implements:57-NQ/TW", "đổi mới")


def _cpu() -> float:
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _write_texts(folder: Path, n: int) -> int:
    size = 0
    for d in Generator(1).documents(n):
        path = folder / d.path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(d.text, "utf-8")
        size += path.stat().st_size
    return size


#: What ``--per-commit`` times: (key, owner, attribute).
_TIMED: tuple[tuple[str, Any, str], ...] = (
    ("store", Store, "save_documents"), ("settle", ingestion, "settle_graph"),
    ("fulltext", LiveIndex, "update"), ("finish", LiveIndex, "finish"))


@contextmanager
def _per_commit(out: dict[str, Any]) -> Iterator[None]:
    """Time the store's writes, the graph's settle and the full-text update of
    every commit of an ingest in this process; ``out`` gets, per commit, the
    documents and the ms per document of each, and the seconds of the run's
    end (``LiveIndex.finish``)."""
    spent = {key: 0.0 for key, _, _ in _TIMED}
    seen = dict(spent)
    commits: list[dict[str, Any]] = []
    real: dict[str, Callable[..., Any]] = {key: getattr(owner, name) for key, owner, name in _TIMED}

    def timed(key: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return real[key](*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - t
                if key == "fulltext" and len(args) > 1:  # a batch's update ends its commit
                    docs = len(set(args[1]))
                    commits.append({"docs": docs, **{k: round(1000 * (spent[k] - seen[k]) / max(1, docs), 1)
                                                     for k in ("store", "settle", "fulltext")}})
                    seen.update(spent)
        return call

    for key, owner, name in _TIMED:
        setattr(owner, name, timed(key))
    try:
        yield
    finally:
        for key, owner, name in _TIMED:
            setattr(owner, name, real[key])
        big = [c for c in commits if c["docs"] > 1]
        out.update({"commits": len(big), "first_commits_ms_per_doc": big[:3], "last_commits_ms_per_doc": big[-3:],
                    "seconds": {k: round(v, 1) for k, v in spent.items()}})


def _ingest(index: str, folder: Path, per_commit: bool = False) -> dict[str, Any]:
    timings: dict[str, Any] = {}
    with Store.open(index) as store, (_per_commit(timings) if per_commit else _nothing()):
        load = os.getloadavg()[0]
        c, t = _cpu(), time.perf_counter()
        summary = ingest([folder], store, jobs=2)
        wall, cpu = time.perf_counter() - t, _cpu() - c
    out: dict[str, Any] = {"docs": len(summary.added), "failed": len(summary.failed), "wall_s": round(wall, 2),
           "cpu_s": round(cpu, 2), "docs_per_s": round(len(summary.added) / wall, 1),
           "fulltext_error": summary.fulltext_error,
           "load_average": [round(load, 1), round(os.getloadavg()[0], 1)]}
    if per_commit:
        out["per_commit"] = timings
    return out


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def concurrent_load(url: str, folder: Path, searches: int, clients: int) -> dict[str, Any]:
    """Two ingests of two copies of ``folder`` at once, and ``clients`` threads searching."""
    import multiprocessing
    import shutil

    copies = [folder.parent / f"unit-{k}" for k in (1, 2)]
    for c in copies:
        if not c.exists():
            shutil.copytree(folder, c)
    errors: list[str] = []
    latencies: list[float] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        index = FullTextIndex(url)
        try:
            n = 0
            while not stop.is_set() and n < searches:
                q = QUERIES[n % len(QUERIES)]
                t = time.perf_counter()
                try:
                    index.search(q, limit=10)
                except Exception as exc:  # noqa: BLE001 - counted, the point of the test
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                with lock:
                    latencies.append(time.perf_counter() - t)
                n += 1
        finally:
            index.close()

    ctx = multiprocessing.get_context("spawn")
    runs = [ctx.Process(target=_ingest_quiet, args=(url, str(c))) for c in copies]
    t = time.perf_counter()
    for p in runs:
        p.start()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for p in runs:
        p.join()
    stop.set()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    with Store.open(url) as store:
        docs = list(store.documents())
    latencies.sort()
    return {"ingests_exit": [p.exitcode for p in runs], "wall_s": round(wall, 1), "searches": len(latencies),
            "search_errors": len(errors), "first_error": errors[0] if errors else None,
            "search_p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
            "search_p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
            "documents": len(docs), "distinct_contents": len({d.sha256 for d in docs}),
            "copies": sum(len(d.copies) for d in docs)}


def _ingest_quiet(url: str, folder: str) -> None:
    with Store.open(url) as store:
        ingest([folder], store, jobs=1)


def _migrate(source: str, target: str) -> dict[str, Any]:
    c, t = _cpu(), time.perf_counter()
    report = copy_index(source, target, fulltext=False)  # graph queries read the store only
    return {"wall_s": round(time.perf_counter() - t, 1), "cpu_s": round(_cpu() - c, 1),
            "graph": report.graph, "graph_s": round(report.graph_seconds, 1), "documents": report.documents,
            "load_average": round(os.getloadavg()[0], 2)}


def graph(url: str, work: Path, n_docs: int, n_impl: int, repeat: int, back: bool, fresh: int) -> dict[str, Any]:
    folder = work / f"graph-{n_docs}"
    with Store.open(folder) as store:
        if store.count() == 0:
            generate(store, n_docs, n_docs * 10, n_impl)
        settle(store)  # what an ingest of these documents would have stored
    out: dict[str, Any] = {"docs": n_docs, "migrate": _migrate(str(folder), url)}
    print(f"migrate: {out['migrate']}", file=sys.stderr)
    if back:
        with tempfile.TemporaryDirectory(prefix="pg-bench-back-", dir=work) as tmp:
            out["migrate_back"] = _migrate(url, str(Path(tmp) / "index"))
        print(f"migrate back: {out['migrate_back']}", file=sys.stderr)
    for name, where in (("folder", str(folder)), ("postgresql", url)):
        with Store.open(where) as store:
            # The first call does the work; later ones on an unchanged store
            # may be answered from what the graph keeps per store state.
            forget_resolved()
            first, first_cpu = _best(lambda s=store: implements(s, TARGET), 1)
            cfirst, cfirst_cpu = _best(lambda s=store: coverage(s, TARGET), 1)
            found = implements(store, TARGET)
            wall, cpu = _best(lambda s=store: implements(s, TARGET), repeat)
            cwall, ccpu = _best(lambda s=store: coverage(s, TARGET), repeat)
            forget_resolved()  # the matrix as the first query of a process (`coverage --central`)
            mfirst, mfirst_cpu = _best(lambda s=store: coverage_matrix(s), 1)
            matrix = coverage_matrix(store)
        out[name] = {"implementers": len(found.implementers),
                     "matrix_columns": len(matrix.columns), "matrix_rows": len(matrix.rows),
                     "matrix_first_s": round(mfirst, 3), "matrix_first_cpu_s": round(mfirst_cpu, 3),
                     "implements_first_s": round(first, 3), "implements_first_cpu_s": round(first_cpu, 3),
                     "implements_again_s": round(wall, 3), "implements_again_cpu_s": round(cpu, 3),
                     "coverage_first_s": round(cfirst, 3), "coverage_first_cpu_s": round(cfirst_cpu, 3),
                     "coverage_again_s": round(cwall, 3), "coverage_again_cpu_s": round(ccpu, 3)}
        out[name]["implements_new_process"] = [_in_new_process(where) for _ in range(fresh)]
        print(f"{name}: {out[name]}", file=sys.stderr)
    return out


def _in_new_process(where: str) -> dict[str, Any]:
    """``implements`` as a command runs it: the first query of a new process."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_first_implements, where).result()


def _first_implements(where: str) -> dict[str, Any]:
    load = os.getloadavg()[0]
    c, t = time.process_time(), time.perf_counter()
    with Store.open_reader(where) as store:
        opened, opened_cpu = time.perf_counter() - t, time.process_time() - c
        c, t = time.process_time(), time.perf_counter()
        found = implements(store, TARGET)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {"implementers": len(found.implementers), "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "open_s": round(opened, 3), "open_cpu_s": round(opened_cpu, 3), "load_average": round(load, 2)}


def ingests(results: dict[str, Any], cluster: LocalCluster, texts: Path, args: argparse.Namespace) -> None:
    """Ingest into a folder and into the server, then the concurrent load."""
    with tempfile.TemporaryDirectory(prefix="pg-bench-folder-", dir=texts.parent.parent) as tmp:
        results["ingest_folder"] = _ingest(str(Path(tmp) / "index"), texts, args.per_commit)
    results["ingest_postgresql"] = _ingest(cluster.create_database("ingest"), texts, args.per_commit)
    folder_rate = results["ingest_folder"]["docs_per_s"]
    results["postgresql_vs_folder"] = round(results["ingest_postgresql"]["docs_per_s"] / folder_rate, 2)
    print(f"ingest: {results['ingest_folder']}, {results['ingest_postgresql']}", file=sys.stderr)
    if args.no_concurrent:
        return
    url = cluster.create_database("load")
    Store.open(url).close()
    _ingest_quiet(url, str(texts.parent / "docs"))  # the searches need something to find
    results["concurrent"] = concurrent_load(url, texts, args.searches, args.clients)
    print(f"concurrent: {results['concurrent']}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000, help="synthetic texts to ingest")
    ap.add_argument("--graph-docs", type=int, default=100_000)
    ap.add_argument("--implementers", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--searches", type=int, default=40, help="searches per client thread")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", help="folder for generated files (kept between runs)")
    ap.add_argument("--no-concurrent", action="store_true", help="measure the two ingests only, not the load")
    ap.add_argument("--fresh", type=int, default=3,
                    help="times to run the first implements in a new process, on each store")
    ap.add_argument("--no-back", action="store_true", help="do not copy the graph store back into a folder")
    ap.add_argument("--per-commit", action="store_true",
                    help="time the store writes, settle and full-text update of each commit of the ingests")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    work = Path(args.work or tempfile.mkdtemp(prefix="pg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores",
                               "load_average_before": round(os.getloadavg()[0], 2)}
    texts = work / f"texts-{args.docs}" / "docs"
    if args.docs and not texts.exists():
        results["mb"] = round(_write_texts(texts, args.docs) / 1e6, 1)
    with LocalCluster.create() as cluster:
        cluster.start()
        if args.docs:
            ingests(results, cluster, texts, args)
        if args.graph_docs:
            results["graph"] = graph(cluster.create_database("graph"), work, args.graph_docs,
                                     args.implementers, args.repeat, not args.no_back, args.fresh)
            print(f"graph: {results['graph']}", file=sys.stderr)
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, ensure_ascii=False, indent=2) if args.json else results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
