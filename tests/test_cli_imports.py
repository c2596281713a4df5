"""What the command line loads: a plain search needs neither the tagger nor the store.

These tests look at ``sys.modules`` of a fresh process, never at a clock (the
start-up time itself is measured by bench/cli_bench.py). They also hold the
cheap check that lets a query skip the tagger to what the tagger finds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from docsearch.refs import fold, tag
from docsearch.refs.signals import may_cite
from docsearch.search import parse_query, sync
from docsearch.store import Store

from conftest import ROOT, save_text

#: Modules a search for plain words must not load: the tagger and the
#: grammar's compiled patterns, the store, the OCR module, the indexer.
NOT_FOR_A_PLAIN_SEARCH = (
    "docsearch.refs.tagger", "docsearch.refs.grammar", "docsearch.refs.find", "docsearch.refs.relate",
    "docsearch.store", "docsearch.models", "docsearch.extract.ocr", "docsearch.search.indexer",
    "docsearch.ingestion", "docsearch.graph", "docsearch.site", "zipfile", "subprocess",
)

_RUN = (
    "import json, sys\n"
    "from docsearch.cli import main\n"
    "sys.argv = ['docsearch', *json.loads(sys.argv[1])]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(json.dumps(sorted(m for m in {watch} if m in sys.modules)), file=sys.stderr)\n"
)


def _loaded(args: list[str], watch: tuple[str, ...]) -> tuple[str, list[str]]:
    """Standard output of ``docsearch ARGS`` in a fresh process, and which of
    ``watch`` it had loaded by the end."""
    code = _RUN.format(watch=repr(watch))
    r = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True,
                       cwd=ROOT)
    loaded = json.loads(r.stderr.strip().splitlines()[-1])
    return r.stdout, loaded


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("cli-imports") / "index"
    with Store.open(index) as store:
        save_text(store, "kh.txt", "Kế hoạch chuyển đổi số của tỉnh, thực hiện Nghị quyết số 57-NQ/TW "
                                   "ngày 22/12/2024 của Bộ Chính trị.")
        save_text(store, "bc.txt", "Báo cáo kết quả chuyển đổi số năm 2025 của huyện.")
        sync(store)
    return index


def test_help_loads_neither_the_search_nor_the_tagger() -> None:
    out, loaded = _loaded(["--help"], ("docsearch.search", "docsearch.refs", *NOT_FOR_A_PLAIN_SEARCH))
    assert "Usage: docsearch" in out
    assert loaded == []


def test_a_plain_search_loads_no_tagger_no_store(small_index: Path) -> None:
    out, loaded = _loaded(["search", "kế hoạch chuyển đổi số", "--index", str(small_index)],
                          NOT_FOR_A_PLAIN_SEARCH)
    assert "kh.txt" in out
    assert loaded == []


def test_a_search_for_a_reference_still_reads_it(small_index: Path) -> None:
    out, loaded = _loaded(["search", "Nghị quyết 57", "--index", str(small_index), "--format", "json"],
                          ("docsearch.refs.tagger",))
    assert loaded == ["docsearch.refs.tagger"]
    assert [r["id"] for r in json.loads(out)["references"]] == ["57-NQ/TW"]


QUERIES = [
    "kế hoạch chuyển đổi số", "Nghị quyết 57", "NQ 57", "57-NQ/TW", "Resolution 57 of the Politburo",
    "Luật Đầu tư công", "luật đầu tư công", "Pháp lệnh Tín ngưỡng, tôn giáo", "Điều lệ Đảng",
    "Hiến pháp năm 2013", "Nghị quyết Đại hội XIII", "Nghị quyết Trung ương 4 khóa XII",
    "the Law on Prices", "the Party Charter", "Richtlinie Nr. 35", "Kết luận 121, 126 và 127",
    "chỉ thị về phòng chống tham nhũng", "Bộ luật Lao động", "nghị quyết đại hội đảng bộ tỉnh",
    "type:KH chuyển đổi số", "kế hoạch OR chương trình -huyện", '"chuyển đổi số" year:2025',
]


@pytest.mark.parametrize("query", QUERIES)
def test_skipping_the_tagger_changes_no_query(query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.search import query as query_module

    quick = parse_query(query)
    monkeypatch.setattr(query_module, "may_cite", lambda folded: True)
    assert parse_query(query) == quick


def test_every_reference_the_tagger_finds_passes_the_cheap_check() -> None:
    from docsearch.extract import extract_file

    paths = sorted(p for p in (ROOT / "corpus").rglob("*") if p.suffix in (".txt", ".html", ".docx"))
    assert paths
    found = 0
    for path in paths:
        text = extract_file(path)[1].text
        for r in tag(text).references:
            if r.id is None:
                continue
            found += 1
            assert may_cite(fold(text[r.start:r.end])), (path.name, text[r.start:r.end])
    assert found > 100
