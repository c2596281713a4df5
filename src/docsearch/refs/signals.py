"""The cheapest signs that a text may cite a document.

Every citation the tagger finds either holds a digit (a number, a short
form such as "Nghị quyết 57", a list "121, 126 and 127") or is a document
cited by name, and the finder of names looks only where one of the words
below occurs in the folded text (:func:`docsearch.refs.named.find_named`
anchors its patterns on exactly these words). So a text with neither holds
no reference, and :func:`may_cite` answers that without loading the
grammar: a search for plain words does not need the tagger at all.
"""

from __future__ import annotations

import re

#: Words that open a law, ordinance, constitution or charter cited by name
#: (folded), and what may stand right before them inside the name.
NAMED_ANCHORS: tuple[str, ...] = ("luat", "phap lenh", "hien phap", "dieu le")
NAMED_ANCHORS_BACK: dict[str, str] = {"luat": "bo "}
#: Words that open a congress or plenum resolution cited by name.
PARTY_NAMED_ANCHORS: tuple[str, ...] = ("nghi quyet ",)
#: Words that open an English law or the Party Charter cited by name.
EN_NAMED_ANCHORS: tuple[str, ...] = ("law on ", "charter")

_ANY_ANCHOR = NAMED_ANCHORS + PARTY_NAMED_ANCHORS + EN_NAMED_ANCHORS
_DIGIT = re.compile(r"\d")


def may_cite(folded: str) -> bool:
    """Whether the folded text may hold a citation: it has a digit or a word
    that opens a document cited by name. False means the tagger would find
    no reference in it; True means it has to be asked."""
    return _DIGIT.search(folded) is not None or any(word in folded for word in _ANY_ANCHOR)
