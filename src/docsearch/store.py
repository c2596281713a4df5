"""The store: the source of truth, in one SQLite file of the index folder
or in a PostgreSQL database.

This module is the only place that opens the database. It holds the
documents with their text, everything the tagger found in them, and the
registry of known documents. Each document is written in one transaction,
so a run killed at any moment (or a server lost mid-run) leaves the store
as it was after the last complete document.

Both kinds of store run the same SQL (see :mod:`.database`): ``?``
placeholders, the column ``end`` quoted, upserts as ``INSERT … ON
CONFLICT``. Their schemas are kept apart (:data:`MIGRATIONS` for SQLite,
:data:`SERVER_MIGRATIONS` for PostgreSQL) because released SQLite
migrations are never edited; a test compares the two.
"""

from __future__ import annotations

import fcntl
import heapq
import itertools
import json
import marshal
import operator
import os
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from .database import DEFAULT_INDEX_DIR as DEFAULT_INDEX_DIR
from .database import ENV_INDEX as ENV_INDEX
from .database import ServerConnection, ServerError, StoreError, redact
from .database import resolve_index as resolve_index
from .i18n import Sayable, phrase, said_from_json, said_to_json
from .models import (
    DateMention,
    Document,
    Identity,
    OcrPage,
    Reference,
    RegistryEntry,
    Relation,
    TagResult,
)

STORE_FILE = "docsearch.sqlite"
LOCK_FILE = "docsearch.lock"
#: The settings row saying the full-text index agrees with the store (see Store.fulltext_in_step).
FULLTEXT_IN_STEP = "fulltext_in_step"


class DocumentNotFound(StoreError):
    """No stored document matches what the user asked for."""


class StoreBusy(StoreError):
    """Another process holds the write lock of the index (an ingest is running)."""


# Each entry upgrades the schema by one version. Never edit a released entry:
# add a new one, so that existing stores are migrated in place.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        doc_id      INTEGER PRIMARY KEY,
        path        TEXT NOT NULL UNIQUE,
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        mtime_ns    INTEGER NOT NULL,
        format      TEXT NOT NULL,
        lang        TEXT NOT NULL,
        title       TEXT,
        encoding    TEXT,
        text        TEXT NOT NULL,
        page_starts TEXT NOT NULL,
        warnings    TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        self_id     TEXT,
        self_json   TEXT
    );
    CREATE INDEX documents_self_id ON documents(self_id);
    CREATE TABLE refs (
        doc_id      INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord         INTEGER NOT NULL,
        ref_id      TEXT,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        text        TEXT NOT NULL,
        type        TEXT,
        number      TEXT,
        issuer_code TEXT,
        year        INTEGER,
        date        TEXT,
        issuer      TEXT,
        short_form  INTEGER NOT NULL,
        relation    TEXT NOT NULL,
        status      TEXT NOT NULL,
        candidates  TEXT NOT NULL,
        term        INTEGER,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX refs_ref_id ON refs(ref_id);
    CREATE TABLE dates (
        doc_id  INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL,
        date    TEXT NOT NULL
    );
    CREATE INDEX dates_doc ON dates(doc_id);
    CREATE TABLE relations (
        doc_id         INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        source         TEXT NOT NULL,
        target         TEXT NOT NULL,
        type           TEXT NOT NULL,
        evidence       TEXT NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        target_date    TEXT
    );
    CREATE INDEX relations_target ON relations(target, type);
    CREATE INDEX relations_source ON relations(source);
    CREATE INDEX relations_doc ON relations(doc_id);
    CREATE TABLE registry (
        id          TEXT NOT NULL,
        number      TEXT NOT NULL,
        type        TEXT,
        issuer_code TEXT NOT NULL,
        date        TEXT,
        title       TEXT,
        status      TEXT,
        replaced_by TEXT,
        issuer      TEXT,
        PRIMARY KEY (id, date)
    );
    """,
    # Graph queries read headers, paths and pages of many documents and the
    # dates citations give: covering indexes answer them without reading the
    # rows, whose large text column would otherwise be walked past.
    """
    CREATE INDEX refs_cited ON refs(ref_id, date, year, issuer);
    CREATE INDEX documents_graph_by_id ON documents(doc_id, path, page_starts, self_id, self_json);
    CREATE INDEX documents_graph_by_self ON documents(self_id, doc_id, path, page_starts, self_json);
    """,
    # Change detection compares what git compares: an edit that keeps size and
    # modification time still changes ctime (and often the inode). Rows from
    # before have 0 there, which never matches, so their files are hashed once.
    # The same content under several paths is one document: `documents.path`
    # is its first path, `copies` holds the others with their own file state.
    """
    ALTER TABLE documents ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE documents ADD COLUMN inode INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX documents_sha256 ON documents(sha256);
    CREATE TABLE copies (
        path     TEXT PRIMARY KEY,
        doc_id   INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        size     INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        inode    INTEGER NOT NULL
    );
    CREATE INDEX copies_doc ON copies(doc_id);
    """,
    # Which year or term a text gave a citation is asked per text and id
    # (graph.resolve): without this index SQLite walks every citation of the
    # id, which made graph queries and site builds quadratic in the corpus.
    """
    CREATE INDEX refs_hint ON refs(doc_id, ref_id, start, status, year, term);
    """,
    # What the tagger reads of a citation beyond its number: the issuing body
    # in full, the document acting on it, the key of a document cited by name
    # and the noun before the number; and the version of the tagger that tagged
    # the stored documents (older ones are tagged again by the next ingest).
    """
    ALTER TABLE refs ADD COLUMN type_word TEXT;
    ALTER TABLE refs ADD COLUMN issuer_name TEXT;
    ALTER TABLE refs ADD COLUMN issuer_place TEXT;
    ALTER TABLE refs ADD COLUMN source TEXT;
    ALTER TABLE refs ADD COLUMN key TEXT;
    CREATE INDEX refs_key ON refs(key) WHERE key IS NOT NULL;
    CREATE TABLE settings (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # Pages whose text was read by OCR, with the engine's mean confidence; a
    # page not listed came from the file's own text.
    """
    CREATE TABLE ocr_pages (
        doc_id      INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        page        INTEGER NOT NULL,
        confidence  REAL,
        words       INTEGER NOT NULL,
        PRIMARY KEY (doc_id, page)
    );
    """,
    # Caches of graph and site data are keyed on the latest write to the
    # store (Store.change_marker): this index answers it without a scan.
    """
    CREATE INDEX documents_ingested_at ON documents(ingested_at);
    """,
    # The graph's stored resolution (see the block "stored resolution of the
    # graph" below and docsearch.graph.stored): which document each relation's
    # ends mean, the nodes they name, and what each text contributes to the
    # candidates of an id. Triggers note every document or registry entry
    # written, whatever writes it, so that no change is missed. The change
    # marker's sums over the last second's documents come from an index.
    """
    CREATE TABLE graph_edges (
        doc_id         INTEGER NOT NULL,
        source         TEXT NOT NULL,
        target         TEXT NOT NULL,
        type           TEXT NOT NULL,
        evidence       TEXT NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        target_date    TEXT,
        source_key     TEXT NOT NULL,
        target_key     TEXT NOT NULL,
        page           INTEGER NOT NULL,
        path           TEXT NOT NULL
    );
    CREATE INDEX graph_edges_target ON graph_edges(target, type);
    CREATE INDEX graph_edges_source ON graph_edges(source, type);
    CREATE INDEX graph_edges_doc ON graph_edges(doc_id);
    CREATE TABLE graph_nodes (
        key           TEXT PRIMARY KEY,
        id            TEXT NOT NULL,
        type          TEXT,
        issuer_code   TEXT,
        level         TEXT,
        issuer        TEXT,
        issuer_source TEXT,
        date          TEXT,
        date_source   TEXT,
        title         TEXT,
        place         TEXT,
        status        TEXT,
        doc_ids       TEXT NOT NULL,
        paths         TEXT NOT NULL,
        ambiguous     INTEGER NOT NULL,
        candidates    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX graph_nodes_id ON graph_nodes(id);
    CREATE INDEX graph_nodes_level ON graph_nodes(level);
    CREATE TABLE graph_bodies (
        doc_id      INTEGER PRIMARY KEY,
        issuer      TEXT NOT NULL,
        issuer_code TEXT
    );
    CREATE INDEX graph_bodies_issuer ON graph_bodies(issuer, issuer_code);
    CREATE TABLE graph_ids (
        id        TEXT PRIMARY KEY,
        signature TEXT NOT NULL
    );
    CREATE TABLE graph_texts (
        doc_id INTEGER NOT NULL,
        id     TEXT NOT NULL,
        PRIMARY KEY (doc_id, id)
    );
    CREATE TABLE graph_dirty (
        seq    INTEGER PRIMARY KEY,
        doc_id INTEGER,
        id     TEXT
    );
    CREATE TABLE graph_state (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE INDEX documents_changes ON documents(ingested_at, size, mtime_ns);
    DROP INDEX documents_ingested_at;
    CREATE TRIGGER graph_document_added AFTER INSERT ON documents
    BEGIN INSERT INTO graph_dirty (doc_id) VALUES (NEW.doc_id); END;
    CREATE TRIGGER graph_document_changed AFTER UPDATE OF self_id, self_json, text, page_starts, path ON documents
    BEGIN INSERT INTO graph_dirty (doc_id) VALUES (NEW.doc_id); END;
    CREATE TRIGGER graph_document_removed AFTER DELETE ON documents
    BEGIN INSERT INTO graph_dirty (doc_id) VALUES (OLD.doc_id); END;
    CREATE TRIGGER graph_registry_added AFTER INSERT ON registry
    BEGIN INSERT INTO graph_dirty (id) VALUES (NEW.id); END;
    CREATE TRIGGER graph_registry_changed AFTER UPDATE ON registry
    BEGIN INSERT INTO graph_dirty (id) VALUES (OLD.id); INSERT INTO graph_dirty (id) VALUES (NEW.id); END;
    CREATE TRIGGER graph_registry_removed AFTER DELETE ON registry
    BEGIN INSERT INTO graph_dirty (id) VALUES (OLD.id); END;
    """,
    # Which document each citation means (graph.stored, "citations"), read
    # by a document's "what the sources say" and "mentioned in"; and the
    # relations into one node counted and listed from an index alone (a
    # central document's page reads only the rows it shows). A
    # resolution recorded before has none: forgetting its mark makes the
    # next settle resolve everything again, citations included.
    """
    CREATE TABLE graph_citations (
        doc_id INTEGER NOT NULL,
        ord    INTEGER NOT NULL,
        ref_id TEXT NOT NULL,
        key    TEXT NOT NULL,
        start  INTEGER NOT NULL,
        page   INTEGER NOT NULL,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX graph_citations_key ON graph_citations(key, doc_id, start);
    CREATE INDEX graph_citations_ref ON graph_citations(ref_id);
    CREATE INDEX graph_edges_target_key ON graph_edges(target, target_key, type, source_key, doc_id);
    DELETE FROM graph_state;
    """,
    # What each resolved citation says (the date and the issuing body it
    # gives, copied from its refs row when the citation is written), so that
    # a central document's "what the sources say" is counted from two small
    # indexes alone instead of looking up tens of thousands of refs rows;
    # filled here from refs, so the stored resolution stays current.
    """
    ALTER TABLE graph_citations ADD COLUMN date TEXT;
    ALTER TABLE graph_citations ADD COLUMN issuer TEXT;
    UPDATE graph_citations SET (date, issuer) = (SELECT r.date, r.issuer FROM refs r
        WHERE r.doc_id = graph_citations.doc_id AND r.ord = graph_citations.ord);
    CREATE INDEX graph_citations_dates ON graph_citations(key, date, doc_id, page, start, ref_id)
        WHERE date IS NOT NULL;
    CREATE INDEX graph_citations_issuers ON graph_citations(key, issuer, doc_id, page, start, ref_id)
        WHERE issuer IS NOT NULL;
    """,
    # What a document's page groups each resolved relation's source by (its
    # node's id, date and issuing body, copied from graph_nodes when the
    # relation is written and whenever the source's nodes are written
    # again), in the index of the relations into a node: a central
    # document's implementers are grouped from that index alone, without
    # looking up the node of each of ten thousand sources. Filled here from
    # graph_nodes, so the stored resolution stays current.
    """
    ALTER TABLE graph_edges ADD COLUMN source_id TEXT;
    ALTER TABLE graph_edges ADD COLUMN source_date TEXT;
    ALTER TABLE graph_edges ADD COLUMN source_issuer TEXT;
    ALTER TABLE graph_edges ADD COLUMN source_issuer_source TEXT;
    ALTER TABLE graph_edges ADD COLUMN source_issuer_code TEXT;
    UPDATE graph_edges SET (source_id, source_date, source_issuer, source_issuer_source, source_issuer_code) = (
        SELECT n.id, n.date, n.issuer, n.issuer_source, n.issuer_code FROM graph_nodes n
        WHERE n.key = graph_edges.source_key);
    DROP INDEX graph_edges_target_key;
    CREATE INDEX graph_edges_target_key ON graph_edges(target, target_key, type, source_key, source_date, source_id,
        source_issuer, source_issuer_source, source_issuer_code, doc_id);
    """,
    # What choosing among the namesakes of an id read of each mention (its
    # basis: the year and term beside the number, the text's date, the dates
    # it mentions, the place named, the words around it), kept by the graph's
    # settle so that a namesake arriving later is weighed against the mentions
    # without reading their texts again (docsearch.graph.stored).
    """
    CREATE TABLE graph_bases (
        ref_id     TEXT NOT NULL,
        doc_id     INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end   INTEGER NOT NULL,
        place      TEXT NOT NULL,
        basis      TEXT NOT NULL,
        PRIMARY KEY (ref_id, doc_id, kind, span_start, span_end, place)
    );
    CREATE INDEX graph_bases_doc ON graph_bases(doc_id);
    """,
    # The stored state of each file, looked up by path at the start of
    # every ingest, read from an index of its own: a row's change time and
    # inode come after its text, and reaching them walked the overflow pages
    # of a long text (7 for 30 KB) for every file of the folders.
    """
    CREATE INDEX documents_files ON documents(path, doc_id, sha256, size, mtime_ns, ctime_ns, inode);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

# The PostgreSQL schema. Its first entry is the SQLite schema at version 6
# in PostgreSQL's types: identities for doc_id, 64-bit integers for file
# states, and the byte order ("C") for text, so that paths and ids sort as
# they do in SQLite. Add a new entry for every change, as for SQLite.
SERVER_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        doc_id      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        path        TEXT COLLATE "C" NOT NULL UNIQUE,
        sha256      TEXT COLLATE "C" NOT NULL,
        size        BIGINT NOT NULL,
        mtime_ns    BIGINT NOT NULL,
        format      TEXT COLLATE "C" NOT NULL,
        lang        TEXT COLLATE "C" NOT NULL,
        title       TEXT COLLATE "C",
        encoding    TEXT COLLATE "C",
        text        TEXT COLLATE "C" NOT NULL,
        page_starts TEXT COLLATE "C" NOT NULL,
        warnings    TEXT COLLATE "C" NOT NULL,
        ingested_at TEXT COLLATE "C" NOT NULL,
        self_id     TEXT COLLATE "C",
        self_json   TEXT COLLATE "C",
        ctime_ns    BIGINT NOT NULL DEFAULT 0,
        inode       BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX documents_self_id ON documents(self_id);
    CREATE INDEX documents_sha256 ON documents(sha256);
    CREATE TABLE refs (
        doc_id       BIGINT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord          INTEGER NOT NULL,
        ref_id       TEXT COLLATE "C",
        start        INTEGER NOT NULL,
        "end"        INTEGER NOT NULL,
        text         TEXT COLLATE "C" NOT NULL,
        type         TEXT COLLATE "C",
        number       TEXT COLLATE "C",
        issuer_code  TEXT COLLATE "C",
        year         INTEGER,
        date         TEXT COLLATE "C",
        issuer       TEXT COLLATE "C",
        short_form   INTEGER NOT NULL,
        relation     TEXT COLLATE "C" NOT NULL,
        status       TEXT COLLATE "C" NOT NULL,
        candidates   TEXT COLLATE "C" NOT NULL,
        term         INTEGER,
        type_word    TEXT COLLATE "C",
        issuer_name  TEXT COLLATE "C",
        issuer_place TEXT COLLATE "C",
        source       TEXT COLLATE "C",
        key          TEXT COLLATE "C",
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX refs_ref_id ON refs(ref_id);
    CREATE INDEX refs_cited ON refs(ref_id, date, year, issuer);
    CREATE INDEX refs_hint ON refs(doc_id, ref_id, start, status, year, term);
    CREATE INDEX refs_key ON refs(key) WHERE key IS NOT NULL;
    CREATE TABLE dates (
        doc_id  BIGINT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        start   INTEGER NOT NULL,
        "end"   INTEGER NOT NULL,
        text    TEXT COLLATE "C" NOT NULL,
        date    TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX dates_doc ON dates(doc_id);
    CREATE TABLE relations (
        doc_id         BIGINT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        source         TEXT COLLATE "C" NOT NULL,
        target         TEXT COLLATE "C" NOT NULL,
        type           TEXT COLLATE "C" NOT NULL,
        evidence       TEXT COLLATE "C" NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        target_date    TEXT COLLATE "C"
    );
    CREATE INDEX relations_target ON relations(target, type);
    CREATE INDEX relations_source ON relations(source);
    CREATE INDEX relations_doc ON relations(doc_id);
    CREATE TABLE registry (
        id          TEXT COLLATE "C" NOT NULL,
        number      TEXT COLLATE "C" NOT NULL,
        type        TEXT COLLATE "C",
        issuer_code TEXT COLLATE "C" NOT NULL,
        date        TEXT COLLATE "C",
        title       TEXT COLLATE "C",
        status      TEXT COLLATE "C",
        replaced_by TEXT COLLATE "C",
        issuer      TEXT COLLATE "C",
        PRIMARY KEY (id, date)
    );
    CREATE TABLE copies (
        path     TEXT COLLATE "C" PRIMARY KEY,
        doc_id   BIGINT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        size     BIGINT NOT NULL,
        mtime_ns BIGINT NOT NULL,
        ctime_ns BIGINT NOT NULL,
        inode    BIGINT NOT NULL
    );
    CREATE INDEX copies_doc ON copies(doc_id);
    CREATE TABLE settings (
        name  TEXT COLLATE "C" PRIMARY KEY,
        value TEXT COLLATE "C" NOT NULL
    );
    CREATE TABLE ocr_pages (
        doc_id      BIGINT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        page        INTEGER NOT NULL,
        confidence  DOUBLE PRECISION,
        words       INTEGER NOT NULL,
        PRIMARY KEY (doc_id, page)
    );
    """,
    # As SQLite's migration 7: caches are keyed on the latest write.
    """
    CREATE INDEX documents_ingested_at ON documents(ingested_at);
    """,
    # As SQLite's migration 8: the graph's stored resolution, and triggers
    # noting every document or registry entry written.
    """
    CREATE TABLE graph_edges (
        doc_id         BIGINT NOT NULL,
        source         TEXT COLLATE "C" NOT NULL,
        target         TEXT COLLATE "C" NOT NULL,
        type           TEXT COLLATE "C" NOT NULL,
        evidence       TEXT COLLATE "C" NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        target_date    TEXT COLLATE "C",
        source_key     TEXT COLLATE "C" NOT NULL,
        target_key     TEXT COLLATE "C" NOT NULL,
        page           INTEGER NOT NULL,
        path           TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX graph_edges_target ON graph_edges(target, type);
    CREATE INDEX graph_edges_source ON graph_edges(source, type);
    CREATE INDEX graph_edges_doc ON graph_edges(doc_id);
    CREATE TABLE graph_nodes (
        key           TEXT COLLATE "C" PRIMARY KEY,
        id            TEXT COLLATE "C" NOT NULL,
        type          TEXT COLLATE "C",
        issuer_code   TEXT COLLATE "C",
        level         TEXT COLLATE "C",
        issuer        TEXT COLLATE "C",
        issuer_source TEXT COLLATE "C",
        date          TEXT COLLATE "C",
        date_source   TEXT COLLATE "C",
        title         TEXT COLLATE "C",
        place         TEXT COLLATE "C",
        status        TEXT COLLATE "C",
        doc_ids       TEXT COLLATE "C" NOT NULL,
        paths         TEXT COLLATE "C" NOT NULL,
        ambiguous     INTEGER NOT NULL,
        candidates    TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX graph_nodes_id ON graph_nodes(id);
    CREATE INDEX graph_nodes_level ON graph_nodes(level);
    CREATE TABLE graph_bodies (
        doc_id      BIGINT PRIMARY KEY,
        issuer      TEXT COLLATE "C" NOT NULL,
        issuer_code TEXT COLLATE "C"
    );
    CREATE INDEX graph_bodies_issuer ON graph_bodies(issuer, issuer_code);
    CREATE TABLE graph_ids (
        id        TEXT COLLATE "C" PRIMARY KEY,
        signature TEXT COLLATE "C" NOT NULL
    );
    CREATE TABLE graph_texts (
        doc_id BIGINT NOT NULL,
        id     TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (doc_id, id)
    );
    CREATE TABLE graph_dirty (
        seq    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        doc_id BIGINT,
        id     TEXT COLLATE "C"
    );
    CREATE TABLE graph_state (
        name  TEXT COLLATE "C" PRIMARY KEY,
        value TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX documents_changes ON documents(ingested_at, doc_id, size, mtime_ns);
    DROP INDEX documents_ingested_at;
    CREATE FUNCTION graph_note_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO graph_dirty (doc_id) VALUES (OLD.doc_id);
        ELSE
            INSERT INTO graph_dirty (doc_id) VALUES (NEW.doc_id);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER graph_document_added AFTER INSERT OR DELETE ON documents
        FOR EACH ROW EXECUTE FUNCTION graph_note_document();
    CREATE TRIGGER graph_document_changed AFTER UPDATE OF self_id, self_json, text, page_starts, path ON documents
        FOR EACH ROW EXECUTE FUNCTION graph_note_document();
    CREATE FUNCTION graph_note_registry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO graph_dirty (id) VALUES (OLD.id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO graph_dirty (id) VALUES (NEW.id);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER graph_registry_changed AFTER INSERT OR UPDATE OR DELETE ON registry
        FOR EACH ROW EXECUTE FUNCTION graph_note_registry();
    """,
    # As SQLite's migration 9: which document each citation means.
    """
    CREATE TABLE graph_citations (
        doc_id BIGINT NOT NULL,
        ord    INTEGER NOT NULL,
        ref_id TEXT COLLATE "C" NOT NULL,
        key    TEXT COLLATE "C" NOT NULL,
        start  INTEGER NOT NULL,
        page   INTEGER NOT NULL,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX graph_citations_key ON graph_citations(key, doc_id, start);
    CREATE INDEX graph_citations_ref ON graph_citations(ref_id);
    CREATE INDEX graph_edges_target_key ON graph_edges(target, target_key, type, source_key, doc_id);
    DELETE FROM graph_state;
    """,
    # As SQLite's migration 10: what each resolved citation says, and the
    # two partial indexes a document's page counts it from.
    """
    ALTER TABLE graph_citations ADD COLUMN date TEXT COLLATE "C";
    ALTER TABLE graph_citations ADD COLUMN issuer TEXT COLLATE "C";
    UPDATE graph_citations c SET date = r.date, issuer = r.issuer FROM refs r
        WHERE r.doc_id = c.doc_id AND r.ord = c.ord;
    CREATE INDEX graph_citations_dates ON graph_citations(key, date, doc_id, page, start, ref_id)
        WHERE date IS NOT NULL;
    CREATE INDEX graph_citations_issuers ON graph_citations(key, issuer, doc_id, page, start, ref_id)
        WHERE issuer IS NOT NULL;
    """,
    # As SQLite's migration 11: each relation's source node's grouping
    # values, in the index of the relations into a node.
    """
    ALTER TABLE graph_edges ADD COLUMN source_id TEXT COLLATE "C";
    ALTER TABLE graph_edges ADD COLUMN source_date TEXT COLLATE "C";
    ALTER TABLE graph_edges ADD COLUMN source_issuer TEXT COLLATE "C";
    ALTER TABLE graph_edges ADD COLUMN source_issuer_source TEXT COLLATE "C";
    ALTER TABLE graph_edges ADD COLUMN source_issuer_code TEXT COLLATE "C";
    UPDATE graph_edges g SET source_id = n.id, source_date = n.date, source_issuer = n.issuer,
        source_issuer_source = n.issuer_source, source_issuer_code = n.issuer_code
        FROM graph_nodes n WHERE n.key = g.source_key;
    DROP INDEX graph_edges_target_key;
    CREATE INDEX graph_edges_target_key ON graph_edges(target, target_key, type, source_key, source_date, source_id,
        source_issuer, source_issuer_source, source_issuer_code, doc_id);
    """,
    # As SQLite's migration 12: each mention's basis of choice among namesakes.
    """
    CREATE TABLE graph_bases (
        ref_id     TEXT COLLATE "C" NOT NULL,
        doc_id     BIGINT NOT NULL,
        kind       TEXT COLLATE "C" NOT NULL,
        span_start INTEGER NOT NULL,
        span_end   INTEGER NOT NULL,
        place      TEXT COLLATE "C" NOT NULL,
        basis      TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (ref_id, doc_id, kind, span_start, span_end, place)
    );
    CREATE INDEX graph_bases_doc ON graph_bases(doc_id);
    """,
)

SERVER_SCHEMA_VERSION = len(SERVER_MIGRATIONS)

# Two processes opening a new database at once must not both create the
# schema: the first takes this advisory lock, the second waits for it.
_SCHEMA_LOCK = 0x64735343  # "dsSC"


# Every table of the store with its columns and key, for copying a whole
# index between stores (migrate.py). The documents' tables come first, in
# the order their foreign keys need; the registry and settings stand alone.
TABLE_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "documents": (("doc_id", "path", "sha256", "size", "mtime_ns", "format", "lang", "title", "encoding",
                   "text", "page_starts", "warnings", "ingested_at", "self_id", "self_json", "ctime_ns",
                   "inode"), ("doc_id",)),
    "copies": (("path", "doc_id", "size", "mtime_ns", "ctime_ns", "inode"), ("path",)),
    "refs": (("doc_id", "ord", "ref_id", "start", '"end"', "text", "type", "number", "issuer_code", "year",
              "date", "issuer", "short_form", "relation", "status", "candidates", "term", "type_word",
              "issuer_name", "issuer_place", "source", "key"), ("doc_id", "ord")),
    "dates": (("doc_id", "start", '"end"', "text", "date"), ()),
    "relations": (("doc_id", "source", "target", "type", "evidence", "evidence_start", "evidence_end",
                   "target_date"), ()),
    "ocr_pages": (("doc_id", "page", "confidence", "words"), ("doc_id", "page")),
    "registry": (("id", "number", "type", "issuer_code", "date", "title", "status", "replaced_by", "issuer"),
                 ("id", "date")),
    "settings": (("name", "value"), ("name",)),
}
COPIED_TABLES = ("documents", "copies", "refs", "dates", "relations", "ocr_pages")

#: SQLite's page cache while a copy writes into a folder (KiB; see Store.bulk_writes).
BULK_CACHE_KIB = 512 * 1024
#: SQLite's page cache while an ingest writes (KiB; see Store.bulk_writes): each
#: batch adds entries all over the indexes of refs and of the graph's
#: resolution, which outgrow SQLite's default of 2 MB after a few thousand
#: documents; past that the pages of every write were read from the file again.
INGEST_CACHE_KIB = 32 * 1024
#: SQLite's own default page cache (KiB): what an ingest keeps for a batch
#: holding a text of more than LONG_TEXT_CHARS characters.
USUAL_CACHE_KIB = 2000

# The tables of the graph's stored resolution (docsearch.graph.stored) with
# their columns: what ``migrate`` copies as it is when the source's
# resolution is current, instead of resolving the graph again in the target.
# graph_dirty and graph_state are not copied: the copy records its own state.
RESOLUTION_TABLES: dict[str, tuple[str, ...]] = {
    "graph_nodes": ("key", "id", "type", "issuer_code", "level", "issuer", "issuer_source", "date", "date_source",
                    "title", "place", "status", "doc_ids", "paths", "ambiguous", "candidates"),
    "graph_ids": ("id", "signature"),
    "graph_texts": ("doc_id", "id"),
    "graph_bodies": ("doc_id", "issuer", "issuer_code"),
    "graph_edges": ("doc_id", "source", "target", "type", "evidence", "evidence_start", "evidence_end",
                    "target_date", "source_key", "target_key", "page", "path", "source_id", "source_date",
                    "source_issuer", "source_issuer_source", "source_issuer_code"),
    "graph_citations": ("doc_id", "ord", "ref_id", "key", "start", "page", "date", "issuer"),
    "graph_bases": ("ref_id", "doc_id", "kind", "span_start", "span_end", "place", "basis"),
}

_ID_AND_YEAR = re.compile(r"(\S+)\s+(\d{4})")


def storable_path(path: str) -> str:
    """``path`` as the store keeps it. File names are bytes; one that is not
    valid UTF-8 reaches Python with its bad bytes as lone surrogates, which
    SQLite cannot hold, so each such byte is written ``\\xNN`` instead."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Citation:
    """Where a stored text cites a document id, with what the citation says of it."""

    doc_id: int
    start: int
    end: int
    text: str
    date: date | None
    year: int | None
    term: int | None
    issuer: str | None
    place: str | None = None  # the place of the issuing body named beside the number


@dataclass(frozen=True, slots=True)
class FileStat:
    """What is compared to tell whether a file changed without reading it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass(frozen=True, slots=True)
class FileState:
    """What the store remembers of a file, to decide whether to read it again.
    ``copy`` is true for a second path of a document's content."""

    doc_id: int
    sha256: str
    stat: FileStat
    copy: bool = False


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


class Store:
    """A docsearch store in an index folder.

    Use :meth:`open` (or ``with Store.open(dir) as store``). Opening creates
    the folder and the database when missing and migrates an older schema.
    """

    def __init__(self, conn: sqlite3.Connection | ServerConnection, path: Path, *, url: str | None = None) -> None:
        self.conn: Any = conn
        self.path = path
        #: The ``postgresql://`` URL of a server store, None for a folder.
        self.url = url
        self._depth = 0
        self._mapped = False  # see _map_for_reads
        self._checkpoints: _Checkpoints | None = None  # see bulk_writes
        # Set once the schema is current: from then on every write
        # transaction forgets the full-text index's mark (see fulltext_in_step).
        self._forget_fulltext_mark = False

    @property
    def _relations_order(self) -> str:
        # The order a text asserted its relations in: SQLite's rowid; a
        # server has none, and its physical order moves, so a fixed one.
        if self.server:
            return " ORDER BY doc_id, evidence_start, type, target, source"
        return " ORDER BY doc_id, rowid"

    @property
    def server(self) -> bool:
        """True for a store in a PostgreSQL database."""
        return self.url is not None

    @property
    def _update_many(self) -> str:
        """How a statement changing many rows of the graph tables begins.

        Inside a transaction SQLite copies every page such a statement
        changes into a statement journal, to undo the statement alone should
        a constraint fail halfway; an ingest keeps that journal in memory
        (:meth:`bulk_writes`). Giving a much-cited id's relations their new
        key changes tens of thousands of rows: one update of 38,000 took a
        111 MB journal, and a settle's peak of SQLite's memory at 100,000
        documents was 56 MB above its page cache for it. ``OR FAIL`` stops
        at a failing row without undoing the rows before it, so SQLite keeps
        no journal; the transaction around is rolled back on any error all
        the same. (PostgreSQL has neither the clause nor the journal.)"""
        return "UPDATE" if self.server else "UPDATE OR FAIL"

    @property
    def index_location(self) -> str | Path:
        """What ``--index`` names: the index folder, or the database URL."""
        return self.url if self.url is not None else self.path.parent

    @property
    def location(self) -> str:
        """The index for messages: its folder, or its URL without a password."""
        return redact(self.url) if self.url is not None else str(self.path.parent)

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, index: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open the store in ``index``: a folder or a ``postgresql://`` URL
        (see :func:`resolve_index`)."""
        where = resolve_index(index)
        if isinstance(where, str):
            return cls._open_server(where, create=create)
        folder = where
        db_path = folder / STORE_FILE
        if not db_path.exists():
            if not create:
                raise StoreError(phrase("no docsearch index in {folder}/: run 'docsearch ingest FOLDER' first or "
                                        "point --index / ${variable} at an existing index", folder=folder,
                                        variable=ENV_INDEX))
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(phrase("cannot create index folder {folder}: {error}", folder=folder,
                                        error=exc.strerror)) from exc
        try:
            conn = sqlite3.connect(db_path, timeout=30.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            store = cls(conn, db_path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(phrase("cannot open the index {file}: {error}; if it is damaged, delete the folder and "
                                    "ingest again", file=db_path, error=exc)) from exc
        return store

    @classmethod
    def _open_server(cls, url: str, *, create: bool, read_only: bool = False) -> Store:
        try:
            conn = ServerConnection(url, read_only=read_only)
        except ServerError as exc:
            raise StoreError(phrase("{error}; check the URL, the password and that the server runs",
                                    error=exc.said)) from None
        store = cls(conn, Path(redact(url)), url=url)
        try:
            store._migrate_server(create=create)
        except ServerError as exc:
            conn.close()
            raise StoreError(exc.said) from None
        except StoreError:
            conn.close()
            raise
        return store

    @classmethod
    def open_reader(cls, index: str | os.PathLike[str] | None = None) -> Store:
        """Open an existing store for reading only. On a server the session
        is read-only, so a SELECT-only user or a streaming replica will do."""
        where = resolve_index(index)
        if isinstance(where, str):
            return cls._open_server(where, create=False, read_only=True)
        return cls.open(where, create=False)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _server_version(self) -> int | None:
        row = self.conn.execute("SELECT to_regclass('docsearch_schema') IS NOT NULL").fetchone()
        if not row[0]:
            return None
        return int(self.conn.execute("SELECT max(version) FROM docsearch_schema").fetchone()[0] or 0)

    def _migrate_server(self, *, create: bool) -> None:
        version = self._server_version()
        if version is None and not create:
            raise StoreError(phrase("no docsearch index in {index}: run 'docsearch ingest FOLDER --index {index}' "
                                    "first (the database exists but holds no docsearch tables)",
                                    index=self.location))
        if version is not None and version > SERVER_SCHEMA_VERSION:
            raise StoreError(phrase("the index {index} was written by a newer docsearch (schema {version}, this "
                                    "one knows {known}); upgrade docsearch", index=self.location, version=version,
                                    known=SERVER_SCHEMA_VERSION))
        if version == SERVER_SCHEMA_VERSION:
            return
        if getattr(self.conn, "read_only", False):
            raise StoreError(phrase("the index {index} needs a schema upgrade; run any docsearch command once as a "
                                    "user who may write to it", index=self.location))
        with self.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            self.conn.execute("CREATE TABLE IF NOT EXISTS docsearch_schema (version INTEGER NOT NULL)")
            current = int(self.conn.execute("SELECT coalesce(max(version), 0) FROM docsearch_schema")
                          .fetchone()[0])
            for number in range(current, SERVER_SCHEMA_VERSION):
                for statement in _split_sql(SERVER_MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO docsearch_schema (version) VALUES (?)", (number + 1,))

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(phrase("the index {index} was written by a newer docsearch (schema {version}, this "
                                    "one knows {known}); upgrade docsearch", index=self.path, version=version,
                                    known=SCHEMA_VERSION))
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                for statement in _split_sql(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")
        self._forget_fulltext_mark = True

    @contextmanager
    def writer_lock(self, *, wait: bool = False, waiting: Callable[[Sayable], None] | None = None) -> Iterator[None]:
        """Hold the index's write lock while a run changes many documents.

        Two ingests of one index would read the same files twice and race on
        every document, so the second one refuses up front (:class:`StoreBusy`,
        naming the process that holds the lock) or, with ``wait``, waits for
        it, calling ``waiting`` once with that message (a phrase; ``str()``: English). The lock is an
        ``flock`` on a file beside the store: the system releases it when its
        holder ends, even by SIGKILL, so a killed run never leaves it behind.
        """
        if self.server:
            # A database server is shared by design: concurrent ingests are
            # kept apart per document (upserts keyed on the path, and an
            # advisory lock per content hash, see save_documents), not by
            # one lock for the whole run.
            yield
            return
        lock_path = self.path.parent / LOCK_FILE
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(phrase("cannot create the lock file {file}: {error}", file=lock_path,
                                    error=exc.strerror)) from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                message = phrase("another ingest is writing the index {index} ({holder})",
                                 index=f"{self.path.parent}/", holder=holder)
                if not wait:
                    raise StoreBusy(phrase("{busy}; wait for it to finish, or use --wait", busy=message)) from None
                if waiting:
                    waiting(phrase("{busy}; waiting for it to finish", busy=message))
                fcntl.flock(fd, fcntl.LOCK_EX)
            started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, started {started}".encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def transaction(self) -> _Transaction:
        """A context manager that commits on success and rolls back on error.
        Transactions nest: an inner one is part of the outer one."""
        return _Transaction(self)

    @property
    def schema_version(self) -> int:
        if self.server:
            return self._server_version() or 0
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- documents ---------------------------------------------------------
    def file_states(self, paths: Iterable[str]) -> dict[str, FileState]:
        """The stored paths among ``paths`` (first paths and copies), each with
        what is needed to tell whether its file changed. Asked a chunk of paths
        at a time: an ingest looks at every file of its folders, and holding
        the state of every stored path took 620 bytes a file."""
        wanted = list(paths)
        states: dict[str, FileState] = {}
        # SQLite would take the index of the unique paths and read the rows.
        documents = "documents" if self.server else "documents INDEXED BY documents_files"
        for doc_id, path, sha256, size, mtime_ns, ctime_ns, inode in self._select_in(
                f"SELECT doc_id, path, sha256, size, mtime_ns, ctime_ns, inode FROM {documents}", "path", wanted):
            states[path] = FileState(doc_id, sha256, FileStat(size, mtime_ns, ctime_ns, inode))
        for doc_id, path, sha256, size, mtime_ns, ctime_ns, inode in self._select_in(
                "SELECT c.doc_id, c.path, d.sha256, c.size, c.mtime_ns, c.ctime_ns, c.inode"
                " FROM copies c JOIN documents d USING (doc_id)", "c.path", wanted):
            states[path] = FileState(doc_id, sha256, FileStat(size, mtime_ns, ctime_ns, inode), copy=True)
        return states

    def stored_paths(self) -> Iterator[tuple[str, int]]:
        """Every stored path (first paths, then copies) with its document's
        doc_id, streamed."""
        for table in ("documents", "copies"):
            for rows in self._batches(f"SELECT path, doc_id FROM {table}", STREAM_ROWS):
                yield from rows

    def contents(self) -> Iterator[str]:
        """The content hash (sha256) of every stored document, streamed."""
        for rows in self._batches("SELECT sha256 FROM documents", STREAM_ROWS):
            for (sha256,) in rows:
                yield sha256

    def touch(self, path: str, stat: FileStat) -> None:
        """Record the new file state of a path whose content did not change."""
        values = (stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode, path)
        with self.transaction():
            self.conn.execute("UPDATE documents SET size=?, mtime_ns=?, ctime_ns=?, inode=? WHERE path=?", values)
            self.conn.execute("UPDATE copies SET size=?, mtime_ns=?, ctime_ns=?, inode=? WHERE path=?", values)

    def document_with_content(self, sha256: str) -> tuple[int, str] | None:
        """The doc_id and first path of the document whose content hashes to ``sha256``."""
        # Ordered by (sha256, doc_id), not doc_id alone: PostgreSQL would walk
        # the primary key through every document looking for the hash (an
        # ingest's cost growing with the square of its size), instead of
        # looking it up in its index.
        row = self.conn.execute("SELECT doc_id, path FROM documents WHERE sha256=? ORDER BY sha256, doc_id LIMIT 1",
                                (sha256,)).fetchone()
        return (int(row["doc_id"]), str(row["path"])) if row else None

    def add_copy(self, path: str, doc_id: int, stat: FileStat) -> None:
        """Record ``path`` as one more path of document ``doc_id`` (same content)."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO copies (path, doc_id, size, mtime_ns, ctime_ns, inode) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT (path) DO UPDATE SET doc_id=excluded.doc_id, size=excluded.size,"
                " mtime_ns=excluded.mtime_ns, ctime_ns=excluded.ctime_ns, inode=excluded.inode",
                (path, doc_id, stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode))

    def copies(self, doc_id: int) -> list[str]:
        """The other paths of a document's content, in path order."""
        return [r[0] for r in self.conn.execute("SELECT path FROM copies WHERE doc_id=? ORDER BY path", (doc_id,))]

    def release_path(self, path: str) -> bool:
        """Take ``path`` away from its document before it gets other content.

        A copy is simply forgotten; a first path hands its document to the
        first copy. Returns False when ``path`` is the only path of its
        document (which is then still stored under it) or is not stored."""
        with self.transaction():
            return self._release(path)

    def _release(self, path: str) -> bool:
        if self.conn.execute("DELETE FROM copies WHERE path=?", (path,)).rowcount:
            return True
        row = self.conn.execute(
            "SELECT c.* FROM copies c JOIN documents d USING (doc_id) WHERE d.path=? ORDER BY c.path LIMIT 1",
            (path,),
        ).fetchone()
        if row is None:
            return False
        self.conn.execute("DELETE FROM copies WHERE path=?", (row["path"],))
        self.conn.execute(
            "UPDATE documents SET path=?, size=?, mtime_ns=?, ctime_ns=?, inode=? WHERE doc_id=?",
            (row["path"], row["size"], row["mtime_ns"], row["ctime_ns"], row["inode"], row["doc_id"]),
        )
        return True

    def save_document(
        self,
        *,
        path: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        format: str,
        ctime_ns: int = 0,
        inode: int = 0,
        lang: str,
        title: str | None,
        encoding: str | None,
        text: str,
        page_starts: Iterable[int],
        warnings: Iterable[str | Sayable],
        tags: TagResult | None,
        ocr_pages: Iterable[OcrPage] = (),
    ) -> int:
        """Insert or replace one document and its tags atomically; returns its doc_id.

        ``ocr_pages`` lists the pages whose text was read by OCR."""
        record = DocumentRecord(
            path=path, sha256=sha256, size=size, mtime_ns=mtime_ns, ctime_ns=ctime_ns, inode=inode,
            format=format, lang=lang, title=title, encoding=encoding, text=text,
            page_starts=tuple(page_starts), warnings=tuple(warnings), tags=tags, ocr_pages=tuple(ocr_pages))
        return self.save_documents([record])[0]

    def _batched(self) -> AbstractContextManager[Any]:
        """Statements whose results nobody reads, sent to a server in one
        round trip (a pipeline) instead of one each; a no-op on SQLite."""
        return self.conn.pipeline() if self.server else nullcontext()

    def ocr_pages(self, doc_id: int) -> list[OcrPage]:
        """The pages of a stored document that were read by OCR, in page order."""
        rows = self.conn.execute(
            "SELECT page, confidence, words FROM ocr_pages WHERE doc_id=? ORDER BY page", (doc_id,))
        return [OcrPage(r["page"], r["confidence"], r["words"]) for r in rows]

    def all_ocr_pages(self) -> dict[int, list[OcrPage]]:
        """The OCR pages of every stored document that has any, by doc_id (one
        query for a whole collection, where ocr_pages asks per document)."""
        out: dict[int, list[OcrPage]] = {}
        for r in self.conn.execute("SELECT doc_id, page, confidence, words FROM ocr_pages ORDER BY doc_id, page"):
            out.setdefault(r["doc_id"], []).append(OcrPage(r["page"], r["confidence"], r["words"]))
        return out

    def _write_tags(self, doc_id: int, tags: TagResult | None) -> None:
        for table in ("refs", "dates", "relations"):
            self.conn.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))
        if tags is None:
            return
        refs, dates, relations = _tag_rows(doc_id, tags)
        self.conn.executemany(_INSERT_REFS, refs)
        self.conn.executemany(_INSERT_DATES, dates)
        self.conn.executemany(_INSERT_RELATIONS, relations)

    def save_tags(self, doc_id: int, tags: TagResult) -> None:
        """Replace the tags of a stored document (used when re-tagging)."""
        identity = tags.self
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET self_id=?, self_json=? WHERE doc_id=?",
                (identity.id if identity else None,
                 json.dumps(identity.to_json(), ensure_ascii=False) if identity else None, doc_id),
            )
            with self._batched():
                self._write_tags(doc_id, tags)

    def remove(self, paths: Iterable[str]) -> int:
        """Forget stored paths; a document goes when its last path goes (a
        document losing its first path keeps the next one). Returns how many
        paths were forgotten."""
        count = 0
        with self.transaction():
            for path in paths:
                if self._release(path):
                    count += 1
                else:
                    count += self.conn.execute("DELETE FROM documents WHERE path=?", (path,)).rowcount
        return count

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def _document(self, row: sqlite3.Row) -> Document:
        identity = _identity_from_json(row["self_json"]) if row["self_json"] else None
        return Document(
            doc_id=row["doc_id"],
            path=row["path"],
            sha256=row["sha256"],
            format=row["format"],
            lang=row["lang"],
            title=row["title"],
            text=row["text"],
            page_starts=tuple(json.loads(row["page_starts"])),
            warnings=tuple(map(said_from_json, json.loads(row["warnings"]))),
            size=row["size"],
            encoding=row["encoding"],
            identity=identity,
            copies=tuple(self.copies(row["doc_id"])),
        )

    def documents(self) -> Iterator[Document]:
        """Every stored document, in path order."""
        for row in self.conn.execute("SELECT * FROM documents ORDER BY path"):
            yield self._document(row)

    def document(self, doc_id: int) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(phrase("no stored document #{n}", n=doc_id))
        return self._document(row)

    def find_documents(self, query: str) -> list[Document]:
        """Stored documents matching ``query``: a doc number (``#3`` or ``3``), a path
        (absolute, relative or a unique suffix), or a canonical id from a header."""
        q = storable_path(query.strip())
        if q.lstrip("#").isdigit():
            row = self.conn.execute("SELECT * FROM documents WHERE doc_id=?", (int(q.lstrip("#")),)).fetchone()
            if row is not None:
                return [self._document(row)]
        as_path = storable_path(str(Path(query.strip()).resolve()))
        rows = self.conn.execute("SELECT * FROM documents WHERE path=?", (as_path,)).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT d.* FROM documents d JOIN copies c USING (doc_id) WHERE c.path=?", (as_path,)
            ).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE self_id=? ORDER BY path", (q,)
            ).fetchall()
        if not rows:
            suffix = "/" + q.lstrip("./")
            n = len(suffix)
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE length(path) >= ? AND substr(path, length(path) - ? + 1) = ?"
                " ORDER BY path", (n, n, suffix),
            ).fetchall() or self.conn.execute(
                "SELECT DISTINCT d.* FROM documents d JOIN copies c USING (doc_id)"
                " WHERE length(c.path) >= ? AND substr(c.path, length(c.path) - ? + 1) = ? ORDER BY d.path",
                (n, n, suffix),
            ).fetchall()
        if not rows and (m := _ID_AND_YEAR.fullmatch(q)):
            # "18-NQ/TW 2017": an id that several documents share, and the year of one.
            rows = [r for r in self.conn.execute("SELECT * FROM documents WHERE self_id=? ORDER BY path", (m[1],))
                    if (json.loads(r["self_json"] or "{}").get("date") or "").startswith(m[2])]
        return [self._document(r) for r in rows]

    # -- read models for the graph, the checker and re-tagging ---------------
    def doc_ids(self) -> list[int]:
        """The doc_id of every stored document."""
        return [int(r[0]) for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    def paths(self) -> dict[int, str]:
        """doc_id → (first) path of every stored document."""
        return {int(r[0]): str(r[1]) for r in self.conn.execute("SELECT doc_id, path FROM documents")}

    def self_ids(self) -> list[str]:
        """The distinct ids stored documents give themselves in their headers."""
        return [str(r[0]) for r in self.conn.execute("SELECT DISTINCT self_id FROM documents WHERE self_id IS NOT NULL")]

    def header_issuers(self) -> list[tuple[str | None, str | None]]:
        """The distinct (issuer, issuer code) pairs of the stored documents' headers."""
        return list(dict.fromkeys((i.issuer, i.issuer_code) for _, i in self.header_identities()))

    def unsettled_references(self) -> Iterator[tuple[int, str | None, str | None]]:
        """(doc_id, number, type code) of every short form, ambiguous or
        unresolved reference: what newly known documents may settle.
        Streamed: at 100,000 generated documents they are 122,661 rows."""
        for rows in self._batches("SELECT doc_id, number, type FROM refs WHERE short_form = 1 OR status != 'resolved'",
                                  STREAM_ROWS):
            for doc_id, number, doc_type in rows:
                yield int(doc_id), number, doc_type

    def citations(self, ref_id: str) -> list[Citation]:
        """Every reference resolved to ``ref_id``, in text order of each document."""
        return self.citations_of([ref_id]).get(ref_id, [])

    def tagger_version(self) -> int | None:
        """The version of the tagger that tagged the stored documents (None
        for a store from before versions were recorded, or an empty one)."""
        row = self.conn.execute("SELECT value FROM settings WHERE name='tagger_version'").fetchone()
        return int(row[0]) if row is not None else None

    def set_tagger_version(self, version: int) -> None:
        with self.transaction():
            self.conn.execute("INSERT INTO settings (name, value) VALUES ('tagger_version', ?)"
                              " ON CONFLICT(name) DO UPDATE SET value = excluded.value", (str(version),))

    def fulltext_in_step(self) -> bool:
        """Whether the full-text index in the store's folder agreed with every
        stored document when :meth:`mark_fulltext_in_step` was last called,
        with nothing written to the store since: every write transaction of
        a SQLite store forgets the mark as it commits, so a run killed after
        a commit, an ingest without the full-text index or a re-tagging
        leaves it unset. Always False for a server store, which several
        ingests write at once."""
        if self.server:
            return False
        row = self.conn.execute("SELECT 1 FROM settings WHERE name = ?", (FULLTEXT_IN_STEP,)).fetchone()
        return row is not None

    def mark_fulltext_in_step(self) -> None:
        """Record that the full-text index in the store's folder now agrees
        with every stored document. Only a run holding the writer lock that
        brought the index in step may call it, outside any transaction (the
        transaction's own commit would forget it). Nothing on a server store."""
        if self.server:
            return
        assert self._depth == 0, "the mark is written after the run's last transaction"
        self.conn.execute("INSERT INTO settings (name, value) VALUES (?, '1')"
                          " ON CONFLICT(name) DO NOTHING", (FULLTEXT_IN_STEP,))

    def references(self, doc_id: int) -> list[Reference]:
        rows = self.conn.execute("SELECT * FROM refs WHERE doc_id=? ORDER BY ord", (doc_id,))
        return [
            Reference(
                start=r["start"], end=r["end"], text=r["text"], id=r["ref_id"], type=r["type"],
                number=r["number"], issuer_code=r["issuer_code"], year=r["year"],
                date=_date(r["date"]), issuer=r["issuer"], short_form=bool(r["short_form"]),
                relation=r["relation"], status=r["status"],
                candidates=tuple(json.loads(r["candidates"])), term=r["term"], type_word=r["type_word"],
                issuer_name=r["issuer_name"], issuer_place=r["issuer_place"], source=r["source"], key=r["key"],
            )
            for r in rows
        ]

    def dates(self, doc_id: int) -> list[DateMention]:
        rows = self.conn.execute("SELECT * FROM dates WHERE doc_id=? ORDER BY start", (doc_id,))
        return [DateMention(r["start"], r["end"], r["text"], date.fromisoformat(r["date"])) for r in rows]

    def relations(self, doc_id: int) -> list[Relation]:
        rows = self.conn.execute(f"SELECT * FROM relations WHERE doc_id=? ORDER BY {_RELATIONS_ORDER}", (doc_id,))
        return [_relation(r) for r in rows]

    def all_relations(self) -> Iterator[tuple[int, Relation]]:
        """Every stored relation with the doc_id of the text that asserts it."""
        for r in self.conn.execute(f"SELECT * FROM relations ORDER BY {_RELATIONS_ORDER}"):
            yield r["doc_id"], _relation(r)

    def identities(self) -> list[tuple[int, Identity]]:
        """Every stored document that was identified by its header."""
        rows = self.conn.execute("SELECT doc_id, self_json FROM documents WHERE self_json IS NOT NULL")
        return [(r["doc_id"], _identity_from_json(r["self_json"])) for r in rows]

    def identity_keys(self) -> Iterator[tuple[str, str | None, str | None, str | None]]:
        """The id, type, issuer code and date (ISO) of every document
        identified by its header, in doc_id order: what tagging reads of them
        (see :meth:`Knowledge.for_tagging`). Taken out of the headers here,
        not decoded whole (titles and bodies are most of a header), and
        streamed: a store holds hundreds of thousands."""
        if self.server:
            fields = ", ".join(f"h ->> '{name}'" for name in _KEY_FIELDS)
            sql = (f"SELECT {fields} FROM (SELECT doc_id, self_json::json AS h FROM documents"
                   " WHERE self_json IS NOT NULL AND self_json <> '') AS headers ORDER BY doc_id")
        else:
            fields = ", ".join(f"json_extract(self_json, '$.{name}')" for name in _KEY_FIELDS)
            # The headers from the covering index, not the rows with their texts.
            sql = (f"SELECT {fields} FROM documents INDEXED BY documents_graph_by_id"
                   " WHERE self_json IS NOT NULL AND self_json <> '' ORDER BY doc_id")
        for rows in self._batches(sql, STREAM_ROWS):
            yield from rows

    def stats(self) -> dict[str, Any]:
        """Counts for ``docsearch stats``."""
        c = self.conn

        def grouped(column: str) -> dict[str, int]:
            rows = c.execute(f"SELECT {column} AS k, count(*) AS n FROM documents GROUP BY k ORDER BY n DESC, k")
            return {str(r["k"]): r["n"] for r in rows}

        return {
            "index": self.location,
            "schema_version": self.schema_version,
            "documents": self.count(),
            "characters": int(c.execute("SELECT coalesce(sum(length(text)),0) FROM documents").fetchone()[0]),
            "bytes": int(c.execute("SELECT coalesce(sum(size),0) FROM documents").fetchone()[0]),
            "by_format": grouped("format"),
            "by_lang": grouped("lang"),
            "identified": int(c.execute("SELECT count(*) FROM documents WHERE self_id IS NOT NULL").fetchone()[0]),
            "with_warnings": int(c.execute("SELECT count(*) FROM documents WHERE warnings != '[]'").fetchone()[0]),
            "read_by_ocr": int(c.execute("SELECT count(DISTINCT doc_id) FROM ocr_pages").fetchone()[0]),
            "references": int(c.execute("SELECT count(*) FROM refs").fetchone()[0]),
            "relations": int(c.execute("SELECT count(*) FROM relations").fetchone()[0]),
            "registry": int(c.execute("SELECT count(*) FROM registry").fetchone()[0]),
        }

    # -- copying between stores ----------------------------------------------
    def export_rows(self, table: str, doc_ids: list[int] | None = None) -> list[tuple[Any, ...]]:
        """The rows of ``table`` (one of :data:`TABLE_COLUMNS`), those of
        ``doc_ids`` only when given, in the columns' order."""
        columns, key = TABLE_COLUMNS[table]
        sql = f"SELECT {', '.join(columns)} FROM {table}"
        params: list[Any] = []
        if doc_ids is not None:
            sql += f" WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
            params = list(doc_ids)
        # Rows without a key come in the order of all their values (NULLs
        # first in both stores), so that a copy keeps one order.
        order = key or tuple(f"{c} NULLS FIRST" for c in columns)
        sql += " ORDER BY " + ", ".join(order)
        return self._tuples(sql, params)  # plain tuples: a quarter of the time of named rows

    def import_rows(self, table: str, rows: list[tuple[Any, ...]], *, new: bool = False) -> None:
        """Write rows as :meth:`export_rows` gives them; a row whose key is
        already stored takes the new values. ``new`` promises that none is
        stored yet (a server then takes them with COPY)."""
        if not rows:
            return
        columns, key = TABLE_COLUMNS[table]
        if new and self.server:
            with self.transaction():
                self.conn.copy_rows(table, columns, rows)
            return
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})"
        if key:
            rest = [c for c in columns if c not in key]
            sql += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET " + ", ".join(f"{c}=excluded.{c}" for c in rest)
        with self.transaction():
            self.conn.executemany(sql, rows)

    def after_import(self) -> None:
        """Make new documents numbered after the imported ones (a server's
        identity column does not see numbers written explicitly)."""
        if self.server:
            self.conn.execute("SELECT setval(pg_get_serial_sequence('documents', 'doc_id'),"
                              " (SELECT coalesce(max(doc_id), 0) + 1 FROM documents), false)")

    def stream_table(self, table: str, batch: int = 20000) -> Iterator[list[tuple[Any, ...]]]:
        """Every row of a table of the resolution (:data:`RESOLUTION_TABLES`),
        in its columns' order, ``batch`` rows at a time, never all in memory.
        In the order the table is stored in: a copy's order does not matter,
        the queries sort what they read."""
        columns = RESOLUTION_TABLES[table]
        yield from self._batches(f"SELECT {', '.join(columns)} FROM {table}", batch)

    def append_rows(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Add rows to a table of the resolution (:data:`RESOLUTION_TABLES`)
        that holds none with their keys: COPY on a server, one prepared
        statement for all of them on SQLite. Inside the caller's transaction."""
        if not rows:
            return
        columns = RESOLUTION_TABLES[table]
        if self.server:
            self.conn.copy_rows(table, columns, rows)
        else:
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(list(columns))})",
                                  rows)

    def forget_resolution(self) -> None:
        """Empty every table of the stored resolution and forget its version
        (before the resolution of another store is copied in)."""
        for table in RESOLUTION_TABLES:
            self.conn.execute(f"DELETE FROM {table}")
        self.set_graph_state(None)

    @contextmanager
    def bulk_writes(self, cache_kib: int = BULK_CACHE_KIB) -> Iterator[None]:
        """While a copy writes millions of rows, or an ingest writes its
        batches and settles them: on SQLite, a page cache of ``cache_kib``
        KiB that holds the indexes being filled (each row's entries land all
        over them, and with SQLite's default of 2 MB every one is read again
        from the file), statement journals kept in memory, and the
        write-ahead log copied into the database file on a thread of its own
        (:class:`_Checkpoints`); all set back when the block ends. A server
        needs nothing.

        A statement that may change several rows inside a transaction (a
        document's upsert, whose trigger notes it for the graph; an update
        of many resolved relations) first copies each page it changes into
        a statement journal, so that it can be undone alone. Past 64 KiB
        SQLite writes that journal to a temporary file, page by page: about
        24 system calls a document in an ingest of plain texts. In
        memory it holds one statement's pages at a time."""
        if self.server:
            yield
            return
        before = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        temp_before = int(self.conn.execute("PRAGMA temp_store").fetchone()[0])
        self.conn.execute(f"PRAGMA cache_size = {-cache_kib}")
        self.conn.execute("PRAGMA temp_store = MEMORY")
        checkpoints = None
        if self._checkpoints is None:  # the outermost block
            autocheckpoint = int(self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
            with suppress(RuntimeError):  # no thread to be had: the writer copies the log, as usual
                checkpoints = self._checkpoints = _Checkpoints(self.path)
                self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            if checkpoints is not None:
                self._checkpoints = None
                checkpoints.stop()
                self.conn.execute(f"PRAGMA wal_autocheckpoint = {autocheckpoint}")
            self.conn.execute(f"PRAGMA cache_size = {before}")
            self.conn.execute(f"PRAGMA temp_store = {temp_before}")

    def graph_notes(self) -> list[tuple[int, int | None, str | None]]:
        """Every note of a write since the last resolution: (seq, doc_id, registry id)."""
        return [(int(s), None if d is None else int(d), None if i is None else str(i))
                for s, d, i in self._tuples("SELECT seq, doc_id, id FROM graph_dirty")]

    def analyze(self) -> None:
        """After a bulk copy into a server: gather the planner's statistics
        now, rather than when autovacuum next passes, so that the first
        queries on the copy are planned on what it holds. SQLite's plans are
        left as they are (it has no statistics unless asked, and the graph
        queries are written for that)."""
        if self.server:
            self.conn.execute("ANALYZE")

    def clear(self) -> None:
        """Delete every document, the registry and the settings."""
        with self.transaction():
            for table in ("documents", "registry", "settings"):
                self.conn.execute(f"DELETE FROM {table}")

    # -- registry ----------------------------------------------------------
    def import_registry(self, entries: Iterable[RegistryEntry]) -> int:
        """Add or replace registry entries; returns how many were written."""
        n = 0
        with self.transaction():
            for e in entries:
                self.conn.execute(
                    "INSERT INTO registry (id, number, type, issuer_code, date, title, status, replaced_by, issuer)"
                    " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (id, date) DO UPDATE SET number=excluded.number,"
                    " type=excluded.type, issuer_code=excluded.issuer_code, title=excluded.title,"
                    " status=excluded.status, replaced_by=excluded.replaced_by, issuer=excluded.issuer",
                    (e.id, e.number, e.type, e.issuer_code, _iso(e.date) or "", e.title, e.status,
                     e.replaced_by, e.issuer),
                )
                n += 1
        return n

    def registry(self) -> list[RegistryEntry]:
        rows = self.conn.execute("SELECT * FROM registry ORDER BY id, date")
        return [
            RegistryEntry(
                id=r["id"], number=r["number"], type=r["type"], issuer_code=r["issuer_code"],
                date=_date(r["date"] or None), title=r["title"], status=r["status"],
                replaced_by=r["replaced_by"], issuer=r["issuer"],
            )
            for r in rows
        ]

    # -- read models for the graph, the site and the web pages ------------------------------
    # Portable SQL only (it must run on PostgreSQL too): `?` placeholders, the
    # column "end" quoted, no SQLite functions; JSON is decoded in Python.
    # Ids go into `IN (...)` lists of at most READ_CHUNK values.

    def change_marker(self) -> tuple[object, ...]:
        """A value that changes whenever the stored documents, their tags,
        the registry or the settings change: what a cache of graph or site
        data is keyed on. Cheap (two index lookups and a count).

        Times of ingest are in whole seconds: the documents written in the
        last second are summed too (ids, sizes, modification times), so that
        a document rewritten in the same second as others still shows. The
        one change it can miss is one document written twice in one second
        with the same size and modification time."""
        # Separate statements: each aggregate alone is answered from an index.
        docs = tuple(self.conn.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM documents", "SELECT max(doc_id) FROM documents",
            "SELECT max(ingested_at) FROM documents"))
        latest = tuple(self.conn.execute(
            "SELECT count(*), sum(doc_id), sum(size), sum(mtime_ns % 1000003) FROM documents WHERE ingested_at = ?",
            (docs[2],)).fetchone())
        registry = self.conn.execute(
            "SELECT count(*), sum(length(id) + length(coalesce(date, '')) + length(coalesce(title, ''))"
            " + length(coalesce(status, '')) + length(coalesce(replaced_by, '')) + length(coalesce(issuer, '')))"
            " FROM registry").fetchone()
        settings = tuple(tuple(r) for r in self.conn.execute("SELECT name, value FROM settings ORDER BY name"))
        return (str(self.path), *docs, *latest, *tuple(registry), settings)

    def header_identities(self) -> list[tuple[int, Identity]]:
        """(doc_id, header) of every stored document identified by its header."""
        rows = self.conn.execute(
            "SELECT doc_id, self_json FROM documents WHERE self_id IS NOT NULL")
        return [(int(r[0]), _identity_from_json(r[1])) for r in rows if r[1]]

    def graph_documents(self, doc_ids: Iterable[int], *, titles: bool = True) -> list[GraphDocRow]:
        """Path, page starts and header (as stored, JSON) of the given
        documents; the headers without their title unless ``titles``."""
        return [GraphDocRow(*r) for r in self._select_in(
            f"SELECT doc_id, path, page_starts, self_id, {self._header(titles)} FROM documents", "doc_id", doc_ids)]

    def graph_documents_named(self, ids: Iterable[str], *, titles: bool = True) -> list[GraphDocRow]:
        """Like :meth:`graph_documents`, for the documents whose header gives one of ``ids``."""
        return [GraphDocRow(*r) for r in self._select_in(
            f"SELECT doc_id, path, page_starts, self_id, {self._header(titles)} FROM documents", "self_id", ids)]

    def header_counts(self, ids: Iterable[str] | None = None) -> dict[str, int]:
        """How many stored texts give each number in their header (each of
        ``ids`` that some text gives, or every number when None)."""
        if ids is None:
            return {str(i): int(n) for i, n in self._tuples(
                "SELECT self_id, count(*) FROM documents WHERE self_id IS NOT NULL GROUP BY self_id")}
        return {str(i): int(n) for i, n in self._select_in(
            "SELECT self_id, count(*) FROM documents", "self_id", ids, " GROUP BY self_id")}

    def _header(self, titles: bool) -> str:
        """The column of a document's header, whole or without its title: a
        settle reads the header of every text of the numbers it weighs
        (tens of thousands) and the title of few, which is half of each."""
        if titles:
            return "self_json"
        untitled = "(self_json::jsonb - 'title')::text" if self.server else "json_remove(self_json, '$.title')"
        return f"CASE WHEN self_json <> '' THEN {untitled} ELSE self_json END"

    def registry_entries(self, ids: Iterable[str]) -> list[RegistryEntry]:
        """The registry's entries for the given ids."""
        return [RegistryEntry(id=r[0], number=r[1], type=r[2], issuer_code=r[3], date=_date(r[4] or None),
                              title=r[5], status=r[6], replaced_by=r[7], issuer=r[8])
                for r in self._select_in(
                    "SELECT id, number, type, issuer_code, date, title, status, replaced_by, issuer FROM registry",
                    "id", ids, " ORDER BY id, date")]

    def cited_forms(self, ids: Iterable[str]) -> list[CitedForm]:
        """How citations name each of ``ids``: every distinct (date, year,
        issuing body) they give with it, and how many give it. Citations
        giving neither a date nor a body are left out."""
        return [CitedForm(ref_id, _date(when), year, body, int(n)) for ref_id, when, year, body, n in self._select_in(
            "SELECT ref_id, date, year, issuer, count(*) FROM refs", "ref_id", ids,
            " AND (date IS NOT NULL OR issuer IS NOT NULL) GROUP BY ref_id, date, year, issuer")]

    def citations_of(self, ids: Iterable[str]) -> dict[str, list[Citation]]:
        """Every reference resolved to one of ``ids``, by id, in text order of
        each document (:meth:`citations` for many ids at once)."""
        out: dict[str, list[Citation]] = {}
        for ref_id, doc_id, start, end, text, when, year, term, issuer, place in self._select_in(
            'SELECT ref_id, doc_id, start, "end", text, date, year, term, issuer, issuer_place FROM refs', "ref_id",
            ids, " ORDER BY ref_id, doc_id, start",
        ):
            out.setdefault(ref_id, []).append(Citation(doc_id, start, end, text, _date(when), year, term, issuer,
                                                       place))
        return out

    def text_dates(self, doc_ids: Iterable[int]) -> dict[int, list[date]]:
        """The dates each of the given texts mentions, in text order."""
        out: dict[int, list[date]] = {}
        for doc_id, value in self._select_in("SELECT doc_id, date FROM dates", "doc_id", doc_ids,
                                             " ORDER BY doc_id, start"):
            out.setdefault(int(doc_id), []).append(date.fromisoformat(value))
        return out

    def texts_near(self, ids: Mapping[str, tuple[Collection[date], Collection[tuple[date, date]]]]
                   ) -> set[tuple[int, str]]:
        """(doc_id, id) of the texts naming an id of ``ids`` (asserting a
        relation whose source or target it is, or citing it) that mention one
        of its days or whose header is dated within one of its spans
        ``[first, last)``; ``ids`` maps each id to (days, spans). Decided
        here, not by reading each text's dates and header: a much-cited
        document is named by tens of thousands of texts."""
        if self.server:
            headers = "documents AS d"
            own = "(NULLIF(d.self_json, '')::json ->> 'date')"
        else:
            # The header from the covering index: the row itself would have
            # SQLite walk the pages of a long text to reach the columns after it.
            headers = "documents AS d INDEXED BY documents_graph_by_id"
            own = "json_extract(CASE WHEN d.self_json <> '' THEN d.self_json END, '$.date')"
        out: set[tuple[int, str]] = set()
        for named, (days, spans) in sorted(ids.items()):
            tests: list[str] = []
            args: list[object] = [named, named, named]
            if days:
                wanted = sorted({d.isoformat() for d in days})
                tests.append("EXISTS (SELECT 1 FROM dates AS t WHERE t.doc_id = n.doc_id"
                             f" AND t.date IN ({_marks(wanted)}))")
                args += wanted
            if spans:
                within = " OR ".join(f"({own} >= ? AND {own} < ?)" for _ in spans)
                tests.append(f"EXISTS (SELECT 1 FROM {headers} WHERE d.doc_id = n.doc_id AND ({within}))")
                for first, last in spans:
                    args += [first.isoformat(), last.isoformat()]
            if not tests:
                continue
            out.update((int(r[0]), named) for r in self._tuples(
                "SELECT n.doc_id FROM (SELECT doc_id FROM relations WHERE target = ?"
                " UNION SELECT doc_id FROM relations WHERE source = ?"
                " UNION SELECT doc_id FROM refs WHERE ref_id = ?) AS n WHERE " + " OR ".join(tests), args))
        return out

    def citation_hints(self, doc_id: int, ref_id: str) -> list[tuple[int, int | None, int | None]]:
        """(start, year, term) of each resolved citation of ``ref_id`` in the
        text ``doc_id``, in text order: the year or term the tagger read beside
        the number, which tells namesakes apart."""
        rows = self._tuples(
            "SELECT start, year, term FROM refs WHERE doc_id = ? AND ref_id = ? AND status = 'resolved'"
            " ORDER BY start", (doc_id, ref_id))
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def citation_hints_of(self, pairs: Iterable[tuple[int, str]]
                          ) -> dict[tuple[int, str], list[tuple[int, int | None, int | None]]]:
        """:meth:`citation_hints` for many (doc_id, ref_id) at once: one
        statement per few hundred texts; pairs without such a citation are
        left out."""
        out: dict[tuple[int, str], list[tuple[int, int | None, int | None]]] = {}
        for part in _read_chunks(sorted(set(pairs))):
            # Joined pair by pair: asked as doc_id IN (…) AND ref_id IN (…),
            # SQLite probed the index for every combination of the two lists
            # (1.6 million probes for 25,000 pairs in a settle of 10,000 texts).
            if self.server:
                rows = self._tuples(
                    "SELECT r.doc_id, r.ref_id, r.start, r.year, r.term"
                    " FROM unnest(?::bigint[], ?::text[]) AS w(doc_id, ref_id)"
                    " JOIN refs r ON r.doc_id = w.doc_id AND r.ref_id = w.ref_id"
                    " WHERE r.status = 'resolved' ORDER BY 1, 2, 3",
                    ([d for d, _ in part], [i for _, i in part]))
            else:
                table, params = _values(part)
                rows = self._tuples(
                    "SELECT r.doc_id, r.ref_id, r.start, r.year, r.term"
                    f" FROM {table} CROSS JOIN refs r ON r.doc_id = w.column1 AND r.ref_id = w.column2"
                    " WHERE r.status = 'resolved' ORDER BY 1, 2, 3", params)
            for doc_id, ref_id, start, year, term in rows:
                out.setdefault((int(doc_id), str(ref_id)), []).append((int(start), year, term))
        return out

    def text_slice(self, doc_id: int, start: int, length: int) -> str:
        """``length`` characters of a stored text from offset ``start`` (0-based)."""
        return self._slice(doc_id, start, length) or ""

    def _slice(self, doc_id: int, start: int, length: int) -> str | None:
        """:meth:`text_slice`, or None when no such text is stored."""
        row = self.conn.execute(
            "SELECT substr(text, ?, ?) FROM documents WHERE doc_id = ?", (start + 1, length, doc_id)).fetchone()
        return str(row[0] or "") if row else None

    def text_slices(self, spans: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int, int], str]:
        """The characters of each (doc_id, start, end) of ``spans`` (0-based,
        end excluded) of the stored texts, by span (a text not stored gives
        none): on a server in one statement, not a round trip each."""
        wanted = sorted(set(spans))
        out: dict[tuple[int, int, int], str] = {}
        if not self.server:
            # A statement per few hundred spans, not one each (a settle of
            # 10,000 texts read 18,000 of them).
            for part in _read_chunks(wanted):
                table, params = _values(part)
                for doc_id, start, end, words in self._tuples(
                        "SELECT w.column1, w.column2, w.column3, substr(d.text, w.column2 + 1, w.column3 - w.column2)"
                        f" FROM {table} CROSS JOIN documents d ON d.doc_id = w.column1", params):
                    out[(int(doc_id), int(start), int(end))] = str(words or "")
            return out
        for part in _read_chunks(wanted):
            for doc_id, start, end, words in self._tuples(
                    "SELECT s.doc_id, s.start, s.stop, substr(d.text, s.start + 1, s.stop - s.start)"
                    " FROM unnest(?::bigint[], ?::int[], ?::int[]) AS s(doc_id, start, stop)"
                    " JOIN documents d ON d.doc_id = s.doc_id",
                    ([d for d, _, _ in part], [a for _, a, _ in part], [b for _, _, b in part])):
                out[(int(doc_id), int(start), int(end))] = str(words or "")
        return out

    def text_of(self, doc_id: int) -> str:
        """The whole text of a stored document ("" when there is none)."""
        row = self.conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return str(row[0]) if row else ""

    def texts_of(self, doc_ids: Iterable[int]) -> dict[int, str]:
        """doc_id → whole text of the given stored documents (one read for a batch of pages)."""
        return {int(doc_id): str(text)
                for doc_id, text in self._select_in("SELECT doc_id, text FROM documents", "doc_id", doc_ids)}

    def relations_linking(self, column: str, ids: Iterable[str], types: Iterable[str] | None = None) -> list[RelationRow]:
        """Relations whose ``column`` (``source`` or ``target``) is one of
        ``ids``, of ``types`` (all when None), in store order (by asserting
        text, then by place in it)."""
        if column not in ("source", "target"):
            raise ValueError(column)
        kinds = list(types or ())
        type_clause = f" AND type IN ({_marks(kinds)})" if kinds else ""
        out = [RelationRow(*r) for r in self._select_in(
            f"SELECT {_RELATION_COLUMNS} FROM relations", column, ids, type_clause, kinds)]
        out.sort(key=_relation_order)
        return out

    def relations_asserted(self, doc_id: int) -> list[RelationRow]:
        """The relations a stored text asserts, in text order."""
        rows = self._tuples(
            f"SELECT {_RELATION_COLUMNS} FROM relations WHERE doc_id = ? ORDER BY {_RELATIONS_ORDER}", (doc_id,))
        return [RelationRow(*r) for r in rows]

    def iter_relations(self, batch: int = 20000) -> Iterator[list[RelationRow]]:
        """Every relation in store order, ``batch`` rows at a time (for exports of any size)."""
        for rows in self._batches(f"SELECT {_RELATION_COLUMNS} FROM relations ORDER BY {_RELATIONS_ORDER}", batch):
            yield [RelationRow(*r) for r in rows]

    def relation_target_ids(self, types: Iterable[str], issuer_codes: Iterable[str]) -> list[str]:
        """The distinct targets of relations of ``types`` whose number ends in
        one of ``issuer_codes`` (``/TW``, ``-CP``): a first cut that the caller
        refines by parsing each number."""
        kinds = list(types)
        patterns = [p for c in issuer_codes for p in (f"%/{c}", f"%-{c}")]
        if not kinds or not patterns:
            return []
        suffix = " OR ".join("target LIKE ?" for _ in patterns)
        rows = self._tuples(
            f"SELECT DISTINCT target FROM relations WHERE type IN ({_marks(kinds)}) AND ({suffix})", [*kinds, *patterns])
        return [str(r[0]) for r in rows]

    def is_mentioned(self, ref_id: str) -> bool:
        """Whether any stored text cites ``ref_id`` or names it as the source of a relation."""
        for sql in ("SELECT 1 FROM refs WHERE ref_id = ? LIMIT 1", "SELECT 1 FROM relations WHERE source = ? LIMIT 1"):
            if self.conn.execute(sql, (ref_id,)).fetchone() is not None:
                return True
        return False

    def text_metadata(self) -> list[TextMeta]:
        """Every stored text's metadata, without the text itself, in path order."""
        rows = self._tuples(
            "SELECT doc_id, path, format, lang, title, size, length(text), page_starts, warnings, self_json"
            " FROM documents ORDER BY path")
        return [TextMeta(*r) for r in rows]

    def all_citations(self) -> list[CitationRow]:
        """Every reference of every stored text, by text and then in text order."""
        rows = self._tuples(
            'SELECT doc_id, ord, ref_id, start, "end", text, date, year, term, relation, status, issuer_place'
            " FROM refs ORDER BY doc_id, ord")
        return [CitationRow(*r) for r in rows]

    def doc_ids_by_path(self, paths: Iterable[str]) -> dict[str, int]:
        """path → doc_id of the given (first) paths that are stored."""
        return {str(path): int(doc_id)
                for path, doc_id in self._select_in("SELECT path, doc_id FROM documents", "path", paths)}

    def languages(self, doc_ids: Iterable[int]) -> dict[int, str]:
        """doc_id → language code of the given stored texts."""
        return {int(doc_id): str(lang)
                for doc_id, lang in self._select_in("SELECT doc_id, lang FROM documents", "doc_id", doc_ids)}

    def _select_in(self, select: str, column: str, keys: Iterable[Any], rest: str = "",
                   after: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of ``select WHERE column IN (keys) rest``, read in chunks of
        keys so that no statement holds more parameters than a database takes;
        ``after`` are the parameters of ``rest``. Each chunk's rows come in the
        order ``rest`` gives them. (The SQL is this module's own, never user
        input; only the keys are parameters.)"""
        for part in _read_chunks(sorted(set(keys))):
            yield from self._tuples(f"{select} WHERE {column} IN ({_marks(part)}){rest}", [*part, *after])

    def _delete_in(self, table: str, column: str, keys: Iterable[Any]) -> None:
        """Delete the rows of ``table`` whose ``column`` is one of ``keys``, in chunks."""
        for part in _read_chunks(sorted(set(keys))):
            self.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({_marks(part)})", part)

    def counts(self) -> StoreCounts:
        """How many texts, identified texts and relations the store holds."""
        texts, identified = self.conn.execute(
            "SELECT count(*), count(self_id) FROM documents").fetchone()
        relations = self.conn.execute("SELECT count(*) FROM relations").fetchone()[0]
        return StoreCounts(int(texts), int(identified or 0), int(relations))

    def content_rows(self, batch: int = 20000) -> Iterator[list[tuple[object, ...]]]:
        """What tells one store's documents from another's, a batch at a time:
        per document its path, content hash, size, time of ingest, language,
        title, warnings, pages and header (for a digest of the store)."""
        yield from self._batches(
            "SELECT doc_id, path, sha256, size, ingested_at, lang, title, warnings, page_starts, self_json"
            " FROM documents ORDER BY doc_id", batch)

    def tag_summaries(self) -> tuple[tuple[object, ...], ...]:
        """Per table of tags (references, relations, dates), aggregates that
        change when a row is added, removed or rewritten: the count and a
        weighted sum of offsets, numbers and text lengths. One pass of the
        database's own code each, a few times faster than hashing the rows."""
        queries = (
            'SELECT count(*), sum(doc_id*3 + start*5 + "end"*7 + ord + coalesce(year, 0)*11'
            " + coalesce(term, 0)*13 + length(coalesce(ref_id, ''))*17 + length(coalesce(date, ''))"
            " + length(relation)*19 + length(status)*23 + length(coalesce(issuer, ''))*29 + length(text)*31"
            " + length(candidates)*37 + length(coalesce(type, ''))*41 + short_form*43"
            " + length(coalesce(key, ''))*47 + length(coalesce(source, ''))*53) FROM refs",
            "SELECT count(*), sum(doc_id*5 + evidence_start*7 + evidence_end*11"
            " + length(source)*13 + length(target)*17 + length(type)*19 + length(evidence)*23"
            " + length(coalesce(target_date, ''))*29) FROM relations",
            'SELECT count(*), sum(doc_id*5 + start*7 + "end"*11 + length(date)*13) FROM dates',
        )
        return tuple(tuple(self.conn.execute(sql).fetchone()) for sql in queries)

    def _insert_rows(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """``sql`` (an INSERT of one row of placeholders) for each of ``rows``,
        whose keys are distinct: on a server, many rows a statement."""
        if not rows:
            return
        if self.server:
            self.conn.insert_many(sql, rows)
        else:
            self.conn.executemany(sql, rows)

    def _tuples(self, sql: str, args: Iterable[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query as plain tuples (cheaper than named rows in bulk)."""
        if self.server:
            return self.conn.tuples(sql, tuple(args))
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, tuple(args)).fetchall()

    def _batches(self, sql: str, batch: int) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of a query as plain tuples, ``batch`` at a time, never all
        in memory (a server streams them from a server-side cursor)."""
        if self.server:
            yield from self.conn.stream(sql, batch=batch)
            return
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(sql)
        while rows := cur.fetchmany(batch):
            yield rows

    # -- read models for the search indexer ------------------------------------
    # Portable SQL only (``?`` placeholders, no SQLite-only functions), so that
    # another store can answer the same calls.
    def save_documents(self, records: Sequence[DocumentRecord], *,
                       joined: list[str] | None = None, written: WrittenTags | None = None) -> list[int]:
        """Insert or replace several documents and their tags in one
        transaction (what an ingest commits per batch); returns their doc_ids
        in order. A kill before the commit loses the whole batch and nothing else.

        On a server, another ingest may have stored the same content since
        the caller looked: under a lock per content hash, such a record
        becomes one more path of that document instead (its path is added to
        ``joined`` when given), so one content is never two documents.

        ``written``, when given, is filled with what the graph settle and the
        full-text update after the batch would read back of the rows written
        (see :class:`WrittenTags`). A SQLite store's ingest holds the write
        lock until both are done; on a server, another writer may write the
        same texts meanwhile, so what is held is checked against the rows'
        versions before it is used (:meth:`check_written`)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if self.server:
            return self._save_on_server(records, now, joined, written)
        with self.transaction():
            ids = [self._upsert(r, now, written) for r in records]
            # The tags of the whole batch in one statement per table: a few
            # statements per document cost more than the rows they wrote.
            for chunk in _read_chunks(ids):
                marks = _marks(chunk)
                for table in ("refs", "dates", "relations", "ocr_pages"):
                    self.conn.execute(f"DELETE FROM {table} WHERE doc_id IN ({marks})", chunk)
            pairs = list(zip(ids, records, strict=True))
            # Generators: a large text's rows are made as SQLite reads them,
            # never all at once.
            refs: Iterable[tuple[Any, ...]] = (row for doc_id, r in pairs if r.tags is not None
                                               for row in _ref_rows(doc_id, r.tags, r.text))
            dates: Iterable[tuple[Any, ...]] = (row for doc_id, r in pairs if r.tags is not None
                                                for row in _date_rows(doc_id, r.tags, r.text))
            relations: Iterable[tuple[Any, ...]] = (row for doc_id, r in pairs if r.tags is not None
                                                    for row in _relation_rows(doc_id, r.tags, r.text))
            if written is not None:
                written.pages.update((doc_id, len(r.ocr_pages)) for doc_id, r in pairs if r.ocr_pages)
                refs, dates = written.keep_refs(refs), written.keep_dates(dates)
                relations = written.keep_relations(relations)
            self.conn.executemany(_INSERT_REFS, refs)
            self.conn.executemany(_INSERT_DATES, dates)
            self.conn.executemany(_INSERT_RELATIONS, relations)
            self.conn.executemany(_INSERT_OCR, ((doc_id, p.page, p.confidence, p.words)
                                                for doc_id, r in pairs for p in r.ocr_pages))
            return ids

    def _save_on_server(self, records: Sequence[DocumentRecord], now: str, joined: list[str] | None,
                        written: WrittenTags | None) -> list[int]:
        # A batch costs a few round trips to the server, not a few per
        # document: one to lock the contents, one to see which are stored
        # already, one for every upsert, one for all the tags.
        ids: dict[int, int] = {}
        with self.transaction():
            # Sorted, so that two writers take the locks in one order.
            self.conn.execute("SELECT count(pg_advisory_xact_lock(hashtextextended(s, 0)))"
                              " FROM (SELECT DISTINCT unnest(?::text[]) AS s ORDER BY 1) AS shas",
                              ([r.sha256 for r in records],))
            stored: dict[str, tuple[int, str]] = {}
            for sha, doc_id, path in self.conn.tuples(
                    "SELECT sha256, doc_id, path FROM documents WHERE sha256 = ANY(?) ORDER BY doc_id DESC",
                    ([r.sha256 for r in records],)):
                stored[sha] = (int(doc_id), path)  # the lowest doc_id wins, as in document_with_content
            fresh: list[tuple[int, DocumentRecord]] = []
            for n, r in enumerate(records):
                other = stored.get(r.sha256)
                if other is not None and other[1] != r.path:
                    # Stored meanwhile by another ingest: this path joins it.
                    if not self._release(r.path):
                        self.conn.execute("DELETE FROM documents WHERE path=?", (r.path,))
                    self.add_copy(r.path, other[0], FileStat(r.size, r.mtime_ns, r.ctime_ns, r.inode))
                    ids[n] = other[0]
                    if joined is not None:
                        joined.append(r.path)
                else:
                    fresh.append((n, r))
            if fresh:
                values = [_document_row(r, now, server=True) for _, r in fresh]
                rows = self.conn.executemany_returning(_UPSERT_DOCUMENT_VERSION, values)
                for (n, _), row in zip(fresh, rows, strict=True):
                    ids[n] = int(row[0])
                saved = [ids[n] for n, _ in fresh]
                if written is not None:
                    for doc_id, value, row in zip(saved, values, rows, strict=True):
                        written.keep_document(doc_id, value, row[1])
                del values
                refs: list[tuple[Any, ...]] = []
                dates: list[tuple[Any, ...]] = []
                relations: list[tuple[Any, ...]] = []
                pages: list[tuple[Any, ...]] = []
                for (n, r) in fresh:
                    if r.tags is not None:
                        refs += _ref_rows(ids[n], r.tags, r.text)
                        dates += _date_rows(ids[n], r.tags, r.text)
                        relations += _relation_rows(ids[n], r.tags, r.text)
                    pages += [(ids[n], p.page, p.confidence, p.words) for p in r.ocr_pages]
                if written is not None:
                    refs = list(written.keep_refs(refs))
                    dates = list(written.keep_dates(dates))
                    # In the order the store reads them back (see _relations_order).
                    relations.sort(key=_server_relation_order)
                    relations = list(written.keep_relations(relations))
                    written.pages.update((ids[n], len(r.ocr_pages)) for n, r in fresh if r.ocr_pages)
                with self._batched():
                    for table in _TAG_COLUMNS:
                        self.conn.execute(f"DELETE FROM {table} WHERE doc_id = ANY(?)", (saved,))
                # One COPY per table (a pipeline cannot carry it): an INSERT
                # per row cost the server and this process a statement each,
                # about 100,000 of them for 10,000 synthetic documents.
                for table, rows in zip(_TAG_COLUMNS, (refs, dates, relations, pages), strict=True):
                    if rows:
                        self.conn.copy_rows(table, _TAG_COLUMNS[table], rows)
        return [ids[n] for n in range(len(records))]

    def _upsert(self, r: DocumentRecord, now: str, written: WrittenTags | None = None) -> int:
        # One upsert keyed on the path: two writers storing the same path at
        # once update one row instead of failing on the unique key.
        values = _document_row(r, now, server=self.server)
        if self.server or len(r.text) <= LONG_TEXT_CHARS:
            row = self.conn.execute(_UPSERT_DOCUMENT, values).fetchone()
            doc_id = int(row[0])
        else:
            doc_id = self._upsert_long(r.text, values)
        if written is not None:
            written.keep_document(doc_id, values)
        return doc_id

    def _upsert_long(self, text: str, values: tuple[Any, ...]) -> int:
        """Store a long text without a whole UTF-8 copy of it in this
        process: bound as a value, the text is encoded whole (and the copy
        kept as long as the string lives) and copied again by SQLite. The
        row is written with a text of the right length in bytes, which the
        encoded text then overwrites a piece at a time; it reads back as the
        same string, and the column holds text as for any other document."""
        pieces = range(0, len(text), TEXT_PIECE_CHARS)
        size = sum(len(text[i:i + TEXT_PIECE_CHARS].encode("utf-8")) for i in pieces)
        row = self.conn.execute(_UPSERT_DOCUMENT_SIZED, (*values[:_TEXT_COLUMN], size, *values[_TEXT_COLUMN + 1:]))
        doc_id = int(row.fetchall()[0][0])
        with self.conn.blobopen("documents", "text", doc_id) as blob:
            for i in pieces:
                blob.write(text[i:i + TEXT_PIECE_CHARS].encode("utf-8"))
        return doc_id

    def index_keys(self, doc_ids: Sequence[int] | None = None, *, header_chars: int) -> dict[int, IndexKey]:
        """What the full-text index's fingerprint of each document is made of:
        of every stored document, or of those of ``doc_ids`` still stored.
        ``header_chars``: only dates that start before it count."""
        out: dict[int, IndexKey] = {}
        for chunk, where in self._id_chunks(doc_ids):
            for r in self.conn.execute(
                "SELECT doc_id, path, sha256, lang, title, self_json FROM documents" + where("doc_id"), chunk
            ):
                out[r[0]] = IndexKey(r[1], r[2], r[3], r[4] or "", r[5] or "")
            for doc_id, ref_id, start, end in self.conn.execute(
                'SELECT doc_id, ref_id, start, "end" FROM refs' + where("doc_id") + " ORDER BY doc_id, ord", chunk
            ):
                if (key := out.get(doc_id)) is not None:
                    key.refs.append(IndexKey.ref_entry(ref_id, start, end))
            for doc_id, source, kind, target in self.conn.execute(
                "SELECT doc_id, source, type, target FROM relations" + where("doc_id") + self._relations_order,
                chunk,
            ):
                if (key := out.get(doc_id)) is not None:
                    key.relations.append(IndexKey.relation_entry(source, kind, target))
            for doc_id, start, value in self.conn.execute(
                "SELECT doc_id, start, date FROM dates" + where("doc_id", "start < ?") + " ORDER BY doc_id, start",
                [*chunk, header_chars],
            ):
                if (key := out.get(doc_id)) is not None:
                    key.dates.append(IndexKey.date_entry(start, value))
            for doc_id, pages in self.conn.execute(
                "SELECT doc_id, count(*) FROM ocr_pages" + where("doc_id") + " GROUP BY doc_id", chunk
            ):
                if (key := out.get(doc_id)) is not None:
                    key.ocr_pages = int(pages)
        return out

    def index_sources(self, doc_ids: Sequence[int], *, header_chars: int) -> Iterator[IndexSource]:
        """The stored values the full-text index is built from, for each of
        ``doc_ids`` still stored (read in chunks, so memory holds one chunk)."""
        for chunk, where in self._id_chunks(doc_ids):
            refs: dict[int, list[tuple[str, int, int]]] = {}
            for doc_id, ref_id, start, end in self.conn.execute(
                'SELECT doc_id, ref_id, start, "end" FROM refs' + where("doc_id", "ref_id IS NOT NULL")
                + " ORDER BY doc_id, ord", chunk,
            ):
                refs.setdefault(doc_id, []).append((ref_id, start, end))
            rels: dict[int, list[tuple[str, str, str]]] = {}
            for doc_id, source, kind, target in self.conn.execute(
                "SELECT doc_id, source, type, target FROM relations" + where("doc_id")
                + self._relations_order, chunk,
            ):
                rels.setdefault(doc_id, []).append((source, kind, target))
            first: dict[int, str] = {}
            for doc_id, value in self.conn.execute(
                "SELECT doc_id, date FROM dates" + where("doc_id", "start < ?") + " ORDER BY doc_id, start DESC",
                [*chunk, header_chars],
            ):
                first[doc_id] = value  # the last one written is the earliest in the text
            scanned = {r[0] for r in self.conn.execute(
                "SELECT DISTINCT doc_id FROM ocr_pages" + where("doc_id"), chunk)}
            for r in self.conn.execute(
                "SELECT doc_id, path, lang, title, text, page_starts, self_json FROM documents" + where("doc_id")
                + " ORDER BY doc_id", chunk,
            ):
                doc_id = r[0]
                # Popped, not read: what the caller lets go of is freed
                # while this generator waits (a long text's rows are many).
                source = IndexSource(
                    doc_id=doc_id, path=r[1], lang=r[2], title=r[3], text=r[4],
                    page_starts=tuple(json.loads(r[5])), identity=json.loads(r[6]) if r[6] else None,
                    refs=refs.pop(doc_id, []), relations=rels.pop(doc_id, []), first_date=first.get(doc_id),
                    scanned=doc_id in scanned,
                )
                del r
                yield source
                del source

    def index_all(self, *, header_chars: int) -> Iterator[IndexSource]:
        """Every stored document's :class:`IndexSource`, in doc_id order, each
        with its fingerprint's :class:`IndexKey` (``key``): what a rebuild of
        the full-text index reads, in one pass over the store.

        In a folder store, one ordered query per table streams beside the
        documents' and the rows are matched by doc_id as they come, so
        memory holds one document's rows and no table is read twice; a
        server store is read in chunks of ids."""
        if self.server:
            ids = [int(r[0]) for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
            yield from self.index_batch(ids, header_chars=header_chars)
            return
        yield from self._index_stream("", [], header_chars)

    def index_batch(self, doc_ids: Sequence[int], *, header_chars: int) -> Iterator[IndexSource]:
        """The :class:`IndexSource` of each of ``doc_ids`` still stored, in
        doc_id order, each with its fingerprint's :class:`IndexKey` (``key``):
        what an update of the full-text index reads, each row once, in
        chunks of ids (memory holds one chunk's tags and one text)."""
        ids = sorted({int(d) for d in doc_ids})
        for i in range(0, len(ids), ID_CHUNK):
            chunk: list[Any] = ids[i:i + ID_CHUNK]
            if self.server:
                keys = self.index_keys(chunk, header_chars=header_chars)
                for src in self.index_sources(chunk, header_chars=header_chars):
                    yield replace(src, key=keys.get(src.doc_id))
            else:
                yield from self._index_stream(f"doc_id IN ({_marks(chunk)})", chunk, header_chars)

    def _index_stream(self, where: str, params: list[Any], header_chars: int) -> Iterator[IndexSource]:
        """The sources (with keys) of the documents ``where`` selects, in
        doc_id order: one ordered query per table, matched by doc_id as
        the rows come (a folder store only)."""
        def rows(sql: str, *more: Any) -> Iterator[tuple[Any, ...]]:
            # Plain tuples: unpacked at once, they cost less to make than rows by name.
            cursor = self.conn.cursor()
            cursor.row_factory = None
            return iter(cursor.execute(sql, (*params, *more)))

        only = f" WHERE {where}" if where else ""
        refs = _ByDoc(rows('SELECT doc_id, ref_id, start, "end" FROM refs' + only + " ORDER BY doc_id, ord"))
        rels = _ByDoc(rows("SELECT doc_id, source, type, target FROM relations" + only + self._relations_order))
        # Ordered by doc_id alone (the index's order), then by start per
        # document below: no sort of the whole table.
        dates = _ByDoc(rows("SELECT doc_id, start, date FROM dates WHERE " + (f"{where} AND " if where else "")
                            + "start < ? ORDER BY doc_id", header_chars))
        # One row per scanned document: only how many pages were read by OCR counts.
        pages = _ByDoc(rows("SELECT doc_id, count(*) FROM ocr_pages" + only + " GROUP BY doc_id ORDER BY doc_id"))
        take_refs, take_rels, take_dates, take_pages = refs.take, rels.take, dates.take, pages.take
        for doc_id, path, sha256, lang, title, text, page_starts, self_json in rows(
            "SELECT doc_id, path, sha256, lang, title, text, page_starts, self_json FROM documents"
            + only + " ORDER BY doc_id"
        ):
            ref_rows = take_refs(doc_id)
            rel_rows = take_rels(doc_id)
            date_rows = take_dates(doc_id)
            if len(date_rows) > 1:
                date_rows.sort(key=_start_of)  # stable: rows of one start keep the table's order
            page_rows = take_pages(doc_id)
            page_count = int(page_rows[0][1]) if page_rows else 0
            # Each row without its doc_id is the tuple the source holds (a
            # slice of a tuple is made in C).
            ref_spans = [r[1:] for r in ref_rows]
            relations = [r[1:] for r in rel_rows]
            source = _index_source(doc_id, path, sha256, lang, title, text, page_starts, self_json,
                                   ref_spans, relations, date_rows, page_count)
            # Only the source is held while the caller indexes it: what it
            # lets go of (a long text's rows are many) is freed meanwhile.
            del ref_rows, rel_rows, date_rows, ref_spans, relations, text
            yield source
            del source

    def check_written(self, written: WrittenTags) -> None:
        """On a server, forget of ``written`` the texts whose rows another
        writer wrote again or removed since the batch (their version
        differs): they are read back instead. The caller holds the lock that
        orders its use of ``written`` among the writers (the graph's, the
        full-text index's), so a text written again after this check is
        followed by its own writer, after this one. Every change of a text's
        tags writes its document's row. Nothing to check on SQLite, whose
        ingest keeps the write lock until it has used ``written``."""
        if not self.server or not written.versions:
            return
        now = dict(self._tuples("SELECT doc_id, xmin::text FROM documents WHERE doc_id = ANY(?)",
                                (sorted(written.versions),)))
        changed = {doc_id for doc_id, version in written.versions.items() if now.get(doc_id) != version}
        if changed:
            written.forget(changed)

    def index_written(self, written: WrittenTags, doc_ids: Iterable[int], *,
                      header_chars: int) -> Iterator[IndexSource]:
        """:meth:`index_batch` of ``doc_ids``, made from what the last batch
        wrote (``written``) for the texts it holds and read from the store
        for the others; in doc_id order."""
        ids = sorted({int(d) for d in doc_ids})
        held = [d for d in ids if d in written.documents]
        if not held:
            yield from self.index_batch(ids, header_chars=header_chars)
            return
        kept = set(held)
        yield from heapq.merge(self._index_held(written, held, header_chars),
                               self.index_batch([d for d in ids if d not in kept], header_chars=header_chars),
                               key=_doc_id_of)

    def _index_held(self, written: WrittenTags, doc_ids: Sequence[int], header_chars: int) -> Iterator[IndexSource]:
        for doc_id in doc_ids:
            path, sha256, lang, title, text, page_starts, self_json = written.documents.pop(doc_id)
            date_rows = [r for r in written.date_rows.get(doc_id, ()) if r[1] < header_chars]
            source = _index_source(doc_id, path, sha256, lang, title, text, page_starts, self_json,
                                   written.refs.get(doc_id, []), written.relations.get(doc_id, []),
                                   date_rows, written.pages.get(doc_id, 0))
            source.prepared = written.prepared.pop(doc_id, None)
            del text, date_rows
            yield source
            del source

    def texts(self) -> Iterator[tuple[int, str]]:
        """(doc_id, text) of every stored document in doc_id order (for
        measuring a search engine on the bare texts)."""
        for r in self.conn.execute("SELECT doc_id, text FROM documents ORDER BY doc_id"):
            yield int(r[0]), str(r[1])

    def _id_chunks(self, doc_ids: Sequence[int] | None
                   ) -> Iterator[tuple[list[Any], Callable[..., str]]]:
        """(parameters, WHERE builder) per chunk of ``doc_ids`` (one chunk of
        everything for None): bounded parameter lists for any database."""
        if doc_ids is None:
            yield [], lambda column, *more: (" WHERE " + " AND ".join(more)) if more else ""
            return
        ids = sorted({int(d) for d in doc_ids})
        for i in range(0, len(ids), ID_CHUNK):
            chunk: list[Any] = list(ids[i:i + ID_CHUNK])
            marks = ",".join("?" * len(chunk))
            yield chunk, lambda column, *more, m=marks: " WHERE " + " AND ".join((f"{column} IN ({m})", *more))


    # -- stored resolution of the graph -------------------------------------------------------
    # docsearch.graph.stored computes, and docsearch.graph.resolve reads,
    # which document each relation's ends mean and the nodes they name. The
    # tables are a cache that is exact or unused: `graph_state` records the
    # resolver version that filled them, and `graph_dirty` (filled by
    # triggers on documents and registry) what was written since.

    def graph_state(self) -> str | None:
        """The version of the resolution the graph tables hold (None: never filled, or emptied)."""
        row = self.conn.execute("SELECT value FROM graph_state WHERE name = 'resolution'").fetchone()
        return str(row[0]) if row is not None else None

    def set_graph_state(self, value: str | None) -> None:
        """Record (or with None, forget) the version of the stored resolution."""
        self.conn.execute("DELETE FROM graph_state WHERE name = 'resolution'")
        if value is not None:
            self.conn.execute("INSERT INTO graph_state (name, value) VALUES ('resolution', ?)", (value,))

    def graph_pending(self) -> bool:
        """Whether documents or registry entries were written since the last resolution."""
        return self.conn.execute("SELECT 1 FROM graph_dirty LIMIT 1").fetchone() is not None

    def graph_lock(self) -> None:
        """Inside a transaction: keep other writers of the resolution out until
        it ends (SQLite's write transaction does that by itself)."""
        if self.server:
            self.conn.execute("SELECT pg_advisory_xact_lock(?)", (_GRAPH_LOCK,))

    def graph_dirt(self) -> tuple[list[int], set[int], set[str]]:
        """What was written since the last resolution: (the notes' sequence
        numbers, doc_ids, registry ids)."""
        seqs: list[int] = []
        docs: set[int] = set()
        ids: set[str] = set()
        for seq, doc_id, ref_id in self._tuples("SELECT seq, doc_id, id FROM graph_dirty"):
            seqs.append(int(seq))
            if doc_id is not None:
                docs.add(int(doc_id))
            if ref_id is not None:
                ids.add(str(ref_id))
        return seqs, docs, ids

    def clear_graph_dirt(self, seqs: Sequence[int]) -> None:
        """Forget the notes that were read (they are resolved). Exactly those:
        on a server, a writer that committed meanwhile may have a lower number."""
        self._delete_in("graph_dirty", "seq", seqs)

    def reset_graph(self) -> None:
        """Empty the graph tables (before a full resolution)."""
        for table in ("graph_edges", "graph_nodes", "graph_ids", "graph_texts", "graph_bodies", "graph_bases"):
            self.conn.execute(f"DELETE FROM {table}")

    def graph_all_ids(self) -> list[str]:
        """Every id the graph can name: headers, citations, relation ends, the registry."""
        found: set[str] = set()
        for sql in ("SELECT DISTINCT self_id FROM documents WHERE self_id IS NOT NULL",
                    "SELECT DISTINCT ref_id FROM refs WHERE ref_id IS NOT NULL",
                    "SELECT DISTINCT source FROM relations", "SELECT DISTINCT target FROM relations",
                    "SELECT DISTINCT id FROM registry"):
            found.update(str(r[0]) for r in self._tuples(sql))
        return sorted(found)

    def graph_named(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that the store still names (as :meth:`graph_all_ids`)."""
        found: set[str] = set()
        ids = set(ids)  # read five times
        for table, column in (("documents", "self_id"), ("refs", "ref_id"), ("relations", "source"),
                              ("relations", "target"), ("registry", "id")):
            found.update(str(r[0]) for r in self._select_in(f"SELECT DISTINCT {column} FROM {table}", column, ids))
        return found

    def forget_graph_ids(self, ids: Iterable[str]) -> None:
        """Drop the nodes and signatures of ids the store no longer names."""
        ids = set(ids)  # read twice
        for table in ("graph_nodes", "graph_ids"):
            self._delete_in(table, "id", ids)

    def graph_contributions(self, doc_ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
        """(doc_id, id) for each id whose candidates a stored text shapes: the
        id its header gives, and the ids it cites with a date or issuing body
        (see :meth:`cited_forms`); of ``doc_ids``, or of every text when None."""
        out: list[tuple[int, str]] = []
        for chunk, where in self._id_chunks(None if doc_ids is None else list(doc_ids)):
            out.extend((int(d), str(i)) for d, i in self._tuples(
                "SELECT doc_id, self_id FROM documents" + where("doc_id", "self_id IS NOT NULL"), chunk))
            out.extend((int(d), str(i)) for d, i in self._tuples(
                "SELECT DISTINCT doc_id, ref_id FROM refs"
                + where("doc_id", "ref_id IS NOT NULL", "(date IS NOT NULL OR issuer IS NOT NULL)"), chunk))
        return out

    def graph_text_ids(self, doc_ids: Iterable[int]) -> set[str]:
        """The ids the given texts shaped when they were last resolved."""
        out: set[str] = set()
        for chunk, where in self._id_chunks(list(doc_ids)):
            out.update(str(r[0]) for r in self._tuples("SELECT id FROM graph_texts" + where("doc_id"), chunk))
        return out

    def write_graph_texts(self, doc_ids: Iterable[int], rows: Iterable[tuple[int, str]]) -> None:
        """Replace what the given texts contribute (see :meth:`graph_contributions`)."""
        for chunk, where in self._id_chunks(list(doc_ids)):
            self.conn.execute("DELETE FROM graph_texts" + where("doc_id"), chunk)
        self._insert_rows("INSERT INTO graph_texts (doc_id, id) VALUES (?,?) ON CONFLICT DO NOTHING", sorted(set(rows)))

    def write_graph_bodies(self, doc_ids: Iterable[int] | None) -> None:
        """Record the issuing body of the headers of ``doc_ids`` (of every
        text when None), replacing what was recorded for them."""
        rows: list[tuple[int, str, str | None]] = []
        for chunk, where in self._id_chunks(None if doc_ids is None else list(doc_ids)):
            if doc_ids is not None:
                self.conn.execute("DELETE FROM graph_bodies" + where("doc_id"), chunk)
            for doc_id, raw in self._tuples("SELECT doc_id, self_json FROM documents"
                                            + where("doc_id", "self_id IS NOT NULL"), chunk):
                if raw:
                    ident = _identity_from_json(raw)
                    if ident.issuer:
                        rows.append((int(doc_id), ident.issuer, ident.issuer_code))
        self._insert_rows("INSERT INTO graph_bodies (doc_id, issuer, issuer_code) VALUES (?,?,?)", rows)

    def graph_bodies(self) -> list[tuple[str, str | None]]:
        """The distinct (issuer, issuer code) of the stored headers, as the
        stored resolution recorded them."""
        return [(str(a), b) for a, b in self._tuples("SELECT DISTINCT issuer, issuer_code FROM graph_bodies")]

    def ids_named_by(self, doc_ids: Iterable[int]) -> set[str]:
        """The ids the given texts name: the sources and targets of the
        relations they assert and the ids they cite (what
        :meth:`graph_text_names` reads of their resolution)."""
        out: set[str] = set()
        for chunk, where in self._id_chunks(list(doc_ids)):
            for source, target in self._tuples("SELECT source, target FROM relations" + where("doc_id"), chunk):
                out.add(str(source))
                out.add(str(target))
            out.update(str(r[0]) for r in self._tuples(
                "SELECT DISTINCT ref_id FROM refs" + where("doc_id", "ref_id IS NOT NULL"), chunk))
        return out

    def relations_of(self, doc_ids: Iterable[int]) -> list[RelationRow]:
        """The relations the given texts assert, in store order."""
        out: list[RelationRow] = []
        for chunk, where in self._id_chunks(list(doc_ids)):
            out.extend(RelationRow(*r) for r in self._tuples(
                f"SELECT {_RELATION_COLUMNS} FROM relations" + where("doc_id"), chunk))
        out.sort(key=_relation_order)
        return out

    def graph_signatures(self, ids: Iterable[str]) -> dict[str, str]:
        """id → the signature of its candidates when last resolved."""
        return {str(i): str(sig) for i, sig in self._select_in("SELECT id, signature FROM graph_ids", "id", ids)}

    def write_graph_ids(self, ids: Sequence[str], signatures: dict[str, str], nodes: Iterable[NodeRow],
                        known: dict[str, str] | None = None, kept: Collection[str] = ()) -> None:
        """Replace the nodes of ``ids`` and record their signatures (of a key
        given twice, the first node). ``known``: the signatures stored now,
        when the caller read them; ``kept``: keys of nodes of ``ids`` that
        stay as stored. Only what differs is written: most ids written again
        have the nodes and signature they had."""
        new: dict[str, NodeRow] = {}
        for node in nodes:
            new.setdefault(node.key, node)
        # The keys first (from the index on id), then the rows of those made
        # anew: the kept are most of the rows of a much reused number.
        keys = {str(r[0]) for r in self._select_in("SELECT key FROM graph_nodes", "id", ids)}
        stored = {str(r[0]): NodeRow(*r) for r in self._select_in(
            f"SELECT {_NODE_COLUMNS} FROM graph_nodes", "key", keys & new.keys())}
        self._delete_in("graph_nodes", "key",
                        [k for k in keys if k not in kept and (k not in new or new[k] != stored.get(k))])
        self._insert_rows(
            "INSERT INTO graph_ids (id, signature) VALUES (?,?)"
            " ON CONFLICT (id) DO UPDATE SET signature = excluded.signature",
            sorted((i, sig) for i, sig in signatures.items() if known is None or known.get(i) != sig))
        self._insert_rows(f"INSERT INTO graph_nodes ({_NODE_COLUMNS}) VALUES ({_marks(list(NodeRow._fields))})",
                          [row for key, row in new.items() if stored.get(key) != row])

    def delete_graph_edges(self, doc_ids: Iterable[int] = (), *, ends: Iterable[str] = ()) -> None:
        """Forget the resolved relations asserted by ``doc_ids`` and those whose
        source or target is one of ``ends``."""
        for chunk, where in self._id_chunks(list(doc_ids)):
            self.conn.execute("DELETE FROM graph_edges" + where("doc_id"), chunk)
        ends = set(ends)  # read twice
        for column in ("target", "source"):
            self._delete_in("graph_edges", column, ends)

    def relations_dated(self, pairs: Sequence[tuple[str, str]]) -> list[RelationRow]:
        """The relations whose (target, target date) is one of ``pairs``
        (dates in ISO form), in store order."""
        out: list[RelationRow] = []
        for ids, chunk in _pair_chunks(pairs):
            values, params = _value_rows(chunk)
            out.extend(RelationRow(*r) for r in self._tuples(
                f"SELECT {_RELATION_COLUMNS} FROM relations WHERE target IN ({_marks(ids)})"
                f" AND (target, target_date) IN ({values})", [*ids, *params]))
        out.sort(key=_relation_order)
        return out

    def relation_target_counts(self, ids: Iterable[str]) -> list[tuple[str, str | None, int, int]]:
        """(target, target date in ISO form or None, how many, how many of
        them with that id as source too) of the relations whose target is
        one of ``ids``, per date they give it."""
        return [(str(t), when, int(n), int(same)) for t, when, n, same in self._select_in(
            "SELECT target, target_date, count(*), sum(CASE WHEN source = target THEN 1 ELSE 0 END) FROM relations",
            "target", ids, " GROUP BY target, target_date")]

    def relation_sources(self, ids: Iterable[str]) -> list[tuple[int, str, str, str | None]]:
        """(text, source, target, target date in ISO form or None) of each
        relation whose source is one of ``ids``, in no order: what deciding
        which of them to resolve again reads, without their sentences (most
        are the ids' own texts', and are not read further)."""
        # A few ids name most of these rows: one string for each (a settle
        # holds hundreds of thousands of them in a large store).
        one: dict[str, str] = {}
        return [(int(d), one.setdefault(s, s), one.setdefault(t, t), when) for d, s, t, when in self._select_in(
            "SELECT doc_id, source, target, target_date FROM relations", "source", ids)]

    def relations_targeted(self, pairs: Iterable[tuple[str, str | None]]) -> list[RelationRow]:
        """The relations whose (target, target date in ISO form) is one of
        ``pairs``, in store order; a date of None stands for the relations
        giving none."""
        pairs = set(pairs)
        out = self.relations_dated([(t, d) for t, d in pairs if d is not None])
        out += [RelationRow(*r) for r in self._select_in(
            f"SELECT {_RELATION_COLUMNS} FROM relations", "target", {t for t, d in pairs if d is None},
            " AND target_date IS NULL")]
        out.sort(key=_relation_order)
        return out

    def graph_text_names(self, doc_ids: Iterable[int]) -> set[str]:
        """The ids the stored resolution of the given texts' relations and
        citations names (as it was last resolved)."""
        out: set[str] = set()
        for chunk, where in self._id_chunks(list(doc_ids)):
            for source, target in self._tuples("SELECT source, target FROM graph_edges" + where("doc_id"), chunk):
                out.add(str(source))
                out.add(str(target))
            out.update(str(r[0]) for r in self._tuples("SELECT ref_id FROM graph_citations" + where("doc_id"), chunk))
        return out

    def delete_graph_edges_to(self, ids: Iterable[str]) -> None:
        """Forget the resolved relations whose target is one of ``ids``."""
        self._delete_in("graph_edges", "target", ids)

    def rename_graph_keys(self, renames: Iterable[tuple[str, str, str]]) -> None:
        """Give the resolved relations and citations of an id that chose the
        key ``old`` the key ``new`` instead, per (id, old, new)."""
        rows = [(new, i, old) for i, old, new in renames]
        update = self._update_many
        self.conn.executemany(f"{update} graph_edges SET target_key = ? WHERE target = ? AND target_key = ?", rows)
        self.conn.executemany(f"{update} graph_edges SET source_key = ? WHERE source = ? AND source_key = ?", rows)
        self.conn.executemany(f"{update} graph_citations SET key = ? WHERE ref_id = ? AND key = ?", rows)

    def delete_graph_edges_dated(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Forget the resolved relations whose (target, target date) is one of ``pairs``."""
        # One statement per target and its dates: the index on the target
        # leads to its relations once, not once per date (a document cited
        # by thousands of texts, with a few dozen dates, is common).
        by_target: dict[str, list[str]] = {}
        for target, when in sorted(set(pairs)):
            by_target.setdefault(target, []).append(when)
        for target, dates in by_target.items():
            for part in _read_chunks(dates):
                self.conn.execute(f"DELETE FROM graph_edges WHERE target = ? AND target_date IN ({_marks(part)})",
                                  [target, *part])

    def delete_graph_edges_targeted(self, pairs: Iterable[tuple[str, str | None]]) -> None:
        """Forget the resolved relations whose (target, target date) is one
        of ``pairs``; a date of None stands for the relations giving none."""
        pairs = set(pairs)
        self.delete_graph_edges_dated((i, d) for i, d in pairs if d is not None)
        self.conn.executemany("DELETE FROM graph_edges WHERE target = ? AND target_date IS NULL",
                              sorted((i,) for i, d in pairs if d is None))

    def set_graph_target_keys(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Give the resolved relations whose (target, target date) is the
        second and third of each (key, target, date) of ``rows`` that key as
        their target's (a date of None: those giving none)."""
        rows = set(rows)
        update = self._update_many
        # Only the rows whose key changes are written: most already have it
        # (a namesake arriving leaves the keys of the others as they were).
        self.conn.executemany(f"{update} graph_edges SET target_key = ?"
                              " WHERE target = ? AND target_date = ? AND target_key <> ?",
                              sorted((k, t, d, k) for k, t, d in rows if d is not None))
        self.conn.executemany(f"{update} graph_edges SET target_key = ?"
                              " WHERE target = ? AND target_date IS NULL AND target_key <> ?",
                              sorted((k, t, k) for k, t, d in rows if d is None))

    def set_graph_source_keys(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Give the resolved relations asserted by a text with a source, per
        (key, doc_id, source), that key as their source's. Their copies of
        the source node's values are refreshed apart
        (:meth:`refresh_graph_edge_sources`)."""
        self.conn.executemany(f"{self._update_many} graph_edges SET source_key = ?"
                              " WHERE doc_id = ? AND source = ? AND source_key <> ?",
                              sorted((k, doc_id, source, k) for k, doc_id, source in set(rows)))

    def set_graph_citation_keys(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Give the resolved citations of an id with a date, per (key, id,
        date), that key (a date of None: those giving none)."""
        rows = set(rows)
        update = self._update_many
        # As for the relations: only the citations whose key changes are written.
        self.conn.executemany(f"{update} graph_citations SET key = ? WHERE ref_id = ? AND date = ? AND key <> ?",
                              sorted((k, t, d, k) for k, t, d in rows if d is not None))
        self.conn.executemany(f"{update} graph_citations SET key = ? WHERE ref_id = ? AND date IS NULL AND key <> ?",
                              sorted((k, t, k) for k, t, d in rows if d is None))

    def write_graph_edges(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Store resolved relations: a :class:`RelationRow`'s values, then the
        source's and target's keys, the page of the sentence and the path of
        the asserting text. Each gets its source node's grouping values
        (:data:`_SOURCE_COLUMNS`) from the stored nodes, which are written
        first."""
        edges = list(rows)
        if not edges:
            return
        empty = (None,) * len(_SOURCE_COLUMNS)
        nodes = {str(r[0]): tuple(r[1:]) for r in self._select_in(
            f"SELECT key, {', '.join(_SOURCE_NODE_COLUMNS)} FROM graph_nodes", "key", {e[8] for e in edges})}
        columns = f"{_RELATION_COLUMNS}, source_key, target_key, page, path, {', '.join(_SOURCE_COLUMNS)}"
        values = [(*e, *nodes.get(e[8], empty)) for e in edges]
        if self.server:  # a statement per row cost more than the row
            self.conn.copy_rows("graph_edges", columns.split(", "), values)
            return
        self.conn.executemany(
            f"INSERT INTO graph_edges ({columns}) VALUES ({','.join('?' * (12 + len(_SOURCE_COLUMNS)))})", values)

    def refresh_graph_edge_sources(self, ids: Iterable[str]) -> None:
        """Copy again into the resolved relations whose source is one of
        ``ids`` their source node's grouping values (after those nodes were
        written again: a date, a body or a key may have changed; None when
        the node is no longer stored)."""
        sets = ", ".join(_SOURCE_COLUMNS)
        values = ", ".join(f"n.{c}" for c in _SOURCE_NODE_COLUMNS)
        # Only the rows whose copy differs are written: most nodes written
        # again are as they were, and each row rewritten costs its pages.
        for part in _read_chunks(sorted(set(ids))):
            if self.server:
                self.conn.execute(
                    f"UPDATE graph_edges g SET ({sets}) = ({values}) FROM graph_nodes n"
                    f" WHERE n.key = g.source_key AND g.source IN ({_marks(part)})"
                    f" AND ({sets}) IS DISTINCT FROM ({values})", part)
                nulls = ", ".join("NULL" for _ in _SOURCE_COLUMNS)
                self.conn.execute(
                    f"UPDATE graph_edges g SET ({sets}) = ({nulls}) WHERE g.source IN ({_marks(part)})"
                    " AND NOT EXISTS (SELECT 1 FROM graph_nodes n WHERE n.key = g.source_key)"
                    f" AND ({sets}) IS DISTINCT FROM ({nulls})", part)
            else:
                node = f"(SELECT {values} FROM graph_nodes n WHERE n.key = graph_edges.source_key)"
                self.conn.execute(
                    f"{self._update_many} graph_edges SET ({sets}) = {node} WHERE source IN ({_marks(part)})"
                    f" AND ({sets}) IS NOT {node}", part)

    def resolved_edges(self, column: str, ids: Iterable[str], types: Iterable[str] | None = None
                       ) -> list[ResolvedEdgeRow]:
        """The stored resolutions of the relations whose ``column`` (``source``
        or ``target``) is one of ``ids``, of ``types`` (all when None), in store
        order, with the asserting text's path."""
        if column not in ("source", "target"):
            raise ValueError(column)
        kinds = list(types or ())
        type_clause = f" AND g.type IN ({_marks(kinds)})" if kinds else ""
        # The node at the other end comes with each row (an implementer with
        # its edge): one round trip a chunk.
        other = "source_key" if column == "target" else "target_key"
        out = [ResolvedEdgeRow(*r) for r in self._select_in(
            f"SELECT {_RESOLVED_COLUMNS}, {_OTHER_NODE_COLUMNS} FROM graph_edges g"
            f" LEFT JOIN graph_nodes n ON n.key = g.{other}", f"g.{column}", ids, type_clause, kinds)]
        out.sort(key=_resolved_order)
        return out

    def resolved_nodes(self, keys: Iterable[str]) -> list[NodeRow]:
        """The stored nodes with the given keys (those that are stored)."""
        return [NodeRow(*r) for r in self._select_in(f"SELECT {_NODE_COLUMNS} FROM graph_nodes", "key", keys)]

    # -- stored resolution of citations ----------------------------------------------------
    # Which document each citation (a refs row with an id) means, written by
    # docsearch.graph.stored with the relations' resolution and kept up to
    # date by the same settle; read by a document's profile, who mentions it
    # and its page, with indexed lookups on the chosen key.

    def citations_to_resolve(self, doc_ids: Iterable[int]) -> list[CitationRef]:
        """Every citation with an id in the given texts, by text and offset."""
        out: list[CitationRef] = []
        for chunk, where in self._id_chunks(list(doc_ids)):
            out.extend(CitationRef(*r) for r in self._tuples(
                _CITATION_REFS + where("doc_id", "ref_id IS NOT NULL"), chunk))
        out.sort(key=_citation_order)
        return out

    def citations_naming(self, ids: Iterable[str]) -> list[CitationRef]:
        """Every citation of one of ``ids``, by text and offset."""
        out = [CitationRef(*r) for r in self._select_in(_CITATION_REFS, "ref_id", ids)]
        out.sort(key=_citation_order)
        return out

    def delete_graph_citations(self, doc_ids: Iterable[int] = (), *, ids: Iterable[str] = ()) -> None:
        """Forget the resolved citations of the texts ``doc_ids`` and those of ``ids``;
        everything when both are None."""
        for chunk, where in self._id_chunks(list(doc_ids)):
            self.conn.execute("DELETE FROM graph_citations" + where("doc_id"), chunk)
        self._delete_in("graph_citations", "ref_id", ids)

    def citations_dated(self, pairs: Sequence[tuple[str, str]]) -> list[CitationRef]:
        """Every citation giving an (id, date in ISO form) of ``pairs``, by text and offset."""
        out: list[CitationRef] = []
        for ids, chunk in _pair_chunks(pairs):
            values, params = _value_rows(chunk)
            out.extend(CitationRef(*r) for r in self._tuples(
                _CITATION_REFS + f" WHERE ref_id IN ({_marks(ids)}) AND (ref_id, date) IN ({values})",
                [*ids, *params]))
        out.sort(key=_citation_order)
        return out

    def citation_counts(self, ids: Iterable[str]) -> list[tuple[str, str | None, int]]:
        """(id, date in ISO form or None, how many) of the citations of ``ids``,
        per date they give (None: those giving none)."""
        return [(str(i), when, int(n)) for i, when, n in self._select_in(
            "SELECT ref_id, date, count(*) FROM refs", "ref_id", ids, " GROUP BY ref_id, date")]

    def citations_giving(self, pairs: Iterable[tuple[str, str | None]]) -> list[CitationRef]:
        """Every citation giving an (id, date in ISO form) of ``pairs``, by
        text and offset; a date of None stands for the citations giving none."""
        pairs = set(pairs)
        out = self.citations_dated([(i, d) for i, d in pairs if d is not None])
        out += [CitationRef(*r) for r in self._select_in(
            _CITATION_REFS, "ref_id", {i for i, d in pairs if d is None}, " AND date IS NULL")]
        out.sort(key=_citation_order)
        return out

    def delete_graph_citations_at(self, places: Iterable[tuple[int, int]]) -> None:
        """Forget the resolved citations at the given (doc_id, ord)."""
        rows = sorted(set(places))
        if self.server and rows:  # one statement, not one per row
            self.conn.execute("DELETE FROM graph_citations c USING unnest(?::bigint[], ?::int[]) AS v(doc_id, ord)"
                              " WHERE c.doc_id = v.doc_id AND c.ord = v.ord", ([d for d, _ in rows], [o for _, o in rows]))
            return
        self.conn.executemany("DELETE FROM graph_citations WHERE doc_id = ? AND ord = ?", rows)

    def reset_graph_citations(self) -> None:
        """Forget every resolved citation (before a full resolution)."""
        self.conn.execute("DELETE FROM graph_citations")

    def write_graph_citations(
            self, rows: Iterable[tuple[int, int, str, str, int, int, str | None, str | None]]) -> None:
        """Store resolved citations: (doc_id, ord, id, key chosen, offset, page,
        date, issuing body), the last two as the citation's refs row gives them."""
        if self.server:  # a statement per row cost more than the row
            self.conn.copy_rows("graph_citations", ("doc_id", "ord", "ref_id", "key", "start", "page", "date",
                                                    "issuer"), rows)
            return
        self.conn.executemany(
            "INSERT INTO graph_citations (doc_id, ord, ref_id, key, start, page, date, issuer)"
            " VALUES (?,?,?,?,?,?,?,?)", rows)

    # -- bases of choices among namesakes (docsearch.graph.resolve.BasisKey) --------------
    def write_graph_bases(self, bases: dict[tuple[str, int, str, int, int, str], str]) -> None:
        """Keep the basis of each mention's choice among namesakes, by its key
        (id, text, kind, span start, span end, place named), replacing what
        was kept for that mention."""
        self._insert_rows(
            "INSERT INTO graph_bases (ref_id, doc_id, kind, span_start, span_end, place, basis)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT (ref_id, doc_id, kind, span_start, span_end, place)"
            " DO UPDATE SET basis = excluded.basis", [(*key, basis) for key, basis in sorted(bases.items())])

    def graph_bases_of(self, ids: Iterable[str], kind: str) -> dict[tuple[str, int, str, int, int, str], str]:
        """The kept bases of the mentions of ``ids`` of one kind ("r": the
        ends of relations, "c": citations), by key."""
        return self._bases("ref_id", ids, kind)

    def _bases(self, column: str, keys: Iterable[Any], kind: str) -> dict[tuple[str, int, str, int, int, str], str]:
        return {(str(r[0]), int(r[1]), str(r[2]), int(r[3]), int(r[4]), str(r[5])): str(r[6])
                for r in self._select_in("SELECT ref_id, doc_id, kind, span_start, span_end, place, basis"
                                         " FROM graph_bases", column, keys, " AND kind = ?", [kind])}

    def delete_graph_bases(self, doc_ids: Iterable[int]) -> None:
        """Forget the bases kept for the mentions in the texts ``doc_ids``."""
        for chunk, where in self._id_chunks(list(doc_ids)):
            self.conn.execute("DELETE FROM graph_bases" + where("doc_id"), chunk)

    def graph_bases_in(self, doc_ids: Iterable[int], kind: str) -> dict[tuple[str, int, str, int, int, str], str]:
        """The kept bases of one kind of the mentions in the texts ``doc_ids``, by key."""
        return self._bases("doc_id", doc_ids, kind)

    def graph_edge_keys(self, doc_ids: Iterable[int]) -> dict[tuple[Any, ...], tuple[str, str]]:
        """The (source key, target key) of each resolved relation the texts
        ``doc_ids`` assert, by the relation's values (:func:`edge_identity`)."""
        return {tuple(r[:7]): (str(r[7]), str(r[8])) for r in self._select_in(
            "SELECT doc_id, source, target, type, evidence_start, evidence_end, target_date, source_key, target_key"
            " FROM graph_edges", "doc_id", doc_ids)}

    def delete_graph_edges_of(self, identities: Iterable[tuple[Any, ...]]) -> None:
        """Forget the resolved relations with the given values (:func:`edge_identity`)."""
        rows = sorted(set(identities), key=repr)
        if self.server and rows:  # one statement, not one per row
            self.conn.execute(
                "DELETE FROM graph_edges g USING unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::int[],"
                " ?::int[], ?::text[]) AS v(doc_id, source, target, type, evidence_start, evidence_end, target_date)"
                " WHERE g.doc_id = v.doc_id AND g.source = v.source AND g.target = v.target AND g.type = v.type"
                " AND g.evidence_start = v.evidence_start AND g.evidence_end = v.evidence_end"
                " AND g.target_date IS NOT DISTINCT FROM v.target_date",
                [list(column) for column in zip(*rows, strict=True)])
            return
        # The text's few relations by the index on doc_id. Without statistics
        # SQLite would take the index on the target and walk every relation
        # naming it, once per row: for a much-cited document (52,884 relations
        # name 18-NQ/TW in a store of 100,000 generated texts) that made the
        # ingest's settles grow with the square of the store. The unary pluses
        # leave it the index on doc_id; PostgreSQL plans from its statistics.
        sql = ("DELETE FROM graph_edges WHERE doc_id = ? AND +source = ? AND +target = ? AND type = ?"
               " AND evidence_start = ? AND evidence_end = ? AND target_date ")
        self.conn.executemany(sql + "= ?", [r for r in rows if r[6] is not None])
        self.conn.executemany(sql + "IS NULL", [r[:6] for r in rows if r[6] is None])

    def graph_citation_keys(self, ids: Iterable[str]) -> dict[tuple[int, int], str]:
        """The key each resolved citation of ``ids`` has, by (doc_id, ord)."""
        return {(int(r[0]), int(r[1])): str(r[2]) for r in self._select_in(
            "SELECT doc_id, ord, key FROM graph_citations", "ref_id", ids)}

    def cited_facts(self, key: str) -> list[CitedFact]:
        """The citations resolved to the node ``key`` that give a date or an
        issuing body, with the citing text's path, by text and offset."""
        rows = self._tuples(
            # The date and issuer are the refs row's, copied when the citation was stored.
            "SELECT c.doc_id, c.start, c.date, c.issuer, d.path, c.page FROM graph_citations c"
            " JOIN documents d ON d.doc_id = c.doc_id"
            " WHERE c.key = ? AND (c.date IS NOT NULL OR c.issuer IS NOT NULL)"
            " ORDER BY c.doc_id, c.start, c.ord", (key,))
        return [CitedFact(*r) for r in rows]

    def cited_mentions(self, key: str, target: str, *, limit: int | None = None) -> list[CitedMention]:
        """The first citation resolved to the node ``key`` in each text that
        asserts no relation pointing at that node (of the id ``target``), by
        text: what "mentioned in" lists. ``limit`` texts at most."""
        rows = self._tuples(
            'SELECT c.doc_id, d.path, c.page, r.text, c.start FROM graph_citations c'
            " JOIN refs r ON r.doc_id = c.doc_id AND r.ord = c.ord"
            " JOIN documents d ON d.doc_id = c.doc_id"
            " WHERE c.key = ? AND c.start = (SELECT min(f.start) FROM graph_citations f"
            " WHERE f.key = c.key AND f.doc_id = c.doc_id)"
            # The texts asserting a relation into the node, gathered once (not asked per citation).
            " AND c.doc_id NOT IN (SELECT g.doc_id FROM graph_edges g WHERE g.target = ? AND g.target_key = ?)"
            " ORDER BY c.doc_id, c.ord" + ("" if limit is None else f" LIMIT {int(limit)}"), (key, target, key))
        out: list[CitedMention] = []
        for r in rows:
            if out and out[-1].doc_id == r[0]:
                continue  # two citations at one offset (a list read twice): the first
            out.append(CitedMention(*r))
        return out

    def resolved_references(self) -> list[tuple[CitationRow, str | None]]:
        """Every reference of every stored text (as :meth:`all_citations`)
        with the key its stored resolution chose (None without an id)."""
        rows = self._tuples(
            'SELECT r.doc_id, r.ord, r.ref_id, r.start, r."end", r.text, r.date, r.year, r.term, r.relation,'
            " r.status, c.key FROM refs r LEFT JOIN graph_citations c ON c.doc_id = r.doc_id AND c.ord = r.ord"
            " ORDER BY r.doc_id, r.ord")
        return [(CitationRow(*r[:11]), r[11]) for r in rows]

    def iter_resolved_edges(self, batch: int = 20000) -> Iterator[list[ResolvedEdgeRow]]:
        """Every stored resolved relation in store order (as :meth:`iter_relations`),
        ``batch`` rows at a time; the other-node columns are left empty."""
        empty = (None,) * len(NodeRow._fields)
        for rows in self._batches(f"SELECT {_RESOLVED_COLUMNS} FROM graph_edges g"
                                  f" ORDER BY {', '.join('g.' + c for c in _RELATIONS_ORDER.split(', '))}", batch):
            yield [ResolvedEdgeRow(*r, *empty) for r in rows]

    def resolved_node_keys(self, ids: Iterable[str]) -> list[str]:
        """The keys of the stored nodes of the given ids."""
        return [str(r[0]) for r in self._select_in("SELECT key FROM graph_nodes", "id", ids)]

    # -- a document's page, read from the stored resolution ------------------------------
    # A central document is implemented and cited by thousands: its page
    # counts them and reads only the rows it shows.

    def incoming_summary(self, target: str, key: str) -> tuple[dict[str, int], int]:
        """Of the stored relations pointing at the node ``key`` (of the id
        ``target``): how many of each type, and how many distinct sources."""
        counts = {str(t): int(n) for t, n in self._tuples(
            "SELECT type, count(*) FROM graph_edges WHERE target = ? AND target_key = ? GROUP BY type",
            (target, key))}
        sources = self.conn.execute(
            "SELECT count(DISTINCT source_key) FROM graph_edges WHERE target = ? AND target_key = ?",
            (target, key)).fetchone()[0]
        return counts, int(sources or 0)

    # A central document's page counts what refers to it and reads whole
    # only the rows it lists: per value of "what the sources say" the count
    # and the first sources, per relation type the first rows.

    def cited_fact_counts(self, key: str, ref_id: str, own: Iterable[int], first: int) -> list[CitedFactCount]:
        """Of the citations resolved to the node ``key`` (of the id ``ref_id``) in texts other than
        ``own``, per date and per issuing body they give (``field`` "date" or
        "issuer", the body as written): how many distinct sources (text and
        page) give it, and the first ``first`` of them (by text, then offset);
        by field, value and place."""
        mine = sorted(set(own))
        self._map_for_reads()

        def skip(alias: str) -> str:
            return f" AND {alias}.doc_id NOT IN ({_marks(mine)})" if mine else ""

        # Each field from its partial index (key, value, text, page, offset,
        # id): the sources of a value are its distinct (text, page) entries,
        # counted in index order without reading a row or sorting them.
        counted = " UNION ALL ".join(
            f"SELECT '{told}', s.value, count(*) FROM (SELECT DISTINCT c.{told} AS value, c.doc_id, c.page"
            f" FROM graph_citations c WHERE c.key = ? AND c.{told} IS NOT NULL AND c.ref_id = ?{skip('c')}) s"
            " GROUP BY s.value" for told in ("date", "issuer"))
        totals = {(str(f), str(v)): int(n) for f, v, n in self._tuples(counted, (key, ref_id, *mine) * 2)}
        if not totals:
            return []
        # The first sources of each value lie in its first ``first`` texts:
        # those texts' entries are read, with each text's path.
        limit = max(0, int(first))
        firsts = " UNION ALL ".join(
            f"SELECT '{told}' AS field, v.value AS value, c.doc_id AS doc_id, c.page AS page, min(c.start) AS start"
            f" FROM (SELECT DISTINCT c.{told} AS value FROM graph_citations c"
            f" WHERE c.key = ? AND c.{told} IS NOT NULL AND c.ref_id = ?{skip('c')}) v"
            f" JOIN graph_citations c ON c.key = ? AND c.{told} = v.value AND c.ref_id = ? AND c.doc_id IN ("
            f"SELECT f.doc_id FROM graph_citations f WHERE f.key = ? AND f.{told} = v.value AND f.ref_id = ?"
            f"{skip('f')} GROUP BY f.doc_id ORDER BY f.doc_id LIMIT {limit})"
            " GROUP BY v.value, c.doc_id, c.page" for told in ("date", "issuer"))
        rows = self._tuples(
            f"SELECT x.field, x.value, d.path, x.page, x.doc_id, x.start FROM ({firsts}) x"
            " JOIN documents d ON d.doc_id = x.doc_id",
            (key, ref_id, *mine, key, ref_id, key, ref_id, *mine) * 2)
        by_value: dict[tuple[str, str], list[tuple[int, int, str, int]]] = {}
        for told, value, path, page, doc_id, start_at in rows:
            place = (int(doc_id), int(start_at), str(path), int(page))
            by_value.setdefault((str(told), str(value)), []).append(place)
        out: list[CitedFactCount] = []
        for (told, value), sources in sorted(by_value.items()):
            sources.sort()
            out.extend(CitedFactCount(told, value, path, page, doc_id, n, totals[(told, value)])
                       for n, (doc_id, _, path, page) in enumerate(sources[:limit], 1))
        return out

    def cited_fact_sources(self, key: str, own: Iterable[int], issuers: Iterable[str]) -> list[CitedFact]:
        """The citations resolved to the node ``key`` in texts other than
        ``own`` that name one of ``issuers`` (as written), by text and offset."""
        mine = sorted(set(own))
        names = sorted(set(issuers))
        if not names:
            return []
        # From the index of the bodies citations give, without their refs rows.
        rows = self._tuples(
            "SELECT c.doc_id, c.start, c.date, c.issuer, d.path, c.page FROM graph_citations c"
            " JOIN documents d ON d.doc_id = c.doc_id"
            f" WHERE c.key = ? AND c.issuer IN ({_marks(names)})"
            + (f" AND c.doc_id NOT IN ({_marks(mine)})" if mine else "")
            + " ORDER BY c.doc_id, c.start, c.ord", (key, *names, *mine))
        return [CitedFact(*r) for r in rows]

    def mentions_counted(self, key: str, target: str, own: Iterable[int], limit: int
                         ) -> tuple[list[CitedMention], int]:
        """The texts other than ``own`` that :meth:`cited_mentions` lists: the
        first ``limit`` (at least one) with their first citation of the node,
        and how many there are."""
        mine = sorted(set(own))
        # The texts citing the node, each once in index order, less those
        # asserting a relation into it (gathered once for the count and the
        # list alike); the count comes with each of the first texts.
        rows = self._tuples(
            "SELECT c.doc_id, d.path, c.page, r.text, c.start, f.total FROM ("
            " SELECT m.doc_id, count(*) OVER () AS total FROM"
            " (SELECT DISTINCT doc_id FROM graph_citations WHERE key = ?) m"
            " WHERE m.doc_id NOT IN (SELECT g.doc_id FROM graph_edges g WHERE g.target = ? AND g.target_key = ?)"
            + (f" AND m.doc_id NOT IN ({_marks(mine)})" if mine else "")
            + f" ORDER BY m.doc_id LIMIT {max(1, int(limit))}) f"
            " JOIN graph_citations c ON c.key = ? AND c.doc_id = f.doc_id"
            " JOIN refs r ON r.doc_id = c.doc_id AND r.ord = c.ord"
            " JOIN documents d ON d.doc_id = c.doc_id"
            " WHERE c.start = (SELECT min(x.start) FROM graph_citations x WHERE x.key = c.key AND x.doc_id = c.doc_id)"
            " ORDER BY c.doc_id, c.ord", (key, target, key, *mine, key))
        out: list[CitedMention] = []
        for r in rows:
            if out and out[-1].doc_id == r[0]:
                continue  # two citations at one offset (a list read twice): the first
            out.append(CitedMention(*r[:5]))
        return out, int(rows[0][5]) if rows else 0

    def incoming_first(self, target: str, key: str, kind: str, limit: int) -> list[ResolvedEdgeRow]:
        """The first ``limit`` stored relations of type ``kind`` pointing at the
        node ``key``, ordered by the source's date (undated last), key, then
        store order; with the source node."""
        # The (source, text) pairs of the first ``limit`` relations in that
        # order, from the index alone with each relation's copy of its
        # source's date (no node read); then every row of those pairs is read
        # whole and the first ``limit`` kept (a pair's other rows, past the
        # cut, sort by their sentence among themselves).
        order = "CASE WHEN g.source_date IS NULL THEN 1 ELSE 0 END, g.source_date, g.source_key, g.doc_id"
        rows = self._tuples(
            f"SELECT {_RESOLVED_COLUMNS}, {_OTHER_NODE_COLUMNS} FROM graph_edges g"
            " LEFT JOIN graph_nodes n ON n.key = g.source_key"
            " WHERE g.target = ? AND g.type = ? AND g.target_key = ? AND (g.source_key, g.doc_id) IN ("
            " SELECT g.source_key, g.doc_id FROM graph_edges g WHERE g.target = ? AND g.type = ? AND g.target_key = ?"
            f" ORDER BY {order} LIMIT {int(limit)})"
            f" ORDER BY {order}, g.evidence_start, g.evidence_end, g.source, g.target LIMIT {int(limit)}",
            (target, kind, key, target, kind, key))
        return [ResolvedEdgeRow(*r) for r in rows]

    def implementer_nodes(self, target: str, key: str, types: Iterable[str]) -> list[ImplementerRow]:
        """Each distinct source of a stored relation of ``types`` pointing at
        the node ``key``, with what grouping it by issuer and date needs."""
        return [ImplementerRow(r[0], None if r[1] is None else r[0], *r[1:])
                for r in self.implementer_tuples(target, key, types)]

    def implementer_tuples(self, target: str, key: str, types: Iterable[str]) -> list[tuple[Any, ...]]:
        """:meth:`implementer_nodes` as plain tuples, each source once: its key,
        then its node's id (None when the node is not stored), date (ISO),
        issuer, issuer source and number code. A page groups ten thousand of
        them, and making each a named tuple would cost it about 10 ms."""
        kinds = list(types)
        if not kinds:
            return []
        self._map_for_reads()
        # Each relation's copy of its source node's values, from the target's
        # entries in one index (no node read). A source asserting several
        # relations comes once per relation, with the same values: the copies
        # are made one per source here, which costs less than a DISTINCT (a
        # temporary B-tree) and, unless most sources assert three relations
        # or more, less than a GROUP BY in index order (SQLite compares every
        # column of every row).
        rows = self._tuples(
            "SELECT source_key, source_id, source_date, source_issuer, source_issuer_source, source_issuer_code"
            f" FROM graph_edges WHERE target = ? AND target_key = ? AND type IN ({_marks(kinds)})",
            (target, key, *kinds))
        return list({r[0]: r for r in rows}.values())

    def implementer_edges(self, target: str, key: str, types: Iterable[str],
                          sources: Iterable[str]) -> list[ResolvedEdgeRow]:
        """The stored relations of ``types`` from the nodes ``sources`` to the
        node ``key``, in store order, with the source node."""
        kinds = list(types)
        out = [ResolvedEdgeRow(*r) for r in self._select_in(
            f"SELECT {_RESOLVED_COLUMNS}, {_OTHER_NODE_COLUMNS} FROM graph_edges g"
            " LEFT JOIN graph_nodes n ON n.key = g.source_key", "g.source_key", sources,
            f" AND g.target = ? AND g.target_key = ? AND g.type IN ({_marks(kinds)})", (target, key, *kinds))]
        out.sort(key=_resolved_order)
        return out

    # -- graph answers read in one statement: implements ------------------------------------
    # The rows a query shows, already joined and in store order: an
    # implementers list of 10,000 documents is 13,000 rows.

    def _map_for_reads(self) -> None:
        """Let SQLite read this connection's pages through a memory map
        rather than a system call and a copy each: a graph query reads
        tens of thousands of rows scattered over the file, and does so in
        about half the CPU time mapped. Set on the first such query only
        (writers, such as an ingest, keep SQLite's default)."""
        if not self.server and not self._mapped:
            self.conn.execute(f"PRAGMA mmap_size = {MAPPED_READ_BYTES}")
            self._mapped = True

    def implementing_rows(self, targets: Iterable[str], types: Iterable[str]) -> list[ResolvedEdgeRow]:
        """The stored relations of ``types`` whose target id is one of
        ``targets``, each with its source's node, in store order per target
        (ordered by the database: a target's rows are all in one chunk)."""
        kinds = list(types)
        if not kinds:
            return []
        self._map_for_reads()
        rows: list[ResolvedEdgeRow] = []
        make = ResolvedEdgeRow._make
        for part in _read_chunks(sorted(set(targets))):
            rows.extend(map(make, self._tuples(
                f"SELECT {_RESOLVED_COLUMNS}, {_OTHER_NODE_COLUMNS} FROM graph_edges g"
                " LEFT JOIN graph_nodes n ON n.key = g.source_key"
                f" WHERE g.target IN ({_marks(part)}) AND g.type IN ({_marks(kinds)})"
                " ORDER BY g.doc_id, g.evidence_start, g.evidence_end, g.source, g.target, g.type",
                [*part, *kinds])))
        return rows

    def implementing_tuples(self, keys: Mapping[str, str], types: Iterable[str]
                            ) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """The stored relations of ``types`` pointing at the ids of the nodes
        ``keys`` (each key with its id), each with its source's node, in the
        order an implementers list shows them: by target key, then by the
        source node's date (undated last) and key, then in store order. Per
        chunk of ids, the key that a None target stands for and the rows as
        plain tuples. Relations pointing at another node of those ids (a
        namesake not asked for) come too, for the caller to leave: filtering
        them here would make SQLite look up every pair of id and key.

        Each row holds only what the implementer, its node and its edge need,
        in the order of :class:`ImplementingRow` (the class names the columns;
        the rows are not made into it, which costs a tenth of the query);
        what a row would repeat is None instead (a value not made is the
        cheapest): the target when it is the chunk's first key, the node's
        id when it is its key, its text ids and paths when they are the
        asserting text's alone, its candidates when there are none. A
        source whose node is not stored has ``n_ambiguous`` None."""
        kinds = list(types)
        if not kinds:
            return
        self._map_for_reads()
        by_id: dict[str, list[str]] = {}
        for key, doc_id in keys.items():
            by_id.setdefault(doc_id, []).append(key)
        for part in _read_chunks(sorted(by_id)):
            first = min(by_id[part[0]])
            yield first, self._tuples(
                f"SELECT {_IMPLEMENTING_COLUMNS} FROM graph_edges g LEFT JOIN graph_nodes n ON n.key = g.source_key"
                f" WHERE g.target IN ({_marks(part)}) AND g.type IN ({_marks(kinds)})"
                " ORDER BY g.target_key, n.date IS NULL, n.date, g.source_key,"
                " g.doc_id, g.evidence_start, g.evidence_end, g.source, g.target, g.type",
                [first, *part, *kinds])

    # -- graph answers read in one statement: the coverage matrix --------------------------

    def matrix_rows(self, levels: Iterable[str], types: Iterable[str], named_sources: Iterable[str]
                    ) -> list[MatrixEdgeRow]:
        """The stored relations of ``types`` whose target node is at one of
        ``levels`` and whose source node names its issuer (its
        ``issuer_source`` is one of ``named_sources``) and is not at
        ``levels`` itself: which cell of the coverage matrix each falls in,
        and no more (:meth:`implementing_rows` reads a cell's in full). A
        relation whose source node is not stored comes too (``issuer`` and
        ``source_id`` None), for the caller to judge."""
        wanted, kinds, named = list(levels), list(types), list(named_sources)
        if not wanted or not kinds:
            return []
        self._map_for_reads()
        rows = self._tuples(
            "SELECT g.target, g.target_key, g.source_key, n.issuer, n.id FROM graph_nodes c"
            f" JOIN graph_edges g ON g.target = c.id AND g.type IN ({_marks(kinds)}) AND g.target_key = c.key"
            " LEFT JOIN graph_nodes n ON n.key = g.source_key"
            f" WHERE c.level IN ({_marks(wanted)}) AND (n.key IS NULL OR (n.issuer IS NOT NULL"
            f" AND n.issuer_source IN ({_marks(named)}) AND (n.level IS NULL OR n.level NOT IN ({_marks(wanted)}))))",
            [*kinds, *wanted, *named, *wanted])
        return list(map(MatrixEdgeRow._make, rows))


class _Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Any:
        store = self.store
        if store._depth == 0:
            store.conn.execute("BEGIN IMMEDIATE")
        store._depth += 1
        return store.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        store = self.store
        store._depth -= 1
        if store._depth:
            return  # the outer transaction commits or rolls back
        if exc_type is None:
            if store._forget_fulltext_mark:
                # Whatever this transaction wrote, the full-text index may not
                # hold it yet; one statement per transaction, not per row.
                store.conn.execute("DELETE FROM settings WHERE name = ?", (FULLTEXT_IN_STEP,))
            store.conn.execute("COMMIT")
            if store._checkpoints is not None:
                store._checkpoints.due()
        else:
            # When the connection is gone, the server rolls back by itself.
            with suppress(sqlite3.Error, ServerError):
                store.conn.execute("ROLLBACK")


class _Checkpoints:
    """Copies the write-ahead log of an SQLite store into its database file
    on a thread and connection of its own, after each commit of a long run
    of writes (:meth:`Store.bulk_writes`).

    Left to the writing connection, the copy and its two fsyncs ran inside
    every COMMIT that passed SQLite's threshold: about half a second of an
    ingest of 10,000 texts in which the ingesting process, which sets the
    pace, waited on the disk. A passive checkpoint never waits for the
    writer, nor the writer for it; the log starts again from its beginning
    once a checkpoint has copied all of it. Failures only leave the log
    longer: the next checkpoint, or the writer's own once the block ends,
    copies it."""

    def __init__(self, db_path: Path) -> None:
        self._path = db_path
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="docsearch-checkpoints", daemon=True)
        self._thread.start()

    def due(self) -> None:
        """A commit added to the log."""
        self._wanted.set()

    def stop(self) -> None:
        """Copy what is left, then end the thread."""
        self._stopping = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, timeout=0, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                # Read before copying: a stop asked for during a copy wants
                # one more, of what was committed since it began.
                last = self._stopping
                with suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                if last:
                    return
        finally:
            conn.close()


def _split_sql(script: str) -> list[str]:
    # Statements end at ";", except inside a function body ($$ … $$) or a
    # trigger's BEGIN … END, which hold statements of their own.
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending = f"{pending};{piece}" if pending else piece
        statement = pending.strip()
        if not statement:
            pending = ""
            continue
        if statement.count("$$") % 2 or (_TRIGGER.match(statement) and _TRIGGER_BEGIN.search(statement)
                                         and not _TRIGGER_END.search(statement)):
            continue
        out.append(statement)
        pending = ""
    if pending.strip():
        out.append(pending.strip())
    return out


_TRIGGER = re.compile(r"CREATE\s+TRIGGER\b", re.IGNORECASE)
_TRIGGER_BEGIN = re.compile(r"\bBEGIN\b", re.IGNORECASE)
_TRIGGER_END = re.compile(r"\bEND\s*$", re.IGNORECASE)


def _relation(r: sqlite3.Row) -> Relation:
    return Relation(
        source=r["source"], target=r["target"], type=r["type"], evidence=r["evidence"],
        evidence_start=r["evidence_start"], evidence_end=r["evidence_end"],
        target_date=_date(r["target_date"]),
    )


#: The fields of a stored header that :meth:`Store.identity_keys` reads, in its order.
_KEY_FIELDS = ("id", "type", "issuer_code", "date")


def _identity_from_json(raw: str) -> Identity:
    d = json.loads(raw)
    return Identity(
        id=d["id"], type=d.get("type"), issuer=d.get("issuer"), date=_date(d.get("date")),
        issuer_code=d.get("issuer_code"), title=d.get("title"), place=d.get("place"),
    )


# -- rows of the read models for the graph, the site and the web pages ---------------------

#: How many ids go into one ``IN (...)`` list (SQLite limits bound parameters).
READ_CHUNK = 500

#: How many rows a streamed read takes from the database at a time.
STREAM_ROWS = 5000

#: How much of an SQLite store graph queries read through a memory map
#: (SQLite caps it at its own limit, 2 GiB unless built otherwise).
MAPPED_READ_BYTES = 1 << 31

#: The relation columns :class:`RelationRow` holds, in its order.
_RELATION_COLUMNS = "doc_id, source, target, type, evidence, evidence_start, evidence_end, target_date"

# A resolved relation's copy of its source node's grouping values (see
# migration 11), and the node's columns they are copied from, in order.
_SOURCE_COLUMNS = ("source_id", "source_date", "source_issuer", "source_issuer_source", "source_issuer_code")
_SOURCE_NODE_COLUMNS = ("id", "date", "issuer", "issuer_source", "issuer_code")


def _read_chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), READ_CHUNK):
        yield items[i:i + READ_CHUNK]


def _pair_chunks(pairs: Sequence[tuple[Any, Any]]) -> Iterator[tuple[list[Any], list[tuple[Any, Any]]]]:
    """(first values, pairs) of ``pairs`` a few hundred pairs at a time, the
    pairs of one first value together as far as a chunk holds them: a
    statement finds its rows through the index on the first value and keeps
    those of the chunk's pairs (:func:`_value_rows`). Asked as ``a IN (…)
    AND b IN (…)``, it returned every combination of the two lists: 23,500
    relations (25 MB while they were read) for the 328 of the 183 (id, date)
    pairs of one settle, where a much-cited id gives dozens of dates and
    another id's were among them."""
    groups: dict[Any, list[Any]] = {}
    for a, b in sorted(set(pairs)):
        groups.setdefault(a, []).append(b)
    firsts: list[Any] = []
    chunk: list[tuple[Any, Any]] = []
    for a, bs in groups.items():
        if chunk and len(chunk) + len(bs) > READ_CHUNK:
            yield firsts, chunk
            firsts, chunk = [], []
        if len(bs) > READ_CHUNK:
            for part in _read_chunks(bs):
                yield [a], [(a, b) for b in part]
            continue
        firsts.append(a)
        chunk += [(a, b) for b in bs]
    if chunk:
        yield firsts, chunk


def _value_rows(rows: Sequence[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """``rows`` (of one width) as ``VALUES (?, ?), …`` and its parameters:
    for ``(a, b) IN (…)``, which SQLite and PostgreSQL both read, or a table
    to join (:func:`_values`)."""
    row = "(" + ", ".join("?" * len(rows[0])) + ")"
    return f"VALUES {','.join([row] * len(rows))}", [value for r in rows for value in r]


def _values(rows: Sequence[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """``rows`` (of one width) as an SQLite table ``w`` of columns
    ``column1``, ``column2``, …, and its parameters: to join a statement's
    rows row by row, where ``a IN (…) AND b IN (…)`` would ask for every
    combination of the two lists."""
    values, params = _value_rows(rows)
    return f"({values}) AS w", params


def _marks(items: list[Any]) -> str:
    return ",".join("?" * len(items))


class RelationRow(NamedTuple):
    """A stored relation as the graph resolves it (``target_date`` as stored, ISO)."""

    doc_id: int
    source: str
    target: str
    type: str
    evidence: str
    evidence_start: int
    evidence_end: int
    target_date: str | None


#: The refs rows a citation to resolve is made of, in :class:`CitationRef`'s order.
_CITATION_REFS = 'SELECT doc_id, ord, ref_id, start, "end", date, year, term, issuer, issuer_place FROM refs'

#: The columns of a document's tag rows, in the order _ref_rows, _date_rows
#: and _relation_rows make them.
_TAG_COLUMNS = {
    "refs": ("doc_id", "ord", "ref_id", "start", '"end"', "text", "type", "number", "issuer_code", "year", "date",
             "issuer", "short_form", "relation", "status", "candidates", "term", "type_word", "issuer_name",
             "issuer_place", "source", "key"),
    "dates": ("doc_id", "start", '"end"', "text", "date"),
    "relations": ("doc_id", "source", "target", "type", "evidence", "evidence_start", "evidence_end", "target_date"),
    "ocr_pages": ("doc_id", "page", "confidence", "words"),
}
_INSERT_REFS, _INSERT_DATES, _INSERT_RELATIONS, _INSERT_OCR = (
    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})"
    for table, columns in _TAG_COLUMNS.items())


_UPSERT_DOCUMENT = (
    "INSERT INTO documents (path, sha256, size, mtime_ns, format, lang, title, encoding,"
    " text, page_starts, warnings, ingested_at, self_id, self_json, ctime_ns, inode)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (path) DO UPDATE SET sha256=excluded.sha256, size=excluded.size,"
    " mtime_ns=excluded.mtime_ns, format=excluded.format, lang=excluded.lang,"
    " title=excluded.title, encoding=excluded.encoding, text=excluded.text,"
    " page_starts=excluded.page_starts, warnings=excluded.warnings,"
    " ingested_at=excluded.ingested_at, self_id=excluded.self_id, self_json=excluded.self_json,"
    " ctime_ns=excluded.ctime_ns, inode=excluded.inode"
    " RETURNING doc_id")

#: _UPSERT_DOCUMENT on a server, also giving the row's version (see
#: Store.check_written).
_UPSERT_DOCUMENT_VERSION = _UPSERT_DOCUMENT + ", xmin::text"

#: Where path, sha256, lang, title, text, page_starts and self_json are
#: among the values of _UPSERT_DOCUMENT (what the full-text index reads).
_INDEXED_COLUMNS = (0, 1, 5, 6, 8, 9, 13)
#: Where the text is among the values of _UPSERT_DOCUMENT.
_TEXT_COLUMN = 8
#: Where the text is among the values of _INDEXED_COLUMNS.
_INDEXED_TEXT = _INDEXED_COLUMNS.index(_TEXT_COLUMN)
#: _UPSERT_DOCUMENT with, for the text, a text of as many bytes as given
#: (zeros, overwritten by Store._upsert_long).
_UPSERT_DOCUMENT_SIZED = _UPSERT_DOCUMENT.replace(
    " VALUES (" + "?," * _TEXT_COLUMN + "?,", " VALUES (" + "?," * _TEXT_COLUMN + "CAST(zeroblob(?) AS TEXT),")
assert _UPSERT_DOCUMENT_SIZED != _UPSERT_DOCUMENT
#: A text of more characters than this is written to a SQLite store in
#: pieces of TEXT_PIECE_CHARS (see Store._upsert_long).
LONG_TEXT_CHARS = 1_000_000
TEXT_PIECE_CHARS = 1 << 20


def _document_row(r: DocumentRecord, now: str, *, server: bool) -> tuple[Any, ...]:
    """The values of :data:`_UPSERT_DOCUMENT` for one record."""
    identity = (r.tags.self if isinstance(r.tags, TagResult) else r.tags.identity) if r.tags else None
    text = r.text
    if server and "\x00" in text:
        # PostgreSQL text cannot hold NUL; one replacement character keeps
        # every offset the tagger gave.
        text = text.replace("\x00", "\ufffd")
    # The JSON of a list of offsets, and of no warnings, written without the
    # encoder: both are most of the documents of a batch.
    return (r.path, r.sha256, r.size, r.mtime_ns, r.format, r.lang, r.title, r.encoding, text,
            "[" + ", ".join(map(str, map(int, r.page_starts))) + "]",
            json.dumps([said_to_json(w) for w in r.warnings], ensure_ascii=False) if r.warnings else "[]", now,
            identity.id if identity else None,
            json.dumps(identity.to_json(), ensure_ascii=False) if identity else None, r.ctime_ns, r.inode)


def _tag_rows(doc_id: int, tags: TagResult) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]],
                                                      list[tuple[Any, ...]]]:
    """The rows of refs, dates and relations that store ``tags`` of ``doc_id``."""
    return ([_ref_row(doc_id, i, r) for i, r in enumerate(tags.references)],
            [(doc_id, d.start, d.end, d.text, d.date.isoformat()) for d in tags.dates],
            [(doc_id, r.source, r.target, r.type, r.evidence, r.evidence_start, r.evidence_end,
              _iso(r.target_date)) for r in tags.relations])


def _ref_row(doc_id: int, i: int, r: Reference) -> tuple[Any, ...]:
    return (doc_id, i, r.id, r.start, r.end, r.text, r.type, r.number, r.issuer_code, r.year,
            _iso(r.date), r.issuer, int(r.short_form), r.relation, r.status,
            json.dumps(list(r.candidates)) if r.candidates else "[]", r.term, r.type_word, r.issuer_name,
            r.issuer_place, r.source, r.key)


class PackedRows(Sequence[tuple[Any, ...]]):
    """Rows of one table of a long text's tags, held as a few ``marshal``
    blobs of :data:`PACKED_ROWS` rows each, compressed (the same ids, issuers
    and dates come back row after row), instead of a tuple per row.

    Made while the tagger's objects still live, a tuple per row is spread
    among them over the whole heap: once the tagger's objects are freed,
    those rows keep Python's arenas from going back to the system, and with
    them the memory of every finding. Packed, the rows of a text with two
    hundred thousand citations weigh a few MB outside those arenas, and are
    read back a blob at a time as the store writes them."""

    __slots__ = ("_blobs", "_count")

    def __init__(self, blobs: Sequence[bytes], count: int) -> None:
        self._blobs = tuple(blobs)
        self._count = count

    @classmethod
    def of(cls, rows: Iterable[tuple[Any, ...]]) -> PackedRows:
        """``rows`` packed, reading them one blob's worth at a time."""
        blobs: list[bytes] = []
        count = 0
        it = iter(rows)
        while chunk := tuple(itertools.islice(it, PACKED_ROWS)):
            blobs.append(zlib.compress(marshal.dumps(chunk), 1))
            count += len(chunk)
        return cls(blobs, count)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for blob in self._blobs:
            yield from marshal.loads(zlib.decompress(blob))

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self)[i]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return marshal.loads(zlib.decompress(self._blobs[i // PACKED_ROWS]))[i % PACKED_ROWS]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(other) == self._count and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedRows, (self._blobs, self._count))

    def __repr__(self) -> str:
        return f"PackedRows({self._count} rows)"


#: Rows per blob of :class:`PackedRows`.
PACKED_ROWS = 4096


class TagRows(NamedTuple):
    """What the tagger found in one text, as the rows the store writes
    (without the doc_id): the compact form in which an ingest carries tags
    from a worker to the store.

    Plain tuples instead of one object per finding, every repeated value
    (an id, an issuer, a status) held once, and no copy of the text where a
    row's text is a slice of it: ``None`` stands for ``text[start:end]`` (of
    references and dates) and for the stripped sentence
    ``text[evidence_start:evidence_end].strip()`` (of relations). A text
    with a hundred thousand citations is carried in a few times less memory
    than its :class:`~.models.TagResult`, and pickled between processes
    faster.
    """

    identity: Identity | None
    #: ``(id, start, end, text, type, number, issuer_code, year, date,
    #: issuer, short_form, relation, status, candidates, term, type_word,
    #: issuer_name, issuer_place, source, key)``, dates as ISO strings and
    #: candidates as JSON, as the columns of ``refs`` hold them.
    #: Each table is a tuple of rows, or for a text of more than
    #: LONG_TEXT_CHARS characters the same rows packed (:class:`PackedRows`).
    refs: Sequence[tuple[Any, ...]]
    #: ``(start, end, text, date)``.
    dates: Sequence[tuple[Any, ...]]
    #: ``(source, target, type, evidence, evidence_start, evidence_end, target_date)``.
    relations: Sequence[tuple[Any, ...]]

    @classmethod
    def of(cls, tags: TagResult, text: str) -> TagRows:
        """The rows of ``tags``, found in ``text``."""
        gather: Callable[[Iterable[tuple[Any, ...]]], Sequence[tuple[Any, ...]]] = (
            PackedRows.of if len(text) > LONG_TEXT_CHARS else tuple)
        shared: dict[Any, Any] = {}
        one = shared.setdefault  # equal values become one object (and one pickled value)
        refs = gather(
            (one(r.id, r.id), r.start, r.end, None if text[r.start:r.end] == r.text else r.text,
             one(r.type, r.type), one(r.number, r.number), one(r.issuer_code, r.issuer_code), r.year,
             one(d := _iso(r.date), d), one(r.issuer, r.issuer), int(r.short_form), one(r.relation, r.relation),
             one(r.status, r.status), one(c := json.dumps(list(r.candidates)) if r.candidates else "[]", c), r.term,
             one(r.type_word, r.type_word), one(r.issuer_name, r.issuer_name),
             one(r.issuer_place, r.issuer_place), one(r.source, r.source), one(r.key, r.key))
            for r in tags.references)
        dates = gather(
            (d.start, d.end, None if text[d.start:d.end] == d.text else d.text, one(i := d.date.isoformat(), i))
            for d in tags.dates)
        relations = gather(
            (one(r.source, r.source), one(r.target, r.target), one(r.type, r.type),
             None if text[r.evidence_start:r.evidence_end].strip() == r.evidence else r.evidence,
             r.evidence_start, r.evidence_end, one(t := _iso(r.target_date), t))
            for r in tags.relations)
        return cls(tags.self, refs, dates, relations)


def _ref_rows(doc_id: int, tags: TagResult | TagRows, text: str) -> Iterator[tuple[Any, ...]]:
    if isinstance(tags, TagResult):
        yield from (_ref_row(doc_id, i, r) for i, r in enumerate(tags.references))
        return
    for i, r in enumerate(tags.refs):
        yield (doc_id, i, r[0], r[1], r[2], text[r[1]:r[2]] if r[3] is None else r[3], *r[4:])


def _date_rows(doc_id: int, tags: TagResult | TagRows, text: str) -> Iterator[tuple[Any, ...]]:
    if isinstance(tags, TagResult):
        yield from ((doc_id, d.start, d.end, d.text, d.date.isoformat()) for d in tags.dates)
        return
    for start, end, written, when in tags.dates:
        yield (doc_id, start, end, text[start:end] if written is None else written, when)


def _relation_rows(doc_id: int, tags: TagResult | TagRows, text: str) -> Iterator[tuple[Any, ...]]:
    if isinstance(tags, TagResult):
        yield from ((doc_id, r.source, r.target, r.type, r.evidence, r.evidence_start, r.evidence_end,
                     _iso(r.target_date)) for r in tags.relations)
        return
    for source, target, kind, evidence, start, end, when in tags.relations:
        yield (doc_id, source, target, kind, text[start:end].strip() if evidence is None else evidence,
               start, end, when)


_RELATIONS_ORDER = "doc_id, evidence_start, evidence_end, source, target, type"


def _citation_order(c: CitationRef) -> tuple[int, int, int]:
    return (c.doc_id, c.start, c.ord)


def edge_identity(r: RelationRow) -> tuple[int, str, str, str, int, int, str | None]:
    """What tells a resolved relation apart in ``graph_edges``: the values of
    its relation but the sentence's words."""
    return (r.doc_id, r.source, r.target, r.type, r.evidence_start, r.evidence_end, r.target_date)


def _server_relation_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row of ``relations`` (the columns of _INSERT_RELATIONS) by a
    server store's order of a text's relations (Store._relations_order)."""
    return row[0], row[5], row[3], row[2], row[1]


def _relation_order(r: RelationRow) -> tuple[int, int, int, str, str, str]:
    # Store order with ties (one sentence, two relations) broken by value,
    # so that every store lists them alike.
    return (r.doc_id, r.evidence_start, r.evidence_end, r.source, r.target, r.type)


class ResolvedEdgeRow(NamedTuple):
    """A stored relation with its resolved ends (see :meth:`Store.resolved_edges`),
    and the node at the other end (``n_*``, None when it is not stored) with
    the path of that node's first text."""

    doc_id: int
    source: str
    target: str
    type: str
    evidence: str
    evidence_start: int
    evidence_end: int
    target_date: str | None
    source_key: str
    target_key: str
    page: int
    path: str  # of the asserting text
    n_key: str | None
    n_id: str | None
    n_type: str | None
    n_issuer_code: str | None
    n_level: str | None
    n_issuer: str | None
    n_issuer_source: str | None
    n_date: str | None
    n_date_source: str | None
    n_title: str | None
    n_place: str | None
    n_status: str | None
    n_doc_ids: str | None
    n_paths: str | None
    n_ambiguous: int | None
    n_candidates: str | None

    def node_row(self) -> NodeRow | None:
        """The node at the other end, when it is stored."""
        values: tuple[Any, ...] = tuple(self[12:28])
        return None if self.n_key is None else NodeRow(*values)


_RESOLVED_COLUMNS = ("g.doc_id, g.source, g.target, g.type, g.evidence, g.evidence_start, g.evidence_end,"
                     " g.target_date, g.source_key, g.target_key, g.page, g.path")


def _resolved_order(r: ResolvedEdgeRow) -> tuple[int, int, int, str, str, str]:
    return (r.doc_id, r.evidence_start, r.evidence_end, r.source, r.target, r.type)


class NodeRow(NamedTuple):
    """A stored node of the graph; ``doc_ids`` as comma-separated numbers,
    ``paths`` and ``candidates`` as JSON lists."""

    key: str
    id: str
    type: str | None
    issuer_code: str | None
    level: str | None
    issuer: str | None
    issuer_source: str | None
    date: str | None
    date_source: str | None
    title: str | None
    place: str | None
    status: str | None
    doc_ids: str
    paths: str
    ambiguous: int
    candidates: str


_NODE_COLUMNS = ", ".join(NodeRow._fields)
_OTHER_NODE_COLUMNS = ", ".join(f"n.{c}" for c in NodeRow._fields)


class ImplementingRow(NamedTuple):
    """The columns of :meth:`Store.implementing_tuples`, in order: a relation
    pointing at a node, and the node of its source (``n_*``). Values that
    would repeat another are None (see there)."""

    target_key: str | None  # None: the chunk's first key
    source_key: str
    type: str
    doc_id: int
    path: str  # of the asserting text
    page: int
    evidence: str
    evidence_start: int
    evidence_end: int
    target_date: str | None
    n_ambiguous: int | None  # None: the source's node is not stored
    n_id: str | None  # None: the same as its key (or not stored)
    n_type: str | None
    n_issuer_code: str | None
    n_level: str | None
    n_issuer: str | None
    n_issuer_source: str | None
    n_date: str | None
    n_date_source: str | None
    n_title: str | None
    n_place: str | None
    n_status: str | None
    n_doc_ids: str | None  # None with n_paths: the asserting text alone (or not stored)
    n_paths: str | None
    n_candidates: str | None  # None: none (or not stored)


# The node is the asserting text alone when its one text id is the
# relation's and its one path the relation's (the path compared too: a
# resolution is written per text, and only what is certain may be left out).
_OWN_TEXT = ("n.doc_ids = CAST(g.doc_id AS TEXT) AND n.paths = '[\"' || g.path || '\"]'")
_IMPLEMENTING_COLUMNS = (
    "NULLIF(g.target_key, ?), g.source_key, g.type, g.doc_id, g.path, g.page, g.evidence, g.evidence_start,"
    " g.evidence_end, g.target_date, n.ambiguous, NULLIF(n.id, n.key), n.type, n.issuer_code, n.level, n.issuer,"
    " n.issuer_source, n.date, n.date_source, n.title, n.place, n.status,"
    f" CASE WHEN {_OWN_TEXT} THEN NULL ELSE n.doc_ids END, CASE WHEN {_OWN_TEXT} THEN NULL ELSE n.paths END,"
    " NULLIF(n.candidates, '[]')")


class MatrixEdgeRow(NamedTuple):
    """Where one relation falls in the coverage matrix (see :meth:`Store.matrix_rows`)."""

    target: str
    target_key: str
    source_key: str
    issuer: str | None  # of the source: the committee
    source_id: str | None  # None when the source node is not stored


#: The advisory lock that keeps two writers of the stored resolution apart on a server.
_GRAPH_LOCK = 0x64734752  # "dsGR"


_FIRST = operator.itemgetter(0)


class _OfText(Protocol):
    @property
    def doc_id(self) -> int: ...


_Row = TypeVar("_Row", bound=_OfText)


@dataclass(slots=True)
class WrittenTags:
    """What a batch of :meth:`Store.save_documents` wrote that the graph
    settle right after it would read back: for each text of ``docs``, the
    dates it mentions in text order (as :meth:`Store.text_dates`), and the
    (start, year, term) of its resolved citations by (text, id), in text
    order (as :meth:`Store.citation_hints_of`; a pair without one is absent)."""

    docs: set[int] = field(default_factory=set)
    dates: dict[int, list[date]] = field(default_factory=dict)
    hints: dict[tuple[int, str], list[tuple[int, int | None, int | None]]] = field(default_factory=dict)
    #: For the full-text update after the batch (:meth:`Store.index_written`):
    #: per text, the values of _INDEXED_COLUMNS, its refs' (ref_id, start,
    #: end) and relations' (source, type, target) in stored order, its dates'
    #: rows (doc_id, start, date) in text order, and how many OCR pages it has.
    documents: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    refs: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    relations: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    date_rows: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    pages: dict[int, int] = field(default_factory=dict)
    #: For the settle: the texts' citations (as :meth:`Store.citations_to_resolve`)
    #: and relations (as :meth:`Store.relations_of`), in the order written.
    citations: list[CitationRef] = field(default_factory=list)
    relation_rows: list[RelationRow] = field(default_factory=list)
    #: On a server: the version (``xmin``) of each text's row as the batch
    #: wrote it, for :meth:`Store.check_written`.
    versions: dict[int, str] = field(default_factory=dict)
    #: What the full-text engine made of each text ahead, in the worker
    #: process that read it (see ``search.indexer.text_preparer``), handed to
    #: the full-text update with the text.
    prepared: dict[int, object] = field(default_factory=dict)

    def keep_document(self, doc_id: int, values: Sequence[Any], version: str | None = None) -> None:
        """Note the document row written for ``doc_id`` (the values of
        _UPSERT_DOCUMENT) and, on a server, its version."""
        self.docs.add(doc_id)
        self.documents[doc_id] = tuple(values[i] for i in _INDEXED_COLUMNS)
        if version is not None:
            self.versions[doc_id] = version

    def text(self, doc_id: int) -> str | None:
        """The text of ``doc_id`` as the batch wrote it (None when not held)."""
        values = self.documents.get(doc_id)
        return values[_INDEXED_TEXT] if values is not None else None

    def forget(self, doc_ids: set[int]) -> None:
        """Drop what is held of the texts ``doc_ids``: whoever asks for
        them reads them from the store."""
        self.docs -= doc_ids
        for held in (self.dates, self.documents, self.refs, self.relations, self.date_rows, self.pages,
                     self.versions, self.prepared):
            for doc_id in doc_ids:
                held.pop(doc_id, None)
        self.hints = {pair: found for pair, found in self.hints.items() if pair[0] not in doc_ids}
        self.citations = [r for r in self.citations if r.doc_id not in doc_ids]
        self.relation_rows = [r for r in self.relation_rows if r.doc_id not in doc_ids]

    def for_settle(self) -> WrittenTags:
        """What of this batch a graph settle reads but the texts: their
        dates, hints, citations and relations (and on a server their
        versions), kept when the settle comes after later batches, without
        what only the full-text update reads (a settle reads a text it
        lacks from the store)."""
        return WrittenTags(docs=set(self.docs), dates=dict(self.dates), hints=dict(self.hints),
                           citations=list(self.citations), relation_rows=list(self.relation_rows),
                           versions=dict(self.versions))

    def absorb(self, later: WrittenTags) -> None:
        """Add what a later batch wrote, for one settle of both: its texts
        replace what is held of the same texts. Its documents' values come
        along (a settle takes the words around a mention from them)."""
        again = self.docs & later.docs
        if again:
            self.forget(again)
        self.docs |= later.docs
        self.dates.update(later.dates)
        self.hints.update(later.hints)
        self.documents.update(later.documents)
        self.citations += later.citations
        self.relation_rows += later.relation_rows
        self.versions.update(later.versions)

    def citations_of(self, store: Store, doc_ids: Iterable[int]) -> list[CitationRef]:
        """:meth:`Store.citations_to_resolve` of ``doc_ids``: those of the
        batch's texts from the rows written, the others read."""
        return self._kept_or_read(self.citations, set(doc_ids), store.citations_to_resolve, _citation_order)

    def relations_of(self, store: Store, doc_ids: Iterable[int]) -> list[RelationRow]:
        """:meth:`Store.relations_of` of ``doc_ids``: those of the batch's
        texts from the rows written, the others read."""
        return self._kept_or_read(self.relation_rows, set(doc_ids), store.relations_of, _relation_order)

    def _kept_or_read(self, kept: list[_Row], doc_ids: set[int], read: Callable[[set[int]], list[_Row]],
                      order: Callable[[_Row], Any]) -> list[_Row]:
        out = [r for r in kept if r.doc_id in doc_ids]
        others = doc_ids - self.docs
        if others:
            out += read(others)
        out.sort(key=order)
        return out

    def keep_refs(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """Pass on rows of ``refs`` (the columns of _INSERT_REFS), noting the hints and span of each."""
        hints, spans, citations = self.hints, self.refs, self.citations
        for row in rows:
            # doc_id, ord, ref_id, start, end, year, date, issuer, status, term, issuer_place in _INSERT_REFS's order.
            if row[2] is not None:
                citations.append(CitationRef(row[0], row[1], row[2], row[3], row[4], row[10], row[9], row[16],
                                             row[11], row[19]))
                if row[14] == "resolved":
                    hints.setdefault((row[0], row[2]), []).append((row[3], row[9], row[16]))
            spans.setdefault(row[0], []).append((row[2], row[3], row[4]))
            yield row
        for found in hints.values():
            found.sort(key=_FIRST)  # stable: rows of one start keep their order

    def keep_dates(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """Pass on rows of ``dates`` (the columns of _INSERT_DATES), noting each date."""
        starts = self.date_rows
        for row in rows:
            starts.setdefault(row[0], []).append((row[0], row[1], row[4]))
            yield row
        for doc_id, found in starts.items():
            found.sort(key=_start_of)  # stable, as the store reads them
            self.dates[doc_id] = [date.fromisoformat(r[2]) for r in found]

    def keep_relations(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """Pass on rows of ``relations`` (the columns of _INSERT_RELATIONS), noting each one's ends and type."""
        relations, kept = self.relations, self.relation_rows
        for row in rows:
            relations.setdefault(row[0], []).append((row[1], row[3], row[2]))
            kept.append(RelationRow(*row))
            yield row


def _doc_id_of(source: IndexSource) -> int:
    return source.doc_id


def _index_source(doc_id: int, path: str, sha256: str, lang: str, title: str | None, text: str,
                  page_starts: str, self_json: str | None, ref_spans: list[tuple[Any, ...]],
                  relations: list[tuple[Any, ...]], date_rows: list[tuple[Any, ...]], page_count: int) -> IndexSource:
    """The :class:`IndexSource` (with its key) of one document from its
    stored values: its refs' (ref_id, start, end) and relations' (source,
    type, target) in stored order, its dates' rows (doc_id, start, date)
    before the header's end in text order, its number of OCR pages. One
    way for every reader, so that a fingerprint never depends on which."""
    ref_entry, relation_entry, date_entry = IndexKey.ref_entry, IndexKey.relation_entry, IndexKey.date_entry
    key = IndexKey(path, sha256, lang, title or "", self_json or "",
                   [ref_entry(*r) for r in ref_spans],
                   [relation_entry(*r) for r in relations],
                   [date_entry(r[1], r[2]) for r in date_rows], page_count)
    loads = json.loads
    return IndexSource(
        doc_id=doc_id, path=path, lang=lang, title=title, text=text,
        page_starts=(0,) if page_starts == "[0]" else tuple(loads(page_starts)),
        identity=loads(self_json) if self_json else None,
        refs=[r for r in ref_spans if r[0] is not None],
        relations=relations,
        first_date=date_rows[0][2] if date_rows else None, scanned=page_count > 0, key=key,
    )


class CitationRef(NamedTuple):
    """A citation to resolve: where it is and what the tagger read beside it."""

    doc_id: int
    ord: int
    ref_id: str
    start: int
    end: int
    date: str | None
    year: int | None
    term: int | None
    issuer: str | None = None
    #: The place of the issuing body named beside the number ("... của Tỉnh
    #: ủy Quảng Ninh"): it tells apart local namesakes of other provinces.
    place: str | None = None


class CitedFact(NamedTuple):
    """A resolved citation giving a date or an issuing body (see :meth:`Store.cited_facts`)."""

    doc_id: int
    start: int
    date: str | None
    issuer: str | None
    path: str
    page: int


class CitedMention(NamedTuple):
    """A text's first citation of a node (see :meth:`Store.cited_mentions`)."""

    doc_id: int
    path: str
    page: int
    text: str
    start: int


class CitedFactCount(NamedTuple):
    """One of the first sources of a value the citations of a node give (see
    :meth:`Store.cited_fact_counts`): ``n`` its place, ``total`` the sources."""

    field: str
    value: str
    path: str
    page: int
    doc_id: int
    n: int
    total: int


class ImplementerRow(NamedTuple):
    """A source of relations into a node, with its stored node's grouping
    values (``key`` None when the node is not stored)."""

    source_key: str
    key: str | None
    id: str | None
    date: str | None
    issuer: str | None
    issuer_source: str | None
    issuer_code: str | None


class GraphDocRow(NamedTuple):
    """What the graph reads of a stored text: its path, its page starts and
    its header, both as stored (JSON, decoded when used)."""

    doc_id: int
    path: str
    page_starts: str
    self_id: str | None
    self_json: str | None


class CitedForm(NamedTuple):
    """One way citations name a document id, and how many citations do."""

    ref_id: str
    date: date | None
    year: int | None
    issuer: str | None
    citations: int


class CitationRow(NamedTuple):
    """One reference of a stored text (for drawing the text with its links)."""

    doc_id: int
    ord: int
    ref_id: str | None
    start: int
    end: int
    text: str
    date: str | None
    year: int | None
    term: int | None
    relation: str
    status: str
    place: str | None = None  # the place of the issuing body named beside the number


class TextMeta(NamedTuple):
    """One stored text's metadata as the documents table holds it (the text left out)."""

    doc_id: int
    path: str
    format: str
    lang: str
    title: str | None
    size: int
    chars: int
    page_starts: str  # JSON list of page start offsets
    warnings: str  # JSON list of extraction warnings
    self_json: str | None


@dataclass(frozen=True)
class StoreCounts:
    """The store's size in the home page's terms."""

    texts: int
    identified: int
    relations: int
# -- read models for the search indexer (records) ---------------------------------

#: Largest number of doc_ids one query names.
ID_CHUNK = 500


@dataclass(frozen=True)
class DocumentRecord:
    """One document to store (see :meth:`Store.save_documents`)."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    format: str
    lang: str
    title: str | None
    encoding: str | None
    text: str
    page_starts: Sequence[int]
    warnings: Sequence[str | Sayable]
    #: As the tagger gave them, or their compact rows (see :class:`TagRows`).
    tags: TagResult | TagRows | None
    ocr_pages: Sequence[OcrPage] = ()


@dataclass
class IndexKey:
    """What the full-text index's fingerprint of one document is made of:
    its stored values and its tags in stored order, as text."""

    path: str
    sha256: str
    lang: str
    title: str
    self_json: str
    refs: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    ocr_pages: int = 0

    # How each tag row is written into the fingerprint: one form for every
    # reader of the store, or a rebuild would see every document as changed.
    @staticmethod
    def ref_entry(ref_id: str | None, start: int, end: int) -> str:
        return f"{ref_id or ''} {start} {end}"

    @staticmethod
    def relation_entry(source: str, kind: str, target: str) -> str:
        return f"{source} {kind} {target}"

    @staticmethod
    def date_entry(start: int, value: str) -> str:
        return f"{start} {value}"


class _ByDoc:
    """Rows of a query ordered by doc_id (their first column), handed out one
    document at a time as the documents are read in the same order."""

    def __init__(self, rows: Iterable[Any]) -> None:
        # Grouped in C: a Python step per row cost a tenth of a rebuild's
        # reading of the store.
        self._groups = itertools.groupby(rows, key=operator.itemgetter(0))
        self._next: tuple[Any, Any] | None = next(self._groups, None)

    def take(self, doc_id: int) -> list[Any]:
        """The rows of ``doc_id`` (rows of lower doc_ids, whose document is
        gone, are passed over)."""
        group = self._next
        while group is not None and group[0] < doc_id:
            group = next(self._groups, None)
        if group is None or group[0] != doc_id:
            self._next = group
            return []
        rows = list(group[1])  # before the next group, which ends this one
        self._next = next(self._groups, None)
        return rows


def _start_of(row: Any) -> Any:
    return row[1]


# Not frozen: one is made per document on the way into the full-text index,
# and a frozen dataclass's __init__ sets each of its twelve fields through
# object.__setattr__, several times the cost of the slotted one.
@dataclass(slots=True)
class IndexSource:
    """The stored values the full-text index is built from for one document."""

    doc_id: int
    path: str
    lang: str
    title: str | None
    text: str
    page_starts: tuple[int, ...]
    identity: dict[str, Any] | None
    refs: list[tuple[str, int, int]]
    relations: list[tuple[str, str, str]]
    first_date: str | None
    scanned: bool
    #: What the document's fingerprint is made of, when it was read too
    #: (:meth:`Store.index_all`).
    key: IndexKey | None = None
    #: What the full-text engine made of the text ahead (see
    #: :attr:`WrittenTags.prepared`); not one of the stored values.
    prepared: object | None = field(default=None, compare=False)
