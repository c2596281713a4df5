"""Plain-text tables for people. A leaf module: it imports nothing of ours."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence

_WIDTHS: dict[str, int] = {}


def _char_width(ch: str) -> int:
    w = _WIDTHS.get(ch)
    if w is None:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
        if len(_WIDTHS) < 65536:
            _WIDTHS[ch] = w
    return w


def _width(s: str) -> int:
    """Columns ``s`` takes on a terminal (wide characters 2, combining marks 0)."""
    if s.isascii():
        return len(s)
    return sum(_char_width(ch) for ch in s)


def _clip(s: str, limit: int) -> str:
    # One pass that stops as soon as the cell is known to be too wide, so a
    # long evidence sentence costs what is shown, not its whole length.
    if len(s) <= limit and s.isascii():
        return s
    width = 0
    cut = -1
    for i, ch in enumerate(s):
        width += _char_width(ch)
        if cut < 0 and width > limit - 1:
            cut = i
        if width > limit:
            return s[:cut] + "…"
    return s


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 60) -> str:
    """A left-aligned text table; cells wider than ``max_width`` are clipped with "…"."""
    cells = [[_clip("" if c is None else str(c).replace("\n", " "), max_width) for c in row] for row in rows]
    widths = [_width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], _width(c))

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - _width(v)) for i, v in enumerate(values)).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


def key_values(pairs: Sequence[tuple[str, object]]) -> str:
    """Aligned ``key: value`` lines."""
    width = max((len(k) for k, _ in pairs), default=0)
    return "\n".join(f"{k + ':':<{width + 1}} {'' if v is None else v}" for k, v in pairs)


def relative_path(path: str) -> str:
    """A path as docsearch prints it: relative to the working folder when it
    is under it, else as it is (climbing out with ../../.. would only hide
    where it is). The command line and the JSON API print paths the same way."""
    if not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel == ".." or rel.startswith(".." + os.sep) else rel
