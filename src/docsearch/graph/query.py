"""Questions asked of the graph: who implements a document, who cites it,
what is known of it, which committees have acted on it.

Each function takes an open :class:`~docsearch.store.Store` and the user's
words for a document (or a :class:`Node`), resolves it with a
:class:`Resolver`, and reads only the relations it needs.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple

from ..i18n import phrase
from ..refs import fold, parse_number
from ..refs.grammar import ISSUER_LEVEL
from ..store import READ_CHUNK, ResolvedEdgeRow, Store
from . import assemble, resolve
from .model import (
    IMPLEMENTING,
    RELATION_PRECEDENCE,
    BadQuery,
    CitesResult,
    Coverage,
    CoverageMatrix,
    CoverageRow,
    Edge,
    Fact,
    FactSource,
    Graph,
    Implementer,
    ImplementsResult,
    Link,
    MatrixCell,
    Mention,
    Node,
    Profile,
    issuer_label,
    issuer_label_order,
)
from .resolve import Resolver, body_name, many_objects
from .stored import is_current

_ORDER = {t: i for i, t in enumerate(RELATION_PRECEDENCE)}

#: Levels below the centre: the committees ``coverage`` looks for.
LOCAL_LEVELS: tuple[str, ...] = ("provincial", "district", "grassroots", "state")


def _target(res: Resolver, query: str | Node) -> Node:
    return query if isinstance(query, Node) else res.resolve_query(query)


def _check_relations(relations: Sequence[str]) -> tuple[str, ...]:
    unknown = [r for r in relations if r not in _ORDER]
    if unknown:
        raise BadQuery(phrase("unknown relation {relations}; use {known}", relations=", ".join(unknown),
                              known=", ".join(RELATION_PRECEDENCE)))
    return tuple(relations)


def _lag(node: Node, root: Node) -> int | None:
    if node.date is None or root.date is None:
        return None
    return (node.date - root.date).days


def _sort_key(imp: Implementer) -> tuple[bool, date, str]:
    return (imp.node.date is None, imp.node.date or date.min, imp.node.key)


def _incoming(res: Resolver, keys: Sequence[str], relations: Sequence[str]) -> dict[str, dict[str, list[Edge]]]:
    """For each node key, the edges pointing at it, grouped by source key."""
    out: dict[str, dict[str, list[Edge]]] = {k: {} for k in keys}
    ids = sorted({res.node(k).id for k in keys})
    # Each id's edges are kept by the resolver: a page asking again, or a
    # deeper level reaching a document seen before, reads nothing.
    for e in res.linked_many("target", ids, relations):
        bucket = out.get(e.target)
        if bucket is not None:
            bucket.setdefault(e.source, []).append(e)
    return out


# --- implementers read from the stored resolution --------------------------------------
# One statement per level returns the relations pointing at the documents
# with their sources' nodes, joined and already in the order the list shows
# them; nodes and edges are made from the rows directly (see .assemble).

def _stored_incoming(res: Resolver, keys: Sequence[str], relations: Sequence[str]
                     ) -> tuple[dict[str, dict[str, list[Edge]]], set[str]]:
    """:func:`_incoming` when the store's resolution is current, and the
    keys whose sources are already in the order of :func:`_sort_key`."""
    out: dict[str, dict[str, list[Edge]]] = {k: {} for k in keys}
    with many_objects():
        ordered = assemble.incoming(res.store.implementing_tuples({k: res.node(k).id for k in keys}, relations),
                                    out, res.known_nodes(), assemble.Dates())
    return out, ordered


def _edge_from_source(r: ResolvedEdgeRow, nodes: dict[str, Node], dates: assemble.Dates) -> Edge:
    """The edge of a stored relation read with its source's node (see
    :meth:`Store.implementing_rows`); that node goes into ``nodes`` the
    first time it comes, so that it is never looked up on its own."""
    source = r.source_key
    if r.n_key is not None and source not in nodes:
        nodes[source] = assemble.stored_node(source, r[13:], dates)  # n_id … n_candidates
    return assemble.stored_edge(r, dates)


def _implementer(res: Resolver, source: str, edges: list[Edge], root: Node,
                 children: tuple[Implementer, ...], lags: dict[date, int] | None = None) -> Implementer:
    node = res.node(source)
    kinds: tuple[str, ...]
    ordered: tuple[Edge, ...]
    if len(edges) == 1:
        # The usual case, written out (it runs once per implementer); the
        # lag is kept per date (a list of 10,000 has a few hundred).
        e = edges[0]
        when = node.date
        if when is None or root.date is None:
            lag = None
        elif lags is None:
            lag = (when - root.date).days
        else:
            lag = lags.get(when)
            if lag is None:
                lag = lags[when] = (when - root.date).days
        return assemble.implementer(node, e.type, (e.type,), lag, e, (e,), children)
    else:
        own = [e for e in edges if e.doc_id in node.doc_ids]
        # The implementer's own text says best what it does; then the strongest relation.
        primary = min(own or edges, key=lambda e: (_ORDER.get(e.type, 99), e.doc_id, e.evidence_start))
        kinds = tuple(sorted({e.type for e in edges}, key=lambda t: _ORDER.get(t, 99)))
        ordered = tuple(sorted(edges, key=lambda e: (e is not primary, e.doc_id, e.evidence_start)))
    return assemble.implementer(node, primary.type, kinds, _lag(node, root), primary, ordered, children)


def implements(store: Store, query: str | Node, *, depth: int = 1,
               relations: Sequence[str] = IMPLEMENTING, resolver: Resolver | None = None,
               edges: Iterable[Edge] | None = None) -> ImplementsResult:
    """The documents that implement ``query`` (or are based on it, guide or
    review its implementation), following the chain ``depth`` levels down.

    ``edges``, when given, are the resolved edges pointing at the document
    (in store order), for a caller that resolved the graph already; further
    levels are read from the store.

    Raises :class:`BadQuery`, :class:`UnknownDocument` or
    :class:`AmbiguousDocument` when the query does not name one document.
    """
    if depth < 1:
        raise BadQuery(phrase("depth must be 1 or more, not {depth}", depth=depth))
    rels = _check_relations(relations)
    res = resolver or Resolver(store)
    root = _target(res, query)
    slot = ("implements", root.key, depth, rels)
    if edges is None:
        kept = res.kept(slot)
        if isinstance(kept, ImplementsResult):
            return kept
    incoming: dict[str, dict[str, list[Edge]]] = {}
    in_order: set[str] = set()  # keys whose sources are in the list's order already
    frontier = [root.key]
    if edges is not None and not root.ambiguous:
        mine: dict[str, list[Edge]] = {}
        for e in edges:
            if e.target == root.key and e.type in rels:
                mine.setdefault(e.source, []).append(e)
        incoming[root.key] = mine
        frontier = sorted(mine)
        depth_left = depth - 1
    else:
        depth_left = depth
    for _ in range(depth_left):
        todo = [k for k in frontier if k not in incoming and not res.node(k).ambiguous]
        if not todo:
            break
        if res.uses_stored():
            found, ordered = _stored_incoming(res, todo, rels)
            in_order |= ordered
        else:
            found = _incoming(res, todo, rels)
        incoming.update(found)
        frontier = sorted({s for sources in found.values() for s in sources})

    # A document reached by several paths is built once per level and shared,
    # so a deep query costs what the graph holds, not the number of paths.
    memo: dict[tuple[str, int], tuple[Implementer, ...]] = {}
    lags: dict[date, int] = {}

    def build(key: str, level: int, ancestors: frozenset[str]) -> tuple[Implementer, ...]:
        done = memo.get((key, level))
        if done is not None:
            return done
        items = []
        for source, edges in incoming.get(key, {}).items():
            if source in ancestors:
                continue  # a cycle (A implements B implements A) is cut, not followed
            kids = build(source, level + 1, ancestors | {source}) if level < depth else ()
            items.append(_implementer(res, source, edges, root, kids, lags))
        memo[(key, level)] = out = tuple(items) if key in in_order else tuple(sorted(items, key=_sort_key))
        return out

    with many_objects():
        tree = build(root.key, 1, frozenset({root.key}))
    result = ImplementsResult(target=root, implementers=tree, depth=depth, relations=rels)
    res.keep(slot, result)
    return result


def cites(store: Store, query: str | Node, *, resolver: Resolver | None = None) -> CitesResult:
    """Every document that refers to ``query``, with the relation each asserts,
    and the stored texts that mention it without a document of their own."""
    res = resolver or Resolver(store)
    target = _target(res, query)
    edges = [e for e in res.linked("target", target.id) if e.target == target.key]
    links = tuple(sorted((Link(res.node(e.source), e) for e in edges),
                         key=lambda lk: (_ORDER.get(lk.edge.type, 99), lk.node.date or date.max, lk.node.key)))
    asserting = {e.doc_id for e in edges} | set(target.doc_ids)
    mentions: dict[int, Mention] = {}
    if res.uses_stored():
        # Which document each citation means is stored: only this one's are read.
        for m in res.store.cited_mentions(target.key, target.id):
            if m.doc_id not in asserting and m.doc_id not in mentions:
                mentions[m.doc_id] = Mention(m.doc_id, m.path, m.page, m.text, m.start)
        return CitesResult(target=target, citing=links, mentions=tuple(mentions.values()))
    rows = res.citations(target.id)
    res.load_docs({r.doc_id for r in rows if r.doc_id not in asserting})  # the others are skipped below
    for r in rows:
        if r.doc_id in asserting or r.doc_id in mentions:
            continue
        doc = res.doc(r.doc_id)
        key = res.choose(target.id, when=r.date, doc=doc, span=(r.start, r.end), year=r.year, term=r.term,
                         place=r.place)
        if key == target.key:
            mentions[doc.doc_id] = Mention(doc.doc_id, doc.path, doc.page(r.start), r.text, r.start)
    return CitesResult(target=target, citing=links, mentions=tuple(mentions.values()))


# --- what is known of one document ---------------------------------------------------

_PUNCT = re.compile(r"[^\w ]+")


def _norm(value: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold(value)).split())


def _compatible(field_name: str, a: str, b: str) -> bool:
    if field_name == "date":
        return a == b
    x, y = _norm(a), _norm(b)
    # "Tỉnh ủy" and "Tỉnh ủy Quảng Ninh" agree; one is only less precise.
    return x == y or x in y or y in x


def describe(store: Store, query: str | Node, *, resolver: Resolver | None = None, links: bool = True,
             citations: bool = True) -> Profile:
    """What is known of one document: metadata from its header, the registry,
    the built-in list and every citation (with disagreements), what it refers
    to and what refers to it.

    ``links=False`` leaves ``outgoing`` and ``incoming`` empty, for a caller
    that has the edges already (the site resolves the whole graph once);
    ``citations=False`` leaves out what the citations say (a document's
    page counts that in SQL, see :func:`page_facts`).
    """
    res = resolver or Resolver(store)
    node = _target(res, query)
    facts: dict[tuple[str, str], list[FactSource]] = {}
    seen: set[tuple[str, str, FactSource]] = set()

    def add(field_name: str, value: object, source: FactSource) -> None:
        if value is None or value == "":
            return
        text = value.isoformat() if isinstance(value, date) else str(value)
        if (field_name, text, source) in seen:  # a text citing it five times states it once
            return
        seen.add((field_name, text, source))
        facts.setdefault((field_name, text), []).append(source)

    cand = res.raw_candidate(node.key)
    if cand is not None:
        for doc_id, ident in cand.headers:
            src = FactSource("header", res.doc(doc_id).path, res.doc(doc_id).page(ident.start))
            add("type", ident.type, src)
            add("issuer", ident.issuer, src)
            add("date", ident.date, src)
            add("title", ident.title, src)
            add("place", ident.place, src)
        for kind, records in (("registry", cand.registry), ("builtin", cand.builtin)):
            for kd in records:
                src = FactSource(kind)
                add("type", kd.type, src)
                add("issuer", body_name(kd.issuer), src)
                add("date", kd.date, src)
                add("title", kd.title, src)
                add("status", kd.status, src)
                add("replaced_by", kd.replaced_by, src)
    if node.issuer_source == "number":
        add("issuer", node.issuer, FactSource("number"))
    if citations:
        if res.uses_stored():
            _stored_facts(res, node, add)
        else:
            _resolved_facts(res, node, add)
    return _profile(res, node, facts, links)


def _stored_facts(res: Resolver, node: Node, add: Callable[[str, object, FactSource], None]) -> None:
    """What the citations resolved to ``node`` say of it, as stored."""
    own = set(node.doc_ids)
    for r in res.store.cited_facts(node.key):
        if r.doc_id in own:
            continue  # the document's own text naming itself is not a citation
        src = FactSource("citation", r.path, r.page)
        add("date", r.date, src)
        add("issuer", body_name(r.issuer), src)


def _resolved_facts(res: Resolver, node: Node, add: Callable[[str, object, FactSource], None]) -> None:
    """What the citations of ``node``'s id that mean it say of it, each resolved here."""
    rows = res.citations(node.id)
    res.load_docs({r.doc_id for r in rows if r.date is not None or r.issuer is not None})  # the others are skipped
    for r in rows:
        if r.date is None and r.issuer is None:
            continue
        doc = res.doc(r.doc_id)
        if r.doc_id in node.doc_ids:
            continue  # the document's own text naming itself is not a citation
        # The same choice as the stored resolution and "mentioned in": the citation's whole span.
        key = res.choose(node.id, when=r.date, doc=doc, span=(r.start, r.end), year=r.year, term=r.term,
                         place=r.place)
        if key != node.key:
            continue
        src = FactSource("citation", doc.path, doc.page(r.start))
        add("date", r.date, src)
        add("issuer", body_name(r.issuer), src)


def _conflicts(values: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The fields on which the (field, value) pairs disagree."""
    out = []
    for field_name in ("date", "issuer", "type", "title", "status"):
        mine = [v for f, v in values if f == field_name]
        if any(not _compatible(field_name, a, b) for i, a in enumerate(mine) for b in mine[i + 1:]):
            out.append(field_name)
    return tuple(out)


def _profile(res: Resolver, node: Node, facts: dict[tuple[str, str], list[FactSource]], links: bool) -> Profile:
    fact_list = tuple(Fact(f, v, tuple(s)) for (f, v), s in facts.items())
    conflicts = _conflicts([(f.field, f.value) for f in fact_list])

    outgoing: tuple[Link, ...] = ()
    incoming: tuple[Link, ...] = ()
    if links:
        outgoing = tuple(Link(res.node(e.target), e)
                         for e in res.linked("source", node.id) if e.source == node.key)
        incoming = tuple(Link(res.node(e.source), e)
                         for e in res.linked("target", node.id) if e.target == node.key)
    namesakes = tuple(n for n in res.candidates(node.id) if n.key != node.key)
    return Profile(node=node, facts=fact_list, conflicts=conflicts, outgoing=outgoing,
                   incoming=incoming, namesakes=namesakes)


def describe_text(store: Store, doc_id: int, *, resolver: Resolver | None = None) -> Profile | None:
    """The profile of the document a stored text is (``doc_id`` of the store),
    or None when the text has no header naming it (news, articles)."""
    res = resolver or Resolver(store)
    doc = res.find_doc(doc_id)
    key = res.own_key(doc) if doc is not None else None
    return None if key is None else describe(store, res.node(key), resolver=res)


# --- coverage ---------------------------------------------------------------------------

#: The issuing bodies of the stored headers, per store file: (change marker, bodies).
_HEADER_BODIES = resolve.HEADER_BODIES


def _header_bodies(store: Store) -> tuple[tuple[str, str | None], ...]:
    """The distinct (issuer, issuer code) pairs of the stored headers, read
    once per state of the store (every document page and coverage asks)."""
    marker = store.change_marker()
    cached = _HEADER_BODIES.get(str(store.path))
    if cached is not None and cached[0] == marker:
        return cached[1]
    if resolve.USE_STORED and is_current(store):
        pairs = set(store.graph_bodies())  # recorded when the texts were stored
    else:
        pairs = {(ident.issuer, ident.issuer_code) for _, ident in store.header_identities() if ident.issuer}
    value = tuple(sorted(pairs, key=lambda p: (p[0], p[1] or "")))
    _HEADER_BODIES[str(store.path)] = (marker, value)
    return value


def committees(store: Store, levels: Sequence[str] = LOCAL_LEVELS) -> tuple[str, ...]:
    """The issuing bodies of stored documents (from their headers) at the given levels."""
    out: set[str] = set()
    for issuer, code in _header_bodies(store):
        if ISSUER_LEVEL.get(code or "") in levels:
            out.add(issuer)
    return tuple(sorted(out, key=str.casefold))


def _unique(result: ImplementsResult) -> list[Implementer]:
    seen: dict[str, Implementer] = {}
    for imp in result.implementers:
        for _, i in imp.walk():
            seen.setdefault(i.node.key, i)
    return list(seen.values())


def coverage(store: Store, query: str | Node, *, by: str = "issuer", depth: int = 1,
             relations: Sequence[str] = IMPLEMENTING, resolver: Resolver | None = None) -> Coverage:
    """Which committees (``by="issuer"``) or levels (``by="level"``) have issued
    a document implementing ``query``, when, and which known ones have not."""
    if by not in ("issuer", "level"):
        raise BadQuery(phrase("coverage can be grouped by 'issuer' or 'level', not '{by}'", by=by))
    result = implements(store, query, depth=depth, relations=relations, resolver=resolver)
    groups: dict[str, list[Implementer]] = {}
    unattributed: list[Implementer] = []
    for imp in _unique(result):
        label = imp.node.specific_issuer if by == "issuer" else imp.node.level
        if label is None:
            unattributed.append(imp)
        else:
            groups.setdefault(label, []).append(imp)
    rows = [CoverageRow(g, items[0].node.level, tuple(sorted(items, key=_sort_key))) for g, items in groups.items()]
    rows.sort(key=lambda r: (r.first_date is None, r.first_date or date.min, r.group.casefold()))
    known = committees(store) if by == "issuer" else LOCAL_LEVELS
    covered = set(groups)
    missing = tuple(k for k in known if k not in covered and k != result.target.issuer)
    return Coverage(target=result.target, by=by, covered=tuple(rows), missing=missing,
                    unattributed=tuple(sorted(unattributed, key=_sort_key)))


def _level_by_number(doc_id: str, cache: dict[str, str | None]) -> str | None:
    if doc_id not in cache:
        dn = parse_number(doc_id)
        cache[doc_id] = ISSUER_LEVEL.get(dn.issuer_code) if dn is not None else None
    return cache[doc_id]


def coverage_matrix(store: Store, *, levels: Sequence[str] = ("central",),
                    relations: Sequence[str] = IMPLEMENTING, resolver: Resolver | None = None,
                    edges: Iterable[Edge] | None = None) -> CoverageMatrix:
    """Documents at ``levels`` (central by default) as columns, committees as
    rows, and in each cell the documents that committee issued implementing it.

    ``edges``, when given, are every resolved edge of the graph (for a caller
    that resolved it already); otherwise the relations are read from the store.
    """
    rels = _check_relations(relations)
    res = resolver or Resolver(store)
    slot = ("coverage matrix", tuple(levels), rels)
    if edges is None:
        kept = res.kept(slot)
        if isinstance(kept, CoverageMatrix):
            return kept
    numbers: dict[str, str | None] = {}
    if edges is None and res.uses_stored():
        with many_objects():
            matrix = _stored_matrix(store, res, levels, rels, numbers)
        res.keep(slot, matrix)
        return matrix
    if edges is not None:
        chosen = [e for e in edges if e.type in rels
                  and _level_by_number(res.node(e.target).id, numbers) in levels]
    else:
        # Ids end in their issuer code ("57-NQ/TW", "13/2023/NĐ-CP"): let the
        # store narrow the targets to those codes before each is parsed.
        targets = res.relation_targets(rels, [c for c, level in ISSUER_LEVEL.items() if level in levels])
        wanted = [t for t in targets if _level_by_number(t, numbers) in levels]
        chosen = res.linked_many("target", wanted, rels)
    cells: dict[tuple[str, str], dict[str, list[Edge]]] = {}
    columns: dict[str, Node] = {}
    for e in chosen:
        target = res.node(e.target)
        source = res.node(e.source)
        committee = source.specific_issuer
        if target.level not in levels or committee is None or source.level in levels:
            continue
        columns[target.key] = target
        cells.setdefault((committee, target.key), {}).setdefault(e.source, []).append(e)
    matrix = _matrix(store, res, columns, cells)
    res.keep(slot, matrix)
    return matrix


def _matrix(store: Store, res: Resolver, columns: dict[str, Node],
            cells: dict[tuple[str, str], dict[str, list[Edge]]]) -> CoverageMatrix:
    """The matrix of the chosen edges: per (committee, column key), the edges of each source."""
    out_cells = []
    with many_objects():
        for (committee, key), by_source in cells.items():
            root = columns[key]
            docs = tuple(sorted((_implementer(res, s, edges, root, ()) for s, edges in by_source.items()),
                                key=_sort_key))
            out_cells.append(MatrixCell(committee, key, docs))
    rows = sorted(set(committees(store)) | {c.committee for c in out_cells}, key=str.casefold)
    cols = tuple(sorted(columns.values(), key=lambda n: (n.date or date.max, n.key)))
    cells_sorted = tuple(sorted(out_cells, key=lambda c: (c.committee, c.target)))
    return CoverageMatrix(columns=cols, rows=tuple(rows), cells=cells_sorted)


# --- the coverage matrix read from the stored resolution --------------------------------
# One statement says which cell each relation into a document at the levels
# asked falls in, with the filters of coverage_matrix (the source names its
# committee and is not at those levels itself) applied in SQL.

#: Where a node's issuer names one body (see Node.specific_issuer).
NAMED_ISSUER_SOURCES: tuple[str, ...] = ("header", "registry", "builtin", "number")


def _stored_matrix(store: Store, res: Resolver, levels: Sequence[str], rels: tuple[str, ...],
                   numbers: dict[str, str | None]) -> CoverageMatrix:
    # Which cell each relation falls in is read here; a cell's nodes, edges
    # and implementers when its documents are first read.
    cells: dict[tuple[str, str], set[str]] = {}
    for r in store.matrix_rows(levels, rels, NAMED_ISSUER_SOURCES):
        if _level_by_number(r.target, numbers) not in levels:
            continue
        committee = r.issuer
        if r.source_id is None:
            node = res.node(r.source_key)  # not stored: made here, and judged as coverage_matrix does
            committee = node.specific_issuer
            if committee is None or node.level in levels:
                continue
        assert committee is not None  # SQL kept only the sources that name it
        found = cells.get((committee, r.target_key))
        if found is None:
            cells[(committee, r.target_key)] = {r.source_key}
        else:
            found.add(r.source_key)
    targets = {key for _, key in cells}
    res.load_nodes(targets)
    columns = {k: res.node(k) for k in targets}
    reader = _ColumnRows(res, rels, sorted({n.id for n in columns.values()}))
    out_cells = [MatrixCell.deferred(committee, key, partial(_cell_documents, res, reader, columns[key], sources))
                 for (committee, key), sources in cells.items()]
    names = sorted(set(committees(store)) | {committee for committee, _ in cells}, key=str.casefold)
    cols = tuple(sorted(columns.values(), key=lambda n: (n.date or date.max, n.key)))
    return CoverageMatrix(columns=cols, rows=tuple(names),
                          cells=tuple(sorted(out_cells, key=lambda c: (c.committee, c.target))))


class _ColumnRows:
    """The rows of the relations into the matrix's columns, by column key
    and source, read for :data:`~docsearch.store.READ_CHUNK` columns at
    once when one of them is first needed (a page of the matrix reads one
    statement or two; the whole matrix one per chunk)."""

    def __init__(self, res: Resolver, rels: tuple[str, ...], ids: list[str]) -> None:
        self.res = res
        self.rels = rels
        self.ids = ids
        self.chunk = {i: n // READ_CHUNK for n, i in enumerate(ids)}
        self.rows: dict[str, dict[str, list[ResolvedEdgeRow]]] = {}
        self.read_ids: set[str] = set()
        self.lock = threading.Lock()
        self.thread = threading.get_ident()

    def _read(self, part: list[str]) -> list[ResolvedEdgeRow]:
        try:
            return self.res.store.implementing_rows(part, self.rels)
        except sqlite3.ProgrammingError:
            if threading.get_ident() == self.thread:
                raise
        # A kept matrix read on another thread than its maker's, whose SQLite
        # connection serves its own thread only (or was closed since): this
        # read has a connection of its own. (The web application's connections
        # serve any thread, as a server's do.)
        with Store.open_reader(self.res.store.index_location) as store:
            return store.implementing_rows(part, self.rels)

    def of(self, column: Node) -> dict[str, list[ResolvedEdgeRow]]:
        """Source key → the rows of its relations into ``column``, in store order."""
        with self.lock:
            if column.id not in self.read_ids:
                n = self.chunk[column.id]
                part = self.ids[n * READ_CHUNK:(n + 1) * READ_CHUNK]
                for r in self._read(part):
                    self.rows.setdefault(r.target_key, {}).setdefault(r.source_key, []).append(r)
                self.read_ids.update(part)
            return self.rows.get(column.key, {})


def _cell_documents(res: Resolver, reader: _ColumnRows, root: Node, sources: set[str]) -> tuple[Implementer, ...]:
    """The implementers of one cell: the relations into ``root`` from
    ``sources`` (in store order)."""
    nodes = res.known_nodes()
    dates = assemble.Dates()
    by_source: dict[str, list[Edge]] = {}
    rows = reader.of(root)
    with many_objects():
        for source in sources:
            edges = by_source[source] = []
            edges.extend(_edge_from_source(r, nodes, dates) for r in rows.get(source, ()))
        return tuple(sorted((_implementer(res, s, edges, root, ()) for s, edges in by_source.items() if edges),
                            key=_sort_key))


# --- the whole graph ----------------------------------------------------------------------

def iter_edges(store: Store, *, resolver: Resolver | None = None, batch: int = 20000) -> Iterator[Edge]:
    """Every edge of the graph, resolved batch by batch (for exports of any size)."""
    res = resolver or Resolver(store, shared=False)  # the whole graph: not kept
    for rows in store.iter_relations(batch):
        yield from res.edges(rows)


def iter_nodes(store: Store, keys: set[str], *, resolver: Resolver) -> Iterator[Node]:
    """The nodes with the given keys plus every stored document identified by
    its header, each once, sorted by key."""
    ids = store.self_ids()
    resolver.prepare(ids)
    all_keys = set(keys)
    for i in ids:
        all_keys.update(n.key for n in resolver.candidates(i))
    resolver.prepare({k.split("@", 1)[0] for k in all_keys})
    for key in sorted(all_keys):
        yield resolver.node(key)


def build_graph(store: Store, *, resolver: Resolver | None = None) -> Graph:
    """The whole graph in memory: every node and edge (see :func:`iter_edges`
    and :func:`iter_nodes` to stream a large one)."""
    res = resolver or Resolver(store, shared=False)  # the whole graph: not kept
    edges = tuple(iter_edges(store, resolver=res))
    keys = {e.source for e in edges} | {e.target for e in edges}
    return Graph(nodes=tuple(iter_nodes(store, keys, resolver=res)), edges=edges)


# --- a document's page: counts, and only the rows it shows -------------------------------
# A central document has ten thousand implementers and more citations. Its
# page counts them and lists a few hundred; with the stored resolution these
# functions read only that (indexed queries on the chosen keys), otherwise
# they cut the full answers of implements() and cites() the same way.

class ImplementerSummary(NamedTuple):
    """One implementing document as a page counts, groups and orders it (a
    tuple: a central document has ten thousand)."""

    key: str
    id: str
    date: date | None
    label: str  # the issuer as grouped (see model.issuer_label)
    issuer: str | None  # the specific issuer, when one body is known

    @classmethod
    def of(cls, node: Node) -> ImplementerSummary:
        """The summary of a resolved node."""
        return cls(node.key, node.id, node.date, issuer_label(node), node.specific_issuer)


@dataclass(frozen=True)
class IncomingGroup:
    """The relations of one type pointing at a document: the first
    ``links`` (by the citing document's date, then key, then store order)
    and how many there are in all."""

    relation: str
    links: tuple[Link, ...]
    total: int


@dataclass(frozen=True)
class Citing:
    """Who refers to a document, as its page shows it: the first relations
    of each type, how many documents assert one, and the first texts that
    only mention it."""

    groups: tuple[IncomingGroup, ...]
    sources: int
    mentions: tuple[Mention, ...]
    mention_total: int = 0  # how many texts only mention it (``mentions`` are the first)


#: The issuer, issuer source and number code of a row of :meth:`Store.implementer_tuples`.
_BODY = itemgetter(3, 4, 5)
_ID = itemgetter(1)


class _IssuerGrouping:
    """The issuer label and specific body (see :func:`issuer_label`) of a
    stored node's issuer, issuer source and number code, worked out once per
    distinct triple (a list of 10,000 implementers has a few hundred)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str | None, str | None, str | None], tuple[str, str | None]] = {}

    def __call__(self, issuer: str | None, source: str | None, code: str | None) -> tuple[str, str | None]:
        kept = self._known.get((issuer, source, code))
        if kept is None:
            bare = Node(key="", id="", type=None, issuer_code=code, level=None, issuer=issuer, issuer_source=source)
            kept = self._known[(issuer, source, code)] = (issuer_label(bare), bare.specific_issuer)
        return kept


def _summary_sort(s: ImplementerSummary) -> tuple[bool, date, str]:
    return (s.date is None, s.date or date.min, s.key)


def implementer_summaries(store: Store, node: Node, *, relations: Sequence[str] = IMPLEMENTING,
                          resolver: Resolver | None = None) -> list[ImplementerSummary]:
    """Every document implementing ``node`` (one level, as :func:`implements`
    finds them), ordered by date then key, without its edges."""
    rels = _check_relations(relations)
    res = resolver or Resolver(store)
    if node.ambiguous:
        return []  # as implements(): citations nothing tells apart are not followed
    if not res.uses_stored():
        return sorted((ImplementerSummary.of(i.node)
                       for i in implements(store, node, relations=rels, resolver=res).implementers),
                      key=_summary_sort)
    grouping = _IssuerGrouping()
    out = []
    dates = assemble.Dates()
    for r in store.implementer_nodes(node.id, node.key, rels):
        if r.key is None or r.id is None:  # not stored: resolved here
            out.append(ImplementerSummary.of(res.node(r.source_key)))
            continue
        label, specific = grouping(r.issuer, r.issuer_source, r.issuer_code)
        out.append(ImplementerSummary(r.key, r.id, dates(r.date), label, specific))
    out.sort(key=_summary_sort)
    return out


def page_implementers(store: Store, node: Node, keys: Iterable[str], *, relations: Sequence[str] = IMPLEMENTING,
                      resolver: Resolver | None = None) -> dict[str, Implementer]:
    """The implementers of ``node`` with the given keys, with their edges
    (as :func:`implements` gives them, one level)."""
    rels = _check_relations(relations)
    res = resolver or Resolver(store)
    wanted = set(keys)
    if not wanted or node.ambiguous:
        return {}
    if not res.uses_stored():
        return {i.node.key: i for i in implements(store, node, relations=rels, resolver=res).implementers
                if i.node.key in wanted}
    edges: dict[str, list[Edge]] = {}
    rows = store.implementer_edges(node.id, node.key, rels, wanted)
    _keep_sources(res, rows)
    dates = assemble.Dates()
    for r in rows:
        edges.setdefault(r.source_key, []).append(assemble.stored_edge(r, dates))
    return {k: _implementer(res, k, e, node, ()) for k, e in edges.items()}


def _keep_sources(res: Resolver, rows: Sequence[ResolvedEdgeRow]) -> None:
    """Give the resolver the source nodes that came with ``rows`` (stored
    nodes, joined to each relation), so that they are not read again; read
    the others."""
    known = res.known_nodes()
    for r in rows:
        if r.source_key not in known:
            found = r.node_row()
            if found is not None:
                known[r.source_key] = resolve.node_from_row(found)
    res.load_nodes({r.source_key for r in rows})


def _link_order(lk: Link) -> tuple[date, str, int]:
    return (lk.node.date or date.max, lk.node.key, lk.edge.doc_id)


def citing(store: Store, node: Node, *, rows: int, mentions: int, resolver: Resolver | None = None) -> Citing:
    """Who refers to ``node``: per relation type the first ``rows`` relations
    and their number, how many documents assert one, and the first
    ``mentions`` texts that only mention it (see :func:`cites`)."""
    res = resolver or Resolver(store)
    if not res.uses_stored():
        cited = cites(store, node, resolver=res)
        groups = []
        for kind, links in cited.by_type():
            ordered = sorted(links, key=_link_order)
            groups.append(IncomingGroup(kind, tuple(ordered[:rows]), len(ordered)))
        return Citing(tuple(groups), len({lk.node.key for lk in cited.citing}), cited.mentions[:mentions],
                      len(cited.mentions))
    counts, sources = store.incoming_summary(node.id, node.key)
    groups = []
    dates = assemble.Dates()
    for kind in sorted(counts, key=lambda k: _ORDER.get(k, 99)):
        found = store.incoming_first(node.id, node.key, kind, rows)
        _keep_sources(res, found)
        links = tuple(Link(res.node(r.source_key), assemble.stored_edge(r, dates)) for r in found)
        groups.append(IncomingGroup(kind, links, counts[kind]))
    only, total = store.mentions_counted(node.key, node.id, node.doc_ids, mentions)
    found_mentions = tuple(Mention(m.doc_id, m.path, m.page, m.text, m.start) for m in only[:mentions])
    return Citing(tuple(groups), sources, found_mentions, total)


def outgoing(store: Store, node: Node, *, resolver: Resolver | None = None) -> tuple[Link, ...]:
    """What ``node`` refers to (as :func:`describe` gives it in ``outgoing``)."""
    res = resolver or Resolver(store)
    return tuple(Link(res.node(e.target), e) for e in res.linked("source", node.id) if e.source == node.key)


def stored_graph(store: Store, *, resolver: Resolver) -> Graph:
    """The whole graph as :func:`build_graph` gives it, read from the stored
    resolution (only when ``resolver.uses_stored()``): every stored edge, and
    the nodes they name plus every stored text's document, sorted by key."""
    dates = assemble.Dates()
    edges = tuple(assemble.stored_edge(r, dates) for rows in store.iter_resolved_edges() for r in rows)
    keys = {e.source for e in edges} | {e.target for e in edges}
    # A stored text's id names its candidates (never the "@?" marker), as iter_nodes adds them.
    keys.update(k for k in store.resolved_node_keys(store.self_ids()) if not k.endswith("@?"))
    resolver.load_nodes(keys)
    return Graph(nodes=tuple(resolver.node(k) for k in sorted(keys)), edges=edges)


# --- a document's page: what it shows, counted and cut in SQL ----------------------------
# A central document's page shows its implementers by issuer (how many, the
# dates they span, the first few of each), their months on a timeline, the
# median delay and what the sources say of it (per value the number of
# sources and the first few). With the stored resolution all of it is
# aggregated by the database, which returns only what the page lists;
# otherwise the same structure is made from the full answers, so both give
# the same page.

@dataclass(frozen=True)
class IssuerImplementers:
    """The implementers of one document issued by one body (an issuer
    label): how many, the first and last date, the specific bodies among
    them, the first ``shown`` (by date, undated last, then key) and how many
    are dated in each month (``yyyy-mm``, in order)."""

    label: str
    count: int
    first: date | None
    last: date | None
    issuers: frozenset[str]
    shown: tuple[ImplementerSummary, ...]
    months: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ImplementationSummary:
    """The implementers of a document as its page shows them: how many, by
    issuer (see :func:`~docsearch.graph.model.issuer_label_order`), and the
    median date of the dated ones (the lower middle one)."""

    target: Node
    count: int
    groups: tuple[IssuerImplementers, ...]
    median_date: date | None

    @property
    def median_lag(self) -> int | None:
        """Days from the document to the median implementer, when both are dated."""
        if self.median_date is None or self.target.date is None:
            return None
        return (self.median_date - self.target.date).days

    @property
    def acted(self) -> set[str]:
        """The specific bodies with an implementing document."""
        return {i for g in self.groups for i in g.issuers}


def _chosen(groups: Sequence[tuple[str, int, date | None]], rows: int, listed: int, drawn: int
            ) -> tuple[set[str], set[str]]:
    """Of the issuers (label, count, first date; in label order): those whose
    first ``rows`` the table lists (in order, until ``listed`` are listed) and
    the ``drawn`` the timeline draws (the earliest first)."""
    table: set[str] = set()
    n = 0
    for label, count, _ in groups:
        if n >= listed:
            break
        table.add(label)
        n += min(rows, count)
    dated = sorted(((first, i) for i, (_, _, first) in enumerate(groups) if first is not None))
    return table, {groups[i][0] for _, i in dated[:drawn]}


def summarise_implementers(node: Node, items: Iterable[ImplementerSummary], *, rows: int, listed: int,
                           drawn: int) -> ImplementationSummary:
    """The summary of the implementers ``items`` of ``node`` (from a full
    list: the site, or a store without its stored resolution): the first
    ``rows`` of each issuer while ``listed`` are listed, the months of the
    ``drawn`` issuers that implemented it first."""
    ordered = sorted(items, key=_summary_sort)
    by_label: dict[str, list[ImplementerSummary]] = {}
    for it in ordered:
        by_label.setdefault(it.label, []).append(it)
    labels = sorted(by_label, key=issuer_label_order)
    firsts = {label: min((it.date for it in by_label[label] if it.date is not None), default=None)
              for label in labels}
    table, timeline = _chosen([(label, len(by_label[label]), firsts[label]) for label in labels], rows, listed,
                              drawn)
    groups = []
    for label in labels:
        its = by_label[label]
        dated = [it.date for it in its if it.date is not None]
        months: dict[str, int] = {}
        if label in timeline:
            for d in dated:
                m = d.isoformat()[:7]
                months[m] = months.get(m, 0) + 1
        groups.append(IssuerImplementers(label, len(its), firsts[label], max(dated, default=None),
                                         frozenset(it.issuer for it in its if it.issuer),
                                         tuple(its[:rows]) if label in table else (), tuple(sorted(months.items()))))
    dates = sorted(it.date for it in ordered if it.date is not None)
    return ImplementationSummary(node, len(ordered), tuple(groups), dates[(len(dates) - 1) // 2] if dates else None)


def implementation_summary(store: Store, node: Node, *, rows: int, listed: int, drawn: int,
                           relations: Sequence[str] = IMPLEMENTING,
                           resolver: Resolver | None = None) -> ImplementationSummary:
    """The implementers of ``node`` (one level, as :func:`implements` finds
    them) as its page shows them: per issuer how many and their dates, the
    first ``rows`` of each issuer while ``listed`` are listed, per month how
    many of the ``drawn`` issuers that implemented it first."""
    rels = _check_relations(relations)
    res = resolver or Resolver(store)
    if node.ambiguous:
        return ImplementationSummary(node, 0, (), None)
    if not res.uses_stored():
        return summarise_implementers(node, implementer_summaries(store, node, relations=rels, resolver=res),
                                      rows=rows, listed=listed, drawn=drawn)
    # Each source once with its node's grouping values, from one indexed
    # read (each relation keeps a copy of them); grouped here over plain
    # tuples (a few thousand), which costs less than grouping them twice in
    # SQL with temporary B-trees. Only the implementers the table lists
    # become objects.
    sources = store.implementer_tuples(node.id, node.key, rels)
    if None in map(_ID, sources):
        # A source without a stored node (rare): resolved here, with the others.
        return summarise_implementers(node, implementer_summaries(store, node, relations=rels, resolver=res),
                                      rows=rows, listed=listed, drawn=drawn)
    # Each row: source key, id, date (ISO text, which sorts as dates do),
    # issuer, its source, the code of its number.
    by_body: dict[tuple[str | None, str | None, str | None], list[tuple[Any, ...]]] = {}
    for r, body in zip(sources, map(_BODY, sources), strict=True):
        its = by_body.get(body)
        if its is None:
            by_body[body] = [r]
        else:
            its.append(r)
    grouping = _IssuerGrouping()
    dates = assemble.Dates()
    members: dict[str, list[tuple[Any, ...]]] = {}
    bodies: dict[str, set[str]] = {}
    for body, its in by_body.items():
        label, specific = grouping(*body)
        members.setdefault(label, []).extend(its)
        mine = bodies.setdefault(label, set())
        if specific:
            mine.add(specific)
    firsts: dict[str, date | None] = {}
    lasts: dict[str, date | None] = {}
    every: list[str] = []
    for label, its in members.items():
        dated = [r[2] for r in its if r[2] is not None]
        every += dated
        firsts[label] = dates(min(dated)) if dated else None
        lasts[label] = dates(max(dated)) if dated else None
    order = sorted(members, key=issuer_label_order)
    table, timeline = _chosen([(label, len(members[label]), firsts[label]) for label in order], rows, listed, drawn)
    groups = []
    for label in order:
        its = members[label]
        shown: list[ImplementerSummary] = []
        if label in table:
            its.sort(key=lambda r: (r[2] is None, r[2] or "", r[0]))
            shown = [ImplementerSummary(r[0], r[1], dates(r[2]), label, grouping(*r[3:])[1]) for r in its[:rows]]
        months: dict[str, int] = {}
        if label in timeline:
            for r in its:
                if r[2] is not None:
                    month = r[2][:7]
                    months[month] = months.get(month, 0) + 1
        groups.append(IssuerImplementers(label, len(its), firsts[label], lasts[label], frozenset(bodies[label]),
                                         tuple(shown), tuple(sorted(months.items()))))
    # The median (lower middle) date of the dated implementers.
    every.sort()
    median = dates(every[(len(every) - 1) // 2]) if every else None
    return ImplementationSummary(node, len(sources), tuple(groups), median)


@dataclass(frozen=True)
class FactSummary:
    """One value of one field of a document as the sources give it: the
    first ``sources`` and how many there are (``total``)."""

    field: str
    value: str
    sources: tuple[FactSource, ...]
    total: int


def page_facts(store: Store, node: Node, *, first: int, resolver: Resolver | None = None
               ) -> tuple[list[FactSummary], tuple[str, ...], tuple[Node, ...]]:
    """What the sources say of ``node`` as its page shows it (the first
    ``first`` sources of each value, by field then value), the fields they
    disagree on and its namesakes (see :func:`describe`)."""
    res = resolver or Resolver(store)
    if not res.uses_stored():
        profile = describe(store, node, resolver=res, links=False)
        return ([FactSummary(f.field, f.value, f.sources[:first], len(f.sources))
                 for f in sorted(profile.facts, key=lambda f: (f.field, f.value))],
                profile.conflicts, profile.namesakes)
    profile = describe(store, node, resolver=res, links=False, citations=False)
    known: dict[tuple[str, str], tuple[list[FactSource], int]] = {
        (f.field, f.value): (list(f.sources), len(f.sources)) for f in profile.facts}
    own = set(node.doc_ids)
    cited: dict[tuple[str, str], tuple[list[FactSource], int]] = {}
    spellings: dict[str, list[str]] = {}
    for r in store.cited_fact_counts(node.key, node.id, own, first):
        if r.field == "issuer":  # kept as written here, merged by name below
            name = body_name(r.value)
            if not name:
                continue
            if r.value not in spellings.setdefault(name, []):
                spellings[name].append(r.value)
        sources, _ = cited.setdefault((r.field, r.value), ([], r.total))
        sources.append(FactSource("citation", r.path, r.page))
    for name, raw in spellings.items():
        if len(raw) == 1:
            cited[("issuer", name)] = cited.pop(("issuer", raw[0]))
            continue
        # Bodies written several ways: their sources are counted once each.
        for spelled in raw:
            cited.pop(("issuer", spelled))
        seen: dict[tuple[str, int], None] = {}
        for c in store.cited_fact_sources(node.key, own, raw):
            seen.setdefault((c.path, c.page), None)
        everyone = [FactSource("citation", path, page) for path, page in seen]
        cited[("issuer", name)] = (everyone[:first], len(everyone))
    for slot, (sources, total) in cited.items():
        mine, count = known.get(slot, ([], 0))
        known[slot] = (mine + sources, count + total)
    facts = [FactSummary(f, v, tuple(sources[:first]), total) for (f, v), (sources, total) in sorted(known.items())]
    return facts, _conflicts(list(known)), profile.namesakes


def by_issuer(result: ImplementsResult, label: str) -> ImplementsResult:
    """The direct implementers of ``result`` issued by ``label`` (an issuer
    as :func:`~docsearch.graph.model.issuer_label` names it), with their
    own implementers: what "see more" of one issuer on a document page lists."""
    return replace(result, implementers=tuple(i for i in result.implementers if issuer_label(i.node) == label))


def cites_slice(result: CitesResult, relation: str | None, offset: int, limit: int | None) -> CitesResult:
    """Part of ``result``: the relations of one type (all when None) in the
    order a document page lists them (the citing document's date, undated
    last, then key, then the text asserting it), from the ``offset``-th,
    ``limit`` at most; with a relation, the texts that only mention it are
    left out."""
    links = [lk for lk in result.citing if relation is None or lk.edge.type == relation]
    if relation is not None:
        links.sort(key=_link_order)
    end = None if limit is None else offset + limit
    return CitesResult(target=result.target, citing=tuple(links[offset:end]),
                       mentions=() if relation is not None else result.mentions)
