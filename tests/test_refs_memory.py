"""The tagger's memory savings on long texts change nothing it finds.

A long text's lines view (the match view with its hard line breaks) is made
for its head only, where the header and the preamble are read; the preamble
is read from the whole view when it runs past that head. Cutting the head to
a few dozen characters, so that every text of the corpus takes that road,
must give the same result, field by field, as the whole view.
"""

from __future__ import annotations

import pytest

from docsearch.refs import structure, tag
from docsearch.refs.find import hard_breaks
from docsearch.refs.layout import folded_paragraphs, match_view, paragraph_view

from conftest import ROOT, extracted_texts, real_dev_dir, tag_differences

WHOLE = 10**12




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
            assert not tag_differences(whole, head), (name, size, tag_differences(whole, head)[:5])


def test_head_view_is_the_beginning_of_the_whole_view() -> None:
    text = "".join(f"Căn cứ Nghị quyết số {i}-NQ/TW;\nxét đề nghị\ncủa Sở.\n" for i in range(50))
    paragraphs = paragraph_view(text)
    breaks = hard_breaks(paragraphs)
    whole = folded_paragraphs(match_view(text), breaks)
    head = structure.lines_folded_head(match_view(text), breaks)
    assert len(head) == min(len(text), structure.HEAD_VIEW) and whole.startswith(head)
    assert structure.lines_folded_head(whole, []) is not whole or len(whole) <= structure.HEAD_VIEW


def test_corpus_tags_the_same_with_a_tiny_head_view(monkeypatch: pytest.MonkeyPatch) -> None:
    _compare(extracted_texts(ROOT / "corpus"), monkeypatch)


def test_real_texts_tag_the_same_with_a_tiny_head_view(monkeypatch: pytest.MonkeyPatch) -> None:
    _compare(extracted_texts(real_dev_dir()), monkeypatch)


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
    assert not tag_differences(tag(text), cut)
    relations = {(r.source, r.target, r.type) for r in cut.relations}
    assert ("12/2024/QĐ-UBND", "399/2020/NĐ-CP", "based_on") in relations
