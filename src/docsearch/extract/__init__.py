"""Turn files into clean text: a registry of extractors keyed by format.

The format is chosen from the file's first bytes where they are telling
(``%PDF``, a ZIP holding ``word/document.xml``, an HTML tag) and from the
suffix otherwise, so a PDF named ``.txt`` is still read as a PDF.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import phrase
from ..lazy import attribute_loader
from .base import Extracted, ExtractionError, page_at

# The OCR module (and its subprocess machinery) and zipfile are loaded when a
# file needs them: a search imports this package for `page_at` alone.
if TYPE_CHECKING:
    from .ocr import OcrOptions

Extractor = Callable[[bytes], Extracted]

SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".markdown": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}


#: Format → (module, function). Modules are imported on first use so that
#: reading a text file never pays for loading pdfium.
EXTRACTORS: dict[str, tuple[str, str]] = {
    "txt": ("text", "extract_text"),
    "html": ("html", "extract_html"),
    "pdf": ("pdf", "extract_pdf"),
    "docx": ("docx", "extract_docx"),
    "image": ("image", "extract_image"),
}

#: Formats whose extractor takes OCR options (``ocr=``) besides the bytes.
OCR_FORMATS = frozenset({"pdf", "image"})

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def get_extractor(fmt: str) -> Extractor:
    """The extractor for a format name; ValueError lists the valid names."""
    try:
        module_name, func = EXTRACTORS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; valid formats: {', '.join(sorted(EXTRACTORS))}") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, func)


def formats() -> list[str]:
    """Names of the formats that have an extractor."""
    return sorted(set(SUFFIXES.values()))


def is_supported(path: Path) -> bool:
    """Whether ``path`` has a suffix docsearch reads when walking a folder."""
    return path.suffix.lower() in SUFFIXES


def sniff_format(data: bytes, suffix: str = "") -> str:
    """The format of ``data``: content first, then the suffix.

    Raises ExtractionError for content no extractor can read.
    """
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF") or (b"%PDF-" in head[:1024] and suffix.lower() == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise ExtractionError(
                phrase("damaged ZIP container"), phrase("re-save the document from its editor")
            ) from exc
        if "word/document.xml" in names:
            return "docx"
        raise ExtractionError(
            phrase("ZIP archive that is not a Word document (no word/document.xml)"),
            phrase("unpack it, or save the document as .docx"),
        )
    if head.startswith(_IMAGE_MAGIC) and SUFFIXES.get(suffix.lower()) not in ("txt", "html"):
        # Named as text, image bytes are reported as binary junk by the text
        # extractor instead: such files are mistakes, not scans.
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError(
            phrase("legacy binary Word/Office file (.doc)"), phrase("save it as .docx or PDF and ingest that")
        )
    lowered = stripped[:512].lower()
    looks_html = lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower()
    by_suffix = SUFFIXES.get(suffix.lower())
    if by_suffix in ("pdf", "docx", "image"):
        # A binary format whose bytes are something else is usually a failed
        # download (an HTML error page saved as .pdf): say so, do not index it.
        kind = {"pdf": "PDF", "docx": "Word document", "image": "PNG, JPEG or TIFF image"}[by_suffix]
        what = "it is an HTML page" if looks_html else "the file does not start like one"
        raise ExtractionError(phrase("not a {kind}: {what}", kind=kind, what=what),
                              phrase("check that the file is complete"))
    if looks_html:
        return "html"
    if by_suffix is not None:
        return by_suffix
    raise ExtractionError(phrase("unsupported file type {suffix}", suffix=suffix or "(no suffix)"),
                          phrase("docsearch reads {suffixes}", suffixes=", ".join(sorted(SUFFIXES))))


def extract_bytes(data: bytes, suffix: str = "", ocr: OcrOptions | None = None) -> tuple[str, Extracted]:
    """Extract ``data``; returns the detected format and the result.

    Scanned PDF pages and image files are read with OCR as ``ocr`` says
    (default: :class:`OcrOptions` with mode ``auto``).
    """
    if not data:
        raise ExtractionError(phrase("empty file (0 bytes)"), phrase("check that the file was copied completely"))
    fmt = sniff_format(data, suffix)
    if fmt in OCR_FORMATS:
        from .ocr import OcrOptions

        module_name, func = EXTRACTORS[fmt]
        module = importlib.import_module(f"{__name__}.{module_name}")
        result: Extracted = getattr(module, func)(data, ocr=ocr or OcrOptions())
    else:
        result = get_extractor(fmt)(data)
    if not result.text.strip():
        raise ExtractionError(phrase("no text found in the file"), phrase("check that it is not blank"))
    return fmt, result


def extract_file(path: str | Path, ocr: OcrOptions | None = None) -> tuple[str, Extracted]:
    """Read and extract one file."""
    p = Path(path)
    return extract_bytes(p.read_bytes(), p.suffix, ocr=ocr)


# The OCR module (and what it imports) loads only when a caller asks for its options.
__getattr__ = attribute_loader(__name__, {"OcrOptions": "ocr"})


__all__ = [
    "Extracted",
    "ExtractionError",
    "Extractor",
    "OcrOptions",
    "extract_bytes",
    "extract_file",
    "formats",
    "get_extractor",
    "is_supported",
    "page_at",
    "sniff_format",
]
