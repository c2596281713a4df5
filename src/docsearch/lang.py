"""Offline language identification for the languages docsearch meets.

Vietnamese is recognised by its letters (ư, ơ, đ and stacked tone marks are
found in no other Latin-script language we see); English and German by their
function words. No model is downloaded: the lists below are the model.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import islice

# Letters that occur only in Vietnamese among the languages of our corpora.
_VI_LETTERS = set(
    "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is that for on with as by was are be this from it at an "
        "which have has were not or its their been will also".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine des den dem zu mit von für auf im sich "
        "auch als wird wurde sind bei nach zur zum über durch oder aus".split()
    ),
    "fr": frozenset(
        "le la les et des du est une dans pour que qui sur pas par avec ce au aux".split()
    ),
    # Unaccented Vietnamese (telegraphic or ASCII-folded text) still has these.
    "vi": frozenset(
        "va cua cac la trong nhung duoc cho voi thuc hien nghi quyet tinh uy dang".split()
    ),
}

_WORD = re.compile(r"[^\W\d_]+")
_VI_LETTER = re.compile("[" + "".join(sorted(_VI_LETTERS)) + "]")
SAMPLE_CHARS = 20_000


# ASCII text split into its words by bytes.translate and bytes.split, both in
# C without a match object per word: for ASCII, the letters of _WORD are
# exactly A-Z and a-z, and everything else separates words.
_ASCII_SPACES = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))


def _ascii_words(sample: str) -> list[str]:
    """:data:`_WORD`'s matches in an ASCII ``sample``, in order."""
    return sample.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of ``text``: ``vi``, ``en``, ``de``,
    ``fr``, or ``und`` when there is too little text to tell."""
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS]).lower()
    if len(list(islice(_WORD.finditer(sample), 3))) < 3:
        return "und"
    # Counted by the regex engine (a Python loop over every character cost
    # more than the rest of the detection), and not at all in ASCII text.
    # Vietnamese prose has a marked letter in well over a third of its
    # syllables; a Vietnamese name or quote in English text stays far below.
    # Letters are at most all the characters: above the threshold against
    # those, the text is Vietnamese without listing its words. The first
    # half is counted first: in Vietnamese prose (14-19 % of the characters
    # are such letters) it alone passes the threshold set for the whole, and
    # the rest need not be counted.
    is_ascii = sample.isascii()
    vi_letters = 0
    if not is_ascii:
        threshold, half = 0.05 * len(sample), len(sample) // 2
        vi_letters = len(_VI_LETTER.findall(sample, 0, half))
        if vi_letters > threshold:
            return "vi"
        vi_letters += len(_VI_LETTER.findall(sample, half))
        if vi_letters > threshold:
            return "vi"
    words = _ascii_words(sample) if is_ascii else _WORD.findall(sample)
    if vi_letters and vi_letters / max(sum(map(len, words)), 1) > 0.05:
        return "vi"
    # Counted in C, then looked up per function word (a few dozen) rather
    # than per distinct word of the text (hundreds).
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in vocab if w in counts) for lang, vocab in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 or scores[best] / len(words) < 0.03:
        return "und"
    return best
