"""``docsearch check``: citation findings on drafts in Vietnamese and English.

Every draft in ``tests/data/drafts`` is checked against a store built from the
shipped corpus and the seed documents, as a user would build it. The findings
are compared exactly (code, line, column), with the expected place computed
from the draft file itself, independently of the extraction.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from docsearch.check import (
    CODES,
    CheckConfig,
    ConfigError,
    DraftUnreadable,
    Facts,
    UnknownCodeError,
    check_file,
    check_text,
    find_config,
    summary,
)
from docsearch.check.malformed import MALFORMED_PARTY
from docsearch.ingestion import ingest
from docsearch.refs import read_registry_file
from docsearch.refs.grammar import fold
from docsearch.store import Store

from conftest import DATA, ROOT, seeds_dir

DRAFTS = DATA / "drafts"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    """Facts from an index of the corpus and the seeds (built once for this module)."""
    index = tmp_path_factory.mktemp("check") / "index"
    with Store.open(index) as store:
        result = ingest([ROOT / "corpus", seeds_dir()], store, jobs=1)
        assert result.ok, result.failed
        return Facts.from_store(store)


def place(path: Path, anchor: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``anchor`` in the file."""
    text = path.read_text("utf-8")
    pos = -1
    for _ in range(nth):
        pos = text.index(anchor, pos + 1)
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


# (code, anchor, occurrence): where each finding of each draft must point.
EXPECTED: dict[str, list[tuple[str, str, int]]] = {
    "vi-clean.txt": [],
    "en-clean.txt": [],
    "vi-ds101-unknown.txt": [("DS101", "Kế hoạch số 112-KH/TU", 1)],
    "en-ds101-unknown.txt": [("DS101", "Plan No. 112-KH/TU", 1)],
    "vi-ds102-date.txt": [("DS102", "19/5/2024", 1), ("DS102", "19/5/2024", 2)],
    "en-ds102-date.txt": [("DS102", "May 19, 2024", 1), ("DS102", "May 19, 2024", 2)],
    "vi-ds103-issuer.txt": [("DS103", "Nghị quyết số 57-NQ/TW", 1)],
    "en-ds103-issuer.txt": [("DS103", "Resolution No. 57-NQ/TW", 1)],
    "vi-ds104-term.txt": [("DS104", "Nghị quyết số 18-NQ/TW", 1)],
    "en-ds104-term.txt": [("DS104", "Resolution No. 18-NQ/TW", 1)],
    "vi-ds105-type.txt": [("DS105", "Nghị quyết số 144-QĐ/TW", 1)],
    "en-ds105-type.txt": [("DS105", "Resolution No. 144-QD/TW", 1)],
    "vi-ds106-ambiguous.txt": [("DS106", "Nghị quyết số 18-NQ/TW", 1), ("DS402", "Nghị quyết số 18-NQ/TW", 1)],
    "en-ds106-ambiguous.txt": [("DS106", "Resolution No. 18-NQ/TW", 1), ("DS402", "Resolution No. 18-NQ/TW", 1)],
    "vi-ds201-dates.txt": [("DS101", "Kế hoạch số 75-KH/HU", 1), ("DS201", "Kế hoạch số 75-KH/HU", 2)],
    "en-ds201-dates.txt": [("DS101", "Plan No. 75-KH/HU", 1), ("DS201", "Plan No. 75-KH/HU", 2)],
    "vi-ds202-issuers.txt": [("DS101", "Kế hoạch số 75-KH/TU", 1), ("DS202", "Kế hoạch số 75-KH/TU", 2)],
    "en-ds202-issuers.txt": [("DS101", "Plan No. 75-KH/TU", 1), ("DS202", "Plan No. 75-KH/TU", 2)],
    "vi-ds203-after.txt": [("DS203", "Nghị quyết số 66-NQ/TW", 1)],
    "en-ds203-after.txt": [("DS203", "Resolution No. 66-NQ/TW", 1)],
    "vi-ds301-replaced.txt": [("DS301", "Chỉ thị số 35-CT/TW", 1)],
    "en-ds301-replaced.txt": [("DS301", "Directive No. 35-CT/TW", 1)],
    "vi-ds302-repealed.txt": [("DS101", "Quyết định số 1375-QĐ/TU", 1), ("DS302", "Quyết định số 1375-QĐ/TU", 1)],
    "en-ds302-repealed.txt": [("DS101", "Decision No. 1375-QD/TU", 1), ("DS302", "Decision No. 1375-QD/TU", 1)],
    "vi-ds401-short.txt": [("DS401", "Nghị quyết 57", 1)],
    "en-ds401-short.txt": [("DS401", "Resolution 57", 1)],
    "vi-ds402-undated.txt": [("DS402", "Nghị quyết số 57-NQ/TW", 1)],
    "en-ds402-undated.txt": [("DS402", "Resolution No. 57-NQ/TW", 1)],
    "vi-ds501-malformed.txt": [("DS501", "57/NQ-TW", 1), ("DS501", "57-NQTW", 1)],
    "en-ds501-malformed.txt": [("DS501", "57/NQ-TW", 1), ("DS501", "57-NQ/ TW", 1)],
    "vi-ds502-spelling.txt": [("DS502", "144-QĐ/TƯ", 1)],
    "en-ds502-spelling.txt": [("DS502", "144-Qd/TW", 1)],
}


def test_every_draft_file_has_expectations() -> None:
    on_disk = {p.name for p in DRAFTS.glob("*.txt")}
    assert on_disk == set(EXPECTED)


def test_every_code_is_triggered_in_both_languages() -> None:
    for lang in ("vi", "en"):
        triggered = {code for name, found in EXPECTED.items() if name.startswith(lang) for code, _, _ in found}
        assert triggered == set(CODES), f"{lang}: no draft for {sorted(set(CODES) - triggered)}"
    assert EXPECTED["vi-clean.txt"] == [] and EXPECTED["en-clean.txt"] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_draft_findings_and_places(name: str, facts: Facts) -> None:
    path = DRAFTS / name
    report = check_file(path, facts, use_config=False)
    assert report.lang == name[:2]
    got = sorted((d.code, d.line, d.column) for d in report.diagnostics)
    want = sorted((code, *place(path, anchor, nth)) for code, anchor, nth in EXPECTED[name])
    assert got == want
    assert report.has_errors == any(CODES[c].severity == "error" for c, _, _ in EXPECTED[name])


def _only(name: str, code: str, facts: Facts) -> list:
    report = check_file(DRAFTS / name, facts, use_config=False)
    return [d for d in report.diagnostics if d.code == code]


def test_wrong_date_names_the_right_one_in_the_drafts_style(facts: Facts) -> None:
    vi = _only("vi-ds102-date.txt", "DS102", facts)[0]
    assert vi.severity == "error"
    assert vi.message == "Quy định số 144-QĐ/TW is dated 09/05/2024, not 19/05/2024"
    assert vi.suggestion == "09/05/2024"
    en = _only("en-ds102-date.txt", "DS102", facts)[0]
    assert en.suggestion == "May 9, 2024"
    assert en.doc_id == "144-QĐ/TW"


def test_issuer_term_type_and_ambiguity_messages(facts: Facts) -> None:
    issuer = _only("vi-ds103-issuer.txt", "DS103", facts)[0]
    assert "Politburo, not the Secretariat" in issuer.message
    assert issuer.suggestion == "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"
    term = _only("en-ds104-term.txt", "DS104", facts)[0]
    assert "not of term XI" in term.message and "term XII" in term.message
    kind = _only("vi-ds105-type.txt", "DS105", facts)[0]
    assert kind.suggestion == "Quyết định số 144-QĐ/TW or Quy định số 144-QĐ/TW"
    ambiguous = _only("en-ds106-ambiguous.txt", "DS106", facts)[0]
    assert ambiguous.severity == "warning"
    assert "25/10/2017" in ambiguous.message and "16/06/2022" in ambiguous.message
    assert "dated June 16, 2022" in (ambiguous.suggestion or "")


def test_inconsistencies_point_back_at_the_first_mention(facts: Facts) -> None:
    dates = _only("vi-ds201-dates.txt", "DS201", facts)[0]
    assert dates.message == "75-KH/HU is dated 04/12/2023 at line 9 but 14/12/2023 here"
    issuers = _only("en-ds202-issuers.txt", "DS202", facts)[0]
    assert "Provincial Party Committee at line 8" in issuers.message
    after = _only("vi-ds203-after.txt", "DS203", facts)[0]
    assert "30/04/2025, after this draft's date 10/03/2025" in after.message


def test_replaced_and_repealed_name_the_replacement(facts: Facts) -> None:
    replaced = _only("en-ds301-replaced.txt", "DS301", facts)[0]
    assert "replaced by 45-CT/TW of 14/04/2025" in replaced.message
    assert "ct-45-tw-2025.txt" in replaced.message
    assert replaced.suggestion == "Directive No. 45-CT/TW dated April 14, 2025 of the Politburo"
    repealed = _only("vi-ds302-repealed.txt", "DS302", facts)[0]
    assert "repealed by 1820-QĐ/TU" in repealed.message


def test_malformed_numbers_get_the_canonical_form(facts: Facts) -> None:
    found = _only("vi-ds501-malformed.txt", "DS501", facts)
    assert [d.suggestion for d in found] == ["57-NQ/TW", "57-NQ/TW"]
    assert "number-TYPE/ISSUER" in found[0].message
    spelled = _only("vi-ds502-spelling.txt", "DS502", facts)[0]
    assert spelled.suggestion == "144-QĐ/TW" and "TƯ" in spelled.message


def test_replacement_from_the_registry(tmp_path: Path) -> None:
    """Without any stored text, the registry's replaced_by is enough."""
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "number,type,issuer,date,title,status,replaced_by\n"
        "35-CT/TW,CT,Bộ Chính trị,2024-06-14,Đại hội đảng bộ các cấp,replaced,45-CT/TW\n"
        "45-CT/TW,CT,Bộ Chính trị,2025-04-14,Đại hội đảng bộ các cấp,in_force,\n",
        "utf-8",
    )
    with Store.open(tmp_path / "index") as store:
        store.import_registry(read_registry_file(registry))
        facts = Facts.from_store(store)
    report = check_file(DRAFTS / "vi-ds301-replaced.txt", facts, use_config=False)
    assert [(d.code, d.message) for d in report.diagnostics] == [
        ("DS301", "Chỉ thị số 35-CT/TW has been replaced by 45-CT/TW of 14/04/2025 (according to registry)")
    ]
    # The same draft dated before the replacement is not warned about.
    older = (DRAFTS / "vi-ds301-replaced.txt").read_text("utf-8").replace("ngày 05 tháng 5 năm 2025",
                                                                              "ngày 05 tháng 3 năm 2025")
    assert [d.code for d in check_text(older, facts).diagnostics] == []


def test_draft_that_states_the_replacement_is_not_warned(facts: Facts) -> None:
    text = (
        "ĐẢNG BỘ TỈNH LẠNG SƠN\nTỈNH ỦY\nSố 260-KH/TU\nLạng Sơn, ngày 20 tháng 5 năm 2025\n\n"
        "KẾ HOẠCH\ntổ chức đại hội đảng bộ các cấp\n\n"
        "Chỉ thị số 45-CT/TW ngày 14/4/2025 của Bộ Chính trị đã thay thế Chỉ thị số 35-CT/TW ngày 14/6/2024 "
        "của Bộ Chính trị; các cấp ủy điều chỉnh kế hoạch đại hội cho phù hợp.\n"
    )
    assert [d.code for d in check_text(text, facts).diagnostics] == []


def test_party_number_of_another_term_is_unknown_not_misdated(facts: Facts) -> None:
    """19-NQ/TW of 31/10/2012 (land, 11th term) is not the 2017 or 2022 one."""
    text = ("Luật Đất đai năm 2013 thể chế hóa Nghị quyết số 19-NQ/TW ngày 31/10/2012 của Hội nghị "
            "lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XI.")
    found = check_text(text, facts).diagnostics
    assert [d.code for d in found] == ["DS101"]
    assert "2017, 2022 only" in found[0].message


def test_local_document_of_another_province_is_not_judged(facts: Facts) -> None:
    """The index holds 46-CTr/TU of Quảng Ninh; a Lạng Sơn draft's 46-CTr/TU is another one."""
    base = ("ĐẢNG BỘ TỈNH {p}\nTỈNH ỦY\nSố 270-BC/TU\n{p2}, ngày 20 tháng 5 năm 2025\n\nBÁO CÁO\nkết quả\n\n"
            "Thực hiện Chương trình hành động số 46-CTr/TU ngày 10/3/2025 của Ban Thường vụ Tỉnh ủy, ...\n")
    lang_son = check_text(base.format(p="LẠNG SƠN", p2="Lạng Sơn"), facts).diagnostics
    assert [d.code for d in lang_son] == ["DS101"]
    quang_ninh = check_text(base.format(p="QUẢNG NINH", p2="Quảng Ninh"), facts).diagnostics
    assert [d.code for d in quang_ninh] == ["DS102"]
    assert quang_ninh[0].suggestion == "05/02/2025"


def test_national_assembly_numbers_carry_no_type() -> None:
    text = "Thực hiện Nghị quyết số 198/2025/QH15 ngày 17/5/2025 của Quốc hội về một số cơ chế đặc biệt."
    assert "DS105" not in [d.code for d in check_text(text).diagnostics]


def test_unread_malformed_patterns_come_from_the_grammar() -> None:
    for written, wanted in (("57-NQTW", "57-NQ/TW"), ("57-NQ-TW", "57-NQ/TW"), ("46/CTr/TU", "46-CTr/TU"),
                            ("144-QĐ.TW", "144-QĐ/TW")):
        found = [d for d in check_text(f"Thực hiện văn bản số {written} của cấp trên.").diagnostics
                 if d.code == "DS501"]
        assert [d.suggestion for d in found] == [wanted], written
    # Lower-case words and plain numbers are not numbers.
    assert MALFORMED_PARTY.search(fold("có 57 nq tw")) is not None
    assert [d.code for d in check_text("Có 57 nq tw và 12 ct tu tham dự.").diagnostics] == []
    state = [d for d in check_text("Quyết định số 1131-QĐ/TTg của Thủ tướng Chính phủ.").diagnostics
             if d.code == "DS501"]
    assert [d.suggestion for d in state] == ["1131/QĐ-TTg"]


# --- where findings point: TXT, DOCX, PDF, HTML -----------------------------------------

def test_txt_positions_follow_the_file_not_the_cleaned_text(tmp_path: Path, facts: Facts) -> None:
    """Blank-line runs, indentation, CRLF and doubled spaces are cleaned away by
    extraction; the finding still points at the file's own line and column."""
    raw = ("\r\n\r\n\r\nĐẢNG BỘ TỈNH LẠNG SƠN\r\n   TỈNH ỦY\r\nSố 41-KH/TU\r\n"
           "Lạng Sơn, ngày 05 tháng 7 năm 2024\r\n\r\n\r\n\r\n"
           "\tThực hiện  Quy định số 144-QĐ/TW ngày 19/5/2024 của Bộ Chính trị.\r\n")
    path = tmp_path / "draft.txt"
    path.write_bytes(raw.encode("utf-8"))
    found = [d for d in check_file(path, facts, use_config=False).diagnostics if d.code == "DS102"]
    assert [(d.line, d.column) for d in found] == [(11, raw.split("\r\n")[10].index("19/5/2024") + 1)]


def test_docx_line_is_the_paragraph(tmp_path: Path, facts: Facts) -> None:
    docx = pytest.importorskip("docx")
    source = (DRAFTS / "vi-ds102-date.txt").read_text("utf-8").splitlines()
    document = docx.Document()
    paragraphs: list[str] = []
    for line in source:
        document.add_paragraph(line)  # blank lines become empty paragraphs, which are not counted
        if line.strip():
            paragraphs.append(line)
    path = tmp_path / "draft.docx"
    document.save(str(path))
    report = check_file(path, facts, use_config=False)
    assert report.format == "docx"
    found = [(d.code, d.line, d.column) for d in report.diagnostics]
    want = [("DS102", i + 1, p.index("19/5/2024") + 1) for i, p in enumerate(paragraphs) if "19/5/2024" in p]
    assert len(want) == 2 and found == want


def test_pdf_line_counts_within_the_page(tmp_path: Path, facts: Facts) -> None:
    fpdf = pytest.importorskip("fpdf")
    pages = [
        ["PARTY COMMITTEE OF PROVINCIAL PARTY AGENCIES", "No. 41-KH/DU", "Lang Son, July 5, 2024", "",
         "PLAN", "on studying Regulation No. 144-QD/TW dated May 19, 2024 of the Politburo"],
        ["1. Every Party cell shall organise the study of the Regulation.",
         "2. To implement Regulation No. 144-QD/TW dated May 19, 2024 of the Politburo,",
         "each cadre shall draw up a plan of self-improvement."],
    ]
    pdf = fpdf.FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "draft.pdf"
    pdf.output(str(path))
    report = check_file(path, facts, use_config=False)
    found = [(d.code, d.page, d.line, d.column) for d in report.diagnostics]
    want = []
    for page_no, lines in enumerate(pages, start=1):
        kept = [line for line in lines if line]  # blank lines are not counted
        for i, line in enumerate(kept):
            if "May 19, 2024" in line:
                want.append(("DS102", page_no, i + 1, line.index("May 19, 2024") + 1))
    assert found == want
    line = report.lines("en")[1]
    assert re.match(r".*draft\.pdf:2:\d+: error DS102 .* \(page 2, line 2\) \[suggestion: May 9, 2024\]$", line)


def test_html_line_is_the_extracted_line(tmp_path: Path, facts: Facts) -> None:
    html = ("<html><head><title>Kế hoạch</title></head><body><article>"
            "<h1>Kế hoạch học tập Quy định 144</h1>"
            "<p>Ban Thường vụ Đảng ủy Khối ban hành kế hoạch ngày 05/7/2024.</p>"
            "<p>Thực hiện Quy định số 144-QĐ/TW ngày 19/5/2024 của Bộ Chính trị về chuẩn mực đạo đức.</p>"
            "</article></body></html>")
    path = tmp_path / "draft.html"
    path.write_text(html, "utf-8")
    report = check_file(path, facts, use_config=False)
    from docsearch.extract import extract_file

    lines = extract_file(path)[1].text.split("\n")
    want = [(i + 1, line.index("19/5/2024") + 1) for i, line in enumerate(lines) if "19/5/2024" in line]
    assert [(d.line, d.column) for d in report.diagnostics if d.code == "DS102"] == want


# --- configuration, output, errors --------------------------------------------------------

def test_config_files_silence_codes(tmp_path: Path, facts: Facts) -> None:
    project = tmp_path / "project"
    drafts = project / "drafts" / "2025"
    drafts.mkdir(parents=True)
    draft = drafts / "draft.txt"
    draft.write_text((DRAFTS / "vi-ds106-ambiguous.txt").read_text("utf-8"), "utf-8")
    assert [d.code for d in check_file(draft, facts).diagnostics] == ["DS106", "DS402"]
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.docsearch.check]\nignore = ["DS4"]\n')
    assert [d.code for d in check_file(draft, facts).diagnostics] == ["DS106"]
    assert find_config(draft).source == project / "pyproject.toml"
    # A nearer docsearch.toml wins; --ignore adds to it.
    (drafts.parent / "docsearch.toml").write_text('[check]\nignore = ["DS106"]\n')
    assert [d.code for d in check_file(draft, facts).diagnostics] == ["DS402"]
    assert [d.code for d in check_file(draft, facts, ignore=["ds402"]).diagnostics] == []
    # A pyproject.toml without the table is passed over.
    (drafts / "pyproject.toml").write_text('[project]\nname = "y"\n')
    assert find_config(draft).source == drafts.parent / "docsearch.toml"


def test_bad_config_and_codes_are_reported_clearly(tmp_path: Path) -> None:
    (tmp_path / "docsearch.toml").write_text('[check]\nignore = ["DS999"]\n')
    with pytest.raises(ConfigError, match=r"docsearch.toml.*unknown code 'DS999'"):
        find_config(tmp_path / "draft.txt")
    (tmp_path / "docsearch.toml").write_text('[check]\nignore = "DS101"\n')
    with pytest.raises(ConfigError, match="must be a list"):
        find_config(tmp_path / "draft.txt")
    (tmp_path / "docsearch.toml").write_text('[check\n')
    with pytest.raises(ConfigError, match="invalid TOML"):
        find_config(tmp_path / "draft.txt")
    with pytest.raises(UnknownCodeError, match="unknown code 'DS7'"):
        CheckConfig().merged(["DS7"])


def test_unreadable_drafts_raise_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DraftUnreadable, match="missing.txt: cannot read"):
        check_file(tmp_path / "missing.txt", use_config=False)
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(DraftUnreadable, match="empty.docx: empty file"):
        check_file(empty, use_config=False)


def test_findings_are_said_in_vietnamese_and_stay_english_in_json(facts: Facts) -> None:
    report = check_file(DRAFTS / "vi-ds102-date.txt", facts, use_config=False)
    assert re.fullmatch(r".+vi-ds102-date\.txt:9:61: error DS102 Quy định số 144-QĐ/TW ban hành ngày 09/05/2024, "
                        r"không phải ngày 19/05/2024 \[gợi ý: 09/05/2024\]", report.lines()[0])
    assert report.diagnostics[0].message == "Quy định số 144-QĐ/TW is dated 09/05/2024, not 19/05/2024"
    # Every finding of every example draft reads in Vietnamese: no message,
    # reason or part of one is left in English, and the English is as before.
    seen = set()
    for draft in sorted(DRAFTS.glob("*.txt")):
        for d in check_file(draft, facts, use_config=False).diagnostics:
            seen.add(d.code)
            assert d.text("en") == d.message
            vietnamese = d.text("vi")
            assert vietnamese != d.message, (draft.name, d.message)
            english_words = {"is", "the", "not", "of", "by", "has", "been", "dated", "number", "cited", "index"}
            assert not english_words & set(re.findall(r"[a-z]+", vietnamese.replace(d.message, ""))), vietnamese
    assert seen >= set(CODES)


def test_every_finding_message_has_a_vietnamese_translation() -> None:
    import ast

    from docsearch.i18n import messages

    said: set[str] = {"registry", "built-in list"}  # the origins of a replacement, put in as they are named
    for path in (ROOT / "src" / "docsearch" / "check").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "phrase":
                first = node.args[0]
                options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                said |= {o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)}
            if isinstance(node, ast.Dict):  # {"replaced": "{doc} has been replaced…", …}
                said |= {v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                         and "{doc}" in v.value}
    assert len(said) > 30
    assert sorted(said - set(messages())) == []


def test_text_and_json_shapes(facts: Facts) -> None:
    report = check_file(DRAFTS / "vi-ds102-date.txt", facts, use_config=False)
    first = report.lines("en")[0]
    assert re.fullmatch(r".+vi-ds102-date\.txt:9:61: error DS102 Quy định số 144-QĐ/TW is dated 09/05/2024, "
                        r"not 19/05/2024 \[suggestion: 09/05/2024\]", first)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["file"].endswith("vi-ds102-date.txt")
    assert data["diagnostics"][0] == {
        "line": 9, "column": 61, "page": None, "severity": "error", "code": "DS102",
        "message": "Quy định số 144-QĐ/TW is dated 09/05/2024, not 19/05/2024", "suggestion": "09/05/2024",
        "id": "144-QĐ/TW",
    }
    clean = check_file(DRAFTS / "en-clean.txt", facts, use_config=False)
    assert summary([report, clean], "en") == "2 errors, 0 warnings, 0 infos in 2 files"
    assert summary([report, clean]) == "2 lỗi, 0 cảnh báo, 0 lưu ý trong 2 tệp"


def test_builtin_facts_without_a_store() -> None:
    """With no index, the built-in list still catches the facts it holds."""
    report = check_file(DRAFTS / "en-ds102-date.txt", use_config=False)
    assert [d.code for d in report.diagnostics] == ["DS102", "DS102"]


def test_docs_examples_are_real_output(facts: Facts) -> None:
    doc = (ROOT / "docs" / "check.md").read_text("utf-8")
    examples = [line for line in doc.splitlines() if re.match(r"(vi|en)-ds\d+-[a-z]+\.txt:\d+:\d+: ", line)]
    assert len(examples) >= len(CODES)
    for example in examples:
        name = example.split(":", 1)[0]
        report = check_file(DRAFTS / name, facts, use_config=False)
        assert example in [line.replace(f"{DRAFTS}/", "") for line in report.lines("en")]


def test_docs_list_every_code_with_an_example() -> None:
    doc = (ROOT / "docs" / "check.md").read_text("utf-8")
    for code, info in CODES.items():
        assert f"| {code} | {info.severity} |" in doc
        section = doc.split(f"### {code} ", 1)
        assert len(section) == 2, f"no section for {code}"
        assert f" {code} " in section[1].split("### ", 1)[0].split("```", 2)[1], f"no example for {code}"


# --- the seed documents -------------------------------------------------------------------

# Every warning on the seeds, read and judged true: the numbers are not in the
# index or the registry (DS101), the German article names Resolution 18 without
# saying which (DS106), and Directive 35 and Conclusion 118 have been replaced by
# Directive 45 (DS301; the article, of March 2025, carries no date of its own).
SEED_WARNINGS = Counter({
    ("000", "DS101", "09-NQ/TU"): 1,
    ("001", "DS101", "1324-QĐ/TU"): 1,
    ("002", "DS101", "09-KL/BCĐ"): 1,
    ("002", "DS101", "03-ĐA/TU"): 1,
    ("003", "DS101", "04-QĐ/TU"): 1,
    ("004", "DS301", "35-CT/TW"): 1,
    ("004", "DS301", "118-KL/TW"): 1,
    ("004", "DS106", "18-NQ/TW"): 1,
    ("004", "DS101", "127-KL/TW"): 1,
    ("004", "DS101", "123-KL/TW"): 1,
})


def test_seeds_have_no_errors_and_only_the_reviewed_warnings(facts: Facts) -> None:
    warnings: Counter[tuple[str, str, str | None]] = Counter()
    for path in sorted(seeds_dir().glob("*.txt")):
        report = check_file(path, facts, use_config=False)
        errors = [line for d, line in zip(report.diagnostics, report.lines("en"), strict=True) if d.severity == "error"]
        assert errors == [], errors
        for d in report.diagnostics:
            if d.severity == "warning":
                warnings[(path.name[:3], d.code, d.doc_id)] += 1
    assert warnings == SEED_WARNINGS


# --- where the tagger reads a draft wrongly -----------------------------------------------

LIST_BODY = """ĐẢNG BỘ TỈNH QUẢNG NINH
TỈNH ỦY
Số 512-BC/TU
Quảng Ninh, ngày 15 tháng 6 năm 2025

BÁO CÁO
kết quả thực hiện Chương trình hành động số 46-CTr/TU ngày 05/02/2025 của Ban Thường vụ Tỉnh ủy

Ủy ban nhân dân tỉnh ban hành Kế hoạch số 45/KH-UBND ngày 25/02/2025 triển khai Chương trình hành động số 46-CTr/TU và Nghị quyết số 03/NQ-CP của Chính phủ.
"""

DATE_IN_NEXT_CLAUSE = """CAO BANG PROVINCIAL PARTY COMMITTEE
No. 401-BC/TU
Cao Bang, May 5, 2025

REPORT
on implementing Action Program No. 27-CTr/TU dated February 20, 2025 of the Provincial Party Committee

Implementing Action Program 27-CTr/TU, on March 10, 2025, the Trung Khanh District Party Committee issued its own plan on smart tourism.
"""

PROVINCIAL_PEOPLES_COMMITTEE = """CAO LOC DISTRICT PARTY COMMITTEE
No. 109-KH/HU
Cao Loc, January 6, 2025

PLAN
on border-gate economic development tasks in 2025

Pursuant to Plan No. 75-KH/TU dated December 4, 2023 of the Provincial Party Committee on border-gate economic development, the Standing Committee issues this plan.
The District People's Committee shall assess the results of Plan No. 75-KH/TU dated December 4, 2023 of the Provincial People's Committee.
"""

SEMICOLON_LIST = """ĐẢNG BỘ TỈNH LẠNG SƠN
TỈNH ỦY
Số 250-KH/TU
Lạng Sơn, ngày 20 tháng 5 năm 2025

KẾ HOẠCH
sắp xếp tổ chức bộ máy năm 2025

Căn cứ Nghị quyết số 18-NQ/TW; Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị,
Ban Thường vụ Tỉnh ủy ban hành Kế hoạch như sau.
"""


def test_issuer_of_the_next_list_member_is_not_borrowed(facts: Facts) -> None:
    assert "DS202" not in [d.code for d in check_text(LIST_BODY, facts).diagnostics]


def test_date_of_the_next_clause_is_not_the_documents(facts: Facts) -> None:
    assert [d.severity for d in check_text(DATE_IN_NEXT_CLAUSE, facts).diagnostics] == []


def test_provincial_peoples_committee_is_an_issuer(facts: Facts) -> None:
    assert "DS202" in [d.code for d in check_text(PROVINCIAL_PEOPLES_COMMITTEE, facts).diagnostics]


def test_issuer_is_not_carried_across_a_semicolon(facts: Facts) -> None:
    assert "DS103" not in [d.code for d in check_text(SEMICOLON_LIST, facts).diagnostics]
