"""The title shown for a text without one is its first line of three
characters or more, read without splitting the whole text into lines."""

from __future__ import annotations

from docsearch.search.indexer import TITLE_CHARS, _first_line


def _split_lines(text: str) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line) >= 3:
            return line[:TITLE_CHARS]
    return ""


def test_first_line_as_splitlines_gives_it() -> None:
    samples = [
        "", "ab\n", "\n\n  \r\n  Kế hoạch   số 1\nnext", "a\rb\x0bc\x1cdd\u2028Nghị quyết 57\n",
        "x" * 200_000, "  " + " a" * 100_000 + "\nsau", "\n" * 5 + "ab\r\ncd\r\nCăn cứ Luật",
        " \t" * 70_000 + "Tiêu đề ở cuối dòng rất dài" + "\nkhác", "ab\x85cd\u2029efgh",
    ]
    for text in samples:
        assert _first_line(text) == _split_lines(text), text[:40]
