"""The tagger: find → attach → resolve → relate, over plain strings.

:func:`tag` is the whole pipeline. It works on character offsets into the
text it is given, so ingestion never pays for tokenisation; the spaCy
component in :mod:`docsearch.refs.spacy_component` calls the same function.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..models import DateMention, Identity, Reference, TagResult, new_reference
from .find import (
    Mention,
    attach_congress_term,
    attach_context,
    attach_issuing_clause,
    digit_runs,
    find_dates,
    find_numbers,
    find_short_forms,
)
from .folding import in_nfc
from .grammar import (
    ALIAS,
    SHORT_FORM_TYPES,
    TERM_YEARS,
    fold,
)
from .header import read_identity
from .issuers import Issuer, issuer_named
from .knowledge import Knowledge, KnownDoc
from .layout import match_view, match_view_codes, paragraph_view_breaks
from .named import find_named, fit_to_links, link_names
from .numbers import parse_number
from .relate import relate
from .structure import lines_folded_head

#: Raised whenever what :func:`tag` returns for the same text changes, so that
#: an index re-tags the documents it stored with an earlier tagger.
TAGGER_VERSION = 7

_DEFAULT_KNOWLEDGE: Knowledge | None = None


def default_knowledge() -> Knowledge:
    """The built-in list of central documents, loaded once."""
    global _DEFAULT_KNOWLEDGE
    if _DEFAULT_KNOWLEDGE is None:
        _DEFAULT_KNOWLEDGE = Knowledge.builtin()
    return _DEFAULT_KNOWLEDGE


def tag(text: str, *, lang: str | None = None, knowledge: Knowledge | None = None) -> TagResult:
    """Find, resolve and type every document reference and date in ``text``.

    Offsets in the result index into ``text`` as given. Text that is not in
    NFC is normalised for matching and the offsets are mapped back.
    """
    if not text:
        return TagResult(None, (), (), ())
    # The match view is made first: its codes show most texts to be in NFC
    # (every character one of the folding's alphabet) without the check of
    # every character. A long text is read in pieces, each folded apart.
    view = match_view_codes(text) if len(text) <= LONG_TEXT else None
    if not (view is not None and in_nfc(view[1], len(text))) and not unicodedata.is_normalized("NFC", text):
        return _tag_denormalized(text, lang=lang, knowledge=knowledge)
    return _tag_nfc(text, knowledge or default_knowledge(), view)


def _tag_nfc(text: str, knowledge: Knowledge, view: tuple[str, bytes | None] | None = None) -> TagResult:
    """Tag ``text``, in NFC; ``view`` is its :func:`~.layout.match_view_codes`, if made."""
    if len(text) > LONG_TEXT:
        # A very long text is read in pieces, with the same result (see
        # refs.pieces); None when it cannot be cut.
        from .pieces import tag_in_pieces
        pieced = tag_in_pieces(text, knowledge)
        if pieced is not None:
            return pieced
    found = find_mentions(text, view=view)
    folded, paragraphs, breaks = found.folded, found.paragraphs, found.breaks
    mentions, full, dates = found.mentions, found.full, found.dates
    lines_folded = lines_folded_head(folded, breaks)
    identity, own = read_identity(text, folded, full, dates, paragraphs, lines_folded)
    mentions = [m for m in mentions if m is not own]
    _link_aliases(mentions, folded)
    _complete_places(mentions, identity)
    refs = _resolve(mentions, text, knowledge, identity, found.names)
    kept = [(m, r) for m, r in zip(mentions, refs, strict=True) if r is not None]
    mentions = [m for m, _ in kept]
    references = [r for _, r in kept]
    references, relations = relate(text, folded, paragraphs, mentions, references, identity,
                                   breaks=breaks, lines_folded=lines_folded)
    return TagResult(identity, tuple(references), tuple(dates), tuple(relations))


#: Texts longer than this many characters are tagged in pieces (see
#: :mod:`~docsearch.refs.pieces`).
LONG_TEXT = 4_000_000


@dataclass(slots=True)
class Found:
    """What the finders read in one text (or one piece of a longer one):
    its views, its dates, its full numbers and every mention in text order,
    with the date, body and term written beside each."""

    folded: str
    paragraphs: str
    breaks: list[int]
    dates: list[DateMention]
    full: list[Mention]
    mentions: list[Mention]
    #: Names the text gives a number, key → id (see :func:`~.named.link_names`).
    names: dict[str, str]
    #: Where the first link of each name in ``names`` was found.
    named_at: dict[str, int]
    #: Keys of names in lower case dropped because no number was given them here.
    unlinked: set[str]


def find_mentions(text: str, known_names: dict[str, str] | None = None, *,
                  view: tuple[str, bytes | None] | None = None) -> Found:
    """Run the finders over ``text`` and attach their context to each mention.

    ``known_names`` are names a longer text (of which ``text`` is a piece)
    numbers elsewhere; ``view`` is the text's
    :func:`~docsearch.refs.layout.match_view_codes`, when already made."""
    folded, codes = match_view_codes(text) if view is None else view
    paragraphs, breaks = paragraph_view_breaks(text)
    runs = digit_runs(folded, codes)
    dates = find_dates(folded, text, runs)
    full = find_numbers(folded, text, runs)
    short = find_short_forms(folded, text, full, breaks, runs, codes)
    # Both grow with the text (a run of digits is a tuple) and nothing after
    # the finders reads them: let them go before the passes that hold the
    # findings of the whole text.
    del runs, codes
    named = find_named(folded, text, full + short, breaks)
    weak = {n.key for n in named if n.weak and n.key is not None}
    named_at: dict[str, int] = {}
    names = link_names(named, full, folded, known_names, named_at)
    fit_to_links(named, {**(known_names or {}), **names}, folded, text, full + short, breaks)
    unlinked = weak - {n.key for n in named if n.weak}
    mentions = sorted(full + short + named, key=lambda m: m.start)
    # A date inside a mention's own span (e.g. a number containing a year) is not separate.
    attach_context(mentions, dates, folded, breaks=breaks, text=text)
    attach_issuing_clause(mentions, dates, text, folded, paragraphs)
    attach_congress_term(mentions, folded, breaks)
    _propagate_list_context(mentions, folded)
    return Found(folded, paragraphs, breaks, dates, full, mentions, names, named_at, unlinked)


# --- lists ------------------------------------------------------------------------

_COORD = re.compile(r"[ ,]*(?:(?:va|and|und|sowie|cung|as well as|,)[ ]*)*(?:cac |the |der |die )?$")


def _propagate_list_context(mentions: list[Mention], folded: str) -> None:
    """In "Resolution No. 18-NQ/TW, Resolution No. 19-NQ/TW of the 12th Central
    Executive Committee" the body and term after the last member belong to all
    members; dates do not (each document has its own)."""
    for i in range(len(mentions) - 2, -1, -1):
        a, b = mentions[i], mentions[i + 1]
        # Each document keeps its own date, but a body named after the last
        # member ("…, ngày 30/5/2019, hướng dẫn số 26-HD/BTCTW, ngày 18/10/2019
        # của Bộ Chính trị") is the issuer of the members before it too.
        if a.body and (a.term or a.date):
            continue
        if a.number and b.number and a.number.issuer_code != b.number.issuer_code:
            continue  # "46-CTr/TU và Nghị quyết 03/NQ-CP của Chính phủ": different issuers
        # The next member's span already starts at its type word ("…, Nghị quyết
        # số 19-NQ/TW"), so only linking words may stand between them.
        if not _COORD.match(folded, a.end, b.start):
            continue
        if a.body is None:
            a.body, a.issuer = b.body, a.issuer or b.issuer
        if a.term is None and a.date is None:
            a.term = b.term


# --- aliases: "(sau đây gọi tắt là Nghị quyết 57)" ---------------------------------

def _link_aliases(mentions: list[Mention], folded: str) -> None:
    starts = [m.start for m in mentions]
    for am in ALIAS.finditer(folded):
        i = bisect.bisect_left(starts, am.end())
        if i >= len(mentions) or mentions[i].start > am.end() + 4 or not mentions[i].short:
            continue
        # the nearest full citation that ends before the parenthesis
        j = bisect.bisect_left(starts, am.start()) - 1
        while j >= 0 and (mentions[j].short or mentions[j].end > am.start()):
            j -= 1
        if j >= 0 and am.start() - mentions[j].end < 400:
            mentions[i].alias_target = mentions[j]


_CENTRAL_PARTY = ("politburo", "secretariat", "central_committee")

#: Types a local Party committee numbers as "NUMBER-TYPE/CODE".
_LOCAL_PARTY_TYPES = frozenset({"NQ", "CT", "KL", "QĐ", "KH", "CTr", "HD", "TB"})

# The code in the numbers of a local Party committee's documents, by the
# words its name holds: Tỉnh ủy and Thành ủy number with TU, Huyện ủy with HU,
# Quận ủy with QU. A Thị ủy or a Đảng ủy uses codes of its own choosing.
_COMMITTEE_CODES = (
    (re.compile(r"(?:tinh|thanh) uy|dang bo (?:tinh|thanh pho)"), "TU"),
    (re.compile(r"huyen uy|dang bo huyen"), "HU"),
    (re.compile(r"quan uy|dang bo quan"), "QU"),
)


def _party_committee_code(issuer: Issuer | None) -> str | None:
    """The number code of a provincial or district Party committee named as
    a citation's issuer, None for any other body."""
    if issuer is None or issuer.kind not in ("provincial_party_committee", "district_party_committee"):
        return None
    name = fold(issuer.name)
    for pattern, code in _COMMITTEE_CODES:
        if pattern.search(name):
            return code
    return None


def _issued_by(doc_id: str, kind: str | None, term: int | None) -> bool:
    """Whether a known id can be the document of a citation naming ``kind``
    (and a National Assembly ``term``): its issuer code must fit the body."""
    if kind is None:
        return True
    parsed = parse_number(doc_id)
    code = parsed.issuer_code if parsed else ""
    if kind in _CENTRAL_PARTY:
        return code == "TW"
    if kind == "national_assembly":
        return code.startswith("QH") and (term is None or code == f"QH{term}")
    if kind == "government":
        return code == "CP"
    if kind == "prime_minister":
        return code == "TTg"
    return code != "TW"


def _kind(m: Mention) -> str | None:
    return m.body or (m.issuer.kind if m.issuer else None)


def _place(m: Mention) -> str | None:
    return m.issuer.place if m.issuer else None


def _complete_places(mentions: list[Mention], identity: Identity | None) -> None:
    """A local body named without its place ("của UBND tỉnh", "của Tỉnh ủy")
    is the one of the text's own province: the place of the document's own
    issuer, or else the place the text names most often."""
    home = own_place(identity)
    if home is None:
        counts: dict[str, int] = {}
        count_places(mentions, counts)
        home = most_named(counts)
    complete_places(mentions, home)


def own_place(identity: Identity | None) -> str | None:
    """The place of the document's own issuer, if its header names one."""
    if identity is not None and identity.issuer:
        named = issuer_named(identity.issuer, match_view(identity.issuer))
        return named.place if named else None
    return None


def count_places(mentions: list[Mention], counts: dict[str, int]) -> None:
    """Add how often ``mentions`` name each place to ``counts`` (in the order first named)."""
    for m in mentions:
        if m.issuer is not None and m.issuer.place:
            counts[m.issuer.place] = counts.get(m.issuer.place, 0) + 1


def most_named(counts: dict[str, int]) -> str | None:
    """The place named most often (the first named of those tied)."""
    return max(counts, key=lambda k: counts[k]) if counts else None


def complete_places(mentions: list[Mention], home: str | None) -> None:
    """Give a local body named without its place the place ``home``."""
    if home is None:
        return
    for m in mentions:
        i = m.issuer
        if i is not None and i.place is None and i.kind in _LOCAL_KINDS:
            m.issuer = Issuer(i.kind, f"{i.name} {home}", home)


_LOCAL_KINDS = frozenset({"peoples_committee", "peoples_council", "provincial_party_committee", "department"})


# --- resolution -------------------------------------------------------------------

def _pick(cands: list[KnownDoc], m: Mention) -> tuple[KnownDoc | None, bool]:
    """Choose among known documents sharing a number: (choice, ambiguous)."""
    if len(cands) <= 1:
        return (cands[0] if cands else None), False
    if m.date:
        exact = [c for c in cands if c.date == m.date]
        if exact:
            return exact[0], False
        same_year = [c for c in cands if c.date and c.date.year == m.date.year]
        if len(same_year) == 1:
            return same_year[0], False
        return None, False  # a dated citation of a document we do not know
    if m.year:
        # "Nghị quyết 18 năm 2017": the year written beside it, when it
        # tells the namesakes apart; otherwise it may be a year of events.
        in_year = [c for c in cands if c.date and c.date.year == m.year]
        if len(in_year) == 1:
            return in_year[0], False
    if m.term and m.term in TERM_YEARS:
        lo, hi = TERM_YEARS[m.term]
        in_term = [c for c in cands if c.date and lo <= c.date.year <= hi
                   and not (c.date.year == hi and c.date.month == 1 and hi != lo)]
        if len(in_term) == 1:
            return in_term[0], False
    return None, True


def _settle(doc_id: str, m: Mention, choice: KnownDoc | None, ambiguous: bool,
            settled: dict[str, dict[date, KnownDoc | None]]) -> tuple[KnownDoc | None, bool]:
    """Let earlier dated citations in the same text decide a bare mention.

    A dated or term-qualified citation records which document the number
    meant; a later bare mention takes it when exactly one was recorded so
    far, and stays ambiguous when the text has already cited two documents
    with that number."""
    seen = settled.setdefault(doc_id, {})
    if m.date or m.term or (m.year and choice is not None):
        when = m.date or (choice.date if choice else None)
        if when is not None and not ambiguous:
            seen.setdefault(when, choice)
        return choice, ambiguous
    if len(seen) == 1:
        only = next(iter(seen.values()))
        return only, False
    if len(seen) > 1:
        return None, True
    return choice, ambiguous


def _resolve(mentions: list[Mention], text: str, knowledge: Knowledge,
             identity: Identity | None, names: dict[str, str] | None = None) -> list[Reference | None]:
    # What each id means in this text: a dated or term-qualified citation
    # anywhere fixes the document for the bare mentions of the same number, so
    # a first pass records them all.
    settled: Settled = {}
    settle_dated(mentions, knowledge, settled)
    return resolve_pass(mentions, text, knowledge, settled, names or {})


#: What each number means in a text, from its dated citations (see :func:`_settle`).
Settled = dict[str, dict[date, KnownDoc | None]]
#: The latest full citation of each (number, type), for short forms.
Latest = dict[tuple[str | None, str | None], Reference]


def settle_dated(mentions: list[Mention], knowledge: Knowledge, settled: Settled) -> None:
    """Record in ``settled`` which document each dated or term-qualified citation means."""
    for m in mentions:
        if not (m.date or m.term or m.year) or m.key is not None:
            continue
        if m.number is not None:
            doc_id: str | None = m.number.id
        else:
            ids = [i for i in knowledge.ids_for(m.types, m.num or "") if _issued_by(i, _kind(m), m.term)]
            doc_id = ids[0] if ids else None
        if doc_id is not None:
            choice, ambiguous = _pick(knowledge.candidates(doc_id), m)
            _settle(doc_id, m, choice, ambiguous, settled)


def resolve_pass(mentions: list[Mention], text: str, knowledge: Knowledge, settled: Settled,
                 names: dict[str, str], *, latest: Latest | None = None,
                 by_mention: dict[int, Reference | None] | None = None,
                 surfaces: dict[str, str] | None = None, offset: int = 0) -> list[Reference | None]:
    """Each mention's reference, in text order. A piece of a longer text
    passes what the pieces before it left (``latest``, ``by_mention``,
    ``surfaces``) and where it starts (``offset``, added to every reference's
    span)."""
    out: list[Reference | None] = []
    latest = {} if latest is None else latest
    # Each mention's reference, for aliases that point back at their citation.
    by_mention = {} if by_mention is None else by_mention
    # Equal surfaces become one string: a long text cites the same documents
    # the same way many times, and each reference would hold its own copy.
    surfaces = {} if surfaces is None else surfaces
    for m in mentions:
        span_text = text[m.start:m.end]
        span_text = surfaces.setdefault(span_text, span_text)
        if m.number is not None:
            dn = m.number
            cands = knowledge.candidates(dn.id)
            choice, ambiguous = _pick(cands, m)
            choice, ambiguous = _settle(dn.id, m, choice, ambiguous, settled)
            year = m.date.year if m.date else (dn.year or (choice.date.year if choice and choice.date else m.year))
            # "Nghị quyết số 198/2025/QH15": the National Assembly numbers laws and
            # resolutions alike; the noun says which.
            # A submission numbered with a unit's code alone has its type in the noun.
            doc_type = m.type_word if (dn.type == "L" and m.type_word and m.type_word != "L") or dn.type is None else dn.type
            out.append(new_reference(
                start=m.start + offset, end=m.end + offset, text=span_text, id=dn.id, type=doc_type, number=dn.number,
                issuer_code=dn.issuer_code, year=year, date=m.date, issuer=_kind(m),
                issuer_name=m.issuer.name if m.issuer else None, issuer_place=_place(m),
                short_form=False, status="ambiguous" if ambiguous else "resolved",
                candidates=tuple(c.key for c in cands) if ambiguous else (), term=m.term,
                type_word=m.type_word,
            ))
            latest[(dn.number, dn.type)] = out[-1]  # type: ignore[assignment]
        elif m.key is not None:
            out.append(_resolve_named(m, span_text, names, offset))
        else:
            out.append(_resolve_short(m, by_mention, latest, span_text, knowledge, settled, offset))
        by_mention[id(m)] = out[-1]
    return out


def _resolve_named(m: Mention, span_text: str, names: dict[str, str], offset: int = 0) -> Reference:
    """A document cited by name: the number the text gives that name, if any."""
    doc_id = names.get(m.key or "")
    parsed = parse_number(doc_id) if doc_id else None
    year = m.date.year if m.date else (parsed.year if parsed else None)
    return new_reference(start=m.start + offset, end=m.end + offset, text=span_text, id=doc_id, type=m.type_word,
                         number=parsed.number if parsed else None, issuer_code=parsed.issuer_code if parsed else None,
                         year=year, date=m.date, issuer=_kind(m), short_form=doc_id is not None,
                         status="resolved" if doc_id else "named", term=m.term, type_word=m.type_word,
                         issuer_name=m.issuer.name if m.issuer else None, issuer_place=_place(m),
                         key=m.key if not m.date else f"{m.key}:{m.date.year}")


def _resolve_short(m: Mention, by_mention: dict[int, Reference | None], latest: dict[tuple[str | None, str | None], Reference],
                   span_text: str, knowledge: Knowledge, settled: Settled, offset: int = 0) -> Reference | None:
    base: dict[str, Any] = dict(start=m.start + offset, end=m.end + offset, text=span_text, number=m.num, short_form=True,
                date=m.date, issuer=_kind(m), term=m.term, type_word=m.type_word,
                issuer_name=m.issuer.name if m.issuer else None, issuer_place=_place(m))
    # 1. an explicit alias, 2. an earlier full citation of the same type and number
    earlier: Reference | None = None
    if m.alias_target is not None:
        earlier = by_mention.get(id(m.alias_target))
    if earlier is None:
        kind = _kind(m)
        candidates = [latest[(m.num, t)] for t in m.types if (m.num, t) in latest
                      and _issued_by(latest[(m.num, t)].id or "", kind, m.term)]
        if candidates:
            earlier = max(candidates, key=lambda r: r.start)
    if earlier is not None and earlier.id is not None:
        seen = settled.get(earlier.id, {})
        # An alias ("gọi tắt là Nghị quyết 18") names the one citation it abbreviates.
        several = len(seen) > 1 and not (m.date or m.term) and m.alias_target is None
        return new_reference(id=earlier.id, type=earlier.type, issuer_code=earlier.issuer_code,
                             year=m.date.year if m.date else (None if several else earlier.year),
                             status="ambiguous" if several else earlier.status,
                             candidates=(tuple(f"{earlier.id}@{d.isoformat()}" for d in sorted(seen)) if several
                                         else earlier.candidates),
                             **base)
    if m.weak:
        return None  # "Program 135" with nothing to confirm it: a name, not a citation
    # 3. a known document of that type and number, issued by the body the
    # citation names ("Nghị quyết 15 của Quốc hội khoá XII" is 15/2008/QH12,
    # not 15-NQ/TW); ids_for lists central (TW) documents first.
    kind = _kind(m)
    ids = [i_ for i_ in knowledge.ids_for(m.types, m.num or "") if _issued_by(i_, kind, m.term)]
    # Only types the central bodies issue and cite by bare number default to TW.
    party_types = [t for t in m.types if t in SHORT_FORM_TYPES and t != "NĐ"]
    # Tested without unpacking into a tuple, which mypyc cannot compile (see
    # `make compile-tagger`).
    if not ids and party_types and (kind is None or kind in _CENTRAL_PARTY):
        # 4. a Party type word with no issuer: the central document
        ids = [f"{m.num}-{party_types[0]}/TW"]
    local = _party_committee_code(m.issuer)
    if not ids and local is not None and m.types and m.types[0] in _LOCAL_PARTY_TYPES:
        # 5. a document of a provincial or district Party committee: they
        # number theirs as the centre does, with the committee's code
        # ("Chỉ thị số 17 của Ban Thường vụ Tỉnh ủy" is 17-CT/TU).
        ids = [f"{m.num}-{m.types[0]}/{local}"]
    if not ids:
        return new_reference(id=None, type=m.types[0] if m.types else None, issuer_code=None,
                             status="unresolved", **base)
    doc_id = ids[0]
    cands = knowledge.candidates(doc_id)
    choice, ambiguous = _pick(cands, m)
    choice, ambiguous = _settle(doc_id, m, choice, ambiguous, settled)
    parsed = parse_number(doc_id)
    year = m.date.year if m.date else (choice.date.year if choice and choice.date else m.year)
    return new_reference(id=doc_id, type=parsed.type if parsed else None,
                         issuer_code=parsed.issuer_code if parsed else None, year=year,
                         status="ambiguous" if ambiguous else "resolved",
                         candidates=tuple(c.key for c in cands) if ambiguous else (), **base)


# --- text that is not NFC -------------------------------------------------------------

_CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.S)


def _tag_denormalized(text: str, *, lang: str | None, knowledge: Knowledge | None) -> TagResult:
    """Tag NFC text and map every offset back onto the original (e.g. NFD) text."""
    pieces: list[str] = []
    starts: list[int] = []  # original offset of each NFC character
    for m in _CLUSTER.finditer(text):
        nfc = unicodedata.normalize("NFC", m.group(0))
        for ch in nfc:
            pieces.append(ch)
            starts.append(m.start())
    normalized = "".join(pieces)
    starts.append(len(text))
    inner = _tag_nfc(normalized, knowledge or default_knowledge())

    def at(i: int) -> int:
        return starts[min(i, len(starts) - 1)]

    def span(s: int, e: int) -> tuple[int, int]:
        # The end of a span is the start of the next NFC character in the original.
        return at(s), at(e)

    refs = []
    for r in inner.references:
        s, e = span(r.start, r.end)
        refs.append(replace(r, start=s, end=e, text=text[s:e]))
    dates = []
    for d in inner.dates:
        s, e = span(d.start, d.end)
        dates.append(DateMention(s, e, text[s:e], d.date))
    rels = []
    for rel in inner.relations:
        s, e = span(rel.evidence_start, rel.evidence_end)
        rels.append(replace(rel, evidence_start=s, evidence_end=e))
    ident = inner.self
    if ident is not None:
        s, e = span(ident.start, ident.end)
        ident = replace(ident, start=s, end=e)
    return TagResult(ident, tuple(refs), tuple(dates), tuple(rels))
