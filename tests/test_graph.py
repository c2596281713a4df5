"""The cross-reference graph on the shipped corpus, the seeds and small texts
written here: implementers, chains, lags, evidence, namesakes, coverage,
profiles and exports."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from docsearch.graph import (
    IMPLEMENTING,
    AmbiguousDocument,
    BadQuery,
    Implementer,
    ImplementsResult,
    UnknownDocument,
    build_graph,
    cites,
    coverage,
    coverage_matrix,
    describe,
    implements,
    render_cites,
    render_coverage,
    render_implements,
    render_matrix,
    render_profile,
    write_graph,
)
from docsearch.ingestion import ingest
from docsearch.store import Store

from conftest import DATA, ROOT, seeds_dir

TRUTH = json.loads((DATA / "corpus_truth.json").read_text("utf-8"))
NQ57 = "57-NQ/TW"
NQ57_DATE = date(2024, 12, 22)


def _truth_pairs(target: str) -> set[tuple[str, str]]:
    """(source, relation) pairs the truth gives for ``target``, over all texts."""
    return {
        (r["source"], r["type"])
        for f in TRUTH for r in f["relations"]
        if r["target"] == target and r["type"] in IMPLEMENTING
    }


def _truth_dates() -> dict[str, date]:
    """Each document's date: its own header, else the date citations give it."""
    out: dict[str, date] = {}
    for f in TRUTH:
        for r in f["relations"]:
            if r["target_date"]:
                out.setdefault(r["target"], date.fromisoformat(r["target_date"]))
    for f in TRUTH:
        if f["self"] and f["self"]["date"]:
            out[f["self"]["id"]] = date.fromisoformat(f["self"]["date"])
    return out


def _truth_issuers() -> dict[str, str]:
    return {f["self"]["id"]: f["self"]["issuer"] for f in TRUTH if f["self"]}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The shipped corpus and the seeds, ingested once for the module."""
    s = Store.open(tmp_path_factory.mktemp("graph") / "index")
    summary = ingest([ROOT / "corpus", seeds_dir()], s, jobs=1)
    assert summary.ok, summary.failed
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="module")
def nq57(store: Store) -> ImplementsResult:
    return implements(store, "Resolution 57")


def _by_id(items: tuple[Implementer, ...]) -> dict[str, Implementer]:
    return {i.node.id: i for i in items}


# --- implements "Resolution 57" on the corpus --------------------------------------------

def test_implementers_of_resolution_57_are_exactly_those_in_the_truth(nq57: ImplementsResult) -> None:
    expected = {s for s, _ in _truth_pairs(NQ57)}
    assert nq57.target.id == NQ57
    assert {i.node.id for i in nq57.implementers} == expected
    # Citing is not implementing: 58-CTr/TU, 66-NQ/TW and 68-NQ/TW only mention it.
    assert not {"58-CTr/TU", "66-NQ/TW", "68-NQ/TW"} & {i.node.id for i in nq57.implementers}


@pytest.mark.parametrize("query", ["57-NQ/TW", "Nghị quyết 57", "NQ 57", "Nghị quyết số 57-NQ/TW",
                                   "Resolution No. 57", "Beschluss 57"])
def test_every_spelling_of_resolution_57_names_the_same_document(store: Store, query: str) -> None:
    assert implements(store, query).target.key == NQ57


# Relations the tagger is known to miss, as (source, relation) → reason; each is an
# expected failure until fixed.
_TAGGER_RELATION_ERRORS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize(
    "pair",
    [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=_TAGGER_RELATION_ERRORS[p]))
     if p in _TAGGER_RELATION_ERRORS else p
     for p in sorted(_truth_pairs(NQ57))],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def test_each_truth_relation_to_resolution_57_is_shown(nq57: ImplementsResult, pair: tuple[str, str]) -> None:
    source, relation = pair
    imp = _by_id(nq57.implementers)[source]
    assert relation in imp.relations
    assert imp.relation in imp.relations


@pytest.mark.parametrize("doc_id", sorted({s for s, _ in _truth_pairs(NQ57)}))
def test_lag_is_days_from_resolution_57_to_the_implementer(nq57: ImplementsResult, doc_id: str) -> None:
    imp = _by_id(nq57.implementers)[doc_id]
    assert imp.lag_days == (_truth_dates()[doc_id] - NQ57_DATE).days
    assert nq57.target.date == NQ57_DATE


def test_lag_of_a_document_known_only_from_citations(nq57: ImplementsResult) -> None:
    gov = _by_id(nq57.implementers)["03/NQ-CP"]
    assert not gov.node.stored
    assert gov.node.date == date(2025, 1, 9) and gov.node.date_source == "citation"
    assert gov.lag_days == 18
    assert gov.node.issuer == "Chính phủ" and gov.node.level == "state"


def test_evidence_is_the_sentence_and_its_place(nq57: ImplementsResult) -> None:
    for imp in nq57.implementers:
        ev = imp.evidence
        assert "57" in ev.evidence, imp.node.id
        assert ev.page >= 1
        assert Path(ev.path).exists()
        assert imp.assertions[0] == ev
        if imp.node.stored and any(e.doc_id in imp.node.doc_ids for e in imp.assertions):
            # Its own text says best what a document does.
            assert ev.doc_id in imp.node.doc_ids, imp.node.id
    program = _by_id(nq57.implementers)["46-CTr/TU"]
    assert program.evidence.path.endswith("corpus/quang-ninh/ctr-46-tu-2025.pdf")
    assert "thực hiện Nghị quyết số 57-NQ/TW" in program.evidence.evidence
    asserted_in = {Path(e.path).name for e in program.assertions}
    assert {"kh-215-hu-van-don-2025.txt", "004_67c174f4a274d58e.txt"} <= asserted_in


def test_evidence_page_is_the_page_of_the_sentence(store: Store) -> None:
    # The 2022 resolution is a multi-page PDF; its citation of the Land Law is on page 2.
    new18 = describe(store, "18-NQ/TW 2022")
    land_law = [lk.edge for lk in new18.outgoing if lk.node.id == "45/2013/QH13"]
    assert land_law and all(e.page == 2 for e in land_law)
    for e in land_law:
        stored = store.document(e.doc_id)
        assert len(stored.page_starts) > 2
        assert e.page == stored.page_of(e.evidence_start)
        assert "45/2013/QH13" in stored.text[e.evidence_start:e.evidence_end]


def test_grouped_by_issuing_body(nq57: ImplementsResult) -> None:
    groups = dict(nq57.by_issuer())
    assert [i.node.id for i in groups["Chính phủ"]] == ["03/NQ-CP"]
    assert {i.node.id for i in groups["Thành ủy Đà Nẵng"]} == {"1820-QĐ/TU", "31-CTr/TU"}
    # Within a group, by date.
    da_nang = groups["Thành ủy Đà Nẵng"]
    assert [i.node.date for i in da_nang] == sorted(i.node.date for i in da_nang if i.node.date)


# --- following the chain -------------------------------------------------------------------

def _truth_children() -> dict[str, set[str]]:
    direct = {s for s, _ in _truth_pairs(NQ57)}
    out: dict[str, set[str]] = {d: set() for d in direct}
    for f in TRUTH:
        for r in f["relations"]:
            if r["target"] in direct and r["type"] in IMPLEMENTING and r["source"] != NQ57:
                out[r["target"]].add(r["source"])
    return out


@pytest.mark.parametrize(
    "parent",
    sorted(_truth_children()),
)
def test_depth_two_follows_the_chain(store: Store, parent: str) -> None:
    tree = implements(store, NQ57, depth=2)
    node = _by_id(tree.implementers)[parent]
    assert {c.node.id for c in node.children} == _truth_children()[parent]
    for c in node.children:
        assert not c.children  # depth 2 stops here
        assert c.lag_days is not None or c.node.date is None


def test_depth_one_has_no_children(nq57: ImplementsResult) -> None:
    assert all(not i.children for i in nq57.implementers)


def test_text_tree_and_csv(store: Store) -> None:
    tree = implements(store, NQ57, depth=2)
    text = render_implements(tree, relative_to=str(ROOT), lang="en")
    assert text.splitlines()[0].startswith("57-NQ/TW  NQ  22/12/2024")
    assert "Thành ủy Đà Nẵng\n  1820-QĐ/TU" in text
    assert "└─ 264-KH/HU" in text  # the district plan under the city's program
    assert "corpus/quang-ninh/ctr-46-tu-2025.pdf p.1" in text
    # The interface's language by default: Vietnamese labels, relation names and days.
    vi = render_implements(tree, relative_to=str(ROOT))
    assert "văn bản trực tiếp thực hiện" in vi and "corpus/quang-ninh/ctr-46-tu-2025.pdf tr.1" in vi
    assert "  +18 ngày  thực hiện" in vi
    rows = list(csv.DictReader(io.StringIO(render_implements(tree, "csv"))))
    child = next(r for r in rows if r["id"] == "264-KH/HU" and r["parent"] == "31-CTr/TU")
    assert child["depth"] == "2" and child["lag_days"] == str((date(2025, 3, 3) - NQ57_DATE).days)
    data = json.loads(render_implements(tree, "json"))
    assert data["target"]["id"] == NQ57
    first = data["implementers"][0]
    assert {"id", "relation", "type", "issuer", "date", "lag_days", "evidence", "path", "page", "children"} <= set(first)


# --- the seeds ---------------------------------------------------------------------------

def test_seed_names_46_ctr_tu_as_implementing_resolution_57(nq57: ImplementsResult) -> None:
    program = _by_id(nq57.implementers)["46-CTr/TU"]
    seed = [e for e in program.assertions if "004_67c174f4a274d58e" in e.path]
    assert seed and seed[0].type == "implements"
    assert "46-CTr/TU zur Umsetzung der Resolution 57" in seed[0].evidence


def test_seed_decision_1324_is_based_on_137(store: Store) -> None:
    result = implements(store, "137-QĐ/TW")
    imp = _by_id(result.implementers)["1324-QĐ/TU"]
    assert "001_eac35e6b454311f1" in imp.evidence.path
    assert imp.relation == "based_on"
    assert imp.node.date == date(2024, 2, 5)  # from the citation "(dated February 5, 2024)"
    assert imp.lag_days == (date(2024, 2, 5) - date(2023, 12, 1)).days
    assert result.target.date_source == "builtin" and not result.target.stored


# --- documents sharing a number --------------------------------------------------------------

def test_ambiguous_number_lists_the_candidates(store: Store) -> None:
    with pytest.raises(AmbiguousDocument) as info:
        implements(store, "18-NQ/TW")
    keys = [c.key for c in info.value.candidates]
    assert keys == ["18-NQ/TW@2017-10-25", "18-NQ/TW@2022-06-16"]
    assert '"18-NQ/TW 2017"' in str(info.value)


def test_the_year_picks_one_of_the_namesakes(store: Store) -> None:
    old = implements(store, "18-NQ/TW 2017")
    new = implements(store, "Resolution 18 of 2022")
    assert old.target.key == "18-NQ/TW@2017-10-25"
    assert new.target.key == "18-NQ/TW@2022-06-16"
    # The 2022 PDF has no readable header date; its own text's first date places it.
    assert new.target.paths and new.target.paths[0].endswith("nq-18-tw-2022.pdf")
    expected_new = {s for s, _ in _truth_pairs("18-NQ/TW") if s in ("15-CTr/TU", "19-CTr/TU")}
    assert {i.node.id for i in new.implementers} == expected_new
    assert {"398-BC/TU", "121-KL/TW"} <= {i.node.id for i in old.implementers}
    assert not {"15-CTr/TU", "19-CTr/TU"} & {i.node.id for i in old.implementers}
    assert implements(store, "18-NQ/TW ngày 25/10/2017").target.key == old.target.key
    assert implements(store, "18-NQ/TW@2022-06-16").target.key == new.target.key


def test_documents_sharing_a_number_are_two_nodes(store: Store) -> None:
    graph = build_graph(store)
    by_id: dict[str, set[str]] = {}
    for n in graph.nodes:
        by_id.setdefault(n.id, set()).add(n.key)
    assert {"18-NQ/TW@2017-10-25", "18-NQ/TW@2022-06-16"} <= by_id["18-NQ/TW"]
    # One document cited by many texts is one node.
    assert by_id[NQ57] == {NQ57}
    assert by_id["46-CTr/TU"] == {"46-CTr/TU"}
    # 35-CT/TW of 2024 cites the Directive 35 of 2019: a namesake that is not
    # stored, known from that citation and dated by the built-in list.
    assert {"35-CT/TW@2019-05-30", "35-CT/TW@2024-06-14"} <= by_id["35-CT/TW"]
    old = next(n for n in graph.nodes if n.key == "35-CT/TW@2019-05-30")
    assert not old.stored and old.date_source == "builtin"


def test_user_errors_are_typed(store: Store) -> None:
    with pytest.raises(BadQuery, match="does not name a document"):
        implements(store, "hello world")
    with pytest.raises(UnknownDocument, match="ingest a text that cites it"):
        implements(store, "99-NQ/TW")
    with pytest.raises(UnknownDocument, match="no document 18-NQ/TW of 2019"):
        implements(store, "18-NQ/TW 2019")
    with pytest.raises(BadQuery, match="depth"):
        implements(store, NQ57, depth=0)


# --- cites, show ----------------------------------------------------------------------------

def _truth_citing(target: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in TRUTH:
        for r in f["relations"]:
            if r["target"] == target and r["type"] != "cites":
                out.setdefault(r["type"], set()).add(r["source"])
    return out


def test_cites_groups_every_referring_document_by_relation(store: Store) -> None:
    result = cites(store, "46-CTr/TU")
    groups = {t: {lk.node.id for lk in links} for t, links in result.by_type() if t != "cites"}
    assert groups == _truth_citing("46-CTr/TU")


def test_cites_lists_citations_mentions_and_renders(store: Store) -> None:
    result = cites(store, "46-CTr/TU")
    groups = {t: {lk.node.id for lk in links} for t, links in result.by_type()}
    assert {"215-KH/HU", "45/KH-UBND"} <= groups["implements"]
    assert groups["summarizes"] == {"26-BC/TU"}
    # A news text naming the program without a number of its own is a mention.
    assert any("vi-quang-ninh-chuong-trinh-hanh-dong-nq57" in m.path for m in result.mentions)
    text = render_cites(result, relative_to=str(ROOT), lang="en")
    assert "Reviewed by (1)" in text and "corpus/quang-ninh/bc-26-tu-2025.docx p.1" in text
    assert "Được sơ kết, tổng kết bởi (1)" in render_cites(result, relative_to=str(ROOT))
    on57 = {lk.node.id for t, links in cites(store, NQ57).by_type() if t == "cites" for lk in links}
    assert {"58-CTr/TU", "66-NQ/TW", "68-NQ/TW"} <= on57


def test_show_merges_header_builtin_and_citations(store: Store) -> None:
    profile = describe(store, "Nghị quyết 57")
    dates = profile.facts_for("date")
    assert [f.value for f in dates] == ["2024-12-22"]
    kinds = {s.kind for s in dates[0].sources}
    assert kinds == {"header", "builtin", "citation"}
    assert "date" not in profile.conflicts
    assert {lk.node.id for lk in profile.incoming if lk.edge.type == "implements"} >= {"46-CTr/TU", "245-KH/TU"}
    assert {lk.node.id for lk in profile.outgoing} >= {"20-NQ/TW", "52-NQ/TW"}
    text = render_profile(profile, relative_to=str(ROOT), lang="en")
    assert "stored as: corpus/central/nq-57-tw-2024.txt" in text
    assert "tệp lưu:          corpus/central/nq-57-tw-2024.txt" in render_profile(profile, relative_to=str(ROOT))


# --- written texts: namesakes across provinces, dates, conflicts, cycles ----------------------

HEADER = """ĐẢNG BỘ {body_place}
{body}
*
Số {number}
ĐẢNG CỘNG SẢN VIỆT NAM
{place}, ngày {day} tháng {month} năm {year}

{kind}
{title}
"""

TEXTS = {
    "qn-05.txt": HEADER.format(body_place="TỈNH QUẢNG NINH", body="TỈNH ỦY", number="05-CTr/TU", place="Quảng Ninh",
                               day="10", month="3", year="2025", kind="CHƯƠNG TRÌNH HÀNH ĐỘNG",
                               title="thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị"),
    "na-05.txt": HEADER.format(body_place="TỈNH NGHỆ AN", body="TỈNH ỦY", number="05-CTr/TU", place="Nghệ An",
                               day="12", month="8", year="2021", kind="CHƯƠNG TRÌNH HÀNH ĐỘNG",
                               title="thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương"),
    "vd-07.txt": HEADER.format(body_place="TỈNH QUẢNG NINH", body="HUYỆN ỦY VÂN ĐỒN", number="07-KH/HU",
                               place="Vân Đồn", day="20", month="3", year="2025", kind="KẾ HOẠCH",
                               title="thực hiện Chương trình hành động số 05-CTr/TU của Tỉnh ủy Quảng Ninh"),
    "news.txt": "Tin tổng hợp\n\nHuyện ủy đã ban hành Kế hoạch số 11-KH/HU thực hiện Chương trình hành động số "
                "05-CTr/TU trong tháng 3.\n",
    "bn-09.txt": HEADER.format(body_place="TỈNH BẮC NINH", body="TỈNH ỦY", number="09-KH/TU", place="Bắc Ninh",
                               day="05", month="3", year="2019", kind="KẾ HOẠCH",
                               title="tiếp tục thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương"),
    "bn-12.txt": HEADER.format(body_place="TỈNH BẮC NINH", body="TỈNH ỦY", number="12-KH/TU", place="Bắc Ninh",
                               day="02", month="4", year="2025", kind="KẾ HOẠCH",
                               title="thực hiện Kế hoạch số 13-KH/TU, ngày 03/3/2025 của Ban Thường vụ Tỉnh ủy"),
    "bn-13.txt": HEADER.format(body_place="TỈNH BẮC NINH", body="TỈNH ỦY", number="13-KH/TU", place="Bắc Ninh",
                               day="03", month="3", year="2025", kind="KẾ HOẠCH",
                               title="thực hiện Kế hoạch số 12-KH/TU, ngày 02/4/2025 của Ban Thường vụ Tỉnh ủy"),
    "bn-14.txt": HEADER.format(body_place="TỈNH BẮC NINH", body="TỈNH ỦY", number="14-KH/TU", place="Bắc Ninh",
                               day="09", month="4", year="2025", kind="KẾ HOẠCH",
                               title="thực hiện Chương trình số 05-CTr/TU, ngày 12/3/2025 của Tỉnh ủy Quảng Ninh"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("texts")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, "utf-8")
    s = Store.open(tmp_path_factory.mktemp("small") / "index")
    assert ingest([folder], s, jobs=1).ok
    try:
        yield s
    finally:
        s.close()


def test_same_local_number_in_two_provinces_is_two_documents(small: Store) -> None:
    with pytest.raises(AmbiguousDocument) as info:
        implements(small, "05-CTr/TU")
    assert {(c.date, c.issuer) for c in info.value.candidates} == {
        (date(2021, 8, 12), "Tỉnh ủy Nghệ An"), (date(2025, 3, 10), "Tỉnh ủy Quảng Ninh"),
    }
    qn = implements(small, "05-CTr/TU 2025")
    # The district plan names the province: it attaches to Quảng Ninh's program.
    assert "07-KH/HU" in {i.node.id for i in qn.implementers}
    na = implements(small, "05-CTr/TU 2021")
    assert "07-KH/HU" not in {i.node.id for i in na.implementers}


def test_undated_citation_without_hints_is_ambiguous_not_guessed(small: Store) -> None:
    marker = describe(small, "05-CTr/TU@?")
    assert [lk.node.id for lk in marker.incoming] == ["11-KH/HU"]
    assert "11-KH/HU" not in {i.node.id for i in implements(small, "05-CTr/TU 2025").implementers}


def test_a_text_cannot_cite_a_later_document(small: Store) -> None:
    # A plan of 2019 citing "18-NQ/TW" without a date means the 2017 resolution.
    old = implements(small, "18-NQ/TW 2017")
    assert [i.node.id for i in old.implementers] == ["09-KH/TU"]
    assert not implements(small, "18-NQ/TW 2022").implementers


def test_citations_disagreeing_on_a_date_show_a_conflict(small: Store) -> None:
    # 14-KH/TU dates Quảng Ninh's program 12/3/2025; its header says 10/3/2025.
    profile = describe(small, "05-CTr/TU 2025")
    assert "date" in profile.conflicts
    by_value = {f.value: {s.kind for s in f.sources} for f in profile.facts_for("date")}
    assert by_value == {"2025-03-10": {"header"}, "2025-03-12": {"citation"}}
    assert profile.node.date == date(2025, 3, 10) and profile.node.date_source == "header"
    assert {n.key for n in profile.namesakes} == {"05-CTr/TU@2021-08-12"}
    assert "! date" in render_profile(profile, lang="en")
    assert "05-CTr/TU of 12/08/2021 (Tỉnh ủy Nghệ An)" in render_profile(profile, lang="en")
    assert "! ngày" in render_profile(profile)


def test_cycles_are_cut(small: Store) -> None:
    tree = implements(small, "12-KH/TU", depth=5)
    assert [i.node.id for i in tree.implementers] == ["13-KH/TU"]
    assert tree.implementers[0].children == ()  # 12-KH/TU again would be a loop
    assert tree.implementers[0].lag_days == (date(2025, 3, 3) - date(2025, 4, 2)).days


# --- coverage ------------------------------------------------------------------------------

def test_coverage_of_a_resolution_by_committee(store: Store) -> None:
    cov = coverage(store, "18-NQ/TW 2022")
    rows = {r.group: r for r in cov.covered}
    assert set(rows) == {"Tỉnh ủy Cao Bằng", "Tỉnh ủy Nghệ An"}
    assert rows["Tỉnh ủy Nghệ An"].first_date == date(2022, 8, 26)
    assert rows["Tỉnh ủy Nghệ An"].first_lag == (date(2022, 8, 26) - date(2022, 6, 16)).days
    assert {"Tỉnh ủy Bắc Ninh", "Thành ủy Đà Nẵng", "Tỉnh ủy Quảng Ninh"} <= set(cov.missing)
    assert not set(rows) & set(cov.missing)
    text = render_coverage(cov, lang="en")
    assert "Tỉnh ủy Nghệ An" in text and "no implementing document from" in text
    assert "cấp ủy, cơ quan đã biết chưa có văn bản triển khai:" in render_coverage(cov)


def test_every_committee_implemented_resolution_57(store: Store) -> None:
    cov = coverage(store, NQ57)
    issuers = _truth_issuers()
    expected = {issuers[s] for s, _ in _truth_pairs(NQ57) if s in issuers}
    assert {r.group for r in cov.covered} - {"Chính phủ"} == expected
    assert cov.missing == ()


def test_coverage_by_level(store: Store) -> None:
    cov = coverage(store, NQ57, by="level", depth=2)
    levels = {r.group: {d.node.id for d in r.documents} for r in cov.covered}
    assert {"172-KH/HU", "215-KH/HU", "264-KH/HU", "187-KH/HU", "136-KH/HU"} <= levels["district"]
    assert {"245-KH/TU", "46-CTr/TU", "31-CTr/TU", "44-CTr/TU", "27-CTr/TU"} <= levels["provincial"]
    assert "03/NQ-CP" in levels["state"] and "2156/QĐ-UBND" in levels["state"]
    assert cov.missing == ("grassroots",)


def test_central_matrix(store: Store) -> None:
    matrix = coverage_matrix(store)
    assert all(c.level == "central" for c in matrix.columns)
    cell = matrix.cell("Tỉnh ủy Nghệ An", "18-NQ/TW@2022-06-16")
    assert cell is not None and [d.node.id for d in cell.documents] == ["19-CTr/TU"]
    cell = matrix.cell("Tỉnh ủy Bắc Ninh", "35-CT/TW@2024-06-14")
    assert cell is not None and [d.node.id for d in cell.documents] == ["198-KH/TU"]
    assert matrix.cell("Tỉnh ủy Bắc Ninh", "18-NQ/TW@2022-06-16") is None
    assert "Tỉnh ủy Bắc Ninh" in matrix.rows
    rows = list(csv.DictReader(io.StringIO(render_matrix(matrix, "csv"))))
    assert {"committee": "Tỉnh ủy Nghệ An", "target": "18-NQ/TW@2022-06-16", "documents": "19-CTr/TU",
            "first_lag_days": str((date(2022, 8, 26) - date(2022, 6, 16)).days)} in rows


# --- export ------------------------------------------------------------------------------

def _export(store: Store, fmt: str, table: str = "edges") -> tuple[str, tuple[int, int]]:
    buf = io.StringIO()
    counts = write_graph(store, buf, fmt, table=table)
    return buf.getvalue(), counts


def test_export_json_is_the_whole_graph(store: Store) -> None:
    text, (n_nodes, n_edges) = _export(store, "json")
    data = json.loads(text)
    keys = [n["key"] for n in data["nodes"]]
    assert len(keys) == len(set(keys)) == n_nodes
    assert len(data["edges"]) == n_edges == store.conn.execute("SELECT count(*) FROM relations").fetchone()[0]
    assert all(e["source"] in set(keys) and e["target"] in set(keys) for e in data["edges"])
    levels = {n["key"]: n["level"] for n in data["nodes"]}
    assert levels[NQ57] == "central" and levels["46-CTr/TU"] == "provincial" and levels["215-KH/HU"] == "district"


def test_export_graphml_dot_csv_agree(store: Store) -> None:
    graph = build_graph(store)
    text, (n_nodes, n_edges) = _export(store, "graphml")
    root = ET.fromstring(text)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == n_nodes == len(graph.nodes)
    assert len(root.findall(".//g:edge", ns)) == n_edges == len(graph.edges)
    dot, _ = _export(store, "dot")
    assert dot.startswith("digraph docsearch {") and dot.count(" -> ") == n_edges
    assert '"46-CTr/TU" -> "57-NQ/TW" [label="implements"' in dot
    edges_csv, _ = _export(store, "csv")
    rows = list(csv.DictReader(io.StringIO(edges_csv)))
    assert len(rows) == n_edges
    assert any(r["source"] == "46-CTr/TU" and r["target"] == NQ57 and r["type"] == "implements"
               and r["target_level"] == "central" for r in rows)
    nodes_csv, (nodes_n, _) = _export(store, "csv", table="nodes")
    assert len(list(csv.DictReader(io.StringIO(nodes_csv)))) == nodes_n == n_nodes

