"""A large file is extracted and tagged in a worker process of its own, even
with --jobs 1 (ingestion._process_apart), with the same result."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsearch import ingestion
from docsearch.extract.ocr import OcrOptions
from docsearch.ingestion import ingest
from docsearch.refs import Knowledge
from docsearch.store import Store

PARA = ("Ban Thường vụ Tỉnh ủy ban hành Kế hoạch thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 "
        "của Bộ Chính trị về chuyển đổi số.\n")


def contents(index: Path) -> list[tuple[str, str, list[tuple[str, int, int]]]]:
    with Store.open(index) as store:
        out = []
        for doc in store.documents():
            refs = [(r[0], r[1], r[2]) for r in store.conn.execute(
                'SELECT ref_id, start, "end" FROM refs WHERE doc_id = ? ORDER BY ord', (doc.doc_id,))]
            out.append((Path(doc.path).name, doc.text, refs))
        return sorted(out)


def test_a_large_file_is_tagged_apart_with_the_same_result(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "large.txt").write_text(PARA * 40, "utf-8")
    (folder / "small.txt").write_text(PARA, "utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really" * 200)
    with Store.open(tmp_path / "in-process") as store:
        whole = ingest([folder], store, jobs=1)
    apart: list[str] = []
    monkeypatch.setattr(ingestion, "APART_BYTES", 1_000)
    original = ingestion._process_apart

    def spy(job: ingestion.FileJob, knowledge: Knowledge, ocr: OcrOptions | None) -> ingestion.FileOutcome:
        apart.append(Path(job.path).name)
        return original(job, knowledge, ocr)

    monkeypatch.setattr(ingestion, "_process_apart", spy)
    with Store.open(tmp_path / "apart") as store:
        split = ingest([folder], store, jobs=1)
    assert sorted(apart) == ["broken.pdf", "large.txt"]
    assert contents(tmp_path / "apart") == contents(tmp_path / "in-process")
    # A file the worker cannot read is one failure line, as in the same process.
    assert [(Path(f.file).name, f.reason) for f in split.failed] == \
        [(Path(f.file).name, f.reason) for f in whole.failed]
    assert len(split.failed) == 1
