"""Full-text search: the query language, ranking, filters, facets, snippets,
incremental sync, concurrent readers, bad queries and relevance (nDCG@10)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docsearch.ingestion import ingest
from docsearch.refs import fold, tag
from docsearch.search import (
    FullTextIndex,
    IndexBusy,
    IndexMissing,
    QueryError,
    SearchError,
    SearchResults,
    parse_query,
    reindex,
    search,
    sync,
)
from docsearch.search.quality import QualityReport, evaluate, load_judgments, ndcg
from docsearch.search.query import And, KeywordFilter, Not, Or, RangeFilter, RefFilter, Word
from docsearch.search.tantivy_engine import CURRENT, TantivyEngine, fulltext_dir
from docsearch.store import Store

from conftest import DATA, ROOT, rel, save_text, seeds_dir

# nDCG@10 reached on tests/data/relevance.json when this guard was set; a
# change that loses more than the margin fails the test.
NDCG_BASELINE = 0.966
NDCG_MARGIN = 0.02


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """corpus/ and the seed documents, ingested and indexed once for the module."""
    folder = tmp_path_factory.mktemp("corpus-index")
    with Store.open(folder) as store:
        summary = ingest([ROOT / "corpus", seeds_dir()], store, jobs=1)
        assert not summary.failed, summary.failed
        # ingest keeps the full-text index in step with the store
        assert summary.fulltext is not None and summary.fulltext["added"] == store.count() == 58
        assert sync(store).unchanged == 58
    yield folder


@pytest.fixture(scope="module")
def ix(corpus_index: Path) -> Iterator[FullTextIndex]:
    with FullTextIndex(corpus_index) as index:
        yield index


# --- the query language --------------------------------------------------------------------

def test_reference_in_the_query_is_read_by_the_tagger() -> None:
    for text in ("Resolution 57", "NQ 57", "57-NQ/TW", "57-nq/tw", "Nghị quyết 57", "nghi quyet 57",
                 "Nghị quyết số 57-NQ/TW", "Beschluss 57"):
        q = parse_query(text)
        assert q.interpreted == "ref:57-NQ/TW", text
        assert [r.id for r in q.references] == ["57-NQ/TW"]
    assert parse_query("Richtlinie 35").interpreted == "ref:35-CT/TW"
    assert parse_query("Nghị quyết 57 chuyển đổi số").interpreted == "ref:57-NQ/TW AND chuyển AND đổi AND số"
    # a bare number is not a reference
    assert parse_query("57").interpreted == "57"


def test_a_dated_reference_keeps_its_date() -> None:
    q = parse_query("Nghị quyết số 18-NQ/TW ngày 16/6/2022 đất đai")
    assert q.interpreted == "ref:18-NQ/TW@2022-06-16 AND đất AND đai"
    ambiguous = parse_query("Resolution 18").references[0]
    assert ambiguous.candidates == ("18-NQ/TW@2017-10-25", "18-NQ/TW@2022-06-16")


def test_or_binds_tighter_than_the_implicit_and() -> None:
    q = parse_query("kế hoạch 2024 OR 2025")
    assert isinstance(q.root, And)
    assert q.root.children[:2] == (Word("kế"), Word("hoạch"))
    assert q.root.children[2] == Or((Word("2024"), Word("2025")))
    assert parse_query("(a OR b) c").interpreted == "(a OR b) AND c"
    assert parse_query("a AND b").interpreted == "a AND b"


def test_not_and_minus() -> None:
    assert parse_query("đảng -bộ").interpreted == "đảng AND NOT bộ"
    assert parse_query("đảng NOT bộ").interpreted == "đảng AND NOT bộ"
    assert parse_query("NOT NOT bộ").interpreted == "bộ"
    # a hyphen inside a word or standing alone is not an operator
    assert parse_query("2021-2025").interpreted == "2021-2025"
    assert parse_query("Quảng Ninh - Hạ Long").interpreted == "Quảng AND Ninh AND Hạ AND Long"
    # "-x" alone means everything but x
    q = parse_query("-đảng")
    assert q.root == And((Not(Word("đảng")),)) and not q.scored


def test_field_values_are_canonical() -> None:
    assert parse_query("type:nq").root == KeywordFilter("type", ("NQ",))
    assert parse_query("type:resolution").root == KeywordFilter("type", ("NQ",))
    assert parse_query('type:"quy định"').root == KeywordFilter("type", ("QĐ", "QĐi"))
    assert parse_query("type:qd,ctr").root == KeywordFilter("type", ("QĐ", "CTr"))
    assert parse_query("lang:German").root == KeywordFilter("lang", ("de",))
    assert parse_query("level:tỉnh").root == KeywordFilter("level", ("provincial",))
    assert parse_query("cites:57-nq/tw").root == RefFilter("cites", ("57-NQ/TW",))
    assert parse_query('implements:"Nghị quyết 57"').root == RefFilter("implements", ("57-NQ/TW",))
    assert parse_query("id:13/2023/NĐ-CP").root == RefFilter("id", ("13/2023/NĐ-CP",))


def test_ranges() -> None:
    assert parse_query("year:2024").root == RangeFilter("year", 2024, 2024)
    assert parse_query("year:2024..2025").root == RangeFilter("year", 2024, 2025)
    assert parse_query("year:>2024").root == RangeFilter("year", 2025, None)
    assert parse_query("year:..2023").root == RangeFilter("year", None, 2023)
    assert parse_query("date:>=2025-01-01").root == RangeFilter("date", 20250101, None)
    assert parse_query("date:<2025-01-01").root == RangeFilter("date", None, 20241231)
    assert parse_query("date:2024-02").root == RangeFilter("date", 20240201, 20240229)
    assert parse_query("date:2024-06..2024-12").root == RangeFilter("date", 20240601, 20241231)
    assert parse_query("date:22/12/2024").root == RangeFilter("date", 20241222, 20241222)
    assert parse_query("date:>2024-12-31").root == RangeFilter("date", 20250101, None)


@pytest.mark.parametrize("query, message", [
    ('"chuyển đổi số', "unbalanced quote"),
    ("(nghị quyết 57", "'(' at position 1 is not closed"),
    ("nghị quyết) 57", "')' at position 11 has no matching '('"),
    ("type:", "'type:' needs a value"),
    ("type: NQ", "'type:' needs a value"),
    ('issuer:""', "'issuer:' needs a value"),
    ("type:(NQ OR CT)", "not a group"),
    ("tpye:NQ", "unknown field 'tpye:'"),
    ("type:xyz", "unknown document type 'xyz'"),
    ("lang:klingon", "unknown lang 'klingon'"),
    ("level:galactic", "unknown level"),
    ("year:abc", "is not a year"),
    ("year:2025..2024", "empty range"),
    ("date:2025-13-01", "not a valid date"),
    ("date:..", "has no bounds"),
    ("cites:57", "not a document reference"),
    ("-", "nothing to search for"),
    (":", "nothing to search for"),
    ("( )", "nothing to search for"),
    ("", "nothing to search for"),
    ("x" * 3000, "too long"),
])
def test_bad_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(query)


def test_dangling_operators_are_ignored() -> None:
    assert parse_query("OR đảng AND").interpreted == "đảng"
    assert parse_query("đảng OR").interpreted == "đảng"
    assert parse_query("đảng NOT").interpreted == "đảng"
    assert parse_query("http://example.org").interpreted == "http://example.org"


# --- searching the corpus ----------------------------------------------------------------

def test_json_shape(ix: FullTextIndex) -> None:
    data = ix.search("Nghị quyết 57", limit=3).to_json()
    assert {"query", "interpreted", "total", "hits", "facets"} <= set(data)
    assert data["interpreted"] == "ref:57-NQ/TW"
    hit = data["hits"][0]
    assert {"doc", "id", "title", "path", "score", "snippet"} <= set(hit)
    assert hit["path"].endswith("corpus/central/nq-57-tw-2024.txt") and hit["id"] == "57-NQ/TW"
    assert isinstance(hit["doc"], int) and hit["title"]
    json.dumps(data, ensure_ascii=False)


def test_reference_query_ranks_the_document_then_its_implementers_then_citers(ix: FullTextIndex) -> None:
    r = ix.search("Resolution 57", limit=50)
    assert rel(r.hits[0].path) == "corpus/central/nq-57-tw-2024.txt"
    assert r.hits[0].match == {"57-NQ/TW": "document"}
    order = {"document": 0, "implements": 1, "cites": 2, "text": 3}
    ranks = [order.get(h.match["57-NQ/TW"], 1) for h in r.hits]
    assert ranks == sorted(ranks), [(h.id, h.match) for h in r.hits]
    assert {"corpus/quang-ninh/ctr-46-tu-2025.pdf", "corpus/da-nang/ctr-31-tu-2025.txt"} <= {
        rel(h.path) for h in r.hits if h.match["57-NQ/TW"] == "implements"}
    # the digits alone are just digits: the resolution is not singled out
    digits = ix.search("57", limit=50)
    assert not digits.references and digits.total >= r.total


def test_district_plan_implements_the_resolution_through_the_provincial_program(ix: FullTextIndex) -> None:
    r = ix.search("implements:57-NQ/TW level:district", limit=20)
    assert {rel(h.path) for h in r.hits} == {
        "corpus/bac-ninh/kh-172-hu-gia-binh-2025.txt", "corpus/cao-bang/kh-136-hu-trung-khanh-2025.txt",
        "corpus/da-nang/kh-264-hu-hoa-vang-2025.txt", "corpus/nghe-an/kh-187-hu-nam-dan-2025.txt",
        "corpus/quang-ninh/kh-215-hu-van-don-2025.txt"}


def test_ambiguous_number_finds_both_documents_and_a_date_picks_one(ix: FullTextIndex) -> None:
    both = ix.search("Resolution 18", limit=5)
    assert {rel(h.path) for h in both.hits[:2]} == {"corpus/central/nq-18-tw-2017.txt",
                                                     "corpus/central/nq-18-tw-2022.pdf"}
    dated = ix.search("Nghị quyết số 18-NQ/TW ngày 16/6/2022", limit=5)
    assert rel(dated.hits[0].path) == "corpus/central/nq-18-tw-2022.pdf"


def test_diacritics_and_case_do_not_matter(ix: FullTextIndex) -> None:
    with_marks = ix.search("Nghị quyết", limit=100)
    without = ix.search("nghi quyet", limit=100)
    upper = ix.search("NGHỊ QUYẾT", limit=100)
    assert with_marks.total == without.total == upper.total > 30
    assert {h.doc for h in with_marks.hits} == {h.doc for h in without.hits}
    dang = ix.search("dang", limit=5)
    assert dang.total > 30
    assert any("Đảng" in h.snippet.text or "đảng" in h.snippet.text for h in dang.hits)


def test_exact_phrase(ix: FullTextIndex) -> None:
    phrase = ix.search('"chuyển đổi số"', limit=100)
    words = ix.search("chuyển đổi số", limit=100)
    assert 0 < phrase.total < words.total
    for h in phrase.hits:
        marked = [fold(h.snippet.text[s:e]) for s, e in h.snippet.highlights]
        assert any("chuyen doi so" in m for m in marked), h.snippet.text


def test_or_and_not_counts(ix: FullTextIndex) -> None:
    a = ix.search("Vinh").total
    b = ix.search("Hạ Long").total
    both = ix.search("Vinh Hạ Long").total
    assert ix.search("Vinh OR (Hạ Long)").total == a + b - both
    assert ix.search("Vinh -Hạ").total == a - ix.search("Vinh Hạ").total


def test_filters(ix: FullTextIndex) -> None:
    r = ix.search("type:CTr", limit=100)
    assert r.total == 8 and {h.type for h in r.hits} == {"CTr"} and r.facets["type"] == {"CTr": 8}
    dates = [h.date for h in r.hits]
    assert dates == sorted(dates, reverse=True), "filters alone list the newest first"
    assert {h.lang for h in ix.search("lang:en", limit=100).hits} == {"en"}
    assert all(h.id and h.id.endswith("/HU") for h in ix.search("level:district", limit=100).hits)
    assert {h.level for h in ix.search("level:central", limit=100).hits} == {"central"}
    for h in ix.search("year:2024", limit=100).hits:
        assert h.date and h.date.startswith("2024")
    for h in ix.search("date:>=2025-03-01 date:<2025-06-01", limit=100).hits:
        assert h.date and "2025-03-01" <= h.date < "2025-06-01"
    qn = ix.search('issuer:"Quảng Ninh"', limit=100)
    assert qn.total >= 5 and all("Quảng Ninh" in (h.issuer or "") for h in qn.hits)
    assert [h.id for h in ix.search("id:46-CTr/TU").hits] == ["46-CTr/TU"]
    assert {h.id for h in ix.search("issuer:TW type:NQ", limit=100).hits} == {
        "18-NQ/TW", "28-NQ/TW", "57-NQ/TW", "66-NQ/TW", "68-NQ/TW"}


def test_cites_and_implements_filters_follow_the_store(ix: FullTextIndex, corpus_index: Path) -> None:
    with Store.open(corpus_index) as store:
        citing = {d for (d,) in store.conn.execute("SELECT DISTINCT doc_id FROM refs WHERE ref_id='35-CT/TW'")}
    r = ix.search("cites:35-CT/TW", limit=100)
    assert {h.doc for h in r.hits} == citing
    impl = ix.search("implements:35-CT/TW", limit=100)
    assert impl.total < r.total
    assert {rel(h.path) for h in impl.hits} >= {"corpus/bac-ninh/kh-198-tu-2024.txt",
                                                 "corpus/nghe-an/kh-298-tu-2024.txt"}


def test_facets_cover_the_whole_result_set(ix: FullTextIndex) -> None:
    r = ix.search("Nghị quyết", limit=3)
    assert len(r.hits) == 3
    assert sum(r.facets["language"].values()) == r.total
    assert r.facets["language"]["vi"] > r.facets["language"].get("en", 0)
    assert sum(r.facets["type"].values()) <= r.total
    assert set(r.facets) == {"type", "issuer", "year", "language", "level"}
    assert list(r.facets["year"]) == sorted(r.facets["year"], reverse=True)


def test_documents_without_a_value_are_counted_but_never_shown_as_one(tmp_path: Path) -> None:
    # A text with no header has no type, issuer, level or date: the index
    # keeps a placeholder for it in each facet column, which must never be
    # shown as a facet value nor be reached by a filter a user types.
    with Store.open(tmp_path) as store:
        save_text(store, "plain.txt", "Ghi chép về chuyển đổi số ở cơ sở, không có số hiệu.")
        save_text(store, "plan.txt", "TỈNH ỦY NGHỆ AN\nSố 12-KH/TU\nNghệ An, ngày 05 tháng 3 năm 2025\n"
                  "KẾ HOẠCH\nthực hiện chuyển đổi số trong các cơ quan Đảng")
        sync(store)
    with FullTextIndex(tmp_path) as index:
        r = index.search("chuyển đổi số")
        assert r.total == 2
        assert sum(r.facets["language"].values()) == 2
        assert r.facets["type"] == {"KH": 1} and r.facets["year"] == {"2025": 1}
        assert "" not in r.facets["issuer"] and "" not in r.facets["level"]
        assert index.search("chuyển đổi số year:..2030").total == 1
        assert index.search("chuyển đổi số -year:2025").total == 1
        assert index.search("chuyển đổi số -type:KH").total == 1


def test_paging(ix: FullTextIndex) -> None:
    whole = ix.search("đảng bộ", limit=20)
    page = ix.search("đảng bộ", limit=10, offset=10)
    assert [h.doc for h in page.hits] == [h.doc for h in whole.hits[10:20]]
    with pytest.raises(QueryError, match="--limit"):
        ix.search("đảng", limit=0)


def test_snippets_highlight_what_matched(ix: FullTextIndex) -> None:
    r = ix.search("kinh tế tư nhân", limit=5)
    assert rel(r.hits[0].path) == "corpus/central/nq-68-tw-2025.pdf"
    for h in r.hits:
        marks = [h.snippet.text[s:e] for s, e in h.snippet.highlights]
        assert marks and all(fold(m).replace(" ", "") in "kinhtetunhan" or "kinh tế tư nhân" in m.lower()
                             for m in marks), marks
    # the reference is highlighted where the tagger found it, in any spelling
    ref = ix.search("Quy định 144", limit=5)
    implementer = next(h for h in ref.hits if rel(h.path) == "corpus/quang-ninh/hd-17-tu-2024.txt")
    marks = [implementer.snippet.text[s:e] for s, e in implementer.snippet.highlights]
    assert any("144" in m for m in marks), implementer.snippet.text


def test_pages_of_a_pdf_hit(ix: FullTextIndex) -> None:
    r = ix.search("id:18-NQ/TW year:2022 đất")
    assert r.hits and r.hits[0].snippet.page == 1


def test_english_and_german_are_stemmed(ix: FullTextIndex) -> None:
    # "rotations" is not in the text; "rotation"/"rotating" are.
    rotation = ix.search("rotations cadres", limit=5)
    assert rotation.hits and rel(rotation.hits[0].path) == "seeds/003_18b55c52c9600963.txt"
    # "Überprüfung" is not in the German seed; "überprüfen" is.
    assert ix.search("Überprüfung lang:de").total >= 1
    assert ix.search("Uberprufung lang:de").total == ix.search("Überprüfung lang:de").total


# --- texts written for the tests ------------------------------------------------------------

@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    store = Store.open(tmp_path / "idx")
    save_text(store, "unaccented.txt",
              "Ke hoach thuc hien chuyen doi so tai xa Tan Lap, nam 2025, theo chi dao cua huyen.")
    save_text(store, "moi.txt",
              "Huyện ủy ban hành kế hoạch mới về đào tạo cán bộ trẻ. Môi trường làm việc cần cải thiện.")
    save_text(store, "moi-only.txt",
              "Bảo vệ môi trường sinh thái vùng ven biển là nhiệm vụ của toàn dân, mỗi người một việc.")
    save_text(store, "vi-with-english.txt",
              "Báo cáo kết quả implementation của dự án chuyển đổi số tại Sở Thông tin và Truyền thông.")
    save_text(store, "en.txt",
              "The province reviewed the implementation of the digital transformation plan for 2025.",
              lang="en")
    sync(store)
    try:
        yield store, tmp_path / "idx"
    finally:
        store.close()


def test_folding_works_both_ways(small: tuple[Store, Path]) -> None:
    _, folder = small
    r = search(folder, "chuyển đổi số")
    assert "unaccented.txt" in {Path(h.path).name for h in r.hits}
    marks = [h.snippet.marked() for h in r.hits if h.path.endswith("unaccented.txt")]
    assert "«chuyen doi so»" in marks[0]


def test_exact_diacritics_rank_first_and_only_they_are_highlighted(small: tuple[Store, Path]) -> None:
    _, folder = small
    r = search(folder, "mới")
    names = [Path(h.path).name for h in r.hits]
    assert names[0] == "moi.txt" and "moi-only.txt" in names
    first = r.hits[0].snippet
    assert [first.text[s:e] for s, e in first.highlights] == ["mới"], first.marked()
    # the folded twins are highlighted where nothing better exists
    other = next(h for h in r.hits if h.path.endswith("moi-only.txt")).snippet
    assert {other.text[s:e] for s, e in other.highlights} == {"môi", "mỗi"}


def test_stemming_follows_the_document_language(small: tuple[Store, Path]) -> None:
    _, folder = small
    names = {Path(h.path).name for h in search(folder, "implementations").hits}
    assert names == {"en.txt"}
    assert {Path(h.path).name for h in search(folder, "implementation").hits} == {"en.txt", "vi-with-english.txt"}


def test_each_text_is_indexed_once_in_the_body_field_of_its_language(small: tuple[Store, Path]) -> None:
    _, folder = small
    engine = TantivyEngine.open_reader(folder)
    searcher = engine.index.searcher()
    # the English text is stemmed and not folded a second time; the
    # Vietnamese one that uses the English word is folded only
    assert searcher.doc_freq("body_en", "implement") == 1
    assert searcher.doc_freq("body_fold", "implementation") == 1
    assert searcher.doc_freq("body_fold", "province") == 0
    assert searcher.doc_freq("body_fold", "chuyen") == 2
    # a phrase, and the snippet read from the field that stores the text
    hits = search(folder, '"digital transformation plan"').hits
    assert [Path(h.path).name for h in hits] == ["en.txt"]
    assert "«digital transformation plan»" in hits[0].snippet.marked()
    # neighbouring words rank an English text by its own field too
    assert [Path(h.path).name for h in search(folder, "transformation digital lang:en").hits] == ["en.txt"]


def test_folding_before_lowercasing_gives_the_terms_of_lowercasing_first() -> None:
    from docsearch.search.tantivy_engine import _analyzers

    fold = _analyzers()["ds_fold"]
    assert fold.analyze("ĐẢNG CỘNG SẢN Việt Nam ƯU TIÊN Đổi Mới") == [
        "dang", "cong", "san", "viet", "nam", "uu", "tien", "doi", "moi"]
    assert fold.analyze("Straße STRASSE Æther") == ["strasse", "strasse", "aether"]
    assert _analyzers()["ds_key"].analyze("57-NQ/TW") == ["57-nq/tw"]
    assert _analyzers()["ds_de"].analyze("ÜBERPRÜFUNG") == _analyzers()["ds_de"].analyze("überprüfung")


# --- keeping the index in step ---------------------------------------------------------------

def test_sync_adds_updates_and_deletes(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    with Store.open(folder) as store:
        a = save_text(store, "a.txt", "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số.")
        save_text(store, "b.txt", "Báo cáo tình hình phát triển kinh tế tư nhân năm 2024.")
        first = sync(store)
        assert (first.added, first.updated, first.deleted, first.rebuilt) == (2, 0, 0, True)
        again = sync(store)
        assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 2)
        assert not again.changed

        save_text(store, "a.txt", "Kế hoạch thực hiện Chỉ thị số 35-CT/TW về đại hội đảng bộ.")
        changed = sync(store)
        assert (changed.added, changed.updated, changed.deleted) == (0, 1, 0)
        assert search(folder, "chuyển đổi số").total == 0
        assert search(folder, "cites:35-CT/TW").hits[0].doc == a

        # new tags alone (a re-run of the tagger) re-index the document too
        store.save_tags(a, tag("Kế hoạch thực hiện Chỉ thị số 45-CT/TW về đại hội đảng bộ."))
        assert sync(store).updated == 1
        assert search(folder, "cites:45-CT/TW").total == 1

        store.remove(["/texts/b.txt"])
        gone = sync(store)
        assert (gone.deleted, gone.documents) == (1, 1)
        assert search(folder, "kinh tế tư nhân").total == 0


def test_reindex_builds_a_new_generation_and_drops_the_old(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    with Store.open(folder) as store:
        save_text(store, "a.txt", "Chương trình hành động thực hiện Nghị quyết số 68-NQ/TW.")
        sync(store)
        before = json.loads((fulltext_dir(folder) / CURRENT).read_text())["generation"]
        report = reindex(store)
        assert report.rebuilt and report.added == 1
    after = json.loads((fulltext_dir(folder) / CURRENT).read_text())["generation"]
    assert after != before
    assert sorted(p.name for p in fulltext_dir(folder).glob("g*")) == [after]
    assert search(folder, "Resolution 68").total == 1


def test_an_index_of_an_older_layout_is_refused_and_rebuilt_by_sync(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    with Store.open(folder) as store:
        save_text(store, "a.txt", "Chương trình hành động thực hiện Nghị quyết số 68-NQ/TW.")
        sync(store)
        current = fulltext_dir(folder) / CURRENT
        older = json.loads(current.read_text())
        current.write_text(json.dumps({**older, "schema": older["schema"] - 1}))
        with pytest.raises(SearchError, match="another docsearch version; run 'docsearch reindex'"):
            search(folder, "Resolution 68")
        report = sync(store)
        assert report.rebuilt and report.added == 1
    assert search(folder, "Resolution 68").total == 1


def test_missing_index_and_second_writer(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="docsearch reindex"):
        search(tmp_path / "empty", "đảng")
    with pytest.raises(QueryError):
        search(tmp_path / "empty", "type:")  # a bad query is reported before the index is opened
    writer = TantivyEngine.open_writer(tmp_path / "idx")
    try:
        with pytest.raises(IndexBusy, match="wait for it to finish"):
            TantivyEngine.open_writer(tmp_path / "idx")
    finally:
        writer.close()


_READER = r"""
import json, sys, time
from docsearch.search import FullTextIndex, SearchError
folder, seconds = sys.argv[1], float(sys.argv[2])
seen, errors, end = set(), [], time.time() + seconds
while time.time() < end:
    try:
        with FullTextIndex(folder) as ix:
            seen.add(ix.search("kế hoạch", limit=3).total)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "n_errors": len(errors)}))
"""


def test_searches_during_writes_see_committed_states_only(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    store = Store.open(folder)
    save_text(store, "k0.txt", "Kế hoạch số 0 về chuyển đổi số.")
    sync(store)
    committed = {1}
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(folder), "6"],
                              stdout=subprocess.PIPE, text=True)
    thread_errors: list[str] = []
    thread_seen: set[int] = set()
    stop = threading.Event()

    def read_in_thread() -> None:
        with FullTextIndex(folder) as ix:
            while not stop.is_set():
                try:
                    thread_seen.add(ix.search("kế hoạch").total)
                except Exception as exc:  # any error at all fails the test
                    thread_errors.append(repr(exc))

    thread = threading.Thread(target=read_in_thread)
    thread.start()
    started = time.time()
    n = 1
    while time.time() - started < 4.5:
        for _ in range(3):
            save_text(store, f"k{n}.txt", f"Kế hoạch số {n} về chuyển đổi số và kinh tế tư nhân. " * 20)
            n += 1
        if n % 4 == 0:
            reindex(store)
        else:
            sync(store)
        committed.add(n)
    stop.set()
    thread.join()
    out, _ = reader.communicate(timeout=60)
    store.close()
    result = json.loads(out)
    assert result["n_errors"] == 0, result["errors"]
    assert not thread_errors, thread_errors[:3]
    assert set(result["seen"]) <= committed and len(result["seen"]) > 1
    assert thread_seen <= committed and len(thread_seen) > 1


# --- bad input never ends in a traceback -------------------------------------------------------

_pieces = st.sampled_from([
    "Nghị quyết", "57", "57-NQ/TW", '"', "“", "”", "(", ")", "-", "+", ":", "OR", "AND", "NOT", "type:",
    "type:NQ", "issuer:", "year:", "year:2024..", "date:>=", "date:2025-02-30", "cites:", "id:x", "lang:vi",
    "level:", "đảng", "dang", "Đ", "ð", "\u0301", "…", "*", "?", "\\", "/", "||", "&&", "foo:bar", " ",
    "\t", "\n", "'", "«", "»", "2024..2025", "..", ">=", "<",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=60), st.lists(_pieces, max_size=12).map(" ".join),
                 st.lists(_pieces, max_size=12).map("".join)))
def test_any_query_gives_results_or_a_query_error(ix: FullTextIndex, text: str) -> None:
    try:
        result = ix.search(text, limit=5)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(result, SearchResults)
    assert result.total >= len(result.hits)


# --- relevance ------------------------------------------------------------------------------------

def test_ndcg_formula() -> None:
    assert ndcg(["a", "b"], {"a": 3, "b": 1}) == pytest.approx(1.0)
    assert ndcg(["b", "a"], {"a": 3, "b": 1}) < 1.0
    assert ndcg(["x"], {"a": 3}) == 0.0
    # 7/log2(3) for a grade-3 document in second place
    assert ndcg(["x", "a"], {"a": 3}) == pytest.approx((7 / math.log2(3)) / 7)


def _report(index: FullTextIndex) -> QualityReport:
    return evaluate(index, load_judgments(DATA / "relevance.json"), rel)


def test_relevance_set_is_sound() -> None:
    queries = load_judgments(DATA / "relevance.json")
    assert len(queries) >= 40
    assert {"reference", "text", "filter", "phrase", "operator"} <= {q["kind"] for q in queries}
    assert {"vi", "vi-folded", "en", "de"} <= {q["lang"] for q in queries}
    seeds = seeds_dir()
    for q in queries:
        assert q["relevant"], q["query"]
        for path in q["relevant"]:
            real = seeds / path[len("seeds/"):] if path.startswith("seeds/") else ROOT / path
            assert real.is_file(), path


def test_ndcg_at_10_does_not_regress(ix: FullTextIndex) -> None:
    report = _report(ix)
    worst = sorted(report.scores, key=lambda s: s.ndcg)[:3]
    assert report.mean >= NDCG_BASELINE - NDCG_MARGIN, (report.mean, [(s.query, round(s.ndcg, 3)) for s in worst])


def test_reference_queries_put_the_document_first(ix: FullTextIndex) -> None:
    for s in _report(ix).scores:
        if s.kind == "reference":
            assert s.ranked and s.relevant.get(s.ranked[0]) == max(s.relevant.values()), (s.query, s.ranked[:3])
