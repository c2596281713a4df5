"""Every command and the web API give the same answers on an index folder
and on a PostgreSQL database holding the same corpus."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from docsearch.cli import cli
from docsearch.pgcluster import LocalCluster
from docsearch.web import WebConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DRAFTS = ROOT / "tests" / "data" / "drafts"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory, pg_cluster: LocalCluster) -> dict[str, str]:
    """The shipped corpus ingested into a folder and into a database."""
    folder = str(tmp_path_factory.mktemp("iface") / "index")
    url = pg_cluster.create_database(f"iface_{os.getpid()}")
    runner = CliRunner()
    out = {}
    for name, index in (("folder", folder), ("postgresql", url)):
        r = runner.invoke(cli, ["ingest", str(CORPUS), "--index", index, "--jobs", "1", "--format", "json"])
        assert r.exit_code == 0, r.output
        report = json.loads(r.output)
        assert not report["failed"] and report.get("fulltext_error") is None
        out[name] = index
    return out


def _json(index: str, *args: str) -> Any:
    r = CliRunner().invoke(cli, [*args, "--index", index, "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("args", [
    ("show", "46-CTr/TU"),
    ("implements", "Resolution 57", "--depth", "2"),
    ("implements", "Nghị quyết 57"),
    ("cites", "57-NQ/TW"),
    ("coverage", "Resolution 57"),
    ("coverage", "--central"),
    ("registry", "list"),
    ("graph",),
])
def test_commands_answer_the_same_on_both_stores(indexes: dict[str, str], args: tuple[str, ...]) -> None:
    assert _json(indexes["folder"], *args) == _json(indexes["postgresql"], *args)


def test_stats_agree(indexes: dict[str, str]) -> None:
    folder, server = (_json(indexes[k], "stats") for k in ("folder", "postgresql"))
    for s in (folder, server):
        s.pop("index")
        s.pop("schema_version")
    assert folder == server


def test_check_finds_the_same_on_both_stores(indexes: dict[str, str]) -> None:
    drafts = sorted(str(p) for p in DRAFTS.iterdir() if p.suffix == ".txt")
    assert _json(indexes["folder"], "check", *drafts) == _json(indexes["postgresql"], "check", *drafts)


@pytest.mark.parametrize("query", ["type:KH year:2025", "cites:57-NQ/TW", "implements:57-NQ/TW",
                                   "level:provincial lang:vi", "id:46-CTr/TU",
                                   # a document without the value falls under the negation
                                   "-type:NQ", "-level:provincial", "-year:2025", "-lang:vi",
                                   "-issuer:Bộ Chính trị"])
def test_filters_match_the_same_documents(indexes: dict[str, str], query: str) -> None:
    def ids(index: str) -> set[str]:
        return {h["path"] for h in _json(index, "search", query, "--limit", "100")["hits"]}

    assert ids(indexes["folder"]) == ids(indexes["postgresql"])


@pytest.mark.parametrize("query", ["Nghị quyết 57", "Resolution 57", "57-NQ/TW"])
def test_a_reference_ranks_the_document_first_on_both(indexes: dict[str, str], query: str) -> None:
    for index in indexes.values():
        hits = _json(index, "search", query)["hits"]
        assert hits and hits[0]["id"] == "57-NQ/TW", (index, query)


@pytest.mark.parametrize("query", ['nghi quyet "chuyen doi so"', "kinh tế tư nhân", "digitale Transformation"])
def test_words_find_nearly_the_same_documents(indexes: dict[str, str], query: str) -> None:
    folder, server = (_json(indexes[k], "search", query, "--limit", "100") for k in ("folder", "postgresql"))
    assert server["total"] > 0
    a, b = {h["path"] for h in folder["hits"]}, {h["path"] for h in server["hits"]}
    assert len(a & b) >= 0.8 * max(len(a), len(b))


def test_the_site_has_the_same_pages(indexes: dict[str, str], tmp_path: Path) -> None:
    pages: dict[str, dict[str, bytes]] = {}
    for name, index in indexes.items():
        out = tmp_path / name
        r = CliRunner().invoke(cli, ["site", "build", str(out), "--index", index])
        assert r.exit_code == 0, r.output
        pages[name] = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.html")}
    assert pages["folder"].keys() == pages["postgresql"].keys()
    different = [p for p, body in pages["folder"].items() if pages["postgresql"][p] != body]
    assert not different, different[:5]


@pytest.fixture
def clients(indexes: dict[str, str]) -> Iterator[dict[str, TestClient]]:
    with TestClient(create_app(WebConfig(index_dir=indexes["folder"]))) as a, \
            TestClient(create_app(WebConfig(index_dir=indexes["postgresql"]))) as b:
        yield {"folder": a, "postgresql": b}


@pytest.mark.parametrize("path", ["/api/documents/46-CTr/TU", "/api/implements?doc=57-NQ/TW&depth=2",
                                  "/api/cites?doc=57-NQ/TW", "/api/coverage?doc=57-NQ/TW"])
def test_the_api_answers_the_same(clients: dict[str, TestClient], path: str) -> None:
    a, b = (clients[k].get(path) for k in ("folder", "postgresql"))
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()


def test_the_web_pages_work_on_the_database(clients: dict[str, TestClient]) -> None:
    web = clients["postgresql"]
    for path in ("/", "/search?q=Ngh%E1%BB%8B+quy%E1%BA%BFt+57", "/documents/57-NQ/TW",
                 "/implements?doc=57-NQ/TW", "/coverage?doc=57-NQ/TW"):
        assert web.get(path).status_code == 200, path
    assert web.get("/api/documents/999-NQ/TW").status_code == 404
    assert web.get("/api/search", params={"q": '"unclosed'}).status_code in (200, 400)


def test_serve_reads_through_a_streaming_replica(indexes: dict[str, str], pg_cluster: LocalCluster) -> None:
    import time

    import psycopg

    primary = indexes["postgresql"]
    replica = pg_cluster.start_replica()
    try:
        url = replica.url(primary.rsplit("/", 1)[1])
        deadline = time.monotonic() + 60
        while True:  # wait until the replica has replayed the ingest
            try:
                with psycopg.connect(url) as conn:
                    if conn.execute("SELECT count(*) FROM documents").fetchone() == (53,):
                        break
            except psycopg.Error:
                pass
            assert time.monotonic() < deadline, "the replica did not catch up within 60 s"
            time.sleep(0.5)
        config = WebConfig(index_dir=primary, read_index=url)
        with TestClient(create_app(config)) as web, \
                TestClient(create_app(WebConfig(index_dir=indexes["folder"]))) as local:
            for path in ("/api/documents/46-CTr/TU", "/api/implements?doc=57-NQ/TW"):
                assert web.get(path).json() == local.get(path).json()
            assert web.get("/api/search", params={"q": "Nghị quyết 57"}).json()["hits"][0]["id"] == "57-NQ/TW"
    finally:
        replica.remove()
