"""Optical character recognition with the Tesseract command-line program.

Tesseract is run as a subprocess, one page at a time, with the page sent as
an uncompressed greyscale PNM image on standard input and the result read as
TSV, which gives every word with its confidence and its block, paragraph and
line, so one call yields both the text and the page's mean confidence.
Using the program instead of a binding keeps the dependency to a Debian
package (``tesseract-ocr`` plus ``tesseract-ocr-vie`` for Vietnamese).

Each call is limited to one thread (``OMP_THREAD_LIMIT=1``): parallelism
comes from running several files at once, and Tesseract's own threads only
compete with them. Each page has a time limit, so a pathological image
cannot hold up a run.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..i18n import phrase
from .base import ExtractionError

if TYPE_CHECKING:
    from PIL.Image import Image

MODES: tuple[str, ...] = ("auto", "always", "never")
DEFAULT_LANG = "vie+eng"
INSTALL_HINT = phrase(
    "install Tesseract with its Vietnamese data (Debian/Ubuntu: apt-get install tesseract-ocr "
    "tesseract-ocr-vie), or ingest with --ocr never"
)
_LANG_SPEC = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z][A-Za-z0-9_]*)*$")

#: Pages above this many pixels are not decoded or rendered in full: an A3
#: page at 600 dpi is about 70 million pixels, so anything larger is almost
#: certainly not a scanned document page, and decoding it would take
#: gigabytes of memory.
MAX_PIXELS = 80_000_000
#: Tesseract (Leptonica) refuses images wider or taller than this.
MAX_SIDE = 32_000


@dataclass(frozen=True)
class OcrOptions:
    """How ingestion uses OCR.

    ``mode``: ``auto`` reads a page with OCR when it has no usable text
    layer (and every image file), ``always`` reads every PDF page with OCR
    even when it has text, ``never`` turns OCR off. ``lang`` is Tesseract's
    language list (``vie+eng``). ``dpi`` is the resolution PDF pages are
    rendered at. At most ``max_pages`` pages of one file are read with OCR
    (the rest get a warning), each within ``page_timeout`` seconds.
    """

    mode: str = "auto"
    lang: str = DEFAULT_LANG
    dpi: int = 300
    max_pages: int = 500
    page_timeout: float = 180.0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown OCR mode {self.mode!r}; use one of {', '.join(MODES)}")
        if not _LANG_SPEC.match(self.lang):
            raise ValueError(
                f"invalid OCR language list {self.lang!r}; write Tesseract language codes "
                "joined by '+', e.g. vie+eng"
            )
        if not 50 <= self.dpi <= 1200:
            raise ValueError(f"OCR resolution {self.dpi} dpi is out of range (50-1200)")
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")

    @property
    def enabled(self) -> bool:
        return self.mode != "never"


@dataclass(frozen=True)
class OcrText:
    """What OCR read on one page: the text (lines joined by ``\\n``, blocks by
    a blank line), the mean word confidence (0-100, None without words) and
    the number of words."""

    text: str
    confidence: float | None
    words: int


class OcrUnavailable(ExtractionError):
    """Tesseract or the language data asked for is not installed."""


def tesseract_path() -> str | None:
    """The Tesseract program to run: ``$DOCSEARCH_TESSERACT`` or ``tesseract`` on the PATH."""
    chosen = os.environ.get("DOCSEARCH_TESSERACT") or "tesseract"
    return shutil.which(chosen)


@lru_cache(maxsize=16)
def _installed_languages(program: str) -> frozenset[str]:
    try:
        done = subprocess.run([program, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()
    # The first line says where the data lives; the codes follow, one a line.
    return frozenset(line.strip() for line in lines[1:] if line.strip() and " " not in line.strip())


def check_available(lang: str = DEFAULT_LANG) -> str:
    """The Tesseract program to run, after checking it has every language of
    ``lang``. Raises :class:`OcrUnavailable` saying what to install."""
    program = tesseract_path()
    if program is None:
        raise OcrUnavailable(phrase("Tesseract (OCR) is not installed"), INSTALL_HINT)
    have = _installed_languages(program)
    missing = [code for code in lang.split("+") if code not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise OcrUnavailable(
            phrase("Tesseract has no language data for {languages}", languages=", ".join(missing)),
            phrase("install it (Debian/Ubuntu: apt-get install {packages}) or choose other languages with --ocr-lang",
                   packages=packages),
        )
    return program


def prepare(image: Image) -> Image:
    """A greyscale copy of ``image`` for OCR; transparent areas become white."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = PILImage.alpha_composite(white, rgba)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit scans: scale down to 8 bits instead of clipping to white.
        image = image.convert("I").point(lambda v: v * (1 / 256))
    return image.convert("L")


def read_image(image: Image, *, lang: str = DEFAULT_LANG, dpi: int = 300,
               timeout: float = 180.0) -> OcrText:
    """Read one page image with Tesseract.

    Raises :class:`OcrUnavailable` when Tesseract or a language is missing
    and :class:`ExtractionError` when Tesseract fails or takes longer than
    ``timeout`` seconds on this page.
    """
    from PIL import ImageFilter

    program = check_available(lang)
    grey = prepare(image)
    if max(grey.size) > MAX_SIDE:
        raise ExtractionError(
            phrase("page image of {width}x{height} pixels is larger than OCR can read", width=grey.size[0],
                   height=grey.size[1]),
            phrase("scan it at a lower resolution"),
        )
    if dpi >= MEDIAN_FROM_DPI:
        # A 3x3 median removes scanner grain and specks, which otherwise
        # become stray marks next to diacritics; at 300 dpi a stroke of body
        # text is 3-4 pixels wide and survives it. Measured on rendered scans
        # (docs/ocr.md): character errors fall on clean and noisy pages alike
        # at 200 dpi and above, and rise at 150 dpi, where it is left out.
        grey = grey.filter(ImageFilter.MedianFilter(3))
    result = _read_upright(program, grey, lang, dpi, timeout)
    if result.words and (result.confidence or 0.0) < REORIENT_BELOW:
        # Text read upside down or sideways comes out as confident-looking
        # nonsense with a low mean confidence: ask Tesseract which way the
        # page is turned, and read it again turned upright.
        turn = _orientation(program, grey, dpi, timeout)
        if turn:
            again = _read_upright(program, grey.rotate(turn, expand=True), lang, dpi, timeout)
            if (again.confidence or 0.0) > (result.confidence or 0.0):
                return again
    return result


#: Resolution from which pages are smoothed with a median filter.
MEDIAN_FROM_DPI = 200
#: Mean word confidence under which a page's orientation is checked.
REORIENT_BELOW = 65.0
_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.M)


def _orientation(program: str, grey: Image, dpi: int, timeout: float) -> int:
    """Degrees to turn the page counter-clockwise to make it upright (0, 90,
    180 or 270), from Tesseract's orientation detection; 0 when unknown."""
    if "osd" not in _installed_languages(program):
        return 0
    buf = io.BytesIO()
    grey.save(buf, format="PPM")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run([program, "stdin", "stdout", "--psm", "0", "--dpi", str(dpi), "-l", "osd"],
                              input=buf.getvalue(), capture_output=True, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = _ROTATE.search(done.stdout.decode("utf-8", "replace"))
    if not match:
        return 0
    clockwise = int(match.group(1)) % 360
    return (360 - clockwise) % 360


def _read_upright(program: str, grey: Image, lang: str, dpi: int, timeout: float) -> OcrText:
    buf = io.BytesIO()
    grey.save(buf, format="PPM")  # greyscale PGM: no compression to spend time on
    pgm = buf.getvalue()
    codes = lang.split("+")
    if len(codes) > 1 and codes[0] == "vie":
        # Given several languages, Tesseract picks one per word and often
        # picks English for capitalised Vietnamese (header lines come out as
        # "TINH UY QUANG NINH"). Reading with Vietnamese alone is right for a
        # Vietnamese page, so the whole list is used only for a page that
        # does not read as Vietnamese, keeping the better-scored result.
        first = _tesseract(program, pgm, "vie", dpi, timeout)
        if not first.words or looks_vietnamese(first.text):
            return OcrText(fix_vietnamese(first.text), first.confidence, first.words)
        second = _tesseract(program, pgm, lang, dpi, timeout)
        return second if (second.confidence or 0.0) >= (first.confidence or 0.0) else first
    result = _tesseract(program, pgm, lang, dpi, timeout)
    if "vie" in codes and looks_vietnamese(result.text):
        return OcrText(fix_vietnamese(result.text), result.confidence, result.words)
    return result


_ETH_PAIR = re.compile("\u0110\u00d0|\u00d0\u0110")


def fix_vietnamese(text: str) -> str:
    """Undo a confusion of Tesseract's Vietnamese model: the capital Đ
    (U+0110) read as the Icelandic eth Ð (U+00D0), or as both in a row
    ("QĐÐ"). Vietnamese has no eth, so in Vietnamese text it is always Đ."""
    text = _ETH_PAIR.sub("\u0110", text)
    return text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")


#: Letters only Vietnamese uses (ă đ ơ ư ĩ ũ and the tone-marked vowels).
_VIET_ONLY = frozenset("ăđơưĩũĂĐƠƯĨŨ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def looks_vietnamese(text: str) -> bool:
    """Whether OCR text is Vietnamese: at least 2 % of its letters are ones
    only Vietnamese uses (ordinary Vietnamese prose has 15-25 %)."""
    letters = sum(1 for ch in text if ch.isalpha())
    viet = sum(1 for ch in text if ch in _VIET_ONLY)
    return viet >= 3 and viet >= 0.02 * letters


def _tesseract(program: str, pgm: bytes, lang: str, dpi: int, timeout: float) -> OcrText:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    command = [program, "stdin", "stdout", "-l", lang, "--dpi", str(dpi), "--psm", "3", "tsv"]
    try:
        done = subprocess.run(command, input=pgm, capture_output=True, timeout=timeout,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        raise ExtractionError(
            phrase("OCR took longer than {seconds} s on one page", seconds=f"{timeout:.0f}"),
            phrase("check the scan, or split the file"),
        ) from None
    except OSError as exc:
        raise OcrUnavailable(phrase("cannot run Tesseract ({error})", error=exc.strerror or exc), INSTALL_HINT) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = message[-1] if message else f"exit status {done.returncode}"
        raise ExtractionError(phrase("Tesseract failed on a page: {error}", error=last),
                              phrase("check that the image is not damaged"))
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> OcrText:
    """Text and mean confidence from Tesseract's TSV output."""
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    confidences: list[float] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if not header:
        return OcrText("", None, 0)
    col = {name: i for i, name in enumerate(header)}
    needed = ("level", "page_num", "block_num", "par_num", "line_num", "conf", "text")
    if any(name not in col for name in needed):
        raise ExtractionError(phrase("Tesseract gave output in an unknown layout"), phrase("use Tesseract 4 or newer"))
    for row in reader:
        if len(row) < len(header) or row[col["level"]] != "5":
            continue
        word = row[col["text"]].strip()
        if not word:
            continue
        key = (int(row[col["page_num"]]), int(row[col["block_num"]]),
               int(row[col["par_num"]]), int(row[col["line_num"]]))
        lines.setdefault(key, []).append(word)
        try:
            conf = float(row[col["conf"]])
        except ValueError:
            continue
        if conf >= 0:
            confidences.append(conf)
    out: list[str] = []
    previous_block: tuple[int, int] | None = None
    for key in sorted(lines):
        block = key[:2]
        if previous_block is not None and block != previous_block:
            out.append("")
        out.append(" ".join(lines[key]))
        previous_block = block
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrText("\n".join(out), mean, sum(len(w) for w in lines.values()))
