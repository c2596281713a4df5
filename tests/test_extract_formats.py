"""Tests of the HTML, PDF and DOCX extractors against the fixtures in
``tests/data/formats/`` (made by ``scripts/make_test_fixtures.py``)."""

from __future__ import annotations

import importlib.util
import io
import re
import struct
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"
if importlib.util.find_spec("docsearch") is None:  # not installed: run from the checkout
    sys.path.insert(0, str(ROOT / "src"))


def _load_fixture_script():
    script = ROOT / "scripts" / "make_test_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_test_fixtures", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _load_fixture_script()
PARAGRAPH = fx.PARAGRAPH

from docsearch.extract import ExtractionError, extract_bytes  # noqa: E402
from docsearch.extract.base import Extracted  # noqa: E402
from docsearch.extract.docx import extract_docx  # noqa: E402
from docsearch.extract.html import clean_page_title, decode_html, extract_html  # noqa: E402
from docsearch.extract.pdf import dehyphenate, extract_pdf, join_pages, remove_running_lines  # noqa: E402


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def flat(text: str) -> str:
    """Whitespace folded: PDF lines break where the page ends, not the sentence."""
    return " ".join(text.split())


def test_fixtures_are_reproducible() -> None:
    """The committed fixtures are exactly what the script generates."""
    for name, data in fx.build().items():
        assert (DATA / name).read_bytes() == data, f"{name} is stale: run scripts/make_test_fixtures.py"


def test_known_paragraph_is_well_formed() -> None:
    assert unicodedata.is_normalized("NFC", PARAGRAPH)
    for needed in ("ư", "ơ", "đ", "Đ", "Ủ", "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"):
        assert needed in PARAGRAPH
    decomposed = unicodedata.normalize("NFD", PARAGRAPH)
    for tone in ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323"):  # sắc huyền hỏi ngã nặng
        assert tone in decomposed
    assert 50 <= len(PARAGRAPH.split()) <= 80  # ~60 words (73 syllables)


# ====================================================================== PDF


@pytest.fixture(scope="module")
def report() -> Extracted:
    return extract_pdf(read("report.pdf"))


def test_pdf_paragraph_exact(report) -> None:
    assert flat(PARAGRAPH) in flat(report.text)
    assert unicodedata.is_normalized("NFC", report.text)
    assert tuple(map(str, report.warnings)) == ()


def test_pdf_pages_and_offsets(report) -> None:
    text = report.text
    assert len(report.page_starts) == 3
    assert report.page_starts[0] == 0
    for start in report.page_starts[1:]:
        assert text[start - 2 : start] == "\n\n"
    assert report.page_of(text.index("Thực hiện Nghị quyết")) == 1
    assert report.page_of(text.index(fx.PAGE_2_WORD)) == 2
    assert report.page_of(text.index(fx.PAGE_3_WORD)) == 3
    # pypdfium2 gives page 2's footer first; once it is removed, page 2
    # starts with its first body line.
    assert text[report.page_starts[1] :].startswith(f"Huyện {fx.PAGE_2_WORD}")
    assert text[report.page_starts[2] :].startswith(f"Thành phố {fx.PAGE_3_WORD}")


def test_pdf_running_header_footer_and_page_numbers_removed(report) -> None:
    assert fx.PDF_HEADER not in report.text
    assert fx.PDF_FOOTER not in report.text
    assert not re.search(r"Trang \d+/\d+", report.text)
    assert report.text.endswith("Báo cáo này thay cho báo cáo tháng trước.")


def test_pdf_hyphenation(report) -> None:
    assert "digital transformation of public services" in report.text
    assert "trans-" not in report.text
    # A real hyphen at a line end stays, and the reference is not broken.
    assert "Nghị quyết số 57-NQ/TW của Bộ Chính trị." in report.text
    # Vietnamese is never hyphenated: the hyphen of "kinh tế-xã hội" is real.
    assert "kinh tế-xã hội bền vững" in report.text


def test_pdf_title_from_metadata(report) -> None:
    assert report.title == fx.PDF_TITLE
    assert report.encoding is None


def test_pdf_decomposed_text_comes_back_composed() -> None:
    import pypdfium2 as pdfium

    data = read("report_nfd.pdf")
    pdf = pdfium.PdfDocument(data)
    try:
        raw = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert not unicodedata.is_normalized("NFC", raw)  # the fixture really is NFD

    result = extract_pdf(data)
    assert flat(PARAGRAPH) in flat(result.text)
    assert unicodedata.is_normalized("NFC", result.text)
    assert result.title is None  # "Microsoft Word - bao_cao_nfd.docx" is no title


def test_pdf_encrypted() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_pdf(read("encrypted.pdf"))
    assert err.value.reason == "encrypted PDF (password protected)"
    assert err.value.hint == "remove the password (e.g. print to PDF) and ingest again"


def test_pdf_with_owner_password_only_is_read() -> None:
    # Permissions-only protection (no password to open) is no obstacle.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(read("report.pdf"))))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    result = extract_pdf(out.getvalue())
    assert flat(PARAGRAPH) in flat(result.text)
    assert len(result.page_starts) == 3


def test_pdf_truncated() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_pdf(read("truncated.pdf"))
    assert err.value.reason == "damaged PDF: Data format error"
    assert err.value.hint == "re-download or re-export the file"


def test_pdf_image_only() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_pdf(read("scanned.pdf"))
    assert err.value.reason == "no text layer (scanned?)"
    assert err.value.hint == "run OCR on it first (e.g. ocrmypdf) and ingest the result"


def test_pdf_some_pages_without_text() -> None:
    result = extract_pdf(read("partly_scanned.pdf"))
    assert tuple(map(str, result.warnings)) == ("page 3 has no text layer",)
    assert len(result.page_starts) == 3
    assert flat(PARAGRAPH) in flat(result.text)
    assert result.page_of(result.text.index(fx.PAGE_2_WORD)) == 2


def _broken_page_tree(data: bytes) -> bytes:
    # The page tree's /Kids key renamed: the catalog no longer leads to any
    # page, though all page objects are intact.
    assert data.count(b"/Kids") == 1
    return data.replace(b"/Kids", b"/Kidz")


def test_pdf_pdfminer_recovers_what_pdfium_cannot() -> None:
    pytest.importorskip("pdfminer", reason="pdfminer.six (the PDF fallback) is not installed")
    import pypdfium2 as pdfium

    data = _broken_page_tree(read("report.pdf"))
    # What pdfium alone makes of it: no page with any text.
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(pdf)):
            try:
                texts.append(pdf[i].get_textpage().get_text_range())
            except pdfium.PdfiumError:
                texts.append("")
    finally:
        pdf.close()
    assert not "".join(texts).strip()

    result = extract_pdf(data)
    assert flat(PARAGRAPH) in flat(result.text)
    assert len(result.page_starts) == 3
    assert result.page_of(result.text.index(fx.PAGE_2_WORD)) == 2
    assert fx.PDF_HEADER not in result.text  # same cleaning as the main path
    assert str(result.warnings[0]).startswith("pdfium could not read the file (")
    assert str(result.warnings[0]).endswith("); text recovered with pdfminer.six")


def test_pdf_pdfminer_fallback_keeps_decomposed_vietnamese() -> None:
    pytest.importorskip("pdfminer", reason="pdfminer.six (the PDF fallback) is not installed")
    # pdfminer's layout analysis puts line breaks in front of combining marks;
    # the fallback must glue them back.
    result = extract_pdf(_broken_page_tree(read("report_nfd.pdf")))
    assert flat(PARAGRAPH) in flat(result.text)


def test_pdf_not_a_pdf_at_all() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_pdf(b"%PDF-1.4\n" + b"\x00" * 100)
    assert err.value.reason.startswith("damaged PDF: ")


def test_pdf_documents_are_closed(monkeypatch) -> None:
    import pypdfium2 as pdfium

    opened: list[object] = []
    closed: list[object] = []
    original_init = pdfium.PdfDocument.__init__
    original_close = pdfium.PdfDocument.close

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        opened.append(self)

    def close(self, *args, **kwargs):
        closed.append(self)
        return original_close(self, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfDocument, "__init__", init)
    monkeypatch.setattr(pdfium.PdfDocument, "close", close)
    extract_pdf(read("report.pdf"))
    with pytest.raises(ExtractionError):
        extract_pdf(read("scanned.pdf"))
    assert opened and [id(d) for d in opened] == [id(d) for d in closed]


@pytest.mark.parametrize(
    ("raw", "vietnamese", "expected"),
    [
        ("the trans-\nformation of", False, "the transformation of"),
        ("the trans-\n  formation of", False, "the transformation of"),
        ("Nghị quyết số 57-\nNQ/TW ngày", True, "Nghị quyết số 57-NQ/TW ngày"),
        ("giai đoạn 2021-\n2025", True, "giai đoạn 2021-2025"),
        ("kinh tế-\nxã hội", True, "kinh tế-xã hội"),
        ("văn hóa-\nthể thao", True, "văn hóa-thể thao"),
        ("tài-\nchính", True, "tài-chính"),  # Latin-1 letters in a Vietnamese text
        ("Straßen-\nbahn", False, "Straßenbahn"),
        ("English-\nSpeaking", False, "English-Speaking"),
        ("a list -\nnext line", False, "a list -\nnext line"),
        ("ends with a hyphen-\n", False, "ends with a hyphen-\n"),
        ("soft\u00ad\nhyphen", False, "softhyphen"),
        ("trans\ufffeformation", False, "transformation"),
        ("tế\ufffexã hội", True, "tế-xã hội"),
        ("57\ufffe\nNQ/TW", True, "57-NQ/TW"),
    ],
)
def test_dehyphenate(raw: str, vietnamese: bool, expected: str) -> None:
    assert dehyphenate(raw, vietnamese) == expected


def _pages(*pages: str) -> list[list[str]]:
    return [p.split("\n") for p in pages]


def test_running_lines_need_repetition() -> None:
    pages = _pages(
        "Công văn số 12\nNội dung một\nTrang 1",
        "Nội dung hai\nTrang 2",
        "Nội dung ba\nTrang 3",
    )
    cleaned = remove_running_lines(pages)
    assert cleaned == _pages("Công văn số 12\nNội dung một", "Nội dung hai", "Nội dung ba")


def test_running_lines_single_page_and_two_pages() -> None:
    one = _pages("Trang 1\nNội dung\nTrang 1")
    assert remove_running_lines(one) == one
    # Two pages: only a line on both goes.
    two = _pages("Tiêu đề\nNội dung một\n- 1 -", "Nội dung hai\n- 2 -")
    assert remove_running_lines(two) == _pages("Tiêu đề\nNội dung một", "Nội dung hai")


def test_running_lines_numbers_must_behave_like_page_numbers() -> None:
    # "Điều 4." and "Điều 9." opening pages are articles, not a header.
    pages = _pages("Điều 1. Phạm vi\nx", "Điều 4. Đối tượng\ny", "Điều 9. Hiệu lực\nz")
    assert remove_running_lines(pages) == pages


def test_running_lines_only_the_page_numbers_go() -> None:
    # Page numbers are plain numbers; a table row "15" at a page's bottom has
    # the same shape but does not count with the page. A line identical on
    # all pages goes; a variant of it does not.
    pages = _pages(
        "Công văn số 12\nMở đầu\n1",
        "Công văn số 12\nBảng\n15\n2",
        "Công văn số 20\nCông văn số 12\nKết thúc\n3",
    )
    assert remove_running_lines(pages) == _pages("Mở đầu", "Bảng\n15", "Công văn số 20\nKết thúc")


@given(st.lists(st.text(alphabet="ab\nđ \u0301", max_size=12), min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_join_pages_offsets(pages: list[str]) -> None:
    from docsearch.extract.clean import normalize_text

    texts = [normalize_text(p) for p in pages]
    text, starts = join_pages(texts)
    assert len(starts) == len(texts)
    assert starts == sorted(starts)
    for i, page in enumerate(texts):
        if page:
            assert text[starts[i] : starts[i] + len(page)] == page
    assert normalize_text(text) == text


@given(st.lists(st.lists(st.sampled_from(["Trang 1", "Trang 2", "A", "B", "Mục 3", "C d"]), max_size=6),
                min_size=1, max_size=5))
@settings(max_examples=200, deadline=None)
def test_running_lines_never_removes_a_line_from_one_page_only(pages: list[list[str]]) -> None:
    cleaned = remove_running_lines(pages)
    shape = lambda line: re.sub(r"\d+", "#", line)  # noqa: E731
    for i, (before, after) in enumerate(zip(pages, cleaned, strict=True)):
        for line in set(before) - set(after):
            elsewhere = [
                j for j, other in enumerate(pages)
                if j != i and any(shape(o) == shape(line) for o in other)
            ]
            assert elsewhere, f"{line!r} removed although only on page {i + 1}"


# ===================================================================== HTML


@pytest.fixture(scope="module")
def article() -> Extracted:
    return extract_html(read("article.html"))


def test_html_paragraph_exact(article) -> None:
    assert PARAGRAPH in article.text.split("\n")
    assert article.encoding == "utf-8"


def test_html_boilerplate_removed(article) -> None:
    for marker in fx.HTML_NOISE:
        assert marker not in article.text, marker
    for furniture in ("Báo Quảng Ninh", "Thời sự", "Thích", "Rất hay!", "Tìm kiếm", "không phải nội dung"):
        assert furniture not in article.text, furniture


def test_html_structure(article) -> None:
    lines = article.text.split("\n")
    assert lines[0] == fx.HTML_TITLE  # the article's h1 opens the text
    assert "STT | Chỉ tiêu | Kết quả\n1 | Hồ sơ trực tuyến | 91 %\n2 | Văn bản & tài liệu số | 100%" in article.text
    assert "Dòng thứ nhất\nDòng thứ hai\nDòng thứ ba" in article.text
    # Paragraphs are separated by a blank line.
    assert f"\n\n{PARAGRAPH}\n\n" in article.text


def test_html_title(article) -> None:
    assert article.title == fx.HTML_TITLE


def test_html_windows_1258() -> None:
    result = extract_html(read("windows1258.html"))
    assert result.encoding == "windows-1258"
    assert PARAGRAPH in result.text.split("\n")
    assert result.title == "Thông báo của Ủy ban nhân dân tỉnh"
    assert tuple(map(str, result.warnings)) == ()


def test_html_undeclared_legacy_encodings_are_guessed() -> None:
    body = f"<html><body><p>{PARAGRAPH}</p></body></html>"
    result = extract_html(fx.to_windows_1258(body))
    assert result.encoding == "windows-1258"
    assert PARAGRAPH in result.text.split("\n")
    assert tuple(map(str, result.warnings)) == ("no charset declared and not UTF-8; decoded as windows-1258",)

    french = "<p>Le café de la rue Molière, déjà très animé à Noël.</p>".encode("cp1252")
    result = extract_html(french)
    assert result.encoding == "windows-1252"
    assert result.text == "Le café de la rue Molière, déjà très animé à Noël."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf<p>\xc4\x91\xc3\xa2y</p>", "utf-8"),
        ("\ufeff<p>đây</p>".encode("utf-16-le"), "utf-16le"),
        ('<?xml version="1.0" encoding="windows-1258"?><p>\xf0a\xcc</p>'.encode("latin-1"), "windows-1258"),
        (b'<meta charset="iso-8859-1"><p>d\x80y</p>', "windows-1252"),
    ],
)
def test_html_encoding_declarations(data: bytes, encoding: str) -> None:
    text, used, _ = decode_html(data)
    assert used == encoding
    assert "\ufffd" not in text


def test_html_declared_charset_that_lies() -> None:
    data = f'<meta charset="utf-8"><p>{PARAGRAPH}</p>'
    result = extract_html(fx.to_windows_1258(data))
    assert result.encoding == "windows-1258"
    assert PARAGRAPH in result.text.split("\n")
    assert tuple(map(str, result.warnings)) == ("the page declares utf-8 but is not valid utf-8; guessed the encoding",)


def test_html_broken_markup() -> None:
    data = (
        "<html><body><div class='content'><p>Một<p>Hai <b>đậm <i>nghiêng</b> tiếp</i>"
        "<table><tr><td>a</div><td>b<tr><td>c<td>d</table>"
        "</div></div></span><ul><li>x<li>y</ul>Cuối"
    ).encode()
    text = extract_html(data).text
    assert text == "Một\n\nHai đậm nghiêng tiếp\n\na | b\nc | d\n\nx\ny\n\nCuối"


def test_html_wrapper_that_looks_like_furniture_is_kept() -> None:
    # ASP.NET pages wrap the whole body in a <form>; themes put "sidebar" in
    # the class of a wrapper that holds everything.
    data = (
        "<body><form id='form1'><div class='menu'>MENU</div>"
        "<div class='layout-with-sidebar'><div class='content'>"
        f"<p>{PARAGRAPH}</p></div><div class='sidebar'>SIDEBAR</div></div></form></body>"
    ).encode()
    result = extract_html(data)
    assert result.text == PARAGRAPH


def test_html_main_and_role_main() -> None:
    data = (
        "<body><div class='header'>Cổng thông tin</div>"
        f"<div role='main'><h2>Thông báo</h2><p>{PARAGRAPH}</p></div>"
        "<div>Liên hệ: 0203 000 000</div></body>"
    ).encode()
    assert extract_html(data).text == f"Thông báo\n\n{PARAGRAPH}"


def test_html_logo_h1_in_page_header_is_not_content() -> None:
    data = (
        "<body><header><h1 class='logo'>Báo Quảng Ninh</h1><p>Thứ Hai, 15/01/2025</p></header>"
        f"<div class='content'><h2>Tin tỉnh</h2><p>{PARAGRAPH}</p></div>"
        "<footer>Bản quyền</footer></body>"
    ).encode()
    result = extract_html(data)
    assert result.text == f"Tin tỉnh\n\n{PARAGRAPH}"


def test_html_index_page_with_many_articles() -> None:
    teasers = "".join(
        f"<article><h1>Tin {i}</h1><p>Tóm tắt tin số {i}.</p></article>" for i in range(1, 4)
    )
    data = f"<title>Tin tức | Báo Quảng Ninh</title><body><nav>Menu</nav>{teasers}</body>".encode()
    result = extract_html(data)
    assert result.text == "Tin 1\n\nTóm tắt tin số 1.\n\nTin 2\n\nTóm tắt tin số 2.\n\nTin 3\n\nTóm tắt tin số 3."
    assert result.title == "Tin tức"


def test_html_related_teasers_are_not_the_article() -> None:
    data = (
        "<body><div class='container'><article><h1>Tin chính</h1>"
        f"<p>{PARAGRAPH}</p>"
        "<div class='tin-lien-quan'><article><h3>Tin khác</h3><p>RELATED</p></article></div>"
        "</article><aside><article><h3>Xem nhiều</h3><p>POPULAR</p></article></aside></div></body>"
    ).encode()
    result = extract_html(data)
    assert result.text == f"Tin chính\n\n{PARAGRAPH}"
    assert result.title == "Tin chính"


def test_html_title_fallbacks() -> None:
    no_article = "<title>Kế hoạch năm 2025 | Sở Thông tin</title><p>Nội dung</p>".encode()
    assert extract_html(no_article).title == "Kế hoạch năm 2025"
    only_h1 = "<body><h1>Thông báo &amp; mời họp</h1><p>x</p></body>".encode()
    assert extract_html(only_h1).title == "Thông báo & mời họp"
    assert extract_html(b"<p>x</p>").title is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Đẩy mạnh chuyển đổi số - Báo Quảng Ninh", "Đẩy mạnh chuyển đổi số"),
        ("Kế hoạch năm 2025 | Sở Thông tin và Truyền thông", "Kế hoạch năm 2025"),
        ("Phát triển kinh tế - xã hội", "Phát triển kinh tế - xã hội"),
        ("Nghị quyết 57-NQ/TW", "Nghị quyết 57-NQ/TW"),
        ("Tin tức - Báo Quảng Ninh điện tử", "Tin tức - Báo Quảng Ninh điện tử"),
    ],
)
def test_clean_page_title(title: str, expected: str) -> None:
    assert clean_page_title(title) == expected


def test_html_deep_nesting_does_not_crash() -> None:
    data = ("<font>" * 5000 + "sâu" + "</font>" * 5000).encode()
    assert extract_html(data).text == "sâu"


@given(st.text(alphabet="<>/=\"' abcdiptrbody&;#!-\nđ", max_size=200))
@settings(max_examples=300, deadline=None)
def test_html_never_raises(markup: str) -> None:
    result = extract_html(markup.encode())
    assert unicodedata.is_normalized("NFC", result.text)
    assert result.text == result.text.strip()


# ===================================================================== DOCX


@pytest.fixture(scope="module")
def document() -> Extracted:
    return extract_docx(read("report.docx"))


def test_docx_paragraph_exact(document) -> None:
    assert PARAGRAPH in document.text.split("\n")
    assert unicodedata.is_normalized("NFC", document.text)
    assert tuple(map(str, document.warnings)) == ()


def test_docx_reading_order(document) -> None:
    text = document.text
    order = [
        fx.DOCX_HEADER,
        "Báo cáo chuyển đổi số\n",
        PARAGRAPH,
        "Kế hoạch được phê duyệt trong quý I.",
        "STT | Văn bản | Nội dung",
        "1 | Nghị quyết số 57-NQ/TW | Đột phá phát triển khoa học, công nghệ",
        "2 | Tỷ lệ hồ sơ trực tuyến | Tháng 10 | 82%\nTháng 11 | 91%",
        "Kết luận: tiếp tục triển khai trong năm 2025.",
        fx.DOCX_FOOTNOTE,
        "Trang 1",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert text.startswith(fx.DOCX_HEADER + "\n\n")
    assert text.endswith("\n\nTrang 1")
    assert text.count(fx.DOCX_HEADER) == 1


def test_docx_revisions_fields_links_tabs(document) -> None:
    text = document.text
    assert fx.DELETED_TEXT not in text
    assert "FIELDCODE" not in text and "DATE" not in text and "PAGE" not in text
    assert "Xem chi tiết tại Cổng thông tin điện tử tỉnh, cập nhật ngày 15/01/2025." in text
    assert "Số: 123/BC-UBND\nQuảng Ninh" in text  # w:tab (folded to a space) and w:br


def test_docx_title(document) -> None:
    assert document.title == fx.DOCX_TITLE
    parts = fx.docx_parts()
    del parts["docProps/core.xml"]
    assert extract_docx(fx._zip(parts)).title == "Báo cáo chuyển đổi số"  # the Heading 1


def test_docx_fixture_opens_in_python_docx() -> None:
    import docx

    doc = docx.Document(str(DATA / "report.docx"))
    assert doc.core_properties.title == fx.DOCX_TITLE
    assert doc.sections[0].header.paragraphs[0].text == fx.DOCX_HEADER
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 3


def test_docx_zip_of_something_else_via_sniffing() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_bytes(read("not_a_word_file.docx"), ".docx")
    assert err.value.reason == "ZIP archive that is not a Word document (no word/document.xml)"
    assert err.value.hint == "unpack it, or save the document as .docx"


def test_docx_missing_document_xml() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_docx(read("not_a_word_file.docx"))
    assert err.value.reason == "not a Word document: word/document.xml is missing"
    assert err.value.hint == "save the file as .docx from Word or LibreOffice"


def test_docx_not_a_zip() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_docx(b"PK\x03\x04 this is no zip at all")
    assert err.value.reason == "damaged Word document: not a valid ZIP container"
    assert err.value.hint == "open the document in Word or LibreOffice and save it again as .docx"


def test_docx_malformed_xml() -> None:
    parts = fx.docx_parts()
    parts["word/document.xml"] = str(parts["word/document.xml"]).replace("</w:body>", "")
    with pytest.raises(ExtractionError) as err:
        extract_docx(fx._zip(parts))
    assert err.value.reason.startswith("malformed XML in word/document.xml: mismatched tag: line 2")
    assert err.value.hint == "open the document in Word or LibreOffice and save it again as .docx"


def test_docx_entity_expansion_refused() -> None:
    parts = fx.docx_parts()
    parts["word/document.xml"] = str(parts["word/document.xml"]).replace(
        "<w:document", '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]><w:document', 1
    )
    with pytest.raises(ExtractionError) as err:
        extract_docx(fx._zip(parts))
    assert err.value.reason == (
        "malformed XML in word/document.xml: document type declarations are not allowed"
    )


def test_docx_malformed_optional_part_is_a_warning() -> None:
    parts = fx.docx_parts()
    parts["word/footer1.xml"] = "<w:ftr"
    result = extract_docx(fx._zip(parts))
    assert PARAGRAPH in result.text.split("\n")
    assert "Trang 1" not in result.text
    assert len(result.warnings) == 1
    assert str(result.warnings[0]).startswith("skipped word/footer1.xml: malformed XML (")


def test_docx_zip_bomb_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(201):
                fh.write(chunk)
    assert len(buf.getvalue()) < 2_000_000  # a small file...
    with pytest.raises(ExtractionError) as err:
        extract_docx(buf.getvalue())
    assert err.value.reason == (
        "refusing word/document.xml: 201 MB uncompressed exceeds the 200 MB limit (zip bomb?)"
    )
    assert err.value.hint == "check where the file comes from; if it is genuine, save it again from Word"


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """The ZIP with ``name``'s uncompressed size in both headers set to ``size``."""
    out = bytearray(data)
    i = out.find(b"PK\x01\x02")
    while i != -1:
        length = struct.unpack("<H", out[i + 28 : i + 30])[0]
        if out[i + 46 : i + 46 + length] == name:
            struct.pack_into("<I", out, i + 24, size)
            local = struct.unpack("<I", out[i + 42 : i + 46])[0]
            struct.pack_into("<I", out, local + 22, size)
        i = out.find(b"PK\x01\x02", i + 1)
    return bytes(out)


def test_docx_part_with_a_lying_size_is_damaged_not_read() -> None:
    # zipfile stops at the declared size and then fails the CRC check, so a
    # part can never decompress to more than its (limited) declared size.
    data = _lie_about_size(read("report.docx"), b"word/document.xml", 100)
    with pytest.raises(ExtractionError) as err:
        extract_docx(data)
    assert err.value.reason == (
        "damaged Word document: word/document.xml cannot be unpacked "
        "(Bad CRC-32 for file 'word/document.xml')"
    )


def test_docx_encrypted_is_ole() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert err.value.reason == "password-protected or legacy Word file (OLE container, not a .docx ZIP)"


def test_docx_text_boxes_hidden_text_and_sdt() -> None:
    w = fx.W_NS
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = fx._para(fx._run("Hộp chữ"))
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent>"
        + fx._para(fx._run("Trong điều khiển nội dung"))
        + "</w:sdtContent></w:sdt>"
        + "<w:p><w:r><w:t>Hiện</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẨN</w:t></w:r>"
        + f'<w:r><mc:AlternateContent xmlns:mc="{mc}">'
        + f'<mc:Choice Requires="wps"><w:drawing><w:txbxContent>{box}</w:txbxContent></w:drawing>'
        + f"</mc:Choice><mc:Fallback><w:pict><w:txbxContent>{box}</w:txbxContent></w:pict>"
        + "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    parts = {
        "word/document.xml": f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
    }
    result = extract_docx(fx._zip(parts))
    assert result.text == "Trong điều khiển nội dung\n\nHiện\nHộp chữ"
    assert result.title is None
