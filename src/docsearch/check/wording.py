"""How suggestions are written: in the draft's language, in its date style.

Only display strings live here; what the words *mean* (the patterns that
recognise them) stays in :mod:`docsearch.refs.grammar`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..i18n import Sayable, Translator
from ..refs.grammar import NUMBER_MARK, TERM_YEARS, TYPE_NAMES, fold

#: How each issuing body (``Reference.issuer`` keys) is named, per language,
#: in the position "… of <body>".
BODY_NAMES: dict[str, dict[str, str]] = {
    "politburo": {"vi": "Bộ Chính trị", "en": "the Politburo", "de": "des Politbüros"},
    "secretariat": {"vi": "Ban Bí thư", "en": "the Secretariat", "de": "des Sekretariats"},
    "central_committee": {"vi": "Ban Chấp hành Trung ương", "en": "the Party Central Committee",
                          "de": "des Zentralkomitees"},
    "prime_minister": {"vi": "Thủ tướng Chính phủ", "en": "the Prime Minister", "de": "des Premierministers"},
    "government": {"vi": "Chính phủ", "en": "the Government", "de": "der Regierung"},
    "national_assembly": {"vi": "Quốc hội", "en": "the National Assembly", "de": "der Nationalversammlung"},
    "provincial_party_committee": {"vi": "Tỉnh ủy", "en": "the Provincial Party Committee",
                                   "de": "des Provinzparteikomitees"},
    "peoples_committee": {"vi": "Ủy ban nhân dân", "en": "the People's Committee", "de": "des Volkskomitees"},
}

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
              "Oktober", "November", "Dezember")

_TYPE_PREFIX = re.compile(r"^(?P<word>.*?)(?:[ ]+(?:" + NUMBER_MARK + r"))?[ ]*\d")
_NUMERIC_DATE = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})")


def language(lang: str) -> str:
    """The language suggestions are written in: ``vi``, ``de`` or ``en``."""
    return lang if lang in ("vi", "de") else "en"


def dmy(d: date) -> str:
    """``09/05/2024``: the form messages use, whatever the draft's language."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def body_name(key: str | None, lang: str) -> str | None:
    if key is None:
        return None
    names = BODY_NAMES.get(key)
    return names[language(lang)] if names else key.replace("_", " ")


def body_label(key: str | None) -> str:
    """A body for messages (English): ``the Politburo``."""
    return body_name(key, "en") or "an unknown body"


@dataclass(frozen=True)
class Body(Sayable):
    """An issuing body in a message: ``Bộ Chính trị`` in Vietnamese, ``the
    Politburo`` otherwise (the German names are in the genitive, for
    suggestions, and messages have no German wording of their own)."""

    key: str | None

    def say(self, t: Translator) -> str:
        if t.lang == "vi":
            return body_name(self.key, "vi") or t("an unknown body")
        return body_label(self.key)


def roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def term_of(d: date) -> int | None:
    """The Central Committee term a date falls in; None around a congress
    (January and 1 February of a congress year), when either may be meant."""
    for term, (lo, hi) in TERM_YEARS.items():
        if d.year == lo and (d.month, d.day) <= (2, 1):
            return None
        if (d.year == lo) or lo < d.year < hi:
            return term
    return None


def type_word(ref_text: str, type_code: str | None, lang: str) -> str:
    """The draft's own type word for a citation ("Quy định" of "Quy định số
    144-QĐ/TW"), or the type's usual name when it was written bare."""
    m = _TYPE_PREFIX.match(fold(ref_text))
    word = ref_text[: m.end("word")].strip() if m else ""
    if word:
        return word
    names = TYPE_NAMES.get(type_code or "")
    if not names:
        return ""
    name = names[0] if language(lang) == "vi" else names[1]
    return name.split(" / ")[0]


def type_alternatives(type_code: str, lang: str) -> list[str]:
    """Names that fit a type code, in the draft's language."""
    names = TYPE_NAMES.get(type_code)
    if not names:
        return []
    name = names[0] if language(lang) == "vi" else names[1]
    return [n.strip() for n in name.split(" / ")]


def mark(lang: str) -> str:
    return {"vi": "số", "de": "Nr."}.get(language(lang), "No.")


def date_phrase(d: date, lang: str) -> str:
    """``ngày 22/12/2024`` / ``dated December 22, 2024`` / ``vom 22. Dezember 2024``."""
    lang = language(lang)
    if lang == "vi":
        return f"ngày {dmy(d)}"
    if lang == "de":
        return f"vom {d.day}. {_DE_MONTHS[d.month - 1]} {d.year}"
    return f"dated {_EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def restyle_date(written: str, d: date, lang: str) -> str:
    """``d`` written the way ``written`` writes dates (``19/5/2024`` →
    ``09/05/2024``, ``May 19, 2024`` → ``May 9, 2024``)."""
    m = _NUMERIC_DATE.search(written)
    if m:
        sep = m["sep"]
        return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"
    f = fold(written)
    if "thang" in f:
        prefix = "ngày " if f.lstrip().startswith("ngay") else ""
        return f"{prefix}{d.day:02d} tháng {d.month:02d} năm {d.year}"
    if language(lang) == "de" or re.match(r"\s*\d{1,2}\.", written):
        return f"{d.day}. {_DE_MONTHS[d.month - 1]} {d.year}"
    if re.match(r"\s*\d", written):
        return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"
    return f"{_EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def citation(word: str, doc_id: str, when: date | None, body: str | None, lang: str) -> str:
    """A full citation in the draft's language: ``Nghị quyết số 57-NQ/TW ngày
    22/12/2024 của Bộ Chính trị``."""
    lang = language(lang)
    parts = [f"{word} {mark(lang)} {doc_id}".strip()]
    if when is not None:
        parts.append(date_phrase(when, lang))
    name = body_name(body, lang)
    if name:
        parts.append({"vi": f"của {name}", "de": name}.get(lang, f"of {name}"))
    return " ".join(parts)
