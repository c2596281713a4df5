"""Searching: parse the query, ask the engine, make snippets, count facets."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..database import is_server_url
from ..i18n import Count, phrase
from .engine import EngineHit, SearchEngine
from .errors import QueryError
from .query import DocRef, Query, parse_query
from .snippets import Highlighter, Snippet

if TYPE_CHECKING:
    from ..refs import Knowledge

MAX_LIMIT = 1000
MAX_OFFSET = 100_000
# Words typed with diacritics: hits holding them as typed ("mới") rank above
# hits with only their folded twins ("môi", "mỗi"). The index is folded, so
# this reorders the best hits by their stored text: the page asked for plus
# EXACT_WINDOW more, on the first EXACT_PAGES results.
EXACT_GAIN = 0.3
EXACT_WINDOW = 10
EXACT_PAGES = 100


@dataclass(frozen=True)
class Hit:
    """One ranked document. ``doc`` is the store's doc_id, ``id`` the
    document's own number (from its header) when it has one; ``match``
    says for each reference in the query how this document relates to it
    (``document`` = it is that document, ``implements``/``guides``/… =
    it says so of itself, ``cites`` = it mentions it, ``text`` = only the
    words match)."""

    doc: int
    id: str | None
    title: str
    path: str
    score: float
    snippet: Snippet
    type: str | None = None
    issuer: str | None = None
    level: str | None = None
    lang: str | None = None
    date: str | None = None
    match: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc, "id": self.id, "title": self.title, "path": self.path,
            "score": round(self.score, 4), "snippet": self.snippet.text,
            "highlights": [list(h) for h in self.snippet.highlights], "page": self.snippet.page,
            "type": self.type, "issuer": self.issuer, "level": self.level, "lang": self.lang,
            "date": self.date, "match": dict(self.match),
        }


@dataclass(frozen=True)
class SearchResults:
    """A page of ranked hits for a query, with the facet counts of all matches."""

    query: str
    interpreted: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]]
    references: tuple[DocRef, ...] = ()
    offset: int = 0
    limit: int = 10

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "interpreted": self.interpreted,
            "references": [
                {"text": r.text, "id": r.id, "date": r.date.isoformat() if r.date else None,
                 "candidates": list(r.candidates)}
                for r in self.references
            ],
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "hits": [h.to_json() for h in self.hits],
            "facets": self.facets,
        }


def _relation_to(ref_id: str, meta: dict[str, Any]) -> str:
    if meta.get("id") == ref_id:
        return "document"
    kinds = [t for t, target in meta.get("relations") or [] if target == ref_id]
    if kinds:
        return "implements" if "implements" in kinds else kinds[0]
    if any(r[0] == ref_id for r in meta.get("refs") or []) or ref_id in (meta.get("cited") or ()):
        return "cites"
    return "text"


def _hit(h: EngineHit, query: Query, highlighter: Highlighter) -> Hit:
    meta = dict(h.meta)
    snippet = highlighter.snippet(h.text, meta)
    if meta.get("start"):
        # The text of one part of a long document: the passage's offset in the whole text.
        snippet = replace(snippet, offset=snippet.offset + int(meta["start"]))
    return Hit(
        doc=h.doc_id, id=meta.get("id"), title=meta.get("title") or "", path=meta.get("path") or "",
        score=h.score, snippet=snippet, type=meta.get("type"),
        issuer=meta.get("issuer"), level=meta.get("level"), lang=meta.get("lang"), date=meta.get("date"),
        match={r.id: _relation_to(r.id, meta) for r in query.references},
    )


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(phrase("{option} must be between {low} and {high} (got {value})", option="--limit", low=1,
                                high=Count(MAX_LIMIT), value=limit))
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(phrase("{option} must be between {low} and {high} (got {value})", option="--offset", low=0,
                                high=Count(MAX_OFFSET), value=offset))


def open_reader(index_dir: str | os.PathLike[str]) -> SearchEngine:
    """The engine of ``index_dir`` opened for searching: a ``postgresql://`` URL
    opens the index in that database, a folder its tantivy index."""
    if is_server_url(index_dir):
        from .postgres_engine import PostgresEngine

        return PostgresEngine.open_reader(str(index_dir))
    from .tantivy_engine import TantivyEngine

    return TantivyEngine.open_reader(index_dir)


class FullTextIndex:
    """An open full-text index, for many searches (each sees the last commit).

    ``with FullTextIndex("indexes") as ix: ix.search("Nghị quyết 57")``
    """

    def __init__(self, index_dir: str | os.PathLike[str], *, knowledge: Knowledge | None = None,
                 engine: SearchEngine | None = None) -> None:
        self.engine = engine or open_reader(index_dir)
        self.knowledge = knowledge

    def search(self, query: str, *, limit: int = 10, offset: int = 0, facets: bool = True) -> SearchResults:
        """Ranked results for ``query`` (see docs/search.md); raises QueryError for a bad query."""
        _check_page(limit, offset)
        return self._search(query, parse_query(query, knowledge=self.knowledge), limit, offset, facets)

    def _search(self, query: str, parsed: Query, limit: int, offset: int, facets: bool) -> SearchResults:
        highlighter = Highlighter.for_query(parsed)
        rerank = bool(highlighter.marked_words) and parsed.scored and offset + limit <= EXACT_PAGES
        if rerank:
            result = self.engine.search(parsed, limit=offset + limit + EXACT_WINDOW, offset=0, facets=facets)
            scored = sorted(((h.score * (1.0 + EXACT_GAIN * highlighter.exactness(h.text)), n, h)
                             for n, h in enumerate(result.hits)), key=lambda x: (-x[0], x[1]))
            page = [replace(h, score=s) for s, _, h in scored[offset:offset + limit]]
        else:
            result = self.engine.search(parsed, limit=limit, offset=offset, facets=facets)
            page = list(result.hits)
        return SearchResults(
            query=query, interpreted=parsed.interpreted, total=result.total,
            hits=tuple(_hit(h, parsed, highlighter) for h in page),
            facets={k: dict(v) for k, v in result.facets.items()},
            references=parsed.references, offset=offset, limit=limit,
        )

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> FullTextIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def search(index_dir: str | os.PathLike[str], query: str, *, limit: int = 10, offset: int = 0,
           facets: bool = True, knowledge: Knowledge | None = None) -> SearchResults:
    """Search the full-text index in ``index_dir`` once (see :class:`FullTextIndex`)."""
    _check_page(limit, offset)
    parsed = parse_query(query, knowledge=knowledge)  # a bad query fails before the index is opened
    with FullTextIndex(index_dir, knowledge=knowledge) as index:
        return index._search(query, parsed, limit, offset, facets)
