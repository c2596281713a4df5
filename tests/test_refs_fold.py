"""The codec-based folds give exactly what str.translate with their tables gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.refs import tag
from docsearch.refs.folding import _ALPHABET, FOLD_TABLE, fold, in_nfc
from docsearch.refs.layout import _FLAT_TABLE, match_view, match_view_codes

# Characters of the codec's alphabet, ones outside it that the tables fold
# (Ð, Ÿ, combining marks, dashes), ones they leave alone (CJK, emoji, NUL).
_CHARS = st.one_of(
    st.sampled_from(_ALPHABET),
    st.sampled_from("ÐŸĀǅ\u0301\u0323\u2011\u2212\u2044\u202f\u2028|"),
    st.characters(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=400).map("".join))
def test_fold_is_the_table(text: str) -> None:
    assert fold(text) == text.translate(FOLD_TABLE)
    assert match_view(text) == text.translate(_FLAT_TABLE)


@given(st.text(alphabet=st.sampled_from("中文字 a"), min_size=50, max_size=200))
def test_mostly_other_scripts(text: str) -> None:
    assert fold(text) == text.translate(FOLD_TABLE)


def test_long_texts_of_every_kind() -> None:
    vietnamese = "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; ĐẢNG ỦY — “Kết luận” …\n"
    for text in (vietnamese * 50, vietnamese * 20 + "\x00 Ð 中文 😀 e\u0301" * 30, "x" * 47, "\x00" * 100):
        assert fold(text) == text.translate(FOLD_TABLE)
        assert match_view(text) == text.translate(_FLAT_TABLE)
        assert len(match_view(text)) == len(text)


def test_a_text_of_the_alphabet_is_in_nfc() -> None:
    # in_nfc's claim: no character of the alphabet changes under NFC beside
    # any other (one that composes with the one before it would).
    assert all(unicodedata.is_normalized("NFC", a + b) for a in _ALPHABET for b in _ALPHABET)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, min_size=48, max_size=400).map("".join))
def test_in_nfc_never_says_so_wrongly(text: str) -> None:
    codes = match_view_codes(text)[1]
    if in_nfc(codes, len(text)):
        assert unicodedata.is_normalized("NFC", text)


def test_nfd_text_is_tagged_by_its_nfc() -> None:
    text = "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về khoa học."
    nfd = unicodedata.normalize("NFD", text)
    assert not in_nfc(match_view_codes(nfd)[1], len(nfd))
    assert [r.id for r in tag(nfd).references] == [r.id for r in tag(text).references] == ["57-NQ/TW"]
