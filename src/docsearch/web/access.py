"""Read-only access to one index from many request threads.

Each thread gets its own connection, opened read-only (SQLite: ``mode=ro``
and ``query_only``; PostgreSQL: a read-only session, on the replica when
one is given), so nothing a request does can write the store, and its own
full-text reader. A missing or unusable index is not fatal: every
request says what to do (:class:`IndexUnavailable`) until it appears.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ..check import Facts
from ..graph import Resolver
from ..i18n import SaidError, phrase
from ..search import FullTextIndex, SearchError
from ..store import SCHEMA_VERSION, STORE_FILE, Store, StoreError


class IndexUnavailable(SaidError):
    """The index cannot be read; the message says what to do."""


def open_read_only(index_dir: Path) -> Store:
    """The store of ``index_dir`` on a connection that cannot write."""
    db = index_dir / STORE_FILE
    if not db.is_file():
        raise IndexUnavailable(phrase("no docsearch index in {folder}/: run 'docsearch ingest FOLDER --index "
                                      "{folder}' first, or start the server with --index pointing at an existing "
                                      "index", folder=index_dir))
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0,
                               isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only=ON")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise IndexUnavailable(phrase("cannot read the index {file}: {error}", file=db, error=exc)) from exc
    if version != SCHEMA_VERSION:
        conn.close()
        newer = version > SCHEMA_VERSION
        raise IndexUnavailable(phrase("the index {file} has schema {version}, this docsearch reads {known}: {todo}",
                                      file=db, version=version, known=SCHEMA_VERSION,
                                      todo=phrase("upgrade docsearch") if newer else
                                      phrase("run 'docsearch stats' once to upgrade it (the server never writes)")))
    return Store(conn, db)


class IndexAccess:
    """The store, the full-text index and the checker's facts of one index folder."""

    def __init__(self, index_dir: Path | str, *, read_index: str | None = None) -> None:
        self.index_dir = index_dir
        #: Where requests read: the replica when one is given, else the index.
        self.read_from: Path | str = read_index or index_dir
        self._local = threading.local()
        self._lock = threading.Lock()
        self._facts: tuple[tuple[object, ...], Facts] | None = None

    def store(self) -> Store:
        """This thread's read-only store (opened on first use)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            if isinstance(self.read_from, str):
                try:
                    store = Store.open_reader(self.read_from)
                except StoreError as exc:
                    raise IndexUnavailable(exc.said) from exc
            else:
                store = open_read_only(self.read_from)
            self._local.store = store
        return store

    def fulltext(self) -> FullTextIndex:
        """This thread's full-text reader; every search sees the last commit."""
        index: FullTextIndex | None = getattr(self._local, "fulltext", None)
        if index is None:
            self.store()  # a missing index is reported as such, not as a missing full-text index
            try:
                index = FullTextIndex(self.read_from)
            except SearchError as exc:
                raise IndexUnavailable(exc.said) from exc
            self._local.fulltext = index
        return index

    def resolver(self) -> Resolver:
        """A graph resolver for one request on this thread's store. What
        resolvers find is shared by all of them (one copy per store, not per
        thread) until the store changes, so a page resolves only documents
        no earlier page resolved; the application also keeps rendered pages."""
        return Resolver(self.store())

    def signature(self) -> tuple[object, ...]:
        """Changes whenever the store is written (its file or its write-ahead log)."""
        return self._signature()

    def _signature(self) -> tuple[object, ...]:
        folder = self.read_from
        if isinstance(folder, str):
            return self.store().change_marker()
        out: list[float] = []
        for suffix in ("", "-wal"):
            try:
                st = (folder / (STORE_FILE + suffix)).stat()
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def facts(self) -> Facts:
        """What ``check`` compares drafts with, rebuilt only when the store changed."""
        signature = self._signature()
        with self._lock:
            cached = self._facts
            if cached is not None and cached[0] == signature:
                return cached[1]
        facts = Facts.from_store(self.store())
        with self._lock:
            self._facts = (signature, facts)
        return facts
