"""A long text is written to a SQLite store in pieces (store.Store._upsert_long)
and reads back as the same string everywhere."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docsearch import store as store_module
from docsearch.refs import tag
from docsearch.store import Store

from conftest import save_text


def long_text() -> str:
    # Characters of one to four bytes in UTF-8, and pieces that end inside
    # a run of multi-byte characters.
    line = "Nghị quyết số 57-NQ/TW ngày 22/12/2024 về chuyển đổi số 😀 ở xã Đông Hòa.\n"
    return "".join(f"{n} {line}" for n in range(200))


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "LONG_TEXT_CHARS", 1_000)
    monkeypatch.setattr(store_module, "TEXT_PIECE_CHARS", 333)


@pytest.mark.usefixtures("small_pieces")
def test_a_long_text_reads_back_as_the_same_string(tmp_path: Path) -> None:
    text = long_text()
    with Store.open(tmp_path) as store:
        doc_id = save_text(store, "long.txt", text)
        short_id = save_text(store, "short.txt", "Kế hoạch 12/KH-UBND.\n")
        assert store.text_of(doc_id) == text
        assert store.texts_of([doc_id, short_id]) == {doc_id: text, short_id: "Kế hoạch 12/KH-UBND.\n"}
        assert store.text_slice(doc_id, 5000, 40) == text[5000:5040]
        sources = {s.doc_id: s for s in store.index_sources([doc_id], header_chars=400)}
        assert sources[doc_id].text == text
        assert [s.text for s in store.index_all(header_chars=400) if s.doc_id == doc_id] == [text]
        refs = store.conn.execute("SELECT start, \"end\", text FROM refs WHERE doc_id = ? ORDER BY ord",
                                  (doc_id,)).fetchall()
        assert refs and all(text[start:end] == written for start, end, written in refs)
        # A new text for the same path replaces the old one whole, longer or shorter.
        for again in (text + text[:777], text[:1500]):
            assert store.save_document(
                path="/texts/long.txt", sha256="x", size=1, mtime_ns=2, format="txt", lang="vi", title=None,
                encoding="utf-8", text=again, page_starts=[0], warnings=[], tags=tag(again)) == doc_id
            assert store.text_of(doc_id) == again
        # A NUL (which SQLite's own text functions stop at) is kept too.
        nul_id = save_text(store, "nul.txt", text.replace("😀", "\x00"))
        assert store.text_of(nul_id) == text.replace("😀", "\x00")
    # Other tools read it as text.
    with sqlite3.connect(tmp_path / "docsearch.sqlite") as conn:
        kind, value = conn.execute("SELECT typeof(text), text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    assert kind == "text" and value == text[:1500]
