"""Run every benchmark in this folder and rewrite docs/benchmarks.md (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["ingest_bench.py", "tagger_bench.py", "search_bench.py", "graph_bench.py", "site_bench.py", "ocr_bench.py"]

if __name__ == "__main__":
    failed = 0
    for name in ORDER:
        script = HERE / name
        if script.exists():
            print(f"== {name}", flush=True)
            failed |= subprocess.run([sys.executable, str(script)], cwd=HERE).returncode
    sys.exit(failed)
