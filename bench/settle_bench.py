"""The graph settle during an ingest of generated plain text, before/after.

    python bench/settle_bench.py --against base/src          # 10,000 documents, 2 runs each, taking turns
    python bench/settle_bench.py --docs 2000 --repeat 3 --against base/src
    python bench/settle_bench.py --docs 100000 --settles 20,48 --repeat 4 --against base/src --no-ingest

Each run ingests the generated documents (``synthetic.py``, kept in
``--workdir``) into a new store with ``--jobs 2``, in a process of its own
importing the docsearch of one ``src`` folder, and reports the CPU of all its
processes, the CPU spent in the graph settles (``time.process_time`` around
each), the relations each settle resolved, how many it gave their key in
place and how many it left as they were (their kept basis chose their key
again), and a hash of the stored resolution (every row of the graph tables,
sorted), which must be the same for both codes.

``--settles 20,48`` also replays single settles: an ingest with this code
stops at each settle named (counted from 1) and keeps the store as it is
before it and what the batch hands it (in ``--workdir``, made once per
number of documents: remove ``settles-<docs>`` there after a change to what
the settle stores); then each code settles a copy of it, ``--repeat``
times taking turns, each in a process of its own. A replay measures one
settle of a large store in seconds, with nothing else of the ingest around
it, and its hash (the graph tables after it) must be the same for both codes.
``--no-ingest`` leaves out the whole ingests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
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


def _graph_hash(store: Any) -> str:
    """A hash of the stored resolution: every row of the graph tables, sorted."""
    digest = hashlib.sha256()
    for table in GRAPH_TABLES:
        for row in sorted(repr(tuple(r)) for r in store._tuples(f"SELECT * FROM {table}")):
            digest.update(row.encode())
    return digest.hexdigest()[:16]


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
    with Store.open(out / "index") as store:
        graph = _graph_hash(store)
    shutil.rmtree(out, ignore_errors=True)
    return {"docs": len(summary.added), "cpu": cpu, "settle_cpu": spent[0],
            "relations": [r.relations for r in reports],
            "placed": [getattr(r, "placed", 0) for r in reports],
            "kept": [getattr(r, "kept", 0) for r in reports],
            "graph": graph}


def capture(docs: Path, out: Path, numbers: set[int]) -> None:
    """Ingest ``docs`` with the docsearch imported, keeping the store and the
    batch before each settle of ``numbers`` in ``out/settle-<n>``; stops
    after the last."""
    import dataclasses
    import sqlite3
    import tempfile

    from docsearch.graph import stored
    from docsearch.ingestion import ingest
    from docsearch.store import Store

    class Enough(Exception):
        pass

    seen = [0]
    real = stored.settle

    def keep(store: Any, **options: Any) -> Any:
        seen[0] += 1
        if seen[0] in numbers:
            where = out / f"settle-{seen[0]}"
            shutil.rmtree(where, ignore_errors=True)
            where.mkdir(parents=True)
            copy = sqlite3.connect(where / "docsearch.sqlite")
            store.conn.backup(copy)
            copy.close()
            written = options.get("written")
            if written is not None:
                written = dataclasses.replace(written, prepared={})  # the full-text engine's, not the settle's
            (where / "written.pickle").write_bytes(pickle.dumps(written))
            (where / "complete").write_text("")
            if seen[0] == max(numbers):
                raise Enough
        return real(store, **options)

    stored.settle = keep  # type: ignore[assignment]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp, Store.open(tmp) as store:
        try:
            ingest([docs], store, jobs=2)
        except Enough:
            return
    raise SystemExit(f"the ingest ended after {seen[0]} settles, before settle {max(numbers)}")


def replay(src: Path, kept: Path, out: Path) -> dict[str, Any]:
    """One settle of a copy of the store kept in ``kept``, with the docsearch of ``src``."""
    import docsearch
    from docsearch.graph import stored
    from docsearch.store import Store

    if not Path(docsearch.__file__).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"docsearch imported from {docsearch.__file__}, not {src}")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(kept / "docsearch.sqlite", out / "docsearch.sqlite")
    written = pickle.loads((kept / "written.pickle").read_bytes())
    with Store.open(out) as store:
        started = time.process_time()
        report = stored.settle(store, written=written)
        cpu = time.process_time() - started
        graph = _graph_hash(store)
    shutil.rmtree(out, ignore_errors=True)
    return {"cpu": cpu, "relations": getattr(report, "relations", 0), "graph": graph}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--against", type=Path, required=True, metavar="SRC", help="the other code's src folder")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "docsearch-settle-bench")
    ap.add_argument("--settles", default="", help="settles to replay, by number (e.g. 20,48)")
    ap.add_argument("--no-ingest", action="store_true", help="only the replays of --settles")
    ap.add_argument("--one", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--capture", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--replay", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    numbers = {int(n) for n in args.settles.split(",") if n.strip()}
    if args.one is not None:
        # Before anything imports docsearch (synthetic.py does).
        sys.path.insert(0, str(args.one))
    docs = _files(args.workdir, args.docs)
    kept = args.workdir / f"settles-{args.docs}"
    if args.one is not None:
        if args.capture:
            capture(docs, kept, numbers)
        elif args.replay is not None:
            print(json.dumps(replay(args.one, args.replay, args.workdir / "replay")))
        else:
            print(json.dumps(one(args.one, docs, args.workdir / "store")))
        return
    sides = {"before": args.against.resolve(), "now": ROOT / "src"}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    base = [sys.executable, __file__, "--docs", str(args.docs), "--workdir", str(args.workdir),
            "--against", str(args.against)]
    missing = sorted(n for n in numbers if not (kept / f"settle-{n}" / "complete").exists())
    if missing:
        subprocess.run([*base, "--settles", ",".join(map(str, missing)), "--capture", "--one", str(ROOT / "src")],
                       check=True, env=env)
    for n in sorted(numbers):
        for _ in range(args.repeat):
            for name, src in sides.items():
                load = os.getloadavg()[0]
                done = subprocess.run([*base, "--replay", str(kept / f"settle-{n}"), "--one", str(src)],
                                      check=True, capture_output=True, text=True, env=env)
                r = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"settle {n}, {name}: load {load:.1f}, CPU {r['cpu']:.2f} s, relations resolved "
                      f"{r['relations']}, stored resolution {r['graph']}", flush=True)
    for _ in range(0 if args.no_ingest else args.repeat):
        for name, src in sides.items():
            load = os.getloadavg()[0]
            done = subprocess.run([*base, "--one", str(src)], check=True, capture_output=True, text=True, env=env)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name}: load {load:.1f}, {r['docs']} documents, CPU {r['cpu']:.2f} s, "
                  f"settles {r['settle_cpu']:.2f} s ({r['settle_cpu'] / max(r['docs'], 1) * 1000:.2f} ms a document); "
                  f"relations resolved {r['relations']}; given their key in place {r['placed']}; "
                  f"left as they were by their basis {r.get('kept')}; "
                  f"stored resolution {r['graph']}", flush=True)


if __name__ == "__main__":
    main()
