"""Which document each mention of a number means.

A number names one document most of the time, but not always: Party
numbering restarts every term (``18-NQ/TW`` of 2017 and of 2022), State
administrative numbering every year, and ``46-CTr/TU`` says nothing about
the province. The :class:`Resolver` gathers, for each id, the documents it
can stand for (the candidates): the built-in list and the user's registry
(through :class:`~docsearch.refs.Knowledge`), the stored texts whose header
carries the id, and the dates citations give. A mention is then attached to
one candidate using, in order, the date next to it, the year or term the
tagger resolved, the date of the text that mentions it (a text cannot cite a
later document), the dates that text mentions, the place of the issuing body
named with the number, and the places named near it. When
nothing decides, the mention goes to an ``<id>@?`` marker rather than to a
guess.

Everything is loaded on demand, in batches, for the ids a query touches, so a
query on a large store reads only what it needs.
"""

from __future__ import annotations

import datetime
import gc
import json
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from ..extract.base import page_at
from ..i18n import phrase
from ..models import Identity, Reference
from ..refs import Knowledge, KnownDoc, fold, parse_number, tag
from ..refs.grammar import ISSUER_LEVEL, TERM_YEARS
from ..refs.tagger import default_knowledge
from ..store import Citation, GraphDocRow, NodeRow, RelationRow, ResolvedEdgeRow, Store, WrittenTags
from . import assemble
from .model import AmbiguousDocument, BadQuery, Edge, Node, UnknownDocument, namesakes

#: Issuing-body words of the tagger and the built-in list, as people write them.
BODY_NAMES: dict[str, str] = {
    "politburo": "Bộ Chính trị",
    "secretariat": "Ban Bí thư",
    "central_committee": "Ban Chấp hành Trung ương",
    "prime_minister": "Thủ tướng Chính phủ",
    "government": "Chính phủ",
    "national_assembly": "Quốc hội",
    "provincial_party_committee": "Tỉnh ủy",
    "peoples_committee": "Ủy ban nhân dân",
}

#: Issuer codes that name exactly one body, so the number alone says who issued it.
_CODE_BODIES: dict[str, str] = {"CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ"}
_NATIONAL_ASSEMBLY = re.compile(r"QH\d{1,2}")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

def body_name(value: str | None) -> str | None:
    """A body token (``politburo``) as a name (``Bộ Chính trị``); names pass through."""
    if value is None:
        return None
    return BODY_NAMES.get(value, value)


def bare_number(words: str, knowledge: Knowledge) -> Reference | None:
    """``words`` as the tagger reads a document number standing alone, when
    they are one exactly as docsearch writes it (``57-NQ/TW``,
    ``13/2023/NĐ-CP``): parsed by the grammar of numbers, without the
    tagger's patterns (compiled on their first use in a process, 0.1-0.2 s).
    None for anything else (``Resolution 57``, ``18-NQ/TW 2017``), which the
    tagger reads. Like the tagger, a number the built-in list or the registry
    knows once takes that document's year; one it knows several times is
    ambiguous."""
    dn = parse_number(words)
    if dn is None or dn.id != words:
        return None
    known = knowledge.candidates(dn.id)
    only = known[0] if len(known) == 1 else None
    year = dn.year or (only.date.year if only is not None and only.date else None)
    return Reference(
        start=0, end=len(words), text=words, id=dn.id, type=dn.type, number=dn.number,
        issuer_code=dn.issuer_code, year=year, status="ambiguous" if len(known) > 1 else "resolved",
        candidates=tuple(k.key for k in known) if len(known) > 1 else (),
    )


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def identity_from_json(raw: str | None) -> Identity | None:
    """The :class:`Identity` stored as JSON in ``documents.self_json``."""
    if not raw:
        return None
    d = json.loads(raw)
    # A settle holds the headers of every text of the numbers it weighs
    # (tens of thousands in a large store), whose number, kind, issuing body
    # and place repeat from text to text: one string each.
    return Identity(
        id=sys.intern(d["id"]), type=_shared(d.get("type")), issuer=_shared(d.get("issuer")),
        date=_date(d.get("date")), issuer_code=_shared(d.get("issuer_code")), title=d.get("title"),
        place=_shared(d.get("place")),
    )


def _shared(value: str | None) -> str | None:
    return sys.intern(value) if value is not None else None


def node_from_row(r: NodeRow) -> Node:
    """A stored node (see :meth:`Store.resolved_nodes`) as a :class:`Node`."""
    doc_ids = assemble.doc_ids_of(r.doc_ids)
    return assemble.node(
        r.key, r.id, r.type, r.issuer_code, r.level, r.issuer, r.issuer_source, _date(r.date), r.date_source,
        r.title, r.place, r.status, doc_ids, assemble.paths_of(r.paths) if doc_ids else (), bool(r.ambiguous),
        tuple(json.loads(r.candidates)) if r.candidates != "[]" else (),
    )


def node_row(n: Node) -> NodeRow:
    """A :class:`Node` as the store keeps it."""
    return NodeRow(n.key, n.id, n.type, n.issuer_code, n.level, n.issuer, n.issuer_source,
                   n.date.isoformat() if n.date else None, n.date_source, n.title, n.place, n.status,
                   ",".join(str(d) for d in n.doc_ids), json.dumps(list(n.paths), ensure_ascii=False),
                   int(n.ambiguous), json.dumps(list(n.candidates), ensure_ascii=False) if n.candidates else "[]")


@contextmanager
def many_objects() -> Iterator[None]:
    """Many small objects made at once: the cycle collector would walk the
    growing heap again and again meanwhile (a quarter of the time), and none
    of them is garbage yet.

    When the block ends, what it made is moved to the oldest generation
    unexamined (``freeze`` then ``unfreeze``): otherwise the first
    collections after it walk every one of them twice over, about as long
    again as making them (1 s after a coverage matrix of 30,000 cells).
    Cycles among them are still found by the next full collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _first(records: Sequence[object], attr: str) -> str | None:
    for r in records:
        value = getattr(r, attr)
        if value:
            return str(value)
    return None


def _values(records: Sequence[object], attr: str, source: str,
            convert: Callable[[str | None], str | None] | None = None) -> list[tuple[str, str]]:
    out = []
    for r in records:
        value = getattr(r, attr)
        if convert is not None:
            value = convert(value)
        if value:
            out.append((value, source))
    return out


_PAGES: dict[str, tuple[int, ...]] = {}


class DocInfo:
    """What the graph needs of a stored text: where it is, its pages and
    header. The header and page list are decoded on first use."""

    __slots__ = ("doc_id", "path", "self_id", "_pages_raw", "_self_raw", "_identity", "_identity_read", "_pages")

    def __init__(self, doc_id: int, path: str, pages_raw: str, self_id: str | None, self_raw: str | None) -> None:
        self.doc_id = doc_id
        self.path = path
        self.self_id = self_id
        self._pages_raw = pages_raw
        self._self_raw = self_raw
        self._identity: Identity | None = None
        self._identity_read = False  # None is a valid header value: no header
        self._pages: tuple[int, ...] | None = None

    @property
    def identity(self) -> Identity | None:
        """The header, if the text has one."""
        if not self._identity_read:
            raw = self._self_raw
            if raw is None and self._identity_read:
                return self._identity  # another thread read it meanwhile, and let go of the text
            self._identity = identity_from_json(raw)
            self._identity_read = True
            self._self_raw = None  # read once: a settle holds the headers of tens of thousands of namesakes
        return self._identity

    @property
    def page_starts(self) -> tuple[int, ...]:
        if self._pages is None:
            # Most texts share a handful of page lists ("[0]"): decode each once.
            cached = _PAGES.get(self._pages_raw)
            if cached is None:
                cached = tuple(json.loads(self._pages_raw))
                if len(_PAGES) < 10000:
                    _PAGES[self._pages_raw] = cached
            self._pages = cached
        return self._pages

    def page(self, offset: int) -> int:
        """1-based page of an offset (as :meth:`Document.page_of`)."""
        return page_at(self.page_starts, offset)


#: What a candidate without records or citations holds: one empty mapping
#: shared by all (a settle holds tens of thousands of candidates, most with
#: neither, and an empty list or dict each cost a tenth of their memory).
_NO_COUNTS: Mapping[Any, int] = MappingProxyType({})


def _no_counts() -> Mapping[Any, int]:
    return _NO_COUNTS


@dataclass(slots=True)
class _Cand:
    """One document an id can stand for, while it is being assembled.

    Its records and counts start as shared empty values: add to them with
    :meth:`add_record`, :meth:`cite` and :meth:`cite_body`."""

    # datetime.date, spelled out: inside this body the field ``date`` hides the class.
    id: str
    date: datetime.date | None
    headers: list[tuple[int, Identity]] = field(default_factory=list)
    registry: Sequence[KnownDoc] = ()
    builtin: Sequence[KnownDoc] = ()
    cited_dates: Mapping[datetime.date, int] = field(default_factory=_no_counts)
    cited_bodies: Mapping[str, int] = field(default_factory=_no_counts)
    from_citation: bool = False
    key: str = ""
    #: The places of its texts' headers, folded, for a local number with
    #: namesakes: made once when the candidates are gathered, as a settle
    #: compares them with every mention of such an id (a fold each time was
    #: a fifth of a settle at 100,000 documents).
    folded_places: tuple[str, ...] = ()

    def add_record(self, kd: KnownDoc, *, registry: bool) -> None:
        """Add a record of the registry (``registry``) or of the built-in list
        (a candidate has a few of each at most)."""
        if registry:
            self.registry = [*self.registry, kd]
        else:
            self.builtin = [*self.builtin, kd]

    def cite(self, when: datetime.date, n: int) -> None:
        """Record that ``n`` citations give this candidate's number the date ``when``."""
        counts = self.cited_dates
        if isinstance(counts, dict):
            counts[when] = n
        else:
            self.cited_dates = {**counts, when: n}

    def cite_body(self, body: str, n: int) -> None:
        """Record ``n`` more citations naming ``body`` as the issuing body."""
        counts = self.cited_bodies
        if isinstance(counts, dict):
            counts[body] = counts.get(body, 0) + n
        else:
            self.cited_bodies = {**counts, body: n}


class _Resolved:
    """What resolvers found in one state of one store: candidates, nodes,
    texts' headers and dates, resolved edges. Every value depends only on
    the store's content and the built-in list, so resolvers of an unchanged
    store share it (see :func:`shared_state`)."""

    def __init__(self, marker: tuple[object, ...] | None) -> None:
        self.marker = marker
        self.lock = threading.RLock()
        self.cands: dict[str, list[_Cand]] = {}
        self.by_key: dict[str, _Cand] = {}
        self.docs: dict[int, DocInfo] = {}
        self.own: dict[int, str] = {}
        self.nodes: dict[str, Node] = {}
        self.text_dates: dict[int, list[date]] = {}
        self.numbers: dict[str, tuple[str | None, str | None]] = {}
        self.places: dict[str, frozenset[str]] = {}
        self.linked: dict[tuple[str, str, tuple[str, ...] | None], list[Edge]] = {}
        self.hints: dict[tuple[int, str], list[tuple[int, int | None, int | None]]] = {}
        self.citations: dict[str, list[Citation]] = {}
        self.targets: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
        self.results: OrderedDict[tuple[object, ...], object] = OrderedDict()


#: Where a basis (:meth:`Resolver.choose_kept`) is kept: the id, the text,
#: "r" for a relation's end or "c" for a citation, the span the choice read
#: (a relation's sentence, a citation's own words) and the place named with
#: the number ("" for none).
BasisKey = tuple[str, int, str, int, int, str]

#: Read the store's resolution when it is current (benchmarks turn this off
#: to time resolving everything in Python, as a store not yet resolved does).
USE_STORED = True

#: Whole query results (implementers, coverage matrices) kept per store state.
KEPT_RESULTS = 64

#: Stores whose resolved state is kept, most recently used last.
KEPT_STORES = 4
_SHARED: OrderedDict[str, _Resolved] = OrderedDict()
_SHARED_LOCK = threading.Lock()


def shared_state(store: Store) -> _Resolved:
    """The resolved state of ``store`` as it is now: the one kept from an
    earlier query while the store's change marker is the same, else a new,
    empty one (the old one is dropped)."""
    marker = store.change_marker()
    slot = str(store.path)
    with _SHARED_LOCK:
        state = _SHARED.get(slot)
        if state is None or state.marker != marker:
            state = _SHARED[slot] = _Resolved(marker)
        _SHARED.move_to_end(slot)
        while len(_SHARED) > KEPT_STORES:
            _SHARED.popitem(last=False)
    return state


#: The issuing bodies of the stored headers, per store file: (change marker,
#: bodies); kept by graph.query.committees.
HEADER_BODIES: dict[str, tuple[tuple[object, ...], tuple[tuple[str, str | None], ...]]] = {}


def forget_resolved() -> None:
    """Drop every kept state, so the next query starts cold (benchmarks)."""
    with _SHARED_LOCK:
        _SHARED.clear()
        HEADER_BODIES.clear()

#: Between the parts of a kept basis (a character no date, number or place holds).
_SEP = "\x1f"

#: A text mentioning more dates than this keeps no basis for its mentions:
#: each would hold them all (a 50 MB text mentions tens of thousands).
KEPT_DATES = 64


class _NotKept(Exception):
    """A kept basis lacks what the choice among the present candidates reads."""


class _Mention:
    """What choosing among namesakes reads of one mention besides the
    candidates, asked for step by step (:meth:`Resolver._decide`)."""

    __slots__ = ()
    in_text: bool  # the mention is in a stored text (its date, dates and places count)
    place: str | None  # the place of the issuing body named with the number

    def hint(self) -> tuple[int | None, int | None]:
        """The year and the term read beside the number."""
        raise NotImplementedError

    def own(self) -> date | None:
        """The date of the text the mention is in."""
        raise NotImplementedError

    def mentioned(self) -> frozenset[date]:
        """The dates that text mentions."""
        raise NotImplementedError

    def context(self) -> str:
        """The folded words around the mention, with the text's issuing body and place."""
        raise NotImplementedError


class _Reading(_Mention):
    """A mention's inputs read from its text through the resolver, each at
    most once, and kept for its basis (:meth:`Resolver.choose_kept`)."""

    __slots__ = ("res", "ref_id", "doc", "span", "year", "term", "place", "in_text", "_hint", "_context")

    def __init__(self, res: Resolver, ref_id: str, doc: DocInfo | None, span: tuple[int, int] | None,
                 year: int | None, term: int | None, place: str | None) -> None:
        self.res = res
        self.ref_id = ref_id
        self.doc = doc
        self.span = span
        self.year = year
        self.term = term
        self.place = place
        self.in_text = doc is not None
        self._hint: tuple[int | None, int | None] | None = None
        self._context: str | None = None

    def hint(self) -> tuple[int | None, int | None]:
        if self._hint is None:
            doc, span = self.doc, self.span
            if doc is not None and span is not None and self.year is None and self.term is None:
                self._hint = self.res._ref_hint(doc.doc_id, self.ref_id, span)
            else:
                self._hint = (self.year, self.term)
        return self._hint

    def own(self) -> date | None:
        ident = self.doc.identity if self.doc is not None else None
        return ident.date if ident is not None else None

    def mentioned(self) -> frozenset[date]:
        return self.res.mentioned_dates(self.doc.doc_id) if self.doc is not None else frozenset()

    def context(self) -> str:
        if self._context is None:
            self._context = self.res._context(self.doc, self.span) if self.doc is not None else ""
        return self._context

    def basis(self) -> str | None:
        """What was read, as text (:data:`_SEP` between the year and the
        term, "?" for both when they were not read, the text's date, the
        dates it mentions, whether the words around the mention were read,
        the place named with the number and those words), or None when it
        is not kept: a place that cannot be written so, or a text mentioning
        more dates than :data:`KEPT_DATES` (a long text's mentions are
        resolved with it)."""
        place = self.place or ""
        dates = self.res.kept_dates(self.doc.doc_id) if self.doc is not None else ""
        if _SEP in place or dates is None:
            return None
        own = self.own()
        context = self._context
        if self._hint is None:
            year = term = "?"
        else:
            year = "" if self._hint[0] is None else str(self._hint[0])
            term = "" if self._hint[1] is None else str(self._hint[1])
        return _SEP.join((year, term, own.isoformat() if own else "", dates, "0" if context is None else "1", place,
                          context or ""))


class _Kept(_Mention):
    """A mention's inputs from its kept basis (:meth:`_Reading.basis`)."""

    __slots__ = ("_parts", "in_text", "place")

    def __init__(self, basis: str) -> None:
        self._parts = basis.split(_SEP, 6)
        self.in_text = True
        self.place = self._parts[5] or None

    def hint(self) -> tuple[int | None, int | None]:
        year, term = self._parts[0], self._parts[1]
        if year == "?":
            raise _NotKept
        return (int(year) if year else None), (int(term) if term else None)

    def own(self) -> date | None:
        own = self._parts[2]
        return date.fromisoformat(own) if own else None

    def mentioned(self) -> frozenset[date]:
        listed = self._parts[3]
        return frozenset(date.fromisoformat(d) for d in listed.split(",")) if listed else frozenset()

    def context(self) -> str:
        if self._parts[4] != "1":
            raise _NotKept
        return self._parts[6]


class Resolver:
    """Candidates and choices for the ids a query touches.

    A resolver reads the store as it is when asked. What it finds is kept
    and shared by the resolvers of the same store until the store changes
    (:meth:`Store.change_marker`), so a long-running process (the web
    application) resolves each document once; ``shared=False`` (or a
    knowledge of one's own) keeps it to this instance, as a site build or a
    whole-graph export does (the whole graph is not worth keeping after).
    ``titles=False`` (which keeps it to this instance too) reads and holds
    the texts' headers without their titles, which only the nodes made
    read: the caller reads them for those first (:meth:`load_titles`), as a
    settle does, which reads the header of every text of the numbers it
    weighs.
    """

    def __init__(self, store: Store, knowledge: Knowledge | None = None, *, shared: bool = True,
                 stored: bool = True, titles: bool = True) -> None:
        self.store = store
        self.knowledge = knowledge or default_knowledge()
        # The resolution the store holds answers edges and nodes when it is
        # current and made with the same knowledge (see graph.stored);
        # ``stored=False`` resolves everything here (what graph.stored does).
        self._stored: bool | None = (None if stored and USE_STORED and self.knowledge is default_knowledge()
                                     else False)
        state = shared_state(store) if shared and titles and knowledge is None else _Resolved(None)
        self._titled = titles
        # The titles read for texts held without them (see load_titles).
        self._titles: dict[int, str | None] = {}
        self._state = state
        self._cands = state.cands
        self._by_key = state.by_key
        self._docs = state.docs
        self._own = state.own
        self._nodes = state.nodes
        self._text_dates = state.text_dates
        self._numbers = state.numbers
        self._places = state.places
        self._linked = state.linked
        self._hints = state.hints
        # Texts whose every citation hint is in ``_hints`` (see take_written).
        self._complete: set[int] = set()
        # The texts the store's last batch wrote, as written (see take_written),
        # and the words around mentions in other texts (see load_contexts).
        self._texts: dict[int, str] = {}
        self._slices: dict[tuple[int, int, int], str] = {}
        # The (text, id) pairs whose hints were read from the store (see let_go_of_mentions).
        self._read_hints: list[tuple[int, str]] = []
        self._date_sets: dict[int, frozenset[date]] = {}
        self._kept_dates: dict[int, str | None] = {}
        self._citations = state.citations
        self._targets = state.targets
        # Per id gathered here: whether the registry or the built-in list has
        # a record of it (see listed).
        self._listed: dict[str, bool] = {}

    # -- loading ---------------------------------------------------------------------
    def load_docs(self, doc_ids: Iterable[int]) -> None:
        """Read path, pages and header of the given stored texts."""
        docs = self._docs
        todo = [d for d in set(doc_ids) if d not in docs]
        if todo:
            for row in self.store.graph_documents(todo, titles=self._titled):
                self._remember_doc(row)

    def _remember_doc(self, row: GraphDocRow) -> DocInfo:
        info = self._docs.get(row.doc_id)
        if info is None:
            # The number and the page list ("[0]" for most) repeat from text
            # to text: one string each (a settle holds tens of thousands).
            pages = sys.intern(row.page_starts) if len(row.page_starts) < 24 else row.page_starts
            info = DocInfo(row.doc_id, row.path, pages, _shared(row.self_id), row.self_json)
            self._docs[info.doc_id] = info
        return info

    def load_titles(self, doc_ids: Iterable[int]) -> None:
        """Read at once the titles of the given texts held without them
        (see ``titles``), for the nodes about to be made of them."""
        if self._titled:
            return
        docs, titles = self._docs, self._titles
        todo = [d for d in set(doc_ids) if d not in titles and d in docs]
        for row in self.store.graph_documents(todo):
            ident = identity_from_json(row.self_json)
            titles[row.doc_id] = ident.title if ident is not None else None

    def let_go_of_titles(self) -> None:
        """Forget the titles read by :meth:`load_titles`."""
        self._titles.clear()

    def let_go_of_texts(self, doc_ids: Iterable[int]) -> None:
        """Forget what was read of the stored texts ``doc_ids``: their paths,
        pages, headers and mentioned dates, read again if asked for. A whole
        store's resolution goes through its texts a part at a time and needs
        each part's only while resolving it."""
        if self._state.marker is not None:
            return  # shared with other resolvers, which may still want them
        for doc_id in doc_ids:
            self._docs.pop(doc_id, None)
            self._text_dates.pop(doc_id, None)
        self._date_sets.clear()
        self._kept_dates.clear()

    def let_go_of_nodes(self) -> None:
        """Forget the nodes made so far (made again if asked for again), when
        this resolver's state is its own: a settle writes each node once, and
        holding them with their titles to its end was a fifth of what the
        resolution of a whole store of 100,000 texts held."""
        if self._state.marker is None:
            self._nodes.clear()

    def _title(self, doc_id: int, ident: Identity) -> str | None:
        """The title of the header ``ident`` of the stored text ``doc_id``."""
        if self._titled:
            return ident.title
        if doc_id not in self._titles:
            self.load_titles([doc_id])
        return self._titles.get(doc_id)

    def doc(self, doc_id: int) -> DocInfo:
        """A stored text (loaded on first use); KeyError when there is none."""
        if doc_id not in self._docs:
            self.load_docs([doc_id])
        return self._docs[doc_id]

    def find_doc(self, doc_id: int) -> DocInfo | None:
        """A stored text, or None when the store has no such document."""
        try:
            return self.doc(doc_id)
        except KeyError:
            return None

    def prepare(self, ids: Iterable[str]) -> None:
        """Gather the candidates of every id not seen yet, in batches."""
        todo = sorted({i for i in ids if i and i not in self._cands})
        if not todo:
            return
        with self._state.lock:
            self._prepare(todo)

    def _prepare(self, ids: list[str]) -> None:
        todo = [i for i in ids if i not in self._cands]  # another thread may have done some
        registry: dict[str, list[KnownDoc]] = {}
        for e in self.store.registry_entries(todo):
            registry.setdefault(e.id, []).append(KnownDoc(
                e.id, e.type, e.issuer_code, e.date, issuer=e.issuer, title=e.title, status=e.status,
                replaced_by=e.replaced_by, origin="registry",
            ))
        stored: dict[str, list[DocInfo]] = {}
        for row in self.store.graph_documents_named(todo, titles=self._titled):
            stored.setdefault(row.self_id or "", []).append(self._remember_doc(row))
        # Every citation is a ref row, and a relation's target date is its
        # ref's date: the refs alone give the dates and bodies cited.
        cited: dict[str, list[tuple[date | None, int | None, str | None, int]]] = {}
        for form in self.store.cited_forms(todo):
            cited.setdefault(form.ref_id, []).append((form.date, form.year, form.issuer, form.citations))
        for doc_id in todo:
            self._cands[doc_id] = self._build(
                doc_id, registry.get(doc_id, []), stored.get(doc_id, []), cited.get(doc_id, []),
            )
            self._listed[doc_id] = bool(registry.get(doc_id)) or bool(self.knowledge.candidates(doc_id))

    def _build(self, doc_id: str, registry: list[KnownDoc], stored: list[DocInfo],
               cited: list[tuple[date | None, int | None, str | None, int]]) -> list[_Cand]:
        dates: dict[date, int] = {}
        for when, _, _, n in cited:
            if when is not None:
                dates[when] = dates.get(when, 0) + n
        builtin = self.knowledge.candidates(doc_id)
        headers = [(d.doc_id, d.identity) for d in stored if d.identity is not None]
        cands = self._simple(doc_id, builtin, registry, headers, dates)
        if cands is None:
            cands = self._general(doc_id, builtin, registry, headers, dates)
        # Only a choice among the namesakes of a local number compares places.
        placed = len(cands) > 1 and self._local(doc_id)
        for c in cands:
            if placed:
                c.folded_places = tuple(sys.intern(fold(ident.place)) for _, ident in c.headers if ident.place)
            if len(cands) == 1:
                c.key = doc_id
            elif c.date is not None:
                c.key = f"{doc_id}@{c.date.isoformat()}"
            elif c.headers:
                c.key = f"{doc_id}@#{c.headers[0][0]}"
            else:
                c.key = f"{doc_id}@undated"
            self._by_key[c.key] = c
            for doc, _ in c.headers:
                self._own[doc] = c.key
        # Which body the citations name, per candidate when they tell them apart.
        for when, year, body, n in cited:
            if body:
                cited_cand = self._pick(cands, when, year)
                if cited_cand is not None:
                    cited_cand.cite_body(body, n)
        return cands

    @staticmethod
    def _simple(doc_id: str, builtin: list[KnownDoc], registry: list[KnownDoc],
                headers: list[tuple[int, Identity]], dates: dict[date, int]) -> list[_Cand] | None:
        """The usual case, decided without merging: one stored text or one
        listed document, and citations that all fall in its year."""
        if len(builtin) + len(registry) + len(headers) > 1:
            return None
        if headers:
            when = headers[0][1].date
        elif builtin or registry:
            when = (builtin or registry)[0].date
        else:
            when = max(dates, key=lambda d: (dates[d], d)) if dates else None
        if when is None:
            return None
        for d in dates:
            if d.year != when.year:
                return None
        return [_Cand(doc_id, when, headers=headers, registry=registry or (), builtin=builtin or (),
                      cited_dates=dates or _NO_COUNTS, from_citation=not (headers or builtin or registry))]

    def _general(self, doc_id: str, builtin: list[KnownDoc], registry: list[KnownDoc],
                 headers: list[tuple[int, Identity]], dates: dict[date, int]) -> list[_Cand]:
        # Known documents first, merged the way the tagger merges them.
        k = Knowledge()
        for kd in builtin:
            k.add(kd)
        for kd in registry:
            k.add(kd)
        dated = [(d, i) for d, i in headers if i.date is not None]
        undated = [(d, i) for d, i in headers if i.date is None]
        for _, ident in dated:
            k.add(KnownDoc(ident.id, ident.type, ident.issuer_code or "", ident.date,
                           issuer=ident.issuer, title=ident.title, origin="store"))
        cands = [_Cand(doc_id, kd.date) for kd in k.candidates(doc_id)]

        def home(when: date | None) -> _Cand | None:
            for c in cands:
                if c.date == when:
                    return c
            # An undated record was merged into the first candidate (as Knowledge.add does).
            return cands[0] if cands and when is None else None

        for kd in builtin:
            c = home(kd.date)
            if c is not None:
                c.add_record(kd, registry=False)
        for kd in registry:
            c = home(kd.date)
            if c is not None:
                c.add_record(kd, registry=True)
        for doc, ident in dated:
            c = home(ident.date)
            if c is not None:
                c.headers.append((doc, ident))
        for doc, ident in undated:
            target = cands[0] if len(cands) == 1 else None
            if target is None and cands:
                # A header without a readable date: its own text's first date
                # that some candidate carries tells which one it is.
                by_date = {c.date: c for c in cands if c.date}
                target = next((by_date[x] for x in self.text_dates(doc) if x in by_date), None)
            if target is None:
                target = _Cand(doc_id, None)
                cands.append(target)
            target.headers.append((doc, ident))

        # Dates that citations give: the same document, or a namesake nobody listed.
        for when, n in sorted(dates.items(), key=lambda kv: (-kv[1], kv[0])):
            exact = [c for c in cands if c.date == when]
            if exact:
                exact[0].cite(when, n)
                continue
            same_year = [(c, c.date) for c in cands if c.date and c.date.year == when.year]
            if same_year:
                # A day off within the same year: a slip in one text, not
                # another document; it shows as a conflict.
                nearest, _ = min(same_year, key=lambda cd: abs((cd[1] - when).days))
                nearest.cite(when, n)
                continue
            if len(cands) == 1 and cands[0].date is None:
                cands[0].date = when
                cands[0].from_citation = not (cands[0].headers or cands[0].builtin or cands[0].registry)
                cands[0].cite(when, n)
                continue
            cands.append(_Cand(doc_id, when, cited_dates={when: n}, from_citation=True))
        cands.sort(key=lambda c: (c.date is None, c.date or date.min))
        return cands

    @staticmethod
    def _pick(cands: list[_Cand], when: date | None, year: int | None) -> _Cand | None:
        if len(cands) == 1:
            return cands[0]
        if when is not None:
            exact = [c for c in cands if c.date == when or when in c.cited_dates]
            if len(exact) == 1:
                return exact[0]
            year = year or when.year
        if year is not None:
            same = [c for c in cands if c.date and c.date.year == year]
            if len(same) == 1:
                return same[0]
        return None

    def _ensure(self, doc_id: str) -> list[_Cand]:
        if doc_id not in self._cands:
            self.prepare([doc_id])
        cands = self._cands[doc_id]
        if not cands:
            with self._state.lock:
                if not cands:
                    # Cited, but never with a date or an issuing body, and not known otherwise.
                    c = _Cand(doc_id, None, from_citation=True, key=doc_id)
                    cands.append(c)
                    self._by_key[doc_id] = c
        return cands

    def listed(self, doc_id: str) -> bool:
        """Whether the registry or the built-in list has a record of
        ``doc_id`` (True when its candidates were not gathered here)."""
        return self._listed.get(doc_id, True)

    def node_stays(self, c: _Cand) -> bool:
        """Whether the node of candidate ``c`` reads nothing but its key, its
        date and its texts' headers and paths: no record of the registry or
        the built-in list, and an issuing body from a header (not from the
        citations, which change as texts arrive)."""
        return not c.registry and not c.builtin and any(ident.issuer for _, ident in c.headers)

    def load_contexts(self, spans: Iterable[tuple[int, int, int]]) -> None:
        """Read at once the words of each (text, start, end) of ``spans`` that
        mentions an id with namesakes told apart by place (see :meth:`_context`),
        instead of one read each (a round trip each on a server)."""
        todo = {s for s in spans if s[0] not in self._texts and s not in self._slices}
        if todo:
            self._slices.update(self.store.text_slices(todo))

    def placed_namesakes(self, doc_id: str) -> bool:
        """Whether choosing among the candidates of ``doc_id`` may read the
        words around a mention: a local number with namesakes."""
        return len(self._ensure(doc_id)) > 1 and self._local(doc_id)

    def _local(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is a number of a local body (they repeat across provinces)."""
        return ISSUER_LEVEL.get(self._number(doc_id)[1] or "") != "central"

    def load_text_dates(self, doc_ids: Iterable[int]) -> None:
        """Read at once the dates the given stored texts mention: one
        statement per few hundred texts instead of one per text that
        :meth:`choose` comes to ask."""
        todo = [d for d in set(doc_ids) if d not in self._text_dates]
        if todo:
            found = self.store.text_dates(todo)
            for doc_id in todo:
                self._text_dates[doc_id] = found.get(doc_id, [])

    def mentioned_dates(self, doc_id: int) -> frozenset[date]:
        """The dates a stored text mentions, as a set made once per text
        (a long text's every mention asks)."""
        found = self._date_sets.get(doc_id)
        if found is None:
            found = self._date_sets[doc_id] = frozenset(self.text_dates(doc_id))
        return found

    def kept_dates(self, doc_id: int) -> str | None:
        """The dates a stored text mentions as a kept basis holds them (ISO,
        in order, comma-separated), or None when there are more than
        :data:`KEPT_DATES`."""
        if doc_id not in self._kept_dates:
            found = self.mentioned_dates(doc_id)
            self._kept_dates[doc_id] = (",".join(sorted(d.isoformat() for d in found))
                                        if len(found) <= KEPT_DATES else None)
        return self._kept_dates[doc_id]

    def text_dates(self, doc_id: int) -> list[date]:
        """The dates a stored text mentions, in text order."""
        found = self._text_dates.get(doc_id)
        if found is None:
            found = self._text_dates[doc_id] = self.store.text_dates([doc_id]).get(doc_id, [])
        return found

    # -- choosing --------------------------------------------------------------------
    def own_key(self, doc: DocInfo) -> str | None:
        """The node key of the document a stored text is (from its header)."""
        if doc.identity is None:
            return None
        if doc.doc_id not in self._own:
            self._ensure(doc.identity.id)
        return self._own.get(doc.doc_id)

    def choose(self, doc_id: str, *, when: date | None = None, doc: DocInfo | None = None,
               span: tuple[int, int] | None = None, year: int | None = None,
               term: int | None = None, place: str | None = None) -> str:
        """The key of the document a mention of ``doc_id`` means (see module
        doc). ``place``: the place of the issuing body the tagger read beside
        the number, which picks among local namesakes before the citing text's
        own place and words do."""
        cands = self._ensure(doc_id)
        if len(cands) == 1:
            return cands[0].key
        return self._decide(doc_id, cands, when, _Reading(self, doc_id, doc, span, year, term, place))

    def choose_kept(self, doc_id: str, *, when: date | None, doc: DocInfo, span: tuple[int, int],
                    year: int | None = None, term: int | None = None,
                    place: str | None = None) -> tuple[str, str | None]:
        """:meth:`choose`, with what the choice read of the mention (its
        basis, as text for :meth:`redecide`), or None when the id has one
        candidate (nothing was read) or the basis is not kept. The text's
        date and the dates it mentions are in every basis; the year and term
        beside the number and the words around the mention only when the
        choice came to them (reading them costs most in long texts)."""
        cands = self._ensure(doc_id)
        if len(cands) == 1:
            return cands[0].key, None
        mention = _Reading(self, doc_id, doc, span, year, term, place)
        return self._decide(doc_id, cands, when, mention), mention.basis()

    def redecide(self, doc_id: str, when: date | None, basis: str) -> str | None:
        """The key a mention of ``doc_id`` chooses among the present
        candidates, from the basis :meth:`choose_kept` gave for it (the
        mention's text unchanged since): the same as choosing with the text,
        or None when the choice now needs what the basis lacks."""
        cands = self._ensure(doc_id)
        if len(cands) == 1:
            return cands[0].key
        try:
            return self._decide(doc_id, cands, when, _Kept(basis))
        except _NotKept:
            return None

    def _decide(self, doc_id: str, cands: list[_Cand], when: date | None, mention: _Mention) -> str:
        # Each step keeps the candidates it allows, unless it allows none;
        # one left decides. (Written out, not as a helper taking a test: a
        # settle asks this a hundred thousand times.)
        pool = cands
        if when is not None:
            pool = [c for c in pool if c.date == when or when in c.cited_dates] or pool
            if len(pool) == 1:
                return pool[0].key
        year, term = mention.hint()
        if year is not None:
            pool = [c for c in pool if c.date is not None and c.date.year == year] or pool
            if len(pool) == 1:
                return pool[0].key
        if term in TERM_YEARS:
            lo, hi = TERM_YEARS[term]
            pool = [c for c in pool if c.date is not None and lo <= c.date.year <= hi] or pool
            if len(pool) == 1:
                return pool[0].key
        if mention.in_text:
            own_date = mention.own()
            if own_date is not None:
                pool = [c for c in pool if c.date is None or c.date <= own_date] or pool
                if len(pool) == 1:
                    return pool[0].key
            mentioned = mention.mentioned()
            if mentioned:
                pool = [c for c in pool if c.date in mentioned] or pool
                if len(pool) == 1:
                    return pool[0].key
            if self._local(doc_id):
                # Local numbers repeat across provinces: the place named decides,
                # first the one named with the number, then any near it.
                # Each test is of the id's distinct places, then the
                # candidates holding one are kept: a number reused in every
                # province has hundreds of candidates and a few dozen places.
                places = self._places.get(doc_id)
                if places is None:
                    places = self._places[doc_id] = frozenset(p for c in cands for p in c.folded_places)
                place = mention.place
                if place:
                    named = fold(place)
                    found = {p for p in places if p in named}
                    pool = [c for c in pool if not found.isdisjoint(c.folded_places)] or pool
                    if len(pool) == 1:
                        return pool[0].key
                context = mention.context()
                found = {p for p in places if p in context}
                pool = [c for c in pool if not found.isdisjoint(c.folded_places)] or pool
                if len(pool) == 1:
                    return pool[0].key
        return self._marker(doc_id)

    def take_written(self, written: WrittenTags, doc_ids: Iterable[int]) -> None:
        """Take the dates and citation hints of the texts ``doc_ids`` from
        what the store's last batch wrote of them (instead of reading them
        back): the same values :meth:`load_text_dates` and :meth:`load_hints`
        would read, and the texts the words around a mention are taken from,
        as long as nothing wrote those texts since."""
        for doc_id in set(doc_ids) & written.docs:
            self._text_dates[doc_id] = written.dates.get(doc_id, [])
            self._complete.add(doc_id)
            text = written.text(doc_id)
            if text is not None:
                self._texts[doc_id] = text
        complete = self._complete
        self._hints.update((pair, hints) for pair, hints in written.hints.items() if pair[0] in complete)

    def load_hints(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Read at once the year and term beside the citations of each (text,
        id) of ``pairs`` whose id has namesakes (only those are asked by
        :meth:`choose`): one statement for a batch of rows instead of one
        for each text and id."""
        hints, complete = self._hints, self._complete
        todo = set()
        for pair in pairs:
            if pair not in hints and len(self._ensure(pair[1])) > 1:
                if pair[0] in complete:
                    hints[pair] = []  # taken from the batch: this text has no such citation
                else:
                    todo.add(pair)
        if todo:
            found = self.store.citation_hints_of(todo)
            for pair in todo:
                self._hints[pair] = found.get(pair, [])
            self._read_hints.extend(todo)

    def let_go_of_mentions(self) -> None:
        """Forget the words around mentions, the citation hints read from the
        store so far (not those taken from the last batch) and the sets of
        dates made for texts: a settle resolves its mentions a part at a
        time, and one part's are seldom asked again by the next. Read or
        made again if they are."""
        self._slices.clear()
        self._date_sets.clear()  # made again from the texts' dates, which stay
        self._kept_dates.clear()
        hints = self._hints
        for pair in self._read_hints:
            hints.pop(pair, None)
        self._read_hints.clear()

    def _ref_hint(self, doc_id: int, ref_id: str, span: tuple[int, int]) -> tuple[int | None, int | None]:
        # The citations of one id in one text are read once: a text naming a
        # document ten times asks ten times.
        hints = self._hints.get((doc_id, ref_id))
        if hints is None:
            hints = self._hints[(doc_id, ref_id)] = self.store.citation_hints(doc_id, ref_id)
            self._read_hints.append((doc_id, ref_id))
        best: tuple[int, int | None, int | None] | None = None
        for start, year, term in hints:
            if span[0] <= start < span[1] and (best is None or (best[1] is None and year is not None)):
                best = (start, year, term)
        return (best[1], best[2]) if best else (None, None)

    def _context(self, doc: DocInfo, span: tuple[int, int] | None) -> str:
        parts = []
        if doc.identity is not None:
            parts += [doc.identity.issuer or "", doc.identity.place or ""]
        if span is not None:
            # A text the last batch wrote is at hand (on a server, reading
            # the words back was a round trip for each mention).
            text = self._texts.get(doc.doc_id)
            if text is not None:
                parts.append(text[span[0]:span[1]])
            else:
                got = self._slices.get((doc.doc_id, span[0], span[1]))
                parts.append(got if got is not None else self.store.text_slice(doc.doc_id, span[0], span[1] - span[0]))
        return fold(" ".join(parts))

    def _marker(self, doc_id: str) -> str:
        key = f"{doc_id}@?"
        if key not in self._nodes:
            type_code, issuer_code = self._number(doc_id)
            self._nodes[key] = Node(
                key=key, id=doc_id, type=type_code, issuer_code=issuer_code,
                level=ISSUER_LEVEL.get(issuer_code or ""), ambiguous=True,
                candidates=tuple(c.key for c in self._cands.get(doc_id, [])),
            )
        return key

    # -- nodes -----------------------------------------------------------------------
    def _number(self, doc_id: str) -> tuple[str | None, str | None]:
        if doc_id not in self._numbers:
            dn = parse_number(doc_id)
            self._numbers[doc_id] = (dn.type, dn.issuer_code) if dn else (None, None)
        return self._numbers[doc_id]

    def candidates(self, doc_id: str) -> tuple[Node, ...]:
        """Every document ``doc_id`` can stand for (empty when nothing knows it)."""
        if doc_id not in self._cands:
            self.prepare([doc_id])
        return tuple(self.node(c.key) for c in self._cands[doc_id])

    def node(self, key: str) -> Node:
        """The node with this key (its id is loaded when not seen yet)."""
        found = self._nodes.get(key)
        if found is not None:
            return found
        if self.uses_stored():
            self.load_nodes([key])
            found = self._nodes.get(key)
            if found is not None:
                return found
        doc_id = key.split("@", 1)[0]
        self._ensure(doc_id)
        if key.endswith("@?"):
            return self._nodes[self._marker(doc_id)]
        cand = self._by_key.get(key)
        if cand is None:
            raise UnknownDocument(phrase("no document has the key {key}; see 'docsearch show {id}' for its keys",
                                         key=key, id=doc_id))
        node = self._make_node(cand)
        self._nodes[key] = node
        return node

    def _make_node(self, c: _Cand) -> Node:
        # Precedence, as in Knowledge: the registry, then the document's own
        # header, then the built-in list, then the number, then citations.
        headers = [ident for _, ident in c.headers]
        reg, blt = c.registry, c.builtin
        h = headers[0] if len(headers) == 1 and not reg and not blt else None
        if h is not None and h.issuer and h.issuer_code:
            # A stored document known only by its own header: the common case.
            return Node(
                key=c.key, id=c.id, type=h.type, issuer_code=h.issuer_code, level=ISSUER_LEVEL.get(h.issuer_code),
                issuer=h.issuer, issuer_source="header", date=c.date,
                date_source=None if c.date is None else "header" if h.date == c.date else "citation",
                title=self._title(c.headers[0][0], h), place=h.place, doc_ids=(c.headers[0][0],),
                paths=(self._docs[c.headers[0][0]].path,),
            )
        type_code: str | None
        issuer_code: str | None
        if headers and headers[0].issuer_code:
            type_code, issuer_code = headers[0].type, headers[0].issuer_code
        else:
            type_code, issuer_code = self._number(c.id)
        issuer = issuer_source = None
        for value, source in _values(reg, "issuer", "registry", body_name) or _values(headers, "issuer", "header") \
                or _values(blt, "issuer", "builtin", body_name):
            issuer, issuer_source = value, source
            break
        if issuer is None:
            number_body = _CODE_BODIES.get(issuer_code or "") or (
                "Quốc hội" if issuer_code and _NATIONAL_ASSEMBLY.fullmatch(issuer_code) else None)
            if number_body:
                issuer, issuer_source = number_body, "number"
            elif c.cited_bodies:
                top = max(c.cited_bodies, key=lambda b: (c.cited_bodies[b], b))
                issuer, issuer_source = body_name(top), "citation"
        title = (_first(reg, "title") or next((t for d, ident in c.headers if (t := self._title(d, ident))), None)
                 or _first(blt, "title"))
        kind = _first(reg, "type") or _first(headers, "type") or _first(blt, "type") or type_code
        status = _first(reg, "status") or _first(blt, "status")
        date_source = None
        if c.date is not None:
            if any(k.date == c.date for k in reg):
                date_source = "registry"
            elif any(h.date == c.date for h in headers):
                date_source = "header"
            elif any(k.date == c.date for k in blt):
                date_source = "builtin"
            else:
                date_source = "citation"
        doc_ids = tuple(d for d, _ in c.headers)
        return Node(
            key=c.key, id=c.id, type=kind, issuer_code=issuer_code, level=ISSUER_LEVEL.get(issuer_code or ""),
            issuer=issuer, issuer_source=issuer_source, date=c.date, date_source=date_source,
            title=title, place=_first(headers, "place"), status=status, doc_ids=doc_ids,
            paths=tuple([self.doc(d).path for d in doc_ids]),
        )

    def raw_candidate(self, key: str) -> _Cand | None:
        """The assembled record behind a node (for the detailed profile)."""
        self._ensure(key.split("@", 1)[0])
        return self._by_key.get(key)

    # -- edges -----------------------------------------------------------------------
    def edges(self, rows: Sequence[RelationRow]) -> list[Edge]:
        """Resolve relation rows (see :meth:`Store.relations_linking`) into edges."""
        docs = self._docs
        out: list[Edge] = []
        dates = assemble.Dates()
        for row, source, target, page in self.resolve_rows(rows):
            when = dates(row.target_date)
            out.append(Edge(source, target, row.type, row.doc_id, docs[row.doc_id].path, page, row.evidence,
                            row.evidence_start, row.evidence_end, when))
        return out

    def resolve_rows(self, rows: Sequence[RelationRow], bases: dict[BasisKey, str] | None = None
                     ) -> list[tuple[RelationRow, str, str, int]]:
        """Each relation row with the keys its source and target mean and the
        page of its sentence; a row whose two ends are one document is left out.
        ``bases``: filled with the basis of each end chosen among namesakes
        (:meth:`choose_kept`), under (id, text, "r", sentence start, end, "")."""
        docs = self._docs
        # The ids first: preparing them reads the texts whose header gives
        # them, which are most of the texts asserting the relations (an
        # implementing document says itself that it implements).
        self.prepare({r[1] for r in rows} | {r[2] for r in rows})
        self.load_docs({r[0] for r in rows})
        self.load_hints({(r[0], r[2]) for r in rows} | {(r[0], r[1]) for r in rows})
        # Only a mention of an id with namesakes may come to read its text's dates.
        cands = self._cands
        self.load_text_dates({r[0] for r in rows if len(cands.get(r[2], ())) > 1 or len(cands.get(r[1], ())) > 1})
        placed = {i for i in {r[1] for r in rows} | {r[2] for r in rows} if self.placed_namesakes(i)}
        self.load_contexts((r[0], r[5], r[6]) for r in rows if r[1] in placed or r[2] in placed)
        out: list[tuple[RelationRow, str, str, int]] = []
        dates = assemble.Dates()
        # The column types of the relations table, in RelationRow order.
        doc_id: int
        source_id: str
        target_id: str
        start: int
        end: int
        target_date: str | None
        for row in rows:
            doc_id, source_id, target_id, _, _, start, end, target_date = row
            doc = docs[doc_id]
            span = (start, end)
            when = dates(target_date)
            source = self._own.get(doc_id) if source_id == doc.self_id else None
            if bases is None:
                target = self.choose(target_id, when=when, doc=doc, span=span)
                if source is None:
                    source = self.choose(source_id, doc=doc, span=span)
            else:
                target, basis = self.choose_kept(target_id, when=when, doc=doc, span=span)
                if basis is not None:
                    bases[(target_id, doc_id, "r", start, end, "")] = basis
                if source is None:
                    source, basis = self.choose_kept(source_id, when=None, doc=doc, span=span)
                    if basis is not None:
                        bases[(source_id, doc_id, "r", start, end, "")] = basis
            if source == target:
                continue
            out.append((row, source, target, doc.page(start)))
        return out

    # -- the stored resolution -------------------------------------------------------
    def uses_stored(self) -> bool:
        """Whether edges and nodes are read from the store's resolution (it is
        current; see :mod:`docsearch.graph.stored`) instead of resolved here."""
        if self._stored is None:
            from .stored import is_current

            self._stored = is_current(self.store, self.knowledge)
        return self._stored

    def _stored_edges(self, column: str, ids: Sequence[str], types: tuple[str, ...] | None) -> dict[str, list[Edge]]:
        """The stored edges whose ``column`` id is one of ``ids``, grouped by that id."""
        return self._edges_from_rows(self.store.resolved_edges(column, ids, types), column, ids)

    def _edges_from_rows(self, rows: Sequence[ResolvedEdgeRow], column: str,
                         ids: Sequence[str] | None) -> dict[str, list[Edge]]:
        by_target = column == "target"
        grouped: dict[str, list[Edge]] = {i: [] for i in ids} if ids is not None else {"": []}
        everything = grouped[""] if ids is None else None
        dates = assemble.Dates()
        nodes = self._nodes
        with many_objects():
            # The node at the other end came with each row; the ends asked for are read after.
            r: ResolvedEdgeRow
            for r in rows:
                other = r.source_key if by_target else r.target_key
                if r.n_key is not None and other not in nodes:
                    node = r.node_row()
                    assert node is not None
                    nodes[other] = node_from_row(node)
            self.load_nodes({r.source_key for r in rows} | {r.target_key for r in rows})
            for r in rows:
                edge = assemble.stored_edge(r, dates)
                if everything is not None:
                    everything.append(edge)
                else:
                    grouped[r.target if by_target else r.source].append(edge)
        return grouped

    def known_nodes(self) -> dict[str, Node]:
        """The nodes read or resolved so far for this state of the store,
        by key (shared with the resolvers of the same state: add only nodes
        of the store as it is, such as those of its stored resolution)."""
        return self._nodes

    def load_nodes(self, keys: Iterable[str]) -> None:
        """Read the stored nodes of the given keys not known yet (in batches)."""
        nodes = self._nodes
        todo = [k for k in set(keys) if k not in nodes]
        if todo:
            with many_objects():
                for r in self.store.resolved_nodes(todo):
                    nodes[r.key] = node_from_row(r)

    def citations(self, doc_id: str) -> list[Citation]:
        """Every citation of the id ``doc_id`` in the stored texts (see
        :meth:`Store.citations`), read once."""
        found = self._citations.get(doc_id)
        if found is None:
            self.load_citations([doc_id])
            found = self._citations[doc_id]
        return found

    def load_citations(self, ids: Iterable[str]) -> None:
        """Read the citations of many ids at once (a site build asks for a batch of pages' worth)."""
        todo = [i for i in set(ids) if i not in self._citations]
        if todo:
            found = self.store.citations_of(todo)
            for i in todo:
                self._citations[i] = found.get(i, [])

    def kept(self, slot: tuple[object, ...]) -> object | None:
        """A query's result kept for this state of the store (None when there is none)."""
        with self._state.lock:
            found = self._state.results.get(slot)
            if found is not None:
                self._state.results.move_to_end(slot)
            return found

    def keep(self, slot: tuple[object, ...], value: object) -> None:
        """Keep a query's result for this state of the store (the last
        :data:`KEPT_RESULTS` are kept; results are immutable)."""
        with self._state.lock:
            results = self._state.results
            results[slot] = value
            results.move_to_end(slot)
            while len(results) > KEPT_RESULTS:
                results.popitem(last=False)

    def linked(self, column: str, doc_id: str, types: Sequence[str] | None = None) -> list[Edge]:
        """The resolved edges whose ``column`` (``source`` or ``target``) is the
        id ``doc_id``, of ``types`` (all when None), in store order.

        Kept for the life of the resolver: a document's page asks for the
        edges pointing at it three times (its profile, who cites it, who
        implements it), and they are read and resolved once. A subset of
        types is cut from the whole list when that was read already."""
        wanted = tuple(types) if types else None
        found = self._linked.get((column, doc_id, wanted))
        if found is None:
            every = self._linked.get((column, doc_id, None))
            if every is not None and wanted is not None:
                kinds = set(wanted)
                found = [e for e in every if e.type in kinds]
            elif self.uses_stored():
                found = self._stored_edges(column, [doc_id], wanted)[doc_id]
            else:
                found = self.edges(self.relation_rows(column, [doc_id], wanted))
            self._linked[(column, doc_id, wanted)] = found
        return found

    def linked_many(self, column: str, ids: Iterable[str], types: Sequence[str] | None = None) -> list[Edge]:
        """:meth:`linked` for many ids: the edges of each, read together for
        those not read yet; grouped by id in the order of ``ids``."""
        wanted = tuple(types) if types else None
        order = list(dict.fromkeys(ids))
        todo = [i for i in order if (column, i, wanted) not in self._linked and (column, i, None) not in self._linked]
        if todo and self.uses_stored():
            for i, edges in self._stored_edges(column, todo, wanted).items():
                self._linked[(column, i, wanted)] = edges
        elif todo:
            rows = self.store.relations_linking(column, todo, wanted)
            # Everything the rows name is read at once, then each id's rows resolved.
            self.prepare({r.source for r in rows} | {r.target for r in rows})
            self.load_docs({r.doc_id for r in rows})
            grouped: dict[str, list[RelationRow]] = {i: [] for i in todo}
            for r in rows:
                grouped[r.source if column == "source" else r.target].append(r)
            for i, own_rows in grouped.items():
                self._linked[(column, i, wanted)] = self.edges(own_rows)
        out: list[Edge] = []
        for i in order:
            out.extend(self.linked(column, i, types))
        return out

    def relation_targets(self, types: Sequence[str], issuer_codes: Sequence[str]) -> list[str]:
        """:meth:`Store.relation_target_ids`, read once per state of the store."""
        slot = (tuple(types), tuple(issuer_codes))
        found = self._targets.get(slot)
        if found is None:
            found = self._targets[slot] = self.store.relation_target_ids(types, issuer_codes)
        return found

    def relation_rows(self, column: str, ids: Sequence[str], types: Sequence[str] | None = None) -> list[RelationRow]:
        """Relation rows whose ``column`` (``source`` or ``target``) is one of ``ids``."""
        return self.store.relations_linking(column, ids, types)

    # -- queries -----------------------------------------------------------------------
    def resolve_query(self, query: str) -> Node:
        """The document a user's words name: ``57-NQ/TW``, ``Resolution 57``,
        ``Nghị quyết 57``, ``NQ 57``, ``Richtlinie 35``, ``18-NQ/TW 2017``,
        ``18-NQ/TW ngày 25/10/2017`` or a key ``18-NQ/TW@2017-10-25``.

        Raises :class:`BadQuery`, :class:`UnknownDocument` or
        :class:`AmbiguousDocument` (with the candidates).
        """
        q = " ".join(query.split())
        if not q:
            raise BadQuery(phrase("no document given; name one such as 57-NQ/TW or 'Resolution 57'"))
        words, _, key_part = q.partition("@")
        # The tagger reads the words, so every spelling it knows works here;
        # a number written as docsearch writes it is read by its grammar alone.
        bare = bare_number(words, self.knowledge)
        refs = [bare] if bare is not None else [r for r in tag(words, knowledge=self.knowledge).references if r.id]
        if not refs:
            raise BadQuery(phrase("'{query}' does not name a document docsearch can read; write a number such as "
                                  "57-NQ/TW, 13/2023/NĐ-CP or 45/KH-UBND, or a short form such as 'Resolution 57', "
                                  "'Nghị quyết 57' or 'NQ 57'", query=query))
        ref = refs[0]
        assert ref.id is not None
        cands = list(self.candidates(ref.id))
        if not cands:
            if not self._mentioned(ref.id):
                raise UnknownDocument(phrase("nothing in the index mentions {id} and it is not in the built-in list "
                                             "or the registry; check the number, ingest a text that cites it, or "
                                             "add it with 'docsearch registry import'", id=ref.id))
            cands = [self.node(self._ensure(ref.id)[0].key)]
        pool = cands
        if key_part == "?":
            # The marker of citations that could not be told apart.
            return self.node(self._marker(ref.id))
        if key_part:
            pool = [c for c in cands if c.key == q or (c.date and c.date.isoformat() == key_part)]
            if not pool:
                raise UnknownDocument(phrase("no document {id} has the key {key}; its keys are: {keys}", id=ref.id,
                                             key=q, keys=", ".join(c.key for c in cands)))
        rest = words[:ref.start] + " " + words[ref.end:]

        def narrow(keep: Callable[[Node], bool]) -> None:
            nonlocal pool
            sub = [c for c in pool if keep(c)]
            if sub or len(pool) > 1:
                pool = sub or pool

        if len(pool) > 1 and ref.date is not None:
            narrow(lambda c: c.date == ref.date)
        years = {int(y) for y in _YEAR.findall(rest)}
        if len(pool) > 1 and years:
            sub = [c for c in pool if c.date and c.date.year in years]
            if not sub:
                raise UnknownDocument(phrase("no document {id} of {years} is known; it names: {listed}", id=ref.id,
                                             years=", ".join(map(str, sorted(years))), listed=namesakes(pool)))
            pool = sub
        if len(pool) > 1 and ref.term in TERM_YEARS:
            lo, hi = TERM_YEARS[ref.term]
            narrow(lambda c: c.date is not None and lo <= c.date.year <= hi)
        if len(pool) > 1 and ref.status == "resolved" and ref.year is not None:
            narrow(lambda c: c.date is not None and c.date.year == ref.year)
        if len(pool) > 1:
            raise AmbiguousDocument(query, tuple(pool))
        return pool[0]

    def _mentioned(self, doc_id: str) -> bool:
        return self.store.is_mentioned(doc_id)

