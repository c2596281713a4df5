"""Every pattern of the grammar that reads the structure, names and issuers
of real documents, tested on its own: strings it must match and strings it
must not. Folded patterns see folded text (``fold``), as the tagger gives
them; the few that need capitals see the original."""

from __future__ import annotations

import re

import pytest

from docsearch.refs import grammar as g
from docsearch.refs.grammar import fold

# (pattern, how it is applied, text, matches)
CASES: list[tuple[str, str, str, bool]] = [
    ("NAME_STOP", "search", " Đầu tư công ngày 13 tháng 6", True),
    ("NAME_STOP", "search", " Tổ chức chính quyền địa phương", False),
    ("NAME_STOP", "search", " sửa đổi, bổ sung một số điều", False),  # "một số" is no number mark
    ("PARTY_NAMED", "search", "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng", True),
    ("PARTY_NAMED", "search", "Nghị quyết Trung ương 4 khóa XII", True),
    ("PARTY_NAMED", "search", "Nghị quyết số 57-NQ/TW", False),
    ("EN_NAMED", "search", "the Law on Prices of 2012", True),
    ("EN_NAMED", "search", "the Party Charter", True),
    ("EN_NAMED", "search", "the law was passed", False),
    ("GROUND", "match", "Căn cứ Luật Đầu tư công", True),
    ("GROUND", "match", "Xét đề nghị của Sở Nội vụ", True),
    ("GROUND", "match", "Xét thấy cần thiết", False),
    ("IMPLEMENTING_OPENER", "match", "Thực hiện Chỉ thị số 35-CT/TW", True),
    ("IMPLEMENTING_OPENER", "match", "Thực tế cho thấy", False),
    ("GROUND_WORD", "search", "- Căn cứ Điều lệ Đảng;", True),
    ("GROUND_WORD", "search", "căn chỉnh", False),
    ("ENACTING_HEADING", "raw", "năm 2003;\nQUYẾT ĐỊNH:\nĐiều 1.", True),
    ("ENACTING_HEADING", "raw", "Hồ Chí Minh, QUYẾT ĐỊNH Điều 1. Ban hành", True),
    ("ENACTING_HEADING", "raw", "QUYẾT ĐỊNH VỀ VIỆC THU PHÍ", False),
    ("FIRST_ARTICLE", "raw", "Điều 1. Phạm vi điều chỉnh", True),
    ("FIRST_ARTICLE", "raw", "Artikel 1. Änderung", True),
    ("FIRST_ARTICLE", "raw", "khoản 4 Điều 12", False),
    ("ISSUING_WORDS", "search", "Bộ trưởng Bộ Tài chính ban hành Thông tư", True),
    ("ISSUING_WORDS", "search", "Các cơ quan phối hợp", False),
    ("CONTENT_OF", "search", "quan điểm, mục tiêu nêu trong ", True),
    ("CONTENT_OF", "search", "chuẩn mực đạo đức theo ", False),
    ("SIDE_BY_SIDE", "match", ", ", True),
    ("SIDE_BY_SIDE", "match", " và các ", True),
    ("SIDE_BY_SIDE", "match", " về tiếp tục ", False),
    ("DESCRIPTION", "match", " về triển khai ", True),
    ("DESCRIPTION", "match", ", được sửa đổi, bổ sung tại ", True),
    ("DESCRIPTION", "match", " của nhiệm kỳ trước cần được rà soát ", False),
    ("FINITE_VERB", "search", "über Parteitage hatte der Ausschuss", True),
    ("FINITE_VERB", "search", "ban hành Kế hoạch thực hiện", False),
    ("PASSIVE_BEFORE", "search", "được ", True),
    ("PASSIVE_BEFORE", "search", "đã ", False),
    ("PASSIVE_BY", "match", " tại ", True),
    ("PASSIVE_BY", "match", "; Nghị định ", False),
    ("DRAFT_DOCUMENT", "search", "về dự thảo Nghị quyết bãi bỏ", True),
    ("DRAFT_DOCUMENT", "search", "dự thảo Nghị quyết số 12/NQ-HĐND", False),
    ("SELF_NAMED", "search", "Kế hoạch này thay thế", True),
    ("SELF_NAMED", "search", "This Plan replaces", True),
    ("SELF_NAMED", "search", "Khẩn trương sửa đổi", False),
    ("NEW_DOCUMENT", "search", "Der neue Beschluss hebt", True),
    ("NEW_DOCUMENT", "search", "Quyết định mới bãi bỏ", True),
    ("NEW_DOCUMENT", "search", "Quyết định này bãi bỏ", False),
    ("ON_DAY", "match", "Ngày 23/8/2017, Tỉnh ủy", True),
    ("ON_DAY", "match", "On 9 January 2025, the Government", True),
    ("ON_DAY", "match", "Ngay sau khi", False),
    ("DAY_MONTH", "match", "1/12, Thủ tướng", True),
    ("DAY_MONTH", "match", "1/12/2025", False),  # a full date is found by the date patterns
    ("ISSUING_VERB", "search", "Tỉnh ủy đã ban hành ", True),
    ("ISSUING_VERB", "search", "Tỉnh ủy đã chỉ đạo ", False),
    ("SUBJECT_TAIL", "fullmatch", " (khóa XV) ", True),
    ("SUBJECT_TAIL", "fullmatch", " các huyện ", False),
    ("BODY_START_WORD", "search", "Căn cứ Luật", True),
    ("BODY_START_WORD", "search", "Điều 12. Hiệu lực", False),
    ("GROUNDS_INLINE", "raw", "MINH- Căn cứ Điều lệ", True),
    ("GROUNDS_INLINE", "raw", "là căn cứ quan trọng", False),
    ("AUTHORITY_LINE", "match", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", True),
    ("AUTHORITY_LINE", "match", "BỘ TRƯỞNG BỘ TƯ PHÁP", True),
    ("AUTHORITY_LINE", "match", "VỀ VIỆC THU PHÍ THAM QUAN", False),
    ("OCCASION_LINE", "match", "HỘI NGHỊ LẦN THỨ SÁU BAN CHẤP HÀNH TRUNG ƯƠNG", True),
    ("OCCASION_LINE", "match", "VỀ PHÁT TRIỂN KHOA HỌC", False),
    ("OFFICE_HOLDER", "match", "Bộ trưởng Bộ Y tế", True),
    ("OFFICE_HOLDER", "match", "Bộ Y tế", False),
    ("PLACE_UNIT", "match", " tỉnh Nghệ An", True),
    ("PLACE_UNIT", "match", " Nghệ An", False),
    ("CONGRESS_AHEAD", "search", "tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", True),
    ("CONGRESS_AHEAD", "search", "tại Đại hội đại biểu toàn quốc lần thứ XIII", False),
]


@pytest.mark.parametrize("name,how,text,matches", CASES, ids=[f"{c[0]}:{c[2][:30]}" for c in CASES])
def test_pattern(name: str, how: str, text: str, matches: bool) -> None:
    pattern: re.Pattern[str] = getattr(g, name)
    if how == "raw":
        found = pattern.search(text)
    else:
        found = getattr(pattern, how)(fold(text))
    assert (found is not None) == matches


def test_named_types_and_issuer_heads_are_tables_of_patterns() -> None:
    for table in (g.NAMED_TYPES, g.ISSUER_HEADS):
        for row in table:
            re.compile(row[0])
