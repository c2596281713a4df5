"""The cheap checks in front of legacy-font and language detection decide
exactly as the full detectors would: they only skip work the bytes do not
need."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.extract import legacy
from docsearch.lang import _FUNCTION_WORDS, _VI_LETTERS, _WORD, detect_language

VIETNAMESE = ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
              "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia. Ban Thường vụ Tỉnh ủy ban hành "
              "Chương trình hành động thực hiện Nghị quyết như sau.")
WORDS = (VIETNAMESE.split() + "Straße Größe über für Entwicklung the of and implementation café naïve"
         " Œuvre Šibenik ƒ © « » là có và các công".split())


def _mojibake(text: str, encoding: str) -> str:
    return legacy.encode_legacy(text, encoding).decode("cp1252", errors="replace")


def _full_verdict(text: str) -> str | None:
    return legacy.legacy_evidence(text).verdict()


def _check(text: str) -> None:
    sample = legacy._sample(text)
    assert legacy.detect_legacy(text) == _full_verdict(text)
    if legacy._HAS_LATIN1_HIGH.search(sample):
        evidence = legacy._count_evidence(sample)
        assert len(legacy._UNICODE_WORD.findall(sample)) == evidence.unicode
        assert len(legacy._LATIN1_WORD.findall(sample)) >= evidence.candidates
        # The bound stops counting Unicode words once they settle it: the same
        # answer as from every count in full.
        unicode = len(legacy._UNICODE_WORD.findall(sample))
        full = unicode > 0 and (len(legacy._HAS_LATIN1_HIGH.findall(sample)) < 2 * unicode
                                or len(legacy._LATIN1_WORD.findall(sample)) < 2 * unicode)
        assert legacy._cannot_be_legacy(sample) == full


def test_known_texts() -> None:
    for text in (VIETNAMESE, _mojibake(VIETNAMESE, "tcvn3"), _mojibake(VIETNAMESE, "vni"),
                 "Die Größe der Straße für Œuvre", "plain ascii text only", "",
                 VIETNAMESE + " " + _mojibake(VIETNAMESE, "tcvn3")):
        _check(text)
    assert legacy.detect_legacy(_mojibake(VIETNAMESE, "tcvn3")) == "tcvn3"
    assert legacy.detect_legacy(_mojibake(VIETNAMESE, "vni")) == "vni"
    assert legacy.detect_legacy(VIETNAMESE) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from([None, "tcvn3", "vni"]),
       st.sampled_from([" ", "\n", ", ", "-"]))
def test_bounds_never_change_the_legacy_verdict(words: list[str], encoding: str | None, sep: str) -> None:
    text = sep.join(words)
    if encoding is not None:
        try:
            text = _mojibake(text, encoding)
        except (UnicodeError, KeyError, ValueError):
            return
    _check(text)


def _reference_language(text: str) -> str:
    """Language detection as written before the shortcuts, word by word."""
    import unicodedata

    sample = unicodedata.normalize("NFC", text[:20_000]).lower()
    words = _WORD.findall(sample)
    if len(words) < 3:
        return "und"
    letters = sum(len(w) for w in words)
    if sum(1 for ch in sample if ch in _VI_LETTERS) / max(letters, 1) > 0.05:
        return "vi"
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 or scores[best] / len(words) < 0.03:
        return "und"
    return best


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["123", "...", "der", "die", "und", "va", "cua"]), max_size=80))
def test_language_shortcuts_decide_as_the_full_count(words: list[str]) -> None:
    text = " ".join(words)
    assert detect_language(text) == _reference_language(text)
    assert re.sub(r"\s", "", text) == "" or detect_language(text) in ("vi", "en", "de", "fr", "und")
