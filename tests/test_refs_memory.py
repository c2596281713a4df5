"""The tagger's memory savings on long texts change nothing it finds.

A long text's lines view (the match view with its hard line breaks) is made
for its head only, where the header and the preamble are read; the preamble
is read from the whole view when it runs past that head. Cutting the head to
a few dozen characters, so that every text of the corpus takes that road,
must give the same result, field by field, as the whole view.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docsearch.extract import extract_file
from docsearch.models import TagResult
from docsearch.refs import structure, tag
from docsearch.refs.find import hard_breaks
from docsearch.refs.layout import folded_paragraphs, match_view, paragraph_view

from conftest import ROOT, real_dev_dir

WHOLE = 10**12


def _texts(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
            _, extracted = extract_file(path)
            if extracted.text:
                out.append((path.name, extracted.text))
    return out


def _differences(a: TagResult, b: TagResult) -> list[str]:
    out = []
    if a.self != b.self:
        out.append(f"identity {a.self} != {b.self}")
    for name in ("references", "dates", "relations"):
        xs, ys = getattr(a, name), getattr(b, name)
        if len(xs) != len(ys):
            out.append(f"{name}: {len(xs)} != {len(ys)}")
        out.extend(f"{name}[{i}]: {x} != {y}" for i, (x, y) in enumerate(zip(xs, ys, strict=False)) if x != y)
    return out


def _compare(texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    assert texts
    for name, text in texts:
        monkeypatch.setattr(structure, "HEAD_VIEW", WHOLE)
        whole = tag(text)
        # 64: the header's reach only, so the preamble is always read from
        # the whole view; the others cut preambles at various places.
        for size in (64, 4000, 7000, 9000, 12000):
            monkeypatch.setattr(structure, "HEAD_VIEW", size)
            head = tag(text)
            assert not _differences(whole, head), (name, size, _differences(whole, head)[:5])


def test_head_view_is_the_beginning_of_the_whole_view() -> None:
    text = "".join(f"Căn cứ Nghị quyết số {i}-NQ/TW;\nxét đề nghị\ncủa Sở.\n" for i in range(50))
    paragraphs = paragraph_view(text)
    breaks = hard_breaks(paragraphs)
    whole = folded_paragraphs(match_view(text), breaks)
    head = structure.lines_folded_head(match_view(text), breaks)
    assert len(head) == min(len(text), structure.HEAD_VIEW) and whole.startswith(head)
    assert structure.lines_folded_head(whole, []) is not whole or len(whole) <= structure.HEAD_VIEW


def test_corpus_tags_the_same_with_a_tiny_head_view(monkeypatch: pytest.MonkeyPatch) -> None:
    _compare(_texts(ROOT / "corpus"), monkeypatch)


def test_real_texts_tag_the_same_with_a_tiny_head_view(monkeypatch: pytest.MonkeyPatch) -> None:
    _compare(_texts(real_dev_dir()), monkeypatch)


def test_a_long_decision_whose_preamble_runs_past_the_head(monkeypatch: pytest.MonkeyPatch) -> None:
    header = ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 12/2024/QĐ-UBND\nNghệ An, ngày 5 tháng 3 năm 2024\n\n"
              "QUYẾT ĐỊNH\nBan hành Quy chế quản lý dữ liệu số\n\nỦY BAN NHÂN DÂN TỈNH NGHỆ AN\n\n")
    grounds = "".join(f"Căn cứ Nghị định số {i}/2020/NĐ-CP ngày {i % 28 + 1}/{i % 12 + 1}/2020 của Chính phủ;\n"
                      for i in range(1, 400))
    articles = "".join(f"Điều {i}. Thực hiện Nghị quyết số {i}-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n"
                       for i in range(1, 2000))
    text = header + grounds + "QUYẾT ĐỊNH:\n" + articles
    assert len(grounds) > 3 * 1000
    _compare([("generated", text)], monkeypatch)
    # and with the default head, which this preamble also runs past
    monkeypatch.setattr(structure, "HEAD_VIEW", 4096)
    cut = tag(text)
    monkeypatch.setattr(structure, "HEAD_VIEW", WHOLE)
    assert not _differences(tag(text), cut)
    relations = {(r.source, r.target, r.type) for r in cut.relations}
    assert ("12/2024/QĐ-UBND", "399/2020/NĐ-CP", "based_on") in relations
