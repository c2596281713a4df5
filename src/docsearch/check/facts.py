"""What the checker knows about documents: dates, issuing bodies, replacements.

Three sources, as for the tagger: the built-in list of central documents,
the user's registry, and the store (documents identified by their header,
and the replacements and repeals that stored texts state). Issuing bodies
come only from the built-in list and the registry: a Party document's header
always reads "BAN CHẤP HÀNH TRUNG ƯƠNG", whichever body issued it, so a
header says nothing about whether the Politburo or the Secretariat did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..refs.grammar import BODY_CODES, ISSUER_LEVEL, LETTER_ISSUERS, body_code, fold
from ..refs.knowledge import Knowledge, KnownDoc
from ..refs.numbers import parse_number

if TYPE_CHECKING:
    from ..store import Store

#: Body keys the tagger gives ``Reference.issuer``.
BODY_KEYS = BODY_CODES

# Registry statuses (folded, spaces and underscores alike) meaning the
# document is no longer in force.
_REPLACED = frozenset({"replaced", "superseded", "thay the", "da bi thay the", "ersetzt"})
_REPEALED = frozenset({"repealed", "abolished", "annulled", "revoked", "expired", "het hieu luc",
                       "bai bo", "da bi bai bo", "aufgehoben"})

# Words of header issuer lines that are not the place: bodies, the Party's
# and the State's names, and the separators DOCX headers leave.
_NOT_PLACE = re.compile(
    r"\b(?:dang cong san viet nam|cong hoa xa hoi chu nghia viet nam|ban thuong vu|ban chap hanh|"
    r"tinh uy|thanh uy|huyen uy|quan uy|thi uy|dang uy khoi|dang uy|uy ban nhan dan|hoi dong nhan dan)\b"
)
# "Tỉnh Quảng Ninh", "Thành phố Đà Nẵng": the kind of place before its name.
_PLACE_KIND = re.compile(r"^(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong) ")


def body_key(name: str | None) -> str | None:
    """The body key (``politburo``, ``secretariat``, ...) of an issuer name or key."""
    return body_code(name, whole=True)


def issuer_code_of(doc_id: str) -> str:
    """The issuing code of a canonical id: ``TW`` of ``57-NQ/TW``, ``CP`` of
    ``13/2023/NĐ-CP``, ``UBND`` of ``123/QĐ-UBND``."""
    parsed = parse_number(doc_id)
    if parsed is not None:
        return parsed.issuer_code.split("-", 1)[0]
    return doc_id.rsplit("/", 1)[-1].rsplit("-", 1)[-1]


def is_national(doc_id: str) -> bool:
    """Whether an id names one document nationwide (``57-NQ/TW``,
    ``13/2023/NĐ-CP``), as opposed to one per province or district
    (``46-CTr/TU``, ``123/QĐ-UBND``), where the place tells them apart."""
    code = issuer_code_of(doc_id)
    level = ISSUER_LEVEL.get(code)
    if level == "central":
        return True
    if code in ("UBND", "HĐND"):
        return False
    if level == "state" or code.startswith("QH"):
        return True
    parsed = parse_number(doc_id)
    if parsed is not None and parsed.system == "state" and parsed.year is not None:
        return True  # a legal normative document of a ministry or central body
    # Ministries (BTC, BNV, BKHĐT, ...) issue nationwide; other codes (TU, HU,
    # ĐU, BCĐ, ...) exist once per province, district or organisation.
    return fold(code) in LETTER_ISSUERS


def number_restarts_yearly(doc_id: str) -> bool:
    """State administrative numbers (``1131/QĐ-TTg``) restart every year and
    carry no year, so the same id is a different document each year."""
    parsed = parse_number(doc_id)
    return parsed is not None and parsed.system == "state" and parsed.year is None


def place_of(issuer: str | None) -> str | None:
    """The most specific place name in an issuer line, folded
    (``Huyện ủy Gia Bình Bắc Ninh`` → ``gia binh``), or None."""
    if not issuer:
        return None
    line = _NOT_PLACE.sub(" ", " ".join(fold(issuer).replace("|", " ").split()))
    words = _PLACE_KIND.sub("", " ".join(re.sub(r"[^a-z0-9 ]", " ", line).split())).split()
    if len(words) < 2:
        return None
    return " ".join(words[:2])


@dataclass(frozen=True)
class Supersession:
    """A document no longer in force: replaced or repealed, by what, said where."""

    target: str
    kind: str  # "replaced" or "repealed"
    by: str | None = None
    by_date: date | None = None
    target_date: date | None = None
    origin: str = "registry"  # "registry", "built-in list", or the path of the stored text stating it
    #: Folded place of a local document (from the registry entry or the
    #: stating text); a registry entry without one applies wherever it is cited.
    place: str | None = None

    @property
    def from_registry(self) -> bool:
        return self.origin in ("registry", "built-in list")


@dataclass(frozen=True)
class Facts:
    """Everything the checks consult; build with :meth:`builtin` or :meth:`from_store`."""

    knowledge: Knowledge
    #: Issuing body key per (id, date) from the built-in list and the registry.
    bodies: dict[tuple[str, date | None], str] = field(default_factory=dict)
    #: Replacements and repeals per target id.
    supersessions: dict[str, tuple[Supersession, ...]] = field(default_factory=dict)

    @classmethod
    def builtin(cls) -> Facts:
        """Facts from the built-in list of central documents only."""
        k = Knowledge.builtin()
        return cls(knowledge=k, bodies=_bodies(k.by_id.values()), supersessions=_from_status(k))

    @classmethod
    def from_store(cls, store: Store) -> Facts:
        """Facts from the built-in list, the store's registry and its documents."""
        knowledge = Knowledge.from_store(store)
        builtin = Knowledge.builtin()
        registry = Knowledge()
        for entry in store.registry():
            registry.add(KnownDoc(entry.id, entry.type, entry.issuer_code, entry.date, issuer=entry.issuer,
                                  status=entry.status, replaced_by=entry.replaced_by, origin="registry"))
        bodies = _bodies(builtin.by_id.values())
        bodies.update(_bodies(registry.by_id.values()))
        # A stored document that says so comes first: it is evidence a reader
        # can open; the lists only state it.
        found: dict[str, list[Supersession]] = {}
        for s in _from_relations(store, knowledge):
            found.setdefault(s.target, []).append(s)
        for t, listed in _from_status(knowledge).items():
            found.setdefault(t, []).extend(listed)
        return cls(knowledge=knowledge, bodies=bodies,
                   supersessions={t: tuple(v) for t, v in found.items()})

    def body_of(self, doc: KnownDoc) -> str | None:
        """The issuing body key of a known document, when a reliable source gives it."""
        return self.bodies.get((doc.id, doc.date)) or (
            self.bodies.get((doc.id, None)) if len(self.knowledge.candidates(doc.id)) == 1 else None
        )


def _bodies(groups: Iterable[list[KnownDoc]]) -> dict[tuple[str, date | None], str]:
    out: dict[tuple[str, date | None], str] = {}
    for docs in groups:
        for d in docs:
            key = body_key(d.issuer)
            if key:
                out[(d.id, d.date)] = key
    return out


def _from_status(knowledge: Knowledge) -> dict[str, tuple[Supersession, ...]]:
    out: dict[str, list[Supersession]] = {}
    for doc_id, docs in knowledge.by_id.items():
        for d in docs:
            status = " ".join(fold(d.status or "").replace("_", " ").split())
            if d.replaced_by or status in _REPLACED:
                kind = "replaced"
            elif status in _REPEALED:
                kind = "repealed"
            else:
                continue
            by_date = None
            if d.replaced_by:
                # A replacement is issued after what it replaces: of several
                # documents with that number (45-CT/TW of 2010 and of 2025) only
                # one may fit.
                cands = [c for c in knowledge.candidates(d.replaced_by)
                         if d.date is None or c.date is None or c.date >= d.date]
                by_date = cands[0].date if len(cands) == 1 else None
            out.setdefault(doc_id, []).append(Supersession(
                target=doc_id, kind=kind, by=d.replaced_by, by_date=by_date, target_date=d.date,
                origin="registry" if d.origin == "registry" else "built-in list", place=place_of(d.issuer)))
    return {k: tuple(v) for k, v in out.items()}


def _from_relations(store: Store, knowledge: Knowledge) -> list[Supersession]:
    """Replacements and repeals stated by stored texts ("Chỉ thị này thay thế
    Chỉ thị số 35-CT/TW ...")."""
    identities = dict(store.identities())
    paths = store.paths()
    best: dict[tuple[str, str, str], tuple[int, Supersession]] = {}
    for doc_id, rel in store.all_relations():
        if rel.type not in ("replaces", "repeals") or rel.source == rel.target:
            continue
        # A local document cannot replace a national one; such a relation is a
        # misreading, not a fact worth warning about.
        if is_national(rel.target) and not is_national(rel.source):
            continue
        key = (rel.source, rel.target, rel.type)
        ident = identities.get(doc_id)
        by_date = None
        if ident is not None and ident.id == rel.source and ident.date:
            by_date = ident.date
        else:
            cands = knowledge.candidates(rel.source)
            by_date = cands[0].date if len(cands) == 1 else None
        found = Supersession(
            target=rel.target, kind="replaced" if rel.type == "replaces" else "repealed", by=rel.source,
            by_date=by_date, target_date=rel.target_date, origin=paths.get(doc_id, f"document #{doc_id}"),
            place=place_of(ident.issuer) if ident is not None else None,
        )
        # Several texts may state the same replacement; the replacing
        # document's own words, with dates, are the best witness.
        rank = (2 if ident is not None and ident.id == rel.source else 0) + (1 if rel.target_date else 0)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, found)
    return [s for _, s in best.values()]
