"""Legacy Vietnamese font encodings: TCVN3 (ABC) and VNI.

Before Unicode, Vietnamese documents were typed in 8-bit "font encodings":
the file holds ordinary single bytes and only the font (.VnTime for TCVN3,
VNI-Times for VNI) draws them as Vietnamese letters. Read with any normal code
page the text turns into mojibake such as ``NghÞ quyÕt`` (TCVN3) or
``Nghò quyeát`` (VNI). This module recognises that mojibake and converts it.

Text is handled in its *Latin-1 view*: the legacy byte ``b`` is the character
``chr(b)``, which is what decoding with Latin-1 or CP1252 produces for the
bytes 0xA0-0xFF that carry the Vietnamese letters in both encodings (neither
puts letters at 0x80-0x9F, where the two code pages differ).

Tables (facts of the standards, checked by round trip in the tests):

* TCVN3 = TCVN 5712:1993 VN3, the upper half of the TCVN 5712 table. It has
  every lowercase letter, the capitals Ă Â Ê Ô Ơ Ư Đ and 16 toned capitals
  (Ằ Ẳ Ẵ Ắ, Ầ Ẩ Ẫ Ấ, Ề Ể Ễ Ế, Ồ Ổ Ỗ Ố). The other toned capitals were typed
  with the lowercase codes in the all-caps .VnTimeH font, so they come back as
  lowercase letters: nothing in the bytes says they were capitals.
  0xB0-0xB4 are combining tone marks.
* VNI (VNI-Windows): a base letter followed by a mark byte (``a`` + ``ù`` is
  ``á``); ơ ư đ, the toned i and ỵ are single bytes. Capitals use the
  uppercase marks, which are the lowercase ones minus 0x20.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = [
    "LEGACY_ENCODINGS",
    "VIETNAMESE_LETTERS",
    "LegacyEvidence",
    "convert_legacy",
    "detect_legacy",
    "encode_legacy",
    "is_vietnamese_syllable",
    "legacy_evidence",
]

LEGACY_ENCODINGS: tuple[str, ...] = ("tcvn3", "vni")

# Tone marks in the order both legacy tables list them:
# huyền (grave), hỏi (hook above), ngã (tilde), sắc (acute), nặng (dot below).
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_SET = frozenset(_TONES)
_VOWELS = "aăâeêioôơuưy"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _toned(vowel: str, tone_index: int) -> str:
    """The precomposed letter for ``vowel`` with the tone at ``tone_index``."""
    return _nfc(vowel + _TONES[tone_index])


def _all_letters() -> tuple[str, ...]:
    lower = [_toned(v, t) for v in _VOWELS for t in range(5)] + list("ăâêôơưđ")
    return tuple(lower + [c.upper() for c in lower])


#: The 134 letters a Vietnamese converter must get right: 12 vowels x 5 tones
#: plus ă â ê ô ơ ư đ, in lower and upper case.
VIETNAMESE_LETTERS: tuple[str, ...] = _all_letters()

# --------------------------------------------------------------------------
# TCVN3 table: byte -> letter.
# --------------------------------------------------------------------------

# Codes of each vowel with the five tones, in the _TONES order.
_TCVN3_TONED: dict[str, tuple[int, int, int, int, int]] = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# The toned capitals VN3 does have, in the gaps of the lowercase rows
# (huyền, hỏi, ngã, sắc; none has a nặng form in VN3).
_TCVN3_TONED_UPPER: dict[str, tuple[int, int, int, int]] = {
    "Ă": (0xAF, 0xBA, 0xBF, 0xC0),
    "Â": (0xC1, 0xC2, 0xC3, 0xC4),
    "Ê": (0xC5, 0xCD, 0xD9, 0xDA),
    "Ô": (0xDB, 0xE0, 0xF0, 0xFF),
}
_TCVN3_PLAIN: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}
# 0xB0-0xB4: combining huyền, hỏi, ngã, sắc, nặng.
_TCVN3_COMBINING: dict[int, str] = {
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
}


def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = dict(_TCVN3_PLAIN)
    for vowel, codes in _TCVN3_TONED.items():
        for tone, code in enumerate(codes):
            table[code] = _toned(vowel, tone)
    for vowel, upper_codes in _TCVN3_TONED_UPPER.items():
        for tone, code in enumerate(upper_codes):
            table[code] = _toned(vowel, tone)
    return table


_TCVN3_DECODE: dict[int, str] = _tcvn3_table()


def _cp1252_view_table() -> str:
    """What each byte looks like after decoding as CP1252 (Latin-1 for the
    five bytes CP1252 leaves undefined)."""
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_CP1252_VIEW = _cp1252_view_table()
# Maps the CP1252 view back to bytes. (Text from a Latin-1 reading, with C1
# controls for 0x80-0x9F, does not encode and takes the slower path.)
_CP1252_VIEW_ENCODING = codecs.charmap_build(_CP1252_VIEW)


def _tcvn3_charmap() -> str:
    """256-character decoding table: TCVN3 letters where the table has them,
    the CP1252 view's own character elsewhere (punctuation at 0x80-0x9F,
    0xA0, and the combining codes 0xB0-0xB4, handled in context)."""
    return "".join(_TCVN3_DECODE.get(byte, _CP1252_VIEW[byte]) for byte in range(256))


_TCVN3_CHARMAP = _tcvn3_charmap()

# A combining code only means a tone when it follows a vowel; elsewhere it is
# far more likely the ° ± ² ³ ´ the author saw in a non-Vietnamese font.
_TCVN3_COMBINING_RE = re.compile(
    "(?<=[" + _VOWELS + _VOWELS.upper() + "])[\u00b0-\u00b4]"
)

# --------------------------------------------------------------------------
# VNI table. Lowercase codes; the uppercase code is always 0x20 lower.
# --------------------------------------------------------------------------

# Mark bytes that follow a base vowel, tones in the _TONES order.
_VNI_TONE_MARKS = (0xF8, 0xFB, 0xF5, 0xF9, 0xEF)  # huyền hỏi ngã sắc nặng
_VNI_CIRCUMFLEX = 0xE2
_VNI_CIRCUMFLEX_TONED = (0xE0, 0xE5, 0xE3, 0xE1, 0xE4)
_VNI_BREVE = 0xEA
_VNI_BREVE_TONED = (0xE8, 0xFA, 0xFC, 0xE9, 0xEB)
# Letters that are one byte on their own.
_VNI_SINGLE: dict[int, str] = {
    0xF1: "đ", 0xF4: "ơ", 0xF6: "ư", 0xEE: "ỵ",
    0xEC: "ì", 0xE6: "ỉ", 0xF3: "ĩ", 0xED: "í", 0xF2: "ị",
}


def _vni_pairs() -> dict[tuple[str, int], str]:
    """(lowercase base, lowercase mark byte) -> lowercase letter."""
    pairs: dict[tuple[str, int], str] = {}
    for base in "aeouyơư":
        for tone, mark in enumerate(_VNI_TONE_MARKS):
            pairs[(base, mark)] = _toned(base, tone)
    for base, modified in (("a", "â"), ("e", "ê"), ("o", "ô")):
        pairs[(base, _VNI_CIRCUMFLEX)] = modified
        for tone, mark in enumerate(_VNI_CIRCUMFLEX_TONED):
            pairs[(base, mark)] = _toned(modified, tone)
    pairs[("a", _VNI_BREVE)] = "ă"
    for tone, mark in enumerate(_VNI_BREVE_TONED):
        pairs[("a", mark)] = _toned("ă", tone)
    return pairs


_VNI_PAIRS = _vni_pairs()
_VNI_MARK_CODES = sorted({mark for _, mark in _VNI_PAIRS})
_VNI_SINGLE_TRANSLATE: dict[int, str] = {}
for _code, _letter in _VNI_SINGLE.items():
    _VNI_SINGLE_TRANSLATE[_code] = _letter
    _VNI_SINGLE_TRANSLATE[_code - 0x20] = _letter.upper()
del _code, _letter
# Every base+mark pair as a 2-character string of the Latin-1 view (after
# the single-byte pass, so ơ/ư bases are already Unicode). Marks are accepted
# in either case after a base of either case, the base deciding the case of
# the result: real files mix them when Caps Lock and Shift were used
# together, and such a pair has no other reading.
_VNI_PAIR_MAP: dict[str, str] = {}
for (_base, _mark), _letter in _VNI_PAIRS.items():
    for _mark_char in (chr(_mark), chr(_mark - 0x20)):
        _VNI_PAIR_MAP[_base + _mark_char] = _letter
        _VNI_PAIR_MAP[_base.upper() + _mark_char] = _letter.upper()
del _base, _mark, _letter, _mark_char
_VNI_PAIR_RE = re.compile(
    "[aeouyAEOUYơưƠƯ]["
    + "".join(chr(c) + chr(c - 0x20) for c in _VNI_MARK_CODES)
    + "]"
)


def _vni_pair(match: re.Match[str]) -> str:
    # A mark after a base it does not combine with (a breve after e) stays.
    pair = match.group()
    return _VNI_PAIR_MAP.get(pair, pair)


# --------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------


def convert_legacy(text: str, encoding: str) -> str:
    """Convert legacy-font mojibake to NFC Unicode.

    ``text`` is the Latin-1/CP1252 view of TCVN3 or VNI bytes (what a normal
    code page shows, e.g. ``NghÞ quyÕt``); ``encoding`` is ``"tcvn3"`` or
    ``"vni"``. Characters outside the legacy tables pass through unchanged.
    TCVN3 toned capitals that VN3 lacks were written with lowercase codes and
    come back lowercase.
    """
    if encoding == "tcvn3":
        try:
            # Mojibake is normally all single-byte characters: map them back
            # to bytes and decode through a table, both in C (str.translate
            # with a dict is several times slower on big files).
            raw = codecs.charmap_encode(text, "strict", _CP1252_VIEW_ENCODING)[0]
            out = codecs.charmap_decode(raw, "strict", _TCVN3_CHARMAP)[0]
        except UnicodeEncodeError:
            out = text.translate(_TCVN3_DECODE)  # code point == byte value
        # Combining codes last, so that the vowel before them is already a
        # Unicode letter (ă is still "¨" in the Latin-1 view).
        out = _TCVN3_COMBINING_RE.sub(lambda m: _TCVN3_COMBINING[ord(m.group())], out)
    elif encoding == "vni":
        # Single-byte letters first: none of them is a mark byte, and doing
        # them first turns ô/ö into ơ/ư so the pair pass sees them as bases.
        # Doing pairs first would be wrong: "où" becomes "ó", which is also
        # the VNI code of ĩ.
        out = text.translate(_VNI_SINGLE_TRANSLATE)
        out = _VNI_PAIR_RE.sub(_vni_pair, out)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}")
    return _nfc(out)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encode Unicode text in TCVN3 or VNI, the inverse of ``convert_legacy``.

    Built from the same tables, so that round trips check them. Vietnamese
    letters use the legacy codes (TCVN3 toned capitals it lacks use the
    lowercase code, as .VnTimeH documents do); everything else is encoded as
    CP1252, with ``?`` for what CP1252 cannot hold.
    """
    if encoding == "tcvn3":
        table = _tcvn3_encode_table()
    elif encoding == "vni":
        table = _vni_encode_table()
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}")
    out = bytearray()
    for char in _nfc(text):
        code = table.get(char)
        if code is None:
            code = char.encode("cp1252", errors="replace")
        out += code
    return bytes(out)


def _tcvn3_encode_table() -> dict[str, bytes]:
    table: dict[str, bytes] = {}
    for code, letter in _TCVN3_DECODE.items():
        table[letter] = bytes([code])
    for letter in VIETNAMESE_LETTERS:
        if letter not in table:
            table[letter] = table[letter.lower()]  # the .VnTimeH convention
    return table


def _vni_encode_table() -> dict[str, bytes]:
    single_code = {letter: code for code, letter in _VNI_SINGLE.items()}
    table: dict[str, bytes] = {}
    for (base, mark), letter in _VNI_PAIRS.items():
        if base.isascii():
            lower_base, upper_base = base.encode("ascii"), base.upper().encode("ascii")
        else:  # ơ/ư are single-byte letters themselves
            lower_base, upper_base = bytes([single_code[base]]), bytes([single_code[base] - 0x20])
        table[letter] = lower_base + bytes([mark])
        table[letter.upper()] = upper_base + bytes([mark - 0x20])
    for letter, code in single_code.items():
        # Single codes win over pairs (ỵ is 0xEE, not y + the nặng mark).
        table[letter] = bytes([code])
        table[letter.upper()] = bytes([code - 0x20])
    return table


# --------------------------------------------------------------------------
# Vietnamese syllable structure, used to tell mojibake from real words
# --------------------------------------------------------------------------

_INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
# Vowel groups (with medial o/u and final glides) that end a syllable.
_OPEN_RHYMES = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ "
    "uy ưa ưi ưu iêu yêu oai oay oeo uây uôi uya uyu ươi ươu".split()
)
# Vowel groups that take a final consonant.
_CLOSED_NUCLEI = frozenset("a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe uâ uê uy uyê oo".split())
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
_PALATAL_NUCLEI = frozenset({"a", "ê", "i", "oa", "uê", "uy"})  # before ch/nh
_NO_VELAR_NUCLEI = frozenset({"i", "ê", "y", "ơ", "uy", "uê", "uyê", "oe"})  # not before c/ng
_STOP_FINALS = frozenset({"c", "ch", "p", "t"})
_FRONT = ("i", "e", "ê", "y")
_SYLLABLE_CHARS = re.compile("[a-zăâđêôơư]+")


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable.

    Checks the letters, the initial/vowel/final structure, the c/k, g/gh,
    ng/ngh and qu spelling rules, one tone at most, and that syllables ending
    in c, ch, p, t carry sắc or nặng. Old and new tone placement (hoà/hòa)
    are both accepted. Case is ignored.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_SET]
    if len(tones) > 1:
        return False
    base = _nfc("".join(c for c in decomposed if c not in _TONE_SET))
    if not _SYLLABLE_CHARS.fullmatch(base):
        return False
    tone = tones[0] if tones else None
    return any(
        _valid_rest(initial, base[len(initial):], tone)
        for initial in _INITIALS
        if base.startswith(initial)
    )


def _valid_rest(initial: str, rest: str, tone: str | None) -> bool:
    if not rest:
        return False
    first = rest[0]
    if initial in ("k", "gh", "ngh") and not rest.startswith(_FRONT):
        return False
    if initial in ("c", "ng") and rest.startswith(_FRONT):
        return False
    if initial == "g" and rest.startswith(("e", "ê")):
        return False
    if initial == "qu" and first in "uưoô":
        return False
    if rest in _OPEN_RHYMES:
        return True
    for final in _FINALS:
        if not rest.endswith(final):
            continue
        nucleus = rest[: -len(final)]
        if nucleus not in _CLOSED_NUCLEI:
            continue
        if final in ("ch", "nh") and nucleus not in _PALATAL_NUCLEI:
            continue
        if final in ("c", "ng") and nucleus in _NO_VELAR_NUCLEI:
            continue
        if final in _STOP_FINALS and tone not in ("\u0301", "\u0323"):
            continue
        return True
    return False


# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------

# A "word": letters of the Latin-1 view (which includes the TCVN3 letter
# codes that Unicode calls symbols: ¸ µ · © « ¬ soft hyphen ® × ÷ ...) plus
# Latin Extended, combining marks and Vietnamese precomposed letters, so that
# real Unicode Vietnamese words are seen whole.
_WORD = re.compile(r"[A-Za-z\u00a1-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_HAS_LATIN1_HIGH = re.compile(r"[\u00a1-\u00ff]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# Letters CP1252 puts at 0x80-0x9F: a legacy file read as CP1252 can contain
# them, so they are no sign of real Unicode text.
_CP1252_EXTRA = frozenset("ŠŒŽšœžŸƒ")
_SAMPLE_CHARS = 65_536  # per window; three windows are plenty for a verdict


@dataclass(frozen=True)
class LegacyEvidence:
    """Word counts behind ``detect_legacy``'s verdict.

    ``tcvn3``/``vni``: words that are gibberish as they stand but become valid
    Vietnamese syllables when converted from that encoding. ``candidates``:
    words with Latin-1 letters beyond ASCII (where mojibake would show).
    ``unicode``: words that contain characters beyond Latin-1, which legacy
    mojibake never produces, i.e. evidence of real Unicode text.
    """

    tcvn3: int = 0
    vni: int = 0
    candidates: int = 0
    unicode: int = 0

    def verdict(self) -> str | None:
        """``"tcvn3"``, ``"vni"`` or None, from the counts."""
        if self.tcvn3 >= self.vni:
            name, score, other = "tcvn3", self.tcvn3, self.vni
        else:
            name, score, other = "vni", self.vni, self.tcvn3
        # At least two words, most candidate words must make sense only after
        # conversion (German/French words with ä é ü mostly turn into
        # gibberish), clearly more than the other encoding explains, and
        # clearly more than the words already in real Unicode.
        if score < 2 or score * 2 < self.candidates:
            return None
        if score < 2 * other or score < 2 * self.unicode:
            return None
        return name


def _sample(text: str) -> str:
    if len(text) <= 3 * _SAMPLE_CHARS:
        return text
    middle = len(text) // 2
    return "\n".join((
        text[:_SAMPLE_CHARS],
        text[middle: middle + _SAMPLE_CHARS],
        text[-_SAMPLE_CHARS:],
    ))


def _converts_to_syllable(word: str, encoding: str) -> bool:
    converted = convert_legacy(word, encoding)
    return converted != word and is_vietnamese_syllable(converted)


# Cheap bounds, counted by the regex engine, that settle most Unicode texts
# without judging any word (see ``_cannot_be_legacy``). A letter of _WORD
# beyond Latin-1 that legacy mojibake never produces:
_BEYOND = "\u0100-\u024f\u0300-\u036f\u1e00-\u1eff"
_WORD_CHARS = "A-Za-z\u00a1-\u00ff" + _BEYOND
_EXTRA = "".join(sorted(_CP1252_EXTRA))
# Words with such a letter (each counted once: it starts at a word start and
# its runs are possessive, so nothing is tried twice).
_UNICODE_WORD = re.compile(
    f"(?<![{_WORD_CHARS}])(?:[A-Za-z\u00a1-\u00ff{_EXTRA}])*+(?![{_EXTRA}])[{_BEYOND}][{_WORD_CHARS}]*+"
)
# Words of letters up to Latin-1 (and the CP1252 extras) holding one beyond ASCII:
# every word ``legacy_evidence`` weighs as a candidate is one of them.
_LATIN1_WORD = re.compile(
    f"(?<![{_WORD_CHARS}])[A-Za-z{_EXTRA}]*+[\u00a1-\u00ff][A-Za-z\u00a1-\u00ff{_EXTRA}]*+(?![{_WORD_CHARS}])"
)


def _cannot_be_legacy(text: str) -> bool:
    """True when the counts alone rule legacy text out: the verdict needs more
    convertible words than twice the words in real Unicode, and convertible
    words are among the Latin-1 words. Typical of Unicode Vietnamese, where
    ư, ơ, đ and most toned vowels lie beyond Latin-1."""
    # Each Latin-1 word holds at least one such letter: fewer letters than
    # twice the Unicode words settle it without finding the Latin-1 words (a
    # plain character class is scanned many times faster). The Unicode words
    # are counted only until they settle it: in Vietnamese that is within
    # the first part of the text.
    letters = len(_HAS_LATIN1_HIGH.findall(text))
    unicode = 0
    for _ in _UNICODE_WORD.finditer(text):
        unicode += 1
        if 2 * unicode > letters:
            return True
    if unicode == 0:
        return False
    return len(_LATIN1_WORD.findall(text)) < 2 * unicode


def legacy_evidence(text: str) -> LegacyEvidence:
    """Count the words of ``text`` (a sample of it if long) that speak for
    TCVN3, for VNI, and for real Unicode; see ``LegacyEvidence``."""
    text = _sample(text)
    if not _HAS_LATIN1_HIGH.search(text):
        return LegacyEvidence()
    return _count_evidence(text)


def _count_evidence(text: str) -> LegacyEvidence:
    tcvn3 = vni = candidates = unicode = 0
    # Judge each distinct word once: syllables repeat a lot.
    for word, count in Counter(_WORD.findall(text)).items():
        kind = _judge(word)
        if kind & _UNICODE:
            unicode += count
        if kind & _CANDIDATE:
            candidates += count
        if kind & _TCVN3:
            tcvn3 += count
        if kind & _VNI:
            vni += count
    return LegacyEvidence(tcvn3=tcvn3, vni=vni, candidates=candidates, unicode=unicode)


# What one word of ``_WORD`` says (bits of _judge's answer).
_UNICODE, _CANDIDATE, _TCVN3, _VNI = 1, 2, 4, 8
# A letter beyond Latin-1 that CP1252 does not have either.
_BEYOND_CP1252 = re.compile("[^\x00-\xff" + "".join(sorted(_CP1252_EXTRA)) + "]")


@functools.lru_cache(maxsize=1 << 16)
def _judge(word: str) -> int:
    """What ``word`` speaks for, as bits: real Unicode, a candidate, TCVN3,
    VNI. Kept per word: the words of one language repeat from file to file,
    and judging one is a few conversions and syllable checks."""
    if _BEYOND_CP1252.search(word):
        return _UNICODE
    if not _HAS_LATIN1_HIGH.search(word):
        return 0
    # A lone « or © proves nothing; real words have a consonant or two
    # letters.
    if len(word) < 2 and not _ASCII_LETTER.search(word):
        return 0
    if is_vietnamese_syllable(word):
        return _CANDIDATE  # already fine as it is ("có", "là"): no evidence
    kind = _CANDIDATE
    if _converts_to_syllable(word, "tcvn3"):
        kind |= _TCVN3
    if _converts_to_syllable(word, "vni"):
        kind |= _VNI
    return kind


def detect_legacy(text: str) -> str | None:
    """``"tcvn3"`` or ``"vni"`` if ``text`` is legacy-font Vietnamese seen
    through Latin-1/CP1252 (mojibake like ``NghÞ quyÕt`` / ``Nghò quyeát``),
    else None.

    Decided by word structure: words that are not valid as they stand but
    become Vietnamese syllables after conversion. Ordinary English, German,
    French and Unicode Vietnamese text gives None. Needs at least two such
    words, so a single word is never enough.
    """
    sample = _sample(text)
    if not _HAS_LATIN1_HIGH.search(sample) or _cannot_be_legacy(sample):
        return None
    return _count_evidence(sample).verdict()
