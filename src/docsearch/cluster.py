"""Extraction, OCR and tagging on a Dask distributed cluster.

The ingesting process stays the only writer of the store and the full-text
index; the cluster only does the work per file, with the same function a
local worker process runs (:func:`~.ingestion.process_bytes`):

- this process reads each file (workers need no shared disk), hashes it and
  skips content the store already has, so unchanged files never travel;
- the bytes go to the cluster with ``scatter`` (Dask splits large messages
  into frames of bounded size) and a task reads them there; the tagger's
  knowledge of known documents is sent to every worker once;
- at most a bounded window of files (by count and by bytes) is in flight, so
  memory on both sides stays bounded however large the folder;
- results are written as they come back, each in its own transaction. When a
  worker dies, the scheduler gives its tasks to another worker; a file that
  brings down several workers in turn is reported as failed. When this
  process is killed, what was written stays and the next run goes on from
  there, as with a local run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .extract.ocr import OcrOptions
from .ingestion import FileJob, FileOutcome, process_bytes, sha256_bytes
from .refs import Knowledge

if TYPE_CHECKING:
    from distributed import Client

#: Files in flight per worker thread: enough to keep every worker busy
#: while results travel back.
FILES_PER_THREAD = 2
#: Bytes in flight at most (a single larger file is still sent, alone).
WINDOW_BYTES = 256 * 1024 * 1024
CONNECT_TIMEOUT = 20.0


class ClusterError(Exception):
    """The cluster cannot be used; the message says what to do."""


def run_on_cluster(address: str, todo: list[FileJob], knowledge: Knowledge,
                   ocr: OcrOptions | None = None, *,
                   window_bytes: int = WINDOW_BYTES) -> Iterator[FileOutcome]:
    """Process ``todo`` on the Dask cluster whose scheduler is at ``address``;
    yields one outcome per job, in the order they finish."""
    if not todo:
        return
    with _client(address) as client:
        yield from _run(client, todo, knowledge, ocr, window_bytes)


@contextmanager
def _client(address: str) -> Iterator["Client"]:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise ClusterError("the Dask 'distributed' package is not installed; pip install distributed") from None
    quiet = _quiet_logs()
    try:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: {exc}); "
                f"start one with 'dask scheduler' and workers with 'dask worker {address}', "
                "or ingest without --cluster"
            ) from None
        try:
            if not client.scheduler_info().get("workers"):
                try:
                    client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
                except (TimeoutError, OSError):
                    raise ClusterError(
                        f"the Dask scheduler at {address} has no workers; start some with "
                        f"'dask worker {address}'"
                    ) from None
            yield client
        finally:
            client.close()
    finally:
        quiet.close()


class _QuietLogs:
    """Dask logs every lost worker and retried task; the summary of the run
    says what matters to the user, so only errors are shown meanwhile."""

    def __init__(self) -> None:
        self.saved: list[tuple[logging.Logger, int]] = []
        for name in ("distributed", "distributed.client", "distributed.batched", "tornado"):
            log = logging.getLogger(name)
            self.saved.append((log, log.level))
            log.setLevel(logging.ERROR)

    def close(self) -> None:
        for log, level in self.saved:
            log.setLevel(level)


def _quiet_logs() -> _QuietLogs:
    return _QuietLogs()


def _run(client: "Client", todo: list[FileJob], knowledge: Knowledge, ocr: OcrOptions | None,
         window_bytes: int) -> Iterator[FileOutcome]:
    from distributed import as_completed

    threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
    window = max(2, threads * FILES_PER_THREAD)
    shared = client.scatter(knowledge, broadcast=True, hash=False)
    # Options travel with each task: they are a few bytes.
    running: dict[Any, tuple[FileJob, int, Any]] = {}
    finished = as_completed(loop=client.loop)
    in_flight = 0
    try:
        for job in todo:
            outcome, payload = _read(job)
            if outcome is not None:
                yield outcome
                continue
            assert payload is not None
            data, mtime_ns = payload
            while running and (len(running) >= window or in_flight + len(data) > window_bytes):
                done = next(finished)
                in_flight -= running[done][1]
                yield _collect(done, running)
            data_future = client.scatter(data, hash=False)
            future = client.submit(process_bytes, job, data_future, mtime_ns, shared, ocr, pure=False)
            running[future] = (job, len(data), data_future)
            in_flight += len(data)
            del data
            finished.add(future)
        for done in finished:
            yield _collect(done, running)
    finally:
        for future, (_, _, data_future) in running.items():
            future.cancel()
            data_future.cancel()
        shared.cancel()


def _read(job: FileJob) -> tuple[FileOutcome | None, tuple[bytes, int] | None]:
    """The file's bytes and mtime, or the outcome when there is nothing to send
    (unreadable, or the same content as stored)."""
    try:
        with open(job.path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        return FileOutcome(job.path, "failed", error="file disappeared before it could be read "
                           "(moved or deleted during the run); run ingest again"), None
    except PermissionError:
        return FileOutcome(job.path, "failed", error="permission denied; make the file readable"), None
    except IsADirectoryError:
        return FileOutcome(job.path, "failed", error="is a folder, not a file"), None
    except OSError as exc:
        return FileOutcome(job.path, "failed", error=f"cannot read file: {exc.strerror or exc}"), None
    except MemoryError:
        return FileOutcome(job.path, "failed", error="file too large to read into memory; split it"), None
    sha = sha256_bytes(data)
    if sha == job.known_sha:
        return FileOutcome(job.path, "same", sha256=sha, size=len(data), mtime_ns=st.st_mtime_ns), None
    return None, (data, st.st_mtime_ns)


def _collect(future: Any, running: dict[Any, tuple[FileJob, int, Any]]) -> FileOutcome:
    from distributed import KilledWorker

    job, _, data_future = running.pop(future)
    try:
        outcome: FileOutcome = future.result()
    except KilledWorker:
        outcome = FileOutcome(job.path, "failed", error=(
            "the cluster lost every worker that tried to read it (the file may crash or exhaust "
            "them: check its size); ingest it again or without --cluster"))
    except Exception as exc:  # the scheduler went away, a worker cannot import docsearch, ...
        outcome = FileOutcome(job.path, "failed", error=(
            f"the cluster could not process it ({type(exc).__name__}: {exc}); "
            "check that every worker has docsearch installed, and ingest again"))
    finally:
        future.release()
        data_future.release()
    return outcome
