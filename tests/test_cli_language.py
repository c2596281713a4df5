"""The command line's language: Vietnamese by default, English or German with
--lang or DOCSEARCH_LANG; JSON and CSV the same in every language."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docsearch import cli as cli_mod
from docsearch.cli import cli
from docsearch.i18n import LANGUAGES, messages

SRC = Path(cli_mod.__file__).resolve().parent


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus, ingested once for the module."""
    from conftest import ROOT

    folder = tmp_path_factory.mktemp("corpus") / "index"
    r = CliRunner().invoke(cli, ["ingest", str(ROOT / "corpus"), "--index", str(folder), "--jobs", "1",
                                 "--lang", "en"])
    assert r.exit_code == 0, r.output
    return folder


@pytest.fixture
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DOCSEARCH_LANG: what a user sees without asking for a language."""
    monkeypatch.delenv("DOCSEARCH_LANG", raising=False)


def _run(*args: str) -> str:
    r = CliRunner().invoke(cli, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


def test_the_reports_are_in_vietnamese_by_default(index: Path, default_language: None) -> None:
    where = ["--index", str(index)]
    tree = _run("implements", "Resolution 57", *where)
    assert tree.startswith("57-NQ/TW  NQ  22/12/2024  Bộ Chính trị")
    assert "15 văn bản trực tiếp thực hiện; số ngày tính từ ngày ban hành văn bản này." in tree
    assert "  03/NQ-CP  NQ  09/01/2025  +18 ngày  thực hiện" in tree
    assert "corpus/bac-ninh/qd-123-ubnd-2025.docx tr.1:" in tree
    table = _run("coverage", "Resolution 57", *where)
    assert table.splitlines()[3].split() == ["cấp", "ủy,", "cơ", "quan", "cấp", "sớm", "nhất", "số", "ngày", "văn", "bản"]
    assert "Tỉnh ủy Bắc Ninh                 cấp tỉnh   14/01/2025  +23 ngày  245-KH/TU (thực hiện)" in table
    stats = _run("stats", *where)
    assert "văn bản:              53" in stats and "ký tự:                159.699" in stats
    found = _run("search", "chuyển đổi số", "--limit", "1", *where)
    assert "1-1 trên 33 văn bản cho: chuyển AND đổi AND số" in found and "\nloại: " in found and "điểm " in found
    shown = _run("show", "46-CTr/TU", *where)
    assert "số hiệu:   46-CTr/TU ngày 05/02/2025, Tỉnh ủy Quảng Ninh" in shown
    assert "được dẫn chiếu bởi (" in shown and "được thực hiện bởi" in shown
    r = CliRunner().invoke(cli, ["show", "18-NQ/TW", *where])
    assert r.exit_code == 1 and "'18-NQ/TW' khớp với 2 văn bản trong kho; hãy thêm năm hoặc dùng số #N:" in r.stderr
    assert '"18-NQ/TW 2017"      #' in r.stderr and "25/10/2017" in r.stderr
    r = CliRunner().invoke(cli, ["implements", "18-NQ/TW", *where])
    assert r.exit_code == 1 and "'18-NQ/TW' là số hiệu của 2 văn bản; hãy thêm năm hoặc dùng khóa:" in r.stderr
    from conftest import DATA

    r = CliRunner().invoke(cli, ["check", str(DATA / "drafts" / "vi-ds102-date.txt"), *where])
    assert r.exit_code == 1
    assert (": error DS102 Quy định số 144-QĐ/TW ban hành ngày 09/05/2024, không phải ngày 19/05/2024"
            " [gợi ý: 09/05/2024]") in r.stdout
    assert re.fullmatch(r"\d+ lỗi, \d+ cảnh báo, \d+ lưu ý trong 1 tệp\n", r.stderr)


def test_lang_and_the_variable_choose_english_or_german(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = ["--index", str(index)]
    monkeypatch.setenv("DOCSEARCH_LANG", "vi")
    english = _run("implements", "Resolution 57", "--lang", "en", *where)  # the option wins
    assert "15 documents implement it directly; lag = days after it." in english
    assert "  03/NQ-CP  NQ  09/01/2025  +18 days  implements" in english
    monkeypatch.setenv("DOCSEARCH_LANG", "de")
    german = _run("coverage", "Resolution 57", *where)
    assert "Tỉnh ủy Bắc Ninh                 Provinz  14.01.2025  +23 Tage     245-KH/TU (setzt um)" in german
    monkeypatch.setenv("DOCSEARCH_LANG", "fr")
    r = CliRunner().invoke(cli, ["stats", *where])
    assert r.exit_code == 2 and "Invalid value for '--lang'" in r.output


def test_json_and_csv_are_the_same_in_every_language(index: Path) -> None:
    where = ["--index", str(index)]
    for command in (["implements", "Resolution 57"], ["coverage", "Resolution 57"], ["cites", "57-NQ/TW"],
                    ["search", "chuyển đổi số"], ["show", "46-CTr/TU"], ["stats"]):
        for fmt in ("json", "csv"):
            outputs = {_run(*command, *where, "--format", fmt, "--lang", lang) for lang in LANGUAGES}
            assert len(outputs) == 1, (command, fmt)
    data = json.loads(_run("implements", "Resolution 57", *where, "--format", "json", "--lang", "vi"))
    assert data["implementers"][0]["date"] == "2025-01-09"  # ISO for machines


def test_the_command_lines_languages_are_the_interfaces() -> None:
    assert cli_mod.LANGUAGES == LANGUAGES


def _first_arguments(path: Path, function: str) -> list[ast.expr]:
    """The first argument of every call ``function(...)`` in ``path``."""
    return [node.args[0] for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function
            and node.args]


def _literal_messages(path: Path) -> set[str]:
    """The constant first arguments of every call ``t(...)`` in ``path``."""
    return {a.value for a in _first_arguments(path, "t") if isinstance(a, ast.Constant) and isinstance(a.value, str)}


@pytest.mark.parametrize("module", ["cli.py", "graph/render.py", "check/diagnostics.py"])
def test_every_message_the_command_line_prints_is_translated(module: str) -> None:
    used = _literal_messages(SRC / module)
    assert used, module
    assert sorted(used - set(messages())) == []


def _phrases(path: Path) -> list[ast.expr]:
    """The first argument of every call ``phrase(...)`` or ``i18n.phrase(...)`` in ``path``."""
    return [node.args[0] for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Call) and node.args
            and (isinstance(node.func, ast.Name) and node.func.id == "phrase"
                 or isinstance(node.func, ast.Attribute) and node.func.attr == "phrase")]


def test_every_phrase_of_the_package_is_translated() -> None:
    """Every message kept as a phrase (errors of the store, the search, the
    graph, the site, the registry, check's settings, the cluster) has its
    Vietnamese; one put together elsewhere is checked where it is made."""
    found = {a.value for path in SRC.rglob("*.py") for a in _phrases(path)
             if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    assert len(found) > 200
    assert sorted(found - set(messages())) == []


def test_errors_are_said_in_the_language_of_the_command(tmp_path: Path, index: Path,
                                                        default_language: None) -> None:
    missing = str(tmp_path / "nowhere")
    r = CliRunner().invoke(cli, ["stats", "--index", missing])
    assert r.exit_code == 1
    assert r.stderr == (f"Lỗi: không có chỉ mục docsearch trong {missing}/: hãy chạy 'docsearch ingest FOLDER' "
                        "trước, hoặc trỏ --index / $DOCSEARCH_INDEX tới một chỉ mục đã có\n")
    r = CliRunner().invoke(cli, ["stats", "--index", missing, "--lang", "en"])
    assert r.stderr.startswith(f"Error: no docsearch index in {missing}/: run 'docsearch ingest FOLDER' first")
    where = ["--index", str(index)]
    r = CliRunner().invoke(cli, ["search", "year:2024..2020", *where])
    assert r.exit_code == 1 and r.stderr == "Lỗi: 'year:2024..2020' là khoảng rỗng: mốc đầu nằm sau mốc cuối\n"
    r = CliRunner().invoke(cli, ["search", "date:abc", *where])
    assert r.stderr == ("Lỗi: 'date:abc' không phải là ngày; hãy viết ví dụ date:>=2025-01-01 hoặc "
                        "date:2024-06..2024-12\n")
    r = CliRunner().invoke(cli, ["search", "date:abc", *where, "--lang", "en"])
    assert r.stderr == "Error: 'date:abc' is not a date; write e.g. date:>=2025-01-01 or date:2024-06..2024-12\n"
    r = CliRunner().invoke(cli, ["implements", "Nghị quyết 999-NQ/TW", *where])
    assert r.exit_code == 1 and "Lỗi: trong chỉ mục không có văn bản nào nhắc đến 999-NQ/TW" in r.stderr
    r = CliRunner().invoke(cli, ["implements", "18-NQ/TW 2019", *where])
    assert r.stderr.startswith("Lỗi: không có văn bản 18-NQ/TW nào năm 2019; số hiệu này là của: 18-NQ/TW ngày ")
    registry = tmp_path / "registry.csv"
    registry.write_text("number,date\n57-NQ/TW,22/12/2024\n", "utf-8")
    r = CliRunner().invoke(cli, ["registry", "import", str(registry), "--index", str(tmp_path / "other")])
    assert r.stderr == f"Lỗi: {registry}, dòng 2: ngày '22/12/2024' không theo dạng YYYY-MM-DD\n"
    r = CliRunner().invoke(cli, ["site", "build", str(tmp_path), *where])
    assert r.stderr.startswith(f"Lỗi: {tmp_path}/ không trống và không chứa trang web nào do docsearch tạo; ")
    r = CliRunner().invoke(cli, ["check", str(tmp_path / "draft.txt"), *where, "--ignore", "DS999"])
    assert r.exit_code == 2 and "--ignore: không có mã 'DS999'; các mã là DS101" in r.stderr
    r = CliRunner().invoke(cli, ["coverage", *where])
    assert r.exit_code == 2 and "Error: hãy nêu một DOCUMENT (ví dụ \"Nghị quyết 57\"), hoặc dùng --central" in r.stderr
    r = CliRunner().invoke(cli, ["graph", *where, "-o", str(tmp_path / "graph.json")])
    assert r.exit_code == 0 and re.fullmatch(r"đã ghi [\d.]+ văn bản và [\d.]+ quan hệ vào .*graph\.json\.\n", r.stderr)


def test_what_a_text_lacks_is_stored_as_a_phrase_and_said_in_each_language(tmp_path: Path,
                                                                            default_language: None) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "controls.txt").write_bytes("Kế hoạch số 45/KH-UBND\x07 về chuyển đổi số\x01.\n".encode())
    where = ["--index", str(tmp_path / "index")]
    assert CliRunner().invoke(cli, ["ingest", str(folder), *where, "--jobs", "1"]).exit_code == 0
    assert "cảnh báo:  đã bỏ 2 ký tự điều khiển" in _run("show", "controls.txt", *where)
    assert "warning:    removed 2 control characters" in _run("show", "controls.txt", *where, "--lang", "en")
    data = json.loads(_run("show", "controls.txt", *where, "--format", "json"))
    assert data["warnings"] == ["removed 2 control characters"]  # JSON: English
    from docsearch.store import Store

    with Store.open(tmp_path / "index", create=False) as store:
        stored = store.conn.execute("SELECT warnings FROM documents").fetchone()[0]
    assert json.loads(stored) == [{"message": "removed {n} control characters", "values": {"n": {"count": 2}}}]
    site = tmp_path / "site"
    assert CliRunner().invoke(cli, ["site", "build", str(site), *where]).exit_code == 0
    assert any("<li>đã bỏ 2 ký tự điều khiển</li>" in page.read_text("utf-8") for page in site.rglob("*.html"))
    from starlette.testclient import TestClient

    from docsearch.web import WebConfig, create_app

    with TestClient(create_app(WebConfig(index_dir=tmp_path / "index"))) as client:
        assert "<li>đã bỏ 2 ký tự điều khiển</li>" in client.get("/documents/controls.txt").text
        assert "<li>removed 2 control characters</li>" in client.get("/documents/controls.txt?lang=en").text


def test_a_phrase_is_kept_as_json_and_given_back() -> None:
    from docsearch.i18n import Count, Listed, phrase, said_from_json, said_to_json, translator

    said = phrase("{pages}: no text layer, and not read with OCR: {problem}", pages=phrase("pages {numbers}",
                  numbers="3-5"), problem=phrase("{reason} ({hint})", reason=Listed(("a", Count(12345)), " or "),
                                                 hint="x"))
    back = said_from_json(json.loads(json.dumps(said_to_json(said))))
    assert back == said
    assert translator("vi").say(back).startswith("các trang 3-5: không có lớp chữ, và chưa đọc bằng OCR: a hoặc 12.345")
    assert said_from_json("an old warning") == "an old warning"


def test_every_reason_a_file_is_not_read_is_translated() -> None:
    found: set[str] = set()
    for path in [*sorted((SRC / "extract").glob("*.py")), SRC / "ingestion.py", SRC / "web" / "errors.py",
                 SRC / "web" / "uploads.py"]:
        for argument in _first_arguments(path, "phrase"):
            assert isinstance(argument, ast.Constant), f"{path.name}: {ast.unparse(argument)}"
            found.add(argument.value)
    assert len(found) > 70
    assert sorted(found - set(messages())) == []


def test_files_that_cannot_be_read_are_named_in_vietnamese(tmp_path: Path, default_language: None) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere")
    r = CliRunner().invoke(cli, ["ingest", str(folder), "--index", str(tmp_path / "index"), "--jobs", "1"])
    assert r.exit_code == 1
    lines = [line for line in r.stderr.splitlines() if not line.startswith("docsearch: the compiled build")]
    assert any(line.endswith("empty.txt: tệp rỗng (0 byte) (hãy kiểm tra tệp đã được sao chép đầy đủ)")
               for line in lines), lines
    assert any(line.endswith("broken.pdf: PDF bị hỏng: Data format error (hãy tải lại hoặc xuất lại tệp)")
               for line in lines), lines
    assert any("dangling.txt: liên kết hỏng tới " in line for line in lines), lines
    assert r.stdout.startswith("0 thêm mới, 0 cập nhật, 0 không đổi, 0 xóa, 2 lỗi, trong ")
    data = json.loads(CliRunner().invoke(cli, ["ingest", str(folder), "--index", str(tmp_path / "index2"),
                                               "--jobs", "1", "--format", "json"]).stdout)
    assert {f["reason"] for f in data["failed"]} == {  # JSON: the reasons in English
        "empty file (0 bytes) (check that the file was copied completely)",
        "damaged PDF: Data format error (re-download or re-export the file)"}


def test_a_phrase_keeps_the_text_of_what_is_put_in_and_crosses_processes() -> None:
    import pickle

    from docsearch.i18n import phrase, translator

    class Odd(Exception):
        def __init__(self, code: int, detail: str) -> None:  # not rebuilt from its args by pickle
            super().__init__(f"{code}: {detail}")

    said = phrase("damaged image: {error}", error=Odd(7, "bad header"))
    again = pickle.loads(pickle.dumps(said))
    assert again == said and str(again) == "damaged image: 7: bad header"
    assert again.say(translator("vi")) == "ảnh bị hỏng: 7: bad header"
