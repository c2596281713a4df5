"""``build_site``: the store as a static web site.

One page per document (its text with every reference linked, what it refers
to, what refers to it, who implements it), one per document known only from
citations, listings by issuer, type and year, the coverage matrix, a graph of
each document's neighbourhood and a search that runs in the browser. Every
link is relative, so the folder can be served by any web server, under any
path, or opened from disk.

Pages are written only when their content changed; a file the previous build
wrote and this one does not is removed. Nothing else in the folder is touched.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import time
import types
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from importlib.resources import files
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.visitor
import markupsafe
from markupsafe import Markup

from .. import __version__, relation_types
from ..graph import RELATION_PRECEDENCE, CoverageMatrix, Edge, Implementer, Node, describe
from ..graph.model import issuer_label, issuer_label_order
from ..graph.query import ImplementationSummary, ImplementerSummary, summarise_implementers
from ..graph.resolve import many_objects
from ..i18n import DEFAULT_LANGUAGE, SaidError, Translator, phrase, translator
from ..refs.grammar import TYPE_NAMES
from ..store import Store
from . import fragments, svg
from .collect import RefTarget, SiteData, TextInfo, collect
from .markup import RefMark, evidence_anchor, mark_text
from .search_index import SearchEntry, SearchIndex, body_terms, make_entry
from .urls import BadBaseUrl, Linker, Urls, is_safe_site_path, normalize_base_url

#: The file in the output folder listing what the last build wrote.
MANIFEST = ".docsearch-site.json"
#: Entries per listing page.
PER_PAGE = 200
#: Document pages per batch handed to a worker process.
BATCH = 100
#: The last pages of a build, handed out in batches of a quarter of BATCH.
TAIL = 2 * BATCH
#: Central documents per page of the coverage matrix.
MATRIX_COLUMNS = 20
#: Links and relation heads kept per folder depth before starting afresh (memory).
_KEPT_LINKS = 200_000


def matrix_columns(m: CoverageMatrix) -> list[list[Node]]:
    """The matrix's columns in pages of MATRIX_COLUMNS: the most widely
    implemented documents first (what readers look for), then the most recent."""
    width = Counter(c.target for c in m.cells)
    columns = sorted(m.columns, key=lambda n: (-width[n.key], -(n.date.toordinal() if n.date else 0), n.key))
    return [columns[i:i + MATRIX_COLUMNS] for i in range(0, len(columns), MATRIX_COLUMNS)] or [[]]


def matrix_rows(m: CoverageMatrix, cols: list[Node], where: Callable[[Edge], str],
                issuer_page: Callable[[str], str | None]) -> tuple[list[Any], list[tuple[str, str | None]]]:
    """The rows of one page of the matrix, each committee with its page and,
    per column, its implementing documents with the address of the sentence
    that says so; and the committees with nothing in these columns."""
    cells = m.lookup()
    rows = []
    for committee in m.rows:
        row_cells = []
        for col in cols:
            cell = cells.get((committee, col.key))
            row_cells.append([(imp, where(imp.evidence)) for imp in cell.documents] if cell is not None else [])
        if any(row_cells):
            rows.append((committee, issuer_page(committee), row_cells))
    idle = [(c, issuer_page(c)) for c in m.rows if not any(cells.get((c, col.key)) for col in cols)]
    return rows, idle
#: Evidence sentences are shortened to this many characters in tables.
EVIDENCE_CHARS = 280
#: Relations of one type shown with their sentence; the rest as plain links.
DETAILED_ROWS = 100

_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_ORDER = {t: i for i, t in enumerate(RELATION_PRECEDENCE)}

#: How a relation reads from its source (outgoing) and from its target (incoming).
OUTGOING_LABELS: dict[str, str] = {
    r.name: relation_types.label(r.name, "en").capitalize() for r in relation_types.TABLE}
INCOMING_LABELS: dict[str, str] = {
    r.name: relation_types.label(r.name, "en", incoming=True).capitalize() for r in relation_types.TABLE}
LEVEL_NAMES: dict[str, str] = {
    "central": "central (Party centre)", "provincial": "provincial", "district": "district",
    "grassroots": "grassroots", "state": "State",
}


class SiteError(SaidError):
    """The site cannot be built; the message says what to do."""


@dataclass(frozen=True)
class SiteReport:
    """What one build did. ``written`` files were new or changed, ``unchanged``
    were left alone, ``removed`` were left over from an earlier build."""

    out_dir: Path
    pages: int
    files: int
    written: int
    unchanged: int
    removed: int
    documents: int
    texts: int
    cited_only: int
    search_shards: int
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "pages": self.pages,
            "files": self.files,
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "documents": self.documents,
            "texts": self.texts,
            "cited_only": self.cited_only,
            "search_shards": self.search_shards,
            "seconds": round(self.seconds, 3),
        }


# --- writing ---------------------------------------------------------------------------

#: Flags for creating or replacing a file (binary on systems that distinguish).
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


class _Writer:
    """Writes files under ``out`` only when their bytes differ, and keeps the
    list of what it wrote for the manifest."""

    def __init__(self, out: Path, fresh: bool = False) -> None:
        self.out = out
        self.root = out.resolve()
        # Into a new folder nothing is there to compare with: skip looking.
        self.fresh = fresh
        self.paths: list[str] = []
        self.seen: set[str] = set()
        self.written = 0
        self.unchanged = 0
        self.pages = 0
        #: Size and modification time of every file of this build, as the
        #: manifest records them: taken when the file is written or compared
        #: rather than by a pass over the whole folder at the end.
        self.stamps: dict[str, tuple[int, int]] = {}
        self._base = os.fspath(out)
        self._dirs: set[str] = set()

    def write(self, site_path: str, content: str | bytes) -> None:
        if not is_safe_site_path(site_path) or site_path in self.seen:
            # Names come from slug(); this guards against a bug, never user input.
            raise SiteError(f"refusing to write {site_path!r}: not a safe or unique site path")
        self.seen.add(site_path)
        self.paths.append(site_path)
        if site_path.endswith(".html"):
            self.pages += 1
        data = content.encode("utf-8") if isinstance(content, str) else content
        # Plain os calls: a build writes tens of thousands of files, and
        # pathlib's objects and buffered files cost more than the writes.
        target = os.path.join(self._base, site_path)
        if not self.fresh:
            try:
                st = os.stat(target)
                if st.st_size == len(data):
                    with open(target, "rb") as f:
                        if f.read() == data:
                            self.unchanged += 1
                            self.stamps[site_path] = (st.st_size, st.st_mtime_ns)
                            return
            except FileNotFoundError:
                pass
        folder = os.path.dirname(target)
        if folder not in self._dirs:
            os.makedirs(folder, exist_ok=True)
            self._dirs.add(folder)
        fd = os.open(target, _WRITE_FLAGS, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self.stamps[site_path] = (st.st_size, st.st_mtime_ns)
        self.written += 1

    def adopt(self, paths: Sequence[str], written: int, unchanged: int, pages: int,
              stamps: Sequence[tuple[int, int]]) -> None:
        """Count files another process wrote for this build (``stamps``: the
        size and modification time of each of ``paths``)."""
        for site_path, stamp in zip(paths, stamps, strict=True):
            if site_path in self.seen:
                raise SiteError(f"two pages of the site would be written to {site_path!r}")
            self.seen.add(site_path)
            self.paths.append(site_path)
            self.stamps[site_path] = stamp
        self.written += written
        self.unchanged += unchanged
        self.pages += pages

    def remove_stale(self, previous: Iterable[str]) -> int:
        removed = 0
        for site_path in previous:
            if site_path in self.seen or not is_safe_site_path(site_path):
                continue
            target = self.out / site_path
            try:
                target.unlink()
                removed += 1
            except FileNotFoundError:
                continue
            parent = target.parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        return removed


@dataclass(frozen=True)
class _Manifest:
    """What the last build recorded: the files it wrote, the fingerprint of
    what it was built from, and each file's size and modification time."""

    files: list[str]
    fingerprint: str | None = None
    stamps: dict[str, tuple[int, int]] | None = None
    summary: dict[str, int] | None = None


def _previous(out: Path) -> _Manifest:
    """What the last build wrote; refuses a folder some other program filled."""
    if out.exists() and not out.is_dir():
        raise SiteError(phrase("{out} is a file; give a folder for the site", out=out))
    manifest = out / MANIFEST
    if not manifest.exists():
        if out.exists() and any(out.iterdir()):
            raise SiteError(phrase("{out}/ is not empty and holds no site built by docsearch; choose an empty or "
                                   "new folder so that no file of yours is overwritten", out=out))
        return _Manifest([])
    try:
        data = json.loads(manifest.read_text("utf-8"))
        files = [str(p) for p in data["files"]]
        stamps = data.get("stamps")
        return _Manifest(
            files, data.get("fingerprint"),
            {str(k): (int(v[0]), int(v[1])) for k, v in stamps.items()} if isinstance(stamps, dict) else None,
            data.get("summary") if isinstance(data.get("summary"), dict) else None,
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SiteError(phrase("cannot read {file}: {error}; delete the folder and build again", file=manifest,
                               error=exc)) from exc


# --- skipping a build when nothing changed -----------------------------------------------

def _fingerprint(store: Store, templates: Path | None, base: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A digest of everything a build reads: the store, the templates and
    static files (shipped and overriding), the code that draws the pages, the
    base URL and the interface language. Equal digests give the same site."""
    h = hashlib.sha256()
    h.update(f"{__version__}\0{base}\0{lang}\0".encode())
    package = Path(__file__).resolve().parents[1]
    folders = [package] + ([templates] if templates is not None else [])
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    # The documents themselves (path, content hash, time of ingest, header)
    # row by row; their tags by aggregates the database computes.
    for rows in store.content_rows():
        h.update(repr(rows).encode())
    h.update(repr(store.tag_summaries()).encode())
    h.update(repr(store.registry()).encode())
    return h.hexdigest()


def _intact(out: Path, manifest: _Manifest) -> bool:
    """Whether every file of the last build is still there as it was written."""
    if manifest.stamps is None or set(manifest.stamps) != set(manifest.files):
        return False
    for site_path, (size, mtime) in manifest.stamps.items():
        try:
            st = (out / site_path).stat()
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True


# --- templates -------------------------------------------------------------------------

def _resources() -> Traversable:
    return files("docsearch.site")


class _PackageTemplates(jinja2.BaseLoader):
    """The templates shipped in the package, read with importlib.resources."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        if "/" in template or "\\" in template or template.startswith("."):
            raise jinja2.TemplateNotFound(template)
        res = _resources().joinpath("templates").joinpath(template)
        if not res.is_file():
            raise jinja2.TemplateNotFound(template)
        return res.read_text("utf-8"), None, lambda: True


#: Callables that never ask Jinja for the context, environment or evaluation
#: context: calling them needs none of :meth:`jinja2.runtime.Context.call`'s
#: checks. Functions and methods carry such a request as an attribute.
_FUNCTION_TYPES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType)
_CONTEXT_FREE_TYPES = (Translator, Linker)


class _Context(jinja2.runtime.Context):
    """A template context whose calls into Python skip Jinja's per-call
    checks for callables known to take no context: a page makes a hundred
    such calls (``t(...)``, ``u(...)``, ``urls.node(...)``), and the checks
    cost more than most of the calls themselves."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's spelling)
        kind = type(__obj)
        if kind in _CONTEXT_FREE_TYPES or (kind in _FUNCTION_TYPES and not hasattr(__obj, "jinja_pass_arg")):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


# markupsafe's own string escaper (its C speedups when built): not part of its
# documented interface, so looked up, and without it every value takes the
# documented escape().
_ESCAPE_INNER: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_new_str = str.__new__


def fast_escape(value: Any) -> Markup:
    """:func:`markupsafe.escape`, the same result, at half the cost for the
    common cases: a plain string is escaped without going through
    ``Markup.__new__`` (written in Python), and Markup is returned as it is
    (it is immutable) instead of being copied."""
    kind = type(value)
    if kind is str and _ESCAPE_INNER is not None:
        return _new_str(Markup, _ESCAPE_INNER(value))
    if kind is Markup:
        return value
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """Compiled templates that print values with :func:`fast_escape`: every
    ``{{ value }}`` of an autoescaped template calls ``escape``, a hundred
    times a page."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: types.CodeType, globals: Any,  # noqa: A002
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The generated module imports escape from jinja2.runtime (markupsafe's);
        # its functions look it up in the module's namespace at each call.
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = fast_escape
        return template


#: Globals of a build's environment that no page changes: a template that
#: never binds these names gets them as constants when it is compiled.
_FIXED_GLOBALS = ("t", "ui_lang", "version")


def _binds(tree: jinja2.nodes.Template, names: Iterable[str]) -> bool:
    """Whether the template assigns, imports or takes as a parameter any of ``names``."""
    wanted = set(names)
    for node in tree.find_all(jinja2.nodes.Name):
        if node.ctx != "load" and node.name in wanted:
            return True
    for imp in tree.find_all(jinja2.nodes.FromImport):
        for item in imp.names:
            if (item[1] if isinstance(item, tuple) else item) in wanted:
                return True
    return any(imp.target in wanted for imp in tree.find_all(jinja2.nodes.Import))


class _FoldFixed(jinja2.visitor.NodeTransformer):
    """Replaces ``t("a message")`` (and ``t("…{version}", version=version)``,
    ``t.relations()``) by the translated text, and ``ui_lang`` and
    ``version`` by their values,
    so that the compiler writes them into the page as text. Every page has
    some thirty such messages (the header, the footer, the headings), each a
    call through the template context at every render otherwise."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.t = values["t"]

    def _const(self, node: jinja2.nodes.Expr) -> jinja2.nodes.Const | None:
        if isinstance(node, jinja2.nodes.Const):
            return node
        if isinstance(node, jinja2.nodes.Name) and node.ctx == "load" and node.name in ("ui_lang", "version"):
            return jinja2.nodes.Const(self.values[node.name], lineno=node.lineno)
        return None

    def visit_Name(self, node: jinja2.nodes.Name) -> jinja2.nodes.Node:
        return self._const(node) or node

    def visit_Call(self, node: jinja2.nodes.Call) -> jinja2.nodes.Node:
        self.generic_visit(node)
        fn = node.node
        # t("…") and t.relations(true): the translator's methods give the
        # same answer for the same arguments in a build's one language.
        if isinstance(fn, jinja2.nodes.Name) and fn.name == "t" and fn.ctx == "load":
            method = self.t
            if len(node.args) != 1 or not isinstance(node.args[0], jinja2.nodes.Const) or \
                    not isinstance(node.args[0].value, str):
                return node
        elif (isinstance(fn, jinja2.nodes.Getattr) and isinstance(fn.node, jinja2.nodes.Name)
              and fn.node.name == "t" and fn.node.ctx == "load" and not fn.attr.startswith("_")):
            method = getattr(self.t, fn.attr, None)
            if not callable(method):
                return node
        else:
            return node
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            return node
        args = []
        for arg in node.args:
            value = self._const(arg)
            if value is None:
                return node
            args.append(value.value)
        values = {}
        for kw in node.kwargs:
            value = self._const(kw.value)
            if value is None:
                return node
            values[kw.key] = value.value
        try:
            result = method(*args, **values)
            return jinja2.nodes.Const.from_untrusted(result, lineno=node.lineno, environment=node.environment)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError, jinja2.nodes.Impossible):
            return node  # left for the page to work out (or report) as it would have


class _SiteEnvironment(jinja2.Environment):
    """The build's template environment: templates are compiled with the
    interface language's fixed messages already in them (see :class:`_FoldFixed`)."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> jinja2.nodes.Template:
        tree = super()._parse(source, name, filename)
        if isinstance(self.globals.get("t"), Translator) and not _binds(tree, _FIXED_GLOBALS):
            tree = _FoldFixed({k: self.globals[k] for k in _FIXED_GLOBALS}).visit(tree)
            tree.set_environment(self)
        return tree


def _environment(templates: Path | None, lang: str = DEFAULT_LANGUAGE) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not templates.is_dir():
            raise SiteError(phrase("--templates {folder}: no such folder", folder=templates))
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(_PackageTemplates())
    env = _SiteEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
    )
    env.context_class = _Context
    env.template_class = _Template
    env.globals.update(
        type_name=type_name, level_name=level_name, iso=svg.iso, lag=svg.lag_text, version=__version__, clip=clip,
        # The interface language (shared with the live application's templates).
        t=translator(lang), ui_lang=translator(lang).lang, live=False, lang_links=(), query_text="",
    )
    return env


def _static_files(templates: Path | None) -> Iterator[tuple[str, bytes]]:
    """The shipped static files; a file of the same name in the templates
    folder replaces one (a site's own ``style.css``)."""

    def walk(node: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            if child.is_dir():
                yield from walk(child, f"{prefix}{child.name}/")
            else:
                yield f"{prefix}{child.name}", child

    for name, res in walk(_resources().joinpath("static"), ""):
        override = templates / name if templates is not None else None
        if override is not None and override.is_file():
            yield name, override.read_bytes()  # a site's own style sheet is used as it is
        elif name == "style.css":
            # The relation colours are defined once, in relation_types.
            yield name, f":root {{ {relation_types.css_variables()} }}\n".encode() + res.read_bytes()
        else:
            yield name, res.read_bytes()


# --- small helpers for templates -------------------------------------------------------

def type_name(code: str | None) -> str:
    """``NQ`` → ``Nghị quyết (Resolution)``; unknown codes as they are."""
    if not code:
        return "unknown type"
    names = TYPE_NAMES.get(code)
    return f"{names[0]} ({names[1]})" if names else code


def level_name(level: str | None) -> str:
    return LEVEL_NAMES.get(level or "", "unknown level")


def clip(text: str | None, limit: int = EVIDENCE_CHARS) -> str:
    return fragments.clip(text, limit)


def _lang(code: str | None) -> str | None:
    return code if code and _LANG.fullmatch(code) else None


# --- views -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EdgeRow:
    """One relation as shown from one document: the other document, the
    sentence asserting it and where that sentence is."""

    other: Node
    edge: Edge
    where: str
    where_label: str
    own: bool
    lang: str | None = None


@dataclass(frozen=True)
class Stated:
    """A relation a text states between two other documents."""

    source: Node
    target: Node
    edge: Edge
    where: str
    lang: str | None = None


@dataclass(frozen=True)
class Named:
    """A document a text names, how often, and where first."""

    node: Node
    count: int
    first: str


@dataclass(frozen=True)
class MentionRow:
    text: TextInfo
    where: str


@dataclass(frozen=True)
class Group:
    """Relations of one type; past :data:`DETAILED_ROWS`, rows are listed
    without their sentence (``more``), so a document cited by thousands
    stays a page one can load."""

    label: str
    relation: str
    rows: tuple[EdgeRow, ...]
    more: tuple[EdgeRow, ...] = ()
    more_link: str | None = None  # the site lists every relation on the page

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.more)


@dataclass(frozen=True)
class ImplementerGroup:
    issuer: str
    issuer_page: str | None
    rows: tuple[tuple[Implementer, str], ...]  # implementer, evidence link
    total: int = 0  # of this issuer's implementers; the rows are the first
    more: str | None = None  # the page listing them all


def implementation_view(summary: ImplementationSummary, shown: Mapping[str, tuple[Implementer, str]],
                        issuer_page: Callable[[str], str | None], more_page: Callable[[str], str | None],
                        committees: Sequence[str], *, report: str | None) -> dict[str, Any] | None:
    """What a document page's "Implementation" section shows (the same in
    the live application and the static site): issuers in order, those the
    summary lists with their first implementers (``shown``: key →
    implementer and the link to its sentence), the others counted with their
    dates; the committees with none; the median delay; the timeline.
    ``more_page`` gives the page listing one issuer's implementers."""
    if not summary.count:
        return None
    node = summary.target
    groups: list[ImplementerGroup] = []
    others: list[tuple[str, int, date | None, date | None, str | None]] = []
    for g in summary.groups:
        items = tuple(shown[s.key] for s in g.shown if s.key in shown)
        if not items:
            others.append((g.label, g.count, g.first, g.last, more_page(g.label)))
            continue
        groups.append(ImplementerGroup(g.label, issuer_page(g.label), items, g.count,
                                       more_page(g.label) if g.count > len(items) else None))
    acted = summary.acted
    missing = [c for c in committees if c not in acted and c != node.issuer]
    return {
        "count": summary.count,
        "issuers": len(summary.groups),
        "groups": groups,
        "others": others,
        "report": report,
        "missing": [(m, issuer_page(m)) for m in missing],
        "median_lag": summary.median_lag,
        "timeline": svg.timeline(node, summary.groups, more_page),
    }


@dataclass(frozen=True)
class ListingEntry:
    title: str
    subtitle: str
    page: str
    stored: bool
    lang: str | None


@dataclass(frozen=True)
class Pager:
    pages: tuple[tuple[int, str], ...]
    current: int


@dataclass(frozen=True)
class CountRow:
    label: str
    page: str | None
    stored: int
    cited: int


def node_title(node: Node) -> str:
    return node.title or ""


def node_subtitle(node: Node) -> str:
    parts = [node.type or "", node.date.isoformat() if node.date else "", node.issuer or ""]
    parts.append("in the collection" if node.stored else "known from citations")
    return " · ".join(p for p in parts if p)


def _batches(items: Sequence[Any], tail: int) -> Iterator[tuple[Any, ...]]:
    """``items`` in batches of BATCH, the last ``tail`` of them in batches of a quarter of that."""
    cut = len(items) - tail
    bounds = [*range(0, cut, BATCH), *range(cut, len(items), max(1, BATCH // 4)), len(items)]
    for lo, hi in pairwise(bounds):
        if lo < hi:
            yield tuple(items[lo:hi])


class _Site:
    """One build: the data, the templates and the writer."""

    def __init__(self, store: Store, out: Path, env: jinja2.Environment, urls: Urls, writer: _Writer) -> None:
        self.store = store
        self.out = out
        self.env = env
        self.urls = urls
        self.w = writer
        self.search = SearchIndex(urls)
        self.data: SiteData
        self.refs: dict[int, list[RefTarget]]
        self.issuer_pages: dict[str, list[Node]] = {}
        self.type_pages: dict[str, list[Node]] = {}
        self.year_pages: dict[int | None, list[Node]] = {}
        self.graph_keys: set[str] = set()
        self._templates: dict[str, jinja2.Template] = {}
        self._globals: dict[str, dict[str, Any]] = {}
        #: Pieces of HTML naming a document, by the pages' root prefix and key
        #: (a document is listed on the pages of all its neighbours).
        self._doc_links: dict[str, dict[str, str]] = {}
        self._edge_heads: dict[str, dict[str, str]] = {}
        self._by_path: dict[str, TextInfo] = {}
        self._texts: dict[int, str] = {}
        self._links: svg.Adjacency
        self._hrefs: dict[str, dict[str, str]] = {}
        self._issuer_page: dict[str, str | None] = {}
        #: When set, the search terms of the texts come from there and the
        #: pages' entries leave them out.
        self.text_terms: _TextTerms | None = None
        tr = env.globals["t"]
        assert isinstance(tr, Translator)
        #: The graph pages' legends: the same on every one.
        self._legends = (fragments.legend(list(svg.RELATION_COLOURS), "relation", tr.relation),
                         fragments.legend(list(svg.LEVEL_COLOURS), "level", tr.level))
        env.globals.update(
            doc_link=self.doc_link,
            edge_groups=lambda u, groups, labels: fragments.edge_groups(
                u, groups, labels, self.node_page, EVIDENCE_CHARS, t=tr, links=self._links_from(u),
                heads=self._heads_from(u)),
            stated_list=lambda u, stated, labels: fragments.stated_list(u, stated, labels, self.node_page,
                                                                        EVIDENCE_CHARS, t=tr),
            implementer_rows=lambda u, groups: fragments.implementer_rows(u, groups, self.node_page, t=tr,
                                                                          links=self._links_from(u)),
            issuer_counts=lambda u, others: fragments.issuer_counts(u, others, t=tr),
            linked_items=lambda u, linked, incoming=False: fragments.linked_items(
                u, linked, incoming, self.node_page, t=tr, links=self._links_from(u)),
        )

    # -- rendering ---------------------------------------------------------------------
    def template(self, name: str) -> jinja2.Template:
        t = self._templates.get(name)
        if t is None:
            try:
                t = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise SiteError(phrase("template {name}, line {line}: {error}", name=exc.filename or name,
                                       line=exc.lineno, error=exc.message)) from exc
            except jinja2.TemplateNotFound as exc:
                raise SiteError(phrase("template {name} not found in the package or --templates",
                                       name=exc.name)) from exc
            self._templates[name] = t
        return t

    def render(self, name: str, page: str, title: str, **context: Any) -> None:
        u = Linker(page)
        template = self.template(name)
        # What Template.render does, less the copying of the template's
        # globals: they are a ChainMap (the environment's and the
        # template's), which Jinja turns into a dict and a set of keys on
        # every page; here they are flattened once per template.
        shared = self._globals.get(name)
        if shared is None:
            shared = self._globals[name] = dict(template.globals)
        context.update(u=u, root=u.root, urls=self.urls, page=page, title=title,
                       canonical=self.urls.absolute(page))
        try:
            ctx = self.env.context_class(self.env, {**shared, **context}, template.name, template.blocks,
                                         globals=shared)
            try:
                html = "".join(template.root_render_func(ctx))
            except Exception:
                self.env.handle_exception()
        except jinja2.TemplateError as exc:
            raise SiteError(phrase("template {name} failed on {page}: {error}", name=name, page=page,
                                   error=exc)) from exc
        self.w.write(page, html)

    def node_page(self, key: str | None) -> str | None:
        """The page of a document, or None when it has none."""
        if key is None or key not in self.data.nodes:
            return None
        return self.urls.node(key)

    def issuer_page(self, label: str) -> str | None:
        # Asked for every committee on every central document's page.
        try:
            return self._issuer_page[label]
        except KeyError:
            found = self._issuer_page[label] = self.urls.issuer(label) if label in self.issuer_pages else None
            return found

    def _links_from(self, u: Linker) -> dict[str, str]:
        """Links to documents (by key) as written on every page of ``u``'s
        depth: a page's links are the root prefix plus the target."""
        found = self._doc_links.get(u.root)
        if found is None or len(found) > _KEPT_LINKS:
            found = self._doc_links[u.root] = {}
        return found

    def _heads_from(self, u: Linker) -> dict[str, str]:
        """The heads of relation rows (link, date, title, badges) by key, as
        written on every page of ``u``'s depth."""
        found = self._edge_heads.get(u.root)
        if found is None or len(found) > _KEPT_LINKS:
            found = self._edge_heads[u.root] = {}
        return found

    def doc_link(self, u: Linker, node: Node) -> Markup:
        """A link to a document's page, plain text when it has none."""
        return Markup(fragments.doc_link(u, node, self.node_page(node.key)))

    # -- the build -----------------------------------------------------------------------
    def prepare(self) -> None:
        """Read everything from the store and decide which pages exist."""
        # Reading the store makes millions of objects that all stay (and
        # hardly a cycle): the collector's full passes over the growing heap
        # took a fifth of collect's time, in the part of the build that runs
        # in one process.
        with many_objects():
            self.data, self.refs = collect(self.store, self.urls)
        self._by_path = {t.path: t for t in self.data.texts.values()}
        self._links = svg.Adjacency(self.data.nodes, self.data.outgoing, self.data.incoming)
        for n in self.data.ordered_nodes():
            self.issuer_pages.setdefault(issuer_label(n), []).append(n)
            self.type_pages.setdefault(n.type or "?", []).append(n)
            self.year_pages.setdefault(n.date.year if n.date else None, []).append(n)
            if self.data.outgoing.get(n.key) or self.data.incoming.get(n.key):
                self.graph_keys.add(n.key)
        # Compiled here, once, so that worker processes inherit them instead
        # of each compiling its own.
        for name in ("document.html", "graph.html", "text.html"):
            self.template(name)

    def tasks(self) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
        """The document and text pages in rank order, cut into batches; the
        last pages in smaller ones, so that the processes drawing them run
        out of work at about the same time."""
        keys = [n.key for n in self.data.ordered_nodes()]
        texts = [t.doc_id for t in sorted(self.data.texts.values(), key=lambda t: t.path) if not t.primary]
        # The last TAIL pages of the whole sequence (texts come last).
        tail_texts = min(len(texts), TAIL)
        tail_keys = min(len(keys), TAIL - tail_texts)
        out: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
        out.extend((batch, ()) for batch in _batches(keys, tail_keys))
        out.extend(((), batch) for batch in _batches(texts, tail_texts))
        return out

    def run(self, task: tuple[tuple[str, ...], tuple[int, ...]]) -> list[SearchEntry]:
        """Draw one batch of pages (in this process or a worker)."""
        keys, text_ids = task
        # The citations (or, when their resolution is stored, the candidates)
        # and texts of this batch's documents in one read each, not one per page.
        res = self.data.resolver
        ids = {self.data.nodes[k].id for k in keys}
        if res.uses_stored():
            res.prepare(ids)
        else:
            res.load_citations(ids)
        wanted = [info.doc_id for info in (self.data.primary_text(self.data.nodes[k]) for k in keys) if info is not None]
        self._texts = self.store.texts_of([*wanted, *text_ids])
        entries = []
        for key in keys:
            node = self.data.nodes[key]
            entries.append(self.document(node))
            if key in self.graph_keys:
                self.graph(node)
        for doc_id in text_ids:
            entries.append(self.text_only(self.data.texts[doc_id]))
        return entries

    def finish(self) -> None:
        """The pages about the whole collection."""
        # Their rows are many small objects that die with each page (no
        # cycles to find): without the collector's full passes over
        # everything the build holds, a fifth of this work at 10,000 documents.
        with many_objects():
            self.listings()
            self.coverage()
            self.home()
            self.render("search.html", self.urls.search, "Search")

    # -- pieces of document pages ----------------------------------------------------------
    def _where(self, edge: Edge) -> tuple[str, str]:
        info = self.data.texts.get(edge.doc_id)
        if info is None:
            return "", ""
        return self.urls.at(info.page, evidence_anchor(edge.evidence_start)), info.name

    def _rows(self, edges: Sequence[Edge], other_end: Callable[[Edge], str], own: set[int]) -> list[Group]:
        groups: dict[str, list[EdgeRow]] = defaultdict(list)
        for e in edges:
            other = self.data.nodes.get(other_end(e))
            if other is None:
                continue
            where, label = self._where(e)
            info = self.data.texts.get(e.doc_id)
            groups[e.type].append(EdgeRow(other, e, where, label, e.doc_id in own,
                                          _lang(info.lang) if info is not None else None))
        out = []
        for kind in sorted(groups, key=lambda t: _ORDER.get(t, 99)):
            rows = sorted(groups[kind], key=lambda r: (r.other.date or date.max, r.other.key, r.edge.doc_id))
            out.append(Group(kind, kind, tuple(rows[:DETAILED_ROWS]), tuple(rows[DETAILED_ROWS:])))
        return out

    def _text_markup(self, info: TextInfo, text: str) -> Markup:
        refs = []
        for t in self.refs.get(info.doc_id, ()):
            target = self.node_page(t.key)
            css = f"ref r-{t.relation}" + ("" if t.status == "resolved" else f" s-{t.status}")
            if target is None:
                label = f"{t.ref_id or 'unresolved reference'} ({t.status})"
                refs.append(RefMark(t.start, t.end, None, css + " unlinked", label, f"ref-{t.start}"))
            else:
                label = f"{t.key} · {t.relation}" + ("" if t.status == "resolved" else f" · {t.status}")
                refs.append(RefMark(t.start, t.end, Linker(info.page)(target), css, label, f"ref-{t.start}"))
        anchors = [(e.evidence_start, e.evidence_end) for e in self.data.asserted.get(info.doc_id, ())]
        return mark_text(text, refs, evidence=anchors, page_starts=info.page_starts)

    def _text(self, doc_id: int) -> str:
        text = self._texts.pop(doc_id, None)
        return text if text is not None else self.store.text_of(doc_id)

    def _stated(self, info: TextInfo, key: str | None) -> list[tuple[str, tuple[Stated, ...]]]:
        """Relations this text states between other documents (news, reports)."""
        groups: dict[str, list[Stated]] = defaultdict(list)
        for e in self.data.asserted.get(info.doc_id, ()):
            if key is not None and key in (e.source, e.target):
                continue
            s, t = self.data.nodes.get(e.source), self.data.nodes.get(e.target)
            if s is not None and t is not None:
                groups[e.type].append(Stated(s, t, e, self.urls.at(info.page, evidence_anchor(e.evidence_start)),
                                             _lang(info.lang)))
        return [(k, tuple(groups[k])) for k in sorted(groups, key=lambda t: _ORDER.get(t, 99))]

    def _named(self, info: TextInfo, skip: set[str]) -> list[Named]:
        """Documents the text names that no relation above lists already."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for t in self.refs.get(info.doc_id, ()):
            if t.key is None or t.key in skip or t.key == info.key or t.key not in self.data.nodes:
                continue
            counts[t.key] += 1
            first.setdefault(t.key, t.start)
        return [Named(self.data.nodes[k], counts[k], self.urls.at(info.page, f"ref-{first[k]}"))
                for k in sorted(counts, key=lambda k: first[k])]

    def _implementation(self, node: Node, page: str) -> dict[str, Any] | None:
        result = self.data.implementers.get(node.key)
        if result is None or not result.implementers:
            return None
        # The site has no list of one issuer's implementers to link to: its
        # page lists them all (the live application cuts each issuer short).
        count = len(result.implementers)
        summary = summarise_implementers(node, (ImplementerSummary.of(i.node) for i in result.implementers),
                                         rows=count, listed=count, drawn=svg.TIMELINE_ROWS)
        shown = {i.node.key: (i, self._where(i.evidence)[0]) for i in result.implementers}
        return implementation_view(summary, shown, self.issuer_page, lambda label: None, self.data.committees,
                                   report=None)

    def _mentions(self, node: Node, asserting: set[int]) -> list[MentionRow]:
        rows = []
        for m in self.data.mentions.get(node.key, ()):
            if m.doc_id in asserting:
                continue
            info = self.data.texts.get(m.doc_id)
            if info is not None:
                rows.append(MentionRow(info, self.urls.at(info.page, f"ref-{m.start}")))
        return rows

    def _facts(self, node: Node) -> tuple[list[tuple[str, str, list[tuple[str, str | None]]]], tuple[str, ...], list[Node]]:
        profile = describe(self.store, node, resolver=self.data.resolver, links=False)
        by_path = self._by_path
        facts = []
        for f in sorted(profile.facts, key=lambda f: (f.field, f.value)):
            sources = []
            for s in f.sources:
                info = by_path.get(s.path or "")
                label = s.kind if info is None else f"{s.kind}: {info.name}" + (f" p.{s.page}" if s.page else "")
                sources.append((label, info.page if info is not None else None))
            facts.append((f.field, f.value, sources))
        namesakes = [n for n in profile.namesakes if n.key in self.data.nodes]
        return facts, profile.conflicts, namesakes

    # -- pages -----------------------------------------------------------------------------
    def document(self, node: Node) -> SearchEntry:
        page = self.urls.node(node.key)
        info = self.data.primary_text(node)
        own = set(node.doc_ids)
        outgoing = self._rows(self.data.outgoing.get(node.key, ()), lambda e: e.target, own)
        incoming_edges = self.data.incoming.get(node.key, ())
        incoming = self._rows(incoming_edges, lambda e: e.source, own)
        mentions = self._mentions(node, {e.doc_id for e in incoming_edges} | own)
        facts, conflicts, namesakes = self._facts(node)
        text = self._text(info.doc_id) if info is not None else None
        body = self._text_markup(info, text) if info is not None and text is not None else None
        copies = [self.data.texts[d] for d in node.doc_ids if d in self.data.texts and not self.data.texts[d].primary]
        stated = self._stated(info, node.key) if info is not None else []
        shown = {e.target for e in self.data.outgoing.get(node.key, ())}
        shown |= {e.target for e in self.data.asserted.get(info.doc_id, ())} if info is not None else set()
        named = self._named(info, shown) if info is not None else []
        candidates = [self.data.nodes[k] for k in node.candidates if k in self.data.nodes]
        lang = _lang(info.lang) if info is not None else "vi"
        title = node.key + (f" — {clip(node.title, 80)}" if node.title else "")
        self.render(
            "document.html", page, title, node=node, info=info, body=body, lang=lang, facts=facts,
            conflicts=conflicts, namesakes=namesakes, outgoing=outgoing, incoming=incoming, mentions=mentions,
            mention_total=len(mentions), mentions_more=None,
            copies=copies, stated=stated, candidates=candidates, named=named,
            citing=len({r.other.key for g in incoming for r in g.rows}) + len(mentions),
            implementation=self._implementation(node, page),
            graph_page=self.urls.graph(node.key) if node.key in self.graph_keys else None,
            issuer=issuer_label(node), issuer_page=self.issuer_page(issuer_label(node)),
            type_page=self.urls.type(node.type or "?"),
            year_page=self.urls.year(node.date.year if node.date else None),
            node_page=self.node_page, text_info=self.data.texts,
            incoming_labels=INCOMING_LABELS, outgoing_labels=OUTGOING_LABELS,
        )
        meta = " ".join(p for p in (node.key, node.id, node.title, node.issuer, node.place, type_name(node.type),
                                    node.date.isoformat() if node.date else None) if p)
        return make_entry(page, node.key + (f" — {node.title}" if node.title else ""), node_subtitle(node), meta, text,
                          node.id, lang=info.lang if info is not None else None, level=node.level,
                          text_id=info.doc_id if info is not None and text and self.text_terms is not None else None)

    def text_only(self, info: TextInfo) -> SearchEntry:
        text = self._text(info.doc_id)
        owner = self.node_page(info.key)
        stated = self._stated(info, None)
        title = info.title or info.name
        self.render(
            "text.html", info.page, title, info=info, body=self._text_markup(info, text), lang=_lang(info.lang),
            stated=stated, owner=owner,
            named=self._named(info, {e.target for e in self.data.asserted.get(info.doc_id, ())}),
            owner_node=self.data.nodes.get(info.key or ""), node_page=self.node_page,
            outgoing_labels=OUTGOING_LABELS,
        )
        meta = " ".join(p for p in (info.title, info.name, info.format, info.lang) if p)
        kind = "text without a document number" if info.key is None else f"copy of {info.key}"
        owner_node = self.data.nodes.get(info.key or "")
        return make_entry(info.page, title, f"{info.format} · {info.lang} · {kind}", meta, text, lang=info.lang,
                          level=owner_node.level if owner_node is not None else None,
                          text_id=info.doc_id if text and self.text_terms is not None else None)

    def graph(self, node: Node) -> None:
        page = self.urls.graph(node.key)
        u = Linker(page)
        # Every graph page sits in the same folder, so a document's link is
        # the same from all of them: worked out once per document.
        hrefs = self._hrefs.setdefault(u.root, {})

        def href(key: str) -> str:
            found = hrefs.get(key)
            if found is None:
                found = hrefs[key] = u(self.urls.node(key))
            return found

        picture = svg.neighbourhood(node, self._links, href)
        # The lists under the picture name what it draws; the document page lists everything.
        linked = self._links(node.key)[: svg.RING1_LIMIT]
        self.render(
            "graph.html", page, f"Graph of {node.key}", node=node, picture=picture,
            outgoing=[(self.data.nodes[k], t) for k, t, out in linked if out],
            incoming=[(self.data.nodes[k], t) for k, t, out in linked if not out],
            relation_colours=svg.RELATION_COLOURS, level_colours=svg.LEVEL_COLOURS,
            relation_legend=self._legends[0], level_legend=self._legends[1],
            level_names=LEVEL_NAMES, incoming_labels=INCOMING_LABELS, outgoing_labels=OUTGOING_LABELS,
        )

    # -- listings ----------------------------------------------------------------------------
    def _entries(self, nodes: Iterable[Node]) -> list[ListingEntry]:
        out = []
        for n in nodes:
            info = self.data.primary_text(n)
            out.append(ListingEntry(n.key, node_title(n), self.urls.node(n.key), n.stored,
                                    _lang(info.lang) if info is not None else "vi"))
        return out

    def _paged(self, template_page: Callable[[int], str], heading: str, intro: str, entries: list[ListingEntry],
               crumb: tuple[str, str]) -> None:
        chunks = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]
        pager = tuple((i + 1, template_page(i + 1)) for i in range(len(chunks)))
        for i, chunk in enumerate(chunks):
            title = heading if i == 0 else f"{heading} (page {i + 1})"
            self.render("listing.html", template_page(i + 1), title, heading=heading, intro=intro, entries=chunk,
                        pager=Pager(pager, i + 1), total=len(entries), crumb=crumb)

    def listings(self) -> None:
        def counts(groups: dict[Any, list[Node]], page: Callable[[Any], str], label: Callable[[Any], str],
                   order: Callable[[tuple[Any, list[Node]]], Any]) -> list[CountRow]:
            rows = []
            for k, ns in sorted(groups.items(), key=order):
                stored = sum(1 for n in ns if n.stored)
                rows.append(CountRow(label(k), page(k), stored, len(ns) - stored))
            return rows

        self.issuer_rows = counts(self.issuer_pages, self.urls.issuer, str,
                                  lambda kv: (-len(kv[1]), *issuer_label_order(kv[0])))
        self.type_rows = counts(self.type_pages, self.urls.type,
                                lambda k: f"{k} — {type_name(k)}" if k != "?" else "unknown type",
                                lambda kv: (-len(kv[1]), kv[0]))
        self.year_rows = counts(self.year_pages, self.urls.year, lambda k: str(k) if k else "undated",
                                lambda kv: (-(kv[0] or 0),))
        for heading, intro, rows, index_page in (
            ("Documents by issuer", "Issuing bodies, most documents first.", self.issuer_rows, self.urls.issuers_index),
            ("Documents by type", "Document types, most documents first.", self.type_rows, self.urls.types_index),
            ("Documents by year", "Years of issue, most recent first.", self.year_rows, self.urls.years_index),
        ):
            self.render("counts.html", index_page, heading, heading=heading, intro=intro, rows=rows)
        for name, ns in self.issuer_pages.items():
            self._paged(partial(self.urls.issuer, name), name, "Documents issued by this body, "
                        "in the collection first, then known from citations; most recent first.",
                        self._entries(ns), ("Issuers", self.urls.issuers_index))
        for code, ns in self.type_pages.items():
            heading = f"{code} — {type_name(code)}" if code != "?" else "Documents of unknown type"
            self._paged(partial(self.urls.type, code), heading, "Documents of this type.",
                        self._entries(ns), ("Types", self.urls.types_index))
        for year, ns in self.year_pages.items():
            heading = f"Documents of {year}" if year else "Undated documents"
            self._paged(partial(self.urls.year, year), heading, "Documents issued this year.",
                        self._entries(ns), ("Years", self.urls.years_index))
        texts = sorted(self.data.texts.values(), key=lambda t: t.path)
        entries = [ListingEntry(t.name, t.title or "", t.page, True, _lang(t.lang)) for t in texts]
        self._paged(self.urls.texts, "Stored texts", "Every file in the collection, by path.", entries,
                    ("Home", self.urls.home))

    def coverage(self) -> None:
        m = self.data.matrix
        chunks = matrix_columns(m)
        pager = tuple((i + 1, self.urls.coverage(i + 1)) for i in range(len(chunks)))
        for i, cols in enumerate(chunks):
            rows, idle = matrix_rows(m, cols, lambda e: self._where(e)[0], self.issuer_page)
            self.render("coverage.html", self.urls.coverage(i + 1), "Coverage matrix" + (f" (page {i + 1})" if i else ""),
                        columns=cols, rows=rows, idle=idle,
                        pager=Pager(pager, i + 1), total_columns=sum(len(c) for c in chunks), total_rows=len(m.rows))

    def home(self) -> None:
        texts = list(self.data.texts.values())
        langs = Counter(t.lang for t in texts)
        stored = [n for n in self.data.ordered_nodes() if n.stored]
        recent = stored[:15]
        cited = sum(1 for n in self.data.nodes.values() if not n.stored and not n.ambiguous)
        relations = sum(len(v) for v in self.data.outgoing.values())
        self.render(
            "home.html", self.urls.home, "Home", texts=len(texts), documents=len(stored), cited=cited,
            relations=relations, langs=sorted(langs.items(), key=lambda kv: (-kv[1], kv[0])),
            recent=recent, issuer_rows=self.issuer_rows[:12], type_rows=self.type_rows, year_rows=self.year_rows,
            more_issuers=len(self.issuer_rows) - 12, columns=len(self.data.matrix.columns),
            no_header=sum(1 for t in texts if t.key is None),
        )


def default_jobs() -> int:
    """Processes drawing pages: one per core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


# The site being built, for worker processes forked from the builder: they
# inherit it (data, templates, caches) instead of receiving a copy.
_WORKER_SITE: _Site | None = None
_INHERITED: list[object] = []


def _worker_start() -> None:
    # As the ingest's workers: Ctrl-C is the parent's to handle, and SIGTERM
    # ends the worker at once. The pool stops its workers with SIGTERM when
    # the build ends; the command line's handler, inherited by the fork,
    # would instead raise in the worker, which may then leave the task
    # queue's lock held and another worker waiting on it for ever (the build
    # then never returned).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    site = _WORKER_SITE
    assert site is not None
    # SQLite connections must not cross a fork: open one for this process and
    # keep the inherited one referenced so that it is never closed from here.
    _INHERITED.append(site.store)
    store = Store.open(site.store.index_location, create=False)
    site.store = store
    site.data.resolver.store = store
    site.w = _Writer(site.out, site.w.fresh)


def _worker_run(task: tuple[tuple[str, ...], tuple[int, ...]]
                ) -> tuple[list[SearchEntry], list[str], int, int, int, list[tuple[int, int]]]:
    site = _WORKER_SITE
    assert site is not None
    w = site.w
    first, written, unchanged, pages = len(w.paths), w.written, w.unchanged, w.pages
    entries = site.run(task)
    paths = w.paths[first:]
    return (entries, paths, w.written - written, w.unchanged - unchanged, w.pages - pages,
            [w.stamps[p] for p in paths])


def _text_terms_main(location: str | Path, send: Any) -> None:
    """In a process of its own: the search terms of every stored text, sent
    back as one mapping doc_id → terms. Whatever goes wrong here, the
    builder cuts the texts into terms itself (and meets and reports any
    real problem of the store), so this process stops without a word."""
    try:
        store = Store.open(location, create=False)
        try:
            ids = store.doc_ids()
            found: dict[int, str] = {}
            for i in range(0, len(ids), 500):
                for doc_id, text in store.texts_of(ids[i:i + 500]).items():
                    found[doc_id] = body_terms(text)
            send.send(found)
        finally:
            store.close()
    except Exception:  # see above: the builder does the work instead
        pass
    finally:
        send.close()


class _TextTerms:
    """The search terms of the stored texts, worked out by a process of its
    own while the builder reads the store (``collect`` runs in one process
    and would leave the other core idle); the page drawers then leave them
    out of their search entries (:attr:`SearchEntry.text_id`).

    A text missing from what the process sent (it failed, or the text was
    stored meanwhile) is read and cut into terms here.

    The process is spawned, not forked: it needs nothing of the builder's
    memory but the store's location, and a forked child could inherit a lock
    held by some thread of the builder (or of a library) at the moment of
    the fork and wait on it forever."""

    def __init__(self, store: Store) -> None:
        self.store = store
        ctx = multiprocessing.get_context("spawn")
        receive, send = ctx.Pipe(duplex=False)
        self._receive = receive
        self._process = ctx.Process(target=_text_terms_main, args=(store.index_location, send), daemon=True)
        self._process.start()
        send.close()  # this end is the helper's: the builder sees the end of the pipe when it stops
        self._found: dict[int, str] | None = None

    def _wait(self) -> dict[int, str]:
        if self._found is None:
            try:
                self._found = self._receive.recv()
            except (EOFError, OSError):
                self._found = {}
            self.close()
        return self._found

    def of(self, doc_id: int) -> str:
        """The body terms of the stored text ``doc_id``."""
        found = self._wait().get(doc_id)
        return found if found is not None else body_terms(self.store.text_of(doc_id))

    def close(self) -> None:
        self._receive.close()
        if self._found is not None:
            self._process.join(5)  # it has sent everything and is closing its store
        if self._process.is_alive():
            # Its results are in (or will never come): nothing it still does matters.
            self._process.kill()
        self._process.join()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")


def _add_entries(site: _Site, entries: Iterable[SearchEntry]) -> None:
    """Add drawn pages to the search index, with their texts' terms when
    another process worked those out."""
    for entry in entries:
        if entry.text_id is not None and site.text_terms is not None:
            site.search.add(entry, site.text_terms.of(entry.text_id))
        else:
            site.search.add(entry)


def _draw_pages(site: _Site, jobs: int) -> None:
    """Document, graph and text pages, in ``jobs`` processes where the
    system can fork, and the pages about the whole collection beside them;
    the search index receives them in rank order."""
    # What collect read lives until the build ends: the collector need not
    # look at it again at every full collection (a few percent of a build),
    # and forked processes then leave its memory pages shared instead of
    # writing into them when the collector runs.
    gc.freeze()
    try:
        _draw_batches(site, jobs)
    finally:
        gc.unfreeze()


def _draw_batches(site: _Site, jobs: int) -> None:
    global _WORKER_SITE
    tasks = site.tasks()
    if jobs <= 1 or len(tasks) < 2 or not _can_fork():
        for task in tasks:
            _add_entries(site, site.run(task))
        site.finish()
        return
    _WORKER_SITE = site
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(jobs, len(tasks)), initializer=_worker_start) as pool:
            drawn = pool.imap(_worker_run, tasks)
            # The pages about the whole collection are drawn here meanwhile.
            site.finish()
            for entries, paths, written, unchanged, pages, stamps in drawn:
                site.w.adopt(paths, written, unchanged, pages, stamps)
                _add_entries(site, entries)
    finally:
        _WORKER_SITE = None


def build_site(store: Store, out_dir: str | os.PathLike[str], *, templates: str | os.PathLike[str] | None = None,
               base_url: str = "/", jobs: int | None = None, lang: str = DEFAULT_LANGUAGE) -> SiteReport:
    """Render the store into a static site in ``out_dir``.

    ``templates`` is a folder whose files replace the shipped templates (and
    static files) of the same name; ``base_url`` is where the site will be
    served (``/`` or ``/sub/path/``, or a full http(s) URL), used only for
    canonical addresses: every link between pages is relative. ``jobs``
    processes draw the pages (default: one per core, at most four; the
    output does not depend on it). ``lang`` is the interface language
    (``vi``, ``en`` or ``de``; see :mod:`docsearch.i18n`).

    Raises :class:`SiteError` when the folder cannot be used, a template is
    broken or the base URL is not a URL path.
    """
    started = time.perf_counter()
    try:
        base = normalize_base_url(base_url)
    except BadBaseUrl as exc:
        raise SiteError(exc.said) from None
    out = Path(out_dir)
    manifest_before = _previous(out)
    previous = manifest_before.files
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SiteError(phrase("cannot create {folder}: {error}", folder=out, error=exc.strerror)) from exc
    tpl = Path(templates) if templates is not None else None
    if tpl is not None and not tpl.is_dir():
        raise SiteError(phrase("--templates {folder}: no such folder", folder=tpl))
    fingerprint = _fingerprint(store, tpl, base, lang)
    summary = manifest_before.summary
    if (fingerprint == manifest_before.fingerprint and summary is not None
            and _intact(out, manifest_before)):
        # Same store, templates, code and options as the last build, and
        # its files untouched: the site on disk is what a build would write.
        return SiteReport(
            out_dir=out, pages=sum(1 for p in previous if p.endswith(".html")), files=len(previous), written=0,
            unchanged=len(previous), removed=0, documents=int(summary.get("documents", 0)),
            texts=int(summary.get("texts", 0)), cited_only=int(summary.get("cited_only", 0)),
            search_shards=sum(1 for p in previous if p.startswith("search/t/")),
            seconds=time.perf_counter() - started,
        )
    env = _environment(tpl, lang)
    urls = Urls(base_url=base)
    writer = _Writer(out, fresh=not previous and not any(out.iterdir()))
    site = _Site(store, out, env, urls, writer)
    jobs = jobs if jobs is not None else default_jobs()
    if jobs > 1 and _can_fork():
        site.text_terms = _TextTerms(store)
    try:
        site.prepare()
        _draw_pages(site, jobs)
    finally:
        if site.text_terms is not None:
            site.text_terms.close()
    shards = 0
    for path, content in site.search.files():
        writer.write(path, content)
        shards += path.startswith("search/t/")
    for name, data in _static_files(tpl):
        writer.write(urls.static(name), data)
    if base.startswith("http"):
        writer.write("sitemap.xml", _sitemap(urls, [p for p in writer.paths if p.endswith(".html")]))
    removed = writer.remove_stale(previous)
    collected = site.data
    stored = sum(1 for n in collected.nodes.values() if n.stored)
    # Counted as the home page counts them: an ambiguous citation is no document.
    cited_only = sum(1 for n in collected.nodes.values() if not n.stored and not n.ambiguous)
    files = sorted(writer.paths)
    manifest = json.dumps({
        "generator": f"docsearch {__version__}", "files": files, "fingerprint": fingerprint,
        "summary": {"documents": stored, "texts": len(collected.texts), "cited_only": cited_only},
        "stamps": {p: writer.stamps[p] for p in files},
    }, indent=0)
    target = out / MANIFEST
    if not target.exists() or target.read_text("utf-8") != manifest:
        target.write_text(manifest, "utf-8")
    return SiteReport(
        out_dir=out, pages=writer.pages, files=len(writer.paths), written=writer.written,
        unchanged=writer.unchanged, removed=removed, documents=stored, texts=len(collected.texts),
        cited_only=cited_only, search_shards=shards, seconds=time.perf_counter() - started,
    )


def _sitemap(urls: Urls, pages: Sequence[str]) -> str:
    from xml.sax.saxutils import escape

    body = "".join(f"<url><loc>{escape(urls.absolute(p))}</loc></url>\n" for p in sorted(pages))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n')
