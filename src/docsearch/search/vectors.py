"""The tsvectors of a PostgreSQL full-text row, made from its folded words.

A row holds three: the folded words with their positions, the pairs of
neighbouring words (see ``postgres_engine.PAIRS_INDEXES``) and the runs of
three words around a number (``postgres_engine.RUNS_INDEX``), each in
PostgreSQL's own text form of a tsvector. An ingest's worker processes make
them for every text they read, so this module is compiled by mypyc where
``make`` can (as the tagger is; see :mod:`docsearch.refs.compiled`): written
with plain lists, dicts and loops, which the compiled code runs about 1.5
times faster than the interpreter, and with nothing from the rest of the
package, so that its build answers for this file alone.
"""

from __future__ import annotations

import re
from typing import Final

#: The last position a tsvector holds (later words all stand there), and how
#: many positions it keeps of one word: PostgreSQL's limits, which the
#: vectors made here keep as its own to_tsvector does.
LAST_POSITION: Final = 16383
POSITIONS_KEPT: Final = 255

# "':1", "':2"... : the end of a quoted term at each position; and each
# position's digits.
_AT_POSITION: Final = [f"':{i}" for i in range(1, LAST_POSITION + 1)]
_NUMBERS: Final = [str(i) for i in range(LAST_POSITION + 1)]
#: The digits a run is made around (in a row's runs here, and in a query's).
RUN_DIGIT: Final = re.compile(r"[0-9]")


def vectors(terms: list[str], with_pairs: bool = True) -> tuple[str, str, str]:
    """The tsvectors of a document's folded words ``terms``, of the pairs of
    its neighbouring words and of its runs around a number, in PostgreSQL's
    own text form of a tsvector: what ``to_tsvector`` of the words, and the
    pairs and runs made from its positions, give as text. A word beyond
    LAST_POSITION stands at it, and a term keeps its first POSITIONS_KEPT
    positions. Reading that form costs the server less than half of reading
    the words in the order of the text (0.24 against 0.53 ms a document,
    which the server would sort and merge itself), and about a quarter of
    making them there. A term never holds a quote, a backslash or a space, so
    quoting it needs no escapes. Without ``with_pairs`` the pairs and runs
    are left empty."""
    n = len(terms)
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(terms, 1):
        kept = positions.get(t)
        if kept is None:
            positions[t] = [i]
        else:
            kept.append(i)
    plain = n < LAST_POSITION
    if not plain or len(positions) < n:  # keep what the server keeps
        for kept in positions.values():
            if kept[-1] > LAST_POSITION:
                kept[:] = sorted({min(p, LAST_POSITION) for p in kept})
            if len(kept) > POSITIONS_KEPT:
                del kept[POSITIONS_KEPT:]
                plain = False
    if not with_pairs:
        return text_form(positions), "", ""
    if not plain:
        return _vectors_apart(positions)
    # Every word at its own position: a pair is a word and the next one in
    # the text. Made with the words, in their order and then that of the
    # words after each, which is the pairs' own order (a term's letters and
    # digits sort after the space that ends the shorter of two).
    at = _AT_POSITION
    numbers = _NUMBERS
    words_out: list[str] = []
    pairs_out: list[str] = []
    for t in sorted(positions):
        kept = positions[t]
        if len(kept) == 1:
            p = kept[0]
            words_out.append(t + at[p - 1])
            if p < n:
                pairs_out.append(t + " " + terms[p] + at[p - 1])
            continue
        words_out.append(t + "':" + ",".join([numbers[p] for p in kept]))
        after: dict[str, list[int]] = {}
        for p in kept:
            if p < n:
                following = terms[p]
                got = after.get(following)
                if got is None:
                    after[following] = [p]
                else:
                    got.append(p)
        for b in sorted(after):
            ps = after[b]
            pairs_out.append(t + " " + b + (at[ps[0] - 1] if len(ps) == 1
                                            else "':" + ",".join([numbers[p] for p in ps])))
    starts: set[int] = set()
    for t, kept in positions.items():
        if RUN_DIGIT.search(t) is not None:
            for p in kept:
                for s in (p - 2, p - 1, p):
                    if 1 <= s <= n - 2:
                        starts.add(s)
    runs: dict[str, list[int]] = {}
    for s in sorted(starts):
        run = terms[s - 1] + " " + terms[s] + " " + terms[s + 1]
        got = runs.get(run)
        if got is None:
            runs[run] = [s]
        else:
            got.append(s)
    return _quoted_entries(words_out), _quoted_entries(pairs_out), text_form(runs)


def _vectors_apart(positions: dict[str, list[int]]) -> tuple[str, str, str]:
    """:func:`vectors` where words share a position (past the last) or lost
    some (past the positions kept): pairs and runs of the words at the
    positions kept."""
    at: dict[int, list[str]] = {}
    for t, kept in positions.items():
        for p in kept:
            words = at.get(p)
            if words is None:
                at[p] = [t]
            else:
                words.append(t)
    pairs: dict[str, list[int]] = {}
    for p in sorted(at):
        for a in at[p]:
            for b in at.get(p + 1, []):
                pairs.setdefault(a + " " + b, []).append(p)
    starts: set[int] = set()
    for t, kept in positions.items():
        if RUN_DIGIT.search(t) is not None:
            for p in kept:
                starts.update((p, p - 1, p - 2))
    runs: dict[str, list[int]] = {}
    for s in sorted(starts):
        for a in at.get(s, []):
            for b in at.get(s + 1, []):
                for c in at.get(s + 2, []):
                    runs.setdefault(a + " " + b + " " + c, []).append(s)
    for grouped in (pairs, runs):
        for kept in grouped.values():
            if len(kept) > POSITIONS_KEPT:
                del kept[POSITIONS_KEPT:]
    return text_form(positions), text_form(pairs), text_form(runs)


def _quoted_entries(entries: list[str]) -> str:
    """A tsvector's text form of ``entries`` (each a term and its positions
    after the term's opening quote)."""
    return "'" + " '".join(entries) if entries else ""


def text_form(positions: dict[str, list[int]]) -> str:
    """A tsvector's text form as PostgreSQL writes it: terms in its order
    (their UTF-8 bytes, which is Python's order of strings), each with its
    positions, ascending."""
    at = _AT_POSITION
    numbers = _NUMBERS
    entries: list[str] = []
    for t in sorted(positions):
        kept = positions[t]
        entries.append(t + at[kept[0] - 1] if len(kept) == 1
                       else t + "':" + ",".join([numbers[p] for p in kept]))
    return _quoted_entries(entries)
