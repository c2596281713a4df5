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
