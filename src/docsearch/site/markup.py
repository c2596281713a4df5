"""A document's text as HTML: every reference a link, every sentence that
asserts a relation an anchor, every page start a marker.

The text is never trusted: it is cut into pieces at the boundaries of the
marks and each piece is escaped on its own; only markup written here (with
escaped attribute values) is placed between the pieces. The result is a
:class:`markupsafe.Markup`, which templates print without escaping again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Order of events at one offset: what closes first, what opens last, so that
# elements always nest (a reference inside a sentence, never across it).
_CLOSE_REF, _CLOSE_SENTENCE, _POINT, _OPEN_SENTENCE, _OPEN_REF = range(5)


@dataclass(frozen=True)
class RefMark:
    """One reference in a text: where it is, where it links, how it looks."""

    start: int
    end: int
    href: str | None
    css: str
    label: str
    anchor: str | None = None


def evidence_anchor(start: int) -> str:
    """The element id of the sentence starting at ``start`` (see :func:`mark_text`)."""
    return f"at-{start}"


def page_anchor(page: int) -> str:
    return f"page-{page}"


def _attr(value: str) -> str:
    return str(escape(value))


def _clean_refs(refs: Sequence[RefMark], size: int) -> list[RefMark]:
    out: list[RefMark] = []
    last_end = 0
    for r in sorted(refs, key=lambda r: (r.start, -r.end)):
        if r.start < last_end or r.start >= r.end or r.start < 0 or r.end > size:
            continue  # overlapping or out of range: left as plain text
        out.append(r)
        last_end = r.end
    return out


def _sentences(evidence: Sequence[tuple[int, int]], refs: list[RefMark], size: int) -> list[tuple[int, int]]:
    """Evidence spans widened so that no reference straddles their edges, then
    merged where they overlap."""
    spans = []
    for a, b in evidence:
        a, b = max(0, min(a, size)), max(0, min(b, size))
        if b <= a:
            continue
        for r in refs:
            if r.start < a < r.end:
                a = r.start
            if r.start < b < r.end:
                b = r.end
        spans.append((a, b))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _inside_ref(pos: int, refs: list[RefMark]) -> int:
    """``pos`` moved to the start of the reference it falls inside, if any."""
    for r in refs:
        if r.start < pos < r.end:
            return r.start
        if r.start >= pos:
            break
    return pos


def mark_text(text: str, refs: Sequence[RefMark] = (), *, evidence: Sequence[tuple[int, int]] = (),
              page_starts: Sequence[int] = ()) -> Markup:
    """The escaped text with references as links (``<a class="ref">``, or
    ``<span class="ref">`` when the target has no page), each evidence
    sentence in ``<span class="ev" id="at-N">`` (N = the start other pages
    link to) and, when there is more than one page, page markers."""
    size = len(text)
    marks = _clean_refs(refs, size)
    events: list[tuple[int, int, int, str]] = []
    seq = 0

    def add(pos: int, order: int, html: str) -> None:
        nonlocal seq
        events.append((pos, order, seq, html))
        seq += 1

    for r in marks:
        title = f' title="{_attr(r.label)}"' if r.label else ""
        if r.anchor:
            title += f' id="{_attr(r.anchor)}"'
        if r.href:
            add(r.start, _OPEN_REF, f'<a class="{_attr(r.css)}" href="{_attr(r.href)}"{title}>')
            add(r.end, _CLOSE_REF, "</a>")
        else:
            add(r.start, _OPEN_REF, f'<span class="{_attr(r.css)}"{title}>')
            add(r.end, _CLOSE_REF, "</span>")

    wanted = sorted({max(0, min(a, size)) for a, _ in evidence})
    done: set[int] = set()
    for a, b in _sentences(evidence, marks, size):
        add(a, _OPEN_SENTENCE, f'<span class="ev" id="{evidence_anchor(a)}">')
        add(b, _CLOSE_SENTENCE, "</span>")
        done.add(a)
    for a in wanted:
        if a not in done:
            # A second sentence id inside a merged span, or an empty one.
            add(_inside_ref(a, marks), _POINT, f'<span class="anchor" id="{evidence_anchor(a)}"></span>')
            done.add(a)

    if len(page_starts) > 1:
        for number, start in enumerate(page_starts, 1):
            pos = _inside_ref(max(0, min(start, size)), marks)
            add(pos, _POINT, f'<span class="pg" id="{page_anchor(number)}" data-page="{number}"></span>')

    events.sort()
    out: list[str] = []
    pos = 0
    for at, _, _, html in events:
        if at > pos:
            out.append(str(escape(text[pos:at])))
            pos = at
        out.append(html)
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
