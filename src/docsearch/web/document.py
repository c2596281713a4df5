"""A document's page in the live application, from the graph queries.

The static site reads the whole store once and draws every page; the live
application answers one address at a time. It asks the same library
functions (:func:`~docsearch.graph.describe`, :func:`~docsearch.graph.cites`,
:func:`~docsearch.graph.implements`) and fills the same template
(``document.html``, or ``text.html`` for a text without a number of its own)
with the same values the site builder gives it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from ..graph import BadQuery, Edge, GraphError, Link, Node, Resolver, UnknownDocument
from ..graph import committees as graph_committees
from ..graph.model import RELATION_PRECEDENCE, issuer_label
from ..graph.query import IncomingGroup, citing, implementation_summary, outgoing, page_facts, page_implementers
from ..i18n import Translator, phrase
from ..models import Document
from ..site import svg
from ..site.build import DETAILED_ROWS, EdgeRow, MentionRow, Named, Stated, implementation_view
from ..site.collect import TextInfo
from ..site.markup import RefMark, evidence_anchor, mark_text
from ..store import Store
from .urls import LiveUrls

#: Implementing documents listed in the table of a document page (issuers
#: past them are counted in a table of their own); the implements report
#: (and its CSV and JSON) lists them all, by issuer with ``issuer=``.
IMPLEMENTER_ROWS = 300
#: Implementing documents listed for one issuer; the rest are counted and linked.
GROUP_ROWS = 10
#: Relations of one type listed without their sentence after the first
#: DETAILED_ROWS (what a document refers to); the rest are counted.
MORE_ROWS = 400
#: Texts that only mention the document, listed on its page.
MENTION_ROWS = 200
#: Sources named for each value in "what the sources say".
FACT_SOURCES = 6


@dataclass(frozen=True)
class ShownGroup:
    """Relations of one type as a page shows them: ``rows`` with their
    sentence, ``more`` as plain links, ``total`` of them in all."""

    label: str
    relation: str
    rows: tuple[EdgeRow, ...]
    more: tuple[EdgeRow, ...]
    total: int
    more_link: str | None = None  # where the rows past these are listed

    @property
    def count(self) -> int:
        return self.total
_ORDER = {t: i for i, t in enumerate(RELATION_PRECEDENCE)}


class FirstSources(Sequence[tuple[str, str | None]]):
    """The sources of one value as a page names them: the first
    :data:`FACT_SOURCES` (label, link), and as long as all of them (a date
    five thousand texts cite is followed by "and 4,994 more")."""

    def __init__(self, first: tuple[tuple[str, str | None], ...], total: int) -> None:
        self.first = first
        self.total = total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> tuple[str, str | None]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[str, str | None], ...]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, str | None] | tuple[tuple[str, str | None], ...]:
        # Only the first ones are drawn; an index past them is an error, not a blank.
        return self.first[index]


class DocumentNotFound(GraphError):
    """No stored text and nothing in the graph matches the address."""


@dataclass(frozen=True)
class DocumentPage:
    """What to render: the template, the page title and its values."""

    template: str
    title: str
    context: dict[str, Any]


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _lang(code: str | None) -> str | None:
    return code if code and code.isalpha() and len(code) <= 3 else None


class _Builder:
    def __init__(self, store: Store, urls: LiveUrls, t: Translator, resolver: Resolver | None = None) -> None:
        self.store = store
        self.urls = urls
        self.t = t
        self.res = resolver or Resolver(store)

    # -- pieces ----------------------------------------------------------------------------
    def info(self, doc: Document, key: str | None, primary: bool) -> TextInfo:
        return TextInfo(
            doc_id=doc.doc_id, path=doc.path, format=doc.format, lang=doc.lang, title=doc.title,
            size=doc.size, chars=len(doc.text), page_starts=tuple(doc.page_starts), warnings=tuple(doc.warnings),
            identity=doc.identity, key=key, page=self.urls.node(key) if primary and key else self.urls.text(doc.doc_id),
            primary=primary,
        )

    def where(self, edge: Edge) -> tuple[str, str]:
        return self.urls.at(self.urls.text(edge.doc_id), evidence_anchor(edge.evidence_start)), _name(edge.path)

    def asserted(self, doc_id: int) -> list[Edge]:
        return self.res.edges(self.store.relations_asserted(doc_id))

    def groups(self, links: Sequence[Link], own: set[int]) -> list[ShownGroup]:
        by_kind: dict[str, list[Link]] = defaultdict(list)
        for lk in links:
            by_kind[lk.edge.type].append(lk)
        shown: list[IncomingGroup] = []
        for kind in sorted(by_kind, key=lambda k: _ORDER.get(k, 99)):
            items = sorted(by_kind[kind], key=lambda lk: (lk.node.date or date.max, lk.node.key, lk.edge.doc_id))
            shown.append(IncomingGroup(kind, tuple(items[:DETAILED_ROWS + MORE_ROWS]), len(items)))
        return self.shown_groups(shown, own)

    def shown_groups(self, shown: Sequence[IncomingGroup], own: set[int],
                     more: Callable[[str], str] | None = None) -> list[ShownGroup]:
        # Only the rows a page shows are drawn: a document cited by ten
        # thousand lists a few hundred, and the rest is counted.
        langs = self._langs({lk.edge.doc_id for g in shown for lk in g.links})
        out = []
        for g in shown:
            rows = []
            for lk in g.links:
                where, label = self.where(lk.edge)
                rows.append(EdgeRow(lk.node, lk.edge, where, label, lk.edge.doc_id in own, langs.get(lk.edge.doc_id)))
            out.append(ShownGroup(g.relation, g.relation, tuple(rows[:DETAILED_ROWS]), tuple(rows[DETAILED_ROWS:]),
                                  g.total, more(g.relation) if more is not None else None))
        return out

    def body(self, doc: Document, edges: Sequence[Edge]) -> Any:
        marks = []
        for r in self.store.references(doc.doc_id):
            css = f"ref r-{r.relation}" + ("" if r.status == "resolved" else f" s-{r.status}")
            if r.id is None:
                marks.append(RefMark(r.start, r.end, None, css + " unlinked",
                                     f"{self.t('unknown')} ({r.status})", f"ref-{r.start}"))
            else:
                label = f"{r.id} · {self.t.relation(r.relation)}"
                marks.append(RefMark(r.start, r.end, self.urls.node(r.id), css, label, f"ref-{r.start}"))
        anchors = [(e.evidence_start, e.evidence_end) for e in edges]
        return mark_text(doc.text, marks, evidence=anchors, page_starts=doc.page_starts)

    def named(self, doc: Document, skip: set[str], own_key: str | None) -> list[Named]:
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for r in self.store.references(doc.doc_id):
            if r.id is None or r.id in skip or r.id == own_key:
                continue
            counts[r.id] += 1
            first.setdefault(r.id, r.start)
        out = []
        for ref_id in sorted(counts, key=lambda k: first[k]):
            try:
                node = self.res.resolve_query(ref_id)
            except GraphError:
                continue
            if node.key in skip:
                continue
            out.append(Named(node, counts[ref_id], self.urls.at(self.urls.text(doc.doc_id), f"ref-{first[ref_id]}")))
        return out

    def stated(self, edges: Sequence[Edge], key: str | None, lang: str | None) -> list[tuple[str, tuple[Stated, ...]]]:
        by_kind: dict[str, list[Stated]] = defaultdict(list)
        for e in edges:
            if key is not None and key in (e.source, e.target):
                continue
            where, _ = self.where(e)
            by_kind[e.type].append(Stated(self.res.node(e.source), self.res.node(e.target), e, where, lang))
        return [(k, tuple(by_kind[k])) for k in sorted(by_kind, key=lambda k: _ORDER.get(k, 99))]

    def facts(self, node: Node) -> tuple[list[tuple[str, str, FirstSources]], tuple[str, ...], list[Node]]:
        # Counted in SQL: a value five thousand texts cite is read as its
        # first sources and their number.
        found, conflicts, namesakes = page_facts(self.store, node, first=FACT_SOURCES, resolver=self.res)
        wanted = sorted({s.path for f in found for s in f.sources if s.path is not None})
        pages: dict[str, str | None] = {
            path: self.urls.text(doc_id) for path, doc_id in self.store.doc_ids_by_path(wanted).items()}
        facts = []
        for f in found:
            sources = []
            for s in f.sources:
                target = pages.get(s.path) if s.path is not None else None
                label = self.t.source(s.kind) + (f": {_name(s.path)}" if s.path else "") + (
                    f" p.{s.page}" if s.page else "")
                sources.append((label, target))
            facts.append((f.field, f.value, FirstSources(tuple(sources), f.total)))
        return facts, conflicts, list(namesakes)

    def implementation(self, node: Node) -> dict[str, Any] | None:
        # Counted and grouped in SQL: per issuer how many, their dates, the
        # first GROUP_ROWS, and per month how many; only the implementers
        # the table lists are read whole.
        summary = implementation_summary(self.store, node, rows=GROUP_ROWS, listed=IMPLEMENTER_ROWS,
                                         drawn=svg.TIMELINE_ROWS, resolver=self.res)
        if not summary.count:
            return None
        keys = [s.key for g in summary.groups for s in g.shown]
        full = page_implementers(self.store, node, keys, resolver=self.res)
        shown = {k: (imp, self.where(imp.evidence)[0]) for k, imp in full.items()}
        return implementation_view(summary, shown, self.urls.issuer,
                                   lambda label: self.urls.implements_by(node.key, label),
                                   graph_committees(self.store), report=self.urls.implements(node.key))

    # -- pages -----------------------------------------------------------------------------
    def document(self, node: Node, doc: Document | None) -> DocumentPage:
        t = self.t
        own = set(node.doc_ids)
        if doc is None and node.doc_ids:
            doc = self.store.document(node.doc_ids[0])
        info = self.info(doc, node.key, True) if doc is not None else None
        lang = _lang(doc.lang) if doc is not None else "vi"
        facts, conflicts, namesakes = self.facts(node)
        refers = outgoing(self.store, node, resolver=self.res)
        # What refers to it: the first DETAILED_ROWS of each relation with their
        # sentence, the rest counted and one click away.
        cited = citing(self.store, node, rows=DETAILED_ROWS, mentions=MENTION_ROWS, resolver=self.res)
        outgoing_groups = self.groups(refers, own)
        incoming = self.shown_groups(cited.groups, own, lambda kind: self.urls.cites(node.key, kind, DETAILED_ROWS))
        mentions: list[MentionRow] = []
        for m in cited.mentions:
            text = TextInfo(m.doc_id, m.path, "", "", None, 0, 0, (), (), None, None, self.urls.text(m.doc_id), False)
            mentions.append(MentionRow(text, self.urls.at(self.urls.text(m.doc_id), f"ref-{m.start}")))
        edges = self.asserted(doc.doc_id) if doc is not None else []
        shown = {lk.node.key for lk in refers} | {e.target for e in edges}
        named = self.named(doc, shown, node.key) if doc is not None else []
        copies = []
        for d in node.doc_ids:
            if doc is None or d == doc.doc_id:
                continue
            other = self.store.document(d)
            copies.append(self.info(other, node.key, False))
        candidates = [self.res.node(k) for k in node.candidates]
        title = node.key + (f" — {_clip(node.title, 80)}" if node.title else "")
        context = dict(
            node=node, info=info, body=self.body(doc, edges) if doc is not None else None, lang=lang,
            facts=facts, conflicts=conflicts, namesakes=namesakes, outgoing=outgoing_groups, incoming=incoming,
            mentions=mentions, mention_total=cited.mention_total,
            mentions_more=self.urls.cites(node.key, None, 0) if cited.mention_total > len(mentions) else None,
            copies=copies, stated=self.stated(edges, node.key, lang), candidates=candidates,
            named=named, citing=cited.sources + len(mentions),
            implementation=self.implementation(node), graph_page=None,
            issuer=issuer_label(node), issuer_page=self.urls.issuer(issuer_label(node)),
            type_page=self.urls.type(node.type or "?"),
            year_page=self.urls.year(node.date.year if node.date else None),
            node_page=self.urls.node, incoming_labels=t.relations(incoming=True), outgoing_labels=t.relations(),
            reports=bool(node.doc_ids) or bool(incoming),
        )
        return DocumentPage("document.html", title, context)

    def text(self, doc: Document) -> DocumentPage:
        edges = self.asserted(doc.doc_id)
        lang = _lang(doc.lang)
        info = self.info(doc, None, False)
        context = dict(
            info=info, body=self.body(doc, edges), lang=lang, stated=self.stated(edges, None, lang), owner=None,
            named=self.named(doc, {e.target for e in edges} | {e.source for e in edges}, None), owner_node=None,
            node_page=self.urls.node, outgoing_labels=self.t.relations(),
        )
        return DocumentPage("text.html", doc.title or info.name, context)

    def _langs(self, doc_ids: set[int]) -> dict[int, str | None]:
        return {doc_id: _lang(lang) for doc_id, lang in self.store.languages(doc_ids).items()}


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _stored_node(res: Resolver, key: str) -> Node | None:
    """The node whose key is exactly ``key``, when the stored resolution has
    one: the application's own links name keys, and reading them needs no
    tagger (whose first use in a process costs a quarter of a second)."""
    if not res.uses_stored() or not res.store.resolved_nodes([key]):
        return None
    return res.node(key)


def document_page(store: Store, query: str, urls: LiveUrls, t: Translator, *,
                  resolver: Resolver | None = None) -> DocumentPage:
    """The page for ``/documents/{query}``: ``#N`` (or ``N``) is a stored text,
    anything else a document id, key or name (``57-NQ/TW``, ``Nghị quyết 57``)
    or the end of a stored path.

    Raises :class:`DocumentNotFound`, or the graph's
    :class:`~docsearch.graph.AmbiguousDocument` with the candidates.
    """
    b = _Builder(store, urls, t, resolver)
    q = query.strip()
    if not q:
        raise DocumentNotFound(phrase("no document given"))
    doc: Document | None = None
    if q.lstrip("#").isdigit():
        found = store.find_documents(q)
        if not found:
            raise DocumentNotFound(phrase("no stored document {doc}", doc=q))
        doc = found[0]
    else:
        try:
            node = _stored_node(b.res, q) or b.res.resolve_query(q)
            return b.document(node, None)
        except (BadQuery, UnknownDocument):
            found = store.find_documents(q)
            if not found:
                raise DocumentNotFound(phrase("nothing in the index is or mentions '{query}'", query=q)) from None
            doc = found[0]
    text = b.res.find_doc(doc.doc_id)
    key = b.res.own_key(text) if text is not None else None
    if key is None:
        return b.text(doc)
    return b.document(b.res.node(key), doc)
