"""Benchmark of ``docsearch site build`` on a large synthetic store.

Writes a store of ``--docs`` documents straight into SQLite (no extraction,
no tagging): central resolutions and directives, provincial and district
programs and plans implementing them, People's Committee decisions and news
texts without a number, each a few kilobytes of Vietnamese-like text whose
references (with exact offsets) point at earlier documents and at central
documents known only from citations. Then builds the site twice into a fresh
folder (the second build finds nothing changed) and writes the numbers into
docs/benchmarks.md:

    .venv/bin/python bench/site_bench.py                 # 10,000 documents
    .venv/bin/python bench/site_bench.py --docs 2000 --no-write
    .venv/bin/python bench/site_bench.py --search-docs 0 --repeat 3   # median of three first builds
    .venv/bin/python bench/site_bench.py --docs 100000 --index /tmp/s100k --sample 50   # the parts, sampled

``--sample N`` builds no whole site: in one process it times the parts of a
first build (the fingerprint, reading the store, every N-th batch of
document, graph and text pages, the pages about the whole collection), so
that a store too large to build in the time at hand can be compared with a
smaller one part by part.

CPU time is given with its kernel share: creating tens of thousands of new
files costs the kernel a noticeable part of a first build on some machines.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from docsearch.graph import resolve
from docsearch.graph.stored import is_current, settle
from docsearch.site import SiteReport, build_site
from docsearch.site.build import default_jobs
from docsearch.store import Store

from bench_report import machine, write_section

SYLLABLES = (
    "phát triển khoa học công nghệ đổi mới sáng tạo chuyển đổi số quốc gia đảng bộ tỉnh ủy huyện ủy "
    "nhân dân chính quyền cán bộ đảng viên tổ chức thực hiện nghị quyết kế hoạch chương trình hành động "
    "nhiệm vụ giải pháp mục tiêu kinh tế xã hội hạ tầng dữ liệu nguồn nhân lực chất lượng cao doanh nghiệp "
    "tư nhân đầu tư nghiên cứu ứng dụng quản lý nhà nước cải cách hành chính công khai minh bạch trách nhiệm "
    "người đứng đầu kiểm tra giám sát sơ kết tổng kết báo cáo kết quả năm giai đoạn tầm nhìn đến bảo đảm "
    "an ninh quốc phòng biên giới môi trường nông nghiệp nông thôn du lịch văn hóa giáo dục đào tạo y tế"
).split()
PROVINCES = ("Quảng Ninh", "Bắc Ninh", "Nghệ An", "Cao Bằng", "Đà Nẵng", "Hà Giang", "Lào Cai", "Thanh Hóa",
             "Huế", "Cần Thơ", "An Giang", "Gia Lai", "Sơn La", "Điện Biên", "Lạng Sơn", "Thái Bình")
CENTRAL_KINDS = (("NQ", "Nghị quyết", "Bộ Chính trị"), ("CT", "Chỉ thị", "Ban Bí thư"),
                 ("KL", "Kết luận", "Bộ Chính trị"), ("QĐ", "Quy định", "Ban Chấp hành Trung ương"))
LOCAL_KINDS = (("CTr", "Chương trình hành động"), ("KH", "Kế hoạch"), ("HD", "Hướng dẫn"), ("BC", "Báo cáo"))
CUES = (("implements", "Thực hiện"), ("implements", "Triển khai thực hiện"), ("based_on", "Căn cứ"),
        ("guides", "Hướng dẫn thực hiện"), ("summarizes", "Sơ kết 01 năm thực hiện"), ("cites", "Theo tinh thần"))


#: The columns the generator fills (later schema versions add columns with defaults).
_DOC_COLUMNS = ("doc_id, path, sha256, size, mtime_ns, format, lang, title, encoding, text, page_starts, warnings,"
                " ingested_at, self_id, self_json")
_REF_COLUMNS = ('doc_id, ord, ref_id, start, "end", text, type, number, issuer_code, year, date, issuer, short_form,'
                ' relation, status, candidates, term')


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(SYLLABLES) for _ in range(n))


def generate(store: Store, n_docs: int, seed: int = 11) -> dict[str, int]:
    """Fill an empty store with ``n_docs`` texts; returns what was written."""
    rng = random.Random(seed)
    start = date(2016, 1, 1)
    # Central documents known only from citations.
    cited_only = [(f"{k}-NQ/TW", start + timedelta(days=rng.randrange(3000)), "Nghị quyết", "Bộ Chính trị")
                  for k in range(1, 301)]
    docs: list[tuple[Any, ...]] = []
    refs: list[tuple[Any, ...]] = []
    rels: list[tuple[Any, ...]] = []
    dates_rows: list[tuple[Any, ...]] = []
    # Stored documents by date (id, date, type word, issuer, level), so that
    # those earlier than a new text are a prefix, found by bisection: filtering
    # the whole list for every text made generation quadratic.
    stored: list[tuple[str, date, str, str, str]] = []
    stored_dates: list[date] = []
    central: list[tuple[str, date, str, str]] = []
    counters: dict[str, int] = {}
    now = "2025-01-01T00:00:00+00:00"
    for i in range(n_docs):
        doc_id = i + 1
        r = rng.random()
        when = start + timedelta(days=rng.randrange(3600))
        lang = "vi"
        if r < 0.04:
            kind, word, issuer = rng.choice(CENTRAL_KINDS)
            code, level, place = "TW", "central", "Hà Nội"
        elif r < 0.34:
            kind, word = rng.choice(LOCAL_KINDS)
            place = rng.choice(PROVINCES)
            issuer, code, level = f"Tỉnh ủy {place}", "TU", "provincial"
        elif r < 0.78:
            kind, word = rng.choice(LOCAL_KINDS)
            place = rng.choice(PROVINCES)
            issuer, code, level = f"Huyện ủy {rng.randrange(1, 12):02d} {place}", "HU", "district"
        elif r < 0.9:
            kind, word = "KH", "Kế hoạch"
            place = rng.choice(PROVINCES)
            issuer, code, level = f"Ủy ban nhân dân tỉnh {place}", "UBND", "state"
        else:
            kind = word = issuer = code = level = place = ""
            lang = rng.choice(("vi", "en"))
        own = None
        if code:
            key = f"{kind}/{code}"
            counters[key] = counters.get(key, 1000 if code == "TW" else 0) + 1
            number = counters[key]
            own = f"{number}/{kind}-{code}" if code == "UBND" else f"{number}-{kind}/{code}"
        parts: list[str] = []
        pos = 0

        def put(text: str) -> int:
            nonlocal pos
            at = pos
            parts.append(text)  # noqa: B023 (called only in the iteration that defines it)
            pos += len(text)
            return at

        if own:
            put(f"{issuer.upper()}\n*\nSố {own}\n{place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}\n\n")
            title = f"{word} {_words(rng, 9)}"
            put(f"{word.upper()}\n{title[len(word) + 1:]}\n-----\n\n")
        else:
            title = f"Tin tức: {_words(rng, 8)}"
            put(title + "\n\n")
        earlier = bisect.bisect_right(stored_dates, when)
        n_refs = rng.randrange(3, 10)
        ords = 0
        for _ in range(rng.randrange(8, 14)):
            para = _words(rng, rng.randrange(40, 70)).capitalize() + ". "
            if ords < n_refs and rng.random() < 0.8:
                use_central = bool(central) and rng.random() < 0.6
                pool: Sequence[tuple[Any, ...]] = central if use_central else (cited_only if not earlier else ())
                if rng.random() < 0.15 or (not pool and not earlier):
                    pool = cited_only
                target = rng.choice(pool) if pool else stored[rng.randrange(earlier)]
                tid, tdate, tword, tissuer = target[0], target[1], target[2], target[3]
                relation, cue = rng.choice(CUES)
                sentence_start = pos + len(para)
                lead = f"{cue} {tword} số "
                tail = f", ngày {tdate.day}/{tdate.month}/{tdate.year} của {tissuer}, {_words(rng, 12)}."
                sentence = lead + tid + tail
                para += sentence + " " + _words(rng, 20) + ".\n\n"
                ref_start = sentence_start + len(lead)
                refs.append((doc_id, ords, tid, ref_start, ref_start + len(tid), tid, "NQ", tid.split("-")[0], "TW",
                             tdate.year, tdate.isoformat(), None, 0, relation, "resolved", "[]", None))
                if own:
                    rels.append((doc_id, own, tid, relation, sentence, sentence_start, sentence_start + len(sentence),
                                 tdate.isoformat()))
                ords += 1
            else:
                para += "\n\n"
            put(para)
        text = "".join(parts)
        self_json = None
        if own:
            self_json = json.dumps({"id": own, "type": kind, "issuer": issuer, "issuer_code": code,
                                    "date": when.isoformat(), "title": title, "place": place}, ensure_ascii=False)
            dates_rows.append((doc_id, 0, 10, when.isoformat(), when.isoformat()))
            at = bisect.bisect_right(stored_dates, when)
            stored_dates.insert(at, when)
            stored.insert(at, (own, when, word, issuer, level))
            if code == "TW":
                central.append((own, when, word, issuer))
        docs.append((doc_id, f"/bench/corpus/{doc_id:06d}.txt", f"{doc_id:064x}", len(text.encode()), 0, "txt", lang,
                     title, "utf-8", text, "[0]", "[]", now, own, self_json))
    with store.transaction():
        store.conn.executemany(f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({','.join('?' * 15)})", docs)
        store.conn.executemany(f"INSERT INTO refs ({_REF_COLUMNS}) VALUES ({','.join('?' * 17)})", refs)
        store.conn.executemany("INSERT INTO relations VALUES (?,?,?,?,?,?,?,?)", rels)
        store.conn.executemany("INSERT INTO dates VALUES (?,?,?,?,?)", dates_rows)
    store.conn.execute("ANALYZE")
    return {"documents": len(docs), "references": len(refs), "relations": len(rels),
            "characters": sum(len(d[9]) for d in docs)}


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    """Pseudo-syllables spelled like Vietnamese ones (with diacritics)."""
    onsets = "b c ch d đ g gh gi h k kh l m n ng nh p ph qu r s t th tr v x".split()
    vowels = "a ă â e ê i o ô ơ u ư y á à ả ã ạ ấ ầ ẩ ậ ế ề ể ệ ố ồ ổ ộ ớ ờ ở ợ ứ ừ ử ự í ì ó ò ú ù".split()
    finals = ["", "", "n", "ng", "nh", "c", "ch", "m", "p", "t", "i", "o", "u", "y"]
    words: set[str] = set()
    while len(words) < size:
        words.add(rng.choice(onsets) + rng.choice(vowels) + rng.choice(finals))
    return sorted(words)


def search_scale(n_docs: int, folder: Path, seed: int = 5) -> dict[str, Any]:
    """The search index alone for ``n_docs`` documents of Zipf-distributed
    words, and the time Chromium takes to answer queries from disk."""
    from itertools import accumulate

    from docsearch.site.search_index import SearchIndex, make_entry

    rng = random.Random(seed)
    vocab = _vocabulary(rng, 6000)
    weights = list(accumulate(1.0 / (rank + 1) for rank in range(len(vocab))))
    index = SearchIndex()
    t = time.perf_counter()
    for i in range(n_docs):
        body = " ".join(rng.choices(vocab, cum_weights=weights, k=250))
        number = f"{i % 5000 + 1}-KH/TU"
        index.add(make_entry(f"doc/{i}.html", f"{number} — Kế hoạch {i}", "KH · 2025", f"{number} Kế hoạch tỉnh {i}",
                             body + f" mã{i}", number))
    size = 0
    biggest = 0
    shards = 0
    for path, content in index.files():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, "utf-8")
        size += len(content.encode())
        if path.startswith("search/t/"):
            shards += 1
            biggest = max(biggest, len(content.encode()))
    built = time.perf_counter() - t
    static = Path(__file__).resolve().parents[1] / "src" / "docsearch" / "site" / "static" / "search.js"
    (folder / "static").mkdir(exist_ok=True)
    (folder / "static" / "search.js").write_text(static.read_text("utf-8"), "utf-8")
    (folder / "search.html").write_text(
        '<!DOCTYPE html><html lang="en" data-root=""><head><meta charset="utf-8"><title>search</title></head><body>'
        '<form id="search-form"><input id="q"></form><p id="search-status"></p><ol id="search-results"></ol>'
        '<button id="search-more" hidden></button><script src="static/search.js"></script></body></html>', "utf-8")
    out: dict[str, Any] = {"documents": n_docs, "index_mb": size / 1e6, "shards": shards,
                           "largest_kb": biggest / 1e3, "build_s": built, "queries": {}}
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return out
    if not chromium.exists():
        return out
    # Very common words, a number with its type and issuer, a rare word, a
    # document's own code, and a word still being typed.
    queries = [vocab[3] + " " + vocab[40], "Kế hoạch 4321-KH/TU", "ke hoach tinh " + vocab[700],
               f"mã{n_docs - 1}", "ke hoach " + vocab[2500][:2]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page()
        page.goto((folder / "search.html").resolve().as_uri())
        for q in queries:
            ms, hits = page.evaluate(
                "q => { const t = performance.now(); return DS.search(q).then(r => [performance.now() - t, r.hits.length]); }",
                q)
            again, _ = page.evaluate(
                "q => { const t = performance.now(); return DS.search(q).then(r => [performance.now() - t, 0]); }", q)
            out["queries"][q] = {"first_ms": ms, "again_ms": again, "hits": hits}
        browser.close()
    return out


def _cpu() -> tuple[float, float]:
    """CPU seconds (all, and of them in the kernel) of this process and of
    the worker processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    system = own.ru_stime + kids.ru_stime
    return own.ru_utime + kids.ru_utime + system, system


#: Kernel CPU seconds of the last :func:`_timed` build (creating files is most of it).
_SYSTEM: list[float] = [0.0]


def _timed(store: Store, out: Path, jobs: int) -> tuple[SiteReport, float]:
    cpu, system = _cpu()
    report = build_site(store, out, jobs=jobs)
    cpu_after, system_after = _cpu()
    _SYSTEM[0] = system_after - system
    return report, cpu_after - cpu


def sample_parts(store: Store, out: Path, every: int) -> dict[str, float]:
    """CPU seconds of the parts of a first build, in this process, drawing
    every ``every``-th batch of pages (see ``--sample``)."""
    from docsearch.site import build as site_build

    def cpu() -> float:
        return time.process_time()

    c = cpu()
    site_build._fingerprint(store, None, "/", "vi")
    found: dict[str, float] = {"fingerprint_s": cpu() - c}
    writer = site_build._Writer(out, fresh=True)
    site = site_build._Site(store, out, site_build._environment(None, "vi"), site_build.Urls(base_url="/"), writer)
    c = cpu()
    site.prepare()
    found["collect_s"] = cpu() - c
    tasks = site.tasks()
    c = cpu()
    for task in tasks[::every]:
        for entry in site.run(task):
            site.search.add(entry)
    found["drawn_s"], found["drawn"] = cpu() - c, writer.pages
    c = cpu()
    site.finish()
    found["finish_s"], found["finish_pages"] = cpu() - c, writer.pages - found["drawn"]
    found["pages"] = sum(len(keys) + len(texts) for keys, texts in tasks) + len(site.graph_keys)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--index", help="folder for the store (default: a temporary folder)")
    ap.add_argument("--out", help="folder for the site (default: a temporary folder)")
    ap.add_argument("--jobs", type=int, default=default_jobs(), help="processes drawing pages")
    ap.add_argument("--search-docs", type=int, default=100_000,
                    help="documents in the search-only scale test (0 to skip)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="first builds into fresh folders; the one with the median CPU time is reported")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite docs/benchmarks.md")
    ap.add_argument("--in-python", action="store_true",
                    help="build without the stored resolution of the graph (as on a store not yet resolved)")
    ap.add_argument("--sample", type=int, default=0, metavar="N",
                    help="time the parts of a build in one process, drawing every N-th batch of pages, and stop")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        index = Path(args.index or Path(tmp) / "index")
        out = Path(args.out or Path(tmp) / "site")
        store = Store.open(index)
        try:
            t = time.perf_counter()
            generated = generate(store, args.docs) if store.count() == 0 else {"documents": store.count()}
            gen_s = time.perf_counter() - t
            print(f"store: {generated} in {gen_s:.1f} s", file=sys.stderr)
            resolved: dict[str, float] = {}
            if not args.in_python and not is_current(store):
                # What an ingest does batch by batch: the build then reads the stored resolution.
                t, c = time.perf_counter(), time.process_time()
                settle(store)
                resolved = {"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - c}
                print(f"graph resolved and stored in {resolved['wall_s']:.1f} s ({resolved['cpu_s']:.1f} s CPU)",
                      file=sys.stderr)
            resolve.USE_STORED = not args.in_python
            if args.sample:
                out.mkdir(parents=True, exist_ok=False)
                parts = sample_parts(store, out, args.sample)
                print(f"parts of a build at {store.count():,} documents (load {os.getloadavg()[0]:.1f}): "
                      f"fingerprint {parts['fingerprint_s']:.2f} s, collect {parts['collect_s']:.2f} s, "
                      f"{parts['drawn']:,.0f} of {parts['pages']:,.0f} pages in {parts['drawn_s']:.2f} s "
                      f"({parts['drawn'] / max(parts['drawn_s'], 1e-9):,.0f} per CPU-second), "
                      f"{parts['finish_pages']:,.0f} pages about the collection in {parts['finish_s']:.2f} s",
                      file=sys.stderr)
                return 0
            load = os.getloadavg()[0]
            firsts: list[tuple[float, SiteReport]] = []
            systems: list[tuple[float, float]] = []
            for n in range(max(1, args.repeat)):
                if n:
                    shutil.rmtree(out)
                report, cpu = _timed(store, out, args.jobs)
                firsts.append((cpu, report))
                systems.append((cpu, _SYSTEM[0]))
                if args.repeat > 1:
                    print(f"first build {n + 1}: {report.seconds:.1f} s, {cpu:.1f} s CPU", file=sys.stderr)
            # The run with the median CPU time is reported; the last one is
            # on disk for the rebuilds below (every run writes the same files).
            cpu1, first = sorted(firsts, key=lambda f: f[0])[len(firsts) // 2]
            system1 = dict(systems)[cpu1]
            walls = sorted(r.seconds for _, r in firsts)
            print(f"first build:  {first.pages} pages, {first.files} files in {first.seconds:.1f} s "
                  f"({first.pages_per_second:.0f} pages/s, {cpu1:.1f} s CPU of which {system1:.1f} s in the kernel), "
                  f"{first.written} written", file=sys.stderr)
            second, cpu2 = _timed(store, out, args.jobs)
            print(f"second build: {second.pages} pages in {second.seconds:.1f} s "
                  f"({second.pages_per_second:.0f} pages/s, {cpu2:.1f} s CPU), {second.written} written, "
                  f"{second.unchanged} unchanged", file=sys.stderr)
            serial, cpu3 = _timed(store, out, 1)
            load_end = os.getloadavg()[0]
            print(f"one process:  {serial.pages} pages in {serial.seconds:.1f} s "
                  f"({serial.pages_per_second:.0f} pages/s, {cpu3:.1f} s CPU)", file=sys.stderr)
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            search_size = sum(p.stat().st_size for p in (out / "search").rglob("*") if p.is_file())
            largest = max(p.stat().st_size for p in (out / "search" / "t").iterdir())
        finally:
            store.close()
        scale: dict[str, Any] = {}
        if args.search_docs:
            scale = search_scale(args.search_docs, Path(tmp) / "scale")
            print(f"search at {args.search_docs:,} documents: {json.dumps(scale, ensure_ascii=False)}", file=sys.stderr)
    if not args.no_write:
        body = (
            f"Machine: {machine()}. Command: `.venv/bin/python bench/site_bench.py --docs {args.docs}"
            f"{f' --repeat {args.repeat}' if args.repeat > 1 else ''}`.\n"
            "A synthetic store written straight into SQLite (Vietnamese-like text, "
            f"{generated.get('references', 0):,} references, {generated.get('relations', 0):,} relations, "
            f"{generated.get('characters', 0) / 1e6:.0f} M characters), "
            + ("its graph resolved in Python by the build (`--in-python`); " if args.in_python else
               f"its graph resolved and stored once as an ingest does ({resolved['wall_s']:.1f} s, "
               f"{resolved['cpu_s']:.1f} s CPU) and read by the build; " if resolved else
               "its stored graph resolution read by the build; ")
            + "built into a fresh folder, then again "
            f"(nothing changed), then again in one process. Wall-clock time; CPU time of all processes beside it; "
            f"load average {load:.1f} when it started and {load_end:.1f} at the end (the machine is shared)."
            + (f" The first build was run {len(firsts)} times into fresh folders; the run with the median CPU time "
               f"is shown (CPU {', '.join(f'{c:.1f}' for c in sorted(c for c, _ in firsts))} s; wall "
               f"{', '.join(f'{w:.1f}' for w in walls)} s)." if len(firsts) > 1 else "")
            + "\n\n"
            "| build | processes | pages | files | time | pages/s | CPU | pages per CPU-second | written | unchanged |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n"
            f"| first | {args.jobs} | {first.pages:,} | {first.files:,} | {first.seconds:.1f} s | "
            f"{first.pages_per_second:,.0f} | {cpu1:.1f} s | {first.pages / max(cpu1, 1e-9):,.0f} | "
            f"{first.written:,} | {first.unchanged:,} |\n"
            f"| again, nothing changed | {args.jobs} | {second.pages:,} | {second.files:,} | "
            f"{second.seconds:.1f} s | {second.pages_per_second:,.0f} | {cpu2:.1f} s | | {second.written:,} | "
            f"{second.unchanged:,} |\n"
            f"| again, one process | 1 | {serial.pages:,} | {serial.files:,} | {serial.seconds:.1f} s | "
            f"{serial.pages_per_second:,.0f} | {cpu3:.1f} s | | {serial.written:,} | {serial.unchanged:,} |\n\n"
            f"Of the first build's {cpu1:.1f} s of CPU, {system1:.1f} s were spent in the kernel (creating "
            f"{first.written:,} files and writing {size / 1e6:.0f} MB); "
            f"{first.pages / max(cpu1 - system1, 1e-9):,.0f} pages per CPU-second of the build's own work.\n\n"
            f"Site size {size / 1e6:.0f} MB, of which the search index {search_size / 1e6:.1f} MB in "
            f"{first.search_shards} term shards (largest {largest / 1e3:.0f} kB); a query loads the manifest, "
            "one shard per word and one document file per 500 results shown.\n"
        )
        if scale:
            body += (
                f"\nSearch alone at {scale['documents']:,} documents (250 Zipf-distributed words of a 6,000-syllable "
                f"vocabulary each; built in {scale['build_s']:.0f} s): {scale['index_mb']:.0f} MB in "
                f"{scale['shards']} term shards, largest {scale['largest_kb']:.0f} kB. "
                "Time for headless Chromium to answer from disk (file://), first with the shards to load, "
                "then again:\n\n| query | results | first | again |\n|---|---|---|---|\n"
            )
            for q, r in scale["queries"].items():
                body += f"| `{q}` | {r['hits']:,} | {r['first_ms']:.0f} ms | {r['again_ms']:.0f} ms |\n"
        write_section("site", "Static site", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
