"""The tagger's compiled build (mypyc; `make` builds it where it can), and
that of the full-text rows' vectors (``docsearch.search.vectors``).

A compiled module sits beside its source and Python imports it instead of
the source, so an edit to a source would do nothing until the build is made
again. :func:`choose_build` runs when the package is imported: where the
build is older than a module of the package (or the models module), or
``DOCSEARCH_TAGGER=sources`` is set, every module of the build is imported
from its source instead. All or none: a compiled module calls the other
compiled modules directly, not through what ``import`` gives, so a mix would
run the old code of some. These checks cost two directory listings and a
few stats, and import only ``os`` and ``sys`` unless the sources are chosen.
"""

from __future__ import annotations

import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
#: The package whose modules are compiled (docsearch.refs).
PACKAGE = __name__.rsplit(".", 1)[0]

#: Set to ``sources`` to run the tagger from its sources where it is compiled.
ENV = "DOCSEARCH_TAGGER"


def compiled_modules(folder: str = HERE) -> dict[str, str]:
    """The modules of ``folder`` present as compiled extensions: name → path
    (not the part mypyc adds beside a module compiled alone, ``name__mypyc``)."""
    out: dict[str, str] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            module = entry.name.split(".", 1)[0]
            if entry.name.endswith((".so", ".pyd")) and not module.endswith("__mypyc"):
                out[module] = entry.path
    return out


def stale_modules(folder: str = HERE, *, alone: bool = False) -> list[str]:
    """The sources changed after the build was made (by module name): a
    compiled module's own, or another module of the package or the models
    module, which the build was compiled against (`make` builds it again
    when any of them changes). With ``alone`` (modules each compiled on its
    own, importing nothing of the package), only their own sources."""
    return _stale(folder, compiled_modules(folder), alone)


def _stale(folder: str, built: dict[str, str], alone: bool = False) -> list[str]:
    """:func:`stale_modules`, given the build's modules in ``folder``."""
    if not built:
        return []
    if alone:
        return sorted(name for name, path in built.items()
                      if os.path.exists(source := os.path.join(folder, name + ".py"))
                      and os.stat(source).st_mtime > os.stat(path).st_mtime)
    made = min(os.stat(path).st_mtime for path in built.values())
    with os.scandir(folder) as entries:
        sources = [entry.path for entry in entries if entry.name.endswith(".py")]
    sources.append(os.path.join(os.path.dirname(folder), "models.py"))
    return sorted(os.path.basename(path)[:-3] for path in sources
                  if os.path.exists(path) and os.stat(path).st_mtime > made)


def stale_message(stale: list[str], what: str = "the tagger") -> str:
    """One line saying what is stale, what is done instead and what to do."""
    changed = ", ".join(f"{name}.py" for name in stale)
    return (f"docsearch: the compiled build of {what} is older than its sources ({changed} changed since), "
            f"so {what} runs from its sources, more slowly: run 'make compile-tagger' to build it again")


class _FromSources:
    """Finds the named modules of the package as their ``.py`` files."""

    def __init__(self, names: set[str], folder: str) -> None:
        self.names = names
        self.folder = folder

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname not in self.names:
            return None
        import importlib.util

        source = os.path.join(self.folder, fullname.rsplit(".", 1)[1] + ".py")
        return importlib.util.spec_from_file_location(fullname, source)


def _sources_wanted(folder: str, built: dict[str, str], alone: bool = False) -> tuple[bool, list[str]]:
    """Whether ``DOCSEARCH_TAGGER=sources`` asks for the sources, and if not,
    which sources are newer than the build ``built``: the one rule of
    :func:`choose_build` and :func:`build_in_use`."""
    forced = os.environ.get(ENV) == "sources"
    return forced, [] if forced else _stale(folder, built, alone)


def build_in_use(folder: str = HERE, *, alone: bool = False) -> bool:
    """Whether :func:`choose_build` keeps the compiled build of the modules
    in ``folder`` (asked without importing them: a benchmark's report)."""
    built = compiled_modules(folder)
    forced, stale = _sources_wanted(folder, built, alone)
    return bool(built) and not forced and not stale


def choose_build(package: str = PACKAGE, folder: str = HERE, *, alone: bool = False,
                 what: str = "the tagger") -> bool:
    """Have the modules of ``package`` in ``folder`` imported from their
    sources when their build is stale (said on standard error) or
    ``DOCSEARCH_TAGGER=sources`` asks for it; whether the sources were chosen.
    Called before any of them is imported. ``alone``: see
    :func:`stale_modules`; ``what`` the build is, for the message."""
    built = compiled_modules(folder)
    if not built or any(isinstance(f, _FromSources) and f.folder == folder for f in sys.meta_path):
        return False
    forced, stale = _sources_wanted(folder, built, alone)
    if not (forced or stale):
        return False
    if stale:
        print(stale_message(stale, what), file=sys.stderr)
    sys.meta_path.insert(0, _FromSources({f"{package}.{name}" for name in built}, folder))
    return True


def running_compiled() -> bool:
    """Whether the tagger in use is the compiled build."""
    import importlib

    path = getattr(importlib.import_module(f"{PACKAGE}.tagger"), "__file__", None) or ""
    return path.endswith((".so", ".pyd"))
