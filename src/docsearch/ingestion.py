"""Ingestion: walk files and folders, extract, tag and store each document.

Data flow: :func:`collect` lists the files (following directory links once,
never in a loop); files whose size and modification time match the store
are skipped without being read; the rest go to :func:`process_file` in worker
processes, which read the bytes once and hand them to :func:`process_bytes`:
hash them, skip content the store already has, extract (with OCR where a
page is a scan), detect the language and tag. On a Dask cluster
(:mod:`.cluster`) the ingesting process reads the files and sends the bytes
to :func:`process_bytes` on the workers. The main process writes the
results in batches, one transaction each, and brings the full-text index in
step after each batch, so an interrupted run loses at most the batch in hand
and leaves the store and the index agreeing.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import os
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .extract import SUFFIXES, ExtractionError, extract_bytes, is_supported
from .extract.base import Extracted
from .extract.ocr import OcrOptions
from .i18n import Count, Phrase, Sayable, phrase
from .lang import detect_language
from .models import Failure, IngestSummary
from .refs import TAGGER_VERSION, Knowledge, parse_number, read_registry_file, tag
from .store import (
    INGEST_CACHE_KIB,
    LONG_TEXT_CHARS,
    USUAL_CACHE_KIB,
    DocumentRecord,
    FileStat,
    FileState,
    Store,
    TagRows,
    WrittenTags,
    storable_path,
)

if TYPE_CHECKING:
    from .search.indexer import LiveIndex

ProgressCallback = Callable[[int, int, str], None]

#: After a batch holding a text of more characters than this is stored
#: (the size above which the store writes a text in pieces), the memory
#: freed meanwhile is given back (_give_back_memory) before the full-text
#: index reads the text again. Batches of ordinary texts skip it: a full
#: collection per batch would cost every ingest for no measured gain.
LARGE_TEXT_CHARS = LONG_TEXT_CHARS


def _give_back_memory() -> None:
    """Hand the memory freed so far back to the system: the texts and rows of
    a large batch, freed once stored, would otherwise stay in the process
    while the full-text index takes its memory on top of them. (Measured on
    a 7 MB text: 3 MB less at the peak of the process; after tagging a 50 MB
    text, once its rows are packed (store.PackedRows), 22 MB.)"""
    gc.collect()
    _trim_heap()


def _trim_heap() -> None:
    """Return the C heap's free pages to the system, without a collection.

    Called after each batch's graph settle and full-text update: both free
    most of what they allocated, but the C library keeps freed memory, and
    the free space left between live blocks was reused only in part, so the
    process grew by a few MB a batch for as long as the run went on (30,000
    plain texts: 124-142 MB of the heap free at the end, the peak 347-359
    MB; with this, 303-306 MB). About 10 ms a call."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, which returns free heap pages to the system (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # another C library (musl has none)
        return None
    return trim


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file to look at, with what the store knows of it."""

    # Slots: the run keeps one for every file it reads, and pickling an
    # instance that has a __dict__ (to send it to a worker) makes the dict
    # for good: 296 bytes more a file, made as the batches are written.

    path: str
    known_sha: str | None


@dataclass(frozen=True)
class FileOutcome:
    """What a worker made of one file."""

    path: str
    status: str  # "extracted", "same" or "failed"
    sha256: str = ""
    stat: FileStat | None = None
    format: str = ""
    lang: str = ""
    extracted: Extracted | None = None
    #: Compact: what crosses from a worker process is pickled, and a long
    #: text's tags as objects weighed several times its text.
    tags: TagRows | None = None
    error: str = ""  # in English
    said: Sayable | None = None  # the error, to say in any of the interface's languages
    #: What the full-text engine makes of the text, made here ahead (see
    #: ``search.indexer.text_preparer``); only in local worker processes.
    prepared: object | None = None


@dataclass
class Listing:
    """The files found under the given paths."""

    files: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ignored: list[Failure] = field(default_factory=list)


def collect(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> Listing:
    """List the documents under ``paths``.

    Folders are walked recursively, skipping hidden entries and files whose
    suffix no extractor reads; a file named explicitly is always taken, as its
    content may tell its format. A symbolic link inside a folder is followed
    only when its target lies inside one of the folders given (anywhere with
    ``follow_links``): a link to ``/etc/passwd`` must not end up in a
    published site. Links not followed, dangling links, link loops and
    entries that are not regular files (FIFOs, sockets, devices) each get a
    line in ``ignored``; nothing is passed over silently except hidden entries.
    """
    listing = Listing()
    seen_files: set[str] = set()
    given = [Path(raw) for raw in paths]
    roots = [str(p.resolve()) for p in given if p.is_dir()]
    for p in given:
        if p.is_dir():
            root = str(p.resolve())
            listing.folders.append(root)
            for f in _walk(Path(root), roots, listing, follow_links):
                if f not in seen_files:
                    seen_files.add(f)
                    listing.files.append(f)
        elif p.is_file():
            f = str(p.resolve())
            if f not in seen_files:
                seen_files.add(f)
                listing.files.append(f)
        elif p.exists():
            listing.failures.append(Failure.of(storable_path(str(p)), phrase("not a regular file or folder; skip it")))
        else:
            listing.failures.append(Failure.of(storable_path(str(p)), phrase("no such file or folder; check the path")))
    return listing


def _within(path: str, folder: str) -> bool:
    return path == folder or _is_under(path, folder)


def _link_problem(link: str, where: str, roots: list[str], follow_links: bool) -> Phrase | None:
    """Why the link ``link`` (in the real folder ``where``) is not followed, or None."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    try:
        real = os.path.realpath(link, strict=True)
    except FileNotFoundError:
        return phrase("dangling link to {target}; not read (fix or remove the link)", target=target)
    except OSError:
        return phrase("link loop ({target}); not read (fix or remove the link)", target=target)
    if os.path.isdir(real) and _within(where, real):
        return phrase("link loop: points to {real}, which contains the link; not followed", real=real)
    if not follow_links and not any(_within(real, root) for root in roots):
        return phrase("link to {real}, outside the folders given; not followed (use --follow-links to read it)",
                      real=real)
    return None


def _walk(root: Path, roots: list[str], listing: Listing, follow_links: bool) -> Iterator[str]:
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
            continue  # reached again through a link: its files are listed already
        visited.add(key)
        where = os.path.realpath(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            listing.failures.append(
                Failure.of(storable_path(str(folder)),
                           phrase("cannot list folder: {error}; check its permissions", error=exc.strerror)))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    problem = _link_problem(entry.path, where, roots, follow_links)
                    if problem is not None:
                        listing.ignored.append(Failure.of(storable_path(entry.path), problem))
                        continue
                if entry.is_dir(follow_symlinks=True):
                    subfolders.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True):
                    if is_supported(Path(entry.name)):
                        yield str(Path(folder, entry.name))
                    else:
                        listing.skipped.append(entry.path)
                else:
                    kind = _kind(entry.stat(follow_symlinks=True).st_mode)
                    listing.ignored.append(Failure.of(storable_path(entry.path),
                                                      phrase("{kind}, not a regular file; not read", kind=kind)))
            except OSError as exc:
                listing.ignored.append(Failure.of(storable_path(entry.path),
                                                  phrase("cannot look at it: {error}; not read", error=exc.strerror)))
        stack.extend(reversed(subfolders))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_worker_knowledge: Knowledge | None = None
_worker_ocr: OcrOptions | None = None
_worker_prepare: Callable[[str], object] | None = None


def _init_worker(knowledge: Knowledge, parent: int, ocr: OcrOptions | None = None,
                 prepare: Callable[[str], object] | None = None) -> None:
    global _worker_knowledge, _worker_ocr, _worker_prepare
    _worker_knowledge = knowledge
    _worker_ocr = ocr
    _worker_prepare = prepare
    # Ctrl-C reaches the whole process group; the parent decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent(parent)


def _end_with_parent(parent: int) -> None:
    """Make this worker end when the ingest that started it ends, however it
    ends: a killed parent cannot shut its pool down, and its workers would
    otherwise wait on the task queue for ever (their own copies of the pipe
    keep it open)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel kills us with the parent
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the above took effect
        os._exit(1)

    def watch() -> None:  # elsewhere, or should the above fail: look every second
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def read_job(job: FileJob) -> tuple[bytes, FileStat] | FileOutcome:
    """The bytes of one file and what its file system says of it, or the
    failed outcome that names what went wrong and what to do."""
    try:
        with open(job.path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        return failed_outcome(job.path, phrase("file disappeared before it could be read (moved or deleted during the "
                                               "run); run ingest again"))
    except PermissionError:
        return failed_outcome(job.path, phrase("permission denied; make the file readable"))
    except IsADirectoryError:
        return failed_outcome(job.path, phrase("is a folder, not a file"))
    except MemoryError:
        return failed_outcome(job.path, phrase("file too large to read into memory; split it"))
    except OSError as exc:
        return failed_outcome(job.path, phrase("cannot read file: {error}", error=exc.strerror or exc))
    return data, FileStat.of(st)


def failed_outcome(path: str, said: str | Sayable, **base: Any) -> FileOutcome:
    """The failed outcome of ``path``: its error in English, and as said in any language."""
    return FileOutcome(path, "failed", error=str(said), said=None if isinstance(said, str) else said, **base)


def process_file(job: FileJob, knowledge: Knowledge | None = None,
                 ocr: OcrOptions | None = None) -> FileOutcome:
    """Read one file and hand it to :func:`process_bytes`.

    Never raises for bad input: problems come back as ``status="failed"``
    with a one-line reason that names what to do.
    """
    read = read_job(job)
    if isinstance(read, FileOutcome):
        return read
    data, stat = read
    del read
    box = [data]
    del data  # the box holds the only reference, so the bytes can go before tagging
    return _process(job, box, stat, knowledge, ocr)


def process_files(jobs: list[FileJob]) -> list[FileOutcome]:
    """:func:`process_file` of each of ``jobs``, in order: what a worker
    process is given, a few small files at a time."""
    return [process_file(job) for job in jobs]


def process_bytes(job: FileJob, data: bytes, stat: FileStat, knowledge: Knowledge | None = None,
                  ocr: OcrOptions | None = None) -> FileOutcome:
    """Hash, extract, identify the language of and tag the bytes of one file.

    The work done for every file, wherever it runs (this process, a local
    worker process or a cluster worker); ``job.path`` only names the file
    and gives its suffix. Never raises for bad input.
    """
    return _process(job, [data], stat, knowledge, ocr)


def _process(job: FileJob, box: list[bytes], stat: FileStat, knowledge: Knowledge | None,
             ocr: OcrOptions | None) -> FileOutcome:
    """:func:`process_bytes` on the bytes in ``box``, which it empties once
    they are extracted: a caller that holds no other reference to them frees
    a large file's bytes before its text is tagged."""
    # Compared with None: the truth value of a Knowledge counts its entries.
    if knowledge is None:
        knowledge = _worker_knowledge
    if ocr is None:
        ocr = _worker_ocr
    sha = sha256_bytes(box[0])
    base: dict[str, Any] = dict(sha256=sha, stat=stat)
    if sha == job.known_sha:
        return FileOutcome(job.path, "same", **base)
    try:
        fmt, extracted = extract_bytes(box.pop(), Path(job.path).suffix, ocr=ocr)
        lang = detect_language(extracted.text)
        tags = TagRows.of(tag(extracted.text, lang=lang, knowledge=knowledge), extracted.text)
        # Not for a large text: its batch is indexed from the store (see _Batches._flush).
        prepared = (_worker_prepare(extracted.text)
                    if _worker_prepare is not None and len(extracted.text) <= LARGE_TEXT_CHARS else None)
        if len(extracted.text) > LARGE_TEXT_CHARS:
            # The tagger's objects are freed: a full collection lets go of
            # what cycles and free lists still hold of them, and with it the
            # arenas they kept (22 MB of the 50 MB text of memory_bench.py),
            # before the store copies the text.
            _give_back_memory()
    except ExtractionError as exc:
        return failed_outcome(job.path, exc.said, **base)
    except MemoryError:
        return failed_outcome(job.path, phrase("file too large to extract in memory; split it"), **base)
    except Exception as exc:  # a bug in an extractor or the tagger must not end the whole run
        return failed_outcome(job.path, phrase("unexpected error reading it ({error}); please report this file",
                                               error=f"{type(exc).__name__}: {exc}"), **base)
    return FileOutcome(job.path, "extracted", format=fmt, lang=lang, extracted=extracted, tags=tags,
                       prepared=prepared, **base)


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    fulltext: bool = True,
    verify: bool = False,
    follow_links: bool = False,
    wait: bool = False,
    waiting: Callable[[Sayable], None] | None = None,
    ocr: OcrOptions | None = None,
    cluster: str | None = None,
    stage: Callable[[Sayable], None] | None = None,
) -> IngestSummary:
    """Bring the store in step with ``paths``; see the module docstring.

    Holds the index's write lock for the whole run: when another ingest of
    the same index is running, raises :class:`~.store.StoreBusy` at once, or
    with ``wait`` waits for it (calling ``waiting`` with a message first).

    A file whose size, modification and change times (in ns) and inode match
    the store is taken as unchanged without being read; ``verify`` reads and
    hashes every file instead. Content already stored under another path
    becomes one more path of that document (``summary.duplicates``).
    ``follow_links``: see :func:`collect`.

    ``jobs`` is the number of worker processes (default: the number of
    cores; 1 runs everything in this process). ``progress`` is called after
    each file with (done, total, path); ``stage`` with a line saying what
    follows the files when it takes long (the graph resolved whole after a
    first ingest), a phrase to say in any language (``str()``: English). With ``fulltext``, the full-text
    index is brought in step with the store at the end; a failure there is
    reported in ``summary.fulltext_error`` and leaves the store as it is.
    ``ocr`` says when scanned pages and images are read with OCR (default:
    mode ``auto``, languages ``vie+eng``). With ``cluster`` (the address of
    a Dask scheduler, ``tcp://host:8786``) the files are extracted and tagged
    on that cluster's workers instead of local processes; raises
    :class:`~.cluster.ClusterError` when it cannot be reached.
    """
    with store.writer_lock(wait=wait, waiting=waiting), store.bulk_writes(INGEST_CACHE_KIB):
        summary = _ingest(paths, store, jobs=jobs, progress=progress, fulltext=fulltext, verify=verify,
                          follow_links=follow_links, ocr=ocr or OcrOptions(), cluster=cluster, stage=stage)
    summary.peak_mb, summary.worker_peak_mb = _peak_memory()
    if cluster:
        summary.worker_peak_mb = None  # the workers ran on the cluster's machines
    return summary


def _peak_memory() -> tuple[float | None, float | None]:
    """The resident memory high-water marks (MB) of this process and of the
    largest of its ended child processes (the workers, once their pool is
    shut down); None where the system does not keep them."""
    try:
        import resource
    except ImportError:  # not on this system
        return None, None
    # Linux counts ru_maxrss in KiB, macOS in bytes.
    unit = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20
    return (own or None), (workers or None)


def _ingest(paths: Iterable[str | os.PathLike[str]], store: Store, *, jobs: int | None,
            progress: ProgressCallback | None, fulltext: bool, verify: bool, follow_links: bool,
            ocr: OcrOptions, cluster: str | None, stage: Callable[[Sayable], None] | None = None) -> IngestSummary:
    started = time.perf_counter()
    summary = IngestSummary()
    # Read before this run writes anything (each write transaction forgets it).
    in_step = fulltext and store.fulltext_in_step()
    if store.tagger_version() != TAGGER_VERSION:
        # Documents tagged by an earlier tagger read differently now: tag their
        # stored text again (files are not read again for that).
        summary.retagged = retag(store)
        store.set_tagger_version(TAGGER_VERSION)
        in_step = in_step and not summary.retagged
    listing = collect(paths, follow_links=follow_links)
    summary.failed.extend(listing.failures)
    summary.skipped.extend(listing.skipped)
    summary.ignored.extend(listing.ignored)
    # The stored state of the files found, a part of them at a time; only
    # those of the files to read are kept (the batches ask for them).
    states: dict[str, FileState] = {}
    todo: list[FileJob] = []
    for start in range(0, len(listing.files), STATES_AT_ONCE):
        part = listing.files[start:start + STATES_AT_ONCE]
        names = [storable_path(path) for path in part]
        stored = store.file_states(names)
        for path, name in zip(part, names, strict=True):
            state = stored.get(name)
            if state is not None and not verify and _unchanged_on_disk(path, state):
                summary.unchanged.append(name)
                continue
            if state is not None:
                states[name] = state
            todo.append(FileJob(path, state.sha256 if state else None))
        del stored
    gone = _gone(store, listing)

    total = len(listing.files)
    done = len(summary.unchanged)
    if progress:
        progress(done, total, "")
    # What the tagger knows of the stored documents: read only when a file
    # is to be read (a run finding nothing changed needs none of it).
    knowledge = Knowledge.for_tagging(store) if todo else Knowledge()
    batches = _Batches(store, states, summary, fulltext=fulltext, in_step=in_step, reading=len(todo),
                       settle_at_end=_settles_at_end(store, len(todo)))
    try:
        if cluster:
            from .cluster import run_on_cluster

            outcomes = run_on_cluster(cluster, todo, knowledge, ocr)
        else:
            outcomes = _run(todo, knowledge, jobs, ocr, _preparer(store) if fulltext else None)
        for outcome in outcomes:
            path = outcome.path
            batches.record(outcome)
            del outcome  # the batch holds the text and tags now; they go when it is stored
            batches.flush_if_due()
            done += 1
            if progress:
                progress(done, total, path)
        batches.flush()
        if fulltext:
            batches.begin_finish()  # the full-text index's own end, while the graph is resolved
        if stage is not None and batches.settle_at_end and batches.unsettled_texts:
            stage(phrase("resolving the references of all {n} documents", n=Count(store.count())))
        batches.settle_waiting()
        _settle(store, knowledge, gone, summary, batches.changed)
        settle_graph(store)  # re-tagged and removed texts; the whole graph for a store never resolved
        if fulltext:
            batches.finish()
    finally:
        batches.close()  # after a kill or an error, what was not committed is lost, and only that
    summary.seconds = time.perf_counter() - started
    return summary


def _settle(store: Store, knowledge: Knowledge, gone: list[tuple[str, int]], summary: IngestSummary,
            changed: set[int]) -> None:
    """After the files: re-tag what new documents settle and forget the files
    ``gone`` from the folders (see :func:`_gone`); the doc_ids of both go
    into ``changed``."""
    if summary.added or summary.updated:
        # New documents may identify what earlier short forms meant.
        after = Knowledge.for_tagging(store)
        before = _fingerprint(knowledge)
        new_docs = [d for docs in after.by_id.values() for d in docs if d.key not in before]
        if new_docs:
            numbers = {(p.number, d.type) for d in new_docs if (p := parse_number(d.id)) is not None}
            summary.retagged += retag(store, knowledge=after, numbers=numbers, changed=changed)

    if gone:
        paths = [path for path, _ in gone]
        changed.update(doc_id for _, doc_id in gone)
        store.remove(paths)
        summary.removed.extend(sorted(paths))


def _gone(store: Store, listing: Listing) -> list[tuple[str, int]]:
    """The stored paths under the folders walked that the walk did not find,
    with their doc_ids, as the store holds them before the run writes: a
    path another ingest stores meanwhile is not this run's to forget."""
    if not listing.folders:
        return []
    present = {storable_path(p) for p in listing.files}
    return [(path, doc_id) for path, doc_id in store.stored_paths()
            if path not in present and any(_is_under(path, folder) for folder in listing.folders)]


#: The store and the full-text index are committed together after this many
#: documents, this many characters of text or this many seconds, whichever
#: comes first: a commit per document cost a fifth of an ingest, and a
#: killed run loses at most the batch in hand while the store and the index
#: agree up to the last one (``search`` works meanwhile). A large document
#: goes in a batch of its own, so a batch holds little text in memory.
#: A commit is followed by the graph's settle (see SETTLE_AFTER), whose
#: cost per commit grows with the store: batches of 2,000 small texts took
#: about a quarter less CPU to settle than batches of 1,000 over 10,000
#: generated documents, for a commit every few seconds.
BATCH_DOCUMENTS = 2000
BATCH_CHARS = 8_000_000
BATCH_SECONDS = 5.0
#: The graph is settled after a batch once the ingest has run at least this
#: many times as long as the last settle took since it ended, so that
#: settles take at most about a third of an ingest's time. A settle looks
#: again at every mention of each number a batch adds a namesake to, and
#: those mentions grow with the store: settling after every batch made a
#: large ingest's cost per document grow with the store (at 100,000
#: generated texts, settles were two thirds of the ingesting process's
#: CPU). Settling the texts of several batches at once looks at those
#: mentions once. Meanwhile the committed texts are searchable, and graph
#: queries resolve them as they are until the settle.
SETTLE_AFTER = 2.0
#: ... and at the latest once this many texts wait, which bounds what a
#: settle holds (its memory grows with them) and how long the graph waits.
SETTLE_MAX_TEXTS = 10_000
#: Set to a smaller number of texts to settle at least that often: less
#: memory at the height of a settle, more time (1: after every batch).
ENV_SETTLE = "DOCSEARCH_SETTLE_TEXTS"
#: A run reading at least this many files, and at least as many as the store
#: holds when it starts (a first ingest of a corpus, or one that doubles it),
#: settles the graph once, at its end, where the settle resolves the whole
#: graph at once (see graph.stored.FULL_ABOVE): settling as it went looked
#: again at the mentions of every number each batch shares with the texts
#: before it, which cost twice the one resolution at the end for 100,000
#: generated texts, and grew with the store. Meanwhile graph queries resolve
#: the committed texts as they are. Not when ENV_SETTLE is set.
SETTLE_AT_END_FROM = 5000
#: Set to a smaller number of documents per batch (a smaller loss on a
#: kill, more commits); a value that is not a positive number is ignored.
ENV_BATCH = "DOCSEARCH_INGEST_BATCH"


def _positive(name: str, default: int) -> int:
    """The positive whole number the environment variable ``name`` gives, else ``default``."""
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def _settles_at_end(store: Store, reading: int) -> bool:
    """Whether a run reading ``reading`` files settles the graph at its end only."""
    return reading >= SETTLE_AT_END_FROM and ENV_SETTLE not in os.environ and reading >= store.count()


class _Batches:
    """Writes what the workers made of the files, a batch per transaction,
    and keeps the full-text index in step after each batch. ``states``: the
    stored state of the files the run reads; ``reading``: how many they are;
    ``settle_at_end``: the graph is settled once, by :meth:`settle_waiting`
    (see SETTLE_AT_END_FROM), not after batches."""

    def __init__(self, store: Store, states: dict[str, FileState], summary: IngestSummary, *,
                 fulltext: bool, reading: int, in_step: bool = False, settle_at_end: bool = False) -> None:
        self.store = store
        self.states = states  # what the store held of the files the run reads, before it
        self.summary = summary
        self.fulltext = fulltext
        self.pending: list[DocumentRecord] = []
        self.prepared: list[object | None] = []  # of each pending record (FileOutcome.prepared)
        self.batch_documents = min(BATCH_DOCUMENTS, _positive(ENV_BATCH, BATCH_DOCUMENTS))
        self.pending_content: set[str] = set()
        # The contents the store may hold: only for these is it asked which
        # document has them (a query per new file cost more than its tags).
        # A server store also checks as it writes, for other ingests. Not for
        # a run that reads a few files (most runs after the first): it asks
        # for each, instead of holding the hash of every stored document.
        self.stored_content: set[str] | None = set(store.contents()) if reading >= CONTENTS_HELD_FROM else None
        self.chars = 0
        self.longest = 0  # the longest text of the batch, in characters
        self.changed: set[int] = set()  # doc_ids the full-text index must look at again
        self.since = time.monotonic()
        self.done = {"added": 0, "updated": 0, "deleted": 0}
        # Whether the full-text index agreed with the store before this run's
        # first write, or was built whole since: then what the run changed is
        # all it lacks, and the end needs no pass over every document.
        self.in_step = in_step
        self._live: LiveIndex | None = None
        # What the batches since the graph's last settle wrote, for the next one.
        self.unsettled: WrittenTags | None = None
        self.unsettled_texts = 0
        self.settle_texts = min(SETTLE_MAX_TEXTS, _positive(ENV_SETTLE, SETTLE_MAX_TEXTS))
        self.settle_at_end = settle_at_end
        self.settle_seconds = 0.0  # how long the last settle took
        self.settled_at = time.monotonic()

    def record(self, outcome: FileOutcome) -> None:
        """Store (in the batch) what a worker made of one file."""
        # The worker read the file by its real name; the store and the report use
        # one that is valid UTF-8 whatever the file system held.
        path = storable_path(outcome.path)
        summary = self.summary
        if outcome.status == "failed":
            summary.failed.append(Failure(path, outcome.error, outcome.said))
            return
        stat = outcome.stat
        assert stat is not None
        if outcome.status == "same":
            self.store.touch(path, stat)
            summary.unchanged.append(path)
            return
        before = self.states.get(path)
        if before is not None:
            self.changed.add(before.doc_id)  # it may lose this path, or go
        if outcome.sha256 in self.pending_content:
            self.flush()  # the same content earlier in this batch: store it first, this path joins it
        same_content = (self.store.document_with_content(outcome.sha256)
                        if self.stored_content is None or outcome.sha256 in self.stored_content else None)
        if same_content is not None and same_content[1] != path:
            # One content, one document: this path joins the stored one.
            self.store.remove([path])
            self.store.add_copy(path, same_content[0], stat)
            self.changed.add(same_content[0])
            summary.duplicates.append(path)
            return
        if before is not None:
            # New content for a path that shares a document with others: they keep it.
            self.store.release_path(path)
        ex = outcome.extracted
        assert ex is not None
        self.pending.append(DocumentRecord(
            path=path, sha256=outcome.sha256, size=stat.size, mtime_ns=stat.mtime_ns, ctime_ns=stat.ctime_ns,
            inode=stat.inode, format=outcome.format, lang=outcome.lang, title=ex.title, encoding=ex.encoding,
            text=ex.text, page_starts=ex.page_starts, warnings=ex.warnings, tags=outcome.tags,
            ocr_pages=ex.ocr_pages,
        ))
        self.prepared.append(outcome.prepared)
        self.pending_content.add(outcome.sha256)
        self.chars += len(ex.text)
        self.longest = max(self.longest, len(ex.text))
        (summary.updated if path in self.states else summary.added).append(path)

    def flush_if_due(self) -> None:
        """Commit the batch when it is full, large or old enough. Called once
        the caller has let go of the last outcome, so that a large document's
        text and tags are freed before the full-text index reads it back."""
        if (len(self.pending) >= self.batch_documents or self.chars >= BATCH_CHARS
                or time.monotonic() - self.since >= BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Commit the batch to the store, then the same documents to the full-text index."""
        if self.longest > LARGE_TEXT_CHARS:
            # SQLite's usual page cache for this batch (the run's larger one
            # let go first): filled with the pages of a large text, it would
            # add its size to the peak of the run's memory (for a 50 MB text,
            # 289 MB became 319 MB).
            with self.store.bulk_writes(USUAL_CACHE_KIB):
                self._flush()
        else:
            self._flush()

    def _flush(self) -> None:
        written: WrittenTags | None = None
        if self.pending:
            records, self.pending = self.pending, []
            prepared, self.prepared = self.prepared, []
            joined: list[str] = []
            # What the settle and the full-text update would read back of the
            # rows just written, kept as they are written; not for a batch
            # with a large text, whose tags kept beside the rows would raise
            # the run's peak of memory (for a 50 MB text, 1.3x the file more).
            written = WrittenTags() if self.longest <= LARGE_TEXT_CHARS else None
            ids = self.store.save_documents(records, joined=joined, written=written)
            self.changed.update(ids)
            if written is not None:
                # Only for the texts written here (not one stored by another ingest meanwhile).
                written.prepared.update((doc_id, made) for doc_id, made in zip(ids, prepared, strict=True)
                                        if made is not None and doc_id in written.documents)
            del prepared
            self._settle_after(written, len(ids))
            if joined:  # another ingest into the same server stored this content meanwhile
                moved = set(joined)
                self.summary.added = [p for p in self.summary.added if p not in moved]
                self.summary.updated = [p for p in self.summary.updated if p not in moved]
                self.summary.duplicates.extend(joined)
            # The texts and tags go before the index is written: with a large
            # document, both at once would be the peak of the run's memory.
            del records
            if self.longest > LARGE_TEXT_CHARS:
                _give_back_memory()  # before the full-text index reads the text back
            if self.stored_content is not None:
                self.stored_content |= self.pending_content
            self.pending_content.clear()
            self.chars = self.longest = 0
        self.since = time.monotonic()
        if not self.changed or not self.fulltext or self.summary.fulltext_error:
            self.changed.clear()
            return
        from .search import SearchError

        try:
            report = self._index().update(self.changed, written)
            self.in_step = self.in_step or report.rebuilt  # the index was new: built whole from the store
            self.done["added"] += report.added
            self.done["updated"] += report.updated
            self.done["deleted"] += report.deleted
        except SearchError as exc:  # reported once; the final sync tries again
            self.summary.fulltext_error = str(exc)
            self.close()
        self.changed.clear()
        _trim_heap()  # the documents made for the index, freed once added

    def _settle_after(self, written: WrittenTags | None, texts: int) -> None:
        """Settle the graph after a batch (``written``: what it wrote, None
        when it was not kept), or keep what the settle reads of the batch
        for a later one (see SETTLE_AFTER)."""
        self.unsettled_texts += texts
        if self.settle_at_end:
            return  # nothing kept of the batches: the settle at the end reads the whole store
        if (written is not None and self.unsettled_texts < self.settle_texts
                and time.monotonic() - self.settled_at < SETTLE_AFTER * self.settle_seconds):
            if self.unsettled is None:
                self.unsettled = written.for_settle()
            else:
                self.unsettled.absorb(written.for_settle())
            return
        held = self.unsettled
        if held is None:
            held = written
        elif written is not None:
            held.absorb(written)
        # (A batch whose tags were not kept is read back by the settle.)
        self.settle(held)

    def settle(self, held: WrittenTags | None = None) -> None:
        """Bring the graph's stored resolution in step with what the batches
        committed (``held``: what they wrote, where kept)."""
        started = time.monotonic()
        settle_graph(self.store, held if held is not None else self.unsettled)
        self.settled_at = time.monotonic()
        self.settle_seconds = self.settled_at - started
        self.unsettled = None
        self.unsettled_texts = 0
        _trim_heap()  # what the settle read and let go of

    def settle_waiting(self) -> None:
        """Settle the batches whose settle was put off, if any."""
        if self.unsettled_texts:
            self.settle()

    def begin_finish(self) -> None:
        """Let the full-text index start the work it put off during the run
        (:meth:`LiveIndex.begin_finish`); :meth:`finish` waits for it."""
        if self._live is None or self.summary.fulltext_error:
            return
        from .search import SearchError

        try:
            self._live.begin_finish()
        except SearchError as exc:  # as for a batch: the final sync tries again
            self.summary.fulltext_error = str(exc)
            self.close()

    def finish(self) -> None:
        """Bring the full-text index in step with the whole store and mark it
        so (:meth:`Store.fulltext_in_step`); what the run did to it goes into
        the summary. When the index agreed with the store before the run and
        every batch was indexed, only the documents the run changed outside
        its batches (re-tagged, removed) are looked at; else (a first run
        over an existing index, a batch that a killed earlier run did not
        index, a batch whose indexing failed, a server store) every
        document's fingerprint is compared."""
        from .search import SearchError

        failed, self.summary.fulltext_error = self.summary.fulltext_error, None
        try:
            live = self._index()
            caught = live.catch_up(self.changed) if self.in_step and not failed else None
            self.changed.clear()
            report = (caught or live.sync()).to_json()
            for key in ("added", "updated", "deleted"):
                report[key] += self.done[key]
            report["unchanged"] = max(0, report["documents"] - report["added"] - report["updated"])
            self.summary.fulltext = report
            self.store.mark_fulltext_in_step()
        except SearchError as exc:
            self.summary.fulltext_error = str(exc)

    def _index(self) -> LiveIndex:
        if self._live is None:
            # Imported here: worker processes and text-only runs need no search engine.
            from .search.indexer import LiveIndex

            self._live = LiveIndex(self.store)
        return self._live

    def close(self) -> None:
        """Let go of the full-text index (what it was not told to commit is dropped)."""
        if self._live is not None:
            live, self._live = self._live, None
            live.close()


def _unchanged_on_disk(path: str, state: FileState) -> bool:
    # What git compares: an edit that restores size and mtime (`touch -r`)
    # still moves ctime, which no user tool can set back.
    try:
        st = os.stat(path)
    except OSError:
        return False
    return state.stat.ctime_ns != 0 and FileStat.of(st) == state.stat


def _is_under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _preparer(store: Store) -> Callable[[str], object] | None:
    from .search.indexer import text_preparer  # here: text-only runs need no search engine

    return text_preparer(store)


def _run(todo: list[FileJob], knowledge: Knowledge, jobs: int | None,
         ocr: OcrOptions | None = None, prepare: Callable[[str], object] | None = None) -> Iterator[FileOutcome]:
    """The outcome of each of ``todo``, in order, made in worker processes
    (which also make what ``prepare`` makes of each text) or, for a few
    small files or one job, in this process."""
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    workers = min(workers, len(todo))
    if workers > 1 and _small(todo):
        workers = 1  # starting worker processes costs more than the work
    if workers <= 1:
        for job in todo:
            yield process_file(job, knowledge, ocr)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                               initargs=(knowledge, os.getpid(), ocr, prepare))
    try:
        # Submit in a bounded window so a huge folder does not hold every
        # extracted text in memory at once, yet wide enough that the workers
        # go on while this process commits a batch (a window of a few files
        # left them idle for the whole commit). Small files go in chunks
        # (see CHUNK_FILES); a file larger than CHUNK_BYTES goes alone.
        window = WINDOW_FILES * workers
        per_chunk = max(1, min(CHUNK_FILES, WINDOW_FILES // 2))
        pending: deque[tuple[list[FileJob], Future[list[FileOutcome]], int]] = deque()
        in_flight = files_out = 0
        queue = iter(todo)
        ahead: FileJob | None = None

        def submit() -> None:
            nonlocal in_flight, files_out, ahead
            while files_out < window and in_flight < WINDOW_BYTES:
                chunk: list[FileJob] = []
                size = 0
                while len(chunk) < per_chunk and files_out + len(chunk) < window:
                    job = ahead if ahead is not None else next(queue, None)
                    ahead = None
                    if job is None:
                        break
                    job_size = _size(job.path)
                    if chunk and size + job_size > CHUNK_BYTES:
                        ahead = job  # starts the next chunk
                        break
                    chunk.append(job)
                    size += job_size
                if not chunk:
                    return
                pending.append((chunk, pool.submit(process_files, chunk), size))
                in_flight += size
                files_out += len(chunk)

        submit()
        while pending:
            chunk, fut, size = pending.popleft()
            in_flight -= size
            files_out -= len(chunk)
            try:
                outcomes = fut.result()
            except Exception as exc:  # a worker died (e.g. out of memory)
                outcomes = [failed_outcome(job.path, phrase("worker crashed while reading it ({error}); try with "
                                                            "--jobs 1", error=type(exc).__name__))
                            for job in chunk]
            # Hand each outcome over without keeping a reference here (nor in
            # the future): the caller frees a large text once it is stored.
            del fut
            outcomes.reverse()
            while outcomes:
                yield outcomes.pop()
            submit()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM, an error while storing): stop the
        # workers now instead of letting them finish the files in hand.
        workers_left = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers_left:
            process.terminate()
        # Let the pool's own thread see its workers gone and close its pipe
        # before this process exits: the exit hook of concurrent.futures
        # writes to that pipe, and doing so while the thread closes it printed
        # a traceback after a SIGTERM now and then.
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=5)
        raise
    else:
        pool.shutdown(wait=True)


def settle_graph(store: Store, written: WrittenTags | None = None) -> None:
    """Bring the graph's stored resolution in step with what was committed
    (see :mod:`docsearch.graph.stored`); ``written``: what the last batch wrote."""
    from .graph.stored import settle  # imported here: worker processes need no graph

    settle(store, written=written)


#: At most this many files per worker process are given out ahead, and at
#: most this many bytes of files in all (a larger file still goes alone).
#: Wide enough that the workers go on tagging while this process commits a
#: batch (a second or two late in a 10,000-document run): with 32 files a
#: worker they had a tenth of a second of work in hand and then waited,
#: while this process waited on them between commits (in one run of 10,000
#: small texts, 21 s of 45 s each; 7 s with 1,024). The outcomes done ahead
#: wait in this process: a few tens of MB for a window of small texts, and
#: never more than WINDOW_BYTES of files.
WINDOW_FILES = 1024
WINDOW_BYTES = 32 * 1024 * 1024
#: The stored state of the files found is read for this many files at a time.
STATES_AT_ONCE = 2000
#: A run reading at least this many files holds the content hash of every
#: stored document (about 150 bytes each) rather than asking the store
#: about each file's content.
CONTENTS_HELD_FROM = 1000
#: Small files go to a worker up to this many, and this many bytes, at a
#: time: a task per file cost this process about 0.4 ms of CPU per file
#: (its pool's threads pickling, waking for and collecting each task), a
#: quarter of its work on plain text. A larger file goes alone.
CHUNK_FILES = 16
CHUNK_BYTES = 512 * 1024


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the worker says what is wrong with it


def _fingerprint(k: Knowledge) -> frozenset[str]:
    return frozenset(d.key for docs in k.by_id.values() for d in docs)


def retag(store: Store, *, knowledge: Knowledge | None = None,
          numbers: set[tuple[str, str | None]] | None = None, changed: set[int] | None = None) -> int:
    """Tag stored documents again with what the store now knows.

    With ``numbers`` (pairs of number and type code of newly known documents),
    only documents holding a short form, ambiguous or unresolved reference with
    such a number are re-tagged: nothing else can read differently. Without it,
    every document is. Returns how many documents were re-tagged; their
    doc_ids go into ``changed`` when given.
    """
    knowledge = knowledge or Knowledge.for_tagging(store)
    if numbers is not None:
        doc_ids = sorted({doc_id for doc_id, number, type_ in store.unsettled_references()
                          if (number, type_) in numbers})
    else:
        doc_ids = store.doc_ids()
    # A transaction for a part of them: one for each document cost as much
    # as tagging it (1,420 texts of a store of 100,000 took 2.0 s, 0.5 s of
    # it tagging), and a kill loses at most the part in hand.
    for start in range(0, len(doc_ids), RETAG_PART):
        with store.transaction():
            for doc_id in doc_ids[start:start + RETAG_PART]:
                doc = store.document(doc_id)
                store.save_tags(doc_id, tag(doc.text, lang=doc.lang, knowledge=knowledge))
    if changed is not None:
        changed.update(doc_ids)
    return len(doc_ids)


#: How many documents :func:`retag` writes in one transaction.
RETAG_PART = 500


def import_registry(store: Store, path: str | os.PathLike[str]) -> tuple[int, int]:
    """Load a registry file into the store and re-tag the documents whose short
    forms it may resolve. Returns (entries imported, documents re-tagged).
    Raises RegistryError for a file that cannot be read."""
    entries = read_registry_file(Path(path))
    with store.writer_lock(wait=True):
        n = store.import_registry(entries)
        retagged = retag(store, numbers={(e.number, e.type) for e in entries})
        settle_graph(store)
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
