"""Issuing bodies as an open set: a kind, a full name and a place.

A citation names its issuer in many ways ("của Bộ Chính trị", "của UBND
tỉnh", "Bộ trưởng Bộ Y tế", "Liên Bộ Y tế - Bộ Tài chính", "the Government's
Decree"); a header names it in capitals over two lines. Whatever the
wording, an :class:`Issuer` has

* ``kind``: one of :data:`KINDS` (the nine codes docsearch has always used,
  ``politburo`` … ``peoples_committee``, plus ministries, People's Councils,
  Party boards, departments, Party committees and other bodies);
* ``name``: the full Vietnamese name ("Ủy ban nhân dân tỉnh Nghệ An",
  "Bộ Nông nghiệp và Phát triển nông thôn", "Ban Tuyên giáo Trung ương");
* ``place``: the province, city or district, when the body is a local one
  and the text or its context says which ("Nghệ An").

Ministries are a closed list (facts, with their usual abbreviations); every
other kind is recognised by its head words and takes the name written after
them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .grammar import ISSUER_HEADS as _HEADS
from .grammar import OFFICE_HOLDER as _HOLDER
from .grammar import PLACE_UNIT as _PLACE_KIND
from .grammar import fold
from .prescan import Guarded

#: Every kind of issuing body, with its Vietnamese and English name.
KINDS: dict[str, tuple[str, str]] = {
    "politburo": ("Bộ Chính trị", "Politburo"),
    "secretariat": ("Ban Bí thư", "Secretariat"),
    "central_committee": ("Ban Chấp hành Trung ương", "Central Committee"),
    "government": ("Chính phủ", "Government"),
    "prime_minister": ("Thủ tướng Chính phủ", "Prime Minister"),
    "national_assembly": ("Quốc hội", "National Assembly"),
    "na_standing_committee": ("Ủy ban Thường vụ Quốc hội", "National Assembly Standing Committee"),
    "provincial_party_committee": ("Tỉnh ủy / Thành ủy", "Provincial Party Committee"),
    "district_party_committee": ("Huyện ủy / Quận ủy / Thị ủy", "District Party Committee"),
    "party_committee": ("Đảng ủy", "Party Committee"),
    "party_board": ("Ban của Đảng", "Party commission"),
    "peoples_committee": ("Ủy ban nhân dân", "People's Committee"),
    "peoples_council": ("Hội đồng nhân dân", "People's Council"),
    "ministry": ("Bộ", "Ministry"),
    "department": ("Sở", "Department"),
    "other": ("Cơ quan khác", "Other body"),
}


@dataclass(frozen=True)
class Issuer:
    """An issuing body: its kind, its full name and, for local bodies, the place."""

    kind: str
    name: str
    place: str | None = None


@dataclass(frozen=True)
class Ministry:
    """A ministry (or ministry-level body) with its number code and spellings."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()


#: Ministries and ministry-level bodies by the code in their numbers
#: (``16/2017/TT-BTC``). Facts; older names are kept for older texts.
MINISTRIES: tuple[Ministry, ...] = (
    Ministry("BTC", "Bộ Tài chính"),
    Ministry("BNV", "Bộ Nội vụ"),
    Ministry("BTP", "Bộ Tư pháp"),
    Ministry("BYT", "Bộ Y tế"),
    Ministry("BCA", "Bộ Công an"),
    Ministry("BQP", "Bộ Quốc phòng"),
    Ministry("BNG", "Bộ Ngoại giao"),
    Ministry("BCT", "Bộ Công Thương"),
    Ministry("BXD", "Bộ Xây dựng"),
    Ministry("BKHĐT", "Bộ Kế hoạch và Đầu tư", ("Bộ KH&ĐT", "Bộ KHĐT")),
    Ministry("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn",
             ("Bộ Nông nghiệp và PTNT", "Bộ NN&PTNT", "Bộ NNPTNT")),
    Ministry("BNNMT", "Bộ Nông nghiệp và Môi trường"),
    Ministry("BGDĐT", "Bộ Giáo dục và Đào tạo", ("Bộ GD&ĐT", "Bộ GDĐT")),
    Ministry("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội",
             ("Bộ Lao động, Thương binh và Xã hội", "Bộ LĐ-TB&XH", "Bộ LĐTBXH")),
    Ministry("BTTTT", "Bộ Thông tin và Truyền thông", ("Bộ TT&TT", "Bộ TTTT")),
    Ministry("BKHCN", "Bộ Khoa học và Công nghệ", ("Bộ KH&CN", "Bộ KHCN")),
    Ministry("BTNMT", "Bộ Tài nguyên và Môi trường", ("Bộ TN&MT", "Bộ TNMT")),
    Ministry("BGTVT", "Bộ Giao thông vận tải", ("Bộ GTVT",)),
    Ministry("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", ("Bộ VHTTDL", "Bộ VH-TT&DL")),
    Ministry("BDTTG", "Bộ Dân tộc và Tôn giáo"),
    Ministry("UBDT", "Ủy ban Dân tộc"),
    Ministry("BCN", "Bộ Công nghiệp"),
    Ministry("BTM", "Bộ Thương mại"),
    Ministry("NHNN", "Ngân hàng Nhà nước Việt Nam", ("Ngân hàng Nhà nước",)),
    Ministry("TTCP", "Thanh tra Chính phủ"),
    Ministry("VPCP", "Văn phòng Chính phủ"),
)

def _spelling_pattern(name: str) -> str:
    # "Bộ NN&PTNT" may be written with spaces around "&" or "và"; "Ủy" as "Uỷ".
    words = fold(name).replace("&", " & ").split()
    return r"[ ]*".join(re.escape(w) if w != "&" else r"(?:&|va)" for w in words).replace(r"\ ", "[ ]+")


_MINISTRY_SPELLINGS = sorted(
    ((_spelling_pattern(s), m) for m in MINISTRIES for s in (m.name, *m.aliases)),
    key=lambda item: -len(item[0]),
)
_MINISTRY_RE = re.compile("|".join(f"(?P<m{i}>{p})" for i, (p, _) in enumerate(_MINISTRY_SPELLINGS)))

_HEAD_RE = re.compile("|".join(f"(?P<h{i}>{p})" for i, (p, _, _) in enumerate(_HEADS)))
# Both are tried at every place a body may be named, where mostly none is.
_MINISTRY_AT = Guarded(_MINISTRY_RE, 5)
_HEAD_AT = Guarded(_HEAD_RE, 4)

_SPACES = re.compile(r"[ ]+")
_UNIT_SPELLING = {"tinh": "tỉnh", "thanh pho": "thành phố", "tp": "thành phố", "tp.": "thành phố",
                  "huyen": "huyện", "quan": "quận", "thi xa": "thị xã", "xa": "xã", "phuong": "phường"}
# Words that never belong to a place name, even capitalised at a line start.
_NOT_PLACE = frozenset("ve ngay so cua quy ban nam thang tai va theo ve viec huong dan nghi quyet".split())


def _place_after(text: str, folded: str, pos: int, limit: int) -> tuple[str | None, str | None, int]:
    """A place right after a body: ("tỉnh", "Nghệ An", end) from " tỉnh Nghệ An",
    (None, "Quảng Ninh", end) from " Quảng Ninh", or (None, None, pos)."""
    unit = None
    m = _PLACE_KIND.match(folded, pos, limit)
    if m:
        unit = _UNIT_SPELLING.get(m["unit"], m["unit"])
        pos = m.end()
    words: list[str] = []
    end = pos
    scan = pos
    while scan < limit and len(words) < 5:
        cm = _SPACES.match(folded, scan, limit)
        if cm is None:
            break
        w_start = cm.end()
        w_end = w_start
        while w_end < limit and (text[w_end].isalnum() or text[w_end] in "'’-") and folded[w_end] != " ":
            w_end += 1
        word = text[w_start:w_end]
        if not word or not word[0].isupper() or fold(word) in _NOT_PLACE:
            break
        words.append(word)
        end = scan = w_end
    if not words:
        return unit, None, (m.end() if m else pos)
    return unit, " ".join(words), end


_FIRST_LETTERS = frozenset("bcdghlnqstuv")
_JOINT = re.compile(r"[ ]*(?:-|,|va)[ ]*")
_CENTRAL_KINDS = frozenset({"central_committee", "secretariat", "politburo", "government", "prime_minister",
                            "national_assembly", "na_standing_committee"})


def _ministry_at(folded: str, pos: int, limit: int) -> tuple[Ministry, int] | None:
    m = _MINISTRY_AT.could(folded, pos, limit) and _MINISTRY_RE.match(folded, pos, limit)
    if m is None or (m.end() < limit and folded[m.end()].isalnum()):
        return None
    return _MINISTRY_SPELLINGS[int((m.lastgroup or "m0")[1:])][1], m.end()


def find_issuer(text: str, folded: str, pos: int, limit: int | None = None) -> tuple[Issuer, int] | None:
    """The issuing body named at ``pos`` in ``text`` (``folded`` is its match
    view) and where its name ends; None when no body starts there. An office
    holder's title is not part of the body ("Bộ trưởng Bộ Y tế" → Bộ Y tế,
    "Chủ tịch UBND tỉnh" → Ủy ban nhân dân tỉnh)."""
    size = len(text)
    limit = size if limit is None or limit > size else limit
    if pos >= limit or folded[pos] not in _FIRST_LETTERS:
        return None  # every body's name starts with one of these letters
    holder = _HOLDER.match(folded, pos, limit)
    if holder and (_ministry_at(folded, holder.end(), limit)
                   or (_HEAD_AT.could(folded, holder.end(), limit) and _HEAD_RE.match(folded, holder.end(), limit))):
        pos = holder.end()
    found = _ministry_at(folded, pos, limit)
    if found is not None:
        ministry, end = found
        # "Liên Bộ Y tế - Bộ Tài chính": joint issuers are one body.
        names = [ministry.name]
        while (j := _JOINT.match(folded, end, limit)) and (nxt := _ministry_at(folded, j.end(), limit)):
            names.append(nxt[0].name)
            end = nxt[1]
        return Issuer("ministry", " - ".join(names)), end
    hm = _HEAD_AT.could(folded, pos, limit) and _HEAD_RE.match(folded, pos, limit)
    if not hm or (hm.end() < limit and folded[hm.end()].isalnum()):
        return None
    _, kind, head = _HEADS[int((hm.lastgroup or "h0")[1:])]
    end = hm.end()
    raw_words = text[hm.start():hm.end()].split()
    if kind in _CENTRAL_KINDS or head.endswith("Trung ương"):
        return Issuer(kind, head), end
    if kind in ("department", "party_committee") and len(raw_words) > 2:
        # "Sở Nội vụ", "Đảng ủy Khối Doanh nghiệp Trung ương": the unit's own words.
        name = _written_name(raw_words)
    elif kind in ("provincial_party_committee", "district_party_committee", "party_committee"):
        # "Thành ủy" stays "Thành ủy", "Quận ủy" "Quận ủy"; "Ban Thường vụ" is kept.
        name = _written_name(raw_words)
    elif kind == "party_board" and len(raw_words) > 3:
        name = head + " " + _written_name(raw_words[len(head.split()):])
    else:
        name = head
    unit, place, place_end = _place_after(text, folded, end, limit)
    if place or unit:
        name = " ".join(x for x in (name, unit, place) if x)
        end = place_end
    return Issuer(kind, name, place), end


def _written_name(words: list[str]) -> str:
    """Words of a name as usually spelled: a capital on the first word and on
    words written with one; "ỦY"/"Ủy" after a first word in lower case."""
    out = []
    for k, w in enumerate(words):
        low = w.lower()
        if k == 0:
            out.append(w[:1].upper() + w[1:].lower())
        elif fold(w) == "uy":
            out.append(low)
        elif w.isupper() and len(w) > 1:
            out.append(w[:1] + w[1:].lower())
        else:
            out.append(w)
    return " ".join(out)


def spell_body(caps: str) -> str:
    """A body's name written in capitals, in its usual spelling: "ỦY BAN NHÂN
    DÂN THÀNH PHỐ HÀ NỘI" → "Ủy ban nhân dân thành phố Hà Nội", "BỘ TÀI CHÍNH"
    → "Bộ Tài chính", "BAN TUYÊN GIÁO" → "Ban Tuyên giáo"."""
    text = " ".join(caps.split())
    folded = fold(text)
    found = find_issuer(_title_words(text), folded, 0)
    if found is not None and found[1] >= len(text) - 1:
        return found[0].name
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def _title_words(caps: str) -> str:
    # Capitals give no hint where a place name starts; title case does, and the
    # head words are matched on the folded text anyway.
    return " ".join(w[:1] + w[1:].lower() for w in caps.split())


@functools.lru_cache(maxsize=1024)
def issuer_named(name: str, folded: str) -> Issuer | None:
    """The body a whole name starts with (``find_issuer`` at offset 0),
    remembered: a text's own issuer is looked up once per text, and the same
    few issuers head most texts."""
    found = find_issuer(name, folded, 0)
    return found[0] if found else None

