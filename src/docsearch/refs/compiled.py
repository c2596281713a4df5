"""The tagger's optional compiled build (`make compile-tagger`, mypyc).

A compiled module sits beside its source and is imported instead of it, so an
edit to the source does nothing until the build is made again. These checks
find such stale builds; they cost a directory listing and a few stats (and
only ``os``: the tagger's import runs them).
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def compiled_modules(folder: str = HERE) -> dict[str, str]:
    """The modules of ``folder`` present as compiled extensions: name → path."""
    out: dict[str, str] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".so") or name.endswith(".pyd"):
                out[name.split(".", 1)[0]] = entry.path
    return out


def stale_modules(folder: str = HERE) -> list[str]:
    """Compiled modules whose source was changed after they were built."""
    stale = []
    for name, built in sorted(compiled_modules(folder).items()):
        source = os.path.join(folder, f"{name}.py")
        if os.path.exists(source) and os.stat(source).st_mtime > os.stat(built).st_mtime:
            stale.append(name)
    return stale


def stale_message(stale: list[str]) -> str:
    """One line saying what is stale and what to do."""
    return (f"docsearch: the compiled tagger is older than its source ({', '.join(stale)}.py changed since): "
            "run 'make compile-tagger' again, or 'make clean-compiled' to use the sources")


def warn_if_stale() -> None:
    """Say on standard error when a compiled module is older than its source."""
    stale = stale_modules()
    if stale:
        print(stale_message(stale), file=sys.stderr)
