"""The whole graph for other tools: JSON, GraphML, Graphviz DOT or CSV.

Exports stream to a text file object, so a store of any size can be
written: edges are resolved batch by batch and never all held in memory.
Formats that list nodes before edges read the relations twice (the second
pass is cheaper: every document is resolved by then).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ..store import Store
from .model import Edge, Node
from .query import iter_edges, iter_nodes
from .resolve import Resolver

EXPORT_FORMATS: tuple[str, ...] = ("json", "graphml", "dot", "csv")

# XML 1.0 forbids most control characters; extracted PDF text can hold them.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_NODE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("type", "string"), ("issuer_code", "string"), ("issuer", "string"),
    ("level", "string"), ("date", "string"), ("date_source", "string"), ("title", "string"),
    ("stored", "boolean"), ("paths", "string"), ("ambiguous", "boolean"), ("candidates", "string"),
)
_EDGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "string"), ("doc_id", "int"), ("path", "string"), ("page", "int"),
    ("evidence", "string"), ("target_date", "string"),
)


def _node_values(n: Node) -> dict[str, object]:
    return {
        "id": n.id, "type": n.type, "issuer_code": n.issuer_code, "issuer": n.issuer, "level": n.level,
        "date": n.date.isoformat() if n.date else None, "date_source": n.date_source, "title": n.title,
        "stored": n.stored, "paths": ";".join(n.paths), "ambiguous": n.ambiguous,
        "candidates": ";".join(n.candidates),
    }


def _edge_values(e: Edge) -> dict[str, object]:
    return {
        "type": e.type, "doc_id": e.doc_id, "path": e.path, "page": e.page,
        "evidence": " ".join(e.evidence.split()), "target_date": e.target_date.isoformat() if e.target_date else None,
    }


def _xml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(_XML_BAD.sub(" ", str(value)))


def _dot(value: object) -> str:
    text = _XML_BAD.sub(" ", str(value)).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


class _Paths:
    """Shows stored (absolute) paths relative to a folder when they lie under
    it, as every other output does; other paths stay absolute."""

    def __init__(self, relative_to: str | None) -> None:
        self.base = relative_to

    def path(self, path: str) -> str:
        if self.base is None or not os.path.isabs(path):
            return path
        try:
            rel = os.path.relpath(path, self.base)
        except ValueError:
            return path
        return path if rel == ".." or rel.startswith(".." + os.sep) else rel

    def node(self, n: Node) -> Node:
        return replace(n, paths=tuple(self.path(p) for p in n.paths)) if self.base and n.paths else n

    def edge(self, e: Edge) -> Edge:
        return replace(e, path=self.path(e.path)) if self.base else e


def _edges(store: Store, res: Resolver, shown: _Paths) -> Iterator[Edge]:
    return (shown.edge(e) for e in iter_edges(store, resolver=res))


def _nodes_and_edges(store: Store, res: Resolver, shown: _Paths) -> tuple[list[Node], Iterator[Edge]]:
    keys: set[str] = set()
    for e in iter_edges(store, resolver=res):
        keys.add(e.source)
        keys.add(e.target)
    return [shown.node(n) for n in iter_nodes(store, keys, resolver=res)], _edges(store, res, shown)


def write_graph(store: Store, out: TextIO, fmt: str = "json", *, table: str = "edges",
                resolver: Resolver | None = None, relative_to: str | None = None) -> tuple[int, int]:
    """Write the whole graph to ``out`` in ``fmt`` (one of :data:`EXPORT_FORMATS`).

    CSV holds one table: ``table="edges"`` (with both ends' attributes) or
    ``table="nodes"``. With ``relative_to``, paths under that folder are
    written relative to it. Returns (nodes written, edges written).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not '{fmt}'")
    if table not in ("edges", "nodes"):
        raise ValueError(f"table must be 'edges' or 'nodes', not '{table}'")
    # The whole graph is not worth keeping in the process: a resolver of its own.
    res = resolver or Resolver(store, shared=False)
    shown = _Paths(relative_to)
    if fmt == "csv":
        return _write_csv(store, out, res, table, shown)
    nodes, edges = _nodes_and_edges(store, res, shown)
    n_edges = 0
    if fmt == "json":
        out.write('{"nodes": [')
        for i, n in enumerate(nodes):
            out.write(("," if i else "") + "\n  " + json.dumps(n.to_json(), ensure_ascii=False))
        out.write('\n], "edges": [')
        for e in edges:
            out.write(("," if n_edges else "") + "\n  " + json.dumps(e.to_json(), ensure_ascii=False))
            n_edges += 1
        out.write("\n]}\n")
    elif fmt == "graphml":
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for name, kind in _NODE_FIELDS:
            out.write(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
        for name, kind in _EDGE_FIELDS:
            out.write(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
        out.write('  <graph id="docsearch" edgedefault="directed">\n')
        for n in nodes:
            data = "".join(f'<data key="n_{k}">{_xml(v)}</data>' for k, v in _node_values(n).items()
                           if v is not None and v != "")
            out.write(f"    <node id={quoteattr(_XML_BAD.sub(' ', n.key))}>{data}</node>\n")
        for e in edges:
            data = "".join(f'<data key="e_{k}">{_xml(v)}</data>' for k, v in _edge_values(e).items() if v is not None)
            out.write(f"    <edge source={quoteattr(e.source)} target={quoteattr(e.target)}>{data}</edge>\n")
            n_edges += 1
        out.write("  </graph>\n</graphml>\n")
    else:
        out.write("digraph docsearch {\n  node [shape=box];\n")
        for n in nodes:
            label = "\\n".join(x for x in (n.key, n.date.isoformat() if n.date else "", n.issuer or "") if x)
            label_q = '"' + label.replace('"', '\\"') + '"'
            out.write(f"  {_dot(n.key)} [label={label_q}, level={_dot(n.level or '')}]\n")
        for e in edges:
            out.write(f"  {_dot(e.source)} -> {_dot(e.target)} [label={_dot(e.type)}, "
                      f"path={_dot(e.path)}, page={e.page}]\n")
            n_edges += 1
        out.write("}\n")
    return len(nodes), n_edges


def _write_csv(store: Store, out: TextIO, res: Resolver, table: str, shown: _Paths) -> tuple[int, int]:
    w = csv.writer(out, lineterminator="\n")
    if table == "nodes":
        keys: set[str] = set()
        for e in iter_edges(store, resolver=res):
            keys.add(e.source)
            keys.add(e.target)
        names = ["key"] + [k for k, _ in _NODE_FIELDS]
        w.writerow(names)
        count = 0
        for n in map(shown.node, iter_nodes(store, keys, resolver=res)):
            w.writerow([n.key] + ["" if v is None else v for v in _node_values(n).values()])
            count += 1
        return count, 0
    ends = ("id", "type", "issuer", "level", "date")
    w.writerow(["source", "target"] + [f"source_{x}" for x in ends] + [f"target_{x}" for x in ends]
               + [k for k, _ in _EDGE_FIELDS])
    count = 0
    seen: set[str] = set()
    for e in _edges(store, res, shown):
        s, t = res.node(e.source), res.node(e.target)
        seen.update((e.source, e.target))
        row: list[object] = [e.source, e.target]
        for n in (s, t):
            row += [n.id, n.type, n.issuer, n.level, n.date.isoformat() if n.date else None]
        row += list(_edge_values(e).values())
        w.writerow(["" if v is None else v for v in row])
        count += 1
    return len(seen), count
