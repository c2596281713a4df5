"""OCR of scanned PDFs and images: accuracy on scans we render ourselves,
page-by-page handling of mixed PDFs, the tagger on OCR'd text, and bad input.

Tests that run Tesseract skip (or fail under DOCSEARCH_REQUIRE_ALL) when it
or its Vietnamese data is missing. Pages are rendered only as tall as their
text, so each OCR call takes a second or two.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from docsearch.cli import cli
from docsearch.extract import ExtractionError, extract_bytes
from docsearch.extract.ocr import OcrOptions, OcrUnavailable, check_available, parse_tsv
from docsearch.extract.ocr_evaluate import Degradation, character_error_rate, find_font, render_page, to_pdf
from docsearch.ingestion import ingest
from docsearch.refs import tag
from docsearch.store import Store

from conftest import unavailable

# Text written for these tests: a two-column header block, numbered
# citations (with QĐ and dates), a list item.
PLAN = [
    "TỈNH ỦY QUẢNG NINH                    ĐẢNG CỘNG SẢN VIỆT NAM",
    "Số 112-KH/TU                    Hạ Long, ngày 14 tháng 3 năm 2025",
    "KẾ HOẠCH",
    "thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
    "Căn cứ Quyết định số 1131/QĐ-TTg ngày 12/10/2024 của Thủ tướng Chính phủ,",
    "Quy định số 144-QĐ/TW ngày 09/5/2024 của Bộ Chính trị và",
    "Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ,",
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch với các nội dung sau:",
    "1. Quán triệt Chỉ thị số 45-CT/TW ngày 14/4/2025 đến chi bộ.",
]
TEXT = "\n".join(PLAN)


@pytest.fixture(scope="module")
def tesseract() -> None:
    try:
        check_available("vie+eng")
    except OcrUnavailable as exc:
        unavailable(f"needs Tesseract with Vietnamese data: {exc}")


@pytest.fixture(scope="module")
def font() -> str:
    path = find_font()
    if path is None:
        unavailable("needs a TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
    return path


def _ids(text: str) -> list[str]:
    return sorted(r.id for r in tag(text, lang="vi").references if r.id)


def _png(image: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=image.info.get("dpi", (300, 300)))  # type: ignore[attr-defined]
    return buf.getvalue()


def test_clean_scan_is_read_within_two_percent_and_keeps_every_reference(tesseract: None, font: str) -> None:
    pdf = to_pdf([render_page(PLAN, Degradation(), font=font)])
    fmt, result = extract_bytes(pdf, ".pdf")
    assert fmt == "pdf"
    assert character_error_rate(TEXT, result.text) <= 0.02, result.text
    wanted = _ids(TEXT)
    found = _ids(result.text)
    assert len(wanted) >= 5
    assert sum(1 for i in wanted if i in found) / len(wanted) >= 0.95
    assert [p.page for p in result.ocr_pages] == [1]
    assert result.ocr_pages[0].confidence is not None and result.ocr_pages[0].confidence > 80


def test_noisy_rotated_image_file(tesseract: None, font: str) -> None:
    page = render_page(PLAN, Degradation("noisy", angle=1.5, noise=20, speckle=0.001), font=font, seed=3)
    fmt, result = extract_bytes(_png(page), ".png")
    assert fmt == "image"
    assert character_error_rate(TEXT, result.text) <= 0.03, result.text
    assert set(_ids(TEXT)) <= set(_ids(result.text))


def test_a_sideways_photo_is_turned_upright_by_its_exif_orientation(tesseract: None, font: str) -> None:
    from PIL import Image

    upright = render_page(PLAN[3:5], Degradation(), font=font)
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # what the camera sensor stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    buf = io.BytesIO()
    sideways.save(buf, format="JPEG", quality=92, exif=exif, dpi=(300, 300))
    _, result = extract_bytes(buf.getvalue(), ".jpg")
    assert character_error_rate("\n".join(PLAN[3:5]), result.text) <= 0.02, result.text


def test_an_upside_down_scan_is_turned_and_read(tesseract: None, font: str) -> None:
    from PIL import Image

    page = render_page(PLAN[:6], Degradation(), font=font).transpose(Image.Transpose.ROTATE_180)
    _, result = extract_bytes(to_pdf([page]), ".pdf")
    assert character_error_rate("\n".join(PLAN[:6]), result.text) <= 0.02, result.text
    assert result.ocr_pages[0].confidence is not None and result.ocr_pages[0].confidence > 80


def test_mixed_pdf_is_read_page_by_page(tesseract: None, font: str) -> None:
    from fpdf import FPDF

    scan = render_page(PLAN[2:5], Degradation(angle=0.5), font=font)
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Report of the Provincial Committee on the first quarter of 2025. " * 3)
    pdf.add_page()
    pdf.image(io.BytesIO(_png(scan)), x=0, y=0, w=210)
    data = bytes(pdf.output())

    _, auto = extract_bytes(data, ".pdf")
    assert [p.page for p in auto.ocr_pages] == [2]
    assert auto.text.startswith("Report of the Provincial Committee")
    assert auto.page_of(auto.text.index("57-NQ/TW")) == 2

    _, never = extract_bytes(data, ".pdf", ocr=OcrOptions(mode="never"))
    assert never.ocr_pages == ()
    assert "57-NQ/TW" not in never.text
    assert tuple(map(str, never.warnings)) == ("page 2 has no text layer",)


def test_multipage_tiff_with_a_blank_page(tesseract: None, font: str) -> None:
    from PIL import Image

    text = render_page(PLAN[3:5], Degradation(angle=-0.7), font=font)
    blank = Image.new("L", text.size, 255)
    buf = io.BytesIO()
    text.save(buf, format="TIFF", save_all=True, append_images=[blank], dpi=(300, 300), compression="tiff_lzw")
    fmt, result = extract_bytes(buf.getvalue(), ".tiff")
    assert fmt == "image"
    assert [p.page for p in result.ocr_pages] == [1]
    assert len(result.page_starts) == 2
    assert "57-NQ/TW" in result.text
    assert tuple(map(str, result.warnings)) == ("page 2: OCR found no text (blank page or photo?)",)


def test_scanned_plan_shows_up_in_implements_and_show(tesseract: None, font: str, tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "kh-112-tu.pdf").write_bytes(to_pdf([render_page(PLAN, Degradation(angle=1.0), font=font)]))
    index = tmp_path / "index"
    runner = CliRunner()
    r = runner.invoke(cli, ["ingest", str(folder), "--index", str(index), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["added"] == 1

    r = runner.invoke(cli, ["implements", "57-NQ/TW", "--index", str(index), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "kh-112-tu.pdf" in r.output and "112-KH/TU" in r.output

    r = runner.invoke(cli, ["show", "kh-112-tu.pdf", "--index", str(index), "--format", "json"])
    shown = json.loads(r.output)
    assert [(p["page"], p["source"]) for p in shown["ocr_pages"]] == [(1, "ocr")]
    assert shown["ocr_pages"][0]["confidence"] > 80
    r = runner.invoke(cli, ["show", "kh-112-tu.pdf", "--index", str(index)])
    assert "text from OCR:" in r.output and "mean confidence" in r.output

    r = runner.invoke(cli, ["search", "source:ocr", "--index", str(index), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [Path(h["path"]).name for h in json.loads(r.output)["hits"]] == ["kh-112-tu.pdf"]

    r = runner.invoke(cli, ["site", "build", str(tmp_path / "site"), "--index", str(index),
                            "--lang", "en"])  # the assertion reads the English interface
    assert r.exit_code == 0, r.output
    pages = [p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html")]
    assert any("read by OCR: the page, mean confidence" in page for page in pages)


# --- bad input ------------------------------------------------------------------------------


def _png_header(width: int, height: int, body: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _tiff_claiming(width: int, height: int) -> bytes:
    """A little-endian TIFF whose only strip is 8 bytes but whose header says
    ``width`` x ``height`` 8-bit pixels: decoding it in full would need
    gigabytes (a decompression bomb)."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8 + 2 + 12 * 9 + 4), (277, 3, 1, 1), (278, 4, 1, height),
               (279, 4, 1, 8)]
    ifd = struct.pack("<H", len(entries))
    for tag_id, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag_id, kind, count, value) if kind == 4 else \
            struct.pack("<HHIHH", tag_id, kind, count, value, 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + b"\x00" * 8


def test_bad_images_get_one_line_each_and_the_run_goes_on(tesseract: None, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "corrupt.png").write_bytes(_png_header(120, 80, b"not zlib data at all" * 5))
    (folder / "huge.png").write_bytes(_png_header(20_000, 20_000, zlib.compress(b"\x00" * 1000)))
    (folder / "bomb.tif").write_bytes(_tiff_claiming(60_000, 60_000))
    (folder / "truncated.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 30)
    (folder / "note.txt").write_text("Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị.", "utf-8")
    with Store.open(tmp_path / "index") as store:
        summary = ingest([folder], store, jobs=1)
        assert [Path(p).name for p in summary.added] == ["note.txt"]
        reasons = {Path(f.file).name: f.reason for f in summary.failed}
    assert set(reasons) == {"corrupt.png", "huge.png", "bomb.tif", "truncated.jpg"}
    assert reasons["huge.png"].startswith("image too large: 20000x20000 pixels")
    assert reasons["bomb.tif"].startswith("image too large: 60000x60000 pixels")
    assert "damaged" in reasons["corrupt.png"] and "damaged" in reasons["truncated.jpg"]
    for reason in reasons.values():
        assert "\n" not in reason and "(" in reason  # one line, with what to do


def test_a_2000_page_scan_is_capped_with_a_warning(tesseract: None, font: str) -> None:
    from fpdf import FPDF

    # Two images, alternating: identical lines on every page would be dropped
    # as running headers.
    scans = [_png(render_page([line], Degradation(), font=font, width_in=4.0))
             for line in ("Kế hoạch số 112-KH/TU", "thực hiện Nghị quyết số 57-NQ/TW")]
    pdf = FPDF(format=(105, 148))
    for n in range(2000):
        pdf.add_page()
        pdf.image(io.BytesIO(scans[n % 2]), x=0, y=10, w=105)  # fpdf2 stores each image once
    _, result = extract_bytes(bytes(pdf.output()), ".pdf", ocr=OcrOptions(max_pages=2))
    assert [p.page for p in result.ocr_pages] == [1, 2]
    assert len(result.page_starts) == 2000
    assert "pages 3-2000 not read with OCR: more than 2 scanned pages in one file (split it)" in map(str, result.warnings)


# --- without Tesseract -------------------------------------------------------------------


def test_missing_tesseract_is_one_line_saying_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCSEARCH_TESSERACT", str(tmp_path / "no-such-tesseract"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.png").write_bytes(_png_header(4, 4, zlib.compress(b"\x00\xff\xff\xff\xff" * 4)))
    (folder / "note.txt").write_text("Kế hoạch thực hiện Nghị quyết số 57-NQ/TW.", "utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["ingest", str(folder), "--index", str(tmp_path / "index")])
    assert r.exit_code == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("docsearch:")]
    assert len(errors) == 1
    assert "scan.png: Tesseract (OCR) is not installed (install Tesseract" in errors[0]
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in errors[0]
    assert "1 added" in r.stdout


def test_missing_language_data_names_the_package(tmp_path: Path) -> None:
    try:
        check_available("eng")
    except OcrUnavailable:
        unavailable("needs Tesseract to tell a missing language from a missing program")
    with pytest.raises(OcrUnavailable) as err:
        check_available("eng+xqz")
    assert err.value.reason == "Tesseract has no language data for xqz"
    assert "tesseract-ocr-xqz" in err.value.hint


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown OCR mode"):
        OcrOptions(mode="sometimes")
    with pytest.raises(ValueError, match="invalid OCR language list"):
        OcrOptions(lang="vie eng")
    r = CliRunner().invoke(cli, ["ingest", ".", "--ocr-lang", "vie;rm"])
    assert r.exit_code == 2 and "invalid OCR language list" in r.output and "Traceback" not in r.output


def test_ocr_never_reports_an_image_file_without_running_tesseract() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_bytes(_png_header(4, 4, b""), ".png", ocr=OcrOptions(mode="never"))
    assert err.value.reason == "image file, and OCR is off (--ocr never)"


def test_tsv_output_becomes_lines_blocks_and_a_mean_confidence() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tTỈNH",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80\tỦY",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t70\tSố",
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t60\tKẾ",
        "5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t-1\t ",
    ]
    result = parse_tsv("\n".join([header, *rows]) + "\n")
    assert result.text == "TỈNH ỦY\nSố\n\nKẾ"
    assert result.words == 4
    assert result.confidence == pytest.approx(75.0)
