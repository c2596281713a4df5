"""Ingestion speed: the sample corpus and the seeds, first run and unchanged re-run.

    python bench/ingest_bench.py

Each figure is the median of 3 runs on a fresh index, wall-clock and CPU time
(of this process and its worker processes). The scaling table
(scale_bench.py) has ingest at 1,000 and 10,000 generated documents.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
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
        f"Command: `python bench/ingest_bench.py` (medians of {REPEAT} runs, fresh index each time; "
        "CPU time of the ingesting process and its workers).",
        "",
        "| input | jobs | documents | first run | unchanged re-run | re-run / first |",
        "|---|---|---|---|---|---|",
        *rows,
    ])
    write_section("ingest", "Ingestion", body)
    print(body)


if __name__ == "__main__":
    main()
