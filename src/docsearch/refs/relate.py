"""Relations between documents, in passes over one record per reference.

1. **Structure** (:mod:`~docsearch.refs.structure`): where each reference
   stands: the document's own title, its preamble ("Căn cứ …;" up to
   "QUYẾT ĐỊNH:"), its articles ("Điều 1. …") or running text.
2. **Nesting**: whether a reference is named inside the description of
   another ("Nghị định số 24/2006/NĐ-CP … sửa đổi, bổ sung … Nghị định số
   57/2002/NĐ-CP"): then the outer document is the one that acts on it.
3. **Cue scope**: the cue ("thực hiện", "căn cứ", "bãi bỏ" …) that governs
   each reference: the nearest one before it within its own scope (its
   parent's description, its clause, its sentence), or a passive one after it.
4. **Actor**: which document asserts the relation: the parent, the text's
   own document (title, preamble, articles), a document named as the subject
   of the cue, or one issued later in the sentence.

The result is one :class:`~docsearch.models.Relation` per (source, target,
type), with ``cites`` only where nothing stronger is said of the pair.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import NamedTuple

from ..models import Identity, Reference, Relation, new_reference
from .find import Mention, hard_breaks
from .grammar import BARE_POST_CUE as _BARE_POST_CUE
from .grammar import CLAUSE_BREAK as _CLAUSE_BREAK
from .grammar import CONTENT_OF as _CONTENT_OF
from .grammar import CUE, CUES, ISSUE_VERB, NUMBER_MARK, POST_CUE, POST_CUE_TYPES, THEO, TYPE_WORD, type_codes_for_word
from .grammar import DESCRIPTION as _DESCRIPTION
from .grammar import DRAFT_DOCUMENT as _UNNAMED_BEFORE
from .grammar import FINITE_VERB as _FINITE
from .grammar import ISSUED_AFTER as _ISSUED_AFTER
from .grammar import NEW_DOCUMENT as _NEW_DOCUMENT
from .grammar import PASSIVE_AGENT as _PASSIVE_AGENT
from .grammar import PASSIVE_BEFORE as _PASSIVE
from .grammar import PASSIVE_BY as _BY
from .grammar import SELF_NAMED as _SELF_NAMED
from .grammar import SIDE_BY_SIDE as _SIDE_BY_SIDE
from .grammar import UNNAMED_DOCUMENT as _UNNAMED
from .issuers import find_issuer
from .layout import paragraph_view
from .numbers import parse_number
from .prescan import Dispatched, Prescanned, finditer_at, literal_openings
from .structure import Structure, read_structure

# --- relations ------------------------------------------------------------------------

_CUE_TYPES = [t for _, t in CUES]
# The cue, "theo" and issuing-verb alternations, tried only where one can start.
# Each candidate tried with the cues that can open with its two letters.
_CUE_AT = Dispatched(CUE, r"(?<![\w])", [(f"c{i}", p) for i, (p, _) in enumerate(CUES)], r"(?![\w])")


class _Openings(NamedTuple):
    """Where a cue, "theo" or an issuing verb can start (all three open at a
    word boundary): one scan of a window finds the places to try each of
    them; "theo" and the issuing verbs are tried only at the places that
    open with one of their first two letters."""

    scan: Prescanned
    theo_pairs: frozenset[str]
    verb_pairs: frozenset[str]


@functools.cache
def _openings() -> _Openings:
    """Made on first use: compiling the three alternations as one costs a few
    milliseconds, which importing the tagger need not pay."""
    scan = Prescanned(re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p.pattern})" for p in (CUE, THEO, ISSUE_VERB)) + ")"), 7)
    theo_words, verb_words = literal_openings(THEO, 5), literal_openings(ISSUE_VERB)
    assert theo_words is not None and verb_words is not None
    return _Openings(scan, frozenset(w[:2] for w in theo_words), frozenset(w[:2] for w in verb_words))


# Searched over stretches of a sentence, once per citation.
_POST_CUE_SCAN = Prescanned(POST_CUE, 5)
#: Nine characters: "thông qua" is told from "thông tư", "thông tin" there.
_ISSUE_VERB_SCAN = Prescanned(ISSUE_VERB, 9)
_SELF_NAMED_SCAN = Prescanned(_SELF_NAMED, 5)
_NEW_DOCUMENT_SCAN = Prescanned(_NEW_DOCUMENT, 5)
#: ., ! or ? before a capital, or a line break — unless the next line goes on
#: in lower case (a line wrapped by a PDF).
_ABBREVIATIONS = ("no nr tp st dr mr mrs ms art ts ths pgs gs vs ca bzw usw ggf dh "
                  "No Nr TP St Dr Mr Mrs Ms Art TS ThS PGS GS Vs Ca Bzw Usw Ggf Dh NO NR").split()
#: Not after an abbreviation ("No.", "Nr.") or a one- or two-digit number
#: ("14. April", "2. Ergebnisse"), written as look-behinds so that the
#: pattern alone decides and no Python runs per boundary.
#: One look-behind per length of abbreviation (a look-behind has one width).
_NOT_ABBREVIATION = "".join(
    "(?<!\\b(?:" + "|".join(a for a in _ABBREVIATIONS if len(a) == n) + ")\\.)"
    for n in sorted({len(a) for a in _ABBREVIATIONS})
) + r"(?<!(?<!\d)\d\.)(?<!(?<!\d)\d\d\.)"
#: Written to open with one character class (the break or the stop, told
#: apart after it) so that the regex engine skips along to those characters.
_SENTENCE_END = re.compile(
    r"[.!?…\n](?:(?<=\n)|(?<=[.!?…])" + _NOT_ABBREVIATION + r"[.!?…]*[\"”’)]*[ ]+(?=[\"“(]?[A-ZÀ-ỸĐ0-9]))"
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
    # A sentence that starts with a letter is not blank: no need to copy it to see.
    return [(s, e) for s, e in zip(starts, ends, strict=True)
            if s < e and (not text[s].isspace() or not text[s:e].isspace())]


_SENTENCE_REACH = 800


def _sentences_of(text: str, refs: list[Reference], view: str) -> list[tuple[int, int]]:
    """The sentence around each reference, splitting only the stretches of
    text near references (exact for sentences shorter than 800 characters)."""
    windows: list[tuple[int, int]] = []
    size = len(text)
    # Comparisons rather than min() and max(), whose parsing of their
    # arguments costs more than the test, once or twice per reference.
    for r in refs:
        lo = r.start - _SENTENCE_REACH if r.start > _SENTENCE_REACH else 0
        hi = r.end + _SENTENCE_REACH
        if hi > size:
            hi = size
        if windows and lo <= windows[-1][1]:
            if hi > windows[-1][1]:
                windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    # Each window's sentence starts (its own start, then each boundary); the
    # sentence of a reference is the one its first character falls in. That
    # character is never a space, so the sentence is not blank and is the one
    # sentence_spans would list for it: only the sentences holding references
    # are made, not every one of the windows.
    lows = [lo for lo, _ in windows]
    if lows != sorted(lows):
        return _sentences_listed(text, windows, refs, view)
    ends = _SENTENCE_END.finditer
    cuts = [[lo] + [m.end() for m in ends(view, lo, hi)] for lo, hi in windows]
    out = []
    for r in refs:
        w = bisect.bisect_right(lows, r.start) - 1
        if w < 0 or r.start >= windows[w][1] or text[r.start].isspace():
            return _sentences_listed(text, windows, refs, view)
        starts = cuts[w]
        k = bisect.bisect_right(starts, r.start) - 1
        out.append((starts[k], starts[k + 1] if k + 1 < len(starts) else windows[w][1]))
    return out


def _sentences_listed(text: str, windows: list[tuple[int, int]], refs: list[Reference],
                      view: str) -> list[tuple[int, int]]:
    """:func:`_sentences_of` from every sentence of the windows (for
    references out of order, or one that opens with a space, which no
    finder makes)."""
    spans: list[tuple[int, int]] = []
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


#: "bởi", "bằng" ("được thay thế bằng …"), "by", "durch" before the agent
#: of a passive, after the verb or before the agent's citation.
_AGENT_WORD = r"[ ,]*(?:boi|bang|by|durch)"
_BY_AGENT = re.compile(_AGENT_WORD + r"[ ]")
_ABOUT = re.compile(r"[ ,]*ve(?: viec)?[ ]")


def _post_cue(k: int, refs: list[Reference], mentions: list[Mention], folded: str,
              sentence_end: int) -> tuple[str, str | None, tuple[str, ...]] | None:
    """A passive cue after the reference ("X bị bãi bỏ", "X wird aufgehoben",
    "X được thay thế bởi Y"): (relation, source named by "bởi/by/durch" or None)."""
    m = mentions[k]
    start = m.ctx_end if m.ctx_end > m.end else m.end
    nxt = refs[k + 1].start if k + 1 < len(refs) else len(folded)
    # "X wird durch Y ersetzt" / "X is replaced by Y" with Y before the verb.
    agent = _PASSIVE_AGENT.match(folded, start, nxt)
    if agent and k + 1 < len(refs) and refs[k + 1].id and nxt - start < 60:
        after = max(mentions[k + 1].ctx_end, refs[k + 1].end)
        found = POST_CUE.match(folded, after, min(sentence_end, after + 40)) or \
            _BARE_POST_CUE.match(folded, after, min(sentence_end, after + 40))
        if found is not None:
            return POST_CUE_TYPES.get(" ".join((found["cue"] or "").split()), "cites"), refs[k + 1].id, ()
    # "Thông tư số 96/… và Thông tư số 44/… hết hiệu lực": past the members
    # listed beside it, the verb after the last one.
    j = k + 1
    while j < len(refs) and j - k < 12 and _SIDE_BY_SIDE.match(folded, max(mentions[j - 1].core_end, refs[j - 1].end),
                                                                refs[j].start):
        start = max(mentions[j].ctx_end, refs[j].end)
        j += 1
    nxt = refs[j].start if j < len(refs) else len(folded)
    limit = min(sentence_end, start + 120, nxt)
    found = _POST_CUE_SCAN.search(folded, start, limit)
    if found is None or ";" in folded[start:found.start()]:
        return None
    said = found["cue"] or found["expires"]
    rel = POST_CUE_TYPES.get(" ".join(said.replace(",", ", ").split()), POST_CUE_TYPES.get(said, "cites"))
    # "… bị bãi bỏ, thay thế bởi …": each verb of the chain is said of it.
    end = found.end()
    also: list[str] = []
    while (more := _CHAINED_POST_CUE.match(folded, end, limit)) is not None:
        said = " ".join(more["cue"].replace(",", ", ").split())
        t = POST_CUE_TYPES.get(said, POST_CUE_TYPES.get(more["cue"], "cites"))
        if t != rel and t not in also:
            also.append(t)
        end = more.end()
    by = None
    # The agent is the first citation after the verb, past the members listed
    # before it ("Các Nghị định số 32/…, 45/… bị bãi bỏ bởi Nghị định 99/…").
    if j < len(refs) and refs[j].id and refs[j].start - end < 40:
        gap = folded[end:refs[j].start] + " "
        if _BY_AGENT.match(gap) or (found["expires"] and _FROM_DAY.match(gap)
                                    and _takes_effect(folded, mentions[j], refs[j])):
            # "… hết hiệu lực kể từ ngày Quyết định số 15/… có hiệu lực": the
            # document whose coming into force ends it.
            by = refs[j].id
    return rel, by, tuple(also)


#: A verb joined to a passive cue: "bị bãi bỏ, thay thế", "is repealed and replaced".
_CHAINED_POST_CUE = re.compile(
    r"[ ,]+(?:(?:va|hoac|and|or|und|bzw\.)[ ]+)?(?:(?:bi|duoc|is|was|wird|wurde)[ ]+)?"
    r"(?P<cue>bai bo|thay the|het hieu luc|sua doi,? bo sung|repealed|replaced|superseded|amended|abolished|"
    r"aufgehoben|ersetzt|geandert)(?![\w])"
)
#: "… hết hiệu lực kể từ ngày …", "… expires on the date …".
_FROM_DAY = re.compile(
    r"[ ,]*(?:thi hanh[ ]+)?(?:(?:ke[ ]+)?tu[ ]+ngay|(?:on|from)[ ]+the[ ]+date(?:[ ]+(?:on[ ]+which|when))?)[ ]+"
)
_TAKES_EFFECT = re.compile(r"[^.;]{0,60}?(?<![\w])(?:co hieu luc|takes? effect|enters? into force|in kraft tritt)(?![\w])")


def _takes_effect(folded: str, m: Mention, r: Reference) -> bool:
    """Whether what follows a citation says that it comes into force."""
    return _TAKES_EFFECT.match(folded, r.end if r.end > m.core_end else m.core_end) is not None


def _cue_chain(folded: str, cues: Cues, cue: tuple[int, int, str],
               kinds: frozenset[str] | None = None) -> tuple[int, list[str]]:
    """Back from ``cue`` over the cues joined to it ("bãi bỏ, thay thế",
    "repeals and replaces"), those of ``kinds`` only when given: where the
    chain starts, and its relation types, ``cue``'s own first, each once."""
    i = bisect.bisect_left(cues.starts, cue[0])
    start = cue[0]
    types = [cue[2]]
    while i > 0 and cues.cues[i - 1][1] <= start and start - cues.cues[i - 1][1] < 8 \
            and _CUE_CHAIN_GAP.match(folded, cues.cues[i - 1][1], start) \
            and (kinds is None or cues.cues[i - 1][2] in kinds):
        i -= 1
        start = cues.cues[i][0]
        if cues.cues[i][2] not in types:
            types.append(cues.cues[i][2])
    return start, types


def _chained_before(folded: str, cues: Cues, cue: tuple[int, int, str]) -> list[str]:
    """The other changes joined to a cue that changes a document: "bãi bỏ và
    thay thế X", "repeals and replaces X" state both of X."""
    if cue[2] not in _MODIFYING:
        return []
    return _cue_chain(folded, cues, cue, _MODIFYING)[1][1:]


#: The auxiliary of a passive before a cue: "đã bị bãi bỏ", "was replaced".
_PASSIVE_AUX = re.compile(r"(?<![\w])(?:bi|duoc|is|are|was|were|been|be|wird|wurde|werden|wurden)[ ]+$")
_CUE_CHAIN_GAP = re.compile(r"[ ,]*(?:(?:va|hoac|and|or|und)[ ]+)?$")
_AGENT_BEFORE = re.compile(_AGENT_WORD + r"[ ]+(?:(?:the|den|die|das|der|cac)[ ]+)?$")


def _agent_of(folded: str, cues: Cues, cue: tuple[int, int, str], m: Mention, r: Reference) -> list[str]:
    """The relation types a citation after a passive cue (or a chain of them,
    "bị bãi bỏ, thay thế bởi") asserts as their agent; empty when it is not one."""
    gap = folded[cue[1]:r.start]
    if cue[2] == "repeals" and folded.startswith("het hieu luc", cue[0]):
        day = _FROM_DAY.match(gap + " ")
        return ["repeals"] if day is not None and day.end() >= len(gap) and _takes_effect(folded, m, r) else []
    if not _AGENT_BEFORE.search(gap):
        return []
    # Back over a chain of cues ("bãi bỏ, thay thế") to the auxiliary.
    start, types = _cue_chain(folded, cues, cue)
    lo = start - 16 if start > 16 else 0
    return types if _PASSIVE_AUX.search(folded, lo, start) is not None else []




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
    if _ABOUT.match(folded[after:cues[i][0]] + " "):
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


def _unnamed_subject(text: str, folded: str, clause_start: int, cue_start: int) -> bool:
    """Whether the clause opens with a document that has no number ("Kế hoạch
    của UBND tỉnh thực hiện …"): then it, not the text's own document, acts.
    A heading in capitals ("KẾ HOẠCH thực hiện …") and "Kế hoạch này" are the
    text's own document."""
    bullet = _BULLET.match(folded, clause_start, cue_start)
    pos = bullet.end() if bullet is not None else clause_start
    m = _UNNAMED.match(folded, pos, cue_start)
    if m is None or text[m.start():m.end()].isupper():
        return False
    # The noun must be the subject, not the object: nothing but its own
    # complement ("của UBND tỉnh") between it and the cue.
    return cue_start - m.end() < 60 and not _ISSUE_VERB_SCAN.search(folded, m.end(), cue_start)


def _opens_clause(folded: str, paragraphs: str, pos: int) -> bool:
    """Whether only bullets and spaces stand between the clause start (a hard
    line break, ";" or a full stop) and ``pos``."""
    start = max(paragraphs.rfind("\n", 0, pos), folded.rfind(";", 0, pos), folded.rfind(". ", 0, pos) + 1,
                folded.rfind(": ", 0, pos) + 1)
    return not folded[start + 1:pos].strip(" \t-–•*+0123456789.)(")


def _subject_of_cue(j: int, cue_start: int, cue_type: str, mentions: list[Mention], folded: str,
                    text: str, actor: bool, relation: str) -> bool:
    """Whether the document named by mention ``j`` is the one doing what the cue
    says: "Chương trình số 46-CTr/TU thực hiện …", "Conclusion No. 09-KL/BCĐ …
    summarizing the implementation of …", but not "… Nghị quyết 57 và triển
    khai …", where the cue starts a new coordinated action."""
    m = mentions[j]
    if actor or relation == "cites":
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
#: How far a cue in running text reaches to the document it governs: "thực hiện
#: có hiệu quả Nghị quyết …", "implementing the Resolution …", but not "Việc
#: thực hiện chuẩn mực đạo đức … theo Chỉ thị 35" (its object is another noun).
_CUE_REACH = 60


def _windows(refs: list[Reference], mentions: list[Mention], length: int) -> list[tuple[int, int]]:
    """Merged stretches of text around references where cues can matter: before
    a reference, and right after what describes it (its own cue, if any)."""
    out: list[tuple[int, int]] = []
    # Comparisons rather than min() and max(), as in _sentences_of.
    for r, m in zip(refs, mentions, strict=True):
        lo = r.start - _BEFORE if r.start > _BEFORE else 0
        hi = (r.end if r.end > m.ctx_end else m.ctx_end) + _AFTER
        if hi > length:
            hi = length
        if out and lo <= out[-1][1]:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


# --- one record per reference ------------------------------------------------------

@dataclass(slots=True)
class Cite:
    """What the relation passes know of one reference."""

    ref: Reference
    mention: Mention
    sentence: tuple[int, int]
    zone: str
    relation: str = "cites"
    source: str | None = None  # None: the text's own document
    parent: int | None = None  # the citation whose description names this one
    inherit: int | None = None  # takes the relation and source of that citation
    decided: bool = False  # settled by structure; the running-text pass leaves it
    running: bool = False  # its relation comes from running text, not from the document's structure
    actor: bool = False  # the document being issued in its sentence
    cue: tuple[int, int, str] | None = None
    unnamed: bool = False  # an unnumbered document is the one acting
    extra: list[tuple[str | None, str, str]] = field(default_factory=list)  # (source, target, type)

    @property
    def core_end(self) -> int:
        """Where the citation's own number, date, issuer and term end."""
        # A comparison rather than max(): read several times per citation.
        core, end = self.mention.core_end, self.ref.end
        return core if core > end else end


#: What a change acts on when it names a part of a document: "bãi bỏ (các)
#: quy định tại Điều 4 …", "sửa đổi nội dung tại khoản 2 …".
_PART_OF_CHANGE = re.compile(r"[ ]*(?:(?:cac|mot so|mot phan|toan bo|nhung|noi dung|cum tu)[ ]+){0,3}$")


class Cues:
    """Relation cues and verbs of issuing near references, sorted."""

    def __init__(self, folded: str, paragraphs: str, refs: list[Reference], mentions: list[Mention],
                 breaks: list[int]) -> None:
        self.cues: list[tuple[int, int, str]] = []
        self.verbs: list[tuple[int, int]] = []
        # Cues only matter near references; scanning just those windows keeps
        # the large cue alternation off the rest of the text.
        ref_starts = [r.start for r in refs]
        windows = _windows(refs, mentions, len(folded))
        cue_at = _CUE_AT.match
        openings = _openings()
        theo_pairs, verb_pairs = openings.theo_pairs, openings.verb_pairs
        for lo, hi in windows:
            # Every place in the window where one of the three can start, in
            # order: a cue is the first match at or after where the last one
            # ended, as a search from there would find it.
            starts = openings.scan.candidates(folded, lo, hi)
            pos = lo
            for at in starts:
                if at < pos or (cm := cue_at(folded, at, hi)) is None:
                    continue
                pos = cm.end()
                cut = bisect.bisect_left(breaks, cm.start())
                if cut < len(breaks) and breaks[cut] < cm.end():
                    # A cue does not run over a hard line break ("HƯỚNG DẪN" /
                    # "thực hiện …"): look again from the break.
                    pos = breaks[cut] + 1
                    continue
                if cm.group(0).startswith("can cu") and not _opens_clause(folded, paragraphs, cm.start()):
                    continue  # "… là căn cứ quan trọng để …": the noun, not "on the basis of"
                self.cues.append((cm.start(), cm.end(), _CUE_TYPES[int((cm.lastgroup or "c0")[1:])]))
            theo_at = [at for at in starts if folded[at:at + 2] in theo_pairs]
            verb_at = [at for at in starts if folded[at:at + 2] in verb_pairs]
            for tm in finditer_at(THEO, folded, theo_at, lo, hi):
                # Vietnamese "theo" is "according to" only when it opens the clause
                # ("Theo Quy định số …, …"); inside a sentence ("thực hiện chủ
                # trương … theo Nghị quyết 15") it only cites, and it stands
                # between the document and any cue before it.
                opens = not tm.group(0).startswith("theo") or _opens_clause(folded, paragraphs, tm.start())
                i = bisect.bisect_left(ref_starts, tm.end() - 1)
                if i >= len(refs) or not (refs[i].start <= tm.end() + 2 and refs[i].end > tm.end()):
                    # "According to the report, …": "theo" names an unnumbered
                    # document of its own, and governs nothing after it.
                    continue
                self.cues.append((tm.start(), tm.end(), "based_on" if opens else "cites"))
            self.verbs.extend((v.start(), v.end()) for v in finditer_at(ISSUE_VERB, folded, verb_at, lo, hi))
        # "Hướng dẫn số 26-HD/BTCTW" names a document; its type word is no cue.
        spans = sorted((r.start, r.end) for r in refs)
        span_starts = [sp[0] for sp in spans]

        def inside(pos: int) -> bool:
            i = bisect.bisect_right(span_starts, pos) - 1
            return i >= 0 and spans[i][0] <= pos < spans[i][1]

        self.cues = sorted(c for c in self.cues if not inside(c[0]))
        self.starts = [c[0] for c in self.cues]
        self.verb_starts = [v[0] for v in self.verbs]

    def nearest_before(self, pos: int, lo: int, reach: int = 10_000) -> tuple[int, int, str] | None:
        """The last cue that ends before ``pos`` and starts at or after ``lo``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0 and self.cues[i][0] >= lo:
            cs, ce, ct = self.cues[i]
            if ce <= pos + 1 and pos - ce < reach:
                return cs, ce, ct
            i -= 1
        return None

    def governing(self, folded: str, cue: tuple[int, int, str] | None) -> tuple[int, int, str] | None:
        """``cue``, or the change just before it when ``cue`` is a neutral
        "quy định tại", "nội dung tại" … naming the change's object: in "bãi
        bỏ các quy định tại Điều 4 Thông tư số 111/…" the repeal governs."""
        if cue is None or cue[2] != "cites" or not folded.startswith("tai", cue[1] - 3):
            return cue
        i = bisect.bisect_left(self.starts, cue[0]) - 1
        if i >= 0 and self.cues[i][2] in _MODIFYING and cue[0] - self.cues[i][1] < 30 \
                and _PART_OF_CHANGE.match(folded, self.cues[i][1], cue[0]):
            return self.cues[i]
        return cue

    def verb_before(self, pos: int, lo: int) -> tuple[int, int] | None:
        v = bisect.bisect_left(self.verb_starts, pos) - 1
        if v >= 0 and self.verbs[v][0] >= lo and self.verbs[v][1] <= pos:
            return self.verbs[v]
        return None


def relate(text: str, folded: str, paragraphs: str, mentions: list[Mention], refs: list[Reference],
           identity: Identity | None, *, breaks: list[int] | None = None,
           lines_folded: str | None = None) -> tuple[list[Reference], list[Relation]]:
    """The relations the text asserts between documents, and each reference
    with the relation that applies to it (see the module docstring)."""
    if not refs:
        return [], []
    cites = relate_cites(text, folded, paragraphs, mentions, refs, identity, breaks=breaks,
                         lines_folded=lines_folded)
    return emit(text, cites, identity)


def relate_cites(text: str, folded: str, paragraphs: str, mentions: list[Mention], refs: list[Reference],
                 identity: Identity | None, *, breaks: list[int] | None = None, lines_folded: str | None = None,
                 structure: Structure | None = None) -> list[Cite]:
    """What the passes decide for each reference, before the relations are
    gathered by :func:`emit`. ``structure`` is given for a piece of a longer
    text, whose zones were read from its beginning."""
    breaks = hard_breaks(paragraphs) if breaks is None else breaks
    if structure is None:
        structure = read_structure(text, folded, paragraphs, identity, lines_folded)
    sentences = _sentences_of(text, refs, paragraphs)
    cites = [Cite(r, m, sentences[k], structure.zone_at(r.start)) for k, (r, m) in enumerate(zip(refs, mentions, strict=True))]
    cues = Cues(folded, paragraphs, refs, mentions, breaks)
    _aliases(cites, mentions)
    _nest(cites, folded, text, structure)
    _described(cites, folded, text, cues)
    _structured(cites, folded, paragraphs, structure, cues, identity)
    _running_text(cites, folded, text, paragraphs, cues, own=identity)
    _inherit(cites)
    _implemented_by_type(cites, folded, text, paragraphs)
    return cites


class Decided(NamedTuple):
    """What :func:`emit` reads of a :class:`Cite`, kept for the whole of a
    long text while its pieces are read (``ref`` and ``sentence`` in the
    offsets of the whole text)."""

    ref: Reference
    sentence: tuple[int, int]
    relation: str
    source: str | None
    running: bool
    unnamed: bool
    extra: tuple[tuple[str | None, str, str], ...]

    @classmethod
    def of(cls, c: Cite, ref: Reference, offset: int) -> Decided:
        """``c`` of a piece that starts at ``offset``, with its reference ``ref`` in whole-text offsets."""
        s, e = c.sentence
        return cls(ref, (s + offset, e + offset), c.relation, c.source, c.running, c.unnamed, tuple(c.extra))


def _aliases(cites: list[Cite], mentions: list[Mention]) -> None:
    """"(sau đây gọi tắt là Nghị quyết 57)" stands where its full citation stands."""
    index_of = {id(m): i for i, m in enumerate(mentions)}
    for k, c in enumerate(cites):
        target = c.mention.alias_target
        if target is not None and index_of.get(id(target), k) < k:
            c.inherit = index_of[id(target)]
            c.decided = True


_BREAK_AFTER_COMMA = re.compile(r",[ ]*")
_ACTS_AFTER = re.compile(r"[ ,]*(?:cung ngay[ ,]*)?(?=" + CUE.pattern + r")")


def _nest(cites: list[Cite], folded: str, text: str, structure: Structure) -> None:
    """Which citations are named inside another's description: "Quyết định số
    282/QĐ-TTg … ban hành Kế hoạch thực hiện Chỉ thị số 48-CT/TW", "Kế hoạch
    207-KH/TU … về triển khai Chỉ thị 35". A citation listed beside another
    ("Nghị quyết 18-NQ/TW …; Nghị quyết 19-NQ/TW", "…, hướng dẫn số 26") has
    the same parent as it."""
    for k in range(1, len(cites)):
        c, p = cites[k], cites[k - 1]
        if c.sentence != p.sentence or c.zone != p.zone:
            continue
        lo = p.core_end
        if c.ref.start < lo:
            continue
        gap = folded[lo:c.ref.start]
        clause = structure.clause_at(c.ref.start)
        if clause is not None and clause is not structure.clause_at(p.ref.start):
            continue
        if ";" in gap and p.parent is not None and _continues_list(folded, p.core_end, c.ref.start) \
                and ":" in folded[cites[p.parent].core_end:p.ref.start]:
            # "… bãi bỏ 4 văn bản, gồm: Quyết định số 58/2008/QĐ-TTg …; Quyết định
            # số 12/2013/QĐ-TTg …": the next item of an enumeration in a description.
            c.parent, c.inherit, c.decided = p.parent, k - 1, True
            continue
        if ";" in gap or len(gap) > 400:
            continue
        if _SIDE_BY_SIDE.match(gap):
            # Listed beside the one before: same parent, and what is said of
            # that one is said of this one. But a citation with a description
            # of its own that acts ("… Kế hoạch số 320-KH/TU … thực hiện Nghị
            # quyết 66 và Kế hoạch số 321-KH/TU cùng ngày thực hiện Nghị quyết
            # 68") stands beside the parent, not beside the nested one.
            twin = k - 1
            if p.parent is not None and _ACTS_AFTER.match(folded, c.core_end):
                twin = p.parent
            c.parent = cites[twin].parent
            c.inherit = twin
            c.decided = True
            continue
        if not (_DESCRIPTION.match(gap) or CUE.match(folded, lo + len(gap) - len(gap.lstrip(" ,")))):
            continue
        if _new_clause(folded, text, lo, c.ref.start):
            continue
        c.parent = k - 1


def _new_clause(folded: str, text: str, lo: int, hi: int) -> bool:
    """Whether a comma between ``lo`` and ``hi`` opens a new clause with its own
    subject or verb ("…, Tỉnh ủy ban hành Chương trình 46", "…, the committee issued")."""
    if _FINITE.search(folded, lo, hi):
        return True  # "… über Parteitage … hatte der Ständige Ausschuss … den Plan"
    for m in _BREAK_AFTER_COMMA.finditer(folded, lo, hi):
        if find_issuer(text, folded, m.end(), hi) is not None:
            return True
        if _ISSUE_VERB_SCAN.search(folded, m.end(), min(hi, m.end() + 60)):
            return True
    return False




def _described(cites: list[Cite], folded: str, text: str, cues: Cues) -> None:
    """A nested citation takes its relation from the cue in its parent's
    description: the parent acts on it ("Nghị định 24/2006 … sửa đổi, bổ sung
    … Nghị định 57/2002": amends). A passive cue ("… được sửa đổi, bổ sung
    tại Nghị định 107/2020") turns it round. Without a cue it is listed with
    its parent and shares what is said of it."""
    for k, c in enumerate(cites):
        if c.parent is None or c.decided:
            continue
        parent = cites[c.parent]
        lo = max(cites[k - 1].core_end, parent.core_end)
        cue = cues.nearest_before(c.ref.start, lo)
        if cue is None or _beside_parents_cue(folded, cues, cue, parent):
            c.inherit = c.parent
            c.decided = True
            continue
        if _UNNAMED_BEFORE.search(folded, lo, cue[0]):
            # "Tờ trình số 401 … về dự thảo Nghị quyết bãi bỏ Nghị quyết 124": the
            # draft, which has no number, does it.
            c.decided = True
            continue
        c.cue = cue
        c.decided = True
        agent = _agent_of(folded, cues, cue, c.mention, c.ref)
        if agent or (_PASSIVE.search(folded, max(lo, cue[0] - 12), cue[0]) and _BY.match(folded, cue[1], c.ref.start)):
            # Passive: this citation acts on its parent.
            if c.ref.id and parent.ref.id:
                c.extra.extend((c.ref.id, parent.ref.id, t) for t in agent or [cue[2]])
            c.inherit = c.parent
            continue
        c.relation = cue[2]
        c.source = parent.ref.id if parent.ref.id else None
        if c.source is None:
            c.relation = "cites"
        elif c.ref.id:
            c.extra.extend((None, c.ref.id, t) for t in _chained_before(folded, cues, cue))


#: "và" (or "and", "und", "đồng thời") just before a cue.
_AND_JUST_BEFORE = re.compile(r"(?<![\w])(?:va|and|und|dong thoi)[ ,]*$")


def _beside_parents_cue(folded: str, cues: Cues, cue: tuple[int, int, str], parent: Cite) -> bool:
    """Whether ``cue``, in the description of ``parent``, is a second verb
    standing beside the one that governs ``parent`` rather than something
    ``parent`` does: "thực hiện Nghị quyết số 11/NQ-CP … về Chương trình
    phục hồi … và triển khai Nghị quyết số 43/2022/QH15" (the programme
    carries out both), against "Kết luận số 14-KL/TW về tiếp tục thực hiện
    Nghị quyết số 18-NQ/TW" (the conclusion carries out the resolution). The
    two verbs are of one kind, the first right before ``parent``."""
    if not _AND_JUST_BEFORE.search(folded, max(0, cue[0] - 14), cue[0]):
        return False
    own = cues.nearest_before(parent.ref.start, parent.sentence[0])
    return own is not None and own[2] == cue[2] and parent.ref.start - own[1] <= 6 \
        and not folded[own[1]:parent.ref.start].strip(" ,:")


_LIST_HEAD = re.compile(r":[ \t]*$")
#: The ";" that closes an item, then the next item's bullet or label ("; b) …",
#: "; 2. …", "; - …") and a conjunction.
_NEXT_ITEM = re.compile(r";[ \t\-–•*+]*(?:(?:[a-zđ]|\d{1,2}|[ivx]{1,4})[.)][ \t]+)?(?:(?:va|and|und)[ ]+)?(?:(?:cac|the)[ ]+)?$")


def _continues_list(folded: str, prev_end: int, start: int) -> bool:
    """Whether a citation opens the next item of a list whose items are
    separated by ";" ("… Nghị quyết số 18-NQ/TW … hiệu quả; Nghị quyết số 19-NQ/TW …")."""
    semi = folded.rfind(";", prev_end, start)
    return semi >= 0 and _NEXT_ITEM.match(folded, semi, start) is not None


#: The bullet or label that opens an item of a list on its line: "-", "2.", "a)".
_ITEM_LABEL = r"(?:[-–•*+]|\d{1,2}[.)]|[a-zđ][.)])"
_LIST_ITEM_LINE = re.compile(r"[ \t]*" + _ITEM_LABEL)


def _structured(cites: list[Cite], folded: str, paragraphs: str, structure: Structure, cues: Cues,
                identity: Identity | None) -> None:
    """Citations at the top level of the title, the preamble, the enacting
    sentence and the articles: the text's own document acts on them."""
    prev_top: int | None = None
    refs = [x.ref for x in cites]
    mentions = [x.mention for x in cites]
    for k, c in enumerate(cites):
        if c.decided or c.parent is not None:
            continue
        if c.zone == "preamble":
            clause = structure.clause_at(c.ref.start)
            c.relation = clause.relation if clause is not None else "based_on"
            c.decided = True
        elif c.zone in ("title", "enacting", "articles"):
            lo = cites[prev_top].core_end if prev_top is not None and cites[prev_top].zone == c.zone else 0
            lo = max(lo, c.sentence[0])
            cue = cues.governing(folded, cues.nearest_before(c.ref.start, lo))
            if cue is not None and _agent_of(folded, cues, cue, c.mention, c.ref):
                c.decided = True  # the citation before it carries the relation
                prev_top = k
                continue
            post = None if cue else _post_cue(k, refs, mentions, folded, c.sentence[1])
            if cue is None and post is None and c.zone == "articles":
                cue = _list_cue(paragraphs, folded, c.ref.start)
            if cue is not None and prev_top is not None and cites[prev_top].zone == c.zone \
                    and cue[0] >= cites[prev_top].core_end and ";" in folded[cue[1]:c.ref.start] \
                    and _continues_list(folded, cites[prev_top].core_end, c.ref.start):
                # "… bãi bỏ: Quyết định số 23/… ban hành Quy chế phối hợp thực hiện
                # …; Quyết định số 41/…": the cue belongs to the description of the
                # item before, and this item continues the list.
                c.inherit = prev_top
            elif cue is not None:
                c.relation, c.cue = cue[2], cue
                c.extra.extend((None, c.ref.id, t) for t in _chained_before(folded, cues, cue) if c.ref.id)
            elif post is not None:
                c.relation = post[0]
                if post[1] is not None:
                    c.source = post[1]
                c.extra.extend((None, c.ref.id, t) for t in post[2] if c.ref.id)
            elif prev_top is not None and cites[prev_top].zone == c.zone and (
                    _SIDE_BY_SIDE.match(folded, cites[prev_top].core_end, c.ref.start)
                    or _continues_list(folded, cites[prev_top].core_end, c.ref.start)):
                c.inherit = prev_top
            elif k + 1 < len(cites) and cites[k + 1].zone == c.zone and cites[k + 1].parent is None \
                    and _SIDE_BY_SIDE.match(folded, c.core_end, cites[k + 1].ref.start):
                # "Thông tư số 96/… và Thông tư số 44/… hết hiệu lực": what is said
                # after the last of a list is said of each.
                c.inherit = k + 1
            c.decided = True
        else:
            continue
        prev_top = k


#: A row of a table as pasted from a web page or a PDF: cells split by "|"
#: or tabs, or one cell per line, the row opening with its number alone.
_TABLE_ROW = re.compile(r"[^\n]*[|\t]|[ \t]*\d{1,3}[.)]?[ \t]*$")
#: A line of a table with one cell per line: short, not a sentence, not a
#: new article.
_TABLE_CELL = re.compile(r"(?![ \t]*(?:Điều|Article|Artikel|Chương|Mục|CHƯƠNG|MỤC)[ ]+(?:\d|[IVXL]+(?![\w])))[^\n]{1,160}$")
_SENTENCE_LINE = re.compile(r".*[.;][\u201d\"\u2019)]*[ \t]*$")


def _list_cue(paragraphs: str, folded: str, pos: int) -> tuple[int, int, str] | None:
    """The cue of a list or table that a citation is an item of: "Bãi bỏ các
    văn bản sau:\\n1. Quyết định số …\\n2. …", or a table of documents under
    "Bãi bỏ các văn bản theo Danh mục sau:" with its header row, its cells
    split by "|" or tabs or one to a line. The cue is the last one in the
    line that opens the list."""
    line_start = paragraphs.rfind("\n", 0, pos) + 1
    item = _LIST_ITEM_LINE.match(paragraphs, line_start, pos) is not None
    line_end = paragraphs.find("\n", pos)
    table = item or _TABLE_ROW.match(paragraphs, line_start, len(paragraphs) if line_end < 0 else line_end) is not None
    # A table (or a list with lines that are not items) takes only a change
    # ("Bãi bỏ …", "thay thế …"): a table of tasks under "… thực hiện như
    # sau:" lists documents without carrying them out.
    loose = not item
    steps = 0
    start = line_start
    while start > 0 and steps < 40:
        prev_start = paragraphs.rfind("\n", 0, start - 1) + 1
        line = paragraphs[prev_start:start - 1]
        if not line or line.isspace():
            # Web copies put a blank line between the items of a list.
            start = prev_start
            steps += 1
            continue
        if _LIST_HEAD.search(line) or (table and line.isupper() and CUE.search(folded, prev_start, start - 1)):
            # The line that opens the list, or the heading in capitals of a
            # table of documents ("DANH MỤC VĂN BẢN … BỊ BÃI BỎ").
            if not item and not table:
                return None
            said = list(CUE.finditer(folded, prev_start, start - 1))
            if not said:
                return None
            last = said[-1]
            kind = _CUE_TYPES[int((last.lastgroup or "c0")[1:])]
            return None if loose and kind not in _MODIFYING else (last.start(), last.end(), kind)
        if _TABLE_ROW.match(line):
            table = loose = True
        elif _LIST_ITEM_LINE.match(line):
            pass
        elif _TABLE_CELL.match(line) and not _SENTENCE_LINE.match(line):
            loose = True
        else:
            return None
        start = prev_start
        steps += 1
    return None


#: What may stand on a line before a citation that opens it: a bullet or
#: label and the part of the document it names ("- ", "2. Điều 3 ", "a) khoản 2
#: Điều 5 của ").
_LINE_LEAD = re.compile(
    r"[ \t]*(?:" + _ITEM_LABEL + r"[ \t]*)?"
    r"(?:(?:dieu|khoan|diem|muc|phu luc|chuong)[ ]+[0-9a-zđ]{1,4}[ ,]*(?:(?:cua|tai)[ ]+)?)*"
)
#: The colon that opens a list, after the change: "bãi bỏ các văn bản sau:",
#: "… 8 nghị định gồm: …".
_LIST_COLON = re.compile(r":[ \t]*")


@functools.cache
def _counted() -> re.Pattern[str]:
    """The number of items a list announces: "bãi bỏ toàn bộ 8 nghị định gồm:"
    (compiled on first use: few texts need it)."""
    return re.compile(r"(?<![\w/.,])(\d{1,2})[ ]+(?:" + TYPE_WORD + r"|van ban)(?![\w])")


def _opens_with_citation(folded: str, starts: list[int], lo: int, hi: int) -> bool:
    """Whether a citation (one of ``starts``) opens ``folded[lo:hi]`` after
    what may lead it (see ``_LINE_LEAD``)."""
    lead = _LINE_LEAD.match(folded, lo, hi)
    at = lead.end() if lead is not None else lo
    i = bisect.bisect_left(starts, at)
    return i < len(starts) and starts[i] == at and at < hi


def _listed_under(paragraphs: str, folded: str, starts: list[int], pos: int) -> tuple[tuple[int, int, str], int] | None:
    """In running text, a citation (at ``pos``; ``starts`` are those of every
    citation) that opens a line of a list whose opening line states a change
    and ends with a colon; the lines between are items too, blank lines
    aside. The change's cue, and where the sentence that states it starts.

    Lines without a bullet or label are items only while the list says so:
    each line before ends with ";", or the opening line counts the items
    ("bãi bỏ 3 nghị định gồm: Nghị định số 11/… .", then one paragraph per
    item); otherwise a paragraph after a list would be taken for an item."""
    # A lead is short: no need to look further back for the line's start.
    near = pos - 40 if pos > 40 else 0
    line_start = paragraphs.rfind("\n", near, pos) + 1
    if (line_start == 0 and near > 0) or _LINE_LEAD.fullmatch(folded, line_start, pos) is None \
            or paragraphs[line_start:pos + 12].isupper():
        return None
    unmarked = _LIST_ITEM_LINE.match(folded, line_start, pos) is None
    chained = True
    items = 1
    start = line_start
    for _ in range(40):
        if start == 0:
            return None
        prev_start = paragraphs.rfind("\n", 0, start - 1) + 1
        line_end = start - 1
        start = prev_start
        line = paragraphs[prev_start:line_end].rstrip()
        if not line:
            continue
        colon = folded.rfind(":", prev_start, line_end)
        said = _list_change(folded, prev_start, colon) if colon >= 0 else None
        if said is None:
            if line.isupper() or not _opens_with_citation(folded, starts, prev_start, line_end):
                return None
            unmarked = unmarked or _LIST_ITEM_LINE.match(folded, prev_start, line_end) is None
            chained = chained and line.endswith(";")
            items += 1
            continue
        after = _LIST_COLON.match(folded, colon, line_end)
        if after is not None and after.end() < prev_start + len(line):
            if not _opens_with_citation(folded, starts, after.end(), line_end):
                return None
            items += 1  # the first item, on the opening line
            chained = chained and line.endswith(";")
        if unmarked and not chained:
            count = _counted().search(folded, said[1], colon)
            if count is None or items > int(count[1]):
                return None
        head = prev_start
        for m in _SENTENCE_END.finditer(paragraphs, prev_start, said[0]):
            head = m.end()
        return said, head
    return None


#: What a line before a list of documents may say of them all: a change, or
#: "triển khai thực hiện các văn bản sau:".
_LISTED = frozenset({"amends", "replaces", "repeals", "implements"})


def _list_change(folded: str, start: int, colon: int) -> tuple[int, int, str] | None:
    """The change a line states just before the colon that opens a list."""
    said = list(CUE.finditer(folded, start, colon))
    if not said:
        return None
    last = said[-1]
    kind = _CUE_TYPES[int((last.lastgroup or "c0")[1:])]
    return (last.start(), last.end(), kind) if kind in _LISTED and colon - last.end() <= 80 else None


def _running_text(cites: list[Cite], folded: str, text: str, paragraphs: str, cues: Cues, *,
                  own: Identity | None = None) -> None:
    """Citations in running text (news, reports, the body of plans): the cue
    before each one, and who acts: a document named as the subject of the cue
    ("Chương trình số 46-CTr/TU thực hiện …"), one issued later in the same
    sentence ("Thực hiện Nghị quyết 57, Tỉnh ủy ban hành Chương trình 46"), or
    in the next one when the first is only the grounds ("Thực hiện Chỉ thị 35
    …; Kế hoạch 81 … . Ngày 10/12/2019, … đã ban hành Kế hoạch số 101")."""
    refs = [c.ref for c in cites]
    mentions = [c.mention for c in cites]
    ref_starts = sorted(r.start for r in refs)
    for k, c in enumerate(cites):
        if c.inherit is not None:
            _take(c, cites)  # in text order, so later citations see what it says
        if c.decided:
            continue
        c.running = True
        r = c.ref
        s_start = c.sentence[0]
        clause_start = folded.rfind(";", s_start, r.start) + 1
        if clause_start < s_start:
            clause_start = s_start
        prev_end = refs[k - 1].end if k > 0 and refs[k - 1].start >= clause_start else clause_start
        cue = cues.governing(folded, cues.nearest_before(r.start, prev_end, _CUE_REACH))
        if cue is None:
            # "Quán triệt … quan điểm, mục tiêu … nêu trong Nghị quyết số 57": the
            # object is what the document says, and the cue reaches it.
            far = cues.nearest_before(r.start, prev_end, _BEFORE)
            if far is not None and _CONTENT_OF.search(folded, far[1], r.start):
                cue = far
        if cue is None and (listed := _listed_under(paragraphs, folded, ref_starts, r.start)) is not None \
                and _post_cue(k, refs, mentions, folded, c.sentence[1]) is None:
            # "Quyết định bãi bỏ các văn bản sau:\n- Quyết định số 11/…;\n- …":
            # an item of a list takes the change that opens it, said by the
            # subject of the line that opens it.
            cue, s_start = listed
            clause_start = s_start
        last_verb = cues.verb_before(r.start, prev_end)
        verb_before = last_verb is not None and r.start - last_verb[1] < 60
        verb_after = _ISSUED_AFTER.match(folded, c.core_end) is not None
        if (verb_before and last_verb is not None and (cue is None or cue[1] < last_verb[0])) or (
                verb_after and cue is None):
            c.actor = True
            continue
        if cue is not None and _agent_of(folded, cues, cue, c.mention, r):
            continue  # "X bị bãi bỏ bởi Y": X carries the relation
        if cue is not None:
            c.relation, c.cue = cue[2], cue
            c.extra.extend((None, r.id, t) for t in _chained_before(folded, cues, cue) if r.id)
            # The source: a document named just before the cue in the same clause.
            for j in range(k - 1, -1, -1):
                if refs[j].start < clause_start:
                    break
                if refs[j].end <= cue[0] and _subject_of_cue(j, cue[0], cue[2], mentions, folded, text,
                                                              cites[j].actor, cites[j].relation):
                    if refs[j].id and refs[j].id != r.id:
                        c.source = refs[j].id
                    break
            if c.source is None:
                c.source = _new_document(cites, k, folded, s_start, cue[0])
            if c.source is None and own is None and c.relation in _MODIFYING:
                c.source = _issued_before(cites, k, folded, clause_start, cue[0])
            own_subject = c.source is None and own is not None and c.relation in _MODIFYING \
                and _own_type_subject(folded, own, clause_start, cue[0])
            if own_subject:
                pass  # "Chỉ thị có hiệu lực từ ngày ký, thay thế …" in a Chỉ thị: its own act
            elif c.source is None and (_unnamed_subject(text, folded, clause_start, cue[0])
                                       or _body_subject(text, folded, clause_start, cue[0])):
                c.unnamed = True
            elif c.source is None and c.relation in _MODIFYING and not _SELF_NAMED_SCAN.search(folded, s_start, cue[0]) \
                    and not _opens_clause(folded, paragraphs, cue[0]):
                # "Khẩn trương sửa đổi, bổ sung Luật Đất đai": in running text a
                # change to another document is a task unless the text's own
                # document is named as doing it ("Kế hoạch này thay thế …") or
                # the clause is the bare enacting formula ("3. Bãi bỏ Công văn …").
                c.relation = "cites"
            continue
        post = _post_cue(k, refs, mentions, folded, c.sentence[1])
        if post is not None:
            c.relation = post[0]
            if post[1] is not None:
                c.source = post[1]
            c.extra.extend((None, c.ref.id, t) for t in post[2] if c.ref.id)
            continue
        # The citation before it at the same level of nesting.
        p = next((cites[j] for j in range(k - 1, -1, -1) if cites[j].parent == c.parent), None)
        if (p is not None and p.sentence == c.sentence and not p.actor and p.relation != "cites"
                and not _has_own_cue(k, refs, mentions, folded, cues.cues, cues.starts, c.sentence[1])
                and ((p.ref.start >= clause_start and _COORDINATION.match(folded, p.core_end, r.start))
                     or _continues_list(folded, p.core_end, r.start))):
            # "thực hiện Nghị quyết 57 và Kết luận 123", "Thực hiện Chỉ thị 35 …;
            # Kế hoạch số 81 …": a listed reference shares the cue of the one before it.
            c.relation, c.source, c.unnamed, c.cue = p.relation, p.source, p.unnamed, p.cue

    # A document issued later is the source of the relations before it.
    for k, c in enumerate(cites):
        if c.decided or c.relation == "cites" or c.source is not None:
            continue
        opening = c.cue is not None and not text[c.sentence[0]:c.cue[0]].strip(" \t-–•*0123456789.)(")
        for j in range(k + 1, len(cites)):
            d = cites[j]
            same = d.sentence == c.sentence
            # "Thực hiện …; … . Ngày 10/12/2019, … đã ban hành Kế hoạch số 101":
            # a sentence that is only grounds hands them to the next one.
            grounds = opening and not same and j > 0 and cites[j - 1].sentence == c.sentence \
                and not cues.verb_before(c.sentence[1], c.sentence[0])
            if not same and not grounds:
                break
            if not d.ref.id or d.ref.id == c.ref.id or d.inherit is not None:
                continue  # a document listed with an earlier one is not a new actor
            if d.actor:
                c.source = d.ref.id
                break
            if same and opening and d.cue is None and ";" not in folded[c.ref.end:d.ref.start] \
                    and _CLAUSE_BREAK.search(folded, cites[j - 1].ref.end, d.ref.start):
                c.source = d.ref.id
                break


_MODIFYING = frozenset({"amends", "replaces", "repeals"})
_NEW_REACH = 1200


def _new_document(cites: list[Cite], k: int, folded: str, lo: int, hi: int) -> str | None:
    m = _NEW_DOCUMENT_SCAN.search(folded, lo, hi)
    if m is None:
        return None
    codes = type_codes_for_word(m["w1"] or m["w2"])
    for j in range(k - 1, -1, -1):
        prev = cites[j].ref
        if prev.end < m.start() - _NEW_REACH:
            break
        if prev.end <= m.start() and prev.id and prev.type in codes:
            return prev.id
    return None


#: Words that make the change a task: requested, assigned, needed, to review.
_TASK = re.compile(r"(?<![\w])(?:yeu cau|giao|de nghi|kien nghi|can|phai|khan truong|chi dao|ra soat|se|du kien|"
                   r"request(?:s|ed)?|ask(?:s|ed)?|should|must|will|plan(?:s|ned)? to)(?![\w])")
#: Words that open a clause about the document just reported: "Theo đó, …"
#: (what it says), "Đồng thời, …", "Ngoài ra, …" (what else it does).
_LINK = re.compile(
    r"(?:theo do|accordingly|demnach|danach|dong thoi|ngoai ra|ben canh do|cung voi do|cu the(?! hoa)|"
    r"in addition|also|furthermore|moreover|ausserdem|zudem|daruber hinaus)[ ,]+"
)
#: A document named by its type alone as the subject: "Quyết định (này) có hiệu
#: lực … và thay thế …", "The decision replaces …".
_TYPE_SUBJECT = re.compile(
    r"(?:(?:the|der|die|das)[ ]+)?(?P<w>" + TYPE_WORD + r"|van ban)(?:[ ]+(?:nay|moi|tren|this|new|neue|neuen))?(?![\w])"
    r"(?![ ]+(?:" + NUMBER_MARK + r"[ ]*)?\d)"
)


def _own_type_subject(folded: str, own: Identity, clause_start: int, cue_start: int) -> bool:
    """Whether the clause opens with the type word of the text's own document
    alone ("Chỉ thị có hiệu lực từ ngày ký, thay thế …" in a Chỉ thị): in its
    final words a document names itself so."""
    if not own.type:
        return False
    bullet = _BULLET.match(folded, clause_start, cue_start)
    pos = bullet.end() if bullet is not None else clause_start
    m = _TYPE_SUBJECT.match(folded, pos, cue_start)
    return (m is not None and own.type in type_codes_for_word(m["w"]) and cue_start - m.end() <= 80
            and not _TASK.search(folded, m.end(), cue_start) and not _ISSUE_VERB_SCAN.search(folded, m.end(), cue_start))


def _issued_before(cites: list[Cite], k: int, folded: str, clause_start: int, cue_start: int) -> str | None:
    """In a text that is not itself a document, a change stated of the
    document just reported: "UBND tỉnh ban hành Quyết định số 19/… . Theo đó,
    bãi bỏ …", "Quyết định có hiệu lực từ … và thay thế …", "Nghị định 08/…
    bãi bỏ … . Đồng thời, Nghị định cũng bãi bỏ …". The document is the last
    one of that type reported as issued or as doing something."""
    bullet = _BULLET.match(folded, clause_start, cue_start)
    pos = bullet.end() if bullet is not None else clause_start
    codes: tuple[str, ...] | None = None
    if cue_start - pos > 120 or _TASK.search(folded, pos, cue_start):
        return None  # "Theo đó, UBND tỉnh yêu cầu … rà soát, bãi bỏ …": a task, not an act
    link = _LINK.match(folded, pos, cue_start)
    subject = _TYPE_SUBJECT.match(folded, link.end() if link is not None else pos, cue_start)
    if subject is not None:
        if cue_start - subject.end() > 80 or _ISSUE_VERB_SCAN.search(folded, subject.end(), cue_start):
            return None
        codes = type_codes_for_word(subject["w"]) or None  # "văn bản": a document of any type
    elif link is None:
        return None
    # Documents that earlier clauses say act ("Nghị định 08/… bãi bỏ …"), as
    # well as those reported as issued, may be referred to by the type word.
    acting = {c.source for c in cites[:k] if c.source is not None and c.relation != "cites"}
    for j in range(k - 1, -1, -1):
        d = cites[j]
        if d.ref.end < clause_start - _NEW_REACH:
            break
        if (d.actor or d.ref.id in acting) and d.ref.id and d.ref.end <= clause_start \
                and (codes is None or d.ref.type in codes):
            return d.ref.id
    return None


#: An implementing verb whose object is a document named by its type word
#: alone: "để thực hiện Nghị quyết", "triển khai Chỉ thị này", "to implement
#: the Resolution", "zur Umsetzung des Beschlusses", "đưa Nghị quyết vào cuộc
#: sống". Not when a number follows the type word ("Nghị quyết số 66"). Only
#: the verb next to the type word matters, so the words that may lead it
#: ("tiếp tục", "tổ chức" …) are left out: the scan then tries few places.
_BARE_OBJECT = re.compile(
    r"(?<![\w])(?P<v>(?:thuc hien|trien khai|quan triet|cu the hoa|the che hoa|thi hanh|implement(?:ing|s|ed)?|"
    r"carry(?:ing)? out|realiz(?:e|ing)|institutionali[sz](?:e|es|ing)|concreti[sz](?:e|es|ing)|umsetzung|umzusetzen|"
    r"durchfuhrung)(?:[ ]+(?:co hieu qua|viec|noi dung|tinh than|the spirit of|von|der|des|den|die|das|dieses|this|the))*"
    r"|dua)[ ]+(?P<w>" + TYPE_WORD + r")(?![\w])(?![ ]+(?:" + NUMBER_MARK + r"[ ]*)?\d)"
)
#: "đưa Nghị quyết (này) vào cuộc sống / thực tiễn": only so is "đưa" a verb of implementing.
_INTO_PRACTICE = re.compile(r"(?:[ ]+(?:nay|tren|do))?[ ]+vao[ ]+(?:cuoc song|thuc tien)(?![\w])")
# Tried only where a verb can start: most of a sentence is none.
_BARE_OBJECT_SCAN = Prescanned(_BARE_OBJECT, 5)
#: Words of a task before the verb: a document still to be written or work to
#: do ("yêu cầu … xây dựng kế hoạch thực hiện Nghị quyết") issues nothing.
#: Not "giáo dục", "giao thông", "Ban Tuyên giáo", "căn cứ", which fold alike.
_TASK_BEFORE = re.compile(r"(?<![\w])(?:yeu cau|(?<!tuyen )giao(?! (?:duc|vien|thong|luu|dich|trinh))|de nghi|kien nghi|"
                          r"can(?! cu)|phai|khan truong|chi dao|se|du kien|xay dung|tham muu|"
                          r"request(?:s|ed)?|ask(?:s|ed)?|should|must|will|draft|soll|sollen)(?![\w])")


def _bare_objects(folded: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The implementing verbs with a bare type word as object in ``folded[lo:hi]``."""
    for m in _BARE_OBJECT_SCAN.finditer(folded, lo, hi):
        if m["v"] != "dua" or _INTO_PRACTICE.match(folded, m.end()):
            yield m


def _paragraph_floor(paragraphs: str, pos: int) -> int:
    """Where the paragraph before the one holding ``pos`` starts: how far
    back a type word alone may point."""
    nl = paragraphs.rfind("\n", 0, pos)
    # Blank lines between paragraphs do not count as paragraphs.
    while nl > 0 and paragraphs[nl - 1] in "\n \t":
        nl -= 1
    return paragraphs.rfind("\n", 0, nl) + 1 if nl > 0 else 0


def _implemented_by_type(cites: list[Cite], folded: str, text: str, paragraphs: str) -> None:
    """A document reported as issued to carry out one named by its type word
    alone ("Tỉnh ủy ban hành Kế hoạch số 312-KH/TU để đưa Nghị quyết vào cuộc
    sống") implements the last document of that type cited before, in the
    same paragraph or the one before it."""
    seen: set[tuple[int, int]] = set()
    for c in cites:
        if not c.actor or not c.ref.id or c.sentence in seen:
            continue
        seen.add(c.sentence)
        s_start, s_end = c.sentence
        for m in _bare_objects(folded, s_start, s_end):
            word, at = m["w"], m.start("w")
            after = text[m.end():m.end() + 2].lstrip()
            if after[:1].isupper():
                continue  # "Nghị quyết Đại hội …", "Nghị quyết Trung ương 4": a name, its own mention
            source = _actor_near(cites, c.sentence, at)
            if source is None:
                continue
            # The words before the verb back to the document issued, or to the
            # sentence's start when it is issued after ("Để thực hiện Nghị quyết, … ban hành …").
            lo = source.ref.end if source.ref.end <= m.start() else s_start
            if _TASK_BEFORE.search(folded, lo, m.start()):
                continue
            codes = type_codes_for_word(word)
            if source.ref.type in codes or not text[at].isupper():
                # "… ban hành Quyết định số 19/…, các sở thi hành Quyết định
                # này": the document issued itself; "thực hiện chương trình
                # xây dựng nông thôn mới": no document meant.
                continue
            floor = _paragraph_floor(paragraphs, at)
            for d in reversed(cites):
                if d.ref.end > at or (d.ref.start <= at < d.ref.end):
                    continue
                if d.ref.start < floor:
                    break
                if d.ref.id and d.ref.id != source.ref.id and d.ref.type in codes:
                    # Told with the source, so that the evidence is the sentence saying it.
                    rel = "guides" if source.ref.type == "HD" else "implements"
                    if (source.ref.id, d.ref.id, rel) not in source.extra:
                        source.extra.append((source.ref.id, d.ref.id, rel))
                    break


def _actor_near(cites: list[Cite], sentence: tuple[int, int], at: int) -> Cite | None:
    """The document issued in ``sentence`` nearest before ``at``, else the first after it."""
    before = [d for d in cites if d.sentence == sentence and d.actor and d.ref.id and d.ref.end <= at]
    if before:
        return before[-1]
    return next((d for d in cites if d.sentence == sentence and d.actor and d.ref.id and d.ref.start > at), None)


def _body_subject(text: str, folded: str, clause_start: int, cue_start: int) -> bool:
    """Whether the clause opens with a body that does what the cue says ("Ban
    Tuyên giáo Tỉnh ủy hướng dẫn … Quy định 144"): a task of that body, not
    an act of the text's own document."""
    bullet = _BULLET.match(folded, clause_start, cue_start)
    pos = bullet.end() if bullet is not None else clause_start
    found = find_issuer(text, folded, pos, cue_start)
    return found is not None and cue_start - found[1] < 40 and not _ISSUE_VERB_SCAN.search(folded, found[1], cue_start)


def _take(c: Cite, cites: list[Cite]) -> None:
    src = cites[c.inherit] if c.inherit is not None else c
    c.relation, c.source, c.unnamed, c.running = src.relation, src.source, src.unnamed, src.running
    c.cue = c.cue or src.cue
    if src is not c and c.ref.id:
        # A second type said with the same verb phrase ("bãi bỏ và thay thế: X; Y").
        for s, _, t in src.extra:
            if s is None and (None, c.ref.id, t) not in c.extra:
                c.extra.append((None, c.ref.id, t))


def _inherit(cites: list[Cite]) -> None:
    """Citations listed beside or inside another take what is said of it; a
    list's members before the one that carries the verb take it after it."""
    for c in cites:
        if c.inherit is not None:
            _take(c, cites)
    for k in range(len(cites) - 1, -1, -1):
        if (i := cites[k].inherit) is not None and i > k:
            _take(cites[k], cites)


def _evidence(text: str, c: Cite | Decided) -> str:
    """The sentence that states a relation, cut around the citation when long."""
    s, e = c.sentence
    evidence = text[s:e].strip()
    if len(evidence) > 500:
        lo = max(s, c.ref.start - 250)
        hi = min(e, c.ref.end + 250)
        evidence = ("…" if lo > s else "") + text[lo:hi].strip() + ("…" if hi < e else "")
    return evidence


_REFERENCE_FIELDS = [f.name for f in fields(Reference)]
_REFERENCE_VALUES = operator.attrgetter(*_REFERENCE_FIELDS)
_RELATION_AT = _REFERENCE_FIELDS.index("relation")
_SOURCE_AT = _REFERENCE_FIELDS.index("source")


def _with_relation(r: Reference, relation: str, source: str | None) -> Reference:
    """``replace(r, relation=…, source=…)``, without its generic machinery."""
    values = list(_REFERENCE_VALUES(r))
    values[_RELATION_AT] = relation
    values[_SOURCE_AT] = source
    return new_reference(*values)


def _issue_dates(cites: Sequence[Cite | Decided], identity: Identity | None) -> dict[str, date]:
    """The day each document the text names was issued, where the text gives
    one and only one (namesakes cited with their days give several)."""
    days: dict[str, set[date]] = {}
    for c in cites:
        if c.ref.id is not None and c.ref.date is not None:
            days.setdefault(c.ref.id, set()).add(c.ref.date)
    out = {doc: next(iter(d)) for doc, d in days.items() if len(d) == 1}
    if identity is not None and identity.id is not None and identity.date is not None:
        out[identity.id] = identity.date
    return out


def _acts_on_later(source: str, target: str, target_day: date | None, days: dict[str, date]) -> bool:
    """Whether the text dates ``target`` after ``source``. Every relation but a
    citation is asserted by the newer document of the two (carrying out,
    reviewing, amending, replacing or repealing an earlier one, or resting on
    it), so in running text, or where a cited document is the one acting,
    such a pair is a misreading: a citation coordinated with the one acting
    ("… nêu tại Kết luận số 121-KL/TW ngày 24/01/2025 về tổng kết Nghị quyết
    số 18-NQ/TW và Kết luận số 126-KL/TW ngày 14/02/2025"), not with its
    object. What the text's own structure states of its own document (its
    grounds, its title) stands even so: there a later day is a slip of the
    text ("Căn cứ Công văn … ngày 17 tháng 12 năm 2003" in a decision of July
    2003)."""
    source_day = days.get(source)
    target_day = target_day or days.get(target)
    return source_day is not None and target_day is not None and target_day > source_day


def emit(text: str, cites: Sequence[Cite | Decided],
         identity: Identity | None) -> tuple[list[Reference], list[Relation]]:
    """Each reference with its relation, and the relations between documents,
    once per (source, target, type), from what the passes decided."""
    own = identity.id if identity else None
    days = _issue_dates(cites, identity)
    out_refs = [c.ref for c in cites]
    found: dict[tuple[str, str, str], Relation] = {}
    order: list[tuple[str, str, str]] = []
    from_short: set[tuple[str, str, str]] = set()

    def add(source: str, target: str, rel_type: str, c: Cite | Decided) -> None:
        if source == target:
            return
        key = (source, target, rel_type)
        full = not c.ref.short_form
        if key in found:
            prior = found[key]
            if prior.target_date is None and c.ref.date is not None and target == c.ref.id:
                prior = found[key] = replace(prior, target_date=c.ref.date)
            if full and key in from_short:
                # Evidence that shows the number beats a short form's sentence.
                s, e = c.sentence
                found[key] = replace(prior, evidence=_evidence(text, c), evidence_start=s, evidence_end=e)
                from_short.discard(key)
            return
        if not full:
            from_short.add(key)
        s, e = c.sentence
        found[key] = Relation(source=source, target=target, type=rel_type, evidence=_evidence(text, c), evidence_start=s,
                              evidence_end=e, target_date=c.ref.date if target == c.ref.id else None)
        order.append(key)

    # What the document's structure says (title, preamble, articles, the
    # description of a cited document) is said outright; what running text
    # says of the text's own document only counts where structure said nothing
    # stronger of the pair, and then once per pair.
    said: dict[tuple[str | None, str | None], set[str]] = {}
    for c in cites:
        if not c.running and c.relation != "cites":
            said.setdefault((c.source or own, c.ref.id), set()).add(c.relation)
    for k, c in enumerate(cites):
        r = c.ref
        rel_type = c.relation
        if c.running and c.source is None and rel_type != "cites":
            types = said.setdefault((own, r.id), set())
            if types and rel_type not in types:
                rel_type = "cites"
            types.add(rel_type)
        if c.unnamed and c.source is None:
            rel_type = "cites"  # another, unnumbered document acts; the text only cites
        source = c.source or own
        if rel_type == "implements" and source is not None and _type_of(source, identity) == "HD":
            rel_type = "guides"  # an instruction carrying out a document guides it
        if (rel_type != "cites" and (c.running or c.source is not None) and source is not None and r.id is not None
                and _acts_on_later(source, r.id, r.date, days)):
            rel_type = "cites"
        if source is None or source == r.id or (r.id is None and r.key is None):
            # A relation links two documents: "the province implements Resolution
            # 57" names no document doing it, so it is a citation.
            rel_type = "cites"
        elif r.id is None:
            pass  # a document cited by name keeps its relation on the reference
        else:
            add(source, r.id, rel_type, c)
        if own is not None and r.id is not None and source != own:
            add(own, r.id, "cites", c)
        for src, tgt, t in c.extra:
            # No source: the same one as the citation's own relation ("bị bãi
            # bỏ, thay thế bởi Y": Y repeals and replaces it).
            if src is None and rel_type != "cites" and r.id is not None:
                src = source
            if src is not None and not ((c.running or src != own) and _acts_on_later(src, tgt, None, days)):
                add(src, tgt, t, c)
        if rel_type != r.relation or c.source != r.source:
            out_refs[k] = _with_relation(r, rel_type, c.source if rel_type != "cites" else None)
    # "cites" only where nothing stronger is said of the pair.
    strong = {(s, t) for s, t, ty in order if ty != "cites"}
    relations = [found[key] for key in order if key[2] != "cites" or (key[0], key[1]) not in strong]
    return out_refs, relations
