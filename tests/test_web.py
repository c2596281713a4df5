"""The live application (``docsearch serve``) in-process, through Starlette's
test client: every route, every error, the language choice, the token, and
the promise that each API answer is what the command prints with
``--format json``."""

from __future__ import annotations

import hashlib
import io
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from docsearch.cli import cli
from docsearch.ingestion import ingest
from docsearch.store import Store
from docsearch.web import WebConfig, create_app
from docsearch.web.security import CSP, TOKEN_COOKIE
from test_site_browser import HOSTILE
from test_web_site import svg_labels, untranslated

from conftest import ROOT

DRAFT = ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Ban Bí thư về đột phá phát triển khoa học, "
         "công nghệ, Ban Thường vụ ban hành Kế hoạch như sau.\n")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("web")
    extra = base / "extra"
    extra.mkdir()
    (extra / "kh-77-ubnd.txt").write_text(HOSTILE, "utf-8")
    with Store.open(base / "index") as store:
        assert ingest([str(ROOT / "corpus"), str(extra)], store).ok
    return base / "index"


@pytest.fixture(scope="module")
def client(index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(index_dir=index))) as c:
        yield c


def _cli_json(index: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--index", str(index), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, flags=re.I)


def _doc_id(index: Path, self_id: str) -> int:
    with Store.open(index, create=False) as store:
        return store.find_documents(self_id)[0].doc_id


# --- pages --------------------------------------------------------------------------------

def test_home_speaks_vietnamese_and_switches_language(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert '<html lang="vi"' in r.text and "Tìm kiếm" in r.text and "Kiểm tra dự thảo" in r.text
    # One click to English, remembered by a cookie.
    r = client.get("/?lang=en")
    assert '<html lang="en"' in r.text and "Check a draft" in r.text
    assert r.cookies.get("docsearch_lang") == "en"
    r = client.get("/search")
    assert '<html lang="en"' in r.text
    r = client.get("/?lang=de")
    assert '<html lang="de"' in r.text and "Entwurf prüfen" in r.text
    r = client.get("/?lang=vi")
    assert '<html lang="vi"' in r.text
    # An unknown language changes nothing.
    assert '<html lang="vi"' in client.get("/?lang=xx").text


def test_the_server_chooses_the_language_of_visitors_who_have_not(index: Path) -> None:
    with TestClient(create_app(WebConfig(index_dir=index, lang="en"))) as c:
        assert '<html lang="en"' in c.get("/").text  # serve --lang en
        r = c.get("/search", params={"q": "(x"})
        assert "unbalanced parenthesis" in r.text
        assert '<html lang="vi"' in c.get("/?lang=vi").text
        assert '<html lang="vi"' in c.get("/").text  # the visitor's choice, remembered


def test_language_links_keep_the_query(client: TestClient) -> None:
    html = client.get("/search?q=chuyển đổi số").text
    assert 'href="/search?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91&amp;lang=en"' in html


def test_search_page_ranks_the_resolution_first_with_highlights_and_facets(client: TestClient) -> None:
    r = client.get("/search", params={"q": "Nghị quyết 57"})
    assert r.status_code == 200
    first = re.search(r'class="hit-title" href="([^"]+)"', r.text)
    assert first and first.group(1) == "/documents/57-NQ/TW"
    assert "<mark>" in r.text, "the matching passage is highlighted"
    assert 'value="Nghị quyết 57"' in r.text, "the query stays in the box"
    # Facets are links narrowing the query; the date is dd/mm/yyyy.
    assert re.search(r'href="/search\?q=Ngh%E1%BB%8B\+quy%E1%BA%BFt\+57\+type%3ACTr"', r.text)
    assert "22/12/2024" in r.text
    # The relation names are Vietnamese.
    assert "thực hiện 57-NQ/TW" in r.text


def test_search_filters_and_partial_results(client: TestClient) -> None:
    r = client.get("/search", params={"q": "type:CTr year:2025", "partial": "1"})
    assert r.status_code == 200
    assert not r.text.lstrip().startswith("<!DOCTYPE"), "a fragment for the page's script"
    ids = re.findall(r'<span class="doc-id">([^<]+)</span>', r.text)
    assert ids and all("-CTr/" in i for i in ids)
    # A word still being typed ("Quảng N") does not empty the results.
    r = client.get("/search", params={"q": "chuyển đổi số Quảng N", "partial": "1"})
    assert r.status_code == 200 and 'class="hit-title"' in r.text and "Đang gõ" in r.text
    r = client.get("/search", params={"q": "chuyển đổi số Quảng N "})
    assert "Đang gõ" not in r.text


def test_search_bad_query_is_explained_not_a_traceback(client: TestClient) -> None:
    r = client.get("/search", params={"q": "(chuyển đổi"})
    assert r.status_code == 400 and "Traceback" not in r.text
    assert "thiếu dấu ngoặc: &#39;(&#39; ở vị trí 1 chưa được đóng; hãy thêm &#39;)&#39;" in r.text
    r = client.get("/search", params={"q": "(chuyển đổi", "lang": "en"})
    assert "unbalanced parenthesis: &#39;(&#39; at position 1 is not closed" in r.text
    r = client.get("/api/search", params={"q": "(chuyển đổi", "lang": "vi"})
    assert r.json()["error"].startswith("unbalanced parenthesis")  # JSON: English
    r = client.get("/documents/999-NQ/TW", params={"lang": "vi"})
    assert r.status_code == 404 and "trong chỉ mục không có văn bản nào là hoặc nhắc đến &#39;999-NQ/TW&#39;" in r.text
    r = client.get("/search", params={"q": "x", "offset": "abc"})
    assert r.status_code == 400


def test_document_page_by_id_with_slashes_and_by_number(client: TestClient, index: Path) -> None:
    r = client.get("/documents/57-NQ/TW")
    assert r.status_code == 200
    assert '<span class="doc-id">57-NQ/TW</span>' in r.text
    assert "Được thực hiện bởi" in r.text, "incoming relations grouped, in Vietnamese"
    assert 'class="timeline"' in r.text
    assert "22/12/2024" in r.text
    # References in the text are links to their documents' pages.
    assert re.search(r'<a class="ref r-\w+[^"]*" href="/documents/', r.text)
    n = _doc_id(index, "46-CTr/TU")
    r = client.get(f"/documents/%23{n}")
    assert r.status_code == 200 and '<span class="doc-id">46-CTr/TU</span>' in r.text
    # A State document known only from citations, its id typed with its slashes.
    r = client.get("/documents/13/2023/NĐ-CP")
    assert r.status_code == 200 and "13/2023/NĐ-CP" in r.text
    # A text without a number of its own has a page too.
    r = client.get("/documents/en-bac-ninh-private-economy.html")
    assert r.status_code == 200


def test_document_timeline_speaks_the_chosen_language(client: TestClient) -> None:
    labels = svg_labels(client.get("/documents/57-NQ/TW", params={"lang": "vi"}).text)
    assert labels and not untranslated(labels), untranslated(labels)
    assert any("22/12/2024" in s for s in labels)
    german = svg_labels(client.get("/documents/57-NQ/TW", params={"lang": "de"}).text)
    assert any("22.12.2024" in s for s in german) and any(" Tage" in s for s in german), german
    english = svg_labels(client.get("/documents/57-NQ/TW", params={"lang": "en"}).text)
    assert any(" days" in s for s in english), english
    client.get("/?lang=vi")


def test_a_central_documents_page_cuts_each_list_and_links_the_rest(index: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # What a document with ten thousand implementers does, on the corpus: one
    # implementer per issuer, seven in all (the seventh issuer has two), one
    # relation of each type; every list cut short ends with a link to all of it.
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    from docsearch.web import document

    monkeypatch.setattr(document, "GROUP_ROWS", 1)
    monkeypatch.setattr(document, "IMPLEMENTER_ROWS", 7)
    monkeypatch.setattr(document, "DETAILED_ROWS", 1)
    with TestClient(create_app(WebConfig(index_dir=index))) as c:
        page = c.get("/documents/57-NQ/TW").text
        full = c.get("/api/implements", params={"doc": "57-NQ/TW"}).json()["implementers"]
        # An issuer cut short: "xem thêm (N)" opens the report of that issuer, listing N more.
        cut = re.findall(r'<a href="(/implements\?doc=57-NQ%2FTW&amp;issuer=[^"]+)">xem thêm \((\d+)\)</a>', page)
        assert cut, "an issuer with more implementers than the page lists"
        for href, rest in cut:
            issuer = parse_qs(urlsplit(unescape(href)).query)["issuer"][0]
            listed = c.get(unescape(href))
            assert listed.status_code == 200 and listed.text.count('class="imp depth-1"') == int(rest) + 1
            assert f"<strong>{issuer}</strong>" in listed.text
            api = c.get("/api/implements", params={"doc": "57-NQ/TW", "issuer": issuer})
            assert len(api.json()["implementers"]) == int(rest) + 1
        # Issuers past the table are counted, their lists one click away.
        assert 'class="other-issuers"' in page
        others = re.findall(r'<tr><th scope="row">[^<]*</th><td class="num"><a href="(/implements[^"]+)">'
                            r'(\d+)</a>', page)
        assert others
        for href, n in others:
            assert c.get(unescape(href)).text.count('class="imp depth-1"') == int(n)
        listed = page.count('<tr>\n<th scope="rowgroup"') + len(re.findall(r'<tr>\n        <td><a href="/documents/', page))
        assert sum(int(n) for _, n in others) + sum(int(n) for _, n in cut) + listed == len(full), (others, cut)
        # What refers to it: one relation of each type, then the rest in the API from where the page stops.
        more = re.findall(r'<p class="more-link"><a href="(/api/cites\?[^"]+)">xem thêm \((\d+)\)</a>', page)
        assert more
        for href, rest in more:
            answer = c.get(unescape(href))
            assert answer.status_code == 200
            (links,) = answer.json()["by_relation"].values()
            assert len(links) == int(rest)


def test_the_cites_and_implements_api_take_a_relation_an_offset_and_an_issuer(client: TestClient) -> None:
    whole = client.get("/api/cites", params={"doc": "57-NQ/TW"}).json()["by_relation"]
    kind = max(whole, key=lambda k: len(whole[k]))
    part = client.get("/api/cites", params={"doc": "57-NQ/TW", "relation": kind, "offset": 1, "limit": 2}).json()
    assert list(part["by_relation"]) == [kind] and len(part["by_relation"][kind]) == min(2, len(whole[kind]) - 1)
    assert part["mentions"] == []
    for api in ("/api/cites", "/api/implements"):
        r = client.get(api, params={"doc": "57-NQ/TW", "relation": "likes"})
        assert r.status_code == 400 and "unknown relation 'likes'; use implements" in r.json()["error"]
    r = client.get("/api/cites", params={"doc": "57-NQ/TW", "offset": "-1"})
    assert r.status_code == 400 and "'offset'" in r.json()["error"]
    r = client.get("/api/implements", params={"doc": "57-NQ/TW", "issuer": "no such body"})
    assert r.status_code == 200 and r.json()["implementers"] == []


def test_unknown_and_ambiguous_documents(client: TestClient) -> None:
    r = client.get("/documents/999-NQ/TW")
    assert r.status_code == 404 and "<!DOCTYPE html>" in r.text and "Traceback" not in r.text
    r = client.get("/api/documents/999-NQ/TW")
    assert r.status_code == 404 and "error" in r.json()
    # 18-NQ/TW is two resolutions: the page lists both.
    r = client.get("/documents/18-NQ/TW")
    assert r.status_code == 400
    assert r.text.count('href="/documents/18-NQ/TW@') >= 2
    r = client.get("/documents/18-NQ/TW 2017")
    assert r.status_code == 200 and "25/10/2017" in r.text
    assert client.get("/documents/%23999999").status_code == 404


def test_implements_and_coverage_pages(client: TestClient) -> None:
    r = client.get("/implements", params={"doc": "Resolution 57", "depth": "2"})
    assert r.status_code == 200
    assert "Tỉnh ủy Quảng Ninh" in r.text and "/api/implements?doc=Resolution+57&amp;depth=2&amp;format=csv" in r.text
    assert client.get("/implements").status_code == 200
    assert client.get("/implements", params={"doc": "57-NQ/TW", "depth": "99"}).status_code == 400
    r = client.get("/coverage", params={"doc": "Nghị quyết 57"})
    assert r.status_code == 200 and "Số ngày sau" in r.text and "Tỉnh ủy Nghệ An" in r.text
    assert client.get("/coverage", params={"doc": "57-NQ/TW", "by": "level"}).status_code == 200
    assert client.get("/coverage", params={"doc": "57-NQ/TW", "by": "colour"}).status_code == 400
    r = client.get("/coverage")
    assert r.status_code == 200 and 'class="corner"' in r.text and "chưa có văn bản" in r.text
    assert client.get("/coverage", params={"page": "99"}).status_code == 404


def test_check_page_marks_the_draft_and_offers_the_suggestion(client: TestClient) -> None:
    assert client.get("/check").status_code == 200
    r = client.post("/check", data={"text": DRAFT})
    assert r.status_code == 200
    assert "DS103" in r.text and '<mark id="finding-1"' in r.text
    assert 'data-copy="Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"' in r.text
    # The issuer finding marks the number while its suggestion is a whole citation: copy, not apply.
    assert 'class="apply"' not in r.text
    r = client.post("/check", data={"text": "Căn cứ Quy định số 144-QĐ/TW ngày 19/05/2024 của Bộ Chính trị.\n"})
    assert 'class="apply" data-find="19/05/2024" data-replace="09/05/2024"' in r.text
    # The finding in the page's language, Vietnamese first; English one click away.
    said = "Quy định số 144-QĐ/TW ban hành ngày 09/05/2024, không phải ngày 19/05/2024"
    assert f"<p>{said}</p>" in r.text and f'title="DS102: {said}"' in r.text
    r = client.post("/check?lang=en", data={"text": "Căn cứ Quy định số 144-QĐ/TW ngày 19/05/2024 của Bộ Chính trị.\n"})
    assert "<p>Quy định số 144-QĐ/TW is dated 09/05/2024, not 19/05/2024</p>" in r.text
    r = client.post("/check", files={"file": ("du-thao.txt", DRAFT.encode("utf-8"), "text/plain")})
    assert r.status_code == 200 and "du-thao.txt" in r.text and "DS103" in r.text


# --- the API is the command line's JSON -------------------------------------------------------

def test_api_search_is_the_cli_json(client: TestClient, index: Path) -> None:
    r = client.get("/api/search", params={"q": "Nghị quyết 57 type:CTr", "limit": "5"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == _cli_json(index, "search", "Nghị quyết 57 type:CTr", "--limit", "5")
    assert client.get("/api/search").status_code == 400
    assert client.get("/api/search", params={"q": "x", "limit": "0"}).status_code == 400
    bad = client.get("/api/search", params={"q": "year:abc"})
    assert bad.status_code == 400 and bad.json()["status"] == 400


def test_api_documents_is_show(client: TestClient, index: Path) -> None:
    r = client.get("/api/documents/46-CTr/TU")
    assert r.json() == _cli_json(index, "show", "46-CTr/TU")
    n = _doc_id(index, "57-NQ/TW")
    assert client.get(f"/api/documents/%23{n}").json()["doc"] == n
    assert "text" in client.get("/api/documents/57-NQ/TW", params={"text": "1"}).json()
    # Known only from citations: the graph's profile, as `show` prints it.
    assert client.get("/api/documents/13/2023/NĐ-CP").json() == _cli_json(index, "show", "13/2023/NĐ-CP")


@pytest.mark.parametrize("ref", ["57-NQ/TW", "46-CTr/TU", "#1", "en-bac-ninh-private-economy.html"])
def test_api_document_and_show_give_one_json(client: TestClient, index: Path, ref: str) -> None:
    """Every stored text, with its text or without: the CLI and the API print
    the one record (docsearch.document_record), field for field."""
    path = "/api/documents/" + ref.replace("#", "%23")
    assert client.get(path).json() == _cli_json(index, "show", ref)
    with_text = client.get(path, params={"text": "1"}).json()
    assert with_text == _cli_json(index, "show", ref, "--text")
    assert with_text["text"] and with_text["references"] is not None


def test_api_graph_queries_are_the_cli_json(client: TestClient, index: Path) -> None:
    assert client.get("/api/implements", params={"doc": "Resolution 57", "depth": "2"}).json() == \
        _cli_json(index, "implements", "Resolution 57", "--depth", "2")
    assert client.get("/api/cites", params={"doc": "57-NQ/TW"}).json() == _cli_json(index, "cites", "57-NQ/TW")
    assert client.get("/api/coverage", params={"doc": "57-NQ/TW"}).json() == _cli_json(index, "coverage", "57-NQ/TW")
    assert client.get("/api/coverage", params={"central": "1"}).json() == _cli_json(index, "coverage", "--central")
    graph = client.get("/api/graph")
    expected = json.loads(CliRunner().invoke(cli, ["graph", "--index", str(index)]).stdout)
    assert graph.json() == expected
    csv = client.get("/api/implements", params={"doc": "57-NQ/TW", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("depth,parent,id")
    assert client.get("/api/graph", params={"format": "dot"}).text.startswith("digraph")


def test_api_graph_errors(client: TestClient) -> None:
    assert client.get("/api/implements").status_code == 400
    r = client.get("/api/implements", params={"doc": "18-NQ/TW"})
    assert r.status_code == 400 and len(r.json()["candidates"]) == 2
    assert client.get("/api/implements", params={"doc": "999-NQ/TW"}).status_code == 404
    assert client.get("/api/implements", params={"doc": "57-NQ/TW", "relation": "likes"}).status_code == 400
    assert client.get("/api/coverage").status_code == 400
    assert client.get("/api/coverage", params={"doc": "57-NQ/TW", "central": "1"}).status_code == 400
    assert client.get("/api/graph", params={"format": "pdf"}).status_code == 400
    assert client.get("/api/cites", params={"doc": "not a document at all"}).status_code in (400, 404)


def test_api_check_is_the_cli_json(client: TestClient, index: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, "utf-8")
    expected = _cli_json(index, "check", str(draft))
    r = client.post("/api/check", files={"file": ("draft.txt", DRAFT.encode("utf-8"), "text/plain")})
    assert r.status_code == 200
    assert r.json()["diagnostics"] == expected["diagnostics"]
    r = client.post("/api/check", data={"text": DRAFT})
    assert [d["code"] for d in r.json()["diagnostics"]] == [d["code"] for d in expected["diagnostics"]]
    r = client.post("/api/check", params={"ignore": "DS103"}, data={"text": DRAFT})
    assert "DS103" not in {d["code"] for d in r.json()["diagnostics"]}
    assert client.post("/api/check", params={"ignore": "DS999"}, data={"text": DRAFT}).status_code == 400


def test_api_check_reads_docx_and_pdf(client: TestClient) -> None:
    docx = pytest.importorskip("docx")
    fpdf = pytest.importorskip("fpdf")
    doc = docx.Document()
    doc.add_paragraph(DRAFT)
    buf = io.BytesIO()
    doc.save(buf)
    r = client.post("/api/check", files={"file": ("du-thao.docx", buf.getvalue(), "application/octet-stream")})
    assert r.status_code == 200 and "DS103" in {d["code"] for d in r.json()["diagnostics"]}
    pdf = fpdf.FPDF()
    pdf.add_page()
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.exists():
        pytest.skip("DejaVuSans.ttf is needed to write Vietnamese into a test PDF")
    pdf.add_font("dv", fname=str(font))
    pdf.set_font("dv", size=11)
    pdf.multi_cell(0, 6, DRAFT)
    r = client.post("/api/check", files={"file": ("du-thao.pdf", bytes(pdf.output()), "application/pdf")})
    assert r.status_code == 200 and "DS103" in {d["code"] for d in r.json()["diagnostics"]}


def test_check_errors(index: Path) -> None:
    small = TestClient(create_app(WebConfig(index_dir=index, upload_limit=1000)))
    r = small.post("/api/check", files={"file": ("big.txt", b"a" * 200_000, "text/plain")})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = small.post("/check", files={"file": ("big.txt", b"a" * 200_000, "text/plain")})
    assert r.status_code == 413 and "<!DOCTYPE html>" in r.text
    c = TestClient(create_app(WebConfig(index_dir=index)))
    r = c.post("/api/check", files={"file": ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "application/msword")})
    assert r.status_code == 415 and ".docx" in r.json()["error"]
    r = c.post("/api/check", files={"file": ("x.exe", b"MZ\x90\x00binary", "application/octet-stream")})
    assert r.status_code == 415
    assert c.post("/api/check", data={"text": "  "}).status_code == 400
    # A page says why in its language (Vietnamese first); the API in English.
    r = c.post("/check", files={"file": ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "application/msword")})
    assert r.status_code == 415 and "không đọc được dự thảo: tệp Word/Office định dạng cũ (.doc)" in r.text
    assert "chưa có dự thảo: hãy dán nội dung" in c.post("/check", data={"text": "  "}).text
    r = c.post("/check?lang=en", data={"text": "  "})
    assert r.status_code == 400 and "no draft: paste its text in the &#39;text&#39; field" in r.text
    assert c.post("/api/check", content=b"{}", headers={"content-type": "application/json"}).status_code == 415
    r = c.get("/api/check")
    assert r.status_code == 405 and r.json()["status"] == 405


def test_api_unknown_route_is_json(client: TestClient) -> None:
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = client.get("/nothing")
    assert r.status_code == 404 and "<!DOCTYPE html>" in r.text
    assert client.get("/api").json()["endpoints"]


# --- security -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/search?q=57", "/documents/57-NQ/TW", "/coverage", "/check",
                                  "/implements?doc=57-NQ/TW", "/documents/nothing"])
def test_pages_have_a_csp_and_no_inline_script(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    for tag in _scripts(r.text):
        assert "src=" in tag, f"inline script on {path}: {tag}"
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", r.text, flags=re.I), "no inline event handler"


def test_hostile_document_is_escaped(client: TestClient) -> None:
    r = client.get("/documents/77/KH-UBND")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;alert" in r.text
    assert "<img src=x" not in r.text and 'href="javascript:' not in r.text
    assert len(_scripts(r.text)) == 1  # site.js only
    r = client.get("/search", params={"q": '"<script>alert(1)</script>"'})
    assert "<script>alert(1)" not in r.text
    r = client.get("/documents/<script>alert(1)<%2Fscript>")
    assert r.status_code == 404 and "<script>alert(1)" not in r.text


def test_server_never_writes_the_index(index: Path, client: TestClient) -> None:
    db = index / "docsearch.sqlite"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for path in ("/", "/search?q=57", "/documents/57-NQ/TW", "/coverage", "/api/graph"):
        client.get(path)
    client.post("/api/check", data={"text": DRAFT})
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    import sqlite3

    with pytest.raises(sqlite3.OperationalError):
        client.app.state.docsearch.index.store().conn.execute("DELETE FROM documents")  # type: ignore[attr-defined]


def test_no_file_outside_the_index_is_reachable(client: TestClient) -> None:
    for path in ("/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/documents/../../etc/passwd",
                 "/documents/%2Fetc%2Fpasswd"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "root:" not in r.text
    sheet = client.get("/static/style.css")
    assert sheet.status_code == 200 and "--rel-implements:" in sheet.text, "relation colours defined"
    assert client.get("/static/live.js").status_code == 200


def test_token_is_required_on_every_request(index: Path) -> None:
    c = TestClient(create_app(WebConfig(index_dir=index, token="s3cret")), follow_redirects=False)
    assert c.get("/").status_code == 401
    r = c.get("/api/search", params={"q": "57"})
    assert r.status_code == 401 and r.json()["status"] == 401
    assert c.get("/static/style.css").status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/search", params={"q": "57"}, headers={"Authorization": "Bearer s3cret"}).status_code == 200
    # Opening a page once with ?token= sets a cookie and drops the token from the address.
    r = c.get("/search", params={"q": "57", "token": "s3cret"})
    assert r.status_code == 303 and r.headers["location"] == "/search?q=57"
    assert TOKEN_COOKIE in r.cookies
    assert c.get("/search", params={"q": "57"}).status_code == 200
    fresh = TestClient(create_app(WebConfig(index_dir=index, token="s3cret")), follow_redirects=False)
    assert fresh.get("/", params={"token": "nope"}).status_code == 401


def test_requests_keep_their_readers(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are answered on the application's own threads, which keep their
    store and full-text reader for the server's life: a hundred searches open
    at most one reader per thread."""
    import threading

    from docsearch.web import access
    from docsearch.web.app import REQUEST_THREADS

    opened: list[str] = []
    real = access.FullTextIndex

    def counting(folder: Path) -> Any:
        opened.append(threading.current_thread().name)
        return real(folder)

    monkeypatch.setattr(access, "FullTextIndex", counting)
    with TestClient(create_app(WebConfig(index_dir=index))) as c:
        for n in range(100):
            assert c.get("/api/search", params={"q": f"chuyển đổi số {n % 3}"}).status_code == 200
    assert 1 <= len(opened) <= REQUEST_THREADS, opened
    assert all(name.startswith("docsearch-request") for name in opened), opened


def test_missing_index_says_what_to_do(tmp_path: Path) -> None:
    c = TestClient(create_app(WebConfig(index_dir=tmp_path / "none")))
    r = c.get("/")
    assert r.status_code == 503 and "docsearch ingest" in r.text and "Traceback" not in r.text
    r = c.get("/api/search", params={"q": "57"})
    assert r.status_code == 503 and "docsearch ingest" in r.json()["error"]
    assert c.get("/static/style.css").status_code == 200


def test_an_internal_failure_is_a_page_not_a_traceback(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.web import app as web_app

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(web_app, "coverage_matrix", boom)
    c = TestClient(create_app(WebConfig(index_dir=index)), raise_server_exceptions=False)
    r = c.get("/coverage")
    assert r.status_code == 500 and "secret internal detail" not in r.text and "Traceback" not in r.text
    r = c.get("/api/coverage", params={"central": "1"})
    assert r.status_code == 500 and r.json()["status"] == 500


def test_serve_command_warns_on_all_interfaces(monkeypatch: pytest.MonkeyPatch, index: Path) -> None:
    calls: list[dict[str, Any]] = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    port = _free_port()
    result = CliRunner().invoke(cli, ["serve", "--index", str(index), "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert "visible on the network" in result.stderr and f"http://127.0.0.1:{port}/" in result.stderr
    assert calls and calls[0]["host"] == "0.0.0.0" and calls[0]["port"] == port
    result = CliRunner().invoke(cli, ["serve", "--index", str(index), "--port", str(port)])
    assert "visible on the network" not in result.stderr and f"http://127.0.0.1:{port}/" in result.stderr
    # The token may come from the environment.
    result = CliRunner().invoke(cli, ["serve", "--index", str(index), "--port", str(port)],
                                env={"DOCSEARCH_TOKEN": "from-env"})
    assert result.exit_code == 0, result.output
    assert calls[-1]["app"].state.docsearch.config.token == "from-env"


def test_serve_says_when_the_port_is_taken(index: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--index", str(index), "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return int(s.getsockname()[1])


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    described = set(spec["paths"])
    routes = {r.path for r in client.app.routes if getattr(r, "path", "").startswith("/api/")}  # type: ignore[attr-defined]
    routes -= {"/api/openapi.json"}
    assert routes == {p.replace("{ref}", "{ref:path}") if "{ref}" in p else p for p in described}


def test_pages_follow_the_store_after_an_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "nq-57.txt").write_text((ROOT / "corpus" / "central" / "nq-57-tw-2024.txt").read_text("utf-8"), "utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([str(folder)], store).ok
    c = TestClient(create_app(WebConfig(index_dir=tmp_path / "index")))
    assert "77/KH-UBND" not in c.get("/documents/57-NQ/TW").text
    (folder / "kh-77-ubnd.txt").write_text(HOSTILE, "utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([str(folder)], store).ok
    assert "77/KH-UBND" in c.get("/documents/57-NQ/TW").text
