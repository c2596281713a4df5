"""Run the benchmarks and rewrite their sections of docs/benchmarks.md (`make bench`).

    python bench/run.py            # under 20 minutes: tagger, ingest, and the scaling table at 1k/10k/100k
    python bench/run.py --quick    # under 3 minutes: tagger (fewer repetitions) and the table at 1k

The detailed single-size benchmarks (search_bench.py, graph_bench.py, web_bench.py,
site_bench.py) are run on their own; each rewrites its own section.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FULL = [["cli_bench.py"], ["tagger_bench.py"], ["ingest_bench.py"], ["memory_bench.py"], ["scale_bench.py"], ["web_bench.py"],
        ["ocr_bench.py"]]
QUICK = [["cli_bench.py"], ["tagger_bench.py", "--quick"], ["scale_bench.py", "--quick"]]

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the short run (under 3 minutes)")
    args = ap.parse_args()
    failed = 0
    started = time.perf_counter()
    for name, *rest in QUICK if args.quick else FULL:
        print(f"== {name} {' '.join(rest)}".rstrip(), flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / name), *rest], cwd=HERE).returncode
    print(f"== done in {(time.perf_counter() - started) / 60:.1f} minutes", flush=True)
    sys.exit(failed)
