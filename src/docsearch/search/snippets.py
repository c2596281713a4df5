"""The best passage of a hit, with what matched highlighted.

Matching runs over the text with each letter of a term standing for every
letter that folds to it (``grammar.fold``), so ``nghi quyet`` finds
``Nghị quyết`` without folding the text first. Where the text holds a query
word with its exact diacritics, only those occurrences are highlighted, not
their folded twins (``mới`` but not ``môi``); a reference in the query
highlights the mentions the tagger resolved to it, in whatever spelling.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..extract.base import page_at
from ..refs.folding import FOLD_TABLE, fold
from .query import And, DocRef, Node, Phrase, Query, Word, walk

WINDOW = 240
LEAD = 50
MAX_MATCHES = 300
MAX_SPANS = 150

_TOKEN = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
#: Runs of whitespace that collapsing shortens (a single space, tab or
#: newline keeps its length and moves no offset).
_LONG_SPACES = re.compile(r"\s{2,}")

#: After the first character of a term: the character before that one is
#: not a letter or digit. Asserting this after the first character, not
#: before it, lets the regex engine skip to the places where a term's first
#: character stands instead of trying every position of the text.
_AFTER_FIRST = r"(?<![^\W_].)"


def _reverse_fold() -> dict[str, frozenset[str]]:
    """For each folded character, every character that folds to it."""
    sources: dict[str, set[str]] = {}
    for cp, folded in FOLD_TABLE.items():
        sources.setdefault(folded, set()).add(chr(cp))
    return {folded: frozenset(chars | {folded}) for folded, chars in sources.items()}


_UNFOLD = _reverse_fold()


def _class(chars: frozenset[str] | set[str]) -> str:
    return "[" + "".join(sorted(re.escape(c) for c in chars)) + "]" if len(chars) > 1 else re.escape(next(iter(chars)))


#: The regex class of each folded character (computed once: a query's
#: pattern is assembled from them).
_CLASSES = {folded: _class(chars) for folded, chars in _UNFOLD.items()}


def _sources(c: str) -> frozenset[str]:
    return _UNFOLD.get(c, frozenset(c))


def _unfolded(word: str) -> str:
    """A regex matching any text whose fold is ``word``, letter by letter."""
    return "".join([_CLASSES.get(c) or re.escape(c) for c in word])


def _joined(words: Sequence[str], piece: Callable[[str], str]) -> str:
    return r"[\W_]+".join(piece(w) for w in words)


def _term_pattern(words: Sequence[str]) -> str:
    """``words`` as typed, separated by non-letters, starting at a word edge
    (the end edge is the caller's)."""
    joined = _joined(words, re.escape)
    first = re.escape(words[0][0])
    return first + _AFTER_FIRST + joined[len(first):]


def _folded_alternation(terms: Sequence[tuple[str, ...]]) -> re.Pattern[str]:
    """One regex finding any of ``terms`` (folded words) in unfolded text,
    as group ``t<i>``. The first character of the match is read once, from
    the class of every character any term can start with: the regex engine
    then jumps from one such character to the next, where an alternation of
    groups would be tried at every position of the text."""
    starts: set[str] = set()
    branches = []
    for i, words in enumerate(terms):
        head = _sources(words[0][0])
        starts |= head
        rest = _unfolded(words[0][1:]) + "".join(r"[\W_]+" + _unfolded(w) for w in words[1:])
        branches.append(f"(?P<t{i}>(?<={_CLASSES.get(words[0][0]) or re.escape(words[0][0])}){rest})")
    return re.compile(_class(starts) + _AFTER_FIRST + "(?:" + "|".join(branches) + r")(?![^\W_])")


@dataclass(frozen=True)
class Snippet:
    """A passage of a document: ``text`` (whitespace collapsed), the
    ``highlights`` as (start, end) offsets into it, the offset of the passage
    in the document and its 1-based page when the document has pages."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()
    offset: int = 0
    page: int | None = None

    def marked(self, before: str = "«", after: str = "»") -> str:
        """The passage with each highlight wrapped in ``before``/``after``."""
        out, last = [], 0
        for s, e in self.highlights:
            out += [self.text[last:s], before, self.text[s:e], after]
            last = e
        out.append(self.text[last:])
        return "".join(out)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "highlights": [list(h) for h in self.highlights],
                "offset": self.offset, "page": self.page}


@dataclass(frozen=True)
class _Term:
    """One thing to highlight: a word, a phrase, a run of neighbouring words or a reference."""

    key: str
    folded: tuple[str, ...]
    exact: tuple[str, ...]  # lowercase, with diacritics as typed
    weight: float
    ref_id: str | None = None
    loose: re.Pattern[str] | None = None


def _word_runs(root: Node | None) -> list[list[str]]:
    """Neighbouring words of the query ("kinh tế tư nhân"), as they may stand together."""
    runs: list[list[str]] = []
    for node, negated in walk(root):
        if negated or not isinstance(node, And):
            continue
        run: list[str] = []
        for child in (*node.children, None):
            if isinstance(child, Word):
                run.append(child.text)
                continue
            if len(run) > 1:
                runs.append(run)
            run = []
    return runs


class Highlighter:
    """Finds a query's terms in the text of each hit; built once per search."""

    def __init__(self, terms: list[_Term]) -> None:
        self.terms = terms
        self.refs = [t for t in terms if t.ref_id is not None]
        textual = sorted((t for t in terms if t.folded), key=lambda t: -len(t.folded))
        self.by_group = {f"t{i}": t for i, t in enumerate(textual)}
        # One pass over the text finds every term, each letter standing for
        # all the letters that fold to it (so the text itself need not be
        # folded); longer terms first, so a run of words wins over the
        # single words inside it.
        self.pattern = _folded_alternation([t.folded for t in textual]) if textual else None
        # Words typed with diacritics, to tell exact matches from folded twins.
        self.marked_words = [
            re.compile(_term_pattern(t.exact) + r"(?![^\W_])", re.IGNORECASE)
            for t in terms if t.exact and t.ref_id is None and not t.key.startswith("run:")
            and tuple(fold(w) for w in t.exact) != t.exact
        ]

    def exactness(self, text: str) -> float:
        """The share of the query's words with diacritics that ``text`` contains
        as typed (0 when there are none): "mới" in a text, not only "môi"."""
        if not self.marked_words:
            return 0.0
        return sum(1 for p in self.marked_words if p.search(text)) / len(self.marked_words)

    @classmethod
    def for_query(cls, query: Query) -> Highlighter:
        terms: list[_Term] = []
        seen: set[str] = set()
        for run in _word_runs(query.root):
            tokens = [t for w in run for t in _TOKEN.findall(w)]
            folded = tuple(fold(t) for t in tokens)
            terms.append(_Term("run:" + " ".join(folded), folded, tuple(t.lower() for t in tokens),
                               float(len(tokens))))
        for node in query.positive_terms():
            tokens = _TOKEN.findall(node.text) if isinstance(node, (Word, Phrase, DocRef)) else []
            folded = tuple(fold(t) for t in tokens)
            if isinstance(node, DocRef):
                terms.append(_Term("ref:" + node.id, folded, (), 3.0, ref_id=node.id))
                continue
            key = " ".join(folded)
            if not tokens or key in seen:
                continue
            seen.add(key)
            loose = None
            if len(tokens) == 1 and len(key) >= 5 and key.isalpha():
                # Stemmed English/German matches ("implementing" → "implementation")
                # are shown by a shared beginning when nothing closer is found.
                loose = re.compile(r"(?<![^\W_])" + re.escape(key[: max(4, len(key) - 3)]) + r"[^\W_]*")
            terms.append(_Term(key, folded, tuple(t.lower() for t in tokens),
                               2.0 if len(tokens) > 1 else 1.0, loose=loose))
        return cls(terms)

    def _spans(self, text: str, meta: dict[str, Any]) -> list[tuple[int, int, str, float]]:
        exact: dict[str, list[tuple[int, int]]] = {}
        plain: dict[str, list[tuple[int, int]]] = {}
        folded = ""
        if self.pattern is not None:
            for n, m in enumerate(self.pattern.finditer(text)):
                if n >= MAX_MATCHES:
                    break
                term = self.by_group[m.lastgroup or ""]
                s, e = m.span()
                piece = text[s:e].lower()
                same = piece == term.exact[0] if len(term.exact) == 1 else tuple(_TOKEN.findall(piece)) == term.exact
                (exact if same and term.exact else plain).setdefault(term.key, []).append((s, e))
        spans: list[tuple[int, int, str, float]] = []
        ref_spans = meta.get("refs") or []
        for term in self.terms:
            if term.ref_id is not None:
                found = [(s, e) for ref_id, s, e in ref_spans if ref_id == term.ref_id and 0 <= s < e <= len(text)]
                if found:
                    spans += [(s, e, term.key, term.weight) for s, e in found]
                    continue
                spans += [(s, e, term.key, 1.0) for s, e in plain.get(term.key, [])]
                continue
            # Highlight what matched: the exact spelling when the text has it,
            # its folded twins only when it does not.
            if term.key in exact:
                spans += [(s, e, term.key, 1.5 * term.weight) for s, e in exact[term.key]]
            elif term.key in plain:
                spans += [(s, e, term.key, term.weight) for s, e in plain[term.key]]
            elif term.loose is not None:
                folded = folded or fold(text)
                spans += [(m.start(), m.end(), term.key, 0.5 * term.weight)
                          for _, m in zip(range(MAX_MATCHES), term.loose.finditer(folded), strict=False)]
        spans.sort()
        return spans[:MAX_SPANS]

    def snippet(self, text: str, meta: dict[str, Any]) -> Snippet:
        """The passage of ``text`` with the most distinct query terms, highlighted."""
        spans = self._spans(text, meta) if self.terms else []
        if spans:
            first = spans[_best_window(spans)][0]
            start = max(0, first - LEAD)
            # Begin at a line or sentence start when one is close, else at a word.
            cut = max(text.rfind("\n", start, first), text.rfind(". ", start, first))
            if cut >= 0:
                start = cut + 1
            elif start > 0:
                space = text.find(" ", start, first)
                start = space + 1 if space >= 0 else first
            while start < first and text[start].isspace():
                start += 1
        else:
            start = len(text) - len(text.lstrip())
        end = min(len(text), start + WINDOW)
        if end < len(text):
            space = text.rfind(" ", start + WINDOW // 2, end)
            if space > 0:
                end = space
        marks = [(s, e) for s, e, _, _ in spans if s >= start and e <= end]
        return _render(text, start, end, marks, meta.get("pages") or [0])


def _best_window(spans: list[tuple[int, int, str, float]]) -> int:
    """Index of the span that starts the window holding the most distinct terms.

    A window runs from one span's start to the last span ending within
    ``WINDOW - LEAD`` of it; its score is the sum, over the terms in it, of
    each term's best weight, plus a little for every span. The window slides
    once over the spans, keeping counts of the (term, weight) pairs in it."""
    best, best_score = 0, -1.0
    inside: dict[tuple[str, float], int] = {}
    hi = 0  # the window is spans[i:hi]
    n = len(spans)
    for i, (start, _, _, _) in enumerate(spans):
        if i > 0:
            _, _, key, weight = spans[i - 1]
            left = inside[(key, weight)] - 1
            if left:
                inside[(key, weight)] = left
            else:
                del inside[(key, weight)]
        if hi <= i:
            _, _, key, weight = spans[i]
            inside[(key, weight)] = inside.get((key, weight), 0) + 1
            hi = i + 1
        limit = start + WINDOW - LEAD
        while hi < n and spans[hi][1] <= limit:
            _, _, key, weight = spans[hi]
            inside[(key, weight)] = inside.get((key, weight), 0) + 1
            hi += 1
        keys: dict[str, float] = {}
        for key, weight in inside:
            if weight > keys.get(key, 0.0):
                keys[key] = weight
        score = sum(keys.values()) + 0.05 * (hi - i)
        if score > best_score:
            best, best_score = i, score
    return best


def _render(text: str, start: int, end: int, marks: list[tuple[int, int]], pages: list[int]) -> Snippet:
    raw = text[start:end]
    runs = [m.span() for m in _LONG_SPACES.finditer(raw)]
    starts = [a for a, _ in runs]
    removed = [0]
    for a, b in runs:
        removed.append(removed[-1] + (b - a - 1))
    prefix = "…" if start > 0 else ""

    def where(offset: int) -> int:
        """Position in the collapsed passage of an offset into ``raw``."""
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset + len(prefix)
        a, b = runs[i]
        if offset >= b:
            return offset - removed[i + 1] + len(prefix)
        return a - removed[i] + (1 if offset > a else 0) + len(prefix)

    body = (prefix + _SPACES.sub(" ", raw)).rstrip()
    suffix = "…" if end < len(text) else ""
    highlights: list[tuple[int, int]] = []
    for s, e in sorted(marks):
        a, b = where(s - start), min(where(e - start), len(body))
        if a >= b:
            continue
        if highlights and (a <= highlights[-1][1] or not body[highlights[-1][1]:a].strip()):
            # Overlapping or separated by a space only: one highlight ("kinh tế tư nhân").
            highlights[-1] = (highlights[-1][0], max(b, highlights[-1][1]))
        else:
            highlights.append((a, b))
    page = page_at(pages, marks[0][0] if marks else start) if len(pages) > 1 else None
    return Snippet(body + suffix, tuple(highlights), start, page)
