"""Addresses of the live application's pages.

:class:`LiveUrls` answers the same questions as the static site's
:class:`~docsearch.site.urls.Urls` (``home``, ``node(key)``,
``static(name)``, ``coverage()``…), so the shared templates link to live
pages without knowing which of the two renders them. Every address is an
absolute path; ids keep their slashes (``/documents/57-NQ/TW``) and ``#``
is escaped (``/documents/%233`` is document #3).
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus, urlencode

# Characters a document key may keep in a path: its slashes, the "@" of keys
# such as 18-NQ/TW@2017-10-25; everything else (#, ?, %, spaces) is escaped.
_KEY_SAFE = "/@-._~"


def q(value: str) -> str:
    """A query-string value."""
    return quote(value, safe="")


class LiveUrls:
    """Absolute paths of the live pages, with the static site's method names."""

    home = "/"
    search = "/search"
    check = "/check"
    implements_page = "/implements"
    issuers_index = "/search"
    types_index = "/search"
    years_index = "/search"
    texts_index = "/search"
    search_manifest = ""

    def node(self, key: str) -> str:
        """The page of a document by id or graph key."""
        return "/documents/" + quote(key, safe=_KEY_SAFE)

    def text(self, doc_id: int) -> str:
        """The page of a stored text by its number in the store."""
        return f"/documents/%23{doc_id}"

    def graph(self, key: str) -> str:
        return self.node(key)

    def coverage(self, page: int = 1, doc: str | None = None) -> str:
        params: dict[str, str | int] = {}
        if doc:
            params["doc"] = doc
        if page != 1:
            params["page"] = page
        return "/coverage" + ("?" + urlencode(params) if params else "")

    def implements(self, doc: str, depth: int = 1) -> str:
        return "/implements?" + urlencode({"doc": doc, **({"depth": depth} if depth != 1 else {})})

    def implements_by(self, doc: str, issuer: str) -> str:
        """The implements report of ``doc`` listing one issuer's documents (an issuer label)."""
        # Written out: a central document's page names hundreds of issuers.
        return f"/implements?doc={quote_plus(doc, safe='')}&issuer={quote_plus(issuer, safe='')}"

    def cites(self, doc: str, relation: str | None, offset: int) -> str:
        """The JSON of who refers to ``doc`` (of one relation type), from the ``offset``-th."""
        params: dict[str, str | int] = {"doc": doc}
        if relation:
            params["relation"] = relation
        if offset:
            params["offset"] = offset
        return "/api/cites?" + urlencode(params)

    def search_for(self, query: str, **extra: str | int) -> str:
        return "/search?" + urlencode({"q": query, **extra})

    def issuer(self, name: str, page: int = 1) -> str:
        return "/search?q=" + quote_plus(f'issuer:"{name}"', safe="")

    def type(self, code: str, page: int = 1) -> str:
        return self.search_for(f"type:{code}")

    def year(self, year: int | None, page: int = 1) -> str:
        return self.search_for(f"year:{year}") if year else self.search

    def static(self, name: str) -> str:
        return f"/static/{name}"

    def absolute(self, path: str) -> str:
        return path

    @staticmethod
    def at(page: str, anchor: str) -> str:
        return f"{page}#{anchor}"


def same_page(target: str) -> str:
    """The live app's link function: addresses are already absolute."""
    return target
