"""The query language: words, "phrases", AND/OR/NOT, ( ), field filters.

A query string becomes a tree of frozen nodes (:class:`Query`), which any
engine can translate. Runs of plain words are given to the reference tagger
first, so "Resolution 57", "NQ 57", "57-NQ/TW" and "Nghị quyết 57" become a
:class:`DocRef` for 57-NQ/TW instead of a search for the digits 57; there is
no second grammar of document numbers here.

Precedence, tightest first: ``-``/``NOT``, ``OR``, then the implicit AND
between neighbours, so ``nghị quyết 57 OR 68`` reads ``nghị AND quyết AND
(57 OR 68)`` as a web search would. Anything that cannot be understood
raises :class:`QueryError` with a message that names the problem.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..i18n import Count, Listed, phrase
from ..refs.folding import fold
from ..refs.signals import may_cite
from .errors import QueryError

# The tagger and the grammar's patterns are loaded only when a query needs
# them (a run of words that may cite a document, a type:, level: or
# reference filter): compiling them costs more than a whole plain search.
if TYPE_CHECKING:
    from ..refs import Knowledge

MAX_QUERY_CHARS = 2000
MAX_DEPTH = 32


def normalize(text: str) -> str:
    """NFC, with the look-alike ``Ð``/``ð`` (U+00D0/U+00F0) mapped to ``Đ``/``đ``.

    Decomposed text would be tokenised into broken pieces, and old fonts put
    the Icelandic eth where Vietnamese has đ; both must meet the same terms
    at index and at query time. The mapping keeps every offset.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "Ð" in text or "ð" in text:
        text = text.replace("Ð", "Đ").replace("ð", "đ")
    return text


# --- the tree -----------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """A node of a parsed query."""


@dataclass(frozen=True)
class Word(Node):
    """A bare word; several tokens inside one word (``covid-19``) form a phrase."""

    text: str


@dataclass(frozen=True)
class Phrase(Node):
    """Words in quotes, matched next to each other in that order."""

    text: str


@dataclass(frozen=True)
class DocRef(Node):
    """A document reference found in the query text by the tagger.

    It matches the document itself (its own id), documents related to it
    and documents citing it, in that order of rank, and the literal words.
    """

    id: str
    text: str
    date: date | None = None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeywordFilter(Node):
    """``type:``, ``lang:``, ``level:`` or ``source:``: any of the canonical ``values``."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class IssuerFilter(Node):
    """``issuer:``: words of the issuer's name or its code (TW, TU, UBND…)."""

    text: str


@dataclass(frozen=True)
class RangeFilter(Node):
    """``year:`` (years) or ``date:`` (YYYYMMDD numbers); bounds are inclusive."""

    field: str
    low: int | None
    high: int | None


@dataclass(frozen=True)
class RefFilter(Node):
    """``cites:``, ``implements:`` or ``id:``: any of the canonical ids."""

    field: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    child: Node


@dataclass(frozen=True)
class Query:
    """A parsed query: the tree (None matches every document) and its source."""

    text: str
    root: Node | None
    references: tuple[DocRef, ...] = field(default=())

    @property
    def interpreted(self) -> str:
        """How the query was read, in the query language itself."""
        return render(self.root) if self.root is not None else "*"

    @property
    def scored(self) -> bool:
        """Whether anything in the query ranks documents (not only filters)."""
        return any(isinstance(n, (Word, Phrase, DocRef)) for n, neg in walk(self.root) if not neg)

    def positive_terms(self) -> list[Node]:
        """Words, phrases and references that are searched for (not excluded)."""
        return [n for n, neg in walk(self.root) if not neg and isinstance(n, (Word, Phrase, DocRef))]


def walk(node: Node | None, negated: bool = False) -> Iterator[tuple[Node, bool]]:
    """Every node with whether it sits under an odd number of NOTs."""
    if node is None:
        return
    yield node, negated
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from walk(child, negated)
    elif isinstance(node, Not):
        yield from walk(node.child, not negated)


def _quote(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def render(node: Node) -> str:
    """The canonical text of a node, e.g. ``ref:57-NQ/TW AND type:CTr``."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return _quote(node.text)
    if isinstance(node, DocRef):
        return f"ref:{node.id}" + (f"@{node.date.isoformat()}" if node.date else "")
    if isinstance(node, KeywordFilter):
        return f"{node.field}:{','.join(node.values)}"
    if isinstance(node, IssuerFilter):
        return f"issuer:{_quote(node.text) if ' ' in node.text else node.text}"
    if isinstance(node, RefFilter):
        return f"{node.field}:{','.join(node.ids)}"
    if isinstance(node, RangeFilter):
        def show(v: int | None) -> str:
            if v is None:
                return ""
            if node.field == "date":
                s = f"{v:08d}"
                return f"{s[:4]}-{s[4:6]}-{s[6:]}"
            return str(v)
        if node.low is not None and node.low == node.high:
            return f"{node.field}:{show(node.low)}"
        return f"{node.field}:{show(node.low)}..{show(node.high)}"
    if isinstance(node, And):
        return " AND ".join(render(c) for c in node.children)
    if isinstance(node, Or):
        # A group ANDed inside an OR keeps its brackets: "(kế AND hoạch) OR ...".
        return "(" + " OR ".join(f"({render(c)})" if isinstance(c, And) else render(c) for c in node.children) + ")"
    if isinstance(node, Not):
        inner = render(node.child)
        return f"NOT {inner}" if not isinstance(node.child, And) else f"NOT ({inner})"
    raise TypeError(f"not a query node: {node!r}")


# --- lexing -------------------------------------------------------------------------

OPEN_QUOTES = '"“„«'
CLOSE_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
_BREAK = set(" \t\r\n\f\v()") | set(OPEN_QUOTES) | {"”", "»"}
_FIELD = re.compile(r"([A-Za-z_]+):")


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD PHRASE FIELD REF LPAREN RPAREN OR AND NOT MINUS
    text: str
    start: int
    end: int
    name: str = ""
    ref: DocRef | None = None


FIELDS: tuple[str, ...] = ("type", "issuer", "level", "lang", "year", "date", "cites", "implements", "id",
                           "source")
_FIELD_ALIASES = {"language": "lang", "cite": "cites", "implement": "implements", "ref": "id"}


def _read_phrase(text: str, i: int) -> tuple[str, int]:
    """The phrase opening at ``text[i]``; returns (content, index after the close)."""
    close = CLOSE_QUOTES[text[i]]
    j = i + 1
    while j < len(text) and text[j] != close and not (close == '"' and text[j] in "”"):
        j += 1
    if j >= len(text):
        raise QueryError(phrase("unbalanced quote: the phrase opened at position {at} is not closed; "
                                "add the closing {close}", at=i + 1, close=close))
    return text[i + 1:j], j + 1


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "(":
            toks.append(_Tok("LPAREN", ch, i, i + 1))
            i += 1
            continue
        if ch == ")":
            toks.append(_Tok("RPAREN", ch, i, i + 1))
            i += 1
            continue
        if ch in OPEN_QUOTES:
            content, j = _read_phrase(text, i)
            toks.append(_Tok("PHRASE", content, i, j))
            i = j
            continue
        if ch in "”»":  # a stray closing quote: nothing to search for
            i += 1
            continue
        if ch in "-+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")-+”»":
            if ch == "-":
                toks.append(_Tok("MINUS", ch, i, i + 1))
            i += 1
            continue
        j = i
        while j < n and text[j] not in _BREAK:
            j += 1
        word = text[i:j]
        m = _FIELD.match(word)
        if m and not word[m.end():].startswith("//"):
            name = m.group(1).lower()
            name = _FIELD_ALIASES.get(name, name)
            if name not in FIELDS:
                raise QueryError(phrase("unknown field '{field}:'; use one of {fields} or put the words in quotes",
                                        field=m.group(1), fields=", ".join(f + ":" for f in FIELDS)))
            value = word[m.end():]
            if not value and j < n and text[j] in OPEN_QUOTES:
                value, j = _read_phrase(text, j)
            elif not value and j < n and text[j] == "(":
                raise QueryError(phrase("'{field}:' takes one value or a comma-separated list, not a group; "
                                        "write e.g. {example}", field=m.group(1), example=_example(name)))
            if not value.strip():
                raise QueryError(phrase("'{field}:' needs a value, e.g. {example}", field=m.group(1),
                                        example=_example(name)))
            toks.append(_Tok("FIELD", value.strip(), i, j, name=name))
            i = j
            continue
        if word in ("OR", "AND", "NOT"):
            toks.append(_Tok(word, word, i, j))
        elif word == "||":
            toks.append(_Tok("OR", word, i, j))
        elif word == "&&":
            toks.append(_Tok("AND", word, i, j))
        else:
            toks.append(_Tok("WORD", word, i, j))
        i = j
    return toks


_EXAMPLES: dict[str, tuple[str, ...]] = {
    "type": ("type:NQ", "type:resolution"),
    "issuer": ("issuer:TW", 'issuer:"Quảng Ninh"'),
    "level": ("level:central", "level:provincial"),
    "lang": ("lang:vi",),
    "year": ("year:2024", "year:2024..2025"),
    "date": ("date:>=2025-01-01", "date:2024-06..2024-12"),
    "cites": ("cites:57-NQ/TW",),
    "implements": ("implements:57-NQ/TW",),
    "id": ("id:57-NQ/TW",),
    "source": ("source:ocr",),
}


def _example(name: str) -> Listed:
    """How to write the field ``name``: one or two examples, joined by "or" in the user's language."""
    return Listed(_EXAMPLES[name], " or ")


# --- references in free text ----------------------------------------------------------

def _find_references(text: str, toks: list[_Tok], knowledge: Knowledge | None) -> list[_Tok]:
    """Replace runs of words that the tagger reads as a document reference by REF tokens."""
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        if toks[i].kind != "WORD":
            out.append(toks[i])
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].kind == "WORD":
            j += 1
        out.extend(_tag_run(text, toks[i:j], knowledge))
        i = j
    return out


def _tag_run(text: str, run: list[_Tok], knowledge: Knowledge | None) -> list[_Tok]:
    base = run[0].start
    chunk = text[base:run[-1].end]
    if not may_cite(fold(chunk)):
        return run  # no digit and no word that opens a named document: the tagger would find nothing
    from ..refs import tag

    result = tag(chunk, knowledge=knowledge)
    spans: list[tuple[int, int, DocRef]] = []
    for r in result.references:
        if r.id is None:
            continue
        end = r.end
        if r.date is not None:
            # "Nghị quyết 18-NQ/TW ngày 16/6/2022": the date belongs to the reference.
            for d in result.dates:
                if d.date == r.date and 0 <= d.start - r.end <= 12:
                    end = d.end
        spans.append((base + r.start, base + end,
                      DocRef(id=r.id, text=chunk[r.start:r.end], date=r.date, candidates=r.candidates)))
    if not spans:
        return run
    out: list[_Tok] = []
    k = 0
    for tok in run:
        while k < len(spans) and spans[k][1] <= tok.start:
            k += 1
        if k < len(spans) and tok.start < spans[k][1] and tok.end > spans[k][0]:
            s, e, ref = spans[k]
            if out and out[-1].kind == "REF" and out[-1].ref is ref:
                continue  # further words of the same reference
            out.append(_Tok("REF", ref.text, s, e, ref=ref))
        else:
            out.append(tok)
    return out


# --- parsing ----------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str, toks: list[_Tok], knowledge: Knowledge | None) -> None:
        self.text = text
        self.toks = toks
        self.pos = 0
        self.depth = 0
        self.knowledge = knowledge

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        node = self.conjunction()
        tok = self.peek()
        if tok is not None:  # only an unmatched ')' stops a top-level conjunction
            raise QueryError(phrase("unbalanced parenthesis: ')' at position {at} has no matching '('; remove it",
                                    at=tok.start + 1))
        return node

    def conjunction(self) -> Node | None:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "RPAREN":
                break
            if tok.kind in ("AND", "OR"):
                self.take()  # a dangling operator joins nothing: skip it
                continue
            node = self.disjunction()
            if node is not None:
                items.append(node)
        return _and(items)

    def disjunction(self) -> Node | None:
        items: list[Node] = []
        node = self.unary()
        if node is not None:
            items.append(node)
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "OR":
                break
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RPAREN", "OR", "AND"):
                break
            node = self.unary()
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def unary(self) -> Node | None:
        tok = self.peek()
        if tok is not None and tok.kind in ("NOT", "MINUS"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RPAREN", "OR", "AND"):
                return None  # "NOT" with nothing after it excludes nothing
            child = self.unary()
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child)
        return self.primary()

    def primary(self) -> Node | None:
        tok = self.take()
        if tok.kind == "LPAREN":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(phrase("too many nested parentheses (more than {n}); simplify the query",
                                        n=MAX_DEPTH))
            inner = self.conjunction()
            close = self.peek()
            if close is None:
                raise QueryError(phrase("unbalanced parenthesis: '(' at position {at} is not closed; add ')'",
                                        at=tok.start + 1))
            self.take()
            self.depth -= 1
            return inner
        if tok.kind == "PHRASE":
            return Phrase(" ".join(tok.text.split())) if _searchable(tok.text) else None
        if tok.kind == "REF":
            assert tok.ref is not None
            return tok.ref
        if tok.kind == "FIELD":
            return _field(tok.name, tok.text, self.knowledge)
        if tok.kind == "WORD":
            return Word(tok.text) if _searchable(tok.text) else None
        # NOT / MINUS / OR / AND never reach here; an RPAREN is handled by callers
        raise QueryError(phrase("unexpected '{text}' at position {at}", text=tok.text, at=tok.start + 1))


def _searchable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _and(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, And) else (item,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


# --- field values -------------------------------------------------------------------------

@functools.cache
def _type_codes() -> dict[str, str]:
    """Folded type names and codes → the canonical code."""
    from ..refs.grammar import PARTY_TYPES, STATE_TYPES, TYPE_NAMES

    return {**{fold(c): c for c in TYPE_NAMES}, **PARTY_TYPES, **STATE_TYPES}


LANGUAGES: dict[str, str] = {
    "vi": "vi", "vie": "vi", "vietnamese": "vi", "tieng viet": "vi", "vietnamesisch": "vi",
    "en": "en", "eng": "en", "english": "en", "tieng anh": "en", "englisch": "en",
    "de": "de", "deu": "de", "ger": "de", "german": "de", "deutsch": "de", "tieng duc": "de",
    "fr": "fr", "fra": "fr", "french": "fr", "franzosisch": "fr", "tieng phap": "fr",
    "und": "und", "unknown": "und",
}


@functools.cache
def _levels() -> dict[str, str]:
    """``level:`` values (folded) → the level: every level of the issuers, and
    the words people use for them."""
    from ..refs.grammar import ISSUER_LEVEL

    return {
        **{v: v for v in set(ISSUER_LEVEL.values())},
        "trung uong": "central", "tw": "central", "tinh": "provincial", "province": "provincial",
        "huyen": "district", "nha nuoc": "state", "co so": "grassroots",
    }


if TYPE_CHECKING:
    #: The table of :func:`_levels`, made on first use (see ``__getattr__``).
    LEVELS: dict[str, str]


def __getattr__(name: str) -> Any:
    if name == "LEVELS":
        return _levels()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: ``source:``: where a document's text came from (``ocr``: at least one page
#: was read by OCR; ``text``: none was).
SOURCES: dict[str, str] = {"ocr": "ocr", "scan": "ocr", "text": "text", "van ban": "text"}


def _split_values(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _field(name: str, value: str, knowledge: Knowledge | None) -> Node:
    value = normalize(value)
    if name == "type":
        from ..refs.grammar import type_codes_for_word

        codes: list[str] = []
        for v in _split_values(value):
            f = " ".join(fold(v).split())
            codes_by_name = _type_codes()
            found: tuple[str, ...] = (codes_by_name[f],) if f in codes_by_name else type_codes_for_word(f)
            if not found:
                raise QueryError(phrase("unknown document type '{value}': use a code such as NQ, CT, KL, QĐ, CTr, "
                                        "KH, HD, BC or a word such as resolution, Chỉ thị, Richtlinie", value=v))
            codes.extend(c for c in found if c not in codes)
        return KeywordFilter("type", tuple(codes))
    if name in ("lang", "level", "source"):
        table = {"lang": LANGUAGES, "level": _levels(), "source": SOURCES}[name]
        out: list[str] = []
        for v in _split_values(value):
            key = " ".join(fold(v).split())
            if key not in table:
                known = sorted(set(table.values()))
                raise QueryError(phrase("unknown {field} '{value}': use one of {known}", field=name, value=v,
                                        known=", ".join(known)))
            if table[key] not in out:
                out.append(table[key])
        return KeywordFilter(name, tuple(out))
    if name == "issuer":
        if not _searchable(value):
            raise QueryError(phrase("'issuer:' needs a name or code, e.g. {example}", example=_example("issuer")))
        return IssuerFilter(" ".join(value.split()))
    if name in ("year", "date"):
        low, high = _range(name, value)
        return RangeFilter(name, low, high)
    ids: list[str] = []
    for v in _split_values(value):
        ref = _reference(v, knowledge)
        if ref is None:
            raise QueryError(phrase("'{filter}' is not a document reference; write a number such as 57-NQ/TW, "
                                    "13/2023/NĐ-CP or \"Nghị quyết 57\" in quotes", filter=f"{name}:{v}"))
        if ref not in ids:
            ids.append(ref)
    return RefFilter(name, tuple(ids))


def _reference(value: str, knowledge: Knowledge | None) -> str | None:
    from ..refs import parse_number, tag

    number = parse_number(value)
    if number is not None:
        return number.id
    found = [r for r in tag(value, knowledge=knowledge).references if r.id]
    return found[0].id if len(found) == 1 else None


_YEAR = re.compile(r"\d{4}")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def _bound(name: str, text: str, upper: bool) -> int:
    """The first (or, for an upper bound, last) year or YYYYMMDD day ``text`` covers."""
    if name == "year":
        if not _YEAR.fullmatch(text):
            raise QueryError(phrase("'{filter}' is not a year; write e.g. {example}", filter=f"year:{text}",
                                    example=_example("year")))
        return int(text)
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    else:
        m = _DMY.fullmatch(text)
        if not m:
            raise QueryError(phrase("'{filter}' is not a date; write e.g. {example}", filter=f"date:{text}",
                                    example=_example("date")))
        y, mo, d = int(m.group(3)), m.group(2), m.group(1)
    month = int(mo) if mo else (12 if upper else 1)
    try:
        if d:
            day = date(y, month, int(d))
        elif upper:
            nxt = date(y + (month == 12), month % 12 + 1, 1)
            day = date.fromordinal(nxt.toordinal() - 1)
        else:
            day = date(y, month, 1)
    except ValueError:
        raise QueryError(phrase("'{filter}' is not a valid date; write e.g. {example}", filter=f"date:{text}",
                                example=_example("date"))) from None
    return day.year * 10000 + day.month * 100 + day.day


def _range(name: str, value: str) -> tuple[int | None, int | None]:
    v = value.replace(" ", "")
    for op in (">=", "<=", ">", "<"):
        if v.startswith(op):
            rest = v[len(op):]
            if not rest:
                break
            if op[0] == ">":
                b = _bound(name, rest, upper=op == ">")
                return (_next(name, b) if op == ">" else b), None
            b = _bound(name, rest, upper=op == "<=")
            return None, (_prev(name, b) if op == "<" else b)
    if ".." in v:
        lo_s, _, hi_s = v.partition("..")
        if not lo_s and not hi_s:
            raise QueryError(phrase("'{filter}' has no bounds; write e.g. {example}", filter=f"{name}:{value}",
                                    example=_example(name)))
        low = _bound(name, lo_s, upper=False) if lo_s else None
        high = _bound(name, hi_s, upper=True) if hi_s else None
        if low is not None and high is not None and low > high:
            raise QueryError(phrase("'{filter}' is an empty range: the start is after the end",
                                    filter=f"{name}:{value}"))
        return low, high
    return _bound(name, v, upper=False), _bound(name, v, upper=True)


def _next(name: str, b: int) -> int:
    if name == "year":
        return b + 1
    d = date(b // 10000, b // 100 % 100, b % 100)
    n = date.fromordinal(d.toordinal() + 1) if d < date.max else d
    return n.year * 10000 + n.month * 100 + n.day


def _prev(name: str, b: int) -> int:
    if name == "year":
        return b - 1
    d = date(b // 10000, b // 100 % 100, b % 100)
    p = date.fromordinal(d.toordinal() - 1) if d > date.min else d
    return p.year * 10000 + p.month * 100 + p.day


# --- entry point -----------------------------------------------------------------------

def parse_query(text: str, *, knowledge: Knowledge | None = None) -> Query:
    """Parse a query string (see the module docstring and docs/search.md).

    Raises :class:`QueryError` for unbalanced quotes or parentheses, unknown
    fields, empty or malformed field values. A query with nothing to search
    for (only punctuation) is an error too; one with only filters matches
    every document they allow.
    """
    if not isinstance(text, str):
        raise QueryError(phrase("the query must be text"))
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(phrase("the query is too long ({n} characters; at most {most})", n=Count(len(text)),
                                most=Count(MAX_QUERY_CHARS)))
    text = normalize(text).replace("\x00", " ")
    toks = _find_references(text, _lex(text), knowledge)
    root = _Parser(text, toks, knowledge).parse()
    if root is None:
        raise QueryError(phrase("nothing to search for: type words, a \"phrase\", a document number such as "
                                "57-NQ/TW or a filter such as type:NQ"))
    if isinstance(root, Not):
        # "-foo" alone: everything except foo
        root = And((root,))
    refs = tuple(n for n, _ in walk(root) if isinstance(n, DocRef))
    return Query(text=text, root=root, references=refs)
