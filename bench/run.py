"""Run the benchmarks and rewrite their sections of docs/benchmarks.md (`make bench`).

    python bench/run.py            # under 20 minutes: every benchmark, the scaling table at 1k/10k/100k
    python bench/run.py --quick    # under 3 minutes: start-up, tagger and ingest, the table at 1k

Generated corpora and stores are kept in one work folder (``--workdir``,
default ``$TMPDIR/docsearch-bench``) and shared: the scaling table's
100,000-document store is the one the live application is measured on, so
a second run generates nothing. The detailed single-size benchmarks
(search_bench.py, graph_bench.py, site_bench.py) are run on their own; each
rewrites its own section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_report import machine, write_section  # noqa: E402

WEB_DOCS = 100_000


def plan(quick: bool, work: Path) -> list[list[str]]:
    """The benchmark scripts to run, with their arguments."""
    if quick:
        return [["tagger_bench.py", "--quick"], ["ingest_bench.py"],
                ["scale_bench.py", "--quick", "--workdir", str(work)], ["cli_bench.py"]]
    web = work / "web"
    web.mkdir(parents=True, exist_ok=True)
    link = web / "index"
    if not link.exists() and not link.is_symlink():
        # web_bench keeps its store in <workdir>/index: the same generator and
        # seed as the scaling table's store of that size, so it is that store.
        link.symlink_to(work / f"search-{WEB_DOCS}", target_is_directory=True)
    return [
        ["tagger_bench.py"],
        ["ingest_bench.py"],
        ["memory_bench.py", "50"],
        ["scale_bench.py", "--workdir", str(work)],
        # The scaling table's store of 10,000 documents: reindex against raw tantivy, with its threads.
        ["reindex_bench.py", "--store", str(work / "search-10000")],
        ["web_bench.py", "--docs", str(WEB_DOCS), "--workdir", str(web), "--passes", "2", "--clients", "200", "--per-client", "5",
         "--seconds", "30"],
        # After the live application's benchmark, which gave that store its full-text index.
        ["cli_bench.py", "--index", str(link)],
        # The recognition quality table does not change with speed work; it is
        # rewritten by `ocr_bench.py --skip-speed` on its own.
        ["ocr_bench.py", "--pages", "4", "--skip-quality"],
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the short run (under 3 minutes)")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-bench",
                    help="where generated corpora and stores are kept between runs")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    failed = 0
    started = time.perf_counter()
    load = os.getloadavg()[0]
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cached = any(args.workdir.glob("*/complete"))
    rows = []
    for name, *rest in plan(args.quick, args.workdir):
        command = " ".join([name, *rest])
        print(f"== {command}", flush=True)
        t = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / name), *rest], cwd=HERE).returncode
        failed |= code
        seconds = time.perf_counter() - t
        rows.append(f"| `{command}` | {seconds:.0f} s{'' if code == 0 else ' (failed)'} |")
        print(f"== {name}: {seconds:.0f} s", flush=True)
    minutes = (time.perf_counter() - started) / 60
    end_load = os.getloadavg()[0]
    print(f"== done in {minutes:.1f} minutes (load average {load:.1f} at the start, {end_load:.1f} at the end)",
          flush=True)
    write_section("bench-run-quick" if args.quick else "bench-run",
                  "`make bench-quick`: run time" if args.quick else "`make bench`: run time", "\n".join([
                      f"Run {when} on {machine()}: **{minutes:.1f} minutes** in all; load average {load:.1f} at "
                      f"the start and {end_load:.1f} at the end (the machine is shared). Command: "
                      f"`python bench/run.py{' --quick' if args.quick else ''}`, "
                      + ("with the generated corpora of an earlier run." if cached
                         else "generating every corpus (later runs reuse them)."),
                      "",
                      "| benchmark | time |",
                      "|---|---|",
                      *rows,
                  ]))
    sys.exit(failed)


if __name__ == "__main__":
    main()
