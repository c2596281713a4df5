"""The implementers read of the stored resolution (Store.implementing_tuples
and graph.assemble.incoming): the rows leave out what they would repeat and
come in the order the list shows, and what is made of them is what the
store's nodes and relations say, on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest

from docsearch.graph import assemble, implements
from docsearch.graph.model import IMPLEMENTING, Edge, Node
from docsearch.graph.query import _edge_from_source, _sort_key
from docsearch.graph.resolve import Resolver, forget_resolved, node_from_row
from docsearch.ingestion import ingest
from docsearch.store import ImplementingRow, NodeRow, Store

from conftest import ROOT


@pytest.fixture(params=["folder", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The corpus's central documents and two provinces, in a folder or a new database on the test server."""
    where = str(tmp_path / "index") if request.param == "folder" else str(request.getfixturevalue("pg_url"))
    docs = tmp_path / "docs"
    for part in ("central", "nghe-an", "quang-ninh", "news"):
        shutil.copytree(ROOT / "corpus" / part, docs / part)
    s = Store.open(where)
    assert ingest([docs], s, jobs=1).ok
    request.addfinalizer(s.close)
    return s


def _targets(store: Store) -> dict[str, str]:
    """Every node a stored relation points at, with its id."""
    return {str(k): str(i) for k, i in store._tuples("SELECT DISTINCT target_key, target FROM graph_edges")}


def _stored_nodes(store: Store, keys: set[str]) -> dict[str, Node]:
    rows = store._tuples("SELECT key, id, type, issuer_code, level, issuer, issuer_source, date, date_source, title,"
                         " place, status, doc_ids, paths, ambiguous, candidates FROM graph_nodes")
    return {str(r[0]): node_from_row(NodeRow(*r)) for r in rows if r[0] in keys}


def _read(store: Store, targets: dict[str, str], relations: tuple[str, ...] = IMPLEMENTING
          ) -> tuple[dict[str, dict[str, list[Edge]]], dict[str, Node], set[str]]:
    out: dict[str, dict[str, list[Edge]]] = {k: {} for k in targets}
    nodes: dict[str, Node] = {}
    ordered = assemble.incoming(store.implementing_tuples(targets, relations), out, nodes, assemble.Dates())
    return out, nodes, ordered


def _expected(store: Store, targets: dict[str, str], relations: tuple[str, ...] = IMPLEMENTING
              ) -> dict[str, dict[str, list[Edge]]]:
    """The same relations as the generic read makes them (every column, store order)."""
    out: dict[str, dict[str, list[Edge]]] = {k: {} for k in targets}
    for r in store.implementing_rows(sorted(set(targets.values())), relations):
        if r.target_key in out:
            e = _edge_from_source(r, {}, assemble.Dates())
            out[r.target_key].setdefault(e.source, []).append(e)
    return out


def test_the_rows_make_the_stored_relations_and_nodes_in_the_list_order(store: Store) -> None:
    targets = _targets(store)
    assert len(targets) > 20
    for relations in (IMPLEMENTING, ("cites",), ("implements", "cites", "amends")):
        out, nodes, ordered = _read(store, targets, relations)
        expected = _expected(store, targets, relations)
        assert out == expected  # every edge, and each source's edges in store order
        sources = {s for by_source in out.values() for s in by_source}
        stored = _stored_nodes(store, sources)
        assert nodes == stored  # each node exactly as stored, whatever the row left out
        assert ordered == {k for k in out if all(s in stored for s in out[k])}
        for key in ordered:
            listed = [nodes[s] for s in out[key]]
            assert listed == sorted(listed, key=lambda n: (n.date is None, n.date or date.min, n.key))


def test_what_a_row_leaves_out_is_read_back_exactly(store: Store) -> None:
    # Nodes whose values the row would otherwise leave out: several texts,
    # a path JSON must escape, a path of another text, candidates, an id
    # other than the key.
    targets = _targets(store)
    out, _, _ = _read(store, targets)
    texts = _stored_nodes(store, {s for by_source in out.values() for s in by_source})
    sources = sorted(k for k, n in texts.items() if len(n.doc_ids) == 1)  # each its own text
    assert len(sources) >= 4
    with store.transaction():
        a, b, c, d = sources[:4]
        store.conn.execute("UPDATE graph_nodes SET doc_ids = doc_ids || ',' || doc_ids,"
                           " paths = '[\"/x/một.txt\", \"/y/hai.txt\"]' WHERE key = ?", (a,))
        store.conn.execute("UPDATE graph_nodes SET paths = '[\"C:\\\\van ban\\\\\\\"x\\\".txt\"]' WHERE key = ?",
                           (b,))
        store.conn.execute("UPDATE graph_nodes SET candidates = '[\"05-KH/TU@2025-03-01\", \"05-KH/TU@2024-01-02\"]'"
                           " WHERE key = ?", (c,))
        store.conn.execute("UPDATE graph_nodes SET id = 'khác', doc_ids = '' WHERE key = ?", (d,))
    _, nodes, _ = _read(store, targets)
    assert nodes == _stored_nodes(store, set(nodes))
    assert len(nodes[a].doc_ids) == 2 and nodes[a].paths == ("/x/một.txt", "/y/hai.txt")
    assert nodes[b].paths == ('C:\\van ban\\"x".txt',)
    assert len(nodes[c].candidates) == 2
    assert nodes[d].id == "khác" and nodes[d].doc_ids == () and nodes[d].paths == ()


def test_a_source_without_a_stored_node_is_ordered_by_its_resolved_one(store: Store) -> None:
    # Its date is not in the row: the list is sorted once its node is made,
    # and answers what resolving in Python answers.
    forget_resolved()
    want = implements(store, "57-NQ/TW", resolver=Resolver(store, shared=False, stored=False))
    assert len(want.implementers) > 2
    dropped = want.implementers[0].node.key
    with store.transaction():
        store.conn.execute("DELETE FROM graph_nodes WHERE key = ?", (dropped,))
    res = Resolver(store, shared=False)
    assert res.uses_stored()
    root = res.resolve_query("57-NQ/TW")
    _, _, ordered = _read(store, {root.key: root.id})
    assert root.key not in ordered
    got = implements(store, root, resolver=res)
    assert [i.node.key for i in got.implementers] == [i.node.key for i in want.implementers]
    assert list(got.implementers) == sorted(got.implementers, key=_sort_key)


def test_a_node_known_with_another_date_leaves_the_order_to_python() -> None:
    row = ImplementingRow(None, "05-KH/TU", "implements", 3, "/a.txt", 1, "Thực hiện…", 0, 9, None, 0, None, "KH",
                          "TU", "provincial", "Tỉnh ủy Nghệ An", "header", "2025-03-01", "header", "Kế hoạch", "Nghệ An",
                          None, None, None, None)
    out: dict[str, dict[str, list[Edge]]] = {"57-NQ/TW": {}}
    nodes: dict[str, Node] = {}
    assert assemble.incoming([("57-NQ/TW", [tuple(row)])], out, nodes, assemble.Dates()) == {"57-NQ/TW"}
    n = nodes["05-KH/TU"]
    assert (n.id, n.doc_ids, n.paths, n.candidates, n.ambiguous) == ("05-KH/TU", (3,), ("/a.txt",), (), False)
    moved = {"05-KH/TU": dataclasses.replace(n, date=None)}
    out = {"57-NQ/TW": {}}
    assert assemble.incoming([("57-NQ/TW", [tuple(row)])], out, moved, assemble.Dates()) == set()
    assert out["57-NQ/TW"]["05-KH/TU"][0].type == "implements"
