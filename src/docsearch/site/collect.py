"""Everything the site shows, read from the store once.

The cross-reference graph (nodes, edges, implementers, the coverage matrix)
comes from :mod:`docsearch.graph`: read from the store's resolution when it
is current (:mod:`docsearch.graph.stored`), else resolved here. Two bulk
questions are asked here, in :func:`resolve_all_references`: which document
each reference in each stored text points to, and which texts mention a
document without asserting a relation about it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..graph import (
    IMPLEMENTING,
    CoverageMatrix,
    Edge,
    ImplementsResult,
    Node,
    Resolver,
    build_graph,
    committees,
    coverage_matrix,
    implements,
)
from ..graph.query import stored_graph
from ..graph.resolve import identity_from_json
from ..i18n import Sayable, said_from_json
from ..models import Identity, OcrPage, ocr_summary
from ..store import Store, TextMeta
from .urls import Urls


@dataclass(frozen=True)
class TextInfo:
    """A stored text and the page that shows it.

    ``key`` is the graph key of the document the text is (from its header),
    None for texts without a header. ``primary`` is true when the text is
    shown on its document's page; other texts get a page of their own.
    """

    doc_id: int
    path: str
    format: str
    lang: str
    title: str | None
    size: int
    chars: int
    page_starts: tuple[int, ...]
    warnings: tuple[str | Sayable, ...]
    identity: Identity | None
    key: str | None
    page: str
    primary: bool
    ocr_pages: tuple[OcrPage, ...] = ()

    @property
    def ocr(self) -> str | None:
        """Which pages were read by OCR and how well; None for none."""
        return ocr_summary(self.ocr_pages, self.pages) if self.ocr_pages else None

    @property
    def name(self) -> str:
        """The file name, for people."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def pages(self) -> int:
        return max(1, len(self.page_starts))


@dataclass(frozen=True)
class RefTarget:
    """One reference of a stored text with the graph key it resolves to
    (None when the tagger could not resolve it)."""

    ord: int
    start: int
    end: int
    text: str
    ref_id: str | None
    key: str | None
    relation: str
    status: str


@dataclass(frozen=True)
class Mention:
    """A place in a stored text that names a document."""

    doc_id: int
    start: int


@dataclass(frozen=True)
class SiteData:
    """The graph and the texts, indexed the ways the pages need them."""

    nodes: dict[str, Node]
    texts: dict[int, TextInfo]
    outgoing: dict[str, list[Edge]]
    incoming: dict[str, list[Edge]]
    asserted: dict[int, list[Edge]]
    mentions: dict[str, list[Mention]]
    ref_keys: dict[int, tuple[str | None, ...]]
    implementers: dict[str, ImplementsResult]
    matrix: CoverageMatrix
    committees: tuple[str, ...]
    resolver: Resolver

    def text_page(self, doc_id: int) -> str:
        return self.texts[doc_id].page

    def primary_text(self, node: Node) -> TextInfo | None:
        for d in node.doc_ids:
            info = self.texts.get(d)
            if info is not None and info.primary:
                return info
        return None

    def ordered_nodes(self) -> list[Node]:
        """Stored documents first, then the most recent first: the order of
        pages in listings and of documents in the search index."""
        return sorted(self.nodes.values(), key=_rank)


def _rank(n: Node) -> tuple[bool, int, str]:
    return (not n.stored, -(n.date.toordinal() if n.date else 0), n.key)


def read_texts(store: Store) -> list[TextMeta]:
    """Every stored text's metadata, without the text itself, in path order."""
    return store.text_metadata()


def resolve_all_references(store: Store, res: Resolver) -> dict[int, list[RefTarget]]:
    """Every reference of every stored text with the graph key it means.

    Bulk counterpart of :meth:`Resolver.choose` over the whole ``refs``
    table, read once in document order (what :func:`docsearch.graph.cites`
    does for one document at a time); read from the stored resolution of
    the citations when it is current.
    """
    if res.uses_stored():
        stored: dict[int, list[RefTarget]] = defaultdict(list)
        for c, key in store.resolved_references():
            stored[c.doc_id].append(RefTarget(c.ord, c.start, c.end, c.text, c.ref_id, key if c.ref_id else None,
                                              c.relation, c.status))
        return dict(stored)
    rows = store.all_citations()
    res.prepare({r.ref_id for r in rows if r.ref_id})
    res.load_docs({r.doc_id for r in rows})
    out: dict[int, list[RefTarget]] = defaultdict(list)
    for r in rows:
        key = None
        if r.ref_id:
            when = date.fromisoformat(r.date) if r.date else None
            key = res.choose(r.ref_id, when=when, doc=res.doc(r.doc_id), span=(r.start, r.end),
                             year=r.year, term=r.term, place=r.place)
        out[r.doc_id].append(RefTarget(r.ord, r.start, r.end, r.text, r.ref_id, key, r.relation, r.status))
    return dict(out)


def collect(store: Store, urls: Urls) -> tuple[SiteData, dict[int, list[RefTarget]]]:
    """Read the graph and the texts' metadata; also returns each text's
    references with their targets (needed once, when its page is drawn)."""
    # A resolver of its own: a build resolves the whole store, which is not
    # worth keeping in the process after it.
    res = Resolver(store, shared=False)
    # The stored resolution, when current, is read as it is; else everything is resolved here.
    graph = stored_graph(store, resolver=res) if res.uses_stored() else build_graph(store, resolver=res)
    nodes: dict[str, Node] = {n.key: n for n in graph.nodes}

    refs = resolve_all_references(store, res)
    if res.uses_stored():
        # The nodes only citations name, read at once rather than one by one below.
        res.load_nodes({t.key for targets in refs.values() for t in targets if t.key is not None} - set(nodes))
    for targets in refs.values():
        for t in targets:
            if t.key is not None and t.key not in nodes:
                nodes[t.key] = res.node(t.key)
    # Candidates of an ambiguous marker get a page too, so its list links somewhere.
    for n in list(nodes.values()):
        for k in n.candidates:
            if k not in nodes:
                nodes[k] = res.node(k)

    primary: dict[int, str] = {}
    for n in nodes.values():
        if n.doc_ids:
            primary[n.doc_ids[0]] = n.key
    texts: dict[int, TextInfo] = {}
    rows = list(read_texts(store))
    res.load_docs([r.doc_id for r in rows])
    ocr = store.all_ocr_pages()
    identities = [identity_from_json(r.self_json) for r in rows]
    # The candidates of every number the texts' headers state, in batches
    # rather than three queries per text in the loop below.
    res.prepare(ident.id for ident in identities if ident is not None)
    for r, ident in zip(rows, identities, strict=True):
        doc_id = r.doc_id
        own = res.own_key(res.doc(doc_id)) if ident is not None else None
        is_primary = primary.get(doc_id) is not None
        page = urls.node(primary[doc_id]) if is_primary else urls.text(r.path)
        texts[doc_id] = TextInfo(
            doc_id=doc_id, path=r.path, format=r.format, lang=r.lang,
            title=r.title if r.title else None,
            size=r.size, chars=r.chars,
            page_starts=tuple(json.loads(r.page_starts)), warnings=tuple(map(said_from_json, json.loads(r.warnings))),
            identity=ident, key=own if own in nodes else None, page=page, primary=is_primary,
            ocr_pages=tuple(ocr.get(doc_id, ())),
        )

    outgoing: dict[str, list[Edge]] = defaultdict(list)
    incoming: dict[str, list[Edge]] = defaultdict(list)
    asserted: dict[int, list[Edge]] = defaultdict(list)
    for e in graph.edges:
        outgoing[e.source].append(e)
        incoming[e.target].append(e)
        asserted[e.doc_id].append(e)

    mentions: dict[str, list[Mention]] = defaultdict(list)
    ref_keys: dict[int, tuple[str | None, ...]] = {}
    for doc_id, targets in refs.items():
        ref_keys[doc_id] = tuple(t.key for t in targets)
        own = texts[doc_id].key if doc_id in texts else None
        seen: set[str] = set()
        for t in targets:
            if t.key is None or t.key == own or t.key in seen:
                continue
            seen.add(t.key)
            mentions[t.key].append(Mention(doc_id, t.start))

    # The graph is resolved once above: implementers and the matrix are
    # drawn from its edges instead of reading and resolving them again.
    impl: dict[str, ImplementsResult] = {}
    for key, edges in incoming.items():
        node = nodes.get(key)
        if node is None or node.level != "central" or node.ambiguous:
            continue
        if any(e.type in IMPLEMENTING for e in edges):
            impl[key] = implements(store, node, resolver=res, edges=edges)

    matrix = coverage_matrix(store, resolver=res, edges=graph.edges)
    return SiteData(
        nodes=nodes, texts=texts, outgoing=dict(outgoing), incoming=dict(incoming), asserted=dict(asserted),
        mentions=dict(mentions), ref_keys=ref_keys, implementers=impl, matrix=matrix,
        committees=committees(store), resolver=res,
    ), refs
