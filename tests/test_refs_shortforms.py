"""Short forms resolved by what the text says around them (a local Party
committee, a year, the Party centre before a term), names the text gives a
number, and grounds numbered under a bare "Căn cứ:"."""

from __future__ import annotations

import pytest

from docsearch.models import Reference
from docsearch.refs.find import _SITTING, _SITTING_AFTER, _YEAR_BESIDE
from docsearch.refs.issuers import Issuer
from docsearch.refs.tagger import _party_committee_code, tag


def refs(text: str) -> list[Reference]:
    return list(tag(text).references)


def one(text: str, surface: str) -> Reference:
    found = [r for r in refs(text) if r.text == surface]
    assert len(found) == 1, [r.text for r in refs(text)]
    return found[0]


@pytest.mark.parametrize(("name", "kind", "code"), [
    ("Ban Thường vụ Tỉnh ủy", "provincial_party_committee", "TU"),
    ("Thành ủy", "provincial_party_committee", "TU"),
    ("Ban Chấp hành Đảng bộ tỉnh", "provincial_party_committee", "TU"),
    ("Huyện ủy", "district_party_committee", "HU"),
    ("Ban Thường vụ Quận ủy", "district_party_committee", "QU"),
    ("Thị ủy", "district_party_committee", None),
    ("Ủy ban nhân dân tỉnh", "peoples_committee", None),
])
def test_committee_codes(name: str, kind: str, code: str | None) -> None:
    assert _party_committee_code(Issuer(kind, name)) == code


@pytest.mark.parametrize(("sentence", "surface", "doc_id"), [
    ("Các chi bộ thực hiện Chỉ thị số 12 của Ban Thường vụ Tỉnh ủy về công tác dân vận.", "Chỉ thị số 12", "12-CT/TU"),
    ("Huyện triển khai Nghị quyết số 05 của Ban Chấp hành Đảng bộ tỉnh về du lịch.", "Nghị quyết số 05", "05-NQ/TU"),
    ("Đảng ủy xã quán triệt Nghị quyết số 03 của Huyện ủy về nông thôn mới.", "Nghị quyết số 03", "03-NQ/HU"),
    ("Các cấp ủy học tập Nghị quyết số 05 của Bộ Chính trị.", "Nghị quyết số 05", "05-NQ/TW"),
])
def test_local_party_numbering(sentence: str, surface: str, doc_id: str) -> None:
    assert one(sentence, surface).id == doc_id


def test_a_committee_opening_the_next_line_is_not_the_issuer_of_a_headline_short_form() -> None:
    # A news headline has no full stop; the committee that opens the first
    # sentence under it is that sentence's subject.
    headline = "Kế hoạch của Huyện ủy Tiên Yên về triển khai Chỉ thị số 21\n"
    r = one(headline + "Ban Thường vụ Huyện ủy vừa họp bàn kế hoạch này.", "Chỉ thị số 21")
    assert r.issuer_code != "HU" and r.issuer_name is None
    # "của" on the line before still names the issuer across the break.
    r = one("Các chi bộ thực hiện Chỉ thị số 21 của\nBan Thường vụ Huyện ủy về công tác dân vận.", "Chỉ thị số 21")
    assert r.id == "21-CT/HU"


def test_a_peoples_committee_short_form_stays_unresolved() -> None:
    r = one("Thực hiện Quyết định số 12 của Ủy ban nhân dân tỉnh về giá đất.", "Quyết định số 12")
    assert r.id is None and r.status == "unresolved"


@pytest.mark.parametrize(("phrase", "year"), [("nam 2017", 2017), ("nam 2022,", 2022)])
def test_year_beside(phrase: str, year: int) -> None:
    m = _YEAR_BESIDE.match(phrase)
    assert m is not None and int(m["y"]) == year


@pytest.mark.parametrize("phrase", ["nam 2017/2018", "nam 20", "nam nay"])
def test_no_year_beside(phrase: str) -> None:
    assert _YEAR_BESIDE.match(phrase) is None


def test_a_year_beside_tells_namesakes_apart() -> None:
    r = one("Sở Nội vụ tham mưu sơ kết Nghị quyết 18 năm 2017 về tinh gọn bộ máy.", "Nghị quyết 18")
    assert (r.id, r.year, r.status) == ("18-NQ/TW", 2017, "resolved")


def test_a_year_of_events_does_not_unsettle_a_number() -> None:
    # 57-NQ/TW is one document: "năm 2025" is when things were done.
    r = one("Kết quả thực hiện Nghị quyết 57 năm 2025 của tỉnh.", "Nghị quyết 57")
    assert (r.id, r.status) == ("57-NQ/TW", "resolved")


def test_the_party_centre_before_a_term() -> None:
    r = one("Tổng kết 5 năm thực hiện Nghị quyết 19 của Trung ương khóa XIII về nông nghiệp.", "Nghị quyết 19")
    assert (r.id, r.year, r.status, r.issuer) == ("19-NQ/TW", 2022, "resolved", None)


def test_a_bare_namesake_stays_ambiguous() -> None:
    r = one("Các đơn vị tiếp tục thực hiện Nghị quyết 18 về tinh gọn bộ máy.", "Nghị quyết 18")
    assert r.status == "ambiguous"


LAW = ("Ngày 18 tháng 01 năm 2024, tại kỳ họp bất thường lần thứ 5, Quốc hội khóa XV đã thông qua "
       "Luật Đất đai (Luật số 31/2024/QH15). Luật Đất đai có hiệu lực từ ngày 01/8/2024. Để đưa Luật Đất đai "
       "vào cuộc sống, tỉnh ban hành kế hoạch.\nKẾ HOẠCH TRIỂN KHAI THI HÀNH LUẬT ĐẤT ĐAI\n"
       "Tuyên truyền Luật Đất đai đến người dân.")


def test_a_numbered_name_is_found_where_running_text_gives_it_no_end() -> None:
    got = [(r.text, r.id) for r in refs(LAW)]
    assert got == [("Luật Đất đai", "31/2024/QH15"), ("Luật số 31/2024/QH15", "31/2024/QH15"),
                   ("Luật Đất đai", "31/2024/QH15"), ("Luật Đất đai", "31/2024/QH15"),
                   ("LUẬT ĐẤT ĐAI", "31/2024/QH15"), ("Luật Đất đai", "31/2024/QH15")]
    assert all(r.short_form for r in refs(LAW) if r.text != "Luật số 31/2024/QH15")


def test_the_issuing_sentence_dates_the_name_and_its_number() -> None:
    first, number = refs(LAW)[:2]
    assert first.date is not None and first.date.isoformat() == "2024-01-18"
    assert number.date == first.date and number.issuer == "national_assembly"


def test_a_name_in_capitals_needs_a_number() -> None:
    assert refs("KẾ HOẠCH TRIỂN KHAI THI HÀNH LUẬT ĐẤT ĐAI\nTuyên truyền pháp luật.") == []


@pytest.mark.parametrize("phrase", ["tai ky hop thu 8, ", "tai phien hop ngay 28/2, "])
def test_sitting_before_the_body(phrase: str) -> None:
    assert _SITTING.fullmatch(phrase)


@pytest.mark.parametrize("phrase", [" khoa xv, ky hop thu 8 ", ", tai ky hop thu bay, "])
def test_sitting_after_the_body(phrase: str) -> None:
    assert _SITTING_AFTER.fullmatch(phrase)


NUMBERED_GROUNDS = """ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN
Số: 1520/QĐ-UBND
Bắc Kạn, ngày 05 tháng 8 năm 2024
QUYẾT ĐỊNH
Về việc ban hành Kế hoạch thực hiện Quyết định số 1234/QĐ-TTg ngày 10/10/2023 của Thủ tướng Chính phủ
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
Căn cứ:
1. Luật Tổ chức chính quyền địa phương ngày 19/6/2015;
2. Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;
b) Quyết định số 1234/QĐ-TTg ngày 10/10/2023 của Thủ tướng Chính phủ;
Theo đề nghị của Sở Kế hoạch và Đầu tư tại Tờ trình số 210/TTr-SKHĐT ngày 01/8/2024,
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện.
"""


def test_grounds_numbered_under_a_bare_opening() -> None:
    rel = {(r.target, r.type) for r in tag(NUMBERED_GROUNDS).relations if r.source == "1520/QĐ-UBND"}
    assert {("30/2020/NĐ-CP", "based_on"), ("1234/QĐ-TTg", "based_on"),
            ("210/TTr-SKHĐT", "based_on"), ("1234/QĐ-TTg", "implements")} <= rel


PLAN = """ỦY BAN NHÂN DÂN
TỈNH THANH HÓA
Số: 145/KH-UBND
Thanh Hóa, ngày 15 tháng 6 năm 2023
KẾ HOẠCH
Phòng, chống bệnh Lở mồm long móng giai đoạn 2023 - 2025
I. CĂN CỨ PHÁP LÝ
- Luật Thú y số 79/2015/QH13 ngày 19/6/2015;
- Nghị định số 35/2016/NĐ-CP ngày 15/5/2016 của Chính phủ quy định chi tiết một số điều của Luật Thú y;
- Quyết định số 1632/QĐ-TTg ngày 22/10/2020 của Thủ tướng Chính phủ.
II. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Chủ động phòng, chống dịch bệnh theo Quyết định số 972/QĐ-BNN-TY ngày 10/3/2021.
"""


def test_a_numbered_section_of_grounds() -> None:
    rel = {(r.target, r.type) for r in tag(PLAN).relations if r.source == "145/KH-UBND"}
    assert {("79/2015/QH13", "based_on"), ("35/2016/NĐ-CP", "based_on"), ("1632/QĐ-TTg", "based_on")} <= rel
    assert ("972/QĐ-BNN-TY", "based_on") not in rel


def test_an_alias_names_its_citation_among_namesakes() -> None:
    text = ("Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương khóa XII đã được tổng kết. "
            "Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương khóa XIII (gọi tắt là Nghị quyết 18) "
            "yêu cầu hoàn thiện thể chế về đất đai.")
    alias = refs(text)[-1]
    assert (alias.text, alias.year, alias.status) == ("Nghị quyết 18", 2022, "resolved")


CIRCULAR = """MINISTRY OF FINANCE
-------
SOCIALIST REPUBLIC OF VIETNAM
Independence - Freedom - Happiness
---------------
No. 45/2019/TT-BTC
Hanoi, July 19, 2019
CIRCULAR
AMENDMENTS TO CIRCULAR NO. 326/2016/TT-BTC
Pursuant to the Law on State Budget dated June 25, 2015;
Pursuant to the Government's Decree No. 163/2016/ND-CP dated December 21, 2016 elaborating the Law on State Budget;
Pursuant to the Government's Decree No. 87/2017/ND-CP dated July 26, 2017 defining the functions, tasks, powers \
and organizational structure of the Ministry of Finance;
At the request of the Director of the State Budget Department;
The Minister of Finance promulgates a Circular providing amendments to Circular No. 326/2016/TT-BTC.
Article 1. Amendments
"""


def test_an_english_preamble() -> None:
    rel = {(r.source, r.target, r.type) for r in tag(CIRCULAR).relations if r.type != "cites"}
    own = "45/2019/TT-BTC"
    assert rel == {(own, "163/2016/NĐ-CP", "based_on"), (own, "87/2017/NĐ-CP", "based_on"),
                   (own, "326/2016/TT-BTC", "amends")}


def test_title_words_in_capitals_are_no_issuer_code() -> None:
    r = tag("CIRCULAR\nGUIDELINES FOR DECREE NO. 20/2017/ND-CP ON TAX ADMINISTRATION").references[0]
    assert (r.text, r.id) == ("DECREE NO. 20/2017/ND-CP", "20/2017/NĐ-CP")
    assert tag("theo Quyết định số 282/QĐ TTg ngày 1/3/2012").references[0].id == "282/QĐ-TTg"


@pytest.mark.parametrize(("text", "found"), [
    ("Nghị quyết số 21-NQ/TW (NQ21) về tổ chức cơ sở đảng.", [("Nghị quyết số 21-NQ/TW", "21-NQ/TW"), ("NQ21", "21-NQ/TW")]),
    ("Triển khai NQ57 tại các xã.", [("NQ57", "57-NQ/TW")]),
    ("Xe chạy trên tuyến CT01 và QL1.", []),
    ("nq57 viết thường.", []),
])
def test_a_resolution_code_glued_to_its_number(text: str, found: list[tuple[str, str]]) -> None:
    assert [(r.text, r.id) for r in refs(text)] == found
