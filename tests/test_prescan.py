"""Prescanned patterns find exactly what the patterns find, in any window."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from docsearch.extract import extract_file
from docsearch.refs import grammar
from docsearch.refs.layout import match_view
from docsearch.refs.prescan import Prescanned

ROOT = Path(__file__).resolve().parents[1]

PATTERNS = {
    "CUE": grammar.CUE, "THEO": grammar.THEO, "ISSUE_VERB": grammar.ISSUE_VERB,
    "SHORT_FORM": grammar.SHORT_FORM, "TERM": grammar.TERM, "GROUND": grammar.GROUND,
    "ANY_NUMBER": grammar.ANY_NUMBER, "DATE_DAY_FIRST": grammar.DATE_DAY_FIRST,
    "PARTY_NAMED": grammar.PARTY_NAMED, "EN_NAMED": grammar.EN_NAMED,
    "GROUNDS_INLINE": grammar.GROUNDS_INLINE, "BODY_START_WORD": grammar.BODY_START_WORD,
    "FIRST_ARTICLE": grammar.FIRST_ARTICLE, "ENACTING_HEADING": grammar.ENACTING_HEADING,
    "POST_CUE": grammar.POST_CUE, "SELF_NAMED": grammar.SELF_NAMED, "NEW_DOCUMENT": grammar.NEW_DOCUMENT,
}

# Edges the scans must get right: a match at the very start, right after the
# window's start, glued to a word, at the end of the text, non-ASCII around it.
EDGES = [
    "thuc hien Nghi quyet 57",
    "(thuc hien) nghi quyet so 57-NQ/TW ngay 22/12/2024",
    "xthuc hien nghi quyet57 can cu",
    "“can cu” Nghị quyết 57; «thực hiện» kết luận 121, 126 và 127",
    "khoa XIII, khóa 13, 13th Central Committee, nhiem ky 2020",
    "based on the resolution No. 18-NQ/TW, pursuant to Decree 13/2023/ND-CP",
    "Căn cứ Luật Tổ chức chính quyền địa phương; Xét đề nghị của Sở",
    "QUYẾT ĐỊNH:\nĐiều 1. Ban hành\nĐiều 1\nArticle 1\nxĐiều 1.",
]


def _texts() -> list[str]:
    out = [match_view(t) for t in EDGES]
    out += EDGES
    for p in sorted((ROOT / "corpus").rglob("*.txt"))[:12]:
        text = extract_file(p)[1].text
        out += [match_view(text), text]
    return out


TEXTS = _texts()


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_same_matches_as_the_pattern(name: str) -> None:
    pattern = PATTERNS[name]
    scan = Prescanned(pattern, 4)
    rnd = random.Random(name)
    for text in TEXTS:
        assert [m.span() for m in scan.finditer(text)] == [m.span() for m in pattern.finditer(text)]
        for _ in range(40):
            lo = rnd.randrange(0, len(text) + 1)
            hi = rnd.randrange(lo, len(text) + 2)
            got = scan.search(text, lo, hi)
            want = pattern.search(text, lo, hi)
            assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict())), (lo, hi)
            assert [m.span() for m in scan.finditer(text, lo, hi)] == [m.span() for m in pattern.finditer(text, lo, hi)]


@pytest.mark.parametrize("reach", [1, 2, 3, 6])
def test_any_reach(reach: int) -> None:
    for pattern in (grammar.CUE, grammar.SHORT_FORM, grammar.ANY_NUMBER):
        scan = Prescanned(pattern, reach)
        for text in TEXTS[:20]:
            assert [m.span() for m in scan.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_refuses_what_it_cannot_mirror() -> None:
    with pytest.raises(ValueError):
        Prescanned(re.compile(r"a*")).search("xa")
    with pytest.raises(ValueError):
        Prescanned(re.compile(r"abc", re.I))


def test_type_word_before_as_the_search() -> None:
    from docsearch.refs.find import _TYPE_WORD_BEFORE, type_word_before

    extra = ["Nghi quyet so : 57", "ke hoach  so   57", "nghi quyet no.57", "so: :57", "thong bao ket luan so 5",
             "decision nos. 5", "x nghi quyet 5", "nghi quyetso 5", "  :  5", "resolution  number  :  5"]
    for text in TEXTS[:30] + [match_view(t) for t in extra]:
        for hi in range(len(text) + 1):
            for lo in (max(0, hi - 48), max(0, hi - 5), hi):
                got = type_word_before(text, lo, hi)
                want = _TYPE_WORD_BEFORE.search(text, lo, hi)
                assert want is not None and got is not None
                assert (got.span(), got.groupdict()) == (want.span(), want.groupdict()), (text[lo:hi], lo, hi)


def test_patterns_rewritten_for_speed_match_as_before() -> None:
    """Patterns rewritten so that the regex engine can skip ahead to their
    first character find exactly what their earlier spelling found."""
    from docsearch.refs.find import _CLAUSE_START
    from docsearch.refs.layout import paragraph_view
    from docsearch.refs.relate import _ABBREVIATIONS, _SENTENCE_END

    # One look-behind per abbreviation, as the pattern was first written.
    not_abbreviation = "".join(f"(?<!\\b{a}\\.)" for a in _ABBREVIATIONS) + r"(?<!(?<!\d)\d\.)(?<!(?<!\d)\d\d\.)"
    pairs = [
        (re.compile(r"[.!?…]" + not_abbreviation + r"[.!?…]*[\"”’)]*[ ]+(?=[\"“(]?[A-ZÀ-ỸĐ0-9])|\n"), _SENTENCE_END),
        (re.compile(r"[.;:!?]\s+|\n"), _CLAUSE_START),
        (re.compile(grammar.ANY_NUMBER.pattern.replace(r"(?P<num>\d\d{0,4})", r"(?P<num>\d{1,5})")), grammar.ANY_NUMBER),
        (re.compile(grammar.DATE_DAY_FIRST.pattern.replace(r"(?P<d>\d\d?)", r"(?P<d>\d{1,2})")), grammar.DATE_DAY_FIRST),
    ]
    extra = ["a.\n\nB", "No. 5. X", "x!\nY", "a;\n b", "1. A 12. B 123. C", "end.  \"Q", "123456-NQ/TW 1/2/2024 12.3.2025",
             "Mrs. Lan. Art. 5 PGS. TS. Nam. xno. A ThS. B ggf. C bzw. D NR. E"]
    texts = TEXTS + [paragraph_view(t) for t in TEXTS] + extra
    rnd = random.Random(5)
    for old, new in pairs:
        assert old.pattern != new.pattern
        for text in texts:
            assert [(m.span(), m.groupdict()) for m in old.finditer(text)] == \
                [(m.span(), m.groupdict()) for m in new.finditer(text)]
            for _ in range(10):
                lo = rnd.randrange(len(text) + 1)
                hi = rnd.randrange(lo, len(text) + 2)
                assert [m.span() for m in old.finditer(text, lo, hi)] == [m.span() for m in new.finditer(text, lo, hi)]


def test_opening_characters() -> None:
    from docsearch.refs.find import _BODY, _PREP
    from docsearch.refs.prescan import opening_characters

    patterns = (grammar.SAME_DAY, grammar.TERM, _BODY, _PREP)
    chars = opening_characters(*patterns)
    assert chars is not None and " " not in chars and "," not in chars
    for text in TEXTS:
        for pos in range(len(text)):
            if any(p.match(text, pos) for p in patterns):
                assert text[pos] in chars or text[pos].isdecimal()
    assert opening_characters(re.compile(r"[^a]b")) is None


def test_capital_codes_and_ground_words_as_the_scans() -> None:
    from docsearch.refs.find import _code_short_forms
    from docsearch.refs.prescan import find_all, finditer_at, literal_openings

    extra = ["NQ 57, nq 58, Nq 59, KL số 12 và QĐ 3; CT  45-x; qđ 7, QĐ 8", "ÑQ 5 NQD 6 NQ NQ 7", "căn cứ, can cu; xet de nghi"]
    originals = [t for t in TEXTS if t != match_view(t)] + extra
    for text in originals:
        folded = match_view(text)
        want = [m.span() for m in grammar.CODE_SHORT_FORM.finditer(folded)
                if text[m.start("type"):m.end("type")].isupper()]
        assert [m.span() for m in _code_short_forms(folded, text)] == want
        for pattern in (grammar.GROUND_WORD, grammar.BODY_START_WORD):
            words = literal_openings(pattern)
            assert words is not None
            for lo, hi in ((0, len(folded)), (3, len(folded) // 2), (len(folded) // 3, len(folded))):
                got = finditer_at(pattern, folded, find_all(folded, words, lo, hi), lo, hi)
                assert [m.span() for m in got] == [m.span() for m in pattern.finditer(folded, lo, hi)]


def test_month_first_dates_as_before() -> None:
    from docsearch.refs.find import _MONTH_FIRST_REACH, _YEAR, _month_first

    def before(folded: str) -> list[tuple[int, int]]:
        out = []
        last_end = 0
        for y in _YEAR.finditer(folded):
            lo = max(last_end, y.start() - _MONTH_FIRST_REACH)
            m = grammar.DATE_MONTH_FIRST.search(folded, lo, y.end())
            if m is not None and m.end() == y.end():
                last_end = m.end()
                out.append(m.span())
        return out

    extra = ["November 17, 2022 and Nov. 17 2022, May 3rd 2024, march 2nd, 2025 năm 2024 ngày 17 2023",
             "june 1st  2020,2021 july 4th,2022 aug 31 1999 sept. 9 2009 on 2024"]
    for text in TEXTS + [match_view(t) for t in extra]:
        assert [m.span() for m in _month_first(text)] == before(text)


def test_theo_and_issuing_verbs_found_from_their_words() -> None:
    from docsearch.refs.prescan import find_all, finditer_at, literal_openings

    rnd = random.Random(3)
    for pattern, reach in ((grammar.THEO, 5), (grammar.ISSUE_VERB, 64)):
        words = literal_openings(pattern, reach)
        assert words is not None
        for text in TEXTS:
            at = find_all(text, words, 0, len(text))
            for _ in range(20):
                lo = rnd.randrange(len(text) + 1)
                hi = rnd.randrange(lo, len(text) + 2)
                assert [m.span() for m in finditer_at(pattern, text, at, lo, hi)] == \
                    [m.span() for m in pattern.finditer(text, lo, hi)]


def test_with_relation_is_replace() -> None:
    from dataclasses import replace

    from docsearch.models import Reference
    from docsearch.refs.relate import _with_relation

    r = Reference(1, 9, "NQ 57", "57-NQ/TW", "NQ", "57", "TW", year=2024, short_form=True, candidates=("a", "b"),
                  term=13, type_word="NQ", issuer_name="Bộ Chính trị", issuer_place=None, source="x", key=None)
    assert _with_relation(r, "implements", None) == replace(r, relation="implements", source=None)
    assert _with_relation(r, "cites", "12-KH/TU") == replace(r, relation="cites", source="12-KH/TU")


def test_new_reference_is_the_constructor() -> None:
    from dataclasses import FrozenInstanceError, astuple, dataclass, field

    from docsearch.models import Reference, new_reference, slot_constructor

    kwargs = dict(start=1, end=9, text="NQ 57", id="57-NQ/TW", type="NQ", number="57", issuer_code="TW", year=2024,
                  short_form=True, candidates=("a",), term=13, issuer_name="Bộ Chính trị", key="k")
    for args, kw in (((), kwargs), ((1, 9, "NQ 57", None, None, None, None), {}), ((1, 9), {"text": "x", "id": None,
                     "type": None, "number": None, "issuer_code": None, "relation": "implements"})):
        a, b = Reference(*args, **kw), new_reference(*args, **kw)
        assert type(b) is Reference and a == b and hash(a) == hash(b) and astuple(a) == astuple(b)
        with pytest.raises(FrozenInstanceError):
            b.start = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        new_reference(1, 2)
    from datetime import date

    from docsearch.models import DateMention, DocNumber, new_date_mention, new_doc_number

    assert new_doc_number(id="5/2024/QĐ-TTg", number="05", type="QĐ", issuer_code="TTg", system="state", year=2024) \
        == DocNumber("5/2024/QĐ-TTg", "05", "QĐ", "TTg", "state", 2024)
    assert new_doc_number("57-NQ/TW", "57", "NQ", "TW", "party") == DocNumber("57-NQ/TW", "57", "NQ", "TW", "party")
    assert new_date_mention(1, 5, "x", date(2024, 1, 2)) == DateMention(1, 5, "x", date(2024, 1, 2))
    with pytest.raises(TypeError):
        new_reference(**kwargs, nonsense=1)

    @dataclass(frozen=True, slots=True)
    class Listed:
        items: list[int] = field(default_factory=list)

    with pytest.raises(TypeError):
        slot_constructor(Listed)


def test_spellings_lists_every_word_of_a_plain_alternation():
    from docsearch.refs.grammar import NUMBER_MARK, TYPE_WORD
    from docsearch.refs.prescan import spellings

    assert spellings(r"nos?\.?|nr") == {"no", "no.", "nos", "nos.", "nr"}
    assert spellings(r"plan(?:es)?") == {"plan", "planes"}
    # Anything but plain letters and bounded repeats is not followed.
    assert spellings(r"a\d") is None
    assert spellings(r"ab*") is None
    assert spellings(r"[ab]c") is None
    for source in (TYPE_WORD, NUMBER_MARK):
        words = spellings(source)
        assert words
        assert all(re.fullmatch(source, w) for w in words)


def test_search_at_literals_as_the_search() -> None:
    from docsearch.refs.prescan import literal_openings, search_at_literals

    rnd = random.Random(5)
    extra = ["Điều 1. Điều 10 Điều 1: xĐiều 1 Article 1 Artikel 1\nĐiều 1", "Căn cứ; CĂN CỨ Xét đề nghị căn cứ",
             "Điều 1", ""]
    for pattern in (grammar.FIRST_ARTICLE, grammar.GROUNDS_INLINE, grammar.ENACTING_HEADING):
        words = literal_openings(pattern)
        assert words is not None
        for text in TEXTS + extra:
            for _ in range(10):
                lo = rnd.randrange(len(text) + 1)
                hi = rnd.randrange(lo, len(text) + 1)
                for args in ((lo,), (lo, hi)):
                    got = search_at_literals(pattern, text, *args)
                    want = pattern.search(text, *args)
                    assert (got and got.span()) == (want and want.span())
    # A pattern whose matches can open otherwise is searched for as usual.
    assert literal_openings(re.compile("[ab]?b+")) is None
    assert search_at_literals(re.compile("[ab]?b+"), "aabbb", 1).span() == (1, 5)
    assert search_at_literals(re.compile("[ab]?b+"), "aab", 0, 2) is None


def test_issuing_verb_ends_with_its_words() -> None:
    """A match of ISSUING_VERB ending at ``hi`` has one of its verbs right
    before the spaces at ``hi``: the test attach_issuing_clause makes before searching."""
    extra = ["da ban hanh   ", "vua ky", "chinh thuc thong qua ", "issued\n", "ky ban hanh  x", "approved"]
    for text in TEXTS + [match_view(t) for t in extra] + extra:
        for hi in range(len(text) + 1):
            lo = max(0, hi - 40)
            if grammar.ISSUING_VERB.search(text, lo, hi) is None:
                continue
            j = hi
            while j > lo and text[j - 1] == " ":
                j -= 1
            assert text.endswith(grammar.ISSUING_VERB_WORDS, lo, j) or text[j - 1] == "\n", (text[lo:hi],)



def test_guarded_matches_as_the_pattern() -> None:
    """The large alternations of bodies, tried behind a trie of their first
    characters, match exactly as the patterns do, at every position."""
    from docsearch.refs.find import _BODY_AT
    from docsearch.refs.issuers import _HEAD_AT, _MINISTRY_AT
    from docsearch.refs.prescan import Guarded

    extra = ["cua bo chinh tri, bo cong an va bo  tai   chinh", "bo nn & ptnt, bo nn va ptnt, bo",
             "uy ban nhan dan tinh nghe an; ban thuong vu tinh uy", "of the 13th central committee", "b", ""]
    rnd = random.Random(8)
    for guarded in (_BODY_AT, _HEAD_AT, _MINISTRY_AT, Guarded(grammar.CUE, 3), Guarded(re.compile("a+|(?:b|)c"))):
        pattern = guarded.pattern
        for text in TEXTS + [match_view(t) for t in extra]:
            for pos in range(len(text) + 1):
                ends = (None, min(len(text), pos + rnd.randrange(0, 40)))
                for end in ends:
                    got = guarded.match(text, pos, end) if end is not None else guarded.match(text, pos)
                    want = pattern.match(text, pos, end) if end is not None else pattern.match(text, pos)
                    assert (got and (got.span(), got.lastgroup)) == (want and (want.span(), want.lastgroup))


def test_short_form_endings_by_their_last_letters() -> None:
    """A run of digits follows a type word or a mark exactly when one of the
    spellings filed under the two letters before it ends there."""
    from docsearch.refs.find import _word_or_mark_endings
    from docsearch.refs.prescan import spellings

    _, by_tail = _word_or_mark_endings()
    words = spellings(grammar.TYPE_WORD) | spellings(grammar.NUMBER_MARK)  # type: ignore[operator]
    assert sorted(w for group in by_tail.values() for w in group) == sorted(words)
    for text in TEXTS[:30]:
        for j in range(2, len(text) + 1):
            assert text.endswith(by_tail.get(text[j - 2:j], ()), 0, j) == text.endswith(tuple(words), 0, j)


def test_layout_and_word_tests_as_their_patterns() -> None:
    """The shortcuts taken for speed answer as the patterns they stand for:
    two letters among a line's first eight characters, a table cell's
    number (six characters at most), a word character before a match."""
    from docsearch.refs.find import left_ok
    from docsearch.refs.layout import _CELL_NUMBER, _TWO_LETTERS

    letter = re.compile(r"[^\W\d_]")
    samples = ["", "A", "AB", "1A2B", "Đ Ư", "²Ă", "___AB", "12.", "XVIII)", "123.4", " 12.", "ⅫA", "٣A", "A\nB"]
    lines = [ln for t in TEXTS for ln in t.split("\n")] + samples
    for line in lines:
        assert (_TWO_LETTERS.search(line, 0, 8) is not None) == (len(letter.findall(line[:8])) >= 2)
        for s in (line, line.strip(), line[:6], line.strip()[:7]):
            assert bool(len(s) <= 6 and _CELL_NUMBER.fullmatch(s)) == bool(_CELL_NUMBER.fullmatch(s))
    word = re.compile(r"\w")
    for ch in {c for t in TEXTS for c in t} | set("_²½٣Ⅻ"):
        assert left_ok("x" + ch, 2) == (not word.match(ch))


def test_type_word_before_on_made_up_stretches() -> None:
    """Type words, marks, spaces, colons and stray letters in every order:
    reading back from the number finds the search's match."""
    from docsearch.refs.find import _TYPE_WORD_BEFORE, type_word_before

    pieces = ["nghi quyet", "quyet dinh", "ke hoach", "so", "no.", "nos", "n°", "nr", "number", " ", "  ", ":",
              "x", ".", "-", "\n", "chi thi", "decision", "q", "o", "5"]
    rnd = random.Random(11)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 9)))
        for hi in range(len(text) + 1):
            for lo in (0, max(0, hi - 6), hi):
                got = type_word_before(text, lo, hi)
                want = _TYPE_WORD_BEFORE.search(text, lo, hi)
                assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict())), \
                    (text, lo, hi)


def test_dispatched_cues_match_as_the_pattern() -> None:
    """The cues tried by their first two letters match as the whole
    alternation does, group name included, at every position."""
    from docsearch.refs.prescan import Dispatched, _top_alternatives
    from docsearch.refs.relate import _CUE_AT

    for src, _ in grammar.CUES:
        assert "|".join(_top_alternatives(src)) == src
    assert _top_alternatives(r"a(?:b|c)|[|]|\||d") == ["a(?:b|c)", "[|]", r"\|", "d"]
    extra = ["thuc hien co hieu qua nghi quyet", "can cu; bai bo, thay the cho; xthuc hien", "t", "th", ""]
    rnd = random.Random(3)
    for text in TEXTS + [match_view(t) for t in extra]:
        for pos in range(len(text) + 1):
            end = min(len(text), pos + rnd.randrange(0, 30)) if rnd.random() < 0.5 else len(text)
            got = _CUE_AT.match(text, pos, end)
            want = grammar.CUE.match(text, pos, end)
            assert (got and (got.span(), got.lastgroup)) == (want and (want.span(), want.lastgroup)), (text, pos)
    with pytest.raises(ValueError):
        Dispatched(grammar.CUE, "", [("c0", "x")], "")
    with pytest.raises(ValueError, match="must match no characters"):
        Dispatched(re.compile("x(?:(?P<c0>ab))"), "x", [("c0", "ab")], "")


def test_cues_theo_and_verbs_open_where_the_scan_finds() -> None:
    """Every place a cue, "theo" or an issuing verb matches in a window is one
    the window's scan lists, and "theo" and the verbs open with the two
    letters they are tried at."""
    from docsearch.refs.relate import _openings

    openings = _openings()

    extra = ["thuc hien co hieu qua nghi quyet", "can cu; bai bo, thay the cho; xthuc hien", "t", "th", "",
             "theo nghi quyet 5, da ban hanh, kem theo quyet dinh; luat ban hanh; under the decree; issued",
             "xay dung va ban hanh nghi quyet; ban hanh kem theo; according to the resolution"]
    rnd = random.Random(5)
    for text in TEXTS + [match_view(t) for t in extra]:
        for _ in range(6):
            lo = rnd.randrange(len(text) + 1)
            hi = rnd.randrange(lo, len(text) + 1)
            starts = set(openings.scan.candidates(text, lo, hi))
            for pos in range(lo, hi):
                for pattern, pairs in ((grammar.CUE, None), (grammar.THEO, openings.theo_pairs),
                                       (grammar.ISSUE_VERB, openings.verb_pairs)):
                    if pattern.match(text, pos, hi):
                        assert pos in starts, (text, pos, pattern.pattern[:40])
                        assert pairs is None or text[pos:pos + 2] in pairs


def test_inline_grounds_found_among_the_preamble_words() -> None:
    """The header's inline "Căn cứ" / "Xét đề nghị", tried at the places of
    the preamble's opening words in the view, is the search over the text."""
    from docsearch.refs.header import _inline_ground
    from docsearch.refs.layout import paragraph_view
    from docsearch.refs.prescan import find_all, literal_openings, search_at_literals
    from docsearch.refs.structure import lines_folded_head

    words = literal_openings(grammar.BODY_START_WORD)
    inline = literal_openings(grammar.GROUNDS_INLINE)
    assert words is not None and inline is not None
    assert all(match_view(w).startswith(words) for w in inline)
    extra = ["Căn cứ Luật; CĂN CỨ Nghị quyết; Xét đề nghị của Bộ; căn cứ; XÉT ĐỀ NGHỊ; Căn\ncứ; Xét  đề nghị",
             "QUYẾT ĐỊNH\nCăn cứ Điều 1 của Luật\nXét tờ trình; Theo đề nghị"]
    rnd = random.Random(7)
    for text in [t for t in TEXTS if t != match_view(t)] + extra:
        paragraphs = paragraph_view(text)
        view = lines_folded_head(match_view(text), [i for i, ch in enumerate(paragraphs) if ch == "\n"])
        for _ in range(8):
            limit = rnd.randrange(len(text) + 1)
            at = find_all(view, words, 0, min(len(text), limit + rnd.randrange(0, 40)))
            got = _inline_ground(text, at, limit)
            want = search_at_literals(grammar.GROUNDS_INLINE, text, 0, limit)
            assert (got and got.span()) == (want and want.span())
