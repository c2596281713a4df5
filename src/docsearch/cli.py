"""The ``docsearch`` command line: parse options, call the library, print.

Every command takes ``--index DIR`` (default ``$DOCSEARCH_INDEX`` or
``./indexes``) and ``--format text|json``. User errors become one line on
stderr and exit status 1 (2 for usage errors); never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from . import __version__
from .check import (
    CheckError,
    ConfigError,
    Facts,
    FileReport,
    UnknownCodeError,
    check_code_selector,
    check_file,
    summary,
)
from .extract import ExtractionError
from .extract.ocr import DEFAULT_LANG, MODES, OcrOptions
from .graph import (
    EXPORT_FORMATS,
    IMPLEMENTING,
    RELATION_PRECEDENCE,
    AmbiguousDocument,
    BadQuery,
    GraphError,
    coverage_matrix,
    describe,
    describe_text,
    render_cites,
    render_coverage,
    render_implements,
    render_matrix,
    render_profile,
    write_graph,
)
from .graph import cites as graph_cites
from .graph import coverage as graph_coverage
from .graph import implements as graph_implements
from .ingestion import import_registry, ingest as run_ingest
from .models import Document, IngestSummary, OcrPage, TagResult, ocr_summary
from .refs import Knowledge, RegistryError
from .refs.files import tag_file
from .render import key_values, table
from .search import SearchError
from .search import reindex as run_reindex
from .search import search as run_search
from .search.api import SearchResults
from .site import SiteError, build_site
from .store import Store, StoreError, resolve_index_dir

F = TypeVar("F", bound=Callable[..., Any])


def index_option(f: F) -> F:
    return click.option(
        "--index", "index", type=click.Path(file_okay=False), default=None,
        help="Index folder (default: $DOCSEARCH_INDEX or ./indexes).",
    )(f)


def format_option(f: F) -> F:
    return click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help="Readable table, or JSON for machines.",
    )(f)


def _open(index: str | None, create: bool = False) -> Store:
    try:
        return Store.open(index, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _rel(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docsearch")
def cli() -> None:
    """Search and cross-reference official Vietnamese Party and State documents.

    Start with `docsearch ingest FOLDER`, then `docsearch stats`,
    `docsearch show DOC` and `docsearch refs FILE`.
    """


# --- ingest -------------------------------------------------------------------------

class _Progress:
    """A progress line on a terminal (files, rate, ETA); nothing in a pipe."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
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
        msg = f"\r[{bar}] {done}/{total} files  {rate:5.1f}/s  ETA {eta:4.0f}s "
        click.echo(msg, nl=False, err=True)
        if done >= total:
            click.echo("", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction (default: number of cores).")
@click.option("--ocr", "ocr_mode", type=click.Choice(MODES), default="auto", show_default=True,
              help="Read scanned pages and images with Tesseract: when a page has no text layer, "
                   "every page, or never.")
@click.option("--ocr-lang", default=DEFAULT_LANG, show_default=True,
              help="Tesseract languages, joined by '+'.")
@click.option("--cluster", default=None, metavar="tcp://HOST:PORT",
              help="Extract, OCR and tag on the workers of this Dask scheduler.")
@format_option
def ingest(paths: tuple[str, ...], index: str | None, jobs: int | None, ocr_mode: str, ocr_lang: str,
           cluster: str | None, fmt: str) -> None:
    """Extract, tag and store the documents in PATHS (files or folders).

    A second run reads only what changed; files gone from an ingested folder
    are removed from the index. Exit status 1 if any file failed.
    """
    from .cluster import ClusterError

    try:
        ocr = OcrOptions(mode=ocr_mode, lang=ocr_lang)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--ocr-lang'") from None
    with _open(index, create=True) as store:
        progress = _Progress(enabled=sys.stderr.isatty() and fmt == "text")
        try:
            summary = run_ingest(paths, store, jobs=jobs, progress=progress, ocr=ocr, cluster=cluster)
        except ClusterError as exc:
            raise click.ClickException(str(exc)) from None
        total = store.count()
    for failure in summary.failed:
        click.echo(f"docsearch: {_rel(failure.file)}: {failure.reason}", err=True)
    if summary.fulltext_error:
        click.echo(f"docsearch: full-text index not updated: {summary.fulltext_error} "
                   "(the store is up to date; run 'docsearch reindex' later)", err=True)
    if fmt == "json":
        _json(summary.to_json())
    else:
        click.echo(_ingest_text(summary, total))
    if not summary.ok or summary.fulltext_error:
        sys.exit(1)


def _ingest_text(s: IngestSummary, total: int) -> str:
    parts = [
        f"{len(s.added)} added", f"{len(s.updated)} updated", f"{len(s.unchanged)} unchanged",
        f"{len(s.removed)} removed", f"{len(s.failed)} failed",
    ]
    lines = [", ".join(parts) + f" in {s.seconds:.1f}s; the index holds {total} documents."]
    for path in s.removed:
        lines.append(f"  removed: {_rel(path)}")
    if s.skipped:
        lines.append(f"  {len(s.skipped)} files of other types skipped")
    return "\n".join(lines)


# --- stats / show ---------------------------------------------------------------------

@cli.command()
@index_option
@format_option
def stats(index: str | None, fmt: str) -> None:
    """What the index holds: documents by format and language, references."""
    with _open(index) as store:
        data = store.stats()
    if fmt == "json":
        _json(data)
        return
    click.echo(key_values([
        ("index", data["index"]),
        ("documents", data["documents"]),
        ("identified by header", data["identified"]),
        ("characters", f"{data['characters']:,}"),
        ("formats", ", ".join(f"{k} {v}" for k, v in data["by_format"].items())),
        ("languages", ", ".join(f"{k} {v}" for k, v in data["by_lang"].items())),
        ("with warnings", data["with_warnings"]),
        ("references", data["references"]),
        ("relations", data["relations"]),
        ("registry entries", data["registry"]),
    ]))


@cli.command()
@click.argument("doc")
@index_option
@format_option
@click.option("--text", "with_text", is_flag=True, help="Print the full extracted text too.")
def show(doc: str, index: str | None, fmt: str, with_text: bool) -> None:
    """Show a stored document: DOC is a path, a number like #3, or an id like 46-CTr/TU."""
    with _open(index) as store:
        found = store.find_documents(doc)
        if not found:
            # A document known only from citations: what the graph knows of it.
            try:
                profile = describe(store, doc)
            except BadQuery:
                raise click.ClickException(
                    f"no stored document matches '{doc}'; try a path, #N from 'docsearch stats', "
                    "or an id such as 57-NQ/TW"
                ) from None
            except GraphError as exc:
                raise _graph_error(exc) from None
            click.echo(render_profile(profile, fmt, relative_to=os.getcwd()))
            return
        details = [(d, store.references(d.doc_id), store.relations(d.doc_id), describe_text(store, d.doc_id))
                   for d in found]
        ocr_pages = {d.doc_id: store.ocr_pages(d.doc_id) for d in found}
    if fmt == "json":
        out = []
        for d, refs, rels, profile in details:
            item = d.summary_json()
            item["references"] = [r.to_json() for r in refs]
            item["relations"] = [r.to_json() for r in rels]
            item["ocr_pages"] = [p.to_json() for p in ocr_pages[d.doc_id]]
            item["graph"] = profile.to_json() if profile is not None else None
            if with_text:
                item["text"] = d.text
            out.append(item)
        _json(out if len(out) > 1 else out[0])
        return
    for n, (d, refs, rels, profile) in enumerate(details):
        if n:
            click.echo("")
        click.echo(_document_text(d, refs, rels, with_text, ocr_pages[d.doc_id]))
        if profile is not None:
            click.echo("\n" + render_profile(profile, "text", relative_to=os.getcwd()))


def _document_text(d: Document, refs: list[Any], rels: list[Any], with_text: bool,
                   ocr_pages: list[OcrPage] | None = None) -> str:
    ident = d.identity
    pairs: list[tuple[str, object]] = [
        ("document", f"#{d.doc_id}"),
        ("path", _rel(d.path)),
        ("format", d.format + (f" ({d.encoding})" if d.encoding and d.encoding not in ("utf-8",) else "")),
        ("language", d.lang),
        ("title", d.title or (ident.title if ident else None) or "-"),
        ("pages", len(d.page_starts)),
        ("characters", f"{len(d.text):,}"),
        ("sha256", d.sha256[:16] + "…"),
    ]
    if ident:
        pairs.append(("own id", f"{ident.id}" + (f" of {ident.date.isoformat()}" if ident.date else "")
                      + (f", {ident.issuer}" if ident.issuer else "")))
    if ocr_pages:
        pairs.append(("text from OCR", ocr_summary(ocr_pages, len(d.page_starts))))
    for w in d.warnings:
        pairs.append(("warning", w))
    out = [key_values(pairs)]
    if refs:
        out.append("")
        out.append(_refs_table(d, refs))
    if rels:
        out.append("")
        out.append(table(["source", "relation", "target", "evidence"],
                         [(r.source, r.type, r.target, r.evidence) for r in rels], max_width=70))
    if with_text:
        out += ["", d.text]
    return "\n".join(out)


def _refs_table(d: Document | None, refs: list[Any]) -> str:
    rows = []
    for r in refs:
        rows.append((
            (f"p.{d.page_of(r.start)} " if d is not None and len(d.page_starts) > 1 else "") + str(r.start),
            r.text, r.id or "?", r.date.isoformat() if r.date else "", r.issuer or "",
            r.relation, "" if r.status == "resolved" else r.status,
        ))
    return table(["at", "text", "id", "date", "issuer", "relation", "status"], rows, max_width=48)


# --- refs ----------------------------------------------------------------------------

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--index", "index", type=click.Path(file_okay=False), default=None,
              help="Also resolve against the documents and registry of this index.")
@format_option
def refs(files: tuple[str, ...], index: str | None, fmt: str) -> None:
    """Tag FILES directly and print their own identity, references and relations.

    With --format json: one JSON object per line and file (see README).
    """
    knowledge = _knowledge(index)
    failed = False
    for path in files:
        try:
            tagged = tag_file(path, knowledge)
        except ExtractionError as exc:
            click.echo(f"docsearch: {path}: {exc}", err=True)
            failed = True
            continue
        except OSError as exc:
            click.echo(f"docsearch: {path}: cannot read: {exc.strerror or exc}", err=True)
            failed = True
            continue
        if fmt == "json":
            click.echo(json.dumps(tagged.tags.to_json(file=path), ensure_ascii=False))
        else:
            click.echo(_tags_text(path, tagged.tags))
    if failed:
        sys.exit(1)


def _existing_store(index: str | None) -> Store | None:
    """The index if there is one. An index named explicitly (option or
    $DOCSEARCH_INDEX) must exist; the default one may be missing."""
    explicit = index is not None or os.environ.get("DOCSEARCH_INDEX")
    try:
        return Store.open(index, create=False)
    except StoreError as exc:
        if explicit:
            raise click.ClickException(str(exc)) from None
        return None


def _knowledge(index: str | None) -> Knowledge:
    store = _existing_store(index)
    if store is None:
        return Knowledge.builtin()
    with store:
        return Knowledge.from_store(store)


def _tags_text(path: str, tags: TagResult) -> str:
    out = [f"== {path}"]
    if tags.self:
        s = tags.self
        out.append(f"own id: {s.id}" + (f" of {s.date.isoformat()}" if s.date else "")
                   + (f", {s.issuer}" if s.issuer else ""))
    if tags.references:
        out.append(_refs_table(None, list(tags.references)))
    else:
        out.append("no references found")
    if tags.relations:
        out.append(table(["source", "relation", "target"],
                         [(r.source, r.type, r.target) for r in tags.relations if r.type != "cites"]
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
def registry_import(file: str, index: str | None, fmt: str) -> None:
    """Add the documents in FILE (.csv with a header row, or .json) to the registry."""
    with _open(index, create=True) as store:
        try:
            n, retagged = import_registry(store, file)
        except RegistryError as exc:
            raise click.ClickException(str(exc)) from None
    if fmt == "json":
        _json({"imported": n, "retagged": retagged})
    else:
        click.echo(f"{n} registry entries imported; {retagged} documents re-tagged.")


@registry.command("list")
@index_option
@format_option
def registry_list(index: str | None, fmt: str) -> None:
    """List the registry."""
    with _open(index) as store:
        entries = store.registry()
    if fmt == "json":
        _json([e.to_json() for e in entries])
        return
    click.echo(table(["id", "date", "status", "replaced by", "title"],
                     [(e.id, e.date or "", e.status or "", e.replaced_by or "", e.title or "") for e in entries]))


# --- full-text search ----------------------------------------------------------------------

@cli.command()
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Number of hits to show.")
@click.option("--offset", type=click.IntRange(0, 100_000), default=0, show_default=True,
              help="Skip this many hits (for paging).")
@format_option
def search(query: tuple[str, ...], index: str | None, limit: int, offset: int, fmt: str) -> None:
    """Full-text search: ranked documents with the best passage highlighted.

    QUERY is words (AND by default), "exact phrases", OR, NOT/-word,
    ( ) and filters: type:NQ issuer:"Quảng Ninh" level:provincial lang:en
    year:2024..2025 date:>=2025-01-01 cites:57-NQ/TW implements:57-NQ/TW
    id:46-CTr/TU. A document reference ("Nghị quyết 57", "Resolution 57",
    57-NQ/TW) finds the document itself first, then documents implementing
    or citing it. Diacritics and case do not matter: "nghi quyet" finds
    "Nghị quyết". See docs/search.md.
    """
    text = " ".join(query)
    folder = str(resolve_index_dir(index))
    try:
        results = run_search(folder, text, limit=limit, offset=offset)
    except SearchError as exc:  # QueryError included: one line, exit status 1
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        _json(results.to_json())
    else:
        click.echo(_search_text(results))


def _search_text(r: "SearchResults") -> str:
    shown = f"{r.offset + 1}-{r.offset + len(r.hits)} of " if r.hits and (r.offset or r.total > len(r.hits)) else ""
    lines = [f"{shown}{r.total} documents for: {r.interpreted}"]
    for ref in r.references:
        if ref.candidates:
            lines.append(f"  note: '{ref.text}' may mean {', '.join(ref.candidates)}; add a date or year:")
    for n, hit in enumerate(r.hits, start=r.offset + 1):
        facts = " · ".join(x for x in (hit.type, hit.issuer, hit.date, hit.lang) if x)
        how = ", ".join(f"{how} {ref}" if how != "document" else f"is {ref}" for ref, how in hit.match.items()
                        if how != "text")
        lines.append("")
        lines.append(click.style(f"{n:>3}. {hit.id or '-'}  {hit.title}", bold=True))
        lines.append(f"     {_rel(hit.path)}  (#{hit.doc}, score {hit.score:.2f}"
                     + (f", p.{hit.snippet.page}" if hit.snippet.page else "") + ")"
                     + (f"  {facts}" if facts else "") + (f"  [{how}]" if how else ""))
        lines.append("     " + _highlighted(hit.snippet))
    if r.total:
        lines.append("")
        for name in ("type", "year", "language", "level", "issuer"):
            counts = r.facets.get(name) or {}
            if counts:
                top = list(counts.items())[:8]
                lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in top)
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
def reindex(index: str | None, fmt: str) -> None:
    """Rebuild the full-text index from the store (searches keep working meanwhile)."""
    with _open(index) as store:
        progress = _Progress(enabled=sys.stderr.isatty() and fmt == "text")
        try:
            report = run_reindex(store, progress=lambda done, total: progress(done, total, ""))
        except SearchError as exc:
            raise click.ClickException(str(exc)) from None
    if fmt == "json":
        _json(report.to_json())
    else:
        click.echo(f"full-text index rebuilt: {report.documents} documents in {report.seconds:.1f}s.")


# --- the cross-reference graph ------------------------------------------------------------

GRAPH_FORMAT = click.Choice(["text", "json", "csv"])


def _graph_error(exc: GraphError) -> click.ClickException:
    """One clear message; an ambiguous number lists its candidates, one per line."""
    if isinstance(exc, AmbiguousDocument):
        lines = [f"'{exc.query}' names {len(exc.candidates)} documents; add the year or use the key:"]
        for c in exc.candidates:
            hint = f'"{c.id} {c.date.year}"' if c.date else c.key
            lines.append(f"  {hint:<24} {c.key:<26} {c.issuer or ''}  {c.title or ''}".rstrip())
        return click.ClickException("\n".join(lines))
    return click.ClickException(str(exc))


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
@click.option("--format", "fmt", type=GRAPH_FORMAT, default="text", show_default=True,
              help="A tree grouped by issuer, JSON, or CSV (one row per document of the tree).")
def implements(document: tuple[str, ...], index: str | None, depth: int, relations: tuple[str, ...], fmt: str) -> None:
    """Documents implementing DOCUMENT (57-NQ/TW, "Resolution 57", "NQ 57", "18-NQ/TW 2017").

    Also lists documents based on it, guiding or reviewing its implementation,
    each with its relation, date, lag in days and the sentence that says so.
    """
    with _open(index) as store:
        try:
            result = graph_implements(store, _query(document), depth=depth, relations=relations or IMPLEMENTING)
        except GraphError as exc:
            raise _graph_error(exc) from None
    click.echo(render_implements(result, fmt, relative_to=os.getcwd()))


@cli.command()
@click.argument("document", nargs=-1, required=True)
@index_option
@click.option("--format", "fmt", type=GRAPH_FORMAT, default="text", show_default=True)
def cites(document: tuple[str, ...], index: str | None, fmt: str) -> None:
    """Every document that refers to DOCUMENT, by relation, and texts that mention it."""
    with _open(index) as store:
        try:
            result = graph_cites(store, _query(document))
        except GraphError as exc:
            raise _graph_error(exc) from None
    click.echo(render_cites(result, fmt, relative_to=os.getcwd()))


@cli.command()
@click.argument("document", nargs=-1)
@index_option
@click.option("--by", type=click.Choice(["issuer", "level"]), default="issuer", show_default=True,
              help="Group by committee (issuing body) or by level.")
@click.option("--central", is_flag=True, help="The matrix of all central documents by committee.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Count documents down the chain too (2: a district plan implementing the provincial program).")
@click.option("--format", "fmt", type=GRAPH_FORMAT, default="text", show_default=True)
def coverage(document: tuple[str, ...], index: str | None, by: str, central: bool, depth: int, fmt: str) -> None:
    """Which committees have issued a document implementing DOCUMENT, when, and which have not.

    With --central (and no DOCUMENT): central documents by committee.
    """
    if central and document:
        raise click.UsageError("give a DOCUMENT or --central, not both")
    if not central and not document:
        raise click.UsageError('give a DOCUMENT (e.g. "Resolution 57"), or --central for all central documents')
    with _open(index) as store:
        try:
            if central:
                click.echo(render_matrix(coverage_matrix(store), fmt))
                return
            result = graph_coverage(store, _query(document), by=by, depth=depth)
        except GraphError as exc:
            raise _graph_error(exc) from None
    click.echo(render_coverage(result, fmt))


@cli.command("graph")
@index_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True)
@click.option("--table", type=click.Choice(["edges", "nodes"]), default="edges", show_default=True,
              help="With --format csv: which table to write.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def graph_export(index: str | None, fmt: str, table: str, output: str | None) -> None:
    """Export the whole cross-reference graph (documents and typed relations) for other tools."""
    with _open(index) as store:
        if output is None:
            nodes, edges = write_graph(store, sys.stdout, fmt, table=table)
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    nodes, edges = write_graph(store, out, fmt, table=table)
            except OSError as exc:
                raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    if output is not None:
        click.echo(f"{nodes} documents and {edges} relations written to {output}.", err=True)


# --- static site ----------------------------------------------------------------------------

@cli.group()
def site() -> None:
    """A static web site of the index: document pages, listings, coverage, search."""


@site.command("build")
@click.argument("out", type=click.Path(file_okay=False))
@index_option
@click.option("--templates", "templates", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder of templates (and static files) replacing the shipped ones of the same name.")
@click.option("--base-url", "base_url", default="/", show_default=True,
              help="Where the site will be served (/sub/path/ or https://host/path/); "
                   "used only for canonical addresses and the sitemap, links are relative.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes drawing pages (default: number of cores, at most 4).")
@format_option
def site_build(out: str, index: str | None, templates: str | None, base_url: str, jobs: int | None,
               fmt: str) -> None:
    """Render the index into a static site in OUT (open OUT/index.html, or serve
    the folder). A rebuild rewrites only the pages that changed."""
    with _open(index) as store:
        try:
            report = build_site(store, out, templates=templates, base_url=base_url, jobs=jobs)
        except SiteError as exc:
            raise click.ClickException(str(exc)) from None
    if fmt == "json":
        _json(report.to_json())
        return
    click.echo(key_values([
        ("site", f"{_rel(str(report.out_dir))}/index.html"),
        ("pages", f"{report.pages:,} ({report.documents:,} documents, {report.cited_only:,} known from citations, "
                  f"{report.texts:,} texts)"),
        ("files", f"{report.files:,}: {report.written:,} written, {report.unchanged:,} unchanged, "
                  f"{report.removed:,} removed"),
        ("search index", f"{report.search_shards} term shards"),
        ("time", f"{report.seconds:.1f} s ({report.pages_per_second:,.0f} pages/s)"),
    ]))


# --- check ------------------------------------------------------------------------------

def _facts(index: str | None) -> Facts:
    store = _existing_store(index)
    if store is None:
        return Facts.builtin()
    with store:
        return Facts.from_store(store)


@cli.command()
@click.argument("drafts", nargs=-1, required=True, type=click.Path())
@click.option("--index", "index", type=click.Path(file_okay=False), default=None,
              help="Check against the documents and registry of this index "
                   "(default: $DOCSEARCH_INDEX or ./indexes if present, else the built-in list).")
@click.option("--ignore", "ignore", multiple=True, metavar="CODE",
              help="Do not report CODE (e.g. DS301, or DS4 for a group); repeatable. "
                   "Also read from [tool.docsearch.check] ignore = [...] in docsearch.toml or pyproject.toml.")
@format_option
def check(drafts: tuple[str, ...], index: str | None, ignore: tuple[str, ...], fmt: str) -> None:
    """Check the citations in DRAFTS (TXT, DOCX, PDF, HTML) before they go out.

    Prints one line per finding, FILE:LINE:COL: SEVERITY CODE MESSAGE, with a
    suggested fix where there is one. Exit status 1 if any error was found
    (or a draft could not be read), 0 otherwise. Codes: docs/check.md.
    """
    try:
        for code in ignore:
            check_code_selector(code)
    except UnknownCodeError as exc:
        raise click.UsageError(str(exc)) from None
    facts = _facts(index)
    reports: list[FileReport] = []
    failed = False
    for path in drafts:
        try:
            reports.append(check_file(path, facts, ignore=ignore))
        except (CheckError, ConfigError) as exc:
            click.echo(f"docsearch: {exc}", err=True)
            failed = True
    if fmt == "json":
        data = [r.to_json() for r in reports]
        _json(data[0] if len(drafts) == 1 and len(data) == 1 else data)
    else:
        for r in reports:
            for line in r.lines():
                click.echo(line)
        if reports:
            click.echo(summary(reports), err=True)
    if failed or any(r.has_errors for r in reports):
        sys.exit(1)


def main() -> None:
    """Console entry point."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("docsearch: interrupted", err=True)
        sys.exit(130)
