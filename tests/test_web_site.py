"""The static site shares the live application's interface: built from the
same templates, in the same languages (Vietnamese by default), with the
fixes a real browser asked for: filters and a one-letter last word in the
browser search, the address following the query, no build paths in the
pages, the coverage matrix's corner and empty cells, and a 375 px phone.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from html import unescape
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from docsearch.i18n import LANGUAGES, messages, translator
from docsearch.ingestion import ingest
from docsearch.site import build_site
from docsearch.store import Store
from test_site_browser import Watched, _Quiet, launch_chromium

from conftest import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("site-vi")
    with Store.open(base / "index") as store:
        assert ingest([str(ROOT / "corpus")], store).ok
        build_site(store, base / "site")
        build_site(store, base / "site-en", lang="en")
    return base / "site", base / "site-en"


def test_translator() -> None:
    vi = translator("vi")
    assert vi("Search") == "Tìm kiếm"
    assert vi.relation("implements") == "thực hiện" and vi.relation("based_on") == "căn cứ"
    for kind, word in (("amends", "sửa đổi"), ("replaces", "thay thế"), ("repeals", "bãi bỏ"), ("guides", "hướng dẫn"),
                       ("summarizes", "tổng kết")):
        assert word in vi.relation(kind)
    assert vi.relation("implements", incoming=True) == "được thực hiện bởi"
    assert translator("en").relation("based_on") == "based on"
    assert translator("de").relation("implements") == "setzt um"
    from datetime import date

    assert vi.date(date(2024, 12, 22)) == "22/12/2024" and vi.date("2025-02-05") == "05/02/2025"
    assert translator("de").date(date(2024, 12, 22)) == "22.12.2024"
    assert translator("en")("Search") == "Search" and translator("EN-gb").lang == "en"
    assert translator("xx").lang == "vi" and translator(None).lang == "vi"
    assert vi.number(12345) == "12.345" and translator("en").number(12345) == "12,345"
    assert vi("{n} documents for", n=3) == "3 văn bản cho"
    assert vi("A message nobody translated") == "A message nobody translated"
    assert set(LANGUAGES) == {"vi", "en", "de"}


def test_every_template_message_is_translated() -> None:
    known = set(messages())
    templates = (ROOT / "src" / "docsearch" / "site" / "templates").glob("*.html")
    missing = set()
    for path in templates:
        source = path.read_text("utf-8")
        found = [m.group(1).replace('\\"', '"') for m in re.finditer(r'\bt\("((?:[^"\\]|\\.)*)"', source)]
        found += [m.group(1) for m in re.finditer(r"\bt\('([^']*)'", source)]
        for text in found:
            if text not in known:
                missing.add((path.name, text))
    assert not missing, sorted(missing)


def test_static_site_speaks_vietnamese(built: tuple[Path, Path]) -> None:
    site, site_en = built
    home = (site / "index.html").read_text("utf-8")
    assert '<html lang="vi"' in home and "Tìm kiếm" in home and "Mức độ triển khai" in home
    doc = next(p for p in (site / "doc").glob("57-nq-tw-*.html")).read_text("utf-8")
    assert "Được thực hiện bởi" in doc and "22/12/2024" in doc
    assert '<html lang="en"' in (site_en / "index.html").read_text("utf-8")


def test_no_build_path_in_any_page(built: tuple[Path, Path]) -> None:
    site, _ = built
    root = str(ROOT)
    for page in list(site.rglob("*.html"))[:400]:
        assert root not in page.read_text("utf-8"), page


def test_coverage_matrix_says_no_document_yet(built: tuple[Path, Path]) -> None:
    site, site_en = built
    html = (site / "coverage.html").read_text("utf-8")
    assert 'class="corner"' in html and "chưa có văn bản" in html
    assert "no document yet" in (site_en / "coverage.html").read_text("utf-8")


#: Words the pictures would show if a label escaped translation (English
#: labels, relation names, the "d" of a day count).
ENGLISH_WORDS = frozenset(
    "d day days from to each implementing implemented document documents by issuer issuers linked known citations "
    "and more see the table implements based on cites cited guides summarizes reviews amends replaces repeals not "
    "stated".split())
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def svg_labels(html: str) -> list[str]:
    """The words of every picture on a page: its titles, tooltips and labels,
    with a document's own title (after " — " in a tooltip) left out."""
    labels = []
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        for text in re.findall(r"<(?:title|text)\b[^>]*>([^<]*)</", svg):
            text = unescape(text)
            # A tooltip "57-NQ/TW — title (note)": the title is data, the note a label.
            if " — " in text:
                key, rest = text.split(" — ", 1)
                note = re.search(r"\(([^()]*)\)$", rest)
                text = key + (f" ({note.group(1)})" if note else "")
            labels.append(text)
    return labels


def untranslated(labels: list[str]) -> list[str]:
    """The labels that hold an English word or an ISO date."""
    return [s for s in labels if ISO_DATE.search(s) or ENGLISH_WORDS & set(re.findall(r"\w+", s))]


def test_pictures_speak_the_page_language(built: tuple[Path, Path]) -> None:
    site, site_en = built
    name = next(p for p in (site / "doc").glob("57-nq-tw-*.html")).name
    doc = (site / "doc" / name).read_text("utf-8")
    graph = next((site / "graph").glob("57-nq-tw-*.html")).read_text("utf-8")
    for html, picture in ((doc, "timeline"), (graph, "graph")):
        assert f'<svg class="{picture}"' in html
        labels = svg_labels(html)
        assert labels, picture
        assert not untranslated(labels), untranslated(labels)
    labels = svg_labels(doc)
    assert any("22/12/2024" in s for s in labels) and any(" ngày" in s for s in labels), labels
    assert "Các văn bản liên quan đến 57-NQ/TW" in svg_labels(graph)
    # The English site keeps English labels in its pictures.
    english = svg_labels((site_en / "doc" / name).read_text("utf-8"))
    assert any("days" in s for s in english) and not any(ISO_DATE.search(s) for s in english), english


@pytest.fixture(scope="module")
def server(built: tuple[Path, Path]) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built[0])))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def _subtitles(page: Any) -> list[str]:
    return page.locator("#search-results li .sub").all_inner_texts()


def test_browser_search_applies_filters(server: str, browser: Any) -> None:
    w = Watched(browser)
    try:
        page = w.page
        page.goto(server + "search.html?q=type:NQ year:2024")
        page.locator("#search-results li").first.wait_for()
        subs = _subtitles(page)
        assert subs and all(re.match(r"NQ · \d\d/\d\d/2024 · ", s) for s in subs), subs
        # The listing line speaks the page's language: dd/mm/yyyy, Vietnamese words.
        assert not any(re.search(r"\d{4}-\d\d-\d\d|in the collection|known from citations", s) for s in subs), subs
        page.goto(server + "search.html?q=" + "chuyển đổi số type:CTr")
        page.locator("#search-results li").first.wait_for()
        subs = _subtitles(page)
        assert subs and all(s.startswith("CTr") for s in subs), subs
        page.goto(server + "search.html?q=cites:57-NQ/TW")
        page.locator("#search-results li").first.wait_for()
        assert "57-NQ/TW" in page.inner_text("#search-results")
        assert not w.errors, w.errors
    finally:
        w.close()


def _rows(page: Any, query: str) -> list[list[str]]:
    """Every hit of the browser search for ``query``, as its row in the
    document files: [address, title, listing line, language, level]."""
    return page.evaluate("q => DS.search(q).then(r => DS.docsFor(r.hits.map(h => h[0])))", query)


def test_browser_search_filters_language_and_level(server: str, browser: Any) -> None:
    w = Watched(browser)
    try:
        page = w.page
        page.goto(server + "search.html?q=lang:en")
        page.locator("#search-results li").first.wait_for()
        english = _rows(page, "lang:en")
        assert english and all(r[3] == "en" for r in english), english
        # The names `docsearch search` accepts: a language's name, a level in Vietnamese without diacritics.
        assert _rows(page, "lang:English") == english
        not_english = _rows(page, "-lang:en")
        assert not_english and not any(r[3] == "en" for r in not_english)
        provincial = _rows(page, "level:provincial")
        assert provincial and all(r[4] == "provincial" for r in provincial)
        assert any(r[1].startswith("46-CTr/TU") for r in provincial), [r[1] for r in provincial]
        assert _rows(page, "level:tinh") == provincial
        central = _rows(page, 'level:"trung uong" chuyển đổi số')
        assert central and all(r[4] == "central" for r in central)
        assert any(r[1].startswith("57-NQ/TW") for r in central)
        both = _rows(page, "level:central,provincial")
        assert {r[4] for r in both} == {"central", "provincial"}
        # Words and filters together, as typed in the box.
        page.fill("#q", "chuyển đổi số level:provincial lang:vi")
        page.locator("#search-results li").first.wait_for()
        rows = _rows(page, "chuyển đổi số level:provincial lang:vi")
        assert rows and all(r[3] == "vi" and r[4] == "provincial" for r in rows)
        # A value neither side knows is said, in the page's language, with the ones it takes.
        page.goto(server + "search.html?q=lang:xx")
        page.wait_for_function("document.getElementById('search-status').textContent.indexOf('xx') >= 0")
        status = page.inner_text("#search-status")
        assert "xx" in status and "vi" in status and "Không rõ" in status, status
        assert page.locator("#search-results li").count() == 0
        assert not w.errors, w.errors
    finally:
        w.close()


def test_browser_search_keeps_results_while_a_letter_is_typed(server: str, browser: Any) -> None:
    w = Watched(browser)
    try:
        page = w.page
        page.goto(server + "search.html")
        page.fill("#q", "chuyển đổi số")
        page.locator("#search-results li").first.wait_for()
        before = page.locator("#search-results li").count()
        page.locator("#q").press_sequentially(" q", delay=40)
        page.wait_for_timeout(400)
        assert page.locator("#search-results li").count() == before
        # The address follows the query as it is typed.
        assert "q=chuy" in page.url
        assert not w.errors, w.errors
    finally:
        w.close()


@pytest.mark.parametrize("path", ["index.html", "issuers/index.html", "coverage.html", "search.html?q=57"])
def test_static_pages_fit_a_phone(server: str, browser: Any, path: str) -> None:
    w = Watched(browser, viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        w.page.goto(server + path)
        width = w.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide"
    finally:
        w.close()


def test_issuer_name_variants_are_one_group(built: tuple[Path, Path]) -> None:
    site, _ = built
    names = {p.name.rsplit("-", 1)[0] for p in (site / "issuers").glob("*.html")}
    assert "bo-chinh-tri" in names and "ban-chap-hanh-trung-uong" in names
    assert "issuer-not-stated-bo-chinh-tri" not in names
    assert not any(n.startswith("ban-chap-hanh-trung-uong-") for n in names), names


def test_static_pages_forbid_inline_script(built: tuple[Path, Path]) -> None:
    site, _ = built
    for page in [site / "index.html", site / "search.html", site / "coverage.html",
                 *list((site / "doc").glob("*.html"))[:50]]:
        html = page.read_text("utf-8")
        assert "script-src 'self'" in html, page
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (page, tag)


def test_browser_search_shows_snippets_over_http(server: str, browser: Any) -> None:
    w = Watched(browser)
    try:
        page = w.page
        page.goto(server + "search.html?q=" + "chuyển đổi số")
        page.locator("#search-results li .snippet mark").first.wait_for()
        from docsearch.refs import fold

        marks = page.locator("#search-results li .snippet mark").all_inner_texts()
        odd = [m for m in marks if fold(m).lower() not in ("chuyen", "doi", "so")]
        assert marks and not odd, odd
        assert not w.errors, w.errors
    finally:
        w.close()


def test_static_document_page_fits_a_phone_and_keeps_labels(server: str, browser: Any,
                                                            built: tuple[Path, Path]) -> None:
    site, _ = built
    page_path = next((site / "doc").glob("57-nq-tw-*.html")).relative_to(site).as_posix()
    graph_path = next((site / "graph").glob("57-nq-tw-*.html")).relative_to(site).as_posix()
    w = Watched(browser, viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        for path, picture in ((page_path, "svg.timeline"), (graph_path, "svg.graph")):
            w.page.goto(server + path)
            assert w.page.evaluate("document.documentElement.scrollWidth") <= 375, path
            box = w.page.locator(picture).bounding_box()
            assert box and box["width"] >= 600, f"{picture} shrunk to {box}"
    finally:
        w.close()


def test_a_rebuild_in_another_language_is_not_skipped(tmp_path: Path) -> None:
    with Store.open(tmp_path / "index") as store:
        assert ingest([str(ROOT / "corpus" / "central")], store).ok
        build_site(store, tmp_path / "site")
        assert '<html lang="vi"' in (tmp_path / "site" / "index.html").read_text("utf-8")
        report = build_site(store, tmp_path / "site", lang="en")
        assert report.written > 0
        assert '<html lang="en"' in (tmp_path / "site" / "index.html").read_text("utf-8")
