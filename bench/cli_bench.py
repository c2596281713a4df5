"""Start-up time of the command line (`python bench/cli_bench.py`).

`docsearch --help` and a usage error must answer at once: the command line
imports only click and its option tables, each command the library parts it
uses. Runs each command 10 times in a fresh process and reports the median.
With a folder as argument (the `src` of another version, e.g. from
`git archive COMMIT src | tar -x -C /tmp/old`), measures that version too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_report import machine, write_section

SRC = Path(__file__).resolve().parents[1] / "src"
RUN = "import sys; from docsearch.cli import main; sys.argv[0] = 'docsearch'; main()"


def median_seconds(args: list[str], src: Path = SRC, runs: int = 10) -> float:
    times = []
    env = {**os.environ, "PYTHONPATH": str(src)}
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", RUN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    other = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    load = os.getloadavg()[0]
    rows = []
    for args in (["--help"], ["search", "--help"], ["ingest"]):
        row = f"| `docsearch {' '.join(args)}` | {median_seconds(args) * 1000:.0f} ms |"
        if other is not None:
            row += f" {median_seconds(args, other) * 1000:.0f} ms |"
        rows.append(row)
    body = "\n".join([
        f"Machine: {machine()}, load average {load:.1f} at the start. Command: `python bench/cli_bench.py"
        + (f" {other}`" if other else "`") + " (median of 10 fresh processes, wall-clock).",
        "",
        "| command | time |" + (f" time with {other} |" if other else ""),
        "|---|---|" + ("---|" if other else ""),
        *rows,
    ])
    write_section("cli", "Command line start-up", body)
    print(body)


if __name__ == "__main__":
    main()
