"""The Starlette application: routes, language choice, errors.

Pages and API answers are computed by the same library functions the
command line calls (:mod:`docsearch.search`, :mod:`docsearch.graph`,
:mod:`docsearch.check`); this module only reads parameters, calls them and
renders the result as a page (shared templates) or as the JSON the
matching command prints with ``--format json``.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from .. import __version__, relation_types
from ..check import (
    CheckConfig,
    FileReport,
    UnknownCodeError,
    check_code_selector,
    check_extracted,
    check_text,
)
from ..document_record import read_record
from ..extract import extract_bytes
from ..graph import (
    EXPORT_FORMATS,
    IMPLEMENTING,
    RELATION_PRECEDENCE,
    Node,
    coverage_matrix,
    describe,
    render_cites,
    render_coverage,
    render_implements,
    render_matrix,
    write_graph,
)
from ..graph import cites as graph_cites
from ..graph import coverage as graph_coverage
from ..graph import implements as graph_implements
from ..graph.query import by_issuer, cites_slice
from ..i18n import LANGUAGE_NAMES, LANGUAGES, Translator, normalize_language, translator
from ..render import relative_path
from ..search.api import MAX_LIMIT, MAX_OFFSET
from ..site import fragments
from ..site.build import EVIDENCE_CHARS, Pager, matrix_columns, matrix_rows
from .access import IndexAccess
from .checking import CheckView, check_view
from .config import WebConfig
from .document import document_page
from .errors import WebError, classify
from .openapi import describe_api
from .security import Guard
from .uploads import Draft, read_draft
from .urls import LiveUrls, same_page

log = logging.getLogger("docsearch.web")

LANG_COOKIE = "docsearch_lang"
#: Hits per page of the search page (as `docsearch search` shows by default).
PAGE_SIZE = 10
#: Facet values shown per facet.
FACET_VALUES = 12
MAX_DEPTH = 6
#: Document pages kept in memory (per language) until the store changes:
#: at most this many, and this many bytes in all.
PAGE_CACHE = 64
PAGE_CACHE_BYTES = 64 * 1024 * 1024
#: Threads that answer requests. They live as long as the server, so each
#: opens its read-only store and full-text reader once (a reader is warm
#: after its first search). Starlette's own pool ends every thread but the
#: last one used after ten idle seconds, so each burst of concurrent
#: requests after a pause opened and warmed readers again on new threads.
REQUEST_THREADS = 24

_Handler = Callable[[Request], Awaitable[Response]]
_T = TypeVar("_T")


#: The pages a server compiles when it starts, so that the first view of
#: each does not (a document page's templates take a few tenths of a second);
#: with the page they all extend, which is loaded only when one is drawn.
STARTUP_TEMPLATES = ("base.html", "document.html", "text.html", "live_search.html", "live_results.html",
                     "live_implements.html")


@cache
def _templates() -> jinja2.Environment:
    """The one template environment of the application: the static site's
    templates, autoescaped, failing loudly on an undefined value. One per
    process (it holds nothing but the compiled templates)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("docsearch.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
    )


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(_dump(data), status_code=status, media_type="application/json")


def _int(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise WebError(400, f"'{name}' must be a whole number, not '{raw}'") from None
    if not lo <= value <= hi:
        raise WebError(400, f"'{name}' must be between {lo} and {hi} (got {value})")
    return value


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes", "on")


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name) or default
    if value not in choices:
        raise WebError(400, f"'{name}' must be one of {', '.join(choices)}, not '{value}'")
    return value


def _text(request: Request, name: str) -> str:
    """A query parameter's text, stripped; empty when it is not given."""
    return (request.query_params.get(name) or "").strip()


def _known_relation(name: str) -> str:
    """``name`` when it is a relation type; a 400 error naming them otherwise."""
    if name not in RELATION_PRECEDENCE:
        raise WebError(400, f"unknown relation '{name}'; use {', '.join(RELATION_PRECEDENCE)}")
    return name


def _required(request: Request, name: str, example: str) -> str:
    value = _text(request, name)
    if not value:
        raise WebError(400, f"give '{name}', e.g. ?{name}={example}")
    return value


class Application:
    """The state one server holds: configuration, index access, templates."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.index = IndexAccess(config.index_location, read_index=config.read_index)
        self.env = _templates()
        self.urls = LiveUrls()
        self._pages: OrderedDict[tuple[str, str, str, tuple[object, ...]], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.threads = ThreadPoolExecutor(max_workers=REQUEST_THREADS, thread_name_prefix="docsearch-request")

    async def call(self, fn: Callable[..., _T], *args: Any) -> _T:
        """``fn(*args)`` on one of the request threads (blocking work: the
        store, the full-text index, templates), awaited."""
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self.threads, context.run, fn, *args)

    # -- language and rendering ------------------------------------------------------------
    def language(self, request: Request) -> tuple[Translator, bool]:
        """The interface language: ``?lang=`` (remembered in a cookie), else
        the cookie, else the server's (``serve --lang``; Vietnamese unless
        set). The flag says whether to set the cookie."""
        asked = normalize_language(request.query_params.get("lang"))
        if asked is not None:
            return translator(asked), request.cookies.get(LANG_COOKIE) != asked
        return translator(normalize_language(request.cookies.get(LANG_COOKIE)) or self.config.lang), False

    def _lang_links(self, request: Request, current: str) -> list[tuple[str, str, str, bool]]:
        out = []
        for code in LANGUAGES:
            params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "partial")]
            params.append(("lang", code))
            out.append((code, LANGUAGE_NAMES[code], request.url.path + "?" + urlencode(params), code == current))
        return out

    def render(self, request: Request, template: str, title: str, *, status: int = 200,
               **context: Any) -> HTMLResponse:
        t, remember = self.language(request)
        urls = self.urls

        def doc_link(u: Callable[[str], str], node: Node) -> Markup:
            return Markup(fragments.doc_link(u, node, urls.node(node.key)))

        def edge_groups(u: Callable[[str], str], groups: Any, labels: Any) -> Markup:
            return fragments.edge_groups(u, groups, labels, urls.node, EVIDENCE_CHARS, t=t)

        def stated_list(u: Callable[[str], str], stated: Any, labels: Any) -> Markup:
            return fragments.stated_list(u, stated, labels, urls.node, EVIDENCE_CHARS, t=t)

        def implementer_rows(u: Callable[[str], str], groups: Any) -> Markup:
            return fragments.implementer_rows(u, groups, urls.node, t=t)

        def issuer_counts(u: Callable[[str], str], others: Any) -> Markup:
            return fragments.issuer_counts(u, others, t=t)

        values: dict[str, Any] = dict(
            u=same_page, root="", urls=urls, page=request.url.path, title=title, canonical=request.url.path,
            t=t, ui_lang=t.lang, live=True, version=__version__, lang_links=self._lang_links(request, t.lang),
            doc_link=doc_link, edge_groups=edge_groups, stated_list=stated_list, implementer_rows=implementer_rows,
            issuer_counts=issuer_counts,
            clip=fragments.clip,
            iso=lambda d: d.isoformat() if d else "", query_text="",
        )
        values.update(context)
        html = self.env.get_template(template).render(**values)
        response = HTMLResponse(html, status_code=status)
        if remember:
            response.set_cookie(LANG_COOKIE, t.lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        return response

    def error_page(self, request: Request, error: WebError) -> Response:
        if _is_api(request.url.path):
            return json_response(error.to_json(), error.status)
        t, _ = self.language(request)
        try:
            return self.render(request, "live_error.html", t(error.title), status=error.status, error=error,
                               heading=t(error.title))
        except Exception:  # noqa: BLE001 - an error page must never fail; plain text then
            log.exception("cannot render the error page")
            return Response(f"{error.status} {error.message}", status_code=error.status, media_type="text/plain")

    def deny(self, scope: Scope) -> Response:
        request = Request(scope)
        t, _ = self.language(request)
        return self.error_page(request, WebError(401, t(
            "This server needs an access token: open the address with ?token=… once, "
            "or send Authorization: Bearer ….")))

    # -- error handlers --------------------------------------------------------------------
    async def on_error(self, request: Request, exc: Exception) -> Response:
        error = classify(exc)
        if error is None:
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            t, _ = self.language(request)
            error = WebError(500, t("The server could not answer; the error was logged. Try again, or another page."))
        return self.error_page(request, error)

    async def on_http(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        t, _ = self.language(request)
        message = t("No page at this address.") if exc.status_code == 404 else str(exc.detail)
        return self.error_page(request, WebError(exc.status_code, message))

    # -- pages -------------------------------------------------------------------------------
    def home(self, request: Request) -> Response:
        stored = self.index.store().counts()
        counts = {"texts": stored.texts, "identified": stored.identified, "relations": stored.relations}
        t, _ = self.language(request)
        return self.render(request, "live_home.html", t("Home"), counts=counts)

    def _search(self, request: Request, limit: int) -> tuple[str, Any]:
        query = _text(request, "q")
        offset = _int(request, "offset", 0, 0, MAX_OFFSET)
        if not query:
            return query, None
        return query, self.index.fulltext().search(query, limit=limit, offset=offset)

    def search_page(self, request: Request) -> Response:
        t, _ = self.language(request)
        partial = _flag(request, "partial")
        typed_ahead = None
        try:
            query, results = self._search(request, PAGE_SIZE)
            problem = None
            raw = request.query_params.get("q") or ""
            if partial and results is not None and results.total == 0 and raw and not raw[-1].isspace():
                # While a word is being typed it is not a word yet ("Quảng N"):
                # keep showing what the words before it find.
                head, _, last = query.rpartition(" ")
                if head.strip() and re.fullmatch(r"\w+", last):
                    typed_ahead = self.index.fulltext().search(head, limit=PAGE_SIZE)
                    if typed_ahead.total:
                        results = typed_ahead
                    else:
                        typed_ahead = None
        except WebError as exc:
            query, results, problem = _text(request, "q"), None, exc
        except Exception as exc:  # noqa: BLE001 - a bad query is shown beside the box, not as an error page
            error = classify(exc)
            if error is None or error.status != 400:
                raise
            query, results, problem = _text(request, "q"), None, error
        shown = typed_ahead.query if typed_ahead is not None else query
        context = dict(query=shown, query_text=query, results=results, problem=problem, facets=_facets(results, shown),
                       typed_ahead=typed_ahead is not None,
                       pages=_search_pages(results, shown, self.urls), marked=_marked)
        status = problem.status if problem is not None and not partial else 200
        if partial:
            return self.render(request, "live_results.html", t("Search"), status=status, **context)
        title = f"{query} · {t('Search')}" if query else t("Search")
        return self.render(request, "live_search.html", title, status=status, **context)

    def document(self, request: Request) -> Response:
        t, remember = self.language(request)
        ref = request.path_params["ref"]
        # A central document's page reads thousands of relations: pages are
        # kept (per language) until the store changes.
        others = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()) if k != "lang")
        key = (ref, others, t.lang, self.index.signature())
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
        if html is None:
            page = document_page(self.index.store(), ref, self.urls, t, resolver=self.index.resolver())
            response = self.render(request, page.template, page.title, **page.context)
            with self._lock:
                self._pages[key] = bytes(response.body)
                size = sum(len(v) for v in self._pages.values())
                while len(self._pages) > PAGE_CACHE or (size > PAGE_CACHE_BYTES and len(self._pages) > 1):
                    size -= len(self._pages.popitem(last=False)[1])
            return response
        response = HTMLResponse(html)
        if remember:
            response.set_cookie(LANG_COOKIE, t.lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        return response

    def implements_page(self, request: Request) -> Response:
        t, _ = self.language(request)
        doc = _text(request, "doc")
        depth = _int(request, "depth", 1, 1, MAX_DEPTH)
        issuer = _text(request, "issuer")
        result = graph_implements(self.index.store(), doc, depth=depth, resolver=self.index.resolver()) if doc else None
        if result is not None and issuer:
            result = by_issuer(result, issuer)
        title = t("Documents implementing {doc}", doc=result.target.key) if result else t("Which documents implement")
        params: dict[str, Any] = {"doc": doc, "depth": depth, **({"issuer": issuer} if issuer else {})}
        downloads = _downloads("/api/implements", params) if result else []
        return self.render(request, "live_implements.html", title, doc=doc, depth=depth, result=result,
                           downloads=downloads, max_depth=MAX_DEPTH, issuer=issuer)

    def coverage_page(self, request: Request) -> Response:
        t, _ = self.language(request)
        doc = _text(request, "doc")
        store = self.index.store()
        if doc:
            by = _choice(request, "by", ("issuer", "level"), "issuer")
            depth = _int(request, "depth", 1, 1, MAX_DEPTH)
            cov = graph_coverage(store, doc, by=by, depth=depth, resolver=self.index.resolver())
            return self.render(request, "live_coverage.html", t("Coverage of {doc}", doc=cov.target.key), doc=doc,
                               by=by, depth=depth, cov=cov, max_depth=MAX_DEPTH,
                               downloads=_downloads("/api/coverage", {"doc": doc, "by": by, "depth": depth}))
        page = _int(request, "page", 1, 1, 10_000)
        matrix = coverage_matrix(store, resolver=self.index.resolver())
        return self._matrix(request, matrix, page)

    def _matrix(self, request: Request, matrix: Any, page: int) -> Response:
        t, _ = self.language(request)
        chunks = matrix_columns(matrix)
        if page > len(chunks):
            raise WebError(404, f"the matrix has {len(chunks)} page(s), not {page}")
        cols = chunks[page - 1]
        rows, idle = matrix_rows(matrix, cols, lambda e: self.urls.at(self.urls.text(e.doc_id), f"at-{e.evidence_start}"),
                                 self.urls.issuer)
        pager = Pager(tuple((i + 1, self.urls.coverage(i + 1)) for i in range(len(chunks))), page)
        return self.render(request, "coverage.html", t("Coverage matrix"), columns=cols, rows=rows,
                           idle=idle, pager=pager, total_columns=sum(len(c) for c in chunks),
                           total_rows=len(matrix.rows),
                           downloads=_downloads("/api/coverage", {"central": 1}))

    async def check_page(self, request: Request) -> Response:
        t, _ = self.language(request)
        view: CheckView | None = None
        pasted = ""
        if request.method == "POST":
            draft = await read_draft(request, self.config.upload_limit)
            pasted = draft.text or ""
            report, text = await self.call(self._check, draft, ())
            view = check_view(report, text, pasted=draft.text is not None, lang=t.lang)
        return self.render(request, "live_check.html", t("Check a draft"), view=view, pasted=pasted,
                           limit_mb=self.config.upload_limit // (1024 * 1024))

    def _check(self, draft: Draft, ignore: tuple[str, ...]) -> tuple[FileReport, str]:
        facts = self.index.facts()
        config = CheckConfig().merged(ignore)
        if draft.data is not None:
            suffix = "." + draft.name.rsplit(".", 1)[-1] if "." in draft.name else ""
            fmt, extracted = extract_bytes(draft.data, suffix)
            return (check_extracted(extracted, facts, file=draft.name, fmt=fmt, data=draft.data, config=config),
                    extracted.text)
        text = draft.text or ""
        return check_text(text, facts, config=config, file=draft.name), text

    # -- the API -------------------------------------------------------------------------------
    def api_search(self, request: Request) -> Response:
        _required(request, "q", "Nghị+quyết+57")
        limit = _int(request, "limit", 10, 1, MAX_LIMIT)
        _, results = self._search(request, limit)
        data = results.to_json()
        for hit in data["hits"]:
            hit["path"] = relative_path(hit["path"])
        return json_response(data)

    def api_document(self, request: Request) -> Response:
        """The JSON of ``docsearch show DOC --format json`` (``?text=1`` adds the text),
        from the same :class:`~docsearch.document_record.DocumentRecord`."""
        store = self.index.store()
        ref = request.path_params["ref"].strip()
        with_text = _flag(request, "text")
        found = store.find_documents(ref) if ref else []
        if not found:
            return json_response(describe(store, ref, resolver=self.index.resolver()).to_json())
        if len(found) > 1:
            listed = ", ".join(f"#{d.doc_id} {relative_path(d.path)}" for d in found)
            raise WebError(400, f"'{ref}' matches {len(found)} stored documents ({listed}); "
                                "add the year or use #N")
        record = read_record(store, found[0], resolver=self.index.resolver())
        return json_response(record.to_json(with_text=with_text))

    def _relations(self, request: Request) -> tuple[str, ...]:
        return tuple(map(_known_relation, request.query_params.getlist("relation"))) or IMPLEMENTING

    def api_implements(self, request: Request) -> Response:
        doc = _required(request, "doc", "57-NQ/TW")
        depth = _int(request, "depth", 1, 1, MAX_DEPTH)
        fmt = _choice(request, "format", ("json", "csv"), "json")
        result = graph_implements(self.index.store(), doc, depth=depth, relations=self._relations(request),
                                  resolver=self.index.resolver())
        issuer = _text(request, "issuer")
        if issuer:
            result = by_issuer(result, issuer)
        return _formatted(render_implements(result, fmt, relative_to=os.getcwd()), fmt, "implements")

    def api_cites(self, request: Request) -> Response:
        doc = _required(request, "doc", "57-NQ/TW")
        fmt = _choice(request, "format", ("json", "csv"), "json")
        result = graph_cites(self.index.store(), doc, resolver=self.index.resolver())
        relation = _text(request, "relation")
        if relation:
            _known_relation(relation)
        offset = _int(request, "offset", 0, 0, 10_000_000)
        limit = _int(request, "limit", 0, 0, 10_000_000)
        if relation or offset or limit:
            result = cites_slice(result, relation or None, offset, limit or None)
        return _formatted(render_cites(result, fmt, relative_to=os.getcwd()), fmt, "cites")

    def api_coverage(self, request: Request) -> Response:
        fmt = _choice(request, "format", ("json", "csv"), "json")
        doc = _text(request, "doc")
        central = _flag(request, "central")
        if central == bool(doc):
            raise WebError(400, "give ?doc=… (e.g. doc=57-NQ/TW) or ?central=1 for the matrix, not both")
        store = self.index.store()
        if central:
            return _formatted(render_matrix(coverage_matrix(store, resolver=self.index.resolver()), fmt), fmt,
                              "coverage-matrix")
        by = _choice(request, "by", ("issuer", "level"), "issuer")
        depth = _int(request, "depth", 1, 1, MAX_DEPTH)
        result = graph_coverage(store, doc, by=by, depth=depth, resolver=self.index.resolver())
        return _formatted(render_coverage(result, fmt), fmt, "coverage")

    def api_graph(self, request: Request) -> Response:
        fmt = _choice(request, "format", tuple(EXPORT_FORMATS), "json")
        table = _choice(request, "table", ("edges", "nodes"), "edges")
        out = io.StringIO()
        write_graph(self.index.store(), out, fmt, table=table, resolver=self.index.resolver(), relative_to=os.getcwd())
        media = {"json": "application/json", "csv": "text/csv; charset=utf-8",
                 "graphml": "application/xml", "dot": "text/vnd.graphviz; charset=utf-8"}.get(fmt, "text/plain")
        return Response(out.getvalue(), media_type=media)

    async def api_check(self, request: Request) -> Response:
        ignore = tuple(request.query_params.getlist("ignore"))
        try:
            for code in ignore:
                check_code_selector(code)
        except UnknownCodeError as exc:
            raise WebError(400, str(exc)) from None
        draft = await read_draft(request, self.config.upload_limit)
        report, _ = await self.call(self._check, draft, ignore)
        return json_response(report.to_json())

    async def api_openapi(self, request: Request) -> Response:
        """The OpenAPI description of the API."""
        return json_response(describe_api())

    async def api_index(self, request: Request) -> Response:
        return JSONResponse({
            "docsearch": __version__,
            "endpoints": ["/api/search?q=", "/api/documents/{id or #N}", "/api/implements?doc=&depth=",
                          "/api/cites?doc=", "/api/coverage?doc=", "/api/coverage?central=1", "/api/graph",
                          "POST /api/check"],
            "documentation": "docs/api.md", "openapi": "/api/openapi.json",
        })


def _formatted(body: str, fmt: str, name: str) -> Response:
    if fmt == "csv":
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}.csv"'})
    return Response(body, media_type="application/json")


def _downloads(path: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    return [(fmt.upper(), f"{path}?{urlencode({**params, 'format': fmt})}") for fmt in ("csv", "json")]


def _facets(results: Any, query: str) -> list[tuple[str, list[tuple[str, int, str, bool]]]]:
    """For each facet, its values with their count, the address of the query
    narrowed to it, and whether the query already has that filter."""
    if results is None:
        return []
    names = {"type": "type", "year": "year", "issuer": "issuer", "level": "level", "language": "lang"}
    out = []
    for facet, counts in results.facets.items():
        field = names.get(facet)
        if field is None or not counts:
            continue
        values = []
        for value, n in list(counts.items())[:FACET_VALUES]:
            term = f'{field}:"{value}"' if any(c in value for c in ' :"()') else f"{field}:{value}"
            active = term in query
            narrowed = query if active else f"{query} {term}"
            values.append((value, n, "/search?" + urlencode({"q": narrowed}), active))
        out.append((facet, values))
    order = ["type", "issuer", "level", "year", "language"]
    return sorted(out, key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)


def _search_pages(results: Any, query: str, urls: LiveUrls) -> dict[str, str | None]:
    if results is None:
        return {"previous": None, "next": None}
    prev_offset = results.offset - results.limit
    next_offset = results.offset + results.limit
    return {
        "previous": urls.search_for(query, offset=max(0, prev_offset)) if results.offset > 0 else None,
        "next": urls.search_for(query, offset=next_offset) if next_offset < min(results.total, MAX_OFFSET) else None,
    }


def _marked(snippet: Any) -> Markup:
    """A snippet with its highlighted words in ``<mark>``, everything escaped."""
    out, last = [], 0
    for s, e in snippet.highlights:
        out.append(str(escape(snippet.text[last:s])))
        out.append(f"<mark>{escape(snippet.text[s:e])}</mark>")
        last = e
    out.append(str(escape(snippet.text[last:])))
    return Markup("".join(out))


def _static() -> StaticFiles:
    return StaticFiles(packages=[("docsearch.site", "static")])


def _style_sheet() -> bytes:
    """The site's style sheet with the relation colours defined first, as the
    static site writes it (the colours are defined once, in relation_types)."""
    sheet = (files("docsearch.site") / "static" / "style.css").read_bytes()
    return f":root {{ {relation_types.css_variables()} }}\n".encode() + sheet


def create_app(config: WebConfig | None = None) -> Starlette:
    """The ASGI application serving ``config.index_dir`` (see :class:`WebConfig`)."""
    app_state = Application(config or WebConfig())
    a = app_state

    def sync(fn: Callable[[Request], Response]) -> _Handler:
        async def endpoint(request: Request) -> Response:
            return await a.call(fn, request)
        endpoint.__name__ = fn.__name__
        endpoint.__doc__ = fn.__doc__
        return endpoint

    sheet = _style_sheet()

    async def style(request: Request) -> Response:
        return Response(sheet, media_type="text/css; charset=utf-8", headers={"cache-control": "public, max-age=3600"})

    routes: list[BaseRoute] = [
        Route("/", sync(a.home)),
        Route("/search", sync(a.search_page)),
        Route("/documents/{ref:path}", sync(a.document)),
        Route("/implements", sync(a.implements_page)),
        Route("/coverage", sync(a.coverage_page)),
        Route("/check", a.check_page, methods=["GET", "POST"]),
        Route("/api", a.api_index),
        Route("/api/openapi.json", a.api_openapi),
        Route("/api/search", sync(a.api_search)),
        Route("/api/documents/{ref:path}", sync(a.api_document)),
        Route("/api/implements", sync(a.api_implements)),
        Route("/api/cites", sync(a.api_cites)),
        Route("/api/coverage", sync(a.api_coverage)),
        Route("/api/graph", sync(a.api_graph)),
        Route("/api/check", a.api_check, methods=["POST"]),
        Route("/static/style.css", style),
        Mount("/static", app=_static(), name="static"),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: a.on_http,
        Exception: a.on_error,
    }
    for kind in (WebError, *_library_errors()):
        handlers[kind] = a.on_error
    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        for name in STARTUP_TEMPLATES:
            await a.call(a.env.get_template, name)
        try:
            yield
        finally:
            a.threads.shutdown(wait=False, cancel_futures=True)

    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.docsearch = a
    app.add_middleware(Guard, token=a.config.token, deny=a.deny)
    return app


def _library_errors() -> tuple[type[Exception], ...]:
    from ..check import CheckError
    from ..extract import ExtractionError
    from ..graph import GraphError
    from ..search import SearchError
    from .access import IndexUnavailable

    return (GraphError, SearchError, IndexUnavailable, ExtractionError, CheckError)


__all__ = ["Application", "create_app"]
