#!/usr/bin/env python3
"""Build the generated files of the sample corpus (``corpus/``).

Most corpus files are plain UTF-8 text or HTML written by hand directly under
``corpus/``. The files that cannot be written by hand (PDF, DOCX, and text in
other encodings) are generated from UTF-8 sources under ``scripts/corpus_src/``
by this script:

    python scripts/build_corpus.py            # (re)build every generated file
    python scripts/build_corpus.py --check    # fail if a generated file is stale

Run it from the repository root or anywhere else; paths are resolved from this
file. It needs fpdf2 and python-docx (both in the project venv) and the DejaVu
Sans TrueType font (``/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf`` or the
copy matplotlib ships). The output is deterministic: fixed creation dates,
fixed metadata and fixed ZIP timestamps, so a re-run gives identical bytes.

Source format
-------------
Every source is a UTF-8 file ``scripts/corpus_src/<dir>/<name>.src``. It starts
with metadata lines, then the body::

    %% out: corpus/central/nq-18-tw-2022.pdf    output path (repository-relative)
    %% title: Nghị quyết số 18-NQ/TW ...         PDF/DOCX document title
    %% author: Ban Chấp hành Trung ương          PDF/DOCX author
    %% date: 2022-06-16                          creation date written into the metadata
    %% header: text of the running header       PDF/DOCX page header (every page)
    %% lang: vi                                  language tag (PDF)
    %% encoding: utf-16 | cp1258 | utf-8         text outputs only (.txt/.html)
    %% newline: crlf | lf                        text outputs only (default lf)

For ``.txt`` and ``.html`` outputs the body is written verbatim in the given
encoding (``utf-16`` writes a byte-order mark; ``cp1258`` is Windows-1258 with
Vietnamese tone marks as combining characters, the way that code page stores
them).

For ``.pdf`` and ``.docx`` outputs the body uses a small line-based markup,
one construct per line:

    @@ left || right     a row of the two-column title block without borders
                         (issuing body | "ĐẢNG CỘNG SẢN VIỆT NAM" / date);
                         consecutive rows form one block
    ^^ text              centred bold line (the type word, e.g. NGHỊ QUYẾT)
    ^ text               centred line (the title continuation "về ...")
    ## text              bold heading (I. MỤC ĐÍCH, YÊU CẦU; 1. ...)
    >> text              right-aligned bold line (signature block)
    <> text              small left-aligned line (Nơi nhận, distribution list)
    | a | b | c |        table row; consecutive rows form one table and the
                         first row is the header row
    ==pagebreak==        start a new page
    (blank line)         ends a paragraph
    any other line       paragraph text; consecutive lines are joined by a space

A soft hyphen (U+00AD) inside a word marks where the PDF may hyphenate it (the
PDF then shows "implemen-" at the end of a line); DOCX output drops it.
"""

from __future__ import annotations

import argparse
import io
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "scripts" / "corpus_src"

SOFT_HYPHEN = "\u00ad"


# ----------------------------------------------------------------------------
# Source parsing
# ----------------------------------------------------------------------------


@dataclass
class Source:
    path: Path
    meta: dict[str, str]
    body: str

    @property
    def out(self) -> Path:
        return ROOT / self.meta["out"]

    @property
    def date(self) -> datetime:
        y, m, d = (int(x) for x in self.meta.get("date", "2025-01-01").split("-"))
        return datetime(y, m, d, 8, 0, 0, tzinfo=timezone.utc)


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    text = unicodedata.normalize("NFC", text)
    meta: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith("%%"):
        key, _, value = lines[i][2:].partition(":")
        meta[key.strip()] = value.strip()
        i += 1
    if "out" not in meta:
        raise SystemExit(f"{path}: missing '%% out:' line")
    body = "\n".join(lines[i:]).strip("\n") + "\n"
    return Source(path, meta, body)


@dataclass
class Block:
    kind: str  # para, center_bold, center, heading, right, small, table, titleblock, pagebreak
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def parse_markup(body: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []

    def flush_para() -> None:
        if para:
            blocks.append(Block("para", " ".join(s.strip() for s in para)))
            para.clear()

    for raw in body.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush_para()
            continue
        if line.startswith("@@ "):
            flush_para()
            left, _, right = line[3:].partition("||")
            row = [left.strip(), right.strip()]
            if blocks and blocks[-1].kind == "titleblock":
                blocks[-1].rows.append(row)
            else:
                blocks.append(Block("titleblock", rows=[row]))
        elif line.startswith("| "):
            flush_para()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif line.startswith("^^ "):
            flush_para()
            blocks.append(Block("center_bold", line[3:].strip()))
        elif line.startswith("^ "):
            flush_para()
            blocks.append(Block("center", line[2:].strip()))
        elif line.startswith("## "):
            flush_para()
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith(">> "):
            flush_para()
            blocks.append(Block("right", line[3:].strip()))
        elif line.startswith("<> "):
            flush_para()
            blocks.append(Block("small", line[3:].strip()))
        elif line.strip() == "==pagebreak==":
            flush_para()
            blocks.append(Block("pagebreak"))
        else:
            para.append(line)
    flush_para()
    return blocks


# ----------------------------------------------------------------------------
# Text outputs in other encodings
# ----------------------------------------------------------------------------

_CP1258_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Windows-1258: letters the code page has precomposed are written as
    such, the others as base letter plus combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if c not in _CP1258_TONES)
        )
        tones = "".join(c for c in decomposed if c in _CP1258_TONES)
        try:
            out += (base + tones).encode("cp1258")
        except UnicodeEncodeError as exc:
            raise SystemExit(f"character {ch!r} cannot be written in Windows-1258") from exc
    return bytes(out)


def build_text(src: Source) -> bytes:
    body = src.body
    if src.meta.get("newline", "lf").lower() == "crlf":
        body = body.replace("\n", "\r\n")
    enc = src.meta.get("encoding", "utf-8").lower()
    if enc in ("cp1258", "windows-1258"):
        data = encode_cp1258(body)
        back = unicodedata.normalize("NFC", data.decode("cp1258"))
        if back != unicodedata.normalize("NFC", body):
            raise SystemExit(f"{src.path}: Windows-1258 round trip changed the text")
        return data
    if enc in ("utf-16", "utf16"):
        return b"\xff\xfe" + body.encode("utf-16-le")  # little-endian with BOM, on any platform
    return body.encode("utf-8")


# ----------------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------------


def _find_font(name: str) -> Path | None:
    candidates = [Path("/usr/share/fonts/truetype/dejavu") / name]
    try:
        import matplotlib  # type: ignore

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)
    except Exception:
        pass
    for c in candidates:
        if c.is_file():
            return c
    return None


def build_pdf(src: Source) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    regular = _find_font("DejaVuSans.ttf")
    if regular is None:
        raise SystemExit("DejaVuSans.ttf not found (install fonts-dejavu-core or matplotlib)")
    bold = _find_font("DejaVuSans-Bold.ttf") or regular
    header_text = src.meta.get("header", "")

    class DocPDF(FPDF):
        def header(self) -> None:
            if not header_text:
                return
            self.set_font("DejaVu", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, header_text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            y = self.get_y() + 1
            self.set_draw_color(150, 150, 150)
            self.line(self.l_margin, y, self.w - self.r_margin, y)
            self.set_y(y + 4)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = DocPDF(format="A4", unit="mm")
    pdf.set_margins(22, 18, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_creation_date(src.date)
    pdf.set_title(src.meta.get("title", ""))
    pdf.set_author(src.meta.get("author", ""))
    pdf.set_subject(src.meta.get("title", ""))
    pdf.set_creator("docsearch sample corpus")
    pdf.set_producer("docsearch scripts/build_corpus.py (fpdf2)")
    pdf.set_lang(src.meta.get("lang", "vi"))
    pdf.add_page()

    size = 11
    line_h = 5.8
    for b in parse_markup(src.body):
        if b.kind == "titleblock":
            pdf.set_font("DejaVu", "B", 10)
            with pdf.table(
                borders_layout="NONE",
                text_align="CENTER",
                first_row_as_headings=False,
                line_height=5,
                padding=0.5,
            ) as table:
                for left, right in b.rows:
                    row = table.row()
                    row.cell(left)
                    row.cell(right)
            pdf.ln(4)
        elif b.kind == "table":
            pdf.set_font("DejaVu", "", 9)
            ncols = max(len(r) for r in b.rows)
            with pdf.table(
                text_align="LEFT",
                first_row_as_headings=True,
                line_height=4.8,
                padding=1.2,
                col_widths=_col_widths(b.rows, ncols),
            ) as table:
                for cells in b.rows:
                    row = table.row()
                    for c in cells + [""] * (ncols - len(cells)):
                        row.cell(c)
            pdf.ln(3)
        elif b.kind == "center_bold":
            pdf.set_font("DejaVu", "B", 12.5)
            pdf.multi_cell(0, 7, b.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif b.kind == "center":
            pdf.set_font("DejaVu", "B", 11)
            pdf.multi_cell(0, 6, b.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif b.kind == "heading":
            pdf.ln(1.5)
            pdf.set_font("DejaVu", "B", size)
            pdf.multi_cell(0, line_h, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
        elif b.kind == "right":
            pdf.set_font("DejaVu", "B", 10.5)
            pdf.set_x(pdf.w / 2)
            pdf.multi_cell(0, 5.5, b.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif b.kind == "small":
            pdf.set_font("DejaVu", "", 8.5)
            pdf.multi_cell(0, 4.5, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif b.kind == "pagebreak":
            pdf.add_page()
        else:
            pdf.set_font("DejaVu", "", size)
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(0, line_h, b.text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.6)
    return bytes(pdf.output())


def _col_widths(rows: list[list[str]], ncols: int) -> tuple[float, ...]:
    """Column widths roughly proportional to the text they hold, but never
    narrower than the header or the longest word of the column."""
    widths = []
    for i in range(ncols):
        cells = [r[i] if i < len(r) else "" for r in rows]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        minimum = max(len(cells[0]), longest_word) + 3
        desired = min(max(len(c) for c in cells), 50)
        widths.append(float(max(minimum, desired)))
    return tuple(widths)


# ----------------------------------------------------------------------------
# DOCX
# ----------------------------------------------------------------------------


def _add_field(paragraph, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run._r.append(text)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def build_docx(src: Source) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Mm, Pt

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    if fonts is not None:
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "Times New Roman")

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)

    header_text = src.meta.get("header", "")
    if header_text:
        hp = section.header.paragraphs[0]
        hp.text = header_text
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in hp.runs:
            r.font.size = Pt(9)
            r.italic = True
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("Trang ")
    _add_field(fp, "PAGE")
    fp.add_run("/")
    _add_field(fp, "NUMPAGES")
    for r in fp.runs:
        r.font.size = Pt(9)

    def para(text: str, align=None, bold=False, italic=False, size=None, indent=False):
        p = doc.add_paragraph()
        run = p.add_run(text.replace(SOFT_HYPHEN, ""))
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        pf = p.paragraph_format
        pf.space_after = Pt(4)
        if indent:
            pf.first_line_indent = Cm(1)
        return p

    for b in parse_markup(src.body):
        if b.kind == "titleblock":
            table = doc.add_table(rows=0, cols=2)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for i, (left, right) in enumerate(b.rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, (left, right)):
                    p = cell.paragraphs[0]
                    run = p.add_run(text)
                    run.bold = not text.startswith(("Số", "Hà Nội", "ngày")) and "ngày" not in text
                    run.italic = "ngày" in text
                    run.font.size = Pt(12)
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.add_paragraph()
        elif b.kind == "table":
            ncols = max(len(r) for r in b.rows)
            table = doc.add_table(rows=0, cols=ncols)
            table.style = doc.styles["Table Grid"]
            for ri, cells in enumerate(b.rows):
                row = table.add_row().cells
                for cell, text in zip(row, cells + [""] * (ncols - len(cells))):
                    p = cell.paragraphs[0]
                    run = p.add_run(text.replace(SOFT_HYPHEN, ""))
                    run.font.size = Pt(11)
                    run.bold = ri == 0
            doc.add_paragraph()
        elif b.kind == "center_bold":
            para(b.text, WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
        elif b.kind == "center":
            para(b.text, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        elif b.kind == "heading":
            para(b.text, WD_ALIGN_PARAGRAPH.LEFT, bold=True)
        elif b.kind == "right":
            p = para(b.text, WD_ALIGN_PARAGRAPH.CENTER, bold=not b.text.startswith("("),
                     italic=b.text.startswith("("))
            p.paragraph_format.left_indent = Cm(8)
            p.paragraph_format.space_after = Pt(0)
        elif b.kind == "small":
            p = para(b.text, WD_ALIGN_PARAGRAPH.LEFT, size=10)
            p.paragraph_format.space_after = Pt(0)
        elif b.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            para(b.text, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)

    cp = doc.core_properties
    cp.title = src.meta.get("title", "")
    cp.author = src.meta.get("author", "")
    cp.last_modified_by = src.meta.get("author", "")
    cp.created = src.date
    cp.modified = src.date
    cp.revision = 1
    cp.comments = "docsearch sample corpus (scripts/build_corpus.py)"
    cp.language = src.meta.get("lang", "vi")

    buf = io.BytesIO()
    doc.save(buf)
    return _normalize_zip(buf.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed timestamps and attributes so the bytes only
    depend on the content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename), compresslevel=9)
    return out.getvalue()


# ----------------------------------------------------------------------------


def build(src: Source) -> bytes:
    suffix = src.out.suffix.lower()
    if suffix == ".pdf":
        return build_pdf(src)
    if suffix == ".docx":
        return build_docx(src)
    if suffix in (".txt", ".html", ".htm", ".md"):
        return build_text(src)
    raise SystemExit(f"{src.path}: unsupported output type {suffix}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only check that outputs are up to date")
    ap.add_argument("names", nargs="*", help="build only sources whose path contains one of these")
    args = ap.parse_args(argv)

    sources = sorted(SRC.rglob("*.src"))
    if args.names:
        sources = [s for s in sources if any(n in str(s) for n in args.names)]
    stale = 0
    for path in sources:
        src = read_source(path)
        data = build(src)
        rel = src.out.relative_to(ROOT)
        if args.check:
            if not src.out.exists() or src.out.read_bytes() != data:
                print(f"stale: {rel}")
                stale += 1
            continue
        src.out.parent.mkdir(parents=True, exist_ok=True)
        old = src.out.read_bytes() if src.out.exists() else None
        src.out.write_bytes(data)
        state = "unchanged" if old == data else "written"
        print(f"{state:9} {rel} ({len(data)} bytes)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
