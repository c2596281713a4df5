"""Ingestion: walk files and folders, extract, tag and store each document.

Data flow: :func:`collect` lists the files (following directory links once,
never in a loop); files whose size and modification time match the store
are skipped without being read; the rest go to :func:`process_file` in worker
processes, which read the bytes once and hand them to :func:`process_bytes`:
hash them, skip content the store already has, extract (with OCR where a
page is a scan), detect the language and tag. On a Dask cluster
(:mod:`.cluster`) the ingesting process reads the files and sends the bytes
to :func:`process_bytes` on the workers. The main process writes each result
in its own transaction, so an interrupted run loses at most the document
being written.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .extract import SUFFIXES, ExtractionError, extract_bytes, is_supported
from .extract.base import Extracted
from .extract.ocr import OcrOptions
from .lang import detect_language
from .models import Failure, IngestSummary, TagResult
from .refs import Knowledge, parse_number, read_registry_file, tag
from .store import FileState, Store

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FileJob:
    """One file to look at, with what the store knows of it."""

    path: str
    known_sha: str | None


@dataclass(frozen=True)
class FileOutcome:
    """What a worker made of one file."""

    path: str
    status: str  # "extracted", "same" or "failed"
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    format: str = ""
    lang: str = ""
    extracted: Extracted | None = None
    tags: TagResult | None = None
    error: str = ""


@dataclass
class Listing:
    """The files found under the given paths."""

    files: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def collect(paths: Iterable[str | os.PathLike[str]]) -> Listing:
    """List the documents under ``paths``.

    Folders are walked recursively, skipping hidden entries and files whose
    suffix no extractor reads; a file named explicitly is always taken, as its
    content may tell its format. Directory links are followed, each real
    folder once, so a link loop ends the walk instead of trapping it.
    """
    listing = Listing()
    seen_files: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            root = str(p.resolve())
            listing.folders.append(root)
            for f in _walk(Path(root), listing):
                if f not in seen_files:
                    seen_files.add(f)
                    listing.files.append(f)
        elif p.is_file():
            f = str(p.resolve())
            if f not in seen_files:
                seen_files.add(f)
                listing.files.append(f)
        elif p.exists():
            listing.failures.append(Failure(str(p), "not a regular file or folder; skip it"))
        else:
            listing.failures.append(Failure(str(p), "no such file or folder; check the path"))
    return listing


def _walk(root: Path, listing: Listing) -> Iterator[str]:
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            listing.failures.append(Failure(str(folder), f"cannot list folder: {exc.strerror}; check its permissions"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    subfolders.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True):
                    if is_supported(Path(entry.name)):
                        yield str(Path(folder, entry.name))
                    else:
                        listing.skipped.append(entry.path)
            except OSError:
                continue
        stack.extend(reversed(subfolders))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_worker_knowledge: Knowledge | None = None
_worker_ocr: OcrOptions | None = None


def _init_worker(knowledge: Knowledge, ocr: OcrOptions | None = None) -> None:
    global _worker_knowledge, _worker_ocr
    _worker_knowledge = knowledge
    _worker_ocr = ocr


def process_file(job: FileJob, knowledge: Knowledge | None = None,
                 ocr: OcrOptions | None = None) -> FileOutcome:
    """Read one file and hand it to :func:`process_bytes`.

    Never raises for bad input: problems come back as ``status="failed"``
    with a one-line reason that names what to do.
    """
    try:
        with open(job.path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        return FileOutcome(job.path, "failed", error="file disappeared before it could be read (moved or deleted during the run); run ingest again")
    except PermissionError:
        return FileOutcome(job.path, "failed", error="permission denied; make the file readable")
    except IsADirectoryError:
        return FileOutcome(job.path, "failed", error="is a folder, not a file")
    except OSError as exc:
        return FileOutcome(job.path, "failed", error=f"cannot read file: {exc.strerror or exc}")
    return process_bytes(job, data, st.st_mtime_ns, knowledge, ocr)


def process_bytes(job: FileJob, data: bytes, mtime_ns: int, knowledge: Knowledge | None = None,
                  ocr: OcrOptions | None = None) -> FileOutcome:
    """Hash, extract, identify the language of and tag the bytes of one file.

    The work done for every file, wherever it runs (this process, a local
    worker process or a cluster worker); ``job.path`` only names the file
    and gives its suffix. Never raises for bad input.
    """
    knowledge = knowledge or _worker_knowledge
    ocr = ocr or _worker_ocr
    sha = sha256_bytes(data)
    base = dict(sha256=sha, size=len(data), mtime_ns=mtime_ns)
    if sha == job.known_sha:
        return FileOutcome(job.path, "same", **base)
    try:
        fmt, extracted = extract_bytes(data, Path(job.path).suffix, ocr=ocr)
        lang = detect_language(extracted.text)
        tags = tag(extracted.text, lang=lang, knowledge=knowledge)
    except ExtractionError as exc:
        return FileOutcome(job.path, "failed", error=str(exc), **base)
    except MemoryError:
        return FileOutcome(job.path, "failed", error="file too large to extract in memory; split it", **base)
    except Exception as exc:  # a bug in an extractor or the tagger must not end the whole run
        return FileOutcome(
            job.path, "failed",
            error=f"unexpected error reading it ({type(exc).__name__}: {exc}); please report this file",
            **base,
        )
    return FileOutcome(job.path, "extracted", format=fmt, lang=lang, extracted=extracted, tags=tags, **base)


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    fulltext: bool = True,
    ocr: OcrOptions | None = None,
    cluster: str | None = None,
) -> IngestSummary:
    """Bring the store in step with ``paths``; see the module docstring.

    ``jobs`` is the number of worker processes (default: the number of
    cores; 1 runs everything in this process). ``progress`` is called after
    each file with (done, total, path). With ``fulltext``, the full-text
    index is brought in step with the store at the end; a failure there is
    reported in ``summary.fulltext_error`` and leaves the store as it is.
    ``ocr`` says when scanned pages and images are read with OCR (default:
    mode ``auto``, languages ``vie+eng``). With ``cluster`` (the address of
    a Dask scheduler, ``tcp://host:8786``) the files are extracted and tagged
    on that cluster's workers instead of local processes; raises
    :class:`~.cluster.ClusterError` when it cannot be reached.
    """
    ocr = ocr or OcrOptions()
    started = time.perf_counter()
    summary = IngestSummary()
    listing = collect(paths)
    summary.failed.extend(listing.failures)
    summary.skipped.extend(listing.skipped)
    states = store.file_states()

    todo: list[FileJob] = []
    for path in listing.files:
        state = states.get(path)
        if state is not None and _unchanged_on_disk(path, state):
            summary.unchanged.append(path)
        else:
            todo.append(FileJob(path, state.sha256 if state else None))

    total = len(listing.files)
    done = len(summary.unchanged)
    if progress:
        progress(done, total, "")
    knowledge = Knowledge.from_store(store)
    if cluster:
        from .cluster import run_on_cluster

        outcomes = run_on_cluster(cluster, todo, knowledge, ocr)
    else:
        outcomes = _run(todo, knowledge, jobs, ocr)
    for outcome in outcomes:
        _record(outcome, store, states, summary)
        done += 1
        if progress:
            progress(done, total, outcome.path)

    if summary.added or summary.updated:
        # New documents may identify what earlier short forms meant.
        after = Knowledge.from_store(store)
        before = _fingerprint(knowledge)
        new_docs = [d for docs in after.by_id.values() for d in docs if d.key not in before]
        if new_docs:
            numbers = {(p.number, d.type) for d in new_docs if (p := parse_number(d.id)) is not None}
            summary.retagged = retag(store, knowledge=after, numbers=numbers)

    present = set(listing.files)
    gone = [
        p for p in states
        if p not in present and any(_is_under(p, folder) for folder in listing.folders)
    ]
    if gone:
        store.remove(gone)
        summary.removed.extend(sorted(gone))
    if fulltext:
        # Imported here: worker processes and text-only runs need no search engine.
        from .search import SearchError, sync

        try:
            summary.fulltext = sync(store).to_json()
        except SearchError as exc:
            summary.fulltext_error = str(exc)
    summary.seconds = time.perf_counter() - started
    return summary


def _unchanged_on_disk(path: str, state: FileState) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == state.size and st.st_mtime_ns == state.mtime_ns


def _is_under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _run(todo: list[FileJob], knowledge: Knowledge, jobs: int | None,
         ocr: OcrOptions | None = None) -> Iterator[FileOutcome]:
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    workers = min(workers, len(todo))
    if workers > 1 and _small(todo):
        workers = 1  # starting worker processes costs more than the work
    if workers <= 1:
        for job in todo:
            yield process_file(job, knowledge, ocr)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(knowledge, ocr)) as pool:
        # Submit in a bounded window so a huge folder does not hold every
        # extracted text in memory at once.
        window = workers * 4
        pending: list[tuple[FileJob, Future[FileOutcome]]] = []
        queue = iter(todo)
        for job in queue:
            pending.append((job, pool.submit(process_file, job)))
            if len(pending) >= window:
                break
        while pending:
            job, fut = pending.pop(0)
            try:
                outcome = fut.result()
            except Exception as exc:  # a worker died (e.g. out of memory)
                outcome = FileOutcome(job.path, "failed", error=f"worker crashed while reading it ({type(exc).__name__}); try with --jobs 1")
            yield outcome
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(process_file, nxt)))


def _fingerprint(k: Knowledge) -> frozenset[str]:
    return frozenset(d.key for docs in k.by_id.values() for d in docs)


def retag(store: Store, *, knowledge: Knowledge | None = None,
          numbers: set[tuple[str, str | None]] | None = None) -> int:
    """Tag stored documents again with what the store now knows.

    With ``numbers`` (pairs of number and type code of newly known documents),
    only documents holding a short form, ambiguous or unresolved reference with
    such a number are re-tagged: nothing else can read differently. Without it,
    every document is. Returns how many documents were re-tagged.
    """
    knowledge = knowledge or Knowledge.from_store(store)
    if numbers is not None:
        doc_ids = sorted({
            r[0] for r in store.conn.execute(
                "SELECT doc_id, number, type FROM refs WHERE short_form = 1 OR status != 'resolved'")
            if (r[1], r[2]) in numbers
        })
    else:
        doc_ids = [r[0] for r in store.conn.execute("SELECT doc_id FROM documents")]
    for doc_id in doc_ids:
        doc = store.document(doc_id)
        store.save_tags(doc_id, tag(doc.text, lang=doc.lang, knowledge=knowledge))
    return len(doc_ids)


def import_registry(store: Store, path: str | os.PathLike[str]) -> tuple[int, int]:
    """Load a registry file into the store and re-tag the documents whose short
    forms it may resolve. Returns (entries imported, documents re-tagged).
    Raises RegistryError for a file that cannot be read."""
    entries = read_registry_file(path)
    n = store.import_registry(entries)
    retagged = retag(store, numbers={(e.number, e.type) for e in entries})
    return n, retagged


SMALL_RUN_BYTES = 8 * 1024 * 1024
SMALL_RUN_FILES = 64


def _small(todo: list[FileJob]) -> bool:
    if len(todo) >= SMALL_RUN_FILES:
        return False
    total = 0
    for job in todo:
        if SUFFIXES.get(Path(job.path).suffix.lower()) == "image":
            return False  # OCR: a few seconds a page however small the file
        try:
            size = os.stat(job.path).st_size
        except OSError:
            continue
        # A PDF may be a scan that takes seconds a page to OCR: count it as
        # at least a megabyte of work.
        total += max(size, 1024 * 1024) if job.path.lower().endswith(".pdf") else size
    return total < SMALL_RUN_BYTES


def _record(outcome: FileOutcome, store: Store, states: dict[str, FileState], summary: IngestSummary) -> None:
    if outcome.status == "failed":
        summary.failed.append(Failure(outcome.path, outcome.error))
        return
    if outcome.status == "same":
        store.touch(outcome.path, outcome.mtime_ns)
        summary.unchanged.append(outcome.path)
        return
    ex = outcome.extracted
    assert ex is not None
    store.save_document(
        path=outcome.path, sha256=outcome.sha256, size=outcome.size, mtime_ns=outcome.mtime_ns,
        format=outcome.format, lang=outcome.lang, title=ex.title, encoding=ex.encoding,
        text=ex.text, page_starts=ex.page_starts, warnings=ex.warnings, tags=outcome.tags,
        ocr_pages=ex.ocr_pages,
    )
    (summary.updated if outcome.path in states else summary.added).append(outcome.path)
