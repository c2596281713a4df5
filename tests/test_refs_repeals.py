"""Repeals, replacements and amendments stated in a document's final articles
and in news about it: tables and lists of repealed documents, passive verbs
with their agent, and the document whose coming into force ends another."""

from __future__ import annotations

import pytest

from docsearch.refs.relate import _CHAINED_POST_CUE, _FROM_DAY, _TABLE_CELL, _TABLE_ROW, _TAKES_EFFECT
from docsearch.refs.tagger import tag

HEADER = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 15/2021/QĐ-UBND
Lâm Đồng, ngày 10 tháng 3 năm 2021

QUYẾT ĐỊNH
Ban hành Quy chế quản lý cụm công nghiệp

ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG

Căn cứ Nghị định số 68/2017/NĐ-CP ngày 25 tháng 5 năm 2017 của Chính phủ về quản lý, phát triển cụm công nghiệp;
Theo đề nghị của Giám đốc Sở Công Thương.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý cụm công nghiệp.
"""
OWN = "15/2021/QĐ-UBND"
A, B = "23/2012/QĐ-UBND", "41/2014/QĐ-UBND"


def relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.source, r.target, r.type) for r in tag(text).relations if r.type != "cites"}


@pytest.mark.parametrize("line", ["1 | Quyết định số 23/2012/QĐ-UBND | ", "2\tQuyết định số 41/2014\tHết hiệu lực", "3", " 12. "])
def test_table_rows(line: str) -> None:
    assert _TABLE_ROW.match(line)


@pytest.mark.parametrize("line", ["Điều 3. Hiệu lực thi hành", "Chương II"])
def test_a_new_article_is_no_table_cell(line: str) -> None:
    assert not _TABLE_CELL.match(line)


def test_chained_passive_verbs_and_the_day_of_coming_into_force() -> None:
    assert _CHAINED_POST_CUE.match(", thay the boi").group("cue") == "thay the"
    assert _CHAINED_POST_CUE.match(" and replaced by").group("cue") == "replaced"
    assert _FROM_DAY.match(" ke tu ngay ")
    assert _FROM_DAY.match(" from the date ")
    assert _TAKES_EFFECT.match(" co hieu luc thi hanh")
    assert not _TAKES_EFFECT.match(" ve quy che. Quyet dinh co hieu luc")


@pytest.mark.parametrize("table", [
    # one cell per line, the header row first
    "STT\nVăn bản\nNăm ban hành\n1\nQuyết định số 23/2012/QĐ-UBND\n2012\n2\nQuyết định số 41/2014/QĐ-UBND\n2014\n",
    # cells split by "|"
    "STT | Tên văn bản | Ghi chú\n1 | Quyết định số 23/2012/QĐ-UBND của UBND tỉnh | \n2 | Quyết định số 41/2014/QĐ-UBND | \n",
    # cells split by tabs
    "STT\tTên văn bản\tLý do\n1\tQuyết định số 23/2012/QĐ-UBND\tKhông còn phù hợp\n2\tQuyết định số 41/2014/QĐ-UBND\tKhông còn phù hợp\n",
])
def test_a_table_under_a_repealing_article(table: str) -> None:
    text = HEADER + "Điều 2. Bãi bỏ các văn bản do Ủy ban nhân dân tỉnh ban hành theo danh mục sau:\n" + table
    assert {(OWN, A, "repeals"), (OWN, B, "repeals")} <= relations(text)


def test_a_table_needs_its_opening_line() -> None:
    text = HEADER + "Điều 2. Giao Sở Công Thương chủ trì.\nSTT | Văn bản\n1 | Quyết định số 23/2012/QĐ-UBND\n"
    assert (OWN, A, "repeals") not in relations(text)


def test_the_cue_in_an_items_description_stays_there() -> None:
    text = HEADER + ("Điều 2. Quyết định này có hiệu lực kể từ ngày 20 tháng 3 năm 2021 và bãi bỏ: Quyết định số "
                     "23/2012/QĐ-UBND ngày 05 tháng 6 năm 2012 ban hành Quy chế phối hợp thực hiện công tác dân số; "
                     "Quyết định số 41/2014/QĐ-UBND ngày 12 tháng 9 năm 2014 quy định mức chi.\n")
    found = relations(text)
    assert {(OWN, A, "repeals"), (OWN, B, "repeals")} <= found
    assert (OWN, B, "implements") not in found


@pytest.mark.parametrize("text, expected", [
    ("Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012 của UBND tỉnh đã bị bãi bỏ bởi Quyết định số 15/2021/QĐ-UBND.\n",
     {(OWN, A, "repeals")}),
    ("Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012 bị bãi bỏ, thay thế bởi Quyết định số 15/2021/QĐ-UBND ngày 10/3/2021.\n",
     {(OWN, A, "repeals"), (OWN, A, "replaces")}),
    ("Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012 hết hiệu lực kể từ ngày Quyết định số 15/2021/QĐ-UBND có hiệu lực.\n",
     {(OWN, A, "repeals")}),
    ("Decision No. 23/2012/QD-UBND was replaced by Decision No. 15/2021/QD-UBND, which took effect in March.\n",
     {(OWN, A, "replaces")}),
])
def test_the_agent_of_a_passive_is_not_turned_round(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert relations(text) == expected


def test_expiry_from_the_day_the_text_itself_takes_effect() -> None:
    text = HEADER + ("Điều 2. Quyết định này có hiệu lực kể từ ngày 20 tháng 3 năm 2021. Quyết định số 23/2012/QĐ-UBND "
                     "ngày 05 tháng 6 năm 2012 hết hiệu lực kể từ ngày Quyết định này có hiệu lực thi hành.\n")
    assert (OWN, A, "repeals") in relations(text)


NEW = "19/2023/QĐ-UBND"


@pytest.mark.parametrize("second", [
    "Theo đó, bãi bỏ Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012 của UBND tỉnh.",
    "Quyết định có hiệu lực từ ngày 04/5/2023 và bãi bỏ Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012.",
    "Quyết định này bãi bỏ Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012 của UBND tỉnh.",
])
def test_news_a_change_stated_of_the_document_just_issued(second: str) -> None:
    text = f"Ngày 24/4/2023, UBND tỉnh ban hành Quyết định số {NEW} về quản lý cụm công nghiệp. {second}\n"
    assert relations(text) == {(NEW, A, "repeals")}


def test_news_a_requested_change_is_a_task() -> None:
    text = (f"Ngày 24/4/2023, UBND tỉnh ban hành Quyết định số {NEW} về quản lý cụm công nghiệp. Theo đó, UBND tỉnh "
            "yêu cầu Sở Tư pháp rà soát, bãi bỏ Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012.\n")
    assert relations(text) == set()


@pytest.mark.parametrize("text, source", [
    (HEADER + "Điều 2. Bãi bỏ và thay thế các văn bản sau:\n1. Quyết định số 23/2012/QĐ-UBND ngày 05 tháng 6 năm 2012;\n"
     "2. Quyết định số 41/2014/QĐ-UBND ngày 12 tháng 9 năm 2014.\n", OWN),
    (f"Quyết định số {NEW} ngày 24/4/2023 của UBND tỉnh bãi bỏ và thay thế Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012.\n", NEW),
])
def test_repealed_and_replaced_both_stated(text: str, source: str) -> None:
    found = relations(text)
    assert {(source, A, "repeals"), (source, A, "replaces")} <= found


def test_a_table_under_a_heading_in_capitals() -> None:
    text = HEADER + ("Điều 2. Bãi bỏ các văn bản có tên trong Danh mục kèm theo Quyết định này.\n\n"
                     "DANH MỤC\nVĂN BẢN QUY PHẠM PHÁP LUẬT BỊ BÃI BỎ\n"
                     "(Kèm theo Quyết định số 15/2021/QĐ-UBND ngày 10 tháng 3 năm 2021 của Ủy ban nhân dân tỉnh)\n"
                     "STT | Tên loại văn bản | Số, ký hiệu | Trích yếu\n"
                     "1 | Quyết định | 23/2012/QĐ-UBND | Ban hành Quy chế quản lý cụm công nghiệp\n"
                     "2 | Quyết định | 41/2014/QĐ-UBND | Sửa đổi Quy chế quản lý cụm công nghiệp\n")
    assert {(OWN, A, "repeals"), (OWN, B, "repeals")} <= relations(text)


def test_labelled_items_on_one_line_continue_the_list() -> None:
    text = HEADER + ("Điều 2. Các Quyết định sau đây hết hiệu lực kể từ ngày Quyết định này có hiệu lực thi hành: "
                     "a) Quyết định số 23/2012/QĐ-UBND ngày 05 tháng 6 năm 2012; b) Quyết định số 41/2014/QĐ-UBND "
                     "ngày 12 tháng 9 năm 2014.\n")
    assert {(OWN, A, "repeals"), (OWN, B, "repeals")} <= relations(text)


PARTY = """TỈNH ỦY HÀ GIANG
Số 12-CT/TU
Hà Giang, ngày 05 tháng 4 năm 2022

CHỈ THỊ
của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận

Thực hiện Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy thực hiện tốt những nội dung sau:
1. Tăng cường công tác dân vận.
"""


def test_a_document_names_itself_by_its_type_in_its_final_words() -> None:
    text = PARTY + "Chỉ thị có hiệu lực từ ngày ký, thay thế Chỉ thị số 05-CT/TU ngày 20/3/2016 của Ban Thường vụ Tỉnh ủy.\n"
    assert ("12-CT/TU", "05-CT/TU", "replaces") in relations(text)


def test_another_documents_type_is_not_the_texts_own() -> None:
    text = PARTY + "Kế hoạch của Ủy ban nhân dân tỉnh thay thế Kế hoạch số 05-KH/UBND.\n"
    assert not {t for t in relations(text) if t[1] == "05-KH/UBND"}


def test_a_table_of_tasks_carries_nothing_out() -> None:
    text = HEADER + ("Điều 2. Các sở, ngành tổ chức thực hiện các nhiệm vụ như sau:\n"
                     "STT | Nhiệm vụ | Văn bản\n1 | Tuyên truyền | Quyết định số 23/2012/QĐ-UBND\n")
    assert (OWN, A, "implements") not in relations(text)


# --- news: the document just reported, lists, passives --------------------------------

D_NEW, D1, D2, D3, D4 = "08/2025/NĐ-CP", "71/2018/NĐ-CP", "79/2014/NĐ-CP", "83/2017/NĐ-CP", "136/2020/NĐ-CP"


@pytest.mark.parametrize("opener", ["Đồng thời, Nghị định cũng", "Ngoài ra, Nghị định còn", "Nghị định này cũng",
                                    "Bên cạnh đó, văn bản"])
@pytest.mark.parametrize("items", ["Nghị định số 79/2014/NĐ-CP; Nghị định số 83/2017/NĐ-CP; Nghị định 136/2020/NĐ-CP",
                                   "Nghị định số 79/2014/NĐ-CP, Nghị định số 83/2017/NĐ-CP và Nghị định 136/2020/NĐ-CP"])
def test_news_a_type_word_refers_to_the_document_that_acted_before(opener: str, items: str) -> None:
    text = (f"Nghị định {D_NEW} bãi bỏ Nghị định số {D1} ngày 15/5/2018 của Chính phủ về điều kiện kinh doanh. "
            f"{opener} bãi bỏ một số điều của các nghị định: {items}.\n")
    assert relations(text) == {(D_NEW, t, "repeals") for t in (D1, D2, D3, D4)}


def test_news_a_type_word_of_another_type_names_no_source() -> None:
    text = (f"Nghị định {D_NEW} bãi bỏ Nghị định số {D1}. Đồng thời, Thông tư cũng bãi bỏ một số điều của "
            f"Nghị định số {D2}.\n")
    assert relations(text) == {(D_NEW, D1, "repeals")}


@pytest.mark.parametrize("text, source, kind", [
    ("Các Nghị định số 79/2014/NĐ-CP, 83/2017/NĐ-CP bị bãi bỏ bởi Nghị định 08/2025/NĐ-CP.", D_NEW, "repeals"),
    ("Nghị định số 79/2014/NĐ-CP và Nghị định số 83/2017/NĐ-CP được thay thế bằng Nghị định số 08/2025/NĐ-CP.",
     D_NEW, "replaces"),
    ("Nghị định số 79/2014/NĐ-CP, Nghị định số 83/2017/NĐ-CP được sửa đổi, bổ sung bởi Nghị định 08/2025/NĐ-CP.",
     D_NEW, "amends"),
])
def test_news_every_member_of_a_list_before_a_passive_takes_its_agent(text: str, source: str, kind: str) -> None:
    assert relations(text + "\n") == {(source, D2, kind), (source, D3, kind)}


def test_news_the_part_of_a_document_a_change_names() -> None:
    text = ("Bộ Tài chính ban hành Thông tư số 25/2018/TT-BTC ngày 16/3/2018. Theo đó, bãi bỏ các quy định tại "
            "Điều 4 Thông tư số 111/2013/TT-BTC ngày 15/8/2013 và bãi bỏ cụm từ \"hộ gia đình\" tại khoản 1 Điều 2 "
            "Thông tư số 92/2015/TT-BTC.\n")
    assert relations(text) == {("25/2018/TT-BTC", "111/2013/TT-BTC", "repeals"),
                               ("25/2018/TT-BTC", "92/2015/TT-BTC", "repeals")}


def test_news_a_neutral_mention_of_a_provision_stays_a_citation() -> None:
    text = ("Bộ Tài chính ban hành Thông tư số 25/2018/TT-BTC ngày 16/3/2018. Theo đó, bãi bỏ thủ tục nộp hồ sơ giấy "
            "và thực hiện theo quy định tại Điều 4 Thông tư số 111/2013/TT-BTC.\n")
    assert ("25/2018/TT-BTC", "111/2013/TT-BTC", "repeals") not in relations(text)


LISTED = ("Ngày 2/12/2025, Thủ tướng Chính phủ ban hành Quyết định số 50/2025/QĐ-TTg bãi bỏ toàn bộ 3 văn bản gồm:\n\n"
          "1. Quyết định số 10/2001/QĐ-TTg ngày 5/2/2001 của Thủ tướng Chính phủ về chiến lược cấp nước.\n\n"
          "2. Quyết định số 20/2003/QĐ-TTg ngày 6/3/2003 của Thủ tướng Chính phủ.\n\n"
          "Quyết định cũng bãi bỏ một phần các văn bản sau:\n"
          "- Điều 3 Quyết định số 40/2010/QĐ-TTg ngày 1/6/2010;\n"
          "a) khoản 2 Điều 5 Quyết định số 41/2011/QĐ-TTg.\n")


def test_news_items_on_lines_under_a_change_that_opens_the_list() -> None:
    assert relations(LISTED) == {("50/2025/QĐ-TTg", t, "repeals")
                                 for t in ("10/2001/QĐ-TTg", "20/2003/QĐ-TTg", "40/2010/QĐ-TTg", "41/2011/QĐ-TTg")}


def test_news_plain_paragraphs_are_items_only_as_many_as_the_list_counts() -> None:
    text = ("Cụ thể, Nghị định số 90/2025/NĐ-CP bãi bỏ toàn bộ 2 nghị định gồm: Nghị định số 11/2005/NĐ-CP ngày "
            "2/2/2005 của Chính phủ về xử lý kỷ luật.\n\nNghị định số 12/2006/NĐ-CP ngày 3/3/2006 của Chính phủ.\n\n"
            "Nghị định số 13/2010/NĐ-CP ngày 4/4/2010 của Chính phủ vẫn còn hiệu lực.\n")
    found = relations(text)
    assert {("90/2025/NĐ-CP", "11/2005/NĐ-CP", "repeals"), ("90/2025/NĐ-CP", "12/2006/NĐ-CP", "repeals")} <= found
    assert ("90/2025/NĐ-CP", "13/2010/NĐ-CP", "repeals") not in found


def test_news_a_paragraph_after_a_list_is_no_item() -> None:
    text = ("Quyết định số 50/2025/QĐ-TTg bãi bỏ các văn bản sau:\n- Quyết định số 10/2001/QĐ-TTg;\n"
            "- Quyết định số 20/2003/QĐ-TTg.\n\nQuyết định số 30/2005/QĐ-TTg ngày 7/4/2005 vẫn được áp dụng.\n")
    found = relations(text)
    assert ("50/2025/QĐ-TTg", "20/2003/QĐ-TTg", "repeals") in found
    assert ("50/2025/QĐ-TTg", "30/2005/QĐ-TTg", "repeals") not in found


def test_news_a_list_under_an_amendment_with_labels() -> None:
    text = ("Hội đồng nhân dân tỉnh đã thông qua Nghị quyết số 21/2024/NQ-HĐND ngày 30/10/2024. Nghị quyết này sửa đổi, "
            "bổ sung một số điều của các nghị quyết sau:\na) Nghị quyết số 05/2020/NQ-HĐND;\nb) Nghị quyết số "
            "14/2021/NQ-HĐND.\n")
    assert relations(text) == {("21/2024/NQ-HĐND", "05/2020/NQ-HĐND", "amends"),
                               ("21/2024/NQ-HĐND", "14/2021/NQ-HĐND", "amends")}


def test_news_passed_through_is_not_issued() -> None:
    from docsearch.refs.grammar import ISSUE_VERB

    assert ISSUE_VERB.search("hdnd tinh thong qua nghi quyet so 21")
    assert not ISSUE_VERB.search("thong qua viec thuc hien nghi quyet so 21")


@pytest.mark.parametrize("text", [
    "NGHỊ ĐỊNH 08/2025/NĐ-CP BÃI BỎ NGHỊ ĐỊNH SỐ 71/2018/NĐ-CP\n",
    "Nghị định số 08/2025/NĐ-CP bãi bỏ\nNghị định số 71/2018/NĐ-CP ngày 15/5/2018 của Chính phủ.\n",
])
def test_news_headings_in_capitals_and_lines_split_by_a_pdf(text: str) -> None:
    assert relations(text) == {(D_NEW, D1, "repeals")}


def test_news_a_party_regulation_replacing_another() -> None:
    text = ("Ngày 2/7/2024, Ban Chấp hành Trung ương ban hành Quy định số 144-QĐ/TW về chuẩn mực đạo đức. Quy định này "
            "thay thế Quy định số 08-QĐi/TW ngày 25/10/2018 của Ban Chấp hành Trung ương.\n")
    assert relations(text) == {("144-QĐ/TW", "08-QĐi/TW", "replaces")}


def test_items_of_an_article_separated_by_blank_lines() -> None:
    text = HEADER + ("Điều 2. Bãi bỏ các văn bản sau:\n\n1. Quyết định số 23/2012/QĐ-UBND ngày 05 tháng 6 năm 2012;\n\n"
                     "2. Quyết định số 41/2014/QĐ-UBND ngày 12 tháng 9 năm 2014.\n\nĐiều 3. Quyết định này có hiệu lực "
                     "từ ngày ký.\n")
    assert {(OWN, A, "repeals"), (OWN, B, "repeals")} <= relations(text)


@pytest.mark.parametrize("second, expected", [
    ("Đồng thời, bãi bỏ Quyết định số 23/2012/QĐ-UBND ngày 05/6/2012.", {(NEW, A, "repeals")}),
    ("Ngoài ra, UBND tỉnh yêu cầu các sở rà soát, bãi bỏ Quyết định số 23/2012/QĐ-UBND.", set()),
])
def test_news_what_else_the_document_just_issued_does(second: str, expected: set[tuple[str, str, str]]) -> None:
    text = (f"Ngày 24/4/2023, UBND tỉnh ban hành Quyết định số {NEW} về quản lý cụm công nghiệp. Quyết định quy định "
            f"mức hỗ trợ đầu tư hạ tầng. {second}\n")
    assert relations(text) == expected
