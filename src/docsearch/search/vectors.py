"""The tsvectors of a PostgreSQL full-text row, made from its folded words.

A row holds three: the folded words with their positions, the pairs of
neighbouring words (see ``postgres_engine.PAIRS_INDEXES``) and the runs of
three words around a number (``postgres_engine.RUNS_INDEX``), each in
PostgreSQL's binary form of a tsvector, which the server takes as it is
(a parameter sent in binary). An ingest's worker processes make them for
every text they read, so this module is compiled by mypyc where ``make``
can (as the tagger is; see :mod:`docsearch.refs.compiled`): written with
plain lists, dicts and loops, which the compiled code runs about 1.5 times
faster than the interpreter, and with nothing from the rest of the package,
so that its build answers for this file alone.
"""

from __future__ import annotations

import re
from typing import Final

#: The last position a tsvector holds (later words all stand there), and how
#: many positions it keeps of one word: PostgreSQL's limits, which the
#: vectors made here keep as its own to_tsvector does.
LAST_POSITION: Final = 16383
POSITIONS_KEPT: Final = 255

# The binary form of a tsvector: the number of terms (four bytes), then each
# term in the server's order, as its UTF-8 bytes, a zero byte, the number of
# its positions (two bytes) and each position (two bytes; the weight bits
# above it are 0). It is made as a text of one character per byte (each
# character below 256), which one Latin-1 encoding turns into the bytes: a
# term not in ASCII is first written as its UTF-8 bytes' characters (see
# _as_bytes), so that joining texts is all the per-term work.
# Each position's two bytes; and a term's end with one position.
_POSITION: Final = [chr(p >> 8) + chr(p & 255) for p in range(LAST_POSITION + 1)]
_ONE_AT: Final = ["\0\0\1" + _POSITION[p] for p in range(LAST_POSITION + 1)]
#: An empty tsvector in the binary form.
EMPTY: Final = b"\0\0\0\0"
#: The digits a run is made around (in a row's runs here, and in a query's).
RUN_DIGIT: Final = re.compile(r"[0-9]")


def _as_bytes(term: str) -> str:
    """``term`` as one character per byte of its UTF-8 (itself when ASCII).
    Such texts sort as the terms' bytes do, which is the server's order and
    Python's order of the terms themselves."""
    return term if term.isascii() else term.encode("utf-8").decode("latin-1")


def _entry(term: str, kept: list[int]) -> str:
    """One term of the binary form with its positions ``kept``, ascending."""
    if len(kept) == 1:
        return term + _ONE_AT[kept[0]]
    return term + "\0" + _POSITION[len(kept)] + "".join([_POSITION[p] for p in kept])


def _binary(entries: list[str]) -> bytes:
    """The binary form of a tsvector of ``entries``, each a term and its
    positions (see above), in the server's order."""
    return len(entries).to_bytes(4, "big") + "".join(entries).encode("latin-1")


def vectors(terms: list[str], with_pairs: bool = True) -> tuple[bytes, bytes, bytes]:
    """The tsvectors of a document's folded words ``terms``, of the pairs of
    its neighbouring words and of its runs around a number, in PostgreSQL's
    binary form of a tsvector: what ``to_tsvector`` of the words, and the
    pairs and runs made from its positions, give (``tsvectorsend`` writes the
    same bytes). A word beyond LAST_POSITION stands at it, and a term keeps
    its first POSITIONS_KEPT positions. The server takes that form with
    little work: 0.11 ms of its CPU a document of the benchmark's corpus for
    the three, against 0.27 ms for their text form, which it parses, and
    about 2 ms for making them itself. Without ``with_pairs`` the pairs and
    runs are left empty."""
    n = len(terms)
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(terms, 1):
        kept = positions.get(t)
        if kept is None:
            positions[t] = [i]
        else:
            kept.append(i)
    words = terms
    for t in positions:
        if not t.isascii():  # rare in folded words: then every term is written as its bytes
            positions = {_as_bytes(k): kept for k, kept in positions.items()}
            words = [_as_bytes(k) for k in terms]
            break
    plain = n < LAST_POSITION
    if not plain or len(positions) < n:  # keep what the server keeps
        for kept in positions.values():
            if kept[-1] > LAST_POSITION:
                kept[:] = sorted({min(p, LAST_POSITION) for p in kept})
            if len(kept) > POSITIONS_KEPT:
                del kept[POSITIONS_KEPT:]
                plain = False
    if not with_pairs:
        return binary_form(positions), EMPTY, EMPTY
    if not plain:
        return _vectors_apart(positions)
    # Every word at its own position: a pair is a word and the next one in
    # the text. Made with the words, in their order and then that of the
    # words after each, which is the pairs' own order (a term's bytes sort
    # after the space that ends the shorter of two).
    one_at = _ONE_AT
    words_out: list[str] = []
    pairs_out: list[str] = []
    for t in sorted(positions):
        kept = positions[t]
        if len(kept) == 1:
            p = kept[0]
            words_out.append(t + one_at[p])
            if p < n:
                pairs_out.append(t + " " + words[p] + one_at[p])
            continue
        words_out.append(_entry(t, kept))
        after: dict[str, list[int]] = {}
        for p in kept:
            if p < n:
                following = words[p]
                got = after.get(following)
                if got is None:
                    after[following] = [p]
                else:
                    got.append(p)
        for b in sorted(after):
            pairs_out.append(_entry(t + " " + b, after[b]))
    starts: set[int] = set()
    for t, kept in positions.items():
        if RUN_DIGIT.search(t) is not None:
            for p in kept:
                for s in (p - 2, p - 1, p):
                    if 1 <= s <= n - 2:
                        starts.add(s)
    runs: dict[str, list[int]] = {}
    for s in sorted(starts):
        run = words[s - 1] + " " + words[s] + " " + words[s + 1]
        got = runs.get(run)
        if got is None:
            runs[run] = [s]
        else:
            got.append(s)
    return _binary(words_out), _binary(pairs_out), binary_form(runs)


def _vectors_apart(positions: dict[str, list[int]]) -> tuple[bytes, bytes, bytes]:
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
    return binary_form(positions), binary_form(pairs), binary_form(runs)


def binary_form(positions: dict[str, list[int]]) -> bytes:
    """A tsvector's binary form: the terms (each as :func:`_as_bytes` gives
    it) in the server's order, each with its positions, ascending."""
    return _binary([_entry(t, positions[t]) for t in sorted(positions)])
