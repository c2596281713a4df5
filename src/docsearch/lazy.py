"""Package attributes imported on first use.

A command line call pays for every module it imports; `docsearch --help`, a
search and the worker processes of an ingest need few of the heavy parts
(the tagger's patterns, the store, OCR) that a package's public names would
pull in. A package lists where each such name lives and sets its module
``__getattr__`` to :func:`attribute_loader`; Python calls it only for a name
the module does not hold yet.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def attribute_loader(package: str, origins: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: the first read of a name in
    ``origins`` imports the submodule it names (relative to ``package``),
    keeps the value in the package and returns it; any other name is an
    AttributeError, as for an ordinary module."""

    def load(name: str) -> Any:
        module = origins.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return load
