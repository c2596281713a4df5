"""Findings and per-file reports, and their text and JSON shapes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..i18n import Phrase, translator
from .codes import CODES, SEVERITIES, Severity


@dataclass(frozen=True)
class Finding:
    """A finding before it has a place in the file: code, message, text span."""

    code: str
    message: str  # in English
    start: int
    end: int
    suggestion: str | None = None
    doc_id: str | None = None  # the canonical id of the document concerned
    said: Phrase | None = None  # the message, to say in any of the interface's languages

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
    #: The message, to say in any of the interface's languages (``message``
    #: is its English, which JSON gives).
    said: Phrase | None = None

    def text(self, lang: str | None = None) -> str:
        """The message in the interface's language ``lang`` (Vietnamese unless asked otherwise)."""
        t = translator(lang)
        return self.said.say(t) if self.said is not None else self.message

    def format(self, file: str, lang: str | None = None) -> str:
        """``file:line:col: severity CODE message [suggestion: ...]``, the
        message and the notes around it in ``lang``; the severity and the
        code stay as they are, for the tools that read such lines."""
        t = translator(lang)
        where = (" (" + t("page {page}, line {line}", page=self.page, line=self.line) + ")"
                 if self.page is not None else "")
        fix = " [" + t("suggestion: {suggestion}", suggestion=self.suggestion) + "]" if self.suggestion else ""
        return f"{file}:{self.line}:{self.column}: {self.severity} {self.code} {self.text(lang)}{where}{fix}"

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

    def lines(self, lang: str | None = None) -> list[str]:
        """One compiler-style line per finding, in ``lang`` (see :meth:`Diagnostic.format`)."""
        return [d.format(self.file, lang) for d in self.diagnostics]

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "diagnostics": [d.to_json() for d in self.diagnostics]}


def summary(reports: Iterable[FileReport], lang: str | None = None) -> str:
    """``2 lỗi, 1 cảnh báo, 0 lưu ý trong 3 tệp`` in the interface's language
    ``lang`` (:mod:`docsearch.i18n`; Vietnamese unless asked otherwise), ``2
    errors, 1 warning, 0 infos in 3 files`` in English."""
    reports = list(reports)
    total: dict[Severity, int] = {s: 0 for s in SEVERITIES}
    for r in reports:
        for s, n in r.counts().items():
            total[s] += n
    files = len(reports)
    t = translator(lang)
    if t.lang == "en":
        parts = [f"{n} {s}{'' if n == 1 else 's'}" for s, n in total.items()]
        return f"{', '.join(parts)} in {files} file{'' if files == 1 else 's'}"
    return t("{errors} errors, {warnings} warnings, {infos} notes in {files} files", errors=t.number(total["error"]),
             warnings=t.number(total["warning"]), infos=t.number(total["info"]), files=t.number(files))
