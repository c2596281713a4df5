"""Extraction, OCR and tagging on a Dask distributed cluster.

The ingesting process stays the only writer of the store and the full-text
index; the cluster only does the work per file, with the same function a
local worker process runs (:func:`~.ingestion.process_bytes`):

- this process reads each file (workers need no shared disk), hashes it and
  skips content the store already has, so unchanged files never travel;
- the bytes travel inside the task (Dask splits large messages into frames
  of bounded size), so the scheduler can give the task to another worker
  if the first one dies; the tagger's knowledge of known documents is sent
  to every worker once;
- at most a bounded window of files (by count and by bytes) is in flight, so
  memory on both sides stays bounded however large the folder;
- results are written as they come back, each in its own transaction. When a
  worker dies, the scheduler gives its tasks to another worker; a task the
  cluster drops anyway is sent again (up to :data:`MAX_ATTEMPTS` times), and
  a file that brings down several workers in turn is reported as failed. When this
  process is killed, what was written stays and the next run goes on from
  there, as with a local run.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .extract.ocr import OcrOptions
from .i18n import SaidError, phrase
from .ingestion import FileJob, FileOutcome, failed_outcome, process_bytes, read_job, sha256_bytes
from .refs import Knowledge
from .store import FileStat

if TYPE_CHECKING:
    from distributed import Client

#: Files in flight per worker thread: enough to keep every worker busy
#: while results travel back.
FILES_PER_THREAD = 2
#: Bytes in flight at most (a single larger file is still sent, alone).
WINDOW_BYTES = 256 * 1024 * 1024
CONNECT_TIMEOUT = 20.0
#: How often a file is sent again after the cluster lost it with a worker.
MAX_ATTEMPTS = 3


class ClusterError(SaidError):
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
def _client(address: str) -> Iterator[Client]:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise ClusterError(phrase("the Dask 'distributed' package is not installed; pip install distributed")) from None
    quiet = _QuietLogs()
    try:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(phrase("cannot reach the Dask scheduler at {address} ({error}); start one with 'dask "
                                      "scheduler' and workers with 'dask worker {address}', or ingest without "
                                      "--cluster", address=address, error=f"{type(exc).__name__}: {exc}")) from None
        try:
            if not client.scheduler_info().get("workers"):
                try:
                    client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
                except (TimeoutError, OSError):
                    raise ClusterError(phrase("the Dask scheduler at {address} has no workers; start some with "
                                              "'dask worker {address}'", address=address)) from None
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


@dataclass
class _InFlight:
    job: FileJob
    size: int
    attempts: int


def _run(client: Client, todo: list[FileJob], knowledge: Knowledge, ocr: OcrOptions | None,
         window_bytes: int) -> Iterator[FileOutcome]:
    from distributed import as_completed

    threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
    window = max(2, threads * FILES_PER_THREAD)
    shared = [_scatter(client, knowledge)]
    running: dict[Any, _InFlight] = {}
    finished = as_completed(loop=client.loop)
    in_flight = 0

    def submit(job: FileJob, data: bytes, stat: FileStat, attempts: int) -> None:
        nonlocal in_flight
        if shared[0].status != "finished":  # every worker holding it died
            shared[0] = _scatter(client, knowledge)
        with warnings.catch_warnings():
            # Dask suggests scattering large arguments; scattered data lives
            # on one worker only and dies with it, which is what must not
            # happen here, and the window bounds what the scheduler holds.
            warnings.simplefilter("ignore", UserWarning)
            future = client.submit(process_bytes, job, data, stat, shared[0], ocr, pure=False)
        running[future] = _InFlight(job, len(data), attempts)
        in_flight += len(data)
        finished.add(future)

    def settle(future: Any) -> FileOutcome | None:
        """The outcome of a finished task, or None when it was sent again."""
        nonlocal in_flight
        entry = running[future]
        in_flight -= entry.size
        outcome = _collect(future, running)
        if outcome is not None:
            return outcome
        if entry.attempts >= MAX_ATTEMPTS:
            return failed_outcome(entry.job.path, phrase(
                "the cluster lost it {n} times (workers died while reading it); ingest it again or without --cluster",
                n=entry.attempts))
        again, payload = _read(entry.job)
        if again is not None:
            return again
        assert payload is not None
        submit(entry.job, payload[0], payload[1], entry.attempts + 1)
        return None

    try:
        for job in todo:
            outcome, payload = _read(job)
            if outcome is not None:
                yield outcome
                continue
            assert payload is not None
            while running and (len(running) >= window or in_flight + len(payload[0]) > window_bytes):
                result = settle(next(finished))
                if result is not None:
                    yield result
            submit(job, payload[0], payload[1], 1)
            del payload
        while running:
            result = settle(next(finished))
            if result is not None:
                yield result
    finally:
        for future in running:
            future.cancel()
        shared[0].cancel()


def _scatter(client: Client, value: Any) -> Any:
    """``value`` copied to every worker; tried again while a worker that just
    died is still on the scheduler's list."""
    for attempt in range(MAX_ATTEMPTS + 2):
        try:
            return client.scatter(value, broadcast=True, hash=False)
        except OSError:
            if attempt == MAX_ATTEMPTS + 1:
                raise ClusterError(phrase("cannot send data to the cluster's workers: they keep failing; check them "
                                          "and ingest again")) from None
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def _read(job: FileJob) -> tuple[FileOutcome | None, tuple[bytes, FileStat] | None]:
    """The file's bytes and state, or the outcome when there is nothing to send
    (unreadable, or the same content as stored)."""
    read = read_job(job)
    if isinstance(read, FileOutcome):
        return read, None
    data, stat = read
    sha = sha256_bytes(data)
    if sha == job.known_sha:
        return FileOutcome(job.path, "same", sha256=sha, stat=stat), None
    return None, (data, stat)


def _collect(future: Any, running: dict[Any, _InFlight]) -> FileOutcome | None:
    """The outcome of a finished task; None when the cluster lost the task or
    its bytes (a worker died holding them) and the file must be sent again."""
    from distributed import KilledWorker

    entry = running.pop(future)
    try:
        outcome: FileOutcome = future.result()
    except KilledWorker:
        outcome = failed_outcome(entry.job.path, phrase(
            "the cluster lost every worker that tried to read it (the file may crash or exhaust them: check its size); "
            "ingest it again or without --cluster"))
    except CancelledError:
        return None
    except Exception as exc:  # the scheduler went away, a worker cannot import docsearch, ...
        outcome = failed_outcome(entry.job.path, phrase(
            "the cluster could not process it ({error}); check that every worker has docsearch installed, and ingest again",
            error=f"{type(exc).__name__}: {exc}"))
    finally:
        future.release()
    return outcome
