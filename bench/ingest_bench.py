"""Ingestion speed: the sample corpus and the seeds, first run and unchanged re-run.

    python bench/ingest_bench.py
    python bench/ingest_bench.py --generated 1000,10000    # and generated plain text, --jobs 2
    python bench/ingest_bench.py --generated 1000 --against base/src   # before/after, taking turns
    python bench/ingest_bench.py --waits 10000 --against base/src      # CPU and waits per process
    python bench/ingest_bench.py --onto 100000 --against base/src      # into a large store: re-run, new files

Each figure is the median of 3 runs on a fresh index, wall-clock and CPU time
(of this process and its worker processes). The scaling table
(scale_bench.py) has ingest at 1,000 and 10,000 generated documents; with
``--generated`` the same corpora (from ``synthetic.py``, kept in ``--workdir``)
are ingested here too, with the CPU time per document and the load average
of each run, which says more than documents/s on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from docsearch.ingestion import ingest  # noqa: E402
from docsearch.store import Store  # noqa: E402

from bench_report import machine, write_section  # noqa: E402

REPEAT = 3


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(paths: list[Path], jobs: int) -> tuple[int, float, float, float]:
    """Documents, first-run wall and CPU seconds, unchanged re-run wall seconds."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "idx") as store:
        t, c = time.perf_counter(), _cpu()
        first = ingest(paths, store, jobs=jobs)
        t1, c1 = time.perf_counter() - t, _cpu() - c
        t = time.perf_counter()
        second = ingest(paths, store, jobs=jobs)
        t2 = time.perf_counter() - t
        assert len(second.unchanged) == len(first.added), "second run must find everything unchanged"
        return len(first.added), t1, c1, t2


def generated(n: int, work: Path) -> str:
    """The table row of ingesting ``n`` generated plain-text documents with ``--jobs 2``."""
    sys.path.insert(0, str(ROOT / "bench"))
    import scale_bench

    loads = [os.getloadavg()[0]]
    r = scale_bench.ingest_scale(n, work, REPEAT)
    loads.append(os.getloadavg()[0])
    return (f"| {n:,} generated plain-text documents ({r['mb']:.0f} MB), `--jobs 2` | {r['docs']:,} | "
            f"{r['docs'] / r['wall']:,.0f} documents/s ({r['wall']:.1f} s, {r['cpu']:.1f} s CPU: "
            f"{r['cpu'] / r['docs'] * 1000:.1f} ms a document; load {min(loads):.1f}-{max(loads):.1f}) |")


# One ingest of a generated corpus in a fresh process, with whichever
# docsearch PYTHONPATH names: prints documents, wall and CPU seconds.
ONE_RUN = """
import json, resource, sys, tempfile, time
from pathlib import Path
from docsearch.ingestion import ingest
from docsearch.store import Store
def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "idx") as store:
    t, c = time.perf_counter(), cpu()
    summary = ingest([sys.argv[1]], store, jobs=2)
    print(json.dumps([len(summary.added), time.perf_counter() - t, cpu() - c]))
"""


def against(n: int, work: Path, base: Path) -> str:
    """The row comparing ingest of ``n`` generated documents with the docsearch
    in ``base`` (a ``src`` folder), in fresh processes taking turns."""
    import json
    import subprocess

    folder = work / f"files-{n}" / "docs"
    if not folder.is_dir():
        generated(n, work)  # makes the corpus
    runs: dict[str, list[list[float]]] = {"base": [], "ours": []}
    loads = [os.getloadavg()[0]]
    for _ in range(REPEAT):
        for name, src in (("base", base), ("ours", ROOT / "src")):
            env = dict(os.environ, PYTHONPATH=str(src))
            out = subprocess.run([sys.executable, "-c", ONE_RUN, str(folder)], env=env, check=True,
                                 capture_output=True, text=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))
    loads.append(os.getloadavg()[0])
    (bw, bc), (ow, oc) = ([statistics.median(r[i] for r in runs[k]) for i in (1, 2)] for k in ("base", "ours"))
    return (f"| {n:,} generated documents, `--jobs 2`, load {min(loads):.1f}-{max(loads):.1f} | "
            f"{n / bw:,.0f} documents/s, {bc / n * 1000:.1f} ms CPU a document | "
            f"{n / ow:,.0f} documents/s, {oc / n * 1000:.1f} ms CPU a document | {bc / oc:.2f}x |")


# One ingest as ONE_RUN, also timing how long each worker waits between two
# chunks of files and how long the ingesting process waits on a chunk's
# result: prints a JSON object.
WAITS_RUN = """
import json, os, resource, sys, tempfile, time
from concurrent.futures import Future
from pathlib import Path
import docsearch.ingestion as ingestion
from docsearch.store import Store
log = Path(sys.argv[2])
real_files, real_result = ingestion.process_files, Future.result
def process_files(jobs):  # in a worker (forked with this module as patched)
    start = time.monotonic()
    out = real_files(jobs)
    with open(log / str(os.getpid()), "a") as fh:
        fh.write(f"{start} {time.monotonic()}\\n")
    return out
blocked = [0.0]
def result(self, timeout=None):
    t = time.monotonic()
    try:
        return real_result(self, timeout)
    finally:
        blocked[0] += time.monotonic() - t
ingestion.process_files, Future.result = process_files, result
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "idx") as store:
    t, own, kids, thread = time.monotonic(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), time.thread_time()
    summary = ingestion.ingest([sys.argv[1]], store, jobs=2)
    end = time.monotonic()
    own, kids, thread = cpu(resource.RUSAGE_SELF) - own, cpu(resource.RUSAGE_CHILDREN) - kids, time.thread_time() - thread
idle = []
for part in log.iterdir():
    spans = sorted(tuple(map(float, line.split())) for line in part.read_text().splitlines())
    idle.append(spans[0][0] - t + end - spans[-1][1] + sum(b[0] - a[1] for a, b in zip(spans, spans[1:])))
print(json.dumps({"docs": len(summary.added), "wall": end - t, "parent": own, "thread": thread, "workers": kids,
                  "blocked": blocked[0], "idle": sum(idle) / max(1, len(idle)), "load": os.getloadavg()[0],
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def waits(n: int, work: Path, base: Path | None, repeat: int) -> str:
    """Per process, over ``repeat`` ingests of ``n`` generated documents in
    fresh processes (taking turns with the docsearch in ``base`` when
    given): CPU per document, and how long the ingesting process and the
    workers wait on each other (medians, with the range)."""
    import json
    import subprocess

    folder = work / f"files-{n}" / "docs"
    if not folder.is_dir():
        generated(n, work)  # makes the corpus
    sides = [("before", base), ("now", ROOT / "src")] if base is not None else [("now", ROOT / "src")]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in sides}
    for _ in range(repeat):
        for name, src in sides:
            with tempfile.TemporaryDirectory(dir=work) as log:
                env = dict(os.environ, PYTHONPATH=str(src))
                out = subprocess.run([sys.executable, "-c", WAITS_RUN, str(folder), log], env=env, check=True,
                                     capture_output=True, text=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))

    def cell(name: str, value: Callable[[dict[str, float]], float], fmt: str) -> str:
        values = [value(r) for r in runs[name]]
        return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"

    rows: list[tuple[str, Callable[[dict[str, float]], float], str]] = [
        ("CPU of the ingesting process, ms a document", lambda r: r["parent"] / r["docs"] * 1000, ".2f"),
        ("of which its main thread", lambda r: r["thread"] / r["docs"] * 1000, ".2f"),
        ("CPU of the workers, ms a document", lambda r: r["workers"] / r["docs"] * 1000, ".2f"),
        ("CPU in all, ms a document", lambda r: (r["parent"] + r["workers"]) / r["docs"] * 1000, ".2f"),
        ("ingesting process waiting on the workers, s", lambda r: r["blocked"], ".1f"),
        ("each worker waiting for files, s", lambda r: r["idle"], ".1f"),
        ("wall time, s", lambda r: r["wall"], ".1f"),
        ("peak memory of the ingesting process, MB", lambda r: r["rss_mb"], ".0f"),
        ("load average after the run", lambda r: r["load"], ".1f"),
    ]
    head = " | ".join(name for name, _ in sides)
    lines = [f"{n:,} generated documents, `--jobs 2`, {repeat} runs each (median, range):", "",
             f"| | {head} |", "|---" * (len(sides) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(cell(name, value, fmt) for name, _ in sides) + " |"
              for label, value, fmt in rows]
    return "\n".join(lines)


# One ingest into an existing store in a fresh process, with whichever
# docsearch PYTHONPATH names, sampling every 0.1 s the anonymous resident
# memory (RssAnon) of this process and of its workers: prints a JSON object.
# Its own sampler, not scale_bench's _AnonPeak: importing scale_bench would
# load the graph, search and site modules into the process measured.
ONTO_RUN = """
import json, os, resource, sys, threading, time
from pathlib import Path
from docsearch.ingestion import ingest
from docsearch.store import Store
def anon(pid):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
def kids(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(k) for k in fh.read().split()]
        except OSError:
            pass
    return out
peak = {"own": 0.0, "worker": 0.0}
stop = threading.Event()
def watch():
    me = os.getpid()
    while True:
        peak["own"] = max(peak["own"], anon(me))
        for kid in kids(me):
            peak["worker"] = max(peak["worker"], anon(kid))
        if stop.wait(0.1):
            return
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
threading.Thread(target=watch, daemon=True).start()
t, own, workers = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
with Store.open(sys.argv[2]) as store:
    summary = ingest([sys.argv[1]], store, jobs=2)
wall = time.perf_counter() - t
stop.set()
print(json.dumps({"added": len(summary.added), "unchanged": len(summary.unchanged), "wall": wall,
                  "cpu": cpu(resource.RUSAGE_SELF) - own, "workers": cpu(resource.RUSAGE_CHILDREN) - workers,
                  "own_mb": peak["own"], "worker_mb": peak["worker"], "load": os.getloadavg()[0]}))
"""


def onto(n: int, new: int, work: Path, base: Path | None, repeat: int) -> str:
    """Ingests into a store of ``n`` generated documents, the everyday case
    once a corpus is large: a run over its folder with nothing changed, and
    ``new`` new generated files (another seed) into a copy of it. Each in a
    fresh process, taking turns with the docsearch in ``base`` when given;
    medians of ``repeat`` runs."""
    import json
    import subprocess

    sys.path.insert(0, str(ROOT / "bench"))
    from scale_bench import generated_files

    folder = generated_files(work / f"files-{n}", n)
    fresh = generated_files(work / f"new-{new}", new, seed=2)
    sides = [("before", base), ("now", ROOT / "src")] if base is not None else [("now", ROOT / "src")]
    # A store for each side, made once by that side's code (their schemas
    # may differ) and brought to its schema before anything is timed.
    stores: dict[str, Path] = {}
    for name, src in sides:
        env = dict(os.environ, PYTHONPATH=str(src))
        stores[name] = work / f"store-{n}-{name}"
        made = stores[name] / "made"
        if not made.is_file() or made.read_text() != f"{n} {src}":
            shutil.rmtree(stores[name], ignore_errors=True)
            subprocess.run([sys.executable, "-c", ONTO_RUN, str(folder), str(stores[name])], env=env, check=True,
                           capture_output=True)
            made.write_text(f"{n} {src}")
        subprocess.run([sys.executable, "-c", "import sys; from docsearch.store import Store; "
                        "Store.open(sys.argv[1]).close()", str(stores[name])], env=env, check=True)
    cases = [(f"the {n:,} files again, nothing changed", folder, False),
             (f"{new:,} new files", fresh, True)]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(repeat):
        for case, files, copy in cases:
            for name, src in sides:
                with tempfile.TemporaryDirectory(prefix="onto-", dir=work) as tmp:
                    target = stores[name]
                    if copy:
                        target = Path(tmp) / "store"
                        shutil.copytree(stores[name], target)
                    env = dict(os.environ, PYTHONPATH=str(src))
                    out = subprocess.run([sys.executable, "-c", ONTO_RUN, str(files), str(target)], env=env,
                                         check=True, capture_output=True, text=True).stdout
                runs.setdefault((case, name), []).append(json.loads(out.strip().splitlines()[-1]))
    lines = [f"Ingests into a store of {n:,} generated documents, `--jobs 2`, each in a process of its own, "
             f"median of {repeat} runs (`--onto`):", "",
             "| ingest | code | wall | CPU: ingesting process / workers | peak anonymous memory: "
             "ingesting process / a worker | load average after |",
             "|---|---|---|---|---|---|"]
    for case, _, _ in cases:
        for name, _ in sides:
            rs = runs[(case, name)]

            def med(key: str, rs: list[dict[str, float]] = rs) -> float:
                return statistics.median(r[key] for r in rs)

            lines.append(f"| {case} | {name} | {med('wall'):.1f} s | {med('cpu'):.1f} / {med('workers'):.1f} s | "
                         f"{med('own_mb'):.0f} / {med('worker_mb'):.0f} MB | {med('load'):.1f} |")
    return "\n".join(lines)


def commits(n: int, work: Path) -> str:
    """Where the parent's time goes, per commit of one ingest of ``n``
    generated documents with ``--jobs 2``: CPU seconds of the store's writes,
    the graph's settle (with the relations it resolved again) and the
    full-text update, per document of the commit, in groups of commits."""
    from docsearch.graph import stored
    from docsearch.search.indexer import LiveIndex

    folder = work / f"files-{n}" / "docs"
    if not folder.is_dir():
        generated(n, work)  # makes the corpus
    rows: list[dict[str, float]] = []
    real_save, real_settle, real_update = Store.save_documents, stored.settle, LiveIndex.update

    def save(self: Store, records: Any, **kw: Any) -> Any:
        t = time.process_time()
        out = real_save(self, records, **kw)
        rows.append({"docs": len(records), "save": time.process_time() - t})
        return out

    def settle(store: Store, **kw: Any) -> Any:
        t = time.process_time()
        report = real_settle(store, **kw)
        if rows and "settle" not in rows[-1]:
            rows[-1]["settle"] = time.process_time() - t
            rows[-1]["relations"] = report.relations if report is not None else 0
        return report

    def update(self: Any, changed: Any, *more: Any) -> Any:
        t = time.process_time()
        out = real_update(self, changed, *more)
        if rows and "fulltext" not in rows[-1]:  # not the end of the run's look at what it changed
            rows[-1]["fulltext"] = time.process_time() - t
        return out

    Store.save_documents, stored.settle, LiveIndex.update = save, settle, update  # type: ignore[method-assign,assignment]
    try:
        with tempfile.TemporaryDirectory(dir=work) as tmp, Store.open(Path(tmp) / "idx") as store:
            t, c = time.perf_counter(), _cpu()
            summary = ingest([folder], store, jobs=2)
            wall, cpu = time.perf_counter() - t, _cpu() - c
    finally:
        Store.save_documents, stored.settle, LiveIndex.update = real_save, real_settle, real_update  # type: ignore[method-assign]
    groups = max(1, -(-len(rows) // 5))
    lines = [f"One ingest of {len(summary.added):,} generated documents, `--jobs 2`: {wall:.1f} s, {cpu:.1f} s CPU "
             f"in all, {len(rows)} commits. CPU per document of the commit, in the parent, commits grouped in fifths:",
             "", "| commits | documents | store writes | graph settle (relations resolved) | full-text update |",
             "|---|---|---|---|---|"]
    for start in range(0, len(rows), groups):
        part = rows[start:start + groups]
        docs = sum(r["docs"] for r in part)
        ms = {k: sum(r.get(k, 0.0) for r in part) / docs * 1000 for k in ("save", "settle", "fulltext")}
        lines.append(f"| {start + 1}-{start + len(part)} | {docs:,} | {ms['save']:.2f} ms | {ms['settle']:.2f} ms "
                     f"({sum(r.get('relations', 0) for r in part):,.0f}) | {ms['fulltext']:.2f} ms |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generated", default="", help="also ingest these numbers of generated documents (1000,10000)")
    ap.add_argument("--against", type=Path, default=None, metavar="SRC",
                    help="with --generated: compare with the docsearch in SRC (e.g. base/src from git archive) "
                         "on the first size")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-bench",
                    help="where the generated corpora are kept between runs")
    ap.add_argument("--commits", type=int, default=0, metavar="N",
                    help="only time the store writes, graph settle and full-text update of each commit of one "
                         "ingest of N generated documents, and print them")
    ap.add_argument("--waits", type=int, default=0, metavar="N",
                    help="only measure, per process, the CPU and the time the ingesting process and the workers "
                         "wait on each other, over ingests of N generated documents (with --against: taking turns "
                         "with that code), and print them")
    ap.add_argument("--onto", type=int, default=0, metavar="N",
                    help="only measure ingests into a store of N generated documents (made once in --workdir): "
                         "its files again with nothing changed, and --new new files (with --against: taking "
                         "turns with that code), and print them")
    ap.add_argument("--new", type=int, default=5000, metavar="M", help="with --onto: how many new files")
    args = ap.parse_args()
    if args.onto:
        args.workdir.mkdir(parents=True, exist_ok=True)
        print(onto(args.onto, args.new, args.workdir, args.against.resolve() if args.against else None, REPEAT))
        return
    if args.waits:
        args.workdir.mkdir(parents=True, exist_ok=True)
        print(waits(args.waits, args.workdir, args.against.resolve() if args.against else None, REPEAT))
        return
    if args.commits:
        args.workdir.mkdir(parents=True, exist_ok=True)
        print(commits(args.commits, args.workdir))
        return
    command = " ".join(["python bench/ingest_bench.py", *sys.argv[1:]])
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    rows = []
    load = os.getloadavg()[0]
    inputs = [("seeds (5 texts)", [seeds])] if seeds.is_dir() else []  # ../shared is not in every clone
    inputs.append(("corpus/ (53 files, 4 formats)", [ROOT / "corpus"]))
    for name, paths in inputs:
        for jobs in (1, 2):
            runs = [run(paths, jobs) for _ in range(REPEAT)]
            n = runs[0][0]
            t1, c1, t2 = (statistics.median(r[i] for r in runs) for i in (1, 2, 3))
            rows.append(f"| {name} | {jobs} | {n} | {t1:.2f} s ({c1:.2f} s CPU) | {t2 * 1000:.0f} ms | {t2 / t1:.1%} |")
    body = "\n".join([
        f"Machine: {machine()}; load average {load:.1f} at the start (the machine is shared). "
        f"Command: `{command}` (medians of {REPEAT} runs, fresh index each time; "
        "CPU time of the ingesting process and its workers).",
        "",
        "| input | jobs | documents | first run | unchanged re-run | re-run / first |",
        "|---|---|---|---|---|---|",
        *rows,
    ])
    sizes = [int(n) for n in args.generated.split(",") if n.strip()]
    if sizes:
        args.workdir.mkdir(parents=True, exist_ok=True)
        body += "\n".join([
            "", "",
            "Generated corpora (`--generated`, the texts of `synthetic.py` as in the scaling table; "
            f"median of {REPEAT} fresh runs, CPU time of every process and thread):",
            "",
            "| input | documents | first run |",
            "|---|---|---|",
            *(generated(n, args.workdir) for n in sizes),
        ])
        if args.against is not None:
            body += "\n".join([
                "", "",
                f"Against the docsearch in `{args.against}` (`--against`), on the first size given, each side "
                f"in fresh processes taking turns, median of {REPEAT}:",
                "",
                "| input | before | now | CPU before / now |",
                "|---|---|---|---|",
                against(sizes[0], args.workdir, args.against.resolve()),
            ])
    write_section("ingest", "Ingestion", body)
    print(body)


if __name__ == "__main__":
    main()
