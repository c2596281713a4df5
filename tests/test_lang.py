"""Offline language identification on real text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docsearch.extract import extract_file
from docsearch.lang import _WORD, _ascii_words, detect_language

from conftest import ROOT, seeds_dir


def test_seed_languages() -> None:
    langs = {p.name[:3]: detect_language(p.read_text("utf-8")) for p in sorted(seeds_dir().glob("*.txt"))}
    assert langs == {"000": "en", "001": "en", "002": "en", "003": "en", "004": "de"}


def test_every_corpus_document_gets_its_language() -> None:
    truth = json.loads((ROOT / "tests" / "data" / "corpus_truth.json").read_text("utf-8"))
    wrong = []
    for entry in truth:
        text = extract_file(ROOT / entry["path"])[1].text
        if detect_language(text) != entry["lang"]:
            wrong.append(entry["path"])
    assert wrong == []


@pytest.mark.parametrize("text,lang", [
    ("Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW.", "vi"),
    ("Tinh uy ban hanh chuong trinh hanh dong thuc hien nghi quyet cua Bo Chinh tri va cac ke hoach", "vi"),
    ("The Provincial Party Committee issued an action program to implement the resolution.", "en"),
    ("Der Ständige Ausschuss hat das Aktionsprogramm zur Umsetzung der Resolution herausgegeben.", "de"),
    ("Le comité provincial a publié le programme pour la mise en œuvre de la résolution.", "fr"),
    ("57-NQ/TW", "und"),
    ("", "und"),
])
def test_short_texts(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_vietnamese_names_in_english_text_stay_english() -> None:
    text = ("Comrade Quản Minh Cường, Secretary of the Cao Bằng Provincial Party Committee, chaired "
            "the meeting of the Standing Committee on the implementation of the resolution in the province.")
    assert detect_language(text) == "en"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=300))
def test_ascii_text_is_split_into_the_words_the_pattern_finds(text: str) -> None:
    # The words of ASCII text are listed without the pattern, by a table of
    # letters; they must be the pattern's words, in order.
    assert _ascii_words(text.lower()) == _WORD.findall(text.lower())


@pytest.mark.parametrize("english", [40, 60, 75, 90])
def test_vietnamese_letters_counted_in_the_second_half_weigh_as_in_the_first(english: int) -> None:
    # The first half of the sample is counted first; where it does not decide,
    # the letters of the second half count as much.
    vietnamese = "Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động thực hiện Nghị quyết. "
    text = "The committee met on the plan for the province and its people. " * english + vietnamese * 6
    swapped = vietnamese * 6 + "The committee met on the plan for the province and its people. " * english
    assert detect_language(text) == detect_language(swapped)
