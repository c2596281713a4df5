"""Large runs of writes into the PostgreSQL full-text index.

A writer that has written many documents replaces the RUM index of the
folded words by a GIN stand-in and builds RUM from all rows when its run
ends (postgres_engine.STANDIN_INDEX). These tests hold it to what a reader
and an operator need: every search correct after every commit, RUM back at
the end, a killed run leaving a consistent index that the next run repairs,
two writers at once leaving RUM to the last one. They need the private
PostgreSQL server of tests/conftest.py with the RUM extension, and skip with
a reason without them (a failure in CI).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.synchronize import Event

import psycopg
import pytest

from docsearch.ingestion import ingest
from docsearch.pgcluster import LocalCluster
from docsearch.search import FullTextIndex, search, sync
from docsearch.search import postgres_engine as pe
from docsearch.search.engine import IndexDoc
from docsearch.search.postgres_engine import PostgresEngine
from docsearch.store import Store

from conftest import ROOT, unavailable

#: (query, which of the synthetic documents below match it)
QUERIES = (
    ('"chuyen doi so"', lambda k: k % 2 == 0),
    ("dang bo", lambda k: k % 3 == 0),
    ('"dang bo tinh" chuyen', lambda k: k % 6 == 0),
    ("57-NQ/TW", lambda k: k % 5 == 0),
    ("huyen -dang", lambda k: k % 3 != 0),
    ('"tinh lanh dao" "ke hoach"', lambda k: k % 6 == 0),
    ('"van ban so" OR "57 nq"', lambda k: True),
    ('"ban so 12 cua"', lambda k: k == 12),
)
#: The indexes of a settled index: RUM for the folded words, their pairs and
#: their runs around numbers (while a run defers RUM, only the stand-in).
RUM = {"fulltext_tsv": "rum", pe.PAIRS_INDEX: "rum", pe.RUNS_INDEX: "rum"}


def _doc(k: int) -> IndexDoc:
    parts = [f"Văn bản số {k} của huyện."]
    if k % 2 == 0:
        parts.append("Kế hoạch chuyển đổi số.")
    if k % 3 == 0:
        parts.append("Đảng bộ tỉnh lãnh đạo.")
    cites: tuple[str, ...] = ()
    if k % 5 == 0:
        parts.append("Thực hiện Nghị quyết 57-NQ/TW.")
        cites = ("57-NQ/TW",)
    text = " ".join(parts)
    return IndexDoc(doc_id=k, fingerprint=k, path=f"/t/{k}.txt", lang="vi", title=text[:30], text=text,
                    cites=cites)


@pytest.fixture
def rum_url(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new database where the folded words get RUM, and writers that defer
    it from their fifth document on."""
    with psycopg.connect(pg_url) as conn:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'").fetchone() is None:
            unavailable("needs PostgreSQL's RUM extension: install Debian's 'postgresql-15-rum' (make install does)")
    monkeypatch.delenv(pe.TEXT_INDEX_ENV, raising=False)
    monkeypatch.setattr(pe, "DEFER_MIN_DOCS", 5)
    return pg_url


def _indexes(url: str) -> dict[str, str]:
    """The indexes of the folded words, their pairs and runs: name → access method."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT c.relname, am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam"
                            " WHERE c.relname = ANY(%s)", [["fulltext_tsv", pe.PAIRS_INDEX, pe.RUNS_INDEX,
                                                                  pe.STANDIN_INDEX]]).fetchall()
    return {str(n): str(a) for n, a in rows}


def _check_searches(url: str, committed: set[int]) -> None:
    """Every query finds exactly the committed documents it should."""
    with FullTextIndex(url) as ix:
        for query, matches in QUERIES:
            want = sorted(k for k in committed if matches(k))
            result = ix.search(query, limit=1000)
            assert (result.total, sorted(h.doc for h in result.hits)) == (len(want), want), query


def _commit(writer: PostgresEngine, keys: range, committed: set[int]) -> None:
    """Write the documents ``keys`` in one commit, and count them as committed."""
    for k in keys:
        writer.add(_doc(k))
    writer.commit()
    committed.update(keys)


def test_a_large_run_defers_rum_and_builds_it_at_the_end(rum_url: str) -> None:
    committed: set[int] = set()
    writer = PostgresEngine.open_writer(rum_url)
    try:
        for start in range(1, 41, 4):
            for k in range(start, start + 4):
                writer.add(_doc(k))
            writer.commit()
            committed.update(range(start, start + 4))
            _check_searches(rum_url, committed)
            if len(committed) >= 8:  # the first commit built RUM, the second wrote 8 documents
                assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
        writer.delete(2)
        writer.add(_doc(3))
        writer.commit()
        committed.discard(2)
        _check_searches(rum_url, committed)
        writer.finish()
    finally:
        writer.close()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, committed)
    with psycopg.connect(rum_url) as conn:
        assert conn.execute("SELECT docs, text_index FROM fulltext_schema").fetchone() == (len(committed), "rum")


def test_a_run_into_a_new_index_defers_rum_from_its_first_commit(rum_url: str) -> None:
    """A run (begin_run) whose first commit creates the index with enough
    documents writes the stand-in at once, not RUM and the pairs that its
    next commit would drop; its end builds them all, some on a second
    connection, and every search is right after every commit."""
    committed: set[int] = set()
    writer = PostgresEngine.open_writer(rum_url)
    try:
        writer.begin_run()
        for start in (1, 9):
            _commit(writer, range(start, start + 8), committed)
            assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
            _check_searches(rum_url, committed)
        writer.finish()
    finally:
        writer.close()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, committed)
    with psycopg.connect(rum_url) as conn:
        built = {str(r[0]) for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'fulltext'")}
    assert {*pe.PAIRS_INDEXES.values(), pe.RUNS_INDEX, f"{pe.TABLE}_words"} <= built


def _counts(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The word counts kept in fulltext_terms, and the same counted again from the rows."""
    with psycopg.connect(url) as conn:
        kept = conn.execute("SELECT col, lexeme, docs FROM fulltext_terms WHERE docs > 0 ORDER BY 1, 2").fetchall()
        counted = conn.execute(
            "SELECT 0, word, ndoc FROM ts_stat('SELECT tsv FROM fulltext')"
            " UNION ALL SELECT 1, word, ndoc FROM ts_stat('SELECT tsv_en FROM fulltext WHERE langcode = 1')"
            " UNION ALL SELECT 2, word, ndoc FROM ts_stat('SELECT tsv_de FROM fulltext WHERE langcode = 2')"
            " UNION ALL SELECT 3, word, ndoc FROM ts_stat('SELECT title_words FROM fulltext') ORDER BY 1, 2").fetchall()
    return kept, counted


def test_the_words_of_a_transaction_are_counted_once_at_its_commit(rum_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Words are counted at the commit for all the rows a transaction wrote,
    however many chunks it sent them in, rows written again or deleted in a
    later chunk of it included: the counts are those of the rows."""
    monkeypatch.setattr(pe, "BATCH", 4)
    with PostgresEngine.open_writer(rum_url) as writer:
        for k in range(1, 9):
            writer.add(_doc(k))
        writer.commit()
        for k in range(9, 31):
            writer.add(_doc(k))
        writer.delete(3)  # committed before
        writer.delete(12)  # written earlier in this transaction
        writer.add(IndexDoc(doc_id=10, fingerprint=99, path="/t/10.txt", lang="vi", title="Kế hoạch mới",
                            text="Kế hoạch mới của tỉnh."))
        writer.add(IndexDoc(doc_id=4, fingerprint=98, path="/t/4.txt", lang="en", title="A plan",
                            text="A plan of the province."))
        writer.commit()
        writer.finish()
    kept, counted = _counts(rum_url)
    assert kept == counted and len(kept) > 20


def test_a_small_first_commit_of_a_run_builds_rum(rum_url: str) -> None:
    with PostgresEngine.open_writer(rum_url) as writer:
        writer.begin_run()
        for k in range(1, 5):  # under DEFER_MIN_DOCS
            writer.add(_doc(k))
        writer.commit()
        assert _indexes(rum_url) == RUM
        writer.finish()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, set(range(1, 5)))


def test_a_small_run_into_a_larger_index_adds_to_rum(rum_url: str) -> None:
    with PostgresEngine.open_writer(rum_url) as writer:
        for k in range(1, 61):
            writer.add(_doc(k))
        writer.commit()
        writer.finish()
    with PostgresEngine.open_writer(rum_url) as writer:  # 8 documents: under a fifth of 60
        for start in (61, 65):
            for k in range(start, start + 4):
                writer.add(_doc(k))
            writer.commit()
            assert _indexes(rum_url) == RUM
        writer.finish()
    _check_searches(rum_url, set(range(1, 69)))


def test_the_deferred_indexes_are_built_while_the_writers_caller_goes_on(rum_url: str) -> None:
    """begin_finish builds what the run put off on connections of its own:
    searches stay right meanwhile, a write after it waits for the build,
    many writes after it put RUM off again, and finish leaves RUM built."""
    committed: set[int] = set()
    writer = PostgresEngine.open_writer(rum_url)
    try:
        writer.begin_run()
        _commit(writer, range(1, 9), committed)
        _commit(writer, range(9, 17), committed)
        assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
        writer.begin_finish()
        _check_searches(rum_url, committed)  # while it builds, or once it has
        _commit(writer, range(17, 18), committed)
        _check_searches(rum_url, committed)
        writer.finish()
        assert _indexes(rum_url) == RUM
        # A second run of the same writer that writes many documents after
        # begin_finish defers RUM again, and its finish builds it again.
        writer.begin_finish()  # nothing deferred: nothing to start
        _commit(writer, range(18, 30), committed)
        assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
        writer.begin_finish()
        _commit(writer, range(30, 42), committed)
        writer.finish()
    finally:
        writer.close()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, committed)


def test_a_writer_closed_while_it_builds_calls_the_build_off(rum_url: str) -> None:
    """A run stopped between begin_finish and finish (closed, as after an
    error or ^C) does not wait for the build: it is called off, the stand-in
    stays and serves the searches, and the next run's finish builds RUM."""
    writer = PostgresEngine.open_writer(rum_url)
    writer.begin_run()
    _commit(writer, range(1, 13), set())
    assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
    with psycopg.connect(rum_url, autocommit=True) as blocker:
        # Another writer's turn, held: the build waits for it until called off.
        blocker.execute("SELECT pg_advisory_lock(%s)", [pe.WRITE_LOCK])
        writer.begin_finish()
        writer.close()
        blocker.execute("SELECT pg_advisory_unlock(%s)", [pe.WRITE_LOCK])
    assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
    _check_searches(rum_url, set(range(1, 13)))
    with PostgresEngine.open_writer(rum_url) as again:
        again.finish()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, set(range(1, 13)))


def _killed_writer(url: str, ready: Event) -> None:
    pe.DEFER_MIN_DOCS = 5
    writer = PostgresEngine.open_writer(url)
    for start in (1, 5, 9):
        for k in range(start, start + 4):
            writer.add(_doc(k))
        writer.commit()
    writer.add(_doc(13))  # written, never committed
    writer._flush()
    ready.set()
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_run_killed_while_deferring_leaves_a_consistent_index(rum_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    child = ctx.Process(target=_killed_writer, args=(rum_url, ready))
    child.start()
    child.join(120)
    assert ready.is_set() and child.exitcode == -signal.SIGKILL
    # What was committed is there and found; the stand-in serves the phrases.
    assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
    _check_searches(rum_url, set(range(1, 13)))
    # The next run, however small, puts RUM back when it ends.
    with PostgresEngine.open_writer(rum_url) as writer:
        writer.add(_doc(13))
        writer.commit()
        assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
        writer.finish()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, set(range(1, 14)))


def test_a_rebuild_ends_a_deferral(rum_url: str) -> None:
    writer = PostgresEngine.open_writer(rum_url)
    for k in range(1, 13):
        writer.add(_doc(k))
        if k % 4 == 0:
            writer.commit()
    writer.close()  # a run that ended without finishing
    assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
    with PostgresEngine.open_writer(rum_url, rebuild=True) as rebuild:
        for k in range(1, 11):
            rebuild.add(_doc(k))
        rebuild.commit()
    assert _indexes(rum_url) == RUM
    _check_searches(rum_url, set(range(1, 11)))


def test_of_two_deferring_writers_the_last_to_end_builds_rum(rum_url: str) -> None:
    with PostgresEngine.open_writer(rum_url) as writer:
        for k in range(201, 205):
            writer.add(_doc(k))
        writer.commit()
    first = PostgresEngine.open_writer(rum_url)
    second = PostgresEngine.open_writer(rum_url)
    try:
        for start in (1, 5, 9):
            for k in range(start, start + 4):
                first.add(_doc(k))
            first.commit()
            for k in range(start + 100, start + 104):
                second.add(_doc(k))
            second.commit()
        assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
        first.finish()  # the second is still deferring: RUM waits for it
        assert _indexes(rum_url) == {pe.STANDIN_INDEX: "gin"}
        second.add(_doc(13))
        second.commit()
        second.finish()
        assert _indexes(rum_url) == RUM
    finally:
        first.close()
        second.close()
    _check_searches(rum_url, {*range(1, 14), *range(101, 113), *range(201, 205)})


def test_an_ingest_in_small_batches_ends_with_rum(rum_url: str, pg_cluster: object,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest into the server, committed every 3 documents, defers RUM and
    ends with the same searches as an index built at once from its store."""
    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "3")
    with Store.open(rum_url) as store:
        summary = ingest([ROOT / "corpus"], store, jobs=1)
        assert not summary.failed and summary.fulltext_error is None
        assert len(summary.added) >= 10
        assert _indexes(rum_url) == RUM
        assert isinstance(pg_cluster, LocalCluster)
        once = pg_cluster.create_database(f"once_{os.getpid()}_{rum_url.rsplit('_', 1)[1]}")
        sync(store, once)  # built at once from the same store
    for query in ("Nghị quyết 57", '"chuyển đổi số"', "kinh tế tư nhân", "type:KH", "cites:57-NQ/TW",
                  '"khoa học, công nghệ" -Đảng'):
        a, b = search(rum_url, query, limit=100), search(once, query, limit=100)
        assert a.total == b.total and [h.doc for h in a.hits] == [h.doc for h in b.hits], query
        assert a.facets == b.facets, query


def test_rows_whose_words_the_workers_made_are_the_rows_the_writer_makes(
        pg_url: str, pg_cluster: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest's worker processes make each text's words and vectors where
    they read it (indexer.text_preparer); the writer's rows are the ones it
    makes itself from the stored texts."""
    from docsearch import ingestion

    made: list[bool] = []
    row = pe._row

    def noted(doc: IndexDoc, pairs_indexed: bool = True) -> tuple[object, ...]:
        made.append(isinstance(doc.prepared, pe.PreparedText))
        return row(doc, pairs_indexed)

    monkeypatch.setattr(pe, "_row", noted)
    monkeypatch.setattr(ingestion, "_small", lambda todo: False)  # worker processes even for a few files
    assert isinstance(pg_cluster, LocalCluster)
    alone = pg_cluster.create_database(f"alone_{os.getpid()}_{pg_url.rsplit('_', 1)[1]}")
    for url, jobs in ((pg_url, 2), (alone, 1)):
        with Store.open(url) as store:
            summary = ingest([ROOT / "corpus"], store, jobs=jobs)
            assert not summary.failed and summary.fulltext_error is None
    half = len(made) // 2  # the rows of the first ingest, then of the second
    assert half >= 40 and all(made[:half]) and not any(made[half:])

    def rows(url: str) -> list[tuple[object, ...]]:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT meta->>'path', body, tsv::text, pairs::text, runs::text, title_words::text,"
                                " tsv_en::text, tsv_de::text FROM fulltext ORDER BY 1").fetchall()

    assert rows(pg_url) == rows(alone)
