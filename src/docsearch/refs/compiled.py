"""The tagger's optional compiled build (`make compile-tagger`, mypyc).

A compiled module sits beside its source and is imported instead of it, so an
edit to the source does nothing until the build is made again. These checks
find such stale builds; they cost a directory listing and a few stats.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent


def compiled_modules(folder: Path = HERE) -> dict[str, Path]:
    """The modules of ``folder`` present as compiled extensions, by name."""
    out: dict[str, Path] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".so") or name.endswith(".pyd"):
                out[name.split(".", 1)[0]] = Path(entry.path)
    return out


def stale_modules(folder: Path = HERE) -> list[str]:
    """Compiled modules whose source was changed after they were built."""
    stale = []
    for name, built in sorted(compiled_modules(folder).items()):
        source = folder / f"{name}.py"
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime:
            stale.append(name)
    return stale


def stale_message(stale: list[str]) -> str:
    """One line saying what is stale and what to do."""
    return (f"docsearch: the compiled tagger is older than its source ({', '.join(stale)}.py changed since): "
            "run 'make compile-tagger' again, or 'make clean-compiled' to use the sources")
