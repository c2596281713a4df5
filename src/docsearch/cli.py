"""The ``docsearch`` command line: parse options, call the library, print.

Every command takes ``--index DIR`` or ``--index postgresql://…`` (default
``$DOCSEARCH_INDEX`` or ``./indexes``) and ``--format text|json``. User errors become one line on
stderr and exit status 1 (2 for usage errors); never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .relation_types import RELATION_PRECEDENCE
from .render import key_values, relative_path, table

# Only what the options need is imported here; each command imports the
# library parts it uses, so `docsearch --help` loads neither the tagger nor
# the search engine nor the site builder.
if TYPE_CHECKING:
    from .check import Facts
    from .graph import GraphError
    from .i18n import Sayable, Translator
    from .models import Document, Failure, IngestSummary, OcrPage, TagResult
    from .refs import Knowledge
    from .search.api import SearchResults
    from .store import Store

#: The OCR modes and default languages of `ingest` (extract.ocr.MODES and
#: DEFAULT_LANG, written here so that --help loads no extractor; a test keeps
#: them equal).
OCR_MODES: tuple[str, ...] = ("auto", "always", "never")
OCR_DEFAULT_LANG = "vie+eng"

#: The formats of `docsearch graph` (graph.export.EXPORT_FORMATS; a test keeps them equal).
EXPORT_FORMATS: tuple[str, ...] = ("json", "graphml", "dot", "csv")

#: The languages of the text for people (i18n.LANGUAGES, the default first;
#: a test keeps them equal) and the variable that chooses one for every command.
LANGUAGES: tuple[str, ...] = ("vi", "en", "de")
LANG_ENV = "DOCSEARCH_LANG"

F = TypeVar("F", bound=Callable[..., Any])


# One instance of each parameter type, shared by every command: click looks up
# a translation of the type's name each time one is made.
_FOLDER = click.Path(file_okay=False)
_OUTPUT_FILE = click.Path(dir_okay=False, writable=True)


def index_option(f: F) -> F:
    return click.option(
        "--index", "index", type=_FOLDER, default=None,
        help="Index folder, or a postgresql:// URL (default: $DOCSEARCH_INDEX or ./indexes).",
    )(f)


def format_option(f: F) -> F:
    """--format of a command that reports what it did (ingest, reindex, ...)."""
    return click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help="Readable report, or JSON for machines.",
    )(f)


def lang_option(f: F) -> F:
    """--lang of every command that prints text for people."""
    return click.option(
        "--lang", "lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], envvar=LANG_ENV,
        show_default=True, show_envvar=True,
        help="Language of the text for people: labels, relation names, dd/mm/yyyy dates "
             "(JSON and CSV are the same in every language).",
    )(f)


def _translator(lang: str) -> Translator:
    from .i18n import translator  # here: `docsearch --help` needs no catalogue

    return translator(lang)


def _language() -> str:
    """The language of the command being run: its --lang (or $DOCSEARCH_LANG), else the default."""
    ctx = click.get_current_context(silent=True)
    lang = ctx.params.get("lang") if ctx is not None else None
    if lang is None:
        lang = os.environ.get(LANG_ENV, "")
    return lang if lang in LANGUAGES else LANGUAGES[0]


class _Failure(click.ClickException):
    """An error that ends a command: one line after "Error:", which is said
    in the language of the command being run (kept when it is raised, since
    click shows it once the command's context is gone)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lang = _language()

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(_translator(self.lang)("Error: {text}", text=self.format_message()),
                   file=file, err=file is None)


def _failure(exc: Exception) -> click.ClickException:
    """An error for the user (a store, search, graph, site, registry or
    cluster error) as one line in the language of the command being run."""
    from .i18n import said_of, say

    return _Failure(say(said_of(exc), _translator(_language())))


LISTING_FORMATS: tuple[str, ...] = ("text", "json", "jsonl", "csv")


def output_option(f: F) -> F:
    return click.option(
        "--output", "-o", "output", type=_OUTPUT_FILE, default=None,
        help="Write to this file instead of standard output.",
    )(f)


def listing_options(f: F) -> F:
    """--format and -o of every command that lists things."""
    f = output_option(f)
    return click.option(
        "--format", "fmt", type=click.Choice(LISTING_FORMATS), default="text", show_default=True,
        help="A table for people; JSON, JSON Lines (one record a line) or CSV for machines.",
    )(f)


def paging_options(default_limit: int | None) -> Callable[[F], F]:
    """--limit/-n and --offset of every command whose list can be long."""
    def decorate(f: F) -> F:
        f = click.option("--offset", type=click.IntRange(0, None), default=0, show_default=True,
                         help="Skip this many entries (for paging).")(f)
        return click.option("--limit", "-n", type=click.IntRange(1, None), default=default_limit,
                            show_default=default_limit is not None,
                            help="Show at most this many entries.")(f)
    return decorate


@dataclass
class Listing:
    """What a listing command prints, in each format (computed on demand)."""

    text: Callable[[], str]
    data: Callable[[], Any]
    records: Callable[[], list[dict[str, Any]]]


def _emit(listing: Listing, fmt: str, output: str | None) -> None:
    if fmt == "text":
        body = listing.text()
    elif fmt == "json":
        body = json.dumps(listing.data(), ensure_ascii=False, indent=2, default=str)
    elif fmt == "jsonl":
        body = "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in listing.records())
    else:
        body = _csv(listing.records())
    _write(body, output)


def _write(body: str, output: str | None) -> None:
    if output is None:
        if body:  # nothing to list prints nothing, not an empty line
            click.echo(body)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(body if body.endswith("\n") or not body else body + "\n")
    except OSError as exc:
        raise _cannot_write(output, exc) from None


def _cannot_write(output: str, exc: OSError) -> click.ClickException:
    t = _translator(_language())
    return _Failure(t("cannot write {file}: {error}", file=output, error=exc.strerror or exc))


def _csv(records: list[dict[str, Any]]) -> str:
    """Records as CSV: the union of their keys as the header; lists and
    objects as JSON in their cell."""
    columns: dict[str, None] = {}
    for r in records:
        columns.update(dict.fromkeys(r))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(columns))
    for r in records:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue().rstrip("\n")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _csv_records(text: str) -> list[dict[str, Any]]:
    """The rows of a CSV text as records (JSON Lines of the graph commands)."""
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def _flat(data: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for k, v in data.items():
        if isinstance(v, dict):
            out += _flat(v, f"{prefix}{k}.")
        else:
            out.append({"name": f"{prefix}{k}", "value": v})
    return out


def _open(index: str | None, create: bool = False) -> Store:
    from .store import Store, StoreError
    try:
        return Store.open(index, create=create)
    except StoreError as exc:
        raise _failure(exc) from None


def _json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


_rel = relative_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docsearch")
def cli() -> None:
    """Search and cross-reference official Vietnamese Party and State documents.

    Start with `docsearch ingest FOLDER`, then `docsearch stats`,
    `docsearch show DOC` and `docsearch refs FILE`.
    """


# --- ingest -------------------------------------------------------------------------

class _Progress:
    """A progress line on a terminal (files, rate, time left); nothing in a pipe."""

    def __init__(self, enabled: bool, lang: str = LANGUAGES[0]) -> None:
        self.enabled = enabled
        self.lang = lang
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, done: int, total: int, path: str) -> None:
        if not self.enabled or total == 0:
            return
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else 0
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        t = _translator(self.lang)
        msg = "\r" + t("[{bar}] {done}/{total} files  {rate}/s  {eta} s left ", bar=bar, done=done, total=total,
                       rate=f"{t.decimal(rate):>5}", eta=f"{eta:4.0f}")
        click.echo(msg, nl=False, err=True)
        if done >= total:
            click.echo("", err=True)

    def stage(self, message: Sayable) -> None:
        """A line saying what the run does after its files, when that takes long."""
        if self.enabled:
            click.echo(f"docsearch: {message.say(_translator(self.lang))}…", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction (default: number of cores).")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that lead out of the folders given (not followed by default).")
@click.option("--verify", is_flag=True,
              help="Read and hash every file, not only those whose size, times or inode changed.")
@click.option("--wait", is_flag=True,
              help="If another ingest is writing this index, wait for it instead of stopping.")
@click.option("--ocr", "ocr_mode", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="Read scanned pages and images with Tesseract: when a page has no text layer, "
                   "every page, or never.")
@click.option("--ocr-lang", default=OCR_DEFAULT_LANG, show_default=True,
              help="Tesseract languages, joined by '+'.")
@click.option("--cluster", default=None, metavar="tcp://HOST:PORT",
              help="Extract, OCR and tag on the workers of this Dask scheduler.")
@format_option
@lang_option
def ingest(paths: tuple[str, ...], index: str | None, jobs: int | None, follow_links: bool, verify: bool,
           wait: bool, ocr_mode: str, ocr_lang: str, cluster: str | None, fmt: str, lang: str) -> None:
    """Extract, tag and store the documents in PATHS (files or folders).

    A second run reads only what changed; files gone from an ingested folder
    are removed from the index. The run ends with what it did, how long it
    took and its peak memory (this process's and the largest worker's). Exit
    status 1 if any file failed.
    """
    from .cluster import ClusterError
    from .extract.ocr import OcrOptions
    from .i18n import say
    from .ingestion import ingest as run_ingest
    from .store import StoreError

    try:
        ocr = OcrOptions(mode=ocr_mode, lang=ocr_lang)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--ocr-lang'") from None
    with _open(index, create=True) as store:
        progress = _Progress(enabled=sys.stderr.isatty() and fmt == "text", lang=lang)
        try:
            summary = run_ingest(paths, store, jobs=jobs, progress=progress, verify=verify,
                                 follow_links=follow_links, wait=wait,
                                 waiting=lambda message: click.echo(f"docsearch: {say(message, _translator(lang))}",
                                                                    err=True),
                                 ocr=ocr, cluster=cluster, stage=progress.stage)
        except (StoreError, ClusterError) as exc:
            raise _failure(exc) from None
        total = store.count()
    t = _translator(lang)
    for note in summary.ignored:
        click.echo(f"docsearch: {_rel(note.file)}: {_reason(note, t)}", err=True)
    for failure in summary.failed:
        click.echo(f"docsearch: {_rel(failure.file)}: {_reason(failure, t)}", err=True)
    if summary.fulltext_error:
        click.echo("docsearch: " + t("full-text index not updated: {error} (the store is up to date; run 'docsearch "
                                     "reindex' later)", error=summary.fulltext_error), err=True)
    if fmt == "json":
        _json(summary.to_json())
    else:
        click.echo(_ingest_text(summary, total, t))
    if not summary.ok or summary.fulltext_error:
        sys.exit(1)


def _reason(f: Failure, t: Translator) -> str:
    """Why a file was not read, in ``t``'s language where the reason was kept as a phrase."""
    from .i18n import say

    return say(f.said, t) if f.said is not None else f.reason


def _ingest_text(s: IngestSummary, total: int, t: Translator) -> str:
    n = t.number
    lines = [t("{added} added, {updated} updated, {unchanged} unchanged, {removed} removed, {failed} failed in "
               "{seconds} s; the index holds {total} documents.",
               added=n(len(s.added)), updated=n(len(s.updated)), unchanged=n(len(s.unchanged)),
               removed=n(len(s.removed)), failed=n(len(s.failed)), seconds=t.decimal(s.seconds), total=n(total))]
    for path in s.removed:
        lines.append("  " + t("removed: {path}", path=_rel(path)))
    if s.duplicates:
        lines.append("  " + t("{n} duplicates: same content as a stored document, kept as its other paths",
                              n=n(len(s.duplicates))))
    if s.skipped:
        lines.append("  " + t("{n} files of other types skipped", n=n(len(s.skipped))))
    if s.peak_mb is not None:
        worker = (", " + t("a worker process {mb} MB", mb=n(round(s.worker_peak_mb)))) if s.worker_peak_mb else ""
        lines.append("  " + t("peak memory: {mb} MB", mb=n(round(s.peak_mb))) + worker)
    return "\n".join(lines)


# --- stats / show ---------------------------------------------------------------------

@cli.command()
@index_option
@listing_options
@lang_option
def stats(index: str | None, fmt: str, output: str | None, lang: str) -> None:
    """What the index holds: documents by format and language, references."""
    with _open(index) as store:
        data = store.stats()
    _emit(Listing(lambda: _stats_text(data, _translator(lang)), lambda: data, lambda: _flat(data)), fmt, output)


def _stats_text(data: dict[str, Any], t: Translator) -> str:
    n = t.number
    return key_values([
        (t("index"), data["index"]),
        (t("documents"), n(data["documents"])),
        (t("identified by header"), n(data["identified"])),
        (t("characters"), n(data["characters"])),
        (t("formats"), ", ".join(f"{k} {n(v)}" for k, v in data["by_format"].items())),
        (t("languages"), ", ".join(f"{k} {n(v)}" for k, v in data["by_lang"].items())),
        (t("with warnings"), n(data["with_warnings"])),
        (t("references"), n(data["references"])),
        (t("relations"), n(data["relations"])),
        (t("registry entries"), n(data["registry"])),
    ])


@cli.command()
@click.argument("doc")
@index_option
@listing_options
@click.option("--text", "with_text", is_flag=True, help="Print the full extracted text too.")
@lang_option
def show(doc: str, index: str | None, fmt: str, output: str | None, with_text: bool, lang: str) -> None:
    """Show a stored document: DOC is a path, a number like #3, or an id like 46-CTr/TU."""
    from .document_record import read_record
    from .graph import BadQuery, GraphError, describe, render_profile

    with _open(index) as store:
        found = store.find_documents(doc)
        if not found:
            # A document known only from citations: what the graph knows of it.
            try:
                profile = describe(store, doc)
            except BadQuery:
                raise _Failure(_no_such_document(store, doc, _translator(lang))) from None
            except GraphError as exc:
                raise _graph_error(exc, _translator(lang)) from None
            here = os.getcwd()
            _emit(Listing(lambda: render_profile(profile, "text", relative_to=here, lang=lang),
                          lambda: profile.to_json(),
                          lambda: _csv_records(render_profile(profile, "csv", relative_to=here))), fmt, output)
            return
        if len(found) > 1:
            raise _Failure(_several_documents(doc, found, _translator(lang)))
        record = read_record(store, found[0])
    d, refs, graph = record.document, list(record.references), record.profile

    def text() -> str:
        out = _document_text(d, refs, list(record.relations), with_text, _translator(lang), list(record.ocr_pages))
        if graph is not None:
            out += "\n\n" + render_profile(graph, "text", relative_to=os.getcwd(), lang=lang)
        return out

    def records() -> list[dict[str, Any]]:  # one row per reference of the document
        return [{"doc": d.doc_id, "path": _rel(d.path), "page": d.page_of(r.start), **r.to_json()} for r in refs]

    _emit(Listing(text, lambda: record.to_json(with_text=with_text), records), fmt, output)


def _no_such_document(store: Store, doc: str, t: Translator) -> str:
    if doc.strip().lstrip("#").isdigit():
        return t("no stored document {doc}: the index holds {n} documents; 'docsearch search' and 'docsearch show' "
                 "print each one's #N", doc=doc.strip(), n=t.number(store.count()))
    return t("no stored document matches '{doc}'; give a path (or its end), an id such as 57-NQ/TW, or #N as "
             "'docsearch search' prints it", doc=doc)


def _several_documents(doc: str, found: list[Document], t: Translator) -> str:
    """Several stored documents answer DOC: list them and say how to pick one."""
    by_id = all(d.identity is not None and d.identity.id == doc.strip() for d in found)
    lines = [t("'{doc}' matches {n} stored documents; add the year or use #N:" if by_id
               else "'{doc}' matches {n} stored documents; give more of the path or use #N:", doc=doc, n=len(found))]
    for d in found:
        ident = d.identity
        pick = f'"{ident.id} {ident.date.year}"' if by_id and ident and ident.date else f"#{d.doc_id}"
        when = t.date(ident.date) if ident and ident.date else ""
        lines.append(f"  {pick:<20} #{d.doc_id:<5} {when:<10} {_rel(d.path)}  {d.title or (ident.title if ident else '') or ''}"
                     .rstrip())
    return "\n".join(lines)


def _own_id(ident: Any, t: Translator) -> str:
    """``46-CTr/TU ngày 05/02/2025, Tỉnh ủy Quảng Ninh``."""
    text = t("{id} of {date}", id=ident.id, date=t.date(ident.date)) if ident.date else ident.id
    return text + (f", {ident.issuer}" if ident.issuer else "")


def _document_text(d: Document, refs: list[Any], rels: list[Any], with_text: bool, t: Translator,
                   ocr_pages: list[OcrPage] | None = None) -> str:
    ident = d.identity
    pairs: list[tuple[str, object]] = [
        (t("document"), f"#{d.doc_id}"),
        (t("path"), _rel(d.path)),
        *((t("same content"), _rel(p)) for p in d.copies),
        (t("format"), d.format + (f" ({d.encoding})" if d.encoding and d.encoding not in ("utf-8",) else "")),
        (t("language"), d.lang),
        (t("title"), d.title or (ident.title if ident else None) or "-"),
        (t("pages"), t.number(len(d.page_starts))),
        (t("characters"), t.number(len(d.text))),
        ("sha256", d.sha256[:16] + "…"),
    ]
    if ident:
        pairs.append((t("own id"), _own_id(ident, t)))
    if ocr_pages:
        from .models import ocr_summary

        pairs.append((t("text from OCR"), ocr_summary(ocr_pages, len(d.page_starts))))
    for w in d.warnings:
        pairs.append((t("warning"), t.say(w)))
    out = [key_values(pairs)]
    if refs:
        out.append("")
        out.append(_refs_table(d, refs, t))
    if rels:
        out.append("")
        out.append(table([t("source"), t("relation"), t("target"), t("evidence")],
                         [(r.source, t.relation(r.type), r.target, r.evidence) for r in rels], max_width=70))
    if with_text:
        out += ["", d.text]
    return "\n".join(out)


def _refs_table(d: Document | None, refs: list[Any], t: Translator) -> str:
    rows = []
    for r in refs:
        rows.append((
            (t("p.{page}", page=d.page_of(r.start)) + " " if d is not None and len(d.page_starts) > 1 else "")
            + str(r.start),
            r.text, r.id or "?", t.date(r.date),
            r.issuer_name or r.issuer or "",  # the body in full, else its kind
            t.relation(r.relation) + (f" ← {r.source}" if r.source else ""),
            "" if r.status == "resolved" else t(r.status),
        ))
    # The last column says how the reference was resolved (blank: to one document).
    return table([t(h) for h in ("at", "text", "id", "date", "issuer", "relation", "resolution")], rows, max_width=48)


# --- refs ----------------------------------------------------------------------------

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@index_option
@listing_options
@lang_option
def refs(files: tuple[str, ...], index: str | None, fmt: str, output: str | None, lang: str) -> None:
    """Tag FILES directly and print their own identity, references and relations.

    Resolves against the documents and registry of the index when there is
    one. With --format json (or jsonl): one JSON object per line and file
    (see README); with csv: one row per reference.
    """
    from .extract import ExtractionError
    from .i18n import say
    from .refs.files import tag_file

    knowledge = _knowledge(index)
    failed = False
    texts: list[str] = []
    records: list[dict[str, Any]] = []
    for path in files:
        try:
            tagged = tag_file(path, knowledge)
        except ExtractionError as exc:
            click.echo(f"docsearch: {path}: {say(exc.said, _translator(lang))}", err=True)
            failed = True
            continue
        except OSError as exc:
            click.echo(f"docsearch: {path}: " + _translator(lang)("cannot read: {error}", error=exc.strerror or exc),
                       err=True)
            failed = True
            continue
        if fmt == "csv":
            records += [{"file": path, **r.to_json()} for r in tagged.tags.references]
        elif fmt in ("json", "jsonl"):
            texts.append(json.dumps(tagged.tags.to_json(file=path), ensure_ascii=False))
        else:
            texts.append(_tags_text(path, tagged.tags, _translator(lang)))
    _write(_csv(records) if fmt == "csv" else "\n".join(texts), output)
    if failed:
        sys.exit(1)


def _existing_store(index: str | None) -> Store | None:
    """The index if there is one. An index named explicitly (option or
    $DOCSEARCH_INDEX) must exist; the default one may be missing."""
    from .store import Store, StoreError

    explicit = index is not None or os.environ.get("DOCSEARCH_INDEX")
    try:
        return Store.open(index, create=False)
    except StoreError as exc:
        if explicit:
            raise _failure(exc) from None
        return None


def _knowledge(index: str | None) -> Knowledge:
    from .refs import Knowledge
    store = _existing_store(index)
    if store is None:
        return Knowledge.builtin()
    with store:
        return Knowledge.for_tagging(store)


def _tags_text(path: str, tags: TagResult, t: Translator) -> str:
    out = [f"== {path}"]
    if tags.self:
        out.append(f"{t('own id')}: {_own_id(tags.self, t)}")
    if tags.references:
        out.append(_refs_table(None, list(tags.references), t))
    else:
        out.append(t("no references found"))
    if tags.relations:
        out.append(table([t("source"), t("relation"), t("target")],
                         [(r.source, t.relation(r.type), r.target) for r in tags.relations if r.type != "cites"]
                         or [("-", "-", "-")]))
    return "\n".join(out) + "\n"


# --- registry --------------------------------------------------------------------------

@cli.group()
def registry() -> None:
    """Load and list known documents (number, type, issuer, date, title, status)."""


@registry.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@index_option
@format_option
@lang_option
def registry_import(file: str, index: str | None, fmt: str, lang: str) -> None:
    """Add the documents in FILE (.csv with a header row, or .json) to the registry."""
    from .ingestion import import_registry
    from .refs import RegistryError

    with _open(index, create=True) as store:
        try:
            n, retagged = import_registry(store, file)
        except RegistryError as exc:
            raise _failure(exc) from None
    if fmt == "json":
        _json({"imported": n, "retagged": retagged})
    else:
        t = _translator(lang)
        click.echo(t("{n} registry entries imported; {retagged} documents re-tagged.", n=t.number(n),
                     retagged=t.number(retagged)))


@registry.command("list")
@index_option
@listing_options
@lang_option
def registry_list(index: str | None, fmt: str, output: str | None, lang: str) -> None:
    """List the registry."""
    with _open(index) as store:
        entries = store.registry()
    t = _translator(lang)
    _emit(Listing(
        lambda: table([t(h) for h in ("id", "date", "status", "replaced by", "title")],
                      [(e.id, t.date(e.date), t.status(e.status) if e.status else "", e.replaced_by or "",
                        e.title or "") for e in entries]),
        lambda: [e.to_json() for e in entries],
        lambda: [e.to_json() for e in entries],
    ), fmt, output)


# --- full-text search ----------------------------------------------------------------------

class _QueryCommand(click.Command):
    """A command whose free text may start with '-': ``search -chuyển`` is the
    query word NOT chuyển, not an unknown option '-c'. Anything that is not
    one of the command's own options is query text."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with_value: set[str] = set()
        flags: set[str] = set(ctx.help_option_names)
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                (flags if param.is_flag else with_value).update(param.opts + param.secondary_opts)
        options: list[str] = []
        words: list[str] = []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                words.extend(rest)
                break
            name = arg.split("=", 1)[0]
            if arg in flags:
                options.append(arg)
            elif arg in with_value:
                options.append(arg)
                value = next(rest, None)
                if value is not None:
                    options.append(value)
            elif name.startswith("--") and name in with_value or arg[:2] in with_value and len(arg) > 2 and arg[2:].isdigit():
                options.append(arg)
            else:
                words.append(arg)
        return super().parse_args(ctx, [*options, "--", *words])


@cli.command(cls=_QueryCommand)
@click.argument("query", nargs=-1, required=True)
@index_option
@paging_options(default_limit=10)
@listing_options
@lang_option
def search(query: tuple[str, ...], index: str | None, limit: int, offset: int, fmt: str, output: str | None,
           lang: str) -> None:
    """Full-text search: ranked documents with the best passage highlighted.

    QUERY is words (AND by default), "exact phrases", OR, NOT/-word,
    ( ) and filters: type:NQ issuer:"Quảng Ninh" level:provincial lang:en
    year:2024..2025 date:>=2025-01-01 cites:57-NQ/TW implements:57-NQ/TW
    id:46-CTr/TU. A document reference ("Nghị quyết 57", "Resolution 57",
    57-NQ/TW) finds the document itself first, then documents implementing
    or citing it. Diacritics and case do not matter: "nghi quyet" finds
    "Nghị quyết". See docs/search.md.
    """
    from .database import StoreError, resolve_index
    from .search import SearchError
    from .search import search as run_search

    text = " ".join(query)
    where = resolve_index(index)
    try:
        results = run_search(where, text, limit=limit, offset=offset)
    except (SearchError, StoreError) as exc:  # QueryError included: one line, exit status 1
        raise _failure(exc) from None

    def records() -> list[dict[str, Any]]:
        return [{"rank": n, **h.to_json(), "path": _rel(h.path)} for n, h in enumerate(results.hits, results.offset + 1)]

    def data() -> dict[str, Any]:
        out = results.to_json()
        for hit in out["hits"]:
            hit["path"] = _rel(hit["path"])
        return out

    _emit(Listing(lambda: _search_text(results, _translator(lang), color=output is None), data, records),
          fmt, output)


def _search_text(r: SearchResults, t: Translator, *, color: bool = True) -> str:
    n = t.number
    if r.hits and (r.offset or r.total > len(r.hits)):
        head = t("{first}-{last} of {total} documents for: {query}", first=n(r.offset + 1),
                 last=n(r.offset + len(r.hits)), total=n(r.total), query=r.interpreted)
    else:
        head = t("{total} documents for: {query}", total=n(r.total), query=r.interpreted)
    lines = [head]
    for ref in r.references:
        if ref.candidates:
            lines.append(f"  {t('note')}: " + t("'{text}' may mean {candidates}; add a date or year:", text=ref.text,
                                                 candidates=", ".join(ref.candidates)))
    for rank, hit in enumerate(r.hits, start=r.offset + 1):
        facts = " · ".join(x for x in (hit.type, hit.issuer, t.date(hit.date), hit.lang) if x)
        how = ", ".join(f"{t.relation(how)} {ref}" if how != "document" else t("is {ref}", ref=ref)
                        for ref, how in hit.match.items() if how != "text")
        lines.append("")
        heading = f"{rank:>3}. {hit.id or '-'}  {hit.title}"
        lines.append(click.style(heading, bold=True) if color else heading)
        lines.append(f"     {_rel(hit.path)}  (#{hit.doc}, {t('score')} {t.decimal(hit.score, 2)}"
                     + (f", {t('p.{page}', page=hit.snippet.page)}" if hit.snippet.page else "") + ")"
                     + (f"  {facts}" if facts else "") + (f"  [{how}]" if how else ""))
        lines.append("     " + (_highlighted(hit.snippet) if color else hit.snippet.text))
    if r.total:
        lines.append("")
        for name in ("type", "year", "language", "level", "issuer"):
            counts = r.facets.get(name) or {}
            if counts:
                # The values as the filters take them (level:provincial, lang:en).
                top = list(counts.items())[:8]
                lines.append(f"{t(name)}: " + ", ".join(f"{k} {n(v)}" for k, v in top)
                             + (" …" if len(counts) > len(top) else ""))
    return "\n".join(lines)


def _highlighted(snippet: Any) -> str:
    out, last = [], 0
    for s, e in snippet.highlights:
        out.append(snippet.text[last:s])
        out.append(click.style(snippet.text[s:e], bold=True, fg="yellow"))
        last = e
    out.append(snippet.text[last:])
    return "".join(out)


@cli.command()
@index_option
@format_option
@lang_option
def reindex(index: str | None, fmt: str, lang: str) -> None:
    """Rebuild the full-text index from the store (searches keep working meanwhile)."""
    from .search import SearchError
    from .search import reindex as run_reindex

    with _open(index) as store:
        progress = _Progress(enabled=sys.stderr.isatty() and fmt == "text", lang=lang)
        try:
            report = run_reindex(store, progress=lambda done, total: progress(done, total, ""))
        except SearchError as exc:
            raise _failure(exc) from None
    if fmt == "json":
        _json(report.to_json())
    else:
        t = _translator(lang)
        click.echo(t("full-text index rebuilt: {n} documents in {seconds} s.", n=t.number(report.documents),
                     seconds=t.decimal(report.seconds)))


# --- the cross-reference graph ------------------------------------------------------------

def _graph_listing(render: Callable[..., str], result: Any, lang: str, note: str = "", **kw: Any) -> Listing:
    """text (in ``lang``), json and csv as the graph renders them; JSON Lines: the CSV rows."""
    return Listing(lambda: note + render(result, "text", lang=lang, **kw), lambda: result.to_json(),
                   lambda: _csv_records(render(result, "csv", **kw)))


def _page_note(shown: int, offset: int, total: int, what: str, t: Translator) -> str:
    """``what`` is the English of a message with {first}, {last} and {total}."""
    if offset == 0 and shown == total:
        return ""
    return t(what, first=t.number(offset + 1), last=t.number(offset + shown), total=t.number(total)) + "\n"


def _graph_error(exc: GraphError, t: Translator) -> click.ClickException:
    """One clear message; an ambiguous number lists its candidates, one per line."""
    from .graph import AmbiguousDocument

    if isinstance(exc, AmbiguousDocument):
        lines = [t("'{query}' names {n} documents; add the year or use the key:", query=exc.query,
                   n=len(exc.candidates))]
        for c in exc.candidates:
            hint = f'"{c.id} {c.date.year}"' if c.date else c.key
            lines.append(f"  {hint:<24} {c.key:<26} {c.issuer or ''}  {c.title or ''}".rstrip())
        return _Failure("\n".join(lines))
    return _failure(exc)


def _query(words: tuple[str, ...]) -> str:
    # `docsearch implements Resolution 57` works without quotes.
    return " ".join(words)


@cli.command()
@click.argument("document", nargs=-1, required=True)
@index_option
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Follow the chain: 2 also lists what implements the implementers, and so on.")
@click.option("--relation", "relations", multiple=True, type=click.Choice(RELATION_PRECEDENCE),
              help="Relations to follow (repeatable; default: implements, guides, summarizes, based_on).")
@paging_options(default_limit=None)
@listing_options
@lang_option
def implements(document: tuple[str, ...], index: str | None, depth: int, relations: tuple[str, ...],
               limit: int | None, offset: int, fmt: str, output: str | None, lang: str) -> None:
    """Documents implementing DOCUMENT (57-NQ/TW, "Resolution 57", "NQ 57", "18-NQ/TW 2017").

    Also lists documents based on it, guiding or reviewing its implementation,
    each with its relation, date, lag in days and the sentence that says so.
    As text: a tree grouped by issuer; as CSV: one row per document of the tree.
    """
    from .graph import IMPLEMENTING, GraphError, render_implements
    from .graph import implements as graph_implements

    with _open(index) as store:
        try:
            result = graph_implements(store, _query(document), depth=depth, relations=relations or IMPLEMENTING)
        except GraphError as exc:
            raise _graph_error(exc, _translator(lang)) from None
    total = len(result.implementers)
    page = result.implementers[offset:offset + limit if limit else None]
    result = replace(result, implementers=page)
    note = _page_note(len(page), offset, total,
                      "implementers {first}-{last} of {total} (--limit/--offset for others)", _translator(lang))
    _emit(_graph_listing(render_implements, result, lang, relative_to=os.getcwd(), note=note), fmt, output)


@cli.command()
@click.argument("document", nargs=-1, required=True)
@index_option
@paging_options(default_limit=None)
@listing_options
@lang_option
def cites(document: tuple[str, ...], index: str | None, limit: int | None, offset: int, fmt: str,
          output: str | None, lang: str) -> None:
    """Every document that refers to DOCUMENT, by relation, and texts that mention it."""
    from .graph import GraphError, render_cites
    from .graph import cites as graph_cites

    with _open(index) as store:
        try:
            result = graph_cites(store, _query(document))
        except GraphError as exc:
            raise _graph_error(exc, _translator(lang)) from None
    # One list: the documents citing it, then the texts only mentioning it.
    total = len(result.citing) + len(result.mentions)
    end = offset + limit if limit else total
    citing = result.citing[offset:end]
    mentions = result.mentions[max(0, offset - len(result.citing)):max(0, end - len(result.citing))]
    result = replace(result, citing=citing, mentions=mentions)
    note = _page_note(len(citing) + len(mentions), offset, total,
                      "entries {first}-{last} of {total} (--limit/--offset for others)", _translator(lang))
    _emit(_graph_listing(render_cites, result, lang, relative_to=os.getcwd(), note=note), fmt, output)


@cli.command()
@click.argument("document", nargs=-1)
@index_option
@click.option("--by", type=click.Choice(["issuer", "level"]), default="issuer", show_default=True,
              help="Group by committee (issuing body) or by level.")
@click.option("--central", is_flag=True, help="The matrix of all central documents by committee.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Count documents down the chain too (2: a district plan implementing the provincial program).")
@listing_options
@lang_option
def coverage(document: tuple[str, ...], index: str | None, by: str, central: bool, depth: int, fmt: str,
             output: str | None, lang: str) -> None:
    """Which committees have issued a document implementing DOCUMENT, when, and which have not.

    With --central (and no DOCUMENT): central documents by committee.
    """
    from .graph import GraphError, coverage_matrix, render_coverage, render_matrix
    from .graph import coverage as graph_coverage

    t = _translator(lang)
    if central and document:
        raise click.UsageError(t("give a DOCUMENT or --central, not both"))
    if not central and not document:
        raise click.UsageError(t('give a DOCUMENT (e.g. "Resolution 57"), or --central for all central documents'))
    with _open(index) as store:
        try:
            if central:
                _emit(_graph_listing(render_matrix, coverage_matrix(store), lang), fmt, output)
                return
            result = graph_coverage(store, _query(document), by=by, depth=depth)
        except GraphError as exc:
            raise _graph_error(exc, _translator(lang)) from None
    _emit(_graph_listing(render_coverage, result, lang), fmt, output)


@cli.command("graph")
@index_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True)
@click.option("--table", type=click.Choice(["edges", "nodes"]), default="edges", show_default=True,
              help="With --format csv: which table to write.")
@output_option
@lang_option
def graph_export(index: str | None, fmt: str, table: str, output: str | None, lang: str) -> None:
    """Export the whole cross-reference graph (documents and typed relations) for other tools."""
    from .graph import write_graph

    with _open(index) as store:
        if output is None:
            nodes, edges = write_graph(store, sys.stdout, fmt, table=table, relative_to=os.getcwd())
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    nodes, edges = write_graph(store, out, fmt, table=table, relative_to=os.getcwd())
            except OSError as exc:
                raise _cannot_write(output, exc) from None
    if output is not None:
        t = _translator(lang)
        click.echo(t("{nodes} documents and {edges} relations written to {file}.", nodes=t.number(nodes),
                     edges=t.number(edges), file=output), err=True)


# --- static site ----------------------------------------------------------------------------

@cli.group()
def site() -> None:
    """A static web site of the index: document pages, listings, coverage, search."""


@site.command("build")
@click.argument("out", type=_FOLDER)
@index_option
@click.option("--templates", "templates", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder of templates (and static files) replacing the shipped ones of the same name.")
@click.option("--base-url", "base_url", default="/", show_default=True,
              help="Where the site will be served (/sub/path/ or https://host/path/); "
                   "used only for canonical addresses and the sitemap, links are relative.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes drawing pages (default: number of cores, at most 4).")
@format_option
@lang_option
def site_build(out: str, index: str | None, templates: str | None, base_url: str, jobs: int | None,
               lang: str, fmt: str) -> None:
    """Render the index into a static site in OUT (open OUT/index.html, or serve
    the folder). A rebuild rewrites only the pages that changed."""
    from .site import SiteError, build_site

    with _open(index) as store:
        try:
            report = build_site(store, out, templates=templates, base_url=base_url, jobs=jobs, lang=lang)
        except SiteError as exc:
            raise _failure(exc) from None
    if fmt == "json":
        _json(report.to_json())
        return
    t = _translator(lang)
    n = t.number
    click.echo(key_values([
        (t("site"), f"{_rel(str(report.out_dir))}/index.html"),
        (t("pages"), t("{pages} ({documents} documents, {cited} known from citations, {texts} texts)",
                       pages=n(report.pages), documents=n(report.documents), cited=n(report.cited_only),
                       texts=n(report.texts))),
        (t("files"), t("{files}: {written} written, {unchanged} unchanged, {removed} removed", files=n(report.files),
                       written=n(report.written), unchanged=n(report.unchanged), removed=n(report.removed))),
        (t("search index"), t("{n} term shards", n=n(report.search_shards))),
        (t("time"), t("{seconds} s ({rate} pages/s)", seconds=t.decimal(report.seconds),
                      rate=n(round(report.pages_per_second)))),
    ]))


# --- check ------------------------------------------------------------------------------

def _facts(index: str | None) -> Facts:
    from .check import Facts
    store = _existing_store(index)
    if store is None:
        return Facts.builtin()
    with store:
        return Facts.from_store(store)


@cli.command()
@click.argument("drafts", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--ignore", "ignore", multiple=True, metavar="CODE",
              help="Do not report CODE (e.g. DS301, or DS4 for a group); repeatable. "
                   "Also read from [tool.docsearch.check] ignore = [...] in docsearch.toml or pyproject.toml.")
@listing_options
@lang_option
def check(drafts: tuple[str, ...], index: str | None, ignore: tuple[str, ...], fmt: str, output: str | None,
          lang: str) -> None:
    """Check the citations in DRAFTS (TXT, DOCX, PDF, HTML) before they go out.

    Checks against the documents and registry of the index when there is one,
    else against the built-in list of central documents.

    Prints one line per finding, FILE:LINE:COL: SEVERITY CODE MESSAGE, with a
    suggested fix where there is one. Exit status 1 if any error was found
    (or a draft could not be read), 0 otherwise. Codes: docs/check.md.
    """
    from .check import CheckError, ConfigError, FileReport, UnknownCodeError, check_code_selector, check_file, summary

    try:
        for code in ignore:
            check_code_selector(code)
    except UnknownCodeError as exc:
        raise click.UsageError(_failure(exc).message) from None
    facts = _facts(index)
    reports: list[FileReport] = []
    failed = False
    for path in drafts:
        try:
            reports.append(check_file(path, facts, ignore=ignore))
        except (CheckError, ConfigError) as exc:
            click.echo(f"docsearch: {_failure(exc).message}", err=True)
            failed = True
    def data() -> Any:
        items = [r.to_json() for r in reports]
        return items[0] if len(drafts) == 1 and len(items) == 1 else items

    _emit(Listing(lambda: "\n".join(line for r in reports for line in r.lines(lang)), data,
                  lambda: [{"file": r.file, **d.to_json()} for r in reports for d in r.diagnostics]), fmt, output)
    if reports and fmt == "text":
        click.echo(summary(reports, lang), err=True)
    if failed or any(r.has_errors for r in reports):
        sys.exit(1)


# --- migrate --------------------------------------------------------------------------

@cli.command()
@click.option("--from", "source", required=True, metavar="INDEX",
              help="The index to copy: a folder or a postgresql:// URL.")
@click.option("--to", "target", required=True, metavar="INDEX",
              help="Where to copy it: a folder or a postgresql:// URL (new, empty, or a partial copy).")
@click.option("--replace", is_flag=True, help="Empty the target first.")
@format_option
@lang_option
def migrate(source: str, target: str, replace: bool, fmt: str, lang: str) -> None:
    """Copy an index into another store: a folder into a PostgreSQL database,
    or back. Documents keep their numbers; an interrupted copy resumes when
    run again. The target's full-text index is built at the end."""
    from .migrate import copy_index
    from .search import SearchError
    from .store import StoreError

    progress = _Progress(enabled=sys.stderr.isatty() and fmt == "text", lang=lang)
    try:
        report = copy_index(source, target, replace=replace,
                            progress=lambda done, total: progress(done, total, ""))
    except (StoreError, SearchError) as exc:
        raise _failure(exc) from None
    if fmt == "json":
        _json(report.to_json())
    else:
        t = _translator(lang)
        rows = ", ".join(f"{t.number(n)} {name}" for name, n in report.rows.items() if n)
        graph = t({"copied": "copied as it was", "resolved": "resolved again"}.get(report.graph, report.graph))
        click.echo(t("copied {n} documents from {source} to {target}", n=t.number(report.documents),
                     source=report.source, target=report.target)
                   + (f" ({t('{n} already there', n=t.number(report.skipped))})" if report.skipped else "")
                   + " " + t("in {seconds} s: {rows}; graph resolution {graph} ({graph_seconds} s); full-text index "
                             "of {n} documents.", seconds=t.decimal(report.seconds), rows=rows,
                             graph=graph, graph_seconds=t.decimal(report.graph_seconds),
                             n=t.number(report.fulltext_documents)))


# --- serve ----------------------------------------------------------------------------

@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 makes the index visible to the whole network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--token", default=None, envvar="DOCSEARCH_TOKEN", show_envvar=True,
              help="Require this bearer token on every request (or a cookie set by opening ?token=… once).")
@click.option("--max-upload", "max_upload", type=click.IntRange(min=1), default=20, show_default=True,
              help="Largest draft accepted by the checker, in MB.")
@click.option("--read-index", "read_index", default=None, metavar="URL",
              help="Read from this postgresql:// URL instead (a streaming replica of --index).")
@lang_option
def serve(index: str | None, host: str, port: int, token: str | None, max_upload: int,
          read_index: str | None, lang: str) -> None:
    """Serve the index as a web application and JSON API (read-only).

    Pages: / (search), /documents/ID, /implements?doc=, /coverage?doc=,
    /check; the API under /api/ (docs/api.md). --lang is also the pages'
    language for a visitor who has not chosen one.
    """
    import uvicorn

    from .database import is_server_url, redact
    from .store import STORE_FILE, resolve_index
    from .web import WebConfig, create_app

    t = _translator(lang)
    where = resolve_index(index)
    if read_index is not None and not is_server_url(read_index):
        raise click.BadParameter(t("must be a postgresql:// URL (a replica of the --index database)"),
                                 param_hint="--read-index")
    if isinstance(where, str):
        shown_index = redact(where) + (" " + t("(reading {url})", url=redact(read_index)) if read_index else "")
    else:
        shown_index = f"{where}/"
        if read_index is not None:
            raise click.BadParameter(t("needs --index to be a postgresql:// URL"), param_hint="--read-index")
        if not (where / STORE_FILE).is_file():
            click.echo("docsearch: " + t("warning: no index in {folder}/ yet; pages will say so until 'docsearch "
                                         "ingest' creates it", folder=where), err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("docsearch: " + (t("warning: listening on {host}: the index becomes visible on the network", host=host)
                                    if token else
                                    t("warning: listening on {host}: the index becomes visible on the network; consider "
                                      "--token", host=host)), err=True)
    import socket

    try:  # say so in one line now, rather than after the server has started
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise _Failure(t("cannot listen on {host}:{port}: {error}; choose another --port or stop the "
                                     "program using it", host=host, port=port, error=exc.strerror or exc)) from None
    app = create_app(WebConfig(index_dir=where, token=token or None, upload_limit=max_upload * 1024 * 1024,
                               read_index=read_index, lang=lang))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo("docsearch: " + t("serving {index} at {url} (Ctrl-C to stop)", index=shown_index,
                                 url=f"http://{shown}:{port}/"), err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except OSError as exc:
        raise _Failure(t("cannot listen on {host}:{port}: {error}", host=host, port=port,
                                     error=exc.strerror or exc)) from None


def _terminated(signum: int, frame: object) -> None:
    # Unwind like Ctrl-C does: open transactions roll back, the store and the
    # lock are closed, worker processes are stopped.
    raise SystemExit(128 + signum)


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` ends the process because of SIGTERM or Ctrl-C (click
    turns the latter into an exit whose chain holds the KeyboardInterrupt)."""
    if isinstance(exc, SystemExit) and exc.code == 128 + signal.SIGTERM:
        return True
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _exit_after_interrupt(code: int) -> None:
    """End the process once an interrupt has unwound (the store and the
    full-text index closed, the workers stopped). A thread of the worker pool
    can still be reading a result that a stopped worker left half written, a
    read that never ends; the interpreter's own exit would wait for that
    thread for ever, so after a short wait the process ends without it."""
    import threading

    deadline = time.monotonic() + 2.0
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.current_thread()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main() -> None:
    """Console entry point."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("docsearch: " + _translator(_language())("interrupted"), err=True)
        _exit_after_interrupt(130)
    except SystemExit as exc:
        if _interrupted(exc):
            _exit_after_interrupt(exc.code if isinstance(exc.code, int) else 1)
        raise
