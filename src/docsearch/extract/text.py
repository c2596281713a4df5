"""Plain text (.txt, .md): work out the encoding, decode, repair legacy fonts.

Order of the checks, and why:

1. Byte-order marks (UTF-8, UTF-16, UTF-32): explicit, so they win.
2. UTF-16 without a BOM, from the pattern of NUL bytes (every other byte is
   NUL for the ASCII part of the text). Must come before the binary check,
   which would otherwise call those NULs binary.
3. Binary junk: known file signatures, NUL bytes, a high share of control
   characters.
4. UTF-8, decoded strictly in one call (the common case, and fast).
5. Not valid UTF-8: if the damage is small next to the valid multi-byte
   characters, it is UTF-8 with a few bad bytes (replaced, with a warning).
   Otherwise a single-byte encoding, chosen by which reading yields real
   words: TCVN3 / VNI mojibake (legacy Vietnamese fonts), Windows-1258
   Vietnamese, or CP1252 Western European text.
6. Anything else is refused with a reason and a hint.

Decoded Unicode text is also checked for legacy-font mojibake, since legacy
files were often converted to UTF-8/UTF-16 byte by byte. Detection looks at a
sample; decoding is always one call over the whole file.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata

from ..i18n import Count, Phrase, Sayable, phrase
from . import legacy
from .base import Extracted, ExtractionError
from .clean import normalize_text

__all__ = ["extract_text"]

SUPPORTED = "UTF-8, UTF-16, Windows-1258, CP1252"
INVALID_REASON = phrase("not valid text in any supported encoding ({encodings})", encodings=SUPPORTED)
INVALID_HINT = phrase("convert it to UTF-8, e.g. open it in a text editor and save it as UTF-8")
BINARY_REASON = phrase("binary data, not text")
BINARY_HINT = phrase("this is not a plain-text file despite its name; remove it or give it its real extension")

_LEGACY_LABELS = {"tcvn3": "TCVN3", "vni": "VNI"}

# Detection reads at most three windows of this size (start, middle, end).
_SAMPLE_BYTES = 64 * 1024

# --------------------------------------------------------------------------
# Decoding helpers
# --------------------------------------------------------------------------

_count_state = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: like "replace", but counts the bytes replaced."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _count_state.bad = getattr(_count_state, "bad", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


_COUNTING = "docsearch.count-replace"
codecs.register_error(_COUNTING, _count_and_replace)


def _decode_counting(data: bytes, codec: str) -> tuple[str, int]:
    """Decode replacing bad bytes; returns the text and how many were bad."""
    _count_state.bad = 0
    text = codecs.decode(data, codec, _COUNTING)
    return text, _count_state.bad


def _charmap(codec: str) -> str:
    """256-character decoding table for ``codec``; bytes the code page leaves
    undefined map to the Latin-1 character, so decoding never fails."""
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_CP1252_TABLE = _charmap("cp1252")
_CP1258_TABLE = _charmap("cp1258")


def _decode_table(data: bytes, table: str) -> str:
    return codecs.charmap_decode(data, "strict", table)[0]


_HIGH_BYTES = bytes(range(0x80, 0x100))
# Control bytes that never occur in text (tab, LF, VT, FF, CR, and the old
# DOS end-of-file mark 0x1A are allowed).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1a") + b"\x7f"
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _byte_sample(data: bytes) -> bytes:
    """Start, middle and end of a large file, cut at UTF-8 character starts
    so that the cuts themselves do not look like encoding errors."""
    if len(data) <= 3 * _SAMPLE_BYTES:
        return data
    pieces = []
    for start in (0, len(data) // 2, len(data) - _SAMPLE_BYTES):
        end = start + _SAMPLE_BYTES
        for _ in range(3):
            if 0x80 <= data[start] < 0xC0:
                start += 1
            if end < len(data) and 0x80 <= data[end] < 0xC0:
                end -= 1
        pieces.append(data[start:end])
    return b"\n".join(pieces)


# --------------------------------------------------------------------------
# Binary junk
# --------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)


def _binary_error(what: str | None = None) -> ExtractionError:
    reason = phrase("binary data, not text (looks like {what})", what=what) if what else BINARY_REASON
    return ExtractionError(reason, BINARY_HINT)


def _reject_binary(sample: bytes) -> None:
    """Raise for content that is clearly not text in an ASCII-compatible
    encoding: a known binary signature, NUL bytes, or many control bytes."""
    for magic, what in _SIGNATURES:
        if sample.startswith(magic):
            raise _binary_error(what)
    if not sample:
        return
    # Text files have no NULs; a stray one in a big file is tolerated (it is
    # dropped later), but random data has about 0.4 % of them.
    if sample.count(0) > max(0, len(sample) // 1000):
        raise _binary_error()
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls * 20 > len(sample):  # random bytes: about 11 %
        raise _binary_error()


def _reject_binary_text(text: str) -> None:
    """The same check for text decoded from UTF-16/32, where junk shows up
    as controls, surrogates, private-use and unassigned code points."""
    sample = text[:65536]
    if not sample:
        return
    bad = 0
    for char in sample:
        if char in "\t\n\x0b\x0c\r":
            continue
        if char == "\ufffd" or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            bad += 1
    # More than 5 %, and more than the one replacement an odd trailing byte
    # causes in a short file.
    if bad * 20 > len(sample) and bad > 1:
        raise _binary_error()


# --------------------------------------------------------------------------
# Unicode encodings
# --------------------------------------------------------------------------

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" if the NUL bytes fall on one parity only.

    In UTF-16 the high byte of every ASCII character is NUL, so a text that
    is even partly ASCII (Vietnamese is mostly ASCII letters and spaces)
    shows NULs at most odd offsets (LE) or even offsets (BE), and almost
    none at the other parity.
    """
    sample = data[: 2 * 32768]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even_nuls = sample[0 : 2 * pairs : 2].count(0)
    odd_nuls = sample[1 : 2 * pairs : 2].count(0)
    # Over half: Vietnamese and Western text is mostly ASCII and Latin-1
    # (high byte NUL), while ASCII junk with NULs every few bytes rarely
    # reaches it at one parity only.
    if odd_nuls * 10 > pairs * 6 and even_nuls * 50 <= pairs:
        return "utf-16-le"
    if even_nuls * 10 > pairs * 6 and odd_nuls * 50 <= pairs:
        return "utf-16-be"
    return None


def _replacement_warning(bad: int, codec: str) -> Phrase:
    if bad == 1:
        return phrase("replaced 1 invalid byte with U+FFFD (the file is not entirely valid {codec})", codec=codec)
    return phrase("replaced {n} invalid bytes with U+FFFD (the file is not entirely valid {codec})", n=Count(bad),
                  codec=codec)


def _decode_wide(data: bytes, codec: str, warnings: list[Sayable]) -> str:
    """Decode UTF-16/32 (no BOM in ``data``), refusing junk."""
    text, bad = _decode_counting(data, codec)
    _reject_binary_text(text)
    if bad:
        warnings.append(_replacement_warning(bad, "UTF-16" if "16" in codec else "UTF-32"))
    return text


def _utf8_damage(sample: bytes) -> tuple[int, int]:
    """(bytes that are not valid UTF-8, high bytes that are) in ``sample``."""
    _count_state.bad = 0
    codecs.utf_8_decode(sample, _COUNTING, False)  # an incomplete tail is no error
    bad = _count_state.bad
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    return bad, max(0, high - bad)


def _decode_utf8_replacing(data: bytes, warnings: list[Sayable]) -> str:
    text, bad = _decode_counting(data, "utf-8")
    if bad:
        warnings.append(_replacement_warning(bad, "UTF-8"))
    return text


# --------------------------------------------------------------------------
# Single-byte encodings
# --------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z\u00a1-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]+")
# What Windows-1258 decodes differently from CP1252: Vietnamese letters and
# the combining tone marks it uses instead of precomposed toned vowels.
_CP1258_SPECIFIC = frozenset("ĂăĐđƠơƯư\u0300\u0301\u0303\u0309\u0323")


def _cp1258_words(view: str) -> tuple[int, int]:
    """(valid Vietnamese syllables, words read differently from CP1252)
    among the words of a Windows-1258 reading."""
    valid = candidates = 0
    for word in _WORD.findall(view):
        if not _CP1258_SPECIFIC.intersection(word):
            continue
        candidates += 1
        if legacy.is_vietnamese_syllable(unicodedata.normalize("NFC", word)):
            valid += 1
    return valid, candidates


_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = "\"'()[]{}<>.,:;!?-–—…“”„‘’‚«»¡¿*/\\|"
# Non-letters that ordinary Western text contains.
_COMMON_SYMBOLS = frozenset("\u00a0\u00ad°€£¥¢§©®™±×÷·•«»“”„‘’‚–—…¹²³¼½¾µ¡¿¶‰†‡ªº")


def _plausible_western(view: str) -> bool:
    """Whether a CP1252 reading looks like Western European text.

    Accented letters are a minority and sit inside words made of letters
    (usually with ASCII letters too); symbols stand on their own or next
    to digits. Random high bytes give long runs of mixed letters/symbols.
    """
    non_space = len(view) - sum(view.count(c) for c in " \t\r\n")
    high = len(view) - len(view.encode("ascii", "ignore"))
    if high == 0:
        return True
    if high * 10 > non_space * 3:
        return False
    good = tokens = 0
    for token in _TOKEN.findall(view):
        if token.isascii():
            continue
        tokens += 1
        core = token.strip(_EDGE_PUNCT)
        if not core:
            good += 1
            continue
        letters = core.replace("'", "").replace("’", "").replace("-", "").replace(".", "")
        if letters.isalpha() and (len(letters) <= 3 or any(c.isascii() for c in letters)):
            good += 1
        elif all(c.isascii() or c.isdigit() or c in _COMMON_SYMBOLS for c in core):
            good += 1  # "25°C", "€100", "§3": symbols next to digits or ASCII
    return good * 5 >= tokens * 4


def _decode_single_byte(data: bytes, sample: bytes, warnings: list[Sayable]) -> tuple[str, str] | None:
    """Pick TCVN3, VNI, Windows-1258 or CP1252 by which reading of
    ``sample`` gives real words; None if none does."""
    view = _decode_table(sample, _CP1252_TABLE)
    evidence = legacy.legacy_evidence(view)
    kind = evidence.verdict()
    vi_valid, vi_candidates = _cp1258_words(_decode_table(sample, _CP1258_TABLE))
    if kind is not None and getattr(evidence, kind) >= vi_valid:
        text = legacy.convert_legacy(_decode_table(data, _CP1252_TABLE), kind)
        warnings.append(phrase("converted from {encoding} (legacy font encoding)", encoding=_LEGACY_LABELS[kind]))
        return text, kind
    if vi_valid >= 2 and vi_valid * 2 >= vi_candidates:
        # Windows-1258 writes most tones as combining marks; normalize_text's
        # NFC composes them into the usual precomposed letters.
        return _decode_table(data, _CP1258_TABLE), "cp1258"
    if _plausible_western(view):
        return _decode_table(data, _CP1252_TABLE), "cp1252"
    return None


# --------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------


def _decode(data: bytes, warnings: list[Sayable]) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8-sig":
                body = data[len(bom):]
                _reject_binary(_byte_sample(body))
                return _decode_utf8_replacing(body, warnings), codec
            return _decode_wide(data[len(bom):], codec, warnings), codec
    wide = _utf16_without_bom(data)
    if wide is not None:
        return _decode_wide(data, wide, warnings), wide

    sample = _byte_sample(data)
    _reject_binary(sample)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bad, valid_high = _utf8_damage(sample)
    # Mostly real multi-byte UTF-8 with a little damage: keep it as UTF-8.
    if bad * 4 <= valid_high:
        return _decode_utf8_replacing(data, warnings), "utf-8"
    single = _decode_single_byte(data, sample, warnings)
    if single is not None:
        return single
    # Not plausible in any single-byte reading. A handful of stray bytes in
    # otherwise plain (ASCII) text is still worth reading as UTF-8.
    if bad * 100 <= len(sample):
        return _decode_utf8_replacing(data, warnings), "utf-8"
    raise ExtractionError(INVALID_REASON, INVALID_HINT)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _drop_controls(text: str, warnings: list[Sayable]) -> str:
    # Word's "text only" export writes manual line breaks as vertical tabs.
    text = text.replace("\x0b", "\n")
    if not _CONTROL_CHARS.search(text):
        return text
    text, removed = _CONTROL_CHARS.subn("", text)
    warnings.append(phrase("removed 1 control character") if removed == 1
                    else phrase("removed {n} control characters", n=Count(removed)))
    return text


_MARKDOWN_TITLE = re.compile(r"#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")


def _markdown_title(text: str) -> str | None:
    """The text of a level-1 ATX heading (``# Title``) on the first line."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    match = _MARKDOWN_TITLE.fullmatch(first)
    if match is None:
        return None
    return match.group(1).strip() or None


def extract_text(data: bytes) -> Extracted:
    """Decode a plain-text or Markdown file.

    Detects UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without
    BOM, Windows-1258, CP1252, and the legacy Vietnamese font encodings TCVN3
    and VNI (also when such text was converted to Unicode byte by byte), and
    converts everything to clean NFC text. ``encoding`` names what was found
    ("utf-8", "utf-8-sig", "utf-16-le", "cp1258", "tcvn3", ...); ``title`` is
    set when the file starts with a Markdown ``# heading``.

    Raises ExtractionError for binary data and for bytes that are not text in
    any supported encoding.
    """
    warnings: list[Sayable] = []
    text, encoding = _decode(data, warnings)
    if encoding.startswith("utf"):
        # Legacy-font files converted to Unicode byte by byte keep their
        # mojibake; single-byte readings were already checked above.
        kind = legacy.detect_legacy(text)
        if kind is not None:
            text = legacy.convert_legacy(text, kind)
            warnings.append(phrase("converted from {encoding} (legacy font encoding) found in {found} text",
                                   encoding=_LEGACY_LABELS[kind], found=encoding.upper()))
            encoding = kind
    text = _drop_controls(text, warnings)
    text = normalize_text(text)
    return Extracted(
        text=text,
        page_starts=(0,),
        title=_markdown_title(text),
        warnings=tuple(warnings),
        encoding=encoding,
    )
