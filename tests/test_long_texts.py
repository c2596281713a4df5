"""Very long texts: the full-text index takes a long body in pieces and finds
and shows it as one text."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsearch.search import search, sync, tantivy_engine
from docsearch.search.tantivy_engine import body_pieces
from docsearch.store import Store

from conftest import save_text


def test_pieces_join_to_the_text_and_end_at_line_ends() -> None:
    text = "".join(f"Dòng thứ {i} của văn bản dài.\n" for i in range(200))
    pieces = list(body_pieces(text, 100))
    assert len(pieces) > 10
    assert "".join(pieces) == text
    assert all(p.endswith("\n") for p in pieces[:-1])
    assert all(len(p) <= 100 for p in pieces)
    # no line end near the limit: cut at a space, and with none, at the limit
    words = "chữ " * 100
    assert "".join(body_pieces(words, 30)) == words
    assert all(p.endswith(" ") for p in list(body_pieces(words, 30))[:-1])
    solid = "x" * 95
    assert [len(p) for p in body_pieces(solid, 30)] == [30, 30, 30, 5]
    # a normal text is one piece, the same object
    assert next(body_pieces(text)) is text


def test_a_body_in_pieces_is_searched_and_shown_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tantivy_engine, "BODY_PIECE", 200)
    lines = [f"Mục {i}. Các cơ quan triển khai nhiệm vụ thường xuyên theo kế hoạch năm.\n" for i in range(60)]
    lines[50] = "Mục 50. Ủy ban nhân dân tỉnh chỉ đạo xây dựng kho dữ liệu số hóa hồ sơ địa chính.\n"
    text = "".join(lines)
    with Store.open(tmp_path / "idx") as store:
        save_text(store, "long.txt", text)
        sync(store)
    hits = search(tmp_path / "idx", "địa chính").hits
    assert [Path(h.path).name for h in hits] == ["long.txt"]
    snippet = hits[0].snippet
    assert {snippet.text[s:e].lower() for s, e in snippet.highlights} == {"địa chính"}
    assert search(tmp_path / "idx", '"hồ sơ địa chính"').total == 1
    assert search(tmp_path / "idx", "thường xuyên").total == 1
