"""The one grammar of document numbers, type words, issuers, dates and cues.

Every pattern runs over a *folded* copy of the text: lowercase, diacritics
removed, ``đ``/``Đ``/``Ð`` → ``d``, dashes → ``-``. Folding maps each
character to exactly one character, so an offset in the folded text is the
same offset in the original, and the patterns can be plain ASCII while still
matching ``Nghị quyết``, ``NGHỊ QUYẾT`` and ``nghi quyet`` alike. Where the
folded form loses something that matters (``TƯ`` vs ``TU``, ``QĐ`` vs
``QD``), the code that canonicalises a match looks at the original letters.
"""

from __future__ import annotations

import functools
import re

# The fold is defined beside the grammar, not in it, so that code which only
# folds words (the search) does not compile these patterns.
from .folding import CODE_ALPHABET as CODE_ALPHABET
from .folding import FOLD_TABLE as FOLD_TABLE
from .folding import TableFold as TableFold
from .folding import fold as fold

# --- document types ---------------------------------------------------------

#: Canonical type codes, with what they are called (for people, not matching).
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "NQ": ("Nghị quyết", "Resolution"),
    "CT": ("Chỉ thị", "Directive"),
    "KL": ("Kết luận", "Conclusion"),
    "QĐ": ("Quyết định / Quy định", "Decision / Regulation"),
    "QĐi": ("Quy định", "Regulation"),
    "QC": ("Quy chế", "Working rules"),
    "HD": ("Hướng dẫn", "Instruction"),
    "CTr": ("Chương trình", "Program"),
    "KH": ("Kế hoạch", "Plan"),
    "TB": ("Thông báo", "Notice"),
    "TT": ("Thông tri / Thông tư", "Circular"),
    "BC": ("Báo cáo", "Report"),
    "TTr": ("Tờ trình", "Submission"),
    "ĐA": ("Đề án", "Project"),
    "CV": ("Công văn", "Official letter"),
    "NĐ": ("Nghị định", "Decree"),
    "L": ("Luật", "Law"),
    "TTLT": ("Thông tư liên tịch", "Joint circular"),
    "PL": ("Pháp lệnh", "Ordinance"),
    "DA": ("Dự án", "Investment project"),
    "HĐ": ("Hợp đồng", "Contract"),
}

#: Folded type codes in Party numbers (``57-NQ/TW``), longest first for the regex.
PARTY_TYPES: dict[str, str] = {
    "nq": "NQ", "ct": "CT", "kl": "KL", "qdi": "QĐi", "qd": "QĐ", "qc": "QC", "hd": "HD",
    "ctr": "CTr", "kh": "KH", "tb": "TB", "ttr": "TTr", "tt": "TT", "bc": "BC", "da": "ĐA",
    "cv": "CV",
}

#: Folded type codes in State numbers (``123/QĐ-UBND``). ``da`` and ``hd`` keep
#: their plain spelling unless the text writes Đ (Dự án vs Đề án, Hướng dẫn vs
#: Hợp đồng); see :func:`canonical_state_type`.
STATE_TYPES: dict[str, str] = {
    "nq": "NQ", "nd": "NĐ", "qd": "QĐ", "ct": "CT", "tt": "TT", "ttlt": "TTLT", "kh": "KH",
    "tb": "TB", "bc": "BC", "hd": "HD", "ttr": "TTr", "ctr": "CTr", "da": "DA", "cv": "CV",
    "kl": "KL", "qc": "QC", "pl": "PL",
}

#: Issuers whose canonical spelling is not just the uppercased letters.
ISSUER_SPELLING: dict[str, str] = {
    "tw": "TW", "ttg": "TTg", "hdnd": "HĐND", "bcd": "BCĐ", "bcdtw": "BCĐTW", "du": "ĐU",
    "duk": "ĐUK", "dukcqtw": "ĐUKCQTW", "dukdntw": "ĐUKDNTW", "dukcct": "ĐUKCCT",
    "duqdtw": "ĐUQĐTW", "dutw": "ĐUTW", "bkhdt": "BKHĐT", "bldtbxh": "BLĐTBXH",
    "qd": "QĐ", "bcsd": "BCSĐ", "dda": "ĐĐ", "dtn": "ĐTN", "ubkttw": "UBKTTW",
}

#: Party issuer codes (the part after the slash).
PARTY_ISSUERS = frozenset(
    "tw tu hu qu tx tp du duk dukcqtw dukdntw dukcct duqdtw dutw bcd bcdtw vptw btctw ubkttw "
    "btgtw bdvtw bnctw bktw bcs bcsd dctw vpvtw btgdvtw bcstw bnc hdlltw bctw ub ubkt btc btg "
    "bdv vptu cb ddb dbtw dub ct".split()
)

#: First parts of State numbers that are issuers, not types: official letters
#: written ``5973/UBND-KT`` have no type code.
LETTER_ISSUERS = frozenset("ubnd vpcp btc bnv bkhdt btttt bkhcn byt bgddt bxd bnnptnt hdnd".split())

#: Level of government or Party organisation an issuer code belongs to.
ISSUER_LEVEL: dict[str, str] = {
    "TW": "central", "VPTW": "central", "BTCTW": "central", "UBKTTW": "central",
    "BTGTW": "central", "BCĐTW": "central", "ĐUKCQTW": "central", "ĐUKDNTW": "central",
    "TU": "provincial", "HU": "district", "QU": "district", "TX": "district",
    "ĐU": "grassroots", "ĐUK": "provincial", "CP": "state", "TTg": "state",
    **{f"QH{n}": "state" for n in range(10, 17)},
    "UBND": "state", "HĐND": "state",
}

# --- type words ---------------------------------------------------------------
# Each entry: folded regex → the type codes it can stand for (first = default).
# The plural forms matter for lists ("Conclusions 121, 126 and 127").
TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Vietnamese
    (r"nghi quyet", ("NQ",)),
    (r"chi thi", ("CT",)),
    (r"ket luan", ("KL",)),
    (r"quyet dinh", ("QĐ",)),
    (r"quy dinh", ("QĐ", "QĐi")),
    (r"quy che", ("QC",)),
    (r"huong dan", ("HD",)),
    (r"chuong trinh hanh dong|chuong trinh", ("CTr",)),
    (r"ke hoach", ("KH",)),
    (r"thong bao ket luan|thong bao", ("TB",)),
    (r"thong tri", ("TT",)),
    (r"thong tu lien tich|thong tu", ("TT", "TTLT")),
    (r"phap lenh", ("PL",)),
    (r"bao cao", ("BC",)),
    (r"to trinh", ("TTr",)),
    (r"de an", ("ĐA",)),
    (r"cong van", ("CV",)),
    (r"nghi dinh", ("NĐ",)),
    (r"luat", ("L",)),
    # English
    (r"resolutions?", ("NQ",)),
    (r"directives?", ("CT",)),
    (r"conclusions?", ("KL",)),
    (r"decisions?", ("QĐ",)),
    (r"regulations?", ("QĐ", "QĐi")),
    (r"instructions?|guidelines?|guidance", ("HD",)),
    (r"action programs?|action programmes?|programs?|programmes?", ("CTr",)),
    (r"plans?", ("KH",)),
    (r"notices?|notifications?", ("TB",)),
    (r"circulars?", ("TT",)),
    (r"reports?", ("BC",)),
    (r"projects?|schemes?", ("ĐA",)),
    (r"official letters?|official dispatch(?:es)?|dispatch(?:es)?", ("CV",)),
    (r"decrees?", ("NĐ",)),
    # German (folded: ü→u, ß→s, ä→a)
    (r"resolution(?:en)?", ("NQ",)),
    (r"beschlusse?s?|beschlusses", ("NQ", "KL", "QĐ")),
    (r"entschlie(?:ss|s)ung(?:en)?", ("NQ",)),
    (r"richtlinien?", ("CT",)),
    (r"schlussfolgerung(?:en)?", ("KL",)),
    (r"entscheidung(?:en)?", ("QĐ",)),
    (r"verordnung(?:en)?|regelung(?:en)?", ("QĐ", "NĐ")),
    (r"anleitung(?:en)?|leitfaden|leitfadens", ("HD",)),
    (r"aktionsprogramms?|aktionsprogramme|programms?|programme", ("CTr",)),
    (r"plane|plans?", ("KH",)),
    (r"mitteilung(?:en)?|bekanntmachung(?:en)?", ("TB",)),
    (r"rundschreiben", ("TT",)),
    (r"berichte?s?", ("BC",)),
    (r"projekte?s?", ("ĐA",)),
    (r"dekrete?s?", ("NĐ",)),
)

# Types whose bare number ("Nghị quyết 57", "Richtlinie 35") is a usual short
# form; for the others ("Kế hoạch 12", "Program 135") a short form needs "số"
# / "No." or an earlier full citation, because the bare phrase is more often a
# name than a citation.
SHORT_FORM_TYPES = frozenset({"NQ", "CT", "KL", "QĐ", "QĐi", "NĐ"})


def _type_word_alternation() -> str:
    # Whole entries, never split on "|": some hold groups like "(?:ss|s)".
    # Longest first (then alphabetical, so the order never depends on hashing).
    entries = sorted({pattern for pattern, _ in TYPE_WORDS}, key=lambda p: (-len(p), p))
    return "|".join(f"(?:{p})" for p in entries)


_TYPE_WORD_PATTERNS = tuple((re.compile(p), codes) for p, codes in TYPE_WORDS)


@functools.lru_cache(maxsize=4096)
def type_codes_for_word(word_folded: str) -> tuple[str, ...]:
    """The type codes a folded type word can stand for."""
    w = " ".join(word_folded.split())
    for pattern, codes in _TYPE_WORD_PATTERNS:
        if pattern.fullmatch(w):
            return codes
    return ()


TYPE_WORD = _type_word_alternation()

# "số", "No.", "Nr.", "number", "Nummer", "n°" between the type word and the number.
NUMBER_MARK = r"(?:so|no\.?|nos\.?|nr\.?|number|nummer|n°)"

_B = r"(?<![\w/])"  # not glued to a word or a slash on the left
_E = r"(?![\w])"

_PARTY_TYPE_ALT = "|".join(sorted(PARTY_TYPES, key=len, reverse=True))
_STATE_TYPE_ALT = "|".join(sorted(STATE_TYPES, key=len, reverse=True))

# The three number shapes, as pieces after the leading number, so that the
# finder can scan once with all of them and parse_number can check one.
#
# Real text drops or replaces the hyphen between type and issuer: dataset
# copies glue them ("96/2023/NĐCP", "401/TTrUBND"), others put a space
# ("282/QĐ TTg", "05/CT BCA V28", "48 CT/TW") or a slash ("19/2001/CT/UB").
# The glued and spaced forms are only taken with a known type code in front;
# numbers.py then checks the letters' case in the original before keeping
# them, because a space is also what separates a number from the next word.
_ISS_PART = r"[a-z][a-z0-9]{0,11}"
_STATE_ISS = _ISS_PART + r"(?:(?:[ ]?-[ ]?|[ ])" + _ISS_PART + r"){0,3}"
#: What stands between a Party number's digits and its slash.
PARTY_BEFORE_SLASH = r"(?P<psep>[ ]{0,2}-[ ]{0,2}|[ ]|(?=[a-z]))(?P<ptype>" + _PARTY_TYPE_ALT + r")[ ]{0,2}"
_PARTY_TAIL = PARTY_BEFORE_SLASH + r"/[ ]{0,2}(?P<piss>[a-z]{1,9})"
_NORMATIVE_TAIL = (
    r"[ ]?/[ ]?(?P<year>(?:19|20)\d{2})[ ]?/[ ]?"
    r"(?:(?P<law>qh\d{1,2})(?![a-z])"
    r"|(?P<ntype>[a-z]{1,5})(?P<nsep>[ ]?[-/][ ]?)(?P<niss>" + _STATE_ISS + r")"
    r"|(?P<gtype>" + _STATE_TYPE_ALT + r")(?P<gsep>[ ]?)(?P<giss>" + _STATE_ISS + r"))"
)
_ADMIN_TAIL = (
    r"[ ]?/[ ]?(?:(?P<atype>[a-z]{1,8})(?P<asep>[ ]?-[ ]?)"
    r"|(?P<gatype>" + _STATE_TYPE_ALT + r"|" + "|".join(sorted(LETTER_ISSUERS, key=len, reverse=True)) + r")"
    r"(?P<gasep>[ ]?))(?P<aiss>" + _STATE_ISS + r")"
)
# Written "\d\d{0,4}", not "\d{1,5}" (the same matches): a pattern that opens
# with a character class lets the regex engine skip ahead to the next digit
# instead of trying the whole pattern at every position.
_NUM = r"(?P<num>\d\d{0,4})"

#: Party number: ``57-NQ/TW``, ``23 – NQ/TW``, ``858CV/ĐUK``, ``05-Ctr/ĐUK``.
PARTY_NUMBER = re.compile(_B + _NUM + _PARTY_TAIL + _E)

#: State legal normative number: ``13/2023/NĐ-CP``, ``01/2023/TTLT-BTC-BNV``, law ``20/2023/QH15``.
STATE_NORMATIVE = re.compile(_B + _NUM + _NORMATIVE_TAIL + _E)

#: State administrative number: ``123/QĐ-UBND``, ``1131/QĐ-TTg``; also the
#: State-style spelling of a Party number, ``01/CT-TW``.
STATE_ADMIN = re.compile(_B + _NUM + _ADMIN_TAIL + _E)

#: All three in one pass (normative first: ``13/2023/NĐ-CP`` is not ``13/...``).
#: Patterns scanned over whole texts start with a digit or letter, not with a
#: look-behind, so the regex engine can skip ahead quickly; the finder checks
#: the character on the left itself (see ``find.left_ok``).
ANY_NUMBER = re.compile(
    _NUM + r"(?:(?P<normative>" + _NORMATIVE_TAIL + r")|(?P<party>" + _PARTY_TAIL + r")|(?P<admin>"
    + _ADMIN_TAIL + r"))" + _E
)

#: A type word followed by a bare number: the short form ("Nghị quyết 57",
#: "Resolution No. 57", "Richtlinie Nr. 35"). Lists continue with LIST_ITEM.
SHORT_FORM = re.compile(
    r"(?<![\w])(?P<word>" + TYPE_WORD + r")(?:[ ]+(?P<mark>" + NUMBER_MARK + r"))?[ ]*(?P<num>\d{1,4})(?![\w/]|-\w|[.,]\d)"
)

#: A bare code and number: "NQ 57", "KL 123" (checked to be upper case in the original).
# "NQ 57", "CT số 35", and for resolutions glued as in headlines and tags,
# "NQ57" (two or three digits; a glued "CT01" is as often an expressway).
CODE_SHORT_FORM = re.compile(r"(?:(?P<type>nq|ct|kl|qd)[ ]+(?:so[ ]+)?(?P<num>\d{1,4})|(?P<type2>nq)(?P<glued>\d{2,3}))"
                             r"(?![\w/]|-\w|[.,]\d)")

#: A further member of a list after a type word: ", 126", " và 127", " und 127".
LIST_ITEM = re.compile(
    r"[ ]*(?:,|;|&|,?[ ]+(?:va|and|und|sowie|cung|as well as))[ ]*(?:(?:" + NUMBER_MARK + r")[ ]*)?(?P<num>\d{1,4})(?![\w/]|-\w|[.,]\d)"
)

#: Words that may follow the last number of a list (anything else, like
#: "12 provinces", means the number was not a citation).
LIST_FOLLOWERS = frozenset(
    "va and und sowie of cua des der vom dated ngay ve on from nam year cung the tren "
    "in im to zu zur zum ban hanh issued by".split()
)

# --- issuing bodies and terms -------------------------------------------------

ISSUER_BODIES: tuple[tuple[str, str], ...] = (
    (r"bo chinh tri|politburo|politburos|politburo's|politbüros", "politburo"),
    (r"ban bi thu|secretariat|sekretariats?", "secretariat"),
    (r"(?:ban chap hanh|hoi nghi(?: lan thu [a-z]+| lan [a-z0-9]+)?(?: ban chap hanh)?) trung uong(?: dang)?(?: (?:lan thu )?(?:\d{1,2}|[ivx]{1,5})(?![\w]))?|"
     r"(?:\d{1,2}(?:st|nd|rd|th) )?(?:party )?central (?:executive )?committee|"
     r"(?:\d{1,2}(?:st|nd|rd|th) )?central conference|(?:\d{1,2}\. )?zentral(?:exekutiv)?komitees?(?: der partei)?",
     "central_committee"),
    (r"thu tuong chinh phu|thu tuong|prime minister|premierministers?", "prime_minister"),
    (r"chinh phu|government|regierung", "government"),
    (r"quoc hoi|national assembly|nationalversammlung", "national_assembly"),
    (r"(?:ban thuong vu )?tinh uy|(?:ban thuong vu )?thanh uy|provincial party (?:standing )?committee|"
     r"(?:standing committee of the )?provincial party committee|provinzparteikomitees?",
     "provincial_party_committee"),
    (r"(?:ban thuong vu )?(?:huyen uy|quan uy|thi uy)|(?:standing committee of the )?district party (?:standing )?committee|"
     r"bezirksparteikomitees?|parteikomitees? des bezirks", "district_party_committee"),
    (r"uy ban nhan dan|ubnd|(?:provincial |city |district |commune )?people(?:'|’)?s committee|volkskomitees?", "peoples_committee"),
)

BODY_CODES = frozenset(name for _, name in ISSUER_BODIES)
_BODY_NAME = re.compile("|".join(f"(?P<b{i}>{p})" for i, (p, _) in enumerate(ISSUER_BODIES)))


def body_code(name: str | None, *, whole: bool = False) -> str | None:
    """The canonical issuing body of a name ("Bộ Chính trị" → ``politburo``),
    or the name itself when it already is a code; None when unknown. With
    ``whole``, the name must be nothing but the body ("Tỉnh ủy Quảng Ninh"
    then gives None: it names one committee, not the kind of body)."""
    if not name:
        return None
    if name in BODY_CODES:
        return name
    folded = " ".join(fold(name).split())
    m = _BODY_NAME.fullmatch(folded) if whole else _BODY_NAME.search(folded)
    if m is None or m.lastgroup is None:
        return None
    return ISSUER_BODIES[int(m.lastgroup[1:])][1]


ISSUER_BODY = re.compile(
    r"(?:cua|of the|of|des|der|by the|by)[ ]+(?P<body>" + "|".join(f"(?:{p})" for p, _ in ISSUER_BODIES) + r")"
)

TERM = re.compile(
    r"(?:khoa|nhiem ky|term|tenure|amtszeit)[ ]+(?P<roman>[ivxl]{1,6}|\d{1,2})(?![\w])|"
    r"(?P<ord>\d{1,2})(?:st|nd|rd|th|\.)[ ]+(?:party[ ]+)?(?:central (?:executive )?committee|tenure|term|zentralkomitee|national party congress)"
)

#: A document "towards" a Party congress was issued in the term before it:
#: "Chỉ thị 35 … tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"
#: (term XIII), "… im Hinblick auf den 14. Nationalen Parteikongress".
CONGRESS_AHEAD = re.compile(
    r"(?:tien toi|huong toi|towards?|ahead of|im hinblick auf den|vor dem)[ ]+(?:the[ ]+)?"
    r"(?:dai hoi (?:dai bieu )?(?:toan quoc )?(?:lan thu )?(?P<roman>[ivxl]{1,5}|\d{1,2})(?![\w])"
    r"|(?P<ord>\d{1,2})(?:st|nd|rd|th|\.)?[ ]+(?:national[ ]+)?(?:party[ ]+)?(?:congress|nationalen parteikongress|parteitag))"
)

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def roman_to_int(s: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(s.lower()):
        v = ROMAN.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


#: Years in which each Central Committee sat (congress to congress).
TERM_YEARS: dict[int, tuple[int, int]] = {
    8: (1996, 2001), 9: (2001, 2006), 10: (2006, 2011), 11: (2011, 2016),
    12: (2016, 2021), 13: (2021, 2026), 14: (2026, 2031),
}

# --- dates --------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "januar": 1, "februar": 2, "marz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "janner": 1,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

#: Dates that start with the day (optionally after "ngày"): "05 tháng 02 năm 2022",
#: "22/12/2024", "01-10-1997", "14.04.2025", "17 November 2022", "14. April 2025".
#: One pattern, one pass. A letter may touch it on the left: scraped pages
#: glue "Cộng Sản22/08/2025".
DATE_DAY_FIRST = re.compile(
    r"(?P<d>\d\d?)(?:"  # not \d{1,2}: see _NUM
    r"[ ]+thang[ ]+(?P<m>\d{1,2})[ ]+nam[ ]+(?P<y>\d{4})(?!\d)"
    r"|(?P<sep>[/.-])(?P<m2>\d{1,2})(?P=sep)(?P<y2>\d{4})(?![\w/-]|\.\d)"
    r"|(?:\.|st|nd|rd|th)?[ ]+(?:of[ ]+)?(?P<mn>" + _MONTH_ALT + r")\.?,?[ ]+(?P<y3>\d{4})(?!\d))"
)
#: "November 17, 2022", "Nov. 17 2022".
DATE_MONTH_FIRST = re.compile(
    r"(?P<mn>" + _MONTH_ALT + r")\.?[ ]+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?[ ]+(?P<y>\d{4})(?!\d)"
)
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (DATE_DAY_FIRST, DATE_MONTH_FIRST)

SAME_DAY = re.compile(r"(?:cung ngay|the same day|same date|am selben tag|vom selben tag|gleichen tag)")

# --- relation cues --------------------------------------------------------------
# Folded cue phrases → relation type. Longer phrases are tried first, so
# "sơ kết 5 năm thực hiện" wins over the "thực hiện" inside it.
CUES: tuple[tuple[str, str], ...] = (
    # Neutral connectors: the nearest cue decides, and these say "mentioned
    # in", "in line with", "as set out in" — a citation, not an action.
    (r"gan voi|gan lien voi|dong bo voi|phu hop voi|doi chieu voi|ap dung|(?:yeu cau|quy dinh|neu|da neu|xac dinh|de ra|noi dung|huong dan) tai|"
     r"tinh hinh (?:trien khai|thuc hien)|bao dam dung", "cites"),
    (r"in conjunction with|associated with|in line with|consistent with|as set out in|set out in|mentioned in|"
     r"stated in|laid down in", "cites"),
    (r"in verbindung mit|im einklang mit|festgelegt in|genannt in", "cites"),
    # summarizes: also "kết quả 10 năm thực hiện", a review of years of work
    (r"(?:tinh hinh va )?ket qua (?:\d+|mot|hai|ba|bon|nam|muoi|sau|bay|tam|chin) nam (?:trien khai )?thuc hien", "summarizes"),
    (r"(?:so ket|tong ket)(?: (?:\d+|mot|hai|ba|bon|nam|muoi|sau|bay|tam|chin|muoi))*"
     r"(?: (?:viec|tinh hinh|ket qua|qua trinh))*(?: (?:trien khai |to chuc )?thuc hien)?", "summarizes"),
    (r"(?:preliminary |final )?review(?:ing|s)?(?: (?:of )?(?:\d+|one|two|three|five|ten) years?)?(?: of)?(?: (?:the )?implement(?:ing|ation of))?", "summarizes"),
    (r"summari[sz](?:e|es|ed|ing)(?: the)?(?: implementation of)?", "summarizes"),
    (r"(?:uberprufung|zusammenfass\w*|bilanz)(?: der umsetzung)?(?: (?:der|des|von))?", "summarizes"),
    # guides
    (r"huong dan(?: (?:trien khai )?thuc hien| thi hanh)?|quy dinh chi tiet(?: thi hanh)?", "guides"),
    (r"guid(?:e|es|ing|ance)(?: (?:on )?(?:the )?implement(?:ing|ation of))?|detailing"
     r"|guidelines (?:for|on)(?: (?:the )?implementation of)?", "guides"),
    (r"leitfaden zur(?: umsetzung| durchfuhrung)?(?: (?:der|des))?|anleitung zur(?: umsetzung| durchfuhrung)?(?: (?:der|des))?", "guides"),
    # amends
    (r"(?:sua doi|dieu chinh)(?:,? bo sung)?(?: (?:mot so )?(?:dieu|noi dung)(?: cua)?)?", "amends"),
    (r"amend(?:ing|s|ed)?(?: and supplement(?:ing|s)?)?(?: (?:a number of|some) articles of)?"
     r"|amendments?(?: and supplements?)? to(?: (?:a number of|some) articles of)?", "amends"),
    (r"anderung(?: und erganzung)?(?: (?:der|des))?|andert", "amends"),
    # replaces
    (r"thay the(?: cho)?", "replaces"),
    (r"replac(?:es|ing|ed)|supersed(?:es|ing)|in place of", "replaces"),
    (r"ersetzt|ersetzung(?: (?:der|des))?", "replaces"),
    # repeals
    (r"bai bo|huy bo|het hieu luc", "repeals"),
    (r"repeal(?:s|ing|ed)?|abolish(?:es|ing|ed)?|annul(?:s|ling)?", "repeals"),
    (r"aufgehoben|aufhebung(?: (?:der|des))?|hebt auf", "repeals"),
    # based_on
    (r"can cu(?: vao)?|tren co so(?: (?:ket qua|tong ket|so ket))?(?: (?:trien khai |viec )?thuc hien)?", "based_on"),
    (r"pursuant to|on the basis of|based on", "based_on"),
    (r"gemas|auf der grundlage(?: (?:der|des|von))?|auf grundlage(?: (?:der|des|von))?", "based_on"),
    # implements
    (r"(?:tiep tuc |to chuc |day manh |trien khai |quyet liet )*(?:thuc hien|trien khai|quan triet(?: va thuc hien)?|cu the hoa|the che hoa|thi hanh(?= (?:nghi dinh|nghi quyet|luat|quyet dinh|chi thi|thong tu|ket luan|quy dinh)))(?: co hieu qua)?(?: (?:viec|noi dung|tinh than))?", "implements"),
    (r"(?:to |continu(?:e|ing) to |strictly |seriously |effectively |thoroughly )*(?:implement(?:ing|s|ed)?|institutionali[sz](?:e|es|ing)|concreti[sz](?:e|es|ing)|carry(?:ing)? out|realiz(?:e|ing))(?: and implement(?:ing)?)?(?: the spirit of)?|implementation of|in the spirit of|thoroughly grasp(?:ing)?(?: and (?:strictly )?implement(?:ing)?)?", "implements"),
    (r"(?:zur |die |der )?(?:umsetzung|durchfuhrung)(?: (?:der|des|von))?|umzusetzen|umsetzen|setzt \w+ um", "implements"),
    (r"hebt|heben", "repeals"),
)

CUE = re.compile(
    r"(?<![\w])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(CUES)) + r")(?![\w])"
)

#: "theo" / "according to" count as based_on only right before a type word.
THEO = re.compile(
    r"(?<![\w])(?<!kem )(?:theo|nach|under|according to|in accordance with)[ ]+(?:(?:der|dem|des|the)[ ]+)?"
    r"(?=" + "(?:" + TYPE_WORD + r")(?![\w]))"
)

#: Passive cues after the reference: "Chỉ thị số 12-CT/TU ... bị bãi bỏ",
#: "Die Richtlinie Nr. 12-CT/TU ... wird aufgehoben", "Decision X is repealed".
POST_CUE = re.compile(
    r"(?:(?:wird|werden|wurde|wurden|is|are|was|were|shall be|is hereby|are hereby|bi|duoc|se bi|se duoc)[ ]+"
    r"(?P<cue>aufgehoben|ausser kraft gesetzt|repealed|abolished|annulled|bai bo|het hieu luc|"
    r"ersetzt|replaced|superseded|thay the|geandert|angepasst und erganzt|angepasst|amended|sua doi,? bo sung)"
    # A document "hết hiệu lực" (expires) needs no auxiliary: the verb says
    # what happens to it, never what it does to another.
    r"|(?P<expires>het hieu luc(?: thi hanh)?|tritt ausser kraft|expires?|ceases? to (?:be in force|have effect)))(?![\w])"
)
POST_CUE_TYPES = {
    "het hieu luc thi hanh": "repeals", "tritt ausser kraft": "repeals", "expire": "repeals", "expires": "repeals",
    "cease to be in force": "repeals", "ceases to be in force": "repeals", "cease to have effect": "repeals",
    "ceases to have effect": "repeals",
    "aufgehoben": "repeals", "ausser kraft gesetzt": "repeals", "repealed": "repeals",
    "abolished": "repeals", "annulled": "repeals", "bai bo": "repeals", "het hieu luc": "repeals",
    "ersetzt": "replaces", "replaced": "replaces", "superseded": "replaces", "thay the": "replaces",
    "geandert": "amends", "amended": "amends", "angepasst": "amends", "angepasst und erganzt": "amends", "sua doi bo sung": "amends", "sua doi, bo sung": "amends",
}

#: Verbs that mark a reference as the document being issued in a sentence
#: ("ban hành Chương trình số 46-CTr/TU", "issued Action Program No. 46").
ISSUE_VERB = re.compile(
    r"(?<![\w])(?<!luat )(?:(?:da |xay dung va )?ban hanh(?! kem theo| van ban)|issued?|promulgat(?:ed|e|es)|adopted|signed|herausgegeben|erlassen|erlies|erliess|gab|verabschiedet"
    # "HĐND tỉnh thông qua Nghị quyết số …" (passed), not "thông qua" (through) before other words.
    r"|thong qua(?= (?:nghi quyet|luat|phap lenh)(?![\w])))(?![\w])"
)

#: "(sau đây gọi tắt là Nghị quyết 57)" and its English and German kin.
ALIAS = re.compile(
    r"\((?:sau day )?(?:goi tat la|viet tat la|hereinafter(?: referred to as| called)?|im folgenden(?: als)?|nachfolgend)[ ]+[\"“”']?"
)

# --- header -------------------------------------------------------------------

HEADER_NUMBER_LINE = re.compile(r"^[ ]*(?:so|no\.?|nr\.?)[ ]*:?[ ]*(?=\d)", re.M)


# --- structure, names and issuers of real documents ------------------------------

# Type words of documents that are cited by name, over folded text; the
# original must be capitalised ("Luật", "Pháp lệnh"): "luật" in lower case is
# the common noun ("theo quy định của pháp luật").
NAMED_TYPES: tuple[tuple[str, str], ...] = (
    (r"bo luat", "L"),
    (r"luat", "L"),
    (r"phap lenh", "PL"),
    (r"hien phap", "HP"),
    (r"dieu le dang(?: cong san viet nam)?|dieu le doan(?: tncs ho chi minh)?", "DL"),
)

# Where a name ends: the date, the number, a year, the issuer, a verb or
# connective that starts the description, punctuation that closes the clause.
NAME_STOP = re.compile(
    r"[ ]+(?:ngay|so(?=[ ]*:?[ ]*\d)|nam \d{4}|cua (?:quoc hoi|chinh phu|uy ban)|da|duoc|se|quy dinh|huong dan|ve |tai|theo|"
    r"va (?:luat|phap lenh|nghi dinh|nghi quyet|thong tu|quyet dinh)|dated|of \d|no\.)(?![\w])"
    r"|[ ]*[;.:(\[\"“”)]|[ ]*,(?![ ]*bo sung)"
)

# Party congress and plenum resolutions named, not numbered.
PARTY_NAMED = re.compile(
    r"(?<![\w])nghi quyet (?:"
    r"(?P<congress>dai hoi (?:dai bieu )?(?:toan quoc )?(?:dang bo [a-z ]+? )?(?:lan thu )?(?:[ivxl]{1,5}|\d{1,2})(?![\w])(?: cua dang)?)"
    r"|(?P<plenum>(?:hoi nghi )?(?:lan thu [a-z]+ )?(?:ban chap hanh )?trung uong(?: dang)?(?: lan thu [a-z]+| \d{1,2})?"
    r"(?:,? khoa [ivxl]{1,5}(?:,? khoa [ivxl]{1,5})*)?)"
    r")"
)

EN_NAMED = re.compile(
    r"(?<![\w])(?:(?P<law>law on (?:[a-z]+ ){0,6}?[a-z]+)(?= (?:no\.|of|dated|and|in|on|to|which|that|was|is|has)(?![\w])|[,.;)]|$)"
    r"|(?P<charter>party charter|charter of the (?:communist )?party(?: of viet ?nam)?))"
)

# A ground opens with one of these words, at the start of a line, after a
# bullet or after the ";" that closed the previous ground.
GROUND = re.compile(r"(?:can cu|xet(?= de nghi| to trinh| bao cao| ket qua)|theo de nghi|theo(?= (?:" + TYPE_WORD + r"))"
                    r"|pursuant to|at the (?:request|proposal) of)(?![\w])")

IMPLEMENTING_OPENER = re.compile(r"(?:thuc hien|trien khai|quan triet)(?![\w])")

GROUND_WORD = re.compile(r"(?:can cu|xet (?:de nghi|to trinh)|theo de nghi|pursuant to)(?![\w])")

# The enacting heading in capitals ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:"), or the
# first article.
ENACTING_HEADING = re.compile(
    r"(?<![\w])(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ|BAN HÀNH|NGHỊ QUYẾT|QUY ĐỊNH|THÔNG TƯ)(?![\w])[ \t]*(?::|(?=\n)|(?=[ \t]*Điều 1))"
)

FIRST_ARTICLE = re.compile(r"(?<![\w])(?:Điều|Article|Artikel) 1(?:[ .:]|$)", re.M)

ISSUING_WORDS = re.compile(r"(?<![\w])(?:ban hanh|huong dan|quyet dinh|quy dinh|chi thi|de nghi|promulgates?|hereby)(?![\w])|nhu sau")

CONTENT_OF = re.compile(r"(?:neu|de ra|xac dinh|quy dinh|set out|laid down|stated)[ ]+(?:trong|tai|in)[ ]+(?:cac[ ]+|the[ ]+)?$")

# Between a citation (with its date and issuer) and the next one: only
# separators and conjunctions means the two are listed side by side.
SIDE_BY_SIDE = re.compile(
    r"[ ,]*(?:(?:va|and|und|sowie|cung|as well as|hoac|or|oder|cung nhu|dong thoi)[ ,]+)?"
    r"(?:(?:cac|the|der|die|des|den|dem)[ ]+)?(?:" + NUMBER_MARK + r"[ ]*)?$"
)

# What opens a description of a document: its subject ("về", "V/v"), its
# content ("quy định", "ban hành Kế hoạch …"), a quotation of its title.
DESCRIPTION = re.compile(
    r"[ ,:(\"“”']*(?:ve|v/v|quy dinh|huong dan|ban hanh|phe duyet|thong qua|nham|de|duoc|da duoc|bi|"
    r"on|regarding|concerning|uber|zur|zum|zu)(?![\w])|[ ,]*[(:\"“]"
)

# Finite verbs that put a new subject in the sentence (English and German
# place them before the object; a Vietnamese description uses none of them).
FINITE_VERB = re.compile(r"(?<![\w])(?:hat|hatte|haben|sieht|erlies|erliess|gab|has|had|have)(?![\w])")

PASSIVE_BEFORE = re.compile(r"(?:duoc|da duoc|bi|is|are|was|were|wird|wurde)[ ]+$")

PASSIVE_BY = re.compile(r"[^;]*?(?:tai|boi|theo|by|durch|in)[ ]+(?:(?:cac|the)[ ]+)?$")

DRAFT_DOCUMENT = re.compile(
    r"(?<![\w])(?:du thao )(?:" + TYPE_WORD + r")(?![\w])(?![ ]+(?:" + NUMBER_MARK + r"[ ]*)?\d)"
)

SELF_NAMED = re.compile(
    r"(?:" + TYPE_WORD + r")[ ]+(?:nay|this)(?![\w])|(?<![\w])(?:this|these|dieses|diese|dieser|diesem)[ ]+(?:" + TYPE_WORD + r")(?![\w])"
)

# "Der neue Beschluss hebt … auf", "The new decision replaces …", "Quyết định
# mới bãi bỏ …": the document of that type named just before.
NEW_DOCUMENT = re.compile(
    r"(?<![\w])(?:der|die|das|the) (?:neue|new) (?P<w1>" + TYPE_WORD + r")(?![\w])|(?<![\w])(?P<w2>" + TYPE_WORD + r") moi(?![\w])"
)

ON_DAY = re.compile(r"(?:vao )?(?:ngay|on|am)[ ]+(?=\d|[a-z]{3,9}\.? \d)")

DAY_MONTH = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?![/.-]?\d)|(?P<d2>\d{1,2})[ ]+thang[ ]+(?P<m2>\d{1,2})(?![ ]*nam)")

#: The verbs of issuing that end an ISSUING_VERB match (before its spaces).
ISSUING_VERB_WORDS = ("ban hanh", "ky ban hanh", "thong qua", "ky", "issued", "adopted", "signed", "promulgated",
                      "passed", "approved")
ISSUING_VERB = re.compile(r"(?:(?:da|vua|chinh thuc)[ ]+)*(?:" + "|".join(ISSUING_VERB_WORDS) + r")[ ]*$")

# What may stand between the issuing body and the verb: its term, "has".
SUBJECT_TAIL = re.compile(r"[ ,]*(?:\(?(?:khoa|nhiem ky) [ivxl\d]+\)?)?[ ,]*(?:(?:has|hat|have)[ ]*)?")

# Where the header has certainly ended: the first clause of a preamble or an
# article ("Căn cứ …", "Xét đề nghị …", "Điều 1.").
BODY_START_WORD = re.compile(r"(?:can cu|xet de nghi|xet to trinh|theo de nghi|dieu 1[ .:]|pursuant to|article 1[ .:])")

# In a copy flattened to one line the grounds start mid-line: "Căn cứ" with
# its capital is enough there.
GROUNDS_INLINE = re.compile(r"(?<![\w])(?:Căn cứ|CĂN CỨ|Xét đề nghị)(?![\w])")

# The line naming who enacts the document, between the title and the
# preamble: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "BỘ TRƯỞNG BỘ TƯ PHÁP",
# "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "HỘI ĐỒNG NHÂN DÂN TỈNH …".
AUTHORITY_LINE = re.compile(
    r"(?:chu tich |bo truong |thu truong |giam doc |truong )?"
    r"(?:uy ban nhan dan|hoi dong nhan dan|bo |ban thuong vu|ban bi thu|bo chinh tri|ban chap hanh|tinh uy|thanh uy|"
    r"huyen uy|dang uy|thu tuong|chinh phu|so |ban |uy ban|van phong)"
)

OCCASION_LINE = re.compile(r"(?:hoi nghi|khoa [ivxl]+|ky hop)")

# Head words of the other kinds, over folded text; longest first where one
# contains another. The name runs on from the head over a place or a unit.
ISSUER_HEADS: tuple[tuple[str, str, str], ...] = (
    # (pattern, kind, spelled head)
    (r"bo chinh tri", "politburo", "Bộ Chính trị"),
    (r"ban bi thu(?: trung uong dang)?", "secretariat", "Ban Bí thư"),
    (r"uy ban thuong vu quoc hoi", "na_standing_committee", "Ủy ban Thường vụ Quốc hội"),
    (r"(?:hoi nghi(?: lan thu [a-z]+| lan [a-z0-9]+)? )?ban chap hanh trung uong(?: dang)?", "central_committee",
     "Ban Chấp hành Trung ương"),
    (r"thu tuong chinh phu|thu tuong", "prime_minister", "Thủ tướng Chính phủ"),
    (r"chinh phu", "government", "Chính phủ"),
    (r"quoc hoi", "national_assembly", "Quốc hội"),
    (r"ban tuyen giao trung uong", "party_board", "Ban Tuyên giáo Trung ương"),
    (r"ban tuyen giao va dan van trung uong", "party_board", "Ban Tuyên giáo và Dân vận Trung ương"),
    (r"ban to chuc trung uong", "party_board", "Ban Tổ chức Trung ương"),
    (r"ban dan van trung uong", "party_board", "Ban Dân vận Trung ương"),
    (r"ban kinh te trung uong", "party_board", "Ban Kinh tế Trung ương"),
    (r"ban noi chinh trung uong", "party_board", "Ban Nội chính Trung ương"),
    (r"ban chinh sach,? chien luoc trung uong", "party_board", "Ban Chính sách, chiến lược Trung ương"),
    (r"uy ban kiem tra trung uong", "party_board", "Ủy ban Kiểm tra Trung ương"),
    (r"van phong trung uong dang", "party_board", "Văn phòng Trung ương Đảng"),
    (r"ban tuyen giao(?: tinh uy| thanh uy| huyen uy)?", "party_board", "Ban Tuyên giáo"),
    (r"ban to chuc(?: tinh uy| thanh uy| huyen uy)?", "party_board", "Ban Tổ chức"),
    (r"ban dan van(?: tinh uy| thanh uy| huyen uy)?", "party_board", "Ban Dân vận"),
    (r"uy ban kiem tra(?: tinh uy| thanh uy| huyen uy)?", "party_board", "Ủy ban Kiểm tra"),
    (r"dang uy khoi [a-z ]+?(?= trung uong| tinh| thanh pho|[,;.(]|$)(?: trung uong)?", "party_committee", "Đảng ủy Khối"),
    (r"(?:ban thuong vu )?(?:tinh uy|thanh uy)|ban chap hanh dang bo (?:tinh|thanh pho)(?![\w])",
     "provincial_party_committee", "Tỉnh ủy"),
    (r"(?:ban thuong vu )?(?:huyen uy|quan uy|thi uy)|ban chap hanh dang bo (?:huyen|quan|thi xa)(?![\w])",
     "district_party_committee", "Huyện ủy"),
    (r"(?:ban thuong vu )?dang uy", "party_committee", "Đảng ủy"),
    (r"(?:chu tich )?(?:uy ?ban nhan dan|ubnd)", "peoples_committee", "Ủy ban nhân dân"),
    (r"(?:thuong truc )?(?:hoi dong nhan dan|hdnd)", "peoples_council", "Hội đồng nhân dân"),
    (r"so [a-z]+(?: [a-z]+){0,5}?(?= tinh| thanh pho| tai|[,;.(]|$)", "department", "Sở"),
)

OFFICE_HOLDER = re.compile(r"(?:bo truong|thu truong|chu tich|giam doc|lien)[ ]+")

PLACE_UNIT = re.compile(r"[ ]+(?P<unit>tinh|thanh pho|tp\.?|huyen|quan|thi xa|xa|phuong)(?![\w])")

#: A verb of issuing right after a reference (German puts it last:
#: "… den Plan Nr. 172-KH/HU herausgegeben").
ISSUED_AFTER = re.compile(r"[ ,]*(?:herausgegeben|erlassen|verabschiedet|unterzeichnet|duoc ban hanh|was issued|were issued)(?![\w])")

#: Something that ends the phrase of the references before it: a comma, or a
#: verb between them ("…, hat … den Plan", "… sieht der Plan …").
CLAUSE_BREAK = re.compile(r",|(?<![\w])(?:hat|hatte|haben|sieht|erlies|gab|ban hanh|issued|has|had)(?![\w])")

PASSIVE_AGENT = re.compile(r"[ ,]*(?:wird|werden|wurde|wurden|is|are|was|were|bi|duoc)[ ]+(?:durch|by|boi)[ ]+(?:(?:die|den|das|der|the)[ ]+)?")

BARE_POST_CUE = re.compile(r"[ ,]*(?P<cue>ersetzt|aufgehoben|geandert|angepasst und erganzt|angepasst|thay the|bai bo)(?![\w])")

UNNAMED_DOCUMENT = re.compile(r"(?:" + TYPE_WORD + r")(?![\w])(?![ ]+(?:" + NUMBER_MARK + r"[ ]*)?\d)(?![ ]+(?:nay|this|dieses|diese|dieser)(?![\w]))")
