"""Tag files directly, without a store (``docsearch refs FILE...``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..extract import extract_file
from ..extract.base import Extracted
from ..lang import detect_language
from ..models import TagResult
from .knowledge import Knowledge
from .tagger import tag


@dataclass(frozen=True)
class TaggedFile:
    """A file's extracted text and what the tagger found in it."""

    path: str
    format: str
    lang: str
    extracted: Extracted
    tags: TagResult


def tag_file(path: str | Path, knowledge: Knowledge | None = None) -> TaggedFile:
    """Extract and tag one file. Raises ExtractionError or OSError for bad input."""
    fmt, extracted = extract_file(path)
    lang = detect_language(extracted.text)
    return TaggedFile(str(path), fmt, lang, extracted, tag(extracted.text, lang=lang, knowledge=knowledge))
