"""A document's own identity, read from its header block.

Vietnamese official documents open with the issuing body (upper case), the
number line ``Số 46-CTr/TU`` / ``Số: 45/KH-UBND``, the place-and-date line
``Quảng Ninh, ngày 05 tháng 02 năm 2025``, the type in capitals and the
title. Only the first lines are looked at, and only a number line that comes
before any running paragraph counts, so a body sentence beginning with "Số"
is never taken for the header.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

from ..models import DateMention, Identity
from .find import Mention
from .grammar import AUTHORITY_LINE as _AUTHORITY
from .grammar import BODY_START_WORD as _BODY_WORD
from .grammar import GROUNDS_INLINE as _GROUNDS_INLINE
from .grammar import OCCASION_LINE as _OCCASION
from .grammar import TYPE_WORD, body_code, fold, type_codes_for_word
from .issuers import issuer_named, spell_body
from .layout import is_caps, paragraph_view
from .prescan import Prescanned, find_all, finditer_at, literal_openings

HEADER_LINES = 30

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


_HEADER_REACH = 3000
# A line opening so ends the header's title: a ground, an article, a section.
_NOT_TITLE = ("can cu", "xet ", "dieu ", "i. ", "1. ", "pursuant to", "article ")
_LONG_PARAGRAPH = 200


def _header_end(text: str, paragraphs: str, folded: str) -> int:
    """Where the header block can end at the latest: before the first preamble
    clause or article, and before the first paragraph of running text (a
    long paragraph that does not open in capitals, as a flattened header does)."""
    limit = min(len(text), _HEADER_REACH)
    running = _first_running_paragraph(paragraphs, limit)
    # The end is the running paragraph's start unless a preamble word comes
    # first, so the words are looked for only before it: most texts have no
    # preamble word in their first lines, and each word was a str.find over
    # the whole reach. A match starting at or after that paragraph would not
    # change the end: its line starts there or later (a hard line break
    # stands right before the paragraph, in ``folded`` and in ``text``
    # alike), and an inline ground, which holds no line break, that starts
    # before it ends before that break, whatever lies beyond.
    reach = limit if running is None else running
    words = literal_openings(_BODY_WORD) or ("",)
    # Every place where a word starts before ``reach`` (and ends within the
    # limit, as before).
    longest = max(map(len, words))
    at = find_all(folded, words, 0, limit if reach + longest > limit else reach + longest)
    if at and at[-1] >= reach:
        at = at[:bisect.bisect_left(at, reach)]
    for m in finditer_at(_BODY_WORD, folded, at, 0, limit):
        line_start = folded.rfind("\n", 0, m.start()) + 1
        if not folded[line_start:m.start()].strip(" \t-–•*"):
            limit = line_start
            break
    inline = _inline_ground(text, at, limit)
    if inline:
        limit = inline.start()
    return running if running is not None and running < limit else limit


def _first_running_paragraph(paragraphs: str, limit: int) -> int | None:
    """Where the first paragraph of running text that starts before ``limit``
    starts (see :func:`_header_end`), if any."""
    pos = 0
    while pos < limit:
        nl = paragraphs.find("\n", pos)
        end = len(paragraphs) if nl < 0 else nl
        para = paragraphs[pos:end]
        if len(para.strip()) > _LONG_PARAGRAPH and not is_caps(" ".join(para.split(None, 2)[:2])):
            return pos
        pos = end + 1
    return None


def _inline_ground(text: str, at: list[int], limit: int) -> re.Match[str] | None:
    """``search_at_literals(_GROUNDS_INLINE, text, 0, limit)``, tried at
    ``at``, the places of the preamble's opening words in the text's view
    (from 0 to ``limit`` or beyond, sorted): each of the inline words
    ("Căn cứ", "Xét đề nghị") folds to one of those, so the places they
    stand are among them and the original text is not searched again."""
    inline_words = literal_openings(_GROUNDS_INLINE)
    assert inline_words is not None
    match = _GROUNDS_INLINE.match
    for p in at:
        if p >= limit:
            break
        if text.startswith(inline_words, p, limit) and (m := match(text, p, limit)) is not None:
            return m
    return None


_PLACE_DATE_NEXT = re.compile(r"[ ]*[|]?[ ]*[^\W\d_][^,\n]{0,40},[ ]*(?:ngay[ ]+)?\d{1,2}")


def _is_header_number(text: str, folded: str, m: Mention, paragraphs: str) -> bool:
    """Whether a full number is written as a header's number: "Số: 88/2014/QĐ-UBND",
    "SỐ 46-CTr/TU", "No. 12/2024/…", or "Nghị quyết số: 11-NQ/TW" opening a line
    and followed by the place and date."""
    written = text[m.start:m.end]
    if m.type_word is None:
        return m.marked and written[:1] in "SN"
    # A type word before the number: only at the start of a line (the header
    # of some Party documents) with "số:" and the place-and-date line after it,
    # never a citation opening a line.
    line_start = max(paragraphs.rfind("\n", 0, m.start), text.rfind("|", 0, m.start)) + 1
    return (m.marked and ":" in written and not folded[line_start:m.start].strip(" *|\t")
            and _PLACE_DATE_NEXT.match(folded, m.end) is not None)


def read_identity(text: str, folded: str, numbers: list[Mention],
                  dates: list[DateMention] | None = None,
                  paragraphs: str | None = None, lines_folded: str | None = None,
                  tail: str | None = None) -> tuple[Identity | None, Mention | None]:
    """The document's identity and the mention that carries its number, if the
    text opens with an official header. ``paragraphs`` is the paragraph view
    and ``lines_folded`` the match view with its hard line breaks (see
    :mod:`~docsearch.refs.layout`); both are made here when not given.
    ``tail`` is the end of the whole text (its last :data:`SIGNATURE_REACH`
    characters, where the signature is read) when ``text`` is only its
    beginning."""
    # Most texts that are not documents have no number marked "Số"/"No." near
    # the top at all: nothing more to read then.
    if not any(m.number is not None and m.marked and m.start < _HEADER_REACH for m in numbers):
        return None, None
    paragraphs = paragraph_view(text) if paragraphs is None else paragraphs
    if lines_folded is None:
        lines_folded = fold(paragraphs)
    end = _header_end(text, paragraphs, lines_folded)
    own = next((m for m in numbers if m.number and m.start < end and _is_header_number(text, folded, m, paragraphs)),
               None)
    if own is None or own.number is None:
        return None, None
    when, place = _place_and_date(text, own, dates or [], end)
    issuer = _issuer_from_lines(text, folded, _lines_above(text, own.start), own)
    type_code, title, body, title_span = _type_and_title(text, folded, paragraphs, own, end)
    authority = _authority(text, paragraphs, title_span[1] if title_span else own.end, end)
    # A central letterhead reads "BAN CHẤP HÀNH TRUNG ƯƠNG" whichever organ
    # issued the document; "CỦA BỘ CHÍNH TRỊ" under the type, or the signature
    # "T/M BỘ CHÍNH TRỊ", names the organ.
    if body is None and own.number.issuer_code == "TW":
        body = _signing_body(text if tail is None else tail)
    issuer = body or authority or issuer
    dn = own.number
    kind = None
    if issuer:
        named = issuer_named(issuer, fold(issuer))
        kind = named.kind if named else body_code(issuer)
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
        title_start=title_span[0] if title_span else None,
        title_end=title_span[1] if title_span else None,
        header_end=end,
        issuer_kind=kind,
    )
    return identity, own


_HOLDER = re.compile(r"^(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TRƯỞNG|GIÁM ĐỐC|TRƯỞNG)\s+(?=ỦY BAN|UỶ BAN|BỘ |SỞ |BAN )")


# Compiled once (each is used for every text with a header): what splits
# the lines above the preamble, the head of a flattened copy, and a rule.
_LINE_OR_RULE = re.compile(r"\n|-{3,}|\*{3,}")
_CELL_OR_RULE = re.compile(r"\*{2,}|-{3,}|\|")
_RULE = re.compile(r"-{3,}|\*{3,}|_{3,}")


def _authority(text: str, paragraphs: str, start: int, end: int) -> str | None:
    """The enacting authority's line in capitals right before the preamble,
    in sentence case ("Ủy ban nhân dân thành phố Hà Nội"); an office holder's
    title is dropped ("Bộ trưởng Bộ Tư pháp" → "Bộ Tư pháp")."""
    for raw_line in _LINE_OR_RULE.split(paragraphs[start:end]):
        line = raw_line.strip(" \t|*-–")
        if not line or not is_caps(line) or len(line) > 120:
            continue
        if not _AUTHORITY.match(fold(line)):
            continue
        line = _HOLDER.sub("", line)
        return spell_body(line)
    return None




_CENTRAL_ORGANS = frozenset({"BỘ CHÍNH TRỊ", "BAN BÍ THƯ", "BAN CHẤP HÀNH TRUNG ƯƠNG"})
_SIGNATURE = re.compile(r"^[ \t]*t/m[ ]+(?P<body>[^\n]{3,60})$", re.M)


#: How far from the end of a text the signature block is looked for.
SIGNATURE_REACH = 6000


def _signing_body(text: str) -> str | None:
    """The body in the signature block ("T/M BỘ CHÍNH TRỊ" → "Bộ Chính trị")."""
    tail_start = max(0, len(text) - SIGNATURE_REACH)
    # The signature block is read line by line, so over the folded text with
    # its line breaks, not the match view.
    m = _SIGNATURE.search(fold(text[tail_start:]))
    if m is None:
        return None
    raw = text[tail_start + m.start("body"):tail_start + m.end("body")].strip()
    if raw not in _CENTRAL_ORGANS:
        return None
    return _sentence_case(raw)


_PLACE_LEAD = re.compile(r"(?:TP\.?|Tp\.?|TX\.?)$")


def _place_and_date(text: str, own: Mention, dates: list[DateMention], end: int) -> tuple[date | None, str | None]:
    """The "Quảng Ninh, ngày 05 tháng 02 năm 2025" line (also "Ha Nam, April 20,
    2025"), near the number: on its line after a "|", on the next line, or
    (in a flattened copy) right after it. The place is the words in title
    case before the comma, however the copy broke or glued the lines."""
    for d in dates:
        if d.start < own.end - 400 or d.start > max(end, own.end + 400):
            continue
        comma = text.rfind(",", max(0, d.start - 60), d.start)
        if comma < 0 or text[comma + 1:d.start].strip():
            continue
        words = text[max(own.end, comma - 60):comma].replace("|", " ").split()
        place_words: list[str] = []
        for w in reversed(words):
            if w[:1].isupper() and (not w.isupper() or len(w) <= 2 or _PLACE_LEAD.match(w)) and not any(ch.isdigit() for ch in w):
                place_words.insert(0, w)
                if _PLACE_LEAD.match(w):
                    break
                continue
            break
        place = " ".join(place_words)
        if 1 < len(place) <= 40:
            return d.date, place
    return None, None


def _lines_above(text: str, at: int) -> list[tuple[int, int]]:
    """The non-blank lines above the one holding offset ``at``, when that is
    among the first :data:`HEADER_LINES` non-blank lines; else none. (The
    lines below it are never read, so the walk stops there.)"""
    out: list[tuple[int, int]] = []
    pos = 0
    size = len(text)
    while pos <= size and len(out) < HEADER_LINES:
        nl = text.find("\n", pos)
        end = size if nl < 0 else nl
        if text[pos:end].strip():
            if pos <= at < end:
                return out
            out.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return []


def _sentence_case(upper: str) -> str:
    for prefix, spelled in _BODY_PREFIXES:
        if upper.startswith(prefix):
            rest = upper[len(prefix):].strip()
            return f"{spelled} {_title_case(rest)}".strip()
    return spell_body(upper)  # "BỘ TÀI CHÍNH" → "Bộ Tài chính"


def _title_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


_NATIONAL = re.compile(r"\s*(?:ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM)\s*$")
_LOCALITY = ("TỈNH ", "THÀNH PHỐ ", "HUYỆN ", "QUẬN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG ")


def _issuer_from_lines(text: str, folded: str, lines: list[tuple[int, int]], own: Mention) -> str | None:
    names = []
    if not lines:
        # A flattened copy: the header's first words in capitals, before the number.
        head = _CELL_OR_RULE.split(text[:own.start])[0]
        lines = [(0, len(head))] if head.strip() else []
    # Two-column headers: the issuer is the left cell ("ỦY BAN NHÂN DÂN | CỘNG HÒA …").
    cells = [text[s:e].split("|")[0].strip() for s, e in lines]
    for k, cell in enumerate(cells):
        if not cell:
            continue
        if " " not in cell and cell.isupper() and k + 1 < len(cells) and cells[k + 1].isupper():
            # A cell copied from a legal-database page with its first word on a
            # line of its own ("ỦY" / "BAN NHÂN DÂN", "CỘNG" / "HÒA XÃ HỘI …").
            cells[k + 1] = f"{cell} {cells[k + 1]}"
            continue
        raw = _NATIONAL.sub("", cell).strip()
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
            lead = next((p for p in _PLACE_PREFIXES if n.startswith(p)), None)
            if lead is not None:
                return f"{issuer} {_title_case(n[len(lead):])}"
    return issuer


_TITLE_LINE_LEN = 600
_TYPE_HEADING = Prescanned(re.compile(r"(?<![\w])(?P<word>" + TYPE_WORD + r")(?![a-z])"), 4)


def _type_and_title(text: str, folded: str, paragraphs: str, own: Mention,
                    end: int) -> tuple[str | None, str | None, str | None, tuple[int, int] | None]:
    """The type word in capitals after the number ("QUYẾT ĐỊNH"), the title
    that follows it with its span, and the issuing body when a line like "CỦA
    BỘ CHÍNH TRỊ" names it. The title is the first line after the type word
    (a wrapped title is one line in the paragraph view), or the rest of the
    type word's own line in a flattened copy ("QUYẾT ĐỊNHVề việc …")."""
    limit = min(len(text), max(end, own.end) + 200)
    for m in _TYPE_HEADING.finditer(folded, own.end, limit):
        raw = text[m.start():m.end()]
        codes = type_codes_for_word(m["word"])
        if not codes or not is_caps(raw) or len(raw) < 4:
            continue
        line_start = max(paragraphs.rfind("\n", 0, m.start()), text.rfind("|", 0, m.start()),
                         text.rfind("*", 0, m.start())) + 1
        if text[line_start:m.start()].strip():
            continue  # a type word inside a sentence or a title, not the heading
        body = None
        pos = m.end()
        title_span: tuple[int, int] | None = None
        while pos < limit:
            nl = paragraphs.find("\n", pos)
            stop = len(paragraphs) if nl < 0 else nl
            # A flattened copy runs on into the enacting body after a rule "-----".
            rule = _RULE.search(text[pos:stop])
            if rule:
                stop = pos + rule.start()
            line = text[pos:stop].strip(" \t|*-–")
            low = fold(line)
            if not line:
                if rule and title_span is None:
                    break
                pos = stop + 1
                continue
            if len(line) > _TITLE_LINE_LEN or low.startswith(_NOT_TITLE):
                break
            if is_caps(line) and low.startswith("cua "):
                body = _sentence_case(line[4:].strip())
                pos = stop + 1
                continue
            if is_caps(line) and _OCCASION.match(low):
                pos = stop + 1
                continue
            s0 = pos + (len(text[pos:stop]) - len(text[pos:stop].lstrip(" \t|*-–")))
            title_span = (s0, s0 + len(line))
            break
        kind = raw[:1] + raw[1:].lower()
        title = kind
        if title_span is not None:
            words = " ".join(text[title_span[0]:title_span[1]].split())
            title = f"{kind} {words[:1].lower() + words[1:].lower() if is_caps(words) else words}"
        return codes[0], title, body, title_span
    return None, None, None, None
