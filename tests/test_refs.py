"""The tagger: table-driven cases run through the plain core and the spaCy
component alike, resolution, relations, and properties that hold for any text."""

from __future__ import annotations

import random
import signal
import unicodedata
from datetime import date

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.refs import Knowledge, parse_number, tag
from docsearch.refs.knowledge import KnownDoc
from docsearch.refs.spacy_component import SPANS_KEY, blank_pipeline

# (text, expected [(surface, id)]) — every number pattern and its noise, in three languages.
FIND_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị", [("Nghị quyết số 57-NQ/TW", "57-NQ/TW")]),
    ("Quy định số 144-QĐ/TW ngày 09/5/2024", [("Quy định số 144-QĐ/TW", "144-QĐ/TW")]),
    ("Regulation No. 144-QD/TW dated May 9, 2024", [("Regulation No. 144-QD/TW", "144-QĐ/TW")]),
    ("Nghị quyết số 23 – NQ/TW ngày 22/3/2018", [("Nghị quyết số 23 – NQ/TW", "23-NQ/TW")]),
    ("Nghị quyết Số 01 - NQ/ĐUK của Đảng ủy Khối", [("Nghị quyết Số 01 - NQ/ĐUK", "01-NQ/ĐUK")]),
    ("Công văn 858CV/ĐUK gửi các chi bộ", [("Công văn 858CV/ĐUK", "858-CV/ĐUK")]),
    ("Chương trình số 05-Ctr/ĐUK", [("Chương trình số 05-Ctr/ĐUK", "05-CTr/ĐUK")]),
    ("Directive No. 01/CT-TW on Party building", [("Directive No. 01/CT-TW", "01-CT/TW")]),
    ("Quyết định số 69-QĐ/TƯ về kỷ luật", [("Quyết định số 69-QĐ/TƯ", "69-QĐ/TW")]),
    ("Quy định 144-QÐ/TW (Ð U+00D0)", [("Quy định 144-QÐ/TW", "144-QĐ/TW")]),
    ("nghị quyết số 57-nq/tw", [("nghị quyết số 57-nq/tw", "57-NQ/TW")]),
    ("Project No. 03-DA/TU, dated July 15, 2021", [("Project No. 03-DA/TU", "03-ĐA/TU")]),
    ("Nghị định số 13/2023/NĐ-CP ngày 17/4/2023", [("Nghị định số 13/2023/NĐ-CP", "13/2023/NĐ-CP")]),
    ("Decree No. 13/2023/ND-CP", [("Decree No. 13/2023/ND-CP", "13/2023/NĐ-CP")]),
    ("Luật Giao dịch điện tử số 20/2023/QH15", [("Luật Giao dịch điện tử số 20/2023/QH15", "20/2023/QH15")]),
    ("Quyết định số 1131/QĐ-TTg của Thủ tướng", [("Quyết định số 1131/QĐ-TTg", "1131/QĐ-TTg")]),
    ("Kế hoạch số 45/KH-UBND", [("Kế hoạch số 45/KH-UBND", "45/KH-UBND")]),
    ("Quyết định 123/QD-UBND", [("Quyết định 123/QD-UBND", "123/QĐ-UBND")]),
    ("Công văn số 5973/UBND-KT", [("Công văn số 5973/UBND-KT", "5973/UBND-KT")]),
    ("Thông tư liên tịch số 01/2023/TTLT-BTC-BNV", [("Thông tư liên tịch số 01/2023/TTLT-BTC-BNV", "01/2023/TTLT-BTC-BNV")]),
    ("Nghị quyết số 15/2024/NQ-HĐND", [("Nghị quyết số 15/2024/NQ-HĐND", "15/2024/NQ-HĐND")]),
    ("Aktionsprogramm Nr. 46-CTr/TU zur Umsetzung", [("Aktionsprogramm Nr. 46-CTr/TU", "46-CTr/TU")]),
    # short forms and lists
    ("the implementation of Resolution 57 is", [("Resolution 57", "57-NQ/TW")]),
    ("Richtlinie 35 des Politbüros", [("Richtlinie 35", "35-CT/TW")]),
    ("Conclusions 121, 126 and 127 of the Politburo", [("Conclusions 121", "121-KL/TW"), ("126", "126-KL/TW"), ("127", "127-KL/TW")]),
    ("các Kết luận số 121-KL/TW, 126-KL/TW và 127-KL/TW", [("Kết luận số 121-KL/TW", "121-KL/TW"), ("126-KL/TW", "126-KL/TW"), ("127-KL/TW", "127-KL/TW")]),
    ("der Resolution 18, Schlussfolgerungen 121, 126 und 127, hat", [("Resolution 18", "18-NQ/TW"), ("Schlussfolgerungen 121", "121-KL/TW"), ("126", "126-KL/TW"), ("127", "127-KL/TW")]),
    ("Conclusion 123 sets a growth target", [("Conclusion 123", "123-KL/TW")]),
    ("theo NQ 57 của Bộ Chính trị", [("NQ 57", "57-NQ/TW")]),
    ("Richtlinie Nr. 35 des Politbüros", [("Richtlinie Nr. 35", "35-CT/TW")]),
]

# Strings that must yield no reference at all.
NOT_REFERENCES = [
    "Điện thoại: 0203.3835.123, fax 0203 3835 124",
    "giai đoạn 2021-2025 và nhiệm kỳ 2020 - 2025",
    "12/13 xã đạt chuẩn; 168/177 đơn vị; tăng 14%",
    "Leiter der Inspektionsdelegation 1907 des Politbüros",
    "Inspection delegation 1907 of the Politburo",
    "tại số 12 đường Trần Hưng Đạo, phòng 305",
    "Ban Chấp hành Trung ương khóa XIII, Đại hội XIV",
    "the 13th Central Committee and the 4th Central Conference",
    "họp lúc 14h30 ngày 5/2",
    "pilot the implementation of the model of Party Cell 35",
    "Program 135 for ethnic minority communes",
    "Kế hoạch 2025 của tỉnh",
    "Resolution 57, 12 provinces have issued plans",
]


def _core(text: str) -> list[tuple[str, str | None]]:
    return [(r.text, r.id) for r in tag(text).references]


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return blank_pipeline("xx")


@pytest.mark.parametrize("text,expected", FIND_CASES, ids=[c[0][:40] for c in FIND_CASES])
def test_core_finds_references(text: str, expected: list[tuple[str, str]]) -> None:
    assert _core(text) == expected


@pytest.mark.parametrize("text,expected", FIND_CASES, ids=[c[0][:40] for c in FIND_CASES])
def test_spacy_component_finds_the_same_spans(nlp: spacy.language.Language, text: str,
                                              expected: list[tuple[str, str]]) -> None:
    doc = nlp(text)
    refs = [s for s in doc.spans[SPANS_KEY] if s.label_ == "DOC_REF"]
    got = [(text[s._.docsearch["start"]:s._.docsearch["end"]], s._.docsearch["id"]) for s in refs]
    assert got == expected
    core = tag(text).references
    for span, r in zip(refs, core, strict=True):
        # Token alignment may widen a span, never lose part of the reference.
        assert span.start_char <= r.start and span.end_char >= r.end


@pytest.mark.parametrize("text", NOT_REFERENCES)
def test_traps_are_not_references(nlp: spacy.language.Language, text: str) -> None:
    assert [r for r in tag(text).references if r.text != "Resolution 57"] == []
    doc = nlp(text)
    assert [s for s in doc.spans[SPANS_KEY] if s.label_ == "DOC_REF" and s.text != "Resolution 57"] == []


def test_spacy_entry_point_registers_the_factory() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("docsearch_refs")  # found through the spacy_factories entry point
    doc = nlp("Regulation No. 144-QD/TW dated May 9, 2024 of the Politburo.")
    assert [e.label_ for e in doc.ents] == ["DOC_REF", "DATE"]
    assert doc._.docsearch["references"][0]["date"] == "2024-05-09"


def test_spacy_vietnamese_blank_pipeline_without_pyvi() -> None:
    nlp = blank_pipeline("vi")
    doc = nlp("Thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị")
    labels = [(s.label_, s._.docsearch.get("id") or s._.docsearch.get("date")) for s in doc.spans[SPANS_KEY]]
    assert labels == [("DOC_REF", "57-NQ/TW"), ("DATE", "2024-12-22")]


# --- dates ------------------------------------------------------------------------------

DATE_CASES = [
    ("Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị", date(2024, 12, 22)),
    ("Nghị quyết số 01-NQ/TW ngày 01-10-1997", date(1997, 10, 1)),
    ("Chỉ thị số 05-CT/TW, ngày 4-11-2016", date(2016, 11, 4)),
    ("Conclusion No. 21-KL/TW, dated October 25, 2021 of the 13th Central Executive Committee", date(2021, 10, 25)),
    ("Decision No. 1324-QD/TU (dated February 5, 2024) on", date(2024, 2, 5)),
    ("Resolution No. 28-NQ/TW of November 17, 2022", date(2022, 11, 17)),
    ("die Richtlinie Nr. 45-CT/TW vom 14. April 2025", date(2025, 4, 14)),
    ("das Aktionsprogramm Nr. 21-CTr/TU vom 14.02.2025", date(2025, 2, 14)),
    ("Nghị quyết số 18-NQ/TW của Hội nghị Trung ương 6 khóa XII ngày 25/10/2017", date(2017, 10, 25)),
]


@pytest.mark.parametrize("text,expected", DATE_CASES)
def test_date_attaches_to_its_reference(text: str, expected: date) -> None:
    refs = tag(text).references
    assert refs[0].date == expected


def test_date_does_not_jump_to_the_next_reference() -> None:
    text = ("Căn cứ Nghị quyết số 57-NQ/TW của Bộ Chính trị và Kết luận số 123-KL/TW ngày 24/01/2025 "
            "của Ban Chấp hành Trung ương")
    first, second = tag(text).references
    assert (first.id, first.date) == ("57-NQ/TW", None)
    assert (second.id, second.date) == ("123-KL/TW", date(2025, 1, 24))


def test_date_after_a_verb_is_not_the_reference_date() -> None:
    refs = tag("Kế hoạch số 12-KH/TU được ban hành, ngày 05/3/2025 tỉnh tổ chức hội nghị").references
    assert refs[0].date is None


def test_same_day_takes_the_previous_date() -> None:
    text = ("Ban Thường vụ đã ban hành Kế hoạch số 320-KH/TU ngày 15/5/2025 thực hiện Nghị quyết 66 "
            "và Kế hoạch số 321-KH/TU cùng ngày thực hiện Nghị quyết 68.")
    refs = {r.id: r for r in tag(text).references}
    assert refs["321-KH/TU"].date == date(2025, 5, 15)
    text_en = "Plan No. 12-KH/TU of March 3, 2025 and Plan No. 13-KH/TU of the same day"
    assert [r.date for r in tag(text_en).references] == [date(2025, 3, 3), date(2025, 3, 3)]


def test_invalid_calendar_dates_are_ignored() -> None:
    assert tag("ngày 31/02/2024 và 45/13/2024").dates == ()


# --- issuers, terms, identity -------------------------------------------------------------

@pytest.mark.parametrize("text,body", [
    ("Nghị quyết số 57-NQ/TW của Bộ Chính trị", "politburo"),
    ("Regulation No. 137-QD/TW dated December 1, 2023 of the Secretariat", "secretariat"),
    ("die Richtlinie Nr. 35-CT/TW des Politbüros", "politburo"),
    ("Kết luận số 21-KL/TW của Ban Chấp hành Trung ương khóa XIII", "central_committee"),
    ("Conclusion No. 21-KL/TW of the 13th Central Executive Committee", "central_committee"),
    ("Nghị định số 13/2023/NĐ-CP của Chính phủ", "government"),
])
def test_issuing_body(text: str, body: str) -> None:
    assert tag(text).references[0].issuer == body


def test_term_decides_between_documents_sharing_a_number() -> None:
    r12 = tag("Nghị quyết số 18-NQ/TW của Hội nghị Trung ương 6 khóa XII").references[0]
    r13 = tag("Resolution No. 18-NQ/TW of the 13th Party Central Committee on land").references[0]
    bare = tag("Nghị quyết số 18-NQ/TW về sắp xếp bộ máy").references[0]
    assert (r12.status, r12.year, r12.term) == ("resolved", 2017, 12)
    assert (r13.status, r13.year, r13.term) == ("resolved", 2022, 13)
    assert bare.status == "ambiguous"
    assert bare.candidates == ("18-NQ/TW@2017-10-25", "18-NQ/TW@2022-06-16")


def test_earlier_dated_citation_decides_later_bare_mentions() -> None:
    text = ("Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị Trung ương 6 khóa XII. "
            "Kết quả thực hiện Nghị quyết 18 cho thấy bộ máy đã tinh gọn.")
    first, second = tag(text).references
    assert (second.id, second.status, second.year) == ("18-NQ/TW", "resolved", 2017)
    both = text + " Nghị quyết số 18-NQ/TW ngày 16/6/2022 về đất đai cũng được quán triệt. Nghị quyết 18 cần được sơ kết."
    assert tag(both).references[-1].status == "ambiguous"


def test_alias_resolves_to_the_full_citation() -> None:
    text = ("Kết luận số 09-KL/BCĐ ngày 24/11/2024 của Ban Chỉ đạo Trung ương (sau đây gọi tắt là Kết luận 09) "
            "yêu cầu... Thực hiện Kết luận 09, tỉnh đã sắp xếp bộ máy.")
    refs = tag(text).references
    assert [r.id for r in refs] == ["09-KL/BCĐ", "09-KL/BCĐ", "09-KL/BCĐ"]
    assert refs[1].short_form and refs[2].short_form


def test_registry_entry_resolves_a_short_form_and_its_ambiguity() -> None:
    k = Knowledge.builtin()
    k.add(KnownDoc("09-NQ/TU", "NQ", "TU", date(2022, 2, 5), origin="registry"))
    r = tag("Tỉnh tiếp tục thực hiện Nghị quyết 09 của Tỉnh ủy về chuyển đổi số", knowledge=k).references[0]
    assert r.id == "09-NQ/TU"


def test_unresolvable_short_form_says_so() -> None:
    r = tag("Tỉnh ủy đã ban hành Kế hoạch số 12 để triển khai").references[0]
    assert (r.id, r.status, r.type) == (None, "unresolved", "KH")


HEADER = """ĐẢNG BỘ TỈNH QUẢNG NINH
TỈNH ỦY
*
Số 46-CTr/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Quảng Ninh, ngày 05 tháng 02 năm 2025

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ

Căn cứ Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương khóa XIII thi hành Điều lệ Đảng;
Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động như sau.
Tổng kết 5 năm thực hiện Chỉ thị số 05-CT/TW; Chương trình này bãi bỏ Quyết định số 1324-QĐ/TU; sửa đổi, bổ sung Quy định số 02-QĐi/TU.
"""


def test_header_gives_the_documents_own_identity() -> None:
    result = tag(HEADER)
    s = result.self
    assert s is not None
    assert (s.id, s.type, s.date, s.issuer, s.place) == (
        "46-CTr/TU", "CTr", date(2025, 2, 5), "Tỉnh ủy Quảng Ninh", "Quảng Ninh")
    assert s.title is not None and s.title.startswith("Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW")
    assert "46-CTr/TU" not in [r.id for r in result.references]


def test_relations_from_the_documents_own_identity() -> None:
    rels = {(r.source, r.target, r.type) for r in tag(HEADER).relations}
    assert rels == {
        ("46-CTr/TU", "57-NQ/TW", "implements"),
        ("46-CTr/TU", "24-QĐ/TW", "based_on"),
        ("46-CTr/TU", "05-CT/TW", "summarizes"),
        ("46-CTr/TU", "1324-QĐ/TU", "repeals"),
        ("46-CTr/TU", "02-QĐi/TU", "amends"),
    }


def test_a_header_whose_cells_have_their_first_word_on_a_line_of_its_own() -> None:
    # The shape of a header copied from a legal-database page: each cell's
    # first word on its own line, "|" and rules on theirs.
    text = ("ỦY\nBAN NHÂN DÂN\nTỈNH THÁI BÌNH\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\n|\nSố: 45/KH-UBND\n|\nThái\nBình, ngày 03 tháng 4 năm 2023\n"
            "|\nKẾ HOẠCH\nTriển khai công tác chuyển đổi số năm 2023\n")
    s = tag(text).self
    assert s is not None
    assert (s.id, s.date, s.issuer) == ("45/KH-UBND", date(2023, 4, 3), "Ủy ban nhân dân tỉnh Thái Bình")
    ministry = tag("BỘ\nTÀI CHÍNH\n-------\n" + text[text.index("Số:"):].replace("KH-UBND", "KH-BTC")).self
    assert ministry is not None and ministry.issuer == "Bộ Tài chính"


def test_a_body_sentence_starting_with_so_is_not_a_header() -> None:
    text = ("Trong năm 2024, Tỉnh ủy đã ban hành nhiều văn bản quan trọng để lãnh đạo, chỉ đạo thực hiện các nhiệm vụ "
            "chính trị của địa phương, gắn với công tác xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh.\n"
            "Số 12-KH/TU được ban hành sau đó.")
    assert tag(text).self is None


@pytest.mark.parametrize("text,source,target,rel", [
    ("the Standing Committee issued Action Program No. 46-CTr/TU to implement Resolution 57",
     "46-CTr/TU", "57-NQ/TW", "implements"),
    ("Andererseits hat der Ständige Ausschuss auch das Aktionsprogramm Nr. 46-CTr/TU zur Umsetzung der Resolution 57 herausgegeben",
     "46-CTr/TU", "57-NQ/TW", "implements"),
    ("Thực hiện Nghị quyết số 57-NQ/TW, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 12-KH/TU.",
     "12-KH/TU", "57-NQ/TW", "implements"),
    ("Issue Decision No. 1324-QD/TU (dated February 5, 2024) on reorganizing the apparatus according to Regulation No. 137-QD/TW",
     "1324-QĐ/TU", "137-QĐ/TW", "based_on"),
    ("Kết luận số 121-KL/TW tổng kết việc thực hiện Nghị quyết số 18-NQ/TW khóa XII",
     "121-KL/TW", "18-NQ/TW", "summarizes"),
    ("Sở Nội vụ ban hành Hướng dẫn số 05-HD/SNV thực hiện Quyết định số 123/QĐ-UBND",
     "05-HD/SNV", "123/QĐ-UBND", "guides"),
    ("Chỉ thị số 45-CT/TW ngày 14/4/2025 thay thế Chỉ thị số 35-CT/TW ngày 14/6/2024",
     "45-CT/TW", "35-CT/TW", "replaces"),
    ("Die Richtlinie Nr. 12-CT/TU wird durch die Richtlinie Nr. 20-CT/TU ersetzt",
     "20-CT/TU", "12-CT/TU", "replaces"),
])
def test_relation_in_a_news_sentence(text: str, source: str, target: str, rel: str) -> None:
    assert (source, target, rel) in {(r.source, r.target, r.type) for r in tag(text).relations}


def test_no_relation_without_a_document_doing_it() -> None:
    result = tag("The province continues to implement Resolution 57 and Conclusion 123.")
    assert result.relations == ()
    assert [r.relation for r in result.references] == ["cites", "cites"]


def test_evidence_is_the_sentence() -> None:
    text = "Mở đầu. Thực hiện Nghị quyết số 57-NQ/TW, Tỉnh ủy ban hành Kế hoạch số 12-KH/TU. Câu sau."
    rel = tag(text).relations[0]
    assert rel.evidence == "Thực hiện Nghị quyết số 57-NQ/TW, Tỉnh ủy ban hành Kế hoạch số 12-KH/TU."
    assert text[rel.evidence_start:rel.evidence_end].strip() == rel.evidence


# --- numbers as strings -------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("57-NQ/TW", "57-NQ/TW"), ("5-CT/TW", "05-CT/TW"), ("144-QD/TW", "144-QĐ/TW"),
    ("13/2023/ND-CP", "13/2023/NĐ-CP"), ("1131/QĐ-TTg", "1131/QĐ-TTg"), ("20/2023/QH15", "20/2023/QH15"),
    ("01/CT-TW", "01-CT/TW"), ("57", None), ("2021-2025", None), ("12/13", None),
])
def test_parse_number(raw: str, expected: str | None) -> None:
    parsed = parse_number(raw)
    assert (parsed.id if parsed else None) == expected


# --- properties ---------------------------------------------------------------------------

_alphabet = st.sampled_from(list("0123456789-/–. ,;:()NQTWCĐDKLHUđạểốữ\nSốsoNo.Nr") + ["Nghị quyết ", "Resolution ", "ngày ", "số "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=80).map("".join))
def test_never_raises_and_spans_are_exact(text: str) -> None:
    result = tag(text)
    for r in result.references:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.text
    for d in result.dates:
        assert text[d.start:d.end] == d.text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_string(text: str) -> None:
    result = tag(text)
    for r in result.references:
        assert text[r.start:r.end] == r.text


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Quyết định số 1324-QĐ/TU"]), st.text(max_size=40))
def test_nfd_text_offsets_point_into_the_original(ref: str, tail: str) -> None:
    text = unicodedata.normalize("NFD", ref + " " + tail)
    result = tag(text)
    assert result.references
    r = result.references[0]
    assert text[r.start:r.end] == r.text
    assert unicodedata.normalize("NFC", r.text) == ref.split(" ngày")[0]
    if "ngày" in ref:
        assert r.date == date(2024, 12, 22)


class _Timeout(Exception):
    pass


def test_a_megabyte_of_digits_hyphens_and_slashes_does_not_backtrack() -> None:
    rng = random.Random(7)
    blob = "".join(rng.choice("0123456789-/ ") for _ in range(1_000_000))

    def alarm(*_: object) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(60)  # a generous bound: catastrophic backtracking would take hours
    try:
        result = tag(blob)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert result.references == ()


def test_an_unnumbered_document_acting_is_not_the_text_itself() -> None:
    text = ("TỈNH ỦY CAO BẰNG\n*\nSố 27-CTr/TU\nCao Bằng, ngày 20 tháng 02 năm 2025\n\nCHƯƠNG TRÌNH HÀNH ĐỘNG\n"
            "thực hiện Nghị quyết số 57-NQ/TW\n\n"
            "1 | Kế hoạch của UBND tỉnh thực hiện Chương trình hành động số 27-CTr/TU và Nghị quyết số 03/NQ-CP | Sở KHCN\n"
            "Kế hoạch này thực hiện Kết luận số 123-KL/TW.\n")
    rels = {(r.source, r.target, r.type) for r in tag(text).relations}
    assert rels == {("27-CTr/TU", "57-NQ/TW", "implements"), ("27-CTr/TU", "03/NQ-CP", "cites"),
                    ("27-CTr/TU", "123-KL/TW", "implements")}


def test_district_committee_as_issuing_body() -> None:
    refs = tag("Kế hoạch số 215-KH/HU ngày 20/02/2025 của Ban Thường vụ Huyện ủy Vân Đồn; "
               "Plan No. 172-KH/HU of the District Party Committee").references
    assert [(r.id, r.issuer) for r in refs] == [("215-KH/HU", "district_party_committee"),
                                                 ("172-KH/HU", "district_party_committee")]


def test_central_signature_names_the_issuing_organ() -> None:
    head = ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 144-QĐ/TW\nHà Nội, ngày 09 tháng 5 năm 2024\n\nQUY ĐỊNH\n"
            "chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới\n\nĐiều 1. Phạm vi.\n\n")
    assert tag(head + "T/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\n").self.issuer == "Bộ Chính trị"
    assert tag(head).self.issuer == "Ban Chấp hành Trung ương"
    local = ("ĐẢNG BỘ TỈNH QUẢNG NINH\nTỈNH ỦY\n*\nSố 46-CTr/TU\nQuảng Ninh, ngày 05 tháng 02 năm 2025\n\n"
             "CHƯƠNG TRÌNH HÀNH ĐỘNG\nthực hiện Nghị quyết số 57-NQ/TW\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n")
    assert tag(local).self.issuer == "Tỉnh ủy Quảng Ninh"


def test_short_form_of_a_known_decree() -> None:
    refs = tag("Thực hiện Nghị định 30 về công tác văn thư và Decree 13 on personal data").references
    assert [(r.id, r.type, r.issuer_code) for r in refs] == [
        ("30/2020/NĐ-CP", "NĐ", "CP"), ("13/2023/NĐ-CP", "NĐ", "CP")]


@pytest.mark.parametrize("seed", range(20))
def test_known_documents_stay_in_the_order_a_sort_after_each_one_gives(seed: int) -> None:
    # Entries of one number, dated, undated, from every origin, added in any
    # order: each id's list is what appending and sorting by date after every
    # addition made of it (a merge can give an undated entry a date).
    from docsearch.refs import knowledge as known

    def by_sorting(docs: list[KnownDoc]) -> dict[str, list[KnownDoc]]:
        out: dict[str, list[KnownDoc]] = {}
        for doc in docs:
            entries = out.setdefault(doc.id, [])
            for i, existing in enumerate(entries):
                if existing.date == doc.date or existing.date is None or doc.date is None:
                    first, second = ((doc, existing) if known._rank(doc.origin) >= known._rank(existing.origin)
                                     else (existing, doc))
                    entries[i] = known._merge(first, second)
                    break
            else:
                entries.append(doc)
                entries.sort(key=lambda d: d.date or date.min)
        return out

    rng = random.Random(seed)
    days = [None, date(2020, 1, 5), date(2020, 1, 5), date(2021, 3, 1), date(2019, 7, 9), date(2024, 2, 29),
            *(date(2018 + n % 7, 1 + n % 12, 1 + n % 28) for n in range(rng.choice([0, 4, 40])))]
    docs = [KnownDoc(rng.choice(["13-KH/TU", "5-CTr/TU"]), "KH", "TU", rng.choice(days),
                     title=f"t{i}", origin=rng.choice(["builtin", "store", "registry"]))
            for i in range(rng.choice([30, 120]))]
    k = Knowledge()
    for doc in docs:
        k.add(doc)
    assert k.by_id == by_sorting(docs)


def test_the_truth_of_a_knowledge_is_whether_it_holds_a_document() -> None:
    # `knowledge or default_knowledge()` asks it of every text tagged.
    empty = Knowledge()
    assert not empty and len(empty) == 0
    empty.add(KnownDoc("57-NQ/TW", "NQ", "TW", None))
    assert empty and len(empty) == 1
