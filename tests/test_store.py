"""The store: schema, migrations, atomic writes, look-ups."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from docsearch.models import Identity, Reference, Relation, TagResult
from docsearch.store import SCHEMA_VERSION, STORE_FILE, DocumentRecord, Store, StoreError


def _save(store: Store, path: str = "/x/a.txt", text: str = "Nội dung", tags: TagResult | None = None) -> int:
    return store.save_document(
        path=path, sha256="ab" * 32, size=len(text.encode()), mtime_ns=1, format="txt", lang="vi",
        title="T", encoding="utf-8", text=text, page_starts=[0], warnings=[], tags=tags,
    )


def test_new_store_has_current_schema(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.count() == 0


def test_open_without_create_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no docsearch index in .*run 'docsearch ingest FOLDER' first"):
        Store.open(tmp_path / "nothing", create=False)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    Store.open(folder).close()
    conn = sqlite3.connect(folder / STORE_FILE)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="written by a newer docsearch"):
        Store.open(folder)


def test_damaged_file_is_a_store_error(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    folder.mkdir()
    (folder / STORE_FILE).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="delete the folder and ingest again"):
        Store.open(folder)


def test_tags_round_trip(store: Store) -> None:
    ref = Reference(start=0, end=8, text="57-NQ/TW", id="57-NQ/TW", type="NQ", number="57",
                    issuer_code="TW", year=2024, date=date(2024, 12, 22), issuer="politburo",
                    relation="implements")
    rel = Relation("46-CTr/TU", "57-NQ/TW", "implements", "thực hiện 57-NQ/TW", 0, 20, date(2024, 12, 22))
    ident = Identity("46-CTr/TU", "CTr", "Tỉnh ủy Quảng Ninh", date(2025, 2, 5), "TU")
    doc_id = _save(store, tags=TagResult(ident, (ref,), (), (rel,)))
    assert store.references(doc_id) == [ref]
    assert store.relations(doc_id) == [rel]
    assert store.find_documents("46-CTr/TU")[0].identity == ident
    assert store.find_documents(f"#{doc_id}")[0].doc_id == doc_id


def test_resave_replaces_tags_instead_of_adding(store: Store) -> None:
    ref = Reference(0, 8, "57-NQ/TW", "57-NQ/TW", "NQ", "57", "TW")
    doc_id = _save(store, tags=TagResult(None, (ref, ref), (), ()))
    again = _save(store, tags=TagResult(None, (ref,), (), ()))
    assert again == doc_id
    assert len(store.references(doc_id)) == 1
    assert store.count() == 1


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO documents (path, sha256, size, mtime_ns, format, lang, text,"
                     " page_starts, warnings, ingested_at) VALUES ('p','s',1,1,'txt','vi','t','[0]','[]','now')")
        raise RuntimeError("boom")
    assert store.count() == 0


def test_find_by_path_suffix(store: Store) -> None:
    _save(store, path="/data/corpus/quang-ninh/ctr-46.txt")
    assert [d.path for d in store.find_documents("quang-ninh/ctr-46.txt")] == ["/data/corpus/quang-ninh/ctr-46.txt"]
    assert store.find_documents("nothing-like-this.txt") == []


def test_read_models_answer_without_sql_in_the_callers(store: Store) -> None:
    from docsearch.store import Citation

    refs = (
        Reference(10, 24, "Nghị quyết 57", "57-NQ/TW", "NQ", "57", "TW", 2024, date(2024, 12, 22), "politburo",
                  relation="implements"),
        Reference(30, 40, "Kế hoạch 12", None, "KH", "12", None, short_form=True, status="unresolved"),
    )
    own = Identity("46-CTr/TU", "CTr", "Tỉnh ủy Quảng Ninh", date(2025, 2, 5), "TU")
    rel = Relation("46-CTr/TU", "57-NQ/TW", "implements", "thực hiện Nghị quyết 57", 0, 24, date(2024, 12, 22))
    a = _save(store, "/x/a.txt", "x" * 50, TagResult(self=own, references=refs, dates=(), relations=(rel,)))
    b = _save(store, "/x/b.txt")
    assert store.doc_ids() == [a, b]
    assert store.paths() == {a: "/x/a.txt", b: "/x/b.txt"}
    assert store.self_ids() == ["46-CTr/TU"]
    assert store.header_issuers() == [("Tỉnh ủy Quảng Ninh", "TU")]
    assert list(store.unsettled_references()) == [(a, "12", "KH")]
    assert store.citations("57-NQ/TW") == [
        Citation(a, 10, 24, "Nghị quyết 57", date(2024, 12, 22), 2024, None, "politburo")]
    assert store.relation_target_ids(["implements"], ["TW"]) == ["57-NQ/TW"]
    assert store.relation_target_ids(["implements"], ["TU"]) == []
    assert store.relation_target_ids(["cites"], ["TW"]) == []


def test_documents_tagged_by_an_earlier_tagger_are_tagged_again(tmp_path) -> None:
    from docsearch import ingest
    from docsearch.refs import TAGGER_VERSION

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.", "utf-8")
    with Store.open(tmp_path / "index") as s:
        ingest([folder], s, jobs=1, fulltext=False)
        assert s.tagger_version() == TAGGER_VERSION
        s.set_tagger_version(TAGGER_VERSION - 1)
        again = ingest([folder], s, jobs=1, fulltext=False)
        assert again.retagged == 1 and len(again.unchanged) == 1
        assert s.tagger_version() == TAGGER_VERSION
        assert ingest([folder], s, jobs=1, fulltext=False).retagged == 0


def test_a_batch_is_stored_as_one_document_at_a_time_would_be(tmp_path: Path) -> None:
    tags = TagResult(
        Identity(id="46-CTr/TU", type="CTr", issuer="Tỉnh ủy Quảng Ninh", date=date(2025, 2, 1)),
        (Reference(start=0, end=8, text="57-NQ/TW", id="57-NQ/TW", type="NQ", number="57",
                   issuer_code="TW", relation="implements"),),
        (),
        (Relation(source="46-CTr/TU", target="57-NQ/TW", type="implements", evidence="thực hiện 57-NQ/TW",
                  evidence_start=0, evidence_end=8),),
    )
    texts = {"/x/a.txt": "57-NQ/TW a", "/x/b.txt": "b", "/x/c.txt": "c"}
    one, batch = Store.open(tmp_path / "one"), Store.open(tmp_path / "batch")
    for path, text in texts.items():
        _save(one, path, text, tags if path.endswith("a.txt") else None)
    ids = batch.save_documents([
        DocumentRecord(path=path, sha256="ab" * 32, size=len(text.encode()), mtime_ns=1, ctime_ns=0, inode=0,
                       format="txt", lang="vi", title="T", encoding="utf-8", text=text, page_starts=[0],
                       warnings=[], tags=tags if path.endswith("a.txt") else None)
        for path, text in texts.items()
    ])
    assert len(ids) == 3
    for a, b in zip(one.documents(), batch.documents(), strict=True):
        assert (a.path, a.text, a.identity) == (b.path, b.text, b.identity)
        assert one.references(a.doc_id) == batch.references(b.doc_id)
        assert one.relations(a.doc_id) == batch.relations(b.doc_id)
    # Saving a path again replaces its document, as save_document does.
    again = batch.save_documents([
        DocumentRecord(path="/x/b.txt", sha256="cd" * 32, size=2, mtime_ns=2, ctime_ns=0, inode=0, format="txt",
                       lang="vi", title=None, encoding="utf-8", text="bb", page_starts=[0], warnings=[], tags=tags)
    ])
    assert again == [ids[1]] and batch.document(ids[1]).text == "bb" and batch.count() == 3
    assert [r.id for r in batch.references(ids[1])] == ["57-NQ/TW"]
    one.close()
    batch.close()


def test_index_keys_and_sources_name_only_the_documents_asked(store: Store) -> None:
    ids = [_save(store, f"/x/{i}.txt", f"văn bản {i}") for i in range(3)]
    keys = store.index_keys([ids[0], ids[2], 999], header_chars=400)
    assert sorted(keys) == [ids[0], ids[2]] and keys[ids[0]].path == "/x/0.txt"
    assert sorted(store.index_keys(header_chars=400)) == ids
    assert [s.doc_id for s in store.index_sources([ids[1]], header_chars=400)] == [ids[1]]


def test_a_long_run_of_writes_copies_the_log_on_a_thread_of_its_own(tmp_path: Path) -> None:
    import shutil
    import threading

    def copying() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "docsearch-checkpoints"]

    with Store.open(tmp_path / "idx") as store:
        store.conn.execute("PRAGMA wal_autocheckpoint = 500")
        with store.bulk_writes(), store.bulk_writes(1000):  # one copier for nested blocks
            assert len(copying()) == 1
            assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            for n in range(20):
                with store.transaction():
                    store.conn.execute("INSERT INTO settings (name, value) VALUES (?, ?)", (f"k{n}", "v" * 5000))
        assert not copying()
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 500
        # What was committed is in the database file itself, without its log:
        # the writer copied nothing while the block ran, so the copier did.
        shutil.copy(tmp_path / "idx" / STORE_FILE, tmp_path / "alone.sqlite")
        alone = sqlite3.connect(tmp_path / "alone.sqlite")
        assert alone.execute("SELECT count(*) FROM settings WHERE name LIKE 'k%'").fetchone()[0] == 20
        alone.close()
        with pytest.raises(RuntimeError), store.bulk_writes():
            raise RuntimeError("a failed run")
        assert not copying()
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 500


def test_without_a_thread_to_copy_the_log_the_writer_copies_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with Store.open(tmp_path / "idx") as store:
        before = store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        monkeypatch.setattr(threading.Thread, "start", refuse)
        with store.bulk_writes():
            assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before
            with store.transaction():
                store.conn.execute("INSERT INTO settings (name, value) VALUES ('k', 'v')")
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before
