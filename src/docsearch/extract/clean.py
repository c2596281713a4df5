"""Normalisation every extractor applies to the text it produces."""

from __future__ import annotations

import re
import unicodedata

_SPACE_CHARS = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")
# The spaces of _SPACES other than the plain one (ordinary text has few).
_ODD_SPACE = re.compile(f"[{_SPACE_CHARS[1:]}]")
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
        text = _fold_spaces(text).replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:  # found by str's own search, many times faster than the pattern
        text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _fold_spaces(text: str) -> str:
    """``_SPACES.sub(" ", text)``, faster: each other space becomes a plain
    one, then doubled spaces are halved until none is left. str.replace
    scans in C, where a pattern for the runs was tried at every single
    space between words."""
    if _ODD_SPACE.search(text):
        text = _ODD_SPACE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    return text
