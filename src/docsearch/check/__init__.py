"""Check the citations of a draft before it goes out (``docsearch check``).

Every document a draft cites should exist, be cited with its right date,
issuer and type, still be in force, and be cited the same way throughout.
:func:`check_file` reads a draft (TXT, DOCX, PDF, HTML), tags it against
what is known (:class:`Facts`: the built-in list, the registry and the
store) and returns a :class:`FileReport` of :class:`Diagnostic` values, each
with a stable code from :data:`CODES`::

    from docsearch.check import Facts, check_file
    from docsearch.store import Store

    with Store.open("indexes") as store:
        facts = Facts.from_store(store)
    report = check_file("draft.docx", facts)
    for line in report.lines():
        print(line)        # draft.docx:12:40: error DS102 ...

The codes, with an example each, are listed in ``docs/check.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..extract import ExtractionError, extract_bytes
from ..extract.base import Extracted
from ..i18n import Phrase, SaidError, Sayable, phrase
from ..lang import detect_language
from .codes import CODES, SEVERITIES, Code, Severity, UnknownCodeError, check_code_selector
from .config import CheckConfig, ConfigError, find_config, read_config
from .diagnostics import Diagnostic, FileReport, Finding, Location, summary
from .facts import Facts, Supersession
from .positions import Locator, locator_for
from .rules import Draft, own_date, run_checks

__all__ = [
    "CODES",
    "SEVERITIES",
    "CheckConfig",
    "CheckError",
    "Code",
    "ConfigError",
    "Diagnostic",
    "DraftUnreadable",
    "Facts",
    "FileReport",
    "Finding",
    "Location",
    "Locator",
    "Severity",
    "Supersession",
    "UnknownCodeError",
    "check_code_selector",
    "check_extracted",
    "check_file",
    "check_files",
    "check_text",
    "find_config",
    "own_date",
    "read_config",
    "summary",
]


class CheckError(SaidError):
    """Base of the errors ``check`` raises for bad input."""


class DraftUnreadable(CheckError):
    """A draft cannot be read; the message names the file and what to do."""

    def __init__(self, path: str, reason: str | Sayable) -> None:
        super().__init__(phrase("{file}: {reason}", file=path, reason=reason))
        self.path = path
        self.reason = str(reason)


def _diagnostics(findings: Iterable[Finding], locator: Locator, config: CheckConfig) -> tuple[Diagnostic, ...]:
    out = []
    for f in findings:
        if config.silences(f.code):
            continue
        loc = locator.locate(f.start)
        out.append(Diagnostic(line=loc.line, column=loc.column, severity=f.severity, code=f.code,
                              message=f.message, suggestion=f.suggestion, start=f.start, end=f.end, page=loc.page,
                              doc_id=f.doc_id, said=f.said))
    return tuple(out)


def _place(locator: Locator) -> Callable[[int], Phrase]:
    def where(offset: int) -> Phrase:
        loc = locator.locate(offset)
        return (phrase("page {page}, line {line}", page=loc.page, line=loc.line) if loc.page is not None
                else phrase("line {line}", line=loc.line))
    return where


def check_extracted(extracted: Extracted, facts: Facts, *, file: str = "<text>", fmt: str = "txt",
                    data: bytes | None = None, config: CheckConfig | None = None,
                    lang: str | None = None) -> FileReport:
    """Check an already extracted draft; ``data`` (the file's bytes) lets TXT
    findings point at the file's own lines."""
    text = extracted.text
    lang = lang or detect_language(text)
    locator = locator_for(fmt, extracted, data)
    draft = Draft.read(text, facts, lang)
    findings = run_checks(draft, facts, _place(locator))
    return FileReport(file=file, format=fmt, lang=lang,
                      diagnostics=_diagnostics(findings, locator, config or CheckConfig()))


def check_text(text: str, facts: Facts | None = None, *, config: CheckConfig | None = None,
               lang: str | None = None, file: str = "<text>") -> FileReport:
    """Check a draft given as a string (lines and columns of ``text``)."""
    return check_extracted(Extracted(text=text), facts or Facts.builtin(), file=file, fmt="text",
                           config=config, lang=lang)


def check_file(path: str | Path, facts: Facts | None = None, *, ignore: Iterable[str] = (),
               use_config: bool = True) -> FileReport:
    """Check one draft file.

    ``ignore`` adds codes (or prefixes like ``DS4``) to those silenced by the
    draft's configuration file (see :mod:`docsearch.check.config`), which is
    looked up unless ``use_config`` is False. Raises :class:`DraftUnreadable`
    for files that cannot be read, :class:`ConfigError` for a bad
    configuration and :class:`UnknownCodeError` for a bad code in ``ignore``.
    """
    p = Path(path)
    config = (find_config(p) if use_config else CheckConfig()).merged(ignore)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DraftUnreadable(str(path), phrase("cannot read: {error}", error=exc.strerror or exc)) from None
    try:
        fmt, extracted = extract_bytes(data, p.suffix)
    except ExtractionError as exc:
        raise DraftUnreadable(str(path), exc.said) from None
    return check_extracted(extracted, facts or Facts.builtin(), file=str(path), fmt=fmt, data=data, config=config)


def check_files(paths: Iterable[str | Path], facts: Facts | None = None, *,
                ignore: Iterable[str] = ()) -> list[FileReport]:
    """Check several drafts against the same facts (see :func:`check_file`)."""
    facts = facts or Facts.builtin()
    return [check_file(p, facts, ignore=ignore) for p in paths]
