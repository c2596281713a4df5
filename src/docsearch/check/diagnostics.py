"""Findings and per-file reports, and their text and JSON shapes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .codes import CODES, SEVERITIES, Severity


@dataclass(frozen=True)
class Finding:
    """A finding before it has a place in the file: code, message, text span."""

    code: str
    message: str
    start: int
    end: int
    suggestion: str | None = None
    doc_id: str | None = None  # the canonical id of the document concerned

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity


@dataclass(frozen=True)
class Location:
    """Where an offset of the extracted text is in the file, for people.

    ``line`` and ``column`` are 1-based; ``column`` counts characters. What a
    line is depends on the format (see :mod:`docsearch.check.positions`);
    ``page`` is set for paged formats (PDF), where ``line`` counts within it.
    """

    line: int
    column: int
    page: int | None = None


@dataclass(frozen=True)
class Diagnostic:
    """One finding at its place in a draft."""

    line: int
    column: int
    severity: Severity
    code: str
    message: str
    suggestion: str | None
    start: int
    end: int
    page: int | None = None
    doc_id: str | None = None

    def format(self, file: str) -> str:
        """``file:line:col: severity CODE message [suggestion: ...]``."""
        where = f" (page {self.page}, line {self.line})" if self.page is not None else ""
        fix = f" [suggestion: {self.suggestion}]" if self.suggestion else ""
        return f"{file}:{self.line}:{self.column}: {self.severity} {self.code} {self.message}{where}{fix}"

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "page": self.page,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "suggestion": self.suggestion,
            "id": self.doc_id,
        }


@dataclass(frozen=True)
class FileReport:
    """What ``check`` found in one draft."""

    file: str
    format: str
    lang: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def counts(self) -> dict[Severity, int]:
        """Number of findings per severity."""
        out: dict[Severity, int] = {s: 0 for s in SEVERITIES}
        for d in self.diagnostics:
            out[d.severity] += 1
        return out

    def lines(self) -> list[str]:
        """One compiler-style line per finding."""
        return [d.format(self.file) for d in self.diagnostics]

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "diagnostics": [d.to_json() for d in self.diagnostics]}


def summary(reports: Iterable[FileReport]) -> str:
    """``2 errors, 1 warning, 0 infos in 3 files``."""
    reports = list(reports)
    total: dict[Severity, int] = {s: 0 for s in SEVERITIES}
    for r in reports:
        for s, n in r.counts().items():
            total[s] += n
    parts = [f"{n} {s}{'' if n == 1 else 's'}" for s, n in total.items()]
    files = len(reports)
    return f"{', '.join(parts)} in {files} file{'' if files == 1 else 's'}"
