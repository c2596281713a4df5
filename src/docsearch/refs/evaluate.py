"""Measure the tagger against annotated texts.

The annotation format (see ``tests/data/tagged/README.md``): optional ``%% key=value``
lines at the top, then the text with each mention written inline as
``⟦surface|id=57-NQ/TW|date=2024-12-22|rel=implements|src=46-CTr/TU⟧``;
a mention without ``id`` is a standalone date.

A predicted reference matches a gold mention when their spans overlap; it is
correct when the ids agree (``id=?`` expects an unresolved reference).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..models import TagResult
from .grammar import PARTY_NUMBER, STATE_ADMIN, STATE_NORMATIVE, fold
from .knowledge import Knowledge
from .tagger import tag

_MARK = re.compile(r"⟦([^⟦⟧|]*)((?:\|[^⟦⟧|]*)*)⟧")


@dataclass(frozen=True)
class GoldMention:
    """One annotated mention (a reference, or a standalone date when ``id`` is None)."""

    start: int
    end: int
    surface: str
    id: str | None
    date: date | None = None
    rel: str | None = None
    src: str | None = None
    ambiguous: bool = False
    by: str | None = None
    numbered: bool = False


@dataclass(frozen=True)
class AnnotatedText:
    """A plain text with its gold mentions and metadata."""

    name: str
    text: str
    lang: str
    self_id: str | None
    self_date: date | None
    mentions: tuple[GoldMention, ...]


def _is_numbered(surface: str) -> bool:
    f = fold(surface)
    return any(p.search(f) for p in (PARTY_NUMBER, STATE_NORMATIVE, STATE_ADMIN))


def parse_annotated(raw: str, name: str = "") -> AnnotatedText:
    """Split ``raw`` into plain text and gold mentions."""
    meta: dict[str, str] = {}
    lines = raw.split("\n")
    while lines and lines[0].startswith("%% "):
        body = lines.pop(0)[3:]
        if body.startswith("note="):
            meta["note"] = body[5:]
            continue
        for part in body.split():
            key, _, value = part.partition("=")
            meta[key] = value
    source = "\n".join(lines)
    out: list[str] = []
    mentions: list[GoldMention] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(source):
        out.append(source[pos:m.start()])
        length += m.start() - pos
        surface = m.group(1)
        fields: dict[str, str] = {}
        for item in m.group(2).split("|")[1:]:
            key, _, value = item.partition("=")
            fields[key] = value
        start = length
        out.append(surface)
        length += len(surface)
        doc_id = fields.get("id")
        mentions.append(GoldMention(
            start=start, end=length, surface=surface,
            id=None if doc_id is None else (None if doc_id == "?" else doc_id),
            date=date.fromisoformat(fields["date"]) if fields.get("date") else None,
            rel=fields.get("rel"), src=fields.get("src"), ambiguous=fields.get("amb") == "1",
            by=fields.get("by"), numbered=_is_numbered(surface) if doc_id is not None else False,
        ))
        if doc_id == "?":
            mentions[-1] = GoldMention(**{**mentions[-1].__dict__, "id": "?"})
        pos = m.end()
    out.append(source[pos:])
    return AnnotatedText(
        name=name, text="".join(out), lang=meta.get("lang", "und"), self_id=meta.get("self"),
        self_date=date.fromisoformat(meta["self_date"]) if meta.get("self_date") else None,
        mentions=tuple(mentions),
    )


def load_folder(folder: str | Path) -> list[AnnotatedText]:
    """Every ``*.txt`` annotated text in a folder, by name."""
    return [parse_annotated(p.read_text("utf-8"), p.name) for p in sorted(Path(folder).glob("*.txt"))]


@dataclass
class Counts:
    """True positives, false positives and false negatives for one measure."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    """How many of a total were right."""

    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total}"


@dataclass
class Score:
    """Precision/recall by kind of mention, and accuracy of what is attached to them."""

    numbered: Counts = field(default_factory=Counts)
    short: Counts = field(default_factory=Counts)
    dates_attached: Ratio = field(default_factory=Ratio)
    relation_type: Ratio = field(default_factory=Ratio)
    ambiguity: Ratio = field(default_factory=Ratio)
    standalone_dates: Counts = field(default_factory=Counts)
    self_id: Ratio = field(default_factory=Ratio)
    errors: list[str] = field(default_factory=list)

    @property
    def all_refs(self) -> Counts:
        return Counts(self.numbered.tp + self.short.tp, self.numbered.fp + self.short.fp,
                      self.numbered.fn + self.short.fn)

    def add(self, other: Score) -> None:
        for name in ("numbered", "short", "standalone_dates"):
            a, b = getattr(self, name), getattr(other, name)
            a.tp, a.fp, a.fn = a.tp + b.tp, a.fp + b.fp, a.fn + b.fn
        for name in ("dates_attached", "relation_type", "ambiguity", "self_id"):
            a, b = getattr(self, name), getattr(other, name)
            a.right, a.total = a.right + b.right, a.total + b.total
        self.errors.extend(other.errors)


def score_text(doc: AnnotatedText, result: TagResult) -> Score:
    """Compare the tagger's result for ``doc.text`` with the gold mentions."""
    s = Score()
    gold_refs = [g for g in doc.mentions if g.id is not None]
    gold_dates = [g for g in doc.mentions if g.id is None]
    used: set[int] = set()
    for g in gold_refs:
        hit = None
        for i, r in enumerate(result.references):
            if i not in used and r.start < g.end and g.start < r.end and r.key is None:
                hit = i
                break
        bucket = s.numbered if g.numbered else s.short
        if hit is None:
            bucket.fn += 1
            s.errors.append(f"{doc.name}: missed {g.surface!r} ({g.id})")
            continue
        used.add(hit)
        r = result.references[hit]
        expected = None if g.id == "?" else g.id
        if r.id != expected:
            bucket.fn += 1
            bucket.fp += 1
            s.errors.append(f"{doc.name}: {g.surface!r} read as {r.id}, expected {g.id}")
            continue
        bucket.tp += 1
        if g.date is not None or r.date is not None:
            s.dates_attached.total += 1
            if g.date == r.date:
                s.dates_attached.right += 1
            else:
                s.errors.append(f"{doc.name}: {g.surface!r} date {r.date}, expected {g.date}")
        if g.rel is not None:
            s.relation_type.total += 1
            if g.rel == r.relation:
                s.relation_type.right += 1
            else:
                s.errors.append(f"{doc.name}: {g.surface!r} relation {r.relation}, expected {g.rel}")
        s.ambiguity.total += 1
        if g.ambiguous == r.ambiguous:
            s.ambiguity.right += 1
        else:
            s.errors.append(f"{doc.name}: {g.surface!r} ambiguous={r.ambiguous}, expected {g.ambiguous}")
    for i, r in enumerate(result.references):
        if i in used or r.key is not None:
            # Documents cited only by name ("Luật Đầu tư công", "the Party
            # Charter") are not annotated in this format: not counted either way.
            continue
        # A prediction inside a gold mention that matched another prediction is
        # a split, counted once as a false positive of the right kind.
        inside = next((g for g in gold_refs if r.start < g.end and g.start < r.end), None)
        numbered = _is_numbered(r.text)
        (s.numbered if numbered else s.short).fp += 1
        s.errors.append(f"{doc.name}: spurious {r.text!r} ({r.id})" + (" inside a gold mention" if inside else ""))
    predicted_dates = list(result.dates)
    for g in gold_dates:
        if any(d.start < g.end and g.start < d.end and d.date == g.date for d in predicted_dates):
            s.standalone_dates.tp += 1
        else:
            s.standalone_dates.fn += 1
            s.errors.append(f"{doc.name}: missed date {g.surface!r}")
    if doc.self_id is not None:
        s.self_id.total += 1
        if result.self is not None and result.self.id == doc.self_id and (
            doc.self_date is None or result.self.date == doc.self_date
        ):
            s.self_id.right += 1
        else:
            got = f"{result.self.id} {result.self.date}" if result.self else None
            s.errors.append(f"{doc.name}: own id {got}, expected {doc.self_id} {doc.self_date}")
    return s


def evaluate(docs: list[AnnotatedText], knowledge: Knowledge | None = None) -> dict[str, Score]:
    """Scores per language and ``"all"``."""
    by_lang: dict[str, Score] = defaultdict(Score)
    total = Score()
    for doc in docs:
        result = tag(doc.text, lang=doc.lang, knowledge=knowledge)
        sc = score_text(doc, result)
        by_lang[doc.lang].add(sc)
        total.add(sc)
    out = dict(sorted(by_lang.items()))
    out["all"] = total
    return out
