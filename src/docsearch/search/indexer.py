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
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..database import is_server_url
from ..refs.grammar import ISSUER_LEVEL
from ..store import Store
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
    (add, re-index or delete each), with one commit: what an ingest calls
    after each batch of documents, so a run killed midway leaves a search
    index that agrees with the store up to the last batch. An index that
    does not exist yet is built in full (a partial one would hide documents).
    """
    ids = sorted(set(doc_ids))
    folder = _location(store, index_dir)
    open_engine = opener or _default_opener
    engine = open_engine(folder, False)
    fresh = engine.fresh
    if fresh:
        engine.close()
        return _run(store, index_dir, rebuild=False, progress=None, opener=opener)
    started = time.perf_counter()
    try:
        indexed = engine.fingerprints()
        wanted = fingerprints(store, ids)
        todo = [d for d in ids if d in wanted and indexed.get(d) != wanted[d]]
        gone = [d for d in ids if d not in wanted and d in indexed]
        for doc_id in todo + gone:
            if doc_id in indexed:
                engine.delete(doc_id)
        for doc in load_documents(store, todo, wanted):
            engine.add(doc)
        if todo or gone:
            engine.commit()
    finally:
        engine.close()
    updated = sum(1 for d in todo if d in indexed)
    return SyncReport(added=len(todo) - updated, updated=updated, deleted=len(gone),
                      unchanged=len(wanted) - len(todo), documents=len(wanted),
                      seconds=time.perf_counter() - started)


def reindex(store: Store, index_dir: str | os.PathLike[str] | None = None, *,
            progress: ProgressCallback | None = None, opener: EngineOpener | None = None) -> SyncReport:
    """Rebuild the full-text index from the store; the old one serves searches
    until the new one is committed."""
    return _run(store, index_dir, rebuild=True, progress=progress, opener=opener)


def _run(store: Store, index_dir: str | os.PathLike[str] | None, *, rebuild: bool,
         progress: ProgressCallback | None, opener: EngineOpener | None) -> SyncReport:
    started = time.perf_counter()
    folder = _location(store, index_dir)
    wanted = fingerprints(store)
    open_engine = opener or _default_opener
    engine = open_engine(folder, rebuild)
    try:
        fresh = rebuild or engine.fresh
        indexed = {} if fresh else engine.fingerprints()
        todo = sorted(d for d, fp in wanted.items() if indexed.get(d) != fp)
        gone = sorted(d for d in indexed if d not in wanted)
        if progress:
            progress(0, len(todo))
        for done, doc in enumerate(load_documents(store, todo, wanted), start=1):
            if doc.doc_id in indexed:
                engine.delete(doc.doc_id)
            engine.add(doc)
            if progress and (done % 1000 == 0 or done == len(todo)):
                progress(done, len(todo))
        for doc_id in gone:
            engine.delete(doc_id)
        if todo or gone or fresh:
            engine.commit()
    finally:
        engine.close()
    updated = sum(1 for d in todo if d in indexed)
    return SyncReport(
        added=len(todo) - updated, updated=updated, deleted=len(gone),
        unchanged=len(wanted) - len(todo), documents=len(wanted), rebuilt=fresh,
        seconds=time.perf_counter() - started,
    )


# --- from the store ------------------------------------------------------------------------

def fingerprints(store: Store, doc_ids: list[int] | None = None) -> dict[int, int]:
    """doc_id → a 64-bit fingerprint of everything the index holds for that
    document; of every stored document, or of those of ``doc_ids`` still stored."""
    conn = store.conn
    parts: dict[int, list[str]] = {}
    only = "" if doc_ids is None else f" WHERE doc_id IN ({','.join(str(int(d)) for d in doc_ids) or 'NULL'})"
    for row in conn.execute(
        "SELECT doc_id, path, sha256, lang, coalesce(title, ''), coalesce(self_json, '') FROM documents" + only
    ):
        parts[row[0]] = [str(BUILD_VERSION), *map(str, row[1:])]
    # SQLite concatenates the tags of each document (in the order of the
    # inner query), so Python hashes one string per document, not every row.
    queries = (
        "SELECT doc_id, group_concat(v, ';') FROM (SELECT doc_id, coalesce(ref_id, '') || ' ' || start || ' '"
        f" || end AS v FROM refs{only} ORDER BY doc_id, ord) GROUP BY doc_id",
        "SELECT doc_id, group_concat(v, ';') FROM (SELECT doc_id, source || ' ' || type || ' ' || target AS v"
        f" FROM relations{only} ORDER BY doc_id, rowid) GROUP BY doc_id",
        f"SELECT doc_id, group_concat(v, ';') FROM (SELECT doc_id, start || ' ' || date AS v FROM dates"
        f" WHERE start < {HEADER_CHARS}{only.replace(' WHERE', ' AND')} ORDER BY doc_id, start) GROUP BY doc_id",
        f"SELECT doc_id, count(*) FROM ocr_pages{only} GROUP BY doc_id",
    )
    for n, sql in enumerate(queries):
        for doc_id, value in conn.execute(sql):
            entry = parts.get(doc_id)
            if entry is not None:
                entry.append(f"{n}:{value}")
    return {doc_id: int.from_bytes(hashlib.blake2b("\x1f".join(p).encode("utf-8"), digest_size=8).digest(), "big")
            for doc_id, p in parts.items()}


def _in(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def load_documents(store: Store, doc_ids: Iterable[int], prints: dict[int, int]) -> Iterator[IndexDoc]:
    """The :class:`IndexDoc` of each of ``doc_ids`` (read from the store in chunks)."""
    ids = list(doc_ids)
    conn = store.conn
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        marks = _in(chunk)
        refs: dict[int, list[tuple[str, int, int]]] = {}
        for doc_id, ref_id, start, end in conn.execute(
            f"SELECT doc_id, ref_id, start, end FROM refs WHERE doc_id IN ({marks}) AND ref_id IS NOT NULL"
            " ORDER BY doc_id, ord", chunk,
        ):
            refs.setdefault(doc_id, []).append((ref_id, start, end))
        rels: dict[int, list[tuple[str, str, str]]] = {}
        for doc_id, source, rel_type, target in conn.execute(
            f"SELECT doc_id, source, type, target FROM relations WHERE doc_id IN ({marks}) ORDER BY doc_id, rowid",
            chunk,
        ):
            rels.setdefault(doc_id, []).append((source, rel_type, target))
        dates: dict[int, str] = {}
        for doc_id, value in conn.execute(
            f"SELECT doc_id, date FROM dates WHERE doc_id IN ({marks}) AND start < {HEADER_CHARS}"
            " ORDER BY doc_id, start DESC", chunk,
        ):
            dates[doc_id] = value  # the last one written is the earliest in the text
        scanned = {r[0] for r in conn.execute(
            f"SELECT DISTINCT doc_id FROM ocr_pages WHERE doc_id IN ({marks})", chunk)}
        for row in conn.execute(
            "SELECT doc_id, path, lang, title, text, page_starts, self_json FROM documents"
            f" WHERE doc_id IN ({marks})", chunk,
        ):
            doc_id = row[0]
            yield build_document(
                doc_id=doc_id, fingerprint=prints.get(doc_id, 0), path=row[1], lang=row[2], title=row[3],
                text=row[4], page_starts=json.loads(row[5]), identity=json.loads(row[6]) if row[6] else None,
                refs=refs.get(doc_id, []), relations=rels.get(doc_id, []), first_date=dates.get(doc_id),
                source="ocr" if doc_id in scanned else "text",
            )


def clean_issuer(issuer: str | None) -> str | None:
    """The issuing body without the columns a header table glued to it
    ("Tỉnh ủy | Cao Bằng | Đảng Cộng Sản Việt Nam" → "Tỉnh ủy")."""
    if not issuer:
        return None
    first = issuer.split("|")[0].strip()
    return " ".join(first.split()) or None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line) >= 3:
            return line[:TITLE_CHARS]
    return ""


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
                   page_starts: list[int], identity: dict[str, Any] | None,
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
        cites=tuple(r[0] for r in refs), relations=tuple(own_relations), ref_spans=spans, source=source,
    )
