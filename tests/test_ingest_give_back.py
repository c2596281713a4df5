"""A long text gives the memory it freed back after it is tagged (before the
store copies it) and after its batch is stored (before the full-text index
reads it again); ordinary texts do not pay for a full collection. Every
batch hands the C heap's free pages back (no collection)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsearch import ingestion
from docsearch.ingestion import ingest
from docsearch.store import Store

LINE = "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về chuyển đổi số.\n"


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = ingestion._give_back_memory

    def counting() -> None:
        calls.append(1)
        real()

    monkeypatch.setattr(ingestion, "_give_back_memory", counting)
    return calls


def test_a_batch_of_short_texts_is_not_collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch)
    monkeypatch.setattr(ingestion, "LARGE_TEXT_CHARS", 500)
    src = tmp_path / "in"
    src.mkdir()
    # Together well above the threshold, each text below it.
    for n in range(6):
        (src / f"t{n}.txt").write_text(LINE * 4, "utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([src], store, jobs=1).ok
    assert calls == []


def test_a_batch_with_a_long_text_gives_memory_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch)
    monkeypatch.setattr(ingestion, "LARGE_TEXT_CHARS", 500)
    src = tmp_path / "in"
    src.mkdir()
    (src / "short.txt").write_text(LINE, "utf-8")
    (src / "long.txt").write_text(LINE * 20, "utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([src], store, jobs=1).ok
        assert store.count() == 2
    # Once when the long text's tags are packed, once when its batch is stored.
    assert calls == [1, 1]


def test_every_batch_returns_the_free_heap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Freed memory kept by the C library grew the process batch after batch.
    calls: list[int] = []
    monkeypatch.setattr(ingestion, "_trim_heap", lambda: calls.append(1))
    monkeypatch.setenv(ingestion.ENV_BATCH, "2")
    src = tmp_path / "in"
    src.mkdir()
    for n in range(4):
        (src / f"t{n}.txt").write_text(LINE.replace("57", str(60 + n)), "utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([src], store, jobs=1).ok
        assert store.count() == 4
    # Two batches, each trimmed after its settle and after its full-text update.
    assert len(calls) >= 4
