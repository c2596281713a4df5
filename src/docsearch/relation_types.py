"""The relation types one document can assert of another: the one table.

Each row says how the relation reads in Vietnamese and in English, from the
asserting document (outgoing: "thực hiện" / "implements") and from the cited
one (incoming: "được thực hiện bởi" / "implemented by"), its colour in the
site and its graphs, whether it counts as carrying the cited document out
(what ``docsearch implements`` and ``coverage`` follow by default), and
whether the asserting text looks back on the cited one (reviews, amends,
replaces or repeals it), so that citing an old document is the point.

The rows are in order of precedence: when one document is linked to another
by several relations (its own text says "implements", a news article says
"based on"), the earlier one wins. The graph, the site, its SVG drawings and
style sheet, the checker and the models read this table; nothing else spells
the relation types out.

This module imports nothing from the package, so the command line can read
it without loading the tagger or the search engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationType:
    """One relation type and everything shown or decided by it."""

    name: str
    vi: str
    en: str
    vi_incoming: str
    en_incoming: str
    colour: str
    implementing: bool = False
    looks_back: bool = False


# Colours: the Okabe-Ito palette, distinguishable with colour blindness; the
# legends and tables say the same in words.
TABLE: tuple[RelationType, ...] = (
    RelationType("implements", "thực hiện", "implements", "được thực hiện bởi", "implemented by",
                 "#0072b2", implementing=True),
    RelationType("guides", "hướng dẫn", "guides", "được hướng dẫn bởi", "guided by",
                 "#56b4e9", implementing=True),
    RelationType("summarizes", "sơ kết, tổng kết", "reviews", "được sơ kết, tổng kết bởi", "reviewed by",
                 "#cc79a7", implementing=True, looks_back=True),
    RelationType("based_on", "căn cứ", "based on", "là căn cứ của", "basis of",
                 "#009e73", implementing=True),
    RelationType("amends", "sửa đổi, bổ sung", "amends", "được sửa đổi, bổ sung bởi", "amended by",
                 "#e69f00", looks_back=True),
    RelationType("replaces", "thay thế", "replaces", "được thay thế bởi", "replaced by",
                 "#d55e00", looks_back=True),
    RelationType("repeals", "bãi bỏ", "repeals", "bị bãi bỏ bởi", "repealed by",
                 "#000000", looks_back=True),
    RelationType("cites", "dẫn chiếu", "cites", "được dẫn chiếu bởi", "cited by", "#8c8c8c"),
)

BY_NAME: dict[str, RelationType] = {r.name: r for r in TABLE}

#: Every relation type, strongest first.
RELATION_PRECEDENCE: tuple[str, ...] = tuple(r.name for r in TABLE)

#: Relations that mean "this document carries that one out" in the broad
#: sense: implementing it, guiding or reviewing its implementation, or being
#: issued on its basis.
IMPLEMENTING: tuple[str, ...] = tuple(r.name for r in TABLE if r.implementing)

#: Relations in which citing an old document is the point ("this plan
#: replaces Plan 12", "review of five years of Directive 35").
LOOKING_BACK: frozenset[str] = frozenset(r.name for r in TABLE if r.looks_back)

RELATION_COLOURS: dict[str, str] = {r.name: r.colour for r in TABLE}


def precedence(name: str) -> int:
    """The rank of a relation type (0 is the strongest; unknown ones last)."""
    return _RANK.get(name, len(TABLE))


_RANK = {r.name: i for i, r in enumerate(TABLE)}


def label(name: str, lang: str = "vi", *, incoming: bool = False) -> str:
    """How relation ``name`` reads in ``lang`` ("vi" or "en"), from the
    asserting document or, with ``incoming``, from the cited one."""
    r = BY_NAME.get(name)
    if r is None:
        return name
    if lang == "en":
        return r.en_incoming if incoming else r.en
    return r.vi_incoming if incoming else r.vi


def css_variables() -> str:
    """The colours as CSS custom properties (``--rel-implements: #0072b2;``)
    for the site's style sheet, which uses them and defines none itself."""
    return " ".join(f"--rel-{r.name}: {r.colour};" for r in TABLE)
