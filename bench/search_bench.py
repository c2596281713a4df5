"""Full-text search speed: index build from a store, query latency with snippets and
facets, incremental sync, and the same queries against Whoosh.

    python bench/search_bench.py                                 # 100,000 documents; Whoosh on 10,000
    python bench/search_bench.py --docs 20000 --whoosh-docs 5000 --no-write

The synthetic store (bench/synthetic.py) is kept in --workdir and reused by
later runs with the same --docs and --seed. Results go into the "search"
section of docs/benchmarks.md unless --no-write is given.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docsearch.search import FullTextIndex, reindex, sync  # noqa: E402
from docsearch.search.indexer import fingerprints, load_documents  # noqa: E402
from docsearch.search.tantivy_engine import TantivyEngine  # noqa: E402
from docsearch.store import DocumentRecord, Store  # noqa: E402
from synthetic import Generator  # noqa: E402

from bench_report import machine, write_section  # noqa: E402

# (our query, the same in Whoosh's syntax or None when Whoosh has no equivalent)
TERM: tuple[tuple[str, str | None], ...] = tuple((q, q) for q in (
    "chuyển đổi số", "kinh tế tư nhân", "Đảng", "dang", "cán bộ", "hạ tầng số", "doanh nghiệp", "Quảng Ninh",
    "biên chế", "pháp luật", "đất đai", "đại hội", "dữ liệu cá nhân", "tinh gian bien che", "thu tuc hanh chinh",
    "khởi nghiệp", "Hồ Chí Minh", "xuất khẩu", "an ninh mạng", "nhân lực", "digital economy", "innovation centre",
    "enterprises", "leadership", "land valuation", "Privatwirtschaft", "Industrieparks", "Parteitage",
    "Bodennutzungsplanung", "nghị quyết chuyên đề",
))
PHRASE: tuple[tuple[str, str | None], ...] = tuple((q, q) for q in (
    '"chuyển đổi số"', '"kinh tế tư nhân"', '"sắp xếp, tinh gọn tổ chức bộ máy"', '"đại hội điểm ở cấp cơ sở"',
    '"chuẩn mực đạo đức cách mạng"', '"thủ tục hành chính"', '"trung tâm dữ liệu"', '"tinh gian bien che"',
    '"thu hoi dat"', '"dich vu cong truc tuyen"', '"digital transformation"', '"small and medium enterprises"',
    '"the two-tier local government model"', '"die digitale Wirtschaft"', '"Straffung des Apparats"',
    '"hội nhập kinh tế quốc tế"', '"công nghiệp hỗ trợ"', '"mối quan hệ giữa cấp ủy và chính quyền"',
    '"phổ biến, giáo dục pháp luật"', '"nêu gương của người đứng đầu"',
))
FILTERED: tuple[tuple[str, str | None], ...] = (
    ("chuyển đổi số type:CTr", "chuyển đổi số type:CTr"),
    ("kinh tế tư nhân year:2025", "kinh tế tư nhân year:2025"),
    ('doanh nghiệp issuer:"Quảng Ninh"', 'doanh nghiệp issuer:"Quảng Ninh"'),
    ("digital lang:en", "digital lang:en"),
    ("đại hội level:district", "đại hội level:district"),
    ("pháp luật date:>=2025-06-01", "pháp luật ymd:[20250601 TO]"),
    ("cán bộ type:KH year:2025..2026", "cán bộ type:KH year:[2025 TO 2026]"),
    ("cites:57-NQ/TW level:provincial", "cites:57-NQ/TW level:provincial"),
    ('"chuyển đổi số" issuer:"Nghệ An" type:CTr', '"chuyển đổi số" issuer:"Nghệ An" type:CTr'),
    ("Umsetzung lang:de", "Umsetzung lang:de"),
    ("biên chế type:BC", "biên chế type:BC"),
    ("dữ liệu lang:vi year:2025", "dữ liệu lang:vi year:2025"),
    ('"kinh tế số" level:provincial date:2025-01..2025-06', '"kinh tế số" level:provincial ymd:[20250101 TO 20250630]'),
    ("implements:68-NQ/TW doanh nghiệp", "implements:68-NQ/TW doanh nghiệp"),
    ("issuer:UBND thủ tục", "issuer:UBND thủ tục"),
    ("leadership lang:en year:2023", "leadership lang:en year:2023"),
    ("đất đai -type:KH", "đất đai NOT type:KH"),
    ("type:CTr year:2025", "type:CTr year:2025"),
    ("lang:de", "lang:de"),
    ("cites:144-QĐ/TW", "cites:144-QĐ/TW"),
)
REFERENCE: tuple[tuple[str, str | None], ...] = tuple((q, None) for q in (
    "Nghị quyết 57", "Resolution 68", "Richtlinie 35", "57-NQ/TW", "Kết luận 121", "Quy định 144",
    "nghi quyet 66", "Chỉ thị 45 đại hội", "Resolution 18", "NQ 59 hội nhập", "Nghị quyết 28 lãnh đạo",
    "Nghị quyết số 18-NQ/TW ngày 16/6/2022",
))
KINDS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "terms": TERM, "phrases": PHRASE, "filtered": FILTERED, "references": REFERENCE,
}


@dataclass(frozen=True)
class Latency:
    p50: float
    p95: float
    max: float
    hits: float

    def cells(self) -> str:
        return f"{self.p50:.1f} / {self.p95:.1f} ms"


def _latency(samples: Sequence[float], hits: Sequence[int]) -> Latency:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return Latency(statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000, statistics.mean(hits))


def _timed(run: Callable[[str], int], queries: Sequence[str], passes: int) -> tuple[Latency, Latency]:
    """Wall-clock and CPU-time latency of ``run`` over ``queries``: a warm-up pass,
    then ``passes`` timed passes; each figure is from the pass with the lowest p95
    (the machine is shared: a slower pass measures the neighbours)."""
    for q in queries:  # warm up: caches, lazily loaded posting lists
        run(q)
    best: tuple[Latency, Latency] | None = None
    for _ in range(passes):
        wall: list[float] = []
        cpu: list[float] = []
        hits: list[int] = []
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            hits.append(run(q))
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - t)
        w, c = _latency(wall, hits), _latency(cpu, hits)
        if best is None:
            best = (w, c)
        else:
            best = (min(best[0], w, key=lambda x: x.p95), min(best[1], c, key=lambda x: x.p95))
    assert best is not None
    return best


def _size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# --- the store ---------------------------------------------------------------------------------

def build_store(folder: Path, docs: int, seed: int) -> tuple[Store, float | None]:
    """The synthetic store, made (and timed) unless a complete one is already there."""
    marker = folder / "complete"
    if marker.exists() and marker.read_text() == f"{docs} {seed}":
        return Store.open(folder), None
    shutil.rmtree(folder, ignore_errors=True)
    store = Store.open(folder)
    started = time.perf_counter()
    batch: list[DocumentRecord] = []
    for n, d in enumerate(Generator(seed).documents(docs), 1):
        data = d.text.encode("utf-8")
        batch.append(DocumentRecord(
            path=d.path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), mtime_ns=0, ctime_ns=0, inode=0,
            format="txt", lang=d.lang, title=d.title, encoding="utf-8", text=d.text, page_starts=[0], warnings=[],
            tags=d.tags,
        ))
        if len(batch) == 1000:  # as an ingest commits: a batch per transaction
            store.save_documents(batch)
            batch.clear()
        if n % 20000 == 0:
            print(f"  stored {n:,} documents", flush=True)
    store.save_documents(batch)
    seconds = time.perf_counter() - started
    marker.write_text(f"{docs} {seed}")
    return store, seconds


# --- Whoosh ------------------------------------------------------------------------------------

def whoosh_build(store: Store, ids: list[int], prints: dict[int, int], folder: Path) -> tuple[object, float]:
    """A Whoosh index of the same documents, with accent folding like ours."""
    from whoosh import fields, index
    from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
    from whoosh.support.charset import accent_map

    analyzer = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    schema = fields.Schema(
        doc=fields.NUMERIC(stored=True, unique=True), body=fields.TEXT(analyzer=analyzer, stored=True),
        title=fields.TEXT(analyzer=analyzer, stored=True), type=fields.ID(stored=True),
        lang=fields.ID(stored=True), level=fields.ID, year=fields.NUMERIC(stored=True), ymd=fields.NUMERIC,
        issuer=fields.TEXT(analyzer=analyzer, stored=True), cites=fields.KEYWORD(commas=False, lowercase=False),
        implements=fields.KEYWORD(commas=False, lowercase=False), own=fields.ID(stored=True),
    )
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), schema)
    started = time.perf_counter()
    writer = ix.writer(limitmb=256)
    for d in load_documents(store, ids, prints):
        extra: dict[str, object] = {}
        if d.date:
            extra["year"] = d.date.year
            extra["ymd"] = d.date.year * 10000 + d.date.month * 100 + d.date.day
        writer.add_document(
            doc=d.doc_id, body=d.text, title=d.title, type=d.type or "", lang=d.lang, level=d.level or "",
            issuer=" ".join(x for x in (d.issuer, d.issuer_code) if x), cites=" ".join(d.cites),
            implements=" ".join(t for r, t in d.relations if r == "implements"), own=d.own_id or "", **extra,
        )
    writer.commit()
    return ix, time.perf_counter() - started


def whoosh_runner(ix: object) -> Callable[[str], int]:
    """Search, top 10 with highlighted passages and facet counts, as docsearch does."""
    from whoosh import qparser, sorting

    searcher = ix.searcher()  # type: ignore[attr-defined]
    parser = qparser.QueryParser("body", ix.schema, group=qparser.AndGroup)  # type: ignore[attr-defined]
    facets = [sorting.FieldFacet(f) for f in ("type", "lang", "year")]

    def run(q: str) -> int:
        query = parser.parse(q)
        # Two searches: asking for highlights and facets in one makes Whoosh
        # ten to twenty times slower (measured), which would flatter us.
        results = searcher.search(query, limit=10, terms=True)
        for hit in results:
            hit.highlights("body")
        grouped = searcher.search(query, limit=1, groupedby=facets)
        for name in ("type", "lang", "year"):
            grouped.groups(name)
        return len(results)

    return run


def tantivy_subset(store: Store, ids: list[int], prints: dict[int, int], folder: Path) -> float:
    """Index only ``ids`` (through the same engine and loader as a rebuild); seconds."""
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    engine = TantivyEngine.open_writer(folder, rebuild=True)
    try:
        for d in load_documents(store, ids, prints):
            engine.add(d)
        engine.commit()
    finally:
        engine.close()
    return time.perf_counter() - started


# --- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--whoosh-docs", type=int, default=10_000,
                        help="documents for the Whoosh comparison (Whoosh indexes ~250 documents/s); 0 skips it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-search-bench")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)

    print(f"store: {args.docs:,} synthetic documents", flush=True)
    store, store_seconds = build_store(work / f"store-{args.docs}-s{args.seed}", args.docs, args.seed)
    stats = store.stats()
    mb = stats["bytes"] / 1e6

    index_dir = work / f"index-{args.docs}"
    shutil.rmtree(index_dir, ignore_errors=True)
    print("tantivy: rebuild from the store", flush=True)
    report = reindex(store, index_dir)
    build_rate = report.documents / report.seconds
    index_mb = _size(index_dir / "fulltext")

    nothing = sync(store, index_dir)
    changed_ids = [r[0] for r in store.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 100")]
    for doc_id in changed_ids:
        d = store.document(doc_id)
        text = d.text + "\nBổ sung: rà soát tiến độ thực hiện hằng quý."
        data = text.encode("utf-8")
        store.save_document(path=d.path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), mtime_ns=1,
                            format=d.format, lang=d.lang, title=d.title, encoding="utf-8", text=text,
                            page_starts=d.page_starts, warnings=[], tags=None)
    some = sync(store, index_dir)

    print("tantivy: queries", flush=True)
    results: dict[str, tuple[Latency, Latency, Latency, Latency]] = {}
    with FullTextIndex(index_dir) as fx:
        for kind, pairs in KINDS.items():
            queries = [p[0] for p in pairs]
            results[kind] = (
                *_timed(lambda q: len(fx.search(q, limit=10, facets=False).hits), queries, args.passes),
                *_timed(lambda q: len(fx.search(q, limit=10).hits), queries, args.passes),
            )
    cold: list[float] = []
    for q in ("Nghị quyết 57", "chuyển đổi số type:CTr", '"kinh tế tư nhân"'):
        t = time.perf_counter()
        with FullTextIndex(index_dir) as fresh:
            fresh.search(q)
        cold.append(time.perf_counter() - t)

    whoosh_rows: list[str] = []
    if args.whoosh_docs:
        ids = [r[0] for r in store.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT ?",
                                                (args.whoosh_docs,))]
        n = len(ids)
        print(f"whoosh: {n:,} documents", flush=True)
        prints = fingerprints(store)
        wix, w_seconds = whoosh_build(store, ids, prints, work / "whoosh")
        w_size = _size(work / "whoosh")
        t_seconds = tantivy_subset(store, ids, prints, work / "tantivy-subset")
        t_size = _size(work / "tantivy-subset" / "fulltext")
        wrun = whoosh_runner(wix)
        whoosh_rows.append(f"| build ({n:,} documents) | {n / t_seconds:,.0f} documents/s, {t_size:.0f} MB | "
                           f"{n / w_seconds:,.0f} documents/s, {w_size:.0f} MB | {w_seconds / t_seconds:.0f}x |")
        with FullTextIndex(work / "tantivy-subset") as sx:
            for kind in ("terms", "phrases", "filtered"):
                pairs = [p for p in KINDS[kind] if p[1] is not None]
                passes = min(args.passes, 3)  # Whoosh phrase queries take a third of a second each
                a, _ = _timed(lambda q: len(sx.search(q, limit=10).hits), [p[0] for p in pairs], passes)
                b, _ = _timed(wrun, [p[1] for p in pairs if p[1]], passes)
                whoosh_rows.append(f"| {kind} p50 / p95 | {a.cells()} | {b.cells()} | "
                                   f"{b.p50 / a.p50:.0f}x / {b.p95 / a.p95:.0f}x |")
    load_after = os.getloadavg()[0]
    store.close()

    command = "python bench/search_bench.py" + "".join(
        f" --{k.replace('_', '-')} {v}" for k, v in (("docs", args.docs), ("whoosh_docs", args.whoosh_docs))
        if v != parser.get_default(k))
    lines = [
        f"Machine: {machine()}; load average {load_before:.1f} at the start and {load_after:.1f} at the end "
        "(the machine is shared).",
        f"Command: `{command}` (wall-clock). Corpus: {stats['documents']:,} synthetic documents from "
        f"`bench/synthetic.py` ({mb:.0f} MB of text, {stats['by_lang'].get('vi', 0) / stats['documents']:.0%} "
        f"Vietnamese, {stats['by_lang'].get('en', 0) / stats['documents']:.0%} English, "
        f"{stats['by_lang'].get('de', 0) / stats['documents']:.0%} German, "
        f"{stats['references']:,} references) in a docsearch store"
        + (f", written in {store_seconds:.0f} s." if store_seconds else "."),
        "",
        "| full-text index (tantivy 0.27) | result |",
        "|---|---|",
        f"| rebuild from the store (`docsearch reindex`) | {report.seconds:.1f} s, **{build_rate:,.0f} documents/s**, "
        f"{index_mb:.0f} MB on disk |",
        f"| sync with nothing to do | {nothing.seconds:.2f} s |",
        f"| sync after 100 changed documents | {some.seconds:.2f} s ({some.updated} updated) |",
        f"| open the index + first search (a CLI call) | {statistics.median(cold) * 1000:.0f} ms |",
        "",
        f"Queries: top 10 with snippets, then the same with facet counts (type, issuer, year, language, level) "
        f"over all matches. Latency p50 / p95 from the fastest of {args.passes} timed passes after a warm-up "
        "pass, wall-clock and CPU time of the process (the CPU time does not count waiting for the other "
        "programs on the machine).",
        "",
        "| queries | count | with snippets: wall | CPU | with snippets + facets: wall | CPU | mean hits |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, (snip, snip_cpu, full, full_cpu) in results.items():
        lines.append(f"| {kind} | {len(KINDS[kind])} | {snip.p50:.1f} / **{snip.p95:.1f} ms** | "
                     f"{snip_cpu.p50:.1f} / {snip_cpu.p95:.1f} ms | {full.p50:.1f} / **{full.p95:.1f} ms** | "
                     f"{full_cpu.p50:.1f} / {full_cpu.p95:.1f} ms | {full.hits:.1f} |")
    if whoosh_rows:
        lines += [
            "",
            f"The same queries against Whoosh 2.7.4 (accent-folding analyzer, top 10 with highlights and three "
            f"facets) on the first {args.whoosh_docs:,} documents, next to docsearch on the same documents "
            f"(wall-clock, fastest of {min(args.passes, 3)} passes; Whoosh has no reference semantics, so "
            "reference queries are not compared):",
            "",
            "| | docsearch (tantivy) | Whoosh | ratio |",
            "|---|---|---|---|",
            *whoosh_rows,
        ]
    body = "\n".join(lines) + "\n\n" + relevance(work)
    print(body)
    if not args.no_write:
        write_section("search", "Full-text search", body)


def relevance(work: Path) -> str:
    """nDCG@10 of tests/data/relevance.json over corpus/ and the seed documents."""
    from docsearch.ingestion import ingest
    from docsearch.search.quality import evaluate, load_judgments

    root = HERE.parent
    seeds = Path(os.environ.get("DOCSEARCH_SEEDS", root.parent / "shared" / "corpus" / "seeds"))
    folder = work / "relevance"
    shutil.rmtree(folder, ignore_errors=True)
    with Store.open(folder) as store:
        ingest([root / "corpus", seeds], store, jobs=1)
        sync(store)

    def name(path: str) -> str:
        p = Path(path)
        return str(p.relative_to(root)) if p.is_relative_to(root) else "seeds/" + p.name

    with FullTextIndex(folder) as index:
        report = evaluate(index, load_judgments(root / "tests" / "data" / "relevance.json"), name)
    kinds = report.by("kind")
    langs = report.by("lang")
    n = len(report.scores)
    return "\n".join([
        f"Relevance: **nDCG@10 = {report.mean:.3f}** over {n} judged queries on corpus/ and the seed texts "
        "(`tests/data/relevance.json`, guarded by `tests/test_search.py`).",
        "",
        "| by kind | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
        "| nDCG@10 | " + " | ".join(f"{v:.3f}" for v in kinds.values()) + " |",
        "",
        "| by language | " + " | ".join(langs) + " |",
        "|---|" + "---|" * len(langs),
        "| nDCG@10 | " + " | ".join(f"{v:.3f}" for v in langs.values()) + " |",
        "",
        "Weakest queries: " + "; ".join(
            f"`{s.query}` {s.ndcg:.2f}" for s in sorted(report.scores, key=lambda s: s.ndcg)[:4])
        + " (`private economy`: the text says *private economic*, another English stem).",
    ])


if __name__ == "__main__":
    main()
