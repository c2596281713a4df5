"""Reference and date tagging: find, resolve and type citations of official documents."""

from typing import TYPE_CHECKING

from ..lazy import attribute_loader

# The public names are loaded on first use: a search that reads only the fold
# of its words, or a table of type names, must not compile the whole tagger.
_LAZY = {
    "fold": "folding", "Knowledge": "knowledge", "KnownDoc": "knowledge", "RegistryError": "knowledge",
    "read_registry_file": "knowledge", "parse_number": "numbers", "sentence_spans": "relate",
    "TAGGER_VERSION": "tagger", "default_knowledge": "tagger", "tag": "tagger",
}


__getattr__ = attribute_loader(__name__, _LAZY)


def _warn_if_stale() -> None:
    # Only a tree where `make compile-tagger` was run holds compiled modules;
    # an edited source they shadow would otherwise be silently ignored.
    from .compiled import compiled_modules, stale_message, stale_modules

    if compiled_modules():
        stale = stale_modules()
        if stale:
            import sys

            print(stale_message(stale), file=sys.stderr)


_warn_if_stale()


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
