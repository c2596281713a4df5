"""A document's own identity, read from its header block.

Vietnamese official documents open with the issuing body (upper case), the
number line ``Số 46-CTr/TU`` / ``Số: 45/KH-UBND``, the place-and-date line
``Quảng Ninh, ngày 05 tháng 02 năm 2025``, the type in capitals and the
title. Only the first lines are looked at, and only a number line that comes
before any running paragraph counts, so a body sentence beginning with "Số"
is never taken for the header.
"""

from __future__ import annotations

import re
from datetime import date

from ..models import DateMention, Identity
from .find import Mention
from .grammar import HEADER_NUMBER_LINE, fold, type_codes_for_word

HEADER_LINES = 30
_BODY_LINE_LEN = 160

_SKIP_LINES = re.compile(
    r"^(?:dang cong san viet nam|cong hoa xa hoi chu nghia viet nam|doc lap - tu do - hanh phuc|"
    r"[*\-_=~. ]+|)$"
)

# Upper-case header words and their sentence-case spelling.
_BODY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("BAN CHẤP HÀNH TRUNG ƯƠNG", "Ban Chấp hành Trung ương"),
    ("BỘ CHÍNH TRỊ", "Bộ Chính trị"),
    ("BAN BÍ THƯ", "Ban Bí thư"),
    ("BAN THƯỜNG VỤ", "Ban Thường vụ"),
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("UỶ BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"),
    ("ĐẢNG ỦY KHỐI", "Đảng ủy Khối"),
    ("ĐẢNG UỶ", "Đảng ủy"),
    ("ĐẢNG ỦY", "Đảng ủy"),
    ("TỈNH ỦY", "Tỉnh ủy"),
    ("TỈNH UỶ", "Tỉnh ủy"),
    ("THÀNH ỦY", "Thành ủy"),
    ("THÀNH UỶ", "Thành ủy"),
    ("HUYỆN ỦY", "Huyện ủy"),
    ("HUYỆN UỶ", "Huyện ủy"),
    ("QUẬN ỦY", "Quận ủy"),
    ("THỊ ỦY", "Thị ủy"),
    ("VĂN PHÒNG TRUNG ƯƠNG ĐẢNG", "Văn phòng Trung ương Đảng"),
    ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
    ("CHÍNH PHỦ", "Chính phủ"),
    ("BAN CHỈ ĐẠO", "Ban Chỉ đạo"),
)
_PLACE_PREFIXES = ("ĐẢNG BỘ TỈNH ", "ĐẢNG BỘ THÀNH PHỐ ", "ĐẢNG BỘ HUYỆN ", "ĐẢNG BỘ ")
_BARE_BODIES = frozenset({"TỈNH ỦY", "TỈNH UỶ", "THÀNH ỦY", "THÀNH UỶ", "HUYỆN ỦY", "HUYỆN UỶ", "QUẬN ỦY",
                          "THỊ ỦY", "ĐẢNG ỦY", "ĐẢNG UỶ", "BAN THƯỜNG VỤ"})


def read_identity(text: str, folded: str, numbers: list[Mention],
                  dates: list[DateMention] | None = None) -> tuple[Identity | None, Mention | None]:
    """The document's identity and the mention that carries its number, if the
    text opens with an official header."""
    lines = _first_lines(text)
    number_line = None
    for idx, (start, end) in enumerate(lines):
        if end - start > _BODY_LINE_LEN:
            break  # running text reached: no header number after this point
        if HEADER_NUMBER_LINE.match(folded, start, end):
            number_line = idx
            break
    if number_line is None:
        return None, None
    start, end = lines[number_line]
    own = next((m for m in numbers if m.number and start <= m.start < end), None)
    if own is None or own.number is None:
        return None, None

    when, place = _place_and_date(text, lines[: number_line + 6], own, dates or [])
    issuer = _issuer_from_lines(text, folded, lines[:number_line])
    type_code, title, body = _type_and_title(text, folded, lines, number_line)
    # A central letterhead reads "BAN CHẤP HÀNH TRUNG ƯƠNG" whichever organ
    # issued the document; "CỦA BỘ CHÍNH TRỊ" under the type, or the signature
    # "T/M BỘ CHÍNH TRỊ", names the organ.
    if body is None and own.number.issuer_code == "TW":
        body = _signing_body(text, folded)
    issuer = body or issuer
    dn = own.number
    identity = Identity(
        id=dn.id,
        type=dn.type or type_code,
        issuer=issuer,
        date=when,
        issuer_code=dn.issuer_code,
        title=title,
        place=place,
        start=own.start,
        end=own.end,
    )
    return identity, own


_CENTRAL_ORGANS = frozenset({"BỘ CHÍNH TRỊ", "BAN BÍ THƯ", "BAN CHẤP HÀNH TRUNG ƯƠNG"})
_SIGNATURE = re.compile(r"^[ \t]*t/m[ ]+(?P<body>[^\n]{3,60})$", re.M)


def _signing_body(text: str, folded: str) -> str | None:
    """The body in the signature block ("T/M BỘ CHÍNH TRỊ" → "Bộ Chính trị")."""
    m = _SIGNATURE.search(folded, max(0, len(folded) - 6000))
    if m is None:
        return None
    raw = text[m.start("body"):m.end("body")].strip()
    if raw not in _CENTRAL_ORGANS:
        return None
    return _sentence_case(raw)


def _place_and_date(text: str, lines: list[tuple[int, int]], own: Mention,
                    dates: list[DateMention]) -> tuple[date | None, str | None]:
    """The "Quảng Ninh, ngày 05 tháng 02 năm 2025" line (also "Ha Nam, April 20,
    2025"), which two-column headers put on the number's line, after a "|"."""
    for s, e in lines:
        for d in dates:
            if not s <= d.start < e:
                continue
            comma = text.rfind(",", s, d.start)
            if comma < 0 or text[comma + 1:d.start].strip():
                continue
            seg_start = max(s, text.rfind("|", s, comma) + 1, own.end if s <= own.start < e else s)
            place = text[seg_start:comma].strip(" |\t")
            if 1 < len(place) <= 40 and not any(ch.isdigit() for ch in place):
                return d.date, place
    return None, None


def _first_lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    while pos <= len(text) and len(out) < HEADER_LINES:
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if text[pos:end].strip():
            out.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _sentence_case(upper: str) -> str:
    for prefix, spelled in _BODY_PREFIXES:
        if upper.startswith(prefix):
            rest = upper[len(prefix):].strip()
            return f"{spelled} {_title_case(rest)}".strip()
    return _title_case(upper)


def _title_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


_NATIONAL = re.compile(r"\s*(?:ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM)\s*$")
_LOCALITY = ("TỈNH ", "THÀNH PHỐ ", "HUYỆN ", "QUẬN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG ")


def _issuer_from_lines(text: str, folded: str, lines: list[tuple[int, int]]) -> str | None:
    names = []
    for s, e in lines:
        # Two-column headers: the issuer is the left cell ("ỦY BAN NHÂN DÂN | CỘNG HÒA …").
        raw = _NATIONAL.sub("", text[s:e].split("|")[0]).strip()
        if not raw or _SKIP_LINES.match(fold(raw)) or not raw.isupper():
            continue
        names.append(raw)
    if not names:
        return None
    if len(names) >= 2 and names[-1].startswith(_LOCALITY) and not names[-2].startswith(("ĐẢNG BỘ",)):
        # "ỦY BAN NHÂN DÂN" / "TỈNH QUẢNG NINH" → "Ủy ban nhân dân tỉnh Quảng Ninh"
        body = _sentence_case(names[-2])
        prefix = next(p for p in _LOCALITY if names[-1].startswith(p))
        return f"{body} {prefix.lower().strip()} {_title_case(names[-1][len(prefix):])}".strip()
    last = names[-1]
    issuer = _sentence_case(last)
    if last in _BARE_BODIES:
        # "ĐẢNG BỘ TỈNH QUẢNG NINH" / "TỈNH ỦY": the place is on the line above.
        for n in names[:-1]:
            prefix = next((p for p in _PLACE_PREFIXES if n.startswith(p)), None)
            if prefix is not None:
                return f"{issuer} {_title_case(n[len(prefix):])}"
    return issuer


_TITLE_LINE_LEN = 400


def _type_and_title(text: str, folded: str, lines: list[tuple[int, int]],
                    after: int) -> tuple[str | None, str | None, str | None]:
    """The type word in capitals after the number line, the title that follows
    it, and the issuing body when a line like "CỦA BỘ CHÍNH TRỊ" names it."""
    for idx in range(after + 1, min(len(lines), after + 8)):
        s, e = lines[idx]
        raw = text[s:e].strip()
        if not raw.isupper():
            continue
        codes = type_codes_for_word(folded[s:e].strip())
        if not codes:
            continue
        body = None
        parts: list[str] = []
        following = lines[idx + 1: idx + 6]
        for n, (ts, te) in enumerate(following):
            line = text[ts:te].strip()
            low = folded[ts:te].strip()
            if line.isupper():
                # "CỦA BỘ CHÍNH TRỊ" names the issuing organ; "HỘI NGHỊ LẦN THỨ SÁU
                # BAN CHẤP HÀNH TRUNG ƯƠNG KHÓA XII" the occasion: neither is the title.
                if low.startswith("cua "):
                    body = _sentence_case(line[4:].strip())
                continue
            if len(line) > _TITLE_LINE_LEN or re.match(r"^[-_*=]{3,}$", line):
                break
            if low.startswith(("can cu", "i. ", "1. ", "phan ", "chuong ", "dieu ")):
                break
            parts.append(line)
            # A title runs on while a line ends mid-phrase or the next line
            # goes on in lower case (a wrapped line).
            nxt = text[following[n + 1][0]:following[n + 1][1]].lstrip()[:1] if n + 1 < len(following) else ""
            if not line.endswith((",", " và", " về", " của", " trong", " đến")) and not nxt.islower():
                break
        kind = raw[:1] + raw[1:].lower()
        title = f"{kind} {' '.join(parts)}" if parts else kind
        return codes[0], title, body
    return None, None, None
