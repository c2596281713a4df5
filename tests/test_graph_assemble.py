"""Graph values made in bulk (docsearch.graph.assemble), a deferred cell of
the coverage matrix, and a plain number read without the tagger: each the
same as the ordinary way of making it."""

from __future__ import annotations

import dataclasses
import inspect
import json
import pickle
from datetime import date

import pytest

from docsearch.graph import assemble
from docsearch.graph.model import Edge, Implementer, MatrixCell, Node
from docsearch.graph.resolve import bare_number, node_from_row, node_row
from docsearch.refs import tag
from docsearch.refs.tagger import default_knowledge


@pytest.mark.parametrize(("cls", "make"), [(Node, assemble.node), (Edge, assemble.edge),
                                           (Implementer, assemble.implementer)])
def test_bulk_makers_name_every_field_in_order(cls: type, make: object) -> None:
    fields = [f.name for f in dataclasses.fields(cls)]
    assert list(inspect.signature(make).parameters) == fields  # type: ignore[arg-type]


def _node(**kw: object) -> Node:
    values: dict[str, object] = dict(
        key="05-KH/TU@2025-03-01", id="05-KH/TU", type="KH", issuer_code="TU", level="provincial",
        issuer="Tỉnh ủy Nghệ An", issuer_source="header", date=date(2025, 3, 1), date_source="header",
        title="Kế hoạch thực hiện", place="Nghệ An", status=None, doc_ids=(3, 9),
        paths=("/a/b.txt", '/c/"d".txt'), ambiguous=False, candidates=("x", "y"))
    values.update(kw)
    return Node(**values)  # type: ignore[arg-type]


def test_bulk_made_values_equal_the_ordinary_ones() -> None:
    n = _node()
    fast = assemble.node(*(getattr(n, f.name) for f in dataclasses.fields(Node)))
    assert fast == n and hash(fast) == hash(n) and repr(fast) == repr(n)
    assert pickle.loads(pickle.dumps(fast)) == n
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.key = "other"  # type: ignore[misc]
    e = Edge("05-KH/TU@2025-03-01", "57-NQ/TW", "implements", 3, "/a/b.txt", 2, "Thực hiện…", 10, 40,
             date(2024, 12, 22))
    fast_e = assemble.edge(*(getattr(e, f.name) for f in dataclasses.fields(Edge)))
    assert fast_e == e and hash(fast_e) == hash(e)
    i = Implementer(n, "implements", ("implements",), 69, e, (e,), ())
    fast_i = assemble.implementer(fast, "implements", ("implements",), 69, fast_e, (fast_e,), ())
    assert fast_i == i and fast_i.to_json() == i.to_json()


@pytest.mark.parametrize("node", [
    _node(),
    _node(doc_ids=(4,), paths=("/kho/văn bản/05.txt",)),
    _node(doc_ids=(4,), paths=("C:\\docs\\05.txt",)),
    _node(doc_ids=(), paths=(), candidates=(), key="05-KH/TU@?", ambiguous=True, date=None),
])
def test_a_stored_node_reads_back_as_it_was_written(node: Node) -> None:
    row = node_row(node)
    assert node_from_row(row) == node
    assert assemble.stored_node(row.key, row[1:], assemble.Dates()) == node


def test_paths_shortcut_agrees_with_json() -> None:
    for paths in (["/a.txt"], ["/a.txt", "/b.txt"], ['/x"y.txt'], ["C:\\a.txt"], ["/tài liệu/ủy ban.txt"], ['"']):
        raw = json.dumps(paths, ensure_ascii=False)
        assert assemble.paths_of(raw) == tuple(paths)


def test_a_deferred_cell_is_made_once_and_equals_the_cell_made_at_once() -> None:
    n = _node()
    e = Edge(n.key, "57-NQ/TW", "implements", 3, "/a/b.txt", 2, "Thực hiện…", 10, 40, None)
    docs = (Implementer(n, "implements", ("implements",), None, e, (e,), ()),)
    calls = []

    def make() -> tuple[Implementer, ...]:
        calls.append(1)
        return docs

    cell = MatrixCell.deferred("Tỉnh ủy Nghệ An", "57-NQ/TW", make)
    assert calls == []
    assert cell == MatrixCell("Tỉnh ủy Nghệ An", "57-NQ/TW", docs)
    assert cell.documents == docs and calls == [1]
    assert pickle.loads(pickle.dumps(cell)) == cell
    with pytest.raises(AttributeError):
        cell.other  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("words", [
    "57-NQ/TW", "18-NQ/TW", "35-CT/TW", "13/2023/NĐ-CP", "1131/QĐ-TTg", "45/KH-UBND", "207-KH/TU", "05-CTr/TU",
    "01/CT-TTg", "29-NQ/TW", "5973/UBND-KT",
])
def test_a_plain_number_is_read_as_the_tagger_reads_it(words: str) -> None:
    knowledge = default_knowledge()
    bare = bare_number(words, knowledge)
    assert bare is not None
    tagged = [r for r in tag(words, knowledge=knowledge).references if r.id]
    assert tagged, words
    ref = tagged[0]
    assert (bare.id, bare.start, bare.end, bare.date, bare.term, bare.year, bare.status, bare.candidates) == (
        ref.id, ref.start, ref.end, ref.date, ref.term, ref.year, ref.status, ref.candidates)


def test_the_builtin_numbers_are_read_as_the_tagger_reads_them() -> None:
    knowledge = default_knowledge()
    for doc_id in sorted(knowledge.by_id):
        bare = bare_number(doc_id, knowledge)
        if bare is None:
            continue  # not written as the grammar writes it: the tagger reads it
        ref = next(r for r in tag(doc_id, knowledge=knowledge).references if r.id)
        assert (bare.id, bare.year, bare.status, bare.candidates) == (ref.id, ref.year, ref.status, ref.candidates)


@pytest.mark.parametrize("words", ["Resolution 57", "Nghị quyết 57", "18-NQ/TW 2017", "57-nq/tw", "NQ 57", ""])
def test_other_words_go_to_the_tagger(words: str) -> None:
    assert bare_number(words, default_knowledge()) is None


def test_the_matrix_filters_sources_as_a_node_names_its_committee() -> None:
    from docsearch.graph.query import NAMED_ISSUER_SOURCES

    for source in ("header", "registry", "builtin", "number", "citation", None):
        named = _node(issuer_source=source).specific_issuer is not None
        assert named == (source in NAMED_ISSUER_SOURCES), source
