"""How a site build splits its work between processes: whatever the split,
the same files, and a manifest whose stamps are the files' own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from docsearch.site import build as site_build
from docsearch.site import build_site
from docsearch.site.search_index import SearchIndex, body_terms, make_entry
from docsearch.store import Store

from conftest import corpus_sample_store, site_files

NAMES = ["central/nq-57-tw-2024.txt", "central/ct-35-tw-2024.txt", "bac-ninh/kh-245-tu-2025.txt",
         "bac-ninh/kh-172-hu-gia-binh-2025.txt"]

needs_fork = pytest.mark.skipif(not site_build._can_fork(), reason="page drawing in several processes needs fork (Linux)")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    # Also a text without a header of its own, so that text pages are drawn too.
    news = {"tin.txt": "Tin tức: tỉnh triển khai Nghị quyết số 57-NQ/TW về chuyển đổi số.\n"}
    return corpus_sample_store(tmp_path_factory.mktemp("split"), NAMES, news)


@pytest.fixture()
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    # A handful of documents: batches of two make several tasks for the workers.
    monkeypatch.setattr(site_build, "BATCH", 2)


@needs_fork
def test_processes_and_helper_write_the_same_site(store: Store, tmp_path: Path, small_batches: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    alone = build_site(store, tmp_path / "one", jobs=1)
    given: list[int] = []
    of = site_build._TextTerms.of

    def counting(self: site_build._TextTerms, doc_id: int) -> str:
        given.append(doc_id)
        return of(self, doc_id)

    monkeypatch.setattr(site_build._TextTerms, "of", counting)
    split = build_site(store, tmp_path / "two", jobs=2)
    assert len(given) == len(NAMES) + 1  # every text's terms came from the helper
    assert (alone.pages, alone.files) == (split.pages, split.files)
    assert site_files(tmp_path / "one") == site_files(tmp_path / "two")
    assert any(name.startswith("text/") for name in site_files(tmp_path / "two"))


@needs_fork
def _dies_without_sending(location: object, send: object) -> None:
    os._exit(3)


def test_a_failed_helper_changes_nothing(store: Store, tmp_path: Path, small_batches: None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(store, tmp_path / "one", jobs=1)
    # Module-level: the helper process is spawned and imports its target by name.
    monkeypatch.setattr(site_build, "_text_terms_main", _dies_without_sending)
    build_site(store, tmp_path / "two", jobs=2)
    assert site_files(tmp_path / "one") == site_files(tmp_path / "two")


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=needs_fork)])
def test_manifest_stamps_are_the_files_own(store: Store, tmp_path: Path, small_batches: None, jobs: int) -> None:
    out = tmp_path / "site"
    build_site(store, out, jobs=jobs)
    # Then again with one page edited by hand: the build compares instead of creating.
    (out / "index.html").write_text("edited", "utf-8")
    build_site(store, out, jobs=jobs)
    manifest = json.loads((out / site_build.MANIFEST).read_text("utf-8"))
    assert list(manifest["stamps"]) == manifest["files"]
    for name, (size, mtime) in manifest["stamps"].items():
        st = (out / name).stat()
        assert (st.st_size, st.st_mtime_ns) == (size, mtime), name


def test_body_terms_given_apart_index_the_same() -> None:
    text = "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW về phát triển khoa học, công nghệ; đổi mới sáng tạo."
    whole, apart = SearchIndex(), SearchIndex()
    whole.add(make_entry("doc/a.html", "57-NQ/TW", "NQ", "57-NQ/TW Nghị quyết", text, "57-NQ/TW", lang="vi"))
    entry = make_entry("doc/a.html", "57-NQ/TW", "NQ", "57-NQ/TW Nghị quyết", text, "57-NQ/TW", lang="vi", text_id=7)
    assert entry.body_terms == "" and entry.text_id == 7
    apart.add(entry, body_terms(text))
    assert list(whole.files()) == list(apart.files())
