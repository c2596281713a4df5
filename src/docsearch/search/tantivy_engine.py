"""The tantivy implementation of :class:`~.engine.SearchEngine`.

Layout: ``<index>/fulltext/CURRENT`` names the live generation folder
(``<index>/fulltext/g<N>/``) and the schema version. A rebuild writes a new
generation and switches ``CURRENT`` atomically when it is committed, so a
search running meanwhile keeps reading the previous one.

Text is indexed once, in the field of its language: folded in ``body_fold``
(lowercase, ASCII-folded, so ``moi`` finds ``mới`` and ``dang`` finds
``Đảng``; Vietnamese syllables are not stemmed), folded and stemmed in
``body_en`` / ``body_de`` for English and German documents. A word of the
query is looked up in each and the field that holds it counts. The field
also stores the text, for snippets. The title and the opening lines are
indexed folded, as a bonus for the words found there. Exact-diacritic
matches are ranked above their folded twins from the stored text of the
best hits (:mod:`.api`).
tantivy keeps no analyzers in the index: :func:`_register` runs right after
every open, before anything is written, parsed or searched.

A very long text (more than :data:`PART_ABOVE` characters) is indexed as
several tantivy documents, the parts of one document: tantivy holds the whole
of a document it is given, with its postings, until the segment is written,
so one text of fifty million characters cost three times its size there. The
parts are cut at line ends, each beginning :data:`PART_OVERLAP` characters
before the previous one ends, so that a phrase across a cut is found whole in
the later part. They share the document's id (``doc``), fingerprint, title,
filters and facet values, and are numbered (``part``); all but the first
carry each cited document once (the first every mention, as an undivided
document does). A search counts a document once: the parts of one document
that match are collapsed to the best one (whose text gives the snippet), and
the total and the facet counts leave out the others.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from ..i18n import phrase
from .engine import (
    LITERAL_WEIGHT,
    PHRASE_BONUS,
    PRIOR,
    REF_WITH_WORDS,
    RERANK_WINDOW,
    SCORE_CITES,
    SCORE_RELATED,
    SCORE_SELF,
    SCORE_SELF_DATE,
    TITLE_BOOST,
    EngineHit,
    EngineResult,
    IndexDoc,
    SearchEngine,
)
from .errors import IndexBusy, IndexMissing, SearchError
from .query import (
    And,
    DocRef,
    IssuerFilter,
    KeywordFilter,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    RangeFilter,
    RefFilter,
    Word,
)

try:  # POSIX advisory locks keep two writers apart; elsewhere tantivy's own lock does
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS
    fcntl = None  # type: ignore[assignment]

FOLDER = "fulltext"
CURRENT = "CURRENT"
LOCK = "write.lock"
SCHEMA_VERSION = 11
ENGINE = "tantivy"

# A rebuild indexes everything in one go: a large budget means few segments
# to merge. An incremental sync touches few documents.
REBUILD_HEAP = 1_000_000_000
SYNC_HEAP = 200_000_000
#: How much of the text's opening is indexed with the title. The title field
#: was a sixth of tantivy's work per document at 400 characters; at 300,
#: nDCG@10 on the judged queries is 0.969 (0.966 at 400, 0.964 at 250).
LEAD_CHARS = 300
#: A document indexed in parts is written by one thread with this budget:
#: tantivy writes a segment each time the budget is full, instead of holding
#: the postings of every part (and a thread's arena each) until the commit.
LONG_HEAP = 48_000_000
MAX_TOKEN = 60
#: A text longer than this is indexed in parts of about PART_CHARS characters.
PART_ABOVE = 2_000_000
PART_CHARS = 1_000_000
#: How far each part reaches back into the one before: the longest phrase
#: that is found across a cut.
PART_OVERLAP = 2_000
#: The value of ``split`` in every part of a document indexed in parts.
SPLIT = "1"
#: Most documents in parts a search collapses (tantivy's limit of buckets).
MAX_SPLIT_DOCS = 65_000

# The ranking constants shared with other engines are in engine.py; the
# prior is stored per document as w, and tantivy multiplies by log2(2 + w).
# A word of the query in the title or lead, on top of TITLE_BOOST (the weight
# an exact-spelling title field had when there was one; see _schema).
TITLE_WEIGHT = 1.3
TIE_BREAKER = 0.1

FACET_FIELDS = {"type": "type", "issuer": "f_issuer", "year": "year", "language": "lang", "level": "level"}
#: Buckets shown per facet (the issuers are many; the others are few).
FACET_SIZES = {"issuer": 50}
FACET_SIZE = 200
# Every document holds a value in each facet column, "" (or year 0) when it
# has none: tantivy counts a column that every document fills several times
# faster than one with gaps (1.1 against 0.2 ms per 100,000 documents and
# facet). The placeholder is never shown as a facet value and never matches
# a filter a user can type (a year range starts at 1 at the lowest).
NO_VALUE = ""
NO_YEAR = 0


def _analyzers() -> dict[str, tantivy.TextAnalyzer]:
    T, F = tantivy.Tokenizer, tantivy.Filter

    def build(tokenizer: Any, *filters: Any) -> tantivy.TextAnalyzer:
        b = tantivy.TextAnalyzerBuilder(tokenizer)
        for f in filters:
            b = b.filter(f)
        return b.build()

    # Folding comes before lowercasing: folded tokens are ASCII, which tantivy
    # lowercases in place, while a token with diacritics is lowercased
    # character by character into a new buffer. Folding keeps the case of
    # each letter ("Đ" → "D", "ơ" → "o"), so the terms are the same as the
    # other way round; on the whole corpus only Turkish "İ" differs (it
    # became "i̇", now "i"). Tokenising 10,000 synthetic texts took a sixth
    # less CPU this way.
    return {
        "ds_exact": build(T.simple(), F.remove_long(MAX_TOKEN), F.lowercase()),
        "ds_fold": build(T.simple(), F.remove_long(MAX_TOKEN), F.ascii_fold(), F.lowercase()),
        # Folding before stemming makes "Überprüfung" and "Uberprufung" one stem.
        "ds_en": build(T.simple(), F.remove_long(MAX_TOKEN), F.ascii_fold(), F.lowercase(), F.stemmer("english")),
        "ds_de": build(T.simple(), F.remove_long(MAX_TOKEN), F.ascii_fold(), F.lowercase(), F.stemmer("german")),
        "ds_key": build(T.raw(), F.ascii_fold(), F.lowercase()),
    }


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("doc", stored=True, indexed=True, fast=True)
    # 0 for a whole document and for the first part of a long one.
    sb.add_integer_field("part", indexed=True, fast=True)
    sb.add_text_field("split", tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("fp", fast=True)
    # The text is searched folded, or folded and stemmed, in the one field
    # of its language, and stored there once for snippets: tokenising English
    # and German texts a second time, folded only, cost indexing time and
    # did not change nDCG@10 on the judged queries (0.966). A second, unfolded body
    # field would cost a third more indexing time: exact spellings
    # are ranked up from the stored text of the best hits instead (see
    # api.EXACT_GAIN).
    sb.add_text_field("body_fold", stored=True, tokenizer_name="ds_fold", index_option="position")
    sb.add_text_field("body_en", stored=True, tokenizer_name="ds_en", index_option="position")
    sb.add_text_field("body_de", stored=True, tokenizer_name="ds_de", index_option="position")
    # Titles are only ever asked for single words (see _Translator.text):
    # no positions to write. One folded field: an exact-spelling twin (of
    # the title and the first LEAD_CHARS of the text) tokenised a sixth as
    # much again as the body, and nDCG@10 on the judged queries stayed at
    # 0.966 once the folded field took its weight (TITLE_WEIGHT).
    sb.add_text_field("title_fold", tokenizer_name="ds_fold", index_option="freq")
    sb.add_text_field("own", tokenizer_name="ds_key", index_option="basic")
    sb.add_text_field("cites", tokenizer_name="ds_key", index_option="freq")
    sb.add_text_field("implements", tokenizer_name="ds_key", index_option="basic")
    sb.add_text_field("related", tokenizer_name="ds_key", index_option="basic")
    sb.add_text_field("issuer", tokenizer_name="ds_fold", index_option="position")
    for name in ("type", "f_issuer", "level", "lang"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("source", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("ymd", indexed=True, fast=True)
    sb.add_float_field("prior", fast=True)
    sb.add_bytes_field("meta", stored=True, indexed=False)
    return sb.build()


def _register(index: tantivy.Index, analyzers: dict[str, tantivy.TextAnalyzer]) -> None:
    for name, analyzer in analyzers.items():
        index.register_tokenizer(name, analyzer)


def fulltext_dir(index_dir: str | os.PathLike[str]) -> Path:
    """The folder of the full-text index inside an index folder."""
    return Path(index_dir) / FOLDER


def _read_current(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SearchError(phrase("the full-text index in {folder} is damaged ({error}); run 'docsearch reindex'",
                                 folder=folder, error=exc)) from exc
    if not isinstance(data, dict) or "generation" not in data:
        raise SearchError(phrase("the full-text index in {folder} is damaged; run 'docsearch reindex'", folder=folder))
    return data


def _write_current(folder: Path, generation: str) -> None:
    tmp = folder / (CURRENT + ".tmp")
    tmp.write_text(json.dumps({"generation": generation, "schema": SCHEMA_VERSION, "engine": ENGINE}),
                   encoding="utf-8")
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, folder / CURRENT)


def _new_generation(folder: Path, current: str | None) -> str:
    numbers = [int(p.name[1:]) for p in folder.glob("g*") if p.name[1:].isdigit()]
    if current and current[1:].isdigit():
        numbers.append(int(current[1:]))
    return f"g{max(numbers, default=0) + 1:06d}"


#: One encoder for every document (json.dumps with options makes one per call);
#: the stored values hold no cycles, so none are looked for (an eighth less time).
_META_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _meta(doc: IndexDoc, part: _Part | None = None) -> bytes:
    """The stored values a hit is shown with (read by api._hit and the
    snippets, each with a default for a missing key): only the keys that
    hold something, so most documents store and encode a few short values.
    A part of a long document also stores where it starts and what the
    whole document cites."""
    meta: dict[str, Any] = {"path": doc.path, "title": doc.title, "lang": doc.lang}
    if doc.own_id:
        meta["id"] = doc.own_id
        meta["type"] = doc.type
    if doc.issuer:
        meta["issuer"] = doc.issuer
    if doc.level:
        meta["level"] = doc.level
    if doc.date:
        meta["date"] = doc.date.isoformat()
    if part is not None:
        # Offsets into the part's text: a page starting before the part
        # becomes negative, which still counts it (see extract.base.page_at).
        # "cited": what the whole document cites, beyond the part's mentions.
        meta.update(pages=[p - part.start for p in doc.page_starts], refs=part.refs,
                    cited=list(dict.fromkeys(doc.cites)), part=part.number, start=part.start)
        if doc.relations:
            meta["relations"] = doc.relations
        return _META_JSON.encode(meta).encode("utf-8")
    if doc.page_starts != (0,):
        meta["pages"] = doc.page_starts  # tuples are written as JSON arrays as they are
    if doc.relations:
        meta["relations"] = doc.relations
    if doc.ref_spans:
        meta["refs"] = doc.ref_spans
    return _META_JSON.encode(meta).encode("utf-8")


def part_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each part ``text`` is indexed in: the whole text up to
    :data:`PART_ABOVE` characters, else parts of about :data:`PART_CHARS`
    ending at a line end (or a space), each starting at least
    :data:`PART_OVERLAP` characters before the previous one ends."""
    n = len(text)
    if n <= PART_ABOVE:
        return [(0, n)]
    size, overlap = PART_CHARS, PART_OVERLAP
    spans: list[tuple[int, int]] = []
    start = 0
    while n - start > size + size // 2:  # no short last part
        end = _boundary(text, start + size // 2, start + size)
        spans.append((start, end))
        # The next part starts on a line (or word) at least `overlap` back.
        start = max(start + 1, _boundary(text, end - 2 * overlap, end - overlap))
    spans.append((start, n))
    return spans


def _boundary(text: str, low: int, high: int) -> int:
    """The offset just after the last line end in text[low:high], else after
    its last space, else ``high``."""
    for sep in ("\n", " "):
        found = text.rfind(sep, max(low, 0), high)
        if found >= 0:
            return found + 1
    return high


@dataclass(frozen=True)
class _Part:
    """One part of a document indexed in parts: its number, where its text
    starts in the document, and the resolved mentions within it (offsets
    into the part)."""

    number: int
    start: int
    refs: tuple[tuple[str, int, int], ...]


def _parts(doc: IndexDoc, spans: list[tuple[int, int]]) -> Iterator[_Part]:
    refs = sorted(doc.ref_spans, key=lambda r: r[1])
    starts = [r[1] for r in refs]
    for number, (start, end) in enumerate(spans):
        inside = refs[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
        yield _Part(number, start, tuple((i, s - start, e - start) for i, s, e in inside if e <= end))


class TantivyEngine(SearchEngine):
    """A tantivy index in ``<index>/fulltext``; use :meth:`open_reader` or :meth:`open_writer`."""

    def __init__(self, folder: Path, index: tantivy.Index, generation: str, *,
                 writer: tantivy.IndexWriter | None = None, lock: int | None = None,
                 switch: bool = False) -> None:
        self.folder = folder
        self.index = index
        self.generation = generation
        self.schema = index.schema
        self.analyzers = _analyzers()
        self._writer = writer
        self._lock = lock
        self._switch = switch  # a new generation becomes CURRENT at its first commit
        self._seen: tuple[tuple[int, int, int], ...] = ()
        self._budget = (SYNC_HEAP, 0)  # the writer's (heap, threads), set by open_writer
        self._long = False  # the writer in hand is the one for a document in parts
        self._added = False  # documents added since the last commit
        self._deleted: list[int] = []  # documents deleted since the last commit

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open_reader(cls, index_dir: str | os.PathLike[str]) -> TantivyEngine:
        """Open the committed index for searching (no lock; any number of readers)."""
        folder = fulltext_dir(index_dir)
        last: Exception | None = None
        # A rebuild may switch generations and delete the old one between our
        # reading CURRENT and opening its folder: read CURRENT again then.
        for attempt in range(5):
            current = _read_current(folder)
            if current is None:
                raise IndexMissing(phrase("no full-text index in {folder}/: run 'docsearch reindex' "
                                          "(or 'docsearch ingest FOLDER')", folder=folder.parent))
            if current.get("schema") != SCHEMA_VERSION or current.get("engine") != ENGINE:
                raise SearchError(phrase("the full-text index in {folder} was built by another docsearch version; "
                                         "run 'docsearch reindex'", folder=folder))
            gen = str(current["generation"])
            try:
                index = tantivy.Index.open(str(folder / gen))
                engine = cls(folder, index, gen)
                _register(index, engine.analyzers)
                index.reload()
                return engine
            except (ValueError, OSError) as exc:
                last = exc
                time.sleep(0.05 * (attempt + 1))
        raise SearchError(phrase("cannot open the full-text index in {folder}: {error}; run 'docsearch reindex'",
                                 folder=folder, error=last))

    @classmethod
    def open_writer(cls, index_dir: str | os.PathLike[str], *, rebuild: bool = False,
                    threads: int = 0) -> TantivyEngine:
        """Open the index for writing; with ``rebuild`` (or no usable index) start a
        new empty generation that replaces the current one at commit."""
        folder = fulltext_dir(index_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SearchError(phrase("cannot create {folder}: {error}", folder=folder, error=exc.strerror)) from exc
        lock = _acquire(folder)
        try:
            current = _read_current(folder)
            usable = (current is not None and current.get("schema") == SCHEMA_VERSION
                      and current.get("engine") == ENGINE and (folder / str(current["generation"])).is_dir())
            if rebuild or not usable:
                gen = _new_generation(folder, str(current["generation"]) if current else None)
                path = folder / gen
                path.mkdir()
                index = tantivy.Index(_schema(), path=str(path), reuse=False)
                switch = True
            else:
                assert current is not None
                gen = str(current["generation"])
                index = tantivy.Index.open(str(folder / gen))
                switch = False
            engine = cls(folder, index, gen, lock=lock, switch=switch)
            _register(index, engine.analyzers)
            try:
                engine._budget = (REBUILD_HEAP if switch else SYNC_HEAP, threads)
                engine._writer = index.writer(*engine._budget)
            except ValueError as exc:
                raise IndexBusy(phrase("another process is writing the full-text index in {folder} ({error}); "
                                       "wait for it to finish", folder=folder, error=exc)) from exc
            return engine
        except BaseException:
            _release(lock)
            raise

    @property
    def fresh(self) -> bool:
        return self._switch

    # -- writing -------------------------------------------------------------------
    def _w(self) -> tantivy.IndexWriter:
        if self._writer is None:
            raise SearchError("this full-text index was opened for reading only")
        return self._writer

    def add(self, doc: IndexDoc) -> None:
        # build_document gives the text and title normalised (query.normalize):
        # checking them again would read every text twice.
        text = doc.text
        spans = part_spans(text)
        if len(spans) == 1:
            self._w().add_document(self._document(doc, text, text, None))
            self._added = True
            return
        if not self._added and not self._long:
            # Nothing added since the last commit: the writer can be swapped
            # for the small one without losing anything (the deletes are
            # made again). Otherwise the parts go to the writer in hand.
            self._replace_writer(LONG_HEAP, 1)
            self._long = True
        self._added = True
        for part, (start, end) in zip(_parts(doc, spans), spans, strict=True):
            d = self._document(doc, text, text[start:end], part)
            self._w().add_document(d)
            # tantivy has its own copy now: each part's Python copy goes
            # before the next part is cut.
            del d

    def _document(self, doc: IndexDoc, text: str, body: str, part: _Part | None) -> tantivy.Document:
        """The tantivy document of ``doc`` (``body`` is its whole text), or
        of one part of it (``body`` is that part's text)."""
        d = tantivy.Document()
        add_text = d.add_text  # about fifteen calls a document
        d.add_integer("doc", doc.doc_id)
        d.add_integer("part", part.number if part else 0)
        if part is not None:
            d.add_text("split", SPLIT)
        d.add_unsigned("fp", doc.fingerprint)
        add_text(_BODY_OF.get(doc.lang, "body_fold"), body)
        # The title and the opening lines (the header's subject line, a news
        # article's headline and lead) weigh more than the body; every part
        # has the document's. One value: the field keeps no positions, so its
        # terms and counts are those of two values.
        add_text("title_fold", f"{doc.title}\n{text[:LEAD_CHARS]}")
        if doc.own_id:
            add_text("own", doc.own_id)
        # Every mention, as their number ranks the citing documents; the
        # other parts name each cited document once, so that a reference
        # and words found in a later part match there.
        for ref in doc.cites if part is None or part.number == 0 else dict.fromkeys(doc.cites):
            add_text("cites", ref)
        if doc.relations:
            for target in {t for _, t in doc.relations}:
                add_text("related", target)
            for target in {t for r, t in doc.relations if r == "implements"}:
                add_text("implements", target)
        issuer, code = doc.issuer, doc.issuer_code
        if issuer or code:
            add_text("issuer", f"{issuer or ''} {code or ''}".strip())
        add_text("type", doc.type or NO_VALUE)
        add_text("f_issuer", issuer or NO_VALUE)
        add_text("level", doc.level or NO_VALUE)
        add_text("lang", doc.lang or "und")
        d.add_float("prior", PRIOR.get(doc.level or "", 0.0))
        add_text("source", doc.source)
        when = doc.date
        if when:
            d.add_integer("year", when.year)
            d.add_integer("ymd", when.year * 10000 + when.month * 100 + when.day)
        else:
            d.add_integer("year", NO_YEAR)
        d.add_bytes("meta", _meta(doc, part))
        return d

    def delete(self, doc_id: int) -> None:
        self._w().delete_documents_by_term("doc", doc_id)
        self._deleted.append(doc_id)

    def commit(self) -> None:
        self._w().commit()
        self._added = False
        self._deleted.clear()
        if self._switch:
            _write_current(self.folder, self.generation)
            self._switch = False
            self._remove_old_generations()
        if self._long:  # back to the usual budget for what follows
            self._replace_writer(*self._budget)
            self._long = False

    def _replace_writer(self, heap: int, threads: int) -> None:
        """Write with a new writer of ``heap`` bytes and ``threads`` threads
        from now on; only for when no document was added since the last
        commit (the old writer's uncommitted work is dropped, and its
        deletes are made again by the new one)."""
        old, self._writer = self._w(), None
        old.wait_merging_threads()  # lets tantivy's lock go; ours is still held
        try:
            self._writer = self.index.writer(heap, threads)
        except ValueError as exc:
            raise IndexBusy(phrase("cannot write the full-text index in {folder} ({error}); run the command again",
                                   folder=self.folder, error=exc)) from exc
        for doc_id in self._deleted:
            self._writer.delete_documents_by_term("doc", doc_id)

    def _remove_old_generations(self) -> None:
        for path in self.folder.glob("g*"):
            if path.is_dir() and path.name != self.generation:
                shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        if self._writer is not None:
            try:
                self._writer.wait_merging_threads()
            finally:
                self._writer = None
                if self._switch:
                    # Never committed: the new generation was never visible.
                    shutil.rmtree(self.folder / self.generation, ignore_errors=True)
        _release(self._lock)
        self._lock = None

    # -- reading -------------------------------------------------------------------
    def fingerprints(self) -> dict[int, int]:
        self.index.reload()
        searcher = self.index.searcher()
        n = searcher.num_docs
        if n == 0:
            return {}
        hits = searcher.search(self._first_parts(), limit=n, count=False).hits
        addresses = [a for _, a in hits]
        ids = searcher.fast_field_values("doc", addresses)
        fps = searcher.fast_field_values("fp", addresses)
        return {int(i): int(f or 0) for i, f in zip(ids, fps, strict=True) if i is not None}

    def fingerprints_of(self, doc_ids: list[int]) -> dict[int, int]:
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        self.index.reload()
        searcher = self.index.searcher()
        query = Q.boolean_query([(MUST, Q.term_set_query(self.schema, "doc", ids)), (MUST, self._first_parts())])
        # A document deleted and added again before a merge is still one live entry.
        hits = searcher.search(query, limit=len(ids), count=False).hits
        addresses = [a for _, a in hits]
        found = searcher.fast_field_values("doc", addresses)
        fps = searcher.fast_field_values("fp", addresses)
        return {int(i): int(f or 0) for i, f in zip(found, fps, strict=True) if i is not None}

    def count(self) -> int:
        """The number of documents indexed (a document in parts counts once)."""
        self.index.reload()
        return int(self.index.searcher().search(self._first_parts(), 1, count=True).count)  # type: ignore[attr-defined]

    def _first_parts(self) -> tantivy.Query:
        """Every whole document and the first part of each document in parts."""
        return Q.term_query(self.schema, "part", 0)

    def any_of(self, field: str, values: list[Any]) -> tantivy.Query:
        """Documents with any of ``values`` in ``field`` (a union of term
        queries: several times faster than a term-set query for short lists)."""
        return _any_of(self.schema, field, values)

    def _reopen(self) -> None:
        """Follow a rebuild: open the generation CURRENT names now."""
        fresh = TantivyEngine.open_reader(self.folder.parent)
        self.index, self.generation, self.schema = fresh.index, fresh.generation, fresh.schema
        self._seen = ()

    def _stamp(self) -> tuple[tuple[int, int, int], ...]:
        """Identity of CURRENT and of the open generation's meta.json: both are
        replaced (never edited in place) by a rebuild or a commit."""
        out = []
        for path in (self.folder / CURRENT, self.folder / self.generation / "meta.json"):
            try:
                st = os.stat(path)
                out.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((0, 0, 0))
        return tuple(out)

    def search(self, query: Query, *, limit: int = 10, offset: int = 0,
               facets: bool = True) -> EngineResult:
        for attempt in range(3):
            try:
                # Reloading can meet a generation that a rebuild is removing
                # as much as the search itself can: both are retried.
                self._refresh()
                return self._search(query, limit=limit, offset=offset, facets=facets)
            except ValueError as exc:
                # A rebuild removed the generation this reader had open.
                if self._writer is not None or attempt == 2:
                    raise SearchError(phrase("the search failed: {error}; try again or run 'docsearch reindex'",
                                             error=exc)) from exc
                time.sleep(0.05 * (attempt + 1))
                self._reopen()
        raise AssertionError("unreachable")

    def _refresh(self) -> None:
        """See what was committed since the last search."""
        if self._writer is not None:
            self.index.reload()
            return
        # Two stat calls tell whether anything was committed since the last
        # search; reading CURRENT and reloading cost more.
        stamp = self._stamp()
        if stamp != self._seen:
            current = _read_current(self.folder)
            if current is not None and current.get("generation") != self.generation:
                self._reopen()
                stamp = self._stamp()
            # Stamped before reloading: a commit in between is seen by this
            # reload or, at the latest, by the next search.
            self.index.reload()
            self._seen = stamp

    def _search(self, query: Query, *, limit: int, offset: int, facets: bool) -> EngineResult:
        searcher = self.index.searcher()
        translator = _Translator(self.schema, self.analyzers, query, searcher=searcher)
        q = translator.translate(query.root)
        if q is None:
            return EngineResult(0, (), {name: {} for name in FACET_FIELDS} if facets else {})
        counting: _FacetCount | None = None
        plain = _Translator(self.schema, self.analyzers, query, matching_only=True,
                            searcher=searcher).translate(query.root) if facets else None
        if searcher.doc_freq("split", SPLIT):
            q, plain = _WholeDocuments(self, searcher, query).apply(q, plain)
        if facets:
            # The counts run beside the ranking: tantivy lets go of the
            # interpreter while it works, so both use a core each.
            counting = _FacetCount(searcher, self.schema, plain if plain is not None else q)
        try:
            page, total = self._rank(searcher, translator, q, query, limit, offset)
            hits = []
            for score, address in page:
                stored = searcher.doc(address)
                meta = json.loads(stored.get_first("meta") or b"{}")
                hits.append(EngineHit(
                    doc_id=int(stored.get_first("doc") or 0),  # every indexed document has one
                    score=float(score) if query.scored and score is not None else 0.0,
                    text=str(stored.get_first("body_fold") or stored.get_first("body_en")
                             or stored.get_first("body_de") or ""),
                    meta=meta,
                ))
        except BaseException:
            if counting is not None:
                counting.cancel()
            raise
        counts = counting.result() if counting is not None else {}
        return EngineResult(int(total or 0), tuple(hits), counts)

    def _rank(self, searcher: tantivy.Searcher, translator: _Translator, q: tantivy.Query, query: Query,
              limit: int, offset: int) -> tuple[list[tuple[Any, tantivy.DocAddress]], int]:
        """The page of (score or date, address) asked for, and the number of
        matching documents (the parts of one document that match count once)."""
        # Each part that matches besides the first of its document pushes
        # one more hit into the ranking: as many more are read, then collapsed.
        extra = sum(n - 1 for n in split_matches(searcher, self.schema, q).values())
        if not query.scored:
            # Only filters: newest first.
            result = searcher.search(q, limit + (offset + extra if extra else 0), count=True,
                                     offset=0 if extra else offset,
                                     order_by_field="ymd", order=tantivy.Order.Desc)
            if not extra:
                return result.hits, result.count  # type: ignore[attr-defined]  # missing from tantivy's stubs
            hits = _collapse(searcher, result.hits, first_part=True)
            return hits[offset:offset + limit], result.count - extra  # type: ignore[attr-defined]
        if translator.bonuses:
            # Rescoring: words standing together in the text reorder the best
            # RERANK_WINDOW matches. Phrase checks on every match of common
            # syllables would cost ten times the search itself.
            window = max(RERANK_WINDOW, offset + limit) + extra
            first = searcher.search(q, window, count=True, weight_by_field="prior")
            ids = searcher.fast_field_values("doc", [a for _, a in first.hits])
            # The bonuses are scored on those documents only (a query restricted
            # to their ids), then added to the first scores.
            only = Q.const_score_query(self.any_of("doc", ids), 0.0)
            bonus = Q.boolean_query([(MUST, only)] + [
                (SHOULD, Q.boolean_query([(MUST, only), (MUST, b)])) for b in translator.bonuses])
            bonus_of = {_key(a): s for s, a in searcher.search(bonus, window, count=False,
                                                               weight_by_field="prior").hits}
            ranked = sorted(first.hits, key=lambda h: -(h[0] + bonus_of.get(_key(h[1]), 0.0)))
            if extra:
                ranked = _collapse(searcher, ranked)
            page = [(s + bonus_of.get(_key(a), 0.0), a) for s, a in ranked[offset:offset + limit]]
            return page, first.count - extra  # type: ignore[attr-defined]  # missing from tantivy's stubs
        if extra:
            result = searcher.search(q, offset + limit + extra, count=True, weight_by_field="prior")
            return _collapse(searcher, result.hits)[offset:offset + limit], result.count - extra  # type: ignore[attr-defined]
        result = searcher.search(q, limit, count=True, offset=offset, weight_by_field="prior")
        return result.hits, result.count  # type: ignore[attr-defined]  # missing from tantivy's stubs


#: What a part of a document in parts that holds only some of the query's
#: words scores for each of them, against a part that holds them all.
PART_WORD_WEIGHT = 0.1


class _WholeDocuments:
    """A query over an index holding documents in parts, made to match each
    such document as a whole: a part holds only some of its text, so "a b"
    with ``a`` in one part and ``b`` in another, or ``a -b`` with ``b`` in
    another part than ``a``, would be answered wrongly part by part.

    Which documents in parts match is worked out on the sets of documents
    whose parts match each word, reference and filter of the query (one
    count per term, over the parts only); every part of those documents
    then takes part in the ranking (scored by the whole query where it
    matches, else a little per word it holds) and is collapsed to the best
    one. Whole documents are asked the query as before."""

    def __init__(self, engine: TantivyEngine, searcher: tantivy.Searcher, query: Query) -> None:
        self.engine = engine
        self.searcher = searcher
        self.query = query
        self.split = Q.term_query(engine.schema, "split", SPLIT)
        self._matching = _Translator(engine.schema, engine.analyzers, query, matching_only=True, searcher=searcher)

    def _docs(self, q: tantivy.Query | None) -> set[int]:
        """The documents in parts with a part matching ``q``."""
        if q is None:
            return set()
        both = Q.boolean_query([(MUST, q), (MUST, self.split)])
        spec = {"docs": {"terms": {"field": "doc", "size": MAX_SPLIT_DOCS}}}
        return {int(b["key"]) for b in self.searcher.aggregate(both, spec).get("docs", {}).get("buckets", [])}

    def matching(self, node: Node | None, every: set[int]) -> set[int]:
        """The documents in parts (of ``every``) that match ``node`` as a whole."""
        if node is None:
            return set(every)
        if isinstance(node, And):
            out = set(every)
            for child in node.children:
                if isinstance(child, Not):
                    out -= self.matching(child.child, every)
                else:
                    out &= self.matching(child, every)
            return out
        if isinstance(node, Or):
            return set().union(*(self.matching(c, every) for c in node.children))
        if isinstance(node, Not):
            return every - self.matching(node.child, every)
        return self._docs(self._matching.translate(node))

    def apply(self, q: tantivy.Query, plain: tantivy.Query | None) -> tuple[tantivy.Query, tantivy.Query | None]:
        """The ranking query and the counting query, each for whole
        documents as they were and for the documents in parts as a whole."""
        whole = [(MUST_NOT, self.split)]
        docs = sorted(self.matching(self.query.root, self._docs(self.split)))
        if not docs:
            return (Q.boolean_query([(MUST, q), *whole]),
                    Q.boolean_query([(MUST, plain), *whole]) if plain is not None else None)
        those = Q.term_set_query(self.engine.schema, "doc", docs)
        scored = _Translator(self.engine.schema, self.engine.analyzers, self.query, searcher=self.searcher)
        words = [w for w in (scored.translate(n) for n in self.query.positive_terms()) if w is not None]
        parts = Q.boolean_query([(MUST, Q.const_score_query(those, 0.0)), (SHOULD, q)]
                                + [(SHOULD, Q.boost_query(w, PART_WORD_WEIGHT)) for w in words])
        ranking = Q.boolean_query([(SHOULD, Q.boolean_query([(MUST, q), *whole])), (SHOULD, parts)])
        counting = None if plain is None else Q.boolean_query(
            [(SHOULD, Q.boolean_query([(MUST, plain), *whole])), (SHOULD, those)])
        return ranking, counting


#: Threads counting facets for the searches of this process, shared by all
#: of them: starting a thread per search cost a quarter as much CPU as the
#: counting itself.
FACET_THREADS = 4
_facet_pool: ThreadPoolExecutor | None = None
_facet_pool_lock = threading.Lock()


def _counting_pool() -> ThreadPoolExecutor:
    global _facet_pool
    with _facet_pool_lock:
        if _facet_pool is None:
            _facet_pool = ThreadPoolExecutor(max_workers=FACET_THREADS, thread_name_prefix="docsearch-facets")
        return _facet_pool


def _forget_pool() -> None:
    # A forked child has none of its parent's threads: it starts its own pool.
    global _facet_pool, _facet_pool_lock
    _facet_pool, _facet_pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


class _FacetCount:
    """Facet counts of every match of a query, computed on another thread
    while the caller ranks the page; :meth:`result` waits for them."""

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query) -> None:
        self._future: Future[dict[str, dict[str, int]]] = _counting_pool().submit(facet_counts, searcher, schema,
                                                                                  query)

    def result(self) -> dict[str, dict[str, int]]:
        return self._future.result()

    def cancel(self) -> None:
        """The search failed: drop the counts (waiting for them if they started)."""
        if not self._future.cancel():
            self._future.exception()


def facet_counts(searcher: tantivy.Searcher, schema: tantivy.Schema,
                 query: tantivy.Query) -> dict[str, dict[str, int]]:
    """Facet value → number of matches of ``query``, per facet (years newest
    first, the others most frequent first), counted by tantivy over the
    facet columns in one pass."""
    # One more bucket than shown: the placeholder of documents without a
    # value may take one and is dropped.
    spec = {name: {"terms": {"field": field, "size": FACET_SIZES.get(name, FACET_SIZE) + 1}}
            for name, field in FACET_FIELDS.items()}
    raw = searcher.aggregate(query, spec)
    # A document in parts counts once: what its other matching parts added
    # to each of its values is taken off.
    surplus = _split_surplus(searcher, schema, query)
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        none = str(NO_YEAR) if name == "year" else NO_VALUE
        less = surplus.get(name, {})
        pairs = [(key, int(b["doc_count"]) - less.get(key, 0)) for b in raw.get(name, {}).get("buckets", [])
                 if (key := _bucket_key(b["key"])) != none]
        if name == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        elif less:
            pairs.sort(key=lambda p: -p[1])  # stable: tantivy's order among equal counts
        out[name] = dict(pairs[:FACET_SIZES.get(name, FACET_SIZE)])
    return out


def split_matches(searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query) -> dict[int, int]:
    """doc id → how many of its parts match ``query``, for each document in
    parts of which more than one part matches (nothing, at the cost of one
    term lookup, in an index without documents in parts)."""
    counts = _split_buckets(searcher, schema, query, {})
    return {doc: n for doc, (n, _) in counts.items()}


def _split_surplus(searcher: tantivy.Searcher, schema: tantivy.Schema,
                   query: tantivy.Query) -> dict[str, dict[str, int]]:
    """Facet → value → the matches to take off its count: for each document
    in parts, every matching part after the first."""
    subs = {name: {"terms": {"field": field, "size": 2}} for name, field in FACET_FIELDS.items()}
    out: dict[str, dict[str, int]] = {}
    for n, facets in _split_buckets(searcher, schema, query, subs).values():
        for name, keys in facets.items():
            for key in keys:
                out.setdefault(name, {})[key] = out.setdefault(name, {}).get(key, 0) + n - 1
    return out


def _split_buckets(searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query,
                   subs: dict[str, Any]) -> dict[int, tuple[int, dict[str, list[str]]]]:
    if searcher.doc_freq("split", SPLIT) == 0:
        return {}
    both = Q.boolean_query([(MUST, query), (MUST, Q.term_query(schema, "split", SPLIT))])
    spec: dict[str, Any] = {"docs": {"terms": {"field": "doc", "size": MAX_SPLIT_DOCS}}}
    if subs:
        spec["docs"]["aggs"] = subs
    out: dict[int, tuple[int, dict[str, list[str]]]] = {}
    for b in searcher.aggregate(both, spec).get("docs", {}).get("buckets", []):
        n = int(b["doc_count"])
        if n > 1:
            out[int(b["key"])] = (n, {name: [_bucket_key(x["key"]) for x in b.get(name, {}).get("buckets", [])]
                                      for name in subs})
    return out


def _collapse(searcher: tantivy.Searcher, hits: list[tuple[Any, tantivy.DocAddress]], *,
              first_part: bool = False) -> list[tuple[Any, tantivy.DocAddress]]:
    """``hits`` with one hit per document, at the place of its best part;
    with ``first_part``, that hit is the lowest-numbered part among them."""
    addresses = [a for _, a in hits]
    docs = searcher.fast_field_values("doc", addresses)
    parts = [int(p or 0) for p in searcher.fast_field_values("part", addresses)] if first_part else [0] * len(hits)
    first: dict[Any, int] = {}  # doc → its best hit (the first), in order
    chosen: dict[Any, int] = {}  # doc → the hit whose part is shown
    for n, (doc, part) in enumerate(zip(docs, parts, strict=True)):
        if doc not in first:
            first[doc] = chosen[doc] = n
        elif first_part and part < parts[chosen[doc]]:
            chosen[doc] = n
    return [(hits[n][0], hits[chosen[doc]][1]) for doc, n in first.items()]


def _bucket_key(key: Any) -> str:
    # Integer columns may come back as floats (2025.0).
    return str(int(key)) if isinstance(key, float) else str(key)


def _any_of(schema: tantivy.Schema, field: str, values: list[Any]) -> tantivy.Query:
    terms = [Q.term_query(schema, field, v, index_option="basic") for v in values]
    if len(terms) == 1:
        return terms[0]
    return Q.boolean_query([(SHOULD, t) for t in terms])


def _literal(ref: DocRef) -> str:
    """The words a reference is also searched as: the number itself when the
    query spelled it out ("Nghị quyết số 18-NQ/TW" → "18-NQ/TW", whose tokens
    are rarer than "nghị quyết số"), else what was typed ("Resolution 57")."""
    return ref.id if ref.id.lower() in ref.text.lower() else ref.text


def _key(address: tantivy.DocAddress) -> tuple[int, int]:
    return address.segment_ord, address.doc


# --- query translation ------------------------------------------------------------------

_BODY = (("body_fold", "ds_fold", 1.0), ("body_en", "ds_en", 1.0), ("body_de", "ds_de", 1.0))
# Phrases of neighbouring words and the words of a reference are looked for
# in the text's one body field, whichever language it has.
_FOLD = _BODY
#: The body field of a document of each language (body_fold for the others).
_BODY_OF = {"en": "body_en", "de": "body_de"}
_MATCHING = (("body_fold", "ds_fold"), ("body_en", "ds_en"), ("body_de", "ds_de"))
_TITLE = (("title_fold", "ds_fold", TITLE_WEIGHT),)

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


class _Translator:
    """Our query tree → a tantivy query (None when nothing in it can match)."""

    def __init__(self, schema: tantivy.Schema, analyzers: dict[str, tantivy.TextAnalyzer],
                 query: Query | None = None, *, matching_only: bool = False,
                 searcher: tantivy.Searcher | None = None) -> None:
        self.schema = schema
        self.an = analyzers
        # With a searcher, fields that lack a token are left out (an English
        # stem of a Vietnamese syllable): fewer clauses, same matches.
        self.searcher = searcher
        # The same set of documents without any scoring: for facet counts.
        self.matching_only = matching_only
        words = query is not None and any(isinstance(n, (Word, Phrase)) for n in query.positive_terms())
        self.ref_scale = REF_WITH_WORDS if words else 1.0
        # Optional clauses that only reorder the best matches (see TantivyEngine._search).
        self.bonuses: list[tantivy.Query] = []
        self._negated = 0

    def key(self, value: str) -> str:
        toks = self.an["ds_key"].analyze(value)
        return toks[0] if toks else value.lower()

    def translate(self, node: Node | None) -> tantivy.Query | None:
        if node is None:
            return Q.all_query()
        if isinstance(node, And):
            musts: list[tantivy.Query] = []
            nots: list[tantivy.Query] = []
            for child in node.children:
                if isinstance(child, Not):
                    self._negated += 1
                    q = self.translate(child.child)
                    self._negated -= 1
                    if q is not None:
                        nots.append(q)
                else:
                    q = self.translate(child)
                    if q is None:
                        return None  # a required part that cannot match
                    musts.append(q)
            if not musts:
                musts.append(Q.all_query())
            if not self._negated:
                self.bonuses.extend(self.proximity(node.children))
            if len(musts) == 1 and not nots:
                return musts[0]
            return Q.boolean_query([(MUST, q) for q in musts] + [(MUST_NOT, q) for q in nots])
        if isinstance(node, Or):
            parts = [q for q in (self.translate(c) for c in node.children) if q is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else Q.boolean_query([(SHOULD, q) for q in parts])
        if isinstance(node, Not):
            self._negated += 1
            inner = self.translate(node.child)
            self._negated -= 1
            if inner is None:
                return Q.all_query()
            return Q.boolean_query([(MUST, Q.all_query()), (MUST_NOT, inner)])
        if isinstance(node, Word):
            return self.text(node.text)
        if isinstance(node, Phrase):
            return self.text(node.text)
        if isinstance(node, DocRef):
            return self.reference(node)
        return self.filter(node)

    def _field_query(self, field: str, tokens: list[str]) -> tantivy.Query:
        if len(tokens) == 1:
            return Q.term_query(self.schema, field, tokens[0])
        words: list[str | tuple[int, str]] = list(tokens)
        return Q.phrase_query(self.schema, field, words)

    def _absent(self, field: str, tokens: list[str]) -> bool:
        return self.searcher is not None and any(self.searcher.doc_freq(field, t) == 0 for t in tokens)

    def _dismax(self, fields: tuple[tuple[str, str, float], ...], text: str) -> tantivy.Query | None:
        parts = []
        for field, analyzer, boost in fields:
            tokens = self.an[analyzer].analyze(text)
            if not tokens or self._absent(field, tokens):
                continue
            q = self._field_query(field, tokens)
            parts.append(Q.boost_query(q, boost) if boost != 1.0 else q)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Q.disjunction_max_query(parts, TIE_BREAKER)

    def text(self, text: str) -> tantivy.Query | None:
        """A word or phrase: best of the body fields, plus a bonus in the title."""
        exact = self.an["ds_exact"].analyze(text)
        if not exact:
            return None
        if self.matching_only:
            # Which documents match, without scores: the body fields decide.
            parts = [self._field_query(f, toks) for f, a in _MATCHING
                     if (toks := self.an[a].analyze(text)) and not self._absent(f, toks)]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else Q.boolean_query([(SHOULD, p) for p in parts])
        # Several tokens (a phrase, "covid-19") must stand together.
        body = self._dismax(_BODY, text)
        if body is None:
            return None
        if len(exact) > 1:
            # A phrase is ranked by the phrase alone: checking it in the title
            # too would cost a tenth more, and changed no judged ranking.
            return body
        title = self._dismax(_TITLE, text)
        if title is None:
            return body
        # The title and lead only add to documents whose body matches: the
        # body decides what matches (and the facet counts follow it).
        return Q.boolean_query([(MUST, body), (SHOULD, Q.boost_query(title, TITLE_BOOST))])

    def proximity(self, children: tuple[Node, ...]) -> list[tantivy.Query]:
        """Optional clauses rewarding runs of neighbouring query words that stand
        together in the text."""
        runs: list[list[str]] = [[]]
        for child in children:
            if isinstance(child, Word):
                runs[-1].append(child.text)
            elif runs[-1]:
                runs.append([])
        out: list[tantivy.Query] = []
        for run in runs:
            if len(run) < 2:
                continue
            whole = self._dismax(_FOLD, " ".join(run))
            if whole is not None:
                out.append(Q.boost_query(whole, PHRASE_BONUS))
        return out

    def reference(self, ref: DocRef) -> tantivy.Query:
        key = self.key(ref.id)
        if self.matching_only:
            literal = self._dismax(_FOLD, _literal(ref))
            return Q.boolean_query(
                [(SHOULD, Q.term_query(self.schema, field, key, index_option="basic"))
                 for field in ("own", "related", "cites")]
                + ([(SHOULD, literal)] if literal is not None else []))
        k = self.ref_scale
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = [
            (SHOULD, Q.const_score_query(Q.term_query(self.schema, "own", key), SCORE_SELF * k)),
            (SHOULD, Q.const_score_query(Q.term_query(self.schema, "related", key), SCORE_RELATED * k)),
            (SHOULD, Q.const_score_query(Q.term_query(self.schema, "cites", key), SCORE_CITES * k)),
            # How often it is cited orders the citing documents among themselves.
            (SHOULD, Q.term_query(self.schema, "cites", key, index_option="freq")),
        ]
        if ref.date is not None:
            ymd = ref.date.year * 10000 + ref.date.month * 100 + ref.date.day
            parts.append((SHOULD, Q.const_score_query(Q.boolean_query([
                (MUST, Q.term_query(self.schema, "own", key)),
                (MUST, Q.range_query(self.schema, "ymd", tantivy.FieldType.Integer, ymd, ymd)),
            ]), SCORE_SELF_DATE * k)))
        literal = self._dismax(_FOLD, _literal(ref))
        if literal is not None:
            parts.append((SHOULD, Q.boost_query(literal, LITERAL_WEIGHT)))
        return Q.boolean_query(parts)

    def filter(self, node: Node) -> tantivy.Query | None:
        q: tantivy.Query | None
        if isinstance(node, KeywordFilter):
            q = _any_of(self.schema, node.field, list(node.values))
        elif isinstance(node, RefFilter):
            field = {"id": "own", "cites": "cites", "implements": "implements"}[node.field]
            q = _any_of(self.schema, field, [self.key(i) for i in node.ids])
        elif isinstance(node, IssuerFilter):
            tokens = self.an["ds_fold"].analyze(node.text)
            if not tokens:
                return None
            q = self._field_query("issuer", tokens)
        elif isinstance(node, RangeFilter):
            field = "year" if node.field == "year" else "ymd"
            if field == "year" and node.low is None:
                # Undated documents hold NO_YEAR in the column: an open lower
                # bound must not reach it.
                node = RangeFilter(node.field, NO_YEAR + 1, node.high)
            q = Q.range_query(self.schema, field, tantivy.FieldType.Integer, node.low, node.high)
        else:
            raise TypeError(f"not a query node: {node!r}")
        # Filters narrow the results without changing their order.
        return Q.const_score_query(q, 0.0)


# --- locking -------------------------------------------------------------------------------

def _acquire(folder: Path) -> int | None:
    if fcntl is None:
        return None
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise IndexBusy(phrase("another docsearch process is updating the full-text index in {folder}; "
                               "wait for it to finish and try again", folder=folder)) from None
    return fd


def _release(fd: int | None) -> None:
    if fd is None or fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
