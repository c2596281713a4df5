"""What graph queries keep between calls: resolvers of an unchanged store
share what they resolved, a change to the store starts afresh, and kept
results equal cold ones."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from docsearch.graph import cites, coverage_matrix, describe, implements
from docsearch.graph.resolve import Resolver, forget_resolved
from docsearch.ingestion import ingest
from docsearch.models import RegistryEntry
from docsearch.store import Store

from conftest import ROOT, errors_in_threads


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus" / "central", folder / "central")
    shutil.copytree(ROOT / "corpus" / "nghe-an", folder / "nghe-an")
    s = Store.open(tmp_path / "index")
    assert ingest([folder], s, jobs=1).ok
    forget_resolved()
    try:
        yield s
    finally:
        s.close()
        forget_resolved()


def _summary(store: Store) -> tuple[object, ...]:
    imp = implements(store, "57-NQ/TW", depth=2)
    cited = cites(store, "57-NQ/TW")
    profile = describe(store, "57-NQ/TW")
    matrix = coverage_matrix(store)
    return (
        [(i.node.key, i.relation, i.lag_days, [c.node.key for c in i.children]) for i in imp.implementers],
        [(lk.node.key, lk.edge.type, lk.edge.doc_id) for lk in cited.citing],
        [(m.doc_id, m.start) for m in cited.mentions],
        sorted((f.field, f.value, len(f.sources)) for f in profile.facts),
        [(c.committee, c.target, [d.node.key for d in c.documents]) for c in matrix.cells],
    )


def test_resolvers_of_an_unchanged_store_share_what_they_resolved(store: Store) -> None:
    first = Resolver(store)
    node = first.resolve_query("57-NQ/TW")
    second = Resolver(store)
    assert second.node(node.key) is node
    assert Resolver(store, shared=False).node(node.key) is not node


def test_kept_results_equal_cold_ones(store: Store) -> None:
    cold = _summary(store)
    assert cold[0], "57-NQ/TW has implementers in the corpus"
    assert _summary(store) == cold
    forget_resolved()
    assert _summary(store) == cold


def test_a_change_to_the_store_starts_afresh(store: Store, tmp_path: Path) -> None:
    before = Resolver(store)
    node = before.resolve_query("57-NQ/TW")
    marker = store.change_marker()
    extra = tmp_path / "more"
    shutil.copytree(ROOT / "corpus" / "bac-ninh", extra)
    assert ingest([extra], store, jobs=1).ok
    assert store.change_marker() != marker
    after = Resolver(store)
    assert after.node(node.key) is not node
    # The new texts are found: Bắc Ninh's documents implement 57-NQ/TW too.
    issuers = {i.node.issuer for i in implements(store, "57-NQ/TW").implementers}
    assert any(issuer and "Bắc Ninh" in issuer for issuer in issuers), issuers


def test_the_change_marker_follows_the_registry_and_settings(store: Store) -> None:
    marker = store.change_marker()
    assert store.change_marker() == marker
    store.import_registry([RegistryEntry(id="9-NQ/TW", number="9", type="NQ", issuer_code="TW")])
    after_registry = store.change_marker()
    assert after_registry != marker
    store.set_tagger_version(10_000)
    assert store.change_marker() != after_registry


def test_threads_sharing_the_state_get_what_one_thread_gets(store: Store) -> None:
    # The web application answers requests in threads, each on its own
    # connection, all sharing one resolved state.
    expected = _summary(store)
    forget_resolved()
    results: list[object] = []

    def run() -> None:
        with Store.open(store.path.parent, create=False) as mine:
            results.append(_summary(mine))

    errors = errors_in_threads(run, 4)
    assert not errors, errors
    assert results == [expected] * 4


def test_a_header_read_by_many_threads_is_the_same_for_each() -> None:
    # A text's header is decoded once and its JSON let go; a thread that
    # finds the JSON gone takes the header the other thread decoded.
    import json
    import threading

    from docsearch.graph.resolve import DocInfo

    raw = json.dumps({"id": "46-CTr/TU", "type": "CTr", "issuer": "Tỉnh ủy Nghệ An", "date": "2025-03-01",
                      "issuer_code": "TU", "title": "Chương trình hành động", "place": "Nghệ An"})
    for _ in range(200):
        info = DocInfo(1, "a.txt", "[0]", "46-CTr/TU", raw)
        seen: list[object] = []
        threads = [threading.Thread(target=_read_header, args=(info, seen)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(seen) == 4 and all(s is not None and s == seen[0] for s in seen)
        assert info.identity == seen[0] and info.identity.issuer == "Tỉnh ủy Nghệ An"  # type: ignore[union-attr]
    assert DocInfo(2, "b.txt", "[0]", None, None).identity is None


def _read_header(info: object, out: list[object]) -> None:
    out.append(info.identity)  # type: ignore[attr-defined]
