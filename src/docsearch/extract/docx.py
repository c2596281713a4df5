"""DOCX extraction with ``zipfile`` and ``xml.etree.ElementTree`` only.

Reading order of the result: header text (once, deduplicated across
sections), the body (paragraphs and tables as they appear), footnotes,
endnotes, footer text. Tracked changes are read as if accepted: inserted
text is in, deleted text is out. Fields show their displayed result, never
their code.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from ..i18n import Sayable, phrase
from .base import Extracted, ExtractionError
from .clean import normalize_text

# A part bigger than this once uncompressed is refused: real documents stay
# far below it, while a few hundred KB of deflated zeros can claim gigabytes.
MAX_PART_BYTES = 200 * 1024 * 1024

RESAVE_HINT = phrase("open the document in Word or LibreOffice and save it again as .docx")

_W_NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "strict" OOXML
}
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_R_ID_ATTRS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_TITLE_STYLE_NAMES = {"title", "heading 1"}
_NOTE_SKIP_TYPES = {"separator", "continuationSeparator", "continuationNotice"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NATURAL = re.compile(r"(\d+)")


def _split(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if not isinstance(tag, str):  # comments and processing instructions
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _w(el: ET.Element) -> str:
    """Local name of a WordprocessingML element, "" for other namespaces."""
    ns, local = _split(el.tag)
    return local if ns in _W_NAMESPACES else ""


def _wattr(el: ET.Element, name: str) -> str | None:
    for ns in _W_NAMESPACES:
        value = el.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return None


def _rel_id(el: ET.Element) -> str | None:
    for attr in _R_ID_ATTRS:
        if el.get(attr):
            return el.get(attr)
    return None


def _on(el: ET.Element | None) -> bool:
    """Value of an on/off property element such as <w:vanish/>."""
    if el is None:
        return False
    return (_wattr(el, "val") or "true").lower() not in ("0", "false", "off")


# ------------------------------------------------------------ package


class _Package:
    """The ZIP container: bounded reads, XML parsing, relationships."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.names = set(zf.namelist())
        self.warnings: list[Sayable] = []

    def read(self, name: str) -> bytes:
        info = self.zf.getinfo(name)
        if info.file_size > MAX_PART_BYTES:
            raise _too_big(name, info.file_size)
        try:
            with self.zf.open(info) as fh:
                # Read one byte past the limit: the size in the ZIP directory
                # can lie, the decompressed stream cannot.
                raw = fh.read(MAX_PART_BYTES + 1)
        except RuntimeError as exc:  # encrypted ZIP member
            raise ExtractionError(phrase("cannot read {name}: {error}", name=name, error=exc), RESAVE_HINT) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise ExtractionError(
                phrase("damaged Word document: {name} cannot be unpacked ({error})", name=name, error=exc), RESAVE_HINT
            ) from exc
        if len(raw) > MAX_PART_BYTES:
            raise _too_big(name, len(raw))
        return raw

    def xml(self, name: str, required: bool = False) -> ET.Element | None:
        """Parsed part, or None (with a warning) if an optional part is bad."""
        if name not in self.names:
            return None
        raw = self.read(name)
        try:
            # Word never writes a DTD; one in a part can only be an entity
            # expansion attack, so it is refused rather than expanded.
            if b"<!DOCTYPE" in raw[:2048] or b"<!ENTITY" in raw:
                raise ET.ParseError("document type declarations are not allowed")
            return ET.fromstring(raw)
        except ET.ParseError as exc:
            if required:
                raise ExtractionError(phrase("malformed XML in {name}: {error}", name=name, error=exc),
                                      RESAVE_HINT) from exc
            self.warnings.append(phrase("skipped {name}: malformed XML ({error})", name=name, error=exc))
            return None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (relationship type's last segment, part name) for ``part``."""
        folder, base = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        result: dict[str, tuple[str, str]] = {}
        if rels is None:
            return result
        for rel in rels:
            if _split(rel.tag)[1] != "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            kind = rel.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
            result[rel.get("Id", "")] = (kind, name)
        return result

    def main_document(self) -> str:
        """Name of the main document part (normally word/document.xml)."""
        for kind, name in self.relationships("").values():
            if kind == "officeDocument" and name in self.names:
                return name
        return "word/document.xml"


def _too_big(name: str, size: int) -> ExtractionError:
    return ExtractionError(
        phrase("refusing {name}: {size} MB uncompressed exceeds the {limit} MB limit (zip bomb?)", name=name,
               size=f"{size / 1024 / 1024:.0f}", limit=MAX_PART_BYTES // 1024 // 1024),
        phrase("check where the file comes from; if it is genuine, save it again from Word"),
    )


# ------------------------------------------------------------- walker


class _Walker:
    """Turns WordprocessingML into text blocks."""

    def __init__(self, title_styles: set[str]) -> None:
        self.title_styles = title_styles
        self.code_depth = 0  # > 0 while inside a field's code (begin..separate)
        self.fields: list[bool] = []  # per open field: still in its code part?
        self.first_title: str | None = None
        self.watch_titles = False

    def reset_fields(self) -> None:
        self.fields = []
        self.code_depth = 0

    # -- blocks
    def blocks(self, container: ET.Element) -> list[str]:
        """Text of the paragraphs and tables in ``container``, in order."""
        out: list[str] = []
        for el in container:
            name = _w(el)
            if name == "p":
                out.append(self.paragraph(el))
            elif name == "tbl":
                out.append(self.table(el))
            elif name == "sdt":
                content = _child(el, "sdtContent")
                if content is not None:
                    out.extend(self.blocks(content))
            elif name in ("customXml", "ins", "moveTo", "smartTag"):
                out.extend(self.blocks(el))
            elif _split(el.tag) == (_MC, "AlternateContent"):
                branch = _choose_branch(el)
                if branch is not None:
                    out.extend(self.blocks(branch))
            # del / moveFrom: deleted or moved-away content; sectPr, bookmarks,
            # altChunk (embedded foreign documents): no text of their own.
        return out

    def paragraph(self, p: ET.Element) -> str:
        parts: list[str] = []
        self._inline(p, parts)
        text = "".join(parts)
        if self.watch_titles and self.first_title is None and text.strip():
            style = _paragraph_style(p)
            if style is not None and style in self.title_styles:
                self.first_title = normalize_text(text)
        return text

    def table(self, tbl: ET.Element) -> str:
        rows: list[str] = []
        for row in _children_through_wrappers(tbl, "tr"):
            tr_pr = _child(row, "trPr")
            if tr_pr is not None and _child(tr_pr, "del") is not None:
                continue  # a row deleted with tracked changes on
            cells = []
            for cell in _children_through_wrappers(row, "tc"):
                texts = [normalize_text(b) for b in self.blocks(cell)]
                cells.append("\n".join(t for t in texts if t))
            if any(cells):
                rows.append(" | ".join(cells))
        return "\n".join(rows)

    # -- inline content
    def _emit(self, parts: list[str], text: str) -> None:
        if self.code_depth == 0:
            parts.append(text)

    def _inline(self, el: ET.Element, parts: list[str]) -> None:
        for child in el:
            name = _w(child)
            if name == "r":
                self._run(child, parts)
            elif name in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple",
                          "dir", "bdo", "rubyBase"):
                self._inline(child, parts)
            elif name == "sdt":
                content = _child(child, "sdtContent")
                if content is not None:
                    self._inline(content, parts)
            elif name == "ruby":
                base = _child(child, "rubyBase")
                if base is not None:
                    self._inline(base, parts)
            elif _split(child.tag) == (_MC, "AlternateContent"):
                branch = _choose_branch(child)
                if branch is not None:
                    self._inline(branch, parts)
            elif _split(child.tag)[0] == _MATH:
                self._emit(parts, "".join(t.text or "" for t in child.iter(f"{{{_MATH}}}t")))
            # del / moveFrom (deleted text), pPr, rPr, bookmarks, proofing
            # marks, comment ranges: nothing to show.

    def _run(self, run: ET.Element, parts: list[str]) -> None:
        r_pr = _child(run, "rPr")
        hidden = r_pr is not None and _on(_child(r_pr, "vanish"))
        for child in run:
            name = _w(child)
            if name == "fldChar":
                self._field_char(_wattr(child, "fldCharType") or "")
            elif hidden or name in ("rPr", "instrText", "delText", "delInstrText"):
                continue
            elif name == "t":
                self._emit(parts, child.text or "")
            elif name in ("tab", "ptab"):
                self._emit(parts, "\t")
            elif name in ("br", "cr"):
                self._emit(parts, "\n")
            elif name == "noBreakHyphen":
                self._emit(parts, "-")
            elif name == "softHyphen":
                self._emit(parts, "\u00ad")
            elif name == "sym":
                self._emit(parts, _symbol(_wattr(child, "char")))
            elif name in ("drawing", "pict", "object") or _split(child.tag) == (_MC, "AlternateContent"):
                for box in _text_boxes(child):
                    texts = [normalize_text(b) for b in self.blocks(box)]
                    self._emit(parts, "\n" + "\n".join(t for t in texts if t) + "\n")

    def _field_char(self, kind: str) -> None:
        # Complex fields: begin, code (instrText), separate, result, end. They
        # nest and may span runs and paragraphs.
        if kind == "begin":
            self.fields.append(True)
            self.code_depth += 1
        elif kind == "separate" and self.fields and self.fields[-1]:
            self.fields[-1] = False
            self.code_depth -= 1
        elif kind == "end" and self.fields and self.fields.pop():
            # The field ends before its separator: its code part ends here too.
            self.code_depth -= 1


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for child in el:
        if _w(child) == name:
            return child
    return None


def _children_through_wrappers(el: ET.Element, name: str) -> Iterable[ET.Element]:
    """Children named ``name``, also when wrapped in content controls or
    custom XML (<w:sdt><w:sdtContent><w:tr>...)."""
    for child in el:
        local = _w(child)
        if local == name:
            yield child
        elif local == "sdt":
            content = _child(child, "sdtContent")
            if content is not None:
                yield from _children_through_wrappers(content, name)
        elif local in ("customXml", "ins", "moveTo"):
            yield from _children_through_wrappers(child, name)


def _choose_branch(alternate: ET.Element) -> ET.Element | None:
    """The one branch of an mc:AlternateContent to read: Choice and Fallback
    hold the same content twice (e.g. a text box as DrawingML and as VML)."""
    for child in alternate:
        if _split(child.tag) == (_MC, "Choice"):
            return child
    for child in alternate:
        if _split(child.tag) == (_MC, "Fallback"):
            return child
    return None


def _text_boxes(el: ET.Element) -> list[ET.Element]:
    """Outermost w:txbxContent elements inside a drawing, reading only one
    branch of any mc:AlternateContent."""
    found: list[ET.Element] = []
    if _split(el.tag) == (_MC, "AlternateContent"):
        branch = _choose_branch(el)
        stack = [branch] if branch is not None else []
    else:
        stack = [el]
    while stack:
        node = stack.pop()
        for child in reversed(list(node)):
            if _w(child) == "txbxContent":
                found.append(child)
            elif _split(child.tag) == (_MC, "AlternateContent"):
                branch = _choose_branch(child)
                if branch is not None:
                    stack.append(branch)
            else:
                stack.append(child)
    return found


def _symbol(code: str | None) -> str:
    """Character of a w:sym. Symbol-font codes (U+F000..U+F0FF) have no
    Unicode meaning of their own and are dropped."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF or value < 0x20:
        return ""
    return chr(value)


def _paragraph_style(p: ET.Element) -> str | None:
    p_pr = _child(p, "pPr")
    style = _child(p_pr, "pStyle") if p_pr is not None else None
    return _wattr(style, "val") if style is not None else None


def _title_styles(styles: ET.Element | None) -> set[str]:
    """Style ids of the Title and Heading 1 paragraph styles. The ids are
    localised in some Word versions, the names are not."""
    ids = {"Title", "Heading1"}
    if styles is None:
        return ids
    for style in styles:
        if _w(style) != "style":
            continue
        name_el = _child(style, "name")
        name = (_wattr(name_el, "val") or "").lower() if name_el is not None else ""
        if name in _TITLE_STYLE_NAMES:
            ids.add(_wattr(style, "styleId") or "")
    return ids


# --------------------------------------------------------------- main


def extract_docx(data: bytes) -> Extracted:
    """Extract the text of a Word .docx file.

    Header first, then paragraphs and tables in reading order (cells joined
    by `` | ``), footnotes and endnotes, footer last. The title is the
    document property Title, else the first paragraph styled Title or
    Heading 1. Raises ExtractionError for files that are not a valid DOCX,
    have malformed XML in the main document, or hold a part over
    MAX_PART_BYTES uncompressed.
    """
    if data.startswith(_OLE_MAGIC):
        # Password-protected .docx files are OLE containers, like old .doc.
        raise ExtractionError(
            phrase("password-protected or legacy Word file (OLE container, not a .docx ZIP)"),
            phrase("remove the password, or save it as .docx, and ingest again"),
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ExtractionError(
            phrase("damaged Word document: not a valid ZIP container"), RESAVE_HINT
        ) from exc

    with zf:
        pkg = _Package(zf)
        main = pkg.main_document()
        if main not in pkg.names:
            raise ExtractionError(
                phrase("not a Word document: word/document.xml is missing"),
                phrase("save the file as .docx from Word or LibreOffice"),
            )
        document = pkg.xml(main, required=True)
        body = _child(document, "body") if document is not None else None
        if document is None or body is None:
            raise ExtractionError(phrase("malformed Word document: {part} has no body", part=main), RESAVE_HINT)

        rels = pkg.relationships(main)
        by_kind: dict[str, list[str]] = {}
        for kind, name in rels.values():
            by_kind.setdefault(kind, []).append(name)
        walker = _Walker(_title_styles(pkg.xml(_first_of(by_kind, "styles", "word/styles.xml"))))

        walker.watch_titles = True
        body_text = "\n\n".join(walker.blocks(body))
        walker.watch_titles = False

        headers = _header_footer_texts(pkg, walker, document, rels, "header")
        footers = _header_footer_texts(pkg, walker, document, rels, "footer")
        notes = []
        for kind, default, tag in (("footnotes", "word/footnotes.xml", "footnote"),
                                   ("endnotes", "word/endnotes.xml", "endnote")):
            notes.extend(_notes(pkg, walker, _first_of(by_kind, kind, default), tag))
        title = _core_title(pkg) or walker.first_title

    sections = [*headers, body_text, "\n".join(notes), *footers]
    text = normalize_text("\n\n".join(s for s in sections if s.strip()))
    return Extracted(text=text, title=title or None, warnings=tuple(pkg.warnings))


def _first_of(by_kind: dict[str, list[str]], kind: str, default: str) -> str:
    names = by_kind.get(kind)
    return names[0] if names else default


def _header_footer_texts(
    pkg: _Package,
    walker: _Walker,
    document: ET.Element,
    rels: dict[str, tuple[str, str]],
    kind: str,
) -> list[str]:
    """Distinct non-empty texts of the headers (or footers), in the order the
    sections reference them; all header parts in name order if the document
    references none (or its relationships are missing)."""
    parts: list[str] = []
    for ref in document.iter():
        if _w(ref) == f"{kind}Reference":
            target = rels.get(_rel_id(ref) or "")
            if target and target[0] == kind and target[1] not in parts:
                parts.append(target[1])
    if not parts:
        pattern = re.compile(rf"word/{kind}\d*\.xml")
        parts = sorted((n for n in pkg.names if pattern.fullmatch(n)), key=_natural_key)

    texts: list[str] = []
    for name in parts:
        root = pkg.xml(name)
        if root is None:
            continue
        walker.reset_fields()
        text = normalize_text("\n".join(walker.blocks(root)))
        if text and text not in texts:
            texts.append(text)
    return texts


def _notes(pkg: _Package, walker: _Walker, name: str, tag: str) -> list[str]:
    root = pkg.xml(name)
    if root is None:
        return []
    texts = []
    for note in root:
        if _w(note) != tag or (_wattr(note, "type") or "normal") in _NOTE_SKIP_TYPES:
            continue
        walker.reset_fields()
        text = normalize_text("\n".join(walker.blocks(note)))
        if text:
            texts.append(text)
    return texts


def _core_title(pkg: _Package) -> str | None:
    name = "docProps/core.xml"
    for kind, target in pkg.relationships("").values():
        if kind == "core-properties":
            name = target
    core = pkg.xml(name)
    if core is None:
        return None
    el = core.find(_DC_TITLE)
    if el is None or not el.text:
        return None
    return normalize_text(el.text) or None


def _natural_key(name: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in _NATURAL.split(name)]
