"""The static site in a real browser: headless Chromium driven by Playwright
loads the site built from the corpus from a local web server and from disk
(file://), searches, follows references, and reports no console errors.

Needs Debian's ``chromium`` (installed here with apt-get when missing; the
test is skipped, loudly, only when apt itself cannot run) and the PyPI
package ``playwright`` (its own browser download is never used).
Set ``DOCSEARCH_SCREENSHOTS=docs/img`` to keep the screenshots it takes.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
import warnings
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from docsearch.ingestion import ingest
from docsearch.site import build_site
from docsearch.site.search_index import terms
from docsearch.site.urls import Urls
from docsearch.store import Store

from conftest import ROOT, seeds_dir, unavailable

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
HOSTILE = """ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 77/KH-UBND
Thử Nghiệm, ngày 10 tháng 03 năm 2025

KẾ HOẠCH
thực hiện Nghị quyết số 57-NQ/TW <script>alert("x")</script>
-----

Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.
<img src=x onerror="alert(2)"> <a href="javascript:alert(3)">bấm</a>
</div></main><script>document.title = "pwned"; alert(4)</script>
"""


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        reason = (f"!!! BROWSER TESTS SKIPPED: {CHROMIUM} is missing and apt-get "
                  f"{'is not available' if apt is None else 'needs root'}; "
                  "install Debian's 'chromium' package to run them !!!")
        warnings.warn(reason, stacklevel=1)
        unavailable(reason)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # One apt-get at a time, as the Makefile runs it, waiting for dpkg's lock
    # rather than failing on it while another install runs.
    flock = shutil.which("flock")
    apt_get = [*([flock, "/var/lock/docsearch-apt.lock"] if flock else []), apt, "-o", "DPkg::Lock::Timeout=600"]
    for command in ([*apt_get, "install", "-y", "-q", "chromium"], [*apt_get, "update", "-q"],
                    [*apt_get, "install", "-y", "-q", "chromium"]):
        subprocess.run(command, env=env, capture_output=True, timeout=1200, check=False)
        if CHROMIUM.exists():
            return
    pytest.fail(f"apt-get could not install chromium ({CHROMIUM} still missing)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser-site")
    extra = base / "extra"
    extra.mkdir()
    (extra / "kh-77-ubnd.txt").write_text(HOSTILE, "utf-8")
    with Store.open(base / "index") as store:
        assert ingest([str(ROOT / "corpus"), str(seeds_dir()), str(extra)], store).ok
        build_site(store, base / "site", lang="en")  # the assertions read the English interface
    return base / "site"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def launch_chromium() -> Iterator[Any]:
    """Debian's Chromium driven by playwright (installed with apt-get when
    missing, never downloaded by playwright), closed when the caller is done."""
    _ensure_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need the Python package 'playwright' (pip install playwright; "
                    "never 'playwright install': the system's chromium is used)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


class Watched:
    """A page that records console errors, uncaught exceptions and dialogs."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    try:
        yield w
    finally:
        w.close()


def _root(mode: str, server: str, site: Path) -> str:
    return server if mode == "http" else site.resolve().as_uri() + "/"


def _page_of(site: Path, doc_id: str) -> str:
    """The site path of the page whose heading starts with ``doc_id``."""
    for path in sorted((site / "doc").glob("*.html")):
        text = path.read_text("utf-8")
        if f'<span class="doc-id">{doc_id}</span>' in text and '<div class="text"' in text:
            return path.relative_to(site).as_posix()
    raise AssertionError(doc_id)


@pytest.mark.parametrize("mode", ["http", "file"])
def test_search_and_follow_a_reference(mode: str, site: Path, server: str, watched: Watched) -> None:
    page = watched.page
    root = _root(mode, server, site)
    page.goto(root + "index.html")
    # The home page's search box, typed without diacritics.
    page.fill("#home-q", "nghi quyet dot pha khoa hoc chuyen doi so")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search.html?q=*")
    first = page.locator("#search-results li a").first
    first.wait_for()
    assert "57-NQ/TW" in first.inner_text()
    assert "match" in page.inner_text("#search-status")
    # Typing narrows as one types: the last word is a prefix.
    page.fill("#q", "Quảng Ninh chuyển đổi")
    # (locator waits: the pages' Content-Security-Policy forbids the eval behind wait_for_function)
    page.locator("#search-results li").first.wait_for()
    page.fill("#q", "nghi quyet 57")
    page.press("#q", "Enter")
    from playwright.sync_api import expect

    expect(page.locator("#search-results li a").first).to_have_text(re.compile(r"^57-NQ/TW"))
    page.locator("#search-results li a").first.click()
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith("57-NQ/TW")

    # Follow the first reference in its text to the page of the document it names.
    ref = page.locator("div.text a.ref").first
    target_key = (ref.get_attribute("title") or "").split(" · ")[0]
    assert target_key
    ref.click()
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith(target_key.split("@")[0])
    assert page.url.startswith(root + "doc/")

    # From the coverage matrix to the sentence that says so, highlighted.
    page.goto(root + Urls().coverage())
    lag = page.locator("td.hit a.lag").first
    lag.click()
    page.wait_for_load_state()
    target = page.evaluate("location.hash.slice(1)")
    assert target.startswith("at-")
    colour = page.evaluate(f"getComputedStyle(document.getElementById('{target}')).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert watched.errors == [], watched.errors


def test_browser_folds_like_python(site: Path, server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + "search.html")
    samples = [
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "ĐẢNG ỦY KHỐI các cơ quan Trung ương; Ðảng (U+00D0); đổi mới",
        "Quyết định 1131/QĐ-TTg; Thủ tướng Chính phủ; Hướng dẫn 17-HD/TU",
        "Beschluss Nr. 57 über Durchbrüche; Straße; Übersetzung; café naïve",
        "Nghi\u0323 quyê\u0301t (decomposed)",
    ]
    for text in samples:
        tokens = page.evaluate("t => DS.tokens(t)", text)
        assert set(tokens) == terms(text), text
    assert watched.errors == []


@pytest.mark.parametrize("query", ["nghi quyet 57 ", "Quảng Ninh kế hoạch ", "Resolution 28 ", "Bộ Chính trị 2024 "])
def test_browser_ranks_like_the_python_reading_of_the_index(query: str, site: Path, server: str,
                                                             watched: Watched) -> None:
    from test_site import search as python_search

    page = watched.page
    page.goto(server + "search.html")
    pages = page.evaluate(
        "q => DS.search(q).then(r => DS.docsFor(r.hits.map(h => h[0]))).then(rows => rows.map(r => r[0]))", query)
    assert pages == python_search(site, query)
    assert pages, query
    assert watched.errors == []


def test_keyboard_phone_and_print(site: Path, server: str, browser: Any) -> None:
    w = Watched(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = w.page
        doc = _page_of(site, "57-NQ/TW")
        for path in (doc, "index.html", Urls().coverage(), "search.html"):
            page.goto(server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
        page.goto(server + doc)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert page.evaluate("getComputedStyle(document.activeElement).top") != "-48px"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), outline
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('form.search')).display") == "none"
        assert w.errors == []
    finally:
        w.close()


def test_hostile_text_stays_text_in_the_browser(site: Path, server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(server + _page_of(site, "77/KH-UBND"))
    assert watched.dialogs == []
    assert "pwned" not in page.title()
    text = page.inner_text("div.text")
    assert '<script>document.title = "pwned"; alert(4)</script>' in text
    assert page.locator("div.text img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("footer.site").count() == 1
    assert watched.errors == []


def test_screenshots(browser: Any, tmp_path: Path) -> None:
    """Pictures of a document page and of the coverage matrix of the corpus
    alone (no test texts), opened from disk."""
    keep = os.environ.get("DOCSEARCH_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    with Store.open(tmp_path / "index") as store:
        assert ingest([str(ROOT / "corpus")], store).ok
        build_site(store, tmp_path / "site")
    site = tmp_path / "site"
    root = site.resolve().as_uri() + "/"
    w = Watched(browser, viewport={"width": 1280, "height": 1500}, device_scale_factor=1)
    try:
        page = w.page
        page.goto(root + _page_of(site, "57-NQ/TW"))
        page.screenshot(path=str(folder / "site-document.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(root + Urls().coverage())
        page.screenshot(path=str(folder / "site-coverage.png"))
        assert w.errors == []
    finally:
        w.close()
    for name in ("site-document.png", "site-coverage.png"):
        data = (folder / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000
