"""``migrate`` and the graph's stored resolution: copied as it is when the
source's is current, resolved again in the target otherwise; either way
the target answers as a resolution made in it would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docsearch.graph import stored
from docsearch.graph.stored import is_current
from docsearch.ingestion import import_registry, ingest
from docsearch.migrate import copy_index
from docsearch.models import RegistryEntry
from docsearch.store import RESOLUTION_TABLES, Store
from test_graph import TEXTS
from test_graph_stored import _all_keys, _check, _pages, _tables, _write

from conftest import ROOT


def _fill(where: str, tmp_path: Path) -> None:
    """Ingest the graph tests' texts and part of the corpus (which settles the store)."""
    texts = tmp_path / "texts"
    _write(texts, list(TEXTS))
    docs = tmp_path / "docs"
    for part in ("central", "nghe-an"):
        shutil.copytree(ROOT / "corpus" / part, docs / part)
    registry = tmp_path / "registry.csv"
    # A second 18-NQ/TW the texts never name, and a title for 57-NQ/TW.
    registry.write_text("number,type,issuer,date,title,status,replaced_by\n"
                        "18-NQ/TW,NQ,Ban Chấp hành Trung ương,2012-01-16,Nghị quyết khác,,\n"
                        "57-NQ/TW,NQ,Bộ Chính trị,2024-12-22,về đột phá phát triển khoa học,,\n", "utf-8")
    with Store.open(where) as store:
        assert ingest([texts, docs], store, jobs=1, fulltext=False).ok
        import_registry(store, registry)
        assert len(store.registry()) == 2
        assert is_current(store)


def _no_resolution_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make resolving the whole graph fail: a copy must not need it."""
    def refuse(store: Store, batch: int = 5000) -> tuple[int, int]:
        raise AssertionError("the graph was resolved again")
    monkeypatch.setattr(stored, "_everything", refuse)


@pytest.mark.parametrize("direction", ["folder to database", "database to folder"])
def test_a_current_resolution_is_copied_and_answers_as_one_made_in_the_target(
        direction: str, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(tmp_path / "index")
    source, target = (folder, pg_url) if direction == "folder to database" else (pg_url, folder)
    _fill(source, tmp_path)
    with Store.open(source) as src:
        original = _tables(src)
        keys = sorted({k for pair in _all_keys(src) for k in pair})
    with monkeypatch.context() as m:
        _no_resolution_made(m)
        report = copy_index(source, target, fulltext=False)
    assert report.graph == "copied"
    assert report.rows["graph_edges"] == len(original["edges"]) > 0
    assert report.rows["graph_citations"] == len(original["citations"]) > 0
    assert report.to_json()["graph"] == "copied"
    with Store.open(target) as dst:
        assert dst.graph_notes() == []
        assert _tables(dst) == original
        # Current, answers as resolving in Python does, and equals a full
        # resolution made in the target.
        _check(dst)
    assert len(keys) > 20
    # Pages read from the copied resolution, and resolving everything in the target.
    assert _pages(target, keys[:12], stored=True) == _pages(target, keys[:12], stored=False)


def test_a_stale_resolution_is_made_again_in_the_target(tmp_path: Path, pg_url: str) -> None:
    folder = str(tmp_path / "index")
    _fill(folder, tmp_path)
    with Store.open(folder) as src:
        # A registry entry written and not settled: the source's resolution is behind.
        src.import_registry([RegistryEntry(id="05-CTr/TU", number="05", type="CTr", issuer_code="TU",
                                           date=None, title="Chương trình hành động", status="in_force",
                                           replaced_by=None, issuer=None)])
        assert not is_current(src)
    report = copy_index(folder, pg_url, fulltext=False)
    assert report.graph == "resolved"
    with Store.open(pg_url) as dst:
        _check(dst)


def test_a_resolution_of_another_version_is_not_copied(tmp_path: Path, pg_url: str) -> None:
    _fill(pg_url, tmp_path)
    with Store.open(pg_url) as src, src.transaction():
        src.set_graph_state("0:another")
    folder = tmp_path / "back"
    report = copy_index(pg_url, str(folder), fulltext=False)
    assert report.graph == "resolved"
    with Store.open(folder) as dst:
        _check(dst)


def test_a_copy_of_the_resolution_cut_short_is_undone_and_made_again(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(tmp_path / "index")
    _fill(folder, tmp_path)
    with Store.open(folder) as src:
        original = _tables(src)
    real = Store.append_rows

    def lost(self: Store, table: str, rows: list[tuple[object, ...]]) -> None:
        if table == "graph_edges":
            raise KeyboardInterrupt  # the run stops midway through the copy
        real(self, table, rows)

    monkeypatch.setattr(Store, "append_rows", lost)
    with pytest.raises(KeyboardInterrupt):
        copy_index(folder, pg_url, fulltext=False)
    monkeypatch.setattr(Store, "append_rows", real)
    with Store.open(pg_url) as dst:
        assert not is_current(dst)  # nothing of the copy stayed
        for table in RESOLUTION_TABLES:
            assert dst._tuples(f"SELECT count(*) FROM {table}")[0][0] == 0
    report = copy_index(folder, pg_url, fulltext=False)  # resumes
    assert report.skipped > 0 and report.documents == 0
    assert report.graph == "copied"
    with Store.open(pg_url) as dst:
        assert _tables(dst) == original
        _check(dst)


def test_a_source_written_during_the_copy_is_resolved_in_the_target(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(tmp_path / "index")
    _fill(folder, tmp_path)
    more = tmp_path / "more"
    more.mkdir()
    (more / "late.txt").write_text(TEXTS[next(iter(TEXTS))] + "\nBản sao gửi muộn.\n", "utf-8")
    real = Store.append_rows
    written: list[bool] = []

    def meanwhile(self: Store, table: str, rows: list[tuple[object, ...]]) -> None:
        if not written:
            written.append(True)
            with Store.open(folder) as src:  # another run writes to the source meanwhile
                assert ingest([more], src, jobs=1, fulltext=False).ok
        real(self, table, rows)

    monkeypatch.setattr(Store, "append_rows", meanwhile)
    report = copy_index(folder, pg_url, fulltext=False)
    assert written
    assert report.graph == "resolved"
    with Store.open(pg_url) as dst:
        _check(dst)


def test_a_copy_into_a_folder_widens_the_page_cache_for_its_duration(tmp_path: Path) -> None:
    from docsearch.store import BULK_CACHE_KIB

    with Store.open(tmp_path / "index") as store:
        before = store.conn.execute("PRAGMA cache_size").fetchone()[0]
        with store.bulk_writes():
            assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -BULK_CACHE_KIB
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == before
