"""Text tables clip wide cells by terminal columns (wide characters count
two, combining marks none), in one pass that stops at the limit."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.render import _clip, _width, table


def _columns(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


def _clip_by_prefixes(s: str, limit: int) -> str:
    """Clipping as defined: the longest prefix narrower than ``limit``, then "…"."""
    if _columns(s) <= limit:
        return s
    out = ""
    for ch in s:
        if _columns(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc xyzĐđệữ中文\u0301\u0323")), max_size=90),
       st.integers(min_value=1, max_value=70))
def test_clip_matches_its_definition(s: str, limit: int) -> None:
    assert _width(s) == _columns(s)
    assert _clip(s, limit) == _clip_by_prefixes(s, limit)


def test_long_cells_are_clipped_and_aligned() -> None:
    evidence = "thực hiện Nghị quyết số 57-NQ/TW " * 5000
    out = table(["id", "evidence"], [["46-CTr/TU", evidence], ["中文", "ngắn"]], max_width=40)
    lines = out.splitlines()
    assert lines[2].endswith("…") and _width(lines[2]) == _width("46-CTr/TU") + 2 + 40
    # "中文" takes four columns: five spaces pad it to the nine of "46-CTr/TU"
    assert lines[3] == "中文" + " " * 5 + "  " + "ngắn"
