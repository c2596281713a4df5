"""Scanned images (PNG, JPEG, TIFF including multi-page TIFF) read with OCR.

Images are decoded with Pillow one page (TIFF frame) at a time, so memory
holds one page whatever the file. Before a page is decoded its size is
checked against :data:`~.ocr.MAX_PIXELS`: a JPEG that is too large is
decoded at a half, quarter or eighth of its size (JPEG can do that without
decoding it in full); any other oversized page is skipped with a warning.
Pages beyond the file's OCR page limit are not read either. A page stored
sideways with an EXIF orientation tag (phone photos) is turned upright.
Each page's text goes through the same cleaning as PDF text.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from ..i18n import Sayable, phrase
from ..models import OcrPage
from .base import Extracted, ExtractionError
from .ocr import MAX_PIXELS, MAX_SIDE, OcrOptions, OcrUnavailable, check_available, read_image
from .pdf import clean_ocr_pages

if TYPE_CHECKING:
    from PIL.Image import Image

DAMAGED_HINT = phrase("re-scan it or export it again as PNG, JPEG or TIFF")
LARGE_HINT = phrase("scan at 300 dpi or split the image")


def extract_image(data: bytes, ocr: OcrOptions | None = None) -> Extracted:
    """Read an image file with OCR (see the module docstring).

    Raises ExtractionError when OCR is off or not installed, the image is
    damaged or too large, or no page yields any text.
    """
    options = ocr or OcrOptions()
    if not options.enabled:
        raise ExtractionError(phrase("image file, and OCR is off (--ocr never)"),
                              phrase("ingest it with --ocr auto to read it with OCR"))
    check_available(options.lang)

    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns (and above twice its limit refuses) on large images;
        # the size is checked below with our own limit and message instead.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        saved_limit = PILImage.MAX_IMAGE_PIXELS
        PILImage.MAX_IMAGE_PIXELS = None
        try:
            image = PILImage.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise ExtractionError(phrase("damaged or unsupported image (Pillow cannot identify it)"),
                                  DAMAGED_HINT) from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise ExtractionError(phrase("damaged image: {error}", error=exc), DAMAGED_HINT) from None
        finally:
            PILImage.MAX_IMAGE_PIXELS = saved_limit
        try:
            return _read_pages(image, options)
        finally:
            image.close()


def _read_pages(image: Image, options: OcrOptions) -> Extracted:
    raw: list[str] = []
    ocr_pages: list[OcrPage] = []
    notes: list[Sayable] = []
    empty: list[int] = []
    failures: list[ExtractionError] = []
    index = 0
    while True:
        if index > 0:
            try:
                image.seek(index)
            except EOFError:
                break
            except (OSError, ValueError, SyntaxError) as exc:
                notes.append(phrase("pages after {n} could not be read (damaged: {error})", n=index, error=exc))
                break
        if index >= options.max_pages:
            notes.append(phrase("only the first {n} pages were read with OCR (the file has more; split it)",
                                n=options.max_pages))
            break
        number = index + 1
        index += 1
        try:
            page = _decoded_page(image, number, notes)
        except ExtractionError as exc:
            failures.append(exc)
            notes.append(phrase("page {n}: {problem}", n=number, problem=exc.said))
            raw.append("")
            continue
        try:
            result = read_image(page, lang=options.lang, dpi=_dpi(image, options),
                                timeout=options.page_timeout)
        except OcrUnavailable:
            raise
        except ExtractionError as exc:
            failures.append(exc)
            notes.append(phrase("page {n}: {problem}", n=number, problem=exc.said))
            raw.append("")
            continue
        finally:
            page.close()
        raw.append(result.text)
        if result.words:
            ocr_pages.append(OcrPage(number, result.confidence, result.words))
        else:
            empty.append(number)

    texts, starts, text = clean_ocr_pages(raw)
    if not text.strip():
        if len(raw) == 1 and failures:
            raise failures[0]
        if failures and len(failures) == len(raw):
            raise ExtractionError(phrase("no page could be read: {reason}", reason=failures[0].reason_said),
                                  failures[0].hint_said)
        raise ExtractionError(phrase("OCR found no text in the image (blank page or photo?)"),
                              phrase("check the scan; 300 dpi black-on-white reads best"))
    # A page with words that cleaning removed (e.g. only a page number) is not "empty".
    for page_no in empty:
        notes.append(phrase("page {n}: OCR found no text (blank page or photo?)", n=page_no))
    return Extracted(text=text, page_starts=tuple(starts), warnings=tuple(notes),
                     ocr_pages=tuple(ocr_pages))


def _decoded_page(image: Image, number: int, notes: list[Sayable]) -> Image:
    """The current frame, decoded, within the pixel limit."""
    width, height = image.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        if image.format == "JPEG":
            # draft() picks the largest JPEG scale (1/2, 1/4, 1/8) at or
            # above the requested size, so aim for the limit itself.
            factor = max(width * height / MAX_PIXELS, (max(width, height) / MAX_SIDE) ** 2) ** 0.5
            image.draft("L", (int(width / factor) + 1, int(height / factor) + 1))
        w2, h2 = image.size
        if w2 * h2 > MAX_PIXELS or max(w2, h2) > MAX_SIDE:
            raise ExtractionError(
                phrase("image too large: {width}x{height} pixels ({megapixels} megapixels, the limit is {limit})",
                       width=width, height=height, megapixels=f"{width * height / 1e6:.0f}",
                       limit=f"{MAX_PIXELS / 1e6:.0f}"), LARGE_HINT)
        notes.append(phrase("page {n}: image of {size} pixels read at {read}", n=number, size=f"{width}x{height}",
                            read=f"{w2}x{h2}"))
    try:
        image.load()
        from PIL import ImageOps

        # A phone photo or a scanner may store the page sideways and say so in
        # its EXIF orientation tag: turn it upright, as viewers do.
        return ImageOps.exif_transpose(image.copy())
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ExtractionError(phrase("damaged image data ({error})", error=exc), DAMAGED_HINT) from None
    except MemoryError:
        raise ExtractionError(phrase("image too large to decode in memory"), LARGE_HINT) from None


def _dpi(image: Image, options: OcrOptions) -> int:
    """The resolution the scanner recorded, when plausible; else the default."""
    value = image.info.get("dpi")
    try:
        dpi = round(float(value[0])) if value else 0
    except (TypeError, ValueError, IndexError):
        dpi = 0
    return dpi if 70 <= dpi <= 1200 else options.dpi
