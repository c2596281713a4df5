"""The graph settle during an ingest of generated plain text, before/after.

    python bench/settle_bench.py --against base/src          # 10,000 documents, 2 runs each, taking turns
    python bench/settle_bench.py --docs 2000 --repeat 3 --against base/src

Each run ingests the generated documents (``synthetic.py``, kept in
``--workdir``) into a new store with ``--jobs 2``, in a process of its own
importing the docsearch of one ``src`` folder, and reports the CPU of all its
processes, the CPU spent in the graph settles (``time.process_time`` around
each), the relations each settle resolved, how many it gave their key in
place and how many it left as they were (their kept basis chose their key
again), and a hash of the stored resolution (every row of the graph tables,
sorted), which must be the same for both codes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GRAPH_TABLES = ("graph_edges", "graph_nodes", "graph_ids", "graph_citations", "graph_texts", "graph_bodies")


def _files(work: Path, n: int) -> Path:
    """The generated documents, written once."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import Generator

    files = work / f"files-{n}"
    if not (files / "complete").exists():
        shutil.rmtree(files, ignore_errors=True)
        for d in Generator(1).documents(n):
            path = files / "docs" / d.path.lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(d.text, "utf-8")
        (files / "complete").write_text(str(n))
    return files / "docs"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def one(src: Path, docs: Path, out: Path) -> dict[str, Any]:
    """One ingest with the docsearch of ``src`` (imported first by :func:`main`)."""
    import docsearch
    from docsearch.graph import stored
    from docsearch.ingestion import ingest
    from docsearch.store import Store

    spent = [0.0]
    reports: list[Any] = []
    real = stored.settle

    def timed(store: Any, **options: Any) -> Any:
        started = time.process_time()
        report = real(store, **options)
        spent[0] += time.process_time() - started
        if report is not None:
            reports.append(report)
        return report

    if not Path(docsearch.__file__).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"docsearch imported from {docsearch.__file__}, not {src}")
    stored.settle = timed  # type: ignore[assignment]
    shutil.rmtree(out, ignore_errors=True)
    cpu = _cpu()
    with Store.open(out / "index") as store:
        summary = ingest([docs], store, jobs=2)
    cpu = _cpu() - cpu
    digest = hashlib.sha256()
    with Store.open(out / "index") as store:
        for table in GRAPH_TABLES:
            for row in sorted(repr(tuple(r)) for r in store._tuples(f"SELECT * FROM {table}")):
                digest.update(row.encode())
    shutil.rmtree(out, ignore_errors=True)
    return {"docs": len(summary.added), "cpu": cpu, "settle_cpu": spent[0],
            "relations": [r.relations for r in reports],
            "placed": [getattr(r, "placed", 0) for r in reports],
            "kept": [getattr(r, "kept", 0) for r in reports],
            "graph": digest.hexdigest()[:16]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--against", type=Path, required=True, metavar="SRC", help="the other code's src folder")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-settle-bench")
    ap.add_argument("--one", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        # Before anything imports docsearch (synthetic.py does).
        sys.path.insert(0, str(args.one))
    docs = _files(args.workdir, args.docs)
    if args.one is not None:
        print(json.dumps(one(args.one, docs, args.workdir / "store")))
        return
    sides = {"before": args.against.resolve(), "now": ROOT / "src"}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for _ in range(args.repeat):
        for name, src in sides.items():
            load = os.getloadavg()[0]
            done = subprocess.run([sys.executable, __file__, "--docs", str(args.docs), "--workdir", str(args.workdir),
                                   "--against", str(args.against), "--one", str(src)],
                                  check=True, capture_output=True, text=True, env=env)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name}: load {load:.1f}, {r['docs']} documents, CPU {r['cpu']:.2f} s, "
                  f"settles {r['settle_cpu']:.2f} s ({r['settle_cpu'] / max(r['docs'], 1) * 1000:.2f} ms a document); "
                  f"relations resolved {r['relations']}; given their key in place {r['placed']}; "
                  f"left as they were by their basis {r.get('kept')}; "
                  f"stored resolution {r['graph']}", flush=True)


if __name__ == "__main__":
    main()
