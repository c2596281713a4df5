"""Documents cited by name, without a number.

Real preambles are full of them: laws and codes ("Căn cứ Luật Tổ chức chính
quyền địa phương ngày 19 tháng 6 năm 2015"), ordinances ("Pháp lệnh Tín
ngưỡng, tôn giáo"), the Party Charter ("Điều lệ Đảng"), resolutions of Party
congresses and Central Committee plenums ("Nghị quyết Đại hội đại biểu toàn
quốc lần thứ XIII của Đảng", "Nghị quyết Trung ương 4 khóa XII"), and in
English "the Law on Prices" or "the Party Charter".

Each becomes a :class:`~docsearch.refs.find.Mention` with a ``name`` and a
stable ``key`` (type + folded name, see :func:`name_key`). Where the same text
gives the document's number ("Pháp lệnh Phí, lệ phí số 38/2001/PL-UBTVQH10",
"Luật Thủ đô (Luật số 39/2024/QH15)"), the name is linked to that number, and
every later mention of the name resolves to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .find import Mention, SpanSet, crosses
from .grammar import EN_NAMED as _EN_NAMED
from .grammar import NAME_STOP as _NAME_STOP
from .grammar import NAMED_TYPES as _NAMED_TYPES
from .grammar import PARTY_NAMED as _PARTY_NAMED
from .grammar import fold
from .signals import EN_NAMED_ANCHORS, NAMED_ANCHORS, NAMED_ANCHORS_BACK, PARTY_NAMED_ANCHORS

_WORD = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<t{i}>{p})" for i, (p, _) in enumerate(_NAMED_TYPES)) + r")(?![\w])")

_MAX_NAME = 90



def name_key(type_code: str, name: str) -> str:
    """A stable key for a document cited by name: type code and folded name
    without punctuation or "và" ("L:to chuc chinh quyen dia phuong")."""
    words = [w for w in re.sub(r"[^\w ]", " ", fold(name)).split() if w not in ("va", "and")]
    return f"{type_code}:{' '.join(words)}"


def _name_end(folded: str, text: str, start: int) -> int:
    """Where a name that starts at ``start`` ends. A comma ends it unless a
    short lower-case run follows and then the date or number ("Pháp lệnh Phí,
    lệ phí số 38/2001/…", "Luật Khám bệnh, chữa bệnh ngày …")."""
    limit = min(len(folded), start + _MAX_NAME)
    stop = _NAME_STOP.search(folded, start, limit)
    while stop is not None and folded[stop.start():stop.end()].strip() == ",":
        after = stop.end()
        nxt = _NAME_STOP.search(folded, after, limit)
        run = text[after:nxt.start() if nxt else limit].split()
        if not run or not run[0][:1].islower() or len(run) > 4 or nxt is None \
                or folded[nxt.start():nxt.end()].strip() == ",":
            break
        stop = nxt
    # "Luật sửa đổi, bổ sung … của Luật Tổ chức Chính phủ và Luật Tổ chức chính
    # quyền địa phương" names one law, whatever it lists.
    while stop is not None and folded.startswith("sua doi", start) and \
            re.match(r"[ ]+va (?:luat|phap lenh)", folded[stop.start():stop.end() + 1]):
        stop = _NAME_STOP.search(folded, stop.end(), min(len(folded), stop.end() + _MAX_NAME))
    return stop.start() if stop else limit


def _anchored(pattern: re.Pattern[str], folded: str, anchors: tuple[str, ...],
              back: dict[str, str] | None = None) -> list[re.Match[str]]:
    """Matches of ``pattern`` tried only where one of its words occurs: finding
    the words with ``str.find`` is far faster than letting the pattern try
    every position of a long text. ``back`` gives words that may precede an
    anchor inside a match ("bo " before "luat")."""
    starts: set[int] = set()
    for word in anchors:
        # The same for every place of the word: looked up once.
        lead = back.get(word) if back else None
        i = folded.find(word)
        while i >= 0:
            starts.add(i - len(lead) if lead and folded.startswith(lead, i - len(lead)) else i)
            i = folded.find(word, i + 1)
    out: list[re.Match[str]] = []
    last_end = -1
    for start in sorted(starts):
        if start < last_end:
            continue
        m = pattern.match(folded, start)
        if m is not None:
            out.append(m)
            last_end = m.end()
    return out


_NUMBER_MARK_AFTER = re.compile(r"(?:so|no)[ .:]")


def find_named(folded: str, text: str, taken: list[Mention], breaks: list[int]) -> list[Mention]:
    """Documents cited by name in ``text`` (``folded`` is its match view), none
    overlapping a mention already found."""
    spans = SpanSet()
    for t in taken:
        spans.add(t.start, t.end)
    out: list[Mention] = []

    def keep(start: int, end: int, code: str, name: str) -> Mention | None:
        if end <= start or spans.overlaps(start, end) or crosses(breaks, start, end):
            return None
        spans.add(start, end)
        out.append(Mention(start, end, types=(code,), type_word=code, name=name, key=name_key(code, name)))
        return out[-1]

    for m in _anchored(_WORD, folded, NAMED_ANCHORS, back=NAMED_ANCHORS_BACK):
        word = text[m.start():m.end()]
        # "Luật", "Pháp lệnh": capitalised, not in a heading in capitals, and
        # not the end of "pháp luật" (the law in general).
        if not word[:1].isupper() or word.isupper() or folded[max(0, m.start() - 5):m.start()] == "phap ":
            continue
        code = _NAMED_TYPES[int((m.lastgroup or "t0")[1:])][1]
        if code in ("HP", "DL"):
            keep(m.start(), m.end(), code, " ".join(text[m.start():m.end()].split()))
            continue
        name_start = m.end() + 1
        if name_start >= len(text) or folded[m.end():m.end() + 1] != " " or not text[name_start].isalpha():
            continue
        if _NUMBER_MARK_AFTER.match(folded, name_start, name_start + 4):
            continue  # "Luật số 39/2024/QH15": a numbered citation
        end = _name_end(folded, text, name_start)
        # "Luật sửa đổi, bổ sung một số điều của Luật Di sản văn hóa": one name.
        name = " ".join(text[name_start:end].split())
        # An amending law's name holds the names of the laws it amends.
        if not name or len(name.split()) > (30 if folded.startswith("sua doi", name_start) else 14):
            continue
        # A proper name has a capital somewhere ("Đầu tư công", "tổ chức HĐND");
        # one in lower case ("Pháp lệnh phí và lệ phí") is kept only if the text
        # gives it a number elsewhere (see link_names): "dự án Luật sửa đổi" is none.
        kept = keep(m.start(), end, code, name)
        if kept is not None and not any(w[:1].isupper() for w in name.split()):
            kept.weak = True
    for m in _anchored(_PARTY_NAMED, folded, PARTY_NAMED_ANCHORS):
        if not text[m.start()].isupper():
            continue
        name = " ".join(text[m.start():m.end()].split())
        keep(m.start(), m.end(), "NQ", name)
    for m in _anchored(_EN_NAMED, folded, EN_NAMED_ANCHORS):
        if not text[m.start("law") if m["law"] else m.start("charter")].isupper():
            continue
        group = "law" if m["law"] else "charter"
        keep(m.start(group), m.end(group), "L" if m["law"] else "DL", " ".join(text[m.start(group):m.end(group)].split()))
    return out


_PAREN_NUMBER = re.compile(r"[ ]*\([ ]*")


def link_names(named: list[Mention], numbered: list[Mention], folded: str,
               known: Mapping[str, str] | None = None, where: dict[str, int] | None = None) -> dict[str, str]:
    """Names whose number the text gives, as key → id: "Pháp lệnh Phí, lệ phí
    số 38/2001/PL-UBTVQH10" (the numbered mention then starts at the type
    word, and the named one is dropped from ``named``), or "Luật Thủ đô (Luật
    số 39/2024/QH15)" (two mentions, one document).

    ``known`` holds names the rest of a longer text numbers (when ``folded``
    is a piece of it); ``where`` receives, for each key, where its first
    link was found."""
    by_start = sorted(numbered, key=lambda x: x.start)
    links: dict[str, str] = {}
    known = known or {}
    where = {} if where is None else where
    drop: set[int] = set()
    j = 0
    for n in sorted(named, key=lambda x: x.start):
        while j < len(by_start) and by_start[j].start < n.end:
            j += 1
        if j >= len(by_start) or n.key is None:
            continue
        num = by_start[j]
        if num.number is None:
            continue
        gap = folded[n.end:num.start]
        # The numbered mention starts at its mark ("số 38/…") or at the digits.
        if gap.strip(" :") in ("", "so", "no.", "no"):
            links.setdefault(n.key, num.number.id)
            where.setdefault(n.key, n.start)
            num.start = n.start
            num.name, num.key = n.name, n.key
            drop.add(id(n))
        elif _PAREN_NUMBER.fullmatch(gap):
            links.setdefault(n.key, num.number.id)
            where.setdefault(n.key, n.start)
    # A name in lower case is a name only if the text numbers it somewhere.
    named[:] = [n for n in named if id(n) not in drop
                 and not (n.weak and n.key not in links and n.key not in known)]
    return links


_TOKEN = re.compile(r"\w+")


def fit_to_links(named: list[Mention], links: Mapping[str, str], folded: str, text: str,
                 taken: list[Mention], breaks: list[int]) -> None:
    """Read the names the text numbers where a name's own end was missed.

    A name ends at a stop word or a date, which running text often lacks
    ("Luật Đất đai có hiệu lực từ …", "phổ biến Luật Đất đai đến cán bộ"):
    once the text has numbered "Luật Đất đai", a longer name that begins
    with its words is that law, cut to them. A title in capitals ("KẾ HOẠCH
    TRIỂN KHAI THI HÀNH LUẬT ĐẤT ĐAI") names it too, though capitals are
    otherwise no name."""
    if not links:
        return
    by_type: dict[str, list[list[str]]] = {}
    for key in links:
        code, _, words = key.partition(":")
        by_type.setdefault(code, []).append(words.split())
    for n in named:
        if n.key is None or n.key in links or n.name is None:
            continue
        code, _, words = n.key.partition(":")
        have = words.split()
        fits = [w for w in by_type.get(code, ()) if len(w) < len(have) and have[:len(w)] == w]
        if not fits:
            continue
        want = len(max(fits, key=len))
        span = folded[n.start:n.end]
        tokens = list(_TOKEN.finditer(span))
        name_tokens = tokens[len(tokens) - len(_TOKEN.findall(fold(n.name))):]
        counted = 0
        for t in name_tokens:
            if t.group(0) not in ("va", "and"):
                counted += 1
            if counted == want:
                n.end = n.start + t.end()
                n.name = " ".join(text[n.start + name_tokens[0].start():n.end].split())
                n.key = name_key(code, n.name)
                n.weak = False
                break
    spans = SpanSet()
    for seen in (*taken, *named):
        spans.add(seen.start, seen.end)
    for key in links:
        code, _, words = key.partition(":")
        head = next((p for p, c in _NAMED_TYPES if c == code and " " not in p), None)
        if head is None or not words:
            continue
        pattern = re.compile(r"(?<![\w])" + head + r"[ ]+" + r"[ ,]+(?:va[ ]+)?".join(words.split()) + r"(?![\w])")
        for hit in pattern.finditer(folded):
            s, e = hit.span()
            if not text[s:e].isupper() or spans.overlaps(s, e) or crosses(breaks, s, e):
                continue
            spans.add(s, e)
            name = " ".join(text[s + len(head) + 1:e].split())
            named.append(Mention(s, e, types=(code,), type_word=code, name=name, key=key))
