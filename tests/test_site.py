"""The static site built from the shipped corpus (plus hostile texts written
here): pages, links, escaping, file names, rebuilds, templates and the search
index, read back with html.parser."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.graph import build_graph
from docsearch.ingestion import ingest
from docsearch.refs import fold
from docsearch.site import SiteError, build_site, slug
from docsearch.site.linkcheck import check_links
from docsearch.site.search_index import decode_postings, encode_postings, shard_of, terms
from docsearch.site.urls import Urls, is_safe_site_path
from docsearch.store import Store

from conftest import DATA, ROOT

TRUTH = json.loads((DATA / "corpus_truth.json").read_text("utf-8"))
URLS = Urls()
TEMPLATES = ROOT / "src" / "docsearch" / "site" / "templates"

HOSTILE = """ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 77/KH-UBND
Thử Nghiệm, ngày 10 tháng 03 năm 2025

KẾ HOẠCH
<script>alert("title")</script> thực hiện Nghị quyết số 57-NQ/TW
-----

Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân tỉnh ban hành kế hoạch.
Xem <a href="javascript:alert(1)">đây</a> và <img src=x onerror="alert(2)"> & "ngoặc" 'đơn'.
</div></main><script>document.title = "pwned"</script>
"""


# --- reading pages --------------------------------------------------------------------------

class Page(HTMLParser):
    """A parsed page: elements as (tag, attrs, text inside) plus every link."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = (tag, {k: v or "" for k, v in attrs}, [])
        self.elements.append(el)
        if tag not in ("meta", "link", "input", "br", "img", "circle", "line", "path"):
            self._open.append(el)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        for el in self._open:
            el[2].append(data)

    def find(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        out = []
        for t, a, text in self.elements:
            if t == tag and all(
                (v in a.get(k.rstrip("_"), "").split()) if k.rstrip("_") == "class" else a.get(k) == v
                for k, v in attrs.items()
            ):
                out.append((a, "".join(text)))
        return out

    def text_of_id(self, ident: str) -> str | None:
        for _, a, text in self.elements:
            if a.get("id") == ident:
                return "".join(text)
        return None


def page(site: Path, path: str) -> Page:
    return Page((site / path).read_text("utf-8"))


def resolve(from_page: str, href: str) -> tuple[str, str]:
    path, _, frag = href.partition("#")
    if not path:
        return from_page, frag
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path)), frag


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store]]:
    """The corpus plus one hostile text, ingested and built once for the module."""
    base = tmp_path_factory.mktemp("site")
    extra = base / "extra"
    extra.mkdir()
    (extra / "kh-77-ubnd-thu-nghiem.txt").write_text(HOSTILE, "utf-8")
    store = Store.open(base / "index")
    summary = ingest([str(ROOT / "corpus"), str(extra)], store)
    assert summary.ok, summary.failed
    out = base / "site"
    report = build_site(store, out, lang="en")  # the assertions read the English interface
    assert report.written == report.files
    try:
        yield out, store
    finally:
        store.close()


def doc_page(store: Store, doc_id: str) -> str:
    """The page of the stored document with this id (its header)."""
    from docsearch.graph import Resolver

    res = Resolver(store)
    rows = store.conn.execute("SELECT doc_id FROM documents WHERE self_id=?", (doc_id,)).fetchall()
    assert rows, doc_id
    key = res.own_key(res.doc(rows[0][0]))
    assert key is not None
    return URLS.node(key)


def stored_text_pages(site: Path) -> Iterator[tuple[str, Page]]:
    for path in sorted((site / "doc").glob("*.html")) + sorted((site / "text").glob("*.html")):
        rel = path.relative_to(site).as_posix()
        p = Page(path.read_text("utf-8"))
        if p.find("div", class_="text"):
            yield rel, p


# --- the pages ---------------------------------------------------------------------------------

def test_every_stored_text_has_a_page_with_its_text(built: tuple[Path, Store]) -> None:
    site, store = built
    shown: dict[str, str] = {}
    for rel, p in stored_text_pages(site):
        (attrs, text), = p.find("div", class_="text")
        shown[rel] = text
    assert len(shown) == store.count()
    # Each text appears whole on exactly one page.
    for d in store.documents():
        hits = [rel for rel, text in shown.items() if text.replace("\u00a0", " ") == d.text]
        assert len(hits) == 1, d.path


def test_text_carries_its_language(built: tuple[Path, Store]) -> None:
    site, store = built
    langs = {d.text: d.lang for d in store.documents()}
    seen = set()
    for _, p in stored_text_pages(site):
        (attrs, text), = p.find("div", class_="text")
        assert attrs.get("lang") == langs[text]
        seen.add(attrs["lang"])
    assert seen == {"vi", "en", "de"}


def test_references_link_to_the_pages_of_their_targets(built: tuple[Path, Store]) -> None:
    """Every 'implements' relation of the corpus truth stated by a text about
    itself is a link in that text to the target's page."""
    site, store = built
    checked = 0
    for f in TRUTH:
        own = (f.get("self") or {}).get("id")
        if not own:
            continue
        src = doc_page(store, own)
        p = page(site, src)
        targets = set()
        for a, _ in p.find("a", class_="ref"):
            target, _ = resolve(src, a["href"])
            (h1,) = [t for _, t in Page((site / target).read_text("utf-8")).find("h1")]
            targets.add(h1.split()[0])
        for r in f["relations"]:
            if r["source"] == own and r["type"] == "implements":
                assert r["target"] in targets, (f["path"], r["target"], targets)
                checked += 1
    assert checked >= 20


def test_central_document_lists_its_implementers_by_issuer(built: tuple[Path, Store]) -> None:
    site, store = built
    src = doc_page(store, "57-NQ/TW")
    p = page(site, src)
    section = p.text_of_id("implementation")
    assert section is not None
    expected = {r["source"] for f in TRUTH for r in f["relations"]
                if r["target"] == "57-NQ/TW" and r["type"] in ("implements", "based_on", "summarizes")}
    for source in expected:
        assert source in section, source
    # Grouped by issuer: the Bắc Ninh provincial committee's row holds its plan.
    rows = p.find("th", scope="rowgroup")
    issuers = [t.strip() for _, t in rows]
    assert "Tỉnh ủy Bắc Ninh" in issuers
    assert p.find("svg", class_="timeline"), "a timeline of the implementers"
    incoming = p.text_of_id("referred-by") or ""
    assert "Implemented by" in incoming and "Reviewed by" in incoming  # 26-BC/TU reviews it


def test_document_known_only_from_citations(built: tuple[Path, Store]) -> None:
    site, store = built
    # Resolution 57 recalls Resolution 20 of 2012; the built-in list knows only
    # the Resolution 20 of 2017, so the 2012 one is known from the citation alone.
    key = next(n.key for n in build_graph(store).nodes
               if n.id == "20-NQ/TW" and not n.stored and n.date_source == "citation")
    p = page(site, URLS.node(key))
    (article, text), = p.find("article", class_="cited-only")
    assert "Not in the collection" in text
    citers = p.text_of_id("referred-by") or ""
    assert "57-NQ/TW" in citers  # Resolution 57 recalls Resolution 20 of 2012
    assert not p.find("div", class_="text")


def test_ambiguous_citations_have_a_page_listing_candidates(built: tuple[Path, Store]) -> None:
    site, _ = built
    pages = [p for p in (site / "doc").glob("18-nq-tw-*.html")]
    texts = [Page(p.read_text("utf-8")) for p in pages]
    marker = [p for p in texts if p.find("p", class_="warn") and "Could be" in "".join(t for _, t in p.find("dt"))]
    assert marker, "the page of citations of 18-NQ/TW that name no date"
    candidates = "".join(t for _, t in marker[0].find("dd"))
    assert "2017-10-25" in candidates and "2022-06-16" in candidates
    # Programme 19-CTr/TU cites "Nghị quyết 18" with neither date nor term.
    assert "ctr-19-tu-2022.txt" in (marker[0].text_of_id("referred-by") or "")


def test_coverage_cells_link_to_the_sentence_that_states_it(built: tuple[Path, Store]) -> None:
    site, _ = built
    p = page(site, URLS.coverage())
    columns = [m.group(0) for _, t in p.find("th", scope="col") if (m := re.match(r"\S+?/TW", t))]
    assert "57-NQ/TW" in columns
    numbers = {c.split("-")[0] for c in columns}
    lags = p.find("a", class_="lag")
    assert len(lags) >= 20
    for a, _ in lags:
        target, frag = resolve(URLS.coverage(), a["href"])
        sentence = Page((site / target).read_text("utf-8")).text_of_id(frag)
        assert sentence, a["href"]
        # The sentence names one of the central documents by its number.
        assert set(re.findall(r"\d+", sentence)) & numbers, sentence


def test_listings_by_issuer_type_and_year(built: tuple[Path, Store]) -> None:
    site, _ = built
    year = page(site, URLS.year(2025))
    listed = [t for _, t in year.find("a") if re.match(r"\d", t)]
    assert "57-NQ/TW" not in listed and "46-CTr/TU" in listed
    issuers = page(site, URLS.issuers_index)
    names = [t for _, t in issuers.find("a")]
    assert "Tỉnh ủy Quảng Ninh" in names
    qn = page(site, URLS.issuer("Tỉnh ủy Quảng Ninh"))
    assert {"46-CTr/TU", "17-HD/TU"} <= {t for _, t in qn.find("a")}
    nq = page(site, URLS.type("NQ"))
    assert {"57-NQ/TW", "66-NQ/TW"} <= {t for _, t in nq.find("a")}
    home = page(site, URLS.home)
    assert home.find("input", type="search")
    assert "Recent documents" in "".join(t for _, t in home.find("h2"))


def test_no_broken_internal_links(built: tuple[Path, Store]) -> None:
    site, _ = built
    report = check_links(site)
    assert report.pages > 200 and report.links > 5000
    assert report.broken == ()


def test_base_url_only_in_absolute_addresses(built: tuple[Path, Store], tmp_path: Path) -> None:
    _, store = built
    out = tmp_path / "sub"
    build_site(store, out, base_url="https://example.org/docs")
    p = page(out, URLS.home)
    (canonical, _), = p.find("link", rel="canonical")
    assert canonical["href"] == "https://example.org/docs/index.html"
    links = [a["href"] for a, _ in p.find("a")]
    assert links and not any(h.startswith(("/", "http")) for h in links)
    assert (out / "sitemap.xml").read_text("utf-8").count("<loc>https://example.org/docs/") > 200
    assert check_links(out, base_url="https://example.org/docs/").broken == ()
    with pytest.raises(SiteError, match="base-url"):
        build_site(store, tmp_path / "bad", base_url="javascript:alert(1)")


def test_semantic_and_accessible_pages(built: tuple[Path, Store]) -> None:
    site, _ = built
    for path in sorted(site.rglob("*.html")):
        p = Page(path.read_text("utf-8"))
        html, = p.find("html")
        assert html[0]["lang"] == "en", path
        assert len(p.find("h1")) == 1, path
        assert len(p.find("main")) == 1, path
        skip = p.find("a", class_="skip")
        assert skip and skip[0][0]["href"] == "#main", path
        assert p.find("meta", name="viewport"), path


# --- hostile text ------------------------------------------------------------------------------

def test_hostile_text_is_shown_as_text(built: tuple[Path, Store]) -> None:
    site, store = built
    src = doc_page(store, "77/KH-UBND")
    raw = (site / src).read_text("utf-8")
    assert "<script>alert" not in raw and "<script>document.title" not in raw
    assert 'href="javascript:' not in raw and "<img src=x" not in raw
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in raw
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;" in raw
    p = Page(raw)
    (attrs, text), = p.find("div", class_="text")
    assert '<a href="javascript:alert(1)">đây</a>' in text
    # The page structure survived the text's closing tags.
    assert len(p.find("main")) == 1 and p.find("footer")
    # Its reference to Resolution 57 is still a link.
    assert [a for a, t in p.find("a", class_="ref") if t.endswith("57-NQ/TW")]
    scripts = [a.get("src", "") for a, _ in p.find("script")]
    assert all(s.endswith(".js") for s in scripts)


def test_templates_never_mark_text_safe() -> None:
    for path in TEMPLATES.glob("*.html"):
        source = path.read_text("utf-8")
        assert "|safe" not in source.replace(" ", ""), path
        assert "autoescape false" not in source, path


# --- file names ---------------------------------------------------------------------------------

def test_slugs_are_readable_stable_and_distinct() -> None:
    assert slug("57-NQ/TW").startswith("57-nq-tw-")
    assert slug("13/2023/NĐ-CP").startswith("13-2023-nd-cp-")
    assert slug("18-NQ/TW@2017-10-25").startswith("18-nq-tw-2017-10-25-")
    assert slug("57-NQ/TW") == slug("57-NQ/TW")
    for a, b in [("03-ĐA/TU", "03-DA/TU"), ("46-CTr/TU", "46-CTR/TU"), ("18-NQ/TW@2017-10-25", "18-NQ/TW@2022-06-16"),
                 ("144-QĐ/TW", "144-QÐ/TW")]:
        assert slug(a) != slug(b)
    for hostile in ("../../etc/passwd", "..", "/", "a/../../b", "C:\\x", "\u0000", ""):
        path = URLS.node(hostile)
        assert is_safe_site_path(path) and path.startswith("doc/") and ".." not in path


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_id_gives_a_safe_file_name(text: str) -> None:
    path = URLS.node(text)
    assert is_safe_site_path(path)
    assert re.fullmatch(r"doc/[a-z0-9-]+\.html", path)


def test_ids_of_the_corpus_never_share_a_file(built: tuple[Path, Store]) -> None:
    site, _ = built
    manifest = json.loads((site / ".docsearch-site.json").read_text("utf-8"))
    assert len(manifest["files"]) == len(set(manifest["files"]))
    assert len(list((site / "doc").glob("*.html"))) == len([f for f in manifest["files"] if f.startswith("doc/")])


# --- rebuilds ------------------------------------------------------------------------------------

def _small_corpus(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(ROOT / "corpus" / name, folder / Path(name).name)


def test_rebuild_writes_only_what_changed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _small_corpus(src, ["central/nq-57-tw-2024.txt", "bac-ninh/kh-245-tu-2025.txt", "central/ct-35-tw-2024.txt"])
    out = tmp_path / "site"
    with Store.open(tmp_path / "index") as store:
        ingest([str(src)], store)
        first = build_site(store, out, jobs=1)
        assert first.written == first.files and first.removed == 0
        again = build_site(store, out, jobs=2)
        assert (again.written, again.unchanged, again.removed) == (0, first.files, 0)

        # A new plan implementing Resolution 57: its pages and the pages that
        # list or link to it change; the page of Directive 35 does not.
        _small_corpus(src, ["bac-ninh/kh-172-hu-gia-binh-2025.txt"])
        ingest([str(src)], store)
        before = (out / doc_page(store, "35-CT/TW")).stat().st_mtime_ns
        added = build_site(store, out)
        assert 0 < added.written < added.files and added.removed == 0
        assert (out / doc_page(store, "172-KH/HU")).is_file()
        nq57 = (out / doc_page(store, "57-NQ/TW")).read_text("utf-8")
        assert "172-KH/HU" in nq57
        assert (out / doc_page(store, "35-CT/TW")).stat().st_mtime_ns == before
        assert "172-KH/HU" in (out / doc_page(store, "245-KH/TU")).read_text("utf-8")

        # Removing it removes its page; nothing else of the folder is touched.
        gone = out / doc_page(store, "172-KH/HU")
        (out / "notes.txt").write_text("mine", "utf-8")
        (src / "kh-172-hu-gia-binh-2025.txt").unlink()
        ingest([str(src)], store)
        removed = build_site(store, out)
        assert removed.removed >= 2 and not gone.exists()
        assert (out / "notes.txt").read_text("utf-8") == "mine"
        assert check_links(out).broken == ()


def test_refuses_a_folder_it_did_not_write(tmp_path: Path, store: Store) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own page", "utf-8")
    with pytest.raises(SiteError, match="not empty"):
        build_site(store, out)
    assert (out / "index.html").read_text("utf-8") == "my own page"
    (tmp_path / "file").write_text("x", "utf-8")
    with pytest.raises(SiteError, match="is a file"):
        build_site(store, tmp_path / "file")


# --- templates -------------------------------------------------------------------------------------

def test_templates_folder_overrides_by_file_name(built: tuple[Path, Store], tmp_path: Path) -> None:
    _, store = built
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "home.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1 id="custom">{{ texts }} texts &amp; more</h1>{% endblock %}',
        "utf-8")
    (mine / "style.css").write_text("body { background: #fafafa; }\n", "utf-8")
    out = tmp_path / "site"
    build_site(store, out, templates=mine)
    home = page(out, URLS.home)
    assert home.text_of_id("custom") == f"{store.count()} texts & more"
    assert (out / "static" / "style.css").read_text("utf-8") == "body { background: #fafafa; }\n"
    # Other templates are still the shipped ones.
    assert page(out, URLS.coverage()).find("table", class_="matrix")

    (mine / "home.html").write_text("{% extends 'base.html' %}{% block main %}{{ texts + }}{% endblock %}", "utf-8")
    with pytest.raises(SiteError, match=r"home\.html.*line 1"):
        build_site(store, tmp_path / "broken", templates=mine)
    with pytest.raises(SiteError, match="no such folder"):
        build_site(store, tmp_path / "other", templates=tmp_path / "missing")


# --- search index ---------------------------------------------------------------------------------

def _load_js(path: Path, call: str) -> object:
    text = path.read_text("utf-8").strip()
    assert text.startswith(call + "(") and text.endswith(");")
    inner = text[len(call) + 1:-2]
    if call != "DS.manifest":
        inner = "[" + inner + "]"
    return json.loads(inner)


def search(site: Path, query: str) -> list[str]:
    """What static/search.js does, in Python: the pages having every term,
    own-number matches (8), metadata (3), text (1), then in index order."""
    manifest = _load_js(site / "search" / "manifest.js", "DS.manifest")
    assert isinstance(manifest, dict)
    shards = set(manifest["shards"])
    per = manifest["perFile"]
    scores: dict[int, int] | None = None
    for term in sorted(terms(query)):
        name = shard_of(term, shards)
        found: dict[int, int] = {}
        if name is not None:
            _, data = _load_js(site / "search" / "t" / f"{name}.js", "DS.shard")  # type: ignore[misc]
            meta, body, *ident = data.get(term, ["", ""])
            for n in decode_postings(meta):
                found[n] = 3
            for n in decode_postings(body) if body != 1 else ():
                found[n] = found.get(n, 0) + 1
            for n in decode_postings(ident[0]) if ident else ():
                found[n] = found.get(n, 0) + 8
        scores = found if scores is None else {n: s + found[n] for n, s in scores.items() if n in found}
    pages = []
    for n in sorted(scores or {}, key=lambda n: (-(scores or {})[n], n)):
        _, rows = _load_js(site / "search" / "d" / f"{n // per}.js", "DS.docs")  # type: ignore[misc]
        pages.append(rows[n % per][0])
    return pages


def test_search_ignores_diacritics_and_case(built: tuple[Path, Store]) -> None:
    site, store = built
    nq57 = doc_page(store, "57-NQ/TW")
    with_marks = search(site, "Nghị quyết đột phá chuyển đổi số")
    without = search(site, "NGHI QUYET dot pha chuyen doi so")
    assert with_marks == without and nq57 in without
    # Stored documents rank first: the document itself is its first result.
    assert search(site, "57-NQ/TW")[0] == nq57
    # German and English texts are searchable too.
    assert any(p.startswith("text/") for p in search(site, "Aktionsprogramm Resolution"))
    assert search(site, "zzqx nonexistent") == []


def test_search_terms_fold_like_the_tagger() -> None:
    text = "Đảng ủy Khối ĐUK — Quyết định 144-QÐ/TW; Ủy ban NHÂN DÂN; Straße"
    assert terms(text) == set(re.findall(r"[a-z0-9]+", fold(text)))
    assert {"dang", "uy", "duk", "quyet", "144", "qd", "tw", "nhan", "dan"} <= terms(text)
    # Decomposed (NFD) text gives the same terms as composed text.
    import unicodedata

    assert terms(unicodedata.normalize("NFD", text)) == terms(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aĐđÐyẾế9 \t\n\u00a0\u2028\u3000\u0301-/.,ßÅ")) | st.characters(),
               max_size=60))
def test_search_terms_are_the_terms_of_the_folded_text(text: str) -> None:
    # terms() scans each distinct chunk once; the result must be that of the whole text.
    import unicodedata

    whole = set(re.findall(r"[a-z0-9]+", fold(unicodedata.normalize("NFC", text))))
    assert terms(text) == {t for t in whole if len(t) <= 40}


def test_templates_escape_exactly_as_markupsafe() -> None:
    from markupsafe import Markup, escape

    from docsearch.site.build import _environment, fast_escape

    class Html:
        def __html__(self) -> str:
            return "<b>x</b>"

    for value in ("", "a & b <c> \"d\" 'e'", "Nghị quyết 57-NQ/TW", Markup("<i>safe</i>"), 12, None, Html()):
        assert fast_escape(value) == escape(value)
        assert type(fast_escape(value)) is Markup
    # The site's compiled templates use it; what they print is unchanged.
    env = _environment(None, "en")
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}")
    assert template.render(a="<x>&", b=Markup("<y>"), c=3) == "&lt;x&gt;&amp;|<y>|3"


def test_postings_round_trip() -> None:
    numbers = [0, 1, 2, 40, 41, 1000, 99_999]
    encoded = encode_postings(numbers)
    assert decode_postings(encoded) == numbers
    assert len(encoded) < len(",".join(map(str, numbers)))


def test_search_shards_stay_small_on_many_documents() -> None:
    from docsearch.site.search_index import SHARD_LIMIT, SearchIndex, make_entry

    index = SearchIndex()
    words = [f"{a}{b}{c}" for a in "bcdghklmnpqrstv" for b in "aeiou" for c in "cmnpt"]
    for i in range(3000):
        body = " ".join(words[(i * 7 + k * 13) % len(words)] for k in range(60)) + f" so{i} chung"
        index.add(make_entry(f"doc/{i}.html", f"Doc {i}", "", f"Doc {i}", body))
    files = dict(index.files())
    shards = {p: c for p, c in files.items() if p.startswith("search/t/")}
    assert len(shards) > 20
    assert max(len(c) for c in shards.values()) < 2 * SHARD_LIMIT
    manifest = json.loads(files["search/manifest.js"][len("DS.manifest("):-3])
    assert "chung" in manifest["common"]  # in every text: filters nothing
    for term in ("so2999", "chung", "bac", "so1"):
        assert shard_of(term, set(manifest["shards"])) is not None


def test_search_rows_carry_language_and_level_for_the_filters() -> None:
    from docsearch.search.query import LANGUAGES, LEVELS
    from docsearch.site.search_index import SearchIndex, make_entry

    index = SearchIndex()
    index.add(make_entry("doc/a.html", "46-CTr/TU", "CTr", "46-CTr/TU", "chuyển đổi số", lang="vi", level="provincial"))
    index.add(make_entry("text/b.html", "News", "html · en · text", "News", "digital", lang="en"))
    files = dict(index.files())
    rows = json.loads(files["search/d/0.js"][len("DS.docs(0,"):-3])
    assert rows == [["doc/a.html", "46-CTr/TU", "CTr", "vi", "provincial"], ["text/b.html", "News", "html · en · text", "en", ""]]
    # The browser reads lang: and level: values with the command line's tables.
    manifest = json.loads(files["search/manifest.js"][len("DS.manifest("):-3])
    assert manifest["values"] == {"lang": LANGUAGES, "level": LEVELS}
    assert manifest["values"]["level"]["tinh"] == "provincial"


def test_texts_without_a_number_list_what_they_name(built: tuple[Path, Store]) -> None:
    site, _ = built
    (path,) = (site / "text").glob("en-nghe-an-leadership-methods-pdf-*.html")
    p = Page(path.read_text("utf-8"))
    named = p.text_of_id("named") or ""
    # "Resolution No. 28-NQ/TW dated November 17, 2022" (the date on the next
    # line of the PDF) settles which of the resolutions numbered 28 it is.
    assert "28-NQ/TW@2022-11-17" in named and "141-KH/TU" in named
    rel = path.relative_to(site).as_posix()
    for a, _ in p.find("a", class_="muted"):
        target, frag = resolve(rel, a["href"])
        assert target == rel and p.text_of_id(frag), a["href"]


def test_evidence_is_marked_with_the_language_of_its_text(built: tuple[Path, Store]) -> None:
    site, store = built
    p = page(site, doc_page(store, "245-KH/TU"))
    quotes = {a.get("lang") for a, _ in p.find("blockquote", class_="evidence")}
    # Its own Vietnamese text and a German news report both say it implements Resolution 57.
    assert {"vi", "de"} <= quotes


def test_marked_text_nests_and_keeps_every_anchor() -> None:
    from docsearch.site.markup import RefMark, mark_text

    text = "Căn cứ Nghị quyết 57-NQ/TW. Thực hiện <Kế hoạch> 245-KH/TU & 46-CTr/TU."
    r1 = text.index("57-NQ/TW")
    r2 = text.index("245-KH/TU")
    r3 = text.index("46-CTr/TU")
    refs = [RefMark(r1, r1 + 8, "a.html", "ref", "57"), RefMark(r2, r2 + 9, None, "ref", "245", "ref-x"),
            RefMark(r3, r3 + 9, "b.html?x=\"1\"", "ref", "46"),
            RefMark(r3 + 2, r3 + 5, "overlap.html", "ref", "dropped")]
    sentence2 = text.index("Thực")
    # One sentence starts inside a reference, two share a start, one is empty.
    evidence = [(0, sentence2 - 1), (sentence2, len(text)), (sentence2, len(text) - 3), (r2 + 3, len(text)),
                (5, 5)]
    html = str(mark_text(text, refs, evidence=evidence, page_starts=[0, sentence2]))
    p = Page(f"<div>{html}</div>")
    ids = {a.get("id") for _, a, _ in p.elements}
    assert {"at-0", f"at-{sentence2}", f"at-{r2 + 3}", "at-5", "page-1", "page-2", "ref-x"} <= ids
    assert "".join(p.elements[0][2]) == text  # the text itself is intact
    assert "&lt;Kế hoạch&gt;" in html and "&amp;" in html and 'href="b.html?x=&#34;1&#34;"' in html
    assert "overlap.html" not in html
    # Well nested: re-serialising the parsed tags closes each in order.
    stack: list[str] = []
    for m in re.finditer(r"<(/?)(a|span)\b", html):
        if m.group(1):
            assert stack.pop() == m.group(2)
        else:
            stack.append(m.group(2))
    assert stack == []
