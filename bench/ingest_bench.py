"""Ingestion speed: the sample corpus and the seeds, first run and unchanged re-run.

    python bench/ingest_bench.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from docsearch.ingestion import ingest  # noqa: E402
from docsearch.store import Store  # noqa: E402

from bench_report import machine, write_section  # noqa: E402


def run(paths: list[Path], jobs: int) -> tuple[int, float, float]:
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "idx") as store:
        t = time.perf_counter()
        first = ingest(paths, store, jobs=jobs)
        t1 = time.perf_counter() - t
        t = time.perf_counter()
        second = ingest(paths, store, jobs=jobs)
        t2 = time.perf_counter() - t
        assert len(second.unchanged) == len(first.added), "second run must find everything unchanged"
        return len(first.added), t1, t2


def main() -> None:
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    rows = []
    inputs = [("seeds (5 texts)", [seeds])] if seeds.is_dir() else []  # ../shared is not in every clone
    inputs.append(("corpus/ (53 files, 4 formats)", [ROOT / "corpus"]))
    for name, paths in inputs:
        for jobs in (1, 2):
            n, t1, t2 = run(paths, jobs)
            rows.append(f"| {name} | {jobs} | {n} | {t1:.2f} s | {t2 * 1000:.0f} ms | {t2 / t1:.1%} |")
    body = "\n".join([
        f"Machine: {machine()}. Command: `python bench/ingest_bench.py` (wall-clock, fresh index each time).",
        "",
        "| input | jobs | documents | first run | unchanged re-run | re-run / first |",
        "|---|---|---|---|---|---|",
        *rows,
    ])
    write_section("ingest", "Ingestion", body)
    print(body)


if __name__ == "__main__":
    main()
