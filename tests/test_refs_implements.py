"""A document reported as issued to carry out one named by its type word
alone ("… ban hành Kế hoạch số 312-KH/TU để đưa Nghị quyết vào cuộc sống"):
the type word points back to the last document of that type cited before, in
the same paragraph or the one before it."""

from __future__ import annotations

import pytest

from docsearch.refs.folding import fold
from docsearch.refs.relate import _BARE_OBJECT, _BARE_OBJECT_SCAN, _bare_objects, _paragraph_floor
from docsearch.refs.tagger import tag

MEETING = ("Sáng 12/3, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt và triển khai Nghị quyết số "
           "66-NQ/TW ngày 30/4/2025 của Bộ Chính trị. Phát biểu tại hội nghị, đồng chí Bí thư Tỉnh ủy "
           "nhấn mạnh yêu cầu đổi mới tư duy.")


def relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.source, r.target, r.type) for r in tag(text).relations if r.type != "cites"}


@pytest.mark.parametrize("phrase", [
    "de thuc hien nghi quyet.", "dua nghi quyet vao cuoc song", "trien khai chi thi nay",
    "thuc hien nghi quyet tren", "to implement the resolution", "zur umsetzung des beschlusses",
])
def test_implementing_verb_with_a_bare_type_word(phrase: str) -> None:
    assert list(_bare_objects(phrase, 0, len(phrase)))


@pytest.mark.parametrize("phrase", [
    "thuc hien nghi quyet so 66", "thuc hien nghi quyet 57", "to implement resolution no. 57",
    "dua nghi quyet len trang", "quan ly ke hoach von",
])
def test_a_numbered_object_or_another_verb_is_not_bare(phrase: str) -> None:
    assert not list(_bare_objects(phrase, 0, len(phrase)))


def test_paragraph_floor_reaches_the_paragraph_before() -> None:
    text = "one\n\ntwo\n\nthree four"
    assert _paragraph_floor(text, text.index("four")) == text.index("two")
    assert _paragraph_floor("only one", 5) == 0


@pytest.mark.parametrize("sentence", [
    "Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để đưa Nghị quyết vào cuộc sống.",
    "Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để thực hiện Nghị quyết.",
    "Để thực hiện Nghị quyết trên, Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU.",
])
def test_an_issued_plan_implements_the_resolution_named_before(sentence: str) -> None:
    assert ("312-KH/TU", "66-NQ/TW", "implements") in relations(MEETING + " " + sentence)


def test_a_resolution_in_the_paragraph_before_counts() -> None:
    text = MEETING + "\n\nTỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để thực hiện Nghị quyết."
    assert ("312-KH/TU", "66-NQ/TW", "implements") in relations(text)


def test_english_and_german() -> None:
    en = ("The Standing Board discussed Resolution No. 57-NQ/TW of the Politburo. The Provincial Party "
          "Committee then issued Plan No. 312-KH/TU to implement the Resolution.")
    de = ("Der Ausschuss beriet den Beschluss Nr. 57-NQ/TW des Politbüros. Danach erließ das "
          "Provinzparteikomitee den Plan Nr. 312-KH/TU zur Umsetzung des Beschlusses.")
    assert ("312-KH/TU", "57-NQ/TW", "implements") in relations(en)
    assert ("312-KH/TU", "57-NQ/TW", "implements") in relations(de)


def test_a_task_issues_nothing() -> None:
    text = MEETING + " Tỉnh ủy yêu cầu các cấp ủy xây dựng kế hoạch thực hiện Nghị quyết."
    assert not relations(text)


def test_no_source_no_relation() -> None:
    text = MEETING + " Các cấp ủy cần tập trung thực hiện Nghị quyết."
    assert not relations(text)


def test_a_resolution_two_paragraphs_back_is_another_topic() -> None:
    text = (MEETING + "\n\nThời tiết năm nay thuận lợi cho sản xuất.\n\nThị trường có dấu hiệu phục hồi.\n\n"
            "Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để thực hiện Nghị quyết.")
    assert not relations(text)


def test_another_type_is_not_the_one_meant() -> None:
    text = MEETING + " Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để thực hiện Chỉ thị."
    assert not relations(text)


@pytest.mark.parametrize("sentence", [
    "Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XX.",
    "Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để thực hiện Nghị quyết số 68-NQ/TW.",
])
def test_a_type_word_with_its_own_name_or_number_is_another_document(sentence: str) -> None:
    assert ("312-KH/TU", "66-NQ/TW", "implements") not in relations(MEETING + " " + sentence)


def test_tagged_news_text() -> None:
    """dev/vi_20: the plan issued "để đưa Nghị quyết vào cuộc sống" implements
    the resolution of the paragraph before; a task, a named congress resolution
    and a guideline four paragraphs later add nothing."""
    from docsearch.refs.evaluate import parse_annotated

    from conftest import DATA

    doc = parse_annotated((DATA / "tagged" / "dev" / "vi_20_news_nghean_dua_nghiquyet.txt").read_text("utf-8"))
    assert relations(doc.text) == {
        ("312-KH/TU", "66-NQ/TW", "implements"),
        ("58/KH-UBND", "123-KL/TW", "implements"),
        ("58/KH-UBND", "68-NQ/TW", "implements"),
    }


LIST = ("Ngày 25/3, Tỉnh ủy ban hành Kế hoạch số 330-KH/TU triển khai thực hiện các văn bản sau:\n"
        "- Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;\n"
        "- Kết luận số 123-KL/TW ngày 24/01/2025 của Ban Chấp hành Trung ương.\n")


def test_a_list_of_implemented_documents_across_lines() -> None:
    assert relations(LIST) == {("330-KH/TU", "57-NQ/TW", "implements"), ("330-KH/TU", "123-KL/TW", "implements")}


def test_a_list_after_a_task_has_no_source() -> None:
    text = LIST.replace("Tỉnh ủy ban hành Kế hoạch số 330-KH/TU triển khai", "Tỉnh ủy yêu cầu các cấp ủy triển khai")
    assert not relations(text)


def test_this_decision_is_the_one_issued() -> None:
    text = ("Năm 2020, tỉnh ban hành Quyết định số 12/2020/QĐ-UBND về quản lý chợ. Ngày 5/3/2025, Ủy ban nhân dân "
            "tỉnh ban hành Quyết định số 19/2025/QĐ-UBND, các sở có trách nhiệm thực hiện Quyết định này.")
    assert ("19/2025/QĐ-UBND", "12/2020/QĐ-UBND", "implements") not in relations(text)


@pytest.mark.parametrize("sentence", [
    # the plan issued is the plan meant
    "Ngày 20/3, Ủy ban nhân dân tỉnh ban hành Kế hoạch số 58/KH-UBND, các sở, ngành triển khai Kế hoạch đúng tiến độ.",
    # lower case: work, not a document
    "Ngày 20/3, Ủy ban nhân dân tỉnh ban hành Kế hoạch số 58/KH-UBND để thực hiện nghị quyết về xây dựng nông thôn mới.",
])
def test_the_document_issued_or_no_document(sentence: str) -> None:
    text = MEETING + " Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU về công tác pháp luật.\n\n" + sentence
    assert not {r for r in relations(text) if r[0] == "58/KH-UBND"}


def test_a_task_before_the_verb_when_the_document_comes_after() -> None:
    text = MEETING + " Để yêu cầu các cấp thực hiện Nghị quyết, Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU."
    assert not relations(text)


def test_the_scan_finds_what_the_pattern_finds() -> None:
    text = fold(MEETING + " Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU để đưa Nghị quyết vào cuộc sống, tiếp tục triển "
                "khai thực hiện có hiệu quả Chỉ thị này và thể chế hóa Nghị quyết trên; to carry out the Directive, "
                "zur Umsetzung des Beschlusses, durchführung der Richtlinie.")
    expected = [m.span() for m in _BARE_OBJECT.finditer(text)]
    assert len(expected) >= 5
    assert [m.span() for m in _BARE_OBJECT_SCAN.finditer(text)] == expected


@pytest.mark.parametrize("sentence", [
    "Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU về phát triển giáo dục để thực hiện Nghị quyết.",
    "Căn cứ tình hình thực tế và để thực hiện Nghị quyết, Tỉnh ủy đã ban hành Kế hoạch số 312-KH/TU.",
])
def test_words_that_fold_like_a_task_are_no_task(sentence: str) -> None:
    assert ("312-KH/TU", "66-NQ/TW", "implements") in relations(MEETING + " " + sentence)


def test_a_document_issued_later_is_not_what_another_acts_on() -> None:
    # The second conclusion is coordinated with the first (both are what the
    # committee asks to carry out), not with what the first reviews: it is
    # dated after it.
    text = ("Để thực hiện các nhiệm vụ nêu tại Kết luận số 30-KL/TW ngày 10/3/2024 của Bộ Chính trị về sơ kết "
            "Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư và Kết luận số 41-KL/TW ngày 20/8/2024 của Ban Bí "
            "thư, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy tập trung lãnh đạo.")
    found = relations(text)
    assert ("30-KL/TW", "12-CT/TW", "summarizes") in found
    assert not any(r[:2] == ("30-KL/TW", "41-KL/TW") for r in found), found
    # A day before the acting document's leaves the reading as it was.
    earlier = text.replace("20/8/2024", "20/8/2023")
    assert ("30-KL/TW", "41-KL/TW", "summarizes") in relations(earlier)


def test_a_ground_dated_after_the_decision_is_a_slip_and_stays_a_ground() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 215/QĐ-UBND\nBắc Ninh, ngày 01 tháng 7 năm 2024\n\nQUYẾT ĐỊNH\n"
            "Về việc phê duyệt đề cương\n\nCăn cứ Công văn số 77/SKHĐT-TH ngày 20 tháng 12 năm 2024 của Sở Kế hoạch "
            "và Đầu tư;\n\nQUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt đề cương kèm theo Quyết định này.\n")
    assert ("215/QĐ-UBND", "77/SKHĐT-TH", "based_on") in relations(text)


PLAN_HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 77/KH-UBND\nNinh Bình, ngày 10 tháng 5 năm 2023\n\n"
               "KẾ HOẠCH\nTriển khai các nghị quyết về du lịch\n\n")


def test_a_second_verb_after_and_stands_beside_the_first() -> None:
    text = PLAN_HEADER + ("Thực hiện Nghị quyết số 20/NQ-CP ngày 12/02/2023 của Chính phủ về phát triển du lịch và "
                          "triển khai Nghị quyết số 82/2023/QH15 của Quốc hội về giám sát chuyên đề, Ủy ban nhân dân "
                          "tỉnh ban hành Kế hoạch với các nội dung sau:\n")
    found = relations(text)
    assert {("77/KH-UBND", "20/NQ-CP", "implements"), ("77/KH-UBND", "82/2023/QH15", "implements")} <= found
    assert not any(r[:2] == ("20/NQ-CP", "82/2023/QH15") for r in found), found


def test_a_verb_inside_the_description_is_what_the_described_document_does() -> None:
    text = PLAN_HEADER + ("Thực hiện Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị về tiếp tục thực hiện "
                          "Nghị quyết số 18-NQ/TW ngày 25/10/2017, Ủy ban nhân dân tỉnh ban hành Kế hoạch sau:\n")
    found = relations(text)
    assert ("14-KL/TW", "18-NQ/TW", "implements") in found
    assert ("77/KH-UBND", "14-KL/TW", "implements") in found
