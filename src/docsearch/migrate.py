"""Copying an index from one store to another: a folder into a PostgreSQL
database, a database back into a folder, or between two of either.

Documents are copied in batches with everything that hangs on them
(references, dates, relations, other paths, OCR pages), each batch in one
transaction of the target, keeping their numbers (``#12`` stays ``#12``,
so links and bookmarks keep working). A copy that stops midway (a kill, a
lost server) is resumed by running it again: documents already in the
target are recognised by number and path and skipped. The registry and
settings follow. The graph's stored resolution is then copied as it is when
the source's is current (see :func:`.graph.stored.copy_resolution`), and
made anew in the target otherwise; last, the target's full-text index is
built. Rows go into a database with COPY.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import Count, phrase
from .store import COPIED_TABLES, Store, StoreError, resolve_index

BATCH = 200

ProgressCallback = Callable[[int, int], None]


@dataclass
class MigrationReport:
    """What a copy did: rows per table, documents skipped as already there."""

    source: str
    target: str
    documents: int = 0
    skipped: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    fulltext_documents: int = 0
    seconds: float = 0.0
    #: Of ``seconds``, the time spent copying the graph's stored resolution
    #: or resolving the graph in the target.
    graph_seconds: float = 0.0
    #: "copied": the source's resolution was copied as it is; "resolved":
    #: the graph was resolved again in the target.
    graph: str = "resolved"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "documents": self.documents,
                "skipped": self.skipped, "rows": dict(self.rows),
                "fulltext_documents": self.fulltext_documents, "seconds": round(self.seconds, 3),
                "graph_seconds": round(self.graph_seconds, 3), "graph": self.graph}


def copy_index(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
               replace: bool = False, progress: ProgressCallback | None = None,
               batch: int = BATCH, fulltext: bool = True) -> MigrationReport:
    """Copy the index at ``source`` into ``target`` (see the module docstring).

    The target must be new, empty, or a partial copy of this source; with
    ``replace`` whatever it holds is deleted first. Without ``fulltext`` the
    target's full-text index is left to a later ``docsearch reindex``. Raises
    :class:`~.store.StoreError` with what to do otherwise.
    """
    started = time.perf_counter()
    if _same(source, target):
        raise StoreError(phrase("--from and --to name the same index"))
    with Store.open_reader(source) as src, Store.open(target) as dst:
        report = MigrationReport(source=src.location, target=dst.location)
        with dst.writer_lock(), dst.bulk_writes():
            # What the source is now: its stored graph resolution is copied
            # only if the source is still so when the copy ends.
            marker = src.change_marker()
            if replace:
                dst.clear()
            ours = src.paths()
            theirs = dst.paths()
            foreign = [d for d, p in theirs.items() if ours.get(d) != p]
            if foreign:
                example = theirs[foreign[0]]
                raise StoreError(phrase("{target} already holds {n} documents, not all from {source} (#{doc} "
                                        "{path}); copy into an empty index, or add --replace to empty it first",
                                        target=dst.location, n=Count(len(theirs)), source=src.location,
                                        doc=foreign[0], path=example))
            todo = sorted(d for d in ours if d not in theirs)
            report.skipped = len(ours) - len(todo)
            if progress:
                progress(0, len(todo))
            for start in range(0, len(todo), batch):
                part = todo[start:start + batch]
                with dst.transaction():
                    for table in COPIED_TABLES:
                        rows = src.export_rows(table, part)
                        dst.import_rows(table, rows, new=True)
                        report.rows[table] = report.rows.get(table, 0) + len(rows)
                report.documents += len(part)
                if progress:
                    progress(report.documents, len(todo))
            with dst.transaction():
                for table in ("registry", "settings"):
                    rows = src.export_rows(table)
                    dst.import_rows(table, rows)
                    report.rows[table] = len(rows)
                dst.after_import()
            from .graph.stored import copy_or_settle

            resolving = time.perf_counter()
            copied = copy_or_settle(src, dst, marker=marker)
            report.graph_seconds = time.perf_counter() - resolving
            if copied is not None:
                report.graph = "copied"
                report.rows.update(copied)
        if fulltext:
            from .search.indexer import reindex

            report.fulltext_documents = reindex(dst).documents
    report.seconds = time.perf_counter() - started
    return report


def _same(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    where_a, where_b = resolve_index(a), resolve_index(b)
    if isinstance(where_a, Path) and isinstance(where_b, Path):
        return where_a.resolve() == where_b.resolve()
    return where_a == where_b
