"""A very long text tagged in pieces gives what one pass over it gives.

Every text of the corpus (and of ../shared/corpus/real-dev when present) is
cut into pieces of a few dozen or hundred characters, so that every citation,
list, sentence and preamble clause of it is cut somewhere, and the result is
compared field by field with the one-pass result. A generated text with a
header, a preamble, articles and many pages of citations is compared too,
once through :func:`tag` with the threshold lowered.
"""

from __future__ import annotations

import pytest

from docsearch.refs import pieces, tag, tagger
from docsearch.refs.pieces import cut, tag_in_pieces
from docsearch.refs.tagger import default_knowledge

from conftest import ROOT, extracted_texts, real_dev_dir, tag_differences


def _compare(texts: list[tuple[str, str]], cuts: tuple[tuple[int, int, int], ...]) -> None:
    assert texts
    for name, text in texts:
        whole = tag(text)
        for size, margin, head in cuts:
            got = tag_in_pieces(text, default_knowledge(), size=size, margin=margin, head=head)
            assert got is not None, (name, size)
            assert not tag_differences(whole, got), (name, size, margin, tag_differences(whole, got)[:3])


# (piece, margin, head): pieces of 60 and 400 characters; the head as small
# as the header's reach, so that long preambles are read from a longer head.
CUTS = ((60, 2000, 262_144), (400, 2500, 4000))


def test_corpus_in_pieces() -> None:
    _compare(extracted_texts(ROOT / "corpus"), CUTS)


def test_real_dev_in_pieces() -> None:
    _compare(extracted_texts(real_dev_dir() / "texts"), CUTS)


def test_pieces_cover_the_text_once() -> None:
    text = "".join(f"dòng {i} " + "x" * (i % 37) + "\n" for i in range(2000)) + "không xuống dòng " * 300
    ps = list(cut(text, 500, 800))
    assert ps[0].lo == 0 and ps[-1].hi == len(text)
    for a, b in zip(ps, ps[1:], strict=False):
        assert a.hi == b.lo
    for p in ps:
        assert p.start <= max(0, p.lo - 800) and p.end >= min(len(text), p.hi + 800)
        # cut after a line break where there is one
        assert p.hi == len(text) or text[p.hi - 1] == "\n" or "\n" not in text[p.lo + 500:p.lo + 1000]


HEADER = """ĐẢNG BỘ TỈNH QUẢNG NINH
TỈNH ỦY
*
Số 46-CTr/TU
Quảng Ninh, ngày 15 tháng 3 năm 2025

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị

Căn cứ Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ;
Căn cứ Kết luận số 123-KL/TW ngày 24/01/2025 của Ban Chấp hành Trung ương;
Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động như sau:
Điều 1. Thực hiện Nghị quyết 57 và Kết luận 123 trên địa bàn tỉnh.
"""


def _paragraph(i: int) -> str:
    n = i % 97 + 1
    when = f"{i % 28 + 1}/{i % 12 + 1}/{2000 + i % 25}"
    forms = (
        f"Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số {n}-KH/TU ngày {when} thực hiện Nghị quyết số "
        f"{n % 50 + 1}-NQ/TW của Bộ Chính trị; Nghị quyết {n % 50 + 1} được quán triệt sâu rộng.\n",
        f"Quyết định số {n}/QĐ-UBND ngày {when} của UBND tỉnh bãi bỏ Quyết định số {n + 3}/QĐ-UBND, "
        f"và Chỉ thị {n % 40 + 1}-CT/TW (sau đây gọi tắt là Chỉ thị {n % 40 + 1}) vẫn còn hiệu lực.\n",
        f"Theo Luật Đầu tư công, Nghị định số {n}/2020/NĐ-CP ngày {when} hướng dẫn Luật số "
        f"{n % 30 + 1}/2019/QH14; Nghị quyết 18 được sửa đổi, bổ sung bởi Nghị quyết 19.\n",
        "Các sở, ngành tổ chức quán triệt, triển khai thực hiện nghiêm túc các nội dung trên.\n",
    )
    return forms[i % len(forms)]


def test_long_generated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + "".join(_paragraph(i) for i in range(1500)) + "\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n"
    monkeypatch.setattr(tagger, "LONG_TEXT", 10**12)
    whole = tag(text)
    assert whole.self is not None and len(whole.references) > 2500 and whole.relations
    monkeypatch.setattr(tagger, "LONG_TEXT", 10_000)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 20_000)
    monkeypatch.setattr(pieces, "MARGIN_CHARS", 3_000)
    monkeypatch.setattr(pieces, "HEAD_CHARS", 5_000)
    # through tag(), which reads the text in pieces past the threshold
    assert not tag_differences(whole, tag(text))
    for size in (997,):
        got = tag_in_pieces(text, default_knowledge(), size=size, margin=2_000, head=3_000)
        assert got is not None
        assert not tag_differences(whole, got), (size, tag_differences(whole, got)[:3])


def test_sentence_past_the_margins(monkeypatch: pytest.MonkeyPatch) -> None:
    # One sentence of citations, with no stop or line break, longer than a
    # piece and its margins: the text is tagged in one pass instead.
    text = HEADER + ", ".join(f"thực hiện Nghị quyết số {i % 60 + 1}-NQ/TW ngày {i % 28 + 1}/5/2020 của Bộ Chính trị"
                              for i in range(400)) + ".\n" + "".join(_paragraph(i) for i in range(200))
    monkeypatch.setattr(tagger, "LONG_TEXT", 10**12)
    whole = tag(text)
    assert tag_in_pieces(text, default_knowledge(), size=2_000, margin=1_500, head=3_000) is None
    monkeypatch.setattr(tagger, "LONG_TEXT", 10_000)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 2_000)
    monkeypatch.setattr(pieces, "MARGIN_CHARS", 1_500)
    assert not tag_differences(whole, tag(text))
