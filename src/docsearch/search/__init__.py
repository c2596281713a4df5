"""Full-text search over the stored documents.

The SQLite store stays the source of truth; the full-text index lives in
``<index>/fulltext/`` and can always be rebuilt from it::

    from docsearch.store import Store
    from docsearch.search import sync, search

    with Store.open("indexes") as store:
        sync(store)                      # after ingest: add, update, delete
    results = search("indexes", "Nghị quyết 57 type:CTr year:2025")
    for hit in results.hits:
        print(hit.score, hit.id, hit.title, hit.snippet.marked())

The engine (tantivy) sits behind :class:`SearchEngine`; the query language
is described in docs/search.md.
"""

from typing import TYPE_CHECKING

from ..lazy import attribute_loader
from .api import FullTextIndex, Hit, SearchResults, open_reader, search
from .engine import EngineHit, EngineResult, IndexDoc, SearchEngine
from .errors import IndexBusy, IndexMissing, QueryError, SearchError
from .query import Query, parse_query
from .snippets import Snippet

# Writing the index (reindex, sync) needs the store and the grammar's issuer
# levels; a search needs neither, so the indexer is loaded on first use.
__getattr__ = attribute_loader(__name__, dict.fromkeys(("SyncReport", "reindex", "sync", "sync_documents"), "indexer"))


if TYPE_CHECKING:
    from .indexer import SyncReport, reindex, sync, sync_documents

__all__ = [
    "EngineHit",
    "EngineResult",
    "FullTextIndex",
    "Hit",
    "IndexBusy",
    "IndexDoc",
    "IndexMissing",
    "Query",
    "QueryError",
    "SearchEngine",
    "SearchError",
    "SearchResults",
    "Snippet",
    "SyncReport",
    "open_reader",
    "parse_query",
    "reindex",
    "search",
    "sync",
    "sync_documents",
]
