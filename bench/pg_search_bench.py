"""Full-text search in PostgreSQL next to tantivy: index build and query latency
with snippets and facets, on the same synthetic documents.

    python bench/pg_search_bench.py                      # 10,000 documents, a private server
    python bench/pg_search_bench.py --docs 100000
    python bench/pg_search_bench.py --url postgresql://user@host/db --no-write
    python bench/pg_search_bench.py --compare-text-index   # RUM against GIN, alternating
    python bench/pg_search_bench.py --docs 100000 --keep   # leave the server running, print its URL
    python bench/pg_search_bench.py --docs 100000 --url URL --reuse --no-write   # time queries only

Without --url a private PostgreSQL server is started from the installed server
binaries (docsearch.pgcluster, as the tests do) and removed at the end. The
synthetic store (bench/synthetic.py) is shared with bench/search_bench.py in
--workdir. Both engines are filled from the store through the SearchEngine
interface (``reindex``) and asked the queries of bench/search_bench.py: top 10
with snippets and the facet counts of all matches. Results go into the
"pg-search" section of docs/benchmarks.md unless --no-write is given.

The folded words are indexed by RUM where the server has the extension, by
GIN elsewhere (``--text-index`` forces one). ``--compare-text-index`` also
builds the other one in a second database and times the queries on both,
pass by pass, alternating, so that both see the same load on a shared machine
(section "pg-search-text-index").

PostgreSQL's results are timed cold: the engine's cache of repeated searches
(docsearch.search.postgres_engine.result_cache) is off for every pass, and
the same queries are then timed once more with it on, warm, reported apart.
``--keep`` leaves the private server running (a rebuild of 100,000 documents
takes a quarter of an hour); ``--reuse`` with ``--url`` times the queries on
the index already in that database and the tantivy index already in
--workdir, without rebuilding either.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docsearch.search import FullTextIndex, reindex, sync  # noqa: E402
from search_bench import KINDS, Latency, _timed, build_store  # noqa: E402

from bench_report import machine, write_section  # noqa: E402


def _server(url: str | None) -> tuple[str, object | None]:
    """The database to use: ``url``, or a new one on a private server (returned to be removed)."""
    if url:
        return url, None
    from docsearch.pgcluster import LocalCluster

    cluster = LocalCluster.create().start()
    return cluster.create_database("bench"), cluster


def _database_mb(url: str) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_total_relation_size('fulltext') + pg_total_relation_size('fulltext_terms')"
                           ).fetchone()
    return float(row[0]) / 1e6 if row else 0.0


def _text_index(url: str) -> tuple[str, str]:
    """How the server indexed the folded words, and its shared_buffers."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT text_index FROM fulltext_schema").fetchone()
        buffers = conn.execute("SHOW shared_buffers").fetchone()
    return (str(row[0]) if row else "?"), (str(buffers[0]) if buffers else "?")


def _compare(store: object, url: str, cluster: object | None, chosen: str, passes: int) -> list[str]:
    """The queries on the index of ``url`` and on one with the other text index,
    alternating pass by pass; the lines of a table."""
    from docsearch.search.postgres_engine import TEXT_INDEX_ENV

    other = "gin" if chosen == "rum" else "rum"
    second = cluster.create_database("bench_other") if cluster is not None else None  # type: ignore[attr-defined]
    if second is None:
        raise SystemExit("--compare-text-index needs the private server (no --url)")
    os.environ[TEXT_INDEX_ENV] = other
    try:
        reindex(store, second)  # type: ignore[arg-type]
    finally:
        del os.environ[TEXT_INDEX_ENV]
    queries = [(kind, p[0]) for kind, pairs in KINDS.items() for p in pairs]
    lines = ["| pass | index | load | " + " | ".join(f"{k} p50 / p95" for k in (*KINDS, "all")) + " |",
             "|---" * (3 + len(KINDS) + 1) + "|"]
    with FullTextIndex(url) as a, FullTextIndex(second) as b:
        indexes = {chosen: a, other: b}
        for ix in indexes.values():  # warm-up
            for _, q in queries:
                ix.search(q, limit=10)
        for n in range(1, passes + 1):
            for name in (("gin", "rum") if n % 2 else ("rum", "gin")):
                times: dict[str, list[float]] = {}
                for kind, q in queries:
                    t = time.perf_counter()
                    indexes[name].search(q, limit=10)
                    ms = (time.perf_counter() - t) * 1000
                    times.setdefault(kind, []).append(ms)
                    times.setdefault("all", []).append(ms)
                cells = []
                for kind in (*KINDS, "all"):
                    ordered = sorted(times[kind])
                    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
                    cells.append(f"{statistics.median(ordered):.0f} / {p95:.0f} ms")
                lines.append(f"| {n} | {name.upper()} | {os.getloadavg()[0]:.1f} | " + " | ".join(cells) + " |")
                print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--url", help="an existing database to fill (its full-text index is rebuilt)")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-search-bench")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--text-index", choices=("auto", "rum", "gin"), default="auto",
                        help="how PostgreSQL indexes the folded words (auto: RUM where available)")
    parser.add_argument("--compare-text-index", action="store_true",
                        help="also time the queries on the other text index, alternating passes")
    parser.add_argument("--keep", action="store_true",
                        help="leave the private server running at the end and print the database's URL")
    parser.add_argument("--reuse", action="store_true",
                        help="with --url: time the queries on the indexes already built, rebuild nothing")
    args = parser.parse_args()
    if args.reuse and not args.url:
        parser.error("--reuse needs --url (the database holding the index to time)")
    from docsearch.search.postgres_engine import TEXT_INDEX_ENV, result_cache

    cache = result_cache()
    warm_entries = max(cache.entries, 256)
    cache.entries = 0  # cold: every search asks the database

    os.environ[TEXT_INDEX_ENV] = args.text_index
    load_before = os.getloadavg()[0]
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)

    print(f"store: {args.docs:,} synthetic documents", flush=True)
    store, _ = build_store(work / f"store-{args.docs}-s{args.seed}", args.docs, args.seed)
    stats = store.stats()
    url, cluster = _server(args.url)
    try:
        index_dir = work / f"pg-bench-tantivy-{args.docs}"
        built = synced = None
        if not args.reuse:
            shutil.rmtree(index_dir, ignore_errors=True)
            print("tantivy: rebuild", flush=True)
            built = {"tantivy": reindex(store, index_dir)}
            print("postgresql: rebuild", flush=True)
            built["postgresql"] = reindex(store, url)
        text_index, shared_buffers = _text_index(url)
        del os.environ[TEXT_INDEX_ENV]
        if not args.reuse:
            changed = [r[0] for r in store.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 100")]
            store.conn.execute(
                f"UPDATE documents SET sha256 = 'changed' || doc_id WHERE doc_id IN ({','.join(map(str, changed))})")
            store.conn.commit()
            synced = {"tantivy": sync(store, index_dir), "postgresql": sync(store, url)}
        sizes = {"tantivy": sum(f.stat().st_size for f in (index_dir / "fulltext").rglob("*") if f.is_file()) / 1e6,
                 "postgresql": _database_mb(url)}

        results: dict[str, dict[str, Latency]] = {"tantivy": {}, "postgresql": {}}
        firsts: dict[str, dict[str, set[int]]] = {}
        for engine, target in (("tantivy", index_dir), ("postgresql", url)):
            print(f"{engine}: queries", flush=True)
            with FullTextIndex(target) as ix:
                firsts[engine] = {p[0]: {h.doc for h in ix.search(p[0], limit=10, facets=False).hits}
                                  for pairs in KINDS.values() for p in pairs}
                for kind, pairs in KINDS.items():
                    queries = [p[0] for p in pairs]
                    results[engine][kind], _ = _timed(lambda q: len(ix.search(q, limit=10).hits), queries,
                                                      args.passes)
                everything = [p[0] for pairs in KINDS.values() for p in pairs]
                results[engine]["all"], _ = _timed(lambda q: len(ix.search(q, limit=10).hits), everything,
                                                   args.passes)
                if engine == "postgresql":
                    # The same queries again, each answered from the cache
                    # after the warm-up pass fills it.
                    cache.entries = warm_entries
                    warm, _ = _timed(lambda q: len(ix.search(q, limit=10).hits), everything, args.passes)
                    cache.entries = 0
                    cache.clear()
        compared = _compare(store, url, cluster, text_index, 2 * args.passes) if args.compare_text_index else []
        store.close()
    finally:
        if cluster is not None and args.keep:
            print(f"kept: {url}", flush=True)
        elif cluster is not None:
            cluster.remove()  # type: ignore[attr-defined]
    load_after = os.getloadavg()[0]

    command = "python bench/pg_search_bench.py" + (f" --docs {args.docs}" if args.docs != 10_000 else "") + (
        " --url URL --reuse" if args.reuse else "")
    counts = {kind: len(pairs) for kind, pairs in KINDS.items()}
    counts["all"] = sum(counts.values())
    lines = [
        f"Machine: {machine()}; load average {load_before:.1f} at the start and {load_after:.1f} at the end "
        "(the machine is shared; PostgreSQL runs on the same machine).",
        f"Command: `{command}` (wall-clock). Corpus: {stats['documents']:,} synthetic documents from "
        "`bench/synthetic.py`, indexed into both engines from the same store through `SearchEngine` "
        "(`reindex`). PostgreSQL: the private server of `docsearch.pgcluster` (Debian's binaries, "
        f"shared_buffers {shared_buffers}, fsync off) unless `--url` names another; the folded words indexed by "
        f"{text_index.upper()}.",
        "",
        "| | tantivy | PostgreSQL |",
        "|---|---|---|",
        *([] if built is None or synced is None else [
            "| rebuild from the store | " + " | ".join(
                f"{built[e].seconds:.1f} s, {built[e].documents / built[e].seconds:,.0f} documents/s"
                for e in ("tantivy", "postgresql")) + " |",
            "| sync after 100 changed documents | " + " | ".join(
                f"{synced[e].seconds:.2f} s" for e in ("tantivy", "postgresql")) + " |"]),
        "| size | " + " | ".join(f"{sizes[e]:.0f} MB" for e in ("tantivy", "postgresql")) + " |",
        "",
        f"Queries of `bench/search_bench.py`: top 10 with snippets and facet counts (type, issuer, year, "
        f"language, level) over all matches; p50 / p95 from the fastest of {args.passes} passes after a "
        "warm-up pass. PostgreSQL cold: its cache of repeated searches off, every search asks the database.",
        "",
        "| queries | count | tantivy p50 / p95 | PostgreSQL p50 / p95 | mean hits (PostgreSQL) |",
        "|---|---|---|---|---|",
    ]
    for kind in (*KINDS, "all"):
        t, p = results["tantivy"][kind], results["postgresql"][kind]
        lines.append(f"| {kind} | {counts[kind]} | {t.p50:.1f} / {t.p95:.1f} ms | {p.p50:.1f} / **{p.p95:.1f} ms** "
                     f"| {p.hits:.1f} |")
    lines.append(f"| all, PostgreSQL warm (repeated, from its cache) | {counts['all']} | | {warm.p50:.1f} / "
                 f"{warm.p95:.1f} ms | {warm.hits:.1f} |")
    shared = sum(len(firsts["tantivy"][q] & firsts["postgresql"][q]) for q in firsts["tantivy"])
    shown = sum(len(v) for v in firsts["tantivy"].values())
    p95 = results["postgresql"]["all"].p95
    lines += ["", f"PostgreSQL p95 over all queries: {p95:.0f} ms, against a target of 50 ms: "
              + ("met." if p95 <= 50 else f"not met on this machine at load average {load_after:.1f} (tantivy: "
                 f"{results['tantivy']['all'].p95:.0f} ms). What remains grows with the number of matches: the "
                 "row of every match is visited once (estimate, count and facets in one pass), "
                 + ("a phrase is found in RUM's index of word pairs, whose lists are long where the pairs are common, "
                    if text_index == "rum" else
                    "a phrase is checked on the word positions of every document holding all its words, ")
                 + "and the best 300 are scored exactly from their out-of-line tsvectors; see "
                 "docs/search.md#postgresql."),
              "", f"The first ten hits of the two engines have {shared / max(1, shown):.0%} of their documents in "
              "common over these queries. On judged real documents their nDCG@10 differs by less than 0.01 "
              "([search.md](search.md#postgresql)); the engines weigh how often a word occurs, text length "
              "and titles somewhat differently, and the synthetic texts are assembled from a small stock of "
              "sentences, so many documents score close together."]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section(f"pg-search-{args.docs}", f"Full-text search in PostgreSQL ({args.docs:,} documents)", body)
    if compared:
        text = "\n".join([
            f"Command: `{command} --compare-text-index` (wall-clock, {machine()}). The {counts['all']} queries "
            f"above on two databases of the same server holding the same {stats['documents']:,} documents, the "
            "folded words indexed by RUM in one and by GIN in the other, timed pass by pass, alternating (each "
            "figure from one pass; load average at the end of the pass).", "", *compared])
        print(text)
        if not args.no_write:
            write_section(f"pg-search-text-index-{args.docs}",
                          f"PostgreSQL search: RUM against GIN ({args.docs:,} documents)", text)


if __name__ == "__main__":
    main()
