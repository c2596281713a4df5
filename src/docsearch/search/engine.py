"""The interface between docsearch and a full-text engine.

docsearch talks to its engine only through :class:`SearchEngine`, with our
own values: an :class:`IndexDoc` goes in, a parsed :class:`~.query.Query`
is asked, :class:`EngineResult` comes out. The tantivy implementation lives
in :mod:`.tantivy_engine`; a server engine can take its place by
implementing the same few methods.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .query import Query

# -- ranking, the same in every engine ------------------------------------------------------
# A document reference in the query (see query.DocRef) ranks by class:
# constant scores keep the classes apart whatever the text scores are;
# within a class the number of citations and the other words decide.
SCORE_SELF = 100.0
SCORE_SELF_DATE = 20.0
SCORE_RELATED = 40.0
SCORE_CITES = 20.0
LITERAL_WEIGHT = 0.5
#: When the query has words besides the reference, the words should decide
#: among the documents related to it: the class scores shrink by this much.
REF_WITH_WORDS = 0.1
#: A mild prior for where a document comes from: a central resolution is the
#: origin of the provincial programs that repeat its words. The score is
#: multiplied by log2(2 + w).
PRIOR = {"central": 0.38, "provincial": 0.14, "state": 0.14}
TITLE_BOOST = 1.5
#: Neighbouring words of the query found next to each other in the text:
#: Vietnamese words are several syllables ("kinh tế tư nhân"), so adjacency
#: matters more than in English.
PHRASE_BONUS = 2.0
RERANK_WINDOW = 100


# Slotted, not frozen: one is made per document indexed, and a frozen
# dataclass's __init__ sets each of its seventeen fields through
# object.__setattr__, several times the cost. Nothing changes one once made.
@dataclass(slots=True)
class IndexDoc:
    """Everything the engine indexes and stores for one stored document.

    ``cites`` holds one entry per resolved mention (so a document citing a
    text five times weighs more than one naming it once); ``relations`` the
    typed links the document itself asserts from its own id, as
    ``(type, target)``; ``ref_spans`` the offsets of every resolved mention
    in ``text``, for highlighting. ``source`` is ``ocr`` when any page's
    text was read by OCR, else ``text``.
    """

    doc_id: int
    fingerprint: int
    path: str
    lang: str
    title: str
    text: str
    page_starts: tuple[int, ...] = (0,)
    own_id: str | None = None
    type: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    level: str | None = None
    date: date | None = None
    cites: tuple[str, ...] = ()
    relations: tuple[tuple[str, str], ...] = ()
    ref_spans: tuple[tuple[str, int, int], ...] = ()
    source: str = "text"
    #: What the engine's text preparer (see indexer.text_preparer) made of
    #: ``text`` ahead, where the text was read; None: the engine makes it.
    prepared: object | None = None


@dataclass(frozen=True)
class EngineHit:
    """One matching document as the engine returns it: score, stored values, text."""

    doc_id: int
    score: float
    text: str
    meta: Mapping[str, Any]


@dataclass(frozen=True)
class EngineResult:
    """A page of hits, the number of matching documents and facet counts."""

    total: int
    hits: tuple[EngineHit, ...]
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


class SearchEngine(ABC):
    """A full-text engine holding one entry per stored document (keyed by doc_id).

    Writes (``add``/``delete``) become visible to searches only after
    ``commit``; a search always sees the last committed state.
    """

    @property
    def fresh(self) -> bool:
        """True when this engine was opened on a new, empty index (a rebuild)."""
        return False

    @abstractmethod
    def add(self, doc: IndexDoc) -> None:
        """Index ``doc``, replacing any entry with the same doc_id at commit."""

    @abstractmethod
    def delete(self, doc_id: int) -> None:
        """Remove the entry of ``doc_id`` (no error when there is none)."""

    @abstractmethod
    def commit(self) -> None:
        """Make every add and delete since the last commit visible, durably."""

    @abstractmethod
    def search(self, query: Query, *, limit: int = 10, offset: int = 0,
               facets: bool = True) -> EngineResult:
        """Ranked hits for ``query`` with the total count and, if asked, facet counts."""

    @abstractmethod
    def fingerprints(self) -> dict[int, int]:
        """doc_id → fingerprint of every committed entry, to tell what changed."""

    def count(self) -> int:
        """The number of documents indexed (an engine that can count them
        without reading every fingerprint should)."""
        return len(self.fingerprints())

    def fingerprints_of(self, doc_ids: list[int]) -> dict[int, int]:
        """doc_id → fingerprint of the committed entries of ``doc_ids`` (an
        engine that can look them up directly should: a batch of an ingest
        asks for a few among many)."""
        wanted = set(doc_ids)
        return {d: fp for d, fp in self.fingerprints().items() if d in wanted}

    def hold_writes(self, expected: int = 0) -> bool:
        """Take now, until the next :meth:`commit`, the turn that orders
        this engine's writers, before the writes of about ``expected``
        documents (a writer that reads the store after taking it is then
        followed by any writer of what it read). Returns whether a turn was
        taken, which only a commit ends: nothing for an engine with one
        writer at a time, whose lock is held from its opening."""
        return False

    def begin_run(self) -> None:
        """Say that the writes that follow are a run of several commits,
        ended by :meth:`finish`: an engine may put off work from the first
        commit on. Nothing for an engine that puts nothing off."""
        return None

    def begin_finish(self) -> None:
        """Start, after the last commit of a run, what :meth:`finish` does,
        and return while it goes on (the caller then waits for it with
        :meth:`finish`). Nothing for an engine that puts nothing off."""
        return None

    def finish(self) -> None:
        """End a run of writes after its last commit: work an engine put off
        while the run wrote (see the PostgreSQL engine's deferred index) is
        done now. Nothing for an engine that puts nothing off."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Release files, locks and threads."""

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
