"""Canonical document numbers from pattern matches.

``57-NQ/TW``, ``57 – nq/tư`` and ``Ð57-NQ/TƯ``-style noise all become the
same :class:`~docsearch.models.DocNumber`. Numbers are padded to two digits
(``5-CT/TW`` → ``05-CT/TW``), the form both Party and State documents print.
"""

from __future__ import annotations

import functools
import re
import sys

from ..models import DocNumber, new_doc_number
from .grammar import (
    ANY_NUMBER,
    ISSUER_SPELLING,
    LETTER_ISSUERS,
    PARTY_ISSUERS,
    PARTY_TYPES,
    STATE_TYPES,
    fold,
)


def pad(number: str) -> str:
    """``"5"`` → ``"05"``, ``"057"`` → ``"57"``, ``"144"`` → ``"144"``."""
    return str(int(number)).zfill(2)


def _has_d_stroke(original: str) -> bool:
    return any(ch in "đĐÐ" for ch in original)


def _issuer(iss_folded: str, iss_original: str) -> str:
    # ``TƯ`` (Trung ương) folds to ``tu`` like ``TU`` (Tỉnh ủy): only the
    # original letters can tell them apart.
    if iss_folded == "tu" and any(ch in "Ưư" for ch in iss_original):
        return "TW"
    if iss_folded in ISSUER_SPELLING:
        return ISSUER_SPELLING[iss_folded]
    # Interned: a long text cites the same issuers thousands of times, and
    # every mention would otherwise hold its own copy of the code.
    return sys.intern(iss_original.upper().replace("Ð", "Đ"))


_ISSUER_PARTS = re.compile(r"\s*[-–—]\s*|\s+")


def _state_issuer(iss_folded: str, iss_original: str) -> str:
    parts_f = iss_folded.split("-")
    parts_o = _ISSUER_PARTS.split(iss_original)
    if len(parts_o) != len(parts_f):
        parts_o = parts_f
    return sys.intern("-".join(_issuer(f, o.strip()) for f, o in zip(parts_f, parts_o, strict=True)))


def party_number(num: str, type_f: str, type_o: str, iss_f: str, iss_o: str) -> DocNumber | None:
    """Canonical Party number, or None when the issuer is not plausible."""
    code = PARTY_TYPES.get(type_f)
    if code is None:
        return None
    if iss_f not in PARTY_ISSUERS and not iss_o.isupper():
        # Lower-case unknown issuers are ordinary words ("12-ct/ngày"), not codes.
        return None
    if code == "QĐi" and type_o in ("QDi", "QĐi", "Qđi"):
        code = "QĐi"
    issuer = _issuer(iss_f, iss_o)
    n = pad(num)
    return new_doc_number(id=f"{n}-{code}/{issuer}", number=n, type=code, issuer_code=issuer, system="party")


def state_type(type_f: str, type_o: str) -> str | None:
    code = STATE_TYPES.get(type_f)
    if code is None:
        return None
    if type_f == "da" and _has_d_stroke(type_o):
        return "ĐA"
    if type_f == "hd" and _has_d_stroke(type_o):
        return "HĐ"
    return code


def _code_like(original: str, canonical: str | None = None) -> bool:
    """Whether letters written without a hyphen read as a code: capitals
    ("BCA", "UBND") or the code's own mixed spelling ("TTg", "TTr")."""
    letters = [ch for ch in original if ch.isalpha()]
    if not letters:
        return False
    if all(ch.isupper() for ch in letters):
        return True
    f = fold(original)
    return original in (canonical, ISSUER_SPELLING.get(f), STATE_TYPES.get(f), PARTY_TYPES.get(f))


_PART = re.compile(r"[a-z][a-z0-9]*")
# Words of a title in capitals that follow a number there ("DECREE NO.
# 20/2017/ND-CP ON TAX …", "QUYẾT ĐỊNH SỐ 12/QĐ-UBND VỀ …"): never a code.
_NOT_CODES = frozenset("on of and in to for by at the dated ve cua ngay va tai theo nam so".split())
_CODE_LETTERS = re.compile(r"[A-Za-z0-9ĐđÐ]+")


def _issuer_parts(folded: str, original: str, start: int, end: int, first_spaced: bool) -> tuple[str, str, int] | None:
    """The issuer parts of a State number between ``start`` and ``end``:
    (folded, original, end) joined with ``-``. A part set off by a space
    only (not a hyphen) must read as a code, or the number ends before it:
    "05/CT BCA V28 ngày" keeps "BCA-V28" and leaves "ngày"."""
    kept_f: list[str] = []
    kept_o: list[str] = []
    last_end = start
    for m in _PART.finditer(folded, start, end):
        sep = folded[last_end:m.start()]
        spaced = "-" not in sep and (bool(sep) or (not kept_f and first_spaced))
        piece = original[m.start():m.end()]
        # A code set off by a space is short, written in capitals without
        # tone marks, and on the same line: "BCA V28", not "| CỘNG HÒA".
        if spaced and (not _code_like(piece) or len(piece) > 8 or not _CODE_LETTERS.fullmatch(piece)
                       or m.group(0) in _NOT_CODES
                       or any(ch in "\n\r|\t" for ch in original[last_end:m.start()])):
            break
        kept_f.append(m.group(0))
        kept_o.append(piece)
        last_end = m.end()
    if not kept_f:
        return None
    return "-".join(kept_f), "-".join(kept_o), last_end


def number_from_match(m: re.Match[str], original: str) -> tuple[DocNumber, int] | None:
    """The canonical number of an :data:`~docsearch.refs.grammar.ANY_NUMBER`
    match and where it really ends (trailing words are not issuer codes).
    ``original`` is the text the match's offsets point into."""

    def orig(group: str) -> str:
        return original[m.start(group):m.end(group)] if m.start(group) >= 0 else ""

    num = m["num"]
    if m["normative"] is not None:
        year = m["year"]
        if m["law"]:
            law = normative_number(num, year, m["law"], None, None, None, None)
            return (law, m.end("law")) if law else None
        if m["ntype"]:
            type_f, type_o, grp, spaced = m["ntype"], orig("ntype"), "niss", False
        else:
            type_f, type_o, grp, spaced = m["gtype"], orig("gtype"), "giss", True
            if not _code_like(type_o, STATE_TYPES.get(type_f)):
                return None
        parts = _issuer_parts(m.string, original, m.start(grp), m.end(grp), spaced)
        if parts is None:
            return None
        dn = normative_number(num, year, None, type_f, type_o, parts[0], parts[1])
        return (dn, parts[2]) if dn else None
    if m["party"] is not None:
        sep = m["psep"]
        if sep and "-" not in sep and not (_code_like(orig("ptype"), PARTY_TYPES.get(m["ptype"]))
                                           and _code_like(orig("piss"))):
            return None  # "2019 ct/tw"-like words, not a number written with a space
        dn = party_number(num, m["ptype"], orig("ptype"), m["piss"], orig("piss"))
        return (dn, m.end("piss")) if dn else None
    if m["atype"]:
        type_f, type_o, spaced = m["atype"], orig("atype"), False
        if type_f not in STATE_TYPES and type_f not in LETTER_ISSUERS:
            # "Tờ trình số 2653/KHĐT-CNDV": a unit's code where the type stands,
            # as submissions and letters are numbered; kept only in capitals.
            if not _code_like(type_o) or not _CODE_LETTERS.fullmatch(type_o):
                return None
            parts = _issuer_parts(m.string, original, m.start("aiss"), m.end("aiss"), False)
            if parts is None:
                return None
            unit = _issuer(type_f, type_o)
            n = pad(num)
            return new_doc_number(id=f"{n}/{unit}-{_state_issuer(parts[0], parts[1])}", number=n, type=None,
                                  issuer_code=unit, system="state"), parts[2]
    else:
        type_f, type_o, spaced = m["gatype"], orig("gatype"), "-" not in m["gasep"]
    if spaced and not _code_like(type_o, STATE_TYPES.get(type_f)):
        return None
    parts = _issuer_parts(m.string, original, m.start("aiss"), m.end("aiss"), spaced)
    if parts is None:
        return None
    dn = admin_number(num, type_f, type_o, parts[0], parts[1])
    return (dn, parts[2]) if dn else None


def normative_number(num: str, year: str, law: str | None, type_f: str | None, type_o: str | None,
                     iss_f: str | None, iss_o: str | None) -> DocNumber | None:
    n = pad(num)
    y = int(year)
    if law:
        issuer = law.upper()
        return new_doc_number(id=f"{n}/{y}/{issuer}", number=n, type="L", issuer_code=issuer, system="state", year=y)
    assert type_f is not None and type_o is not None and iss_f is not None and iss_o is not None
    code = state_type(type_f, type_o)
    if code is None:
        return None
    issuer = _state_issuer(iss_f, iss_o)
    return new_doc_number(id=f"{n}/{y}/{code}-{issuer}", number=n, type=code, issuer_code=issuer,
                          system="state", year=y)


def admin_number(num: str, type_f: str, type_o: str, iss_f: str, iss_o: str) -> DocNumber | None:
    n = pad(num)
    if type_f in LETTER_ISSUERS and type_f not in STATE_TYPES:
        # An official letter: ``5973/UBND-KT`` = issuer UBND, drafting unit KT.
        issuer = _issuer(type_f, type_o)
        unit = _state_issuer(iss_f, iss_o)
        return new_doc_number(id=f"{n}/{issuer}-{unit}", number=n, type="CV", issuer_code=issuer, system="state")
    if iss_f in ("tw",) or (iss_f == "tu" and any(ch in "Ưư" for ch in iss_o)):
        # A Party number written State-style: "Directive No. 01/CT-TW".
        code = PARTY_TYPES.get(type_f)
        if code is None:
            return None
        return new_doc_number(id=f"{n}-{code}/TW", number=n, type=code, issuer_code="TW", system="party")
    code = state_type(type_f, type_o)
    if code is None:
        return None
    issuer = _state_issuer(iss_f, iss_o)
    return new_doc_number(id=f"{n}/{code}-{issuer}", number=n, type=code, issuer_code=issuer, system="state")


@functools.lru_cache(maxsize=8192)
def parse_number(text: str) -> DocNumber | None:
    """Parse a whole string as one document number (``"57-NQ/TW"``,
    ``"13/2023/NĐ-CP"``, ``"1131/QĐ-TTg"``); None when it is not one.
    Remembered: the resolver and the relation passes ask for the same ids
    again and again."""
    s = text.strip()
    m = ANY_NUMBER.fullmatch(fold(s))
    if m is None:
        return None
    found = number_from_match(m, s)
    if found is None or found[1] != len(s):
        return None
    return found[0]
