"""The checks: each turns what the tagger found in a draft into findings.

A draft is tagged once (:class:`Draft`); every check then reads the same
references. Checks that judge one mention report every offending mention;
checks that judge a document (unknown, ambiguous, replaced, first mention)
report it once, at its first mention.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..i18n import Listed, Phrase, Sayable, phrase
from ..models import DateMention, Reference, TagResult
from ..refs.grammar import fold
from ..refs.knowledge import KnownDoc
from ..refs.numbers import parse_number
from ..refs.tagger import tag
from ..relation_types import LOOKING_BACK
from . import wording as w
from .diagnostics import Finding
from .facts import Facts, Supersession, is_national, number_restarts_yearly, place_of
from .malformed import check_reference_number, find_unread_numbers

#: How many lines from the top a draft's own date line may be.
HEADER_LINES = 40

# Relations in which citing an old document is the point ("this plan
# replaces Plan 12", "review of five years of Directive 35").
_HISTORICAL = LOOKING_BACK


@dataclass(frozen=True)
class Draft:
    """A draft's text and what the tagger found in it."""

    text: str
    folded: str
    lang: str
    tags: TagResult
    own_date: date | None
    own_id: str | None
    words: str  # folded text as space-separated words, for place-name tests

    @classmethod
    def read(cls, text: str, facts: Facts, lang: str) -> Draft:
        """Tag ``text`` against ``facts`` and find the draft's own date."""
        tags = tag(text, lang=lang, knowledge=facts.knowledge)
        folded = fold(text)
        words = " " + " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split()) + " "
        return cls(text, folded, lang, tags, own_date(text, folded, tags), tags.self.id if tags.self else None, words)

    def mentions_place(self, place: str | None) -> bool:
        return bool(place) and f" {place} " in self.words


def own_date(text: str, folded: str, tags: TagResult) -> date | None:
    """The draft's own date: from its header, else from a place-and-date line
    near the top (``Quảng Ninh, ngày 10 tháng 3 năm 2025``, ``Hanoi, March 10, 2025``)."""
    if tags.self is not None and tags.self.date is not None:
        return tags.self.date
    limit = 0
    for _ in range(HEADER_LINES):
        nl = text.find("\n", limit)
        if nl < 0:
            limit = len(text)
            break
        limit = nl + 1
    for d in tags.dates:
        if d.start >= limit:
            break
        line_start = text.rfind("\n", 0, d.start) + 1
        comma = text.rfind(",", line_start, d.start)
        if comma < 0 or folded[comma + 1:d.start].strip() not in ("", "ngay"):
            continue
        # Two-column headers put it after the number: "Số 52-KH/TU | Quảng Ninh, ngày ..."
        place = text[max(line_start, text.rfind("|", line_start, comma) + 1):comma].strip()
        if 1 < len(place) <= 40 and not any(ch.isdigit() for ch in place):
            return d.date
    return None


Locate = Callable[[int], Sayable]


def label(r: Reference) -> str:
    """A mention as written, with its id when the text does not show it
    (``Nghị quyết 57 (57-NQ/TW)``)."""
    return r.text if r.id and r.id in r.text else f"{r.text} ({r.id})"


class _Run:
    """One pass over a draft's references."""

    def __init__(self, draft: Draft, facts: Facts, where: Locate) -> None:
        self.d = draft
        self.facts = facts
        self.where = where
        self.out: list[Finding] = []
        self.refs = [r for r in draft.tags.references if r.id is not None and r.id != draft.own_id]
        self.known = {r.id: self._applicable(r.id) for r in self.refs if r.id}
        self.party = {i: (p is not None and p.system == "party") for i in self.known for p in [parse_number(i)]}
        self.chosen: list[KnownDoc | None] = []
        settled: dict[str, set[KnownDoc]] = {}
        for r in self.refs:
            c = self._choose(r, settled)
            self.chosen.append(c)
            if c is not None and (r.date or r.term):
                settled.setdefault(r.id or "", set()).add(c)
        self.flagged: set[tuple[str, int]] = set()  # (code, ref index) already reported
        self.date_starts = [d.start for d in draft.tags.dates]
        self.counts = Counter(r.id for r in self.refs)

    # -- knowledge for one mention -----------------------------------------------
    def _applicable(self, doc_id: str) -> list[KnownDoc]:
        """Known documents this draft can mean by ``doc_id``: for local ids,
        only those of a place the draft names."""
        cands = self.facts.knowledge.candidates(doc_id)
        if is_national(doc_id):
            return list(cands)
        return [c for c in cands if self.d.mentions_place(place_of(c.issuer))]

    def _maybe_known(self, doc_id: str) -> bool:
        """A local document known from a header that does not say where it is
        from: it may well be the one cited, so it is not called unknown."""
        if is_national(doc_id):
            return False
        return any(place_of(c.issuer) is None for c in self.facts.knowledge.candidates(doc_id))

    def known_for(self, r: Reference) -> list[KnownDoc]:
        """Known documents mention ``r`` can mean, given the year or term its date implies."""
        known = self.known.get(r.id or "", [])
        if number_restarts_yearly(r.id or "") and r.year is not None:
            # 1131/QĐ-TTg of 2023 and of 2024 are different documents.
            known = [c for c in known if c.date is None or c.date.year == r.year]
        elif r.date is not None and self.party.get(r.id or "", False):
            # Party numbers restart every term: 19-NQ/TW of 31/10/2012 is not
            # the 19-NQ/TW of 2017 or 2022 with a wrong date, but another document.
            term = w.term_of(r.date)
            known = [c for c in known if c.date is None or term is None or w.term_of(c.date) in (None, term)]
        return known

    def _choose(self, r: Reference, settled: dict[str, set[KnownDoc]]) -> KnownDoc | None:
        known = self.known_for(r)
        if not known:
            return None
        if r.date is not None:
            exact = [c for c in known if c.date == r.date]
            if exact:
                return exact[0]
            if len(known) == 1:
                return known[0]
            same_year = [c for c in known if c.date and c.date.year == r.date.year]
            return same_year[0] if len(same_year) == 1 else None
        if len(known) == 1:
            return known[0]
        if r.status == "ambiguous":
            return None
        if r.term is not None:
            fitting = [c for c in known if c.date and w.term_of(c.date) == r.term]
            if len(fitting) == 1:
                return fitting[0]
        earlier = settled.get(r.id or "", set())
        return next(iter(earlier)) if len(earlier) == 1 else None

    def word_for(self, type_code: str | None) -> str:
        """The word this draft uses for a type ("Richtlinie" for CT in a German
        text), else the type's usual name in the draft's language."""
        words = [w.type_word(r.text, None, self.d.lang) for r in self.d.tags.references if r.type == type_code]
        words = [x for x in words if x]
        if words:
            return max(set(words), key=words.count)
        return w.type_word("", type_code, self.d.lang)

    def add(self, code: str, k: int | None, said: Phrase, start: int, end: int,
            suggestion: str | None = None, doc_id: str | None = None) -> None:
        if k is not None:
            self.flagged.add((code, k))
            doc_id = doc_id or self.refs[k].id
        self.out.append(Finding(code, str(said), start, end, suggestion, doc_id, said))

    def date_span(self, r: Reference) -> DateMention | None:
        """The date written with a reference (the one the tagger attached)."""
        if r.date is None:
            return None
        dates = self.d.tags.dates
        i = bisect.bisect_left(self.date_starts, r.end)
        while i < len(dates) and dates[i].start <= r.end + 260:
            if dates[i].date == r.date:
                return dates[i]
            i += 1
        return None

    # -- the checks ---------------------------------------------------------------
    def run(self) -> list[Finding]:
        firsts: dict[str, int] = {}
        for k, r in enumerate(self.refs):
            firsts.setdefault(r.id or "", k)
        for k, r in enumerate(self.refs):
            self.check_number(k, r)
            self.check_type_word(k, r)
            self.check_date(k, r)
            self.check_issuer(k, r)
            self.check_term(k, r)
            self.check_after_own_date(k, r)
        for doc_id, k in firsts.items():
            self.check_known(doc_id, k)
            self.check_first_mention(k)
        self.check_ambiguous()
        self.check_superseded()
        self.check_consistency()
        self.check_unread_numbers()
        return sorted(self.out, key=lambda f: (f.start, f.code))

    def check_number(self, k: int, r: Reference) -> None:
        problem = check_reference_number(r, self.d.lang)
        if problem is None:
            return
        code = "DS501" if problem.structural else "DS502"
        what = "malformed number '{written}': {reason}" if problem.structural else "number '{written}': {reason}"
        self.add(code, k, phrase(what, written=problem.written, reason=problem.reason), problem.start, problem.end,
                 problem.canonical, doc_id=r.id)

    def check_unread_numbers(self) -> None:
        for p in find_unread_numbers(self.d.text, self.d.folded, self.d.tags.references):
            self.add("DS501", None, phrase("malformed number '{written}': {reason}", written=p.written, reason=p.reason),
                     p.start, p.end, p.canonical, doc_id=p.canonical)

    def check_type_word(self, k: int, r: Reference) -> None:
        if r.short_form or not r.type_word or not r.type or r.type_word == r.type:
            return
        if (r.issuer_code or "").startswith("QH"):
            return  # 198/2025/QH15 carries no type code: laws and resolutions share the form
        if fold(r.type_word) == fold(r.type):
            return  # ĐA/DA, HĐ/HD: the same letters where the text has no Đ
        word = w.type_word(r.text, None, self.d.lang)
        fits = w.type_alternatives(r.type, self.d.lang)
        names: object = Listed(tuple(f"'{n}'" for n in fits), " or ") if fits else r.type
        mark = w.mark(self.d.lang)
        self.add("DS105", k, phrase("'{word}' does not match the type code {code} of {id}, which is {names}",
                                    word=word, code=r.type, id=r.id, names=names),
                 r.start, r.end, " or ".join(f"{n} {mark} {r.id}" for n in fits) or None)

    def check_known(self, doc_id: str, k: int) -> None:
        r = self.refs[k]
        if self.known_for(r) or self._maybe_known(doc_id):
            return
        count = self.counts[doc_id]
        times: object = phrase(" (cited {n} times)", n=count) if count > 1 else ""
        elsewhere = self.facts.knowledge.candidates(doc_id)
        hint: object = ""
        if elsewhere and not is_national(doc_id):
            places = sorted({c.issuer for c in elsewhere if c.issuer})
            if places:
                hint = phrase("; the index has {id} of {places}, a place this draft does not name", id=doc_id,
                              places=", ".join(places))
        elif elsewhere and r.year is not None:
            years = sorted({c.date.year for c in elsewhere if c.date})
            if years:
                hint = phrase("; the index has {id} of {years} only", id=doc_id, years=", ".join(map(str, years)))
        self.add("DS101", k, phrase("{doc} is neither in the index nor in the registry{times}{hint}", doc=label(r),
                                    times=times, hint=hint), r.start, r.end)

    def check_date(self, k: int, r: Reference) -> None:
        if r.date is None:
            return
        dated = [c for c in self.known_for(r) if c.date is not None]
        if not dated or any(c.date == r.date for c in dated):
            return
        span = self.date_span(r)
        start, end = (span.start, span.end) if span else (r.start, r.end)
        written = span.text if span else w.dmy(r.date)
        if span is not None:
            # Point at the date itself, not at the "ngày" before it.
            skip = re.match(r"ngay\s+", fold(written))
            if skip:
                start += skip.end()
                written = written[skip.end():]
        if len(dated) == 1:
            right = dated[0].date
            assert right is not None
            self.add("DS102", k, phrase("{doc} is dated {right}, not {wrong}", doc=label(r), right=w.dmy(right),
                                        wrong=w.dmy(r.date)), start, end,
                     w.restyle_date(written, right, self.d.lang))
            return
        fitting = [c for c in dated if r.term is None or (c.date and w.term_of(c.date) == r.term)]
        listed = ", ".join(w.dmy(c.date) for c in dated if c.date)
        suggestion = w.restyle_date(written, fitting[0].date, self.d.lang) if len(fitting) == 1 and fitting[0].date else None
        self.add("DS102", k, phrase("no {id} is dated {date}; the known ones are of {listed}", id=r.id,
                                    date=w.dmy(r.date), listed=listed), start, end, suggestion)

    def _body_of(self, k: int, r: Reference) -> str | None:
        """The known issuing body of the document mention ``k`` means."""
        if not is_national(r.id or ""):
            return None  # local bodies differ by place; the code in the number says enough
        chosen = self.chosen[k]
        if chosen is not None:
            return self.facts.body_of(chosen)
        bodies = {self.facts.body_of(c) for c in self.known_for(r)}
        return bodies.pop() if len(bodies) == 1 else None

    def check_issuer(self, k: int, r: Reference) -> None:
        if r.issuer is None:
            return
        right = self._body_of(k, r)
        if right is None or right == r.issuer:
            return
        chosen = self.chosen[k]
        when = chosen.date if chosen is not None else None
        self.add("DS103", k, phrase("{doc} was issued by {right}, not {wrong}", doc=label(r), right=w.Body(right),
                                    wrong=w.Body(r.issuer)),
                 r.start, r.end,
                 w.citation(w.type_word(r.text, r.type, self.d.lang), r.id or "", when, right, self.d.lang))

    def check_term(self, k: int, r: Reference) -> None:
        if r.term is None:
            return
        chosen = self.chosen[k]
        dated = [chosen] if chosen is not None and chosen.date else [c for c in self.known_for(r) if c.date]
        terms = {w.term_of(c.date) for c in dated if c.date}
        if not terms or None in terms or r.term in terms:
            return
        listed = Listed(tuple(phrase("{date} (term {term})", date=w.dmy(c.date), term=w.roman(w.term_of(c.date) or 0))
                              for c in dated if c.date))
        self.add("DS104", k, phrase("{doc} is not of term {term}: it is dated {listed}", doc=label(r),
                                    term=w.roman(r.term), listed=listed), r.start, r.end)

    def check_after_own_date(self, k: int, r: Reference) -> None:
        own = self.d.own_date
        if own is None:
            return
        known = self.known_for(r)
        chosen = self.chosen[k]
        issued: date | None = None
        if chosen is not None and chosen.date is not None:
            issued = chosen.date
        elif known:
            # Several namesakes and no telling which: only if all are later.
            dates = [c.date for c in known if c.date]
            issued = min(dates) if dates and len(dates) == len(known) else None
        elif r.date is not None:
            issued = r.date
        else:
            parsed = parse_number(r.id or "")
            if parsed is not None and parsed.year is not None and parsed.year > own.year:
                self.add("DS203", k, phrase("{doc} is of {year}, after this draft's date {own}", doc=label(r),
                                            year=parsed.year, own=w.dmy(own)), r.start, r.end)
            return
        if issued is not None and issued > own:
            self.add("DS203", k, phrase("{doc} is dated {date}, after this draft's date {own}", doc=label(r),
                                        date=w.dmy(issued), own=w.dmy(own)), r.start, r.end)

    def check_ambiguous(self) -> None:
        seen: set[str] = set()
        for k, r in enumerate(self.refs):
            if r.status != "ambiguous" or r.id in seen:
                continue
            seen.add(r.id or "")
            known = [c for c in self.known_for(r) if c.date] or [
                c for c in self.facts.knowledge.candidates(r.id or "") if c.date]
            if len({c.date for c in known}) < 2:
                # One known document: a citation that reads as ambiguous only
                # because its date or issuer is wrong is DS102/DS103's to report.
                continue
            listed = Listed(tuple(w.dmy(c.date) for c in known if c.date), " or ")
            word = w.type_word(r.text, r.type, self.d.lang)
            options = " or ".join(
                w.citation(word, r.id or "", c.date, self.facts.body_of(c), self.d.lang) for c in known)
            self.add("DS106", k, phrase("{doc} may mean several documents ({id} of {listed}); give the date",
                                        doc=label(r), id=r.id, listed=listed), r.start, r.end, options or None)

    def _superseded(self, k: int, r: Reference) -> Supersession | None:
        for s in self.facts.supersessions.get(r.id or "", ()):
            # Someone else's local document does not concern this draft, but the
            # user's registry speaks for the user's own documents.
            if (not is_national(s.target) and not self.d.mentions_place(s.place)
                    and not (s.from_registry and s.place is None)):
                continue
            chosen = self.chosen[k]
            if s.target_date is not None:
                if chosen is not None and chosen.date is not None and chosen.date != s.target_date:
                    continue
                if chosen is None and len(self.known_for(r)) > 1:
                    continue
            if self.d.own_date is not None and s.by_date is not None and self.d.own_date < s.by_date:
                continue  # not yet replaced when the draft was written
            return s
        return None

    def _cited_near(self, doc_id: str, r: Reference) -> bool:
        """Whether ``doc_id`` is cited in the same paragraph as ``r``."""
        text = self.d.text
        lo = text.rfind("\n", 0, r.start) + 1
        hi = text.find("\n", r.end)
        hi = len(text) if hi < 0 else hi
        return any(x.id == doc_id and lo <= x.start < hi for x in self.d.tags.references)

    def _aware(self, doc_id: str, by: str | None) -> bool:
        """Whether the draft shows it knows ``doc_id`` is no longer in force:
        it cites it as replaced or reviewed, says what replaced it, or cites
        the replacement in the same paragraph."""
        mentions = [r for r in self.refs if r.id == doc_id]
        if any(r.relation in _HISTORICAL for r in mentions):
            return True
        if by is None:
            return False
        if by == self.d.own_id:
            return True
        if any(rel.target == doc_id and rel.source == by for rel in self.d.tags.relations):
            return True
        return any(self._cited_near(by, r) for r in mentions)

    def check_superseded(self) -> None:
        seen: set[str] = set()
        for k, r in enumerate(self.refs):
            if r.id in seen:
                continue
            s = self._superseded(k, r)
            if s is None:
                continue
            seen.add(r.id or "")
            if self._aware(r.id or "", s.by):
                continue
            code = "DS301" if s.kind == "replaced" else "DS302"
            by: object = ""
            if s.by:
                by = (phrase(" by {id} of {date}", id=s.by, date=w.dmy(s.by_date)) if s.by_date
                      else phrase(" by {id}", id=s.by))
            origin: object = phrase(s.origin) if s.origin in ("registry", "built-in list") else os.path.basename(s.origin)
            suggestion = None
            if s.by:
                parsed = parse_number(s.by)
                bodies = {self.facts.body_of(c) for c in self.facts.knowledge.candidates(s.by)}
                suggestion = w.citation(self.word_for(parsed.type if parsed else None), s.by,
                                        s.by_date, bodies.pop() if len(bodies) == 1 else None, self.d.lang)
            said = {"replaced": "{doc} has been replaced{by} (according to {origin})",
                    "repealed": "{doc} has been repealed{by} (according to {origin})"}.get(s.kind)
            self.add(code, k, phrase(said, doc=label(r), by=by, origin=origin) if said else
                     phrase("{doc} has been {kind}{by} (according to {origin})", doc=label(r), kind=s.kind, by=by,
                            origin=origin), r.start, r.end, suggestion)

    def check_first_mention(self, k: int) -> None:
        r = self.refs[k]
        chosen = self.chosen[k]
        when = chosen.date if chosen is not None else None
        body = self.facts.body_of(chosen) if chosen is not None else None
        word = w.type_word(r.text, None, self.d.lang) or self.word_for(r.type)
        if r.short_form:
            self.add("DS401", k, phrase("first mention of {id} is the short form '{text}'; cite it in full first",
                                        id=r.id, text=r.text), r.start, r.end,
                     w.citation(word, r.id or "", when, body or r.issuer, self.d.lang))
        elif r.date is None:
            self.add("DS402", k, phrase("first mention of {id} gives no date", id=r.id), r.start, r.end,
                     w.citation(word, r.id or "", when, body or r.issuer, self.d.lang) if when else None)

    def _same_document(self, doc_id: str, a: date, b: date) -> bool:
        """Whether two dates cited with one id can be meant for one document:
        not when they fall in different terms (Party) or years (State letters)."""
        if number_restarts_yearly(doc_id):
            return a.year == b.year
        if self.party.get(doc_id, False):
            ta, tb = w.term_of(a), w.term_of(b)
            return ta is None or tb is None or ta == tb
        return True

    def check_consistency(self) -> None:
        """DS201/DS202: one document cited with two dates or two issuers."""
        first_date: dict[str, list[tuple[int, date]]] = {}
        first_body: dict[tuple[str, date | None], tuple[int, str]] = {}
        for k, r in enumerate(self.refs):
            doc_id = r.id or ""
            known_dates = {c.date for c in self.known.get(doc_id, []) if c.date}
            if r.date is not None and ("DS102", k) not in self.flagged:
                earlier = first_date.setdefault(doc_id, [])
                clash = next((x for x in earlier if x[1] != r.date and self._same_document(doc_id, x[1], r.date)
                              and not (x[1] in known_dates and r.date in known_dates)), None)
                if clash is not None:
                    j, d0 = clash
                    self.add("DS201", k, phrase("{id} is dated {first} at {where} but {date} here", id=doc_id,
                                                first=w.dmy(d0), where=self.where(self.refs[j].start),
                                                date=w.dmy(r.date)), r.start, r.end)
                else:
                    earlier.append((k, r.date))
            if r.issuer is None or ("DS103", k) in self.flagged:
                continue
            chosen = self.chosen[k]
            if chosen is None and len(self.known_for(r)) > 1:
                continue  # which of the namesakes is meant is unknown: nothing to compare
            key = (doc_id, chosen.date if chosen is not None else None)
            if key not in first_body:
                first_body[key] = (k, r.issuer)
            elif first_body[key][1] != r.issuer:
                j, b0 = first_body[key]
                self.add("DS202", k, phrase("{id} is attributed to {first} at {where} but to {body} here", id=doc_id,
                                            first=w.Body(b0), where=self.where(self.refs[j].start),
                                            body=w.Body(r.issuer)), r.start, r.end)


def run_checks(draft: Draft, facts: Facts, where: Locate) -> list[Finding]:
    """Every finding in ``draft``, in text order; ``where`` names a place
    (``line 12``) for messages that point at another mention."""
    return _Run(draft, facts, where).run()
