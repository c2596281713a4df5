"""What every extractor returns, and the error it raises for unreadable input."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import Sayable, phrase

# Only named in annotations: a search imports this module for `page_at`
# and need not load the models.
if TYPE_CHECKING:
    from ..models import OcrPage


class ExtractionError(Exception):
    """A file could not be turned into text.

    ``reason`` says what is wrong and ``hint`` what the user can do about it,
    in English; the CLI prints both on one line next to the file name, in
    the user's language: given as phrases (:class:`~docsearch.i18n.Phrase`),
    they are kept as ``reason_said`` and ``hint_said``, and said together as ``said``.
    """

    def __init__(self, reason: str | Sayable, hint: str | Sayable = "") -> None:
        super().__init__(str(reason))
        self.reason = str(reason)
        self.hint = str(hint)
        self.reason_said, self.hint_said = reason, hint

    @property
    def said(self) -> str | Sayable:
        """Both, as the CLI prints them, in any of the interface's languages."""
        return phrase("{reason} ({hint})", reason=self.reason_said, hint=self.hint_said) if self.hint else self.reason_said

    def __str__(self) -> str:
        return f"{self.reason} ({self.hint})" if self.hint else self.reason


@dataclass(frozen=True)
class Extracted:
    """Clean text of one file.

    ``text`` is NFC-normalised with ``\\n`` line endings. ``page_starts`` holds
    the character offset at which each page begins (``[0]`` for formats
    without pages), so an offset can be turned into a page number.
    ``ocr_pages`` lists the pages whose text was read by OCR. ``warnings``
    are phrases (``str()`` gives the English), said in the reader's language
    where a document is shown.
    """

    text: str
    page_starts: tuple[int, ...] = (0,)
    title: str | None = None
    warnings: tuple[Sayable, ...] = field(default_factory=tuple)
    encoding: str | None = None
    ocr_pages: tuple[OcrPage, ...] = ()

    def page_of(self, offset: int) -> int:
        """1-based page number of a character offset."""
        return page_at(self.page_starts, offset)


def page_at(page_starts: tuple[int, ...] | list[int], offset: int) -> int:
    """1-based page of ``offset`` given the start offsets of the pages."""
    # Asked for every relation and citation a graph settle writes: most
    # texts are one page, and bisect reads a tuple as it is (no list copy).
    if len(page_starts) <= 1:
        return 1
    return max(1, bisect.bisect_right(page_starts, offset))
