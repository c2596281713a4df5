"""A rebuild reads the store once: the same documents and fingerprints as a sync reads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from docsearch.ingestion import ingest
from docsearch.models import OcrPage
from docsearch.refs import tag
from docsearch.search import reindex, sync
from docsearch.search.indexer import HEADER_CHARS, fingerprints
from docsearch.search.tantivy_engine import TantivyEngine
from docsearch.store import IndexSource, Store, WrittenTags

from conftest import ROOT, save_text

TEXTS = {
    "kh.txt": "TỈNH ỦY QUẢNG NINH\nSố 46-CTr/TU\nQuảng Ninh, ngày 10 tháng 3 năm 2025\n\nCHƯƠNG TRÌNH\n"
              "thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về chuyển đổi số.\n"
              "Căn cứ Luật Đầu tư công; Kết luận 121, 126 và 127.",
    "plain.txt": "Một văn bản không trích dẫn gì, chỉ có chữ.",
    "en.txt": "Implementing Resolution 57-NQ/TW of the Politburo dated 22 December 2024, the Law on Prices "
              "and Decision 1131/QĐ-TTg.",
}


def test_index_all_reads_what_the_chunked_reads_read(store: Store) -> None:
    for name, text in TEXTS.items():
        save_text(store, name, text)
    keys = store.index_keys(None, header_chars=HEADER_CHARS)
    chunked = {s.doc_id: s for s in store.index_sources(sorted(keys), header_chars=HEADER_CHARS)}
    streamed = list(store.index_all(header_chars=HEADER_CHARS))
    assert [s.doc_id for s in streamed] == sorted(keys)
    assert any(s.refs for s in streamed) and any(s.relations for s in streamed)
    for s in streamed:
        assert s.key == keys[s.doc_id]
        assert replace(s, key=None) == chunked[s.doc_id]


def test_a_sync_after_a_rebuild_has_nothing_to_do(store: Store, tmp_path: Path) -> None:
    for name, text in TEXTS.items():
        save_text(store, name, text)
    report = reindex(store, tmp_path / "ix")
    assert report.rebuilt and report.added == report.documents == len(TEXTS)
    engine = TantivyEngine.open_reader(tmp_path / "ix")
    try:
        assert engine.fingerprints() == fingerprints(store)
    finally:
        engine.close()
    again = sync(store, tmp_path / "ix")
    assert not again.changed and again.unchanged == len(TEXTS)


def test_a_rebuild_reads_ocr_pages_and_dates_as_the_chunked_reads_do(store: Store, tmp_path: Path) -> None:
    # A scanned document (two pages read by OCR) between two others, one of
    # them with several header dates: the streamed rebuild counts the pages
    # and orders the dates as the reads of a sync do, so a sync after it
    # has nothing to do.
    save_text(store, "a.txt", TEXTS["plain.txt"])
    text = ("ỦY BAN NHÂN DÂN\nSố 12/KH-UBND\nHà Nội, ngày 05 tháng 01 năm 2025\nngày 03/01/2025\n"
            "KẾ HOẠCH thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024.")
    data = text.encode()
    scanned = store.save_document(
        path="/texts/scan.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data), mtime_ns=1,
        format="pdf", lang="vi", title=None, encoding=None, text=text, page_starts=[0, 60], warnings=[],
        tags=tag(text, lang="vi"), ocr_pages=[OcrPage(1, 91.0, 12), OcrPage(2, 88.5, 9)])
    save_text(store, "kh.txt", TEXTS["kh.txt"])
    keys = store.index_keys(None, header_chars=HEADER_CHARS)
    streamed = {s.doc_id: s for s in store.index_all(header_chars=HEADER_CHARS)}
    chunked = {s.doc_id: s for s in store.index_sources(sorted(keys), header_chars=HEADER_CHARS)}
    assert streamed[scanned].scanned and streamed[scanned].key is not None
    assert streamed[scanned].key.ocr_pages == 2 and len(streamed[scanned].key.dates) >= 2
    assert [s for s in streamed if streamed[s].scanned] == [scanned]
    for doc_id, s in streamed.items():
        assert s.key == keys[doc_id]
        assert replace(s, key=None) == chunked[doc_id]
    reindex(store, tmp_path / "ix")
    assert not sync(store, tmp_path / "ix").changed


@pytest.mark.parametrize("kind", ["folder", "postgresql"])
def test_the_update_after_a_batch_takes_what_the_store_would_read(kind: str, tmp_path: Path, monkeypatch: Any,
                                                                  request: pytest.FixtureRequest) -> None:
    # An ingest's full-text update makes the batch's documents from the rows
    # just written instead of reading them back: the same sources and keys
    # (so the same fingerprints) as the store's reading gives.
    where = str(tmp_path / "idx") if kind == "folder" else str(request.getfixturevalue("pg_url"))
    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "9")
    compared: list[int] = []
    written_by_batch = Store.index_written

    def check(self: Store, written: WrittenTags, doc_ids: Any, *, header_chars: int) -> Iterator[IndexSource]:
        ids = sorted(set(doc_ids))
        held = sum(1 for d in ids if d in written.documents)
        made = list(written_by_batch(self, written, ids, header_chars=header_chars))
        assert made == list(self.index_batch(ids, header_chars=header_chars))
        compared.append(held)
        yield from made

    monkeypatch.setattr(Store, "index_written", check)
    with Store.open(where) as store:
        summary = ingest([ROOT / "corpus"], store, jobs=1)
        assert summary.ok and summary.fulltext_error is None
        # The first batch builds the index whole (no index yet); every later one is updated.
        assert len(compared) > 3 and sum(compared) >= store.count() - 9
        assert not sync(store).changed
