"""Layout normalisation: the one place where line breaks, table cells and
wrapped lines of real text are dealt with before tagging.

Text copied from legal-database sites, portals and PDFs breaks numbers,
dates and names across lines (``Số:\\n16/2017/TT-BTC``, ``Hà Nội, ngày\\n28
tháng 02 năm 2017``), puts header blocks in ``|`` table cells and wraps
sentences at arbitrary words. Two views of a text are made here, both
exactly as long as the text, so an offset in either is the same offset in
the stored text and ``text[start:end]`` stays the surface of every finding:

* :func:`match_view`: folded (see :func:`~docsearch.refs.grammar.fold`) with
  every line break, tab and cell separator turned into a space. All patterns
  run over it, so a citation split across lines matches like one on a line.
* :func:`paragraph_view`: the original letters, with *soft* line breaks (a
  line wrapped inside a sentence) turned into spaces and *hard* ones (the end
  of a clause, a heading, a new item) kept. Sentence and clause boundaries
  are read from it.
"""

from __future__ import annotations

import re
from itertools import accumulate

from .grammar import FOLD_TABLE, TableFold, fold, type_codes_for_word

_FLAT_TABLE = dict(FOLD_TABLE)
for _ch in "\n\r\t\v\f|\u2028\u2029\u0085":
    _FLAT_TABLE[ord(_ch)] = " "
_FLAT = TableFold(_FLAT_TABLE)


def match_view(text: str) -> str:
    """Folded text with line breaks and cell separators as spaces
    (``len(match_view(t)) == len(t)``)."""
    return _FLAT(text)


def match_view_codes(text: str) -> tuple[str, bytes | None]:
    """:func:`match_view`, and the text as one byte per character (see
    :meth:`~docsearch.refs.grammar.TableFold.with_codes`) when that was made."""
    return _FLAT.with_codes(text)


# A line that starts one of these opens a new clause or item whatever the
# line before it ended with: "Căn cứ …", "Xét đề nghị …", "Điều 2.", bullets,
# numbered and lettered items, "QUYẾT ĐỊNH:".
_OPENER = re.compile(
    r"[ \t]*(?:"
    r"[-–—•*+●▪◦·]|"
    r"(?:căn cứ|xét|theo đề nghị|thực hiện|điều \d|chương [ivxlc\d]|mục \d|phần [ivxlc\d]|nơi nhận|"
    r"article \d|chapter [ivxlc\d]|artikel \d)|"
    r"(?:\d{1,2}|[ivxlc]{1,5}|[a-zđ])[.)/]\s|"
    r"\(\d{1,2}\)"
    r")",
    re.I,
)
_CLAUSE_END = frozenset(".;:!?")
_NUMBERED_HEADING = re.compile(
    r"[ \t]*(?:(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,5}|[a-zđ])[.)]|(?:Điều|Article|Artikel|Chương|Mục) \d{1,3}[.:]?)\s"
)
_RUNS_ON_LOWER = re.compile(r"(?:,|\b(?:của|về|và|cho|tại|trong|với|theo|the|of|and|der|die|das|und))\s*$")
_CELL_NUMBER = re.compile(r"(?:\d{1,3}|[IVXLC]{1,5})[.)]?")
_CAPS_HEAD = re.compile(
    r"[ \t]*(?:ỦY BAN|UỶ BAN|HỘI ĐỒNG|BỘ TRƯỞNG|CHỦ TỊCH|BAN THƯỜNG VỤ|BAN BÍ THƯ|BAN CHẤP HÀNH|BỘ CHÍNH TRỊ|"
    r"THỦ TƯỚNG|CHÍNH PHỦ|BỘ |SỞ |KHÓA |KHOÁ |TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|HUYỆN ỦY|ĐẢNG ỦY|CỦA )"
)
_RUNS_ON = re.compile(r"(?:,|\b(?:CỦA|VÀ|VỀ|CHO|TẠI|TRONG|VỚI|THEO))\s*$")
# Two letters (word characters that are no digit or "_"), anywhere apart.
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.S)


def _is_caps(line: str) -> bool:
    # str.isupper: every cased character is a capital, and there is one.
    # Two letters among the first eight characters: one search, no list.
    return line.isupper() and _TWO_LETTERS.search(line, 0, 8) is not None


def _soft(prev: str, nxt: str) -> bool:
    """Whether the break between two non-empty lines is a wrap inside a sentence."""
    p = prev.rstrip()
    n = nxt.lstrip()
    if not p or not n:
        return False
    if p[-1] in _CLAUSE_END:
        # Checked first, being the cheapest: every test before the last one
        # only ever answers "not soft".
        return False
    # A cell number is six characters at most ("123.", "XVIII)"): a longer
    # line is not one, without trying the pattern.
    if (_OPENER.match(nxt) or "|" in p or (len(q := p.lstrip()) <= 6 and _CELL_NUMBER.fullmatch(q))
            or (len(n) <= 6 and _CELL_NUMBER.fullmatch(n))):
        # A table row (cells separated by "|") ends with its line; a line that
        # is only a number is a row's first cell, copied out of a table.
        return False
    caps = _is_caps(p)
    if caps != _is_caps(n):
        # A heading in capitals never runs on into running text, nor the reverse
        # ("QUYẾT ĐỊNH" / "Căn cứ …"); capitals running on are a wrapped title.
        return False
    if caps:
        # Header lines in capitals stand alone: the type ("NGHỊ QUYẾT"), and the
        # enacting body or the session under a title ("HỘI ĐỒNG NHÂN DÂN TỈNH …",
        # "KHÓA VII, KỲ HỌP …"), unless the title line breaks mid-phrase.
        if type_codes_for_word(fold(p.strip(" *|-"))):
            return False
        if _CAPS_HEAD.match(n) and not _RUNS_ON.search(p):
            return False
    # "3. Về việc thực hiện các kết luận" over "Các cơ quan, đơn vị …": a
    # numbered heading, not a sentence wrapped in the middle.
    heading = _NUMBERED_HEADING.match(p) and len(p) < 120 and n[:1].isupper() and not _RUNS_ON_LOWER.search(p)
    return not heading


def paragraph_view(text: str) -> str:
    """The text with soft line breaks replaced by spaces (same length)."""
    return paragraph_view_breaks(text)[0]


def paragraph_view_breaks(text: str) -> tuple[str, list[int]]:
    """:func:`paragraph_view`, and the offsets of its line breaks (the hard
    ones), sorted: the lines are at hand here, so their breaks are listed
    from their lengths instead of by a search of the view per break."""
    if "\n" not in text:
        return text, []
    soft: list[int] = []  # offsets of the line breaks that become spaces
    lines = text.split("\n")
    last = len(lines) - 1
    pos = 0
    prev_line: str | None = None
    prev_break = -1  # offset of the newline after the previous non-empty line
    for i, line in enumerate(lines):
        end = pos + len(line)
        # Not blank: the test str.strip makes, without copying the line.
        if line and not line.isspace():
            # Only a single break between two non-empty lines can be soft: an
            # empty line between them is always a paragraph break.
            if prev_line is not None and prev_break == pos - 1 and _soft(prev_line, line):
                soft.append(prev_break)
            prev_line = line
            prev_break = end if i < last else -1
        else:
            prev_line = None
        pos = end + 1
    # The break after each line but the last: each line's length and its
    # break summed, from -1 (all in C, no search of the text).
    breaks = list(accumulate(map(_PLUS_ONE, map(len, lines)), initial=-1))[1:-1]
    if not soft:
        return text, breaks
    # Rebuilt from slices: a list of every character is far slower to join.
    parts = []
    last = 0
    for b in soft:
        parts.append(text[last:b])
        last = b + 1
    parts.append(text[last:])
    made_soft = set(soft)
    return " ".join(parts), [b for b in breaks if b not in made_soft]


_PLUS_ONE = (1).__add__


def is_caps(line: str) -> bool:
    """Whether every letter of ``line`` is a capital (a heading), with at least two letters."""
    return _is_caps(line)


def folded_paragraphs(folded: str, breaks: list[int]) -> str:
    """The match view with the hard line breaks of the paragraph view put
    back (``breaks`` lists their offsets): folded text in which clauses and
    items can be told apart by line."""
    if not breaks:
        return folded
    parts = []
    last = 0
    for b in breaks:
        parts.append(folded[last:b])
        last = b + 1
    parts.append(folded[last:])
    return "\n".join(parts)
