"""Which codes to silence: ``--ignore`` and the ``[tool.docsearch.check]`` table.

The configuration of a draft is the nearest file, going up from the draft's
folder, that has a check table: ``docsearch.toml`` (table ``[check]`` or
``[tool.docsearch.check]``) or ``pyproject.toml`` (``[tool.docsearch.check]``).
In one folder ``docsearch.toml`` wins. Recognised keys::

    [tool.docsearch.check]
    ignore = ["DS301", "DS4"]   # codes, or prefixes selecting a group
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import SaidError, phrase
from .codes import UnknownCodeError, check_code_selector

CONFIG_FILES = ("docsearch.toml", "pyproject.toml")
_KEYS = frozenset({"ignore"})


class ConfigError(SaidError, ValueError):
    """A configuration file cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class CheckConfig:
    """Settings of one check run: the codes (or code prefixes) to silence."""

    ignore: frozenset[str] = frozenset()
    source: Path | None = None  # the file the settings came from, if any

    def silences(self, code: str) -> bool:
        """Whether findings with ``code`` are not reported."""
        return any(code.startswith(prefix) for prefix in self.ignore)

    def merged(self, extra_ignore: Iterable[str]) -> CheckConfig:
        """These settings plus codes given on the command line."""
        extra = frozenset(check_code_selector(c) for c in extra_ignore)
        return CheckConfig(self.ignore | extra, self.source)


def _table(data: dict[str, Any], name: str) -> object:
    tool = data.get("tool", {})
    docsearch = tool.get("docsearch", {}) if isinstance(tool, dict) else {}
    table = docsearch.get("check") if isinstance(docsearch, dict) else None
    if table is None and name == "docsearch.toml":
        table = data.get("check")
    return table


def read_config(path: Path) -> CheckConfig | None:
    """The check settings in one file, or None when it has no check table."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(phrase("{file}: cannot read: {error}", file=path, error=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(phrase("{file}: not UTF-8 text; save it as UTF-8", file=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(phrase("{file}: invalid TOML: {error}", file=path, error=exc)) from None
    table = _table(data, path.name)
    if table is None:
        return None
    where = f"{path}: [tool.docsearch.check]"
    if not isinstance(table, dict):
        raise ConfigError(phrase("{where} must be a table, e.g. {example}", where=where, example='ignore = ["DS301"]'))
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(phrase("{where}: unknown key {key}; known keys: {known}", where=where, key=repr(unknown[0]),
                                 known=", ".join(sorted(_KEYS))))
    raw = table.get("ignore", [])
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise ConfigError(phrase("{where}: 'ignore' must be a list of codes, e.g. {example}", where=where,
                                 example='ignore = ["DS301"]'))
    try:
        codes = frozenset(check_code_selector(c, where=f"{where} ignore") for c in raw)
    except UnknownCodeError as exc:
        raise ConfigError(exc.said) from None
    return CheckConfig(ignore=codes, source=path)


def find_config(start: Path) -> CheckConfig:
    """The settings for a draft in folder ``start`` (or for the file ``start``)."""
    folder = start if start.is_dir() else start.parent
    for d in (folder.resolve(), *folder.resolve().parents):
        for name in CONFIG_FILES:
            candidate = d / name
            if candidate.is_file():
                found = read_config(candidate)
                if found is not None:
                    return found
    return CheckConfig()
