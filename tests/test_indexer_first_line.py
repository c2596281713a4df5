"""The title shown for a text without one is its first line of three
characters or more, read without splitting the whole text into lines."""

from __future__ import annotations

import random

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


def test_a_first_line_read_in_growing_parts_is_the_whole_lines_start() -> None:
    # Words cut where a part of the line ends, runs of spaces across it, a
    # line whose words are too few until far in.
    rng = random.Random(3)
    for _ in range(300):
        words = [rng.choice(["Nghị", "quyết", "x" * rng.randint(1, 900), "57", "a"]) for _ in range(rng.randint(0, 60))]
        text = "".join(w + rng.choice([" ", "  ", "\t", " " * rng.randint(1, 3000)]) for w in words)
        text += rng.choice(["", "\nsau", "\r\n  Căn cứ"])
        assert _first_line(text) == _split_lines(text), text[:40]
