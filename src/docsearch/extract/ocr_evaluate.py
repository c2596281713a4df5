"""Measuring OCR: synthetic scans of known text and the character error rate.

A page is rendered from text we wrote, with a font that has every
Vietnamese glyph, then degraded the way scans are (a small rotation, grey
noise, speckles, a lower resolution), so the exact text on the page is
known and what OCR reads back can be scored. Used by the tests and by
``bench/ocr_bench.py`` (the table in ``docs/ocr.md``).
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

#: Fonts tried in order (Debian's fonts-dejavu-core, then Liberation / Noto).
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
)


@dataclass(frozen=True)
class Degradation:
    """How a synthetic scan is spoiled: rotation in degrees, standard
    deviation of grey noise (0-255 scale), share of pixels flipped to black
    or white (speckles), and the resolution it is rendered at."""

    name: str = "clean"
    angle: float = 0.0
    noise: float = 0.0
    speckle: float = 0.0
    dpi: int = 300


def find_font() -> str | None:
    """A TrueType font with Vietnamese glyphs: ``$DOCSEARCH_FONT``, a known path,
    or what fontconfig offers for DejaVu Serif; None when there is none."""
    chosen = os.environ.get("DOCSEARCH_FONT")
    if chosen and Path(chosen).is_file():
        return chosen
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Serif"], capture_output=True,
                                 text=True, timeout=10, check=False).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
        if out.endswith((".ttf", ".otf")) and Path(out).is_file():
            return out
    return None


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def render_page(lines: list[str], degradation: Degradation = Degradation(), *, font: str | None = None,
                seed: int = 0, width_in: float = 8.27, point_size: float = 13.0) -> Image:
    """A greyscale page image holding ``lines`` (12-13 pt type, 1-inch margins),
    degraded as ``degradation`` says; its ``info["dpi"]`` is set. The page
    is as tall as the text needs, which keeps OCR tests fast."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    path = font or find_font()
    if path is None:
        raise RuntimeError("no font with Vietnamese glyphs found; install fonts-dejavu-core or set DOCSEARCH_FONT")
    dpi = degradation.dpi
    size = round(point_size * dpi / 72)
    face = _font(path, size)
    margin = dpi
    line_height = round(size * 1.6)
    width = round(width_in * dpi)
    height = 2 * margin + line_height * len(lines)
    page = PILImage.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * line_height), line, font=face, fill=0)
    if degradation.angle:
        page = page.rotate(degradation.angle, resample=PILImage.Resampling.BICUBIC, fillcolor=255, expand=True)
    if degradation.noise or degradation.speckle:
        page = _add_noise(page, degradation.noise, degradation.speckle, seed)
    page.info["dpi"] = (dpi, dpi)
    return page


def _add_noise(page: Image, sigma: float, speckle: float, seed: int) -> Image:
    from PIL import Image as PILImage

    rng = random.Random(seed)
    # Noise is drawn on a quarter-size grid and scaled up: scanner noise is
    # blotchy rather than per pixel, and this keeps rendering fast.
    small = (max(1, page.size[0] // 2), max(1, page.size[1] // 2))
    if sigma:
        grain = bytes(max(0, min(255, round(128 + rng.gauss(0, sigma)))) for _ in range(small[0] * small[1]))
        noise = PILImage.frombytes("L", small, grain).resize(page.size, PILImage.Resampling.NEAREST)
        page = _blend_noise(page, noise)
    if speckle:
        pixels = page.load()
        assert pixels is not None  # a rendered page always has pixel data; load() is None only without it
        count = int(page.size[0] * page.size[1] * speckle)
        for _ in range(count):
            x, y = rng.randrange(page.size[0]), rng.randrange(page.size[1])
            pixels[x, y] = 0 if rng.random() < 0.5 else 255
    return page


def _blend_noise(page: Image, noise: Image) -> Image:
    """page + (noise - 128), clipped."""
    from PIL import ImageChops

    return ImageChops.add(page, noise, offset=-128)


def to_pdf(pages: list[Image]) -> bytes:
    """The page images wrapped into an image-only PDF, as a scanner writes it."""
    buf = io.BytesIO()
    dpi = pages[0].info.get("dpi", (300, 300))[0]
    first, rest = pages[0].convert("L"), [p.convert("L") for p in pages[1:]]
    first.save(buf, format="PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return buf.getvalue()


def _comparable(text: str) -> str:
    """NFC with every run of white space as one space: layout is not content."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions) of two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Edits needed to turn what OCR read into the reference text, per
    reference character, after folding white space."""
    ref, hyp = _comparable(reference), _comparable(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)
