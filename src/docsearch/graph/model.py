"""Typed values of the cross-reference graph: nodes, edges and query results.

A node is a document, whether or not its text is in the store; an edge is a
relation asserted by one stored text, with the sentence that asserts it.
Everything is a frozen dataclass; ``to_json`` gives the public JSON shapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..i18n import Listed, SaidError, Sayable, Translator, phrase

# What ``docsearch implements`` follows, and which relation wins when several
# link two documents: both read from the one table of relation types.
from ..relation_types import IMPLEMENTING, RELATION_PRECEDENCE


class GraphError(SaidError):
    """A graph query cannot be answered; the message says what to do."""


class BadQuery(GraphError):
    """The query does not name a document docsearch can read."""


class UnknownDocument(GraphError):
    """The query names a document that nothing in the index knows or mentions."""


class AmbiguousDocument(GraphError):
    """The query names a number that several documents share.

    ``candidates`` holds the documents it could mean; the message says how to
    pick one (add the year, or use the key such as ``18-NQ/TW@2017-10-25``).
    """

    def __init__(self, query: str, candidates: tuple[Node, ...]) -> None:
        self.query = query
        self.candidates = candidates
        years = [c.date.year for c in candidates if c.date]
        example = f'"{candidates[0].id} {years[0]}"' if years else f'"{candidates[0].key}"'
        super().__init__(phrase("'{query}' names {n} documents: {listed}; say which, e.g. {example} or its key",
                                query=query, n=len(candidates), listed=namesakes(candidates), example=example))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Node:
    """One document of the graph.

    ``key`` is unique: the id when only one document carries it, else the id
    and date (``18-NQ/TW@2017-10-25``); ``<id>@?`` marks citations of a shared
    number that nothing tells apart (``ambiguous``; ``candidates`` lists the
    keys it could be). ``doc_ids``/``paths`` are the stored texts that are
    this document (their header names it). ``*_source`` says where a value
    came from: ``header``, ``registry``, ``builtin``, ``number`` or
    ``citation``.
    """

    key: str
    id: str
    type: str | None
    issuer_code: str | None
    level: str | None
    issuer: str | None = None
    issuer_source: str | None = None
    date: date | None = None
    date_source: str | None = None
    title: str | None = None
    place: str | None = None
    status: str | None = None
    doc_ids: tuple[int, ...] = ()
    paths: tuple[str, ...] = ()
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        """Whether a text of this document is in the store."""
        return bool(self.doc_ids)

    @property
    def specific_issuer(self) -> str | None:
        """The issuer when it names one body (a header, the registry, the
        built-in list or the number itself), not a generic word from a citation."""
        return self.issuer if self.issuer_source in ("header", "registry", "builtin", "number") else None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "type": self.type,
            "issuer_code": self.issuer_code,
            "issuer": self.issuer,
            "issuer_source": self.issuer_source,
            "level": self.level,
            "date": _iso(self.date),
            "date_source": self.date_source,
            "title": self.title,
            "place": self.place,
            "status": self.status,
            "stored": self.stored,
            "paths": list(self.paths),
            "ambiguous": self.ambiguous,
            "candidates": list(self.candidates),
        }


@dataclass(frozen=True)
class Namesake(Sayable):
    """A document as the messages about namesakes name it, in the user's
    language: ``18-NQ/TW ngày 25/10/2017 (Ban Chấp hành Trung ương)``."""

    node: Node

    def say(self, t: Translator) -> str:
        n = self.node
        out = t("{id} of {date}", id=n.id, date=t.date(n.date)) if n.date else n.id
        return out + (f" ({n.issuer})" if n.issuer else "")


def namesakes(nodes: Iterable[Node]) -> Listed:
    """Several documents one after another (``; ``), each as :class:`Namesake` names it."""
    return Listed(tuple(Namesake(n) for n in nodes), "; ")


@dataclass(frozen=True)
class Edge:
    """A typed relation between two nodes, asserted by one stored text.

    ``doc_id``/``path``/``page`` locate the asserting text and the page of
    the sentence ``evidence`` (offsets ``evidence_start``..``evidence_end``
    into that text).
    """

    source: str
    target: str
    type: str
    doc_id: int
    path: str
    page: int
    evidence: str
    evidence_start: int = 0
    evidence_end: int = 0
    target_date: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "doc_id": self.doc_id,
            "path": self.path,
            "page": self.page,
            "evidence": self.evidence,
            "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end,
            "target_date": _iso(self.target_date),
        }


@dataclass(frozen=True)
class Implementer:
    """A document that implements (or is based on, guides, reviews) another.

    ``relation`` is the one shown (the implementer's own text wins, then
    :data:`RELATION_PRECEDENCE`); ``relations`` all that were asserted;
    ``evidence`` the edge shown, ``assertions`` every edge; ``lag_days`` the
    days from the queried document's date to this one's. ``children`` are the
    documents implementing this one, when the query followed the chain.
    """

    node: Node
    relation: str
    relations: tuple[str, ...]
    lag_days: int | None
    evidence: Edge
    assertions: tuple[Edge, ...]
    children: tuple[Implementer, ...] = ()

    def to_json(self) -> dict[str, Any]:
        n = self.node
        return {
            "id": n.id,
            "key": n.key,
            "relation": self.relation,
            "relations": list(self.relations),
            "type": n.type,
            "issuer": n.issuer,
            "level": n.level,
            "date": _iso(n.date),
            "date_source": n.date_source,
            "lag_days": self.lag_days,
            "title": n.title,
            "evidence": self.evidence.evidence,
            "path": self.evidence.path,
            "page": self.evidence.page,
            "asserted_by": [
                {"relation": e.type, "path": e.path, "page": e.page, "evidence": e.evidence}
                for e in self.assertions
            ],
            "ambiguous": n.ambiguous,
            "candidates": list(n.candidates),
            "children": [c.to_json() for c in self.children],
        }

    def walk(self, depth: int = 1) -> list[tuple[int, Implementer]]:
        """This implementer and its descendants with their depth, depth first."""
        out = [(depth, self)]
        for c in self.children:
            out.extend(c.walk(depth + 1))
        return out


def issuer_label_order(label: str) -> tuple[bool, str]:
    """Where an :func:`issuer_label` goes in a list of issuers: named bodies
    alphabetically, then the "(issuer not stated: …)" groups."""
    return (label.startswith("("), label.casefold())


def _group_by_issuer(items: tuple[Implementer, ...]) -> tuple[tuple[str, tuple[Implementer, ...]], ...]:
    groups: dict[str, list[Implementer]] = {}
    for imp in items:
        groups.setdefault(issuer_label(imp.node), []).append(imp)
    return tuple((k, tuple(v)) for k, v in sorted(groups.items(), key=lambda kv: issuer_label_order(kv[0])))


#: Bodies of which there is only one: a citation naming one of them names the
#: issuer, unlike "Tỉnh ủy" (which province?).
_NATIONAL_BODIES = frozenset({"Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương", "Thủ tướng Chính phủ",
                              "Chính phủ", "Quốc hội"})
#: "Ban Chấp hành Trung ương Đảng", "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII": one body.
_CENTRAL_COMMITTEE = re.compile(r"Ban Chấp hành Trung ương", re.IGNORECASE)


def issuer_label(node: Node) -> str:
    """How a node's issuer is shown when grouping: the specific body (name
    variants of the Central Committee as one), a national body a citation
    names, else a note saying what little is known (``(issuer not stated: TU)``)."""
    name = node.specific_issuer
    if name is None and node.issuer in _NATIONAL_BODIES:
        name = node.issuer
    if name:
        return "Ban Chấp hành Trung ương" if _CENTRAL_COMMITTEE.search(name) else name
    hint = node.issuer or node.issuer_code or "?"
    return f"(issuer not stated: {hint})"


@dataclass(frozen=True)
class ImplementsResult:
    """The answer to ``implements``: the queried document and its implementers."""

    target: Node
    implementers: tuple[Implementer, ...]
    depth: int = 1
    relations: tuple[str, ...] = IMPLEMENTING

    def by_issuer(self) -> tuple[tuple[str, tuple[Implementer, ...]], ...]:
        """The direct implementers grouped by issuing body (unknown issuers last)."""
        return _group_by_issuer(self.implementers)

    def nodes(self) -> tuple[Node, ...]:
        """Every distinct document in the tree (each once, first occurrence)."""
        seen: dict[str, Node] = {}
        for imp in self.implementers:
            for _, i in imp.walk():
                seen.setdefault(i.node.key, i.node)
        return tuple(seen.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target.to_json(),
            "depth": self.depth,
            "relations": list(self.relations),
            "implementers": [i.to_json() for i in self.implementers],
        }


@dataclass(frozen=True)
class Mention:
    """A stored text that mentions a document without asserting a relation
    from a document of its own (news, texts without a header)."""

    doc_id: int
    path: str
    page: int
    text: str
    start: int

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "path": self.path, "page": self.page, "text": self.text, "start": self.start}


@dataclass(frozen=True)
class Link:
    """One end of an edge seen from a document: the other node and the edge."""

    node: Node
    edge: Edge

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node.to_json(), "edge": self.edge.to_json()}


@dataclass(frozen=True)
class CitesResult:
    """Every document that refers to ``target``, with the relation it asserts,
    plus stored texts that mention it without a document of their own."""

    target: Node
    citing: tuple[Link, ...]
    mentions: tuple[Mention, ...] = ()

    def by_type(self) -> tuple[tuple[str, tuple[Link, ...]], ...]:
        groups: dict[str, list[Link]] = {}
        for link in self.citing:
            groups.setdefault(link.edge.type, []).append(link)
        order = {t: i for i, t in enumerate(RELATION_PRECEDENCE)}
        return tuple((t, tuple(v)) for t, v in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99)))

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target.to_json(),
            "by_relation": {t: [lk.to_json() for lk in links] for t, links in self.by_type()},
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass(frozen=True)
class FactSource:
    """Where one value of a document's metadata was read."""

    kind: str  # header | registry | builtin | citation | number
    path: str | None = None
    page: int | None = None

    def describe(self) -> str:
        if self.path is None:
            return self.kind
        return f"{self.kind} {self.path}" + (f" p.{self.page}" if self.page else "")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "page": self.page}


@dataclass(frozen=True)
class Fact:
    """One value of one field (``date``, ``issuer``, ``title``, ``type``) and
    every place that states it."""

    field: str
    value: str
    sources: tuple[FactSource, ...]

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "sources": [s.to_json() for s in self.sources]}


@dataclass(frozen=True)
class Profile:
    """Everything known of one document: its node, the facts behind each of
    its fields, the fields on which sources disagree, what it refers to
    (``outgoing``), what refers to it (``incoming``) and its namesakes."""

    node: Node
    facts: tuple[Fact, ...]
    conflicts: tuple[str, ...]
    outgoing: tuple[Link, ...]
    incoming: tuple[Link, ...]
    namesakes: tuple[Node, ...] = ()

    def facts_for(self, field_name: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.field == field_name)

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node.to_json(),
            "facts": [f.to_json() for f in self.facts],
            "conflicts": {c: [f.to_json() for f in self.facts_for(c)] for c in self.conflicts},
            "outgoing": [lk.to_json() for lk in self.outgoing],
            "incoming": [lk.to_json() for lk in self.incoming],
            "namesakes": [n.to_json() for n in self.namesakes],
        }


@dataclass(frozen=True)
class CoverageRow:
    """One committee (or level) and the implementing documents it issued."""

    group: str
    level: str | None
    documents: tuple[Implementer, ...]

    @property
    def first_date(self) -> date | None:
        dates = [d.node.date for d in self.documents if d.node.date]
        return min(dates) if dates else None

    @property
    def first_lag(self) -> int | None:
        lags = [d.lag_days for d in self.documents if d.lag_days is not None]
        return min(lags) if lags else None

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "level": self.level,
            "first_date": _iso(self.first_date),
            "first_lag_days": self.first_lag,
            "documents": [
                {"id": d.node.id, "key": d.node.key, "relation": d.relation, "type": d.node.type,
                 "date": _iso(d.node.date), "lag_days": d.lag_days}
                for d in self.documents
            ],
        }


@dataclass(frozen=True)
class Coverage:
    """Who has issued a document implementing ``target`` and who has not.

    ``missing`` lists the known committees (issuers of stored documents below
    the central level, or levels with ``by="level"``) with no implementing
    document; ``unattributed`` the implementers whose issuer is not known.
    """

    target: Node
    by: str
    covered: tuple[CoverageRow, ...]
    missing: tuple[str, ...]
    unattributed: tuple[Implementer, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target.to_json(),
            "by": self.by,
            "covered": [r.to_json() for r in self.covered],
            "missing": list(self.missing),
            "unattributed": [
                {"id": d.node.id, "key": d.node.key, "issuer": d.node.issuer, "issuer_code": d.node.issuer_code,
                 "date": _iso(d.node.date), "lag_days": d.lag_days}
                for d in self.unattributed
            ],
        }


@dataclass(frozen=True)
class MatrixCell:
    """The documents one committee issued implementing one central document."""

    committee: str
    target: str
    documents: tuple[Implementer, ...]

    @classmethod
    def deferred(cls, committee: str, target: str, make: Callable[[], tuple[Implementer, ...]]) -> MatrixCell:
        """A cell whose ``documents`` are made by ``make`` when first read: a
        matrix of 30,000 cells is shown a page of columns at a time, and
        cells that are not read are never made. Equal to the cell made with
        them at once."""
        cell = object.__new__(cls)
        object.__setattr__(cell, "__dict__", {"committee": committee, "target": target, "_make": make})
        return cell

    def __getattr__(self, name: str) -> Any:
        # Only reached for an attribute not set yet: a deferred cell's documents.
        make = self.__dict__.get("_make") if name == "documents" else None
        if make is None:
            raise AttributeError(name)
        documents = make()
        self.__dict__["documents"] = documents
        self.__dict__.pop("_make", None)
        return documents

    def __getstate__(self) -> dict[str, Any]:
        return {"committee": self.committee, "target": self.target, "documents": self.documents}


@dataclass(frozen=True)
class CoverageMatrix:
    """Central documents (columns) by committee (rows)."""

    columns: tuple[Node, ...]
    rows: tuple[str, ...]
    cells: tuple[MatrixCell, ...] = field(default=())

    def cell(self, committee: str, target_key: str) -> MatrixCell | None:
        return self._table.get((committee, target_key))

    @cached_property
    def _table(self) -> dict[tuple[str, str], MatrixCell]:
        return {(c.committee, c.target): c for c in self.cells}

    def lookup(self) -> dict[tuple[str, str], MatrixCell]:
        """(committee, document key) → cell; built once (a site draws the
        matrix page by page and asks for each)."""
        return self._table

    def to_json(self) -> dict[str, Any]:
        table = self.lookup()
        return {
            "columns": [n.to_json() for n in self.columns],
            "rows": [
                {
                    "committee": r,
                    "cells": {
                        col.key: [
                            {"id": d.node.id, "key": d.node.key, "relation": d.relation,
                             "date": _iso(d.node.date), "lag_days": d.lag_days}
                            for d in table[(r, col.key)].documents
                        ]
                        for col in self.columns if (r, col.key) in table
                    },
                }
                for r in self.rows
            ],
        }


@dataclass(frozen=True)
class Graph:
    """The whole graph: every node and every edge."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def to_json(self) -> dict[str, Any]:
        return {"nodes": [n.to_json() for n in self.nodes], "edges": [e.to_json() for e in self.edges]}
