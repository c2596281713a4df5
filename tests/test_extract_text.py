"""Plain-text extraction: encodings, legacy Vietnamese fonts, bad input."""

from __future__ import annotations

import codecs
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.extract.base import ExtractionError
from docsearch.extract.clean import normalize_text
from docsearch.extract.legacy import (
    VIETNAMESE_LETTERS,
    convert_legacy,
    detect_legacy,
    encode_legacy,
    is_vietnamese_syllable,
)
from docsearch.extract.text import extract_text

DATA = Path(__file__).parent / "data" / "text"


def fixture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


VI = fixture("vi_paragraph.txt")  # ~90 words: ư ơ đ, all five tones, capitals
VI_MORE = fixture("vi_more.txt")  # official-style text with ALL-CAPS lines
WESTERN = ["de_paragraph.txt", "de_seed.txt", "fr_paragraph.txt", "es_paragraph.txt",
           "pt_paragraph.txt", "it_paragraph.txt", "en_seed.txt"]
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 bytes the way Windows writes them: a precomposed letter
    where the code page has one, else the letter without its tone followed
    by the combining tone mark (Python's cp1258 codec cannot encode ệ etc.
    directly, only the decomposed sequence)."""
    out = bytearray()
    for char in nfc(text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in TONES)
        base = nfc("".join(c for c in decomposed if c not in TONES))
        out += (base + tone).encode("cp1258")
    return bytes(out)


# TCVN3 (VN3) has only these toned capitals; the others are written with the
# lowercase code (the .VnTimeH font draws it as a capital), so they come back
# lowercase. Listed here independently of the implementation's table.
TCVN3_TONED_CAPITALS = set("ẰẲẴẮẦẨẪẤỀỂỄẾỒỔỖỐ")


def tcvn3_expected(text: str) -> str:
    out = []
    for char in nfc(text):
        toned = any(c in TONES for c in unicodedata.normalize("NFD", char))
        if char.isupper() and toned and char not in TCVN3_TONED_CAPITALS:
            char = char.lower()
        out.append(char)
    return "".join(out)


# ---------------------------------------------------------------------------
# One Vietnamese text in every supported encoding
# ---------------------------------------------------------------------------

ENCODINGS = [
    # (id, encode function, expected .encoding)
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("utf-16-le BOM", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be BOM", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be"),
    ("utf-16-le no BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be no BOM", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("utf-32 BOM", lambda t: t.encode("utf-32"), "utf-32-le"),
    ("windows-1258", cp1258_bytes, "cp1258"),
    ("vni", lambda t: encode_legacy(t, "vni"), "vni"),
    ("tcvn3", lambda t: encode_legacy(t, "tcvn3"), "tcvn3"),
]


@pytest.mark.parametrize("text", [VI, VI_MORE], ids=["paragraph", "official"])
@pytest.mark.parametrize("encode, expected_encoding",
                         [e[1:] for e in ENCODINGS], ids=[e[0] for e in ENCODINGS])
def test_vietnamese_in_every_encoding(text, encode, expected_encoding):
    result = extract_text(encode(text))
    expected = normalize_text(text)
    if expected_encoding == "tcvn3":
        expected = tcvn3_expected(expected)
    assert result.text == expected
    assert result.encoding == expected_encoding
    assert result.page_starts == (0,)
    assert result.title is None
    if expected_encoding in ("tcvn3", "vni"):
        label = expected_encoding.upper()
        assert tuple(map(str, result.warnings)) == (f"converted from {label} (legacy font encoding)",)
    else:
        assert tuple(map(str, result.warnings)) == ()


def test_tcvn3_lowercases_only_missing_capitals():
    # The paragraph starts with "Ủy" and contains "Ý kiến": neither capital
    # exists in TCVN3, the rest of the text is exact.
    result = extract_text(encode_legacy(VI, "tcvn3"))
    assert result.text.startswith("ủy ban nhân dân thành phố Hà Nội")
    assert "ý kiến đóng góp xin gửi về Sở Giáo dục" in result.text
    assert result.text.replace("ủy", "Ủy", 1).replace("ý kiến", "Ý kiến") == normalize_text(VI)


def test_cp1258_bytes_round_trip_through_python_codec():
    # The test helper is right: Python's own cp1258 decoder reads its output
    # back, as decomposed text that NFC turns into the original.
    data = cp1258_bytes(VI)
    decoded = data.decode("cp1258")
    assert decoded != VI  # tones really are separate combining marks
    assert any(c in TONES for c in decoded)
    assert nfc(decoded) == VI


@pytest.mark.parametrize("name", WESTERN)
def test_western_text_in_cp1252(name):
    text = fixture(name)
    result = extract_text(text.encode("cp1252"))
    assert result.text == normalize_text(text)
    # Pure ASCII is valid UTF-8, and reported as such.
    assert result.encoding == ("utf-8" if text.isascii() else "cp1252")
    assert tuple(map(str, result.warnings)) == ()


@pytest.mark.parametrize("name", WESTERN + ["vi_paragraph.txt", "vi_more.txt"])
def test_utf8_fixtures_unchanged(name):
    text = fixture(name)
    result = extract_text(text.encode("utf-8"))
    assert result.text == normalize_text(text)
    assert result.encoding == "utf-8"
    assert tuple(map(str, result.warnings)) == ()


def test_decomposed_unicode_vietnamese_is_composed():
    result = extract_text(unicodedata.normalize("NFD", VI).encode("utf-8"))
    assert result.text == normalize_text(VI)
    assert result.encoding == "utf-8"


# ---------------------------------------------------------------------------
# Legacy font encodings
# ---------------------------------------------------------------------------

def test_all_134_letters():
    assert len(VIETNAMESE_LETTERS) == 134
    assert len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", c) for c in VIETNAMESE_LETTERS)


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_vni_round_trip_every_letter(letter):
    data = encode_legacy(letter, "vni")
    assert convert_legacy(data.decode("cp1252"), "vni") == letter
    assert convert_legacy(data.decode("latin-1"), "vni") == letter


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_tcvn3_round_trip_every_letter(letter):
    data = encode_legacy(letter, "tcvn3")
    assert len(data) == 1  # every letter has a single code in VN3
    assert convert_legacy(data.decode("cp1252"), "tcvn3") == tcvn3_expected(letter)


def test_legacy_codes_are_distinct():
    # Different letters never share a code (except TCVN3 capitals that
    # borrow the lowercase code, which the round trip above covers).
    vni = {encode_legacy(c, "vni") for c in VIETNAMESE_LETTERS}
    assert len(vni) == 134
    lower = [c for c in VIETNAMESE_LETTERS if c.islower()]
    tcvn3 = {encode_legacy(c, "tcvn3") for c in lower}
    assert len(tcvn3) == 67


# Individual codes checked by hand against the published tables.
@pytest.mark.parametrize("encoding, data, letter", [
    ("tcvn3", b"\xb8", "á"), ("tcvn3", b"\xb5", "à"), ("tcvn3", b"\xb6", "ả"),
    ("tcvn3", b"\xb7", "ã"), ("tcvn3", b"\xb9", "ạ"), ("tcvn3", b"\xa8", "ă"),
    ("tcvn3", b"\xa9", "â"), ("tcvn3", b"\xae", "đ"), ("tcvn3", b"\xa7", "Đ"),
    ("tcvn3", b"\xad", "ư"), ("tcvn3", b"\xac", "ơ"), ("tcvn3", b"\xa5", "Ơ"),
    ("tcvn3", b"\xde", "ị"), ("tcvn3", b"\xd5", "ế"), ("tcvn3", b"\xfb", "ỷ"),
    ("tcvn3", b"\xfe", "ỵ"), ("tcvn3", b"\xc6", "ặ"), ("tcvn3", b"\xc0", "Ắ"),
    ("tcvn3", b"\xff", "Ố"), ("tcvn3", b"a\xb3", "á"), ("tcvn3", b"\xa8\xb4", "ặ"),
    ("vni", b"a\xf9", "á"), ("vni", b"a\xf8", "à"), ("vni", b"a\xfb", "ả"),
    ("vni", b"a\xf5", "ã"), ("vni", b"a\xef", "ạ"), ("vni", b"a\xea", "ă"),
    ("vni", b"a\xe9", "ắ"), ("vni", b"a\xe2", "â"), ("vni", b"a\xe4", "ậ"),
    ("vni", b"e\xe1", "ế"), ("vni", b"\xf4\xf8", "ờ"), ("vni", b"\xf6\xef", "ự"),
    ("vni", b"\xf1", "đ"), ("vni", b"\xd1", "Đ"), ("vni", b"\xf2", "ị"),
    ("vni", b"\xf3", "ĩ"), ("vni", b"\xee", "ỵ"), ("vni", b"U\xdb", "Ủ"),
    ("vni", b"O\xc4", "Ộ"), ("vni", b"A\xc9", "Ắ"),
])
def test_hand_checked_codes(encoding, data, letter):
    assert convert_legacy(data.decode("cp1252"), encoding) == letter


# Literal mojibake as it appears when such files are opened in a normal
# editor, with the Vietnamese it stands for (checked by hand).
TCVN3_SAMPLES = [
    ("NghÞ quyÕt", "Nghị quyết"),
    # The bytes say "Uỷ" (old-style tone placement on y); the converter keeps
    # the spelling that was typed rather than respelling it as "Ủy".
    ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc",
     "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc"),
    ("ng\u00adêi d©n ®­îc h\u00adëng", "người dân được hưởng"),
]
VNI_SAMPLES = [
    ("Nghò quyeát", "Nghị quyết"),
    ("UÛy ban nhaân daân", "Ủy ban nhân dân"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM\nÑoäc laäp - Töï do - Haïnh phuùc",
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
    ("Tröôøng Ñaïi hoïc Quoác gia", "Trường Đại học Quốc gia"),
]


@pytest.mark.parametrize("mojibake, expected", TCVN3_SAMPLES)
def test_tcvn3_samples(mojibake, expected):
    assert detect_legacy(mojibake) == "tcvn3"
    assert convert_legacy(mojibake, "tcvn3") == expected


@pytest.mark.parametrize("mojibake, expected", VNI_SAMPLES)
def test_vni_samples(mojibake, expected):
    assert detect_legacy(mojibake) == "vni"
    assert convert_legacy(mojibake, "vni") == expected


@pytest.mark.parametrize("name, encoding, expected", [
    ("tcvn3_quoc_hieu.txt", "tcvn3",
     "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n\nNghị quyết của Uỷ ban nhân dân"),
    ("vni_quoc_hieu.txt", "vni",
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNghị quyết của Ủy ban nhân dân"),
])
def test_legacy_fixture_files(name, encoding, expected):
    # Files holding the raw legacy bytes, as a .VnTime / VNI-Times document
    # saved as plain text would.
    result = extract_text((DATA / name).read_bytes())
    assert result.encoding == encoding
    assert result.text == expected


def test_tcvn3_combining_codes_only_after_vowels():
    # 0xB0-0xB4 are tone marks in TCVN3, but after a digit they are the
    # degree sign etc. the author saw in a non-Vietnamese font.
    assert convert_legacy("n¨³m", "tcvn3") == "nắm"
    assert convert_legacy("25°C", "tcvn3") == "25°C"


def test_convert_unknown_encoding():
    with pytest.raises(ValueError):
        convert_legacy("x", "viscii")


@pytest.mark.parametrize("name", WESTERN + ["vi_paragraph.txt", "vi_more.txt"])
def test_no_false_positives(name):
    text = fixture(name)
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None


def test_no_false_positives_on_seed_corpus():
    from conftest import seeds_dir

    for path in sorted(seeds_dir().glob("*.txt")):
        assert detect_legacy(path.read_text(encoding="utf-8")) is None, path.name


@pytest.mark.parametrize("text", [
    "Der Präsident für Bürger", "café", "Où est né le thé ?", "naïve résumé", "£5 © 2024 «ok»",
    "Nghị quyết", "Ủy ban nhân dân", "có là các nhân dân tôi", "",
])
def test_no_false_positives_short(text):
    assert detect_legacy(text) is None


@pytest.mark.parametrize("name", ["vi_paragraph.txt", "vi_more.txt"])
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_detect_on_whole_documents(name, encoding):
    mojibake = encode_legacy(fixture(name), encoding).decode("cp1252")
    assert detect_legacy(mojibake) == encoding


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("wrap, container", [
    (lambda t: t.encode("utf-8"), "UTF-8"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "UTF-8-SIG"),
    (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "UTF-16-LE"),
], ids=["utf-8", "utf-8-sig", "utf-16"])
def test_legacy_mojibake_inside_unicode_files(encoding, wrap, container):
    # A legacy file converted to Unicode byte by byte (e.g. Word's "save as
    # Unicode text" on a .VnTime document) still holds the mojibake.
    mojibake = encode_legacy(VI, encoding).decode("cp1252")
    result = extract_text(wrap(mojibake))
    expected = normalize_text(VI)
    assert result.text == (tcvn3_expected(expected) if encoding == "tcvn3" else expected)
    assert result.encoding == encoding
    assert tuple(map(str, result.warnings)) == (
        f"converted from {encoding.upper()} (legacy font encoding) found in {container} text",
    )


@pytest.mark.parametrize("word, valid", [
    ("nghiêng", True), ("quyết", True), ("người", True), ("khuya", True), ("gì", True),
    ("giữa", True), ("hoà", True), ("hòa", True), ("thuở", True), ("Uỷ", True), ("Ủy", True),
    ("xoong", True), ("oanh", True), ("ạ", True), ("VIỆT", True),
    ("cá", True), ("cả", True), ("các", True), ("cạc", True), ("càc", False),  # stop finals
    ("ki", True), ("ci", False), ("ka", False), ("ghe", True), ("ge", False), ("ngi", False),
    ("quô", False), ("für", False), ("prọsident", False), ("ă", False), ("ăn", True),
    ("ích", True), ("ich", False), ("ic", False), ("anh", True), ("onh", False), ("", False), ("a1", False),
])
def test_syllable_validator(word, valid):
    assert is_vietnamese_syllable(word) is valid


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

def _random_bytes(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


@pytest.mark.parametrize("data, looks_like", [
    (_random_bytes(5000), None),
    (_random_bytes(200, seed=3), None),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(500), "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF" + _random_bytes(500), "a JPEG image"),
    (b"\x1f\x8b\x08\x00" + _random_bytes(300), "gzip-compressed data"),
    (b"abc\x00def\x00" * 50, None),  # NULs at one parity, but only every other pair
    (b"some text\x00" * 50, None),  # NULs at both parities
    (bytes(range(1, 32)) * 20 + b"some text", None),  # mostly control bytes
], ids=["random-5000", "random-200", "png", "jpeg", "gzip", "nul-pairs", "nul-bytes",
                              "controls"])
def test_binary_junk_is_rejected(data, looks_like):
    with pytest.raises(ExtractionError) as info:
        extract_text(data)
    assert info.value.reason.startswith("binary data, not text")
    if looks_like:
        assert looks_like in info.value.reason
    assert info.value.hint


@pytest.mark.parametrize("data", [
    bytes(range(0x80, 0x100)) * 40,  # every high byte, no words at all
    b"\xa4\xa6\xa8\xaf\xb4\xb8" * 200,  # symbol soup in any single-byte reading
], ids=["all-high-bytes", "symbol-soup"])
def test_invalid_text_is_rejected(data):
    with pytest.raises(ExtractionError) as info:
        extract_text(data)
    assert info.value.reason == (
        "not valid text in any supported encoding (UTF-8, UTF-16, Windows-1258, CP1252)"
    )
    assert "UTF-8" in info.value.hint


def test_utf8_with_a_few_bad_bytes_is_read():
    # Bad bytes inserted between characters: a stray 0xFF, a lead byte
    # followed by ASCII, and a sequence cut short at the end of the file.
    damaged = (VI[:40].encode() + b"\xff" + VI[40:200].encode() + b"\xc3\x28"
               + VI[200:].encode() + b"\xe1\xba")
    result = extract_text(damaged)
    assert result.encoding == "utf-8"
    assert tuple(map(str, result.warnings)) == (
        "replaced 4 invalid bytes with U+FFFD (the file is not entirely valid UTF-8)",
    )
    assert result.text.count("\ufffd") == 3  # 0xFF, 0xC3, the truncated 0xE1 0xBA
    assert "Quyết định số 1234/QĐ-UBND" in result.text


def test_lone_c3_bytes_in_ascii_are_read_as_cp1252():
    # Decision: invalid UTF-8 whose bytes make ordinary Latin-1 words is a
    # single-byte file, not damaged UTF-8: "Ã" is a letter, so "cafÃ" is
    # plausible CP1252 text (it may be the remains of a broken conversion,
    # but nothing in the bytes says so and nothing is lost by reading them).
    result = extract_text(b"caf\xc3 au lait, cr\xc3me br\xc3l\xc3e")
    assert result.encoding == "cp1252"
    assert result.text == "cafÃ au lait, crÃme brÃlÃe"


def test_windows_quotes_in_ascii_are_cp1252():
    result = extract_text(b"It\x92s a \x93quoted\x94 word \x96 really.")
    assert result.encoding == "cp1252"
    assert result.text == "It’s a “quoted” word – really."


def test_stray_undefined_byte_in_ascii_is_replaced():
    # 0x81 is undefined in CP1252 and Windows-1258 and invalid UTF-8: no
    # reading makes it text, but one stray byte must not lose the file.
    result = extract_text(b"hello world " * 100 + b"\x81 more")
    assert result.encoding == "utf-8"
    assert tuple(map(str, result.warnings)) == (
        "replaced 1 invalid byte with U+FFFD (the file is not entirely valid UTF-8)",
    )
    assert result.text.endswith("hello world \ufffd more")


def test_utf16_odd_length_is_read_with_warning():
    data = codecs.BOM_UTF16_LE + "Xin chào".encode("utf-16-le") + b"!"
    result = extract_text(data)
    assert result.text == "Xin chào\ufffd"
    assert tuple(map(str, result.warnings)) == (
        "replaced 1 invalid byte with U+FFFD (the file is not entirely valid UTF-16)",
    )


def test_control_characters_are_dropped():
    # Word exports manual line breaks as \v; 0x1A (DOS end of file) and BEL
    # are dropped.
    result = extract_text(b"one\x0btwo\x1a\x07 three and a long enough line of text after it")
    assert result.text == "one\ntwo three and a long enough line of text after it"
    assert tuple(map(str, result.warnings)) == ("removed 2 control characters",)


# ---------------------------------------------------------------------------
# Markdown, line endings, size
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("source, title", [
    ("# Quyết định số 12\n\nNội dung", "Quyết định số 12"),
    ("\n\n#   Báo cáo tổng kết ##\ntext", "Báo cáo tổng kết"),
    ("## Mục 2\ntext", None),
    ("#hashtag\ntext", None),
    ("Văn bản\n# Không phải đầu tệp", None),
    ("#\ntext", None),
])
def test_markdown_title(source, title):
    assert extract_text(source.encode("utf-8")).title == title


def test_crlf_and_cr_line_endings():
    result = extract_text("Dòng một\r\nDòng hai\rDòng ba".encode())
    assert result.text == "Dòng một\nDòng hai\nDòng ba"


def test_50mb_file_is_read_completely(tmp_path):
    line = VI.strip() + "\n"
    count = 50_000_000 // len(line.encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            handle.write(f"{index:07d} {line}")
    data = path.read_bytes()
    assert len(data) >= 50_000_000
    result = extract_text(data)
    assert result.encoding == "utf-8"
    lines = result.text.split("\n")
    assert len(lines) == count
    assert lines[0] == f"0000000 {VI.strip()}"
    assert lines[-1] == f"{count - 1:07d} {VI.strip()}"
    assert len(result.text) == len(data.decode("utf-8")) - 1  # minus the final newline


# ---------------------------------------------------------------------------
# Property: any bytes give NFC text or ExtractionError
# ---------------------------------------------------------------------------

INTERESTING_BYTES = list(b"\x00\x0a\x0d \xa0\xa8\xa9\xad\xb3\xb8\xc3\xcc\xd0\xde\xe2\xe9\xec\xef"
                         b"\xf2\xf4\xf6\xf9\xfb\xff\xfe\x80\x81\x93aAeEoOuUyYnghq")

byte_soup = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.lists(st.sampled_from(INTERESTING_BYTES), max_size=400).map(bytes),
    st.tuples(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                               codecs.BOM_UTF32_LE, b""]),
              st.binary(max_size=300)).map(lambda parts: parts[0] + parts[1]),
)


@settings(max_examples=600, deadline=None)
@given(byte_soup)
def test_any_bytes_give_nfc_text_or_extraction_error(data):
    try:
        result = extract_text(data)
    except ExtractionError as error:
        assert error.reason and error.hint
        return
    assert isinstance(result.text, str)
    assert unicodedata.is_normalized("NFC", result.text)
    assert result.page_starts == (0,)
    assert isinstance(result.encoding, str)


def _normalize_line_by_line(text: str) -> str:
    """What normalize_text is defined to do, written the plain way (a string per line)."""
    import re

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    text = unicodedata.normalize("NFC", text)
    spaces = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    text = "\n".join(spaces.sub(" ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=list("ab Đđ\t\n\r\x0c\x0b\x1c\x85\u00a0\u2003\u3000\u200b\ufeff\u00ad\u2028\u1680e\u0301\u0323"),
               max_size=40))
def test_normalize_text_folds_spaces_as_line_by_line_would(text: str) -> None:
    # normalize_text works on the whole text (a large file's lines as strings
    # cost several times its size); the result must be the same.
    assert normalize_text(text) == _normalize_line_by_line(text)
