"""Typed values passed between the layers: documents, references, dates, relations.

Everything here is a frozen dataclass so values can be hashed, compared and
shared between processes without surprises. ``to_json`` methods produce the
public JSON shapes documented in the README.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .relation_types import RELATION_PRECEDENCE

if TYPE_CHECKING:
    from .i18n import Sayable

#: Every relation type, strongest first (see relation_types for labels and colours).
RELATION_TYPES: tuple[str, ...] = RELATION_PRECEDENCE


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed official document number.

    ``id`` is the canonical form without the year for Party documents
    (``57-NQ/TW``) and with it for State normative documents
    (``13/2023/NĐ-CP``); ``system`` is ``party`` or ``state``.
    """

    id: str
    number: str
    type: str | None
    issuer_code: str
    system: str
    year: int | None = None


# Slots: a long text holds hundreds of thousands of references and dates,
# and a per-instance dict would triple what each one costs.
@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text; ``start``/``end`` are offsets into the NFC text."""

    start: int
    end: int
    text: str
    date: date

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "date": self.date.isoformat()}


@dataclass(frozen=True, slots=True)
class Reference:
    """One mention of an official document in a text.

    ``id`` is the canonical id it resolves to, or None when it stays
    unresolved (``status`` says why). ``candidates`` lists the documents a
    bare number could mean when ``status == "ambiguous"``.
    """

    start: int
    end: int
    text: str
    id: str | None
    type: str | None
    number: str | None
    issuer_code: str | None
    year: int | None = None
    date: date | None = None
    issuer: str | None = None
    short_form: bool = False
    relation: str = "cites"
    status: str = "resolved"
    candidates: tuple[str, ...] = ()
    term: int | None = None
    type_word: str | None = None
    #: The issuing body in full, as the citation (or its context) names it:
    #: "Ủy ban nhân dân tỉnh Nghệ An", "Bộ Tài chính"; ``issuer`` is its kind.
    issuer_name: str | None = None
    issuer_place: str | None = None
    #: The document that does ``relation`` to this one when it is not the
    #: text's own ("Kế hoạch 207-KH/TU … về triển khai Chỉ thị 35").
    source: str | None = None
    #: For a document cited by name ("Luật Đầu tư công"): a stable key of
    #: type and name (``L:dau tu cong``); ``id`` is set only where the text
    #: gives its number, and ``status`` is ``named`` where it does not.
    key: str | None = None

    @property
    def ambiguous(self) -> bool:
        return self.status == "ambiguous"

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of a reference (see README, "refs JSON")."""
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "number": self.number,
            "issuer_code": self.issuer_code,
            "year": self.year,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "short_form": self.short_form,
            "relation": self.relation,
            "status": self.status,
            "candidates": list(self.candidates),
            "term": self.term,
            "type_word": self.type_word,
            "issuer_name": self.issuer_name,
            "issuer_place": self.issuer_place,
            "source": self.source,
            "key": self.key,
        }


_T = TypeVar("_T")


def slot_constructor(cls: type[_T]) -> type[_T]:
    """A function that makes the same object as ``cls(...)``, with the same
    parameters and defaults, for a frozen dataclass with slots, setting each
    slot through its descriptor. The ``__init__`` a frozen dataclass gets
    calls ``object.__setattr__`` for each field, which looks the name up
    every time: a reference has twenty fields, and the tagger makes one or
    two per citation."""
    own = fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or any(f.default_factory is not MISSING or not f.init for f in own):
        raise TypeError(f"{cls.__name__}: only plain fields are set directly")
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    params = []
    lines = ["    o = _new(_cls)"]
    for f in own:
        env[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        lines.append(f"    _set_{f.name}(o, {f.name})")
    # Generated as the dataclass's own __init__ is: a call with named
    # parameters binds them in C.
    exec("def make(" + ", ".join(params) + "):\n" + "\n".join(lines) + "\n    return o\n", env)
    # Typed as the class itself so that mypy checks each call's arguments
    # against the dataclass's fields; the function is only ever called.
    return cast("type[_T]", env["make"])


#: ``Reference(...)``, ``DocNumber(...)`` and ``DateMention(...)``, made
#: faster (see :func:`slot_constructor`).
new_reference = slot_constructor(Reference)
new_doc_number = slot_constructor(DocNumber)
new_date_mention = slot_constructor(DateMention)


@dataclass(frozen=True)
class Relation:
    """A typed link between two documents, with the sentence asserting it."""

    source: str
    target: str
    type: str
    evidence: str
    evidence_start: int = 0
    evidence_end: int = 0
    target_date: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "evidence": self.evidence,
            "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end,
            "target_date": self.target_date.isoformat() if self.target_date else None,
        }


@dataclass(frozen=True)
class Identity:
    """A document's own identity, read from its header block."""

    id: str
    type: str | None
    issuer: str | None
    date: date | None = None
    issuer_code: str | None = None
    title: str | None = None
    place: str | None = None
    start: int = 0
    end: int = 0
    #: Where the title under the type heading is, and where the header ends
    #: (offsets; not part of the JSON): relations read cues from the title.
    title_start: int | None = None
    title_end: int | None = None
    header_end: int | None = None
    #: The kind of the issuing body (``peoples_committee``, ``ministry`` …;
    #: see :data:`docsearch.refs.issuers.KINDS`).
    issuer_kind: str | None = None

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "issuer": self.issuer,
            "issuer_code": self.issuer_code,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "place": self.place,
            "issuer_kind": self.issuer_kind,
        }


@dataclass(frozen=True)
class TagResult:
    """Everything the tagger found in one text."""

    self: Identity | None
    references: tuple[Reference, ...]
    dates: tuple[DateMention, ...]
    relations: tuple[Relation, ...]

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if file is not None:
            out["file"] = file
        out["self"] = self.self.to_json() if self.self else None
        out["references"] = [r.to_json() for r in self.references]
        out["dates"] = [d.to_json() for d in self.dates]
        out["relations"] = [r.to_json() for r in self.relations]
        return out


@dataclass(frozen=True)
class Document:
    """A stored document: its source, its clean text and what was read from it."""

    doc_id: int
    path: str
    sha256: str
    format: str
    lang: str
    title: str | None
    text: str
    page_starts: tuple[int, ...]
    #: Said in the reader's language where shown; ``str()`` of each is its
    #: English (a document stored before they were kept as phrases has text).
    warnings: tuple[str | Sayable, ...] = ()
    size: int = 0
    encoding: str | None = None
    identity: Identity | None = None
    copies: tuple[str, ...] = ()  # other paths with the same content

    def page_of(self, offset: int) -> int:
        """1-based page of a character offset into ``text``."""
        from .extract.base import page_at

        return page_at(self.page_starts, offset)

    def summary_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc_id,
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "lang": self.lang,
            "title": self.title,
            "pages": len(self.page_starts),
            "chars": len(self.text),
            "warnings": [str(w) for w in self.warnings],
            "self": self.identity.to_json() if self.identity else None,
            "copies": list(self.copies),
        }


@dataclass(frozen=True)
class RegistryEntry:
    """A document known from a user-supplied registry file."""

    id: str
    number: str
    type: str | None
    issuer_code: str
    date: date | None = None
    title: str | None = None
    status: str | None = None
    replaced_by: str | None = None
    issuer: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass
class Failure:
    """A file that could not be ingested, with a reason and a hint for the
    user (``reason``, in English; ``said``, when given, says it in any of the
    interface's languages)."""

    file: str
    reason: str
    said: Sayable | None = field(default=None, compare=False)

    @classmethod
    def of(cls, file: str, said: str | Sayable) -> Failure:
        """The failure of ``file`` whose reason is ``said`` (a phrase, or English text)."""
        return cls(file, str(said), None if isinstance(said, str) else said)

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass
class IngestSummary:
    """What one ``ingest`` run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # paths whose content another stored path has
    ignored: list[Failure] = field(default_factory=list)  # links not followed, loops, FIFOs: not read
    retagged: int = 0
    fulltext: dict[str, Any] | None = None
    fulltext_error: str | None = None
    seconds: float = 0.0
    #: The largest resident memory, in MB, of the process that ran the
    #: ingest and of the largest of its worker processes (or of a program
    #: one of them ran, Tesseract for one), as the operating system keeps
    #: them: high-water marks over the process's whole life so far (for a
    #: command line run, the run's own). None where it does not tell.
    peak_mb: float | None = None
    worker_peak_mb: float | None = None

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
            "failed": [f.to_json() for f in self.failed],
            "skipped": len(self.skipped),
            "duplicates": len(self.duplicates),
            "ignored": [f.to_json() for f in self.ignored],
            "retagged": self.retagged,
            "fulltext": self.fulltext,
            "seconds": round(self.seconds, 3),
            "peak_memory_mb": {"process": _rounded(self.peak_mb), "worker": _rounded(self.worker_peak_mb)},
        }


def _rounded(mb: float | None) -> float | None:
    return None if mb is None else round(mb, 1)


@dataclass(frozen=True)
class OcrPage:
    """A page whose text was read by OCR: its 1-based number, the engine's
    mean word confidence (0-100; None when it found no words) and how many
    words it read."""

    page: int
    confidence: float | None
    words: int = 0

    def to_json(self) -> dict[str, Any]:
        conf = round(self.confidence, 1) if self.confidence is not None else None
        return {"page": self.page, "source": "ocr", "confidence": conf, "words": self.words}


def ocr_summary(pages: list[OcrPage] | tuple[OcrPage, ...], total: int) -> str:
    """Which pages were read by OCR and how well, for people:
    'pages 2-4 of 5, mean confidence 91%' (the worst page named when poor)."""
    numbers = [p.page for p in pages]
    if not numbers:
        return "none"
    if len(numbers) == total:
        where = "every page" if total > 1 else "the page"
    else:
        where = ("page " if len(numbers) == 1 else "pages ") + _ranges(numbers) + f" of {total}"
    scored = [p for p in pages if p.confidence is not None]
    if not scored:
        return where
    mean = sum(p.confidence or 0.0 for p in scored) / len(scored)
    text = f"{where}, mean confidence {mean:.0f}%"
    worst = min(scored, key=lambda p: p.confidence or 0.0)
    if len(scored) > 1 and (worst.confidence or 0.0) < 80:
        text += f" (lowest: page {worst.page}, {worst.confidence:.0f}%)"
    return text


def _ranges(numbers: list[int]) -> str:
    """'1-3, 5' for [1, 2, 3, 5]."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)
