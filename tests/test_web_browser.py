"""The live application in a real browser: headless Chromium (Debian's
package, driven by Playwright) against ``uvicorn`` serving an index built
from the corpus on 127.0.0.1. Search as you type, facets, a document page,
the coverage matrix, checking an uploaded draft, the language switch, a
375 px phone, and a hostile document that must never run.

Set ``DOCSEARCH_SCREENSHOTS=docs/img`` to keep the screenshots it takes.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docsearch.ingestion import ingest
from docsearch.store import Store
from docsearch.web import WebConfig, create_app
from test_site_browser import HOSTILE, Watched, launch_chromium

from conftest import ROOT

DRAFT = ("KẾ HOẠCH thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Ban Bí thư về đột phá phát triển "
         "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.\n"
         "Căn cứ Quy định số 144-QĐ/TW ngày 19/05/2024 của Bộ Chính trị.\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    base = tmp_path_factory.mktemp("web-browser")
    extra = base / "extra"
    extra.mkdir()
    (extra / "kh-77-ubnd.txt").write_text(HOSTILE, "utf-8")
    with Store.open(base / "index") as store:
        assert ingest([str(ROOT / "corpus"), str(extra)], store).ok
    port = _free_port()
    config = uvicorn.Config(create_app(WebConfig(index_dir=base / "index")), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser, viewport={"width": 1280, "height": 900})
    try:
        yield w
    finally:
        assert not w.dialogs, w.dialogs
        w.close()


def _shot(page: Any, name: str, full: bool = False) -> None:
    folder = os.environ.get("DOCSEARCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=full)


def test_search_as_you_type_with_facets(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + "/search")
    assert page.get_attribute("html", "lang") == "vi"
    page.locator("#q").press_sequentially("nghi quyet 57", delay=30)
    # (waits use locators: the page's CSP forbids the eval behind wait_for_function)
    # Results of a half-typed query may come first: wait for the whole one's.
    whole = '#results[data-query="nghi quyet 57"] .hit-title'
    page.locator(whole).first.wait_for()
    first = page.locator(whole).first
    assert first.inner_text().startswith("57-NQ/TW")
    assert page.locator("#results mark").count() > 0, "the matching passage is highlighted"
    # The address follows the query, so it can be shared.
    page.wait_for_url("**/search?q=nghi*")
    # A one-letter last word keeps results on screen.
    page.locator("#q").press_sequentially(" q", delay=30)
    page.locator('#results[data-query="nghi quyet 57 q"] .hit-title').first.wait_for()
    page.locator("#q").fill("chuyển đổi số")
    page.locator('#results[data-query="chuyển đổi số"] .hit-title').first.wait_for()
    _shot(page, "web-search.png")
    # A facet narrows the query: type CTr.
    page.locator(".facets a", has_text="CTr").first.click()
    page.wait_for_load_state()
    assert "type%3ACTr" in page.url
    ids = page.locator("#results .doc-id").all_inner_texts()
    assert ids and all("-CTr/" in i for i in ids)
    assert page.input_value("#q").endswith("type:CTr")
    assert not watched.errors, watched.errors


def test_document_page_and_following_a_reference(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + "/documents/46-CTr/TU")
    assert page.inner_text("h1").startswith("46-CTr/TU")
    ref = page.locator("div.text a.ref").first
    key = (ref.get_attribute("title") or "").split(" · ")[0]
    ref.click()
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith(key)
    page.goto(server + "/documents/57-NQ/TW")
    assert page.locator("svg.timeline").count() == 1
    assert "Được thực hiện bởi" in page.inner_text("#referred-by")
    _shot(page, "web-document.png")
    assert not watched.errors, watched.errors


def test_coverage_matrix_corner_sticks(server: str, watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 700, "height": 800})
    page.goto(server + "/coverage")
    corner = page.locator("th.corner")
    before = corner.bounding_box()
    page.evaluate("document.querySelector('.matrix-wrap').scrollLeft = 400")
    after = corner.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 1
    assert page.locator("td.empty .none").first.inner_text() == "chưa có văn bản"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("document.querySelector('.matrix-wrap').scrollLeft = 0")
    _shot(page, "web-coverage.png")
    page.goto(server + "/coverage?doc=Resolution+57")
    assert "Tỉnh ủy Quảng Ninh" in page.inner_text("main")
    assert not watched.errors, watched.errors


def test_check_an_uploaded_draft_and_apply_a_suggestion(server: str, watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    draft = tmp_path / "du-thao.txt"
    draft.write_text(DRAFT, "utf-8")
    page.goto(server + "/check")
    page.set_input_files("#draft-file", str(draft))
    page.click("#check-form button[type=submit]")
    page.wait_for_load_state()
    findings = page.inner_text(".findings")
    assert "DS103" in findings and "DS102" in findings and "du-thao.txt" in findings
    assert page.locator(".draft-text mark.finding").count() >= 2
    _shot(page, "web-check.png")
    # Pasted text: "Apply" puts the suggestion in and checks again.
    page.fill("#draft-text", DRAFT)
    page.click("#check-form button[type=submit]")
    page.wait_for_load_state()
    page.locator("li.finding", has_text="DS102").locator("button.apply").click()
    page.wait_for_load_state()
    page.wait_for_selector(".findings")
    assert "DS102" not in page.inner_text(".findings")
    assert "09/05/2024" in page.input_value("#draft-text")
    assert not watched.errors, watched.errors


def test_language_switch_is_remembered(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + "/documents/57-NQ/TW")
    assert "Dẫn chiếu đến" in page.inner_text("main")
    page.click("nav.langs a[hreflang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert "Implemented by" in page.inner_text("#referred-by")
    page.click("header.site nav a[href='/coverage']")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en" and "Coverage matrix" in page.inner_text("h1")
    page.click("nav.langs a[hreflang=vi]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "vi"


@pytest.mark.parametrize("path", ["/", "/search?q=ngh%E1%BB%8B+quy%E1%BA%BFt+57", "/documents/57-NQ/TW", "/coverage",
                                  "/coverage?doc=57-NQ/TW", "/implements?doc=57-NQ/TW&depth=2", "/check"])
def test_phone_width_never_scrolls_sideways(server: str, browser: Any, path: str) -> None:
    w = Watched(browser, viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        w.page.goto(server + path)
        width = w.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide at 375 px"
        if path == "/documents/57-NQ/TW":
            # The timeline keeps readable labels: it scrolls inside its box.
            box = w.page.locator("svg.timeline").bounding_box()
            assert box and box["width"] >= 600
            w.page.locator("#implementation").scroll_into_view_if_needed()
            w.page.evaluate("document.getElementById('implementation').scrollIntoView()")
            _shot(w.page, "web-phone.png")
        assert not w.errors, w.errors
    finally:
        w.close()


def test_hostile_document_never_runs(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + "/documents/77/KH-UBND")
    page.wait_for_load_state("networkidle")
    assert page.title() != "pwned"
    assert "<script>" in page.inner_text("div.text"), "shown as text"
    page.goto(server + "/search?q=" + "alert")
    page.wait_for_load_state("networkidle")
    assert not watched.dialogs and page.title() != "pwned"
    assert not watched.errors, watched.errors


def test_document_number_typed_with_a_hash(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + "/documents/#1")
    page.wait_for_url("**/documents/%231")
    assert page.locator("h1").count() == 1 and "Không tìm thấy" not in page.inner_text("h1")
