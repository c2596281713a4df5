"""Canonical document numbers from pattern matches.

``57-NQ/TW``, ``57 – nq/tư`` and ``Ð57-NQ/TƯ``-style noise all become the
same :class:`~docsearch.models.DocNumber`. Numbers are padded to two digits
(``5-CT/TW`` → ``05-CT/TW``), the form both Party and State documents print.
"""

from __future__ import annotations

import re

from ..models import DocNumber
from .grammar import (
    ISSUER_SPELLING,
    LETTER_ISSUERS,
    PARTY_ISSUERS,
    PARTY_NUMBER,
    PARTY_TYPES,
    STATE_ADMIN,
    STATE_NORMATIVE,
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
    return iss_original.upper().replace("Ð", "Đ")


def _state_issuer(iss_folded: str, iss_original: str) -> str:
    parts_f = iss_folded.split("-")
    parts_o = re.split(r"\s*[-–—]\s*", iss_original)
    if len(parts_o) != len(parts_f):
        parts_o = parts_f
    return "-".join(_issuer(f, o.strip()) for f, o in zip(parts_f, parts_o))


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
    return DocNumber(id=f"{n}-{code}/{issuer}", number=n, type=code, issuer_code=issuer, system="party")


def state_type(type_f: str, type_o: str) -> str | None:
    code = STATE_TYPES.get(type_f)
    if code is None:
        return None
    if type_f == "da" and _has_d_stroke(type_o):
        return "ĐA"
    if type_f == "hd" and _has_d_stroke(type_o):
        return "HĐ"
    return code


def normative_number(num: str, year: str, law: str | None, type_f: str | None, type_o: str | None,
                     iss_f: str | None, iss_o: str | None) -> DocNumber | None:
    n = pad(num)
    y = int(year)
    if law:
        issuer = law.upper()
        return DocNumber(id=f"{n}/{y}/{issuer}", number=n, type="L", issuer_code=issuer, system="state", year=y)
    assert type_f is not None and type_o is not None and iss_f is not None and iss_o is not None
    code = state_type(type_f, type_o)
    if code is None:
        return None
    issuer = _state_issuer(iss_f, iss_o)
    return DocNumber(id=f"{n}/{y}/{code}-{issuer}", number=n, type=code, issuer_code=issuer,
                     system="state", year=y)


def admin_number(num: str, type_f: str, type_o: str, iss_f: str, iss_o: str) -> DocNumber | None:
    n = pad(num)
    if type_f in LETTER_ISSUERS and type_f not in STATE_TYPES:
        # An official letter: ``5973/UBND-KT`` = issuer UBND, drafting unit KT.
        issuer = _issuer(type_f, type_o)
        unit = _state_issuer(iss_f, iss_o)
        return DocNumber(id=f"{n}/{issuer}-{unit}", number=n, type="CV", issuer_code=issuer, system="state")
    if iss_f in ("tw",) or (iss_f == "tu" and any(ch in "Ưư" for ch in iss_o)):
        # A Party number written State-style: "Directive No. 01/CT-TW".
        code = PARTY_TYPES.get(type_f)
        if code is None:
            return None
        return DocNumber(id=f"{n}-{code}/TW", number=n, type=code, issuer_code="TW", system="party")
    code = state_type(type_f, type_o)
    if code is None:
        return None
    issuer = _state_issuer(iss_f, iss_o)
    return DocNumber(id=f"{n}/{code}-{issuer}", number=n, type=code, issuer_code=issuer, system="state")


def parse_number(text: str) -> DocNumber | None:
    """Parse a whole string as one document number (``"57-NQ/TW"``,
    ``"13/2023/NĐ-CP"``, ``"1131/QĐ-TTg"``); None when it is not one."""
    s = text.strip()
    f = fold(s)
    m = STATE_NORMATIVE.fullmatch(f)
    if m:
        return normative_number(m["num"], m["year"], m["law"], m["ntype"], _orig(s, m, "ntype"),
                                m["niss"], _orig(s, m, "niss"))
    m = PARTY_NUMBER.fullmatch(f)
    if m:
        return party_number(m["num"], m["ptype"], _orig(s, m, "ptype") or "", m["piss"], _orig(s, m, "piss") or "")
    m = STATE_ADMIN.fullmatch(f)
    if m:
        return admin_number(m["num"], m["atype"], _orig(s, m, "atype") or "", m["aiss"], _orig(s, m, "aiss") or "")
    return None


def _orig(s: str, m: re.Match[str], group: str) -> str | None:
    return s[m.start(group):m.end(group)] if m.start(group) >= 0 else None
