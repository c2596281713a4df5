"""The finding codes of ``docsearch check``: one stable code per kind of finding.

Codes never change meaning once published; a new kind of finding gets a new
code. The hundreds group them: DS1xx what the draft says against what is
known, DS2xx the draft against itself, DS3xx documents no longer in force,
DS4xx drafting style, DS5xx the spelling of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..i18n import SaidError, phrase

Severity = Literal["error", "warning", "info"]

#: Severities from the most to the least serious.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Code:
    """A finding code: its severity and a one-line description."""

    code: str
    severity: Severity
    title: str


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("DS101", "warning", "cited document is neither in the index nor in the registry"),
        Code("DS102", "error", "cited date contradicts the known date of the document"),
        Code("DS103", "error", "cited issuing body contradicts the known issuer"),
        Code("DS104", "error", "cited term (khóa) contradicts the document's date"),
        Code("DS105", "error", "type word contradicts the type code of the number"),
        Code("DS106", "warning", "number names several documents and the citation does not say which"),
        Code("DS201", "error", "the same document is cited with different dates in the draft"),
        Code("DS202", "error", "the same document is cited with different issuers in the draft"),
        Code("DS203", "error", "cited document was issued after the draft's own date"),
        Code("DS301", "warning", "cited document has been replaced"),
        Code("DS302", "warning", "cited document has been repealed"),
        Code("DS401", "info", "first mention is a short form; cite in full first"),
        Code("DS402", "info", "first mention gives no date"),
        Code("DS501", "error", "malformed document number"),
        Code("DS502", "warning", "document number spelled unconventionally"),
    )
}


class UnknownCodeError(SaidError, ValueError):
    """A code or code prefix given to ``--ignore`` or a config file does not exist."""


def check_code_selector(selector: str, where: str = "--ignore") -> str:
    """Validate a code (``DS301``) or a code prefix (``DS3``, ``DS``); returns it upper-cased."""
    s = selector.strip().upper()
    if s and any(code.startswith(s) for code in CODES):
        return s
    raise UnknownCodeError(phrase("{where}: unknown code {code}; codes are {codes} (a prefix such as DS4 selects a "
                                  "group)", where=where, code=repr(selector), codes=", ".join(CODES)))
