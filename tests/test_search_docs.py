"""Every example in docs/search.md, run as written against the shipped corpus.

The examples are read from the document itself, so a changed example is
tested as it now stands: each query in the tables and code blocks runs
without error, each "`query` means `reading`" is how the query is read, and
each mistake prints the documented line.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from docsearch.cli import cli

from conftest import ROOT

DOC = (ROOT / "docs" / "search.md").read_text("utf-8")


def _sections() -> dict[str, str]:
    parts = re.split(r"^## (.+)$", DOC, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _table_queries(section: str, column: int) -> list[str]:
    out = []
    for line in _sections()[section].splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if len(cells) > abs(column):
            out += re.findall(r"`([^`]+)`", cells[column])
    return [q for q in out if q not in ("query", "filter")]


def _code_queries() -> list[str]:
    out = []
    for line in DOC.splitlines():
        m = re.match(r"docsearch search (.+?)(?:\s+#.*)?$", line.strip())
        if m:
            out.append(shlex.split(m[1])[0])
    return out


QUERIES = sorted(set(
    _table_queries("Words", 0) + _table_queries("Phrases, OR, NOT, parentheses", 0)
    + _table_queries("Filters", -1) + [q for q in _code_queries() if not q.startswith(("'\"", '"chuyển đổi số'))]
))
MEANINGS = re.findall(r"`([^`]+)` means `([^`]+)`", DOC)
MISTAKES = re.findall(r"^\$ docsearch search '(.+)'\n(Error: .+)$", DOC, flags=re.M)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs") / "index"
    r = CliRunner().invoke(cli, ["ingest", str(ROOT / "corpus"), "--index", str(folder), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    return folder


def _search(index: Path, query: str) -> dict:
    r = CliRunner().invoke(cli, ["search", "--index", str(index), "--format", "json", "--", query])
    assert r.exit_code == 0, f"{query!r}: {r.output}"
    return json.loads(r.stdout)


def test_the_examples_were_found() -> None:
    assert len(QUERIES) >= 40 and len(MEANINGS) >= 3 and len(MISTAKES) == 3
    assert '"kế hoạch" OR "chương trình"' in QUERIES and "type:KH,CTr" in QUERIES


@pytest.mark.parametrize("query", QUERIES)
def test_every_example_query_runs(index: Path, query: str) -> None:
    _search(index, query)


@pytest.mark.parametrize("query, reading", MEANINGS)
def test_every_documented_reading(index: Path, query: str, reading: str) -> None:
    assert _search(index, query)["interpreted"] == reading


@pytest.mark.parametrize("query, error", MISTAKES)
def test_every_documented_mistake(index: Path, query: str, error: str) -> None:
    r = CliRunner().invoke(cli, ["search", "--index", str(index), query])
    assert r.exit_code == 1
    assert r.stderr.strip() == error


def test_the_operators_read_as_documented(index: Path) -> None:
    def reading(q: str) -> str:
        return str(_search(index, q)["interpreted"])

    assert reading("đại hội AND chuyển") == reading("đại hội chuyển")
    assert reading('đại hội -"Nghệ An"') == reading('đại hội NOT "Nghệ An"') == 'đại AND hội AND NOT "Nghệ An"'
    assert "NOT" not in reading("2021-2025") and "NOT" not in reading("Quảng Ninh - Hạ Long")
    assert reading("đảng OR") == reading("đảng NOT") == "đảng"
    assert reading("Nghị quyết 57 type:CTr") == "ref:57-NQ/TW AND type:CTr"  # the JSON example
    either = _search(index, '"kế hoạch" OR "chương trình"')["total"]
    assert either >= _search(index, '"kế hoạch"')["total"] and either >= _search(index, '"chương trình"')["total"]
