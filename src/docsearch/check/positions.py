"""Turn offsets into the extracted text into places a person can find.

The tagger reports offsets into the *extracted* text, which is cleaned
(NFC, runs of spaces folded, blank lines collapsed, lines stripped). Each
format gets the kind of place its readers use:

* TXT: line and column of the file itself. The cleaned lines are matched back
  to the file's lines; if the file cannot be matched (a legacy-font file that
  was converted), lines of the extracted text are used instead.
* DOCX: ``line`` is the paragraph number, counting the non-empty paragraphs
  in reading order (a table counts as one block), and ``column`` the
  character within the paragraph.
* PDF: ``page`` is the page, and ``line`` the line within that page's text
  (running headers, page numbers and blank lines are not counted).
* HTML and anything else: line and column of the extracted text.
"""

from __future__ import annotations

import bisect
import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..extract.base import Extracted
from .diagnostics import Location

# The characters extraction drops or folds (see docsearch.extract.clean). If
# the two ever disagree, a line no longer matches and positions fall back to
# lines of the extracted text: less precise, never wrong.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SPACE = frozenset(" \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
_CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.S)
_RAW_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Locator:
    """Maps offsets of one extracted text to :class:`Location` values."""

    line_starts: tuple[int, ...]
    #: For each extracted line: (file line, file column of each character) or None.
    file_lines: tuple[tuple[int, tuple[int, ...]] | None, ...] | None = None
    page_starts: tuple[int, ...] | None = None
    #: Start offsets of the paragraphs (DOCX): text after each blank line.
    paragraph_starts: tuple[int, ...] | None = None

    def locate(self, offset: int) -> Location:
        """The place of ``offset`` (clamped to the text)."""
        i = max(0, bisect.bisect_right(self.line_starts, offset) - 1)
        col = offset - self.line_starts[i]
        if self.paragraph_starts is not None:
            p = max(0, bisect.bisect_right(self.paragraph_starts, offset) - 1)
            return Location(line=p + 1, column=offset - self.paragraph_starts[p] + 1)
        if self.page_starts:
            p = max(0, bisect.bisect_right(self.page_starts, offset) - 1)
            first = bisect.bisect_right(self.line_starts, self.page_starts[p]) - 1
            return Location(line=i - first + 1, column=col + 1, page=p + 1)
        if self.file_lines is not None and i < len(self.file_lines):
            mapped = self.file_lines[i]
            if mapped is not None:
                line, cols = mapped
                if col < len(cols):
                    return Location(line=line + 1, column=cols[col] + 1)
                return Location(line=line + 1, column=(cols[-1] + 2 if cols else col + 1))
        return Location(line=i + 1, column=col + 1)


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return tuple(starts)


def _clean_line(raw: str) -> tuple[str, list[int]]:
    """Clean one file line the way extraction does, keeping for every output
    character the index of the file character it came from."""
    chars: list[str] = []
    where: list[int] = []
    for m in _CLUSTER.finditer(raw):
        cluster = m.group(0)
        if cluster[0] in _ZERO_WIDTH or (ord(cluster[0]) < 32 and cluster[0] != "\t"):
            continue
        for ch in unicodedata.normalize("NFC", cluster):
            if ch in _SPACE:
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            where.append(m.start())
    # strip, as the cleaner does
    lo, hi = 0, len(chars)
    while lo < hi and chars[lo] == " ":
        lo += 1
    while hi > lo and chars[hi - 1] == " ":
        hi -= 1
    return "".join(chars[lo:hi]), where[lo:hi]


def _map_file_lines(extracted_lines: list[str], raw: str) -> tuple[tuple[int, tuple[int, ...]] | None, ...] | None:
    """Match the extracted lines to the file's lines; None if they do not match."""
    raw_lines = _RAW_LINE_BREAK.split(raw)
    cleaned = [_clean_line(line) for line in raw_lines]
    out: list[tuple[int, tuple[int, ...]] | None] = []
    j = 0
    for line in extracted_lines:
        if not line:
            while j < len(cleaned) and cleaned[j][0]:
                j += 1
            out.append((j, ()) if j < len(cleaned) else None)
            continue
        while j < len(cleaned) and not cleaned[j][0]:
            j += 1
        if j >= len(cleaned) or cleaned[j][0] != line:
            return None
        out.append((j, tuple(cleaned[j][1])))
        j += 1
    return tuple(out)


def locator_for(fmt: str, extracted: Extracted, data: bytes | None = None) -> Locator:
    """A :class:`Locator` for a file of format ``fmt`` (``txt``, ``docx``,
    ``pdf``, ``html``); ``data`` is the file's bytes, used for TXT."""
    text = extracted.text
    starts = _line_starts(text)
    if fmt == "docx":
        paragraphs = (0, *(m.end() for m in re.finditer(r"\n\n+", text)))
        return Locator(starts, paragraph_starts=paragraphs)
    if fmt == "pdf":
        return Locator(starts, page_starts=tuple(extracted.page_starts))
    if fmt == "txt" and data is not None and extracted.encoding:
        try:
            raw = codecs.decode(data, extracted.encoding)
        except (LookupError, UnicodeError):
            raw = None  # e.g. a legacy font encoding: no codec to re-read the file
        if raw is not None:
            mapped = _map_file_lines(text.split("\n"), raw)
            if mapped is not None:
                return Locator(starts, file_lines=mapped)
    return Locator(starts)
