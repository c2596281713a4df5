"""The parts of an official document that decide what its citations mean.

A decision, resolution or circular is built the same way whatever its
issuer: a header with the number and a title under the type heading, a
preamble of grounds ("Căn cứ …;", "Xét đề nghị … tại Tờ trình số …;"), the
enacting words ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:", or a sentence such as "Bộ
trưởng Bộ Tài chính ban hành Thông tư …"), then articles ("Điều 1. …").
Every document the preamble names is a ground of the text's own document
(``based_on``); what the title and the articles say of a document
(``thực hiện``, ``bãi bỏ``, ``thay thế``, ``hướng dẫn``) the text's own
document does. News and reports have none of this: all of their text is
``body``.

:func:`read_structure` finds these parts once per text; the relation passes
ask it where a reference stands (:meth:`Structure.zone_at`) and which
preamble clause it belongs to (:meth:`Structure.clause_at`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..models import Identity
from .find import hard_breaks
from .grammar import ENACTING_HEADING, FIRST_ARTICLE, TYPE_WORD, fold
from .grammar import GROUND as _GROUND
from .grammar import GROUND_WORD as _GROUND_WORD
from .grammar import IMPLEMENTING_OPENER as _IMPLEMENTING
from .grammar import ISSUING_WORDS as _ISSUING
from .header import _HEADER_REACH
from .layout import folded_paragraphs
from .prescan import Prescanned, find_all, finditer_at, literal_openings, search_at_literals

# Both are looked for over the whole text after the header; the first
# article at the few places "Điều 1", "Article 1" or "Artikel 1" stand.
_ENACTING_HEADING = Prescanned(ENACTING_HEADING, 4)

#: What a zone is: the text's own title, its preamble, the sentence that
#: enacts it, its articles, or running text.
ZONES = ("title", "preamble", "enacting", "articles", "body")


@dataclass(frozen=True)
class Zone:
    """A stretch of text with one role."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Clause:
    """One ground of a preamble ("Căn cứ Luật …;") and the relation it asserts
    for the documents at its top level (``based_on``, ``implements`` or ``cites``)."""

    start: int
    end: int
    relation: str


@dataclass
class Structure:
    """The zones of a text and the clauses of its preamble, sorted by start."""

    zones: list[Zone] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    def zone_at(self, pos: int) -> str:
        """The kind of zone that holds offset ``pos`` (``body`` outside every zone)."""
        for z in self.zones:
            if z.start <= pos < z.end:
                return z.kind
        return "body"

    def clause_at(self, pos: int) -> Clause | None:
        """The preamble clause that holds offset ``pos``, if any."""
        i = bisect.bisect_right([c.start for c in self.clauses], pos) - 1
        if i >= 0 and self.clauses[i].start <= pos < self.clauses[i].end:
            return self.clauses[i]
        return None




def _first_ground(lowered: str, start: int, end: int) -> int | None:
    """Where the first ground opens a line, follows a bullet or a ";" (the
    preamble's start), searching for the words first: a pattern anchored at
    every line start would be tried at every position."""
    # The few words a ground opens with, found with str.find.
    words = literal_openings(_GROUND_WORD)
    found = (_GROUND_WORD.finditer(lowered, start, end) if words is None else
             finditer_at(_GROUND_WORD, lowered, find_all(lowered, words, start, end), start, end))
    for m in found:
        if m.start() > 0 and lowered[m.start() - 1].isalnum():
            continue
        before = lowered[max(0, m.start() - 8):m.start()].rstrip(" \t-–•*+")
        # A plan's section of grounds is numbered like its other sections
        # ("I. CĂN CỨ PHÁP LÝ", "1. Căn cứ xây dựng Kế hoạch").
        heading = _SECTION_NUMBER.search(before)
        if heading is not None:
            before = before[:heading.start()].rstrip(" \t")
        if not before or before[-1] in "\n;|":
            return m.start()
    return None


_SECTION_NUMBER = re.compile(r"(?<![\w.])(?:[ivx]{1,4}|\d{1,2})[.)]$")
_CLAUSE_SPLIT = re.compile(r";|\n|(?<=[ \t])[-–•+][ \t]+(?=\S)")
_BULLET = re.compile(r"[ \t\-–•*+]*(?:(?:\d{1,2}|[a-zđ])[.)][ \t]+)?")
_DOC_FIRST = re.compile(r"(?:" + TYPE_WORD + r")(?![\w])")
_REACH = 6000


def read_structure(text: str, folded: str, paragraphs: str, identity: Identity | None,
                   lines_folded: str | None = None, *, whole: str | None = None) -> Structure:
    """The zones of ``text`` (``folded`` is its match view, ``paragraphs`` its
    paragraph view and ``lines_folded`` the match view with the hard line
    breaks, see :mod:`~docsearch.refs.layout`).

    ``whole`` is the whole text when ``text`` is only its beginning: the
    first article and the enacting heading are looked for in it, and the
    articles run to its end; the preamble is read from ``text``, so it must
    end well inside it (see :mod:`~docsearch.refs.pieces`)."""
    scan = text if whole is None else whole
    out = Structure()
    if identity is not None and identity.title_start is not None and identity.title_end is not None:
        out.zones.append(Zone("title", identity.title_start, identity.title_end))
    start_from = (identity.header_end or identity.end) if identity is not None else 0
    # Folded, with the hard line breaks of the paragraph view kept: grounds are
    # told apart by line starts as much as by ";". A long text's view may be
    # given for its beginning only (see :func:`lines_folded_head`): the
    # preamble is read from it when it lies inside, else from the whole view.
    lowered = fold(paragraphs) if lines_folded is None else lines_folded
    if len(lowered) < len(text) and start_from + _REACH + _SLACK > len(lowered):
        lowered = _whole_view(folded, paragraphs)
    ps = _first_ground(lowered, start_from, start_from + _REACH)
    articles = search_at_literals(FIRST_ARTICLE, scan, start_from)
    if ps is not None and (articles is None or ps < articles.start()):
        pre_start = ps
        heading = _ENACTING_HEADING.search(scan, pre_start, articles.start() if articles else len(scan))
        pre_end = heading.start() if heading else (articles.start() if articles else len(scan))
        bound = pre_end
        pre_end, enacting = _preamble_end(lowered, paragraphs, pre_start, bound)
        if len(lowered) < len(text):
            # The walk read whole paragraphs up to the one it stopped at: redo
            # it on the whole view when that paragraph runs past the head.
            nl = paragraphs.find("\n", pre_end, bound)
            if (bound if nl < 0 else nl) + _SLACK > len(lowered):
                lowered = _whole_view(folded, paragraphs)
                pre_end, enacting = _preamble_end(lowered, paragraphs, pre_start, bound)
        out.zones.append(Zone("preamble", pre_start, pre_end))
        if enacting is not None:
            out.zones.append(Zone("enacting", *enacting))
        out.clauses = _clauses(lowered, paragraphs, pre_start, pre_end)
    if articles is not None and (identity is not None or ps is not None):
        out.zones.append(Zone("articles", articles.start(), len(scan)))
    out.zones.sort(key=lambda z: z.start)
    return out


#: How far past a region the patterns read over the view may look.
_SLACK = 1000
#: How much of a long text's lines view the tagger makes for the header and
#: the preamble (see :func:`lines_folded_head`).
HEAD_VIEW = 65_536


def lines_folded_head(folded: str, breaks: list[int]) -> str:
    """The match view with its hard line breaks put back (see
    :func:`~docsearch.refs.layout.folded_paragraphs`), for the first
    :data:`HEAD_VIEW` characters only: the header and the preamble are all
    that is read from it, and a long text's whole view would be one more
    copy of it held while it is tagged. :func:`read_structure` makes the
    whole view when a preamble runs past this head."""
    # The header is read within its first _HEADER_REACH characters.
    size = max(HEAD_VIEW, _HEADER_REACH)
    if len(folded) <= size:
        return folded_paragraphs(folded, breaks)
    return folded_paragraphs(folded[:size], breaks[:bisect.bisect_left(breaks, size)])


def _whole_view(folded: str, paragraphs: str) -> str:
    return folded_paragraphs(folded, hard_breaks(paragraphs))


def _preamble_end(folded: str, paragraphs: str, start: int, end: int) -> tuple[int, tuple[int, int] | None]:
    """Where the grounds stop: at the enacting heading or the first article, or
    earlier at the first paragraph that is not a ground; that paragraph, when
    it issues or instructs ("Bộ trưởng … ban hành Thông tư …", "Ban Tuyên giáo
    Trung ương hướng dẫn … như sau:"), is the enacting sentence."""
    pos = start
    while pos < end:
        nl = paragraphs.find("\n", pos, end)
        stop = end if nl < 0 else nl
        para = folded[pos:stop]
        # Legal-database copies number the grounds under a bare "Căn cứ:"
        # ("1. Luật …;", "a) Nghị định …;"): the number is a bullet.
        lead = _BULLET.match(para)
        body = para[lead.end() if lead else 0:]
        if body and pos > start and not (_GROUND.match(body) or _DOC_FIRST.match(body) or _IMPLEMENTING.match(body)):
            if _ISSUING.search(para) and len(para) < 800:
                return pos, (pos, stop)
            return pos, None
        pos = stop + 1
    return end, None


def _clauses(folded: str, original: str, start: int, end: int) -> list[Clause]:
    """The grounds between ``start`` and ``end``, split at ";", line breaks and
    bullets. A piece that opens with a document ("…; Kết luận số 88-KL/TW …")
    continues the list of grounds before it; so does one after a ";" that
    opens with neither a ground nor a document, which is the rest of a title
    ("… 100 năm ngày sinh; xây dựng khu lưu niệm …"). A new line or bullet
    that opens otherwise ("- Để thống nhất …") is not a ground."""
    out: list[Clause] = []
    relation = "based_on"
    pos = start
    after_semicolon = False
    # A dash inside a line is a bullet only before a capital ("…; - Căn cứ"),
    # not in "nhiệm kỳ 2012 - 2017".
    splits = [m for m in _CLAUSE_SPLIT.finditer(folded, start, end)
              if m.group(0) in (";", "\n") or original[m.end():m.end() + 1].isupper()]
    for m in [*splits, None]:
        b = m.start() if m is not None else end
        bullet = _BULLET.match(folded, pos, max(pos, b))
        seg_start = bullet.end() if bullet is not None and b > pos else b
        if seg_start < b:
            bulleted = seg_start > pos and folded[pos:seg_start].strip(" \t") != ""
            if _GROUND.match(folded, seg_start):
                relation = "based_on"
            elif _IMPLEMENTING.match(folded, seg_start):
                relation = "implements"
            elif not _DOC_FIRST.match(folded, seg_start) and (bulleted or not after_semicolon):
                relation = "cites"
            out.append(Clause(seg_start, b, relation))
        if m is None:
            break
        after_semicolon = m.group(0) == ";"
        pos = m.end()
    return out
