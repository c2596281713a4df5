"""Find mentions of documents and dates in folded text (no resolution yet).

A :class:`Mention` is a raw finding: where it is, what number or short form
it carries, and what the words around it say (date, issuing body, term).
:mod:`docsearch.refs.resolve` turns mentions into references.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from re import _parser as P  # type: ignore[attr-defined]

from ..models import DateMention, DocNumber, new_date_mention
from .grammar import (
    ANY_NUMBER,
    BODY_CODES,
    CODE_ALPHABET,
    CODE_SHORT_FORM,
    CONGRESS_AHEAD,
    DATE_DAY_FIRST,
    DATE_MONTH_FIRST,
    DATE_PATTERNS,
    FOLD_TABLE,
    ISSUER_BODIES,
    ISSUING_VERB_WORDS,
    LIST_FOLLOWERS,
    LIST_ITEM,
    MONTHS,
    NUMBER_MARK,
    PARTY_BEFORE_SLASH,
    SAME_DAY,
    SHORT_FORM,
    SHORT_FORM_TYPES,
    TERM,
    TYPE_WORD,
    roman_to_int,
    type_codes_for_word,
)
from .grammar import DAY_MONTH as _DAY_MONTH
from .grammar import ISSUING_VERB as _ISSUING_VERB
from .grammar import ON_DAY as _ON_DAY
from .grammar import SUBJECT_TAIL as _SUBJECT_TAIL
from .issuers import Issuer, find_issuer
from .numbers import number_from_match, pad
from .prescan import Guarded, Prescanned, finditer_at, opening_characters, spellings


@dataclass(slots=True)
class Mention:
    """A document mention before resolution."""

    start: int
    end: int
    number: DocNumber | None = None  # set for full numbers
    num: str | None = None  # the bare number of a short form
    types: tuple[str, ...] = ()  # type codes a short form's word can stand for
    type_word: str | None = None  # code implied by the noun before the number
    marked: bool = False  # "số" / "No." / "Nr." stood before the number
    weak: bool = False  # a short form that needs confirmation to be kept
    list_head: int | None = None  # index of the first mention of a list
    date: date | None = None
    date_span: tuple[int, int] | None = None
    same_day: bool = False
    body: str | None = None
    issuer: Issuer | None = None  # the body named at the citation, in full
    name: str | None = None  # the name a document is cited by ("Luật Đầu tư công")
    key: str | None = None  # a stable key for that name (see refs.named.name_key)
    term: int | None = None
    year: int | None = None  # "Nghị quyết 18 năm 2017": a year written beside it
    alias_target: Mention | None = None  # the full citation an alias abbreviates
    ctx_end: int = 0  # where the words describing it (date, body, term) and fillers end
    core_end: int = 0  # where the last date, body or term attached to it ends

    @property
    def short(self) -> bool:
        return self.number is None and self.key is None


class SpanSet:
    """Non-overlapping spans with O(log n) overlap tests (texts can hold
    hundreds of thousands of mentions; a linear scan per test is quadratic)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:
            return True
        return i < len(self.starts) and self.starts[i] < e

    def add(self, s: int, e: int) -> None:
        i = bisect.bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)

    def covering(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos)
        return i > 0 and self.ends[i - 1] > pos


_TYPE_WORD_BEFORE = re.compile(
    r"(?:(?<![\w])(?P<word>" + TYPE_WORD + r"))?(?:[ ]*(?<![\w])(?P<mark>" + NUMBER_MARK + r"))?[ ]*:?[ ]*$"
)




def left_ok(folded: str, pos: int, forbidden: str = "", word: bool = True) -> bool:
    """Whether the character before ``pos`` may precede a match: not a word
    character (when ``word``) and not one of ``forbidden``."""
    if pos == 0:
        return True
    ch = folded[pos - 1]
    if ch in forbidden:
        return False
    # What ``\w`` matches: a character str.isalnum accepts, or "_".
    return not (word and (ch.isalnum() or ch == "_"))




# --- where digits stand ------------------------------------------------------------
#
# Numbers, dates, years and short forms all end in a run of digits, and each
# can match at only one place of a run: a scan for the runs, once per text,
# replaces a regex scan per kind (each costs as much as the run scan, the
# engine trying its pattern at every digit or every word start).

_DIGIT_RUN = re.compile(r"\d+")
# The regex engine scans for one literal character far faster than for a
# class (``\d`` is looked up in the Unicode tables at every character): with
# the text's one-byte codes, digits become "1" and the rest a space.
_DIGIT_MARKS = bytes(0x31 if ch.isdecimal() else 0x20 for ch in CODE_ALPHABET)
_MARKED_RUN = re.compile(rb"11*")


def digit_runs(folded: str, codes: bytes | None = None) -> list[tuple[int, int]]:
    """The (start, end) of every run of decimal digits (``\\d``), in order.
    ``codes`` are the text's one-byte codes, if made (see
    :func:`~docsearch.refs.layout.match_view_codes`)."""
    if codes is not None and len(codes) == len(folded) and codes.find(0) < 0:
        # Every character is one of the code alphabet's, whose only decimal
        # digits are 0-9.
        return [m.span() for m in _MARKED_RUN.finditer(codes.translate(_DIGIT_MARKS))]
    return [m.span() for m in _DIGIT_RUN.finditer(folded)]


# The first two letters of the words that can follow a day and spaces in
# DATE_DAY_FIRST: "tháng", "of", a month's name.
_DAY_WORD_OPENINGS = tuple(sorted({w[:2] for w in ("thang", "of", *MONTHS)}))


# What a run of digits ends before when it can be the day of DATE_DAY_FIRST:
# spaces and one of the words above; a separator, one or two digits and the
# same separator ("57-NQ", "18/2024/" are not dates); a full stop, spaces and
# one of the words; or an ordinal's letter (see _day_first_starts).
_DAY_GOES_ON = re.compile(
    r"[ ]+(?:" + "|".join(_DAY_WORD_OPENINGS) + r")|([/.-])\d\d?\1|\.[ ]+(?:" + "|".join(_DAY_WORD_OPENINGS)
    + r")|[stnr]"
)


def _day_first_starts(folded: str, runs: list[tuple[int, int]]) -> list[int]:
    # DATE_DAY_FIRST opens with one or two digits and goes on with something
    # other than a digit, which all of its branches require: in a run it can
    # start only two digits (or one) before the run's end, at the same
    # continuation whichever of the two it starts at, so the first is the one
    # a scan finds. That continuation opens as _DAY_GOES_ON tells: a run
    # followed by anything else ("Điều 5 của", "2024,") is not tried. One
    # match per run, where a loop in Python tested each case in turn.
    goes_on = _DAY_GOES_ON.match
    return [a if b - a <= 2 else b - 2 for a, b in runs if goes_on(folded, b)]


# Every tail of ANY_NUMBER has a slash close after the number's digits: the
# next character or the one after it in a State number, after the separator,
# the type and spaces in a Party one.
_SLASH_REACH = max(2, P.parse(PARTY_BEFORE_SLASH).getwidth()[1] + 1)


def _number_starts(folded: str, runs: list[tuple[int, int]]) -> list[int]:
    # ANY_NUMBER: up to five digits, then a tail that never opens with a
    # digit; likewise the whole run or its last five digits. Its digits end
    # where the run does, so a run with no slash within reach after it
    # ("năm 2024", "Điều 5") is not tried: most runs, where the pattern
    # would enter each of its tails before failing.
    # A slice tested with "in": cheaper than str.find, which parses its
    # arguments, at each of a text's runs.
    return [a if b - a <= 5 else b - 5 for a, b in runs if "/" in folded[b:b + _SLASH_REACH]]


def find_dates(folded: str, text: str, runs: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """Every full date (day, month, year) in the text, without overlaps.
    ``runs`` are the text's :func:`digit_runs`, when already known."""
    found: list[DateMention] = []
    taken = SpanSet()
    # Equal surfaces and dates become one object each: a long text writes the
    # same dates again and again, and each finding would hold its own copy.
    surfaces: dict[str, str] = {}
    days: dict[date, date] = {}
    if runs is None:
        runs = digit_runs(folded)
    for pattern in DATE_PATTERNS:
        day_first = pattern is DATE_DAY_FIRST
        for m in finditer_at(pattern, folded, _day_first_starts(folded, runs)) if day_first else _month_first(folded, runs):
            s, e = m.span()
            if day_first:
                if not left_ok(folded, s, "0123456789/.-", word=False):
                    continue
                # "ngày 22/12/2024": the word belongs to the date.
                j = s
                while j > 0 and folded[j - 1] == " ":
                    j -= 1
                if j >= 4 and folded[j - 4:j] == "ngay" and left_ok(folded, j - 4):
                    s = j - 4
            elif not left_ok(folded, s):
                continue
            if taken.overlaps(s, e):
                continue
            d = _to_date(m)
            if d is None:
                continue
            taken.add(s, e)
            surface = text[s:e]
            found.append(new_date_mention(s, e, surfaces.setdefault(surface, surface), days.setdefault(d, d)))
    found.sort(key=lambda d: d.start)
    return found


_YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")
_MONTH_FIRST_REACH = 24  # "September 30th, 2024" is the longest stretch before a year


def _years(folded: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of _YEAR's matches: the last four digits of a run, when they
    start with 19 or 20."""
    # The run's last four characters are digits with no digit after them:
    # _YEAR matches there when they open with 19 or 20 (a slice compared,
    # cheaper than a call of str.startswith per run).
    return [(b - 4, b) for a, b in runs if b - a >= 4 and folded[b - 4:b - 2] in _CENTURIES]


_CENTURIES = ("19", "20")


def _month_first(folded: str, runs: list[tuple[int, int]] | None = None) -> Iterator[re.Match[str]]:
    """Matches of DATE_MONTH_FIRST, looked for only just before a year: the
    month-name alternation is costly to try at every position of a text."""
    last_end = 0
    years = _years(folded, runs) if runs is not None else (y.span() for y in _YEAR.finditer(folded))
    for y_start, y_end in years:
        # The year ends such a date only after spaces that follow a day
        # ("17, 2022", "17 2022", "17th 2022"): "năm 2024" is not one.
        j = y_start
        while j > 0 and folded[j - 1] == " ":
            j -= 1
        if j == y_start or j == 0 or not (folded[j - 1] in ",tdh" or folded[j - 1].isdecimal()):
            continue
        lo = max(last_end, y_start - _MONTH_FIRST_REACH)
        m = DATE_MONTH_FIRST.search(folded, lo, y_end)
        if m is not None and m.end() == y_end:
            last_end = m.end()
            yield m


def _to_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    try:
        day = int(g["d"])
        month = MONTHS[g["mn"]] if g.get("mn") else int(g.get("m") or g["m2"])
        year = int(g.get("y") or g.get("y2") or g["y3"])
    except (KeyError, ValueError, TypeError):
        return None
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_numbers(folded: str, text: str, runs: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Full document numbers, Party and State, without overlaps. ``runs``
    are the text's :func:`digit_runs`, when already known."""
    mentions: list[Mention] = []
    taken = SpanSet()

    def free(s: int, e: int) -> bool:
        return not taken.overlaps(s, e)

    # Equal numbers become one object: a long text cites the same documents
    # again and again, and each mention would hold its own copy.
    numbers: dict[DocNumber, DocNumber] = {}
    if runs is None:
        runs = digit_runs(folded)
    for m in finditer_at(ANY_NUMBER, folded, _number_starts(folded, runs)):
        if not left_ok(folded, m.start(), "/"):
            continue
        found = number_from_match(m, text)
        if found is None:
            continue
        dn, end = found
        if free(m.start(), end):
            taken.add(m.start(), end)
            mentions.append(Mention(m.start(), end, number=numbers.setdefault(dn, dn)))
    for mention in mentions:
        _extend_with_type_word(mention, folded)
    return mentions


# Where a type word or a number mark can start.
_WORD_OR_MARK = Prescanned(re.compile(r"(?<![\w])(?:" + TYPE_WORD + r"|" + NUMBER_MARK + r")"), 4)


@functools.cache
def _spelled() -> tuple[frozenset[str], frozenset[str]]:
    """Every spelling of a type word, and of a number mark (both are
    alternations of plain words). Made on first use."""
    words, marks = spellings(TYPE_WORD), spellings(NUMBER_MARK)
    assert words is not None and marks is not None
    return words, marks


def _by_last_two(group: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The spellings of ``group`` (two letters at least each) by their last
    two letters, in sorted order."""
    assert all(len(w) >= 2 for w in group)
    table: dict[str, tuple[str, ...]] = {}
    for w in sorted(group):
        table[w[-2:]] = (*table.get(w[-2:], ()), w)
    return table


@functools.cache
def _words_and_marks_by_tail() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Every spelling of a type word, and of a number mark, by its last two
    letters (none ends with a space or a colon). Made on first use."""
    words, marks = _spelled()
    assert all(w[-1] not in " :" for w in words | marks)
    return _by_last_two(words), _by_last_two(marks)


def _starts_ending_at(folded: str, lo: int, end: int, table: dict[str, tuple[str, ...]]) -> list[int]:
    """Where the spellings of ``table`` that end at ``end`` start (not before ``lo``)."""
    group = table.get(folded[end - 2:end]) if end - lo >= 2 else None
    if not group:
        return []
    # A loop with a slice compared, not a comprehension calling
    # str.startswith: the group holds one or two spellings mostly, and
    # startswith parses its arguments at each call.
    out = []
    for w in group:
        start = end - len(w)
        if start >= lo and folded[start:end] == w:
            out.append(start)
    return out


def type_word_before(folded: str, lo: int, hi: int) -> re.Match[str] | None:
    """As ``_TYPE_WORD_BEFORE.search(folded, lo, hi)``, read back from ``hi``.

    The pattern ends at ``hi`` with spaces and at most one colon; before
    them, a type word or mark ends (neither ends with a space or colon),
    and before a mark's spaces, perhaps a type word. So a match can start
    only at the start of those trailing spaces, at a mark that ends there
    or the spaces before it, or at a type word that ends before the mark's
    spaces or the trailing ones: the pattern is tried at those places, the
    first one that matches being the search's match."""
    if hi > lo and folded[hi - 1] == "\n":
        # "$" also matches before a final line break (never in the match view).
        return _type_word_before_scan(folded, lo, hi)
    tail = hi
    while tail > lo and folded[tail - 1] == " ":
        tail -= 1
    if tail > lo and folded[tail - 1] == ":":
        tail -= 1
    while tail > lo and folded[tail - 1] == " ":
        tail -= 1
    words, marks = _words_and_marks_by_tail()
    starts = _starts_ending_at(folded, lo, tail, words)
    starts.append(tail)
    for mark in _starts_ending_at(folded, lo, tail, marks):
        spaces = mark
        while spaces > lo and folded[spaces - 1] == " ":
            spaces -= 1
        starts.append(mark)
        starts.append(spaces)
        starts += _starts_ending_at(folded, lo, spaces, words)
    # Tried from the first: a place listed twice fails again or was never reached.
    starts.sort()
    match = _TYPE_WORD_BEFORE.match
    for p in starts:
        if (m := match(folded, p, hi)) is not None:
            return m
    return _type_word_before_scan(folded, lo, hi)


def _type_word_before_scan(folded: str, lo: int, hi: int) -> re.Match[str] | None:
    """As ``_TYPE_WORD_BEFORE.search(folded, lo, hi)``, trying the pattern
    only where its match can start: at a type word or mark, at the run of
    spaces before one, in the run of spaces and colons that ends at ``hi``,
    or at ``hi``. (From any other position in a run of spaces the pattern
    sees what it sees from the run's start.)"""
    match = _TYPE_WORD_BEFORE.match
    # Tried in order, first match wins. A candidate opens with a letter, so
    # the run of spaces before one lies after the candidate before it, and
    # all of them before the run of spaces and colons that ends at ``hi``.
    for c in _WORD_OR_MARK.candidates(folded, lo, hi):
        j = c
        while j > lo and folded[j - 1] == " ":
            j -= 1
        if j < c and (m := match(folded, j, hi)) is not None:
            return m
        if (m := match(folded, c, hi)) is not None:
            return m
    # "$" also matches before a final line break (never in the match view).
    tail = set()
    for j in (hi, hi - 1) if hi > lo and folded[hi - 1] == "\n" else (hi,):
        tail.add(j)
        while j > lo and folded[j - 1] in " :":
            j -= 1
            tail.add(j)
    for p in sorted(tail):
        m = match(folded, p, hi)
        if m is not None:
            return m
    return match(folded, hi, hi)


def _extend_with_type_word(mention: Mention, folded: str) -> None:
    """Let the span start at "Nghị quyết số" / "Decision No." before the number."""
    lo = mention.start - 48 if mention.start > 48 else 0
    m = type_word_before(folded, lo, mention.start)
    if not m or m.start() == m.end():
        return
    if m["word"]:
        codes = type_codes_for_word(m["word"])
        mention.type_word = codes[0] if codes else None
        if mention.number and mention.number.type in codes:
            mention.type_word = mention.number.type
        mention.start = m.start("word")
        mention.marked = bool(m["mark"])
    elif m["mark"]:
        mention.marked = True
        mention.start = m.start("mark")


# The type-word alternation, tried only where a type word can start.
_SHORT_FORM_SCAN = Prescanned(SHORT_FORM, 6)
# How far before its number's spaces a short form can start: the longest
# number mark ("nummer") and the longest type word, besides spaces.
_MARK_WIDTH = P.parse(NUMBER_MARK).getwidth()[1]
_WORD_WIDTH = P.parse(TYPE_WORD).getwidth()[1]


@functools.cache
def _word_or_mark_endings() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Every spelling of a type word or a mark (both are alternations of
    plain words), by their last two letters, and their last letters: the
    number of a short form comes right after one of them (and spaces), so a
    run of digits after anything else needs no search. Made on first use,
    not when the tagger is imported."""
    words, marks = _spelled()
    endings = words | marks
    # ``str.endswith`` is given the few that share the text's last two
    # letters, not all hundred and more.
    return frozenset(w[-1] for w in endings), _by_last_two(endings)


# What SHORT_FORM's look-ahead refuses right after the number (a test checks
# that the pattern ends with it).
_NOT_AFTER_SHORT_FORM = re.compile(r"[\w/]|-\w|[.,]\d")


def _short_form_matches(folded: str, runs: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """As ``SHORT_FORM.finditer(folded)``, looking only just before runs of
    one to four digits. A match holds no digit but its number, the whole
    run it ends with (the next character is no word character), so each
    match belongs to one run and starts in the stretch before it: spaces,
    a mark, spaces, a type word. The search in that stretch ends two
    characters after the run, all that the pattern's look-ahead reads; a
    run after which the look-ahead fails ("số 57-NQ/TW", a full number) is
    not searched before."""
    pos = 0
    size = len(folded)
    last_letters, by_tail = _word_or_mark_endings()
    refused = _NOT_AFTER_SHORT_FORM.match
    for a, b in runs:
        if b - a > 4 or b <= pos:
            continue
        j = a
        while j > 0 and folded[j - 1] == " ":
            j -= 1
        # str.endswith only when some spelling ends with the two letters
        # there: most do not, and the call parses its arguments.
        if j < 2 or folded[j - 1] not in last_letters or not (ending := by_tail.get(folded[j - 2:j])) \
                or not folded.endswith(ending, 0, j):
            continue  # "22/12/2024", "năm 2024": no type word or mark stands before the number
        if b < size and refused(folded, b, b + 2):
            continue
        k = j - _MARK_WIDTH
        while k > 0 and folded[k - 1] == " ":
            k -= 1
        lo = max(pos, k - _WORD_WIDTH, 0)
        m = _SHORT_FORM_SCAN.search(folded, lo, min(size, b + 2))
        if m is not None:
            yield m
            pos = m.end()


def _capitals_folding_to(letters: str) -> str:
    return "".join(sorted(re.escape(chr(cp)) for cp, f in FOLD_TABLE.items() if f in letters and chr(cp).isupper()))


# A bare code ("NQ 57") only counts in capitals: its two letters are looked
# for in the original text, where capitals are rare, and the pattern tried
# there. (Two matches of CODE_SHORT_FORM never overlap: a code is followed by
# a space, then only "số", spaces and digits.)
_CODE_CAPITALS = re.compile(f"[{_capitals_folding_to('nckq')}][{_capitals_folding_to('qtld')}]")


# The same two classes over the text's one-byte codes: bit 1 for a first
# letter, bit 2 for a second one. A pair is one of four two-byte strings,
# found with bytes.find (a class scan is tried at every character).
_FIRST_CAPITALS = frozenset(ch for ch in CODE_ALPHABET if _CODE_CAPITALS.match(ch + "T"))
_SECOND_CAPITALS = frozenset(ch for ch in CODE_ALPHABET if _CODE_CAPITALS.match("N" + ch))
_CAPITAL_BITS = bytes((ch in _FIRST_CAPITALS) | (ch in _SECOND_CAPITALS) << 1 for ch in CODE_ALPHABET)
_CAPITAL_PAIRS = tuple(bytes((a, b)) for a in (1, 3) for b in (2, 3))


def _code_short_forms(folded: str, text: str, codes: bytes | None = None) -> Iterator[re.Match[str]]:
    """The matches of CODE_SHORT_FORM in ``folded`` whose code is written in
    capitals in ``text``, in order. ``codes`` are the text's one-byte codes,
    if made (see :func:`~docsearch.refs.layout.match_view_codes`)."""
    starts = []
    if codes is not None and len(codes) == len(text) and codes.find(0) < 0:
        bits = codes.translate(_CAPITAL_BITS)
        for pair in _CAPITAL_PAIRS:
            i = bits.find(pair)
            while i >= 0:
                starts.append(i)
                i = bits.find(pair, i + 1)
        starts.sort()
    else:
        pos = 0
        while (c := _CODE_CAPITALS.search(text, pos)) is not None:
            starts.append(c.start())
            pos = c.start() + 1
    return finditer_at(CODE_SHORT_FORM, folded, starts)


def find_short_forms(folded: str, text: str, full: list[Mention], breaks: list[int] | None = None,
                     runs: list[tuple[int, int]] | None = None, char_codes: bytes | None = None) -> list[Mention]:
    """Short forms ("Nghị quyết 57", "Richtlinie Nr. 35", "NQ 57") and the lists
    that continue them ("Conclusions 121, 126 and 127"); none across a hard
    line break (a heading "NGHỊ QUYẾT" over an item "1."). ``runs`` are the
    text's :func:`digit_runs` and ``char_codes`` its one-byte codes, when known."""
    breaks = breaks or []
    if runs is None:
        runs = digit_runs(folded)
    spans = SpanSet()
    for f in full:
        spans.add(f.start, f.end)
    overlaps = spans.overlaps

    found: list[Mention] = []
    for m in _short_form_matches(folded, runs):
        if not left_ok(folded, m.start()) or overlaps(m.start(), m.end()) or crosses(breaks, m.start(), m.end()):
            continue
        codes = type_codes_for_word(m["word"])
        if not codes:
            continue
        marked = bool(m["mark"])
        num = m["num"]
        if not marked and len(num) == 4 and 1900 <= int(num) <= 2100:
            continue  # "Nghị quyết 2024": a year, not a number
        weak = not marked and not (set(codes) & SHORT_FORM_TYPES)
        head = Mention(m.start("word"), m.end("num"), num=pad(num), types=codes, type_word=codes[0],
                       marked=marked, weak=weak)
        items = [head]
        pos = m.end()
        while True:
            li = LIST_ITEM.match(folded, pos)
            if not li or overlaps(li.start("num"), li.end("num")) or crosses(breaks, pos, li.end()):
                break
            final = not li.group(0).lstrip(" ").startswith((",", ";", "&"))
            if not _list_item_ends_well(folded, li.end(), final=final):
                break
            items.append(Mention(li.start("num"), li.end("num"), num=pad(li["num"]), types=codes,
                                 type_word=codes[0], marked=marked, weak=weak))
            pos = li.end()
        if len(items) > 1 and not _list_item_ends_well(folded, items[0].end, first=True):
            items = items[:1]
        found.extend(items)
    short_spans = SpanSet()
    for f in found:
        short_spans.add(f.start, f.end)
    for m in _code_short_forms(folded, text, char_codes):
        group = "type" if m["type"] else "type2"
        code_orig = text[m.start(group):m.end(group)]
        if not code_orig.isupper() or not left_ok(folded, m.start(), "/-") or overlaps(m.start(), m.end()):
            continue
        if short_spans.covering(m.start()):
            continue
        codes = type_codes_for_word({"nq": "nghi quyet", "ct": "chi thi", "kl": "ket luan", "qd": "quyet dinh"}[m[group]])
        found.append(Mention(m.start(), m.end(), num=pad(m["num"] or m["glued"]), types=codes, type_word=codes[0]))
    return found


_COUNTED = re.compile(
    r"(?:tinh|huyen|xa|phuong|nguoi|dang vien|don vi|co so|chi bo|to chuc|can bo|ty|trieu|nam|thang|ngay|"
    r"provinces?|districts?|communes?|people|persons?|members?|units?|cadres?|years?|months?|days?|billion|million|"
    r"percent|provinzen|gemeinden|personen|mitglieder|einheiten|jahre|monate|tage|prozent|milliarden|millionen)(?![\w])"
)


_LETTERS = re.compile(r"[a-z]+")


def _list_item_ends_well(folded: str, pos: int, first: bool = False, final: bool = False) -> bool:
    """A list number must be followed by punctuation, the end, or a linking word.

    This keeps "Resolution 57, 12 provinces have ..." from reading 12 as a
    second resolution. After "và/and/und" (the last member) any following
    word will do except a counted noun ("và 12 xã", "and 5 provinces").
    """
    rest = folded[pos:pos + 24]
    stripped = rest.lstrip(" ")
    if not stripped or stripped[0] in ",.;:)]\"'”“\n-–" or stripped[0] == "(":
        return True
    if stripped[0] == "%":
        return False
    word = _LETTERS.match(stripped)
    if word and word.group(0) in LIST_FOLLOWERS:
        return True
    return final and word is not None and not _COUNTED.match(stripped)


# --- attaching dates, issuing bodies and terms ------------------------------------

_BODY = re.compile(
    r"(?P<prep>(?:cua|of the|of|des|der|by the|by|from the)[ ]+)?(?P<body>"
    + "|".join(f"(?P<b{i}>{p})" for i, (p, _) in enumerate(ISSUER_BODIES))
    + r")(?![\w])"
)
# Tried after every citation, where mostly no body is named.
_BODY_AT = Guarded(_BODY, 4)
_PREP = re.compile(r"(?:cua|of the|of|des|der|by the|by|from the)[ ]+")
_FILLER = re.compile(
    r"(?:[ \t,:()\[\]\"“”'’-]+|"
    r"\d{1,2}(?:st|nd|rd|th)[ ]+(?:plenum|plenary (?:session|meeting)|central conference|conference)(?![\w])|"
    r"(?:ngay|dated|date|of|the|on|vom|from|ban hanh|issued|promulgated|"
    r"ky|signed|ngay ky|cung|as of|datiert|am|"
    # "của Trung ương khóa XIII": the Party's centre without its organ, which
    # names no body but may stand before the term.
    r"cua trung uong(?: dang)?)(?![\w]))"
)
# "Nghị quyết 18 năm 2017", "Nghị quyết số 18-NQ/TW, năm 2017, của …".
_YEAR_BESIDE = re.compile(r"nam (?P<y>(?:19|20)\d\d)(?![\w/-])")




def hard_breaks(paragraphs: str) -> list[int]:
    """Offsets of the hard line breaks of a paragraph view (see
    :func:`~docsearch.refs.layout.paragraph_view`), sorted."""
    out = []
    i = paragraphs.find("\n")
    while i >= 0:
        out.append(i)
        i = paragraphs.find("\n", i + 1)
    return out


def crosses(breaks: list[int], start: int, end: int) -> bool:
    """Whether a hard line break lies in ``[start, end)``."""
    i = bisect.bisect_left(breaks, start)
    return i < len(breaks) and breaks[i] < end


def attach_context(mentions: list[Mention], dates: list[DateMention], folded: str, limit: int = 220,
                   breaks: list[int] | None = None, text: str | None = None) -> None:
    """Give each mention the date, issuing body and term written right after it.

    The scan walks forward over dates, bodies ("của Bộ Chính trị", "of the
    13th Central Executive Committee"), terms ("khóa XII") and filler words
    only; anything else (a verb, another reference, a sentence end) stops it,
    which is what keeps a date from attaching to the wrong reference.
    """
    by_start = {d.start: d for d in dates}
    ordered = sorted(mentions, key=lambda m: m.start)
    breaks = breaks or []
    # What a same-day phrase, a term, a body or its preposition can start
    # with: elsewhere (a space, a comma) the scan goes straight to the fillers.
    # A digit stands as "0" among the openers.
    o_day, o_term, o_body, o_prep, openers = _context_openers()
    day_digit, term_digit, body_digit, prep_digit = ("0" in o for o in (o_day, o_term, o_body, o_prep))
    # Looked up once: the loop below runs a few times per citation.
    date_at, startswith = by_start.get, folded.startswith
    same_day_at, term_at, body_at, prep_at, filler_at = SAME_DAY.match, TERM.match, _BODY.match, _PREP.match, _FILLER.match
    body_could = _BODY_AT.could
    # Comparisons rather than min(), and the character read before
    # str.startswith is called: builtins that parse their arguments cost
    # more than the test they make, a few times per citation.
    size, n_breaks = len(folded), len(breaks)
    for i, m in enumerate(ordered):
        stop = ordered[i + 1].start if i + 1 < len(ordered) else size
        if m.end + limit < stop:
            stop = m.end + limit
        # What describes a citation never runs past the end of its paragraph
        # (a heading, a table row, an item of a list).
        j = bisect.bisect_left(breaks, m.end)
        if j < n_breaks and breaks[j] < stop:
            stop = breaks[j]
        pos = m.end
        core = m.end
        crossed_comma = crossed_line = False
        while pos < stop:
            ch = folded[pos]
            d = date_at(pos)
            if d is None and ch == "n" and startswith("ngay ", pos):
                d = date_at(pos + 5)
                if d is not None:
                    pos += 5
            if d is not None:
                if m.date is None and not m.same_day:
                    m.date, m.date_span = d.date, (d.start, d.end)
                pos = core = d.end
                continue
            if ch == "n" and startswith("nam ", pos) and (y := _YEAR_BESIDE.match(folded, pos)):
                # The year is kept, but the scan stops as before it: what
                # follows a year ("… năm 2013 đã được thay thế bởi …") is
                # read by the relation passes from where the citation ends.
                if m.year is None and m.key is None:
                    m.year = int(y["y"])
                break
            digit = ch.isdecimal()
            if digit or ch in openers:
                # Each pattern is tried only where one of its matches can open.
                sd = same_day_at(folded, pos) if ch in o_day or digit and day_digit else None
                if sd:
                    m.same_day = m.date is None
                    pos = core = sd.end()
                    continue
                t = term_at(folded, pos) if ch in o_term or digit and term_digit else None
                if t:
                    if m.term is None:
                        m.term = _term_value(t)
                    pos = core = t.end()
                    continue
                b = body_could(folded, pos) and body_at(folded, pos) if ch in o_body or digit and body_digit else None
                prep = prep_at(folded, pos) if ch in o_prep or digit and prep_digit else None
                full = None
                if text is not None and (b or prep):
                    full = find_issuer(text, folded, prep.end() if prep else pos, stop)
                # Without "của"/"of" a body only belongs to the reference when it
                # follows directly ("Nghị quyết 18-NQ/TW Hội nghị Trung ương 6");
                # after a comma it is the subject of a new clause, and on the
                # next line too, even where the paragraph view runs the lines
                # on: a headline without a full stop over its first sentence
                # ("… thực hiện Nghị quyết số 57" / "Ban Thường vụ Tỉnh ủy vừa
                # ban hành …").
                if (b or (full and prep)) and ((b and b["prep"]) or prep or not (crossed_comma or crossed_line)):
                    end = b.end() if b else pos
                    if full is not None:
                        # The whole name: "Ủy ban nhân dân tỉnh Nghệ An", "Bộ trưởng Bộ Y tế".
                        if m.issuer is None:
                            m.issuer = full[0]
                        end = max(end, full[1])
                    if m.body is None:
                        m.body = _body_name(b) if b else None
                    inner = TERM.search(folded, pos, end + 1)
                    if inner and m.term is None:
                        m.term = _term_value(inner)
                    pos = core = end
                    continue
            f = filler_at(folded, pos)
            if f is None:
                break
            said = f.group(0)
            if crossed_comma and said in ("on", "am"):
                break  # "27-CTr/TU, on March 10, 2025, the committee issued…": an event date
            if f.end() > pos:
                crossed_comma = crossed_comma or "," in said
                crossed_line = crossed_line or text is not None and "\n" in text[pos:f.end()]
                pos = f.end()
                continue
            break
        m.ctx_end = pos
        m.core_end = core
    # "cùng ngày" / "the same day": the date last written before the mention.
    starts = [d.start for d in dates]
    for m in ordered:
        if m.same_day and m.date is None:
            i = bisect.bisect_left(starts, m.start) - 1
            if i >= 0:
                m.date, m.date_span = dates[i].date, (dates[i].start, dates[i].end)


class _Everything:
    """Stands for the openers of a pattern that can open with any character."""

    def __contains__(self, ch: object) -> bool:
        return True


@functools.cache
def _context_openers() -> tuple[frozenset[str] | _Everything, ...]:
    """The characters a match of SAME_DAY, TERM, _BODY and _PREP can open
    with (see :func:`~.prescan.opening_characters`), each pattern's own,
    then those of any of the four."""
    each = [opening_characters(p) for p in (SAME_DAY, TERM, _BODY, _PREP)]
    union = frozenset().union(*each) if all(e is not None for e in each) else _Everything()  # type: ignore[arg-type]
    return (*(e if e is not None else _Everything() for e in each), union)


def _term_value(m: re.Match[str]) -> int | None:
    if m["roman"]:
        r = m["roman"]
        return int(r) if r.isdigit() else roman_to_int(r)
    if m["ord"]:
        return int(m["ord"])
    return None


def _body_name(m: re.Match[str]) -> str | None:
    for i, (_, name) in enumerate(ISSUER_BODIES):
        if m[f"b{i}"]:
            return name
    return None


# --- "Ngày 23/8/2017, Tỉnh ủy … đã ban hành Chương trình số 27-CTr/TU" ------------

# "[.;:!?]\s+|\n", opening with one character class so that the engine skips
# along to those characters.
_CLAUSE_START = re.compile(r"[.;:!?\n](?:(?<=\n)|(?<=[.;:!?])\s+)")
_COMMA = re.compile(r"[ ]*,[ ]*")
# Where the sitting is named before the body: "Ngày 18/01/2024, tại kỳ họp
# bất thường lần thứ 5, Quốc hội khóa XV đã thông qua Luật …".
_SITTING = re.compile(r"tai (?:ky hop|phien hop|hoi nghi)[^,;.\n]{0,60}?[ ]*,[ ]*")
# After the body: "Quốc hội khóa XV, kỳ họp thứ 7, đã thông qua …".
_SITTING_AFTER = re.compile(r"[ ,]*(?:\(?khoa [ivxl\d]+\)?)?[ ,]*(?:tai )?(?:ky hop|phien hop)[^,;.\n]{0,40}?[ ,]*")
_ARTICLE = re.compile(r"(?:the|die|der)[ ]+")


def attach_issuing_clause(mentions: list[Mention], dates: list[DateMention], text: str, folded: str,
                          paragraphs: str) -> None:
    """Give a document the date and issuer of the sentence that reports its
    issuing: "Ngày 23/8/2017, Tỉnh ủy Thừa Thiên Huế đã ban hành Chương trình
    số 27-CTr/TU", "Ngày 1/12, Thủ tướng Chính phủ ban hành Quyết định số
    44/2025/QĐ-TTg" (the year from the number), "On 9 January 2025, the
    Government adopted Resolution No. 03/NQ-CP". A date written at the
    citation itself always wins."""
    by_start = {d.start: d for d in dates}
    for m in mentions:
        # A law named in its issuing sentence is dated by it as a numbered one is.
        if (m.number is None and m.key is None) or (m.date is not None and m.issuer is not None):
            continue
        # The verb ends right before the number's spaces: where no verb
        # ends there, the search over the 40 characters before is spared.
        lo = m.start - 40 if m.start > 40 else 0
        j = m.start
        while j > lo and folded[j - 1] == " ":
            j -= 1
        if not folded.endswith(ISSUING_VERB_WORDS, lo, j) and not (j > lo and folded[j - 1] == "\n"):
            continue
        verb = _ISSUING_VERB.search(folded, lo, m.start)
        if verb is None:
            continue
        # The sentence start: the last full stop, ";" or hard line break before.
        lo = max(0, m.start - 300)
        starts = [x.end() for x in _CLAUSE_START.finditer(paragraphs, lo, verb.start())]
        s_start = starts[-1] if starts else lo
        on = _ON_DAY.match(folded, s_start)
        if on is None:
            continue
        pos = on.end()
        when: date | None = None
        span: tuple[int, int] | None = None
        full = by_start.get(pos) or by_start.get(s_start)
        if full is not None:
            when, span, pos = full.date, (full.start, full.end), full.end
        else:
            dm = _DAY_MONTH.match(folded, pos)
            if dm is None or m.number is None or m.number.year is None:
                continue
            day, month = int(dm["d"] or dm["d2"]), int(dm["m"] or dm["m2"])
            try:
                when = date(m.number.year, month, day)
            except ValueError:
                continue
            span, pos = (dm.start(), dm.end()), dm.end()
        comma = _COMMA.match(folded, pos)
        if comma is None:
            continue
        sitting = _SITTING.match(folded, comma.end(), verb.start())
        at = sitting.end() if sitting else comma.end()
        subject = find_issuer(text, folded, at, verb.start())
        if subject is not None and _SITTING_AFTER.fullmatch(folded, subject[1], verb.start()):
            subject = (subject[0], verb.start())
        if subject is None:
            b = _BODY_AT.match(folded, at, verb.start())
            if b is None:
                # "On 9 January 2025, the Government adopted …"
                b = _ARTICLE.match(folded, comma.end(), verb.start())
                b = _BODY_AT.match(folded, b.end(), verb.start()) if b else None
            if b is None or not _SUBJECT_TAIL.fullmatch(folded, b.end(), verb.start()):
                continue
            if m.body is None:
                m.body = _body_name(b)
        else:
            if not _SUBJECT_TAIL.fullmatch(folded, subject[1], verb.start()):
                continue  # something else stands between the body and the verb
            if m.issuer is None:
                m.issuer = subject[0]
            if m.body is None:
                m.body = subject[0].kind if subject[0].kind in BODY_CODES else None
        if m.date is None:
            m.date, m.date_span = when, span
    # "… đã thông qua Luật Thủ đô (Luật số 39/2024/QH15)": the number in
    # brackets is the same law, issued in the same sentence.
    for named, numbered in zip(mentions, mentions[1:], strict=False):
        if named.key is not None and numbered.number is not None and named.date is not None \
                and numbered.date is None and _BRACKET.fullmatch(folded, named.end, numbered.start):
            numbered.date = named.date
            numbered.issuer = numbered.issuer or named.issuer
            numbered.body = numbered.body or named.body


_BRACKET = re.compile(r"[ ]*\([ ]*")
_CONGRESS_REACH = 220


def attach_congress_term(mentions: list[Mention], folded: str, breaks: list[int]) -> None:
    """A citation described as being "towards" a Party congress (directives on
    the congresses at all levels) belongs to the term before that congress:
    the term that tells apart "Chỉ thị 35" of 2019 (towards the XIII
    Congress) and of 2024 (towards the XIV)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    size, n_breaks = len(folded), len(breaks)
    for i, m in enumerate(ordered):
        if m.date is not None or m.term is not None:
            continue
        # Comparisons rather than min() and max(), as in attach_context.
        stop = ordered[i + 1].start if i + 1 < len(ordered) else size
        if m.end + _CONGRESS_REACH < stop:
            stop = m.end + _CONGRESS_REACH
        j = bisect.bisect_left(breaks, m.end)
        if j < n_breaks and breaks[j] < stop:
            stop = breaks[j]
        c = CONGRESS_AHEAD.search(folded, m.core_end if m.core_end > m.end else m.end, stop)
        if c is None or any(ch in ".;" for ch in folded[m.end:c.start()]):
            continue
        number = roman_to_int(c["roman"]) if c["roman"] and not c["roman"].isdigit() else int(c["roman"] or c["ord"])
        if number:
            m.term = number - 1
