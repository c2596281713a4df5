"""Two pictures drawn at build time as inline SVG, no script needed: the
neighbourhood of a document (radial: the document, the documents it is
linked to, the documents linked to those) and the timeline of the documents
implementing a central one (one row per issuer, days after the original).

Every label is escaped; every shape that stands for a document is a link to
its page and carries a ``<title>`` (the tooltip, read by screen readers).

A picture is laid out once and drawn with :meth:`Neighbourhood.draw` /
:meth:`Timeline.draw` in the language of the page that shows it, so the
static site and the live application (where each reader picks a language)
label it the same way: words through :mod:`docsearch.i18n`, dates
``dd/mm/yyyy``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple, Protocol

from markupsafe import Markup

from .. import relation_types
from ..graph import RELATION_PRECEDENCE, Edge, Node
from ..i18n import Translator

#: Colours of relation types: the table in relation_types.
RELATION_COLOURS: dict[str, str] = relation_types.RELATION_COLOURS

#: Colours of levels (the style sheet gives the graph's circles the same).
LEVEL_COLOURS: dict[str, str] = {
    "central": "#b2182b",
    "provincial": "#2166ac",
    "district": "#1b7837",
    "grassroots": "#5aae61",
    "state": "#e08214",
}
UNKNOWN_COLOUR = "#777777"

#: How many documents each ring of the neighbourhood shows at most.
RING1_LIMIT = 36
RING2_LIMIT = 48
TIMELINE_ROWS = 30

_ORDER = {t: i for i, t in enumerate(RELATION_PRECEDENCE)}
#: Size of the neighbourhood picture (its viewBox).
_GRAPH_W, _GRAPH_H = 960.0, 720.0


def _e(value: object) -> str:
    # Plain str.replace: the same result as markupsafe.escape, and much
    # faster for the thousands of short labels a build draws.
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


class _Placed(NamedTuple):
    """A document drawn in the neighbourhood: where, how big, its link, and
    which way its label goes (a tuple: a picture places dozens)."""

    node: Node
    x: float
    y: float
    r: float
    href: str
    right: bool


@dataclass(frozen=True)
class Neighbourhood:
    """The neighbourhood picture laid out (what it shows, and how many linked
    documents it left out); :meth:`draw` gives the SVG in a language."""

    centre: _Placed
    placed: tuple[_Placed, ...]
    edges: tuple[str, ...]
    shown: int
    hidden: int

    def draw(self, t: Translator) -> Markup:
        """The picture as inline SVG, its title and tooltips in ``t``'s language."""
        c = self.centre
        parts = [
            f'<svg class="graph" viewBox="0 0 {_GRAPH_W:.0f} {_GRAPH_H:.0f}" role="img" '
            f'aria-labelledby="graph-title" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="graph-title">{_e(t("Documents linked to {key}", key=picture_name(c.node, t)))}</title>',
            _defs(),
            '<g class="edges">', *self.edges, '</g><g class="nodes">',
        ]
        for p in self.placed:
            lx = p.x + (p.r + 4) * (1 if p.right else -1)
            parts.append(_node_shape(p.node, p.x, p.y, p.r, p.href, "start" if p.right else "end", lx, p.y + 4, t))
        parts.append(_node_shape(c.node, c.x, c.y, c.r, c.href, "middle", c.x, c.y - c.r - 8, t, centre=True))
        parts.append("</g></svg>")
        return Markup("".join(parts))


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_LOOKS: dict[tuple[str, str], tuple[str, str, str]] = {}
#: Longest document title shown in a tooltip.
TIP_CHARS = 90


def picture_name(node: Node, t: Translator) -> str:
    """How a picture names a document: its number, with the date that tells
    namesakes apart (``18-NQ/TW (25/10/2017)``) or a note that a citation
    could not be attributed, in ``t``'s language."""
    if node.ambiguous:
        return f"{node.id} ({t('ambiguous')})"
    number, _, day = node.key.partition("@")
    return f"{number} ({t.date(day)})" if day else node.key


def _looks(node: Node, t: Translator) -> tuple[str, str, str]:
    """Class, escaped tooltip and escaped label of a node in ``t``'s language
    (cached: the same document is drawn in many pictures). Colours come from
    the style sheet (``lvl-<level>``, ``cited``), which keeps each picture
    small."""
    found = _LOOKS.get((node.key, t.lang))
    if found is None:
        title = node.title or ""
        if len(title) > TIP_CHARS:
            title = title[: TIP_CHARS - 1] + "…"
        name = picture_name(node, t)
        tip = name + (f" — {title}" if title else "") + ("" if node.stored else f" ({t('known from citations')})")
        css = f"n lvl-{node.level or 'unknown'}" + ("" if node.stored else " cited")
        found = (css, _e(tip), _e(_short(name)))
        if len(_LOOKS) > 200_000:
            _LOOKS.clear()
        _LOOKS[(node.key, t.lang)] = found
    return found


#: The start of a document's shape (link, class, tooltip) and its label, by
#: document, link, language and whether it is the centre: a document is
#: drawn in the pictures of all its neighbours, with the same link from each.
_HEADS: dict[tuple[str, str, str, bool], tuple[str, str]] = {}


def _head(node: Node, href: str, t: Translator, centre: bool) -> tuple[str, str]:
    css, tip, label = _LOOKS.get((node.key, t.lang)) or _looks(node, t)
    if centre:
        label = _e(picture_name(node, t))
        css += " centre"
    found = (f'<a href="{_e(href)}" class="{css}"><title>{tip}</title><circle cx="', label)
    if len(_HEADS) > 200_000:
        _HEADS.clear()
    _HEADS[(node.key, href, t.lang, centre)] = found
    return found


def _node_shape(node: Node, x: float, y: float, r: float, href: str, anchor: str,
                lx: float, ly: float, t: Translator, centre: bool = False) -> str:
    head, label = _HEADS.get((node.key, href, t.lang, centre)) or _head(node, href, t, centre)
    align = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (
        f'{head}{round(x)}" cy="{round(y)}" r="{_RADII.get(r) or f"{r:g}"}"/>'
        f'<text x="{round(lx)}" y="{round(ly)}"{align}>{label}</text></a>'
    )


#: The radii the neighbourhood uses, as written (``f"{r:g}"``).
_RADII = {r: f"{r:g}" for r in (6.0, 8.0, 13.0)}


#: The class and arrow head of an edge line by (relation, far), built once.
_LINE_LOOKS: dict[tuple[str, bool], str] = {}


def _line_look(kind: str, far: bool) -> str:
    found = _LINE_LOOKS.get((kind, far))
    if found is None:
        known = kind in RELATION_COLOURS
        css = f"e-{kind}" if known else "e-other"
        marker = f' marker-end="url(#m-{kind})"' if known else ""
        found = _LINE_LOOKS[(kind, far)] = f'class="{css}{" far" if far else ""}"{marker}/>'
    return found


def _line(x1: float, y1: float, x2: float, y2: float, kind: str, r1: float, r2: float, far: bool) -> str:
    dx, dy = x2 - x1, y2 - y1
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    r2 += 3
    return (f'<line x1="{round(x1 + ux * r1)}" y1="{round(y1 + uy * r1)}" x2="{round(x2 - ux * r2)}" '
            f'y2="{round(y2 - uy * r2)}" {_LINE_LOOKS.get((kind, far)) or _line_look(kind, far)}')


@cache
def _defs() -> str:
    # The same markers in every picture: made once.
    parts = ["<defs>"]
    for kind, colour in RELATION_COLOURS.items():
        parts.append(
            f'<marker id="m-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    return "".join(parts)


class Adjacency:
    """Each document's linked documents, computed once per build: ``(other
    key, strongest relation, True when the edge points away)``, strongest
    relation first."""

    def __init__(self, nodes: dict[str, Node], outgoing: dict[str, list[Edge]],
                 incoming: dict[str, list[Edge]]) -> None:
        self.nodes = nodes
        self.outgoing = outgoing
        self.incoming = incoming
        self._cache: dict[str, list[tuple[str, str, bool]]] = {}

    def __call__(self, key: str) -> list[tuple[str, str, bool]]:
        found = self._cache.get(key)
        if found is not None:
            return found
        seen: dict[tuple[str, bool], str] = {}
        for edges, out in ((self.outgoing.get(key, ()), True), (self.incoming.get(key, ()), False)):
            for e in edges:
                k = (e.target if out else e.source, out)
                old = seen.get(k)
                if old is None or _ORDER.get(e.type, 99) < _ORDER.get(old, 99):
                    seen[k] = e.type
        found = sorted(((k, t, out) for (k, out), t in seen.items() if k in self.nodes and k != key),
                       key=lambda x: (_ORDER.get(x[1], 99), not x[2], x[0]))
        self._cache[key] = found
        return found


_RING1_PLACES: dict[tuple[int, float], tuple[tuple[float, float, float], ...]] = {}
_RING1_LINES: dict[tuple[int, int, str, bool], str] = {}


def _ring1_places(n: int, r1: float) -> tuple[tuple[float, float, float], ...]:
    """Where the inner ring's ``n`` documents go (x, y, angle), worked out
    once per number of neighbours and radius."""
    found = _RING1_PLACES.get((n, r1))
    if found is None:
        cx, cy = _GRAPH_W / 2, _GRAPH_H / 2
        places = []
        for i in range(n):
            a = -math.pi / 2 + 2 * math.pi * i / max(1, n)
            # Many neighbours: alternate two radii so neighbouring labels do not collide.
            radius = r1 + (32 if n > 16 and i % 2 else 0)
            places.append((cx + radius * math.cos(a), cy + radius * math.sin(a), a))
        found = _RING1_PLACES[n, r1] = tuple(places)
    return found


def neighbourhood(centre: Node, links: Adjacency, href: Callable[[str], str]) -> Neighbourhood:
    """The document, its neighbours (ring 1) and theirs (ring 2) as SVG."""
    nodes = links.nodes
    first = links(centre.key)
    ring1: list[tuple[str, str, bool]] = []
    keys1: set[str] = set()
    for other, kind, out in first:
        if other in keys1:
            ring1.append((other, kind, out))  # a second edge to a neighbour already placed
            continue
        if len(keys1) >= RING1_LIMIT:
            continue
        keys1.add(other)
        ring1.append((other, kind, out))
    hidden = len({o for o, _, _ in first} - keys1)

    cx, cy = _GRAPH_W / 2, _GRAPH_H / 2
    r1 = 170.0 if len(keys1) > 8 else 140.0
    r2 = 280.0
    order1 = list(dict.fromkeys(o for o, _, _ in ring1))
    pos: dict[str, tuple[float, float, float]] = {centre.key: (cx, cy, -math.pi / 2)}
    pos.update(zip(order1, _ring1_places(len(order1), r1), strict=True))

    ring2: list[tuple[str, str, str, bool]] = []  # (parent, other, relation, out from parent)
    placed2: set[str] = set()
    # Each neighbour brings a few of its own, so one busy neighbour does not
    # take the whole outer ring.
    quota = max(3, RING2_LIMIT // max(1, len(order1)))
    for k in order1:
        taken = 0
        for other, kind, out in links(k):
            if len(ring2) >= RING2_LIMIT or taken >= quota:
                break
            if other in pos or other in placed2:
                continue
            placed2.add(other)
            ring2.append((k, other, kind, out))
            taken += 1
    # The outer ring is spread evenly, in the order of the inner ring, then
    # turned so that children sit, on average, beside their parents.
    n2 = len(ring2)
    if n2:
        slots = [-math.pi / 2 + 2 * math.pi * (j + 0.5) / n2 for j in range(n2)]
        turn = math.atan2(sum(math.sin(pos[p][2] - a) for (p, *_), a in zip(ring2, slots, strict=True)),
                          sum(math.cos(pos[p][2] - a) for (p, *_), a in zip(ring2, slots, strict=True)))
        for j, ((_, o, _, _), a) in enumerate(zip(ring2, slots, strict=True)):
            a += turn
            radius = r2 + (30 if j % 2 else 0)
            pos[o] = (cx + radius * math.cos(a), cy + radius * math.sin(a), a)

    edges: list[str] = []
    rc, rn = 13.0, 8.0
    # A line of the inner ring depends only on where its end sits (the
    # number of neighbours, which sets the radius, and the place among
    # them), its relation and direction.
    index1 = {k: i for i, k in enumerate(order1)}
    n1 = len(order1)
    for other, kind, out in ring1:
        look = (n1, index1[other], kind, out)
        line = _RING1_LINES.get(look)
        if line is None:
            x, y, _ = pos[other]
            line = (_line(cx, cy, x, y, kind, rc, rn, False) if out else _line(x, y, cx, cy, kind, rn, rc, False))
            if len(_RING1_LINES) < 100_000:
                _RING1_LINES[look] = line
        edges.append(line)
    for parent, other, kind, out in ring2:
        px, py, _ = pos[parent]
        x, y, _ = pos[other]
        if out:
            edges.append(_line(px, py, x, y, kind, rn, 6.0, True))
        else:
            edges.append(_line(x, y, px, py, kind, 6.0, rn, True))
    placed = tuple(
        _Placed(nodes[k], x, y, 6.0 if k in placed2 else rn, href(k), math.cos(a) >= 0)
        for k, (x, y, a) in pos.items() if k != centre.key
    )
    middle = _Placed(centre, cx, cy, rc, href(centre.key), True)
    return Neighbourhood(middle, placed, tuple(edges), len(pos) - 1, hidden)


# --- timeline --------------------------------------------------------------------------

_TICK_STEPS = (7, 14, 30, 60, 90, 180, 365, 730, 1825)


class MonthDot(NamedTuple):
    """Implementing documents of one issuer dated in one month, placed at
    the middle of the month (``lag`` days after the original)."""

    lag: int
    month: date  # its first day
    documents: int


@dataclass(frozen=True)
class Timeline:
    """The timeline laid out: its rows (issuer, then one dot per month in
    which it issued implementing documents, sized by how many), the span of
    days and the ticks; :meth:`draw` gives the SVG."""

    target: Node
    target_date: date
    rows: tuple[tuple[str, tuple[MonthDot, ...]], ...]
    lo: int
    hi: int
    step: int
    extra: int
    href: Callable[[str], str | None] | None = None  # an issuer's implementers, when listed apart

    def draw(self, t: Translator) -> Markup:
        """The picture as inline SVG in ``t``'s language: issuers, tooltips and
        ticks translated, dates ``dd/mm/yyyy``."""
        left, right, top, row_h = 230.0, 24.0, 30.0, 24.0
        width = 860.0
        plot = width - left - right
        height = top + row_h * len(self.rows) + 36
        lo, hi = self.lo, self.hi

        def x(lag: int) -> float:
            return left + plot * (lag - lo) / (hi - lo)

        title = t("Implementing documents of {doc} ({date}) per month, by issuer",
                  doc=self.target.id, date=t.date(self.target_date))
        parts = [
            f'<svg class="timeline" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-labelledby="timeline-title" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="timeline-title">{_e(title)}</title>',
            '<g class="axis">',
        ]
        tick = (lo // self.step) * self.step
        while tick <= hi:
            if tick >= lo:
                tx = x(tick)
                parts.append(f'<line x1="{tx:.1f}" y1="{top - 6:.0f}" x2="{tx:.1f}" y2="{height - 30:.0f}" '
                             f'stroke="#d0d0d0" stroke-width="1"/>')
                parts.append(f'<text x="{tx:.1f}" y="{height - 14:.0f}" text-anchor="middle">'
                             f'{_e(t.lag(tick))}</text>')
            tick += self.step
        zero = x(0)
        parts.append(f'<line x1="{zero:.1f}" y1="{top - 10:.0f}" x2="{zero:.1f}" y2="{height - 30:.0f}" '
                     f'stroke="#b2182b" stroke-width="2"/>')
        parts.append(f'<text x="{zero:.1f}" y="{top - 14:.0f}" text-anchor="middle">'
                     f'{_e(t.date(self.target_date))}</text>')
        parts.append("</g>")
        for n, (label, dots) in enumerate(self.rows):
            y = top + row_h * n + row_h / 2
            name = _e(_short(t.issuer_group(label), 34))
            target = self.href(label) if self.href is not None else None
            if target:
                name = f'<a href="{_e(target)}">{name}</a>'
            parts.append(f'<text class="row" x="{left - 10:.0f}" y="{y + 4:.1f}" text-anchor="end">{name}</text>')
            parts.append(f'<line x1="{left:.0f}" y1="{y:.1f}" x2="{width - right:.0f}" y2="{y:.1f}" '
                         f'stroke="#eeeeee" stroke-width="1"/>')
            for dot in dots:
                # The area grows with the number of documents; one document is the old dot's size.
                r = min(11.0, 4.0 + 2.0 * math.sqrt(dot.documents))
                month = f"{dot.month.month:02d}/{dot.month.year}"
                tip = t("{month}: {n} documents", month=month, n=t.number(dot.documents))
                parts.append(f'<circle cx="{x(dot.lag):.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{TIMELINE_COLOUR}" '
                             f'fill-opacity="0.8" stroke="#ffffff" stroke-width="1.5"><title>{_e(tip)}</title>'
                             '</circle>')
        if self.extra > 0:
            parts.append(f'<text x="{left:.0f}" y="{height - 2:.0f}">'
                         f'{_e(t("and {n} more issuers (see the table)", n=self.extra))}</text>')
        parts.append("</svg>")
        return Markup("".join(parts))


#: The dots of the timeline: one colour (a dot counts documents of any relation).
TIMELINE_COLOUR = "#2166ac"


class TimelineRow(Protocol):
    """What the timeline draws of one issuer (see graph.query.IssuerImplementers)."""

    @property
    def label(self) -> str: ...
    @property
    def first(self) -> date | None: ...
    @property
    def months(self) -> tuple[tuple[str, int], ...]: ...


def timeline(target: Node, groups: Sequence[TimelineRow],
             href: Callable[[str], str | None] | None = None) -> Timeline | None:
    """Implementers of ``target`` by issuer (rows, the earliest first) and
    months after it (x), from the number of each issuer's implementers per
    month; ``href`` gives the page listing an issuer's implementers.

    None when nothing has a date to place (the table below it says all).
    """
    if target.date is None:
        return None
    rows = []
    # The issuers by their first implementer (see graph.query: only those drawn have their months).
    for g in sorted((g for g in groups if g.first is not None), key=lambda g: g.first or date.min):
        dots = []
        for month, count in g.months:
            first = date.fromisoformat(month + "-01")
            dots.append(MonthDot((first.replace(day=15) - target.date).days, first, count))
        rows.append((g.label, tuple(dots)))
    if not rows:
        return None
    extra = len(rows) - TIMELINE_ROWS
    rows = [row for row in rows[:TIMELINE_ROWS] if row[1]]
    if not rows:
        return None
    lags = [d.lag for _, dots in rows for d in dots]
    lo = min(0, *lags)
    hi = max(30, *lags)
    step = next((s for s in _TICK_STEPS if (hi - lo) / s <= 8), _TICK_STEPS[-1])
    return Timeline(target, target.date, tuple(rows), lo, hi, step, extra, href)


def lag_text(days: int | None) -> str:
    return "" if days is None else f"{days:+d} d"


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""
