"""The SQL plans of the hot queries: every statement the graph queries run
reads through an index, so the cost of a query follows what it touches, not
the size of the store (a wrong plan once made site builds quadratic).

The store is checked as a user's fresh store is: without ``ANALYZE``, so the
plans cannot depend on statistics that may be missing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from docsearch.graph import cites, coverage, coverage_matrix, describe, implements, resolve
from docsearch.graph.resolve import Resolver, forget_resolved
from docsearch.graph.stored import is_current
from docsearch.ingestion import ingest
from docsearch.store import Store, edge_identity

from conftest import ROOT

#: Tables that grow with the corpus (one row per document, citation, date or
#: relation, and the graph's stored resolution of them).
BIG_TABLES = ("documents", "refs", "dates", "relations", "graph_edges", "graph_nodes", "graph_texts", "graph_bodies",
              "graph_citations", "graph_bases")

#: Statements allowed to walk a whole (covering) index once per query; each
#: is linear in the store, run once per command, never per row.
WHOLE_INDEX_ALLOWED = (
    # coverage --central: the distinct targets of implementing relations.
    re.compile(r"SELECT DISTINCT target FROM relations"),
    # The committees of the store, from the headers (read once per state of the store).
    re.compile(r"SELECT doc_id, self_json FROM documents WHERE self_id IS NOT NULL"),
    # The number of stored texts, part of the store's change marker.
    re.compile(r"SELECT count\(\*\) FROM documents$"),
    # The committees of the store, as the stored resolution recorded them.
    re.compile(r"SELECT DISTINCT issuer, issuer_code FROM graph_bodies"),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store.open(tmp_path_factory.mktemp("plans") / "index")
    assert ingest([ROOT / "corpus"], s, jobs=1).ok
    assert s.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'").fetchone()[0] == 0
    assert is_current(s)  # the queries read the stored resolution; see the "in Python" cases for the other way
    try:
        yield s
    finally:
        s.close()


def _traced(store: Store, run: Callable[[], Any]) -> list[str]:
    forget_resolved()  # every query starts cold, as in a fresh process
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        store.conn.set_trace_callback(None)
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def _plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]


def _full_scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    """Plan lines that read a big table row by row from its start."""
    out = []
    for line in _plan(conn, sql):
        m = re.match(r"SCAN (\w+)", line)
        if m and m.group(1) in BIG_TABLES:
            if "COVERING INDEX" in line and any(p.search(sql) for p in WHOLE_INDEX_ALLOWED):
                continue
            out.append(line)
    return out


QUERIES: dict[str, Callable[[Store], Any]] = {
    "implements": lambda s: implements(s, "57-NQ/TW"),
    "implements depth 2": lambda s: implements(s, "Resolution 57", depth=2),
    "coverage": lambda s: coverage(s, "57-NQ/TW"),
    "coverage --central": lambda s: coverage_matrix(s),
    "cites": lambda s: cites(s, "57-NQ/TW"),
    "describe": lambda s: describe(s, "57-NQ/TW"),
    "document page": lambda s: _document_page(s, "57-NQ/TW"),
}


def _document_page(store: Store, query: str) -> Any:
    from docsearch.i18n import translator
    from docsearch.web.document import document_page
    from docsearch.web.urls import LiveUrls

    return document_page(store, query, LiveUrls(), translator("vi"))


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "in Python"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_graph_queries_never_scan_a_big_table(store: Store, name: str, stored: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resolve, "USE_STORED", stored)
    statements = _traced(store, lambda: QUERIES[name](store))
    assert statements, "the query ran no SQL: the trace is not working"
    bad = {sql: _full_scans(store.conn, sql) for sql in set(statements)}
    bad = {sql: lines for sql, lines in bad.items() if lines}
    assert not bad, f"{name}: statements reading a whole table: {bad}"


def _plan_of(store: Store, run: Callable[[], Any], needle: str) -> list[str]:
    """The plan of the first traced statement containing ``needle``."""
    for sql in _traced(store, run):
        if needle in sql:
            return _plan(store.conn, sql)
    raise AssertionError(f"no statement with {needle!r} ran")


def test_year_hint_of_a_citation_uses_the_composite_index(store: Store) -> None:
    res = Resolver(store)
    doc_id, ref_id, start, end = store.conn.execute(
        "SELECT doc_id, ref_id, start, end FROM refs WHERE ref_id IS NOT NULL LIMIT 1").fetchone()
    plan = _plan_of(store, lambda: res._ref_hint(doc_id, ref_id, (start, end)), "SELECT start, year, term FROM refs")
    assert any("refs_hint" in line and "doc_id=? AND ref_id=?" in line for line in plan), plan


def test_relations_by_target_and_source_use_their_indexes(store: Store) -> None:
    res = Resolver(store)
    plan = _plan_of(store, lambda: res.relation_rows("target", ["57-NQ/TW"], ["implements"]), "FROM relations")
    assert any("relations_target" in line for line in plan), plan
    plan = _plan_of(store, lambda: res.relation_rows("source", ["57-NQ/TW"]), "FROM relations")
    assert any("relations_source" in line for line in plan), plan
    # What a settle reads of the relations an id whose candidates changed asserts.
    plan = _plan_of(store, lambda: store.relation_sources(["57-NQ/TW"]), "FROM relations")
    assert any("relations_source" in line for line in plan), plan


def test_candidates_read_covering_indexes(store: Store) -> None:
    res = Resolver(store)
    statements = _traced(store, lambda: res.prepare(["57-NQ/TW", "46-CTr/TU"]))
    plans = {sql.split(" WHERE")[0]: _plan(store.conn, sql) for sql in statements}
    cited = next(p for sql, p in plans.items() if "FROM refs" in sql)
    assert any("COVERING INDEX refs_cited" in line for line in cited), cited
    headers = next(p for sql, p in plans.items() if "FROM documents" in sql)
    assert any("COVERING INDEX documents_graph_by_self" in line for line in headers), headers


def test_the_state_of_files_is_read_from_its_covering_index(store: Store) -> None:
    # Looked up for every file of the folders at the start of each ingest.
    paths = [p for p, _ in store.stored_paths()][:3]
    statements = _traced(store, lambda: store.file_states(paths))
    plan = _plan(store.conn, next(sql for sql in statements if "FROM documents" in sql and "copies" not in sql))
    assert any("COVERING INDEX documents_files" in line for line in plan), plan


def test_dates_of_a_text_use_the_index_on_doc_id(store: Store) -> None:
    res = Resolver(store)
    doc_id = store.conn.execute("SELECT doc_id FROM dates LIMIT 1").fetchone()[0]
    plan = _plan_of(store, lambda: res.text_dates(doc_id), "FROM dates")
    assert any("dates_doc" in line for line in plan), plan


def test_stored_edges_and_nodes_are_read_through_their_indexes(store: Store) -> None:
    res = Resolver(store)
    assert res.uses_stored()
    plan = _plan_of(store, lambda: store.resolved_edges("target", ["57-NQ/TW"], ["implements"]), "FROM graph_edges")
    assert any("graph_edges_target" in line for line in plan), plan
    assert any("SEARCH n USING PRIMARY KEY (key=?)" in line for line in plan), plan  # the implementer's node
    plan = _plan_of(store, lambda: store.resolved_edges("source", ["57-NQ/TW"]), "FROM graph_edges")
    assert any("graph_edges_source" in line for line in plan), plan
    plan = _plan_of(store, lambda: store.resolved_nodes(["57-NQ/TW"]), "FROM graph_nodes")
    assert any("USING PRIMARY KEY (key=?)" in line for line in plan), plan


def test_citations_and_a_pages_counts_are_read_through_their_indexes(store: Store) -> None:
    assert Resolver(store).uses_stored()
    for run, needle in ((lambda: store.cited_facts("57-NQ/TW"), "FROM graph_citations c"),
                        (lambda: store.cited_mentions("57-NQ/TW", "57-NQ/TW", limit=5), "FROM graph_citations c")):
        plan = _plan_of(store, run, needle)
        assert any("graph_citations_key" in line for line in plan), plan
    for run in (lambda: store.incoming_summary("57-NQ/TW", "57-NQ/TW"),
                lambda: store.incoming_first("57-NQ/TW", "57-NQ/TW", "implements", 5),
                lambda: store.implementer_nodes("57-NQ/TW", "57-NQ/TW", ["implements", "based_on"])):
        plan = _plan_of(store, run, "FROM graph_edges")
        assert any("graph_edges_target" in line for line in plan), plan


def test_implementers_and_matrix_cells_are_read_in_one_indexed_statement(store: Store) -> None:
    # implements and coverage --central on the stored resolution: the edges
    # by their target's index, each source's node by its key, no sort of a
    # whole table; the matrix from the central nodes by level.
    kinds = ["implements", "guides"]
    plan = _plan_of(store, lambda: store.implementing_rows(["57-NQ/TW"], kinds), "FROM graph_edges g")
    assert any("graph_edges_target" in line and "target=?" in line for line in plan), plan
    assert any("SEARCH n USING PRIMARY KEY (key=?)" in line for line in plan), plan
    assert not _full_scans(store.conn, next(s for s in _traced(store, lambda: store.implementing_rows(
        ["57-NQ/TW"], kinds)) if "FROM graph_edges g" in s))
    # implements itself: the edges by their target, each source's node by
    # its key; only the rows read are sorted (into the list's order). Not by
    # target and key: for a level of many documents, that looks up every
    # pair of the two lists.
    read = lambda: list(store.implementing_tuples({"57-NQ/TW": "57-NQ/TW", "18-NQ/TW": "18-NQ/TW"},  # noqa: E731
                                                  kinds))
    plan = _plan_of(store, read, "FROM graph_edges g")
    assert any(re.search(r"SEARCH g USING (COVERING )?INDEX graph_edges_target\w* \(target=\?", line)
               for line in plan), plan
    assert not any("target_key=?" in line for line in plan), plan
    assert any("SEARCH n USING PRIMARY KEY (key=?)" in line for line in plan), plan
    assert not _full_scans(store.conn, next(s for s in _traced(store, read) if "FROM graph_edges g" in s))
    plan = _plan_of(store, lambda: store.matrix_rows(["central"], kinds, ["header"]), "FROM graph_nodes c")
    assert any("graph_nodes_level" in line for line in plan), plan
    assert any("graph_edges_target" in line for line in plan), plan
    assert any("SEARCH n USING PRIMARY KEY (key=?)" in line for line in plan), plan


def test_a_plain_number_and_the_matrix_run_only_their_statements(store: Store,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # What a command line call of each reads: the query's own read of the
    # stored resolution once, no edge read per id; a plain number is read
    # without the tagger (its patterns cost 0.1-0.2 s to compile).
    def no_tagger(*args: object, **kw: object) -> None:
        raise AssertionError("the tagger read a plain number")

    monkeypatch.setattr(resolve, "tag", no_tagger)
    statements = _traced(store, lambda: implements(store, "57-NQ/TW"))
    assert sum("graph_edges g" in s for s in statements) == 1, statements
    statements = _traced(store, lambda: coverage_matrix(store))
    assert sum("graph_edges g" in s for s in statements) == 1, statements


def test_a_document_pages_counts_are_read_through_their_indexes(store: Store) -> None:
    # A central document's page: its implementers' sources once each with
    # their nodes' grouping values (each relation's copy of them), the facts
    # of its citations per value, the texts that only mention it; each from
    # the target's entries in an index, never a whole table.
    assert Resolver(store).uses_stored()
    kinds = ["implements", "based_on", "guides", "reviews"]
    runs = {
        "sources": lambda: store.implementer_nodes("57-NQ/TW", "57-NQ/TW", kinds),
        "facts": lambda: store.cited_fact_counts("57-NQ/TW", "57-NQ/TW", [1], 6),
        "mentions": lambda: store.mentions_counted("57-NQ/TW", "57-NQ/TW", [1], 5),
        "first": lambda: store.incoming_first("57-NQ/TW", "57-NQ/TW", "implements", 5),
    }
    for name, run in runs.items():
        statements = _traced(store, run)
        if name == "facts":
            # The values with their counts, then the first sources of each:
            # both from the partial indexes of what the citations say, no
            # refs row read.
            assert len(statements) == 2, (name, statements)
            for statement in statements:
                plan = _plan(store.conn, statement)
                assert not _full_scans(store.conn, statement), (name, plan)
                assert any("COVERING INDEX graph_citations_dates (key=?" in line for line in plan), (name, plan)
                assert any("COVERING INDEX graph_citations_issuers (key=?" in line for line in plan), (name, plan)
                assert not any(re.search(r"\bSEARCH r\b|refs", line) for line in plan), (name, plan)
            continue
        assert len(statements) == 1, (name, statements)  # one statement each
        plan = _plan(store.conn, statements[0])
        assert not _full_scans(store.conn, statements[0]), (name, plan)
        if name == "first":
            # The first relations by their source's date, from the index
            # (each relation's copy of the date): only the rows listed read
            # their source's node.
            assert any("COVERING INDEX graph_edges_target_key (target=? AND target_key=? AND type=?)" in line
                       for line in plan), (name, plan)
            assert sum("SEARCH n USING PRIMARY KEY (key=?)" in line for line in plan) == 1, (name, plan)
        elif name == "sources":
            # The index alone: no node read per source, no temporary B-tree.
            assert any("COVERING INDEX graph_edges_target_key" in line for line in plan), (name, plan)
            assert len(plan) == 1 and "graph_nodes" not in statements[0], (name, plan)
        else:
            assert any("graph_citations_key" in line for line in plan), (name, plan)


def _edge_deletes_follow_the_text(store: Store, delete: Callable[[], object]) -> None:
    """``delete`` (run in a transaction undone after, so the module's store
    stays as it was) forgets resolved relations with two statements, each
    planned through the index on doc_id."""

    class Undo(Exception):
        pass

    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        with pytest.raises(Undo), store.transaction():
            delete()
            raise Undo
    finally:
        store.conn.set_trace_callback(None)
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE FROM GRAPH_EDGES")]
    assert len(deletes) == 2, statements
    for sql in deletes:
        plan = _plan(store.conn, sql)
        assert any("graph_edges_doc" in line for line in plan), (sql, plan)


def test_a_settle_forgets_a_relation_left_to_resolve_again_through_the_index_on_doc_id(store: Store) -> None:
    """A relation whose kept basis does not settle it is forgotten by its
    values: through its text's few rows, never every relation naming its ends."""
    row = store.relations_of([int(store.conn.execute("SELECT doc_id FROM graph_edges LIMIT 1").fetchone()[0])])[0]
    dated = row._replace(target_date=row.target_date or "2020-01-01")
    undated = row._replace(target_date=None)
    _edge_deletes_follow_the_text(
        store, lambda: store.delete_graph_edges_of([edge_identity(dated), edge_identity(undated)]))


def test_kept_bases_and_keys_are_read_through_their_indexes(store: Store) -> None:
    """What a settle reads to weigh mentions against their kept bases."""
    ids = [str(r[0]) for r in store.conn.execute("SELECT DISTINCT target FROM graph_edges LIMIT 5")]
    docs = [int(r[0]) for r in store.conn.execute("SELECT DISTINCT doc_id FROM graph_edges LIMIT 5")]
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        store.graph_bases_of(ids, "c")
        store.graph_bases_in(docs, "r")
        store.graph_edge_keys(docs)
        store.graph_citation_keys(ids)
    finally:
        store.conn.set_trace_callback(None)
    assert len(statements) == 4, statements
    for sql in statements:
        assert not _full_scans(store.conn, sql), (sql, _plan(store.conn, sql))


def test_the_texts_a_moved_candidate_may_change_are_found_through_indexes(store: Store) -> None:
    """A settle asks, per id whose candidate moved to another day, which
    texts naming it mention either day or are dated between them: through
    the indexes on the ids named and on each text's dates and header, never
    a walk of every text or date of the store."""
    from datetime import date

    statements = _traced(store, lambda: store.texts_near(
        {"57-NQ/TW": ({date(2024, 12, 22), date(2024, 12, 23)}, [(date(2024, 12, 22), date(2025, 6, 1))])}))
    near = [sql for sql in statements if "FROM dates AS t" in sql]
    assert len(near) == 1, statements
    plan = _plan(store.conn, near[0])
    assert not _full_scans(store.conn, near[0]), plan
    assert any("relations_target" in line for line in plan), plan
    assert any("refs_ref_id" in line or "refs_cited" in line for line in plan), plan
    # The header's date from the covering index, not from the row behind the text.
    assert any("documents_graph_by_id" in line for line in plan), plan
