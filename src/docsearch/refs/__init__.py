"""Reference and date tagging: find, resolve and type citations of official documents."""

from .grammar import fold
from .knowledge import Knowledge, KnownDoc, RegistryError, read_registry_file
from .numbers import parse_number
from .relate import sentence_spans
from .tagger import TAGGER_VERSION, default_knowledge, tag

__all__ = [
    "TAGGER_VERSION",
    "Knowledge",
    "KnownDoc",
    "RegistryError",
    "default_knowledge",
    "fold",
    "parse_number",
    "read_registry_file",
    "sentence_spans",
    "tag",
]
