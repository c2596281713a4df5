"""The store's read models for the graph, the site and the web pages: each
returns typed rows equal to what the tables hold."""

from __future__ import annotations

from datetime import date

import pytest

from docsearch.models import DateMention, Identity, Reference, RegistryEntry, Relation, TagResult
from docsearch.store import (
    Citation,
    CitedForm,
    GraphDocRow,
    RelationRow,
    Store,
    StoreCounts,
)


def _save(store: Store, path: str, text: str, tags: TagResult | None = None) -> int:
    return store.save_document(
        path=path, sha256=path * 2, size=len(text.encode()), mtime_ns=1, format="txt", lang="vi",
        title="T", encoding="utf-8", text=text, page_starts=[0, 20], warnings=[], tags=tags,
    )


@pytest.fixture()
def filled(store: Store) -> tuple[Store, int, int]:
    refs = (
        Reference(10, 24, "Nghị quyết 57", "57-NQ/TW", "NQ", "57", "TW", 2024, date(2024, 12, 22), "politburo",
                  relation="implements"),
        Reference(30, 38, "NQ 57", "57-NQ/TW", "NQ", "57", "TW", None, None, None, relation="cites", term=13),
        Reference(40, 50, "Kế hoạch 12", None, "KH", "12", None, short_form=True, status="unresolved"),
    )
    own = Identity("46-CTr/TU", "CTr", "Tỉnh ủy Quảng Ninh", date(2025, 2, 5), "TU")
    rel = Relation("46-CTr/TU", "57-NQ/TW", "implements", "thực hiện Nghị quyết 57", 0, 24, date(2024, 12, 22))
    dates = (DateMention(60, 70, "05/02/2025", date(2025, 2, 5)), DateMention(52, 58, "2024", date(2024, 1, 1)))
    a = _save(store, "/x/a.txt", "Chương trình hành động " * 4,
              TagResult(self=own, references=refs, dates=dates, relations=(rel,)))
    b = _save(store, "/x/b.txt", "Tin tức")
    return store, a, b


def test_graph_rows(filled: tuple[Store, int, int]) -> None:
    store, a, b = filled
    assert store.graph_documents([b, a, a]) == [
        GraphDocRow(a, "/x/a.txt", "[0, 20]", "46-CTr/TU", store.graph_documents([a])[0].self_json),
        GraphDocRow(b, "/x/b.txt", "[0, 20]", None, None)]
    assert [r.doc_id for r in store.graph_documents_named(["46-CTr/TU", "9-NQ/TW"])] == [a]
    assert [ident.issuer for _, ident in store.header_identities()] == ["Tỉnh ủy Quảng Ninh"]
    assert store.cited_forms(["57-NQ/TW"]) == [CitedForm("57-NQ/TW", date(2024, 12, 22), 2024, "politburo", 1)]
    assert store.citations_of(["57-NQ/TW", "1-NQ/TW"]) == {"57-NQ/TW": [
        Citation(a, 10, 24, "Nghị quyết 57", date(2024, 12, 22), 2024, None, "politburo"),
        Citation(a, 30, 38, "NQ 57", None, None, 13, None)]}
    assert store.citation_hints(a, "57-NQ/TW") == [(10, 2024, None), (30, None, 13)]
    assert store.text_dates([a, b]) == {a: [date(2024, 1, 1), date(2025, 2, 5)]}
    assert store.text_slice(a, 0, 12) == "Chương trình"
    assert store.texts_of([a])[a].startswith("Chương trình hành động")
    row = RelationRow(a, "46-CTr/TU", "57-NQ/TW", "implements", "thực hiện Nghị quyết 57", 0, 24, "2024-12-22")
    assert store.relations_linking("target", ["57-NQ/TW"], ["implements"]) == [row]
    assert store.relations_linking("target", ["57-NQ/TW"], ["cites"]) == []
    assert store.relations_linking("source", ["46-CTr/TU"]) == [row]
    assert store.relations_asserted(a) == [row]
    assert [r for batch in store.iter_relations(batch=1) for r in batch] == [row]
    assert store.relation_target_ids(["implements"], ["TW"]) == ["57-NQ/TW"]
    assert store.relation_target_ids(["implements"], ["TU"]) == []
    assert store.is_mentioned("57-NQ/TW") and store.is_mentioned("46-CTr/TU") and not store.is_mentioned("1-NQ/TW")
    with pytest.raises(ValueError):
        store.relations_linking("doc_id", ["x"])


def test_site_and_page_rows(filled: tuple[Store, int, int]) -> None:
    store, a, b = filled
    meta = store.text_metadata()
    assert [(m.doc_id, m.path, m.chars) for m in meta] == [(a, "/x/a.txt", 92), (b, "/x/b.txt", 7)]
    assert [(c.doc_id, c.ord, c.ref_id, c.start, c.end) for c in store.all_citations()] == [
        (a, 0, "57-NQ/TW", 10, 24), (a, 1, "57-NQ/TW", 30, 38), (a, 2, None, 40, 50)]
    assert store.doc_ids_by_path(["/x/a.txt", "/x/none.txt"]) == {"/x/a.txt": a}
    assert store.languages([a, b]) == {a: "vi", b: "vi"}
    assert store.counts() == StoreCounts(texts=2, identified=1, relations=1)
    assert sum(len(batch) for batch in store.content_rows(batch=1)) == 2
    assert [row[0] for row in store.tag_summaries()] == [3, 1, 2]


def test_the_change_marker_moves_with_every_kind_of_write(filled: tuple[Store, int, int]) -> None:
    store, a, b = filled
    markers = [store.change_marker()]
    _save(store, "/x/c.txt", "Mới")
    markers.append(store.change_marker())
    # Rewritten within the same second, nothing added or removed.
    _save(store, "/x/b.txt", "Tin tức đã sửa")
    markers.append(store.change_marker())
    store.remove(["/x/a.txt"])
    markers.append(store.change_marker())
    store.import_registry([RegistryEntry(id="9-NQ/TW", number="9", type="NQ", issuer_code="TW")])
    markers.append(store.change_marker())
    store.set_tagger_version(12345)
    markers.append(store.change_marker())
    assert len(set(markers)) == len(markers), markers
    assert store.change_marker() == markers[-1]
    # A summary of the tags changes when a citation is rewritten without touching its document.
    _save(store, "/x/a.txt", "Chương trình hành động " * 4, TagResult(self=None, references=(
        Reference(10, 24, "Nghị quyết 57", "57-NQ/TW", "NQ", "57", "TW", 2024),), dates=(), relations=()))
    before = store.tag_summaries()
    with store.transaction() as conn:
        conn.execute("UPDATE refs SET year = 2023 WHERE ref_id = '57-NQ/TW'")
    assert store.tag_summaries() != before
