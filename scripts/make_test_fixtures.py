"""Generate the extractor test fixtures in ``tests/data/formats/``.

Run from the repository root with the project venv::

    .venv/bin/python scripts/make_test_fixtures.py

The output is deterministic (fixed dates, fixed PDF file IDs, fixed ZIP
timestamps), so re-running it leaves the committed files unchanged. It needs
fpdf2 and pypdf, which are test-time tools only: docsearch itself never
imports them. Their releases change the bytes they write, so the test extra of
pyproject.toml pins them (and fonttools, which fpdf2 subsets fonts with);
after moving a pin, run this script and commit the fixtures with it. The DOCX files are written XML by hand so that they contain
exactly the constructs the extractor has to handle (tracked changes, fields,
nested tables, notes), which python-docx cannot produce.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "formats"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FIXED_DATE = dt.datetime(2025, 1, 15, 8, 30, 0, tzinfo=dt.timezone.utc)
ZIP_DATE = (2025, 1, 15, 8, 30, 0)

# The one known paragraph every fixture carries. It has ư ơ đ, all five tones
# (sắc, huyền, hỏi, ngã, nặng), capitals with diacritics (Ủ, Đ) and the
# document reference the tagger looks for. Tests import it from here.
PARAGRAPH = (
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá "
    "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, "
    "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành khẩn trương rà soát thủ tục hành "
    "chính. Đây là nhiệm vụ trọng tâm, bảo đảm người dân được phục vụ nhanh chóng, "
    "không để xảy ra chậm trễ hay nhũng nhiễu."
)

PDF_TITLE = "Báo cáo chuyển đổi số năm 2024"
PDF_HEADER = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
PDF_FOOTER = "Tài liệu lưu hành nội bộ"
PAGE_2_WORD = "Vân Đồn"  # appears on page 2 only
PAGE_3_WORD = "Móng Cái"  # appears on page 3 only


# --------------------------------------------------------------------------- PDF


def _new_pdf() -> "FPDF":  # noqa: F821 - fpdf is imported lazily
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("docsearch test fixtures")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    return pdf


def _wrap(pdf: "FPDF", text: str, width: float) -> list[str]:  # noqa: F821
    """Greedy word wrap at spaces, so we know exactly where lines break."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _write_lines(pdf: "FPDF", lines: list[str], y: float, step: float = 6.5) -> float:  # noqa: F821
    for line in lines:
        pdf.text(20, y, line)
        y += step
    return y


def _running_header(pdf: "FPDF") -> None:  # noqa: F821
    pdf.text(20, 14, PDF_HEADER)


def _running_footer(pdf: "FPDF", page: int, pages: int) -> None:  # noqa: F821
    pdf.text(20, 282, PDF_FOOTER)
    pdf.text(170, 288, f"Trang {page}/{pages}")


def make_report_pdf() -> bytes:
    """Three pages, running header, footer with page numbers, hyphenation.

    Page 2 draws its footer *before* its body, so pdfium returns the footer as
    the first lines of that page, which the extractor has to cope with.
    """
    pdf = _new_pdf()
    pdf.set_title(PDF_TITLE)
    pdf.set_author("UBND tỉnh Quảng Ninh")
    pages = 3

    # Page 1: title and the known paragraph.
    pdf.add_page()
    _running_header(pdf)
    pdf.set_font("DejaVu", size=14)
    pdf.text(20, 32, "BÁO CÁO TÌNH HÌNH CHUYỂN ĐỔI SỐ")
    pdf.set_font("DejaVu", size=11)
    y = _write_lines(pdf, _wrap(pdf, PARAGRAPH, 170), 44)
    _write_lines(pdf, ["Các chỉ tiêu chính được trình bày ở các trang sau."], y + 4)
    _running_footer(pdf, 1, pages)

    # Page 2: footer first in the content stream; a hyphenated English word,
    # a reference split after its hyphen and a Vietnamese compound split at
    # its hyphen (neither of which may lose the hyphen).
    pdf.add_page()
    _running_footer(pdf, 2, pages)
    _running_header(pdf)
    _write_lines(
        pdf,
        [
            f"Huyện {PAGE_2_WORD} hoàn thành kết nối mạng cho toàn bộ xã.",
            "The provincial plan describes the digital trans-",
            "formation of public services in three stages.",
            "Văn bản chỉ đạo chính là Nghị quyết số 57-",
            "NQ/TW của Bộ Chính trị.",
            "Mục tiêu phát triển kinh tế-",
            "xã hội bền vững được giữ nguyên.",
        ],
        30,
    )

    # Page 3: closing text.
    pdf.add_page()
    _running_header(pdf)
    _write_lines(
        pdf,
        [
            f"Thành phố {PAGE_3_WORD} triển khai dịch vụ công trực tuyến toàn trình.",
            "Báo cáo này thay cho báo cáo tháng trước.",
        ],
        30,
    )
    _running_footer(pdf, 3, pages)
    return bytes(pdf.output())


def make_nfd_pdf() -> bytes:
    """One page whose text is stored decomposed (base letter + combining marks).

    fpdf2 does not normalise the strings it is given (checked by the tests:
    pdfium returns combining marks for this file), so feeding it NFD text
    gives a text layer that is NFD.
    """
    pdf = _new_pdf()
    pdf.set_title("Microsoft Word - bao_cao_nfd.docx")  # a meaningless title
    pdf.add_page()
    decomposed = unicodedata.normalize("NFD", PARAGRAPH)
    _write_lines(pdf, _wrap(pdf, decomposed, 170), 30)
    return bytes(pdf.output())


def _png(width: int, height: int) -> bytes:
    """A small greyscale PNG written by hand (deterministic, no Pillow needed)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes(((x * 7 + y * 13) % 256) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def make_scanned_pdf() -> bytes:
    """Two pages holding only an image each: what a scanner produces."""
    pdf = _new_pdf()
    png = _png(64, 48)
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(png), x=20, y=20, w=170)
    return bytes(pdf.output())


def make_partly_scanned_pdf() -> bytes:
    """Three pages; page 3 is an image only. Expect a warning, not an error."""
    pdf = _new_pdf()
    pdf.add_page()
    _write_lines(pdf, _wrap(pdf, PARAGRAPH, 170), 30)
    pdf.add_page()
    _write_lines(pdf, [f"Trang hai nói về huyện {PAGE_2_WORD}."], 30)
    pdf.add_page()
    pdf.image(io.BytesIO(_png(64, 48)), x=20, y=20, w=170)
    return bytes(pdf.output())


def make_encrypted_pdf(plain: bytes) -> bytes:
    """The report PDF behind a user password (RC4-128, so no random IVs)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    file_id = ByteStringObject(b"docsearch-fixture")
    writer._ID = ArrayObject([file_id, file_id])  # noqa: SLF001 - no public setter
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="RC4-128")
    # encrypt() keeps ID[0] (the one the key is derived from) but draws a
    # random ID[1]; pin it again so the file is byte-for-byte reproducible.
    writer._ID = ArrayObject([file_id, file_id])  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -------------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

DOCX_TITLE = "Báo cáo chuyển đổi số quý IV"
DOCX_HEADER = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
DOCX_FOOTNOTE = "Số liệu tính đến ngày 31/12/2024."
DELETED_TEXT = "hủy bỏ"


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def _run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_t(text)}</w:r>"


def _para(inner: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{inner}</w:p>"


def _cell(inner: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>{inner}</w:tc>'


def _table(rows: list[list[str]]) -> str:
    body = "".join("<w:tr>" + "".join(_cell(c) for c in row) + "</w:tr>" for row in rows)
    grid = '<w:gridCol w:w="3000"/>' * len(rows[0])
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def _mixed_runs_paragraph() -> str:
    """The known paragraph cut into runs with different formatting, including
    a cut in the middle of a word and a footnote reference."""
    p = PARAGRAPH
    cut1 = p.index("Nghị quyết")
    cut2 = p.index(" ngày 22/12/2024")
    cut3 = p.index(" về đột phá")
    cut4 = p.index("đổi mới") + len("đổ")  # inside the word "đổi"
    runs = [
        _run(p[:cut1]),
        _run(p[cut1:cut2], "<w:b/>"),
        _run(p[cut2:cut3], "<w:i/>"),
        _run(p[cut3:cut4]),
        _run(p[cut4:], '<w:color w:val="C00000"/>'),
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>',
    ]
    return _para("".join(runs))


def _document_xml() -> str:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DATE \\@ "dd/MM/yyyy" FIELDCODE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run("15/01/2025")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    nested = _table(
        [
            [_para(_run("Tháng 10")), _para(_run("82%"))],
            [_para(_run("Tháng 11")), _para(_run("91%"))],
        ]
    )
    body = "".join(
        [
            _para(_run("Báo cáo chuyển đổi số"), "Heading1"),
            _mixed_runs_paragraph(),
            _para(
                _run("Kế hoạch được ")
                + f"<w:del w:id=\"1\" w:author=\"A\" w:date=\"2025-01-10T00:00:00Z\">"
                f"<w:r><w:delText>{DELETED_TEXT} </w:delText></w:r></w:del>"
                '<w:ins w:id="2" w:author="A" w:date="2025-01-10T00:00:00Z">'
                + _run("phê duyệt ")
                + "</w:ins>"
                + _run("trong quý I.")
            ),
            _para(
                _run("Xem chi tiết tại ")
                + '<w:hyperlink r:id="rIdLink">'
                + _run("Cổng thông tin điện tử tỉnh", '<w:u w:val="single"/>')
                + "</w:hyperlink>"
                + _run(", cập nhật ngày ")
                + field
                + _run(".")
            ),
            _para(
                "<w:r>" + _t("Số:") + "<w:tab/>" + _t("123/BC-UBND") + "<w:br/>"
                + _t("Quảng Ninh") + "</w:r>"
            ),
            _table(
                [
                    [_para(_run("STT")), _para(_run("Văn bản")), _para(_run("Nội dung"))],
                    [
                        _para(_run("1")),
                        _para(_run("Nghị quyết số 57-NQ/TW")),
                        _para(_run("Đột phá phát triển khoa học, công nghệ")),
                    ],
                    [_para(_run("2")), _para(_run("Tỷ lệ hồ sơ trực tuyến")), nested + _para("")],
                ]
            ),
            _para(_run("Kết luận: tiếp tục triển khai trong năm 2025.")),
            '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/>'
            '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
            '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr>',
        ]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}</w:body></w:document>'
    )


def _header_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{_para(_run(DOCX_HEADER))}</w:hdr>'
    )


def _footer_xml() -> str:
    page_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run("1")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{_para(_run("Trang ") + page_field)}</w:ftr>'
    )


def _footnotes_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1">{_para(_run(DOCX_FOOTNOTE))}</w:footnote>'
        "</w:footnotes>"
    )


def _styles_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        '<w:basedOn w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
        "</w:styles>"
    )


def _core_xml(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>UBND tỉnh</dc:creator>"
        "</cp:coreProperties>"
    )


def _content_types() -> str:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/>'
        f'<Override PartName="/word/header1.xml" ContentType="{main}.header+xml"/>'
        f'<Override PartName="/word/footer1.xml" ContentType="{main}.footer+xml"/>'
        f'<Override PartName="/word/footnotes.xml" ContentType="{main}.footnotes+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )


def _package_rels() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_TYPE}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        "</Relationships>"
    )


def _document_rels() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{REL_NS}">'
        f'<Relationship Id="rIdStyles" Type="{REL_TYPE}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rIdHeader1" Type="{REL_TYPE}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdFooter1" Type="{REL_TYPE}/footer" Target="footer1.xml"/>'
        f'<Relationship Id="rIdNotes" Type="{REL_TYPE}/footnotes" Target="footnotes.xml"/>'
        f'<Relationship Id="rIdLink" Type="{REL_TYPE}/hyperlink" '
        'Target="https://www.quangninh.gov.vn/" TargetMode="External"/>'
        "</Relationships>"
    )


def _zip(parts: dict[str, str | bytes]) -> bytes:
    """A ZIP with fixed timestamps, so the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = content.encode("utf-8") if isinstance(content, str) else content
            zf.writestr(info, data)
    return out.getvalue()


def docx_parts() -> dict[str, str | bytes]:
    """The parts of ``report.docx``; tests reuse them to build broken variants."""
    return {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _package_rels(),
        "docProps/core.xml": _core_xml(DOCX_TITLE),
        "word/document.xml": _document_xml(),
        "word/_rels/document.xml.rels": _document_rels(),
        "word/styles.xml": _styles_xml(),
        "word/header1.xml": _header_xml(),
        "word/footer1.xml": _footer_xml(),
        "word/footnotes.xml": _footnotes_xml(),
    }


def make_docx() -> bytes:
    return _zip(docx_parts())


def make_zip_not_docx() -> bytes:
    return _zip({"ghi-chu.txt": PARAGRAPH + "\n"})


# -------------------------------------------------------------------------- HTML

HTML_TITLE = "Đẩy mạnh chuyển đổi số theo Nghị quyết 57-NQ/TW"

# Marker words that must never reach the extracted text.
HTML_NOISE = [
    "STYLETEXT",
    "SCRIPTTEXT",
    "NAVTEXT",
    "MENUTEXT",
    "BREADCRUMBTEXT",
    "COMMENTTEXT",
    "ASIDETEXT",
    "SHARETEXT",
    "DISCUSSIONTEXT",
    "RELATEDTEXT",
    "FOOTERTEXT",
    "NOSCRIPTTEXT",
    "ADVERTTEXT",
    "COOKIETEXT",
    "FORMTEXT",
]


def _html_paragraph() -> str:
    """The known paragraph as authors write it: inline tags, entities, source
    line breaks in the middle of the sentence."""
    p = escape(PARAGRAPH)
    p = p.replace("Nghị quyết số 57-NQ/TW", "<strong>Nghị quyết số 57-NQ/TW</strong>")
    p = p.replace("đột phá", "<em>đột\n    phá</em>")
    p = p.replace("Ủy ban", "&#7910;y&nbsp;ban")  # Ủ as a numeric character reference
    p = p.replace(" nhũng nhiễu", "\n    nh<span>ũng</span> nhiễu")
    return p


def make_article_html() -> bytes:
    html = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{HTML_TITLE} - Báo Quảng Ninh</title>
<style>.x {{ color: red }} body::after {{ content: "STYLETEXT" }}</style>
<script>var SCRIPTTEXT = "<p>không phải nội dung</p>"; if (a < b && c > d) {{}}</script>
</head>
<body class="has-sidebar">
<header class="site-header">
  <div class="logo">Báo Quảng Ninh</div>
  <nav><ul><li><a href="/">NAVTEXT Trang chủ</a></li><li><a href="/ts">Thời sự</a></li></ul></nav>
</header>
<div id="main-menu"><ul><li>MENUTEXT Kinh tế</li><li>Xã hội</li></ul></div>
<div class="breadcrumb">BREADCRUMBTEXT Trang chủ › Thời sự</div>
<!-- COMMENTTEXT: quảng cáo tạm ẩn -->
<div class="advert-top">ADVERTTEXT Mua ngay</div>
<div class="container">
<article class="detail">
  <h1 class="title">{HTML_TITLE}</h1>
  <div class="share-buttons"><a>SHARETEXT Chia sẻ</a><button>Thích</button></div>
  <p class="sapo">Tỉnh Quảng Ninh đặt mục tiêu đứng đầu cả nước về chuyển đổi số.
  <p>{_html_paragraph()}</p>
  <table class="data">
    <tr><th>STT</th><th>Chỉ tiêu</th><th>Kết quả</th></tr>
    <tr><td>1<td>Hồ sơ trực tuyến<td>91&nbsp;%
    <tr><td>2<td>Văn bản &amp; tài liệu số<td>100%</tr>
  </table>
  <p>Dòng thứ nhất<br>Dòng thứ hai<br/>Dòng thứ ba</p>
  </div></div>
  <form action="/search"><input name="q"> FORMTEXT Tìm kiếm</form>
  <section class="comments"><h3>DISCUSSIONTEXT Bình luận</h3><p>Rất hay!</p></section>
</article>
<aside><h3>ASIDETEXT Tin liên quan</h3></aside>
<div class="related-news"><a>RELATEDTEXT Tin cùng chuyên mục</a></div>
</div>
<div id="cookie-banner">COOKIETEXT Trang web dùng cookie</div>
<footer class="site-footer">FOOTERTEXT Bản quyền thuộc Báo Quảng Ninh</footer>
<noscript>NOSCRIPTTEXT Bật JavaScript</noscript>
<script>document.write("SCRIPTTEXT")</script>
</body>
</html>
"""
    return html.encode("utf-8")


def to_windows_1258(text: str) -> bytes:
    """Encode Vietnamese in Windows-1258, which has the base letters (ă â ê ô
    ơ ư đ) but writes the five tones as combining marks after the letter."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out: list[str] = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def make_cp1258_html() -> bytes:
    html = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>Thông báo của Ủy ban nhân dân tỉnh</title>
</head>
<body>
<h2>Thông báo của Ủy ban nhân dân tỉnh</h2>
<p>{escape(PARAGRAPH)}</p>
</body>
</html>
"""
    return to_windows_1258(html)


# -------------------------------------------------------------------------- main


def build() -> dict[str, bytes]:
    """All fixtures by file name."""
    report = make_report_pdf()
    return {
        "report.pdf": report,
        "report_nfd.pdf": make_nfd_pdf(),
        "encrypted.pdf": make_encrypted_pdf(report),
        "scanned.pdf": make_scanned_pdf(),
        "partly_scanned.pdf": make_partly_scanned_pdf(),
        "truncated.pdf": report[: len(report) // 2],
        "report.docx": make_docx(),
        "not_a_word_file.docx": make_zip_not_docx(),
        "article.html": make_article_html(),
        "windows1258.html": make_cp1258_html(),
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        path = OUT / name
        changed = not path.exists() or path.read_bytes() != data
        path.write_bytes(data)
        print(f"{'wrote' if changed else 'same '} {path.relative_to(ROOT)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
