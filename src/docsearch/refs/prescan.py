"""Fast scans for costly patterns: look only where a match can start.

Python's regex engine tries a large alternation (the relation cues, the type
words) at every position of the text, and most positions cannot start a
match at all. :class:`Prescanned` derives from a compiled pattern a much
cheaper one that matches wherever the pattern could start (its leading
look-behind and the first few characters every match begins with, as a
trie), scans with that, and runs the real pattern only at the positions it
finds. ``search`` and ``finditer`` return exactly the matches the pattern's
own methods return, for any ``pos`` and ``endpos``: a position the cheap
scan skips is one where the pattern cannot match.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Callable, Iterator
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any, TypeVar

#: A possible beginning of a match: one regex fragment per character.
_Seq = tuple[str, ...]

_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
_MAX_SEQUENCES = 4000


class _Unknown(Exception):
    """A construct the analysis does not follow: stop there (any continuation)."""


def _char(c: int) -> str:
    ch = chr(c)
    return "\\" + ch if ch in "\\]^-[" else ch


def _class(op: Any, av: Any) -> str:
    """The fragment matching one character as the item (op, av) does."""
    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.NOT_LITERAL:
        return "[^" + _char(av) + "]"
    if op is C.ANY:
        return r"[\s\S]"
    if op is C.IN:
        parts = []
        neg = False
        for iop, iav in av:
            if iop is C.NEGATE:
                neg = True
            elif iop is C.LITERAL:
                parts.append(_char(iav))
            elif iop is C.RANGE:
                parts.append(_char(iav[0]) + "-" + _char(iav[1]))
            elif iop is C.CATEGORY and iav in _CATEGORIES:
                parts.append(_CATEGORIES[iav])
            else:
                raise _Unknown
        return "[" + ("^" if neg else "") + "".join(parts) + "]"
    raise _Unknown


def _firsts(items: list[Any], k: int) -> set[_Seq]:
    """The first ``k`` characters of every string ``items`` can match (shorter
    where a match can end sooner or the analysis stops)."""
    if k == 0 or not items:
        return {()}
    op, av = items[0]
    rest = items[1:]
    try:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            head = _class(op, av)
            return {(head, *t) for t in _firsts(rest, k - 1)}
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return _firsts(rest, k)  # zero-width: leaving it out only admits more
        if op is C.SUBPATTERN:
            _, add, remove, sub = av
            if add or remove:
                raise _Unknown
            return _firsts(list(sub) + rest, k)
        if op is C.ATOMIC_GROUP:
            return _firsts(list(av) + rest, k)
        if op is C.BRANCH:
            out: set[_Seq] = set()
            for alt in av[1]:
                out |= _firsts(list(alt) + rest, k)
                if len(out) > _MAX_SEQUENCES:
                    raise OverflowError
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if sub.getwidth()[0] == 0:
                raise _Unknown
            once = list(sub)
            if lo > 0:
                more = [(op, (lo - 1, hi if hi is C.MAXREPEAT else hi - 1, sub))]
                return _firsts(once + more + rest, k)
            out = _firsts(rest, k)
            if hi is C.MAXREPEAT or hi > 0:
                more = [(op, (0, hi if hi is C.MAXREPEAT else hi - 1, sub))]
                out |= _firsts(once + more + rest, k)
            return out
    except _Unknown:
        return {()}
    return {()}


def _firsts_within(items: list[Any], reach: int) -> set[_Seq]:
    """:func:`_firsts` of ``items`` at ``reach`` characters, or at fewer where
    that many would make too many sequences."""
    while True:
        try:
            return _firsts(items, reach)
        except OverflowError:
            reach -= 1


def _trie(seqs: set[_Seq]) -> str:
    """One pattern matching every sequence (a sequence ending early matches at once)."""
    if () in seqs:
        return ""
    heads: dict[str, set[_Seq]] = {}
    for s in seqs:
        heads.setdefault(s[0], set()).add(s[1:])
    alts = [h + _trie(tails) for h, tails in sorted(heads.items())]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _lookbehinds(items: list[Any]) -> str:
    """The pattern's leading one-character look-behinds, as source."""
    out = ""
    for op, av in items:
        if op not in (C.ASSERT, C.ASSERT_NOT) or av[0] != -1:
            break
        sub = list(av[1])
        if len(sub) != 1:
            break
        try:
            cls = _class(*sub[0])
        except _Unknown:
            break
        out += ("(?<=" if op is C.ASSERT else "(?<!") + cls + ")"
    return out


_COMMON = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 ")
_WORDISH = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _word_lookbehind(items: list[Any]) -> bool:
    r"""Whether the pattern opens with a negative one-character look-behind
    that excludes every word character, like ``(?<![\w])`` or ``(?<![\w/])``."""
    if not items:
        return False
    op, av = items[0]
    if op is not C.ASSERT_NOT or av[0] != -1:
        return False
    sub = list(av[1])
    if len(sub) != 1 or sub[0][0] is not C.IN:
        return False
    cls = sub[0][1]
    return all(iop is not C.NEGATE for iop, _ in cls) and (C.CATEGORY, C.CATEGORY_WORD) in cls


class Prescanned:
    """A compiled pattern with a cheap scan for where its matches can start."""

    def __init__(self, pattern: re.Pattern[str], reach: int = 3,
                 match: Callable[[str, int, int], re.Match[str] | None] | None = None) -> None:
        if pattern.flags & (re.IGNORECASE | re.VERBOSE) or isinstance(pattern.pattern, bytes):
            raise ValueError("only plain str patterns are prescanned")
        self.pattern = pattern
        self.reach = reach
        # What tries the pattern at a place (``pattern.match`` unless a
        # faster equivalent is given).
        self._match = pattern.match if match is None else match
        # Built on first use: importing the tagger stays cheap for commands
        # that never tag.
        self._starts: re.Pattern[str] | None = None
        self._boundary = False

    @property
    def starts(self) -> re.Pattern[str]:
        """The cheap pattern that finds where a match can start."""
        return self._starts if self._starts is not None else self._build()

    @property
    def boundary(self) -> bool:
        """Whether :attr:`starts` finds the character before a match's start."""
        if self._starts is None:
            self._build()
        return self._boundary

    def _build(self) -> re.Pattern[str]:
        pattern = self.pattern
        tree = P.parse(pattern.pattern, pattern.flags)
        if tree.getwidth()[0] == 0:
            raise ValueError("a pattern that can match the empty string is not prescanned")
        items = list(tree)
        seqs = _firsts_within(items, self.reach)
        # A pattern that starts at a word boundary, "(?<![\w…])": scanning for
        # a character that is not an ASCII letter or digit, followed by the
        # first characters, is much faster than a look-behind tried at every
        # position (the engine skips along a plain character set). The match
        # then starts one character after the scan's.
        # When every match starts with a letter that is rare in running text
        # (a capital, "Đ"), the engine skips along to those letters by itself
        # and the first characters alone are the better scan.
        heads = {seq[0] for seq in seqs if seq}
        rare = all(len(h) == 1 or (len(h) == 2 and h[0] == "\\") for h in heads) and () not in seqs and not any(
            h in _COMMON for h in heads)
        self._boundary = _word_lookbehind(items) and not rare
        if self._boundary:
            self._starts = re.compile("[^0-9A-Za-z_]" + _trie(seqs), pattern.flags)
        elif rare:
            self._starts = re.compile(_trie(seqs), pattern.flags)
        else:
            self._starts = re.compile(_lookbehinds(items) + _trie(seqs), pattern.flags)
        return self._starts

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """As ``pattern.search(string, pos, endpos)``."""
        end = len(string) if endpos is None else endpos
        match = self._match
        scan = self._starts if self._starts is not None else self._build()
        if self._boundary:
            # The scan finds starts after ``pos`` only; ``pos`` itself is tried
            # when what stands before it may be a boundary.
            if pos < end and (pos == 0 or string[pos - 1] not in _WORDISH):
                m = match(string, pos, end)
                if m is not None:
                    return m
            shift = 1
        else:
            shift = 0
        starts = scan.search
        while True:
            c = starts(string, pos, end)
            if c is None:
                return None
            at = c.start() + shift
            m = match(string, at, end)
            if m is not None:
                return m
            pos = at + 1 - shift

    def candidates(self, string: str, pos: int = 0, endpos: int | None = None) -> list[int]:
        """Every position in ``[pos, endpos)`` where a match may start, in
        order (where it does not, the pattern surely does not match)."""
        end = len(string) if endpos is None else endpos
        out = []
        scan = self._starts if self._starts is not None else self._build()
        if self._boundary:
            if pos < end and (pos == 0 or string[pos - 1] not in _WORDISH):
                out.append(pos)
            shift = 1
        else:
            shift = 0
        starts = scan.search
        while (c := starts(string, pos, end)) is not None:
            at = c.start() + shift
            out.append(at)
            pos = at + 1 - shift
        return out

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """As ``pattern.finditer(string, pos, endpos)`` (the pattern never matches empty)."""
        end = len(string) if endpos is None else endpos
        while (m := self.search(string, pos, end)) is not None:
            yield m
            pos = m.end()


class Guarded:
    """A compiled pattern whose ``match`` first tries a cheap pattern of the
    first few characters its matches can open with (a trie, as
    :class:`Prescanned` scans with). A large alternation of named groups
    ("(?P<m0>bo tai chinh)|(?P<m1>…)") is tried branch by branch, each
    failing only after its group is entered: a few microseconds wherever
    nothing matches, against a fraction of one for the trie."""

    def __init__(self, pattern: re.Pattern[str], reach: int = 8) -> None:
        self.pattern = pattern
        self.reach = reach
        # Built on first use, like Prescanned's scan.
        self._guard: re.Pattern[str] | None = None
        #: The guard's own ``match``: None where the pattern surely does
        #: not match. ``g.could(s, pos) and g.pattern.match(s, pos)`` is
        #: ``g.match(s, pos)`` without a call in Python, for the hottest places.
        self.could: Callable[..., re.Match[str] | None] = self._could_first

    def _build(self) -> re.Pattern[str]:
        seqs = _firsts_within(list(P.parse(self.pattern.pattern, self.pattern.flags)), self.reach)
        # Every match starts with one of the sequences (or the analysis
        # stopped, and the empty trie lets every position through).
        self._guard = re.compile(_trie(seqs), self.pattern.flags)
        self.could = self._guard.match
        return self._guard

    def _could_first(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._build().match(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """As ``pattern.match(string, pos, endpos)``."""
        end = len(string) if endpos is None else endpos
        guard = self._guard if self._guard is not None else self._build()
        if guard.match(string, pos, end) is None:
            return None
        return self.pattern.match(string, pos, end)


def _top_alternatives(source: str) -> list[str]:
    """The alternatives of a pattern's source at its top level (split at
    each ``|`` outside groups and character classes)."""
    out = []
    depth = 0
    start = 0
    i = 0
    in_class = False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if source.startswith("]", i + 1) or source.startswith("^]", i + 1):
                i += 1 if source[i + 1] == "]" else 2  # a "]" first in a class is a letter of it
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    out.append(source[start:])
    return out


def _opening_pairs(source: str) -> frozenset[str] | None:
    """The two letters every match of ``source`` can open with; None when
    some match can open otherwise (a class, or fewer than two letters)."""
    try:
        seqs = _firsts(list(P.parse(source)), 2)
    except OverflowError:
        return None
    out = set()
    for seq in seqs:
        if len(seq) < 2 or not all(len(h) == 1 or (len(h) == 2 and h[0] == "\\") for h in seq):
            return None
        out.add(seq[0][-1] + seq[1][-1])
    return frozenset(out)


#: What :class:`Dispatched` finds for a pair of letters it has not met yet.
_UNMADE: Any = object()


class Dispatched:
    """``BEFORE(?:(?P<n0>…)|(?P<n1>…)|…)AFTER``, a long alternation of named
    groups (the relation cues), matched by the alternatives that can open
    with the two letters at the position only.

    The regex engine enters each group and tries each of its alternatives in
    turn, microseconds at a position where the cue is near the end or none
    matches. An alternative whose matches all open with two other letters
    cannot match there; leaving it out changes nothing else (the rest keep
    their order and their group's name), so the match is the pattern's.
    The pattern for each pair of letters is made when the pair is first met."""

    def __init__(self, pattern: re.Pattern[str], before: str, groups: list[tuple[str, str]], after: str) -> None:
        whole = before + "(?:" + "|".join(f"(?P<{name}>{src})" for name, src in groups) + ")" + after
        if whole != pattern.pattern:
            raise ValueError("the groups do not make the pattern")
        if P.parse(before).getwidth() != (0, 0):
            # The two letters looked up are those the groups open with.
            raise ValueError("what stands before the groups must match no characters")
        self.pattern = pattern
        self._before, self._after, self._groups = before, after, groups
        self._by_pair: dict[str, re.Pattern[str] | None] = {}
        # Per group, its alternatives with the pairs they open with (None: any).
        self._alternatives: list[list[tuple[str, frozenset[str] | None]]] | None = None

    def _made(self, pair: str) -> re.Pattern[str] | None:
        if self._alternatives is None:
            self._alternatives = [[(alt, _opening_pairs(alt)) for alt in _top_alternatives(src)]
                                  for _, src in self._groups]
        kept = []
        for (name, _), alternatives in zip(self._groups, self._alternatives, strict=True):
            alts = [alt for alt, pairs in alternatives if pairs is None or pair in pairs]
            if alts:
                kept.append(f"(?P<{name}>{'|'.join(alts)})")
        made = re.compile(self._before + "(?:" + "|".join(kept) + ")" + self._after,
                          self.pattern.flags) if kept else None
        self._by_pair[pair] = made
        return made

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """As ``pattern.match(string, pos, endpos)``."""
        end = len(string) if endpos is None else endpos
        if pos + 2 > end or pos < 0:
            return self.pattern.match(string, pos, end)
        pair = string[pos:pos + 2]
        # One lookup (None is a pair with no alternatives, _UNMADE one not met yet).
        made = self._by_pair.get(pair, _UNMADE)
        if made is _UNMADE:
            made = self._made(pair)
        return made.match(string, pos, end) if made is not None else None


_R = TypeVar("_R")


def _per_pattern(fn: Callable[..., _R]) -> Callable[..., _R]:
    """Remember ``fn``'s result for the same compiled patterns (and other
    arguments). ``functools.cache`` would hash each compiled pattern on every
    call, and a pattern's hash covers its whole compiled program: several
    microseconds for the large alternations, on every text tagged."""
    memo: dict[tuple[Any, ...], tuple[tuple[Any, ...], _R]] = {}

    @functools.wraps(fn)
    def wrapper(*args: Any) -> _R:
        key = tuple(id(a) if isinstance(a, re.Pattern) else a for a in args)
        hit = memo.get(key)
        if hit is None:
            # The arguments are kept with the result, so that an id stays theirs.
            hit = memo[key] = (args, fn(*args))
        return hit[1]

    return wrapper


@_per_pattern
def opening_characters(*patterns: re.Pattern[str]) -> frozenset[str] | None:
    """The characters any match of the patterns can start with, with ``"0"``
    standing for every decimal digit (``\\d``); None when a pattern can start
    with some other class of characters."""
    out: set[str] = set()
    for pattern in patterns:
        for seq in _firsts(list(P.parse(pattern.pattern, pattern.flags)), 1):
            if not seq:
                return None
            head = seq[0]
            if len(head) == 1 or (len(head) == 2 and head[0] == "\\"):
                out.add(head[-1])
            elif head in ("[\\d]", "\\d"):
                out.add("0")
            else:
                return None
    return frozenset(out)


@_per_pattern
def literal_openings(pattern: re.Pattern[str], reach: int = 64) -> tuple[str, ...] | None:
    """Strings one of which every match of the pattern starts with (the
    plain letters at its beginnings; None when some match can start
    otherwise): a few of them are found faster with ``str.find`` than by any
    regex scan."""
    try:
        seqs = _firsts(list(P.parse(pattern.pattern, pattern.flags)), reach)
    except OverflowError:
        return None
    out = set()
    for seq in seqs:
        lit = ""
        for h in seq:
            if not (len(h) == 1 or (len(h) == 2 and h[0] == "\\")):
                break
            lit += h[-1]
        if not lit:
            return None
        out.add(lit)
    # A string that starts with another one adds nothing.
    return tuple(sorted(s for s in out if not any(o != s and s.startswith(o) for o in out)))


def find_all(string: str, literals: tuple[str, ...], pos: int, endpos: int) -> list[int]:
    """Every offset in ``[pos, endpos)`` where one of ``literals`` occurs whole
    before ``endpos``, sorted."""
    out = []
    for lit in literals:
        i = string.find(lit, pos, endpos)
        while i >= 0:
            out.append(i)
            i = string.find(lit, i + 1, endpos)
    out.sort()
    return out


def finditer_at(pattern: re.Pattern[str], string: str, starts: list[int], pos: int = 0,
                endpos: int | None = None) -> Iterator[re.Match[str]]:
    """As ``pattern.finditer(string, pos, endpos)`` when every match starts at
    one of ``starts`` (sorted): the pattern is tried there only, skipping
    what an earlier match took."""
    end = len(string) if endpos is None else endpos
    taken = pos
    for i in range(bisect.bisect_left(starts, pos), len(starts)):
        p = starts[i]
        if p >= end:
            break
        if p < taken:
            continue
        m = pattern.match(string, p, end)
        if m is not None:
            yield m
            taken = m.end()
            if taken <= p:
                taken = p + 1


def _spellings(items: list[Any]) -> set[str]:
    """Every string the parsed items match, for items that are plain
    letters, groups, alternations and bounded repeats; _Unknown otherwise."""
    out = {""}
    for op, av in items:
        if op is C.LITERAL:
            alts = {chr(av)}
        elif op is C.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unknown
            alts = _spellings(list(av[3]))
        elif op is C.BRANCH:
            alts = set().union(*(_spellings(list(alt)) for alt in av[1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[1] is not C.MAXREPEAT:
            once = _spellings(list(av[2]))
            alts = set()
            times = {""}
            for n in range(av[1] + 1):
                if n >= av[0]:
                    alts |= times
                times = {a + b for a in times for b in once}
        else:
            raise _Unknown
        out = {a + b for a in out for b in alts}
        if len(out) > _MAX_SEQUENCES:
            raise _Unknown
    return out


def spellings(source: str) -> frozenset[str] | None:
    """Every string the pattern ``source`` matches, when it is a finite set
    of plain words (alternations, optional letters); None otherwise."""
    try:
        return frozenset(_spellings(list(P.parse(source))))
    except _Unknown:
        return None


def search_at_literals(pattern: re.Pattern[str], string: str, pos: int = 0,
                       endpos: int | None = None) -> re.Match[str] | None:
    """``pattern.search(string, pos, endpos)``, tried only where one of the
    pattern's :func:`literal_openings` stands: ``str.find`` skips to the next
    such place, far faster than a regex scan over text in which they are
    rare, and only as far as the first match. A pattern whose matches can
    open otherwise is searched for as usual."""
    end = len(string) if endpos is None else endpos
    literals = literal_openings(pattern)
    if literals is None:
        return pattern.search(string, pos, end)
    find = string.find
    # The next place of each literal not yet tried (-1: none left).
    nexts = [find(lit, pos, end) for lit in literals]
    while True:
        at = min((i for i in nexts if i >= 0), default=-1)
        if at < 0:
            return None
        m = pattern.match(string, at, end)
        if m is not None:
            return m
        for k, i in enumerate(nexts):
            if i == at:
                nexts[k] = find(literals[k], at + 1, end)
