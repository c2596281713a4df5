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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

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
    # Caches of graph and site data are keyed on the latest write to the
    # store (Store.change_marker): this index answers it without a scan.
    """
    CREATE INDEX documents_ingested_at ON documents(ingested_at);
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

    # -- read models for the graph, the site and the web pages ------------------------------
    # Portable SQL only (it must run on PostgreSQL too): `?` placeholders, the
    # column "end" quoted, no SQLite functions; JSON is decoded in Python.
    # Ids go into `IN (...)` lists of at most READ_CHUNK values.

    def change_marker(self) -> tuple[object, ...]:
        """A value that changes whenever the stored documents, their tags,
        the registry or the settings change: what a cache of graph or site
        data is keyed on. Cheap (two index lookups and a count).

        Times of ingest are in whole seconds: the documents written in the
        last second are summed too (ids, sizes, modification times), so that
        a document rewritten in the same second as others still shows. The
        one change it can miss is one document written twice in one second
        with the same size and modification time."""
        # Separate statements: each aggregate alone is answered from an index.
        docs = tuple(self.conn.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM documents", "SELECT max(doc_id) FROM documents",
            "SELECT max(ingested_at) FROM documents"))
        latest = tuple(self.conn.execute(
            "SELECT count(*), sum(doc_id), sum(size), sum(mtime_ns % 1000003) FROM documents WHERE ingested_at = ?",
            (docs[2],)).fetchone())
        registry = self.conn.execute(
            "SELECT count(*), sum(length(id) + length(coalesce(date, '')) + length(coalesce(title, ''))"
            " + length(coalesce(status, '')) + length(coalesce(replaced_by, '')) + length(coalesce(issuer, '')))"
            " FROM registry").fetchone()
        settings = tuple(tuple(r) for r in self.conn.execute("SELECT name, value FROM settings ORDER BY name"))
        return (str(self.path), *docs, *latest, *tuple(registry), settings)

    def header_identities(self) -> list[tuple[int, Identity]]:
        """(doc_id, header) of every stored document identified by its header."""
        rows = self.conn.execute(
            "SELECT doc_id, self_json FROM documents WHERE self_id IS NOT NULL")
        return [(int(r[0]), _identity_from_json(r[1])) for r in rows if r[1]]

    def graph_documents(self, doc_ids: Iterable[int]) -> list[GraphDocRow]:
        """Path, page starts and header (as stored, JSON) of the given documents."""
        out: list[GraphDocRow] = []
        for part in _read_chunks(sorted(set(doc_ids))):
            out.extend(GraphDocRow(*r) for r in self._tuples(
                "SELECT doc_id, path, page_starts, self_id, self_json FROM documents"
                f" WHERE doc_id IN ({_marks(part)})", part))
        return out

    def graph_documents_named(self, ids: Iterable[str]) -> list[GraphDocRow]:
        """Like :meth:`graph_documents`, for the documents whose header gives one of ``ids``."""
        out: list[GraphDocRow] = []
        for part in _read_chunks(sorted(set(ids))):
            out.extend(GraphDocRow(*r) for r in self._tuples(
                "SELECT doc_id, path, page_starts, self_id, self_json FROM documents"
                f" WHERE self_id IN ({_marks(part)})", part))
        return out

    def registry_entries(self, ids: Iterable[str]) -> list[RegistryEntry]:
        """The registry's entries for the given ids."""
        out: list[RegistryEntry] = []
        for part in _read_chunks(sorted(set(ids))):
            for r in self._tuples(
                "SELECT id, number, type, issuer_code, date, title, status, replaced_by, issuer FROM registry"
                f" WHERE id IN ({_marks(part)}) ORDER BY id, date", part,
            ):
                out.append(RegistryEntry(id=r[0], number=r[1], type=r[2], issuer_code=r[3], date=_date(r[4] or None),
                                         title=r[5], status=r[6], replaced_by=r[7], issuer=r[8]))
        return out

    def cited_forms(self, ids: Iterable[str]) -> list[CitedForm]:
        """How citations name each of ``ids``: every distinct (date, year,
        issuing body) they give with it, and how many give it. Citations
        giving neither a date nor a body are left out."""
        out: list[CitedForm] = []
        for part in _read_chunks(sorted(set(ids))):
            for ref_id, when, year, body, n in self._tuples(
                f"SELECT ref_id, date, year, issuer, count(*) FROM refs WHERE ref_id IN ({_marks(part)})"
                " AND (date IS NOT NULL OR issuer IS NOT NULL) GROUP BY ref_id, date, year, issuer", part,
            ):
                out.append(CitedForm(ref_id, _date(when), year, body, int(n)))
        return out

    def citations_of(self, ids: Iterable[str]) -> dict[str, list[Citation]]:
        """Every reference resolved to one of ``ids``, by id, in text order of
        each document (:meth:`citations` for many ids at once)."""
        out: dict[str, list[Citation]] = {}
        for part in _read_chunks(sorted(set(ids))):
            for ref_id, doc_id, start, end, text, when, year, term, issuer in self._tuples(
                'SELECT ref_id, doc_id, start, "end", text, date, year, term, issuer FROM refs'
                f" WHERE ref_id IN ({_marks(part)}) ORDER BY ref_id, doc_id, start", part,
            ):
                out.setdefault(ref_id, []).append(Citation(doc_id, start, end, text, _date(when), year, term, issuer))
        return out

    def text_dates(self, doc_ids: Iterable[int]) -> dict[int, list[date]]:
        """The dates each of the given texts mentions, in text order."""
        out: dict[int, list[date]] = {}
        for part in _read_chunks(sorted(set(doc_ids))):
            for doc_id, value in self._tuples(
                f"SELECT doc_id, date FROM dates WHERE doc_id IN ({_marks(part)}) ORDER BY doc_id, start", part,
            ):
                out.setdefault(int(doc_id), []).append(date.fromisoformat(value))
        return out

    def citation_hints(self, doc_id: int, ref_id: str) -> list[tuple[int, int | None, int | None]]:
        """(start, year, term) of each resolved citation of ``ref_id`` in the
        text ``doc_id``, in text order: the year or term the tagger read beside
        the number, which tells namesakes apart."""
        rows = self._tuples(
            "SELECT start, year, term FROM refs WHERE doc_id = ? AND ref_id = ? AND status = 'resolved'"
            " ORDER BY start", (doc_id, ref_id))
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def text_slice(self, doc_id: int, start: int, length: int) -> str:
        """``length`` characters of a stored text from offset ``start`` (0-based)."""
        row = self.conn.execute(
            "SELECT substr(text, ?, ?) FROM documents WHERE doc_id = ?", (start + 1, length, doc_id)).fetchone()
        return str(row[0] or "") if row else ""

    def text_of(self, doc_id: int) -> str:
        """The whole text of a stored document ("" when there is none)."""
        row = self.conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return str(row[0]) if row else ""

    def texts_of(self, doc_ids: Iterable[int]) -> dict[int, str]:
        """doc_id → whole text of the given stored documents (one read for a batch of pages)."""
        out: dict[int, str] = {}
        for part in _read_chunks(sorted(set(doc_ids))):
            for doc_id, text in self._tuples(f"SELECT doc_id, text FROM documents WHERE doc_id IN ({_marks(part)})", part):
                out[int(doc_id)] = str(text)
        return out

    def relations_linking(self, column: str, ids: Iterable[str], types: Iterable[str] | None = None) -> list[RelationRow]:
        """Relations whose ``column`` (``source`` or ``target``) is one of
        ``ids``, of ``types`` (all when None), in store order (by asserting
        text, then by place in it)."""
        if column not in ("source", "target"):
            raise ValueError(column)
        kinds = list(types or ())
        type_clause = f" AND type IN ({_marks(kinds)})" if kinds else ""
        out: list[RelationRow] = []
        for part in _read_chunks(sorted(set(ids))):
            out.extend(RelationRow(*r) for r in self._tuples(
                f"SELECT {_RELATION_COLUMNS} FROM relations WHERE {column} IN ({_marks(part)}){type_clause}",
                [*part, *kinds]))
        out.sort(key=_relation_order)
        return out

    def relations_asserted(self, doc_id: int) -> list[RelationRow]:
        """The relations a stored text asserts, in text order."""
        rows = self._tuples(
            f"SELECT {_RELATION_COLUMNS} FROM relations WHERE doc_id = ? ORDER BY evidence_start", (doc_id,))
        return [RelationRow(*r) for r in rows]

    def iter_relations(self, batch: int = 20000) -> Iterator[list[RelationRow]]:
        """Every relation in store order, ``batch`` rows at a time (for exports of any size)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(f"SELECT {_RELATION_COLUMNS} FROM relations ORDER BY doc_id, evidence_start")
        while rows := cur.fetchmany(batch):
            yield [RelationRow(*r) for r in rows]

    def relation_target_ids(self, types: Iterable[str], issuer_codes: Iterable[str]) -> list[str]:
        """The distinct targets of relations of ``types`` whose number ends in
        one of ``issuer_codes`` (``/TW``, ``-CP``): a first cut that the caller
        refines by parsing each number."""
        kinds = list(types)
        patterns = [p for c in issuer_codes for p in (f"%/{c}", f"%-{c}")]
        if not kinds or not patterns:
            return []
        suffix = " OR ".join("target LIKE ?" for _ in patterns)
        rows = self._tuples(
            f"SELECT DISTINCT target FROM relations WHERE type IN ({_marks(kinds)}) AND ({suffix})", [*kinds, *patterns])
        return [str(r[0]) for r in rows]

    def is_mentioned(self, ref_id: str) -> bool:
        """Whether any stored text cites ``ref_id`` or names it as the source of a relation."""
        for sql in ("SELECT 1 FROM refs WHERE ref_id = ? LIMIT 1", "SELECT 1 FROM relations WHERE source = ? LIMIT 1"):
            if self.conn.execute(sql, (ref_id,)).fetchone() is not None:
                return True
        return False

    def text_metadata(self) -> list[TextMeta]:
        """Every stored text's metadata, without the text itself, in path order."""
        rows = self._tuples(
            "SELECT doc_id, path, format, lang, title, size, length(text), page_starts, warnings, self_json"
            " FROM documents ORDER BY path")
        return [TextMeta(*r) for r in rows]

    def all_citations(self) -> list[CitationRow]:
        """Every reference of every stored text, by text and then in text order."""
        rows = self._tuples(
            'SELECT doc_id, ord, ref_id, start, "end", text, date, year, term, relation, status'
            " FROM refs ORDER BY doc_id, ord")
        return [CitationRow(*r) for r in rows]

    def doc_ids_by_path(self, paths: Iterable[str]) -> dict[str, int]:
        """path → doc_id of the given (first) paths that are stored."""
        out: dict[str, int] = {}
        for part in _read_chunks(sorted(set(paths))):
            for doc_id, path in self._tuples(f"SELECT doc_id, path FROM documents WHERE path IN ({_marks(part)})", part):
                out[str(path)] = int(doc_id)
        return out

    def languages(self, doc_ids: Iterable[int]) -> dict[int, str]:
        """doc_id → language code of the given stored texts."""
        out: dict[int, str] = {}
        for part in _read_chunks(sorted(set(doc_ids))):
            for doc_id, lang in self._tuples(f"SELECT doc_id, lang FROM documents WHERE doc_id IN ({_marks(part)})", part):
                out[int(doc_id)] = str(lang)
        return out

    def counts(self) -> StoreCounts:
        """How many texts, identified texts and relations the store holds."""
        texts, identified = self.conn.execute(
            "SELECT count(*), count(self_id) FROM documents").fetchone()
        relations = self.conn.execute("SELECT count(*) FROM relations").fetchone()[0]
        return StoreCounts(int(texts), int(identified or 0), int(relations))

    def content_rows(self, batch: int = 20000) -> Iterator[list[tuple[object, ...]]]:
        """What tells one store's documents from another's, a batch at a time:
        per document its path, content hash, size, time of ingest, language,
        title, warnings, pages and header (for a digest of the store)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute("SELECT doc_id, path, sha256, size, ingested_at, lang, title, warnings, page_starts, self_json"
                    " FROM documents ORDER BY doc_id")
        while rows := cur.fetchmany(batch):
            yield rows

    def tag_summaries(self) -> tuple[tuple[object, ...], ...]:
        """Per table of tags (references, relations, dates), aggregates that
        change when a row is added, removed or rewritten: the count and a
        weighted sum of offsets, numbers and text lengths. One pass of the
        database's own code each, a few times faster than hashing the rows."""
        queries = (
            'SELECT count(*), sum(doc_id*3 + start*5 + "end"*7 + ord + coalesce(year, 0)*11'
            " + coalesce(term, 0)*13 + length(coalesce(ref_id, ''))*17 + length(coalesce(date, ''))"
            " + length(relation)*19 + length(status)*23 + length(coalesce(issuer, ''))*29 + length(text)*31"
            " + length(candidates)*37 + length(coalesce(type, ''))*41 + short_form*43"
            " + length(coalesce(key, ''))*47 + length(coalesce(source, ''))*53) FROM refs",
            "SELECT count(*), sum(doc_id*5 + evidence_start*7 + evidence_end*11"
            " + length(source)*13 + length(target)*17 + length(type)*19 + length(evidence)*23"
            " + length(coalesce(target_date, ''))*29) FROM relations",
            'SELECT count(*), sum(doc_id*5 + start*7 + "end"*11 + length(date)*13) FROM dates',
        )
        return tuple(tuple(self.conn.execute(sql).fetchone()) for sql in queries)

    def _tuples(self, sql: str, args: Iterable[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query as plain tuples (cheaper than named rows in bulk)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, tuple(args)).fetchall()


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


# -- rows of the read models for the graph, the site and the web pages ---------------------

#: How many ids go into one ``IN (...)`` list (SQLite limits bound parameters).
READ_CHUNK = 500

#: The relation columns :class:`RelationRow` holds, in its order.
_RELATION_COLUMNS = "doc_id, source, target, type, evidence, evidence_start, evidence_end, target_date"


def _read_chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), READ_CHUNK):
        yield items[i:i + READ_CHUNK]


def _marks(items: list[Any]) -> str:
    return ",".join("?" * len(items))


class RelationRow(NamedTuple):
    """A stored relation as the graph resolves it (``target_date`` as stored, ISO)."""

    doc_id: int
    source: str
    target: str
    type: str
    evidence: str
    evidence_start: int
    evidence_end: int
    target_date: str | None


def _relation_order(r: RelationRow) -> tuple[int, int]:
    return (r.doc_id, r.evidence_start)


class GraphDocRow(NamedTuple):
    """What the graph reads of a stored text: its path, its page starts and
    its header, both as stored (JSON, decoded when used)."""

    doc_id: int
    path: str
    page_starts: str
    self_id: str | None
    self_json: str | None


class CitedForm(NamedTuple):
    """One way citations name a document id, and how many citations do."""

    ref_id: str
    date: date | None
    year: int | None
    issuer: str | None
    citations: int


class CitationRow(NamedTuple):
    """One reference of a stored text (for drawing the text with its links)."""

    doc_id: int
    ord: int
    ref_id: str | None
    start: int
    end: int
    text: str
    date: str | None
    year: int | None
    term: int | None
    relation: str
    status: str


class TextMeta(NamedTuple):
    """One stored text's metadata as the documents table holds it (the text left out)."""

    doc_id: int
    path: str
    format: str
    lang: str
    title: str | None
    size: int
    chars: int
    page_starts: str  # JSON list of page start offsets
    warnings: str  # JSON list of extraction warnings
    self_json: str | None


@dataclass(frozen=True)
class StoreCounts:
    """The store's size in the home page's terms."""

    texts: int
    identified: int
    relations: int
