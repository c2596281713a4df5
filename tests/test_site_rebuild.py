"""A site build with nothing changed since the last one is skipped (the
manifest's fingerprint), and anything that could change a page makes the
next build draw the pages again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docsearch.ingestion import ingest
from docsearch.site import build as site_build
from docsearch.site import build_site
from docsearch.store import Store

from conftest import ROOT

NAMES = ["central/nq-57-tw-2024.txt", "bac-ninh/kh-245-tu-2025.txt"]


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Store, Path]:
    src = tmp_path / "in"
    src.mkdir()
    for name in NAMES:
        shutil.copy(ROOT / "corpus" / name, src / Path(name).name)
    store = Store.open(tmp_path / "index")
    assert ingest([str(src)], store).ok
    out = tmp_path / "site"
    first = build_site(store, out, jobs=1)
    assert first.written == first.files
    return store, out


def _drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the builds that read the store and draw pages."""
    calls: list[int] = []
    prepare = site_build._Site.prepare

    def counting(self: site_build._Site) -> None:
        calls.append(1)
        prepare(self)

    monkeypatch.setattr(site_build._Site, "prepare", counting)
    return calls


def test_nothing_changed_draws_nothing(built: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    store, out = built
    manifest = json.loads((out / site_build.MANIFEST).read_text("utf-8"))
    drawn = _drawn(monkeypatch)
    again = build_site(store, out, jobs=1)
    assert drawn == []
    assert (again.written, again.removed, again.unchanged) == (0, 0, len(manifest["files"]))
    assert again.pages == sum(1 for f in manifest["files"] if f.endswith(".html"))
    assert again.documents > 0 and again.texts == len(NAMES)


def test_a_deleted_or_edited_page_is_drawn_again(built: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    store, out = built
    home = out / "index.html"
    original = home.read_bytes()
    home.write_text("edited by hand", "utf-8")
    drawn = _drawn(monkeypatch)
    report = build_site(store, out, jobs=1)
    assert drawn == [1] and report.written == 1
    assert home.read_bytes() == original
    home.unlink()
    build_site(store, out, jobs=1)
    assert drawn == [1, 1] and home.read_bytes() == original


def test_changed_tags_templates_or_base_url_draw_again(built: tuple[Store, Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store, out = built
    drawn = _drawn(monkeypatch)
    # Re-tagging changes the citations without touching the document rows.
    with store.transaction():
        store.conn.execute("UPDATE refs SET year = year + 1 WHERE rowid = (SELECT max(rowid) FROM refs)")
    build_site(store, out, jobs=1)
    assert len(drawn) == 1
    build_site(store, out, jobs=1, base_url="/docs/")
    assert len(drawn) == 2
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "style.css").write_text("body { color: black; }", "utf-8")
    build_site(store, out, jobs=1, base_url="/docs/", templates=mine)
    assert len(drawn) == 3
    build_site(store, out, jobs=1, base_url="/docs/", templates=mine)
    assert len(drawn) == 3
    (mine / "style.css").write_text("body { color: navy; }", "utf-8")
    build_site(store, out, jobs=1, base_url="/docs/", templates=mine)
    assert len(drawn) == 4
    with store.transaction():
        store.conn.execute("INSERT INTO registry (id, number, issuer_code, date) VALUES ('9-NQ/TW', '9', 'TW', '')")
    build_site(store, out, jobs=1, base_url="/docs/", templates=mine)
    assert len(drawn) == 5
