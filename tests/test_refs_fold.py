"""The codec-based folds give exactly what str.translate with their tables gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.refs.folding import _ALPHABET, FOLD_TABLE, fold
from docsearch.refs.layout import _FLAT_TABLE, match_view

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
