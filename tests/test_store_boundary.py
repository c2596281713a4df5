"""Only the store talks to the database: every other module asks it through
its methods, so that another store (PostgreSQL) can stand in for SQLite
without touching the graph, the site or the web pages."""

from __future__ import annotations

import re

from conftest import ROOT

PACKAGE = ROOT / "src" / "docsearch"

#: A use of a store's connection (``store.conn``, ``self.conn``, ``.conn.execute``).
_CONN = re.compile(r"\.conn\b")

#: Modules whose SQL is still being moved behind the store on another line of
#: work; each entry goes when its module no longer needs it.
PENDING: frozenset[str] = frozenset()


def _offenders() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "store.py":
            continue
        lines = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if _CONN.search(line.split("#", 1)[0])]
        if lines:
            found[name] = lines
    return found


def test_no_module_but_the_store_touches_the_connection() -> None:
    found = {name: lines for name, lines in _offenders().items() if name not in PENDING}
    assert not found, f"modules using the store's connection (move the SQL into Store methods): {found}"


def test_pending_modules_are_still_pending() -> None:
    # An entry left in PENDING after its module was cleaned would let the SQL come back unseen.
    found = _offenders()
    stale = sorted(name for name in PENDING if name not in found)
    assert not stale, f"remove from PENDING, they no longer use the connection: {stale}"


def test_the_check_sees_a_connection_use() -> None:
    assert _CONN.search("rows = store.conn.execute('SELECT 1')")
    assert not _CONN.search("connection = open_it()")


#: What SQLite accepts and PostgreSQL does not (or reads otherwise).
_NOT_PORTABLE = (
    (re.compile(r"json_extract|INDEXED BY|PRAGMA|INSERT OR REPLACE|\browid\b|\btotal\(", re.I), "SQLite only"),
    (re.compile(r"substr\([^)]*,\s*-"), "negative substr offset"),
    (re.compile(r"(?<![\"\w])end(?![\"\w])"), "unquoted column end"),
)


def test_the_read_models_for_the_graph_site_and_web_are_portable_sql() -> None:
    source = (PACKAGE / "store.py").read_text("utf-8")
    start = source.index("# -- read models for the graph, the site and the web pages")
    block = source[start:source.index("\nclass _Transaction", start)]
    sql = re.findall(r'[rf]?"((?:SELECT|INSERT|UPDATE|DELETE)[^"]*)"|[rf]?\'((?:SELECT|INSERT)[^\']*)\'', block)
    statements = [a or b for a, b in sql]
    assert len(statements) > 15, statements
    # Continuation lines of a statement (" FROM ...", " AND ...") are checked too.
    pieces = re.findall(r'"( [A-Z(][^"]*)"', block) + statements
    bad = [(piece, why) for piece in pieces for pattern, why in _NOT_PORTABLE if pattern.search(piece)]
    assert not bad, bad
