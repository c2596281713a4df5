"""Ingest on a Dask cluster: a real LocalCluster with two worker processes on
127.0.0.1 must store exactly what a local ingest stores, and a worker killed
mid-run must cost nothing: its files are done elsewhere, none lost or twice."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docsearch.cli import cli
from docsearch.ingestion import ingest
from docsearch.store import Store

from conftest import ROOT


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as local:
        yield local


def snapshot(store: Store) -> dict[str, Any]:
    """Everything stored for each document, keyed by path (doc ids may differ)."""
    conn = store.conn
    out: dict[str, Any] = {}
    for row in conn.execute("SELECT * FROM documents ORDER BY path"):
        # A sqlite3.Row iterates over its values: the names come from keys().
        doc = {k: row[k] for k in row.keys() if k not in ("doc_id", "ingested_at", "mtime_ns")}  # noqa: SIM118
        for table, order in (("refs", "ord"), ("dates", "start"), ("relations", "evidence_start, target"),
                             ("ocr_pages", "page")):
            rows = conn.execute(f"SELECT * FROM {table} WHERE doc_id=? ORDER BY {order}", (row["doc_id"],))
            doc[table] = [tuple(v for k, v in zip(r.keys(), r, strict=True) if k != "doc_id") for r in rows]
        out[row["path"]] = doc
    return out


def test_cluster_ingest_stores_exactly_what_a_local_ingest_stores(cluster: Any, tmp_path: Path) -> None:
    corpus = ROOT / "corpus"
    with Store.open(tmp_path / "local") as store:
        local = ingest([corpus], store, jobs=1, fulltext=False)
        expected = snapshot(store)
    with Store.open(tmp_path / "cluster") as store:
        remote = ingest([corpus], store, cluster=cluster.scheduler_address, fulltext=False)
        got = snapshot(store)
        again = ingest([corpus], store, cluster=cluster.scheduler_address, fulltext=False)
    assert not local.failed and not remote.failed
    assert len(remote.added) == len(local.added) > 40
    assert remote.retagged == local.retagged
    assert got == expected
    # Unchanged files are not sent at all the second time.
    assert len(again.unchanged) == len(local.added) and not again.added and not again.updated


def test_cli_ingest_through_a_cluster(cluster: Any, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kh.txt").write_text("KẾ HOẠCH\nThực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
                                   "utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 64)
    r = CliRunner().invoke(cli, ["ingest", str(folder), "--index", str(tmp_path / "index"),
                                 "--cluster", cluster.scheduler_address, "--format", "json"])
    assert r.exit_code == 1, r.output
    data = json.loads(r.stdout)
    assert data["added"] == 1
    assert [Path(f["file"]).name for f in data["failed"]] == ["broken.pdf"]


def test_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docsearch.cluster

    monkeypatch.setattr(docsearch.cluster, "CONNECT_TIMEOUT", 2.0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Nghị quyết số 57-NQ/TW", "utf-8")
    r = CliRunner().invoke(cli, ["ingest", str(folder), "--index", str(tmp_path / "index"),
                                 "--cluster", "tcp://127.0.0.1:9"])
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in lines[0]
    assert "dask scheduler" in lines[0]


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster: Any, tmp_path: Path) -> None:
    from distributed import Client

    # Files big enough that tagging each takes a good fraction of a second,
    # so the killed worker is busy with one when it dies.
    texts = []
    for path in sorted((ROOT / "corpus").rglob("*.txt")):
        try:
            texts.append(path.read_text("utf-8"))
        except UnicodeDecodeError:
            continue  # the corpus has files in legacy encodings too
    texts = texts[:8]
    assert texts
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(8):
        body = texts[n % len(texts)]
        (folder / f"doc-{n:02d}.txt").write_text(f"Văn bản số {n}\n\n" + (body + "\n\n") * (400 // (1 + n % 3)),
                                                  "utf-8")

    killed: list[int] = []
    watcher = Client(cluster.scheduler_address, set_as_default=False)
    try:
        pids = watcher.run(os.getpid)

        def progress(done: int, total: int, path: str) -> None:
            if killed or not path:
                return
            busy = [addr for addr, keys in watcher.processing().items() if keys and addr in pids]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])

        result: dict[str, Any] = {}

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # shown by the assertion below
                result["error"] = exc

        def work() -> None:
            with Store.open(tmp_path / "index") as store:
                result["summary"] = ingest([folder], store, cluster=cluster.scheduler_address,
                                           progress=progress, fulltext=False)
                result["rows"] = store.conn.execute(
                    "SELECT path, count(*) FROM documents GROUP BY path").fetchall()
                result["refs"] = store.conn.execute("SELECT count(*) FROM refs").fetchone()[0]

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=240)
        assert not thread.is_alive(), "ingest did not finish within 4 minutes after a worker was killed"
    finally:
        watcher.close()
    assert "error" not in result, repr(result.get("error"))
    summary = result["summary"]
    assert killed, "no worker was busy when the first file came back"
    assert not summary.failed
    assert sorted(Path(p).name for p in summary.added) == [f"doc-{n:02d}.txt" for n in range(8)]
    assert [count for _, count in result["rows"]] == [1] * 8
    assert result["refs"] > 0


@pytest.mark.slow
def test_a_killed_cluster_ingest_resumes_where_it_stopped(cluster: Any, tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys
    import time

    from docsearch.ingestion import ENV_BATCH
    from docsearch.store import STORE_FILE

    folder = tmp_path / "many"
    folder.mkdir()
    n = 120
    for i in range(n):
        (folder / f"doc{i:04d}.txt").write_text(
            f"Văn bản {i}.\n" + "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị. " * 400, "utf-8")
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "docsearch", "ingest", str(folder), "--index", str(index),
           "--cluster", cluster.scheduler_address]
    # Small batches: a commit every ten documents, so that the kill after the
    # first commit lands mid-run however fast the machine is (by default the
    # whole folder fits in one five-second batch).
    env = {**os.environ, ENV_BATCH: "10"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    db = index / STORE_FILE
    stored = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and stored < 10:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                stored = 0
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored < n, "the run finished before it could be killed; make it longer"

    with Store.open(index) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = store.count()
        summary = ingest([folder], store, cluster=cluster.scheduler_address, fulltext=False)
        assert not summary.failed
        assert len(summary.added) == n - partial and len(summary.unchanged) == partial
        assert store.count() == n
        assert store.conn.execute("SELECT count(DISTINCT path) FROM documents").fetchone()[0] == n
        assert store.conn.execute(
            "SELECT count(*) FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM refs)").fetchone()[0] == 0
