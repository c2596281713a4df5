"""The store: one SQLite file in the index folder, the source of truth.

This module is the only place that opens the database. It holds the
documents with their text, everything the tagger found in them, and the
registry of known documents. Each document is written in one transaction,
so a run killed at any moment leaves the store as it was after the last
complete document.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .models import (
    DateMention,
    Document,
    Identity,
    OcrPage,
    Reference,
    RegistryEntry,
    Relation,
    TagResult,
)

STORE_FILE = "docsearch.sqlite"
LOCK_FILE = "docsearch.lock"
DEFAULT_INDEX_DIR = "indexes"
ENV_INDEX = "DOCSEARCH_INDEX"


class StoreError(Exception):
    """The store cannot be opened or used; the message says what to do."""


class DocumentNotFound(StoreError):
    """No stored document matches what the user asked for."""


class StoreBusy(StoreError):
    """Another process holds the write lock of the index (an ingest is running)."""


# Each entry upgrades the schema by one version. Never edit a released entry:
# add a new one, so that existing stores are migrated in place.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        doc_id      INTEGER PRIMARY KEY,
        path        TEXT NOT NULL UNIQUE,
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        mtime_ns    INTEGER NOT NULL,
        format      TEXT NOT NULL,
        lang        TEXT NOT NULL,
        title       TEXT,
        encoding    TEXT,
        text        TEXT NOT NULL,
        page_starts TEXT NOT NULL,
        warnings    TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        self_id     TEXT,
        self_json   TEXT
    );
    CREATE INDEX documents_self_id ON documents(self_id);
    CREATE TABLE refs (
        doc_id      INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord         INTEGER NOT NULL,
        ref_id      TEXT,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        text        TEXT NOT NULL,
        type        TEXT,
        number      TEXT,
        issuer_code TEXT,
        year        INTEGER,
        date        TEXT,
        issuer      TEXT,
        short_form  INTEGER NOT NULL,
        relation    TEXT NOT NULL,
        status      TEXT NOT NULL,
        candidates  TEXT NOT NULL,
        term        INTEGER,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX refs_ref_id ON refs(ref_id);
    CREATE TABLE dates (
        doc_id  INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL,
        date    TEXT NOT NULL
    );
    CREATE INDEX dates_doc ON dates(doc_id);
    CREATE TABLE relations (
        doc_id         INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        source         TEXT NOT NULL,
        target         TEXT NOT NULL,
        type           TEXT NOT NULL,
        evidence       TEXT NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        target_date    TEXT
    );
    CREATE INDEX relations_target ON relations(target, type);
    CREATE INDEX relations_source ON relations(source);
    CREATE INDEX relations_doc ON relations(doc_id);
    CREATE TABLE registry (
        id          TEXT NOT NULL,
        number      TEXT NOT NULL,
        type        TEXT,
        issuer_code TEXT NOT NULL,
        date        TEXT,
        title       TEXT,
        status      TEXT,
        replaced_by TEXT,
        issuer      TEXT,
        PRIMARY KEY (id, date)
    );
    """,
    # Graph queries read headers, paths and pages of many documents and the
    # dates citations give: covering indexes answer them without reading the
    # rows, whose large text column would otherwise be walked past.
    """
    CREATE INDEX refs_cited ON refs(ref_id, date, year, issuer);
    CREATE INDEX documents_graph_by_id ON documents(doc_id, path, page_starts, self_id, self_json);
    CREATE INDEX documents_graph_by_self ON documents(self_id, doc_id, path, page_starts, self_json);
    """,
    # Change detection compares what git compares: an edit that keeps size and
    # modification time still changes ctime (and often the inode). Rows from
    # before have 0 there, which never matches, so their files are hashed once.
    # The same content under several paths is one document: `documents.path`
    # is its first path, `copies` holds the others with their own file state.
    """
    ALTER TABLE documents ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE documents ADD COLUMN inode INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX documents_sha256 ON documents(sha256);
    CREATE TABLE copies (
        path     TEXT PRIMARY KEY,
        doc_id   INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        size     INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        inode    INTEGER NOT NULL
    );
    CREATE INDEX copies_doc ON copies(doc_id);
    """,
    # Which year or term a text gave a citation is asked per text and id
    # (graph.resolve): without this index SQLite walks every citation of the
    # id, which made graph queries and site builds quadratic in the corpus.
    """
    CREATE INDEX refs_hint ON refs(doc_id, ref_id, start, status, year, term);
    """,
    # What the tagger reads of a citation beyond its number: the issuing body
    # in full, the document acting on it, the key of a document cited by name
    # and the noun before the number; and the version of the tagger that tagged
    # the stored documents (older ones are tagged again by the next ingest).
    """
    ALTER TABLE refs ADD COLUMN type_word TEXT;
    ALTER TABLE refs ADD COLUMN issuer_name TEXT;
    ALTER TABLE refs ADD COLUMN issuer_place TEXT;
    ALTER TABLE refs ADD COLUMN source TEXT;
    ALTER TABLE refs ADD COLUMN key TEXT;
    CREATE INDEX refs_key ON refs(key) WHERE key IS NOT NULL;
    CREATE TABLE settings (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # Pages whose text was read by OCR, with the engine's mean confidence; a
    # page not listed came from the file's own text.
    """
    CREATE TABLE ocr_pages (
        doc_id      INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        page        INTEGER NOT NULL,
        confidence  REAL,
        words       INTEGER NOT NULL,
        PRIMARY KEY (doc_id, page)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


_ID_AND_YEAR = re.compile(r"(\S+)\s+(\d{4})")


def storable_path(path: str) -> str:
    """``path`` as the store keeps it. File names are bytes; one that is not
    valid UTF-8 reaches Python with its bad bytes as lone surrogates, which
    SQLite cannot hold, so each such byte is written ``\\xNN`` instead."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


def resolve_index_dir(index: str | os.PathLike[str] | None = None) -> Path:
    """The index folder: the argument, else ``$DOCSEARCH_INDEX``, else ``./indexes``."""
    chosen = index or os.environ.get(ENV_INDEX) or DEFAULT_INDEX_DIR
    return Path(chosen)


@dataclass(frozen=True)
class Citation:
    """Where a stored text cites a document id, with what the citation says of it."""

    doc_id: int
    start: int
    end: int
    text: str
    date: date | None
    year: int | None
    term: int | None
    issuer: str | None


@dataclass(frozen=True)
class FileStat:
    """What is compared to tell whether a file changed without reading it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass(frozen=True)
class FileState:
    """What the store remembers of a file, to decide whether to read it again.
    ``copy`` is true for a second path of a document's content."""

    doc_id: int
    sha256: str
    stat: FileStat
    copy: bool = False


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


class Store:
    """A docsearch store in an index folder.

    Use :meth:`open` (or ``with Store.open(dir) as store``). Opening creates
    the folder and the database when missing and migrates an older schema.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, index: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open the store in ``index`` (see :func:`resolve_index_dir`)."""
        folder = resolve_index_dir(index)
        db_path = folder / STORE_FILE
        if not db_path.exists():
            if not create:
                raise StoreError(
                    f"no docsearch index in {folder}/: run 'docsearch ingest FOLDER' first "
                    f"or point --index / ${ENV_INDEX} at an existing index"
                )
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create index folder {folder}: {exc.strerror}") from exc
        try:
            conn = sqlite3.connect(db_path, timeout=30.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            store = cls(conn, db_path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open the index {db_path}: {exc}; "
                "if it is damaged, delete the folder and ingest again"
            ) from exc
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the index {self.path} was written by a newer docsearch "
                f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade docsearch"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                for statement in _split_sql(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def writer_lock(self, *, wait: bool = False, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the index's write lock while a run changes many documents.

        Two ingests of one index would read the same files twice and race on
        every document, so the second one refuses up front (:class:`StoreBusy`,
        naming the process that holds the lock) or, with ``wait``, waits for
        it, calling ``waiting`` once with that message. The lock is an
        ``flock`` on a file beside the store: the system releases it when its
        holder ends, even by SIGKILL, so a killed run never leaves it behind.
        """
        lock_path = self.path.parent / LOCK_FILE
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {lock_path}: {exc.strerror}") from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                message = f"another ingest is writing the index {self.path.parent}/ ({holder})"
                if not wait:
                    raise StoreBusy(f"{message}; wait for it to finish, or use --wait") from None
                if waiting:
                    waiting(message + "; waiting for it to finish")
                fcntl.flock(fd, fcntl.LOCK_EX)
            started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, started {started}".encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def transaction(self) -> _Transaction:
        """A context manager that commits on success and rolls back on error."""
        return _Transaction(self.conn)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- documents ---------------------------------------------------------
    def file_states(self) -> dict[str, FileState]:
        """Every stored path (first paths and copies) with what is needed to
        tell whether it changed."""
        states = {
            r["path"]: FileState(r["doc_id"], r["sha256"],
                                 FileStat(r["size"], r["mtime_ns"], r["ctime_ns"], r["inode"]))
            for r in self.conn.execute("SELECT doc_id, path, sha256, size, mtime_ns, ctime_ns, inode FROM documents")
        }
        for r in self.conn.execute(
            "SELECT c.path, c.doc_id, d.sha256, c.size, c.mtime_ns, c.ctime_ns, c.inode"
            " FROM copies c JOIN documents d USING (doc_id)"
        ):
            states[r["path"]] = FileState(r["doc_id"], r["sha256"],
                                          FileStat(r["size"], r["mtime_ns"], r["ctime_ns"], r["inode"]), copy=True)
        return states

    def touch(self, path: str, stat: FileStat) -> None:
        """Record the new file state of a path whose content did not change."""
        values = (stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode, path)
        with self.transaction():
            self.conn.execute("UPDATE documents SET size=?, mtime_ns=?, ctime_ns=?, inode=? WHERE path=?", values)
            self.conn.execute("UPDATE copies SET size=?, mtime_ns=?, ctime_ns=?, inode=? WHERE path=?", values)

    def document_with_content(self, sha256: str) -> tuple[int, str] | None:
        """The doc_id and first path of the document whose content hashes to ``sha256``."""
        row = self.conn.execute("SELECT doc_id, path FROM documents WHERE sha256=? ORDER BY doc_id LIMIT 1",
                                (sha256,)).fetchone()
        return (int(row["doc_id"]), str(row["path"])) if row else None

    def add_copy(self, path: str, doc_id: int, stat: FileStat) -> None:
        """Record ``path`` as one more path of document ``doc_id`` (same content)."""
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO copies VALUES (?,?,?,?,?,?)",
                              (path, doc_id, stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode))

    def copies(self, doc_id: int) -> list[str]:
        """The other paths of a document's content, in path order."""
        return [r[0] for r in self.conn.execute("SELECT path FROM copies WHERE doc_id=? ORDER BY path", (doc_id,))]

    def release_path(self, path: str) -> bool:
        """Take ``path`` away from its document before it gets other content.

        A copy is simply forgotten; a first path hands its document to the
        first copy. Returns False when ``path`` is the only path of its
        document (which is then still stored under it) or is not stored."""
        with self.transaction():
            return self._release(path)

    def _release(self, path: str) -> bool:
        if self.conn.execute("DELETE FROM copies WHERE path=?", (path,)).rowcount:
            return True
        row = self.conn.execute(
            "SELECT c.* FROM copies c JOIN documents d USING (doc_id) WHERE d.path=? ORDER BY c.path LIMIT 1",
            (path,),
        ).fetchone()
        if row is None:
            return False
        self.conn.execute("DELETE FROM copies WHERE path=?", (row["path"],))
        self.conn.execute(
            "UPDATE documents SET path=?, size=?, mtime_ns=?, ctime_ns=?, inode=? WHERE doc_id=?",
            (row["path"], row["size"], row["mtime_ns"], row["ctime_ns"], row["inode"], row["doc_id"]),
        )
        return True

    def save_document(
        self,
        *,
        path: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        format: str,
        ctime_ns: int = 0,
        inode: int = 0,
        lang: str,
        title: str | None,
        encoding: str | None,
        text: str,
        page_starts: Iterable[int],
        warnings: Iterable[str],
        tags: TagResult | None,
        ocr_pages: Iterable[OcrPage] = (),
    ) -> int:
        """Insert or replace one document and its tags atomically; returns its doc_id.

        ``ocr_pages`` lists the pages whose text was read by OCR."""
        identity = tags.self if tags else None
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            row = self.conn.execute("SELECT doc_id FROM documents WHERE path=?", (path,)).fetchone()
            values = (
                sha256, size, mtime_ns, format, lang, title, encoding, text,
                json.dumps(list(page_starts)), json.dumps(list(warnings), ensure_ascii=False), now,
                identity.id if identity else None,
                json.dumps(identity.to_json(), ensure_ascii=False) if identity else None, ctime_ns, inode,
            )
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO documents (sha256, size, mtime_ns, format, lang, title, encoding,"
                    " text, page_starts, warnings, ingested_at, self_id, self_json, ctime_ns, inode, path)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*values, path),
                )
                doc_id = int(cur.lastrowid or 0)
            else:
                doc_id = int(row["doc_id"])
                self.conn.execute(
                    "UPDATE documents SET sha256=?, size=?, mtime_ns=?, format=?, lang=?, title=?,"
                    " encoding=?, text=?, page_starts=?, warnings=?, ingested_at=?, self_id=?,"
                    " self_json=?, ctime_ns=?, inode=? WHERE doc_id=?",
                    (*values, doc_id),
                )
            self._write_tags(doc_id, tags)
            self.conn.execute("DELETE FROM ocr_pages WHERE doc_id=?", (doc_id,))
            self.conn.executemany(
                "INSERT INTO ocr_pages (doc_id, page, confidence, words) VALUES (?,?,?,?)",
                [(doc_id, p.page, p.confidence, p.words) for p in ocr_pages],
            )
        return doc_id

    def ocr_pages(self, doc_id: int) -> list[OcrPage]:
        """The pages of a stored document that were read by OCR, in page order."""
        rows = self.conn.execute(
            "SELECT page, confidence, words FROM ocr_pages WHERE doc_id=? ORDER BY page", (doc_id,))
        return [OcrPage(r["page"], r["confidence"], r["words"]) for r in rows]

    def all_ocr_pages(self) -> dict[int, list[OcrPage]]:
        """The OCR pages of every stored document that has any, by doc_id (one
        query for a whole collection, where ocr_pages asks per document)."""
        out: dict[int, list[OcrPage]] = {}
        for r in self.conn.execute("SELECT doc_id, page, confidence, words FROM ocr_pages ORDER BY doc_id, page"):
            out.setdefault(r["doc_id"], []).append(OcrPage(r["page"], r["confidence"], r["words"]))
        return out

    def _write_tags(self, doc_id: int, tags: TagResult | None) -> None:
        for table in ("refs", "dates", "relations"):
            self.conn.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))
        if tags is None:
            return
        self.conn.executemany(
            "INSERT INTO refs (doc_id, ord, ref_id, start, end, text, type, number, issuer_code, year, date,"
            " issuer, short_form, relation, status, candidates, term, type_word, issuer_name, issuer_place,"
            " source, key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (doc_id, i, r.id, r.start, r.end, r.text, r.type, r.number, r.issuer_code, r.year,
                 _iso(r.date), r.issuer, int(r.short_form), r.relation, r.status,
                 json.dumps(list(r.candidates)), r.term, r.type_word, r.issuer_name, r.issuer_place,
                 r.source, r.key)
                for i, r in enumerate(tags.references)
            ],
        )
        self.conn.executemany(
            "INSERT INTO dates VALUES (?,?,?,?,?)",
            [(doc_id, d.start, d.end, d.text, d.date.isoformat()) for d in tags.dates],
        )
        self.conn.executemany(
            "INSERT INTO relations VALUES (?,?,?,?,?,?,?,?)",
            [
                (doc_id, r.source, r.target, r.type, r.evidence, r.evidence_start,
                 r.evidence_end, _iso(r.target_date))
                for r in tags.relations
            ],
        )

    def save_tags(self, doc_id: int, tags: TagResult) -> None:
        """Replace the tags of a stored document (used when re-tagging)."""
        identity = tags.self
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET self_id=?, self_json=? WHERE doc_id=?",
                (identity.id if identity else None,
                 json.dumps(identity.to_json(), ensure_ascii=False) if identity else None, doc_id),
            )
            self._write_tags(doc_id, tags)

    def remove(self, paths: Iterable[str]) -> int:
        """Forget stored paths; a document goes when its last path goes (a
        document losing its first path keeps the next one). Returns how many
        paths were forgotten."""
        count = 0
        with self.transaction():
            for path in paths:
                if self._release(path):
                    count += 1
                else:
                    count += self.conn.execute("DELETE FROM documents WHERE path=?", (path,)).rowcount
        return count

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def _document(self, row: sqlite3.Row) -> Document:
        identity = _identity_from_json(row["self_json"]) if row["self_json"] else None
        return Document(
            doc_id=row["doc_id"],
            path=row["path"],
            sha256=row["sha256"],
            format=row["format"],
            lang=row["lang"],
            title=row["title"],
            text=row["text"],
            page_starts=tuple(json.loads(row["page_starts"])),
            warnings=tuple(json.loads(row["warnings"])),
            size=row["size"],
            encoding=row["encoding"],
            identity=identity,
            copies=tuple(self.copies(row["doc_id"])),
        )

    def documents(self) -> Iterator[Document]:
        """Every stored document, in path order."""
        for row in self.conn.execute("SELECT * FROM documents ORDER BY path"):
            yield self._document(row)

    def document(self, doc_id: int) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no stored document #{doc_id}")
        return self._document(row)

    def find_documents(self, query: str) -> list[Document]:
        """Stored documents matching ``query``: a doc number (``#3`` or ``3``), a path
        (absolute, relative or a unique suffix), or a canonical id from a header."""
        q = storable_path(query.strip())
        if q.lstrip("#").isdigit():
            row = self.conn.execute("SELECT * FROM documents WHERE doc_id=?", (int(q.lstrip("#")),)).fetchone()
            if row is not None:
                return [self._document(row)]
        as_path = storable_path(str(Path(query.strip()).resolve()))
        rows = self.conn.execute("SELECT * FROM documents WHERE path=?", (as_path,)).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT d.* FROM documents d JOIN copies c USING (doc_id) WHERE c.path=?", (as_path,)
            ).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE self_id=? ORDER BY path", (q,)
            ).fetchall()
        if not rows:
            suffix = "/" + q.lstrip("./")
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE substr(path, -?) = ? ORDER BY path",
                (len(suffix), suffix),
            ).fetchall() or self.conn.execute(
                "SELECT DISTINCT d.* FROM documents d JOIN copies c USING (doc_id) WHERE substr(c.path, -?) = ?"
                " ORDER BY d.path", (len(suffix), suffix),
            ).fetchall()
        if not rows and (m := _ID_AND_YEAR.fullmatch(q)):
            # "18-NQ/TW 2017": an id that several documents share, and the year of one.
            rows = [r for r in self.conn.execute("SELECT * FROM documents WHERE self_id=? ORDER BY path", (m[1],))
                    if (json.loads(r["self_json"] or "{}").get("date") or "").startswith(m[2])]
        return [self._document(r) for r in rows]

    # -- read models for the graph, the checker and re-tagging ---------------
    def doc_ids(self) -> list[int]:
        """The doc_id of every stored document."""
        return [int(r[0]) for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    def paths(self) -> dict[int, str]:
        """doc_id → (first) path of every stored document."""
        return {int(r[0]): str(r[1]) for r in self.conn.execute("SELECT doc_id, path FROM documents")}

    def self_ids(self) -> list[str]:
        """The distinct ids stored documents give themselves in their headers."""
        return [str(r[0]) for r in self.conn.execute("SELECT DISTINCT self_id FROM documents WHERE self_id IS NOT NULL")]

    def header_issuers(self) -> list[tuple[str | None, str | None]]:
        """The distinct (issuer, issuer code) pairs of the stored documents' headers."""
        rows = self.conn.execute(
            "SELECT DISTINCT json_extract(self_json, '$.issuer'), json_extract(self_json, '$.issuer_code')"
            " FROM documents INDEXED BY documents_graph_by_self WHERE self_id IS NOT NULL")
        return [(r[0], r[1]) for r in rows]

    def unsettled_references(self) -> list[tuple[int, str | None, str | None]]:
        """(doc_id, number, type code) of every short form, ambiguous or
        unresolved reference: what newly known documents may settle."""
        rows = self.conn.execute(
            "SELECT doc_id, number, type FROM refs WHERE short_form = 1 OR status != 'resolved'")
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def citations(self, ref_id: str) -> list[Citation]:
        """Every reference resolved to ``ref_id``, in text order of each document."""
        rows = self.conn.execute(
            "SELECT doc_id, start, end, text, date, year, term, issuer FROM refs WHERE ref_id=? ORDER BY doc_id, start",
            (ref_id,))
        return [Citation(r["doc_id"], r["start"], r["end"], r["text"], _date(r["date"]), r["year"], r["term"],
                         r["issuer"]) for r in rows]

    def relation_targets(self, types: Iterable[str], issuer_codes: Iterable[str]) -> list[str]:
        """The distinct targets of relations of ``types`` whose number ends in
        one of ``issuer_codes`` (``/TW``, ``-CP``): a cheap first cut that the
        caller refines by parsing each number."""
        kinds = list(types)
        patterns = [p for c in issuer_codes for p in (f"%/{c}", f"%-{c}")]
        suffix = " OR ".join("target LIKE ?" for _ in patterns) or "0"
        marks = ",".join("?" * len(kinds))
        rows = self.conn.execute(
            f"SELECT DISTINCT target FROM relations WHERE type IN ({marks}) AND ({suffix})", [*kinds, *patterns])
        return [str(r[0]) for r in rows]

    def tagger_version(self) -> int | None:
        """The version of the tagger that tagged the stored documents (None
        for a store from before versions were recorded, or an empty one)."""
        row = self.conn.execute("SELECT value FROM settings WHERE name='tagger_version'").fetchone()
        return int(row[0]) if row is not None else None

    def set_tagger_version(self, version: int) -> None:
        with self.transaction():
            self.conn.execute("INSERT INTO settings (name, value) VALUES ('tagger_version', ?)"
                              " ON CONFLICT(name) DO UPDATE SET value = excluded.value", (str(version),))

    def references(self, doc_id: int) -> list[Reference]:
        rows = self.conn.execute("SELECT * FROM refs WHERE doc_id=? ORDER BY ord", (doc_id,))
        return [
            Reference(
                start=r["start"], end=r["end"], text=r["text"], id=r["ref_id"], type=r["type"],
                number=r["number"], issuer_code=r["issuer_code"], year=r["year"],
                date=_date(r["date"]), issuer=r["issuer"], short_form=bool(r["short_form"]),
                relation=r["relation"], status=r["status"],
                candidates=tuple(json.loads(r["candidates"])), term=r["term"], type_word=r["type_word"],
                issuer_name=r["issuer_name"], issuer_place=r["issuer_place"], source=r["source"], key=r["key"],
            )
            for r in rows
        ]

    def dates(self, doc_id: int) -> list[DateMention]:
        rows = self.conn.execute("SELECT * FROM dates WHERE doc_id=? ORDER BY start", (doc_id,))
        return [DateMention(r["start"], r["end"], r["text"], date.fromisoformat(r["date"])) for r in rows]

    def relations(self, doc_id: int) -> list[Relation]:
        rows = self.conn.execute("SELECT * FROM relations WHERE doc_id=?", (doc_id,))
        return [_relation(r) for r in rows]

    def all_relations(self) -> Iterator[tuple[int, Relation]]:
        """Every stored relation with the doc_id of the text that asserts it."""
        for r in self.conn.execute("SELECT * FROM relations ORDER BY doc_id, evidence_start"):
            yield r["doc_id"], _relation(r)

    def identities(self) -> list[tuple[int, Identity]]:
        """Every stored document that was identified by its header."""
        rows = self.conn.execute("SELECT doc_id, self_json FROM documents WHERE self_json IS NOT NULL")
        return [(r["doc_id"], _identity_from_json(r["self_json"])) for r in rows]

    def stats(self) -> dict[str, Any]:
        """Counts for ``docsearch stats``."""
        c = self.conn

        def grouped(column: str) -> dict[str, int]:
            rows = c.execute(f"SELECT {column} AS k, count(*) AS n FROM documents GROUP BY k ORDER BY n DESC, k")
            return {str(r["k"]): r["n"] for r in rows}

        return {
            "index": str(self.path.parent),
            "schema_version": self.schema_version,
            "documents": self.count(),
            "characters": int(c.execute("SELECT coalesce(sum(length(text)),0) FROM documents").fetchone()[0]),
            "bytes": int(c.execute("SELECT coalesce(sum(size),0) FROM documents").fetchone()[0]),
            "by_format": grouped("format"),
            "by_lang": grouped("lang"),
            "identified": int(c.execute("SELECT count(*) FROM documents WHERE self_id IS NOT NULL").fetchone()[0]),
            "with_warnings": int(c.execute("SELECT count(*) FROM documents WHERE warnings != '[]'").fetchone()[0]),
            "read_by_ocr": int(c.execute("SELECT count(DISTINCT doc_id) FROM ocr_pages").fetchone()[0]),
            "references": int(c.execute("SELECT count(*) FROM refs").fetchone()[0]),
            "relations": int(c.execute("SELECT count(*) FROM relations").fetchone()[0]),
            "registry": int(c.execute("SELECT count(*) FROM registry").fetchone()[0]),
        }

    # -- registry ----------------------------------------------------------
    def import_registry(self, entries: Iterable[RegistryEntry]) -> int:
        """Add or replace registry entries; returns how many were written."""
        n = 0
        with self.transaction():
            for e in entries:
                self.conn.execute(
                    "INSERT OR REPLACE INTO registry VALUES (?,?,?,?,?,?,?,?,?)",
                    (e.id, e.number, e.type, e.issuer_code, _iso(e.date) or "", e.title, e.status,
                     e.replaced_by, e.issuer),
                )
                n += 1
        return n

    def registry(self) -> list[RegistryEntry]:
        rows = self.conn.execute("SELECT * FROM registry ORDER BY id, date")
        return [
            RegistryEntry(
                id=r["id"], number=r["number"], type=r["type"], issuer_code=r["issuer_code"],
                date=_date(r["date"] or None), title=r["title"], status=r["status"],
                replaced_by=r["replaced_by"], issuer=r["issuer"],
            )
            for r in rows
        ]

    # -- read models for the search indexer ------------------------------------
    # Portable SQL only (``?`` placeholders, no SQLite-only functions), so that
    # another store can answer the same calls.
    def save_documents(self, records: Sequence[DocumentRecord]) -> list[int]:
        """Insert or replace several documents and their tags in one
        transaction (what an ingest commits per batch); returns their doc_ids
        in order. Each record is stored as :meth:`save_document` would store
        it; a kill before the commit loses the whole batch and nothing else."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        ids: list[int] = []
        with self.transaction():
            for r in records:
                identity = r.tags.self if r.tags else None
                values = (
                    r.sha256, r.size, r.mtime_ns, r.format, r.lang, r.title, r.encoding, r.text,
                    json.dumps(list(r.page_starts)), json.dumps(list(r.warnings), ensure_ascii=False), now,
                    identity.id if identity else None,
                    json.dumps(identity.to_json(), ensure_ascii=False) if identity else None, r.ctime_ns, r.inode,
                )
                row = self.conn.execute("SELECT doc_id FROM documents WHERE path=?", (r.path,)).fetchone()
                if row is None:
                    cur = self.conn.execute(
                        "INSERT INTO documents (sha256, size, mtime_ns, format, lang, title, encoding,"
                        " text, page_starts, warnings, ingested_at, self_id, self_json, ctime_ns, inode, path)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (*values, r.path),
                    )
                    doc_id = int(cur.lastrowid or 0)
                else:
                    doc_id = int(row["doc_id"])
                    self.conn.execute(
                        "UPDATE documents SET sha256=?, size=?, mtime_ns=?, format=?, lang=?, title=?,"
                        " encoding=?, text=?, page_starts=?, warnings=?, ingested_at=?, self_id=?,"
                        " self_json=?, ctime_ns=?, inode=? WHERE doc_id=?",
                        (*values, doc_id),
                    )
                    self.conn.execute("DELETE FROM ocr_pages WHERE doc_id=?", (doc_id,))
                self._write_tags(doc_id, r.tags)
                self.conn.executemany(
                    "INSERT INTO ocr_pages (doc_id, page, confidence, words) VALUES (?,?,?,?)",
                    [(doc_id, p.page, p.confidence, p.words) for p in r.ocr_pages],
                )
                ids.append(doc_id)
        return ids

    def index_keys(self, doc_ids: Sequence[int] | None = None, *, header_chars: int) -> dict[int, IndexKey]:
        """What the full-text index's fingerprint of each document is made of:
        of every stored document, or of those of ``doc_ids`` still stored.
        ``header_chars``: only dates that start before it count."""
        out: dict[int, IndexKey] = {}
        for chunk, where in self._id_chunks(doc_ids):
            for r in self.conn.execute(
                "SELECT doc_id, path, sha256, lang, title, self_json FROM documents" + where("doc_id"), chunk
            ):
                out[r[0]] = IndexKey(r[1], r[2], r[3], r[4] or "", r[5] or "")
            for doc_id, ref_id, start, end in self.conn.execute(
                'SELECT doc_id, ref_id, start, "end" FROM refs' + where("doc_id") + " ORDER BY doc_id, ord", chunk
            ):
                if (key := out.get(doc_id)) is not None:
                    key.refs.append(f"{ref_id or ''} {start} {end}")
            for doc_id, source, kind, target in self.conn.execute(
                "SELECT doc_id, source, type, target FROM relations" + where("doc_id") + " ORDER BY doc_id, rowid",
                chunk,
            ):
                if (key := out.get(doc_id)) is not None:
                    key.relations.append(f"{source} {kind} {target}")
            for doc_id, start, value in self.conn.execute(
                "SELECT doc_id, start, date FROM dates" + where("doc_id", "start < ?") + " ORDER BY doc_id, start",
                [*chunk, header_chars],
            ):
                if (key := out.get(doc_id)) is not None:
                    key.dates.append(f"{start} {value}")
            for doc_id, pages in self.conn.execute(
                "SELECT doc_id, count(*) FROM ocr_pages" + where("doc_id") + " GROUP BY doc_id", chunk
            ):
                if (key := out.get(doc_id)) is not None:
                    key.ocr_pages = int(pages)
        return out

    def index_sources(self, doc_ids: Sequence[int], *, header_chars: int) -> Iterator[IndexSource]:
        """The stored values the full-text index is built from, for each of
        ``doc_ids`` still stored (read in chunks, so memory holds one chunk)."""
        for chunk, where in self._id_chunks(doc_ids):
            refs: dict[int, list[tuple[str, int, int]]] = {}
            for doc_id, ref_id, start, end in self.conn.execute(
                'SELECT doc_id, ref_id, start, "end" FROM refs' + where("doc_id", "ref_id IS NOT NULL")
                + " ORDER BY doc_id, ord", chunk,
            ):
                refs.setdefault(doc_id, []).append((ref_id, start, end))
            rels: dict[int, list[tuple[str, str, str]]] = {}
            for doc_id, source, kind, target in self.conn.execute(
                "SELECT doc_id, source, type, target FROM relations" + where("doc_id")
                + " ORDER BY doc_id, rowid", chunk,
            ):
                rels.setdefault(doc_id, []).append((source, kind, target))
            first: dict[int, str] = {}
            for doc_id, value in self.conn.execute(
                "SELECT doc_id, date FROM dates" + where("doc_id", "start < ?") + " ORDER BY doc_id, start DESC",
                [*chunk, header_chars],
            ):
                first[doc_id] = value  # the last one written is the earliest in the text
            scanned = {r[0] for r in self.conn.execute(
                "SELECT DISTINCT doc_id FROM ocr_pages" + where("doc_id"), chunk)}
            for r in self.conn.execute(
                "SELECT doc_id, path, lang, title, text, page_starts, self_json FROM documents" + where("doc_id"),
                chunk,
            ):
                doc_id = r[0]
                yield IndexSource(
                    doc_id=doc_id, path=r[1], lang=r[2], title=r[3], text=r[4],
                    page_starts=tuple(json.loads(r[5])), identity=json.loads(r[6]) if r[6] else None,
                    refs=refs.get(doc_id, []), relations=rels.get(doc_id, []), first_date=first.get(doc_id),
                    scanned=doc_id in scanned,
                )

    def texts(self) -> Iterator[tuple[int, str]]:
        """(doc_id, text) of every stored document in doc_id order (for
        measuring a search engine on the bare texts)."""
        for r in self.conn.execute("SELECT doc_id, text FROM documents ORDER BY doc_id"):
            yield int(r[0]), str(r[1])

    def _id_chunks(self, doc_ids: Sequence[int] | None
                   ) -> Iterator[tuple[list[Any], Callable[..., str]]]:
        """(parameters, WHERE builder) per chunk of ``doc_ids`` (one chunk of
        everything for None): bounded parameter lists for any database."""
        if doc_ids is None:
            yield [], lambda column, *more: (" WHERE " + " AND ".join(more)) if more else ""
            return
        ids = sorted({int(d) for d in doc_ids})
        for i in range(0, len(ids), ID_CHUNK):
            chunk: list[Any] = list(ids[i:i + ID_CHUNK])
            marks = ",".join("?" * len(chunk))
            yield chunk, lambda column, *more, m=marks: " WHERE " + " AND ".join((f"{column} IN ({m})", *more))



class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _relation(r: sqlite3.Row) -> Relation:
    return Relation(
        source=r["source"], target=r["target"], type=r["type"], evidence=r["evidence"],
        evidence_start=r["evidence_start"], evidence_end=r["evidence_end"],
        target_date=_date(r["target_date"]),
    )


def _identity_from_json(raw: str) -> Identity:
    d = json.loads(raw)
    return Identity(
        id=d["id"], type=d.get("type"), issuer=d.get("issuer"), date=_date(d.get("date")),
        issuer_code=d.get("issuer_code"), title=d.get("title"), place=d.get("place"),
    )


# -- read models for the search indexer (records) ---------------------------------

#: Largest number of doc_ids one query names.
ID_CHUNK = 500


@dataclass(frozen=True)
class DocumentRecord:
    """One document to store (see :meth:`Store.save_documents`)."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    format: str
    lang: str
    title: str | None
    encoding: str | None
    text: str
    page_starts: Sequence[int]
    warnings: Sequence[str]
    tags: TagResult | None
    ocr_pages: Sequence[OcrPage] = ()


@dataclass
class IndexKey:
    """What the full-text index's fingerprint of one document is made of:
    its stored values and its tags in stored order, as text."""

    path: str
    sha256: str
    lang: str
    title: str
    self_json: str
    refs: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    ocr_pages: int = 0


@dataclass(frozen=True)
class IndexSource:
    """The stored values the full-text index is built from for one document."""

    doc_id: int
    path: str
    lang: str
    title: str | None
    text: str
    page_starts: tuple[int, ...]
    identity: dict[str, Any] | None
    refs: list[tuple[str, int, int]]
    relations: list[tuple[str, str, str]]
    first_date: str | None
    scanned: bool
