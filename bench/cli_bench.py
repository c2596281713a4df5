"""Start-up time of the command line (`python bench/cli_bench.py [--index STORE]`).

`docsearch --help` and a usage error must answer at once: the command line
imports only click and its option tables, each command the library parts it
uses. Each command runs 10 times in a fresh process (after one run that
writes the bytecode cache, as a user's first call does) and the median
wall-clock time and CPU time are reported. With ``--index`` naming a store
with a full-text index, a whole search is timed too: process start to last
byte of the answer. With ``--against`` naming the ``src`` of another version
(e.g. from ``git archive COMMIT src | tar -x -C /tmp/old``), that version is
measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report import machine, write_section

SRC = Path(__file__).resolve().parents[1] / "src"
RUN = "import sys; from docsearch.cli import main; sys.argv[0] = 'docsearch'; main()"
QUERY = "kế hoạch chuyển đổi số"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_times(args: list[str], src: Path, cache: Path, runs: int = 10) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``docsearch ARGS`` in fresh processes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # A user's Python writes bytecode on the first call and reads it afterwards;
    # a private cache folder gives every measured version the same start.
    env.update(PYTHONPATH=str(src), PYTHONPYCACHEPREFIX=str(cache))
    command = [sys.executable, "-c", RUN, *args]
    first = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    if args[:1] == ["search"] and "--help" not in args and first.returncode != 0:
        raise SystemExit(f"cli_bench: the search failed: {first.stderr.strip()}")
    walls, cpus = [], []
    for _ in range(runs):
        cpu = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, help="a store with a full-text index, for a whole search")
    ap.add_argument("--against", type=Path, help="the src folder of another version, measured beside this one")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    commands: list[list[str]] = [["--help"], ["search", "--help"], ["ingest"]]
    if args.index is not None:
        commands.append(["search", QUERY, "--index", str(args.index), "--limit", "10"])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for command in commands:
            label = " ".join(command)
            if args.index is not None:
                label = label.replace(str(args.index), "STORE")
            wall, cpu = median_times(command, SRC, Path(tmp) / "this")
            row = f"| `docsearch {label}` | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms |"
            if args.against is not None:
                other_wall, other_cpu = median_times(command, args.against, Path(tmp) / "other")
                row += f" {other_wall * 1000:.0f} ms | {other_cpu * 1000:.0f} ms |"
            rows.append(row)
            print(row, flush=True)
    documents = ""
    if args.index is not None:
        from docsearch.store import Store

        with Store.open_reader(args.index) as store:
            documents = f" STORE is a store of {store.count():,} documents (`--index`)."
    other = f" with {args.against}" if args.against else ""
    body = "\n".join([
        f"Machine: {machine()}, load average {load:.1f} at the start. Command: `python bench/cli_bench.py"
        + (" --index STORE" if args.index else "") + (f" --against {args.against}" if args.against else "")
        + "`: the median of 10 fresh processes after one that writes the bytecode cache (as a user's "
        "first call does); wall-clock from process start to its last byte, and CPU time of the process."
        + documents,
        "",
        "| command | wall | CPU |" + (f" wall{other} | CPU{other} |" if other else ""),
        "|---|---|---|" + ("---|---|" if other else ""),
        *rows,
    ])
    if not args.no_write:
        write_section("cli", "Command line start-up", body)
    print(body)


if __name__ == "__main__":
    sys.path.insert(0, str(SRC))
    main()
