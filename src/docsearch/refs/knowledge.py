"""What is known about documents beyond the text being tagged.

Resolution consults three sources, merged here: a small built-in list of
central documents (facts: number, date, issuing body), the user's registry
(``docsearch registry import``) and the documents in the store that were
identified by their own header. A number that several known documents share
(``18-NQ/TW`` of 2017 and of 2022) is how ambiguity is detected.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import Phrase, SaidError, phrase
from ..models import RegistryEntry
from .grammar import body_code
from .numbers import parse_number

if TYPE_CHECKING:
    from ..store import Store


class RegistryError(SaidError, ValueError):
    """A registry file cannot be read; the message names the row and the problem."""


@dataclass(frozen=True, slots=True)
class KnownDoc:
    """One known document: an id plus what tells it apart from its namesakes."""

    # Slots: an ingest holds one for every document of its store, in each
    # of its processes (at 100,000 documents, 8.7 MB of them; 12.5 without).

    id: str
    type: str | None
    issuer_code: str
    date: date | None
    issuer: str | None = None
    title: str | None = None
    status: str | None = None
    replaced_by: str | None = None
    origin: str = "builtin"
    body: str | None = None  # canonical issuing body: politburo, secretariat, …

    @property
    def key(self) -> str:
        """A unique key: the id, plus the date when there is one (``18-NQ/TW@2017-10-25``)."""
        return f"{self.id}@{self.date.isoformat()}" if self.date else self.id


@dataclass
class Knowledge:
    """Known documents indexed by id and by (type, number)."""

    by_id: dict[str, list[KnownDoc]] = field(default_factory=dict)
    # (type code, number) → ids, so that a short form is looked up, not searched for.
    by_number: dict[tuple[str | None, str], set[str]] = field(default_factory=dict)

    def add(self, doc: KnownDoc) -> None:
        if doc.id not in self.by_id:
            parsed = parse_number(doc.id)
            if parsed is not None:
                self.by_number.setdefault((doc.type, parsed.number), set()).add(doc.id)
        entries = self.by_id.setdefault(doc.id, [])
        # The entries are in date order, with distinct dates, or one undated
        # entry alone (any later entry merges into it): the same document is
        # the first entry when either date is missing, else the entry of its
        # date, found by bisection (a number every province reuses has
        # hundreds of entries, and a scan for each made adding them quadratic).
        at = -1
        if entries:
            if doc.date is None or entries[0].date is None:
                at = 0
            else:
                i = bisect.bisect_left(entries, doc.date, key=_date_order)
                if i < len(entries) and entries[i].date == doc.date:
                    at = i
        if at >= 0:
            # The same document from another source: keep the richer record,
            # the user's registry over the store over the built-in list.
            existing = entries[at]
            if _rank(doc.origin) >= _rank(existing.origin):
                entries[at] = _merge(doc, existing)
            else:
                entries[at] = _merge(existing, doc)
            return
        # After the entries of its date, where appending it and a stable sort
        # would put it.
        bisect.insort_right(entries, doc, key=_date_order)

    def candidates(self, doc_id: str) -> list[KnownDoc]:
        """Known documents carrying ``doc_id`` (several when the number was reused)."""
        return self.by_id.get(doc_id, [])

    def ids_for(self, types: Iterable[str], number: str) -> list[str]:
        """Known ids of the given types and number, central (TW) ones first."""
        found = {i for t in set(types) for i in self.by_number.get((t, number), ())}
        return sorted(found, key=lambda i: (not i.endswith("/TW"), i))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_id.values())

    def __bool__(self) -> bool:
        # What `knowledge or default_knowledge()` asks for every text tagged:
        # without this, Python counts every entry (len) to answer it. An id
        # is listed only with an entry, so any id means an entry.
        return bool(self.by_id)

    @classmethod
    def builtin(cls) -> Knowledge:
        """The built-in list of central documents shipped with docsearch."""
        k = cls()
        text = resources.files("docsearch").joinpath("data/central.csv").read_text("utf-8")
        for entry in read_registry_csv(text, source="built-in list"):
            k.add(_known(entry, "builtin"))
        return k

    @classmethod
    def from_store(cls, store: Store) -> Knowledge:
        """Built-in list + the store's registry + documents identified by their header."""
        return cls._with(store, (KnownDoc(ident.id, ident.type, ident.issuer_code or "", ident.date,
                                          issuer=ident.issuer, title=ident.title, origin="store",
                                          body=body_code(ident.issuer))
                                 for _, ident in store.identities()))

    @classmethod
    def for_tagging(cls, store: Store) -> Knowledge:
        """:meth:`from_store` as tagging reads it: of the documents identified
        by their header, only the id, type, issuer code and date. The tagger
        tells namesakes apart by their dates alone (and finds short forms by
        type and number), so it tags alike with either; titles and issuing
        bodies, which the checks and the graph read, would only cost memory
        here, in the ingesting process and in each of its workers (at
        100,000 stored documents, 9 MB in each against 53)."""
        return cls._with(store, _keyed(store))

    @classmethod
    def _with(cls, store: Store, stored: Iterable[KnownDoc]) -> Knowledge:
        """The built-in list, then the ``stored`` documents, then the store's
        registry: the order decides which type a number is first known by
        (see :meth:`add`), so both kinds of knowledge add them in it."""
        k = cls.builtin()
        for doc in stored:
            k.add(doc)
        for entry in store.registry():
            k.add(_known(entry, "registry"))
        return k


def _keyed(store: Store) -> Iterator[KnownDoc]:
    """The documents of ``store`` identified by their header, with only their
    id, type, issuer code and date (see :meth:`Knowledge.for_tagging`)."""
    # Ids repeat from namesake to namesake, types and codes from document
    # to document, and dates by the day: one object each.
    intern = sys.intern
    days: dict[str, date] = {}
    for doc_id, doc_type, code, day in store.identity_keys():
        if not doc_id:
            continue
        when = None
        if day:
            when = days.get(day)
            if when is None:
                when = days[day] = date.fromisoformat(day)
        yield KnownDoc(intern(doc_id), intern(doc_type) if doc_type else doc_type,
                       intern(code) if code else "", when, origin="store")


def _date_order(doc: KnownDoc) -> date:
    return doc.date or date.min


def _rank(origin: str) -> int:
    return {"builtin": 0, "store": 1, "registry": 2}.get(origin, 0)


def _merge(primary: KnownDoc, other: KnownDoc) -> KnownDoc:
    return KnownDoc(
        id=primary.id,
        type=primary.type or other.type,
        issuer_code=primary.issuer_code or other.issuer_code,
        date=primary.date or other.date,
        issuer=primary.issuer or other.issuer,
        title=primary.title or other.title,
        status=primary.status or other.status,
        replaced_by=primary.replaced_by or other.replaced_by,
        origin=primary.origin,
        # A letterhead reads "Ban Chấp hành Trung ương" whichever organ issued
        # the document: a body from a list beats one read from a header.
        body=(other.body if primary.origin == "store" and other.body else primary.body or other.body),
    )


def _known(e: RegistryEntry, origin: str) -> KnownDoc:
    return KnownDoc(e.id, e.type, e.issuer_code, e.date, issuer=e.issuer, title=e.title,
                    status=e.status, replaced_by=e.replaced_by, origin=origin, body=body_code(e.issuer))


REGISTRY_FIELDS = ("number", "type", "issuer", "date", "title", "status", "replaced_by")


def _entry_from_row(row: dict[str, str], where: Phrase) -> RegistryEntry:
    raw_number = (row.get("number") or row.get("id") or "").strip()
    if not raw_number:
        raise RegistryError(phrase("{where}: no 'number' (e.g. 57-NQ/TW or 13/2023/NĐ-CP)", where=where))
    parsed = parse_number(raw_number)
    if parsed is None:
        raise RegistryError(phrase("{where}: '{number}' is not a document number docsearch understands (Party: "
                                   "57-NQ/TW, State: 13/2023/NĐ-CP or 123/QĐ-UBND)", where=where, number=raw_number))
    raw_date = (row.get("date") or "").strip()
    when: date | None = None
    if raw_date:
        try:
            when = date.fromisoformat(raw_date)
        except ValueError:
            raise RegistryError(phrase("{where}: date '{date}' is not YYYY-MM-DD", where=where,
                                       date=raw_date)) from None
    replaced = (row.get("replaced_by") or "").strip() or None
    if replaced:
        rp = parse_number(replaced)
        replaced = rp.id if rp else replaced
    issuer_body = (row.get("issuer_body") or "").strip() or None
    issuer_field = (row.get("issuer") or "").strip()
    # "issuer" may be the code (TW) or a body name ("Bộ Chính trị"); the code
    # is in the number anyway, so a name here is kept as the body.
    if issuer_field and issuer_field.upper() != parsed.issuer_code.upper() and not issuer_body:
        issuer_body = issuer_field
    return RegistryEntry(
        id=parsed.id,
        number=parsed.number,
        type=(row.get("type") or "").strip() or parsed.type,
        issuer_code=parsed.issuer_code,
        date=when,
        title=(row.get("title") or "").strip() or None,
        status=(row.get("status") or "").strip() or None,
        replaced_by=replaced,
        issuer=issuer_body,
    )


def read_registry_csv(text: str, source: str = "registry") -> list[RegistryEntry]:
    """Parse registry rows from CSV text with a header row."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not ({"number", "id"} & {f.strip() for f in reader.fieldnames}):
        raise RegistryError(phrase("{file}: the first row must name the columns, including 'number' (columns: "
                                   "{columns})", file=source, columns=", ".join(REGISTRY_FIELDS)))
    rows = []
    for line, row in enumerate(reader, start=2):
        clean = {(k or "").strip(): (v or "") for k, v in row.items()}
        rows.append(_entry_from_row(clean, phrase("{file}, line {line}", file=source, line=line)))
    return rows


def read_registry_file(path: str | Path) -> list[RegistryEntry]:
    """Read a registry from a ``.csv`` file or a ``.json`` list of objects."""
    p = Path(path)
    try:
        text = p.read_text("utf-8-sig")
    except OSError as exc:
        raise RegistryError(phrase("{file}: cannot read: {error}", file=p, error=exc.strerror)) from exc
    except UnicodeDecodeError:
        raise RegistryError(phrase("{file}: not UTF-8 text; save it as UTF-8", file=p)) from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RegistryError(phrase("{file}: invalid JSON at line {line}: {error}", file=p, line=exc.lineno,
                                       error=exc.msg)) from None
        if isinstance(data, dict):
            data = data.get("documents", [data])
        if not isinstance(data, list):
            raise RegistryError(phrase("{file}: expected a list of objects with {columns}", file=p,
                                       columns=", ".join(REGISTRY_FIELDS)))
        out = []
        for i, row in enumerate(data, start=1):
            if not isinstance(row, dict):
                raise RegistryError(phrase("{where}: expected an object", where=phrase("{file}, item {n}", file=p, n=i)))
            out.append(_entry_from_row({k: "" if v is None else str(v) for k, v in row.items()},
                                       phrase("{file}, item {n}", file=p, n=i)))
        return out
    if p.suffix.lower() == ".csv":
        return read_registry_csv(text, source=str(p))
    raise RegistryError(phrase("{file}: registry files must be .csv or .json", file=p))
