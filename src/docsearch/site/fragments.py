"""Pieces of HTML that pages repeat hundreds of times (links to documents,
lists of relations), written in Python because a template macro costs ten
times as much per row. Every value from a document is escaped with
:func:`esc`; the result is :class:`~markupsafe.Markup` for the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from datetime import date
from typing import Protocol

import markupsafe
from markupsafe import Markup

from ..graph import Edge, Implementer, Node
from ..i18n import Translator, translator

# markupsafe's string escaper (its C speedups when built), looked up because
# it is not part of markupsafe's documented interface.
_ESCAPE_INNER: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def _esc_replace(value: object) -> str:
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


if _ESCAPE_INNER is not None and _ESCAPE_INNER("<&>\"'") == _esc_replace("<&>\"'"):
    _inner: Callable[[str], str] = _ESCAPE_INNER

    def esc(value: object) -> str:
        """HTML-escape text for element content and quoted attributes (the
        same characters as :func:`markupsafe.escape`), in one call into C:
        a page escapes a hundred values."""
        return _inner(value if type(value) is str else str(value))
else:
    def esc(value: object) -> str:
        """HTML-escape text for element content and quoted attributes (the
        same characters as :func:`markupsafe.escape`)."""
        return _esc_replace(value)


def clip(text: str | None, limit: int) -> str:
    """Whitespace collapsed, cut to ``limit`` characters with an ellipsis."""
    text = text or ""
    if len(text) > limit + 64:
        # A long sentence: its head collapsed is a prefix of the whole one
        # collapsed (at worst its last word is cut), so when the head alone
        # is over the limit it gives the same result without splitting the rest.
        head = " ".join(text[: limit + 64].split())
        if len(head) > limit:
            return head[: limit - 1] + "…"
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Row(Protocol):
    other: Node
    edge: Edge
    where: str
    where_label: str
    own: bool
    lang: str | None


class RowGroup(Protocol):
    relation: str
    rows: Sequence[Row]
    more: Sequence[Row]
    more_link: str | None  # the page listing the rows past these (None: all are here)

    @property
    def count(self) -> int: ...


class StatedRow(Protocol):
    source: Node
    target: Node
    edge: Edge
    where: str
    lang: str | None


Link = Callable[[str], str]


def display_key(node: Node) -> str:
    """How a document is named in links: its key (``18-NQ/TW@2017-10-25``
    tells namesakes apart), or ``28-NQ/TW (ambiguous)`` for citations that
    could not be attributed."""
    return f"{node.id} (ambiguous)" if node.ambiguous else node.key


def doc_link(u: Link, node: Node, page: str | None) -> str:
    """``<a class="doc">57-NQ/TW</a>`` (dashed when known only from citations)."""
    key = esc(display_key(node))
    if page is None:
        return f'<span class="doc">{key}</span>'
    css = "doc" if node.stored else "doc cited"
    return f'<a href="{esc(u(page))}" class="{css}">{key}</a>'


def _cached_link(u: Link, node: Node, page_of: Callable[[str], str | None],
                 links: MutableMapping[str, str] | None) -> str:
    """:func:`doc_link` of ``node`` from ``u``, kept in ``links`` (by key)
    when given: the caller's promise that a key's link is the same from
    every page that shares ``links``."""
    if links is None:
        return doc_link(u, node, page_of(node.key))
    found = links.get(node.key)
    if found is None:
        found = links[node.key] = doc_link(u, node, page_of(node.key))
    return found


def _lang(code: str | None) -> str:
    return f' lang="{esc(code)}"' if code else ""


def _brief(node: Node, title_chars: int, t: Translator) -> str:
    out = []
    if node.date:
        out.append(f' <time datetime="{node.date.isoformat()}">{t.date(node.date)}</time>')
    if node.title:
        out.append(f' <span class="doc-title" lang="vi">{esc(clip(node.title, title_chars))}</span>')
    if not node.stored:
        out.append(f' <span class="badge">{esc(t("cited only"))}</span>')
    if node.ambiguous:
        out.append(f' <span class="badge warn">{esc(t("ambiguous"))}</span>')
    return "".join(out)


def edge_groups(u: Link, groups: Sequence[RowGroup], labels: Mapping[str, str],
                page_of: Callable[[str], str | None], evidence_chars: int, t: Translator | None = None, *,
                links: MutableMapping[str, str] | None = None,
                heads: MutableMapping[str, str] | None = None) -> Markup:
    """Relations grouped by type: for each, the other document, the sentence
    that states the relation and a link to where the sentence is (labels in
    the language of ``t``, English by default).

    ``links`` and ``heads`` keep, by key, a document's link and its link
    with date, title and badges, for a caller drawing many pages from which
    they are the same (the site's document pages, all in one folder, in one
    language): a document is listed on the pages of all its neighbours."""
    t = t or translator("en")
    out: list[str] = []
    for g in groups:
        rel = esc(g.relation)
        out.append(f'<section class="rel-group"><h3><span class="swatch rel-{rel}" aria-hidden="true"></span>'
                   f'{esc(labels.get(g.relation, g.relation))} <span class="count">({g.count})</span></h3>'
                   '<ul class="edges">')
        for r in g.rows:
            o = r.other
            if heads is None:
                head = doc_link(u, o, page_of(o.key)) + _brief(o, 140, t)
            else:
                found = heads.get(o.key)
                if found is None:
                    found = heads[o.key] = _cached_link(u, o, page_of, links) + _brief(o, 140, t)
                head = found
            out.append(f'<li><div class="edge-head">{head}</div>'
                       f'<blockquote class="evidence"{_lang(r.lang)}>{esc(clip(r.edge.evidence, evidence_chars))}'
                       '</blockquote><p class="where">')
            if r.where:
                said = t("in its own text") if r.own else t("stated in {where}", where=r.where_label)
                out.append(f'<a href="{esc(u(r.where))}">{esc(said)}</a>')
            if r.edge.page > 1:
                out.append(f", p. {r.edge.page}")
            out.append("</p></li>")
        out.append("</ul>")
        if g.more:
            out.append(f'<details class="more-edges"><summary>{esc(t("{n} more", n=len(g.more)))}</summary><ul class="inline">')
            for r in g.more:
                out.append(f"<li>{_cached_link(u, r.other, page_of, links)}")
                if r.where:
                    out.append(f' <a href="{esc(u(r.where))}" class="muted">({esc(t("sentence"))})</a>')
                out.append("</li>")
            out.append("</ul></details>")
        rest = g.count - len(g.rows) - len(g.more)
        if g.more_link and rest > 0:
            # Past what the page lists: the rest is one click away.
            out.append(f'<p class="more-link"><a href="{esc(u(g.more_link))}">{esc(t("see more ({n})", n=t.number(rest)))}'
                       '</a></p>')
        out.append("</section>")
    return Markup("".join(out))


def stated_list(u: Link, stated: Sequence[tuple[str, Sequence[StatedRow]]], labels: Mapping[str, str],
                page_of: Callable[[str], str | None], evidence_chars: int, t: Translator | None = None) -> Markup:
    """Relations a text states between two other documents, grouped by type."""
    t = t or translator("en")
    out: list[str] = []
    for kind, rows in stated:
        k = esc(kind)
        out.append(f'<section class="rel-group"><h3><span class="swatch rel-{k}" aria-hidden="true"></span>'
                   f'{esc(labels.get(kind, kind))} <span class="count">({len(rows)})</span></h3><ul class="edges">')
        for s in rows:
            out.append(
                f'<li><div class="edge-head">{doc_link(u, s.source, page_of(s.source.key))} '
                f'<span class="rel-word">{esc(t.relation(kind))}</span> '
                f'{doc_link(u, s.target, page_of(s.target.key))}</div>'
                f'<blockquote class="evidence"{_lang(s.lang)}>{esc(clip(s.edge.evidence, evidence_chars))}</blockquote>'
                f'<p class="where"><a href="{esc(u(s.where))}">{esc(t("where the text says so"))}</a>'
                + (f", p. {s.edge.page}" if s.edge.page > 1 else "") + "</p></li>"
            )
        out.append("</ul></section>")
    return Markup("".join(out))


class ImplementerRows(Protocol):
    issuer: str
    issuer_page: str | None
    rows: Sequence[tuple[Implementer, str]]
    total: int  # of the issuer's implementers (0: the rows are all of them)
    more: str | None  # the page listing them all


def implementer_rows(u: Link, groups: Sequence[ImplementerRows], page_of: Callable[[str], str | None],
                     t: Translator | None = None, *, links: MutableMapping[str, str] | None = None) -> Markup:
    """The rows of the table of implementing documents: one row group per
    issuer (its name in the first row), then each document with its
    relation, date, delay and a link to the sentence that says so
    (``links`` as for :func:`edge_groups`)."""
    t = t or translator("en")
    sentence = esc(t("sentence"))
    out: list[str] = []
    for g in groups:
        issuer = esc(t.issuer_group(g.issuer))
        if g.issuer_page:
            issuer = f'<a href="{esc(u(g.issuer_page))}">{issuer}</a>'
        # An issuer cut short ends with a row counting the rest (linked to their list when there is one).
        rest = g.total - len(g.rows) if g.total > len(g.rows) else 0
        head = f'<th scope="rowgroup" rowspan="{len(g.rows) + (1 if rest else 0)}">{issuer}</th>'
        for imp, where in g.rows:
            node = imp.node
            rel = esc(imp.relation)
            when = (f'<time datetime="{node.date.isoformat()}">{t.date(node.date)}</time>'
                    if node.date else "")
            link = f'<a href="{esc(u(where))}">{sentence}</a>' if where else ""
            out.append(
                f'      <tr>\n{head}        <td>{_cached_link(u, node, page_of, links)}</td>\n'
                f'        <td><span class="swatch rel-{rel}" aria-hidden="true"></span>{esc(t.relation(imp.relation))}'
                f'</td>\n        <td>{when}</td>\n        <td class="num">{esc(t.lag(imp.lag_days))}</td>\n'
                f'        <td>{link}</td>\n      </tr>\n'
            )
            head = ""
        if rest:
            more = g.more
            text = esc(t("see more ({n})", n=t.number(rest)) if more else t("and {n} more documents", n=t.number(rest)))
            cell = f'<a href="{esc(u(more))}">{text}</a>' if more else text
            out.append(f'      <tr class="more-rows">\n{head}        <td colspan="5">{cell}</td>\n      </tr>\n')
    return Markup("".join(out))


def issuer_counts(u: Link, others: Sequence[tuple[str, int, date | None, date | None, str | None]],
                  t: Translator | None = None) -> Markup:
    """The rows of the table of issuers a document page counts without
    listing their documents: the issuer, how many (linked to their list when
    there is one), the first and the latest date. Written out here: a central
    document has hundreds of issuers."""
    t = t or translator("en")
    out: list[str] = []
    for label, count, first, last, more in others:
        n = esc(t.number(count))
        cells = [f'      <tr><th scope="row">{esc(t.issuer_group(label))}</th>',
                 f'<td class="num"><a href="{esc(u(more))}">{n}</a></td>' if more else f'<td class="num">{n}</td>']
        for d in (first, last):
            cells.append(f'<td><time datetime="{d.isoformat()}">{t.date(d)}</time></td>' if d else "<td></td>")
        out.append("".join(cells) + "</tr>\n")
    return Markup("".join(out))


def linked_items(u: Link, linked: Sequence[tuple[Node, str]], incoming: bool, page_of: Callable[[str], str | None],
                 t: Translator | None = None, *, links: MutableMapping[str, str] | None = None) -> Markup:
    """``<li>`` items of the documents a graph page draws: the relation's
    colour and name, then the document (``links`` as for :func:`edge_groups`)."""
    t = t or translator("en")
    return Markup("".join(
        f'<li><span class="swatch rel-{esc(kind)}" aria-hidden="true"></span>'
        f'{esc(t.relation_heading(kind, incoming))} {_cached_link(u, other, page_of, links)}</li>'
        for other, kind in linked
    ))


def legend(items: Sequence[str], kind: str, name: Callable[[str], str]) -> Markup:
    """The ``<li>`` items of a picture's legend: a swatch (``kind`` "relation")
    or a dot (``kind`` "level") of each item's colour class, then its name.
    The same on every graph page of a build, so made once."""
    if kind == "relation":
        return Markup("".join(f'<li><span class="swatch rel-{esc(k)}" aria-hidden="true"></span>{esc(name(k))}</li>'
                              for k in items))
    return Markup("".join(f'<li><span class="dot lvl-{esc(k)}" aria-hidden="true"></span>{esc(name(k))}</li>'
                          for k in items))
