"""Folding text for matching: one character in, one character out.

Lowercase, diacritics removed, ``đ``/``Đ``/``Ð`` → ``d``, dashes → ``-``, so
an offset in the folded text is the same offset in the original. The
grammar's patterns run over this view; the search folds query words and
highlights with it too, which is why it lives apart from the patterns: a
search that only folds words does not compile the grammar.
"""

from __future__ import annotations

import codecs
import unicodedata


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = unicodedata.normalize("NFD", ch)[0].lower()
            if len(base) == 1 and base.isascii():
                table[cp] = base
    for ch in "đĐÐð":
        table[ord(ch)] = "d"
    table[ord("ß")] = "s"
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d":
        table[ord(ch)] = "-"
    for ch in "\u00a0\u2007\u202f\u2009\u200a":
        table[ord(ch)] = " "
    table[ord("\u2044")] = "/"
    table[ord("\u2215")] = "/"
    # Identity entries for ASCII make str.translate about twice as fast.
    for cp in range(128):
        table.setdefault(cp, chr(cp))
    # Combining marks (NFD input) become a neutral letter-like placeholder
    # that keeps words in one piece without matching any pattern letter.
    for cp in range(0x0300, 0x0370):
        table[cp] = "\u02bc"
    return table


FOLD_TABLE = _build_fold_table()


# str.translate looks every character up in a dict through Python objects
# once the text holds one non-ASCII character: 20-40 MB/s, a tenth of the
# tagger's time. A charmap codec does the same in C: the text is encoded to
# one byte per character over the 256 characters that make up nearly all
# Vietnamese, English and German text, and decoded with each byte standing
# for its folded character. Any other character is encoded as byte 0 by an
# error handler and folded by the table afterwards (so is a real NUL, which
# folds to itself).
def _charmap_alphabet() -> str:
    marks = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
    letters = [unicodedata.normalize("NFC", base + mark) for base in "aăâeêioôơuưy" for mark in marks]
    vietnamese = [ch for ch in letters if not ch.isascii()] + ["đ"]
    vietnamese += [ch.upper() for ch in vietnamese]
    chars = ("\x00\t\n\v\f\r" + "".join(chr(i) for i in range(32, 127)) + "".join(vietnamese)
             + "äöüÄÖÜß\u00a0–—“”‘’…•·°„«»")
    assert len(chars) == len(set(chars)) == 256
    return chars


_ALPHABET = _charmap_alphabet()
#: The characters that :meth:`TableFold.with_codes` writes as bytes 1 to 255
#: (byte 0 is NUL or any character not listed).
CODE_ALPHABET = _ALPHABET
_ENCODING = codecs.charmap_build(_ALPHABET)
_OTHER = "docsearch-fold-other"
codecs.register_error(_OTHER, lambda e: ("\x00" * (e.end - e.start), e.end))  # type: ignore[attr-defined]
# Each of these characters is in NFC whatever stands beside it (none is a
# combining mark or composes with the character before it), so a text made of
# them only is in NFC: the codes a text is folded with tell so without the
# check of every character that unicodedata.is_normalized makes.
assert all(unicodedata.is_normalized("NFC", ch) and not unicodedata.combining(ch) for ch in _ALPHABET)


def in_nfc(codes: bytes | None, length: int) -> bool:
    """Whether a text of ``length`` characters whose one-byte codes (see
    :meth:`TableFold.with_codes`) are ``codes`` is surely in NFC: every
    character is one of :data:`CODE_ALPHABET`. False says nothing."""
    return codes is not None and len(codes) == length and codes.find(0) < 0


# Below this length str.translate costs less than the two codec calls.
_SHORT = 48


class TableFold:
    """``text.translate(table)`` for a table mapping characters to single
    characters, the same for every text, several times faster on long text."""

    def __init__(self, table: dict[int, str]) -> None:
        self.table = table
        self.decoding = "".join(table.get(ord(ch), ch) for ch in _ALPHABET)
        assert all(len(table.get(ord(ch), ch)) == 1 for ch in _ALPHABET)

    def __call__(self, text: str) -> str:
        return self.with_codes(text)[0]

    def with_codes(self, text: str) -> tuple[str, bytes | None]:
        """The folded text, and the text's characters as bytes of
        :data:`CODE_ALPHABET` (byte 0 for any other character), one byte
        per character, when they were made (not for short text)."""
        if len(text) < _SHORT:
            return text.translate(self.table), None
        encoded = codecs.charmap_encode(text, _OTHER, _ENCODING)[0]
        out: str = codecs.charmap_decode(encoded, "strict", self.decoding)[0]
        i = encoded.find(0)
        if i < 0:
            return out, encoded
        if encoded.count(0) > len(text) // 8:
            return text.translate(self.table), encoded  # mostly other scripts: one lookup each anyway
        get = self.table.get
        parts = []
        last = 0
        while i >= 0:
            ch = text[i]
            parts.append(out[last:i])
            parts.append(get(ord(ch), ch))
            last = i + 1
            i = encoded.find(0, last)
        parts.append(out[last:])
        return "".join(parts), encoded


_FOLD = TableFold(FOLD_TABLE)


def fold(text: str) -> str:
    """Fold ``text`` for matching; ``len(fold(t)) == len(t)`` always holds."""
    return _FOLD(text)
