"""Keep the full-text index in step with the store, the source of truth.

:func:`sync` compares a fingerprint of every stored document (its content
hash, path, language, title, identity, references, relations and header
dates) with the fingerprints in the index, re-indexes what differs and
deletes what the store no longer has, with one writer and one commit.
:func:`reindex` builds a new index from scratch and swaps it in when done.
Searches running meanwhile see the last committed state.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..database import is_server_url
from ..refs.grammar import ISSUER_LEVEL
from ..store import IndexKey, IndexSource, Store, WrittenTags
from .engine import IndexDoc, SearchEngine
from .query import normalize

# Bump when the way an IndexDoc is made from the store changes, so that the
# next sync re-indexes every document.
BUILD_VERSION = 3
CHUNK = 500
HEADER_CHARS = 400  # a document without a dated header takes the first date found this early
TITLE_CHARS = 200

ProgressCallback = Callable[[int, int], None]
#: Opens the engine of an index (a folder, or a ``postgresql://`` URL) for writing.
EngineOpener = Callable[[Path | str, bool], SearchEngine]


@dataclass(frozen=True)
class SyncReport:
    """What a sync or rebuild did to the full-text index."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    documents: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.rebuilt)

    def to_json(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "deleted": self.deleted,
                "unchanged": self.unchanged, "documents": self.documents, "rebuilt": self.rebuilt,
                "seconds": round(self.seconds, 3)}


def _location(store: Store, index_dir: str | os.PathLike[str] | None) -> Path | str:
    """The full-text index to write: the one named, else the store's own
    (its folder, or the database of a server store)."""
    if index_dir is None:
        return store.index_location
    return index_dir if isinstance(index_dir, str) and is_server_url(index_dir) else Path(index_dir)


def _default_opener(index_dir: Path | str, rebuild: bool) -> SearchEngine:
    if is_server_url(index_dir):
        from .postgres_engine import PostgresEngine

        return PostgresEngine.open_writer(str(index_dir), rebuild=rebuild)
    from .tantivy_engine import TantivyEngine

    return TantivyEngine.open_writer(index_dir, rebuild=rebuild)


def text_preparer(store: Store, index_dir: str | os.PathLike[str] | None = None
                  ) -> Callable[[str], object] | None:
    """What the full-text engine of ``store`` (see :func:`sync`) makes of a
    document's text on its own, for an ingest's worker processes to make
    where they read the text (:attr:`IndexDoc.prepared`) instead of the
    process that writes the index; None when the engine wants nothing made
    ahead. A module-level function, which a worker process is sent by name."""
    if is_server_url(_location(store, index_dir)):
        from .postgres_engine import prepare_text

        return prepare_text
    return None


def sync(store: Store, index_dir: str | os.PathLike[str] | None = None, *,
         progress: ProgressCallback | None = None, opener: EngineOpener | None = None) -> SyncReport:
    """Bring the full-text index of ``index_dir`` (default: the store's folder) in
    step with ``store``: add new documents, re-index those whose content or
    tags changed, delete those gone from the store. Builds the index from
    scratch when there is none or it has an older layout.

    Raises :class:`~.errors.IndexBusy` when another process is writing it.
    """
    return _run(store, index_dir, rebuild=False, progress=progress, opener=opener)


def sync_documents(store: Store, doc_ids: Iterable[int], index_dir: str | os.PathLike[str] | None = None, *,
                   opener: EngineOpener | None = None) -> SyncReport:
    """Bring only ``doc_ids`` of the full-text index in step with the store
    (add, re-index or delete each), with one commit. An index that does not
    exist yet is built in full (a partial one would hide documents). A run
    that commits many batches keeps one :class:`LiveIndex` open instead."""
    live = LiveIndex(store, index_dir, opener=opener)
    try:
        report = live.update(doc_ids)
        live.finish()
        return report
    finally:
        live.close()


def reindex(store: Store, index_dir: str | os.PathLike[str] | None = None, *,
            progress: ProgressCallback | None = None, opener: EngineOpener | None = None) -> SyncReport:
    """Rebuild the full-text index from the store; the old one serves searches
    until the new one is committed."""
    return _run(store, index_dir, rebuild=True, progress=progress, opener=opener)


class LiveIndex:
    """The full-text index held open for writing while a run changes the store.

    An ingest commits the store in batches; after each, :meth:`update` brings
    the documents of that batch in step with one commit of the index, so a
    run killed at any moment leaves the index agreeing with the store up to
    the last batch (and searches work meanwhile). One writer serves the whole
    run: opening one per batch, and reading every fingerprint of the index
    per batch, made a run's cost grow with the square of its size.
    :meth:`sync` brings the whole index in step at the end.
    """

    def __init__(self, store: Store, index_dir: str | os.PathLike[str] | None = None, *,
                 opener: EngineOpener | None = None) -> None:
        self.store = store
        self.folder = _location(store, index_dir)
        self._opener = opener or _default_opener
        self._engine: SearchEngine | None = None

    def _open(self) -> SearchEngine:
        if self._engine is None:
            self._engine = self._opener(self.folder, False)
            self._engine.begin_run()  # finish() ends it
        return self._engine

    def update(self, doc_ids: Iterable[int], written: WrittenTags | None = None) -> SyncReport:
        """Add, re-index or delete each of ``doc_ids`` as the store has it
        now, and commit; ``written``: what the last batch of the store wrote
        (:meth:`Store.save_documents`), taken instead of read back. Raises
        :class:`~.errors.IndexBusy` when another process is writing the index."""
        engine = self._open()
        ids = sorted(set(doc_ids))
        held = False
        if written is not None:
            # What the batch wrote is checked against the store once this
            # writer has its turn (see Store.check_written).
            held = engine.hold_writes(len(ids))
            self.store.check_written(written)
        if engine.fresh:  # no index yet: a partial one would hide documents
            if written is not None and _holds_the_store(self.store, written):
                # The first batch into an empty store: the whole store is what it wrote.
                sources = self.store.index_written(written, sorted(written.documents), header_chars=HEADER_CHARS)
                return _build_from(sources, engine, None, time.perf_counter(), 0)
            return _sync_all(self.store, engine, rebuild=False, progress=None)
        started = time.perf_counter()
        indexed = engine.fingerprints_of(ids)
        stored: set[int] = set()
        added = updated = 0
        # Each document's rows are read once: its fingerprint is made from
        # the same rows as its contents. The documents of a batch were just
        # written, so nearly all of them differ from the index anyway.
        sources = (self.store.index_batch(ids, header_chars=HEADER_CHARS) if written is None
                   else self.store.index_written(written, ids, header_chars=HEADER_CHARS))
        for src in sources:
            doc_id = src.doc_id
            stored.add(doc_id)
            fingerprint = _fingerprint(src.key) if src.key is not None else 0
            old = indexed.get(doc_id)
            if old == fingerprint:
                continue
            doc = _from_source(src, fingerprint)
            del src  # its rows go before tantivy takes the document in
            if old is not None:
                engine.delete(doc_id)
                updated += 1
            else:
                added += 1
            engine.add(doc)
            # Let go of each text before the next is read and before the
            # commit, tantivy's own peak: a long text is held here with the
            # UTF-8 copy tantivy made of it.
            del doc
        gone = [d for d in ids if d not in stored and d in indexed]
        for doc_id in gone:
            engine.delete(doc_id)
        if added or updated or gone or held:
            engine.commit()  # also ends the turn taken above
        return SyncReport(added=added, updated=updated, deleted=len(gone),
                          unchanged=len(stored) - added - updated, documents=len(stored),
                          seconds=time.perf_counter() - started)

    def sync(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Bring the whole index in step with the store (see :func:`sync`) and
        end the run (:meth:`finish`): an ingest calls it last."""
        report = _sync_all(self.store, self._open(), rebuild=False, progress=progress)
        self.finish()
        return report

    def catch_up(self, doc_ids: Iterable[int]) -> SyncReport | None:
        """End a run that kept the index in step batch by batch, when the
        index agreed with the store before the run (or was built whole
        during it): bring ``doc_ids`` (what the run changed outside its
        batches) in step, then :meth:`finish`, without reading every
        document's fingerprint again. Returns None, having changed nothing
        but ``doc_ids``, when the index does not hold as many documents as
        the store: the caller then brings the whole index in step."""
        engine = self._open()
        started = time.perf_counter()
        report = self.update(doc_ids)
        # A cheap check of the run's own bookkeeping: an index restored from
        # an older copy, or one a bug left behind, counts otherwise.
        documents = self.store.count()
        if engine.count() != documents:
            return None
        self.finish()
        return SyncReport(added=report.added, updated=report.updated, deleted=report.deleted,
                          unchanged=documents - report.added - report.updated, documents=documents,
                          rebuilt=report.rebuilt, seconds=time.perf_counter() - started)

    def begin_finish(self) -> None:
        """Let the engine start what it put off while the run wrote (see
        :meth:`SearchEngine.begin_finish`): an ingest calls it after its last
        batch, before resolving its graph, and :meth:`finish` waits for it."""
        if self._engine is not None:
            self._engine.begin_finish()

    def finish(self) -> None:
        """Do what the engine put off while the run wrote (see
        :meth:`SearchEngine.finish`); a run killed before it leaves the index
        correct, and the next run's finish does it."""
        if self._engine is not None:
            self._engine.finish()

    def close(self) -> None:
        if self._engine is not None:
            engine, self._engine = self._engine, None
            engine.close()

    def __enter__(self) -> LiveIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _run(store: Store, index_dir: str | os.PathLike[str] | None, *, rebuild: bool,
         progress: ProgressCallback | None, opener: EngineOpener | None) -> SyncReport:
    folder = _location(store, index_dir)
    open_engine = opener or _default_opener
    engine = open_engine(folder, rebuild)
    try:
        report = _sync_all(store, engine, rebuild=rebuild, progress=progress)
        engine.finish()
        return report
    finally:
        engine.close()


def _sync_all(store: Store, engine: SearchEngine, *, rebuild: bool,
              progress: ProgressCallback | None) -> SyncReport:
    started = time.perf_counter()
    if rebuild or engine.fresh:
        return _build_all(store, engine, progress, started)
    wanted = fingerprints(store)
    fresh = False
    indexed = {} if fresh else engine.fingerprints()
    todo = sorted(d for d, fp in wanted.items() if indexed.get(d) != fp)
    gone = sorted(d for d in indexed if d not in wanted)
    if progress:
        progress(0, len(todo))
    for done, doc in enumerate(load_documents(store, todo, wanted), start=1):
        if doc.doc_id in indexed:
            engine.delete(doc.doc_id)
        engine.add(doc)
        del doc  # as in LiveIndex.update
        if progress and (done % 1000 == 0 or done == len(todo)):
            progress(done, len(todo))
    for doc_id in gone:
        engine.delete(doc_id)
    if todo or gone or fresh:
        engine.commit()
    updated = sum(1 for d in todo if d in indexed)
    return SyncReport(
        added=len(todo) - updated, updated=updated, deleted=len(gone),
        unchanged=len(wanted) - len(todo), documents=len(wanted), rebuilt=fresh,
        seconds=time.perf_counter() - started,
    )


def _holds_the_store(store: Store, written: WrittenTags) -> bool:
    """Whether the documents of the batch just written are every stored document."""
    return store.count() == len(written.documents) and set(store.doc_ids()) == set(written.documents)


def _build_all(store: Store, engine: SearchEngine, progress: ProgressCallback | None,
               started: float) -> SyncReport:
    """Index every stored document into an empty index: the store is read
    once, in doc_id order, each document's fingerprint made from the same
    rows as its contents (a sync compares fingerprints first; a rebuild has
    nothing to compare with)."""
    total = store.count() if progress else 0
    return _build_from(store.index_all(header_chars=HEADER_CHARS), engine, progress, started, total)


def _build_from(sources: Iterable[IndexSource], engine: SearchEngine, progress: ProgressCallback | None,
                started: float, total: int) -> SyncReport:
    """Index ``sources`` (every stored document, in doc_id order) into an empty index."""
    if progress:
        progress(0, total)
    done = 0
    for src in sources:
        doc = _from_source(src, _fingerprint(src.key) if src.key is not None else 0)
        # The rows read for it (its relations, the fingerprint's parts) go
        # before tantivy takes the document in.
        del src
        engine.add(doc)
        del doc  # as in LiveIndex.update
        done += 1
        if progress and done % 1000 == 0:
            progress(done, max(total, done))
    if progress and done % 1000:
        progress(done, max(total, done))
    engine.commit()
    return SyncReport(added=done, documents=done, rebuilt=True, seconds=time.perf_counter() - started)


# --- from the store ------------------------------------------------------------------------

def _fingerprint(k: IndexKey) -> int:
    """A 64-bit fingerprint of everything the index holds for one document."""
    parts = [str(BUILD_VERSION), k.path, k.sha256, k.lang, k.title, k.self_json]
    # Tags joined per table in stored order, each part marked with its
    # table's number; a table without rows for the document adds nothing.
    for n, rows in enumerate((k.refs, k.relations, k.dates)):
        if rows:
            parts.append(f"{n}:{';'.join(rows)}")
    if k.ocr_pages:
        parts.append(f"3:{k.ocr_pages}")
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def fingerprints(store: Store, doc_ids: Iterable[int] | None = None) -> dict[int, int]:
    """doc_id → a 64-bit fingerprint of everything the index holds for that
    document; of every stored document, or of those of ``doc_ids`` still stored."""
    keys = store.index_keys(None if doc_ids is None else list(doc_ids), header_chars=HEADER_CHARS)
    return {doc_id: _fingerprint(k) for doc_id, k in keys.items()}


def _from_source(src: IndexSource, fingerprint: int) -> IndexDoc:
    doc = build_document(
        doc_id=src.doc_id, fingerprint=fingerprint, path=src.path, lang=src.lang,
        title=src.title, text=src.text, page_starts=src.page_starts, identity=src.identity,
        refs=src.refs, relations=src.relations, first_date=src.first_date,
        source="ocr" if src.scanned else "text",
    )
    doc.prepared = src.prepared
    return doc


def load_documents(store: Store, doc_ids: Iterable[int], prints: dict[int, int]) -> Iterator[IndexDoc]:
    """The :class:`IndexDoc` of each of ``doc_ids`` (read from the store in chunks)."""
    for src in store.index_sources(list(doc_ids), header_chars=HEADER_CHARS):
        doc = _from_source(src, prints.get(src.doc_id, 0))
        del src  # its rows go while the caller indexes the document
        yield doc
        del doc


def clean_issuer(issuer: str | None) -> str | None:
    """The issuing body without the columns a header table glued to it
    ("Tỉnh ủy | Cao Bằng | Đảng Cộng Sản Việt Nam" → "Tỉnh ủy")."""
    if not issuer:
        return None
    first = issuer.split("|")[0].strip()
    return " ".join(first.split()) or None


def _first_line(text: str) -> str:
    # Line by line from the start: splitting a long text into all its lines
    # would hold a second copy of it for the sake of the first one.
    pos = 0
    while pos < len(text):
        m = _LINE_END.search(text, pos)
        end = m.start() if m else len(text)
        # The words of the start of a line, spaces made single, begin the
        # line's own: more of it is read only while they are too few (a text
        # of one long line was made single-spaced whole for its first words).
        size = _LINE_READ
        while True:
            line = " ".join(text[pos:min(end, pos + size)].split())
            if len(line) >= TITLE_CHARS or pos + size >= end:
                break
            size *= 16
        if len(line) >= 3:
            return line[:TITLE_CHARS]
        pos = m.end() if m else len(text)
    return ""


#: How much of a line is read first for its first words.
_LINE_READ = 4 * TITLE_CHARS
#: What str.splitlines splits at.
_LINE_END = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _own_relations(own: str | None, relations: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The typed relations a document asserts of itself, with what it implements
    through the documents it implements, as the same text says: a district plan
    "implementing Program 27-CTr/TU, which implements Resolution 57-NQ/TW"
    implements 57-NQ/TW too. A news article saying that a province's program
    implements a resolution does not implement it."""
    if not own:
        return []
    out: list[tuple[str, str]] = []
    for source, rel_type, target in relations:
        if source == own and rel_type != "cites" and target != own and (rel_type, target) not in out:
            out.append((rel_type, target))
    implemented = {t for r, t in out if r in ("implements", "guides")}
    frontier = set(implemented)
    for _ in range(3):  # program → plan → district plan is as deep as chains go
        nxt = {t for s, r, t in relations if s in frontier and r in ("implements", "guides")
               and t != own and t not in implemented}
        if not nxt:
            break
        for target in sorted(nxt):
            out.append(("implements", target))
        implemented |= nxt
        frontier = nxt
    return out


def build_document(*, doc_id: int, fingerprint: int, path: str, lang: str, title: str | None, text: str,
                   page_starts: Sequence[int], identity: dict[str, Any] | None,
                   refs: list[tuple[str, int, int]], relations: list[tuple[str, str, str]],
                   first_date: str | None, source: str = "text") -> IndexDoc:
    """An :class:`IndexDoc` from the stored values of one document."""
    clean = normalize(text)
    # Offsets into the stored text stay valid only if normalising kept its length.
    spans = tuple(refs) if len(clean) == len(text) else ()
    ident = identity or {}
    own = ident.get("id")
    when: date | None = None
    for candidate in (ident.get("date"), first_date):
        if candidate:
            try:
                when = date.fromisoformat(candidate)
                break
            except ValueError:
                continue
    issuer_code = ident.get("issuer_code")
    shown = title or ident.get("title") or _first_line(clean)
    own_relations = _own_relations(own, relations)
    return IndexDoc(
        doc_id=doc_id, fingerprint=fingerprint, path=path, lang=lang or "und", title=normalize(shown),
        text=clean, page_starts=tuple(page_starts) or (0,), own_id=own, type=ident.get("type") if own else None,
        issuer=clean_issuer(ident.get("issuer")), issuer_code=issuer_code,
        level=ISSUER_LEVEL.get(issuer_code) if issuer_code else None, date=when,
        cites=tuple([r[0] for r in refs]), relations=tuple(own_relations), ref_spans=spans, source=source,
    )
