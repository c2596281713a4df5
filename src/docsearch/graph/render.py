"""Graph query results as text for people, CSV and JSON for machines.

Every function returns a string; nothing here prints. ``relative_to`` (a
folder) shortens stored absolute paths for display. The text is in the
interface's language ``lang`` (Vietnamese unless asked otherwise; see
:mod:`docsearch.i18n`): labels, relation names, levels and dd/mm/yyyy
dates. JSON and CSV are the same in every language.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from typing import Any

from ..i18n import Translator, translator
from ..render import key_values, table
from .model import (
    CitesResult,
    Coverage,
    CoverageMatrix,
    Edge,
    Implementer,
    ImplementsResult,
    Link,
    Node,
    Profile,
    issuer_label,
    namesakes,
)

FORMATS: tuple[str, ...] = ("text", "json", "csv")
_EVIDENCE_WIDTH = 160


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")


def _path(path: str, relative_to: str | None) -> str:
    if relative_to is None:
        return path
    try:
        rel = os.path.relpath(path, relative_to)
    except ValueError:
        return path
    return path if rel.startswith("../../") else rel


def _clip(text: str, width: int = _EVIDENCE_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _where(edge: Edge, relative_to: str | None, t: Translator) -> str:
    return f"{_path(edge.path, relative_to)} {t('p.{page}', page=edge.page)}"


def describe_node(node: Node, lang: str | None = None) -> str:
    """``57-NQ/TW  NQ  22/12/2024  Bộ Chính trị`` plus the title on a second line."""
    t = translator(lang)
    parts = [node.key, node.type or "?", t.date(node.date) if node.date else t("date unknown"),
             node.issuer or (node.issuer_code or "")]
    line = "  ".join(p for p in parts if p)
    if node.ambiguous:
        line += f"  ({t('ambiguous: {ids}', ids=', '.join(node.candidates))})"
    if node.title:
        line += "\n  " + _clip(node.title, 120)
    return line


# --- implements ----------------------------------------------------------------------

def _imp_line(imp: Implementer, t: Translator) -> str:
    n = imp.node
    parts = [n.key, n.type or "?", t.date(n.date) if n.date else t("no date"), t.lag(imp.lag_days),
             t.relation(imp.relation)]
    if len(imp.relations) > 1:
        also = ", ".join(t.relation(r) for r in imp.relations if r != imp.relation)
        parts[-1] += f" ({t('also {relations}', relations=also)})"
    if n.ambiguous:
        parts.append(t("ambiguous: {ids}", ids=", ".join(n.candidates)))
    return "  ".join(p for p in parts if p)


def _imp_lines(imp: Implementer, prefix: str, relative_to: str | None, show_issuer: bool,
               t: Translator) -> list[str]:
    head = _imp_line(imp, t)
    if show_issuer:
        head += f"  [{t.issuer_group(issuer_label(imp.node))}]"
    out = [head]
    inner = prefix
    out.append(f"{inner}    {_where(imp.evidence, relative_to, t)}: \"{_clip(imp.evidence.evidence)}\"")
    others = len(imp.assertions) - 1
    if others:
        out.append(f"{inner}    ("
                   + (t("+1 more text asserts it") if others == 1 else t("+{n} more texts assert it", n=others))
                   + ")")
    for i, child in enumerate(imp.children):
        last = i == len(imp.children) - 1
        branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
        lines = _imp_lines(child, prefix + cont, relative_to, True, t)
        out.append(prefix + branch + lines[0])
        out.extend(lines[1:])
    return out


def render_implements(result: ImplementsResult, fmt: str = "text", *, relative_to: str | None = None,
                      lang: str | None = None) -> str:
    """The answer to ``implements``: a tree grouped by issuer (text), the JSON
    shape ``{"target": ..., "implementers": [...]}``, or one CSV row per
    document of the tree (with its depth and parent)."""
    _check(fmt)
    if fmt == "json":
        return _json(result.to_json())
    if fmt == "csv":
        rows = []

        def walk(items: Sequence[Implementer], depth: int, parent: str) -> None:
            for imp in items:
                n = imp.node
                rows.append((depth, parent, n.id, n.key, imp.relation, ";".join(imp.relations), n.type,
                             n.issuer, n.level, n.date.isoformat() if n.date else None, n.date_source,
                             imp.lag_days, _path(imp.evidence.path, relative_to), imp.evidence.page,
                             " ".join(imp.evidence.evidence.split())))
                walk(imp.children, depth + 1, n.key)

        walk(result.implementers, 1, result.target.key)
        return _csv(["depth", "parent", "id", "key", "relation", "relations", "type", "issuer", "level", "date",
                     "date_source", "lag_days", "path", "page", "evidence"], rows)
    t = translator(lang)
    out = [describe_node(result.target, lang), ""]
    total = len(result.nodes())
    if not result.implementers:
        out.append(t("No stored text says that a document implements it, is based on it, guides or reviews it."))
        return "\n".join(out)
    n = len(result.implementers)
    out.append((t("1 document implements it directly") if n == 1
                else t("{n} documents implement it directly", n=t.number(n)))
               + (", " + t("{n} in all down to depth {depth}", n=t.number(total), depth=result.depth)
                  if result.depth > 1 else "")
               + t("; lag = days after it."))
    for issuer, items in result.by_issuer():
        out.append("")
        out.append(t.issuer_group(issuer))
        for imp in items:
            lines = _imp_lines(imp, "  ", relative_to, False, t)
            out.append("  " + lines[0])
            out.extend(lines[1:])
    return "\n".join(out)


# --- cites -----------------------------------------------------------------------------

def _link_rows(links: Sequence[Link], relative_to: str | None, t: Translator) -> list[tuple[object, ...]]:
    return [(lk.node.key, lk.node.type, t.date(lk.node.date), lk.node.issuer or "",
             _where(lk.edge, relative_to, t), _clip(lk.edge.evidence, 70)) for lk in links]


def render_cites(result: CitesResult, fmt: str = "text", *, relative_to: str | None = None,
                 lang: str | None = None) -> str:
    """Who refers to a document, by relation type."""
    _check(fmt)
    if fmt == "json":
        return _json(result.to_json())
    if fmt == "csv":
        rows: list[tuple[object, ...]] = [
            (lk.edge.type, lk.node.id, lk.node.key, lk.node.type, lk.node.issuer,
             lk.node.date.isoformat() if lk.node.date else None, _path(lk.edge.path, relative_to), lk.edge.page,
             " ".join(lk.edge.evidence.split()))
            for lk in result.citing
        ]
        rows += [("mentions", None, None, None, None, None, _path(m.path, relative_to), m.page, m.text)
                 for m in result.mentions]
        return _csv(["relation", "id", "key", "type", "issuer", "date", "path", "page", "evidence"], rows)
    t = translator(lang)
    out = [describe_node(result.target, lang)]
    if not result.citing and not result.mentions:
        out += ["", t("Nothing in the index refers to it.")]
    headers = [t(h) for h in ("document", "type", "date", "issuer", "where", "evidence")]
    for kind, links in result.by_type():
        out += ["", f"{t.relation_heading(kind, incoming=True)} ({t.number(len(links))})",
                table(headers, _link_rows(links, relative_to, t), max_width=70)]
    if result.mentions:
        out += ["", t("mentioned in texts without a document number of their own ({n})",
                      n=t.number(len(result.mentions)))]
        out += [f"  {_path(m.path, relative_to)} {t('p.{page}', page=m.page)}: {m.text}" for m in result.mentions]
    return "\n".join(out)


# --- profile -----------------------------------------------------------------------------

def render_profile(profile: Profile, fmt: str = "text", *, relative_to: str | None = None,
                   lang: str | None = None) -> str:
    """What is known of a document (the graph part of ``show``)."""
    _check(fmt)
    if fmt == "json":
        return _json(profile.to_json())
    if fmt == "csv":
        return _csv(["field", "value", "source", "path", "page", "conflict"], [
            (f.field, f.value, s.kind, _path(s.path, relative_to) if s.path else None, s.page,
             f.field in profile.conflicts)
            for f in profile.facts for s in f.sources
        ])
    t = translator(lang)
    n = profile.node
    pairs: list[tuple[str, object]] = [
        ("document", n.key + (f"  ({t('ambiguous')})" if n.ambiguous else "")),
        ("type", n.type), ("issuer", n.issuer and f"{n.issuer}  ({t.source(n.issuer_source)})"),
        ("level", n.level and t.level(n.level)),
        ("date", n.date and f"{t.date(n.date)}  ({t.source(n.date_source)})"),
        ("title", n.title), ("status", n.status and t.status(n.status)),
        ("stored as", ", ".join(_path(p, relative_to) for p in n.paths) or t("not stored (known from citations)")),
    ]
    out = [key_values([(t(k), v) for k, v in pairs if v])]
    if profile.facts:
        rows = []
        for f in sorted(profile.facts, key=lambda f: (f.field, f.value)):
            where = [s.describe() if s.path is None
                     else f"{t.source(s.kind)} {_path(s.path, relative_to)} {t('p.{page}', page=s.page)}"
                     for s in f.sources]
            shown = ", ".join(where[:3]) + (f" (+{len(where) - 3})" if len(where) > 3 else "")
            value = t.date(f.value) if f.field == "date" else f.value
            rows.append((("! " if f.field in profile.conflicts else "") + t(f.field), _clip(value, 60), shown))
        out += ["", t("what the sources say (! = they disagree)"),
                table([t("field"), t("value"), t("stated by")], rows, max_width=90)]
    if profile.conflicts:
        out += ["", t("conflicts: {fields}", fields=", ".join(t(c) for c in profile.conflicts))]
    headers = [t(h) for h in ("relation", "document", "date", "where", "evidence")]
    for heading, links, incoming in (("refers to ({n})", profile.outgoing, False),
                                     ("referred to by ({n})", profile.incoming, True)):
        if links:
            out += ["", t(heading, n=t.number(len(links))),
                    table(headers, [(t.relation(lk.edge.type, incoming), lk.node.key, t.date(lk.node.date),
                                     _where(lk.edge, relative_to, t), _clip(lk.edge.evidence, 60)) for lk in links],
                          max_width=70)]
    if profile.namesakes:
        out += ["", t("other documents with the same number: {docs}",
                      docs=namesakes(profile.namesakes).say(t))]
    return "\n".join(out)


# --- coverage ------------------------------------------------------------------------------

def render_coverage(cov: Coverage, fmt: str = "text", *, lang: str | None = None) -> str:
    """Who has issued an implementing document, when, and who has not."""
    _check(fmt)
    if fmt == "json":
        return _json(cov.to_json())
    if fmt == "csv":
        rows: list[tuple[object, ...]] = []
        for r in cov.covered:
            for d in r.documents:
                rows.append((r.group, r.level, d.node.id, d.node.key, d.relation,
                             d.node.date.isoformat() if d.node.date else None, d.lag_days))
        rows += [(m, None, None, None, None, None, None) for m in cov.missing]
        return _csv([cov.by, "level", "id", "key", "relation", "date", "lag_days"], rows)
    t = translator(lang)
    by_level = cov.by == "level"
    out = [describe_node(cov.target, lang), ""]
    if cov.covered:
        out.append(table(
            [t("level" if by_level else "committee")] + ([] if by_level else [t("level")])
            + [t("first"), t("lag"), t("documents")],
            [((t.level(r.group) if by_level else t.issuer_group(r.group)),)
             + (() if by_level else (t.level(r.level) if r.level else "",))
             + (t.date(r.first_date), t.lag(r.first_lag),
                ", ".join(f"{d.node.key} ({t.relation(d.relation)})" for d in r.documents)) for r in cov.covered],
            max_width=80,
        ))
    else:
        out.append(t("No level has issued a document implementing it." if by_level
                     else "No committee has issued a document implementing it."))
    if cov.missing:
        n = t.number(len(cov.missing))
        out += ["", t("no implementing document from {n} known levels:", n=n) if by_level
                else t("no implementing document from {n} known committees:", n=n)]
        out += [f"  {t.level(m) if by_level else t.issuer_group(m)}" for m in cov.missing]
    if cov.unattributed:
        out += ["", t("implementing documents whose issuer is not known:")]
        out += [f"  {d.node.key}" + (f" ({d.node.issuer})" if d.node.issuer else "") for d in cov.unattributed]
    return "\n".join(out)


def render_matrix(matrix: CoverageMatrix, fmt: str = "text", *, lang: str | None = None) -> str:
    """Central documents by committee: each cell lists the implementing documents."""
    _check(fmt)
    if fmt == "json":
        return _json(matrix.to_json())
    cells = matrix.lookup()
    if fmt == "csv":
        # Long form: one row per filled cell, and one row with no target for a
        # committee with no implementing document at all.
        rows: list[tuple[object, ...]] = []
        filled = {c.committee for c in matrix.cells}
        for c in matrix.cells:
            lags = [d.lag_days for d in c.documents if d.lag_days is not None]
            rows.append((c.committee, c.target, ";".join(d.node.key for d in c.documents), min(lags, default=None)))
        rows += [(r, None, None, None) for r in matrix.rows if r not in filled]
        return _csv(["committee", "target", "documents", "first_lag_days"], rows)
    t = translator(lang)
    if not matrix.columns:
        return t("No stored text says that a committee implements a central document.")
    headers = [t("committee")] + [c.key for c in matrix.columns]
    rows2 = []
    for r in matrix.rows:
        row: list[object] = [t.issuer_group(r)]
        for col in matrix.columns:
            found = cells.get((r, col.key))
            row.append(", ".join(d.node.id for d in found.documents) if found else "-")
        rows2.append(row)
    return table(headers, rows2, max_width=40)
