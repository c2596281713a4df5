"""PDF extraction with pypdfium2, with pdfminer.six as a fallback for damaged files.

Pipeline per document:

1. pdfium reads the text of every page (``get_text_range``); ``\\r\\n`` becomes
   ``\\n`` and the text is NFC-normalised at once, because PDFs that store
   decomposed text (base letter + combining marks) are common and every later
   step compares characters.
2. If pdfium cannot open the file, cannot load some pages, or finds no text at
   all, pdfminer.six gets a try; its result is used when it recovers more
   text. Measured on damaged copies of a fixture: when the page tree is broken
   (``/Kids`` or ``/Pages`` pointing nowhere, page tree object unparseable)
   pdfium returns no pages or empty ones while pdfminer, which falls back to
   scanning all page objects, returns 100% of the words. For truncated files,
   broken xref tables, bad ``startxref`` etc. either both fail or pdfium
   already succeeds by itself.
3. Running headers, footers and page numbers are removed: lines near the top
   or bottom of a page that repeat on most pages, digits treated as wildcards.
4. Words hyphenated at a line end are joined again; real hyphens are kept.
5. Each page goes through ``normalize_text`` and pages are joined by a blank
   line, recording where each page starts.

With OCR options (see :mod:`.ocr`), step 1 is followed by OCR page by page:
a page without a usable text layer that holds an image (a scan) is rendered
with pdfium at the OCR resolution and read with Tesseract, and its text
takes the place of the empty text layer before steps 3-5; ``always`` does
this for every page. Only one page image is in memory at a time.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from ..i18n import Phrase, Sayable, phrase
from ..models import OcrPage
from .base import Extracted, ExtractionError
from .clean import normalize_text
from .ocr import MAX_PIXELS, MAX_SIDE, OcrOptions, OcrUnavailable, read_image

if TYPE_CHECKING:
    from pypdfium2 import PdfPage  # imported when a PDF is read: it loads the pdfium library

ENCRYPTED_REASON = phrase("encrypted PDF (password protected)")
ENCRYPTED_HINT = phrase("remove the password (e.g. print to PDF) and ingest again")
DAMAGED_HINT = phrase("re-download or re-export the file")
SCANNED_REASON = phrase("no text layer (scanned?)")
SCANNED_HINT = phrase("run OCR on it first (e.g. ocrmypdf) and ingest the result")

# How many lines at each end of a page are looked at for running headers and
# footers. pdfium may emit a page's footer before its body, and official
# documents often have a two-line header plus a footer plus a page number, so
# the zone is a little larger than one or two lines.
EDGE_LINES = 4
# Share of the pages (with text) a line must repeat on to count as running.
# Below 100% because the first page of an official document usually has no
# header and no page number.
REPEAT_SHARE = 0.6
# A page whose text layer has fewer letters and digits than this is taken for
# a scan in OCR mode ``auto`` (a stamped page number or a stray mark is not a
# text layer); only pages that also hold an image are read.
MIN_TEXT_CHARS = 20

# pdfium marks a hyphen at a line end that it believes to be a soft break with
# U+FFFE and already joins the two lines; we decide ourselves whether the
# hyphen stays.
_PDFIUM_HYPHEN = "\ufffe"
_LINE_END_HYPHENS = "-\u2010\u00ad"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SPACE_BEFORE_MARK = re.compile(f"[ \\t\\n]+(?=[{_COMBINING}])")
# Control characters and non-characters; U+FFFE is pdfium's hyphen marker and
# is resolved by ``dehyphenate`` instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uffff]")
_DIGITS = re.compile(r"\d+")
_WS = re.compile(r"\s+")

# Letters that (practically) only Vietnamese uses: ă đ ơ ư ĩ ũ and the whole
# "Latin Extended Additional" block of tone-marked vowels. Letters such as é
# or ô are shared with French, Portuguese etc. and are not in this set.
_VIET_ONLY = set("ăđơưĩũĂĐƠƯĨŨ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def extract_pdf(data: bytes, ocr: OcrOptions | None = None) -> Extracted:
    """Extract the text of a PDF.

    Returns the pages' text joined by blank lines, with ``page_starts`` set to
    the offset of each page, the document's Title metadata when it is
    meaningful, and warnings for pages without text or a recovery with
    pdfminer. Raises ExtractionError for encrypted and damaged PDFs, and for
    image-only (scanned) ones that OCR did not read: without ``ocr`` (or
    with mode ``never``), when Tesseract is missing, or when it found no text.
    """
    warnings: list[Sayable] = []
    pages, title, failure = _read_with_pdfium(data)
    ocr_pages: list[OcrPage] = []
    ocr_problem: ExtractionError | None = None
    if pages is not None and ocr is not None and ocr.enabled:
        pages, ocr_pages, ocr_problem = _ocr(data, pages, ocr, warnings)

    # pdfium is fast and exact, so it is the main engine; pdfminer only gets a
    # chance when pdfium's result is visibly incomplete.
    pdfium_failed_pages = pages is not None and any(p is None for p in pages)
    if pages is None or pdfium_failed_pages or not _has_text(pages):
        recovered = _read_with_pdfminer(data)
        if recovered is not None and _text_amount(recovered) > _text_amount(pages or []):
            why: object = failure or (
                phrase("some pages could not be loaded") if pdfium_failed_pages else phrase("no text found")
            )
            warnings.append(phrase("pdfium could not read the file ({why}); text recovered with pdfminer.six", why=why))
            pages = list(recovered)
            ocr_pages = []
    if pages is None:
        raise ExtractionError(phrase("damaged PDF: {error}", error=failure), DAMAGED_HINT)

    unreadable = [i + 1 for i, p in enumerate(pages) if p is None]
    if unreadable:
        warnings.append(phrase("{pages} could not be read (damaged)", pages=_pages(unreadable)))
    page_lines = [_prepare_page(p or "") for p in pages]
    if not any(any(line.strip() for line in lines) for lines in page_lines):
        if unreadable:  # not a scan: the pages themselves are broken
            raise ExtractionError(phrase("damaged PDF: pages could not be loaded"), DAMAGED_HINT)
        _raise_scanned(ocr, ocr_problem)

    page_lines = remove_running_lines(page_lines)
    vietnamese = _looks_vietnamese("\n".join("\n".join(lines) for lines in page_lines))
    texts = [normalize_text(dehyphenate("\n".join(lines), vietnamese)) for lines in page_lines]

    read_by_ocr = {p.page for p in ocr_pages}
    empty = [i + 1 for i, t in enumerate(texts)
             if not t and (i + 1) not in unreadable and (i + 1) not in read_by_ocr]
    if empty and len(empty) < len(texts):
        if ocr is not None and ocr.enabled and ocr_problem is None:
            warnings.append(phrase("{pages}: no text layer, and OCR found no text (blank or a photo?)",
                                   pages=_pages(empty)))
        elif ocr_problem is not None:
            warnings.append(phrase("{pages}: no text layer, and not read with OCR: {problem}", pages=_pages(empty),
                                   problem=ocr_problem.said))
        else:
            warnings.append(phrase("{pages} has no text layer", pages=_pages(empty)) if len(empty) == 1
                            else phrase("{pages} have no text layer", pages=_pages(empty)))
    if not any(texts):
        # Only running lines (e.g. a page number stamped on scanned pages).
        _raise_scanned(ocr, ocr_problem)

    text, starts = join_pages(texts)
    return Extracted(
        text=text,
        page_starts=tuple(starts),
        title=_meaningful_title(title),
        warnings=tuple(warnings),
        ocr_pages=tuple(p for p in ocr_pages if texts[p.page - 1]),
    )


def _raise_scanned(ocr: OcrOptions | None, problem: ExtractionError | None) -> NoReturn:
    """The error for a PDF in which neither the text layer nor OCR gave text."""
    if problem is not None:
        raise ExtractionError(phrase("{reason}, and {problem}", reason=SCANNED_REASON, problem=problem.reason_said),
                              problem.hint_said)
    if ocr is not None and ocr.enabled:
        raise ExtractionError(phrase("{reason}, and OCR found no text on it", reason=SCANNED_REASON),
                              phrase("check the scan: blank pages or photos only?"))
    raise ExtractionError(SCANNED_REASON, SCANNED_HINT)


def clean_ocr_pages(raw_pages: Sequence[str]) -> tuple[list[str], list[int], str]:
    """Clean page texts read by OCR from an image file the way PDF pages are
    cleaned; returns the page texts, where each page starts, and the text."""
    page_lines = remove_running_lines([_prepare_page(p) for p in raw_pages])
    vietnamese = _looks_vietnamese("\n".join("\n".join(lines) for lines in page_lines))
    texts = [normalize_text(dehyphenate("\n".join(lines), vietnamese)) for lines in page_lines]
    text, starts = join_pages(texts)
    return texts, starts, text


# ---------------------------------------------------------------- OCR


def _letters(text: str | None) -> int:
    return sum(1 for ch in text or "" if ch.isalnum())


def _ocr(data: bytes, pages: list[str | None], options: OcrOptions,
         warnings: list[Sayable]) -> tuple[list[str | None], list[OcrPage], ExtractionError | None]:
    """Read the pages that need it with OCR (see the module docstring).

    Returns the page texts with OCR text in place, the pages read, and the
    reason OCR could not be used at all (Tesseract missing) if it could not.
    Problems with single pages become warnings.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if options.mode == "always":
        wanted = [i for i, p in enumerate(pages) if p is not None]
    else:
        wanted = [i for i, p in enumerate(pages) if p is not None and _letters(p) < MIN_TEXT_CHARS]
    if not wanted:
        return pages, [], None
    out = list(pages)
    done: list[OcrPage] = []
    failed: list[int] = []
    skipped: list[int] = []
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return pages, [], None
    try:
        for i in wanted:
            page = pdf.get_page(i)
            try:
                if options.mode == "auto" and not _has_image(page, pdfium_c.FPDF_PAGEOBJ_IMAGE):
                    continue  # blank, or text drawn as shapes: nothing a scan would show
                if len(done) + len(failed) >= options.max_pages:
                    skipped.append(i + 1)
                    continue
                width, height = page.get_size()
                scale = options.dpi / 72
                pixels = width * height * scale * scale
                if pixels > MAX_PIXELS or max(width, height) * scale > MAX_SIDE:
                    scale = min((MAX_PIXELS / (width * height)) ** 0.5, MAX_SIDE / max(width, height))
                    warnings.append(phrase("page {n}: very large page ({size} in) rendered at {dpi} dpi for OCR",
                                           n=i + 1, size=f"{width / 72:.0f}x{height / 72:.0f}", dpi=round(scale * 72)))
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    image = bitmap.to_pil()
                    result = read_image(image, lang=options.lang, dpi=round(scale * 72),
                                        timeout=options.page_timeout)
                finally:
                    bitmap.close()
            except OcrUnavailable as exc:
                if done:  # installed a moment ago? keep what was read
                    raise
                return pages, [], exc
            except ExtractionError as exc:
                failed.append(i + 1)
                warnings.append(phrase("page {n}: {problem}", n=i + 1, problem=exc.said))
                continue
            except pdfium.PdfiumError as exc:
                failed.append(i + 1)
                warnings.append(phrase("page {n}: could not be rendered for OCR ({error})", n=i + 1, error=exc))
                continue
            finally:
                page.close()
            if result.words:
                out[i] = result.text
                done.append(OcrPage(i + 1, result.confidence, result.words))
            elif options.mode == "always" and _letters(pages[i]) >= MIN_TEXT_CHARS:
                pass  # keep the text layer when OCR sees nothing
            else:
                out[i] = ""
    finally:
        pdf.close()
    if skipped:
        warnings.append(phrase("{pages} not read with OCR: more than {n} scanned pages in one file (split it)",
                               pages=_pages(skipped), n=options.max_pages))
    return out, done, None


def _has_image(page: PdfPage, image_type: int) -> bool:
    """Whether a page holds an image object (at any depth of form XObjects);
    ``image_type`` is pdfium's FPDF_PAGEOBJ_IMAGE."""
    objects = page.get_objects(filter=[image_type], max_depth=2)
    return next(iter(objects), None) is not None


# ---------------------------------------------------------------- reading


def _read_with_pdfium(data: bytes) -> tuple[list[str | None] | None, str | None, str | None]:
    """Raw text of each page (None for a page pdfium cannot load), the Title
    metadata, and pdfium's complaint when the document does not open at all.

    Raises ExtractionError for password-protected files: no other engine can
    read those either.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError(ENCRYPTED_REASON, ENCRYPTED_HINT) from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ExtractionError(
                phrase("encrypted PDF (unsupported security handler)"), ENCRYPTED_HINT
            ) from exc
        return None, None, _pdfium_reason(exc, code)

    # Close every pdfium object as soon as it is done with instead of leaving
    # it to the garbage collector: pdfium holds the whole file in memory and
    # ingestion runs through thousands of files.
    try:
        title = pdf.get_metadata_value("Title") or None
        pages: list[str | None] = []
        for index in range(len(pdf)):
            try:
                page = pdf.get_page(index)
            except pdfium.PdfiumError:
                pages.append(None)
                continue
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(textpage.get_text_range())
                finally:
                    textpage.close()
            except pdfium.PdfiumError:
                pages.append(None)
            finally:
                page.close()
        return pages, title, None
    finally:
        pdf.close()


def _pdfium_reason(exc: Exception, code: int | None) -> str:
    """pdfium's own words for why a file does not open, without the wrapper
    text pypdfium2 puts around them."""
    message = str(exc)
    match = re.search(r"\(PDFium: (.*?)\)", message)
    reason = match.group(1).strip().rstrip(".") if match else message.strip().rstrip(".")
    # pdfium reports "Success" when the file parses but has no pages (e.g. the
    # catalog's page tree points nowhere).
    if code == 0 or reason.lower() == "success":
        return "no pages found"
    return reason or "unknown error"


def _read_with_pdfminer(data: bytes) -> list[str] | None:
    """Page texts as read by pdfminer.six, or None if it fails too.

    pdfminer's layout analysis puts a line break in front of combining marks
    that stick out of their line's box (decomposed Vietnamese); those breaks
    are removed so the marks rejoin their letter.
    """
    import logging

    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextContainer
    except ImportError:  # optional: without it damaged files just stay unread
        return None

    # pdfminer logs every repair it makes on a damaged file; those are noise
    # for the user, who gets one warning from us instead.
    log = logging.getLogger("pdfminer")
    previous = log.level
    log.setLevel(logging.ERROR)
    try:
        pages = []
        for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
            text = "".join(el.get_text() for el in layout if isinstance(el, LTTextContainer))
            pages.append(_SPACE_BEFORE_MARK.sub("", text))
        return pages or None
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds on broken input
        return None
    finally:
        log.setLevel(previous)


def _has_text(pages: Sequence[str | None]) -> bool:
    return any(p and p.strip() for p in pages)


def _text_amount(pages: Sequence[str | None]) -> int:
    return sum(len(_WS.sub("", p)) for p in pages if p)


# ---------------------------------------------------------------- cleaning


def _prepare_page(raw: str) -> list[str]:
    """Line list of one page: ``\\n`` endings, NFC, no control characters
    (pdfium's hyphen marker stays until ``dehyphenate``), trailing spaces gone."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    return [line.rstrip() for line in text.split("\n")]


def _line_key(line: str) -> str:
    """What a line looks like with its numbers blanked out, so that
    "Trang 3/12" and "Trang 4/12" compare equal."""
    return _DIGITS.sub("#", _WS.sub(" ", line.strip()))


def _edge_indices(lines: list[str]) -> list[int]:
    """Indices of the first and last EDGE_LINES non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES]) | set(filled[-EDGE_LINES:]))


def _numbers(line: str) -> list[int]:
    return [int(n) for n in _DIGITS.findall(line)]


def _page_number_rules(occurrences: dict[int, list[str]], needed: int) -> set[tuple[int, int]]:
    """For lines of one shape that differ in their numbers: the (position,
    offset) pairs such that the number at that position equals page index +
    offset on at least ``needed`` pages. "Trang 2", "Trang 3"... qualify;
    "Điều 4." and "Điều 9." opening two pages do not."""
    width = min(len(_numbers(line)) for lines in occurrences.values() for line in lines)
    rules: set[tuple[int, int]] = set()
    for j in range(width):
        pages_by_offset: dict[int, set[int]] = defaultdict(set)
        for page, lines in occurrences.items():
            for line in lines:
                pages_by_offset[_numbers(line)[j] - page].add(page)
        rules.update((j, offset) for offset, pages in pages_by_offset.items() if len(pages) >= needed)
    return rules


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers, footers and page numbers.

    Only lines near the top or bottom of a page are candidates (either end,
    because pdfium sometimes emits the footer first). A candidate goes when
    the same line is near an edge on at least REPEAT_SHARE of the pages with
    text (and at least two), or when lines of its shape (digits as
    wildcards) are, and its numbers count up with the page like page
    numbers ("Trang 3/12", "- 4 -"). With two pages the line must be on
    both; a single page is left alone.
    """
    with_text = [i for i, lines in enumerate(pages) if any(line.strip() for line in lines)]
    if len(with_text) < 2:
        return pages
    needed = len(with_text) if len(with_text) == 2 else max(2, math.ceil(REPEAT_SHARE * len(with_text)))

    by_text: dict[str, set[int]] = defaultdict(set)
    by_shape: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page in with_text:
        for i in _edge_indices(pages[page]):
            line = _WS.sub(" ", pages[page][i].strip())
            by_text[line].add(page)
            if _DIGITS.search(line):
                by_shape[_line_key(line)][page].append(line)
    running_texts = {line for line, where in by_text.items() if len(where) >= needed}
    number_rules = {
        shape: rules
        for shape, where in by_shape.items()
        if len(where) >= needed and (rules := _page_number_rules(where, needed))
    }
    if not running_texts and not number_rules:
        return pages

    def is_running(line: str, page: int) -> bool:
        line = _WS.sub(" ", line.strip())
        if line in running_texts:
            return True
        rules = number_rules.get(_line_key(line))
        if not rules:
            return False
        numbers = _numbers(line)
        return any(numbers[j] - page == offset for j, offset in rules)

    cleaned: list[list[str]] = []
    for page, lines in enumerate(pages):
        drop = {i for i in _edge_indices(lines) if is_running(lines[i], page)}
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned


def _looks_vietnamese(text: str) -> bool:
    """Whether a text is Vietnamese: enough letters only Vietnamese uses.
    The first 100,000 characters are plenty to tell."""
    text = text[:100_000]
    letters = sum(1 for ch in text if ch.isalpha())
    viet = sum(1 for ch in text if ch in _VIET_ONLY)
    return viet >= 3 and viet >= 0.01 * letters


def _fragment(text: str, end: int, step: int) -> str:
    """The run of non-space characters next to position ``end`` going in
    direction ``step`` (-1: the word before, +1: the word after)."""
    chars = []
    i = end
    while 0 <= i < len(text) and not text[i].isspace():
        chars.append(text[i])
        i += step
    return "".join(reversed(chars) if step < 0 else chars)


def _drop_hyphen(before: str, after: str, vietnamese: bool) -> bool:
    """Whether a hyphen at a line end was inserted by hyphenation.

    Only between a letter and a lowercase letter, and never when either part
    is Vietnamese: Vietnamese words are single syllables and are not broken,
    so a hyphen there is a real one ("kinh tế-xã hội").
    """
    if not before or not after or not before[-1].isalpha() or not after[0].islower():
        return False
    pieces = before + after
    if any(ch in _VIET_ONLY for ch in pieces):
        return False
    return not (vietnamese and any(ord(ch) > 127 for ch in pieces))


_HYPHEN_BREAK = re.compile(f"[{_LINE_END_HYPHENS}]\n[ \t]*|{_PDFIUM_HYPHEN}(?:\n[ \t]*)?")


def dehyphenate(text: str, vietnamese: bool = False) -> str:
    """Join words split at a line end.

    ``trans-\\nformation`` becomes ``transformation``; a real hyphen stays but
    the word is not broken either: ``57-\\nNQ/TW`` becomes ``57-NQ/TW``. A
    soft hyphen (U+00AD) at a line end is always a break point. pdfium's
    U+FFFE marker (a line-end hyphen whose lines it already joined) is
    decided the same way.
    """

    def join(match: re.Match[str]) -> str:
        before = _fragment(text, match.start() - 1, -1)
        after = _fragment(text, match.end(), +1)
        hyphen = match.group(0)[0]
        if hyphen == _PDFIUM_HYPHEN:
            return "" if _drop_hyphen(before, after, vietnamese) else "-"
        if not (before and after and before[-1].isalnum() and after[0].isalnum()):
            return match.group(0)  # "a list -" / a hyphen ending the text
        if hyphen == "\u00ad" or _drop_hyphen(before, after, vietnamese):
            return ""
        return hyphen

    return _HYPHEN_BREAK.sub(join, text)


def join_pages(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Join page texts with a blank line; return the text and the offset at
    which each page starts. A page without text starts where the next text
    begins, so offsets map to the page that holds them."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for page in texts:
        sep = 2 if parts else 0
        starts.append(length + sep)
        if page:
            parts.append(page)
            length += sep + len(page)
    return "\n\n".join(parts), starts


# ---------------------------------------------------------------- metadata


_MEANINGLESS_TITLES = re.compile(
    r"^(untitled|unknown|no title|document\d*|title|tài liệu|văn bản|"
    r"microsoft (word|powerpoint|excel).*|powerpoint presentation|slide \d+|"
    r".*\.(docx?|pdf|rtf|odt|txt|tmp|xlsx?|pptx?|html?|jpe?g|png|tiff?|qxd|indd))$",
    re.IGNORECASE,
)


def _meaningful_title(raw: str | None) -> str | None:
    """The Title metadata unless it is empty, a file name, a placeholder such
    as "Untitled", or the "Microsoft Word - name.docx" that printing to PDF
    leaves behind."""
    if not raw:
        return None
    title = unicodedata.normalize("NFC", _CONTROL.sub("", raw))
    title = title.replace("\ufeff", "").replace(_PDFIUM_HYPHEN, "")
    title = _WS.sub(" ", title).strip()
    if len(title) < 3 or not any(ch.isalpha() for ch in title):
        return None
    if _MEANINGLESS_TITLES.match(title):
        return None
    return title


def _pages(numbers: list[int]) -> Phrase:
    """'page 3' or 'pages 3, 5-7'."""
    if len(numbers) == 1:
        return phrase("page {n}", n=numbers[0])
    ranges: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        ranges.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return phrase("pages {numbers}", numbers=", ".join(ranges))
