"""The one place that decides where every page of the site lives and how
one page links to another.

Every page has a *site path*: a POSIX path relative to the site's root
(``doc/57-nq-tw-k3v7q2ma.html``). Links between pages are relative
(``../doc/...``) so that the site works from any web server, under any
sub-path, and straight from disk (``file://``). The base URL is used only
where an absolute address is required (canonical links, the sitemap).

File names are derived from document ids with :func:`slug`: a readable part
(folded to ASCII: ``57-NQ/TW`` gives ``57-nq-tw``) and a digest of the exact
id, so ids that fold alike (``ĐA`` and ``DA``, ``CTr`` and ``CTR``) still get
different names, the name of a document never changes between builds, and no
id (``../../etc``) can name a file outside the site.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import SaidError, phrase
from ..refs import fold

#: Longest readable part of a file name (the digest is added after it).
READABLE_LIMIT = 60

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SAFE_PATH = re.compile(r"[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*(?:#[A-Za-z0-9_.:-]+)?")


class BadBaseUrl(SaidError, ValueError):
    """The base URL given for the site cannot be used."""


def readable(text: str, limit: int = READABLE_LIMIT) -> str:
    """The readable, ASCII part of a file name: folded, lowercase, dashes."""
    folded = fold(unicodedata.normalize("NFC", text))
    part = _NOT_SLUG.sub("-", folded).strip("-")
    return part[:limit].strip("-") or "x"


def digest(text: str) -> str:
    """A short, stable, lowercase base-32 digest of ``text`` (its exact
    UTF-8 bytes): 8 characters, 40 bits of SHA-256."""
    raw = hashlib.sha256(text.encode("utf-8")).digest()
    return base64.b32encode(raw[:5]).decode("ascii").lower()


@lru_cache(maxsize=1 << 18)
def slug(text: str) -> str:
    """A safe, stable file name stem for an id, key, path or name.

    ``57-NQ/TW`` → ``57-nq-tw-<digest>``; ``18-NQ/TW@2017-10-25`` →
    ``18-nq-tw-2017-10-25-<digest>``. Only ``[a-z0-9-]`` appear, so the name
    can never contain ``/`` or ``..``, and it is the same on case-insensitive
    file systems.
    """
    return f"{readable(text)}-{digest(text)}"


def normalize_base_url(base_url: str) -> str:
    """``/sub/path`` → ``/sub/path/``; absolute http(s) URLs are kept.

    Raises :class:`BadBaseUrl` for anything else (a relative path, a
    ``javascript:`` URL, spaces or quotes).
    """
    url = base_url.strip()
    if not url:
        url = "/"
    ok = url.startswith("/") and not url.startswith("//") or re.match(r"https?://[^/\s]+", url)
    if not ok or re.search(r"[\s\"'<>\\]", url):
        raise BadBaseUrl(phrase("--base-url must be a path starting with '/' (such as /docs/) or an http(s) URL, "
                                "not {value}", value=repr(base_url)))
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Urls:
    """Site paths of every kind of page, and the base URL for absolute ones."""

    base_url: str = "/"

    # -- pages -------------------------------------------------------------------------
    home: str = "index.html"
    search: str = "search.html"
    texts_index: str = "texts/index.html"
    issuers_index: str = "issuers/index.html"
    types_index: str = "types/index.html"
    years_index: str = "years/index.html"

    def node(self, key: str) -> str:
        """The page of a document (stored or known from citations) by graph key."""
        return f"doc/{slug(key)}.html"

    def graph(self, key: str) -> str:
        """The neighbourhood graph of a document."""
        return f"graph/{slug(key)}.html"

    def text(self, path: str) -> str:
        """The page of a stored text that is not the main text of a document
        (texts without a header, second copies): named after its file."""
        stem = path.rsplit("/", 1)[-1]
        return f"text/{readable(stem)}-{digest(path)}.html"

    def coverage(self, page: int = 1) -> str:
        return "coverage.html" if page == 1 else f"coverage-{page}.html"

    def texts(self, page: int = 1) -> str:
        return self.texts_index if page == 1 else f"texts/index-{page}.html"

    def issuer(self, name: str, page: int = 1) -> str:
        return f"issuers/{slug(name)}{_page_suffix(page)}.html"

    def type(self, code: str, page: int = 1) -> str:
        return f"types/{slug(code)}{_page_suffix(page)}.html"

    def year(self, year: int | None, page: int = 1) -> str:
        name = str(year) if year is not None else "undated"
        return f"years/{name}{_page_suffix(page)}.html"

    def static(self, name: str) -> str:
        return f"static/{name}"

    # -- search index ------------------------------------------------------------------
    @staticmethod
    def search_manifest() -> str:
        return "search/manifest.js"

    @staticmethod
    def search_terms(shard: str) -> str:
        return f"search/t/{shard}.js"

    @staticmethod
    def search_docs(number: int) -> str:
        return f"search/d/{number}.js"

    # -- addresses ---------------------------------------------------------------------
    def absolute(self, site_path: str) -> str:
        """The address of a page under the base URL (canonical links, sitemap)."""
        return self.base_url + site_path

    @staticmethod
    def at(site_path: str, anchor: str) -> str:
        """A place in a page: ``doc/x.html#at-120``."""
        return f"{site_path}#{anchor}"


def _page_suffix(page: int) -> str:
    return "" if page == 1 else f"-p{page}"


def is_safe_site_path(site_path: str) -> bool:
    """Whether a site path is one the builder may write (lowercase ASCII
    segments, no ``..``, no absolute path)."""
    return bool(_SAFE_PATH.fullmatch(site_path)) and ".." not in site_path.split("/")


class Linker:
    """Relative links from one page: ``Linker("doc/a.html")("doc/b.html")`` is
    ``../doc/b.html``. Every page lives at most one folder deep, so the
    relative form is the root prefix plus the target, computed once per page."""

    __slots__ = ("page", "root", "_here")

    def __init__(self, page: str) -> None:
        self.page = page
        self.root = "../" * page.count("/")
        self._here = page + "#"

    def __call__(self, target: str) -> str:
        if target.startswith("#"):
            return target
        if target.startswith(self._here):
            return target[len(self.page):]
        return self.root + target
