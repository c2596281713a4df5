"""Ingestion: incremental runs, removal, bad input, and a killed run resumed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docsearch import ingestion as ingest_mod
from docsearch.ingestion import collect, ingest
from docsearch.store import INGEST_CACHE_KIB, STORE_FILE, USUAL_CACHE_KIB, Store

ROOT = Path(__file__).resolve().parents[1]

VI_PARA = (
    "Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW "
    "ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
    "và chuyển đổi số quốc gia."
)


def test_seeds_are_stored_then_unchanged(seeds: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ingest([seeds], store, jobs=1)
    assert first.ok
    assert len(first.added) == 5
    assert store.count() == 5

    calls: list[str] = []
    real = ingest_mod.extract_bytes
    monkeypatch.setattr(ingest_mod, "extract_bytes", lambda *a, **k: calls.append("x") or real(*a, **k))
    second = ingest([seeds], store, jobs=1)
    assert len(second.unchanged) == 5
    assert not second.added and not second.updated and not second.removed
    assert calls == []  # nothing was extracted again


def test_the_run_writes_with_a_larger_page_cache_and_journals_in_memory_then_sets_them_back(
        seeds: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def settings() -> tuple[int, int]:
        cache = int(store.conn.execute("PRAGMA cache_size").fetchone()[0])
        return cache, int(store.conn.execute("PRAGMA temp_store").fetchone()[0])

    before = settings()
    assert before[1] != 2  # the default keeps temporary data in files
    seen: list[tuple[int, int]] = []
    real = Store.save_documents

    def save(self: Store, *a: object, **k: object) -> object:
        seen.append(settings())
        return real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "save_documents", save)
    assert ingest([seeds], store, jobs=1).ok
    # Statement journals in memory (temp_store 2): no temporary file written page by page.
    assert seen and set(seen) == {(-INGEST_CACHE_KIB, 2)}
    assert settings() == before

    # A batch with a large text keeps SQLite's usual cache: its pages would add to the run's peak.
    seen.clear()
    monkeypatch.setattr(ingest_mod, "LARGE_TEXT_CHARS", 10)
    store.remove([d.path for d in store.documents()])
    assert ingest([seeds], store, jobs=1).ok
    assert seen and set(seen) == {(-USUAL_CACHE_KIB, 2)}
    assert settings() == before


def test_seed_text_is_kept_exactly(seeds: Path, store: Store) -> None:
    ingest([seeds], store, jobs=1)
    for doc in store.documents():
        original = Path(doc.path).read_text("utf-8")
        # Only line-end spaces and blank-line runs may differ after cleaning.
        assert " ".join(doc.text.split()) == " ".join(original.split())
        assert doc.lang in ("en", "de")


def test_changed_file_is_reextracted_and_touched_file_is_not(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    f = folder / "a.txt"
    f.write_text(VI_PARA, "utf-8")
    assert len(ingest([folder], store, jobs=1).added) == 1

    os.utime(f, ns=(time.time_ns(), time.time_ns() + 10_000_000_000))  # same bytes, new mtime
    s = ingest([folder], store, jobs=1)
    assert len(s.unchanged) == 1 and not s.updated

    f.write_text(VI_PARA + " Kết luận số 123-KL/TW.", "utf-8")
    s = ingest([folder], store, jobs=1)
    assert len(s.updated) == 1
    doc = store.find_documents(str(f))[0]
    assert "123-KL/TW" in doc.text
    assert {r.id for r in store.references(doc.doc_id)} == {"57-NQ/TW", "123-KL/TW"}


def test_vanished_files_are_removed_and_reported(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    (folder / "sub" / "b.txt").write_text("Resolution 57 was issued on December 22, 2024.", "utf-8")
    other = tmp_path / "other.txt"
    other.write_text("A text outside the folder about Directive 35.", "utf-8")
    ingest([folder, other], store, jobs=1)
    assert store.count() == 3
    (folder / "sub" / "b.txt").unlink()
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.removed] == ["b.txt"]
    # A file that was ingested on its own is not under the folder: it stays.
    assert store.count() == 2


def test_parallel_run_matches_serial_run(seeds: Path, tmp_path: Path) -> None:
    # Enough files that the run really uses worker processes (small runs stay in-process).
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(ingest_mod.SMALL_RUN_FILES + 6):
        src = sorted(seeds.glob("*.txt"))[i % 5]
        (folder / f"{i:03d}-{src.name}").write_text(src.read_text("utf-8") + f"\n{i}", "utf-8")
    with Store.open(tmp_path / "one") as a, Store.open(tmp_path / "two") as b:
        ingest([folder], a, jobs=1)
        ingest([folder], b, jobs=2)
        assert [(d.path, d.text) for d in a.documents()] == [(d.path, d.text) for d in b.documents()]
        for da, db in zip(a.documents(), b.documents(), strict=True):
            assert a.references(da.doc_id) == b.references(db.doc_id)


# --- bad input ---------------------------------------------------------------------

def _failures(tmp_path: Path, files: dict[str, bytes]) -> tuple[dict[str, str], Store]:
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(VI_PARA, "utf-8")
    store = Store.open(tmp_path / "index")
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.added] == ["good.txt"], "the good file must still be ingested"
    return {Path(f.file).name: f.reason for f in s.failed}, store


def test_zero_byte_file(tmp_path: Path) -> None:
    failures, store = _failures(tmp_path, {"empty.txt": b""})
    assert failures == {"empty.txt": "empty file (0 bytes) (check that the file was copied completely)"}
    store.close()


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 64
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(2000)
    failures, store = _failures(tmp_path, {"junk.txt": junk, "image.txt": png})
    assert set(failures) == {"junk.txt", "image.txt"}
    for reason in failures.values():
        assert reason.startswith("binary data, not text")
    store.close()


def test_docx_that_is_a_zip_of_something_else(tmp_path: Path) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes/readme.txt", "hello")
    failures, store = _failures(tmp_path, {"report.docx": buf.getvalue()})
    assert failures == {"report.docx": "ZIP archive that is not a Word document (no word/document.xml) "
                                        "(unpack it, or save the document as .docx)"}
    store.close()


def test_pdf_named_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    failures, store = _failures(tmp_path, {"scan.pdf": b"<html>not a pdf</html>"})
    assert failures["scan.pdf"] == "not a PDF: it is an HTML page (check that the file is complete)"
    store.close()


def test_directory_symlink_loop_terminates(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "loop"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "doc.txt").write_text(VI_PARA, "utf-8")
    os.symlink(folder, folder / "a" / "back")
    os.symlink(folder / "a", folder / "a" / "self")
    listing = collect([folder])
    assert [Path(f).name for f in listing.files] == ["doc.txt"]
    assert sorted((Path(f.file).name, f.reason.split(":")[0]) for f in listing.ignored) == [
        ("back", "link loop"), ("self", "link loop")]
    assert len(ingest([folder], store, jobs=1).added) == 1


def test_file_that_vanishes_between_listing_and_reading(tmp_path: Path, store: Store,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    (folder / "gone.txt").write_text(VI_PARA, "utf-8")
    real_collect = ingest_mod.collect

    def collect_then_delete(paths, **kw):  # type: ignore[no-untyped-def]
        listing = real_collect(paths, **kw)
        (folder / "gone.txt").unlink()
        return listing

    monkeypatch.setattr(ingest_mod, "collect", collect_then_delete)
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.added] == ["a.txt"]
    assert [(Path(f.file).name, f.reason) for f in s.failed] == [
        ("gone.txt", "file disappeared before it could be read (moved or deleted during the run); run ingest again")
    ]


def test_missing_path_is_reported(tmp_path: Path, store: Store) -> None:
    s = ingest([tmp_path / "nope"], store, jobs=1)
    assert [f.reason for f in s.failed] == ["no such file or folder; check the path"]


def test_already_indexed_document_survives_a_broken_update(tmp_path: Path, store: Store) -> None:
    f = tmp_path / "a.txt"
    f.write_text(VI_PARA, "utf-8")
    ingest([f], store, jobs=1)
    f.write_bytes(b"\x00\x01\x02" * 1000)
    s = ingest([f], store, jobs=1)
    assert len(s.failed) == 1
    assert store.find_documents(str(f))[0].text == VI_PARA


@pytest.mark.slow
def test_fifty_megabyte_text_file(tmp_path: Path, store: Store) -> None:
    block = (VI_PARA + "\n") * 200
    repeats = (50 * 1024 * 1024) // len(block.encode()) + 1
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        for _ in range(repeats):
            fh.write(block)
    s = ingest([big], store, jobs=1)
    assert s.ok
    doc = store.documents().__next__()
    assert doc.size >= 50 * 1024 * 1024
    assert doc.text.count("57-NQ/TW") == repeats * 200


# --- kill and resume ------------------------------------------------------------------

def _numbered_texts(folder: Path, n: int) -> Path:
    """``folder`` made, holding ``n`` short texts that differ by their number."""
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i}.txt").write_text(f"Văn bản số {i}. {VI_PARA}", "utf-8")
    return folder


def _make_many(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i:04d}.txt").write_text(f"Văn bản {i}. " + VI_PARA * 40, "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(("kill_after", "before"), [(1, 0), (20, 0), (80, 0), (20, 30)])
def test_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path, kill_after: int, before: int) -> None:
    """``before``: that many documents ingested whole first, so that the
    killed run starts with the full-text index in step with the store."""
    from docsearch.search import open_reader
    from docsearch.search.indexer import fingerprints

    folder = tmp_path / "many"
    n = 400
    _make_many(folder, n)
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "docsearch", "ingest", str(folder), "--index", str(index), "--jobs", "2"]
    if before:
        later = tmp_path / "later"
        later.mkdir()
        for path in sorted(folder.iterdir())[before:]:
            path.rename(later / path.name)
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        for path in later.iterdir():
            path.rename(folder / path.name)
        with Store.open(index) as store:
            assert store.fulltext_in_step()
    # Small batches, so that a fast machine still commits many before the kill.
    env = {**os.environ, "DOCSEARCH_INGEST_BATCH": "10"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    db = index / STORE_FILE
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= before + kill_after:
                break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored < n, "the run finished before it could be killed; make it longer"

    with Store.open(index) as store:  # the killed store opens
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = store.count()
        assert not store.fulltext_in_step()
    done = subprocess.run(cmd + ["--format", "json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store.open(index) as store:
        assert store.count() == n
        paths = [d.path for d in store.documents()]
        assert len(set(paths)) == n
        for d in store.documents():
            assert d.text == Path(d.path).read_text("utf-8").strip()
            assert any(r.id == "57-NQ/TW" for r in store.references(d.doc_id))
        assert store.fulltext_in_step()
        wanted = fingerprints(store)
    with open_reader(index) as engine:
        assert engine.fingerprints() == wanted
    assert partial >= before + kill_after


def test_a_later_document_resolves_an_earlier_short_form(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    # "của Đảng ủy" names no level (commune, ward, agency...), so its
    # numbering cannot be inferred: the number stays open until a text says.
    (folder / "a-report.txt").write_text(
        "Báo cáo: xã tiếp tục thực hiện Nghị quyết 09 của Đảng ủy về chuyển đổi số.", "utf-8")
    ingest([folder], store, jobs=1)
    report = store.find_documents("a-report.txt")[0]
    assert [r.id for r in store.references(report.doc_id)] == [None]
    (folder / "b-nq-09.txt").write_text(
        "ĐẢNG BỘ HUYỆN VÂN ĐỒN\nĐẢNG ỦY XÃ ĐÀI XUYÊN\n*\nSố 09-NQ/ĐU\nĐài Xuyên, ngày 05 tháng 02 năm 2022\n\n"
        "NGHỊ QUYẾT\nvề chuyển đổi số toàn diện xã Đài Xuyên\n", "utf-8")
    summary = ingest([folder], store, jobs=1)
    assert summary.retagged == 1
    assert [r.id for r in store.references(report.doc_id)] == ["09-NQ/ĐU"]


def test_broken_pdfs_and_documents_in_one_run(tmp_path: Path, store: Store) -> None:
    """The fixtures of every damaged format, ingested together with good files."""
    import shutil

    from conftest import DATA

    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("encrypted.pdf", "truncated.pdf", "scanned.pdf", "not_a_word_file.docx",
                 "report.pdf", "report.docx", "article.html"):
        shutil.copy(DATA / "formats" / name, folder / name)
    (folder / "invalid-utf8.txt").write_bytes(bytes(range(0x80, 0x100)) * 40)
    s = ingest([folder], store, jobs=1)
    reasons = {Path(f.file).name: f.reason for f in s.failed}
    assert sorted(Path(p).name for p in s.added) == ["article.html", "report.docx", "report.pdf"]
    assert reasons["encrypted.pdf"].startswith("encrypted PDF (password protected)")
    assert reasons["truncated.pdf"].startswith("damaged PDF")
    assert reasons["scanned.pdf"].startswith("no text layer (scanned?)")
    assert reasons["not_a_word_file.docx"].startswith("ZIP archive that is not a Word document")
    assert reasons["invalid-utf8.txt"].startswith("not valid text in any supported encoding")
    for reason in reasons.values():
        assert "(" in reason and "\n" not in reason  # one line, with what to do


def test_an_older_store_is_migrated_in_place(tmp_path: Path) -> None:
    from docsearch.store import MIGRATIONS, SCHEMA_VERSION, _split_sql

    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / STORE_FILE)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO documents (path, sha256, size, mtime_ns, format, lang, text, page_starts,"
                 " warnings, ingested_at) VALUES ('/x.txt','s',1,1,'txt','vi','Nội dung','[0]','[]','t')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(folder) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [d.text for d in store.documents()] == ["Nội dung"]


def test_a_bug_on_one_file_does_not_end_the_run(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    (folder / "boom.txt").write_text("Chỉ thị số 35-CT/TW.", "utf-8")
    real = ingest_mod.tag

    def fragile(text: str, **kw):  # type: ignore[no-untyped-def]
        if "35-CT/TW" in text:
            raise RuntimeError("tagger bug")
        return real(text, **kw)

    monkeypatch.setattr(ingest_mod, "tag", fragile)
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.added] == ["a.txt"]
    assert [(Path(f.file).name, f.reason) for f in s.failed] == [
        ("boom.txt", "unexpected error reading it (RuntimeError: tagger bug); please report this file")]


# --- hostile folders ------------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_stored_under_an_escaped_name(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(VI_PARA, "utf-8")
    bad = os.path.join(os.fsencode(folder), b"a\xff.txt")
    with open(bad, "wb") as fh:
        fh.write("Nghị quyết 57 của Bộ Chính trị.".encode())
    s = ingest([folder], store, jobs=1)
    assert s.ok, s.failed
    names = sorted(Path(p).name for p in s.added)
    assert names == ["a\\xff.txt", "good.txt"]
    escaped = store.find_documents("a\\xff.txt")
    assert len(escaped) == 1 and "Nghị quyết 57" in escaped[0].text
    # The next run finds it unchanged through its real name, and notices when it goes.
    again = ingest([folder], store, jobs=1)
    assert len(again.unchanged) == 2 and not again.added and not again.updated
    os.unlink(bad)
    gone = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in gone.removed] == ["a\\xff.txt"]


def test_a_second_ingest_of_the_same_index_refuses_or_waits(tmp_path: Path) -> None:
    import threading

    from docsearch.store import StoreBusy

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    with Store.open(tmp_path / "index") as first, Store.open(tmp_path / "index") as second:
        with first.writer_lock():
            with pytest.raises(StoreBusy, match=r"another ingest is writing the index .*\(pid \d+, started .*use --wait"):
                ingest([folder], second, jobs=1)
            assert second.count() == 0  # refused up front: nothing was read
            messages: list[str] = []
            result: list[object] = []

            def wait_then_ingest() -> None:
                with Store.open(tmp_path / "index") as third:
                    result.append(ingest([folder], third, jobs=1, wait=True, waiting=messages.append))

            waiter = threading.Thread(target=wait_then_ingest)
            waiter.start()
            time.sleep(0.5)
            assert waiter.is_alive() and not result
        waiter.join(timeout=60)
        assert messages and "waiting for it to finish" in str(messages[0])
        assert second.count() == 1


def test_a_second_ingest_process_says_why_it_stops(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    with Store.open(tmp_path / "index") as store, store.writer_lock():
        r = subprocess.run([sys.executable, "-m", "docsearch", "ingest", str(folder), "--index", str(tmp_path / "index")],
                           capture_output=True, text=True, timeout=60)
        vietnamese = subprocess.run([sys.executable, "-m", "docsearch", "ingest", str(folder), "--index",
                                     str(tmp_path / "index")], capture_output=True, text=True, timeout=60,
                                    env={k: v for k, v in os.environ.items() if k != "DOCSEARCH_LANG"})
    assert r.returncode == 1
    assert r.stderr.startswith("Error: another ingest is writing the index") and "Traceback" not in r.stderr
    assert vietnamese.returncode == 1
    assert "một lần ingest khác đang ghi vào chỉ mục" in vietnamese.stderr and "hoặc dùng --wait" in vietnamese.stderr


def test_an_edit_that_keeps_size_and_mtime_is_found(tmp_path: Path, store: Store) -> None:
    f = tmp_path / "a.txt"
    f.write_text(VI_PARA, "utf-8")
    ingest([f], store, jobs=1)
    before = f.stat()
    # `sed -i` then `touch -r`: same size, same mtime, other bytes.
    f.write_text(VI_PARA.replace("57-NQ/TW", "58-NQ/TW"), "utf-8")
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert f.stat().st_size == before.st_size and f.stat().st_mtime_ns == before.st_mtime_ns
    s = ingest([f], store, jobs=1)
    assert len(s.updated) == 1
    assert "58-NQ/TW" in store.find_documents(str(f))[0].text


def test_verify_reads_every_file(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_text(VI_PARA, "utf-8")
    ingest([f], store, jobs=1)
    read: list[str] = []
    real = ingest_mod.process_file
    monkeypatch.setattr(ingest_mod, "process_file", lambda job, *rest: read.append(job.path) or real(job, *rest))
    assert len(ingest([f], store, jobs=1).unchanged) == 1 and read == []
    s = ingest([f], store, jobs=1, verify=True)
    assert read == [str(f)] and len(s.unchanged) == 1 and not s.updated


def test_the_same_content_under_two_paths_is_one_document(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "docs"
    (folder / "copy").mkdir(parents=True)
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    (folder / "copy" / "a.txt").write_text(VI_PARA, "utf-8")
    (folder / "b.txt").write_text("Kết luận số 123-KL/TW của Bộ Chính trị.", "utf-8")
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.added] == ["a.txt", "b.txt"]
    assert [str(Path(p).relative_to(folder)) for p in s.duplicates] == ["copy/a.txt"]
    assert s.to_json()["duplicates"] == 1
    assert store.count() == 2
    doc = store.find_documents(str(folder / "copy" / "a.txt"))[0]
    assert doc.path == str(folder / "a.txt") and doc.copies == (str(folder / "copy" / "a.txt"),)
    assert store.find_documents("copy/a.txt") == [doc]
    assert len(ingest([folder], store, jobs=1).unchanged) == 3

    # The first path goes: the document stays under its copy.
    (folder / "a.txt").unlink()
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.removed] == ["a.txt"]
    assert [d.path for d in store.documents()] == [str(folder / "b.txt"), str(folder / "copy" / "a.txt")]
    # A copy that changes becomes its own document; one that comes back to a stored content joins it.
    (folder / "b2.txt").write_text("Kết luận số 123-KL/TW của Bộ Chính trị.", "utf-8")
    (folder / "copy" / "a.txt").write_text("Chỉ thị số 35-CT/TW.", "utf-8")
    s = ingest([folder], store, jobs=1)
    assert [Path(p).name for p in s.duplicates] == ["b2.txt"] and [Path(p).name for p in s.updated] == ["a.txt"]
    assert store.count() == 2
    assert store.find_documents(str(folder / "b.txt"))[0].copies == (str(folder / "b2.txt"),)


def test_a_first_path_with_copies_that_changes_leaves_the_copies_their_document(tmp_path: Path, store: Store) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(VI_PARA, "utf-8")
    two.write_text(VI_PARA, "utf-8")
    ingest([tmp_path], store, jobs=1)
    assert store.count() == 1
    one.write_text("Chỉ thị số 35-CT/TW.", "utf-8")
    s = ingest([tmp_path], store, jobs=1)
    assert [Path(p).name for p in s.updated] == ["one.txt"]
    texts = {Path(d.path).name: d.text for d in store.documents()}
    assert texts == {"one.txt": "Chỉ thị số 35-CT/TW.", "two.txt": VI_PARA}


def test_links_out_of_the_folder_are_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Quyết định số 1-QĐ/TU, mật.", "utf-8")
    folder = tmp_path / "docs"
    (folder / "inner").mkdir(parents=True)
    (folder / "a.txt").write_text(VI_PARA, "utf-8")
    (folder / "inner" / "b.txt").write_text("Kết luận số 123-KL/TW.", "utf-8")
    os.symlink(outside / "secret.txt", folder / "secret.txt")
    os.symlink(outside, folder / "private")
    os.symlink(folder / "inner" / "b.txt", folder / "b-link.txt")  # inside: followed
    os.symlink(tmp_path / "nowhere.txt", folder / "dangling.txt")
    os.symlink("loop2.txt", folder / "loop1.txt")
    os.symlink("loop1.txt", folder / "loop2.txt")
    os.mkfifo(folder / "pipe.txt")

    with Store.open(tmp_path / "index") as store:
        s = ingest([folder], store, jobs=1)
        assert s.ok
        stored = sorted(Path(d.path).name for d in store.documents())
        assert stored == ["a.txt", "b-link.txt"] and [Path(p).name for p in s.duplicates] == ["b.txt"]
        notes = {Path(f.file).name: f.reason for f in s.ignored}
        assert set(notes) == {"secret.txt", "private", "dangling.txt", "loop1.txt", "loop2.txt", "pipe.txt"}
        assert notes["secret.txt"] == (f"link to {outside / 'secret.txt'}, outside the folders given; "
                                       "not followed (use --follow-links to read it)")
        assert notes["dangling.txt"].startswith("dangling link to ")
        assert notes["loop1.txt"].startswith("link loop")
        assert notes["pipe.txt"] == "a named pipe (FIFO), not a regular file; not read"
        assert s.to_json()["ignored"][0].keys() == {"file", "reason"}

        followed = ingest([folder], store, jobs=1, follow_links=True)
        assert sorted(Path(p).name for p in followed.added) == ["secret.txt"]
        # The second way to the same file is a duplicate, not a second document.
        assert [Path(p).name for p in followed.duplicates] == ["secret.txt"]
        assert {Path(f.file).name for f in followed.ignored} == {"dangling.txt", "loop1.txt", "loop2.txt", "pipe.txt"}


def test_links_between_the_folders_given_are_followed(tmp_path: Path, store: Store) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (two / "b.txt").write_text("Kết luận số 123-KL/TW.", "utf-8")
    os.symlink(two / "b.txt", one / "b.txt")
    s = ingest([one, two], store, jobs=1)
    assert not s.ignored and store.count() == 1


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its parent has not collected it yet


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker processes from /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_a_killed_ingest(tmp_path: Path, sig: signal.Signals) -> None:
    folder = tmp_path / "many"
    _make_many(folder, 300)
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "docsearch", "ingest", str(folder), "--index", str(index), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert len(workers) >= 2, "the run never started two workers"
    time.sleep(0.3)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "worker processes outlived their ingest"
    assert proc.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM)
    if sig == signal.SIGTERM:
        assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()
    with Store.open(index) as store:  # and the store is whole
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_interrupted_process_ends_though_a_thread_is_stuck() -> None:
    # A worker stopped while writing its result leaves the pool's thread
    # reading for ever; after an interrupt the process must end anyway.
    code = ("import os, threading\n"
            "from docsearch import cli\n"
            "r, w = os.pipe()\n"
            "threading.Thread(target=os.read, args=(r, 1)).start()\n"
            "cli._exit_after_interrupt(143)\n")
    done = subprocess.run([sys.executable, "-c", code], timeout=30)
    assert done.returncode == 143


def test_an_interrupted_run_leaves_a_full_text_index_that_agrees_with_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.search import open_reader, search

    folder = _numbered_texts(tmp_path / "docs", 9)
    monkeypatch.setattr(ingest_mod, "BATCH_DOCUMENTS", 3)

    class Killed(BaseException):
        pass

    def progress(done: int, total: int, path: str) -> None:
        if done == 7:
            raise Killed  # as a kill right after the 7th document was stored

    with Store.open(tmp_path / "index") as store:
        with pytest.raises(Killed):
            ingest([folder], store, jobs=1, progress=progress)
        assert store.count() == 6  # two whole batches; the third was in hand
        stored = {d.doc_id for d in store.documents()}
    with open_reader(tmp_path / "index") as engine:
        indexed = set(engine.fingerprints())
    assert indexed == stored  # in step with the store
    assert search(str(tmp_path / "index"), "57-NQ/TW").total == len(indexed)


@pytest.mark.slow
def test_a_large_text_is_ingested_in_bounded_memory(tmp_path: Path) -> None:
    """Peak memory of a whole `docsearch ingest` of a 50 MB text, against a
    one-paragraph run as the base. bench/memory_bench.py measures it (about
    11x the file, where tagging the file alone peaks); the bound here is
    generous, so that only a real regression fails."""
    def peak_mb(file: Path, index: Path) -> float:
        cmd = [sys.executable, "-m", "docsearch", "ingest", str(file), "--index", str(index), "--jobs", "1"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        assert proc.returncode == 0
        return usage.ru_maxrss / 1024

    small = tmp_path / "small.txt"
    small.write_text(VI_PARA, "utf-8")
    base = peak_mb(small, tmp_path / "i1")
    big = tmp_path / "big.txt"
    block = (VI_PARA + "\n") * 200
    with big.open("w", encoding="utf-8") as fh:
        for _ in range((50 * 1024 * 1024) // len(block.encode()) + 1):
            fh.write(block)
    size_mb = big.stat().st_size / 1024 / 1024
    peak = peak_mb(big, tmp_path / "i2")
    assert peak - base < 15 * size_mb, f"peak {peak:.0f} MB for a {size_mb:.0f} MB file (base {base:.0f} MB)"


def test_batches_leave_the_full_text_index_as_a_whole_sync_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.search import open_reader, sync
    from docsearch.search.indexer import fingerprints

    folder = _numbered_texts(tmp_path / "docs", 7)
    (folder / "copy.txt").write_text(f"Văn bản số 3. {VI_PARA}", "utf-8")  # the same content in the same batch
    monkeypatch.setattr(ingest_mod, "BATCH_DOCUMENTS", 3)
    with Store.open(tmp_path / "index") as store:
        summary = ingest([folder], store, jobs=1)
        assert len(summary.added) == 7 and len(summary.duplicates) == 1
        assert summary.fulltext is not None and summary.fulltext["added"] == 7
        report = sync(store)  # nothing left to do: each batch was indexed as a whole sync indexes it
        assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 7)
        wanted = fingerprints(store)
    with open_reader(tmp_path / "index") as engine:
        assert engine.fingerprints() == wanted
        some = sorted(wanted)[:2]
        assert engine.fingerprints_of([*some, 10_000]) == {d: wanted[d] for d in some}


# --- the full-text index at the end of a run --------------------------------------------

def _whole_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the passes over every document's fingerprint at the end of a run."""
    from docsearch.search import indexer

    calls: list[str] = []
    real = indexer.LiveIndex.sync

    def sync(self: indexer.LiveIndex, *args: object, **kwargs: object) -> indexer.SyncReport:
        calls.append("sync")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer.LiveIndex, "sync", sync)
    return calls


def _index_agrees(store: Store) -> None:
    from docsearch.search import open_reader
    from docsearch.search.indexer import fingerprints

    wanted = fingerprints(store)
    with open_reader(store.index_location) as engine:
        assert engine.fingerprints() == wanted


def test_a_run_after_one_that_left_the_index_in_step_looks_only_at_what_it_changed(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _numbered_texts(tmp_path / "docs", 5)
    (folder / "a-report.txt").write_text(
        "Báo cáo: xã tiếp tục thực hiện Nghị quyết 09 của Đảng ủy về chuyển đổi số.", "utf-8")
    passes = _whole_passes(monkeypatch)
    monkeypatch.setattr(ingest_mod, "BATCH_DOCUMENTS", 2)
    assert not store.fulltext_in_step()
    first = ingest([folder], store, jobs=1)
    assert first.fulltext is not None and first.fulltext["added"] == 6
    assert passes == []  # the index was new: built whole by the first batch, then kept in step
    assert store.fulltext_in_step()
    _index_agrees(store)

    # A new text that re-tags an earlier one, an edit, a removal and a copy.
    (folder / "b-nq-09.txt").write_text(
        "ĐẢNG BỘ HUYỆN VÂN ĐỒN\nĐẢNG ỦY XÃ ĐÀI XUYÊN\n*\nSố 09-NQ/ĐU\nĐài Xuyên, ngày 05 tháng 02 năm 2022\n\n"
        "NGHỊ QUYẾT\nvề chuyển đổi số toàn diện xã Đài Xuyên\n", "utf-8")
    (folder / "doc1.txt").write_text(f"Văn bản số 1, sửa lại. {VI_PARA}", "utf-8")
    (folder / "doc2.txt").unlink()
    (folder / "copy.txt").write_text(f"Văn bản số 3. {VI_PARA}", "utf-8")
    second = ingest([folder], store, jobs=1)
    assert second.retagged == 1 and second.removed and second.duplicates and second.updated
    assert passes == []
    assert second.fulltext is not None
    assert (second.fulltext["added"], second.fulltext["updated"], second.fulltext["deleted"]) == (1, 2, 1)
    assert second.fulltext["documents"] == store.count() == 6
    assert store.fulltext_in_step()
    _index_agrees(store)


def test_a_run_after_a_killed_one_or_a_write_outside_an_ingest_looks_at_every_document(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _numbered_texts(tmp_path / "docs", 9)
    passes = _whole_passes(monkeypatch)
    monkeypatch.setattr(ingest_mod, "BATCH_DOCUMENTS", 3)
    ingest([folder], store, jobs=1)
    assert store.fulltext_in_step() and passes == []

    class Killed(BaseException):
        pass

    def kill_in_the_index(self: object, *args: object, **kwargs: object) -> None:
        raise Killed  # as a kill after the batch's store commit, before its index commit

    for i in range(9, 12):
        (folder / f"doc{i}.txt").write_text(f"Văn bản số {i}. {VI_PARA}", "utf-8")
    from docsearch.search import indexer

    with monkeypatch.context() as m:
        m.setattr(indexer.LiveIndex, "update", kill_in_the_index)
        with pytest.raises(Killed):
            ingest([folder], store, jobs=1)
    assert store.count() == 12 and not store.fulltext_in_step()
    summary = ingest([folder], store, jobs=1)  # nothing new to write: the end finds the batch not indexed
    assert passes == ["sync"]
    assert summary.fulltext is not None and summary.fulltext["added"] == 3
    assert store.fulltext_in_step()
    _index_agrees(store)

    store.remove([str(folder / "doc0.txt")])  # a write outside an ingest
    assert not store.fulltext_in_step()
    (folder / "doc0.txt").unlink()
    ingest([folder], store, jobs=1)
    assert passes == ["sync", "sync"]
    _index_agrees(store)


def test_an_index_that_counts_other_documents_than_the_store_is_looked_at_whole(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.search.tantivy_engine import TantivyEngine

    folder = _numbered_texts(tmp_path / "docs", 4)
    passes = _whole_passes(monkeypatch)
    ingest([folder], store, jobs=1)
    doc_id = next(iter(store.documents())).doc_id
    engine = TantivyEngine.open_writer(store.index_location, rebuild=False)
    try:  # the index loses a document behind the store's back
        engine.delete(doc_id)
        engine.commit()
    finally:
        engine.close()
    assert store.fulltext_in_step()
    summary = ingest([folder], store, jobs=1)
    assert passes == ["sync"]
    assert summary.fulltext is not None and summary.fulltext["added"] == 1
    _index_agrees(store)


def test_the_first_batch_into_an_empty_store_builds_the_index_from_what_it_wrote(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _numbered_texts(tmp_path / "docs", 7)
    monkeypatch.setattr(ingest_mod, "BATCH_DOCUMENTS", 3)

    def index_all(*args: object, **kwargs: object) -> None:
        raise AssertionError("the store was read back whole")

    with monkeypatch.context() as m:
        m.setattr(Store, "index_all", index_all)
        summary = ingest([folder], store, jobs=1)
    assert summary.fulltext is not None and summary.fulltext["added"] == 7
    _index_agrees(store)

    # An index lost beside a store that holds more than the batch is built from the store.
    import shutil

    shutil.rmtree(tmp_path / "index" / "fulltext")
    (folder / "doc7.txt").write_text(f"Văn bản số 7. {VI_PARA}", "utf-8")
    calls: list[str] = []
    real = Store.index_all
    monkeypatch.setattr(Store, "index_all", lambda self, **kw: calls.append("all") or real(self, **kw))
    summary = ingest([folder], store, jobs=1)
    assert calls == ["all"]
    assert summary.fulltext is not None and summary.fulltext["documents"] == 8
    _index_agrees(store)



def test_the_run_reports_its_peak_memory(tmp_path: Path) -> None:
    from docsearch.cli import _ingest_text
    from docsearch.i18n import translator

    folder = _numbered_texts(tmp_path / "docs", 80)  # more than one process takes on alone
    with Store.open(tmp_path / "index") as store:
        summary = ingest([folder], store, jobs=2)
    assert summary.peak_mb is not None and 20 < summary.peak_mb < 100_000
    assert summary.worker_peak_mb is not None and summary.worker_peak_mb > 5
    assert summary.to_json()["peak_memory_mb"] == {"process": round(summary.peak_mb, 1),
                                                   "worker": round(summary.worker_peak_mb, 1)}
    assert f"peak memory: {summary.peak_mb:,.0f} MB" in _ingest_text(summary, 80, translator("en"))


def test_the_knowledge_an_ingest_tags_with_tags_as_the_whole_one(tmp_path: Path) -> None:
    # An ingest sends what the store knows to every worker: the documents'
    # ids, types and dates, without the titles and bodies the tagger never reads.
    from docsearch.refs import Knowledge, tag

    folder = tmp_path / "docs"
    folder.mkdir()
    for n, (year, place) in enumerate([(2021, "QUẢNG NINH"), (2023, "NGHỆ AN"), (2023, "LÀO CAI")]):
        (folder / f"kh{n}.txt").write_text(
            f"TỈNH ỦY {place}\nSố 12-KH/TU\n{place.title()}, ngày 3 tháng {n + 2} năm {year}\n"
            "KẾ HOẠCH\nthực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số\n", encoding="utf-8")
    (folder / "later.txt").write_text(
        "Thực hiện Kế hoạch số 12-KH/TU năm 2021 và Kế hoạch 12 của Tỉnh ủy; Nghị quyết 57.\n", encoding="utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([ROOT / "corpus", folder], store, jobs=1, fulltext=False).ok
        whole, lean = Knowledge.from_store(store), Knowledge.for_tagging(store)
        assert len(whole.candidates("12-KH/TU")) == 3
        assert ({i: [d.key for d in docs] for i, docs in lean.by_id.items()}
                == {i: [d.key for d in docs] for i, docs in whole.by_id.items()})
        assert lean.by_number == whole.by_number
        assert (sum(1 for docs in lean.by_id.values() for d in docs if d.title)
                < sum(1 for docs in whole.by_id.values() for d in docs if d.title))
        for doc_id in store.doc_ids():
            doc = store.document(doc_id)
            assert tag(doc.text, lang=doc.lang, knowledge=lean) == tag(doc.text, lang=doc.lang, knowledge=whole)


@pytest.mark.parametrize("held_from", [1, 10**9])
def test_a_new_path_of_stored_content_joins_its_document_whether_contents_are_held_or_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held_from: int) -> None:
    # A large run holds every stored content hash; a small one asks the store.
    monkeypatch.setattr(ingest_mod, "CONTENTS_HELD_FROM", held_from)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Số 46-CTr/TU\nChương trình hành động.\n", encoding="utf-8")
    with Store.open(tmp_path / "index") as store:
        assert len(ingest([folder], store, jobs=1, fulltext=False).added) == 1
        (folder / "b.txt").write_text("Số 46-CTr/TU\nChương trình hành động.\n", encoding="utf-8")
        (folder / "c.txt").write_text("Số 12-KH/TU\n", encoding="utf-8")
        summary = ingest([folder], store, jobs=1, fulltext=False)
        assert summary.duplicates == [str(folder / "b.txt")] and summary.added == [str(folder / "c.txt")]
        assert summary.unchanged == [str(folder / "a.txt")]
        docs = {d.path: d.copies for d in store.documents()}
        assert docs == {str(folder / "a.txt"): (str(folder / "b.txt"),), str(folder / "c.txt"): ()}
