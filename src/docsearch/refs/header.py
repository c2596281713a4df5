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
from .grammar import HEADER_NUMBER_LINE, HEADER_PLACE_DATE, type_codes_for_word

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

    when: date | None = None
    place = None
    for s, e in lines[: number_line + 6]:
        pd = HEADER_PLACE_DATE.match(folded, s, e)
        if pd:
            try:
                when = date(int(pd["y"]), int(pd["m"]), int(pd["d"]))
            except ValueError:
                when = None
            place = text[pd.start("place"):pd.end("place")].strip()
            break
        # "Ha Nam, April 20, 2025" / "Bac Ninh, 18. Juni 2025" in translated headers
        comma = text.find(",", s, e)
        if comma > 0 and e - s < 80 and not any(ch.isdigit() for ch in text[s:comma]):
            d = next((d for d in dates or () if comma < d.start < comma + 4 and d.end <= e), None)
            if d is not None:
                when, place = d.date, text[s:comma].strip()
                break

    issuer = _issuer_from_lines(text, folded, lines[:number_line])
    type_code, title = _type_and_title(text, folded, lines, number_line)
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


def _issuer_from_lines(text: str, folded: str, lines: list[tuple[int, int]]) -> str | None:
    names = []
    for s, e in lines:
        raw = text[s:e].strip()
        if _SKIP_LINES.match(folded[s:e].strip()) or not raw.isupper():
            continue
        names.append(raw)
    if not names:
        return None
    last = names[-1]
    place = None
    for n in names[:-1]:
        for prefix in _PLACE_PREFIXES:
            if n.startswith(prefix):
                place = n[len(prefix):]
                break
    issuer = _sentence_case(last)
    if place and _title_case(place).lower() not in issuer.lower():
        issuer = f"{issuer} {_title_case(place)}"
    return issuer


def _type_and_title(text: str, folded: str, lines: list[tuple[int, int]], after: int) -> tuple[str | None, str | None]:
    for idx in range(after + 1, min(len(lines), after + 8)):
        s, e = lines[idx]
        raw = text[s:e].strip()
        if not raw.isupper():
            continue
        codes = type_codes_for_word(folded[s:e].strip())
        if not codes:
            continue
        title_parts = []
        for ts, te in lines[idx + 1: idx + 4]:
            line = text[ts:te].strip()
            if len(line) > _BODY_LINE_LEN or re.match(r"^[-_*=]{3,}$", line):
                break
            if folded[ts:te].lstrip().startswith(("can cu", "-----", "i.", "1.", "phan ")):
                break
            title_parts.append(line)
            if not line.endswith((",", "và", "về")) and len(title_parts) >= 1 and not raw.endswith(("HÀNH ĐỘNG",)):
                break
        title = " ".join(title_parts) or None
        return codes[0], f"{raw[:1]}{raw[1:].lower()} {title}" if title else raw[:1] + raw[1:].lower()
    return None, None
