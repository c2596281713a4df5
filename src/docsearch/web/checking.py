"""A checked draft as a page: the text with each finding marked, and the
findings beside it, each linking to its mark and offering its suggestion."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..check import Diagnostic, FileReport

#: Codes whose suggestion replaces exactly the marked text (a date, a
#: malformed number, a short or undated first mention). Others (a wrong
#: issuer, a replaced document) mark the number while the suggestion is a
#: whole citation: those are offered to copy, not applied.
APPLICABLE: frozenset[str] = frozenset({"DS102", "DS401", "DS402", "DS501", "DS502"})


@dataclass(frozen=True)
class Finding:
    """One finding as shown: the diagnostic and the id of its mark in the text."""

    number: int
    diagnostic: Diagnostic
    anchor: str
    quoted: str

    @property
    def applicable(self) -> bool:
        """Whether "apply" may put the suggestion in place of the marked text."""
        d = self.diagnostic
        return bool(self.quoted and d.suggestion and d.code in APPLICABLE and " or " not in d.suggestion)


@dataclass(frozen=True)
class CheckView:
    """What the check page shows of one draft."""

    report: FileReport
    findings: tuple[Finding, ...]
    marked: Markup
    pasted: bool

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): v for k, v in self.report.counts().items()}


def _mark(text: str, findings: list[Finding], lang: str | None) -> Markup:
    """The draft escaped piece by piece, each finding's span in a ``<mark>``;
    overlapping findings share the first one's mark."""
    out: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: (f.diagnostic.start, f.number)):
        d = f.diagnostic
        start, end = max(d.start, pos), min(max(d.end, d.start), len(text))
        if start >= end:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark id="{f.anchor}" class="finding sev-{escape(d.severity)}" '
                   f'title="{escape(d.code)}: {escape(d.text(lang))}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def check_view(report: FileReport, text: str, *, pasted: bool, lang: str | None = None) -> CheckView:
    """The page of ``report`` over the draft's (extracted) ``text``, its
    findings said in the interface's language ``lang``."""
    findings = [Finding(n, d, f"finding-{n}", text[d.start:d.end] if 0 <= d.start < d.end <= len(text) else "")
                for n, d in enumerate(report.diagnostics, 1)]
    return CheckView(report, tuple(findings), _mark(text, findings, lang), pasted)
