"""The compact tag rows an ingest carries from its workers to the store: what
is stored from them must be exactly what storing the tagger's objects stores."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from docsearch.extract import extract_file
from docsearch.models import Relation, TagResult
from docsearch.refs import tag
from docsearch.store import TABLE_COLUMNS, DocumentRecord, Store, TagRows

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

PARA = ("Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW "
        "ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số quốc gia.\n")


def _texts() -> list[tuple[str, str]]:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md", ".html", ".docx"))
    return [(p.name, extract_file(p)[1].text) for p in files]


def _record(path: str, text: str, tags: TagResult | TagRows) -> DocumentRecord:
    return DocumentRecord(path=path, sha256=path, size=len(text), mtime_ns=0, ctime_ns=0, inode=0, format="txt",
                          lang="vi", title=None, encoding="utf-8", text=text, page_starts=(0,), warnings=(),
                          tags=tags)


def _stored(store: Store, doc_id: int) -> list[object]:
    """Every row stored for the document, but the time it was written."""
    [document] = store.export_rows("documents", [doc_id])
    written = TABLE_COLUMNS["documents"][0].index("ingested_at")
    return [document[:written] + document[written + 1:],
            *(store.export_rows(table, [doc_id]) for table in ("refs", "dates", "relations"))]


def test_rows_store_what_the_tags_store(tmp_path: Path) -> None:
    texts = _texts()
    assert len(texts) > 30
    with Store.open(tmp_path / "objects") as a, Store.open(tmp_path / "rows") as b:
        for name, text in texts:
            tags = tag(text)
            rows = pickle.loads(pickle.dumps(TagRows.of(tags, text)))  # as it crosses from a worker
            [ia] = a.save_documents([_record(name, text, tags)])
            [ib] = b.save_documents([_record(name, text, rows)])
            assert _stored(a, ia) == _stored(b, ib), name


def test_rows_hold_no_copies_of_the_text() -> None:
    text = PARA * 50
    tags = tag(text)
    rows = TagRows.of(tags, text)
    assert len(rows.refs) == len(tags.references) == 50
    assert all(r[3] is None for r in rows.refs)  # each citation's text is its slice of the text
    assert all(d[2] is None for d in rows.dates)
    # Equal values are one object, so they are stored and pickled once.
    assert len({id(r[0]) for r in rows.refs}) == 1
    # (The tagger's findings share equal surfaces and dates too, so the
    # margin is smaller than it was; the rows still weigh less.)
    assert len(pickle.dumps(rows)) < len(pickle.dumps(tags)) * 0.8


def test_text_that_is_not_a_slice_is_kept() -> None:
    # Text the tagger reports differently from the slice at its offsets (an
    # evidence cut around a long sentence) is carried as it is.
    text = "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị."
    relation = Relation("46-CTr/TU", "57-NQ/TW", "implements", "…Nghị quyết số 57-NQ/TW…", 0, len(text))
    tags = TagResult(None, (), (), (relation,))
    rows = TagRows.of(tags, text)
    assert rows.relations[0][3] == "…Nghị quyết số 57-NQ/TW…"
    plain = TagRows.of(TagResult(None, (), (), (Relation("a", "b", "cites", text, 0, len(text) + 5),)), text + "     ")
    assert plain.relations[0][3] is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_ingest_stores_the_tags_of_each_text(tmp_path: Path, jobs: int) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(80):  # enough files for worker processes
        (folder / f"{i:03}.txt").write_text(PARA * (i % 7 + 1), "utf-8")
    from docsearch.ingestion import ingest

    with Store.open(tmp_path / "idx") as store:
        summary = ingest([folder], store, jobs=jobs, fulltext=False)
        assert len(summary.added) == 7 and len(summary.duplicates) == 73
        for doc_id in store.doc_ids():
            doc = store.document(doc_id)
            expected = tag(doc.text)
            assert [r.to_json() for r in store.references(doc_id)] == [r.to_json() for r in expected.references]
            assert [(d.start, d.end, d.text, d.date) for d in store.dates(doc_id)] == \
                [(d.start, d.end, d.text, d.date) for d in expected.dates]


def test_fast_space_helpers_match_the_patterns() -> None:
    import random
    import re

    from docsearch.extract.clean import _SPACES, _fold_spaces, normalize_text
    from docsearch.extract.html import _collapse_spaces, _solid_len

    ws = re.compile(r"[ \t\n\r\f]+")
    many = re.compile(r"\n{3,}")
    rng = random.Random(7)
    for _ in range(2000):
        s = "".join(rng.choice(" \t\n\r\fa\u00a0đ") for _ in range(rng.randrange(0, 12)))
        assert _collapse_spaces(s) == ws.sub(" ", s), repr(s)
        assert _fold_spaces(s) == _SPACES.sub(" ", s), repr(s)
        assert _solid_len(s) == len(ws.sub("", s)), repr(s)
        assert normalize_text(s) == many.sub("\n\n", normalize_text(s)), repr(s)
    # Long runs, which the space folding halves pass after pass.
    for _ in range(300):
        s = "".join(rng.choice(["a", "đ", " " * rng.randrange(1, 70), "\n\t \r", "\f", "\u00a0 \u3000"])
                    for _ in range(20))
        assert _collapse_spaces(s) == ws.sub(" ", s), repr(s)
        assert _fold_spaces(s) == _SPACES.sub(" ", s), repr(s)


def test_workers_get_files_within_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch import ingestion

    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(70):
        (folder / f"{i:03}.txt").write_text(PARA + f"Văn bản số {i}.\n" * (i + 1), "utf-8")
    # Every file is larger than the window: each goes alone, and none is lost.
    monkeypatch.setattr(ingestion, "WINDOW_BYTES", 10)
    monkeypatch.setattr(ingestion, "WINDOW_FILES", 1)
    with Store.open(tmp_path / "idx") as store:
        summary = ingestion.ingest([folder], store, jobs=2, fulltext=False)
        assert len(summary.added) == 70 and not summary.failed
        assert store.count() == 70


def test_a_long_texts_rows_are_packed_and_store_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docsearch.store as store_module

    text = PARA * 40
    tags = tag(text)
    monkeypatch.setattr(store_module, "LONG_TEXT_CHARS", 1000)
    monkeypatch.setattr(store_module, "PACKED_ROWS", 7)  # several blobs
    rows = pickle.loads(pickle.dumps(TagRows.of(tags, text)))
    assert isinstance(rows.refs, store_module.PackedRows)
    assert len(rows.refs) == len(tags.references) == 40
    monkeypatch.setattr(store_module, "LONG_TEXT_CHARS", 10**9)
    plain = TagRows.of(tags, text)
    assert isinstance(plain.refs, tuple)
    assert rows.refs == plain.refs and rows.dates == plain.dates and rows.relations == plain.relations
    assert rows.refs[-1] == plain.refs[-1] and rows.dates[8] == plain.dates[8]
    with Store.open(tmp_path / "objects") as a, Store.open(tmp_path / "rows") as b:
        [ia] = a.save_documents([_record("a.txt", text, tags)])
        [ib] = b.save_documents([_record("a.txt", text, rows)])
        assert _stored(a, ia) == _stored(b, ib)
