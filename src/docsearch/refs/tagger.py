"""The tagger: find → attach → resolve → relate, over plain strings.

:func:`tag` is the whole pipeline. It works on character offsets into the
text it is given, so ingestion never pays for tokenisation; the spaCy
component in :mod:`docsearch.refs.spacy_component` calls the same function.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import replace
from datetime import date

from ..models import DateMention, Identity, Reference, Relation, TagResult
from .find import Mention, attach_context, find_dates, find_numbers, find_short_forms, hard_breaks
from .grammar import NUMBER_MARK, SHORT_FORM_TYPES, TYPE_WORD, ALIAS, CUE, CUES, ISSUE_VERB, POST_CUE, POST_CUE_TYPES, TERM_YEARS, THEO, fold
from .header import read_identity
from .layout import match_view, paragraph_view
from .knowledge import KnownDoc, Knowledge
from .numbers import parse_number

_DEFAULT_KNOWLEDGE: Knowledge | None = None


def default_knowledge() -> Knowledge:
    """The built-in list of central documents, loaded once."""
    global _DEFAULT_KNOWLEDGE
    if _DEFAULT_KNOWLEDGE is None:
        _DEFAULT_KNOWLEDGE = Knowledge.builtin()
    return _DEFAULT_KNOWLEDGE


def tag(text: str, *, lang: str | None = None, knowledge: Knowledge | None = None) -> TagResult:
    """Find, resolve and type every document reference and date in ``text``.

    Offsets in the result index into ``text`` as given. Text that is not in
    NFC is normalised for matching and the offsets are mapped back.
    """
    if not text:
        return TagResult(None, (), (), ())
    if not unicodedata.is_normalized("NFC", text):
        return _tag_denormalized(text, lang=lang, knowledge=knowledge)
    return _tag_nfc(text, knowledge or default_knowledge())


def _tag_nfc(text: str, knowledge: Knowledge) -> TagResult:
    folded = match_view(text)
    paragraphs = paragraph_view(text)
    breaks = hard_breaks(paragraphs)
    dates = find_dates(folded, text)
    full = find_numbers(folded, text)
    short = find_short_forms(folded, text, full, breaks)
    mentions = sorted(full + short, key=lambda m: m.start)
    # A date inside a mention's own span (e.g. a number containing a year) is not separate.
    attach_context(mentions, dates, folded, breaks=breaks)
    _propagate_list_context(mentions, folded)
    identity, own = read_identity(text, folded, full, dates, paragraphs)
    mentions = [m for m in mentions if m is not own]
    _link_aliases(mentions, folded)
    refs = _resolve(mentions, text, knowledge, identity)
    kept = [(m, r) for m, r in zip(mentions, refs) if r is not None]
    mentions = [m for m, _ in kept]
    references = [r for _, r in kept]
    references, relations = _relate(text, folded, mentions, references, identity)
    return TagResult(identity, tuple(references), tuple(dates), tuple(relations))


# --- lists ------------------------------------------------------------------------

_COORD = re.compile(r"[ ,]*(?:(?:va|and|und|sowie|cung|as well as|,)[ ]*)*(?:cac |the |der |die )?$")


def _propagate_list_context(mentions: list[Mention], folded: str) -> None:
    """In "Resolution No. 18-NQ/TW, Resolution No. 19-NQ/TW of the 12th Central
    Executive Committee" the body and term after the last member belong to all
    members; dates do not (each document has its own)."""
    for i in range(len(mentions) - 2, -1, -1):
        a, b = mentions[i], mentions[i + 1]
        if a.date is not None or (a.body and a.term):
            continue
        if a.number and b.number and a.number.issuer_code != b.number.issuer_code:
            continue  # "46-CTr/TU và Nghị quyết 03/NQ-CP của Chính phủ": different issuers
        # The next member's span already starts at its type word ("…, Nghị quyết
        # số 19-NQ/TW"), so only linking words may stand between them.
        if not _COORD.match(folded, a.end, b.start):
            continue
        if a.body is None:
            a.body = b.body
        if a.term is None:
            a.term = b.term


# --- aliases: "(sau đây gọi tắt là Nghị quyết 57)" ---------------------------------

def _link_aliases(mentions: list[Mention], folded: str) -> None:
    starts = [m.start for m in mentions]
    for am in ALIAS.finditer(folded):
        i = bisect.bisect_left(starts, am.end())
        if i >= len(mentions) or mentions[i].start > am.end() + 4 or not mentions[i].short:
            continue
        # the nearest full citation that ends before the parenthesis
        j = bisect.bisect_left(starts, am.start()) - 1
        while j >= 0 and (mentions[j].short or mentions[j].end > am.start()):
            j -= 1
        if j >= 0 and am.start() - mentions[j].end < 400:
            mentions[i].alias_target = mentions[j]


# --- resolution -------------------------------------------------------------------

def _pick(cands: list[KnownDoc], m: Mention) -> tuple[KnownDoc | None, bool]:
    """Choose among known documents sharing a number: (choice, ambiguous)."""
    if len(cands) <= 1:
        return (cands[0] if cands else None), False
    if m.date:
        exact = [c for c in cands if c.date == m.date]
        if exact:
            return exact[0], False
        same_year = [c for c in cands if c.date and c.date.year == m.date.year]
        if len(same_year) == 1:
            return same_year[0], False
        return None, False  # a dated citation of a document we do not know
    if m.term and m.term in TERM_YEARS:
        lo, hi = TERM_YEARS[m.term]
        in_term = [c for c in cands if c.date and lo <= c.date.year <= hi
                   and not (c.date.year == hi and c.date.month == 1 and hi != lo)]
        if len(in_term) == 1:
            return in_term[0], False
    return None, True


def _settle(doc_id: str, m: Mention, choice: KnownDoc | None, ambiguous: bool,
            settled: dict[str, dict[date, KnownDoc | None]]) -> tuple[KnownDoc | None, bool]:
    """Let earlier dated citations in the same text decide a bare mention.

    A dated or term-qualified citation records which document the number
    meant; a later bare mention takes it when exactly one was recorded so
    far, and stays ambiguous when the text has already cited two documents
    with that number."""
    seen = settled.setdefault(doc_id, {})
    if m.date or m.term:
        when = m.date or (choice.date if choice else None)
        if when is not None and not ambiguous:
            seen.setdefault(when, choice)
        return choice, ambiguous
    if len(seen) == 1:
        only = next(iter(seen.values()))
        return only, False
    if len(seen) > 1:
        return None, True
    return choice, ambiguous


def _resolve(mentions: list[Mention], text: str, knowledge: Knowledge,
             identity: Identity | None) -> list[Reference | None]:
    out: list[Reference | None] = []
    # What each id meant earlier in this text: a dated full citation fixes the
    # document for later bare mentions of the same number.
    settled: dict[str, dict[date, KnownDoc | None]] = {}
    # The latest full citation of each (number, type), for short forms.
    latest: dict[tuple[str | None, str | None], Reference] = {}
    # Each mention's reference, for aliases that point back at their citation.
    by_mention: dict[int, Reference | None] = {}
    for m in mentions:
        span_text = text[m.start:m.end]
        if m.number is not None:
            dn = m.number
            cands = knowledge.candidates(dn.id)
            choice, ambiguous = _pick(cands, m)
            choice, ambiguous = _settle(dn.id, m, choice, ambiguous, settled)
            year = m.date.year if m.date else (dn.year or (choice.date.year if choice and choice.date else None))
            # "Nghị quyết số 198/2025/QH15": the National Assembly numbers laws and
            # resolutions alike; the noun says which.
            # A submission numbered with a unit's code alone has its type in the noun.
            doc_type = m.type_word if (dn.type == "L" and m.type_word and m.type_word != "L") or dn.type is None else dn.type
            out.append(Reference(
                start=m.start, end=m.end, text=span_text, id=dn.id, type=doc_type, number=dn.number,
                issuer_code=dn.issuer_code, year=year, date=m.date, issuer=m.body,
                short_form=False, status="ambiguous" if ambiguous else "resolved",
                candidates=tuple(c.key for c in cands) if ambiguous else (), term=m.term,
                type_word=m.type_word,
            ))
            latest[(dn.number, dn.type)] = out[-1]  # type: ignore[assignment]
        else:
            out.append(_resolve_short(m, by_mention, latest, span_text, knowledge, settled))
        by_mention[id(m)] = out[-1]
    return out


def _resolve_short(m: Mention, by_mention: dict[int, Reference | None], latest: dict[tuple[str | None, str | None], Reference],
                   span_text: str, knowledge: Knowledge,
                   settled: dict[str, dict[date, KnownDoc | None]]) -> Reference | None:
    base = dict(start=m.start, end=m.end, text=span_text, number=m.num, short_form=True,
                date=m.date, issuer=m.body, term=m.term, type_word=m.type_word)
    # 1. an explicit alias, 2. an earlier full citation of the same type and number
    earlier: Reference | None = None
    if m.alias_target is not None:
        earlier = by_mention.get(id(m.alias_target))
    if earlier is None:
        candidates = [latest[(m.num, t)] for t in m.types if (m.num, t) in latest]
        if candidates:
            earlier = max(candidates, key=lambda r: r.start)
    if earlier is not None and earlier.id is not None:
        seen = settled.get(earlier.id, {})
        several = len(seen) > 1 and not (m.date or m.term)
        return Reference(id=earlier.id, type=earlier.type, issuer_code=earlier.issuer_code,
                         year=m.date.year if m.date else (None if several else earlier.year),
                         status="ambiguous" if several else earlier.status,
                         candidates=tuple(f"{earlier.id}@{d.isoformat()}" for d in sorted(seen)) if several else earlier.candidates,
                         **{**base, "date": m.date, "issuer": m.body or earlier.issuer})
    if m.weak:
        return None  # "Program 135" with nothing to confirm it: a name, not a citation
    # 3. a known document of that type and number
    provincial = m.body in ("provincial_party_committee", "peoples_committee")
    # ids_for lists central (TW) documents first; a citation naming a provincial
    # body cannot mean one of them.
    ids = [i_ for i_ in knowledge.ids_for(m.types, m.num or "") if not (provincial and i_.endswith("/TW"))]
    # Only types the central bodies issue and cite by bare number default to TW.
    party_types = [t for t in m.types if t in SHORT_FORM_TYPES and t != "NĐ"]
    if not ids and party_types and not provincial:
        # 4. a Party type word with no issuer: the central document
        ids = [f"{m.num}-{party_types[0]}/TW"]
    if not ids:
        return Reference(id=None, type=m.types[0] if m.types else None, issuer_code=None,
                         status="unresolved", **base)
    doc_id = ids[0]
    cands = knowledge.candidates(doc_id)
    choice, ambiguous = _pick(cands, m)
    choice, ambiguous = _settle(doc_id, m, choice, ambiguous, settled)
    parsed = parse_number(doc_id)
    year = m.date.year if m.date else (choice.date.year if choice and choice.date else None)
    return Reference(id=doc_id, type=parsed.type if parsed else None,
                     issuer_code=parsed.issuer_code if parsed else None, year=year,
                     status="ambiguous" if ambiguous else "resolved",
                     candidates=tuple(c.key for c in cands) if ambiguous else (), **base)


# --- relations ------------------------------------------------------------------------

_CUE_TYPES = [t for _, t in CUES]
_LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵäöüßçëïœ"
#: ., ! or ? before a capital, or a line break — unless the next line goes on
#: in lower case (a line wrapped by a PDF).
_ABBREVIATIONS = ("no nr tp st dr mr mrs ms art ts ths pgs gs vs ca bzw usw ggf dh "
                  "No Nr TP St Dr Mr Mrs Ms Art TS ThS PGS GS Vs Ca Bzw Usw Ggf Dh NO NR").split()
#: Not after an abbreviation ("No.", "Nr.") or a one- or two-digit number
#: ("14. April", "2. Ergebnisse"), written as look-behinds so that the
#: pattern alone decides and no Python runs per boundary.
_NOT_ABBREVIATION = "".join(f"(?<!\\b{a}\\.)" for a in _ABBREVIATIONS) + r"(?<!(?<!\d)\d\.)(?<!(?<!\d)\d\d\.)"
_SENTENCE_END = re.compile(
    r"[.!?…]" + _NOT_ABBREVIATION + r"[.!?…]*[\"”’)]*[ ]+(?=[\"“(]?[A-ZÀ-ỸĐ0-9])|\n"
)


def sentence_spans(text: str, lo: int = 0, hi: int | None = None, *, paragraphs: str | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries in ``text[lo:hi]``: hard line breaks (see
    :func:`~docsearch.refs.layout.paragraph_view`; a wrapped line is not
    one), and ., ! or ? before a capital, except after abbreviations such as
    "No." and "Nr."."""
    hi = len(text) if hi is None else hi
    view = paragraphs if paragraphs is not None else paragraph_view(text)
    ends = [m.end() for m in _SENTENCE_END.finditer(view, lo, hi)]
    starts = [lo, *ends]
    ends.append(hi)
    return [(s, e) for s, e in zip(starts, ends) if s < e and not text[s:e].isspace()]


_SENTENCE_REACH = 800


def _sentences_of(text: str, refs: list[Reference]) -> list[tuple[int, int]]:
    """The sentence around each reference, splitting only the stretches of
    text near references (exact for sentences shorter than 800 characters)."""
    windows: list[tuple[int, int]] = []
    for r in refs:
        lo, hi = max(0, r.start - _SENTENCE_REACH), min(len(text), r.end + _SENTENCE_REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    spans: list[tuple[int, int]] = []
    view = paragraph_view(text)
    for lo, hi in windows:
        spans.extend(sentence_spans(text, lo, hi, paragraphs=view))
    starts = [sp[0] for sp in spans]
    out = []
    for r in refs:
        i = max(0, bisect.bisect_right(starts, r.start) - 1)
        out.append(spans[i] if spans else (0, len(text)))
    return out


def _type_of(doc_id: str, identity: Identity | None) -> str | None:
    if identity is not None and identity.id == doc_id:
        return identity.type
    parsed = parse_number(doc_id)
    return parsed.type if parsed else None


def _post_cue(k: int, refs: list[Reference], mentions: list[Mention], folded: str,
              sentence_end: int) -> tuple[str, str | None] | None:
    """A passive cue after the reference ("X bị bãi bỏ", "X wird aufgehoben",
    "X được thay thế bởi Y"): (relation, source named by "bởi/by/durch" or None)."""
    m = mentions[k]
    start = max(m.ctx_end, m.end)
    nxt = refs[k + 1].start if k + 1 < len(refs) else len(folded)
    # "X wird durch Y ersetzt" / "X is replaced by Y" with Y before the verb.
    agent = _PASSIVE_AGENT.match(folded, start, nxt)
    if agent and k + 1 < len(refs) and refs[k + 1].id and nxt - start < 60:
        after = max(mentions[k + 1].ctx_end, refs[k + 1].end)
        found = POST_CUE.match(folded, after, min(sentence_end, after + 40)) or \
            _BARE_POST_CUE.match(folded, after, min(sentence_end, after + 40))
        if found is not None:
            return POST_CUE_TYPES.get(" ".join(found["cue"].split()), "cites"), refs[k + 1].id
    limit = min(sentence_end, start + 120, nxt)
    found = POST_CUE.search(folded, start, limit)
    if found is None or ";" in folded[start:found.start()]:
        return None
    rel = POST_CUE_TYPES.get(" ".join(found["cue"].replace(",", ", ").split()), POST_CUE_TYPES.get(found["cue"], "cites"))
    by = None
    if k + 1 < len(refs) and re.match(r"[ ,]*(?:boi|by|durch)[ ]", folded[found.end():refs[k + 1].start] + " "):
        if refs[k + 1].start - found.end() < 40 and refs[k + 1].id:
            by = refs[k + 1].id
    return rel, by


#: A verb of issuing right after a reference (German puts it last:
#: "… den Plan Nr. 172-KH/HU herausgegeben").
_ISSUED_AFTER = re.compile(r"[ ,]*(?:herausgegeben|erlassen|verabschiedet|unterzeichnet|duoc ban hanh|was issued|were issued)(?![\w])")
#: Something that ends the phrase of the references before it: a comma, or a
#: verb between them ("…, hat … den Plan", "… sieht der Plan …").
_CLAUSE_BREAK = re.compile(r",|(?<![\w])(?:hat|hatte|haben|sieht|erlies|gab|ban hanh|issued|has|had)(?![\w])")
_PASSIVE_AGENT = re.compile(r"[ ,]*(?:wird|werden|wurde|wurden|is|are|was|were|bi|duoc)[ ]+(?:durch|by|boi)[ ]+(?:(?:die|den|das|der|the)[ ]+)?")
_BARE_POST_CUE = re.compile(r"[ ,]*(?P<cue>ersetzt|aufgehoben|geandert|angepasst und erganzt|angepasst|thay the|bai bo)(?![\w])")


def _has_own_cue(k: int, refs: list[Reference], mentions: list[Mention], folded: str,
                 cues: list[tuple[int, int, str]], cue_starts: list[int], sentence_end: int) -> bool:
    """Whether reference ``k`` is followed closely by a cue of its own, i.e. it
    is the subject of the next action ("Kế hoạch số 321-KH/TU … thực hiện …")."""
    m = mentions[k]
    after = max(m.ctx_end, m.end)
    i = bisect.bisect_left(cue_starts, after)
    if i >= len(cues):
        return False
    nxt_ref = refs[k + 1].start if k + 1 < len(refs) else None
    if re.match(r"[ ,]*ve(?: viec)?[ ]", folded[after:cues[i][0]] + " "):
        return False  # "Kết luận 118 về việc điều chỉnh …": the cue is its title
    return (cues[i][0] - after < 40 and cues[i][0] < sentence_end
            and (nxt_ref is None or cues[i][0] < nxt_ref) and cues[i][2] != "cites")


_CONJUNCTION = re.compile(r"^[ ]*(?:[,;(]|va |and |und |sowie |cung |dong thoi |as well as |also )")


#: Between two coordinated references ("… Nghị quyết 57 và Kết luận 123"), after
#: the first one's own date and body: only a conjunction, comma or article.
_COORDINATION = re.compile(
    r"[ ,;]*(?:(?:ve|on|uber|zur|zum) [^;.]*?[ ,]+(?=(?:va|and|und|sowie|cung nhu)[ ]))?"
    r"(?:(?:va|and|und|sowie|cung|as well as|hoac|or|oder|cung nhu)[ ]+)?(?:(?:cac|the|der|die|des|den|dem)[ ]+)?$"
)
_TITLE_GAP = re.compile(r"[ ]*(?:(?:ve|ve viec|nham|de|on|about|zur|zum)[ ]*)?$")
_PLACE_WORDS = frozenset("tinh thanh pho huyen quan thi xa phuong".split())


def _title_gap(folded: str, text: str, start: int, end: int) -> bool:
    """Whether only a place name ("tỉnh", "Quảng Ninh") and a title marker ("về",
    "nhằm") stand between a document's description and a cue."""
    words = folded[start:end].split()
    originals = text[start:end].split()
    i = 0
    while i < len(words) and i < 5 and (words[i] in _PLACE_WORDS or originals[i][:1].isupper()):
        i += 1
    return _TITLE_GAP.match(" ".join(words[i:])) is not None


_BULLET = re.compile(r"[ \t\-–•*+|0-9.)(]*")
_UNNAMED = re.compile(r"(?:" + TYPE_WORD + r")(?![\w])(?![ ]+(?:" + NUMBER_MARK + r"[ ]*)?\d)(?![ ]+(?:nay|this|dieses|diese|dieser)(?![\w]))")


def _unnamed_subject(text: str, folded: str, clause_start: int, cue_start: int) -> bool:
    """Whether the clause opens with a document that has no number ("Kế hoạch
    của UBND tỉnh thực hiện …"): then it, not the text's own document, acts.
    A heading in capitals ("KẾ HOẠCH thực hiện …") and "Kế hoạch này" are the
    text's own document."""
    pos = _BULLET.match(folded, clause_start, cue_start).end()
    m = _UNNAMED.match(folded, pos, cue_start)
    if m is None or text[m.start():m.end()].isupper():
        return False
    # The noun must be the subject, not the object: nothing but its own
    # complement ("của UBND tỉnh") between it and the cue.
    return cue_start - m.end() < 60 and not ISSUE_VERB.search(folded, m.end(), cue_start)


def _opens_clause(folded: str, pos: int) -> bool:
    """Whether only bullets and spaces stand between the clause start and ``pos``."""
    start = max(folded.rfind("\n", 0, pos), folded.rfind(";", 0, pos), folded.rfind(". ", 0, pos) + 1)
    return not folded[start + 1:pos].strip(" \t-–•*+0123456789.)(")


def _subject_of_cue(j: int, cue_start: int, cue_type: str, mentions: list[Mention], folded: str,
                    text: str, actor: list[bool], rel_of: list[str]) -> bool:
    """Whether the document named by mention ``j`` is the one doing what the cue
    says: "Chương trình số 46-CTr/TU thực hiện …", "Conclusion No. 09-KL/BCĐ …
    summarizing the implementation of …", but not "… Nghị quyết 57 và triển
    khai …", where the cue starts a new coordinated action."""
    m = mentions[j]
    if actor[j] or rel_of[j] == "cites":
        return cue_start - m.end < 260
    if cue_type in ("implements", "based_on"):
        # "Kế hoạch số 245-KH/TU … về thực hiện Nghị quyết số 57-NQ/TW": the cue
        # is the cited document's own title. But in "gắn việc thực hiện Nghị
        # quyết 28 với thực hiện Kết luận 21" the first document does nothing.
        return _title_gap(folded, text, max(m.core_end, m.end), cue_start)
    # What lies between the document (with its own date, body and term) and the
    # cue must be one phrase: a comma or semicolon starts a new clause.
    gap = folded[max(m.core_end, m.end):cue_start]
    return len(gap) < 80 and not _CONJUNCTION.match(gap) and "," not in gap and ";" not in gap


_BEFORE, _AFTER = 130, 50


def _windows(refs: list[Reference], mentions: list[Mention], length: int) -> list[tuple[int, int]]:
    """Merged stretches of text around references where cues can matter: before
    a reference, and right after what describes it (its own cue, if any)."""
    out: list[tuple[int, int]] = []
    for r, m in zip(refs, mentions):
        lo, hi = max(0, r.start - _BEFORE), min(length, max(r.end, m.ctx_end) + _AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _relate(text: str, folded: str, mentions: list[Mention], refs: list[Reference],
            identity: Identity | None) -> tuple[list[Reference], list[Relation]]:
    # Cues only matter near references; scanning just those windows keeps the
    # large cue alternation off the rest of the text.
    cues: list[tuple[int, int, str]] = []
    verbs: list[tuple[int, int]] = []
    for lo, hi in _windows(refs, mentions, len(folded)):
        for cm in CUE.finditer(folded, lo, hi):
            cues.append((cm.start(), cm.end(), _CUE_TYPES[int((cm.lastgroup or "c0")[1:])]))
        for tm in THEO.finditer(folded, lo, hi):
            # Vietnamese "theo" is "according to" only when it opens the clause
            # ("Theo Quy định số …, …"); inside a sentence it is just a citation.
            if tm.group(0).startswith("theo") and not _opens_clause(folded, tm.start()):
                continue
            cues.append((tm.start(), tm.end(), "based_on"))
        verbs.extend((v.start(), v.end()) for v in ISSUE_VERB.finditer(folded, lo, hi))
    cues.sort()
    sent_of = _sentences_of(text, refs)
    out_refs: list[Reference] = list(refs)
    rel_of: list[str] = ["cites"] * len(refs)
    source_of: list[str | None] = [None] * len(refs)
    actor: list[bool] = [False] * len(refs)
    cue_of: list[tuple[int, int, str] | None] = [None] * len(refs)
    unnamed: list[bool] = [False] * len(refs)  # the actor is a document without a number

    cue_starts = [c[0] for c in cues]
    verb_starts = [v[0] for v in verbs]

    index_of = {id(m): i for i, m in enumerate(mentions)}
    for k, r in enumerate(refs):
        s_start, _ = sent_of[k]
        target = mentions[k].alias_target
        if target is not None and id(target) in index_of and index_of[id(target)] < k:
            # "(sau đây gọi tắt là Nghị quyết 57)" stands where the full citation stands.
            t = index_of[id(target)]
            rel_of[k], source_of[k], cue_of[k] = rel_of[t], source_of[t], cue_of[t]
            continue
        clause_start = max(s_start, folded.rfind(";", s_start, r.start) + 1)
        prev_end = refs[k - 1].end if k > 0 and refs[k - 1].start >= clause_start else clause_start
        # The nearest cue between the previous reference (or the clause start) and this one.
        cue = None
        i = bisect.bisect_right(cue_starts, r.start) - 1
        while i >= 0 and cues[i][0] >= prev_end:
            cs, ce, ct = cues[i]
            if ce <= r.start + 1 and r.start - ce < _BEFORE:
                cue = (cs, ce, ct)
                break
            i -= 1
        v = bisect.bisect_left(verb_starts, r.start) - 1
        last_verb = verbs[v] if v >= 0 else None
        verb_before = (last_verb is not None and last_verb[0] >= prev_end and last_verb[1] <= r.start
                       and r.start - last_verb[1] < 60)
        verb_after = _ISSUED_AFTER.match(folded, max(mentions[k].core_end, r.end)) is not None
        if (verb_before and last_verb is not None and (cue is None or cue[1] < last_verb[0])) or (
                verb_after and cue is None):
            actor[k] = True
            continue
        if cue is not None:
            rel_of[k] = cue[2]
            cue_of[k] = cue
            # The source: a document named just before the cue in the same clause
            # ("Chương trình số 46-CTr/TU thực hiện Nghị quyết 57").
            for j in range(k - 1, -1, -1):
                if refs[j].start < clause_start:
                    break
                if refs[j].end <= cue[0] and _subject_of_cue(j, cue[0], cue[2], mentions, folded, text, actor, rel_of):
                    if refs[j].id and refs[j].id != r.id:
                        source_of[k] = refs[j].id
                    break
            if source_of[k] is None and _unnamed_subject(text, folded, clause_start, cue[0]):
                unnamed[k] = True
        else:
            post = _post_cue(k, refs, mentions, folded, sent_of[k][1])
            if post is not None:
                rel_of[k], by = post
                if by is not None:
                    source_of[k] = by
            elif (k > 0 and refs[k - 1].start >= clause_start and not actor[k - 1]
                  and rel_of[k - 1] != "cites" and not _has_own_cue(k, refs, mentions, folded, cues, cue_starts, sent_of[k][1])):
                # "thực hiện Nghị quyết 57 và Kết luận 123": a coordinated
                # reference shares the cue of the one before it.
                prev_core = max(mentions[k - 1].core_end, refs[k - 1].end)
                if _COORDINATION.match(folded, prev_core, r.start):
                    rel_of[k] = rel_of[k - 1]
                    source_of[k] = source_of[k - 1]
                    unnamed[k] = unnamed[k - 1]

    # A document issued later in the same sentence is the source of the
    # relations before it: "Thực hiện Nghị quyết 57, Tỉnh ủy ban hành Chương
    # trình 46". When the sentence opens with the cue ("Zur Umsetzung der
    # Richtlinie 45 sieht der Plan Nr. 468-KH/TU vor"), the first document
    # named after a break in the clause is the one doing it.
    for k, r in enumerate(refs):
        if rel_of[k] == "cites" or source_of[k] is not None:
            continue
        opening = cue_of[k] is not None and not text[sent_of[k][0]:cue_of[k][0]].strip(" \t-–•*0123456789.)(")
        for j in range(k + 1, len(refs)):
            if sent_of[j] != sent_of[k]:
                break
            if not refs[j].id or refs[j].id == r.id:
                continue
            if actor[j]:
                source_of[k] = refs[j].id
                break
            if opening and rel_of[j] == "cites" and _CLAUSE_BREAK.search(folded, refs[j - 1].end, refs[j].start):
                source_of[k] = refs[j].id
                break

    own = identity.id if identity else None
    relations: list[Relation] = []
    seen: dict[tuple[str, str], int] = {}
    for k, r in enumerate(refs):
        if unnamed[k] and source_of[k] is None:
            rel_of[k] = "cites"  # another, unnumbered document acts; the text only cites
        source = source_of[k] or own
        if source is None or r.id is None or source == r.id:
            # A relation links two documents: "the province implements
            # Resolution 57" names no document doing it, so it is a citation.
            if r.relation != "cites":
                out_refs[k] = replace(r, relation="cites")
            continue
        rel_type = rel_of[k]
        if rel_type == "implements" and _type_of(source, identity) == "HD":
            rel_type = "guides"  # an instruction carrying out a document guides it
        rel_of[k] = rel_type
        if rel_type != r.relation:
            out_refs[k] = replace(r, relation=rel_type)
        s, e = sent_of[k]
        evidence = text[s:e].strip()
        if len(evidence) > 500:
            lo = max(s, r.start - 250)
            hi = min(e, r.end + 250)
            evidence = ("…" if lo > s else "") + text[lo:hi].strip() + ("…" if hi < e else "")
        rel = Relation(source=source, target=r.id, type=rel_of[k], evidence=evidence,
                       evidence_start=s, evidence_end=e, target_date=r.date)
        key = (source, r.id)
        if key in seen:
            prior = relations[seen[key]]
            if prior.type == "cites" and rel.type != "cites":
                relations[seen[key]] = replace(rel, target_date=rel.target_date or prior.target_date)
            elif prior.target_date is None and rel.target_date is not None:
                relations[seen[key]] = replace(prior, target_date=rel.target_date)
            continue
        seen[key] = len(relations)
        relations.append(rel)
    return out_refs, relations


# --- text that is not NFC -------------------------------------------------------------

_CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.S)


def _tag_denormalized(text: str, *, lang: str | None, knowledge: Knowledge | None) -> TagResult:
    """Tag NFC text and map every offset back onto the original (e.g. NFD) text."""
    pieces: list[str] = []
    starts: list[int] = []  # original offset of each NFC character
    for m in _CLUSTER.finditer(text):
        nfc = unicodedata.normalize("NFC", m.group(0))
        for ch in nfc:
            pieces.append(ch)
            starts.append(m.start())
    normalized = "".join(pieces)
    starts.append(len(text))
    inner = _tag_nfc(normalized, knowledge or default_knowledge())

    def at(i: int) -> int:
        return starts[min(i, len(starts) - 1)]

    def span(s: int, e: int) -> tuple[int, int]:
        # The end of a span is the start of the next NFC character in the original.
        return at(s), at(e)

    refs = []
    for r in inner.references:
        s, e = span(r.start, r.end)
        refs.append(replace(r, start=s, end=e, text=text[s:e]))
    dates = []
    for d in inner.dates:
        s, e = span(d.start, d.end)
        dates.append(DateMention(s, e, text[s:e], d.date))
    rels = []
    for rel in inner.relations:
        s, e = span(rel.evidence_start, rel.evidence_end)
        rels.append(replace(rel, evidence_start=s, evidence_end=e))
    ident = inner.self
    if ident is not None:
        s, e = span(ident.start, ident.end)
        ident = replace(ident, start=s, end=e)
    return TagResult(ident, tuple(refs), tuple(dates), tuple(rels))
