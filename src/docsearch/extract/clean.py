"""Normalisation every extractor applies to the text it produces."""

from __future__ import annotations

import re
import unicodedata

_SPACE_CHARS = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")
# The runs of _SPACES that are not already one plain space: ordinary text
# has few, so replacing them copies little.
_SPACE_RUNS = re.compile(f"[{_SPACE_CHARS[1:]}][{_SPACE_CHARS}]*| [{_SPACE_CHARS}]+")
# Whitespace that str.strip removes at the ends of a line but _SPACES leaves alone.
_OTHER_SPACE = re.compile(r"[\x0b\x1c-\x1f\x85\u1680\u2028\u2029]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` line endings, no zero-width characters or soft hyphens,
    runs of spaces folded, at most one blank line in a row, no trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _OTHER_SPACE.search(text):
        text = "\n".join([_SPACES.sub(" ", line).strip() for line in text.split("\n")])
    else:
        # The same result without a string per line (a large text's lines
        # took several times its size): once runs are one space, a line's
        # ends hold at most one space each.
        text = _SPACE_RUNS.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:  # found by str's own search, many times faster than the pattern
        text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()
