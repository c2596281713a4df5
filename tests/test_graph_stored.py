"""The graph's stored resolution: kept up to date step by step, it equals a
full resolution of the same store, and queries reading it answer what
resolving in Python answers; on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docsearch.graph import cites, coverage, coverage_matrix, describe, implements, resolve, stored
from docsearch.graph.assemble import Dates
from docsearch.graph.resolve import Resolver, forget_resolved
from docsearch.graph.stored import FULL_ABOVE, is_current, settle
from docsearch.i18n import Sayable, translator
from docsearch.ingestion import FileJob, import_registry, ingest, process_file
from docsearch.refs.tagger import default_knowledge
from docsearch.store import DocumentRecord, Store, WrittenTags
from test_graph import HEADER, TEXTS

from conftest import ROOT, site_files


@pytest.fixture(params=["folder", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An index location: a folder, or a new database on the test server."""
    if request.param == "folder":
        return str(tmp_path / "index")
    return str(request.getfixturevalue("pg_url"))


def _corpus(folder: Path, *parts: str) -> Path:
    """A copy of these folders of corpus/ in ``folder``, to ingest and change."""
    for part in parts:
        shutil.copytree(ROOT / "corpus" / part, folder / part)
    return folder


def _write(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(TEXTS[name], "utf-8")


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The stored resolution, with texts named by path (doc_ids differ between stores)."""
    paths = store.paths()
    edges = sorted((paths[r[0]], *r[1:]) for r in store._tuples(
        "SELECT doc_id, source, target, type, evidence_start, evidence_end, target_date, source_key, target_key,"
        " page, path, source_id, source_date, source_issuer, source_issuer_source, source_issuer_code"
        " FROM graph_edges"))
    # Each relation's copy of its source node's grouping values is that node's.
    copied = store._tuples(
        "SELECT g.source_key, g.source_id, g.source_date, g.source_issuer, g.source_issuer_source,"
        " g.source_issuer_code, n.id, n.date, n.issuer, n.issuer_source, n.issuer_code FROM graph_edges g"
        " LEFT JOIN graph_nodes n ON n.key = g.source_key")
    assert all(r[1:6] == r[6:] for r in copied), [r for r in copied if r[1:6] != r[6:]][:3]
    nodes = []
    for r in store._tuples("SELECT key, id, type, issuer_code, level, issuer, issuer_source, date, date_source,"
                           " title, place, status, doc_ids, paths, ambiguous, candidates FROM graph_nodes"):
        texts = [paths[int(d)] for d in r[12].split(",")] if r[12] else []
        assert json.loads(r[13]) == texts
        nodes.append((*r[:12], texts, r[14], r[15]))
    texts = sorted((paths[d], i) for d, i in store._tuples("SELECT doc_id, id FROM graph_texts"))
    ids = sorted(store._tuples("SELECT id FROM graph_ids"))
    bodies = sorted((paths[d], a, b) for d, a, b in store._tuples("SELECT doc_id, issuer, issuer_code FROM graph_bodies"))
    citations = sorted((paths[r[0]], *r[1:]) for r in store._tuples(
        "SELECT doc_id, ord, ref_id, key, start, page, date, issuer FROM graph_citations"))
    return {"edges": edges, "nodes": sorted(nodes, key=repr), "texts": texts, "ids": ids, "bodies": bodies,
            "citations": citations}


def _signatures(store: Store) -> list[tuple[Any, ...]]:
    # Signatures name texts by doc_id: compared within one store only.
    return sorted(store._tuples("SELECT id, signature FROM graph_ids"))


def _answers(store: Store, *, stored: bool) -> list[object]:
    """What the queries answer, with a resolver that reads the stored
    resolution or one that resolves everything itself."""
    forget_resolved()
    res = Resolver(store, shared=False, stored=stored)
    assert res.uses_stored() is stored
    resolve.USE_STORED = stored  # committees() reads the recorded bodies too
    try:
        return _queries(store, res)
    finally:
        resolve.USE_STORED = True


def _queries(store: Store, res: Resolver) -> list[object]:
    out: list[object] = []
    matrix = coverage_matrix(store, resolver=res)
    out.append(matrix.to_json())
    keys = sorted({c.key for c in matrix.columns} | {k for e in _all_keys(store) for k in e})
    for key in keys:
        try:
            node = res.node(key)
        except Exception as exc:  # noqa: BLE001 - the same failure on both paths is the same answer
            out.append((key, type(exc).__name__))
            continue
        out.append(node.to_json())
        out.append(implements(store, node, depth=2, resolver=res).to_json())
        out.append(cites(store, node, resolver=res).to_json())
        out.append(describe(store, node, resolver=res).to_json())
        if node.level == "central" and not node.ambiguous:
            out.append(coverage(store, node, resolver=res).to_json())
    return out


def _all_keys(store: Store) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in store._tuples("SELECT source_key, target_key FROM graph_edges")]


def _check(store: Store) -> None:
    """The store's resolution is current, equals a full one, and answers as Python does."""
    assert is_current(store)
    stepwise = _tables(store)
    signatures = _signatures(store)
    assert stepwise["edges"], "nothing was resolved"
    assert stepwise["citations"], "no citation was resolved"
    assert _answers(store, stored=True) == _answers(store, stored=False)
    report = settle(store, full=True)
    assert report is not None and report.full
    assert _tables(store) == stepwise
    assert _signatures(store) == signatures


def test_ingest_in_steps_equals_at_once(where: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus" / "central", docs / "central")
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        _check(store)
        shutil.copytree(ROOT / "corpus" / "nghe-an", docs / "nghe-an")
        shutil.copytree(ROOT / "corpus" / "quang-ninh", docs / "quang-ninh")
        assert ingest([docs], store, jobs=1).ok
        _check(store)
        steps = _tables(store)
    with Store.open(tmp_path / "at-once") as other:
        assert ingest([docs], other, jobs=1).ok
        assert _tables(other) == steps


@pytest.mark.parametrize("part_ids", [None, 1])
def test_batches_of_one_document_equal_a_full_resolution(where: str, tmp_path: Path, part_ids: int | None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "1")
    if part_ids is not None:  # the mentions of changed ids weighed one id at a time
        monkeypatch.setattr(stored, "PART_IDS", part_ids)
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus" / "central", docs / "central")
    shutil.copytree(ROOT / "corpus" / "nghe-an", docs / "nghe-an")
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        _check(store)


def test_a_namesake_arriving_later_moves_the_edges_it_makes_ambiguous(where: str, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    _write(texts, [n for n in TEXTS if n != "na-05.txt"])
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        _check(store)
        # Only Quảng Ninh's 05-CTr/TU is known: the news item's mention is it.
        news = [e for e in cites(store, "05-CTr/TU").citing if e.node.id == "11-KH/HU"]
        assert news
        _write(texts, ["na-05.txt"])
        assert ingest([texts], store, jobs=1).ok
        _check(store)
        forget_resolved()
        assert Resolver(store).uses_stored()
        # Now two provinces have one: nothing tells which the news means.
        marker = describe(store, "05-CTr/TU@?")
        assert [lk.node.id for lk in marker.incoming] == ["11-KH/HU"]
        assert "07-KH/HU" in {i.node.id for i in implements(store, "05-CTr/TU 2025").implementers}
        # And when it goes again, so does the doubt.
        (texts / "na-05.txt").unlink()
        assert ingest([texts], store, jobs=1).ok
        _check(store)
        forget_resolved()
        assert [e.node.id for e in cites(store, "05-CTr/TU").citing if e.node.id == "11-KH/HU"] == ["11-KH/HU"]


def test_deleting_and_rewriting_texts_equals_a_full_resolution(where: str, tmp_path: Path) -> None:
    docs = _corpus(tmp_path / "docs", "central", "nghe-an", "bac-ninh")
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        shutil.rmtree(docs / "bac-ninh")
        # A district plan now says it implements 66-NQ/TW instead of 57-NQ/TW.
        plan = docs / "nghe-an" / "kh-187-hu-nam-dan-2025.txt"
        plan.write_text(plan.read_text("utf-8").replace("57-NQ/TW", "66-NQ/TW"), "utf-8")
        summary = ingest([docs], store, jobs=1)
        assert summary.ok and summary.removed and summary.updated
        _check(store)


def test_a_text_that_moves_to_its_copy_is_shown_there(where: str, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    (texts / "zz-qn-05-copy.txt").write_text(TEXTS["qn-05.txt"], "utf-8")
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        (texts / "qn-05.txt").unlink()  # the document keeps its other path
        assert ingest([texts], store, jobs=1).ok
        _check(store)
        forget_resolved()
        node = Resolver(store).resolve_query("05-CTr/TU 2025")
        assert [Path(p).name for p in node.paths] == ["zz-qn-05-copy.txt"]
        assert {Path(e.edge.path).name for e in cites(store, node).citing if e.node.id == "05-CTr/TU"} <= {
            "zz-qn-05-copy.txt"}


def test_a_registry_entry_is_followed(where: str, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        registry = tmp_path / "registry.csv"
        # A second 18-NQ/TW the texts never name, and a title for 57-NQ/TW.
        registry.write_text("number,type,issuer,date,title,status,replaced_by\n"
                            "18-NQ/TW,NQ,Ban Chấp hành Trung ương,2012-01-16,Nghị quyết khác,,\n"
                            "57-NQ/TW,NQ,Bộ Chính trị,2024-12-22,về đột phá phát triển khoa học,,\n", "utf-8")
        import_registry(store, registry)
        _check(store)
        forget_resolved()
        node = Resolver(store).resolve_query("57-NQ/TW")
        assert node.title == "về đột phá phát triển khoa học" and node.issuer_source == "registry"


def test_a_store_not_resolved_or_resolved_otherwise_is_answered_in_python(where: str, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        expected = _answers(store, stored=False)
        # Written without an ingest: pending until the next settle.
        doc = store.document(store.doc_ids()[0])
        store.save_document(path=doc.path + ".copy.txt", sha256="0" * 64, size=1, mtime_ns=1, format="txt",
                            lang="vi", title=None, encoding="utf-8", text=doc.text, page_starts=[0], warnings=[],
                            tags=None)
        assert store.graph_pending() and not is_current(store)
        assert not Resolver(store).uses_stored()
        store.remove([doc.path + ".copy.txt"])
        settle(store)
        assert is_current(store)
        # A resolution recorded by another version is not read.
        with store.transaction():
            store.set_graph_state("0:other")
        assert not is_current(store)
        assert _answers(store, stored=False) == expected
        report = settle(store)
        assert report is not None and report.full
        _check(store)


def test_many_texts_at_once_are_resolved_in_full(store: Store, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docsearch.graph.stored.FULL_ABOVE", 2)
    assert FULL_ABOVE > 2
    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    assert ingest([texts], store, jobs=1).ok
    assert is_current(store)
    _check(store)


def test_a_migrated_index_is_resolved_in_the_target(tmp_path: Path, pg_url: str) -> None:
    from docsearch.migrate import copy_index

    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    with Store.open(tmp_path / "index") as store:
        assert ingest([texts], store, jobs=1).ok
        folder = _tables(store)
    copy_index(str(tmp_path / "index"), pg_url, fulltext=False)
    with Store.open(pg_url) as server:
        assert is_current(server)
        assert _tables(server) == folder


def _pages(where: str, keys: list[str], *, stored: bool) -> list[tuple[str, int, str]]:
    """Every document page and its JSON twins, from a new application that
    reads the stored resolution or resolves everything itself."""
    from starlette.testclient import TestClient

    from docsearch.web import WebConfig, create_app

    forget_resolved()
    resolve.USE_STORED = stored
    with Store.open(where) as store:
        assert Resolver(store).uses_stored() is stored
    out = []
    try:
        with TestClient(create_app(WebConfig(index_dir=where))) as client:
            for key in keys:
                for url in (f"/documents/{key}", f"/documents/{key}?lang=en", f"/api/documents/{key}",
                            f"/api/cites?doc={key}"):
                    r = client.get(url)
                    out.append((url, r.status_code, r.text))
    finally:
        resolve.USE_STORED = True
    return out


@pytest.mark.parametrize("small", [False, True], ids=["page", "cut short"])
def test_document_pages_read_from_the_stored_resolution_are_the_same(
        where: str, tmp_path: Path, small: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.site import svg
    from docsearch.web import document

    if small:
        # Pages listing one or two rows of each kind: what a central document's page cuts, on a small corpus.
        monkeypatch.setattr(document, "IMPLEMENTER_ROWS", 2)
        monkeypatch.setattr(document, "GROUP_ROWS", 1)
        monkeypatch.setattr(document, "FACT_SOURCES", 1)
        monkeypatch.setattr(document, "DETAILED_ROWS", 1)
        monkeypatch.setattr(document, "MORE_ROWS", 1)
        monkeypatch.setattr(document, "MENTION_ROWS", 1)
        monkeypatch.setattr(svg, "TIMELINE_ROWS", 1)
    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    docs = _corpus(tmp_path / "docs", "central", "nghe-an", "quang-ninh")
    with Store.open(where) as store:
        assert ingest([texts, docs], store, jobs=1).ok
        assert is_current(store)
        keys = sorted({k for pair in _all_keys(store) for k in pair})
    assert len(keys) > 20
    stored = _pages(where, keys, stored=True)
    assert stored == _pages(where, keys, stored=False)
    assert sum(1 for _, status, _ in stored if status == 200) > len(keys) * 3


def test_a_pages_implementers_summary_equals_the_one_made_from_the_full_list(where: str, tmp_path: Path) -> None:
    # The page groups each source's stored values itself; whatever it cuts
    # (rows per issuer, rows listed, issuers drawn), it gives the summary of
    # the whole list of implementers.
    from docsearch.graph.query import implementation_summary, implementer_summaries, summarise_implementers

    docs = _corpus(tmp_path / "docs", "central", "nghe-an", "quang-ninh")
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        res = Resolver(store, shared=False)
        assert res.uses_stored()
        targets = sorted({k for _, k in _all_keys(store)})
        seen = 0
        for key in targets:
            node = res.node(key)
            every = implementer_summaries(store, node, resolver=res)
            for rows, listed, drawn in ((1, 1, 1), (2, 3, 2), (10, 300, 30)):
                got = implementation_summary(store, node, rows=rows, listed=listed, drawn=drawn, resolver=res)
                assert got == summarise_implementers(node, every, rows=rows, listed=listed, drawn=drawn), key
                seen += got.count > 1 and len(got.groups) > 1
        assert seen, "some target has implementers of several issuers"


def test_the_site_read_from_the_stored_resolution_is_the_same(where: str, tmp_path: Path) -> None:
    from docsearch.site.build import build_site

    docs = _corpus(tmp_path / "docs", "central", "nghe-an", "quang-ninh", "news")
    _write(tmp_path / "texts", list(TEXTS))
    with Store.open(where) as store:
        assert ingest([docs, tmp_path / "texts"], store, jobs=1).ok
        sites = {}
        for stored in (True, False):
            forget_resolved()
            resolve.USE_STORED = stored
            try:
                assert Resolver(store, shared=False).uses_stored() is stored
                build_site(store, tmp_path / f"site-{stored}", jobs=1)
            finally:
                resolve.USE_STORED = True
            sites[stored] = site_files(tmp_path / f"site-{stored}")
    assert len(sites[True]) > 50
    assert sites[True] == sites[False]


def test_a_resolution_stored_before_the_citations_is_made_again_in_full(tmp_path: Path) -> None:
    import sqlite3

    from docsearch.store import MIGRATIONS, SCHEMA_VERSION

    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    with Store.open(tmp_path / "index") as store:
        assert ingest([texts], store, jobs=1).ok
        expected = _tables(store)
        mark = store.graph_state()
    # The store as the version before wrote it: no graph_citations, its resolution marked current.
    conn = sqlite3.connect(tmp_path / "index" / "docsearch.sqlite")
    conn.execute("DROP TABLE graph_citations")
    conn.execute("DROP TABLE graph_bases")
    conn.execute("DROP INDEX graph_edges_target_key")
    conn.execute("DROP INDEX documents_files")
    for column in _SOURCE_COLUMNS:
        conn.execute(f"ALTER TABLE graph_edges DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 8")
    conn.execute("INSERT OR REPLACE INTO graph_state (name, value) VALUES ('resolution', ?)", (mark,))
    conn.commit()
    conn.close()
    assert "CREATE TABLE graph_citations" in MIGRATIONS[8]
    with Store.open(tmp_path / "index") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert not is_current(store)  # read in Python until it is resolved again
        assert _answers(store, stored=False)
        report = settle(store)
        assert report is not None and report.full
        assert _tables(store) == expected
        _check(store)


def _upgraded_in_place(where: str, tmp_path: Path, take_back: Callable[[Store], None], sqlite_version: int,
                       server_version: int) -> tuple[Path, dict[str, Any]]:
    """Ingest TEXTS, take the store back to an older schema with ``take_back``
    (SQLite's ``sqlite_version``, the server's ``server_version``), open it
    again and check that the upgrade filled everything in place: the store
    is current, its tables and pages are those a resolution made now writes
    and nothing is left to settle. The texts' folder and those tables."""
    from docsearch.store import SCHEMA_VERSION, SERVER_SCHEMA_VERSION

    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        expected = _tables(store)
        keys = [k for k, _ in _all_keys(store)]
        before = _pages(where, keys, stored=True)
        with store.transaction():
            take_back(store)
            if store.server:
                store.conn.execute(f"DELETE FROM docsearch_schema WHERE version > {server_version}")
            else:
                # Nor had such a store the index of the files' states (schema 13).
                store.conn.execute("DROP INDEX documents_files")
                store.conn.execute(f"PRAGMA user_version = {sqlite_version}")
    with Store.open(where) as store:
        assert store.schema_version == (SERVER_SCHEMA_VERSION if store.server else SCHEMA_VERSION)
        assert is_current(store)
        assert _tables(store) == expected
        assert settle(store) is None  # nothing left to resolve
    assert _pages(where, keys, stored=True) == before
    return texts, expected


def test_citations_stored_before_what_they_say_are_filled_in_place(where: str, tmp_path: Path) -> None:
    # A store at schema 9 (the server's 4): its resolved citations without
    # the date and body each gives. The upgrade fills them from refs and
    # keeps the resolution current (nothing is resolved again).
    def take_back(store: Store) -> None:
        _undo_source_columns(store)
        for index in ("graph_citations_dates", "graph_citations_issuers"):
            store.conn.execute(f"DROP INDEX {index}")
        for column in ("date", "issuer"):
            store.conn.execute(f"ALTER TABLE graph_citations DROP COLUMN {column}")

    _, expected = _upgraded_in_place(where, tmp_path, take_back, 9, 4)
    assert any(c[6] is not None for c in expected["citations"]), "some citations give a date"


_SOURCE_COLUMNS = ("source_id", "source_date", "source_issuer", "source_issuer_source", "source_issuer_code")


def _undo_source_columns(store: Store) -> None:
    """Take the store's relations back to schema 10: no copy of their source
    node's values, the index of the relations into a node without them, no
    bases of choices."""
    store.conn.execute("DROP TABLE graph_bases")
    store.conn.execute("DROP INDEX graph_edges_target_key")
    for column in _SOURCE_COLUMNS:
        store.conn.execute(f"ALTER TABLE graph_edges DROP COLUMN {column}")
    store.conn.execute("CREATE INDEX graph_edges_target_key ON graph_edges(target, target_key, type, source_key,"
                       " doc_id)")


def test_relations_stored_before_their_sources_values_are_filled_in_place(where: str, tmp_path: Path) -> None:
    # A store at schema 10 (the server's 5): its resolved relations without
    # their source node's values. The upgrade copies them from the stored
    # nodes and keeps the resolution current, and a later settle keeps them so.
    texts, expected = _upgraded_in_place(where, tmp_path, _undo_source_columns, 10, 5)
    assert any(e[12] is not None for e in expected["edges"]), "some sources are dated"
    assert any(e[13] is not None for e in expected["edges"]), "some sources name their issuer"
    # Texts arriving afterwards are followed as in a store made at this schema.
    more = tmp_path / "more"
    shutil.copytree(ROOT / "corpus" / "central", more / "central")
    with Store.open(where) as store:
        assert ingest([texts, more], store, jobs=1).ok
        _check(store)


def test_a_kept_matrix_read_by_another_thread_answers_the_same(where: str, tmp_path: Path) -> None:
    # The web application keeps a matrix per state of the store and reads
    # its cells from any request's thread; a cell's documents are read when
    # first asked for, here on a thread that did not make the matrix.
    import threading

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus", docs)
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        forget_resolved()
        expected = coverage_matrix(store, resolver=Resolver(store, shared=False, stored=False)).to_json()
        forget_resolved()
        matrix = coverage_matrix(store)
        assert matrix.cells
        seen: list[object] = []
        reader = threading.Thread(target=lambda: seen.append(matrix.to_json()))
        reader.start()
        reader.join()
        assert seen == [expected]


# --- random sequences: what a settle follows step by step equals a full resolution ------------

#: Documents with namesakes and the dates people cite them with: the exact
#: date, a slip of a few days in the same year (it points at that
#: candidate), and years nobody lists (a namesake known only from citations,
#: dated by the date cited most often in its year, which changes as texts come).
_CITED = {
    "05-CTr/TU": ("Chương trình hành động", ["10/3/2025", "12/3/2025", "12/8/2021", "14/8/2021", "02/5/2023"]),
    "18-NQ/TW": ("Nghị quyết", ["25/10/2017", "16/6/2022", "26/10/2017", "03/02/2012", "05/02/2012"]),
    "57-NQ/TW": ("Nghị quyết", ["22/12/2024", "23/12/2024"]),
    "13-KH/TU": ("Kế hoạch", ["03/3/2025", "04/3/2025", "11/11/2020", "20/11/2020", "02/12/2020"]),
}
_PLACES = [("TỈNH QUẢNG NINH", "Quảng Ninh"), ("TỈNH NGHỆ AN", "Nghệ An"), ("TỈNH BẮC NINH", "Bắc Ninh")]


def _generated(rng: Any, n: int, *, first: int = 100) -> dict[str, str]:
    """``n`` plans of districts citing the documents of :data:`_CITED`, some
    with a date beside the number, some with a year, some with nothing."""
    out: dict[str, str] = {}
    for k in range(n):
        body_place, place = rng.choice(_PLACES)
        cited = rng.sample(sorted(_CITED), 2)
        lines = []
        for j, doc_id in enumerate(cited):
            kind, dates = _CITED[doc_id]
            when = rng.choice(dates)
            form = rng.choice(["date", "date", "year", "bare"])
            beside = {"date": f", ngày {when}", "year": f" năm {when.rsplit('/', 1)[1]}", "bare": ""}[form]
            verb = "thực hiện" if j == 0 else rng.choice(["Căn cứ", "Tiếp tục triển khai", "Theo"])
            lines.append(f"{verb} {kind} số {doc_id}{beside} của cấp ủy.")
        # A meeting on a day someone cites: a date the text mentions names its document.
        every = sorted({when for _, dates in _CITED.values() for when in dates})
        lines.append(f"Hội nghị ngày {rng.choice(every)} đã thảo luận.")
        # Dated a few days from a date people cite, or any day: a cited
        # document is not later than the text citing it.
        day, month, year = rng.choice(every).split("/")
        own = datetime.date(int(year), int(month), int(day)) + datetime.timedelta(days=rng.randint(-12, 12))
        if rng.random() < 0.4:
            own = datetime.date(rng.choice([2012, 2019, 2020, 2022, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28))
        out[f"gen-{first + k:03d}.txt"] = HEADER.format(
            body_place=body_place, body=f"HUYỆN ỦY {rng.choice(['A', 'B', 'C'])}", number=f"{first + k}-KH/HU",
            place=place, day=str(own.day), month=str(own.month), year=str(own.year),
            kind="KẾ HOẠCH", title=lines[0]) + "\n" + "\n".join(lines[1:]) + "\n"
    return out


def _equals_full(store: Store) -> None:
    """The stored resolution is current and equals a full one, row for row."""
    assert is_current(store)
    stepwise, signatures = _tables(store), _signatures(store)
    report = settle(store, full=True)
    assert report is not None and report.full
    assert _tables(store) == stepwise
    assert _signatures(store) == signatures


def _kept(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    """Every result but None of ``graph.stored.<name>`` from now on, in call
    order (the function itself still runs and answers as before)."""
    from docsearch.graph import stored

    real = getattr(stored, name)
    kept: list[Any] = []

    def keep(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        if found is not None:
            kept.append(found)
        return found

    monkeypatch.setattr(stored, name, keep)
    return kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_orders_removals_and_registry_edits_equal_a_full_resolution(
        where: str, tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import random


    rng = random.Random(seed)
    pool = {name: text.encode("utf-8") for name, text in [*TEXTS.items(), *_generated(rng, 32).items()]}
    for part in ("central", "quang-ninh", "nghe-an"):
        for path in sorted((ROOT / "corpus" / part).glob("*.txt")):
            pool[f"corpus-{path.name}"] = path.read_bytes()  # some in UTF-16 or an old encoding
    names = sorted(pool)
    rng.shuffle(names)
    texts = tmp_path / "texts"
    texts.mkdir()
    reports = _kept(monkeypatch, "settle")
    shifts = _kept(monkeypatch, "_shift")
    registry = tmp_path / "registry.csv"
    with Store.open(where) as store:
        for step in range(6):
            monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", str(rng.randint(1, 5)))
            for name in names[step * 9:(step + 1) * 9]:
                (texts / name).write_bytes(pool[name])
            present = sorted(p.name for p in texts.iterdir())
            if step >= 2:
                for name in rng.sample(present, 2):
                    (texts / name).unlink()  # removed
                name = rng.choice(sorted(p.name for p in texts.iterdir() if p.name.startswith("gen-")))
                # Rewritten: a date cited in it moves to another one of its document's.
                text = (texts / name).read_text("utf-8")
                for _kind, dates in _CITED.values():
                    for when in dates:
                        if when in text:
                            text = text.replace(when, rng.choice(dates))
                            break
                (texts / name).write_text(text, "utf-8")
            assert ingest([texts], store, jobs=1).ok
            _equals_full(store)
            if step in (1, 4):
                doc_id = rng.choice(sorted(_CITED))
                day = rng.choice(_CITED[doc_id][1]).split("/")
                registry.write_text(
                    "number,type,issuer,date,title,status,replaced_by\n"
                    f"{doc_id},,Tỉnh ủy Cao Bằng,{day[2]}-{int(day[1]):02d}-{int(day[0]):02d},Văn bản {step},,\n",
                    "utf-8")
                import_registry(store, registry)
                _equals_full(store)
    # The settles followed some ids only for the dates that changed.
    assert any(not r.full and r.dated for r in reports)
    # And gave some mentions of ids whose candidates changed their key in place.
    assert any(not r.full and r.placed for r in reports)
    # And some candidates known from citations only were renamed in place.
    assert shifts


def test_a_namesake_known_from_citations_that_changes_its_date_is_followed(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    def citing(n: int, when: str) -> str:
        return HEADER.format(body_place="TỈNH BẮC NINH", body="HUYỆN ỦY A", number=f"{n}-KH/HU", place="Bắc Ninh",
                             day="01", month="6", year="2026", kind="KẾ HOẠCH",
                             title=f"thực hiện Kế hoạch số 13-KH/TU, ngày {when} của Ban Thường vụ Tỉnh ủy")

    texts = tmp_path / "texts"
    _write(texts, ["bn-13.txt"])
    (texts / "a.txt").write_text(citing(31, "11/11/2020"), "utf-8")
    # Dated between the two days the 2020 namesake will carry: only the first is not later than it.
    (texts / "x.txt").write_text(HEADER.format(
        body_place="TỈNH BẮC NINH", body="HUYỆN ỦY B", number="32-KH/HU", place="Bắc Ninh", day="15", month="11",
        year="2020", kind="KẾ HOẠCH", title="thực hiện Kế hoạch số 13-KH/TU của Ban Thường vụ Tỉnh ủy"), "utf-8")
    # Undated, mentioning the day the namesake will carry.
    (texts / "y.txt").write_text("Tin tổng hợp\n\nHội nghị ngày 20/11/2020 đã thảo luận. Huyện ủy đã ban hành "
                                 "Kế hoạch số 33-KH/HU thực hiện Kế hoạch số 13-KH/TU.\n", "utf-8")
    shifts = _kept(monkeypatch, "_shift")
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        before = {k for pair in _all_keys(store) for k in pair}
        assert "13-KH/TU@2020-11-11" in before
        # Cited twice with another day of 2020: the namesake takes that day.
        (texts / "b.txt").write_text(citing(34, "20/11/2020"), "utf-8")
        (texts / "c.txt").write_text(citing(35, "20/11/2020"), "utf-8")
        assert ingest([texts], store, jobs=1).ok
        assert shifts
        _equals_full(store)
        after = {k for pair in _all_keys(store) for k in pair}
        assert "13-KH/TU@2020-11-20" in after and "13-KH/TU@2020-11-11" not in after


def test_a_mention_whose_date_picks_a_candidate_keeps_it_when_another_candidate_moves(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.graph import stored

    def plan(n: int, day: str, cited: str) -> str:
        return HEADER.format(body_place="TỈNH BẮC NINH", body="HUYỆN ỦY A", number=f"{n}-KH/HU", place="Bắc Ninh",
                             day=day, month="11", year="2020", kind="KẾ HOẠCH",
                             title=f"thực hiện Kế hoạch số 13-KH/TU{cited} của Ban Thường vụ Tỉnh ủy")

    texts = tmp_path / "texts"
    _write(texts, ["bn-13.txt"])  # 13-KH/TU of 3 March 2025
    (texts / "a.txt").write_text(plan(31, "12", ", ngày 11/11/2020"), "utf-8")
    # Dated between the two days the namesake of 2020 (known from citations
    # only) will carry: one mention gives the date of the 2025 document, one none.
    (texts / "x.txt").write_text(plan(32, "15", ", ngày 03/3/2025"), "utf-8")
    (texts / "y.txt").write_text(plan(33, "16", ""), "utf-8")
    touched = _kept(monkeypatch, "_touched")
    resolved: list[Any] = []
    real = stored._write_edges
    monkeypatch.setattr(stored, "_write_edges", lambda s, res, rows: resolved.extend(rows) or real(s, res, rows))
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        x, y = (store.conn.execute("SELECT doc_id FROM documents WHERE path LIKE ?", (f"%{name}",)).fetchone()[0]
                for name in ("x.txt", "y.txt"))
        # Cited twice with another day of 2020: the namesake takes that day.
        (texts / "b.txt").write_text(plan(34, "20", ", ngày 20/11/2020"), "utf-8")
        (texts / "c.txt").write_text(plan(35, "21", ", ngày 20/11/2020"), "utf-8")
        touched.clear()
        resolved.clear()
        assert ingest([texts], store, jobs=1).ok
        assert {(x, "13-KH/TU"), (y, "13-KH/TU")} <= set().union(*touched)
        # The undated mention is resolved again; the one whose date picks the 2025 document keeps its key.
        again = {r.doc_id for r in resolved if r.target == "13-KH/TU"}
        assert y in again and x not in again
        _equals_full(store)
        keys = {k for pair in _all_keys(store) for k in pair}
        assert "13-KH/TU@2020-11-20" in keys and "13-KH/TU@2025-03-03" in keys


def test_a_source_keeps_its_key_when_its_target_moves_elsewhere_in_the_same_settle(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # News name two districts' 33-KH/HU (the place around the mention picks
    # Bắc Ninh's) carrying out 13-KH/TU. In one ingest a third 33-KH/HU
    # arrives (every source mention of it is weighed again) and the namesake
    # of 2020 known from citations moves to another day. The text whose
    # date picks the 2025 document keeps its relation as stored; the one
    # mentioning the day the namesake moves to is resolved again, and now
    # means that namesake.
    from docsearch.graph import stored

    def plan(name: str, body: str, place: str, day: str, month: str, year: str) -> str:
        return HEADER.format(body_place=f"TỈNH {place.upper()}", body=body, number="33-KH/HU", place=place,
                             day=day, month=month, year=year, kind="KẾ HOẠCH", title=f"về công tác {name}")

    def news(before: str, beside: str) -> str:
        return (f"Tin tổng hợp\n\n{before}Huyện ủy A tỉnh Bắc Ninh đã ban hành Kế hoạch số 33-KH/HU "
                f"thực hiện Kế hoạch số 13-KH/TU{beside}.\n")

    texts = tmp_path / "texts"
    _write(texts, ["bn-13.txt"])  # 13-KH/TU of 3 March 2025
    (texts / "bn-33.txt").write_text(plan("dân vận", "HUYỆN ỦY A", "Bắc Ninh", "05", "1", "2021"), "utf-8")
    (texts / "qn-33.txt").write_text(plan("tuyên giáo", "HUYỆN ỦY B", "Quảng Ninh", "06", "2", "2022"), "utf-8")
    (texts / "a.txt").write_text(_citing_thirteen(31, ", ngày 11/11/2020"), "utf-8")
    (texts / "kept.txt").write_text(news("", ", ngày 03/3/2025"), "utf-8")
    (texts / "near.txt").write_text(news("Hội nghị ngày 20/11/2020 đã thảo luận. ", ""), "utf-8")
    resolved: list[Any] = []
    real = stored._write_edges
    monkeypatch.setattr(stored, "_write_edges", lambda s, res, rows: resolved.extend(rows) or real(s, res, rows))
    shifts = _kept(monkeypatch, "_shift")
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        paths = {p.rsplit("/", 1)[-1]: d for d, p in store.paths().items()}
        before = dict(store._tuples("SELECT doc_id, target_key FROM graph_edges WHERE source = '33-KH/HU'"))
        assert before[paths["near.txt"]] == before[paths["kept.txt"]] == "13-KH/TU@2025-03-03"
        (texts / "na-33.txt").write_text(plan("kiểm tra", "HUYỆN ỦY C", "Nghệ An", "07", "3", "2023"), "utf-8")
        for n, name in ((34, "b.txt"), (35, "c.txt")):
            (texts / name).write_text(_citing_thirteen(n, ", ngày 20/11/2020"), "utf-8")
        resolved.clear()
        assert ingest([texts], store, jobs=1).ok
        assert shifts
        again = {r.doc_id for r in resolved if r.source == "33-KH/HU"}
        assert paths["near.txt"] in again and paths["kept.txt"] not in again
        _equals_full(store)
        after = dict(store._tuples("SELECT doc_id, target_key FROM graph_edges WHERE source = '33-KH/HU'"))
        assert after[paths["near.txt"]] == "13-KH/TU@2020-11-20"
        assert after[paths["kept.txt"]] == "13-KH/TU@2025-03-03"


def test_a_namesake_arriving_gives_mentions_their_date_picks_the_new_key_in_place(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    def citing(n: int, beside: str, *, number: str = "13-KH/TU") -> str:
        return HEADER.format(body_place="TỈNH BẮC NINH", body="HUYỆN ỦY A", number=f"{n}-KH/HU", place="Bắc Ninh",
                             day="01", month="6", year="2026", kind="KẾ HOẠCH",
                             title=f"thực hiện Kế hoạch số {number}{beside} của Ban Thường vụ Tỉnh ủy")

    reports = _kept(monkeypatch, "settle")
    texts = tmp_path / "texts"
    # 13-KH/TU of Bắc Ninh (itself implementing 12-KH/TU), cited with its
    # date, with the date of the namesake to come, with a year, with nothing.
    _write(texts, ["bn-13.txt"])
    (texts / "a.txt").write_text(citing(41, ", ngày 03/3/2025"), "utf-8")
    (texts / "b.txt").write_text(citing(42, ", ngày 11/11/2020"), "utf-8")
    (texts / "c.txt").write_text(citing(43, " năm 2025"), "utf-8")
    (texts / "d.txt").write_text(citing(44, ""), "utf-8")
    # Its own number beside its own: the two ends of a relation may come to be one document.
    (texts / "e.txt").write_text(HEADER.format(
        body_place="TỈNH BẮC NINH", body="TỈNH ỦY", number="13-KH/TU", place="Bắc Ninh", day="04", month="3",
        year="2025", kind="KẾ HOẠCH", title="thực hiện Kế hoạch số 13-KH/TU, ngày 11/11/2020 của Tỉnh ủy"), "utf-8")
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        # A namesake of 2020 arrives: the mentions of 3 March 2025 now say
        # 13-KH/TU@2025-03-03, given in place, the others are resolved again.
        (texts / "qn-13.txt").write_text(HEADER.format(
            body_place="TỈNH QUẢNG NINH", body="TỈNH ỦY", number="13-KH/TU", place="Quảng Ninh", day="11",
            month="11", year="2020", kind="KẾ HOẠCH", title="thực hiện Nghị quyết số 57-NQ/TW"), "utf-8")
        reports.clear()
        assert ingest([texts], store, jobs=1).ok
        assert any(not r.full and r.placed for r in reports), reports
        _equals_full(store)
        keys = {k for pair in _all_keys(store) for k in pair}
        assert "13-KH/TU@2025-03-03" in keys and "13-KH/TU@2020-11-11" in keys
        # A third, and the first goes again: still the same as a full resolution.
        (texts / "na-13.txt").write_text(HEADER.format(
            body_place="TỈNH NGHỆ AN", body="TỈNH ỦY", number="13-KH/TU", place="Nghệ An", day="02",
            month="12", year="2020", kind="KẾ HOẠCH", title="thực hiện Nghị quyết số 57-NQ/TW"), "utf-8")
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        (texts / "qn-13.txt").unlink()
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        (texts / "na-13.txt").unlink()
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)


def test_what_a_batch_hands_the_settle_equals_what_the_store_reads(where: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The settle after each batch takes the texts' dates, citation hints,
    # citations and relations from the rows just written instead of reading
    # them back: the same values.
    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "7")
    handed: list[WrittenTags] = []
    save = Store.save_documents

    def keep(self: Store, records: Any, **kw: Any) -> list[int]:
        ids = save(self, records, **kw)
        if kw.get("written") is not None:
            handed.append(kw["written"])
        return ids

    monkeypatch.setattr(Store, "save_documents", keep)
    with Store.open(where) as store:
        assert ingest([ROOT / "corpus"], store, jobs=1).ok
        _check(store)
        assert len(handed) > 3
        docs = {d for w in handed for d in w.docs}
        assert docs == set(store.doc_ids())
        stored_dates = store.text_dates(docs)
        pairs = {(d, r.ref_id) for r in store.citations_to_resolve(docs) for d in [r.doc_id]}
        stored_hints = store.citation_hints_of(pairs)
        for w in handed:
            assert {d: w.dates.get(d, []) for d in w.docs} == {d: stored_dates.get(d, []) for d in w.docs}
            assert w.hints == {p: h for p, h in stored_hints.items() if p[0] in w.docs}
            # Citations and relations, of the batch's texts alone and mixed with others read back.
            assert w.citations_of(store, w.docs) == store.citations_to_resolve(w.docs)
            assert w.relations_of(store, w.docs) == store.relations_of(w.docs)
            mixed = set(list(docs - w.docs)[:5]) | set(list(w.docs)[:3])
            assert w.citations_of(store, mixed) == store.citations_to_resolve(mixed)
            assert w.relations_of(store, mixed) == store.relations_of(mixed)
        assert any(w.hints for w in handed) and any(w.dates for w in handed)
        assert any(w.citations for w in handed) and any(w.relation_rows for w in handed)


@pytest.mark.parametrize("most", [10, 10_000])
def test_settles_put_off_over_several_batches_equal_a_full_resolution(where: str, most: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Once a settle takes long against the time since the last one, the
    # ingest settles the texts of several batches at once, handing the
    # settle what all of them wrote: the resolution is the same, and what
    # was handed is what the store holds.
    import docsearch.ingestion as ingestion

    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "3")
    monkeypatch.setattr(ingestion, "SETTLE_AFTER", 1e9)  # every settle after the first is put off...
    monkeypatch.setattr(ingestion, "SETTLE_MAX_TEXTS", most)  # ...until this many texts wait
    monkeypatch.setattr(stored, "PART_IDS", 2 if most == 10 else 10_000)
    handed: list[WrittenTags | None] = []
    settle_graph = ingestion.settle_graph

    def keep(store: Store, written: WrittenTags | None = None) -> None:
        handed.append(written)
        settle_graph(store, written)

    monkeypatch.setattr(ingestion, "settle_graph", keep)
    with Store.open(where) as store:
        summary = ingest([ROOT / "corpus"], store, jobs=1)
        assert summary.ok
        _check(store)
        held = [w for w in handed if w is not None]
        # The first batch alone, then at least `most` texts a settle (the
        # run's last settle takes what is left).
        assert len(held[0].docs) == 3
        assert all(most <= len(w.docs) < most + 3 for w in held[1:-1])
        if most > len(summary.added):
            assert len(held) == 2  # the first batch, then every other at the end
        else:
            assert len(held) > 2
        assert set().union(*(w.docs for w in held)) == set(store.doc_ids())
        for w in held:
            assert w.citations_of(store, w.docs) == store.citations_to_resolve(w.docs)
            assert w.relations_of(store, w.docs) == store.relations_of(w.docs)
            assert {d: w.dates.get(d, []) for d in w.docs} == {d: store.text_dates(w.docs).get(d, []) for d in w.docs}


def test_mentions_weighed_a_few_ids_at_a_time_equal_a_full_resolution(where: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Generated texts share their local numbers, so later settles find new
    # namesakes of many numbers at once, whose mentions are read and weighed
    # a part of the ids at a time; the texts whose relations may keep their
    # keys are read a few at a time, and mentions are resolved a few at a
    # time, each part's words and hints let go before the next.
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from synthetic import Generator

    docs = tmp_path / "docs"
    for doc in Generator(1).documents(1500):
        path = docs / doc.path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(doc.text, "utf-8")
    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "150")
    monkeypatch.setattr(stored, "PART_IDS", 2)
    split = []
    parts = stored._parts

    def count(pairs: set[tuple[str, str | None]]) -> Any:
        out = list(parts(pairs))
        split.append(len(out))
        return iter(out)

    monkeypatch.setattr(stored, "_parts", count)
    monkeypatch.setattr(stored, "TEXT_PART", 3)
    monkeypatch.setattr(stored, "MENTION_PART", 7)
    # The ids given their candidates and nodes a few at a time too.
    monkeypatch.setattr(stored, "IDS_PART", 3)
    monkeypatch.setattr(stored, "HEADERS_PART", 2)
    calls = Counter[str]()

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(stored, "_kept_ends_in", counted("kept ends", stored._kept_ends_in))
    monkeypatch.setattr(Resolver, "let_go_of_mentions", counted("let go", Resolver.let_go_of_mentions))
    id_parts: list[int] = []
    write_ids = stored._write_ids

    def write_some_ids(s: Store, res: Resolver, ids: Any, *args: Any) -> Any:
        id_parts.append(len(ids))
        return write_ids(s, res, ids, *args)

    monkeypatch.setattr(stored, "_write_ids", write_some_ids)
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        assert max(split) > 1
        assert calls["kept ends"] > 10 and calls["let go"] > 100
        assert max(id_parts) <= 3 and len(id_parts) > 100
        _equals_full(store)


def test_the_environment_can_ask_for_a_settle_after_every_batch(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import docsearch.ingestion as ingestion

    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "3")
    monkeypatch.setenv("DOCSEARCH_SETTLE_TEXTS", "1")
    monkeypatch.setattr(ingestion, "SETTLE_AFTER", 1e9)
    sizes: list[int] = []
    settle_graph = ingestion.settle_graph

    def keep(store: Store, written: WrittenTags | None = None) -> None:
        if written is not None:
            sizes.append(len(written.docs))
        settle_graph(store, written)

    monkeypatch.setattr(ingestion, "settle_graph", keep)
    with Store.open(tmp_path / "index") as store:
        summary = ingest([ROOT / "corpus" / "central", ROOT / "corpus" / "nghe-an"], store, jobs=1)
        assert summary.ok
        assert sizes and max(sizes) <= 3 and sum(sizes) == len(summary.added)
        _check(store)


def test_a_run_reading_as_many_files_as_the_store_holds_settles_once_at_its_end(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A first ingest of a corpus (or one that doubles it) settles the graph
    # once, in full, after its last batch; a run adding fewer files than the
    # store holds settles as it goes, as does any run when the environment
    # asks for settles of so many texts.
    import docsearch.ingestion as ingestion

    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "3")
    monkeypatch.setattr(ingestion, "SETTLE_AT_END_FROM", 5)
    reports = _kept(monkeypatch, "settle")
    texts = tmp_path / "texts"
    texts.mkdir()
    corpus = sorted((ROOT / "corpus").glob("*/*.txt"))
    first, later = corpus[:-4], corpus[-4:]
    for path in first:
        shutil.copy(path, texts / f"{path.parent.name}-{path.name}")
    stages: list[Sayable] = []
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1, stage=stages.append).ok
        assert [(r.full, r.texts) for r in reports] == [(True, len(first))]
        assert [str(s) for s in stages] == [f"resolving the references of all {len(first)} documents"]
        assert stages[0].say(translator("vi")) == f"đang xác định các trích dẫn của toàn bộ {len(first)} văn bản"
        _equals_full(store)
        for path in later:
            shutil.copy(path, texts / f"{path.parent.name}-{path.name}")
        reports.clear()
        stages.clear()
        assert ingest([texts], store, jobs=1, stage=stages.append).ok
        assert [r.full for r in reports] == [False, False]  # two batches of this run, settled as they come
        assert not stages
        _equals_full(store)
    reports.clear()
    monkeypatch.setenv("DOCSEARCH_SETTLE_TEXTS", "3")
    with Store.open(tmp_path / "again") as store:
        assert ingest([texts], store, jobs=1).ok
        assert len(reports) > 1 and all(r.texts <= 3 for r in reports[1:])
        _equals_full(store)


def test_a_run_stopped_before_its_one_settle_leaves_its_texts_for_the_next(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A run that settles only at its end and stops before that settle has
    # committed its texts, not their resolution: graph queries do not read
    # the stored one, and the next run, with nothing to read, settles them.
    import docsearch.ingestion as ingestion

    monkeypatch.setenv("DOCSEARCH_INGEST_BATCH", "3")
    monkeypatch.setattr(ingestion, "SETTLE_AT_END_FROM", 5)

    def stop(self: Any) -> None:
        raise KeyboardInterrupt

    reports = _kept(monkeypatch, "settle")
    texts = tmp_path / "texts"
    _write(texts, sorted(TEXTS))
    with Store.open(where) as store:
        with monkeypatch.context() as m:
            m.setattr(ingestion._Batches, "settle_waiting", stop)
            with pytest.raises(KeyboardInterrupt):
                ingest([texts], store, jobs=1)
        assert store.count() == len(TEXTS) and not reports  # every batch committed, none settled
        assert not is_current(store)
        summary = ingest([texts], store, jobs=1)
        assert summary.ok and not summary.added
        _equals_full(store)


def test_a_number_a_later_text_only_mentions_gets_the_node_a_full_resolution_gives_it(
        where: str, tmp_path: Path) -> None:
    # Cited by its number alone (no date, no issuing body, no relation), a
    # law shapes no candidates: the settle after that text still names it.
    texts = tmp_path / "texts"
    _write(texts, ["qn-05.txt", "vd-07.txt"])
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        (texts / "note.txt").write_text("Tin tổng hợp\n\nBáo cáo nhắc đến Luật số 197/2025/QH15.\n", "utf-8")
        assert ingest([texts], store, jobs=1).ok
        assert ("197/2025/QH15",) in _tables(store)["ids"]
        _equals_full(store)


def test_a_later_batch_replaces_what_an_earlier_one_wrote_of_the_same_text() -> None:
    earlier, later = WrittenTags(), WrittenTags()
    earlier.docs |= {1, 2}
    earlier.dates.update({1: [datetime.date(2025, 1, 1)], 2: [datetime.date(2025, 2, 2)]})
    later.docs.add(2)
    later.dates[2] = [datetime.date(2026, 3, 3)]
    kept = earlier.for_settle()
    kept.absorb(later.for_settle())
    assert kept.docs == {1, 2}
    assert kept.dates == {1: [datetime.date(2025, 1, 1)], 2: [datetime.date(2026, 3, 3)]}
    assert earlier.dates[2] == [datetime.date(2025, 2, 2)]  # the batch's own record is left alone


def _ingested_ids(tmp_path: Path, store: Store) -> list[str]:
    """The ids the graph names once the central and two provincial corpora are ingested into ``store``."""
    assert ingest([_corpus(tmp_path / "docs", "central", "quang-ninh", "bac-ninh")], store, jobs=1).ok
    return sorted(i for (i,) in store._tuples("SELECT id FROM graph_ids"))


def test_a_settle_lets_go_of_the_nodes_it_wrote_and_a_shared_resolver_keeps_them(tmp_path: Path) -> None:
    with Store.open(tmp_path / "idx") as store:
        ids = _ingested_ids(tmp_path, store)
        own = Resolver(store, shared=False, stored=False, titles=False)
        made = stored._write_ids(store, own, ids)
        assert made and not own.known_nodes()
        # A node asked for again is made again, as written.
        key = own._ensure(ids[0])[0].key
        assert stored.node_row(own.node(key)) == stored.node_row(Resolver(store, shared=False, stored=False).node(key))
        shared = Resolver(store)
        shared.node(key)
        shared.let_go_of_nodes()  # a state other resolvers read: kept
        assert key in shared.known_nodes()


def test_a_settle_holds_headers_without_titles_and_reads_them_for_the_nodes_it_makes(tmp_path: Path) -> None:
    with Store.open(tmp_path / "idx") as store:
        ids = _ingested_ids(tmp_path, store)
        untitled = Resolver(store, shared=False, stored=False, titles=False)
        titled = Resolver(store, shared=False, stored=False)
        untitled.prepare(ids)
        titled.prepare(ids)
        held = [d for d in untitled._docs.values() if d.identity is not None]
        assert held and all(d.identity.title is None for d in held if d.identity is not None)
        keys = [c.key for i in ids for c in untitled._ensure(i)]
        # Read one text at a time when not read beforehand, and in the nodes as a titled resolver makes them.
        made = [untitled.node(k).to_json() for k in keys]
        assert made == [titled.node(k).to_json() for k in keys]
        assert sum(1 for n in made if n["title"]) > 10
        untitled.let_go_of_titles()
        assert not untitled._titles
        # What the settle stored (it holds no titles) is what a titled resolver makes.
        stored_titles = dict(store._tuples("SELECT key, title FROM graph_nodes"))
        assert {k: titled.node(k).title for k in keys} == {k: stored_titles[k] for k in keys}


def test_a_candidates_records_and_counts_start_shared_and_empty() -> None:
    one, other = resolve._Cand("5-KH/TU", None), resolve._Cand("6-KH/TU", None)
    day = datetime.date(2025, 3, 4)
    one.cite(day, 2)
    one.cite(day, 3)
    one.cite_body("Tỉnh ủy Quảng Ninh", 1)
    one.cite_body("Tỉnh ủy Quảng Ninh", 2)
    one.add_record(resolve.KnownDoc("5-KH/TU", "KH", "TU", day, origin="registry"), registry=True)
    one.add_record(resolve.KnownDoc("5-KH/TU", "KH", "TU", day), registry=False)
    one.add_record(resolve.KnownDoc("5-KH/TU", "KH", "TU", day), registry=False)
    assert one.cited_dates == {day: 3} and one.cited_bodies == {"Tỉnh ủy Quảng Ninh": 3}
    assert len(one.registry) == 1 and len(one.builtin) == 2
    assert not other.cited_dates and not other.cited_bodies and not other.registry and not other.builtin
    assert other.cited_dates is resolve._NO_COUNTS


def _record(path: Path) -> DocumentRecord:
    """What an ingest would store of the file at ``path``."""
    out = process_file(FileJob(str(path), None), default_knowledge())
    ex, stat = out.extracted, out.stat
    assert ex is not None and stat is not None
    return DocumentRecord(path=str(path), sha256=out.sha256, size=stat.size, mtime_ns=stat.mtime_ns,
                          ctime_ns=stat.ctime_ns, inode=stat.inode, format=out.format, lang=out.lang,
                          title=ex.title, encoding=ex.encoding, text=ex.text, page_starts=ex.page_starts,
                          warnings=ex.warnings, tags=out.tags, ocr_pages=ex.ocr_pages)


def test_a_text_another_writer_stores_again_before_the_batch_is_settled_is_read_back(
        pg_url: str, tmp_path: Path) -> None:
    # On a server, what a batch wrote is taken as written only where the
    # rows are still the batch's: here another writer stores new content
    # under one of its paths between the batch's commit and its settle, and
    # the settle and the full-text update read that text back.
    from docsearch.search import FullTextIndex, sync
    from docsearch.search.indexer import LiveIndex

    texts = _corpus(tmp_path / "texts", "central", "bac-ninh")
    changed = texts / "bac-ninh" / "kh-198-tu-2024.txt"
    with Store.open(pg_url) as store, Store.open(pg_url) as other:
        assert ingest([texts], store, jobs=1).ok
        header = changed.read_text("utf-8").split("KẾ HOẠCH")[0]
        changed.write_text(header + "KẾ HOẠCH\nthực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 về chuyển đổi số\n",
                           "utf-8")
        written = WrittenTags()
        ids = store.save_documents([_record(changed)], written=written)
        changed.write_text(header + "KẾ HOẠCH\nthực hiện Kết luận số 121-KL/TW ngày 24/01/2025, bản ngọcbích\n",
                           "utf-8")
        assert other.save_documents([_record(changed)]) == ids  # the same path: the same document
        settle(store, written=written)
        assert ids[0] not in written.docs  # forgotten: read back
        _check(store)
        assert [(r.target, r.type) for r in store.relations_of(ids)] == [("121-KL/TW", "implements")]
        live = LiveIndex(store)
        try:
            live.update(ids, written)
            assert not sync(store).changed  # the index holds the text the store holds
        finally:
            live.close()
        with FullTextIndex(store.index_location) as ix:
            assert [h.doc for h in ix.search("ngocbich").hits] == ids


def test_a_folder_ingested_in_five_parts_with_namesakes_arriving_late_equals_a_full_resolution(
        where: str, tmp_path: Path) -> None:
    # The namesakes (na-05, the second 13-KH/TU) come last, after the texts citing them.
    names = sorted(TEXTS, key=lambda n: (n.startswith("na-"), n))
    texts = tmp_path / "texts"
    with Store.open(where) as store:
        for part in [names[i::5] for i in range(5)]:
            _write(texts, part)
            assert ingest([texts], store, jobs=1).ok
            _equals_full(store)


def test_a_citation_naming_the_committee_of_a_local_number_picks_that_province_in_any_order(
        where: str, tmp_path: Path) -> None:
    # vd-07 cites "05-CTr/TU của Tỉnh ủy Quảng Ninh" with no date; Nghệ An has a
    # 05-CTr/TU too. All at once, or with vd-07 stored before both namesakes,
    # the citation means Quảng Ninh's, as the relation stating it does.
    for order in (["vd-07.txt", "qn-05.txt", "na-05.txt"], ["vd-07.txt"]):
        texts = tmp_path / f"texts-{len(order)}"
        with Store.open(where if len(order) == 3 else str(tmp_path / "index-parts")) as store:
            if len(order) == 1:
                _write(texts, order)
                assert ingest([texts], store, jobs=1).ok
                order = ["qn-05.txt", "na-05.txt"]
            _write(texts, order)
            assert ingest([texts], store, jobs=1).ok
            _equals_full(store)
            paths = {p: d for d, p in store.paths().items()}
            doc = next(d for p, d in paths.items() if p.endswith("vd-07.txt"))
            keys = {r[0] for r in store._tuples(
                "SELECT key FROM graph_citations WHERE doc_id = ? AND ref_id = '05-CTr/TU'", (doc,))}
            assert keys == {"05-CTr/TU@2025-03-10"}


def _thirteen(name: str, place: str, body_place: str, day: str, month: str, year: str) -> tuple[str, str]:
    """A text of a 13-KH/TU of another province (a namesake of Bắc Ninh's)."""
    return name, HEADER.format(body_place=body_place, body="TỈNH ỦY", number="13-KH/TU", place=place, day=day,
                               month=month, year=year, kind="KẾ HOẠCH", title="thực hiện Nghị quyết số 57-NQ/TW")


def _citing_thirteen(n: int, beside: str) -> str:
    """A district plan of Bắc Ninh carrying out "Kế hoạch số 13-KH/TU" with ``beside`` after the number."""
    return HEADER.format(body_place="TỈNH BẮC NINH", body="HUYỆN ỦY A", number=f"{n}-KH/HU", place="Bắc Ninh",
                         day="01", month="6", year="2026", kind="KẾ HOẠCH",
                         title=f"thực hiện Kế hoạch số 13-KH/TU{beside} của Ban Thường vụ Tỉnh ủy")


def _bac_ninh_then_quang_ninh(store: Store, texts: Path, plans: range) -> None:
    """Bắc Ninh's 13-KH/TU and its district plans numbered ``plans`` citing
    it with no date, ingested; then Quảng Ninh's 13-KH/TU, ingested: the
    store equals a full resolution."""
    _write(texts, ["bn-13.txt"])
    for n in plans:
        (texts / f"d{n}.txt").write_text(_citing_thirteen(n, ""), "utf-8")
    assert ingest([texts], store, jobs=1).ok
    name, text = _thirteen("qn-13.txt", "Quảng Ninh", "TỈNH QUẢNG NINH", "11", "11", "2020")
    (texts / name).write_text(text, "utf-8")
    assert ingest([texts], store, jobs=1).ok
    _equals_full(store)


def test_a_namesake_of_another_province_leaves_the_mentions_their_basis_still_decides(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bắc Ninh's texts name 13-KH/TU with no date: once Quảng Ninh's arrives,
    # the place of the citing text decides, and what was read to decide it
    # is kept. Nghệ An's arriving next changes none of those choices: their
    # bases, weighed against the three candidates, choose the key the
    # mentions have, so they are left as they are, and the store still
    # equals a full resolution.
    reports = _kept(monkeypatch, "settle")
    texts = tmp_path / "texts"
    with Store.open(where) as store:
        _bac_ninh_then_quang_ninh(store, texts, range(41, 46))
        name, text = _thirteen("na-13.txt", "Nghệ An", "TỈNH NGHỆ AN", "02", "12", "2020")
        (texts / name).write_text(text, "utf-8")
        reports.clear()
        assert ingest([texts], store, jobs=1).ok
        # Five citations and the five relations they state.
        assert [r.kept for r in reports if not r.full] == [10], reports
        _equals_full(store)
        keys = {str(k) for (k,) in store._tuples("SELECT key FROM graph_citations WHERE ref_id = '13-KH/TU'")}
        assert keys == {"13-KH/TU@2025-03-03"}


def test_a_namesake_arriving_leaves_the_other_candidates_nodes_as_stored(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Quảng Ninh's 13-KH/TU arriving changes the candidates of the number,
    # not the node of Bắc Ninh's: it is not made again. After a rewritten
    # header (a new title, the same date), and a registry record of the
    # number added, changed or taken out, the node is written again, and the
    # store equals a full resolution each time.
    real = Store.write_graph_ids
    kept: list[set[str]] = []

    def spy(self: Store, *args: Any, **kwargs: Any) -> None:
        kept.append(set(args[4] if len(args) > 4 else kwargs.get("kept", ())))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "write_graph_ids", spy)
    texts = tmp_path / "texts"
    with Store.open(where) as store:
        _bac_ninh_then_quang_ninh(store, texts, range(41, 42))
        bn = {str(k) for (k,) in store._tuples("SELECT key FROM graph_nodes WHERE id = '13-KH/TU'")} - {
            "13-KH/TU@2020-11-11", "13-KH/TU@?"}
        assert len(bn) == 1
        name, text = _thirteen("na-13.txt", "Nghệ An", "TỈNH NGHỆ AN", "02", "12", "2020")
        (texts / name).write_text(text, "utf-8")
        kept.clear()
        assert ingest([texts], store, jobs=1).ok
        assert any(bn <= k and "13-KH/TU@2020-11-11" in k for k in kept), kept
        _equals_full(store)
        qn = (texts / "qn-13.txt").read_text("utf-8")
        (texts / "qn-13.txt").write_text(qn.replace("thực hiện Nghị quyết", "triển khai Nghị quyết"), "utf-8")
        kept.clear()
        assert ingest([texts], store, jobs=1).ok
        assert not any("13-KH/TU@2020-11-11" in k for k in kept), kept
        title = store._tuples("SELECT title FROM graph_nodes WHERE key = '13-KH/TU@2020-11-11'")
        assert "triển khai" in str(title[0][0]).lower(), title
        _equals_full(store)
        registry = tmp_path / "registry.csv"
        registry.write_text("number,type,issuer,date,title,status,replaced_by\n"
                            "13-KH/TU,,Tỉnh ủy Nghệ An,2020-12-02,Kế hoạch của Nghệ An,,\n", "utf-8")
        import_registry(store, registry)
        _equals_full(store)
        registry.write_text(registry.read_text("utf-8").replace("Kế hoạch của Nghệ An", "Kế hoạch đã sửa"), "utf-8")
        import_registry(store, registry)
        _equals_full(store)
        assert store._tuples("SELECT title FROM graph_nodes WHERE key = '13-KH/TU@2020-12-02'") == [("Kế hoạch đã sửa",)]
        # A record taken out of the registry (no command does it; a database
        # administrator may): the node is the header's again.
        with store.transaction():
            store.conn.execute("DELETE FROM registry WHERE id = '13-KH/TU'")
        settle(store)
        _equals_full(store)
        title = store._tuples("SELECT title FROM graph_nodes WHERE key = '13-KH/TU@2020-12-02'")
        assert "nghị quyết" in str(title[0][0]).lower(), title


def test_a_basis_lacking_what_a_new_namesake_makes_the_choice_read_is_resolved_with_its_text(
        where: str, tmp_path: Path) -> None:
    # "Kế hoạch số 13-KH/TU năm 2025": with Bắc Ninh's of 2025 and Quảng
    # Ninh's of 2020 the year decides, and the words around the mention are
    # not read. Another 13-KH/TU of 2025 makes the choice come to them: the
    # basis cannot answer, and the mention is resolved again with its text.
    texts = tmp_path / "texts"
    _write(texts, ["bn-13.txt"])
    (texts / "d41.txt").write_text(_citing_thirteen(41, " năm 2025"), "utf-8")
    name, text = _thirteen("qn-13.txt", "Quảng Ninh", "TỈNH QUẢNG NINH", "11", "11", "2020")
    (texts / name).write_text(text, "utf-8")
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        paths = {p: d for d, p in store.paths().items()}
        doc = next(d for p, d in paths.items() if p.endswith("d41.txt"))
        (ord_, start, end) = store._tuples(
            "SELECT ord, start, \"end\" FROM refs WHERE doc_id = ? AND ref_id = '13-KH/TU'", (doc,))[0]
        basis = store.graph_bases_of(["13-KH/TU"], "c")[("13-KH/TU", doc, "c", start, end, "")]
        name, text = _thirteen("na-13.txt", "Nghệ An", "TỈNH NGHỆ AN", "15", "5", "2025")
        (texts / name).write_text(text, "utf-8")
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)
        res = Resolver(store, shared=False, stored=False)
        assert res.redecide("13-KH/TU", None, basis) is None
        key = store.graph_citation_keys(["13-KH/TU"])[(doc, ord_)]
        assert key == "13-KH/TU@2025-03-03"
        assert res.choose("13-KH/TU", doc=res.doc(doc), span=(start, end), year=2025) == key


def test_every_kept_basis_chooses_the_key_its_mentions_have(where: str, tmp_path: Path) -> None:
    # A kept basis weighed against the present candidates gives what
    # choosing with the mention's text gives: after a full resolution of a
    # store with namesakes, the key each mention has, or nothing where the
    # basis lacks what the choice reads (one sentence's mentions of an id
    # share a basis, and the last choice made may have read less).
    texts = _corpus(tmp_path / "texts", "central", "bac-ninh", "quang-ninh", "nghe-an", "news")
    _write(texts / "more", list(TEXTS))
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        settle(store, full=True)
        res = Resolver(store, shared=False, stored=False)
        dates = Dates()
        own = {int(d): str(i) for d, i in store._tuples("SELECT doc_id, self_id FROM documents WHERE self_id IS NOT NULL")}
        edges = store._tuples("SELECT doc_id, source, target, evidence_start, evidence_end, target_date, source_key,"
                              " target_key FROM graph_edges")
        bases = store.graph_bases_of({str(e[1]) for e in edges} | {str(e[2]) for e in edges}, "r")
        checked = 0
        for doc, source, target, start, end, when, source_key, target_key in edges:
            basis = bases.get((target, doc, "r", start, end, ""))
            if basis is not None and (key := res.redecide(target, dates(when), basis)) is not None:
                assert key == target_key
                checked += 1
            basis = bases.get((source, doc, "r", start, end, ""))
            if basis is not None and own.get(doc) != source and (key := res.redecide(source, None, basis)) is not None:
                assert key == source_key
                checked += 1
        cited = store._tuples("SELECT c.doc_id, c.ord, c.ref_id, c.key, r.start, r.\"end\", r.date,"
                              " coalesce(r.issuer_place, '') FROM graph_citations c JOIN refs r"
                              " ON r.doc_id = c.doc_id AND r.ord = c.ord")
        bases = store.graph_bases_of({str(c[2]) for c in cited}, "c")
        for doc, _, ref_id, key, start, end, when, place in cited:
            basis = bases.get((ref_id, doc, "c", start, end, place))
            if basis is not None and (chosen := res.redecide(ref_id, dates(when), basis)) is not None:
                assert chosen == key
                checked += 1
        assert checked > 20


def test_a_text_mentioning_many_dates_keeps_no_basis_and_still_equals_a_full_resolution(
        where: str, tmp_path: Path) -> None:
    # Each basis holds the dates its text mentions: a text mentioning more
    # than KEPT_DATES keeps none (its mentions are resolved with it, as a
    # 50 MB text's would be), while a text mentioning few keeps them.
    from docsearch.graph.resolve import KEPT_DATES

    texts = tmp_path / "texts"
    _write(texts, ["bn-13.txt"])
    name, text = _thirteen("qn-13.txt", "Quảng Ninh", "TỈNH QUẢNG NINH", "11", "11", "2020")
    (texts / name).write_text(text, "utf-8")
    (texts / "few.txt").write_text(_citing_thirteen(41, ""), "utf-8")
    dated = " ".join(f"ngày {1 + i % 28:02d}/{1 + i // 28:02d}/2019;" for i in range(KEPT_DATES + 6))
    (texts / "many.txt").write_text(_citing_thirteen(42, "") + f"\nCác mốc: {dated}\n", "utf-8")
    with Store.open(where) as store:
        assert ingest([texts], store, jobs=1).ok
        paths = {p.rsplit("/", 1)[-1]: d for d, p in store.paths().items()}
        assert len(store.text_dates([paths["many.txt"]])[paths["many.txt"]]) > KEPT_DATES
        kept = {doc for (_, doc, *_rest) in store.graph_bases_of(["13-KH/TU"], "c")}
        assert paths["few.txt"] in kept and paths["many.txt"] not in kept
        name, text = _thirteen("na-13.txt", "Nghệ An", "TỈNH NGHỆ AN", "02", "12", "2020")
        (texts / name).write_text(text, "utf-8")
        assert ingest([texts], store, jobs=1).ok
        _equals_full(store)


def test_the_ids_of_a_whole_store_go_in_parts_bounded_by_their_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "IDS_PART", 3)
    monkeypatch.setattr(stored, "HEADERS_PART", 10)
    ids = ["a", "b", "c", "d", "e", "f", "g", "h"]
    headers = {"a": 4, "b": 5, "c": 2, "d": 30, "e": 1, "g": 9}
    parts = list(stored._id_parts(ids, headers))
    assert parts == [["a", "b"], ["c"], ["d"], ["e", "f", "g"], ["h"]]  # "d" alone is over: a part of its own
    assert [i for part in parts for i in part] == ids
    assert list(stored._id_parts([], headers)) == []


def test_a_whole_store_resolved_in_small_parts_equals_one_resolved_in_large_ones(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full resolution takes the ids a few at a time (bounded by the texts
    whose headers they are) and the texts a few at a time (their
    contributions, relations and citations, then letting go of what was read
    of them): in the smallest parts it stores what it stores in one part."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus", docs)
    with Store.open(where) as store:
        assert ingest([docs], store, jobs=1).ok
        report = settle(store, full=True)
        assert report is not None and report.full
        whole, signatures = _tables(store), _signatures(store)
        monkeypatch.setattr(stored, "IDS_PART", 2)
        monkeypatch.setattr(stored, "HEADERS_PART", 1)
        monkeypatch.setattr(stored, "MENTION_PART", 3)
        parts: list[list[str]] = []
        real_parts = stored._id_parts

        def id_parts(ids: list[str], headers: dict[str, int]) -> Any:
            parts.extend(real_parts(ids, headers))
            return iter(parts)

        monkeypatch.setattr(stored, "_id_parts", id_parts)
        let_go = Counter[int]()
        real_let_go = Resolver.let_go_of_texts

        def let_go_of(res: Resolver, doc_ids: Any) -> None:
            let_go[len(doc_ids)] += 1
            real_let_go(res, doc_ids)

        monkeypatch.setattr(Resolver, "let_go_of_texts", let_go_of)
        real = stored._everything
        monkeypatch.setattr(stored, "_everything", lambda s, batch=5000: real(s, 2))
        report = settle(store, full=True)
        assert report is not None and report.full
        assert _tables(store) == whole and _signatures(store) == signatures
        assert len(parts) > 10 and max(map(len, parts)) <= 2
        assert set(let_go) == {2} or set(let_go) == {1, 2}  # two texts at a time, the last maybe one
        assert sum(n * k for n, k in let_go.items()) == len(store.doc_ids())
