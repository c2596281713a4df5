"""Graph answers computed from edges resolved in bulk (as the site does)
are the answers of the queries that read the store themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from docsearch.graph import IMPLEMENTING, Resolver, build_graph, coverage_matrix, describe, implements
from docsearch.ingestion import ingest
from docsearch.store import Store

from conftest import ROOT


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store.open(tmp_path_factory.mktemp("bulk") / "index")
    assert ingest([ROOT / "corpus"], s, jobs=1).ok
    try:
        yield s
    finally:
        s.close()


def test_matrix_from_the_whole_graph_equals_the_matrix_query(store: Store) -> None:
    res = Resolver(store)
    graph = build_graph(store, resolver=res)
    assert coverage_matrix(store, resolver=res, edges=graph.edges) == coverage_matrix(store)


def test_implementers_from_given_edges_equal_the_query(store: Store) -> None:
    res = Resolver(store)
    graph = build_graph(store, resolver=res)
    targets = {e.target for e in graph.edges if e.type in IMPLEMENTING}
    assert len(targets) > 3
    for key in sorted(targets):
        node = res.node(key)
        if node.ambiguous:
            continue
        incoming = [e for e in graph.edges if e.target == key]
        for depth in (1, 2):
            given = implements(store, node, resolver=res, edges=incoming, depth=depth)
            assert given == implements(store, node, depth=depth), key


def test_profile_without_links_has_the_same_facts(store: Store) -> None:
    full = describe(store, "57-NQ/TW")
    bare = describe(store, "57-NQ/TW", links=False)
    assert full.incoming and not bare.incoming and not bare.outgoing
    assert (bare.node, bare.facts, bare.conflicts, bare.namesakes) == (full.node, full.facts, full.conflicts,
                                                                        full.namesakes)
