"""The command line: every command, its JSON output, and its user errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docsearch.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_every_command_has_help(runner: CliRunner) -> None:
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    names = [line.split()[0] for line in top.output.split("Commands:")[1].splitlines() if line.strip()]
    assert {"ingest", "stats", "show", "refs", "registry"} <= set(names)
    for name in names:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert len(result.output.splitlines()) > 3, name


def test_every_command_is_in_the_readme(runner: CliRunner) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    top = runner.invoke(cli, ["--help"])
    names = [line.split()[0] for line in top.output.split("Commands:")[1].splitlines() if line.strip()]
    for name in names:
        assert f"docsearch {name}" in readme, name


def test_ingest_json_summary_then_stats_and_show(runner: CliRunner, seeds: Path, index_dir: Path) -> None:
    r = runner.invoke(cli, ["ingest", str(seeds), "--index", str(index_dir), "--format", "json", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert r.stderr == ""  # no progress bar outside a terminal
    assert summary == {**summary, "added": 5, "updated": 0, "unchanged": 0, "removed": 0, "failed": []}
    again = json.loads(runner.invoke(cli, ["ingest", str(seeds), "--index", str(index_dir), "--format", "json"]).stdout)
    assert again["unchanged"] == 5 and again["added"] == 0

    stats = json.loads(runner.invoke(cli, ["stats", "--index", str(index_dir), "--format", "json"]).stdout)
    assert stats["documents"] == 5
    assert stats["by_lang"] == {"en": 4, "de": 1}

    shown = runner.invoke(cli, ["show", "001_eac35e6b454311f1.txt", "--index", str(index_dir)])
    assert shown.exit_code == 0
    assert "1324-QĐ/TU" in shown.output and "based on" in shown.output
    data = json.loads(runner.invoke(cli, ["show", "001_eac35e6b454311f1.txt", "--index", str(index_dir),
                                          "--format", "json"]).stdout)
    assert {r["id"] for r in data["references"]} == {"144-QĐ/TW", "1324-QĐ/TU", "137-QĐ/TW"}


def test_index_from_environment(runner: CliRunner, seeds: Path, index_dir: Path) -> None:
    env = {"DOCSEARCH_INDEX": str(index_dir)}
    assert runner.invoke(cli, ["ingest", str(seeds / "004_67c174f4a274d58e.txt")], env=env).exit_code == 0
    stats = json.loads(runner.invoke(cli, ["stats", "--format", "json"], env=env).stdout)
    assert stats["documents"] == 1


def test_ingest_failure_is_one_line_and_exit_1(runner: CliRunner, tmp_path: Path, index_dir: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    (tmp_path / "docs" / "ok.txt").write_text("Nghị quyết số 57-NQ/TW của Bộ Chính trị.", "utf-8")
    r = runner.invoke(cli, ["ingest", str(tmp_path / "docs"), "--index", str(index_dir)])
    assert r.exit_code == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("docsearch:")]
    assert len(errors) == 1
    assert errors[0].endswith("empty.txt: empty file (0 bytes) (check that the file was copied completely)")
    assert "Traceback" not in r.output + r.stderr
    assert "1 added" in r.stdout


def test_stats_without_an_index_names_the_fix(runner: CliRunner, tmp_path: Path) -> None:
    r = runner.invoke(cli, ["stats", "--index", str(tmp_path / "none")])
    assert r.exit_code == 1
    assert f"no docsearch index in {tmp_path / 'none'}/: run 'docsearch ingest FOLDER' first" in r.stderr


def test_show_unknown_document(runner: CliRunner, seeds: Path, index_dir: Path) -> None:
    runner.invoke(cli, ["ingest", str(seeds), "--index", str(index_dir)])
    r = runner.invoke(cli, ["show", "nothing.txt", "--index", str(index_dir)])
    assert r.exit_code == 1
    assert "no stored document matches 'nothing.txt'" in r.stderr


def test_refs_json_lines_contract(runner: CliRunner, seeds: Path) -> None:
    files = [str(seeds / "001_eac35e6b454311f1.txt"), str(seeds / "004_67c174f4a274d58e.txt")]
    r = runner.invoke(cli, ["refs", *files, "--format", "json"])
    assert r.exit_code == 0
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [line["file"] for line in lines] == files
    for obj in lines:
        assert set(obj) >= {"file", "self", "references", "relations"}
        for ref in obj["references"]:
            assert set(ref) >= {"id", "text", "start", "end", "type", "number", "issuer_code", "year", "date",
                                "issuer", "short_form", "relation"}
        for rel in obj["relations"]:
            assert set(rel) >= {"source", "target", "type", "evidence"}
    text = (seeds / "004_67c174f4a274d58e.txt").read_text("utf-8")
    for ref in lines[1]["references"]:
        assert text[ref["start"]:ref["end"]] == ref["text"]
    assert {"source": "46-CTr/TU", "target": "57-NQ/TW", "type": "implements"}.items() <= \
        next(rel for rel in lines[1]["relations"]).items()


def test_refs_table_and_bad_file(runner: CliRunner, seeds: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    r = runner.invoke(cli, ["refs", str(seeds / "001_eac35e6b454311f1.txt"), str(junk)])
    assert r.exit_code == 1
    assert "144-QĐ/TW" in r.stdout and "09/05/2024" in r.stdout
    assert r.stderr.strip() == f"docsearch: {junk}: not a PDF: the file does not start like one (check that the file is complete)"


def test_registry_import_csv_and_json(runner: CliRunner, tmp_path: Path, index_dir: Path) -> None:
    csv_file = tmp_path / "reg.csv"
    csv_file.write_text("number,type,issuer,date,title,status,replaced_by\n"
                        "35-CT/TW,CT,Bộ Chính trị,2024-06-14,Đại hội đảng bộ các cấp,replaced,45-CT/TW\n"
                        "09-NQ/TU,NQ,TU,2022-02-05,Chuyển đổi số tỉnh Quảng Ninh,in_force,\n", "utf-8")
    r = runner.invoke(cli, ["registry", "import", str(csv_file), "--index", str(index_dir)])
    assert r.exit_code == 0 and "2 registry entries imported; 0 documents re-tagged." in r.output
    json_file = tmp_path / "reg.json"
    json_file.write_text(json.dumps([{"number": "45-CT/TW", "date": "2025-04-14", "title": "Đại hội"}]), "utf-8")
    assert runner.invoke(cli, ["registry", "import", str(json_file), "--index", str(index_dir)]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["registry", "list", "--index", str(index_dir), "--format", "json"]).stdout)
    assert [(e["id"], e["replaced_by"]) for e in listed] == [("09-NQ/TU", None), ("35-CT/TW", "45-CT/TW"), ("45-CT/TW", None)]
    # the registry now resolves a bare provincial short form in `refs --index`
    doc = tmp_path / "d.txt"
    doc.write_text("Tỉnh tiếp tục thực hiện Nghị quyết 09 của Tỉnh ủy.", "utf-8")
    out = json.loads(runner.invoke(cli, ["refs", str(doc), "--index", str(index_dir), "--format", "json"]).stdout)
    assert out["references"][0]["id"] == "09-NQ/TU"


@pytest.mark.parametrize("content,message", [
    ("title,date\nx,2024-01-01\n", "the first row must name the columns, including 'number'"),
    ("number,date\n57-NQ/TW,22/12/2024\n", "line 2: date '22/12/2024' is not YYYY-MM-DD"),
    ("number\nhello\n", "line 2: 'hello' is not a document number docsearch understands"),
])
def test_registry_errors(runner: CliRunner, tmp_path: Path, index_dir: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(content, "utf-8")
    r = runner.invoke(cli, ["registry", "import", str(f), "--index", str(index_dir)])
    assert r.exit_code == 1
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_progress_bar_on_a_terminal(seeds: Path, index_dir: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "docsearch", "ingest", str(seeds), "--index", str(index_dir)],
        stdout=subprocess.PIPE, stderr=slave, timeout=120,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.returncode == 0
    text = shown.decode()
    assert "5/5 files" in text and "s left" in text and "/s" in text
    assert b"5 added" in proc.stdout


def test_a_file_name_that_is_not_utf8_can_be_ingested_and_shown(tmp_path: Path, index_dir: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Nghị quyết số 57-NQ/TW của Bộ Chính trị.", "utf-8")
    bad = os.path.join(os.fsencode(folder), b"a\xff.txt")
    with open(bad, "wb") as fh:
        fh.write("Nghị quyết 57".encode())
    run = [sys.executable, "-m", "docsearch"]
    r = subprocess.run([*run, "ingest", str(folder), "--index", str(index_dir)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "2 added" in r.stdout
    for name in (bad, b"a\\xff.txt"):  # as the file system has it, and as the store shows it
        r = subprocess.run([*run, "show", name, "--index", str(index_dir)], capture_output=True)
        assert r.returncode == 0, r.stderr
        assert b"a\\xff.txt" in r.stdout and b"Traceback" not in r.stderr


def test_a_missing_path_is_printed_as_typed(runner: CliRunner, index_dir: Path) -> None:
    r = runner.invoke(cli, ["ingest", "/nonexistent/path", "--index", str(index_dir)])
    assert r.exit_code == 1
    assert "docsearch: /nonexistent/path: no such file or folder; check the path" in r.stderr


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus, ingested once for the module."""
    from conftest import ROOT

    index = tmp_path_factory.mktemp("corpus") / "index"
    r = CliRunner().invoke(cli, ["ingest", str(ROOT / "corpus"), "--index", str(index), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    registry = index.parent / "registry.csv"
    registry.write_text("number,type,issuer,date,title,status,replaced_by\n"
                        "998-KH/TU,KH,TU,2024-03-01,Kế hoạch chuyển đổi số,in_force,\n", "utf-8")
    assert CliRunner().invoke(cli, ["registry", "import", str(registry), "--index", str(index)]).exit_code == 0
    return index


def test_show_a_number_two_documents_share_lists_them_and_asks_for_the_year(
        runner: CliRunner, corpus_index: Path) -> None:
    r = runner.invoke(cli, ["show", "18-NQ/TW", "--index", str(corpus_index)])
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0] == "Error: '18-NQ/TW' matches 2 stored documents; add the year or use #N:"
    assert lines[1].split()[:3] == ['"18-NQ/TW', '2017"', lines[1].split()[2]] and "25/10/2017" in lines[1]
    assert "16/06/2022" in lines[2]
    r = runner.invoke(cli, ["show", "18-NQ/TW 2022", "--index", str(corpus_index), "--format", "json"])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["self"]["date"] == "2022-06-16"


def test_show_an_unknown_number_says_where_numbers_are_shown(runner: CliRunner, corpus_index: Path) -> None:
    r = runner.invoke(cli, ["show", "#9999", "--index", str(corpus_index)])
    assert r.exit_code == 1
    assert r.stderr.strip() == ("Error: no stored document #9999: the index holds 53 documents; "
                                "'docsearch search' and 'docsearch show' print each one's #N")
    hit = json.loads(runner.invoke(cli, ["search", "chuyển đổi số", "--index", str(corpus_index),
                                         "--format", "json"]).stdout)["hits"][0]
    assert runner.invoke(cli, ["show", f"#{hit['doc']}", "--index", str(corpus_index)]).exit_code == 0


def test_graph_csv_writes_paths_relative_to_the_working_folder(
        runner: CliRunner, corpus_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import io

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    r = runner.invoke(cli, ["graph", "--format", "csv", "--index", str(corpus_index)])
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["path"].startswith("corpus/") for row in rows)
    r = runner.invoke(cli, ["graph", "--format", "csv", "--table", "nodes", "--index", str(corpus_index)])
    paths = [p for row in csv.DictReader(io.StringIO(r.stdout)) for p in row["paths"].split(";") if p]
    assert paths and all(p.startswith("corpus/") for p in paths)
    r = runner.invoke(cli, ["graph", "--format", "json", "--index", str(corpus_index)])
    assert all(e["path"].startswith("corpus/") for e in json.loads(r.stdout)["edges"])


@pytest.mark.parametrize("args, interpreted", [
    (["-chuyển"], "NOT chuyển"),
    (["chuyển", "đổi", "số", "-nghệ"], "chuyển AND đổi AND số AND NOT nghệ"),
    (["-n", "3", "-nghệ", "số"], "NOT nghệ AND số"),
    (["--limit=3", "số", '-"Nghệ An"'], 'số AND NOT "nghệ an"'),
    (["--", "-n"], "NOT n"),
])
def test_a_query_may_start_with_a_minus(runner: CliRunner, corpus_index: Path, args: list[str], interpreted: str) -> None:
    r = runner.invoke(cli, ["search", "--index", str(corpus_index), "--format", "json", *args])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["interpreted"].lower() == interpreted.lower()


def test_help_loads_no_heavy_module() -> None:
    code = ("import sys\nfrom docsearch.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('tantivy', 'spacy', 'jinja2', 'pypdfium2', 'docsearch.refs', 'docsearch.search',"
            " 'docsearch.site', 'docsearch.graph', 'docsearch.ingestion', 'docsearch.store') if m in sys.modules]\n"
            "print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_the_graph_formats_of_the_command_line_are_the_exporters() -> None:
    from docsearch import cli as cli_mod
    from docsearch.graph import EXPORT_FORMATS

    assert cli_mod.EXPORT_FORMATS == EXPORT_FORMATS


LISTINGS = [
    ["stats"],
    ["show", "46-CTr/TU"],
    ["show", "57-NQ/TW"],
    ["registry", "list"],
    ["search", "chuyển đổi số"],
    ["implements", "57-NQ/TW"],
    ["cites", "57-NQ/TW"],
    ["coverage", "57-NQ/TW"],
    ["coverage", "--central"],
    ["refs", "corpus/quang-ninh/kh-380-tu-2024.txt"],
    ["check", "tests/data/drafts/en-ds101-unknown.txt"],
]


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv"])
def test_every_listing_command_takes_the_common_formats_and_output_file(
        runner: CliRunner, corpus_index: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        args: list[str], fmt: str) -> None:
    import csv
    import io

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    base = [*args, "--index", str(corpus_index), "--format", fmt]
    r = runner.invoke(cli, base)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.strip()
    if fmt == "json":
        if args[0] == "refs":
            json.loads(out)
        else:
            assert isinstance(json.loads(out), (dict, list))
    elif fmt == "jsonl":
        records = [json.loads(line) for line in out.splitlines()]
        assert records and all(isinstance(x, dict) for x in records)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and len({len(row) for row in rows}) == 1
    target = tmp_path / f"out.{fmt}"
    r = runner.invoke(cli, [*base, "-o", str(target)])
    assert r.exit_code == 0, r.output
    assert target.read_text("utf-8").strip() == out.strip()
    assert "\x1b[" not in target.read_text("utf-8")


def test_options_with_one_meaning_have_one_definition() -> None:
    seen: dict[str, set[str]] = {}

    def visit(command: object, name: str) -> None:
        import click

        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                visit(sub, f"{name} {sub_name}")
            return
        assert isinstance(command, click.Command)
        for p in command.params:
            if isinstance(p, click.Option) and p.name in ("index", "output", "limit", "offset"):
                seen.setdefault(p.name, set()).add(p.help or "")
            if isinstance(p, click.Option) and p.name == "fmt" and name.split()[-1] != "graph":
                choices = tuple(p.type.choices)  # type: ignore[attr-defined]
                assert choices in (("text", "json"), ("text", "json", "jsonl", "csv")), name

    visit(cli, "docsearch")
    assert {k: len(v) for k, v in seen.items()} == {"index": 1, "output": 1, "limit": 1, "offset": 1}


def test_implements_and_cites_page_like_search(runner: CliRunner, corpus_index: Path) -> None:
    def ids(cmd: str, *extra: str) -> list[str]:
        r = runner.invoke(cli, [cmd, "57-NQ/TW", "--index", str(corpus_index), "--format", "jsonl", *extra])
        assert r.exit_code == 0, r.output
        return [json.loads(line)["key"] for line in r.stdout.splitlines()]

    everything = ids("implements")
    assert len(everything) > 4
    assert ids("implements", "--limit", "2") == everything[:2]
    assert ids("implements", "--limit", "2", "--offset", "2") == everything[2:4]
    r = runner.invoke(cli, ["implements", "57-NQ/TW", "--index", str(corpus_index), "-n", "2", "--offset", "2"])
    assert r.stdout.startswith(f"implementers 3-4 of {len(everything)} (--limit/--offset for others)")
    citing = runner.invoke(cli, ["cites", "57-NQ/TW", "--index", str(corpus_index), "--format", "csv"]).stdout
    paged = runner.invoke(cli, ["cites", "57-NQ/TW", "--index", str(corpus_index), "--format", "csv",
                                "--limit", "3", "--offset", "1"]).stdout
    assert paged.splitlines() == citing.splitlines()[:1] + citing.splitlines()[2:5]


def test_check_names_a_wrong_date_and_a_wrong_issuer_not_an_ambiguous_number(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOCSEARCH_INDEX", raising=False)
    draft = tmp_path / "draft.txt"
    draft.write_text("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n"
                     "Nghị quyết số 57-NQ/TW ngày 12/12/2024 của Bộ Chính trị.\n"
                     "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Ban Bí thư.\n", "utf-8")
    r = runner.invoke(cli, ["check", str(draft), "--format", "jsonl"])
    assert [(d["line"], d["code"]) for d in map(json.loads, r.stdout.splitlines())] == [(2, "DS102"), (3, "DS103")]


def test_site_build_counts_documents_known_from_citations_as_the_home_page_does(
        runner: CliRunner, corpus_index: Path, tmp_path: Path) -> None:
    import re

    out = tmp_path / "site"
    r = runner.invoke(cli, ["site", "build", str(out), "--index", str(corpus_index), "--format", "json", "--jobs", "1",
                               "--lang", "en"])  # the assertion reads the English home page
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    home = (out / "index.html").read_text("utf-8")
    shown = re.search(r"<strong>([\d,]+)</strong> documents known only from citations", home)
    assert shown is not None and int(shown[1].replace(",", "")) == report["cited_only"] > 0


def test_ocr_choices_of_the_command_line_are_the_extractors() -> None:
    import docsearch.cli as cli_mod
    from docsearch.extract.ocr import DEFAULT_LANG, MODES

    assert cli_mod.OCR_MODES == MODES and cli_mod.OCR_DEFAULT_LANG == DEFAULT_LANG
