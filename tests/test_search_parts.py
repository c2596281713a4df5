"""A very long text is indexed in parts (search/tantivy_engine.py) and still
found, counted, ranked and deleted as one document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docsearch.search import FullTextIndex, reindex, sync
from docsearch.search import tantivy_engine as te
from docsearch.search.tantivy_engine import TantivyEngine, part_spans
from docsearch.store import Store

from conftest import save_text

# Small sizes, so that a text of a few thousand characters is cut into parts.
ABOVE, CHARS, OVERLAP = 3_000, 1_000, 200

HEADER = ("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 99-NQ/TW\nHà Nội, ngày 5 tháng 3 năm 2021\n"
          "NGHỊ QUYẾT\nvề chuyển đổi số trong các cơ quan Đảng\n")


def long_text() -> str:
    """A resolution of some forty lines, each naming its own number in
    words the other lines do not have, citing 57-NQ/TW near the end only."""
    lines = [HEADER]
    for n in range(1, 80):
        word = "".join("abcdefghij"[int(c)] for c in str(n))
        lines.append(f"Dòng thứ {word} nói về chuyển đổi số tại địa phương {word}x và mục {word}y.\n")
        if n == 70:
            lines.append("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n")
    return "".join(lines)


SHORT = {
    "b.txt": ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nSố 12/KH-UBND\nNghệ An, ngày 2 tháng 4 năm 2025\nKẾ HOẠCH\n"
              "về chuyển đổi số, thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024.\n"),
    "c.txt": "Bản tin về chuyển đổi số ở các xã trong năm 2024.\n",
}


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, int, str]]:
    """(index with the long text in parts, the same store indexed whole,
    the long text's doc_id, its text)."""
    folder = tmp_path_factory.mktemp("parts")
    whole = tmp_path_factory.mktemp("whole")
    text = long_text()
    with Store.open(folder) as store:
        long_id = save_text(store, "a.txt", text)
        for name, short in SHORT.items():
            save_text(store, name, short)
        reindex(store, whole)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(te, "PART_ABOVE", ABOVE)
            mp.setattr(te, "PART_CHARS", CHARS)
            mp.setattr(te, "PART_OVERLAP", OVERLAP)
            sync(store)
    yield folder, whole, long_id, text


def cut_spans(text: str) -> list[tuple[int, int]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(te, "PART_ABOVE", ABOVE)
        mp.setattr(te, "PART_CHARS", CHARS)
        mp.setattr(te, "PART_OVERLAP", OVERLAP)
        return part_spans(text)


def test_parts_cover_the_text_cut_at_line_ends_with_the_overlap() -> None:
    text = long_text()
    spans = cut_spans(text)
    assert len(spans) >= 4
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert text[end - 1] == "\n" and (start == 0 or text[start - 1] in "\n ")
        assert end - start >= OVERLAP
    assert part_spans("ngắn\n" * 10) == [(0, 50)]


def test_the_index_holds_parts_and_counts_the_document_once(indexes: tuple[Path, Path, int, str]) -> None:
    folder, _, long_id, text = indexes
    engine = TantivyEngine.open_reader(folder)
    try:
        assert engine.index.searcher().num_docs == len(cut_spans(text)) + 2
        assert engine.count() == 3
        assert len(engine.fingerprints()) == 3
        assert set(engine.fingerprints_of([long_id])) == {long_id}
    finally:
        engine.close()


def test_a_phrase_across_a_cut_is_found(indexes: tuple[Path, Path, int, str]) -> None:
    folder, _, long_id, text = indexes
    for _, end in cut_spans(text)[:-1]:
        # The last words before the cut and the first after it.
        before = text[:end - 1].rsplit("\n", 1)[1].split()[-3:]
        after = text[end:].split("\n", 1)[0].split()[:3]
        phrase = " ".join(before + after)
        with FullTextIndex(folder) as ix:
            results = ix.search(f'"{phrase}"')
        assert [h.doc for h in results.hits] == [long_id] and results.total == 1, phrase
        hit = results.hits[0]
        # The passage's offset is in the whole text, not in the part.
        first_word = hit.snippet.text.lstrip("…").split()[0]
        assert text[hit.snippet.offset:].lstrip().startswith(first_word)


def test_totals_facets_and_pages_count_a_document_once(indexes: tuple[Path, Path, int, str]) -> None:
    folder, whole, long_id, _ = indexes
    queries = ["chuyển đổi số", "địa phương", "57-NQ/TW", "type:NQ", "lang:vi", "year:2021",
               "chuyển đổi số -bản", "57-NQ/TW địa phương", "cites:57-NQ/TW",
               # words of the first and the last lines, in different parts
               "bx hjx", "bx -hjx", "bx OR zzz", "(bx hjx) OR xã", "57-NQ/TW bx", "-hjx"]
    with FullTextIndex(folder) as parts, FullTextIndex(whole) as one:
        for query in queries:
            got, want = parts.search(query, limit=10), one.search(query, limit=10)
            assert got.total == want.total, query
            assert got.facets == want.facets, query
            assert sorted(h.doc for h in got.hits) == sorted(h.doc for h in want.hits), query
            assert len({h.doc for h in got.hits}) == len(got.hits), query
            assert [h.match for h in got.hits if h.doc == long_id] == \
                [h.match for h in want.hits if h.doc == long_id], query
        # A document matches as a whole: words in different parts, a word
        # excluded that only another part holds.
        assert [h.doc for h in parts.search("bx hjx").hits] == [long_id]
        assert parts.search("bx -hjx").total == 0
        assert long_id not in {h.doc for h in parts.search("chuyển đổi số -bản").hits}
        everything = parts.search("chuyển đổi số", limit=10)
        assert everything.total == 3 and everything.facets["language"] == {"vi": 3}
        paged = [parts.search("chuyển đổi số", limit=1, offset=n).hits[0].doc for n in range(3)]
        assert sorted(paged) == sorted(h.doc for h in everything.hits)
        filters_only = parts.search("lang:vi", limit=1, offset=0)
        assert filters_only.total == 3


def test_deleting_the_document_deletes_every_part(tmp_path: Path) -> None:
    text = long_text()
    with Store.open(tmp_path) as store, pytest.MonkeyPatch.context() as mp:
        mp.setattr(te, "PART_ABOVE", ABOVE)
        mp.setattr(te, "PART_CHARS", CHARS)
        mp.setattr(te, "PART_OVERLAP", OVERLAP)
        save_text(store, "a.txt", text)
        save_text(store, "c.txt", SHORT["c.txt"])
        sync(store)
        store.remove(["/texts/a.txt"])
        report = sync(store)
        assert report.deleted == 1
    engine = TantivyEngine.open_reader(tmp_path)
    try:
        assert engine.index.searcher().num_docs == 1
    finally:
        engine.close()
    with FullTextIndex(tmp_path) as ix:
        assert ix.search("địa phương").total == 0
        assert ix.search("chuyển đổi số").total == 1


def test_a_document_in_parts_gets_the_small_writer_and_keeps_the_deletes_before_it(tmp_path: Path) -> None:
    from docsearch.search.indexer import fingerprints, load_documents

    with Store.open(tmp_path) as store, pytest.MonkeyPatch.context() as mp:
        mp.setattr(te, "PART_ABOVE", ABOVE)
        mp.setattr(te, "PART_CHARS", CHARS)
        mp.setattr(te, "PART_OVERLAP", OVERLAP)
        long_id = save_text(store, "a.txt", long_text())
        gone = save_text(store, "c.txt", SHORT["c.txt"])
        sync(store)
        [doc] = load_documents(store, [long_id], fingerprints(store, [long_id]))
        engine = TantivyEngine.open_writer(tmp_path)
        try:
            engine.delete(gone)  # deleted before the swap: made again by the small writer
            engine.delete(long_id)
            engine.add(doc)
            assert engine._long
            engine.commit()
            assert not engine._long  # the usual budget for what follows
            engine.add(next(iter(load_documents(store, [gone], fingerprints(store, [gone])))))
            engine.delete(gone)
            engine.commit()
        finally:
            engine.close()
    with FullTextIndex(tmp_path) as ix:
        assert ix.search("địa phương").total == 1
        assert ix.search("bản tin").total == 0
