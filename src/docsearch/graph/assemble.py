"""Graph values made in bulk from stored rows.

A frozen dataclass sets each field through ``object.__setattr__`` in its
``__init__``: about 7 µs for a :class:`Node` of 16 fields on a shared
2-core machine, which a query listing 10,000 implementers (a node, an edge
and an implementer each) pays 30,000 times. The functions here make the
same objects, equal and alike in every way (fields, ``==``, ``hash``,
``repr``, pickling), by giving each its attribute dictionary at once, in a
quarter of the time. ``tests/test_graph_assemble.py`` checks that they
name every field of the classes, so a field added there cannot be missed
here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from .model import Edge, Implementer, Node

if TYPE_CHECKING:
    from ..store import ResolvedEdgeRow

_new = object.__new__
_set = object.__setattr__


def node(key: str, id: str, type: str | None, issuer_code: str | None, level: str | None,
         issuer: str | None, issuer_source: str | None, date: date | None, date_source: str | None,
         title: str | None, place: str | None, status: str | None, doc_ids: tuple[int, ...],
         paths: tuple[str, ...], ambiguous: bool, candidates: tuple[str, ...]) -> Node:
    """A :class:`Node`, as ``Node(...)`` with every field given makes it."""
    n = _new(Node)
    _set(n, "__dict__", {
        "key": key, "id": id, "type": type, "issuer_code": issuer_code, "level": level, "issuer": issuer,
        "issuer_source": issuer_source, "date": date, "date_source": date_source, "title": title,
        "place": place, "status": status, "doc_ids": doc_ids, "paths": paths, "ambiguous": ambiguous,
        "candidates": candidates,
    })
    return n


def edge(source: str, target: str, type: str, doc_id: int, path: str, page: int, evidence: str,
         evidence_start: int, evidence_end: int, target_date: date | None) -> Edge:
    """An :class:`Edge`, as ``Edge(...)`` with every field given makes it."""
    e = _new(Edge)
    _set(e, "__dict__", {
        "source": source, "target": target, "type": type, "doc_id": doc_id, "path": path, "page": page,
        "evidence": evidence, "evidence_start": evidence_start, "evidence_end": evidence_end,
        "target_date": target_date,
    })
    return e


def implementer(node: Node, relation: str, relations: tuple[str, ...], lag_days: int | None, evidence: Edge,
                assertions: tuple[Edge, ...], children: tuple[Implementer, ...]) -> Implementer:
    """An :class:`Implementer`, as ``Implementer(...)`` with every field given makes it."""
    i = _new(Implementer)
    _set(i, "__dict__", {
        "node": node, "relation": relation, "relations": relations, "lag_days": lag_days,
        "evidence": evidence, "assertions": assertions, "children": children,
    })
    return i


class Dates:
    """ISO dates as :class:`date` values, each text parsed once (a query's
    rows repeat a few thousand dates)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, date] = {}

    def __call__(self, text: str | None) -> date | None:
        if text is None:
            return None
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = date.fromisoformat(text)
        return found


def paths_of(raw: str) -> tuple[str, ...]:
    """The JSON list of a stored node's paths. One plain path (the common
    case: one text is the document) is cut out of its brackets instead of
    decoded; anything else (several, escapes) goes through ``json``."""
    if raw.startswith('["') and raw.endswith('"]') and raw.count('"') == 2 and "\\" not in raw:
        return (raw[2:-2],)
    return tuple(json.loads(raw))


def doc_ids_of(raw: str) -> tuple[int, ...]:
    """A stored node's comma-separated text ids."""
    if not raw:
        return ()
    if "," not in raw:
        return (int(raw),)
    return tuple(int(d) for d in raw.split(","))


def stored_node(key: str, values: Sequence[Any], dates: Dates) -> Node:
    """A node from the stored columns after its key, in the order of
    :class:`~docsearch.store.NodeRow` (``id`` … ``candidates``)."""
    (id_, type_, code, level, issuer, issuer_source, when, date_source, title, place, status, doc_ids, paths,
     ambiguous, candidates) = values
    # doc_ids_of and paths_of, written out: this runs once per implementer.
    if not doc_ids:
        ids: tuple[int, ...] = ()
        texts: tuple[str, ...] = ()
    else:
        ids = (int(doc_ids),) if "," not in doc_ids else tuple(int(d) for d in doc_ids.split(","))
        texts = paths_of(paths)
    n = _new(Node)
    _set(n, "__dict__", {
        "key": key, "id": id_, "type": type_, "issuer_code": code, "level": level, "issuer": issuer,
        "issuer_source": issuer_source, "date": None if when is None else dates(when), "date_source": date_source,
        "title": title, "place": place, "status": status, "doc_ids": ids, "paths": texts,
        "ambiguous": bool(ambiguous), "candidates": tuple(json.loads(candidates)) if candidates != "[]" else (),
    })
    return n


def stored_edge(r: ResolvedEdgeRow, dates: Dates) -> Edge:
    """A relation of the stored resolution as an :class:`Edge` (``dates``
    parses its date: a caller makes many edges with one)."""
    return edge(r.source_key, r.target_key, r.type, r.doc_id, r.path, r.page, r.evidence, r.evidence_start,
                r.evidence_end, dates(r.target_date or None))


def incoming(chunks: Iterable[tuple[str, list[tuple[Any, ...]]]], out: dict[str, dict[str, list[Edge]]],
             nodes: dict[str, Node], dates: Dates) -> set[str]:
    """Put the rows of :meth:`Store.implementing_tuples` into ``out``, as
    target key -> source key -> edges (in store order), for the target keys
    ``out`` holds already (the others are namesakes), and each source's
    node into ``nodes`` the first time it comes. Returns the targets whose
    sources came in the order an implementers list shows (by node date,
    undated last, then key): all but those with a source whose node was not
    stored or was known before with another date.

    One loop makes each row's edge and node, with the fields unpacked once
    and the objects given their attribute dictionaries directly: it runs
    once per row, 13,000 times for a document with 10,000 implementers."""
    seen = dates._seen
    parse = dates
    unordered: set[str] = set()
    current: str | None = None
    bucket: dict[str, list[Edge]] | None = None
    last: str | None = None
    edges: list[Edge] = []
    for first, rows in chunks:
        for (tkey, skey, kind, doc_id, path, page, evidence, start, end, tdate, ambiguous, nid, ntype, code, level,
             issuer, issuer_source, ndate, date_source, title, place, status, doc_ids, paths, candidates) in rows:
            if tkey is None:
                tkey = first
            if tkey != current:
                current, last = tkey, None
                bucket = out.get(tkey)
            if bucket is None:
                continue  # a namesake's relations are not these
            e = _new(Edge)
            _set(e, "__dict__", {
                "source": skey, "target": tkey, "type": kind, "doc_id": doc_id, "path": path, "page": page,
                "evidence": evidence, "evidence_start": start, "evidence_end": end,
                "target_date": (seen.get(tdate) or parse(tdate)) if tdate else None,
            })
            if skey == last:
                edges.append(e)
                continue
            last = skey
            found = bucket.get(skey)
            if found is not None:
                found.append(e)
                edges = found
            else:
                bucket[skey] = edges = [e]
            when = None if ndate is None else (seen.get(ndate) or parse(ndate))
            if ambiguous is None:
                unordered.add(tkey)  # its node is made elsewhere, its date unknown here
                continue
            known = nodes.get(skey)
            if known is not None:
                if known.date != when:
                    unordered.add(tkey)
                continue
            if doc_ids is None:
                ids: tuple[int, ...] = (doc_id,)
                texts: tuple[str, ...] = (path,)
            elif not doc_ids:
                ids = texts = ()
            else:
                ids = (int(doc_ids),) if "," not in doc_ids else tuple(int(d) for d in doc_ids.split(","))
                texts = paths_of(paths)
            n = _new(Node)
            _set(n, "__dict__", {
                "key": skey, "id": skey if nid is None else nid, "type": ntype, "issuer_code": code, "level": level,
                "issuer": issuer, "issuer_source": issuer_source, "date": when, "date_source": date_source,
                "title": title, "place": place, "status": status, "doc_ids": ids, "paths": texts,
                "ambiguous": bool(ambiguous), "candidates": () if candidates is None else tuple(json.loads(candidates)),
            })
            nodes[skey] = n
    return set(out) - unordered
