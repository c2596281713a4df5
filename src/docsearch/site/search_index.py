"""The site's search index: an inverted index split into small script files.

A static site cannot run a search engine, and a page opened from disk
(``file://``) cannot fetch JSON, so the index is written as JavaScript files
that register their data when loaded with a ``<script>`` tag
(``DS.shard(...)``, ``DS.docs(...)``). The browser loads only the files a
query needs:

* ``search/manifest.js``: the list of term shards and the common words;
* ``search/t/<prefix>.js``: the terms starting with ``<prefix>`` and, for
  each, the documents that have it in their metadata (id, title, issuer,
  type, date), in their text, and in their own number (weighed most). Shards are cut by term prefix, longer
  prefixes where terms are many, so each stays small whatever the size of
  the collection; ``<prefix>_`` holds the term that equals the prefix;
* ``search/d/<n>.js``: titles and addresses of documents, 500 per file,
  each with its listing line and the facts the filters ``lang:`` and
  ``level:`` read (the language of its text, the level of its issuer).

The manifest also carries the values those two filters accept, the tables
of ``docsearch search`` (``level:tinh`` is ``provincial``), so the browser
and the command line understand the same words.

Terms are folded the way :func:`docsearch.refs.fold` folds (lowercase, no
diacritics, đ → d) after NFC normalisation, then cut into runs of ASCII
letters and digits; ``static/search.js`` does the same to the query.
Document lists are sorted numbers written as base-36 differences. A word
found in the text of more than :data:`COMMON_SHARE` of the documents is a
common word: its text postings are dropped (it would filter nothing and
weigh megabytes) and the manifest lists it so the page can say so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..refs import fold
from ..search.query import LANGUAGES, LEVELS
from .urls import Urls

TOKEN = re.compile(r"[a-z0-9]+")
MAX_TERM = 40
#: Titles in the document files are cut to this length (the page has the rest).
TITLE_CHARS = 200
DOCS_PER_FILE = 500
#: Target size of one term shard, in characters.
SHARD_LIMIT = 120_000
MAX_PREFIX = 6
#: A word in the text of more than this share of documents is common...
COMMON_SHARE = 0.25
#: ...but only in collections larger than this (small ones keep everything).
COMMON_MIN_DOCS = 2_000
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def terms(text: str) -> set[str]:
    """The distinct search terms of a text: the runs of letters and digits of
    its folded form."""
    # A text repeats its words many times: fold and scan each distinct
    # whitespace-separated chunk once. No character that splits chunks folds
    # to a letter or digit, so the terms are the same as the whole text's.
    chunks = set(unicodedata.normalize("NFC", text).split())
    found = set(TOKEN.findall(fold(" ".join(chunks))))
    long = [t for t in found if len(t) > MAX_TERM]
    return found.difference(long) if long else found


def _b36(n: int) -> str:
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_B36[r])
    return "".join(reversed(out))


def encode_postings(numbers: Iterable[int]) -> str:
    """Sorted document numbers as comma-separated base-36 differences."""
    out = []
    prev = 0
    for n in numbers:
        out.append(_b36(n - prev))
        prev = n
    return ",".join(out)


def decode_postings(text: str) -> list[int]:
    """The inverse of :func:`encode_postings` (the browser has its own)."""
    out = []
    total = 0
    for part in text.split(",") if text else ():
        total += int(part, 36)
        out.append(total)
    return out


def shard_of(term: str, shards: set[str]) -> str | None:
    """Which shard holds ``term`` (the rule ``search.js`` applies too)."""
    for k in range(1, len(term) + 1):
        if term[:k] in shards:
            return term[:k]
    if term + "_" in shards:
        return term + "_"
    return None


@dataclass(frozen=True)
class SearchEntry:
    """One page as the index sees it. Terms are space-separated strings
    (cheap to pass between processes)."""

    site_path: str
    title: str
    subtitle: str
    meta_terms: str
    body_terms: str
    id_terms: str = ""
    #: Language of the page's text (``vi``, ``en``…), "" when it has none.
    lang: str = ""
    #: Level of the document's issuer (``central``, ``provincial``…), "" when unknown.
    level: str = ""
    #: The stored text (doc_id) whose words are the body terms, when they
    #: are worked out elsewhere and given to :meth:`SearchIndex.add`.
    text_id: int | None = None


def body_terms(text: str | None) -> str:
    """The search terms of a page's text as a :class:`SearchEntry` holds them."""
    return " ".join(terms(text)) if text else ""


def make_entry(site_path: str, title: str, subtitle: str, meta_text: str, body_text: str | None,
               ident: str | None = None, *, lang: str | None = None, level: str | None = None,
               text_id: int | None = None) -> SearchEntry:
    """Fold and cut a page's metadata, text and own number into terms;
    ``lang`` and ``level`` are what the ``lang:`` and ``level:`` filters match.
    With ``text_id`` the text's terms are left out (``body_text`` is not
    read): whoever adds the entry gives them (see :func:`body_terms`)."""
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1] + "…"
    return SearchEntry(site_path, title, subtitle, " ".join(terms(meta_text)),
                       body_terms(body_text) if text_id is None else "", " ".join(terms(ident)) if ident else "",
                       lang or "", level or "", text_id)


@dataclass
class SearchIndex:
    """Collects documents in rank order, then writes the index files."""

    urls: Urls = field(default_factory=Urls)
    #: (site path, title, listing line, language, level) in rank order.
    entries: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    meta: dict[str, array] = field(default_factory=dict)
    body: dict[str, array] = field(default_factory=dict)
    ident: dict[str, array] = field(default_factory=dict)

    def add(self, entry: SearchEntry, body: str | None = None) -> int:
        """Add one page; its number (and so its rank among equals) is the
        order of the calls. ``body`` replaces the entry's body terms (those of
        its text worked out in another process). Returns the number."""
        number = len(self.entries)
        self.entries.append((entry.site_path, entry.title, entry.subtitle, entry.lang, entry.level))
        meta, body_index = self.meta, self.body
        for t in entry.meta_terms.split():
            found = meta.get(t)
            if found is None:
                found = meta[t] = array("I")
            found.append(number)
        for t in (entry.body_terms if body is None else body).split():
            found = body_index.get(t)
            if found is None:
                found = body_index[t] = array("I")
            found.append(number)
        for t in entry.id_terms.split():
            found = self.ident.get(t)
            if found is None:
                found = self.ident[t] = array("I")
            found.append(number)
        return number

    def common_terms(self) -> set[str]:
        n = len(self.entries)
        if n <= COMMON_MIN_DOCS:
            return set()
        return {t for t, p in self.body.items() if len(p) > COMMON_SHARE * n}

    def _entry(self, term: str, common: set[str]) -> str:
        m = encode_postings(self.meta.get(term, ()))
        b: str | int = 1 if term in common else encode_postings(self.body.get(term, ()))
        ident = self.ident.get(term)
        return json.dumps([m, b, encode_postings(ident)] if ident else [m, b])

    def _split(self, prefix: str, items: list[tuple[str, str]], out: dict[str, list[tuple[str, str]]]) -> None:
        size = sum(len(t) + len(v) + 4 for t, v in items)
        if size <= SHARD_LIMIT or len(prefix) >= MAX_PREFIX:
            out[prefix] = items
            return
        exact = [(t, v) for t, v in items if t == prefix]
        if exact:
            out[prefix + "_"] = exact
        groups: dict[str, list[tuple[str, str]]] = {}
        for t, v in items:
            if t != prefix:
                groups.setdefault(t[: len(prefix) + 1], []).append((t, v))
        for p, group in sorted(groups.items()):
            self._split(p, group, out)

    def files(self) -> Iterator[tuple[str, str]]:
        """``(site path, content)`` of every index file."""
        common = self.common_terms()
        all_terms = sorted(set(self.meta) | set(self.body) | set(self.ident))
        by_first: dict[str, list[tuple[str, str]]] = {}
        for t in all_terms:
            by_first.setdefault(t[0], []).append((t, self._entry(t, common)))
        shards: dict[str, list[tuple[str, str]]] = {}
        for first, items in sorted(by_first.items()):
            self._split(first, items, shards)
        for name, items in sorted(shards.items()):
            body = ",".join(f"{json.dumps(t)}:{v}" for t, v in items)
            yield self.urls.search_terms(name), f"DS.shard({json.dumps(name)},{{{body}}});\n"
        for start in range(0, len(self.entries), DOCS_PER_FILE):
            number = start // DOCS_PER_FILE
            rows = json.dumps([list(e) for e in self.entries[start:start + DOCS_PER_FILE]], ensure_ascii=False,
                              separators=(",", ":"))
            yield self.urls.search_docs(number), f"DS.docs({number},{rows});\n"
        manifest = {
            "version": 1,
            "documents": len(self.entries),
            "perFile": DOCS_PER_FILE,
            "shards": sorted(shards),
            "common": sorted(common),
            # What lang: and level: accept (folded words -> stored value);
            # sorted, since LEVELS is built from a set and the file must not
            # change between two builds of the same store.
            "values": {"lang": dict(sorted(LANGUAGES.items())), "level": dict(sorted(LEVELS.items()))},
        }
        yield self.urls.search_manifest(), f"DS.manifest({json.dumps(manifest, separators=(',', ':'))});\n"
