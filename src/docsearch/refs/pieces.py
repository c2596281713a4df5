"""Tagging a very long text in pieces, with the result of one pass.

Tagged in one pass, a text of tens of megabytes (a compilation of documents,
a year of a gazette) is held with three views as long as itself (the match
view, its byte codes, the paragraph view) and one record per citation, cue
and date of the whole text at once. :func:`tag_in_pieces` reads it instead
in pieces of about :data:`PIECE_CHARS` characters, cut at line breaks. Each
piece is read with :data:`MARGIN_CHARS` characters of text on either side,
so that whatever the finders and the relation passes look at around a
citation (its date and issuer, its sentence, the citations listed before and
after it, the cue that governs it) is what they see in the whole text; only
the findings that start in the piece itself are kept.

What depends on the whole document is read once or carried along:

* the header's identity and the zones (title, preamble, enacting sentence,
  articles) are read from the head of the text (:data:`HEAD_CHARS`), the
  first article and the enacting heading looked for in the whole text and
  the signature block in its tail; when the preamble runs on past the head,
  a longer head is read;
* a first pass over the pieces keeps only three small tables: which document
  each number means where a citation dates it (a bare mention anywhere takes
  it), how often each place is named (a body named without its place is the
  one of the place named most) and which names the text gives a number;
* the latest full citation of each number, for the short forms after it, and
  the meaning of each number decided so far are carried in reading order;
* what the relation passes decided for each citation is kept as a small
  record, and the relations are gathered when the last piece is read: what
  running text says of a pair counts only where the document's structure
  says nothing stronger of it, anywhere in the text.

Offsets in the result are the whole text's, and the result is the one-pass
result, field by field (tests/test_refs_pieces.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..models import DateMention, Identity, Reference, TagResult
from .find import Mention
from .header import SIGNATURE_REACH, read_identity
from .knowledge import Knowledge
from .relate import Decided, emit, relate_cites
from .structure import Clause, Structure, Zone, lines_folded_head, read_structure
from .tagger import (
    Latest,
    Settled,
    _link_aliases,
    complete_places,
    count_places,
    find_mentions,
    most_named,
    own_place,
    resolve_pass,
    settle_dated,
)

#: About how many characters of a long text one piece keeps the findings of.
PIECE_CHARS = 1_000_000
#: How much text around a piece is read with it. Far more than any finder or
#: relation pass looks around a citation (a few hundred characters; a
#: sentence; a list of thirty lines).
MARGIN_CHARS = 20_000
#: How much of the beginning of a long text the header and the preamble are
#: read from (more when the preamble runs on past it).
HEAD_CHARS = 262_144


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a long text: the findings starting in ``lo:hi`` are kept,
    and ``start:end`` (``lo:hi`` and its margins) is read."""

    start: int
    lo: int
    hi: int
    end: int


def cut(text: str, size: int = PIECE_CHARS, margin: int = MARGIN_CHARS) -> Iterator[Piece]:
    """The pieces of ``text``: about ``size`` characters each, ending after a
    line break where one is near, with at least ``margin`` characters read
    on either side (up to a line start or end where one is near)."""
    n = len(text)
    lo = 0
    while lo < n:
        hi = _line_end(text, min(n, lo + size), size)
        yield Piece(_line_start(text, lo - margin, margin), lo, hi, _line_end(text, min(n, hi + margin), margin))
        lo = hi


def _line_end(text: str, pos: int, reach: int) -> int:
    if pos >= len(text):
        return len(text)
    nl = text.find("\n", pos, pos + reach)
    return pos if nl < 0 else nl + 1


def _line_start(text: str, pos: int, reach: int) -> int:
    if pos <= 0:
        return 0
    nl = text.rfind("\n", max(0, pos - reach), pos)
    return pos if nl < 0 else nl + 1


def tag_in_pieces(text: str, knowledge: Knowledge, *, size: int | None = None, margin: int | None = None,
                  head: int | None = None) -> TagResult | None:
    """:func:`~docsearch.refs.tagger.tag` of an NFC ``text``, read in pieces
    of ``size`` characters with ``margin`` on either side, the header and
    preamble from the first ``head`` (by default :data:`PIECE_CHARS`,
    :data:`MARGIN_CHARS`, :data:`HEAD_CHARS`; see the module docstring).
    None when the whole text would have to be read at once: its preamble runs
    on past the head read four times over, or a sentence with a citation in
    it runs on past a piece's margins."""
    size = PIECE_CHARS if size is None else size
    margin = MARGIN_CHARS if margin is None else margin
    head = HEAD_CHARS if head is None else head
    read = _read_head(text, head, margin)
    if read is None:
        return None
    identity, structure = read
    pieces = list(cut(text, size, margin))
    home = own_place(identity)
    names, settled, counts = _first_pass(text, pieces, identity, knowledge, home is None)
    if home is None:
        home = most_named(counts)
    decided: list[Decided] = []
    dates: list[DateMention] = []
    latest: Latest = {}
    surfaces: dict[str, str] = {}
    # The references of the pieces' own mentions, by start, while a later
    # piece's margin still reads them.
    done: dict[int, Reference | None] = {}
    for p in pieces:
        got = _second_pass(text, p, identity, structure, knowledge, home, names, settled, latest, surfaces, done)
        if got is None:
            return None
        kept_cites, kept_dates, own_done = got
        decided.extend(kept_cites)
        dates.extend(kept_dates)
        done = {k: v for k, v in done.items() if k >= p.start}
        done.update(own_done)
    references, relations = emit(text, decided, identity)
    return TagResult(identity, tuple(references), tuple(dates), tuple(relations))


def _second_pass(text: str, p: Piece, identity: Identity | None, structure: Structure, knowledge: Knowledge,
                 home: str | None,
                 names: dict[str, str], settled: Settled, latest: Latest, surfaces: dict[str, str],
                 done: dict[int, Reference | None]
                 ) -> tuple[list[Decided], list[DateMention], list[tuple[int, Reference | None]]] | None:
    """What piece ``p`` decides for its own citations, its own dates and its
    own mentions' references (by start), updating what is carried; None when
    the sentence of one of its citations reaches the edge of what was read,
    where what is before or after the piece would have to be known."""
    sub = text[p.start:p.end]
    off = p.start
    found = find_mentions(sub, names)
    mentions = [m for m in found.mentions if not _is_header(m, off, identity)]
    _link_aliases(mentions, found.folded)
    complete_places(mentions, home)
    before = [m for m in mentions if m.start + off < p.lo]
    own = [m for m in mentions if p.lo <= m.start + off < p.hi]
    after = [m for m in mentions if m.start + off >= p.hi]
    by_mention = {id(m): done.get(m.start + off) for m in before}
    own_refs = resolve_pass(own, sub, knowledge, settled, names, latest=latest, by_mention=by_mention,
                            surfaces=surfaces, offset=off)
    # The margin after the piece is resolved as the next piece will, from a
    # copy of what is carried: its own turn comes then.
    after_refs = resolve_pass(after, sub, knowledge, {k: dict(v) for k, v in settled.items()}, names,
                              latest=dict(latest), by_mention=by_mention, surfaces=surfaces, offset=off)
    refs = [by_mention[id(m)] for m in before] + own_refs + after_refs
    kept = [(m, r) for m, r in zip(before + own + after, refs, strict=True) if r is not None]
    decided: list[Decided] = []
    if kept:
        cites = relate_cites(sub, found.folded, found.paragraphs, [m for m, _ in kept],
                             [replace(r, start=r.start - off, end=r.end - off) for _, r in kept],
                             identity, breaks=found.breaks, structure=_shifted(structure, p))
        first_open = p.start > 0
        last_open = p.end < len(text)
        for c, (_, r) in zip(cites, kept, strict=True):
            if not p.lo <= r.start < p.hi:
                continue
            if (first_open and c.sentence[0] <= 0) or (last_open and c.sentence[1] >= len(sub)):
                return None
            decided.append(Decided.of(c, r, off))
    dates = [DateMention(d.start + off, d.end + off, d.text, d.date) for d in found.dates
             if p.lo <= d.start + off < p.hi]
    return decided, dates, [(m.start + off, r) for m, r in zip(own, own_refs, strict=True)]


def _is_header(m: Mention, off: int, identity: Identity | None) -> bool:
    """Whether ``m`` carries the number of the text's own header."""
    return (identity is not None and m.number is not None and m.start + off == identity.start
            and m.end + off == identity.end)


def _read_head(text: str, head: int, margin: int) -> tuple[Identity | None, Structure] | None:
    """The identity and zones of ``text``, read from its beginning: from a
    longer beginning while the preamble runs on near its end."""
    n = len(text)
    tail = text[max(0, n - SIGNATURE_REACH):]
    size = head
    while True:
        h = n if size >= n else _line_end(text, size, margin)
        sub = text[:h]
        found = find_mentions(sub)
        lines_folded = lines_folded_head(found.folded, found.breaks)
        identity, _ = read_identity(sub, found.folded, found.full, found.dates, found.paragraphs, lines_folded,
                                    tail=tail)
        structure = read_structure(sub, found.folded, found.paragraphs, identity, lines_folded, whole=text)
        if h == n or _ends_before(structure, h - margin):
            return identity, structure
        if size * 4 >= n:
            return None
        size *= 4


def _ends_before(structure: Structure, limit: int) -> bool:
    """Whether every zone but the articles (which run to the end) and every
    clause of the preamble ends before ``limit``."""
    return (all(z.end < limit for z in structure.zones if z.kind != "articles")
            and all(c.end < limit for c in structure.clauses))


def _shifted(structure: Structure, p: Piece) -> Structure:
    """``structure`` in the offsets of piece ``p``, with the clauses it reads."""
    off = p.start
    return Structure([Zone(z.kind, z.start - off, z.end - off) for z in structure.zones],
                     [Clause(c.start - off, c.end - off, c.relation) for c in structure.clauses
                      if c.end > p.start and c.start < p.end])


def _first_pass(text: str, pieces: list[Piece], identity: Identity | None, knowledge: Knowledge,
                count: bool) -> tuple[dict[str, str], Settled, dict[str, int]]:
    """What the whole text says of its numbers, names and places: which
    document a dated citation means, which names it numbers, and (when
    ``count``) how often it names each place."""
    names: dict[str, str] = {}
    known: dict[str, str] = names  # the names numbered so far, as the finders of a piece see them
    while True:
        settled: Settled = {}
        counts: dict[str, int] = {}
        unlinked: set[str] = set()
        for p in pieces:
            sub = text[p.start:p.end]
            off = p.start
            found = find_mentions(sub, known)
            for key, at in found.named_at.items():
                if p.lo <= at + off < p.hi:
                    names.setdefault(key, found.names[key])
            unlinked |= found.unlinked
            own = [m for m in found.mentions if p.lo <= m.start + off < p.hi and not _is_header(m, off, identity)]
            settle_dated(own, knowledge, settled)
            if count:
                count_places(own, counts)
        # A name in lower case counts only where the text numbers it, and the
        # number may come after it: read again knowing them all.
        if known is not names or not unlinked & names.keys():
            return names, settled, counts
        known = dict(names)
