"""Plain-text tables for people. A leaf module: it imports nothing of ours."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in s)


def _clip(s: str, limit: int) -> str:
    if _width(s) <= limit:
        return s
    out = ""
    for ch in s:
        if _width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


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
