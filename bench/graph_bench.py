"""Benchmark of the cross-reference graph on a large synthetic store.

Generates a store of ``--docs`` documents and ``--edges`` relations straight
into SQLite (executemany; no extraction or tagging), in which one central
document (57-NQ/TW) has ``--implementers`` implementing documents, each with
a few implementers of its own. Then resolves the whole graph into the store
(what an ingest does batch by batch; timed once), times the upkeep of that
resolution when one text comes and goes, and times the graph queries, cold
(as a command line call: nothing resolved in the process yet) and warm (as
the web application while the store is unchanged: what earlier queries
resolved is kept). ``--in-python`` times the queries without the stored
resolution, as on a store not yet resolved:

    .venv/bin/python bench/graph_bench.py                   # 100k docs, 1M edges, 5,000-char texts
    .venv/bin/python bench/graph_bench.py --docs 20000 --edges 200000 --implementers 2000
    .venv/bin/python bench/graph_bench.py --index DIR --only implements  # some queries only

Prints one line per measurement (best and median of ``--repeat`` runs, cold and warm) and
the numbers as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from docsearch.graph import coverage, coverage_matrix, implements, render_implements, resolve, write_graph
from docsearch.graph.resolve import forget_resolved
from docsearch.graph.stored import is_current, settle
from docsearch.store import Store

TARGET = "57-NQ/TW"
TARGET_DATE = date(2024, 12, 22)
LOCAL_TYPES = ("KH", "CTr", "QĐ", "BC", "HD")
CENTRAL_TYPES = ("NQ", "CT", "KL", "QĐ")
OTHER_RELATIONS = ("cites", "cites", "cites", "implements", "based_on", "guides", "summarizes", "amends", "replaces")


#: The columns the generator fills (later schema versions add columns with defaults).
_DOC_COLUMNS = ("doc_id, path, sha256, size, mtime_ns, format, lang, title, encoding, text, page_starts, warnings,"
                " ingested_at, self_id, self_json")
_REF_COLUMNS = ('doc_id, ord, ref_id, start, "end", text, type, number, issuer_code, year, date, issuer, short_form,'
                ' relation, status, candidates, term')


def _identity(doc_id: str, kind: str, code: str, issuer: str, when: date, place: str) -> str:
    return json.dumps({"id": doc_id, "type": kind, "issuer": issuer, "issuer_code": code, "date": when.isoformat(),
                       "title": f"{kind} {doc_id}", "place": place}, ensure_ascii=False)


def generate(store: Store, n_docs: int, n_edges: int, n_impl: int, text_chars: int = 5000,
             seed: int = 7) -> dict[str, int]:
    """Fill an empty store; returns what was written."""
    rng = random.Random(seed)
    provinces = [f"Tỉnh {k:02d}" for k in range(1, 64)]
    districts = [(f"Huyện {k:03d}", provinces[k % 63]) for k in range(700)]
    ids: list[str] = []
    dates: list[date] = []
    local: list[int] = []
    counters: dict[str, int] = {}

    meta: list[tuple[str, str, str, str]] = []

    def add(doc_id: str, kind: str, code: str, issuer: str, when: date, place: str) -> None:
        ids.append(doc_id)
        dates.append(when)
        meta.append((kind, code, issuer, place))

    add(TARGET, "NQ", "TW", "Bộ Chính trị", TARGET_DATE, "Hà Nội")
    start = date(2015, 1, 1)
    for i in range(1, n_docs):
        r = rng.random()
        when = start + timedelta(days=rng.randrange(3900))
        if r < 0.05:
            kind, code = rng.choice(CENTRAL_TYPES), "TW"
            issuer, place = rng.choice(("Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương")), "Hà Nội"
        elif r < 0.35:
            kind, code = rng.choice(LOCAL_TYPES), "TU"
            place = rng.choice(provinces)
            issuer = f"Tỉnh ủy {place}"
        elif r < 0.85:
            kind, code = rng.choice(LOCAL_TYPES), "HU"
            district, place = rng.choice(districts)
            issuer = f"Huyện ủy {district}"
        else:
            kind, code = rng.choice(("KH", "QĐ")), "UBND"
            place = rng.choice(provinces)
            issuer = f"Ủy ban nhân dân tỉnh {place}"
        key = f"{kind}/{code}"
        if code != "TW" and counters.get(key, 0) > 100 and rng.random() < 0.03:
            # Numbering restarts: the same number in another province, another year.
            number = rng.randrange(1, counters[key])
        else:
            # Central numbers start above the target's so that it has no namesake.
            counters[key] = counters.get(key, 1000 if code == "TW" else 0) + 1
            number = counters[key]
        doc_id = f"{number:02d}/{kind}-{code}" if code == "UBND" else f"{number:02d}-{kind}/{code}"
        if code != "TW":
            local.append(i)
        add(doc_id, kind, code, issuer, when, place)
    implementers = rng.sample(local, n_impl)
    rels: list[tuple[Any, ...]] = []
    refs: list[tuple[Any, ...]] = []
    ords: dict[int, int] = {}

    def relate(asserting: int, source: int | None, target: int, kind: str, dated: bool) -> None:
        doc_id = asserting + 1
        target_date = dates[target].isoformat() if dated else None
        src = ids[asserting] if source is None else ids[source]
        evidence = f"thực hiện văn bản số {ids[target]} của cấp trên."
        rels.append((doc_id, src, ids[target], kind, evidence, 40, 40 + len(evidence), target_date))
        mentioned = [(target, target_date, kind)]
        if source is not None:
            mentioned.insert(0, (source, None, "cites"))  # the named source is a mention too
        for k, when, relation in mentioned:
            o = ords.get(doc_id, 0)
            ords[doc_id] = o + 1
            refs.append((doc_id, o, ids[k], 60, 60 + len(ids[k]), ids[k], meta[k][0], ids[k].split("-")[0].split("/")[0],
                         meta[k][1], dates[k].year if when else None, when, None, 0, relation, "resolved", "[]", None))

    for i in implementers:
        dates[i] = TARGET_DATE + timedelta(days=rng.randrange(10, 400))
        relate(i, None, 0, rng.choice(("implements", "implements", "based_on", "guides", "summarizes")),
               rng.random() < 0.5)
        # A news text or a report also says so, about a third of the time.
        if rng.random() < 0.3:
            relate(rng.choice(local), i, 0, "implements", False)
    for i in implementers:
        for _ in range(2):
            child = rng.choice(local)
            if child != i:
                relate(child, None, i, "implements", rng.random() < 0.7)
    while len(rels) < n_edges:
        a = rng.randrange(1, len(ids))
        b = rng.randrange(1, len(ids))
        if a != b and ids[a] != ids[b]:
            relate(a, None, b, rng.choice(OTHER_RELATIONS), rng.random() < 0.5)
    # Documents are written last: the implementers' dates were set above.
    docs = []
    for k, (doc_id, when, (kind, code, issuer, place)) in enumerate(zip(ids, dates, meta, strict=True)):
        text = f"{issuer}. Số {doc_id}. {place}, ngày {when:%d/%m/%Y}. "
        text += "Nội dung văn bản. " * max(1, (text_chars - len(text)) // 18)
        # Stored as an ingest stores them: a thousand documents a second at most.
        now = f"2025-01-01T{k // 3_600_000:02d}:{k // 60_000 % 60:02d}:{k // 1000 % 60:02d}+00:00"
        docs.append((k + 1, f"/bench/{k + 1:06d}.txt", f"{k + 1:064x}", len(text), 0, "txt", "vi", None, "utf-8",
                     text, "[0]", "[]", now, doc_id, _identity(doc_id, kind, code, issuer, when, place)))
    # A page cache that holds the indexes being filled (Store.bulk_writes):
    # with SQLite's 2 MB, ten million relations slowed to a crawl as their
    # indexes outgrew it and every insert read its pages again.
    with store.bulk_writes(), store.transaction():
        store.conn.executemany(f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({','.join('?' * 15)})", docs)
        store.conn.executemany("INSERT INTO relations VALUES (?,?,?,?,?,?,?,?)", rels)
        store.conn.executemany(f"INSERT INTO refs ({_REF_COLUMNS}) VALUES ({','.join('?' * 17)})", refs)
    store.conn.execute("ANALYZE")
    return {"documents": len(docs), "relations": len(rels), "refs": len(refs), "implementers": n_impl}


def _time(fn: Callable[[], Any], repeat: int, cold: bool = True) -> tuple[float, float, float, Any]:
    """Best and median wall-clock seconds, median CPU seconds, and the last result.

    ``cold``: each run starts as in a fresh process, with nothing resolved
    (what one command line call costs); otherwise runs after the first find
    what earlier ones resolved, as in a long-running process (the web
    application) while the store is unchanged. The machine is shared: CPU
    time of this (single-threaded) process shows the cost of a query when
    other jobs take the cores."""
    runs, cpu = [], []
    out = None
    for _ in range(repeat):
        if cold:
            forget_resolved()
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(runs), statistics.median(runs), statistics.median(cpu), out


def _upkeep(store: Store, repeat: int) -> dict[str, float]:
    """What keeping the stored resolution costs when one text arrives that
    implements 57-NQ/TW (and cites it with a date), and when it goes again:
    median wall-clock and CPU seconds of :func:`settle` after each."""
    added_wall, added_cpu, gone_wall, gone_cpu = [], [], [], []
    for _ in range(repeat):
        doc_id = int(store.conn.execute("SELECT max(doc_id) FROM documents").fetchone()[0]) + 1
        number = f"{9000 + doc_id % 1000}-KH/TU"
        text = f"Tỉnh ủy Tỉnh 01. Số {number}. Tỉnh 01, ngày 01/03/2025. Thực hiện Nghị quyết số {TARGET}."
        with store.transaction():
            store.conn.execute(f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({','.join('?' * 15)})", (
                doc_id, f"/bench/new-{doc_id}.txt", f"{doc_id:064x}", len(text), 0, "txt", "vi", None, "utf-8", text,
                "[0]", "[]", "2025-03-01T00:00:00+00:00", number,
                _identity(number, "KH", "TU", "Tỉnh ủy Tỉnh 01", date(2025, 3, 1), "Tỉnh 01")))
            store.conn.execute("INSERT INTO relations VALUES (?,?,?,?,?,?,?,?)", (
                doc_id, number, TARGET, "implements", f"Thực hiện Nghị quyết số {TARGET}.", 60, 95,
                TARGET_DATE.isoformat()))
            store.conn.execute(f"INSERT INTO refs ({_REF_COLUMNS}) VALUES ({','.join('?' * 17)})", (
                doc_id, 0, TARGET, 80, 88, TARGET, "NQ", "57", "TW", 2024, TARGET_DATE.isoformat(), None, 0,
                "implements", "resolved", "[]", None))
        t, c = time.perf_counter(), time.process_time()
        settle(store)
        added_wall.append(time.perf_counter() - t)
        added_cpu.append(time.process_time() - c)
        with store.transaction():
            store.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        t, c = time.perf_counter(), time.process_time()
        settle(store)
        gone_wall.append(time.perf_counter() - t)
        gone_cpu.append(time.process_time() - c)
    return {"added_s": round(statistics.median(added_wall), 3), "added_cpu_s": round(statistics.median(added_cpu), 3),
            "removed_s": round(statistics.median(gone_wall), 3), "removed_cpu_s": round(statistics.median(gone_cpu), 3)}


def _document_page(folder: str, repeat: int, cold: bool) -> dict[str, float]:
    """GET /documents/57-NQ/TW from a new live application on the store (so
    no rendered page is kept from an earlier run), in this process through
    the test client, after one request to its home page (the server is up,
    its templates loaded). Cold runs also start with nothing resolved: the
    first view after the server starts; warm runs find what earlier pages
    resolved. Median wall-clock and CPU seconds of the request."""
    from starlette.testclient import TestClient

    from docsearch.web.app import create_app
    from docsearch.web.config import WebConfig

    walls, cpus = [], []
    size = 0
    for _ in range(repeat):
        if cold:
            forget_resolved()
        with TestClient(create_app(WebConfig(index_dir=folder))) as client:
            client.get("/")
            t, c = time.perf_counter(), time.process_time()
            r = client.get("/documents/" + TARGET)
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
            if r.status_code != 200:
                raise RuntimeError(f"document page: status {r.status_code}")
            size = len(r.content)
    return {"median_s": round(statistics.median(walls), 3), "best_s": round(min(walls), 3),
            "cpu_s": round(statistics.median(cpus), 3), "bytes": size}


#: Each query as the only one of a new process (a command line call): the
#: process prints the CPU and wall-clock seconds of the call alone.
_FRESH = """
import json, sys, time
from docsearch.graph import coverage, coverage_matrix, implements
from docsearch.store import Store
store = Store.open(sys.argv[1])
calls = {"implements": lambda: implements(store, sys.argv[2]),
         "coverage --central": lambda: coverage_matrix(store)}
t, c = time.perf_counter(), time.process_time()
calls[sys.argv[3]]()
print(json.dumps([time.perf_counter() - t, time.process_time() - c]))
"""


def _fresh_process(folder: str, name: str, repeat: int) -> dict[str, float]:
    """Best and median wall-clock, median CPU seconds of ``name`` run as the
    first query of a new Python process (imports not counted: they are the
    same for every command)."""
    import subprocess

    walls, cpus = [], []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _FRESH, folder, TARGET, name], check=True,
                             capture_output=True, text=True).stdout
        wall, cpu = json.loads(out)
        walls.append(wall)
        cpus.append(cpu)
    return {"best_s": round(min(walls), 3), "median_s": round(statistics.median(walls), 3),
            "cpu_s": round(statistics.median(cpus), 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--implementers", type=int, default=10_000)
    ap.add_argument("--text-chars", type=int, default=5000,
                    help="length of each document's text (real ones run to 5,000-100,000 characters)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--index", help="folder for the store (default: a temporary folder, deleted after)")
    ap.add_argument("--export", action="store_true", help="also time a full CSV export of the graph")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--no-web", action="store_true", help="skip the live application's document page")
    ap.add_argument("--page-only", action="store_true",
                    help="time only the live application's document page (and the upkeep)")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help="time only the queries whose name starts with NAME (repeatable: 'implements',"
                         " 'coverage'); the live application's page is left out unless named ('document page')")
    ap.add_argument("--in-python", action="store_true",
                    help="time the queries resolving in Python, without the stored resolution")
    args = ap.parse_args(argv)
    resolve.USE_STORED = not args.in_python

    tmp = None
    folder = args.index
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="graph-bench-")
        folder = tmp.name
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores", "python": sys.version.split()[0],
                               "load_average_before": round(os.getloadavg()[0], 2)}
    store = Store.open(folder)
    try:
        if store.count() == 0:
            t = time.perf_counter()
            results["generated"] = generate(store, args.docs, args.edges, args.implementers, args.text_chars)
            results["generate_s"] = round(time.perf_counter() - t, 1)
        store.close()
        store = Store.open(folder)
        if not is_current(store):
            # A generated store was never resolved (an ingest resolves each batch it commits).
            t, c = time.perf_counter(), time.process_time()
            settle(store)
            results["resolve_all"] = {"wall_s": round(time.perf_counter() - t, 1),
                                      "cpu_s": round(time.process_time() - c, 1)}
            print(f"{'resolve all (once)':<32} {results['resolve_all']}", file=sys.stderr)
        results["upkeep"] = _upkeep(store, args.repeat)
        print(f"{'upkeep: one text in, out':<32} {results['upkeep']}", file=sys.stderr)
        results["stored_resolution"] = not args.in_python

        if args.page_only:
            _page_row(results, folder, args.repeat)
            return _finish(results, args.json)

        def wanted(name: str) -> bool:
            return not args.only or any(name.startswith(o) for o in args.only)

        def measure(name: str, fn: Callable[[], Any]) -> Any:
            if not wanted(name):
                return None
            best, median, cpu, out = _time(fn, args.repeat)
            forget_resolved()
            fn()  # what the warm runs find resolved
            _, warm, warm_cpu, _ = _time(fn, args.repeat, cold=False)
            results[name] = {"best_s": round(best, 3), "median_s": round(median, 3), "cpu_s": round(cpu, 3),
                             "warm_median_s": round(warm, 3), "warm_cpu_s": round(warm_cpu, 3)}
            print(f"{name:<32} cold: best {best:7.3f} s  median {median:7.3f} s  cpu {cpu:7.3f} s   "
                  f"warm: median {warm:7.3f} s  cpu {warm_cpu:7.3f} s", file=sys.stderr)
            return out

        one = measure("implements depth 1", lambda: implements(store, TARGET))
        if one is not None:
            results["implementers_found"] = len(one.implementers)
        measure("implements depth 1 + JSON", lambda: render_implements(implements(store, TARGET), "json"))
        measure("implements 'Resolution 57'", lambda: implements(store, "Resolution 57"))
        two = measure("implements depth 2", lambda: implements(store, TARGET, depth=2))
        if two is not None:
            results["depth2_documents"] = len(two.nodes())
        cov = measure("coverage by issuer", lambda: coverage(store, TARGET))
        if cov is not None:
            results["coverage_committees"] = len(cov.covered)
            results["coverage_missing"] = len(cov.missing)
        matrix = measure("coverage --central (matrix)", lambda: coverage_matrix(store))
        if matrix is not None:
            results["matrix_columns"] = len(matrix.columns)
            results["matrix_rows"] = len(matrix.rows)
        for name in ("implements", "coverage --central"):
            if not wanted(f"{name}, fresh process"):
                continue
            results[f"{name}, fresh process"] = found = _fresh_process(folder, name, args.repeat)
            print(f"{name + ', fresh process':<32} best {found['best_s']:7.3f} s  median {found['median_s']:7.3f} s"
                  f"  cpu {found['cpu_s']:7.3f} s", file=sys.stderr)
        if not args.no_web and (not args.only or wanted("document page")):
            _page_row(results, folder, args.repeat)
        if args.export:
            buf_size = {}

            def export() -> None:
                buf = io.StringIO()
                write_graph(store, buf, "csv")
                buf_size["chars"] = len(buf.getvalue())

            best, _, _, _ = _time(export, 1)
            results["export csv (edges)"] = {"best_s": round(best, 1), "chars": buf_size["chars"]}
            print(f"{'export csv (edges)':<32} {best:7.1f} s", file=sys.stderr)
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
    return _finish(results, args.json)


def _page_row(results: dict[str, Any], folder: str, repeat: int) -> None:
    cold = _document_page(folder, repeat, cold=True)
    warm = _document_page(folder, repeat, cold=False)
    results["document page (live app)"] = {**cold, "warm_median_s": warm["median_s"], "warm_cpu_s": warm["cpu_s"]}
    print(f"{'document page (live app)':<32} cold: best {cold['best_s']:7.3f} s  median {cold['median_s']:7.3f} s"
          f"  cpu {cold['cpu_s']:7.3f} s   warm: median {warm['median_s']:7.3f} s  cpu {warm['cpu_s']:7.3f} s"
          f"   {cold['bytes']:,} bytes", file=sys.stderr)


def _finish(results: dict[str, Any], as_json: bool) -> int:
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for k, v in results.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
