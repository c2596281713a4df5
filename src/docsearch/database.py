"""Where an index lives, and the connection to a PostgreSQL server.

An index is a folder (the embedded default: one SQLite file and a tantivy
index) or a PostgreSQL database named by a ``postgresql://`` URL. The store
speaks one SQL to both: ``?`` placeholders, the column ``end`` quoted,
``INSERT … ON CONFLICT`` for upserts. :class:`ServerConnection` gives a
psycopg connection the few methods of :class:`sqlite3.Connection` the
store uses, translating placeholders, so the store's queries are written
once. Values reach the server only as parameters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from .i18n import SaidError, phrase

if TYPE_CHECKING:
    import psycopg

SERVER_SCHEMES = ("postgresql://", "postgres://")


DEFAULT_INDEX_DIR = "indexes"
ENV_INDEX = "DOCSEARCH_INDEX"


def resolve_index(index: str | os.PathLike[str] | None = None) -> str | Path:
    """Where the index is: the argument, else ``$DOCSEARCH_INDEX``, else
    ``./indexes``; a ``postgresql://`` URL as given, a folder as a Path.

    It lives here, not in :mod:`docsearch.store`, so that a search finds its
    index without loading the store.
    """
    chosen = index or os.environ.get(ENV_INDEX) or DEFAULT_INDEX_DIR
    return chosen if isinstance(chosen, str) and is_server_url(chosen) else Path(chosen)


def is_server_url(index: str | os.PathLike[str] | None) -> bool:
    """True when ``index`` names a PostgreSQL database rather than a folder."""
    return isinstance(index, str) and index.startswith(SERVER_SCHEMES)


def redact(url: str) -> str:
    """``url`` without its password, for messages and listings."""
    try:
        parts = urlsplit(url)
        password, port = parts.password, parts.port
    except ValueError:  # not a URL one can take apart: show none of it
        return "the database (a URL that cannot be read)"
    if password is None:
        return url
    host = parts.hostname or ""
    if port:
        host += f":{port}"
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))


class StoreError(SaidError):
    """The store cannot be opened or used; the message says what to do (a
    phrase the command line says in the user's language, see
    :class:`docsearch.i18n.SaidError`)."""


class ServerError(StoreError):
    """The database server refused, could not be reached or went away."""


class Row(tuple):
    """A result row readable by position and by column name, like sqlite3.Row."""

    __slots__ = ()
    _names: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_ROW_CLASSES: dict[tuple[str, ...], type[Row]] = {}


def _row_factory(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    key = tuple(d.name for d in description)
    cls = _ROW_CLASSES.get(key)
    if cls is None:  # one class per column list, made once
        cls = type("Row", (Row,), {"__slots__": (), "_names": {n: i for i, n in enumerate(key)}})
        _ROW_CLASSES[key] = cls
    return cls


# A ? outside quotes becomes %s, or %b where it is cast to an array type; a
# literal % must be doubled for psycopg; a list of placeholders after IN
# becomes one array (see _plan).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\b(NOT\s+)?IN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)|\?|%",
                     re.IGNORECASE)
_ARRAY_CAST = re.compile(r"::[a-z ]+\[\]", re.IGNORECASE)


# An INSERT of one row of placeholders (see ServerConnection.insert_many):
# its table, its columns and what follows the VALUES list.
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)(.*)",
                     re.IGNORECASE | re.DOTALL)


def translate(sql: str) -> str:
    """The store's SQL (``?`` placeholders) in psycopg's placeholder style."""
    return _plan(sql)[0]


@lru_cache(maxsize=1024)
def _plan(sql: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``sql`` for the server, and which of its parameters go together:
    (first, count) of each ``IN (?, ?, …)`` list, which becomes ``= ANY(%b)``
    (``NOT IN``: ``<> ALL(%b)``) of one array. The store's SQL asks for a
    chunk of ids with such a list, whose length varies; as an array it is
    one statement whatever the length, which the server and psycopg prepare
    once, instead of parsing several hundred placeholders at every call."""
    groups: list[tuple[int, int]] = []
    seen = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal seen
        t = m.group(0)
        if t == "?":
            seen += 1
            # An array in binary: psycopg writes each text of an array in text
            # form through regular expressions that quote it, 14 times the
            # cost of binary for 50,000 texts holding spaces or quotes (the
            # evidence of relations, their kept bases).
            return "%b" if _ARRAY_CAST.match(sql, m.end()) else "%s"
        if t == "%":
            return "%%"
        if t[0] in "'\"":
            return t
        count = t.count("?")
        groups.append((seen, count))
        seen += count
        return " <> ALL(%b)" if m.group(1) else " = ANY(%b)"  # in binary too

    return _TOKENS.sub(swap, sql), tuple(groups)


def _bind(sql: str, params: Sequence[Any] | None) -> tuple[str, tuple[Any, ...]]:
    """``sql`` and ``params`` as the server takes them (see :func:`_plan`)."""
    text, groups = _plan(sql)
    values = tuple(params) if params is not None else ()
    if not groups:
        return text, values
    out: list[Any] = []
    at = 0
    for first, count in groups:
        out.extend(values[at:first])
        out.append(list(values[first:first + count]))
        at = first + count
    out.extend(values[at:])
    return text, tuple(out)


def _bind_rows(sql: str, rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    """The parameters of each row of an executemany of ``sql`` (see :func:`_bind`)."""
    if not _plan(sql)[1]:
        return list(rows)
    return [_bind(sql, row)[1] for row in rows]


class ServerCursor:
    """The part of a DB-API cursor the store uses."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class ServerConnection:
    """A psycopg connection with sqlite3's ``execute``/``executemany``.

    The connection runs in autocommit mode; the store opens transactions
    with ``BEGIN`` itself, as it does on SQLite. A failure of the server
    or the network becomes :class:`ServerError` with one readable line.
    """

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        import psycopg

        self.url = url
        self.read_only = read_only
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10,
                                         application_name="docsearch")
        except psycopg.Error as exc:
            raise ServerError(phrase("cannot connect to {url}: {reason}", url=redact(url),
                                     reason=_first_line(exc))) from None
        self._conn.row_factory = _row_factory
        self._types: dict[str, dict[str, str]] = {}
        if read_only:
            self.execute("SET default_transaction_read_only = on")

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """A failure of the server or the network, as one readable line."""
        import psycopg

        try:
            yield
        except psycopg.OperationalError as exc:
            raise ServerError(phrase("the database server {url} failed: {reason}; everything committed before the "
                                     "failure stays and nothing is half written: run the command again when the "
                                     "server is back", url=redact(self.url), reason=_first_line(exc))) from None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> ServerCursor:
        if sql.startswith("BEGIN IMMEDIATE"):
            sql = "BEGIN"
        with self._failures():
            cur = self._conn.execute(*_bind(sql, params))
        return ServerCursor(cur)

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query as plain tuples (cheaper than named rows in bulk)."""
        from psycopg.rows import tuple_row

        with self._failures(), self._conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(*_bind(sql, params))
            return cur.fetchall()

    def stream(self, sql: str, params: Sequence[Any] = (), *, batch: int = 10000) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of a query, ``batch`` at a time, from a server-side cursor
        (a whole table never sits in memory)."""
        from psycopg.rows import tuple_row

        with self._failures(), self._conn.transaction(), \
                self._conn.cursor(name="docsearch_stream", row_factory=tuple_row) as cur:
            cur.execute(*_bind(sql, params))
            while rows := cur.fetchmany(batch):
                yield rows

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Append rows to ``table`` with COPY, the server's fastest way in
        (``table`` and ``columns`` come from the store's own schema)."""
        with self._failures(), self._conn.cursor() as cur, \
                cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def executemany_returning(self, sql: str, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Run ``sql`` (with RETURNING) for every row in one pipeline; the
        first row each returned, in order."""
        from psycopg.rows import tuple_row

        out: list[tuple[Any, ...]] = []
        with self._failures(), self._conn.cursor(row_factory=tuple_row) as cur:
            cur.executemany(translate(sql), _bind_rows(sql, rows), returning=True)
            while True:
                got = cur.fetchone()
                assert got is not None
                out.append(got)
                if not cur.nextset():
                    break
        return out

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        with self._failures(), self._conn.cursor() as cur:
            cur.executemany(translate(sql), _bind_rows(sql, rows))

    def insert_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """``sql``, an ``INSERT INTO table (columns) VALUES (?, …) …`` of one
        row, for each of ``rows``, as one statement given one array per
        column (``SELECT * FROM unnest(…)``): a statement per row cost this
        process and the server more than the row (tens of thousands of them
        per batch of an ingest), and a statement of many rows of
        placeholders is parsed anew at every call. Rows given twice must not
        both update one row (``ON CONFLICT DO UPDATE`` refuses that within a
        statement)."""
        if not rows:
            return
        found = _INSERT.match(sql)
        if found is None:
            raise ValueError("insert_many takes an INSERT INTO table (columns) with one VALUES list of placeholders")
        table, listed, tail = found.groups()
        columns = [c.strip() for c in listed.split(",")]
        if len(columns) != found.group(0).count("?") - tail.count("?"):
            raise ValueError("insert_many takes one placeholder per column")
        types = self._column_types(table)
        arrays = ", ".join(f"?::{types[c.strip(chr(34))]}[]" for c in columns)
        statement = f"INSERT INTO {table} ({listed}) SELECT * FROM unnest({arrays}){tail}"
        self.execute(statement, [list(values) for values in zip(*rows, strict=True)])

    def _column_types(self, table: str) -> dict[str, str]:
        """The SQL type of each column of ``table`` (one of the store's own)."""
        types = self._types.get(table)
        if types is None:
            types = self._types[table] = {str(name): str(kind) for name, kind in self.tuples(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped", (table,))}
        return types

    def pipeline(self) -> AbstractContextManager[Any]:
        """Send the statements of the block without waiting for each result
        (psycopg's pipeline mode); a failure surfaces at the block's end."""
        return _Pipeline(self)

    def close(self) -> None:
        self._conn.close()


class _Pipeline:
    def __init__(self, server: ServerConnection) -> None:
        self.server = server
        self._inner: Any = None

    def __enter__(self) -> None:
        self._inner = self.server._conn.pipeline()
        self._inner.__enter__()

    def __exit__(self, *exc: Any) -> None:
        with self.server._failures():
            self._inner.__exit__(*exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].replace("connection failed: ", "")
