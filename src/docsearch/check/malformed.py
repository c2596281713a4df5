"""Malformed and unconventionally spelled document numbers.

Two sources of candidates:

* references the tagger found, whose number as written differs from the
  canonical form (``57/NQ-TW``, ``57-NQ/ TW``, ``23 – NQ/TW``, ``57-Nq/TW``);
* spellings the tagger does not read as numbers at all (``57-NQTW``,
  ``57-NQ-TW``, ``1131-QĐ/TTg``), found with :data:`MALFORMED_PARTY` and
  :data:`MALFORMED_STATE`, which are built from the type and issuer tables of
  :mod:`docsearch.refs.grammar` so that the two never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import Listed, Phrase, Sayable, phrase
from ..models import Reference
from ..refs.grammar import (
    FOLD_TABLE,
    ISSUER_LEVEL,
    LETTER_ISSUERS,
    PARTY_ISSUERS,
    PARTY_NUMBER,
    PARTY_TYPES,
    STATE_ADMIN,
    STATE_NORMATIVE,
    STATE_TYPES,
    fold,
)
from ..refs.numbers import pad, parse_number, party_number, state_type

_PARTY_TYPE_ALT = "|".join(sorted(PARTY_TYPES, key=len, reverse=True))
_PARTY_ISSUER_ALT = "|".join(sorted(PARTY_ISSUERS, key=len, reverse=True))

#: Folded issuer codes that belong to the State, not the Party.
STATE_ISSUERS = frozenset(
    {fold(code) for code, level in ISSUER_LEVEL.items() if level == "state" and not code.startswith("QH")}
    | LETTER_ISSUERS
)
_STATE_ISSUER_ALT = "|".join(sorted(STATE_ISSUERS, key=len, reverse=True))
_STATE_TYPE_ALT = "|".join(sorted(STATE_TYPES, key=len, reverse=True))

_SEP = r"[ ]{0,2}[-/.][ ]{0,2}"

#: A Party number with its separators wrong or missing: ``57-NQTW``,
#: ``57-NQ-TW``, ``57/NQ/TW``, ``57NQTW``. Runs over folded text.
MALFORMED_PARTY = re.compile(
    r"(?<![\w/.-])(?P<num>\d{1,5})(?P<s1>" + _SEP + r"|[ ]{0,2})(?P<type>" + _PARTY_TYPE_ALT + r")"
    r"(?P<s2>" + _SEP + r"|[ ]{0,2})(?P<iss>" + _PARTY_ISSUER_ALT + r")(?![\w])"
)

#: A State number written Party-style: ``1131-QĐ/TTg``, ``123-QĐ/UBND``.
MALFORMED_STATE = re.compile(
    r"(?<![\w/.-])(?P<num>\d{1,5})[ ]{0,2}-[ ]{0,2}(?P<type>" + _STATE_TYPE_ALT + r")"
    r"[ ]{0,2}/[ ]{0,2}(?P<iss>" + _STATE_ISSUER_ALT + r")(?![\w])"
)

#: Dashes that folding reads as "-" but that do not belong in a number.
_DASHES = frozenset(chr(cp) for cp, to in FOLD_TABLE.items() if to == "-" and cp != ord("-"))

#: The three parts of a Party-shaped number as written (original letters).
_PARTS = re.compile(r"(?P<num>\d{1,5})\s*[-" + re.escape("".join(sorted(_DASHES))) + r"]?\s*"
                    r"(?P<type>[^\W\d_]+)\s*/\s*(?P<iss>[^\W\d_]+)")


@dataclass(frozen=True)
class NumberProblem:
    """A number whose spelling needs fixing: where, what, the fix, and how bad."""

    start: int
    end: int
    written: str
    canonical: str
    reason: Sayable  # says what is wrong, in any of the interface's languages (str(): English)
    structural: bool  # True: malformed (DS501); False: unconventional spelling (DS502)


def _state_id(num: str, type_f: str, type_o: str, iss_o: str) -> str:
    code = state_type(type_f, type_o) or type_o.upper()
    issuer = "TTg" if fold(iss_o) == "ttg" else iss_o.upper().replace("Ð", "Đ")
    return f"{pad(num)}/{code}-{issuer}"


def number_in_reference(ref: Reference) -> tuple[int, int, str] | None:
    """Where the number is in a full reference: (start, end, kind) with
    offsets relative to ``ref.text`` and kind ``normative``, ``party`` or
    ``admin`` (the pattern it was written in); None for short forms."""
    if ref.short_form:
        return None
    f = fold(ref.text)
    for kind, pattern in (("normative", STATE_NORMATIVE), ("party", PARTY_NUMBER), ("admin", STATE_ADMIN)):
        m = pattern.search(f)
        if m:
            return m.start(), m.end(), kind
    return None


def check_reference_number(ref: Reference, lang: str) -> NumberProblem | None:
    """The spelling problem of a reference's number, if it has one."""
    if ref.id is None:
        return None
    found = number_in_reference(ref)
    if found is None:
        return None
    s, e, kind = found
    written = ref.text[s:e]
    start, end = ref.start + s, ref.start + e
    canonical = ref.id
    parsed = parse_number(canonical)
    party = parsed is not None and parsed.system == "party"
    if kind == "admin" and party:
        return NumberProblem(start, end, written, canonical,
                             phrase("a Party number is written number-TYPE/ISSUER, not number/TYPE-ISSUER"), True)
    if kind == "party" and fold(ref.issuer_code or "") in STATE_ISSUERS:
        m = _PARTS.fullmatch(written)
        if m:
            suggestion = _state_id(m["num"], fold(m["type"]), m["type"], m["iss"])
            return NumberProblem(start, end, written, suggestion,
                                 phrase("{issuer} is a State issuer, whose numbers are written number/TYPE-ISSUER",
                                        issuer=ref.issuer_code), True)
    if written == canonical:
        return None
    if any(ch.isspace() for ch in written):
        return NumberProblem(start, end, written, canonical, phrase("no spaces inside a document number"), True)
    if any(ch in _DASHES for ch in written):
        return NumberProblem(start, end, written, canonical, phrase("a document number takes a plain hyphen '-'"),
                             True)
    if kind == "party" and re.match(r"\d+[^\d-]", written):
        return NumberProblem(start, end, written, canonical,
                             phrase("a hyphen belongs between the number and the type"), True)
    # What is left is letters and leading zeros. English and German texts
    # write Đ as D by convention (144-QD/TW); Vietnamese text must not.
    if lang != "vi" and written.replace("Đ", "D") == canonical.replace("Đ", "D"):
        return None
    return NumberProblem(start, end, written, canonical, _spelling_reason(written, canonical, lang), False)


def _spelling_reason(written: str, canonical: str, lang: str) -> Sayable:
    reasons: list[Phrase] = []
    w_num = re.match(r"\d+", written)
    c_num = re.match(r"\d+", canonical)
    if w_num and c_num and w_num.group(0) != c_num.group(0):
        reasons.append(phrase("numbers below 10 take a leading zero"))
    if "Ð" in written:
        reasons.append(phrase("'Ð' (U+00D0) is not the Vietnamese 'Đ' (U+0110)"))
    if re.search(r"T[ƯưUu]\b", written) and canonical.endswith("/TW") and "TU" not in written:
        reasons.append(phrase("the Central Committee's code is TW, not TƯ"))
    if lang == "vi" and "D" in written and "Đ" in canonical and "Đ" not in written:
        reasons.append(phrase("Vietnamese text writes Đ, not D"))
    letters_w = re.sub(r"[^A-Za-zĐđÐ]", "", written).replace("Ð", "Đ")
    letters_c = re.sub(r"[^A-Za-zĐđÐ]", "", canonical)
    if lang != "vi":
        letters_w, letters_c = letters_w.replace("Đ", "D").replace("đ", "d"), letters_c.replace("Đ", "D")
    if letters_w != letters_c and letters_w.upper() == letters_c.upper():
        codes = re.sub(r"^\d+(?:/\d{4})?[-/]", "", canonical)
        reasons.append(phrase("the type and issuer codes are written {codes}", codes=codes))
    return Listed(tuple(reasons), "; ") if reasons else phrase("the usual spelling is {canonical}", canonical=canonical)


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def find_unread_numbers(text: str, folded: str, refs: tuple[Reference, ...]) -> list[NumberProblem]:
    """Malformed numbers that the tagger did not read as references."""
    spans = [(r.start, r.end) for r in refs]
    out: list[NumberProblem] = []
    for m in MALFORMED_PARTY.finditer(folded):
        if _covered(spans, m.start(), m.end()):
            continue
        s1, s2 = m["s1"].strip(), m["s2"].strip()
        if s1 == "-" and s2 == "/":
            continue  # canonical shape: the tagger rejected it for a reason of its own
        if not (s1 or s2) and (m["s1"] or m["s2"]):
            continue  # words and spaces only ("2 CT TW"): too weak to call a number
        type_o = text[m.start("type"):m.end("type")]
        iss_o = text[m.start("iss"):m.end("iss")]
        # Codes are written in capitals; lower-case letters are ordinary words.
        if not (type_o[:1].isupper() and iss_o.isupper()):
            continue
        dn = party_number(m["num"], m["type"], type_o, m["iss"], iss_o)
        if dn is None:
            continue
        reason = phrase("the type and the issuer are separated by '/'" if not s2 or s2 != "/"
                        else "a Party number is written number-TYPE/ISSUER")
        if s1 != "-" and s2 == "/":
            reason = phrase("a hyphen belongs between the number and the type")
        out.append(NumberProblem(m.start(), m.end(), text[m.start():m.end()], dn.id, reason, True))
        spans.append((m.start(), m.end()))
    for m in MALFORMED_STATE.finditer(folded):
        if _covered(spans, m.start(), m.end()):
            continue
        type_o = text[m.start("type"):m.end("type")]
        iss_o = text[m.start("iss"):m.end("iss")]
        if not (type_o[:1].isupper() and iss_o[:1].isupper()):
            continue
        suggestion = _state_id(m["num"], m["type"], type_o, iss_o)
        out.append(NumberProblem(m.start(), m.end(), text[m.start():m.end()], suggestion,
                                 phrase("{issuer} is a State issuer, whose numbers are written number/TYPE-ISSUER",
                                        issuer=iss_o), True))
    return out
