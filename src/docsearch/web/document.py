"""A document's page in the live application, from the graph queries.

The static site reads the whole store once and draws every page; the live
application answers one address at a time. It asks the same library
functions (:func:`~docsearch.graph.describe`, :func:`~docsearch.graph.cites`,
:func:`~docsearch.graph.implements`) and fills the same template
(``document.html``, or ``text.html`` for a text without a number of its own)
with the same values the site builder gives it.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..graph import BadQuery, Edge, GraphError, Link, Node, Resolver, UnknownDocument, describe, implements
from ..graph import cites as graph_cites
from ..graph import committees as graph_committees
from ..graph.model import RELATION_PRECEDENCE, issuer_label
from ..i18n import Translator
from ..models import Document
from ..site import svg
from ..site.build import DETAILED_ROWS, EdgeRow, ImplementerGroup, MentionRow, Named, Stated
from ..site.collect import TextInfo
from ..site.markup import RefMark, evidence_anchor, mark_text
from ..store import Store
from .urls import LiveUrls

#: Implementing documents listed in the table of a document page; the
#: implements report (and its CSV and JSON) lists them all.
IMPLEMENTER_ROWS = 300
#: Relations of one type listed without their sentence after the first
#: DETAILED_ROWS; the rest are counted (the cites report lists them all).
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

    @property
    def count(self) -> int:
        return self.total
_ORDER = {t: i for i, t in enumerate(RELATION_PRECEDENCE)}


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
        shown: list[tuple[str, list[Link], int]] = []
        for kind in sorted(by_kind, key=lambda k: _ORDER.get(k, 99)):
            items = sorted(by_kind[kind], key=lambda lk: (lk.node.date or date.max, lk.node.key, lk.edge.doc_id))
            shown.append((kind, items[:DETAILED_ROWS + MORE_ROWS], len(items)))
        # Only the rows a page shows are drawn: a document cited by ten
        # thousand lists a few hundred, and the rest is counted.
        langs = self._langs({lk.edge.doc_id for _, items, _ in shown for lk in items})
        out = []
        for kind, items, total in shown:
            rows = []
            for lk in items:
                where, label = self.where(lk.edge)
                rows.append(EdgeRow(lk.node, lk.edge, where, label, lk.edge.doc_id in own, langs.get(lk.edge.doc_id)))
            out.append(ShownGroup(kind, kind, tuple(rows[:DETAILED_ROWS]), tuple(rows[DETAILED_ROWS:]), total))
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

    def facts(self, node: Node) -> tuple[list[tuple[str, str, list[tuple[str, str | None]]]], tuple[str, ...],
                                         list[Node], Any]:
        profile = describe(self.store, node, resolver=self.res)
        # The page names the first sources of each value; their texts are looked up at once.
        wanted = sorted({s.path for f in profile.facts for s in f.sources[:FACT_SOURCES] if s.path is not None})
        pages: dict[str, str | None] = {
            path: self.urls.text(doc_id) for path, doc_id in self.store.doc_ids_by_path(wanted).items()}
        facts = []
        for f in sorted(profile.facts, key=lambda f: (f.field, f.value)):
            sources = []
            for s in f.sources:
                target = pages.get(s.path) if s.path is not None else None
                label = self.t.source(s.kind) + (f": {_name(s.path)}" if s.path else "") + (
                    f" p.{s.page}" if s.page else "")
                sources.append((label, target))
            facts.append((f.field, f.value, sources))
        return facts, profile.conflicts, list(profile.namesakes), profile

    def implementation(self, node: Node) -> dict[str, Any] | None:
        result = implements(self.store, node, resolver=self.res)
        if not result.implementers:
            return None
        groups = []
        shown = 0
        for label, items in result.by_issuer():
            rows = []
            for imp in items:
                if shown >= IMPLEMENTER_ROWS:
                    break
                rows.append((imp, self.where(imp.evidence)[0]))
                shown += 1
            if rows:
                groups.append(ImplementerGroup(label, self.urls.issuer(label), tuple(rows)))
        acted = {imp.node.specific_issuer for imp in result.implementers if imp.node.specific_issuer}
        missing = [c for c in graph_committees(self.store) if c not in acted and c != node.issuer]
        lags = [i.lag_days for i in result.implementers if i.lag_days is not None]
        return {
            "count": len(result.implementers),
            "issuers": len(result.by_issuer()),
            "groups": groups,
            "hidden": len(result.implementers) - shown,
            "report": self.urls.implements(node.key),
            "missing": [(m, self.urls.issuer(m)) for m in missing],
            "median_lag": int(statistics.median_low(lags)) if lags else None,
            "timeline": svg.timeline(node, result.by_issuer(), self.urls.node),
        }

    # -- pages -----------------------------------------------------------------------------
    def document(self, node: Node, doc: Document | None) -> DocumentPage:
        t = self.t
        own = set(node.doc_ids)
        if doc is None and node.doc_ids:
            doc = self.store.document(node.doc_ids[0])
        info = self.info(doc, node.key, True) if doc is not None else None
        lang = _lang(doc.lang) if doc is not None else "vi"
        facts, conflicts, namesakes, profile = self.facts(node)
        cited = graph_cites(self.store, node, resolver=self.res)
        outgoing = self.groups(profile.outgoing, own)
        incoming = self.groups(cited.citing, own)
        asserting = {lk.edge.doc_id for lk in cited.citing} | own
        mentions: list[MentionRow] = []
        for m in cited.mentions:
            if m.doc_id in asserting:
                continue
            if len(mentions) >= MENTION_ROWS:
                break
            text = TextInfo(m.doc_id, m.path, "", "", None, 0, 0, (), (), None, None, self.urls.text(m.doc_id), False)
            mentions.append(MentionRow(text, self.urls.at(self.urls.text(m.doc_id), f"ref-{m.start}")))
        edges = self.asserted(doc.doc_id) if doc is not None else []
        shown = {lk.node.key for lk in profile.outgoing} | {e.target for e in edges}
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
            facts=facts, conflicts=conflicts, namesakes=namesakes, outgoing=outgoing, incoming=incoming,
            mentions=mentions, copies=copies, stated=self.stated(edges, node.key, lang), candidates=candidates,
            named=named, citing=len({lk.node.key for lk in cited.citing}) + len(mentions),
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
        raise DocumentNotFound("no document given")
    doc: Document | None = None
    if q.lstrip("#").isdigit():
        found = store.find_documents(q)
        if not found:
            raise DocumentNotFound(f"no stored document {q}")
        doc = found[0]
    else:
        try:
            node = b.res.resolve_query(q)
            return b.document(node, None)
        except (BadQuery, UnknownDocument):
            found = store.find_documents(q)
            if not found:
                raise DocumentNotFound(f"nothing in the index is or mentions '{q}'") from None
            doc = found[0]
    text = b.res.find_doc(doc.doc_id)
    key = b.res.own_key(text) if text is not None else None
    if key is None:
        return b.text(doc)
    return b.document(b.res.node(key), doc)
