"""Scans anchored on runs of digits find exactly what the patterns' own scans find."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.extract import extract_file
from docsearch.refs import grammar
from docsearch.refs.find import (
    _DIGIT_RUN,
    _NOT_AFTER_SHORT_FORM,
    _YEAR,
    _code_short_forms,
    _day_first_starts,
    _number_starts,
    _short_form_matches,
    _years,
    digit_runs,
)
from docsearch.refs.layout import match_view, match_view_codes
from docsearch.refs.prescan import finditer_at

ROOT = Path(__file__).resolve().parents[1]

# Pieces that make numbers, dates, years and short forms, and near misses:
# long runs of digits, digits glued to words, other scripts' digits, marks
# far from their number.
_PIECES = st.sampled_from([
    "0", "1", "2", "7", "9", "19", "20", "2024", "123456", "57", "٣", "１", " ", "  ", "   ", "/", "-", ".", ",", ":",
    "(", "\n", "a", "x", "nq", "tw", "qd", "ubnd", "cp", "qh15", "nd", "nghi quyet", "quyet dinh", "chi thi",
    "resolution", "resolutions", "richtlinie", "conclusions", "ket luan", "so", "no.", "nr.", "nummer", "number",
    "n°", "nos.", "plan", "plans", "luat", "de an", "thang", "nam", "ngay", "march", "mai", "sept", "st", "th", "of", "va", "and", "và", "ế", "chương trình", "_", "-x", ".5", ",5",
])
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def _check(folded: str) -> None:
    runs = digit_runs(folded)
    assert [m.span() for m in _short_form_matches(folded, runs)] == \
        [m.span() for m in grammar.SHORT_FORM.finditer(folded)]
    assert [m.span() for m in finditer_at(grammar.ANY_NUMBER, folded, _number_starts(folded, runs))] == \
        [m.span() for m in grammar.ANY_NUMBER.finditer(folded)]
    assert [m.span() for m in finditer_at(grammar.DATE_DAY_FIRST, folded, _day_first_starts(folded, runs))] == \
        [m.span() for m in grammar.DATE_DAY_FIRST.finditer(folded)]
    assert list(_years(folded, runs)) == [m.span() for m in _YEAR.finditer(folded)]


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_digit_anchored_scans_as_the_patterns(text: str) -> None:
    _check(match_view(text))


def test_short_forms_end_with_the_look_ahead_checked_before() -> None:
    assert grammar.SHORT_FORM.pattern.endswith(f"(?P<num>\\d{{1,4}})(?!{_NOT_AFTER_SHORT_FORM.pattern})")


def test_digit_anchored_scans_on_the_corpus() -> None:
    edges = ["Nghị quyết số   57", "Resolution No.      12/2024", "nghi quyet" + " " * 40 + "57", "1234567-NQ/TW",
             "12345678/2024/NĐ-CP", "Nr. 35 und 36", "ngày 1/12/2024, 22.12.2024, 3-4-2025", "2024 2020 1999 123456",
             "5. December 2024, 5.  of march 2024, 5.december 2024, 12.1.2024, 12.12-2024, 3/3/2024, 3/33/2024",
             "57-NQ/TW, 18/2024/NQ-CP, 1-12-2024, 1-1-2024, 31 - 12 - 2024, 2/ 3/2024"]
    texts = [p for p in sorted((ROOT / "corpus").rglob("*")) if p.is_file()]
    for text in edges + [extract_file(p)[1].text for p in texts]:
        _check(match_view(text))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.sampled_from(["Ð", "\x00", "٣٤", "𝟙", "中"]), st.characters()), max_size=80)
       .map("".join))
def test_digit_runs_from_the_codes(text: str) -> None:
    folded, codes = match_view_codes(text)
    assert folded == match_view(text)
    if codes is not None:
        assert len(codes) == len(text)
    assert digit_runs(folded, codes) == [m.span() for m in _DIGIT_RUN.finditer(folded)]


_CODES = st.sampled_from(["NQ", "CT", "KL", "QĐ", "QD", "NT", "KQ", "QQ", "Nq", "nq", "Ñ", "Ð", "Ḱ", "T", "Q", "N", "C", "Đ"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_PIECES, _CODES), max_size=60).map("".join))
def test_code_short_forms_from_the_codes(text: str) -> None:
    folded, codes = match_view_codes(text)
    assert [m.span() for m in _code_short_forms(folded, text, codes)] == \
        [m.span() for m in _code_short_forms(folded, text)]
