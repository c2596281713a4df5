"""The same store behaviour on both backends: an index folder (SQLite) and a
PostgreSQL database on a private server started for the tests."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from docsearch.database import _bind, redact, translate
from docsearch.ingestion import ingest
from docsearch.migrate import copy_index
from docsearch.pgcluster import LocalCluster
from docsearch.store import SERVER_MIGRATIONS, STORE_FILE, TABLE_COLUMNS, Store, StoreError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(params=["folder", "postgresql"])
def any_index(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An index location of each kind: a new folder, a new database."""
    if request.param == "folder":
        return str(tmp_path / "index")
    return str(request.getfixturevalue("pg_url"))


def _snapshot(store: Store) -> dict[str, Any]:
    """Everything the store answers about its documents, by path (so two
    stores that numbered documents differently still compare)."""
    docs = {d.doc_id: d for d in store.documents()}
    out: dict[str, Any] = {}
    for doc_id, d in docs.items():
        out[d.path] = {
            "sha256": d.sha256, "text": d.text, "lang": d.lang, "title": d.title, "copies": d.copies,
            "identity": d.identity, "page_starts": d.page_starts,
            "refs": store.references(doc_id), "dates": store.dates(doc_id),
            "relations": sorted(store.relations(doc_id), key=repr),
        }
    stats = store.stats()
    stats.pop("index")
    stats.pop("schema_version")
    out["_stats"] = stats
    out["_citations"] = [(docs[c.doc_id].path, c.start, c.text, c.date) for c in store.citations("57-NQ/TW")]
    out["_self_ids"] = sorted(store.self_ids())
    out["_issuers"] = sorted(store.header_issuers(), key=repr)
    out["_unsettled"] = sorted(((docs[d].path, n, t) for d, n, t in store.unsettled_references()), key=repr)
    out["_find"] = [d.path for d in store.find_documents("46-CTr/TU")]
    out["_suffix"] = [d.path for d in store.find_documents("ctr-46-tu-2025.pdf")]
    return out


@pytest.fixture(scope="module")
def folder_snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with Store.open(tmp_path_factory.mktemp("reference") / "index") as store:
        ingest([CORPUS], store, jobs=1, fulltext=False)
        return _snapshot(store)


def test_both_stores_answer_the_same_after_one_ingest(any_index: str, folder_snapshot: dict[str, Any]) -> None:
    with Store.open(any_index) as store:
        summary = ingest([CORPUS], store, jobs=1, fulltext=False)
        assert not summary.failed
        assert _snapshot(store) == folder_snapshot


def test_copies_release_and_removal_behave_alike(any_index: str, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "a").mkdir(parents=True)
    text = "TỈNH ỦY QUẢNG NINH\nSố 46-CTr/TU\nChương trình thực hiện Nghị quyết số 57-NQ/TW.\n"
    for name in ("a/one.txt", "two.txt", "three.txt"):
        (folder / name).write_text(text, encoding="utf-8")
    with Store.open(any_index) as store:
        summary = ingest([folder], store, jobs=1, fulltext=False)
        assert len(summary.added) == 1 and len(summary.duplicates) == 2
        (doc,) = list(store.documents())
        assert len(doc.copies) == 2
        (folder / "a/one.txt").unlink()
        ingest([folder], store, jobs=1, fulltext=False)
        (doc,) = list(store.documents())
        assert doc.path.endswith("three.txt") and len(doc.copies) == 1
        (folder / "two.txt").write_text(text + "Thêm một dòng.\n", encoding="utf-8")
        ingest([folder], store, jobs=1, fulltext=False)
        assert store.count() == 2
        assert store.remove([str(folder / "two.txt"), str(folder / "three.txt")]) == 2
        assert store.count() == 0


def test_the_states_of_some_paths_are_those_the_documents_hold(any_index: str, tmp_path: Path) -> None:
    # An ingest asks for the stored state of the files it finds, a part at a time.
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, body in (("a.txt", "Số 46-CTr/TU\n"), ("b.txt", "Số 46-CTr/TU\n"), ("c.txt", "Số 12-KH/TU\n")):
        (folder / name).write_text(body, encoding="utf-8")
    with Store.open(any_index) as store:
        summary = ingest([folder], store, jobs=1, fulltext=False)
        assert len(summary.added) == 2 and len(summary.duplicates) == 1
        docs = list(store.documents())
        paths = {d.path: d for d in docs} | {c: d for d in docs for c in d.copies}
        asked = [*paths, str(folder / "missing.txt")]
        states = store.file_states(asked)
        assert set(states) == set(paths)
        for path, state in states.items():
            doc = paths[path]
            st = (folder / Path(path).name).stat()
            assert (state.doc_id, state.sha256, state.copy) == (doc.doc_id, doc.sha256, path != doc.path)
            assert (state.stat.size, state.stat.mtime_ns, state.stat.inode) == (st.st_size, st.st_mtime_ns, st.st_ino)
        assert store.file_states([]) == {}
        assert sorted(store.stored_paths()) == sorted((path, doc.doc_id) for path, doc in paths.items())
        assert sorted(store.contents()) == sorted(d.sha256 for d in docs)


def test_registry_and_settings_upsert(any_index: str) -> None:
    from datetime import date

    from docsearch.models import RegistryEntry

    entry = RegistryEntry(id="57-NQ/TW", number="57", type="NQ", issuer_code="TW", date=date(2024, 12, 22),
                          title="Nghị quyết về đột phá phát triển khoa học, công nghệ", status="in_force",
                          replaced_by=None, issuer="Bộ Chính trị")
    with Store.open(any_index) as store:
        assert store.import_registry([entry]) == 1
        assert store.import_registry([entry]) == 1
        assert store.registry() == [entry]
        store.set_tagger_version(7)
        store.set_tagger_version(8)
        assert store.tagger_version() == 8


def test_a_failed_transaction_leaves_nothing(any_index: str) -> None:
    with Store.open(any_index) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.import_registry([])
            store.set_tagger_version(3)
            raise RuntimeError("stop")
        assert store.tagger_version() is None


def test_schemas_of_both_stores_hold_the_same_columns(pg_url: str, tmp_path: Path) -> None:
    with Store.open(tmp_path / "index") as folder_store:
        sqlite_columns = {
            table: {r[1] for r in folder_store.conn.execute(f"PRAGMA table_info({table})")}
            for table in TABLE_COLUMNS
        }
    with psycopg.connect(pg_url) as conn:
        Store.open(pg_url).close()
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns"
                            " WHERE table_schema = 'public'").fetchall()
    server_columns: dict[str, set[str]] = {}
    for table, column in rows:
        server_columns.setdefault(table, set()).add(column)
    for table, columns in sqlite_columns.items():
        assert server_columns[table] == columns, table
        assert {c.strip('"') for c in TABLE_COLUMNS[table][0]} == columns, table
    assert len(SERVER_MIGRATIONS) >= 1


def test_placeholders_are_translated_outside_quotes_only() -> None:
    assert translate("SELECT ? , '?', \"a?\" WHERE x LIKE '%a' AND y = ?") == \
        "SELECT %s , '?', \"a?\" WHERE x LIKE '%a' AND y = %s"
    assert translate("SELECT 5 % 2") == "SELECT 5 %% 2"
    assert redact("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"


def test_a_list_of_placeholders_goes_to_the_server_as_one_array() -> None:
    # Whatever its length, a chunk of ids is one statement for the server.
    sql = "SELECT a FROM t WHERE x = ? AND id IN (?,?, ?) AND k NOT IN (?) AND s = 'IN (?)' AND y = ?"
    text, params = _bind(sql, [1, 10, 11, 12, "k", 2])
    assert text == ("SELECT a FROM t WHERE x = %s AND id  = ANY(%b) AND k  <> ALL(%b) AND s = 'IN (?)'"
                    " AND y = %s")
    assert params == (1, [10, 11, 12], ["k"], 2)
    assert _bind(sql.replace("(?,?, ?)", "(?)"), [1, 10, "k", 2]) == (text, (1, [10], ["k"], 2))
    assert _bind("SELECT 1 FROM t WHERE id = ? OR x JOIN (?)", [1, 2])[1] == (1, 2)  # no list there
    assert _bind("SELECT ?", None) == ("SELECT %s", ())


def test_arrays_go_to_the_server_in_binary() -> None:
    # psycopg quotes the texts of an array in text form one by one; an array
    # parameter (a list after IN, a ? cast to an array type) goes in binary.
    assert translate("SELECT * FROM unnest(?::bigint[], ?::double precision[]) WHERE a = ?::text AND b = ?") == \
        "SELECT * FROM unnest(%b::bigint[], %b::double precision[]) WHERE a = %s::text AND b = %s"


def test_words_of_texts_read_at_once_are_those_read_one_by_one(any_index: str) -> None:
    with Store.open(any_index) as store:
        assert ingest([CORPUS / "central"], store, jobs=1).ok
        docs = store.doc_ids()[:4]
        spans = [(d, a, a + n) for d in docs for a, n in ((0, 10), (5, 40), (100, 3), (10**6, 4))]
        assert store.text_slices([*spans, (10**9, 0, 5)]) == {
            s: store.text_slice(s[0], s[1], s[2] - s[1]) for s in spans}
        assert "Đảng" in "".join(store.text_slices([(d, 0, 400) for d in docs]).values())


def test_pairs_read_at_once_are_those_read_one_by_one(any_index: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of three pairs: the pairs of one id or text fall in several
    # chunks, where a row used to come back once per chunk asking for it.
    import docsearch.store as store_module

    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1).ok
        cites = store.citations_to_resolve(store.doc_ids())
        hint_pairs = sorted({(c.doc_id, c.ref_id) for c in cites})
        dated = sorted({(c.ref_id, c.date) for c in cites if c.date})
        relations = store.relations_of(store.doc_ids())
        targets = sorted({(r.target, r.target_date) for r in relations if r.target_date})
        assert len(hint_pairs) > 20 and len(dated) > 10 and len(targets) > 10
        whole = (store.citation_hints_of(hint_pairs), store.citations_dated(dated), store.relations_dated(targets))
        monkeypatch.setattr(store_module, "READ_CHUNK", 3)
        hints = store.citation_hints_of(hint_pairs)
        assert hints == {p: store.citation_hints(*p) for p in hint_pairs if store.citation_hints(*p)}
        assert store.citations_dated(dated) == [c for c in sorted(cites, key=lambda c: (c.doc_id, c.start, c.ord))
                                                if (c.ref_id, c.date) in set(dated)]
        assert sorted(store.relations_dated(targets)) == sorted(r for r in relations
                                                                if (r.target, r.target_date) in set(targets))
        assert (hints, store.citations_dated(dated), store.relations_dated(targets)) == whole


def test_rows_of_dated_pairs_are_read_without_those_of_other_pairs(any_index: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Asked as "id IN (…) AND date IN (…)", a statement read every
    # combination of its ids and dates, and Python kept the pairs asked for:
    # in a large store, tens of thousands of rows for a few hundred.
    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1).ok
        cites = store.citations_to_resolve(store.doc_ids())
        relations = store.relations_of(store.doc_ids())
        for every, read, pair_of in (
                (sorted({(c.ref_id, c.date) for c in cites if c.date}), store.citations_dated,
                 lambda c: (c.ref_id, c.date)),
                (sorted({(r.target, r.target_date) for r in relations if r.target_date}), store.relations_dated,
                 lambda r: (r.target, r.target_date))):
            # One of the dates of an id given two, the other asked of another
            # id: the case that read (id, other date) too.
            by_id: dict[str, list[str]] = {}
            for i, d in every:
                by_id.setdefault(i, []).append(d)
            twice = next(i for i, ds in by_id.items() if len(ds) > 1)
            other = next(i for i in by_id if i != twice)
            asked = sorted({*every[::3], (twice, by_id[twice][0]), (other, by_id[twice][1])} - {
                (twice, d) for d in by_id[twice][1:]})
            fetched: list[tuple[object, ...]] = []
            real = store._tuples

            def spy(sql: str, args: object = (), real: Any = real,
                    fetched: list[tuple[object, ...]] = fetched) -> list[tuple[object, ...]]:
                rows = real(sql, args)
                fetched.extend(rows)
                return rows

            monkeypatch.setattr(store, "_tuples", spy)
            got = read(asked)
            monkeypatch.undo()
            assert got and {pair_of(x) for x in got} <= set(asked)
            assert len(fetched) == len(got)


def test_headers_read_without_titles_are_the_headers_less_their_title(any_index: str) -> None:
    # A settle reads the header of every text of the numbers it weighs and
    # needs no title of most: the store leaves them out.
    import json

    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1).ok
        docs = store.doc_ids()
        ids = sorted({r.self_id for r in store.graph_documents(docs) if r.self_id})
        for titled, untitled in ((store.graph_documents_named(ids), store.graph_documents_named(ids, titles=False)),
                                 (store.graph_documents(docs), store.graph_documents(docs, titles=False))):
            assert len(titled) > 20 and len(untitled) == len(titled)
            assert sum(1 for r in titled if '"title"' in (r.self_json or "")) > 20
            by_doc = {r.doc_id: r for r in untitled}
            for r in titled:
                other = by_doc[r.doc_id]
                assert other[:4] == r[:4]
                header = json.loads(r.self_json) if r.self_json else None
                if header is not None:
                    header.pop("title", None)
                assert (json.loads(other.self_json) if other.self_json else None) == header


def test_the_keys_of_the_identified_documents_are_those_of_their_headers(any_index: str) -> None:
    # What tagging reads of the stored headers, taken out of them by the store.
    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1, fulltext=False).ok
        headers = sorted(store.identities(), key=lambda pair: pair[0])
        assert len(headers) > 20
        assert list(store.identity_keys()) == [
            (i.id, i.type, i.issuer_code, i.date.isoformat() if i.date else None) for _, i in headers]


def test_the_texts_near_the_days_of_an_id_are_those_their_rows_give(any_index: str) -> None:
    from docsearch.graph.resolve import identity_from_json

    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1).ok
        everything = {d: set(found) for d, found in store.text_dates(store.doc_ids()).items()}
        own = {row.doc_id: ident.date for row in store.graph_documents(store.doc_ids())
               if (ident := identity_from_json(row.self_json)) is not None and ident.date is not None}
        days = sorted({d for found in everything.values() for d in found})
        headers = sorted(set(own.values()))
        near = {
            "57-NQ/TW": (set(days[::9]), [(headers[2], headers[len(headers) // 2])]),
            "18-NQ/TW": (set(days[1::5]), []),
            "52-NQ/TW": (set(), [(headers[0], headers[-1]), (headers[-3], headers[-2])]),
            "no-such-id": ({days[0]}, [(headers[0], headers[-1])]),
        }
        expected = set()
        for i, (wanted, spans) in near.items():
            naming = ({r.doc_id for r in store.relations_linking("target", [i])}
                      | {r.doc_id for r in store.relations_linking("source", [i])}
                      | {r.doc_id for r in store.citations_naming([i])})
            for doc_id in naming:
                when = own.get(doc_id)
                if everything.get(doc_id, set()) & wanted or (
                        when is not None and any(first <= when < last for first, last in spans)):
                    expected.add((doc_id, i))
        assert store.texts_near(near) == expected
        by_day = {(d, i) for d, i in expected if everything.get(d, set()) & near[i][0]}
        assert by_day and expected - by_day  # found both ways
        assert store.texts_near({"57-NQ/TW": (set(), [])}) == set()


def test_the_ends_of_the_relations_from_some_ids_are_those_of_their_rows(any_index: str) -> None:
    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1).ok
        ids = sorted({r.source for r in store.relations_of(store.doc_ids())})[:30] + ["no-such-id"]
        rows = store.relations_linking("source", ids)
        assert rows
        assert sorted(store.relation_sources(ids), key=repr) == sorted(
            ((r.doc_id, r.source, r.target, r.target_date) for r in rows), key=repr)
        assert store.relation_sources([]) == []


def test_relations_and_citations_counted_per_date_are_those_read(any_index: str) -> None:
    from collections import Counter

    with Store.open(any_index) as store:
        assert ingest([CORPUS], store, jobs=1).ok
        ids = sorted({r.target for r in store.relations_of(store.doc_ids())})[:40] + ["no-such-id"]
        rows = store.relations_linking("target", ids)
        counted = {(t, d): (n, same) for t, d, n, same in store.relation_target_counts(ids)}
        assert counted == {pair: (n, sum(1 for r in rows if (r.target, r.target_date) == pair and r.source == r.target))
                           for pair, n in Counter((r.target, r.target_date) for r in rows).items()}
        assert any(d is None for _, d in counted) and any(d is not None for _, d in counted)
        some = set(list(counted)[::2])
        assert store.relations_targeted(some) == [r for r in rows if (r.target, r.target_date) in some]
        cited = store.citations_naming(ids)
        counts = {(i, d): n for i, d, n in store.citation_counts(ids)}
        assert counts == dict(Counter((r.ref_id, r.date) for r in cited))
        some_cited = set(list(counts)[::2])
        assert store.citations_giving(some_cited) == [r for r in cited if (r.ref_id, r.date) in some_cited]
        assert store.relations_targeted(set()) == [] and store.citations_giving(set()) == []


def test_lists_of_placeholders_ask_the_server_what_they_asked(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        conn = store.conn
        conn.execute("CREATE TABLE t (id bigint, name text, day text)")
        conn.insert_many("INSERT INTO t (id, name, day) VALUES (?,?,?)",
                         [(i, f"n{i % 7}", None if i % 5 else f"2025-01-{i % 28 + 1:02d}") for i in range(1, 2001)])
        conn.execute("CREATE UNIQUE INDEX ON t (id)")
        assert conn.execute("SELECT count(*), count(day), sum(id) FROM t").fetchone() == (2000, 400, 2001000)
        ids = list(range(1, 2001, 3))
        assert [r[0] for r in conn.execute(f"SELECT id FROM t WHERE id IN ({','.join('?' * len(ids))})"
                                           " AND name NOT IN (?, ?) ORDER BY id", [*ids, "n0", "n1"])] == \
            [i for i in ids if i % 7 not in (0, 1)]
        # An upsert of many rows at once: distinct keys, each updated or added.
        conn.insert_many("INSERT INTO t (id, name, day) VALUES (?,?,?)"
                         " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                         [(i, "again", None) for i in range(1990, 2011)])
        assert conn.execute("SELECT count(*), count(*) FILTER (WHERE name = 'again') FROM t").fetchone() == (2010, 21)
        with pytest.raises(ValueError):
            conn.insert_many("INSERT INTO t (id, name) SELECT 1, 'x'", [(1,)])


# --- bad URLs, passwords, servers --------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "docsearch", *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_a_refused_password_or_unreachable_server_is_one_line(pg_cluster: LocalCluster, pg_url: str) -> None:
    bad_password = pg_url.replace(":docsearch-test@", ":wrong@")
    nobody = "postgresql://docsearch@127.0.0.1:1/none"
    for url in (bad_password, nobody):
        proc = _cli("stats", "--index", url)
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        assert "wrong" not in proc.stderr  # no password in messages
    proc = _cli("stats", "--index", pg_url)  # a database without docsearch tables
    assert proc.returncode == 1 and "no docsearch index" in proc.stderr


def test_a_server_lost_mid_ingest_keeps_whole_documents_and_resumes(tmp_path: Path) -> None:
    with LocalCluster.create() as cluster:
        cluster.start()
        url = cluster.create_database("lost")
        seen: list[str] = []

        def progress(done: int, total: int, path: str) -> None:
            seen.append(path)
            if len(seen) == 10:
                cluster.kill()

        with Store.open(url) as store, pytest.raises(StoreError) as failure:
            ingest([CORPUS], store, jobs=1, fulltext=False, progress=progress)
        message = str(failure.value)
        assert "run the command again" in message and "\n" not in message
        cluster.start()
        with Store.open(url) as store:
            # Documents are committed in batches: those of the batch under
            # way are lost, whole, and none half written stays.
            assert store.count() <= 10
            for doc in store.documents():
                assert doc.text
            summary = ingest([CORPUS], store, jobs=1, fulltext=False)
            assert not summary.failed
            assert len(summary.added) + len(summary.unchanged) + len(summary.duplicates) >= 53
            assert store.count() == 53


def _ingest_into(url: str, folder: str) -> None:
    with Store.open(url) as store:
        ingest([folder], store, jobs=1, fulltext=False)


def test_two_ingests_at_once_never_store_a_document_twice(pg_url: str, tmp_path: Path) -> None:
    # Two "machines": the same texts under two different folders.
    first, second = tmp_path / "unit-a", tmp_path / "unit-b"
    shutil.copytree(CORPUS, first)
    shutil.copytree(CORPUS, second)
    Store.open(pg_url).close()
    ctx = multiprocessing.get_context("spawn")
    runs = [ctx.Process(target=_ingest_into, args=(pg_url, str(f))) for f in (first, second)]
    for p in runs:
        p.start()
    for p in runs:
        p.join(300)
        assert p.exitcode == 0
    with Store.open(pg_url) as store:
        docs = list(store.documents())
        assert len(docs) == 53
        assert len({d.sha256 for d in docs}) == 53
        assert sum(len(d.copies) for d in docs) == 53  # every file of the other folder is a copy


def test_a_file_another_ingest_stores_meanwhile_is_not_forgotten(pg_url: str, tmp_path: Path) -> None:
    # An ingest forgets the stored files its walk did not find, as the store
    # held them when it began: not one another machine's ingest of the same
    # folder stored after this walk.
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "c.txt"):
        (folder / name).write_text(f"Số {len(name)}-KH/TU\n{name}\n", encoding="utf-8")
    late = folder / "b.txt"

    def progress(done: int, total: int, path: str) -> None:
        if path and not late.exists():
            late.write_text("Số 7-KH/TU\nb\n", encoding="utf-8")
            with Store.open(pg_url) as other:
                assert ingest([late], other, jobs=1, fulltext=False).added == [str(late)]

    with Store.open(pg_url) as store:
        summary = ingest([folder], store, jobs=1, fulltext=False, progress=progress)
        assert sorted(summary.added) == [str(folder / "a.txt"), str(folder / "c.txt")] and not summary.removed
        assert sorted(d.path for d in store.documents()) == [str(folder / name) for name in ("a.txt", "b.txt", "c.txt")]


def test_a_select_only_user_reads_and_cannot_write(pg_cluster: LocalCluster, pg_url: str) -> None:
    with Store.open(pg_url) as store:
        ingest([CORPUS / "quang-ninh"], store, jobs=1, fulltext=False)
        count = store.count()
    database = pg_url.rsplit("/", 1)[1]
    reader = f"reader_{database}"
    pg_cluster.sql(f"CREATE ROLE {reader} LOGIN PASSWORD 'read-only'")
    pg_cluster.sql(f"GRANT CONNECT ON DATABASE {database} TO {reader}")
    pg_cluster.sql(f"GRANT USAGE ON SCHEMA public TO {reader}", database)
    pg_cluster.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}", database)
    url = pg_cluster.url(database, user=reader, password="read-only")
    with Store.open_reader(url) as store:
        assert store.count() == count
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.set_tagger_version(1)


def test_a_streaming_replica_serves_what_the_primary_stored(pg_cluster: LocalCluster, pg_url: str) -> None:
    with Store.open(pg_url) as store:
        ingest([CORPUS], store, jobs=1, fulltext=False)
        expected = _snapshot(store)
    replica = pg_cluster.start_replica()
    try:
        url = replica.url(pg_url.rsplit("/", 1)[1])
        deadline = time.monotonic() + 60
        while True:
            try:
                with Store.open_reader(url) as store:
                    if store.count() == 53:
                        assert _snapshot(store) == expected
                        assert store.conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
                        break
            except StoreError:
                pass
            assert time.monotonic() < deadline, "the replica did not catch up within 60 s"
            time.sleep(0.5)
    finally:
        replica.remove()


# --- migrate -----------------------------------------------------------------------------

def _rows(index: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    with Store.open_reader(index) as store:
        return {t: store.export_rows(t) for t in TABLE_COLUMNS}


def test_migrate_copies_a_folder_into_a_database_and_back(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    with Store.open(folder) as store:
        ingest([CORPUS], store, jobs=1, fulltext=False)
    original = _rows(folder)

    calls: list[int] = []

    def interrupted(done: int, total: int) -> None:
        calls.append(done)
        if done >= 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_index(str(folder), pg_url, batch=10, progress=interrupted)
    report = copy_index(str(folder), pg_url, batch=10)  # resumes
    assert report.skipped == 20 and report.documents == 33
    assert _rows(pg_url) == original
    back = tmp_path / "back"
    copy_index(pg_url, str(back))
    assert _rows(back) == original
    with Store.open(pg_url) as store:  # new documents are numbered after the copied ones
        ingest([ROOT / "README.md"], store, jobs=1, fulltext=False)
        assert max(store.doc_ids()) == max(r[0] for r in original["documents"]) + 1


def test_migrate_refuses_a_target_holding_other_documents(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    with Store.open(a) as store:
        ingest([CORPUS / "quang-ninh"], store, jobs=1, fulltext=False)
    with Store.open(b) as store:
        ingest([CORPUS / "central"], store, jobs=1, fulltext=False)
    with pytest.raises(StoreError, match="--replace"):
        copy_index(str(a), str(b))
    copy_index(str(a), str(b), replace=True)
    assert _rows(b)["documents"] == _rows(a)["documents"]
    assert (b / STORE_FILE).is_file()
    assert sqlite3.connect(b / STORE_FILE).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_migrate_refuses_to_copy_an_index_onto_itself(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    Store.open(folder).close()
    with pytest.raises(StoreError, match="--from and --to name the same index"):
        copy_index(str(folder) + "/", str(folder))


def test_serve_refuses_a_replica_that_is_not_a_database(tmp_path: Path, pg_url: str) -> None:
    from click.testing import CliRunner

    from docsearch.cli import cli

    folder = str(tmp_path / "index")
    r = CliRunner().invoke(cli, ["serve", "--index", pg_url, "--read-index", folder])
    assert r.exit_code == 2 and "must be a postgresql:// URL" in r.output
    r = CliRunner().invoke(cli, ["serve", "--index", folder, "--read-index", pg_url])
    assert r.exit_code == 2 and "needs --index to be a postgresql:// URL" in r.output


def test_a_database_written_by_a_newer_docsearch_is_refused(pg_url: str) -> None:
    Store.open(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO docsearch_schema (version) VALUES (999)")
    with pytest.raises(StoreError, match="written by a newer docsearch .schema 999"):
        Store.open(pg_url)
