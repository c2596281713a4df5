"""The parts of the tagger that read real layouts and document structure:
layout views, number shapes of real text, issuers, documents cited by name,
the structure of decisions and the relation passes. Texts here are written
for the tests in the shape real documents have (header cells, wrapped lines,
preambles, articles); numbers, dates and issuers are real facts."""

from __future__ import annotations

from datetime import date

import pytest

from docsearch.refs import tag
from docsearch.refs.find import hard_breaks
from docsearch.refs.grammar import ANY_NUMBER, CONGRESS_AHEAD, fold
from docsearch.refs.issuers import find_issuer, spell_body
from docsearch.refs.layout import match_view, paragraph_view, paragraph_view_breaks
from docsearch.refs.numbers import parse_number
from docsearch.refs.structure import read_structure


def rels(text: str) -> set[tuple[str, str, str]]:
    return {(r.source, r.target, r.type) for r in tag(text).relations}


# --- layout -----------------------------------------------------------------------------

def test_views_keep_every_offset() -> None:
    text = "Số:\n16/2017/TT-BTC | Hà Nội, ngày\n28 tháng 02 năm 2017\n"
    assert len(match_view(text)) == len(paragraph_view(text)) == len(text)
    assert "\n" not in match_view(text) and "|" not in match_view(text)


@pytest.mark.parametrize("text,soft", [
    ("Căn cứ Nghị định số 215/2013/NĐ-CP ngày 23 tháng 12 năm 2013 của\nChính phủ quy định", True),
    ("Căn cứ Luật Đầu tư công;\nCăn cứ Nghị định số 40/2020/NĐ-CP", False),
    ("QUYẾT ĐỊNH\nVỀ VIỆC THU PHÍ THAM QUAN", False),  # the type heading stands alone
    ("QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU CỦA\nQUYẾT ĐỊNH SỐ 20/2016/QĐ-TTG", True),  # a wrapped title
    ("BÃI BỎ NGHỊ QUYẾT SỐ 124/2019/NQ-HĐND\nHỘI ĐỒNG NHÂN DÂN TỈNH BÀ RỊA VŨNG TÀU", False),
    ("STT | Nhiệm vụ | Cơ quan\n1 | Kế hoạch", False),  # a table row
    ("3. Về việc thực hiện các kết luận của Trung ương\nCác cơ quan, đơn vị bám sát", False),
    ("tiếp tục thực hiện\nNghị quyết số 57-NQ/TW", True),
])
def test_soft_and_hard_line_breaks(text: str, soft: bool) -> None:
    assert ("\n" not in paragraph_view(text)) == soft


def test_paragraph_view_lists_its_line_breaks() -> None:
    # The breaks counted from the lines' lengths are those a search of the
    # view finds, whichever lines are blank, wrapped or last.
    pieces = ["", " ", "\n", "\n\n", "Căn cứ Luật Đầu tư công;", "tiếp tục thực hiện", "QUYẾT ĐỊNH", "1. Về việc"]
    texts = [a + "\n" + b + c for a in pieces for b in pieces for c in ("", "\n", "\nNghị quyết số 57-NQ/TW")]
    for text in texts:
        view, breaks = paragraph_view_breaks(text)
        assert view == paragraph_view(text)
        assert breaks == hard_breaks(view), text


# --- number shapes of real text -------------------------------------------------------------

@pytest.mark.parametrize("written,canonical", [
    ("96/2023/NĐCP", "96/2023/NĐ-CP"),          # hyphen dropped by a dataset
    ("124/2019/NQHĐND", "124/2019/NQ-HĐND"),
    ("21/2024/TTBYT", "21/2024/TT-BYT"),
    ("401/TTrUBND", "401/TTr-UBND"),
    ("282/QĐ TTg", "282/QĐ-TTg"),                # a space for the hyphen
    ("05/CT BCA V28", "05/CT-BCA-V28"),
    ("48 CT/TW", "48-CT/TW"),
    ("84 QĐ/TWĐTN", "84-QĐ/TWĐTN"),
    ("19/2001/CT/UB", "19/2001/CT-UB"),          # a slash for the hyphen
    ("38/2001/PL-UBTVQH10", "38/2001/PL-UBTVQH10"),  # an ordinance
    ("2653/KHĐT-CNDV", "2653/KHĐT-CNDV"),        # a unit's code where the type stands
    ("20/2016/QĐ-TTG", "20/2016/QĐ-TTg"),        # upper-case title
    ("01/2023/TTLT-BTC-BNV", "01/2023/TTLT-BTC-BNV"),
])
def test_number_shapes_must_match(written: str, canonical: str) -> None:
    parsed = parse_number(written)
    assert parsed is not None and parsed.id == canonical


@pytest.mark.parametrize("text", [
    "năm 2019 ct/tw",             # lower case with a space: words, not a code
    "12/ab-cd",
    "Số: 2156/QĐ-UBND\nCỘNG HÒA",  # a heading on the next line is no issuer part
])
def test_number_shapes_must_not_match(text: str) -> None:
    parsed = parse_number(text)
    assert parsed is None or "CỘNG" not in parsed.id


def test_a_spaced_code_stops_at_the_next_word() -> None:
    text = "Căn cứ Chỉ thị số 05/CT BCA V28 ngày 30/3/2011 của Bộ trưởng Bộ Công an"
    (ref,) = tag(text).references
    assert (ref.id, ref.text, ref.date) == ("05/CT-BCA-V28", "Chỉ thị số 05/CT BCA V28", date(2011, 3, 30))


def test_a_number_split_across_lines_and_cells() -> None:
    text = "BỘ TÀI CHÍNH\n|\nSố:\n16/2017/TT-BTC\n|\nHà Nội, ngày\n28 tháng 02 năm 2017\n|\nTHÔNG TƯ\nHướng dẫn\n"
    own = tag(text).self
    assert own is not None and (own.id, own.date, own.place) == ("16/2017/TT-BTC", date(2017, 2, 28), "Hà Nội")


@pytest.mark.parametrize("text,term", [
    ("tien toi dai hoi dai bieu toan quoc lan thu xiv cua dang", 14),
    ("im hinblick auf den 14. nationalen parteikongress", 14),
    ("towards the 13th national party congress", 13),
])
def test_congress_ahead_pattern(text: str, term: int) -> None:
    m = CONGRESS_AHEAD.search(text)
    assert m is not None and int(m["ord"] or 0) in (0, term)


def test_any_number_is_one_pattern_for_finder_and_parser() -> None:
    assert ANY_NUMBER.fullmatch(fold("282/QĐ TTg")) is not None


# --- issuers ----------------------------------------------------------------------------

@pytest.mark.parametrize("written,kind,name", [
    ("Bộ trưởng Bộ Y tế hướng dẫn", "ministry", "Bộ Y tế"),
    ("Liên Bộ Y tế - Bộ Tài chính về", "ministry", "Bộ Y tế - Bộ Tài chính"),
    ("Bộ Nông nghiệp và PTNT", "ministry", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("Ủy ban nhân dân tỉnh Nghệ An về", "peoples_committee", "Ủy ban nhân dân tỉnh Nghệ An"),
    ("Hội đồng nhân dân tỉnh Bà Rịa Vũng Tàu", "peoples_council", "Hội đồng nhân dân tỉnh Bà Rịa Vũng Tàu"),
    ("Ban Tuyên giáo Trung ương hướng dẫn", "party_board", "Ban Tuyên giáo Trung ương"),
    ("Sở Nội vụ tại Tờ trình", "department", "Sở Nội vụ"),
    ("Đảng ủy Khối Doanh nghiệp Trung ương", "party_committee", "Đảng ủy Khối Doanh nghiệp Trung ương"),
    ("Thành ủy Hà Nội", "provincial_party_committee", "Thành ủy Hà Nội"),
])
def test_issuers_by_kind_and_full_name(written: str, kind: str, name: str) -> None:
    found = find_issuer(written, match_view(written), 0)
    assert found is not None and (found[0].kind, found[0].name) == (kind, name)


def test_header_capitals_are_spelled_as_names() -> None:
    assert spell_body("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") == "Ủy ban nhân dân thành phố Hà Nội"
    assert spell_body("BỘ TÀI CHÍNH") == "Bộ Tài chính"


def test_a_local_body_without_its_place_takes_the_documents_own() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 708/KH-UBND\nNghệ An, ngày 29 tháng 11 năm 2017\n\nKẾ HOẠCH\n"
            "Phòng, chống bệnh Dại\n\nThực hiện Quyết định số 193/QĐ-TTg ngày 13/02/2017 của Thủ tướng Chính phủ; "
            "Kế hoạch số 12/KH-UBND ngày 05/01/2017 của UBND tỉnh.\n")
    refs = {r.id: r for r in tag(text).references}
    assert refs["12/KH-UBND"].issuer_name == "Ủy ban nhân dân tỉnh Nghệ An"
    assert refs["193/QĐ-TTg"].issuer == "prime_minister"


# --- documents cited by name ---------------------------------------------------------------

def test_laws_by_name_get_a_key_and_the_texts_number() -> None:
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "Căn cứ Pháp lệnh Phí, lệ phí số 38/2001/PL-UBTVQH10 ngày 28 tháng 8 năm 2001;\n"
            "Căn cứ Nghị định số 57/2002/NĐ-CP ngày 03 tháng 6 năm 2002 của Chính phủ quy định chi tiết thi hành "
            "Pháp lệnh phí và lệ phí;\n")
    refs = tag(text).references
    law = refs[0]
    assert (law.id, law.status, law.key, law.date) == (None, "named", "L:to chuc chinh quyen dia phuong:2015",
                                                        date(2015, 6, 19))
    assert refs[1].text == "Pháp lệnh Phí, lệ phí số 38/2001/PL-UBTVQH10"
    short = refs[-1]
    assert (short.text, short.id, short.short_form, short.relation, short.source) == (
        "Pháp lệnh phí và lệ phí", "38/2001/PL-UBTVQH10", True, "guides", "57/2002/NĐ-CP")


@pytest.mark.parametrize("text", [
    "Các dự án Luật sửa đổi, Nghị quyết sửa đổi đã được thông qua.",  # no proper name
    "theo quy định của pháp luật về đất đai",
    "QUY ĐỊNH PHÁP LUẬT TRONG LĨNH VỰC CHỐNG BUÔN LẬU",
])
def test_not_documents_by_name(text: str) -> None:
    assert not tag(text).references


# --- structure ----------------------------------------------------------------------------

DECISION = """ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 101/2009/QĐ-UBND | Vinh, ngày 28 tháng 10 năm 2009 |
QUYẾT ĐỊNH
VỀ VIỆC BAN HÀNH QUY CHẾ PHỐI HỢP QUẢN LÝ NHÀ NƯỚC VỀ HOẠT ĐỘNG TÔN GIÁO
ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Căn cứ Luật tổ chức HĐND và UBND ngày 26/11/2003;
Căn cứ Nghị định số 22/2005/NĐ-CP ngày 01/3/2005 của Chính phủ về hướng dẫn thi hành một số điều của Pháp lệnh Tín ngưỡng, tôn giáo;
Căn cứ Nghị định số 24/2014/NĐ-CP ngày 04/4/2014 của Chính phủ, được sửa đổi, bổ sung tại Nghị định số 107/2020/NĐ-CP ngày 14/9/2020;
Xét đề nghị của Sở Nội vụ tại Tờ trình số 283/TTr-SNV ngày 05/10/2009,
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp.
Điều 2. Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký và thay thế Quyết định số 91/2007/QĐ-UBND ngày 03/8/2007 của UBND tỉnh.
Điều 3. Bãi bỏ các văn bản sau:
1. Quyết định số 12/2005/QĐ-UBND ngày 10/01/2005 của UBND tỉnh;
2. Chỉ thị số 05/2006/CT-UBND ngày 20/3/2006 của UBND tỉnh.
"""


def test_zones_of_a_decision() -> None:
    result = tag(DECISION)
    own = result.self
    assert own is not None and own.id == "101/2009/QĐ-UBND"
    assert own.issuer == "Ủy ban nhân dân tỉnh Nghệ An" and own.issuer_kind == "peoples_committee"
    zones = read_structure(DECISION, match_view(DECISION), paragraph_view(DECISION), own)
    kinds = [z.kind for z in zones.zones]
    assert kinds == ["title", "preamble", "articles"]
    pos = DECISION.index("Tờ trình số 283")
    assert zones.zone_at(pos) == "preamble" and zones.clause_at(pos).relation == "based_on"


def test_preamble_articles_and_lists_of_a_decision() -> None:
    assert rels(DECISION) >= {
        ("101/2009/QĐ-UBND", "22/2005/NĐ-CP", "based_on"),
        ("101/2009/QĐ-UBND", "24/2014/NĐ-CP", "based_on"),
        ("101/2009/QĐ-UBND", "107/2020/NĐ-CP", "based_on"),  # "… được sửa đổi, bổ sung tại …"
        ("107/2020/NĐ-CP", "24/2014/NĐ-CP", "amends"),
        ("101/2009/QĐ-UBND", "283/TTr-SNV", "based_on"),
        ("101/2009/QĐ-UBND", "91/2007/QĐ-UBND", "replaces"),
        ("101/2009/QĐ-UBND", "12/2005/QĐ-UBND", "repeals"),  # items of "Bãi bỏ các văn bản sau:"
        ("101/2009/QĐ-UBND", "05/2006/CT-UBND", "repeals"),
    }


def test_the_title_says_what_the_document_does() -> None:
    text = ("BỘ TƯ PHÁP\nSố: 949/QĐ-BTP\nHà Nội, ngày 26 tháng 4 năm 2018\nQUYẾT ĐỊNH\n"
            "BAN HÀNH KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT SỐ 18-NQ/TW NGÀY 25 THÁNG 10 NĂM 2017 VỀ TỔ CHỨC BỘ MÁY; "
            "NGHỊ QUYẾT SỐ 19-NQ/TW NGÀY 25 THÁNG 10 NĂM 2017 VỀ ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP\n"
            "BỘ TRƯỞNG BỘ TƯ PHÁP\nCăn cứ Nghị quyết số 18-NQ/TW ngày 25/10/2017;\n")
    assert rels(text) == {("949/QĐ-BTP", "18-NQ/TW", "implements"), ("949/QĐ-BTP", "19-NQ/TW", "implements"),
                          ("949/QĐ-BTP", "18-NQ/TW", "based_on")}
    assert tag(text).self.issuer == "Bộ Tư pháp"


def test_a_document_named_in_anothers_title_relates_to_that_one() -> None:
    text = ("Căn cứ Quyết định số 282/QĐ-TTg ngày 24/2/2011 của Thủ tướng Chính phủ ban hành Kế hoạch thực hiện "
            "Chỉ thị số 48-CT/TW ngày 22/10/2010 của Bộ Chính trị về phòng, chống tội phạm;")
    head = "UBND TỈNH BÌNH PHƯỚC\nSố: 86/QĐ-UBND\nBình Phước, ngày 12 tháng 01 năm 2012\nQUYẾT ĐỊNH\nVề việc thành lập Ban Chỉ đạo\n"
    assert rels(head + text) == {("86/QĐ-UBND", "282/QĐ-TTg", "based_on"), ("282/QĐ-TTg", "48-CT/TW", "implements"),
                                 ("86/QĐ-UBND", "48-CT/TW", "cites")}


def test_news_relations_come_from_descriptions() -> None:
    text = ("Thực hiện Chỉ thị 35-CT/TW ngày 30/5/2019 của Bộ Chính trị về đại hội đảng bộ các cấp và Kế hoạch "
            "207-KH/TU ngày 12/8/2019 của Tỉnh ủy về triển khai Chỉ thị 35, các huyện đã chọn cơ sở làm điểm.")
    assert rels(text) == {("207-KH/TU", "35-CT/TW", "implements")}


def test_grounds_in_one_sentence_go_to_the_plan_issued_in_the_next() -> None:
    text = ("Thực hiện Chỉ thị số 35-CT/TW ngày 30/5/2019; Kế hoạch số 81-KH/ĐUK ngày 15/8/2019 của Đảng ủy Khối. "
            "Ngày 10/12/2019, Ban Thường vụ Đảng ủy đã ban hành Kế hoạch số 101-KH/ĐU về tổ chức đại hội.")
    result = tag(text)
    assert rels(text) == {("101-KH/ĐU", "35-CT/TW", "implements"), ("101-KH/ĐU", "81-KH/ĐUK", "implements")}
    plan = next(r for r in result.references if r.id == "101-KH/ĐU")
    assert plan.date == date(2019, 12, 10) and plan.issuer == "party_committee"


def test_a_task_to_amend_a_law_is_not_an_amendment() -> None:
    head = "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 18-NQ/TW\nHà Nội, ngày 16 tháng 6 năm 2022\n\nNGHỊ QUYẾT\nvề đất đai\n\n"
    assert rels(head + "Khẩn trương sửa đổi, bổ sung Luật Đất đai số 45/2013/QH13.\n") == {
        ("18-NQ/TW", "45/2013/QH13", "cites")}
    assert rels(head + "Nghị quyết này thay thế Nghị quyết số 19-NQ/TW.\n") == {("18-NQ/TW", "19-NQ/TW", "replaces")}


def test_issuing_clause_dates_with_the_year_of_the_number() -> None:
    (ref,) = tag("Ngày 1/12, Thủ tướng Chính phủ ban hành Quyết định số 44/2025/QĐ-TTg bãi bỏ văn bản.").references
    assert (ref.date, ref.issuer) == (date(2025, 12, 1), "prime_minister")


def test_a_short_form_resolves_to_the_body_it_names() -> None:
    text = ("Thực hiện Nghị quyết 15-NQ/TW của Bộ Chính trị (khoá VIII), Hà Nội còn mở rộng địa giới theo "
            "Nghị quyết 15 của Quốc hội khoá XII.")
    ids = [r.id for r in tag(text).references]
    assert ids == ["15-NQ/TW", "15/2008/QH12"]


def test_a_directive_towards_a_congress_is_of_the_term_before() -> None:
    text = ("Thực hiện Richtlinie 35 und Schlussfolgerung 118. Die Richtlinie Nr. 35 des Politbüros zu Parteikongressen "
            "im Hinblick auf den 14. Nationalen Parteikongress")
    refs = [r for r in tag(text).references if r.id == "35-CT/TW"]
    assert refs and all(not r.ambiguous for r in refs) and refs[-1].term == 13


def test_an_enumeration_in_a_description_shares_its_cue() -> None:
    text = ("Ngày 1/12, Thủ tướng Chính phủ ban hành Quyết định số 44/2025/QĐ-TTg bãi bỏ toàn bộ 3 văn bản do Thủ "
            "tướng Chính phủ ban hành, gồm: Quyết định số 58/2008/QĐ-TTg ngày 29/4/2008 về hỗ trợ có mục tiêu; "
            "Quyết định số 12/2013/QĐ-TTg ngày 24/1/2013 quy định chế độ và Quyết định số 66/2015/QĐ-TTg.")
    assert rels(text) == {("44/2025/QĐ-TTg", t, "repeals") for t in ("58/2008/QĐ-TTg", "12/2013/QĐ-TTg", "66/2015/QĐ-TTg")}


def test_a_list_after_a_semicolon_in_a_title_is_not_an_enumeration() -> None:
    text = ("Tuyên truyền Kết luận 72-KL/TW ngày 23-02-2024 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết số "
            "13-NQ/TW ngày 16-01-2012 về kết cấu hạ tầng; Chỉ thị 30-CT/TW ngày 05-02-2024 của Ban Bí thư.")
    assert rels(text) == {("72-KL/TW", "13-NQ/TW", "implements")}


FINAL = ("ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\nSố: 15/2023/QĐ-UBND\nThanh Hóa, ngày 10 tháng 5 năm 2023\nQUYẾT ĐỊNH\n"
         "Ban hành Quy định về quản lý\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
         "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Quy định.\n")


@pytest.mark.parametrize("article,expected", [
    ("Điều 2. Quyết định số 12/2018/QĐ-UBND ngày 02/4/2018 của UBND tỉnh hết hiệu lực kể từ ngày Quyết định này "
     "có hiệu lực thi hành.", {("12/2018/QĐ-UBND", "repeals")}),
    ("Điều 2. Bãi bỏ Điều 5 của Quyết định số 12/2018/QĐ-UBND ngày 02/4/2018 của UBND tỉnh.",
     {("12/2018/QĐ-UBND", "repeals")}),
    ("Điều 2. Các văn bản sau đây hết hiệu lực thi hành:\na) Quyết định số 12/2018/QĐ-UBND ngày 02/4/2018;\n"
     "b) Quyết định số 30/2019/QĐ-UBND ngày 15/8/2019.", {("12/2018/QĐ-UBND", "repeals"), ("30/2019/QĐ-UBND", "repeals")}),
    ("Điều 2. Sửa đổi, bổ sung một số điều của Quy định ban hành kèm theo Quyết định số 12/2018/QĐ-UBND.",
     {("12/2018/QĐ-UBND", "amends")}),
    ("Điều 3. Quyết định này thay thế Quyết định số 12/2018/QĐ-UBND ngày 02/4/2018 và Quyết định số 30/2019/QĐ-UBND "
     "ngày 15/8/2019 của UBND tỉnh.", {("12/2018/QĐ-UBND", "replaces"), ("30/2019/QĐ-UBND", "replaces")}),
    ("Điều 5. Hiệu lực thi hành\nQuyết định số 12/2018/QĐ-UBND ngày 02/4/2018 và Quyết định số 30/2019/QĐ-UBND ngày "
     "15/8/2019 hết hiệu lực kể từ ngày Quyết định này có hiệu lực.",
     {("12/2018/QĐ-UBND", "repeals"), ("30/2019/QĐ-UBND", "repeals")}),
])
def test_final_provisions_say_what_the_document_does(article: str, expected: set[tuple[str, str]]) -> None:
    got = {(t, kind) for s, t, kind in rels(FINAL + article) if s == "15/2023/QĐ-UBND" and kind != "based_on"}
    assert got == expected
