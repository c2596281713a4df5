"""Reference and date tagging: find, resolve and type citations of official documents."""

from typing import TYPE_CHECKING

from ..lazy import attribute_loader
from .compiled import choose_build

# Before any module of the tagger is imported: its compiled build, unless
# that is older than a source (see refs.compiled).
choose_build()

# The public names are loaded on first use: a search that reads only the fold
# of its words, or a table of type names, must not compile the whole tagger.
_LAZY = {
    "fold": "folding", "Knowledge": "knowledge", "KnownDoc": "knowledge", "RegistryError": "knowledge",
    "read_registry_file": "knowledge", "parse_number": "numbers", "sentence_spans": "relate",
    "TAGGER_VERSION": "tagger", "default_knowledge": "tagger", "tag": "tagger",
}


__getattr__ = attribute_loader(__name__, _LAZY)


if TYPE_CHECKING:
    from .folding import fold
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
