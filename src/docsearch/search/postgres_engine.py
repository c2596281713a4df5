"""The PostgreSQL implementation of :class:`~.engine.SearchEngine`.

A shared deployment keeps its full-text index in the same database as its
store (``--index postgresql://user@host/db``). The engine owns these objects:

- ``fulltext``: one row per document (doc_id, fingerprint, the stored fields
  as JSON, the text), its words as ``tsvector`` columns with their indexes
  (folded, in a RUM index where the server has the extension, with a GIN
  index of the same words without positions beside it for queries without
  a phrase, else GIN; stemmed for English and German documents; issuer:
  GIN; next to RUM, the pairs of neighbouring words of each of these
  columns and the runs of three folded words around a number, in RUM
  indexes: of the columns ``pairs`` and ``runs`` for the folded words, of
  the function ``docsearch_pairs`` for the stems), the words of
  its title and lead without positions, the references it carries and the
  facet columns. Only what a search reads for every match stays in the
  row; the text, the stored fields and the word positions are stored out
  of line;
- ``fulltext_terms``: in how many documents each word occurs, kept by every
  commit, for ranking words by how rare they are (BM25's idf);
- ``fulltext_facets``: each combination of facet values (type, issuer, year,
  language, level) that a document has, under a small integer that its rows
  carry (``fcode``): the facets of a search are counted by grouping its
  matches on that one integer, then rolling the few hundred combinations up;
- ``fulltext_schema``: one row naming the layout version, the number of
  documents, their mean length and the index of the folded words, written
  by every commit (a reader finding no row reports a missing index);
- the text search configurations ``docsearch_fold`` (``simple`` behind
  ``unaccent``: "Đảng" → "dang", "đổi mới" → "doi moi"; for the issuers'
  words), ``docsearch_en`` and ``docsearch_de`` (folded, then stemmed
  without stop words, as the tantivy engine does).

Only a writer creates them; a reader needs nothing but SELECT. Words are
split in Python exactly as the snippets and the tantivy engine split them
(runs of letters and digits); the folded words of documents and queries are
made in Python too (fold_terms, the tantivy engine's folding), with their
pairs and runs, and reach PostgreSQL as tsvector and tsquery values, so its
parser and dictionaries see only the words to stem in English and German. Query text and values always travel as parameters: the
SQL is assembled from fixed fragments chosen by the shape of the parsed
query, never from what the user typed.

A search is one statement: the indexes find the matches (RUM checks a
phrase on the positions it keeps, of the pairs of its words or of its runs
around a number; GIN leaves that to the row), an estimate
from their rows alone picks the best few hundred, which are scored exactly
(BM25 from ts_rank on their out-of-line tsvectors), while the same matches
are counted and grouped into facets in one pass. Where a reader's
environment asks for it (SPLIT_ENV), a search of common words in a large
index runs that statement for each half of the documents at once, on the
reader's two connections sharing one snapshot, and merges the halves into
the same answer (SPLIT_MIN_DOCS). A process keeps its last
results under the generation of the committed index (_ResultCache): a
repeated search is answered without asking the database until the next
commit.

Writes are buffered and sent in batches, in one pipeline, inside one
transaction that :meth:`PostgresEngine.commit` commits, so readers see
committed states only.
Writers take an advisory lock for each transaction: a second writer waits
for the first one's commit instead of failing, so two ingests share one
database, batch by batch.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types.json import Jsonb

from .. import i18n
from ..database import redact
from ..refs import fold
from ..refs.compiled import choose_build
from .engine import (
    LITERAL_WEIGHT,
    PHRASE_BONUS,
    PRIOR,
    REF_WITH_WORDS,
    RERANK_WINDOW,
    SCORE_CITES,
    SCORE_RELATED,
    SCORE_SELF,
    SCORE_SELF_DATE,
    TITLE_BOOST,
    EngineHit,
    EngineResult,
    IndexDoc,
    SearchEngine,
)
from .errors import IndexMissing, SearchError
from .query import (
    And,
    DocRef,
    IssuerFilter,
    KeywordFilter,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    RangeFilter,
    RefFilter,
    Word,
    normalize,
    walk,
)

# Before the vectors' module is imported: its compiled build, unless that is
# older than its source (see refs.compiled).
choose_build(__name__.rsplit(".", 1)[0], os.path.dirname(os.path.abspath(__file__)), alone=True,
             what="docsearch.search.vectors")

from .vectors import EMPTY as EMPTY_VECTOR  # noqa: E402
from .vectors import RUN_DIGIT  # noqa: E402
from .vectors import vectors as row_vectors  # noqa: E402

# 2: word statistics (fulltext_terms), word counts, lz4 tsvectors.
# 3: narrow rows (the text, the stored fields and the tsvectors out of line),
#    the title's words without positions for the estimate.
# 4: the folded words indexed by RUM where the server has it (positions in
#    the index), by GIN elsewhere; the choice recorded in fulltext_schema.
# 5: each row's combination of facet values coded as an integer (fulltext_facets).
# 6: the columns every match is read for first (fcode, nwords, boost, ymd,
#    and the language as a small code), the row's fixed-width columns first.
# 7: next to RUM, indexes of the pairs of neighbouring words (PAIRS_INDEXES);
#    an index of layout 6 gets them in place (_setup), one of an older layout
#    is rebuilt.
# 8: next to the pairs, an index of the runs of three words around a number
#    (RUNS_INDEX), built in place in an index of layout 6 or 7.
# 9: the folded words, their pairs and their runs made in Python (fold_terms,
#    row_vectors) and kept as columns; the pairs and runs indexed from those
#    columns. Older layouts are rebuilt from the store.
# 10: the facet values (type, issuer, level, language) only in fulltext_facets,
#    under the row's fcode, no longer in the row too; the language's code
#    (langcode) written by the writer.
SCHEMA_VERSION = 10
ENGINE = "postgresql"
TABLE = "fulltext"
VERSION_TABLE = "fulltext_schema"
TERMS_TABLE = "fulltext_terms"
FACETS_TABLE = "fulltext_facets"
#: Key of the session advisory lock that keeps writers of the index apart
#: (an arbitrary constant: "docsearch fulltext").
WRITE_LOCK = 0x646F_6373_6674
BATCH = 200
LEAD_CHARS = 400
#: The title's words kept for ranking: few enough for the title's tsvector
#: to stay uncompressed in its row (read at every match without unpacking).
TITLE_CHARS = 1000
MAX_TOKEN = 60
#: PostgreSQL refuses a tsvector above 1 MB; the words of a text beyond this
#: many characters are not indexed (far beyond any real document: a long
#: Vietnamese text repeats a few thousand syllables).
MAX_INDEXED_CHARS = 4_000_000

# The ranking constants are the tantivy engine's, shared in engine.py:
# constant scores keep the classes of a document reference apart, words
# decide within a class.
#: Words are weighed as BM25 weighs them, so their scores and the class
#: scores above are of the same order, as in the tantivy engine.
WORD_SCALE = 1.0
#: A word found in the title or lead: ts_rank there (0.61 for once, towards
#: 1 for often) times its rarity in titles, times this.
TITLE_NORM = 0
TITLE_SCALE = 10.0
#: Matching documents are ranked in two steps: an estimate that does not
#: read their text (titles, references, rarity and text length exact; each
#: word of the body counted as if it occurred ESTIMATE times), then the
#: exact score of the best CANDIDATES by that estimate. A query with fewer
#: matches is ranked exactly; with more, the text of only CANDIDATES
#: documents is read (95 % of the first ten hits are those of exact ranking
#: on the synthetic benchmark corpus).
ESTIMATE = 2.0
CANDIDATES = 300
#: A ranked search of words (no reference, no filter, no phrase asked of the
#: pairs' indexes) in an index of at least SPLIT_MIN_DOCS documents, whose
#: every word is in at least SPLIT_MIN_SHARE of them (so that it may match
#: that many), is run as two statements at once, one for each half of the
#: documents by id, on two connections reading one snapshot, so that two
#: cores share the visit of its many matches. Elsewhere the work that each
#: half repeats (the scan of a reference's or a phrase's pairs, the exact
#: score of the best candidates) costs more than the split saves, and a
#: filter may leave few of the words' matches, which the statistics do not
#: tell (measured in docs/benchmarks.md).
SPLIT_MIN_DOCS = 20_000
SPLIT_MIN_SHARE = 0.25
#: The split is asked for, by a reader's environment: "on" or "off" (the
#: default). It pays where the database server has an idle core for the
#: second half, and costs a fifth to a half more CPU for the searches split
#: plus a second connection per reader: on a server answering many searches
#: at once, or with few connections to spare, it is better left off.
SPLIT_ENV = "DOCSEARCH_PG_SPLIT"
_FILTERS = (IssuerFilter, KeywordFilter, RangeFilter, RefFilter)
#: The split point is the median document id, found again when the number of
#: documents has moved by more than this share since it was found.
SPLIT_DRIFT = 0.1
#: Settings of a search's transaction, sent in one round trip. The planner
#: does not count the cost of reading a tsvector from TOAST, and would scan
#: every row rather than use the indexes; JIT compiling pays off only for far
#: longer queries; the matches are gathered once (as arrays, see
#: _statement), then unnested, sorted and grouped, which beyond work_mem
#: would go to temporary files (the server's default of 4 MB held about
#: 40,000 matches, when they were kept as rows). No parallel
#: workers: a server answering many searches at once has no idle cores for
#: them, and on idle ones the leader spent about what a worker saved it
#: (docs/benchmarks.md); the price of the word pairs' function (see
#: PAIRS_INDEXES), counted for every row a plan visits, would otherwise make
#: the planner split the plan of a reference among two workers.
_SEARCH_SETTINGS = ("SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL work_mem = '32MB';"
                    " SET LOCAL max_parallel_workers_per_gather = 0")
#: Added to the settings of a search whose words are ANDed with a reference
#: (``Nghị quyết 28 lãnh đạo``). The planner counts checking a row's words as
#: one cheap operator, not knowing that the row's tsvector is out of line: it
#: would find the documents naming the reference in their indexes, then read
#: the tsvector of each to check the words (16,000 reads on 100,000
#: documents: 2.0-2.8 s); priced higher, it intersects those documents with
#: the words' own index instead (a BitmapAnd) and reads no tsvector (0.46 s).
_CHECKING_ROWS_COSTS = "SET LOCAL cpu_operator_cost = 1"
#: Added to the settings of each half of a split search (see SPLIT_MIN_DOCS).
#: Priced as usual, the planner walks the primary key through the half's ids
#: and checks each row's words (reading its tsvector: several times slower
#: than the whole search); with each visited row priced high it intersects
#: the half's ids with what the text indexes found (BitmapAnd) and visits
#: only the matches of its half.
_HALF_COSTS = "SET LOCAL cpu_tuple_cost = 1"
#: Every position weighs the same (ts_rank's default weighs unlabelled ones 0.1).
_WEIGHTS = "'{1,1,1,1}'::real[]"

FACETS = (("type", "type", 200), ("issuer", "f_issuer", 50), ("year", "year", 200),
          ("language", "lang", 200), ("level", "level", 200))

_TOKEN = re.compile(r"[^\W_]+")

_SCHEMA_SQL = (
    # What a search reads from every match comes first, fixed-width columns
    # before any of variable width: PostgreSQL finds a column by walking the
    # row from its start, and only up to the first variable-width column is
    # each one's offset known in advance (with fcode last, taking it apart
    # for 73,000 matches cost about as much as finding them).
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        doc_id bigint PRIMARY KEY,
        fcode integer NOT NULL,
        nwords integer NOT NULL,
        boost real NOT NULL,
        ymd integer,
        year integer,
        langcode smallint NOT NULL,
        fingerprint bigint NOT NULL,
        title_words tsvector NOT NULL,
        own text,
        cites text[] NOT NULL,
        related text[] NOT NULL,
        implements text[] NOT NULL,
        issuer_tsv tsvector NOT NULL,
        source text NOT NULL,
        meta jsonb NOT NULL,
        body text NOT NULL,
        tsv tsvector{{compression}} NOT NULL,
        tsv_en tsvector{{compression}} NOT NULL,
        tsv_de tsvector{{compression}} NOT NULL,
        pairs tsvector{{compression}} NOT NULL,
        runs tsvector{{compression}} NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    f"""CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (
        engine text PRIMARY KEY,
        schema integer NOT NULL,
        docs integer NOT NULL DEFAULT 0,
        avg_words real NOT NULL DEFAULT 1,
        text_index text NOT NULL DEFAULT 'gin',
        updated timestamptz NOT NULL DEFAULT now()
    )""",
    # In how many documents each word occurs (col 0: folded, 1: English stems,
    # 2: German stems, 3: title and lead), for ranking by how rare the words
    # of a query are.
    f"""CREATE TABLE IF NOT EXISTS {TERMS_TABLE} (
        col smallint NOT NULL,
        lexeme text NOT NULL,
        docs integer NOT NULL,
        PRIMARY KEY (col, lexeme)
    )""",
    # Every combination of facet values some document has had; ``key`` is
    # the combination written out (see _facet_key). A combination no longer
    # used stays: it is simply never counted.
    f"""CREATE TABLE IF NOT EXISTS {FACETS_TABLE} (
        fcode serial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        type text,
        f_issuer text,
        year integer,
        lang text NOT NULL,
        level text
    )""",
)

#: The indexes of the table. A new table gets them at its first commit, once
#: its rows are in: building a GIN index from all rows at once is several
#: times faster than growing it row by row (a first ingest, a rebuild into a
#: new layout). A reader never sees the table before that commit.
_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv ON {TABLE} USING {{text_index}}",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv_en ON {TABLE} USING gin (tsv_en)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv_de ON {TABLE} USING gin (tsv_de)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_issuer ON {TABLE} USING gin (issuer_tsv)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_cites ON {TABLE} USING gin (cites)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_related ON {TABLE} USING gin (related)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_implements ON {TABLE} USING gin (implements)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_own ON {TABLE} (own)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_ymd ON {TABLE} (ymd DESC NULLS LAST, doc_id)",
)

#: How the folded words (the column every search reads) are indexed. RUM
#: keeps each word's positions in the index, so a phrase is checked there
#: instead of on the out-of-line tsvector of every document holding its
#: words; GIN, built into every server, is used where the extension is
#: missing (Debian: postgresql-15-rum) or may not be created.
TEXT_INDEXES = {"rum": "rum (tsv rum_tsvector_ops)", "gin": "gin (tsv)"}
#: Next to RUM, the folded words without positions in a GIN index, for
#: queries without a phrase: RUM reads every word's positions, GIN only
#: the documents (two common words: 9.4 against 0.9 ms on 10,000 documents),
#: and a GIN index of words without positions answers such a query without
#: a recheck of the row. Searches write such conditions on ``strip(f.tsv)``,
#: which only this index matches; phrases keep ``f.tsv``, which RUM answers.
WORDS_INDEX = f"CREATE INDEX IF NOT EXISTS {TABLE}_words ON {TABLE} USING gin (strip(tsv))"
#: Next to RUM, the pairs of neighbouring words of each tsvector column (the
#: folded words, the English and the German stems), each pair a term of its
#: own at the position of its first word, in RUM indexes: a phrase of common
#: words is found there as ``'a b' <-> 'b c'`` (two short lists) instead of
#: reading every position of each word. Pairs are made from the positions
#: the row's tsvector keeps, so both answer a phrase alike (a pair is there
#: exactly when both its words are, one position apart). The folded words'
#: pairs are made in Python with the words (row_vectors) and kept in the column
#: ``pairs``: making them in SQL from the tsvector cost about 0.8 ms a row of
#: the server's CPU, against about 0.25 ms for reading them in. The stemmed
#: columns' pairs, which only English and German documents have, are made by
#: the function ``docsearch_pairs`` in their indexes' expressions: nothing
#: reads that expression but the index (RUM checks a phrase on its own
#: positions, and the stemmed phrases are asked of these indexes too, not of
#: GIN, whose recheck on the row would compute the pairs of every row it
#: rechecks). Those have no statistics (ANALYZE would make the pairs of every
#: sampled row), and the function is priced high: of the plans of a search,
#: the planner prefers those that visit the fewest rows.
PAIRS_FUNCTION = "docsearch_pairs"
PAIRS_INDEXES = {"tsv": f"{TABLE}_pairs", "tsv_en": f"{TABLE}_pairs_en", "tsv_de": f"{TABLE}_pairs_de"}
PAIRS_INDEX = PAIRS_INDEXES["tsv"]
#: What each index of pairs indexes, by column ({f}: where a search writes
#: ``f.``, the table's alias).
_PAIRS_OF = {"tsv": "{f}pairs", "tsv_en": PAIRS_FUNCTION + "({f}tsv_en)", "tsv_de": PAIRS_FUNCTION + "({f}tsv_de)"}
# A pair is written as a quoted lexeme of the tsvector's text form
# (chr(39) a quote, chr(92) a backslash, both escaped inside it).
_PAIRS_FUNCTION_SQL = f"""CREATE FUNCTION {PAIRS_FUNCTION}(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 SET search_path = pg_catalog AS $$
WITH w AS (SELECT u.lexeme, p FROM unnest(v) AS u CROSS JOIN LATERAL unnest(u.positions) AS p)
SELECT coalesce(string_agg(chr(39) || replace(replace(a.lexeme || ' ' || b.lexeme, chr(92), chr(92) || chr(92)),
    chr(39), chr(39) || chr(39)) || chr(39) || ':' || a.p, ' '), '')::tsvector
FROM w AS a JOIN w AS b ON b.p = a.p + 1
$$"""
#: Next to the pairs, the runs of three neighbouring folded words of which
#: at least one holds a digit (``nghi quyet 57``, ``57 nq tw``), each run a
#: term of its own at the position of its first word, kept in the column
#: ``runs`` and indexed by RUM (layout 8; a column since layout 9): a
#: reference is also searched as the phrase of its literal, whose pairs
#: include one found in most documents (``nq tw``, ``nghi quyet``), while its
#: run around the number is one short list. A phrase whose every word lies
#: in such a run is asked there (_run_query), as ``'nghi quyet 57'`` or
#: ``'a b 18' <2> '18 nq tw'``; the runs are made from the row's positions as
#: the pairs are, so both answer alike. Only runs around a number are kept:
#: all runs of three would make an index larger than the pairs', for phrases
#: the pairs already answer well.
RUNS_INDEX = f"{TABLE}_runs"
#: The function that made the runs in layout 8, dropped with its index.
_OLD_RUNS_FUNCTION = "docsearch_runs"
#: What the index of runs indexes ({f} as in _PAIRS_OF).
_RUNS_OF = "{f}runs"
# An index of a function's expression gets no statistics (ANALYZE would
# compute the pairs of every sampled row); one of a column keeps the column's.
_PAIRS_INDEX_SQL = {
    name: (f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING rum ({expression} rum_tsvector_ops)",
           *((f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS 0",) if "(" in expression else ()))
    for expression, name in (
        *((_PAIRS_OF[column].format(f=""), name) for column, name in PAIRS_INDEXES.items()),
        (_RUNS_OF.format(f=""), RUNS_INDEX))}
#: At the end of a run that deferred RUM, these are built on a second
#: connection while the first builds RUM and the pairs of the folded words
#: (the end of an ingest of 10,000 synthetic documents took 3.9 s split so,
#: 4.6-5.3 s with the folded words' pairs built on the second connection
#: too), and a search uses none of these before every index of pairs is
#: there (see _Prelude), so committing them first changes no answer.
_BUILT_APART = (RUNS_INDEX, PAIRS_INDEXES["tsv_en"], PAIRS_INDEXES["tsv_de"])
_DROP_PAIRS = f"DROP INDEX IF EXISTS {', '.join(PAIRS_INDEXES.values())}, {RUNS_INDEX}"


def _build_pairs(conn: psycopg.Connection[Any], names: Iterable[str] | None = None) -> None:
    """Create the indexes of word pairs and of runs that are missing (see
    PAIRS_INDEXES and RUNS_INDEX), or those of ``names`` only."""
    for name in _PAIRS_INDEX_SQL if names is None else names:
        for statement in _PAIRS_INDEX_SQL[name]:
            conn.execute(statement.encode())


def _reading(conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    """``conn`` made a reader's: each search reads one snapshot and ends it,
    so the next sees the last commit."""
    conn.read_only = True
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return conn


def _pair_query(lexemes: Sequence[tuple[int, str]]) -> str | None:
    """The phrase of the folded words ``lexemes`` (position, lexeme) as a
    tsquery of their pairs, or None when it cannot be one (fewer than two
    words, or positions with a gap, which a pair cannot stand for).

    Every word is in one pair, not two: the pairs start at the first, third,
    fifth... word, each as far from the one before as their first words are
    (``'a b' <2> 'c d' <2> 'e f'``), and an odd last word is in a pair with
    the one before it (``<1>``). A pair is in a row exactly where its two
    words stand one after the other, so these pairs, at these distances, are
    in the rows holding the phrase and in no other, as all the overlapping
    pairs are; RUM reads the positions of half as many terms, most of them
    common (``"đại hội điểm ở cấp cơ sở"``, 11,585 matches of 100,000
    documents: 61 against 41 ms of server CPU for the index scan)."""
    ordered = sorted(lexemes)
    n = len(ordered)
    if n < 2 or [p for p, _ in ordered] != list(range(ordered[0][0], ordered[0][0] + n)):
        return None
    starts = list(range(0, n - 1, 2))
    if starts[-1] + 2 < n:
        starts.append(n - 2)
    return _at_distances(starts, [_quoted(f"{ordered[s][1]} {ordered[s + 1][1]}") for s in starts])


def _at_distances(starts: Sequence[int], terms: Sequence[str]) -> str:
    """The tsquery of ``terms`` (quoted) that stand at the word positions
    ``starts``, each as far after the one before as its position says."""
    out = terms[0]
    for before, after, term in zip(starts, starts[1:], terms[1:], strict=False):
        out += (" <-> " if after - before == 1 else f" <{after - before}> ") + term
    return out


def _quoted(text: str) -> str:
    """``text`` as one lexeme of a tsquery's text form."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _run_query(lexemes: Sequence[tuple[int, str]]) -> str | None:
    """The phrase of the folded words ``lexemes`` (position, lexeme) as a
    tsquery of the runs of three words around a number (see RUNS_INDEX), or
    None when some word of it is in no such run (or the phrase has fewer than
    three words, or a gap). The runs are taken from the left, each the one
    reaching furthest right that still holds the first word not yet covered;
    neighbouring runs are as far apart as their first words."""
    ordered = sorted(lexemes)
    n = len(ordered)
    if n < 3 or [p for p, _ in ordered] != list(range(ordered[0][0], ordered[0][0] + n)):
        return None
    digit = [bool(RUN_DIGIT.search(lexeme)) for _, lexeme in ordered]
    starts = [s for s in range(n - 2) if any(digit[s:s + 3])]
    chosen: list[int] = []
    covered = 0  # the words before this one are in a chosen run
    while covered < n:
        fitting = [s for s in starts if s <= covered <= s + 2]
        if not fitting:
            return None
        chosen.append(max(fitting))
        covered = chosen[-1] + 3
    return _at_distances(chosen, [_quoted(" ".join(lexeme for _, lexeme in ordered[s:s + 3])) for s in chosen])


#: Forces one of TEXT_INDEXES for indexes built from now on ("auto": RUM
#: where available); read by writers only.
TEXT_INDEX_ENV = "DOCSEARCH_PG_TEXT_INDEX"

#: While a large run writes, the RUM index of the folded words is replaced by
#: this GIN index of the same column: adding a document's words to RUM cost
#: 17-25 ms on 6,000 synthetic documents (RUM has no pending list, and its
#: pages leave the buffers as it grows), to this GIN index and the others
#: 3-7 ms, and RUM built at the end from all rows at once about 2 ms a
#: document. Searches stay correct throughout: a phrase is found through this
#: index and checked on the row, as on a server without RUM; words without a
#: phrase keep their own index (WORDS_INDEX). Its presence in the database is
#: the state: a run killed meanwhile leaves it, and the next writer's
#: :meth:`PostgresEngine.finish` (or a rebuild) puts RUM back.
STANDIN_INDEX = f"{TABLE}_tsv_standin"
#: A writer defers RUM once the documents it wrote reach this many and this
#: share of the documents the index held when it was opened: below that,
#: adding to RUM costs less than building it again over the whole table.
DEFER_MIN_DOCS = 500
DEFER_SHARE = 0.2
#: Key of the shared session lock held by every writer that is deferring RUM
#: (an arbitrary constant: "docsearch rum"): the one that ends its run while
#: another still holds it leaves RUM's rebuild to the last one.
DEFER_LOCK = 0x646F_6373_7275
#: Memory for building an index from all rows at once (sorting their words),
#: for the building transaction only (the server's default is 64 MB).
BUILD_MEMORY = "256MB"

# (name, statements creating it): created once per database, under the writers' lock.
_DICTIONARIES = (
    ("docsearch_en_stem", "CREATE TEXT SEARCH DICTIONARY docsearch_en_stem (TEMPLATE = snowball, Language = english)"),
    ("docsearch_de_stem", "CREATE TEXT SEARCH DICTIONARY docsearch_de_stem (TEMPLATE = snowball, Language = german)"),
)
# The text reaching the parser holds only letters, digits and spaces, so
# these are all the token types it can produce.
_TOKEN_TYPES = "asciiword, word, numword, int, uint"
_CONFIGURATIONS = tuple(
    (name, (f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = simple)",
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {_TOKEN_TYPES} WITH unaccent, {dictionary}"))
    for name, dictionary in (("docsearch_fold", "simple"), ("docsearch_en", "docsearch_en_stem"),
                             ("docsearch_de", "docsearch_de_stem"))
)

#: The columns kept in a row of the index (see _setup).
_INLINE = ("title_words", "own", "cites", "related", "implements", "issuer_tsv", "source")

_FACET_COLUMNS = tuple(column for _, column, _ in FACETS)
#: A row's language as a small code (``langcode``): the stemmed columns a
#: search scores it by; any other language is 0, the folded words.
_LANGCODES = {"en": 1, "de": 2}

#: How many search results a process keeps for repeated searches (see
#: _ResultCache); 0 turns the cache off. Read when the first reader opens.
CACHE_ENV = "DOCSEARCH_PG_SEARCH_CACHE"
CACHE_ENTRIES = 256
#: The texts of the hits cached, in characters, at most (a hit carries its
#: whole text for the snippets).
CACHE_CHARS = 64_000_000

_CONFIGS = ("docsearch_fold", "docsearch_en", "docsearch_de")
#: The configuration of the folded words, whose terms are made in Python
#: (fold_terms); its name stands for them where a query names a configuration.
FOLDED = _CONFIGS[0]
_COLUMNS = ("tsv", "tsv_en", "tsv_de")
#: The tsvector column of each configuration.
_COLUMN_OF = dict(zip(_CONFIGS, _COLUMNS, strict=True))


def words(text: str) -> str:
    """``text`` as the words the index holds, separated by single spaces: runs
    of letters and digits (as the tantivy engine and the snippets split
    them), without tokens too long to be words."""
    tokens = _TOKEN.findall(text)
    # A token too long to be a word is rare: the lengths are checked in C
    # first (filtering every token in Python cost a third of a row's making).
    if tokens and max(map(len, tokens)) > MAX_TOKEN:
        tokens = [t for t in tokens if len(t) <= MAX_TOKEN]
    return " ".join(tokens)


def fold_terms(text: str) -> list[str]:
    """The terms the index holds for ``text``, words separated by single
    spaces as :func:`words` gives them: each word folded (``Đảng`` → ``dang``)
    and in lower case. Documents and queries are both made terms here, so
    PostgreSQL's parser and dictionaries never stand between them. (Folding
    and lowering a letter or digit gives letters and digits only, never a
    space, a quote or a backslash: a word stays one term.)"""
    terms = fold(text).lower().split()
    if terms and max(map(len, terms)) > MAX_TOKEN:
        terms = [t for t in terms if len(t) <= MAX_TOKEN]
    return terms


class Tsvector(bytes):
    """A tsvector in PostgreSQL's binary form (as :func:`row_vectors` makes
    it), which a connection of this engine sends as a tsvector in binary."""

    __slots__ = ()


class _TsvectorDumper(Dumper):
    format = Format.BINARY
    oid = psycopg.postgres.types["tsvector"].oid

    def dump(self, obj: Any) -> Any:
        return obj


def send_tsvectors(conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    """Have ``conn`` send :class:`Tsvector` values as tsvectors (a ``%b``
    placeholder), not as the bytes they are made of."""
    conn.adapters.register_dumper(Tsvector, _TsvectorDumper)
    return conn


@dataclass(frozen=True, slots=True)
class PreparedText:
    """A document's text as its row holds it (see :func:`prepare_text`)."""

    body: str  # its words (see words)
    vectors: tuple[bytes, bytes, bytes]  # of its folded words, pairs and runs (see row_vectors)
    lead: list[str]  # the folded words of its lead (LEAD_CHARS), which title_words holds


def prepare_text(text: str) -> PreparedText:
    """What a document's row makes of its stored ``text``: most of the
    writing process's work for a row, which an ingest has its worker
    processes do where they read the text (see indexer.text_preparer)."""
    clean = normalize(text)
    body = words(clean[:MAX_INDEXED_CHARS])
    return PreparedText(body, row_vectors(fold_terms(body)), fold_terms(words(clean[:LEAD_CHARS])))


def _unplaced(terms: Iterable[str]) -> str:
    """The tsvector of ``terms`` without positions, in its text form."""
    return " ".join(f"'{t}'" for t in dict.fromkeys(terms))


def _phrase(terms: Sequence[str]) -> str:
    """The tsquery of ``terms`` one after the other (one term: itself), in its
    text form; empty (matching nothing) without terms."""
    return " <-> ".join(f"'{t}'" for t in terms)


def ref_key(value: str) -> str:
    """A document number as the index compares it: folded, lower case."""
    return fold(value.strip().lower())


def describe(url: str) -> str:
    """``url`` for messages: without its password."""
    return redact(url)


def _signed(fp: int) -> int:
    return fp - (1 << 64) if fp >= 1 << 63 else fp


def _unsigned(fp: int) -> int:
    return fp + (1 << 64) if fp < 0 else fp


def _stored(doc: IndexDoc) -> dict[str, Any]:
    """The stored fields a hit carries (the same keys as the tantivy engine's)."""
    return {
        "path": doc.path, "title": doc.title, "lang": doc.lang, "id": doc.own_id, "type": doc.type,
        "issuer": doc.issuer, "issuer_code": doc.issuer_code, "level": doc.level,
        "date": doc.date.isoformat() if doc.date else None,
        "pages": list(doc.page_starts), "relations": [list(r) for r in doc.relations],
        "refs": [list(s) for s in doc.ref_spans], "source": doc.source,
    }


def _row(doc: IndexDoc, pairs_indexed: bool = True) -> tuple[Any, ...]:
    """A document's values for _UPSERT. Without ``pairs_indexed`` (an index
    whose folded words GIN holds, which has no indexes of pairs and runs)
    its pairs and runs are left empty: only those indexes read them, and a
    change of index kind rebuilds every row."""
    text = normalize(doc.text)
    title = normalize(doc.title)
    prepared = doc.prepared
    if isinstance(prepared, PreparedText):
        body, lead = prepared.body, prepared.lead
        tsv, pairs, runs = prepared.vectors if pairs_indexed else (prepared.vectors[0], EMPTY_VECTOR, EMPTY_VECTOR)
    else:
        body, lead = words(text[:MAX_INDEXED_CHARS]), fold_terms(words(text[:LEAD_CHARS]))
        tsv, pairs, runs = row_vectors(fold_terms(body), pairs_indexed)
    # The words of the title and the lead (two texts' words: no word spans them).
    head = _unplaced([*fold_terms(words(title[:TITLE_CHARS])), *lead])
    issuer = words(" ".join(x for x in (doc.issuer, doc.issuer_code) if x))
    ymd = doc.date.year * 10000 + doc.date.month * 100 + doc.date.day if doc.date else None
    return (
        doc.doc_id, _signed(doc.fingerprint), Jsonb(_stored(doc)), text,
        Tsvector(tsv), body if doc.lang == "en" else "", body if doc.lang == "de" else "",
        Tsvector(pairs), Tsvector(runs), head,
        ref_key(doc.own_id) if doc.own_id else None,
        [ref_key(r) for r in doc.cites],
        sorted({ref_key(t) for _, t in doc.relations}),
        sorted({ref_key(t) for r, t in doc.relations if r == "implements"}),
        issuer, _LANGCODES.get(doc.lang or "", 0), doc.source,
        doc.date.year if doc.date else None, ymd, math.log2(2.0 + PRIOR.get(doc.level or "", 0.0)),
        body.count(" ") + 1 if body else 0, _facet_key(_facet_values(doc)),
    )


def _facet_values(doc: IndexDoc) -> tuple[str | None, str | None, int | None, str, str | None]:
    """A document's values of the facets, in the order of _FACET_COLUMNS."""
    return doc.type, doc.issuer, doc.date.year if doc.date else None, doc.lang or "und", doc.level


def _facet_key(values: Sequence[str | int | None]) -> str:
    """A combination of facet values as one text (JSON: None apart from every text)."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


_UPSERT = f"""INSERT INTO {TABLE} (doc_id, fingerprint, meta, body, tsv, tsv_en, tsv_de, pairs, runs,
    title_words, own, cites, related, implements, issuer_tsv, langcode, source, year, ymd,
    boost, nwords, fcode)
VALUES (%s, %s, %s, %s, %b, to_tsvector('docsearch_en', %s), to_tsvector('docsearch_de', %s),
    %b, %b, %s::tsvector, %s, %s, %s, %s,
    to_tsvector('docsearch_fold', %s), %s, %s, %s, %s, %s, %s,
    (SELECT fcode FROM {FACETS_TABLE} WHERE key = %s))
ON CONFLICT (doc_id) DO UPDATE SET fingerprint = excluded.fingerprint, meta = excluded.meta,
    body = excluded.body, tsv = excluded.tsv, tsv_en = excluded.tsv_en, tsv_de = excluded.tsv_de,
    pairs = excluded.pairs, runs = excluded.runs, title_words = excluded.title_words, own = excluded.own,
    cites = excluded.cites, related = excluded.related,
    implements = excluded.implements, issuer_tsv = excluded.issuer_tsv, langcode = excluded.langcode,
    source = excluded.source,
    year = excluded.year, ymd = excluded.ymd, boost = excluded.boost, nwords = excluded.nwords,
    fcode = excluded.fcode"""

# The combinations of facet values of a batch, added before its rows (which
# look their code up).
_ADD_FACETS = f"""INSERT INTO {FACETS_TABLE} (key, type, f_issuer, year, lang, level)
SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::int[], %s::text[], %s::text[]) ORDER BY 1
ON CONFLICT (key) DO NOTHING"""


# Adds (sign 1) or removes (sign -1) the words of the given documents to or
# from the word statistics.
_COUNT_WORDS = f"""INSERT INTO {TERMS_TABLE} (col, lexeme, docs)
SELECT col, lexeme, %s * count(*) FROM (
    SELECT 0 AS col, unnest(tsvector_to_array(tsv)) AS lexeme FROM {TABLE} WHERE doc_id = ANY(%s)
    UNION ALL SELECT 1, unnest(tsvector_to_array(tsv_en)) FROM {TABLE} WHERE doc_id = ANY(%s) AND langcode = 1
    UNION ALL SELECT 2, unnest(tsvector_to_array(tsv_de)) FROM {TABLE} WHERE doc_id = ANY(%s) AND langcode = 2
    UNION ALL SELECT 3, unnest(tsvector_to_array(title_words)) FROM {TABLE} WHERE doc_id = ANY(%s)
) w GROUP BY col, lexeme ORDER BY col, lexeme
ON CONFLICT (col, lexeme) DO UPDATE SET docs = {TERMS_TABLE}.docs + excluded.docs"""

# A rebuild counts every word at once (ts_stat reads each tsvector once).
_RECOUNT_WORDS = (
    f"DELETE FROM {TERMS_TABLE}",
    f"INSERT INTO {TERMS_TABLE} (col, lexeme, docs) SELECT 0, word, ndoc FROM ts_stat('SELECT tsv FROM {TABLE}')",
    f"INSERT INTO {TERMS_TABLE} (col, lexeme, docs) SELECT 1, word, ndoc"
    f" FROM ts_stat('SELECT tsv_en FROM {TABLE} WHERE langcode = 1')",
    f"INSERT INTO {TERMS_TABLE} (col, lexeme, docs) SELECT 2, word, ndoc"
    f" FROM ts_stat('SELECT tsv_de FROM {TABLE} WHERE langcode = 2')",
    f"INSERT INTO {TERMS_TABLE} (col, lexeme, docs) SELECT 3, word, ndoc FROM ts_stat('SELECT title_words FROM {TABLE}')",
)


def _literal(ref: DocRef) -> str:
    """The words a reference is also searched as (see tantivy_engine._literal)."""
    return ref.id if ref.id.lower() in ref.text.lower() else ref.text


# --- query translation ------------------------------------------------------------------------

@dataclass
class _Sql:
    """A fragment of SQL with ``%s`` placeholders and the values that fill them."""

    text: str
    params: list[Any] = field(default_factory=list)


def _join(parts: Sequence[_Sql], sep: str, wrap: bool = True) -> _Sql:
    text = sep.join(p.text for p in parts)
    return _Sql(f"({text})" if wrap and len(parts) > 1 else text, [v for p in parts for v in p.params])


def _pure_text(node: Node) -> bool:
    """A subtree of words and phrases joined by AND and OR only: one tsquery per configuration."""
    if isinstance(node, (Word, Phrase)):
        return True
    if isinstance(node, (And, Or)):
        return all(_pure_text(c) for c in node.children)
    return False


def _tsquery(node: Node, config: str) -> _Sql:
    """A pure-text subtree as a tsquery expression in ``config``."""
    if isinstance(node, (Word, Phrase)):
        # Several tokens (a phrase, "covid-19") must stand together: <->.
        return _phrase_sql(words(node.text), config)
    assert isinstance(node, (And, Or))
    return _join([_tsquery(c, config) for c in node.children], " && " if isinstance(node, And) else " || ")


def _phrase_sql(text: str, config: str) -> _Sql:
    """The words ``text`` (as :func:`words` gives them) one after the other,
    as a tsquery expression in ``config``: the folded words as the index
    holds them (see fold_terms), the stemmed ones as the server stems them."""
    if config == FOLDED:
        return _Sql("%s::tsquery", [_phrase(fold_terms(text))])
    return _Sql(f"phraseto_tsquery('{config}', %s)", [text])


def _single_words(node: Node) -> bool:
    """A pure-text subtree whose words and phrases are all one word each."""
    if isinstance(node, (Word, Phrase)):
        return " " not in words(node.text)
    return all(_single_words(c) for c in node.children) if isinstance(node, (And, Or)) else False


#: A phrase's pairs, by (configuration, its words): what the index that
#: answers it indexes, as a search writes it (see _PAIRS_OF, or _RUNS_OF for
#: a phrase around a number in the folded words), and the tsquery of the
#: pairs or runs of neighbouring words that its words become there.
_Pairs = dict[tuple[str, str], tuple[str, str]]


def _text_match(node: Node, words_index: bool = False, pairs: _Pairs | None = None) -> _Sql:
    """Documents matching a pure-text subtree: in the folded words, or in the
    stemmed ones of English and German documents (empty for the others).
    With ``words_index`` (see WORDS_INDEX), words without a phrase are looked
    up in the folded words without positions; with ``pairs`` (see _Prelude),
    phrases in the indexes of word pairs."""
    return _join([_column_match(node, column, config, words_index and column == "tsv", pairs or {})
                  for column, config in zip(_COLUMNS, _CONFIGS, strict=True)], " OR ")


def _column_match(node: Node, column: str, config: str, stripped: bool, pairs: _Pairs) -> _Sql:
    """Documents whose words in ``column`` match a pure-text subtree (see _text_match)."""
    if _single_words(node):
        q = _tsquery(node, config)
        return _Sql(f"{'strip(f.tsv)' if stripped else 'f.' + column} @@ {q.text}", q.params)
    if isinstance(node, (Word, Phrase)) and (config, words(node.text)) in pairs:
        indexed, terms = pairs[config, words(node.text)]
        return _Sql(f"{indexed} @@ %s::tsquery", [terms])
    if pairs and isinstance(node, (And, Or)):
        # The single words together in one condition on the words, each
        # phrase on its pairs.
        singles = [c for c in node.children if _single_words(c)]
        group: Node = And(tuple(singles)) if isinstance(node, And) else Or(tuple(singles))
        parts = [_column_match(group, column, config, stripped, pairs)] if singles else []
        parts += [_column_match(c, column, config, stripped, pairs) for c in node.children if not _single_words(c)]
        return _join(parts, " AND " if isinstance(node, And) else " OR ")
    q = _tsquery(node, config)
    return _Sql(f"f.{column} @@ {q.text}", q.params)


def _phrases(node: Node | None) -> list[str]:
    """The texts of several words that a search checks as phrases: its words
    and phrases of several tokens, and the literals of its references."""
    found = []
    for n, _ in walk(node):
        text = words(n.text) if isinstance(n, (Word, Phrase)) else words(_literal(n)) if isinstance(n, DocRef) else ""
        if " " in text:
            found.append(text)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class _Rarity:
    """Stands in a query's parameters for how rare the words of ``text`` are
    in ``column`` (0 folded, 1 English, 2 German stems); filled in from the
    word statistics before the query runs (see :func:`_prelude`)."""

    column: int
    config: str
    text: str


#: Stands for the mean length of the indexed texts, in words.
AVG_WORDS = _Rarity(-1, "", "")


def _bm25(idf: _Sql, rank: _Sql | None = None, tf: float = 2.0) -> _Sql:
    """BM25's weight of a word (k1 1.2, b 0.75) from ts_rank's: ts_rank of a
    word occurring n times is the sum of 1/j² for j up to n over π²/6, so
    the number of occurrences is read back from it (close to exact for any
    n). Without ``rank``, the word is taken to occur ``tf`` times (an estimate)."""
    # float8 throughout: a bare constant such as 0.75 is numeric in SQL,
    # several times slower, and this runs for every match.
    norm = "1.2::float8 * (0.25::float8 + 0.75::float8 * f.nwords::float8 / %s::float8)"
    if rank is None:
        # The same weight, 2.2 tf / (tf + 0.3 + 0.9 n / avg), written as
        # a / (b + n) with a and b folded into constants when the statement is
        # planned: the estimate runs for every match, and its arithmetic cost
        # several times that of the title's ts_rank in the old form.
        return _Sql(f"{idf.text} * ({2.2 * tf / 0.9}::float8 * %s::float8)"
                    f" / ({(tf + 0.3) / 0.9}::float8 * %s::float8 + f.nwords)",
                    [*idf.params, AVG_WORDS, AVG_WORDS])
    count = f"(1.0 / (1.6449 * (1.0 - least({rank.text}, 0.999))) - 0.55)"
    return _Sql(f"{idf.text} * (2.2 - 2.2 * {norm} / ({count} + {norm}))",
                [*idf.params, AVG_WORDS, *rank.params, AVG_WORDS])


def _title_rank(query: _Sql, terms: Sequence[str]) -> _Sql:
    """ts_rank of the title's words for ``query``, the folded ``terms`` of one
    word, as the estimate reads it for every match, written so that most rows
    only test the word. The title's words are kept without positions, so
    ts_rank of one term (norm 0) is one value wherever the title holds it and
    0 where it does not: that value is computed once, on the term alone, and a
    row only says whether its title holds it (for ``dang``, in 73,000 of
    100,000 documents: about 5 of its 73 ms). Where the word makes several
    terms, or a norm reads the title's length, every row is ranked as
    before. Several words keep one ts_rank of their OR: the sum of one test
    per word cost as much."""
    rank = f"ts_rank({_WEIGHTS}, f.title_words, {query.text}, {TITLE_NORM})"
    if TITLE_NORM != 0 or len(terms) != 1:
        return _Sql(rank, query.params)
    # The value for the term alone is an InitPlan, computed once per statement.
    once = f"(SELECT ts_rank({_WEIGHTS}, %s::tsvector, {query.text}, 0))"
    return _Sql(f"(CASE WHEN f.title_words @@ {query.text} THEN {once} ELSE 0::real END)",
                [*query.params, _unplaced(terms), *query.params])


def _idf(column: int, config: str, text: str) -> _Sql:
    """The sum of the BM25 inverse document frequencies of the words of ``text``."""
    return _Sql("%s::float8", [_Rarity(column, config, text)])


# What a search needs to know before its statement is written, in one
# statement of fixed text (psycopg prepares it after a few searches, so it is
# planned once per connection; a UNION of one branch per group took longer
# to plan than to run): the rarity of every word group of the query (n >= 0)
# with the number of documents of its rarest word, the mean text length and
# the number of documents (-1), how many of the indexes of word pairs are
# there and whether the index of runs is (-2), and the words of each phrase
# in each stemmed configuration with their positions (-3 for the first
# (phrase, configuration), -4 for the second...). The folded words come as
# the tsvector of their terms (fold_terms), and a phrase's folded terms are
# known without asking.
_PRELUDE = f"""WITH s AS (SELECT docs, avg_words FROM {VERSION_TABLE} WHERE engine = %s)
SELECT -1, max(s.avg_words)::float8, NULL::text, max(s.docs)::int FROM s
UNION ALL
SELECT q.n, sum(ln(1 + (s.docs - t.docs + 0.5) / (t.docs + 0.5))), NULL, min(t.docs)::int
FROM unnest(%s::int[], %s::int[], %s::text[], %s::text[]) AS q(n, col, config, words)
CROSS JOIN LATERAL unnest(tsvector_to_array(CASE WHEN q.config = %s THEN q.words::tsvector
    ELSE to_tsvector(q.config::regconfig, q.words) END)) AS w(lexeme)
JOIN {TERMS_TABLE} t ON t.col = q.col AND t.lexeme = w.lexeme
CROSS JOIN s GROUP BY q.n
UNION ALL
SELECT -2, NULL, (to_regclass(%s) IS NOT NULL)::text, count(*)::int FROM unnest(%s::text[]) AS i(name)
WHERE to_regclass(i.name) IS NOT NULL
UNION ALL
SELECT -2 - t.n::int, NULL, u.lexeme, p::int FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(words, config, n)
CROSS JOIN LATERAL unnest(to_tsvector(t.config::regconfig, t.words)) AS u
CROSS JOIN LATERAL unnest(u.positions) AS p"""


@dataclass
class _Prelude:
    """What :data:`_PRELUDE` read: the values of the query's :class:`_Rarity`
    placeholders, and the tsquery of word pairs of each phrase in each
    configuration (or of its runs, see RUNS_INDEX, where that index is
    there and answers it). The pairs are all or nothing: empty while an index of
    pairs is missing (a run deferring RUM has dropped them, or the server has
    no RUM) or when a phrase has no pairs in some configuration (a single
    word, or words with a gap between their positions): a phrase asked of
    GIN is rechecked on the row, and a recheck evaluates every condition of
    the same scan, the pairs' too (read out of line for the folded words,
    computed for the stems), which is what must not happen."""

    values: dict[_Rarity, float]
    pairs: _Pairs
    #: Documents in the index, and those of the rarest folded word of the
    #: query (as many as it can match when it asks for all its words; 0 when
    #: it has no words or a word no document has): what decides whether a search is
    #: worth splitting in two (see SPLIT_MIN_DOCS).
    docs: int = 0
    rarest: int = 0
    worded: bool = False  # the query has words whose statistics were asked

    def fill(self, params: list[Any]) -> list[Any]:
        """``params`` with every :class:`_Rarity` replaced by its value."""
        return [self.values.get(p, 1.0 if p == AVG_WORDS else 0.0) if isinstance(p, _Rarity) else p
                for p in params]


def _prelude(cur: psycopg.Cursor[Any], params: list[Any], phrases: list[str], *, always: bool = False) -> _Prelude:
    """The values of the :class:`_Rarity` placeholders of ``params`` and the
    pairs of ``phrases``, all read in one statement (the query that uses
    them is then planned with plain numbers and constant tsqueries). Without
    ``always``, a query that needs none of them is not sent."""
    wanted = [r for r in dict.fromkeys(p for p in params if isinstance(p, _Rarity)) if r != AVG_WORDS]
    if not wanted and AVG_WORDS not in params and not phrases and not always:
        return _Prelude({}, {})
    asked = [(config, phrase) for phrase in phrases for config in _CONFIGS[1:]]
    cur.execute(_PRELUDE, [ENGINE, list(range(len(wanted))), [r.column for r in wanted],
                           [r.config for r in wanted],
                           [_unplaced(fold_terms(r.text)) if r.config == FOLDED else r.text for r in wanted],
                           FOLDED, RUNS_INDEX, list(PAIRS_INDEXES.values()),
                           [p for _, p in asked], [c for c, _ in asked]])
    value: dict[_Rarity, float] = {}
    lexemes: dict[tuple[str, str], list[tuple[int, str]]] = {a: [] for a in asked}
    for phrase in phrases:
        lexemes[FOLDED, phrase] = list(enumerate(fold_terms(phrase), 1))
    indexes = docs = 0
    runs = False
    rarest: int | None = None
    for n, v, lexeme, position in cur.fetchall():
        n = int(n)
        if n == -1:
            value[AVG_WORDS] = max(1.0, float(v)) if v is not None else 1.0
            docs = int(position) if position is not None else 0
        elif n == -2:
            indexes, runs = int(position), lexeme == "true"
        elif n <= -3:
            lexemes[asked[-3 - n]].append((int(position), str(lexeme)))
        elif v is not None:
            value[wanted[n]] = float(v)
            if wanted[n].column == 0:  # the folded words, which every document has
                held = int(position) if position is not None else 0
                rarest = held if rarest is None else min(rarest, held)
    pairs = {a: _pair_query(found) for a, found in lexemes.items()}
    # A word that no document has gives its group no row.
    if rarest is None or any(r.column == 0 and r not in value for r in wanted):
        rarest = 0
    if indexes < len(PAIRS_INDEXES) or any(q is None for q in pairs.values()):
        return _Prelude(value, {}, docs, rarest, bool(wanted))
    chosen: _Pairs = {a: (_PAIRS_OF[_COLUMN_OF[a[0]]].format(f="f."), q) for a, q in pairs.items() if q is not None}
    for (config, phrase), found in lexemes.items() if runs else ():
        run = _run_query(found) if config == FOLDED else None
        if run is not None:
            chosen[config, phrase] = (_RUNS_OF.format(f="f."), run)
    return _Prelude(value, chosen, docs, rarest, bool(wanted))


#: Keyword filters on a facet (type, language, level) are answered from the
#: code of the row's combination of facet values (``fcode``, the row's first
#: column after its id) rather than from the value's own column, which
#: PostgreSQL reaches only by walking the row's variable-width columns
#: before it: on 100,000 documents a filter without words, which visits
#: every row, took 42-52 ms with the column and 18-24 ms with the code.
_FACET_FILTERS = ("type", "lang", "level")


def _facet_filter(column: str, values: list[str]) -> _Sql:
    """Rows whose ``column`` is one of ``values``, by their facet code (each
    set of codes is looked up in a hash table built once; testing the row's
    code against an array of them cost a pass over the array for every row).
    A row without the value does not match (false, not NULL), so that it
    falls under ``-level:district``, as in the embedded engine."""
    return _Sql(f"f.fcode IN (SELECT fcode FROM {FACETS_TABLE} WHERE {column} = ANY(%s))", [values])


class _Translator:
    """Our query tree → a WHERE clause, and the score of the positive terms."""

    def __init__(self, query: Query, *, words_index: bool = False, pairs: _Pairs | None = None) -> None:
        self.query = query
        self.words_index = words_index
        #: The phrases to find by their word pairs (see _Prelude).
        self.pairs = pairs or {}
        terms = query.positive_terms()
        has_words = any(isinstance(n, (Word, Phrase)) for n in terms)
        self.ref_scale = REF_WITH_WORDS if has_words else 1.0
        #: Words ANDed with a reference (see _CHECKING_ROWS_COSTS).
        self.words_with_references = False

    def where(self, node: Node | None) -> _Sql:
        if node is None:
            return _Sql("TRUE")
        if _pure_text(node):
            return _text_match(node, self.words_index, self.pairs)
        if isinstance(node, And):
            # The words of an AND among filters are one tsquery per column:
            # a condition of a few GIN index scans, not one per word (the
            # planner would scan for one word and check the others on each
            # row's out-of-line tsvector).
            text = [c for c in node.children if _pure_text(c)]
            rest = [self.where(c) for c in node.children if not _pure_text(c)]
            if text and any(isinstance(n, DocRef) and not negated
                            for c in node.children if not _pure_text(c) for n, negated in walk(c)):
                self.words_with_references = True
            if len(text) > 1:
                rest.insert(0, _text_match(And(tuple(text)), self.words_index, self.pairs))
            elif text:
                rest.insert(0, _text_match(text[0], self.words_index, self.pairs))
            return _join(rest, " AND ")
        if isinstance(node, Or):
            # A condition ORed with filters, or negated, may be checked row
            # by row: phrases there are written on the words, whose check
            # reads the row's tsvector, never on their pairs, which would be
            # read out of line too, and for the stems computed for each row
            # (about 1.2 ms a document, against 0.2 ms).
            with self._without_pairs():
                return _join([self.where(c) for c in node.children], " OR ")
        if isinstance(node, Not):
            # A condition on a column a row leaves empty (no issuer, no
            # date) is NULL there, and NOT NULL would drop the row: a
            # negation keeps every row the condition does not match, as
            # the embedded engine does.
            with self._without_pairs():
                inner = self.where(node.child)
            return _Sql(f"NOT coalesce(({inner.text}), false)", inner.params)
        if isinstance(node, DocRef):
            return self.reference_match(node)
        return self.filter(node)

    @contextmanager
    def _without_pairs(self) -> Iterator[None]:
        saved, self.pairs = self.pairs, {}
        try:
            yield
        finally:
            self.pairs = saved

    def reference_match(self, ref: DocRef) -> _Sql:
        key = ref_key(ref.id)
        literal = words(_literal(ref))
        parts = [_Sql("f.own = %s", [key]), _Sql("f.related @> ARRAY[%s]::text[]", [key]),
                 _Sql("f.cites @> ARRAY[%s]::text[]", [key])]
        if literal and (FOLDED, literal) in self.pairs:
            indexed, terms = self.pairs[FOLDED, literal]
            parts.append(_Sql(f"{indexed} @@ %s::tsquery", [terms]))
        elif literal:
            q = _phrase_sql(literal, FOLDED)
            parts.append(_Sql(f"f.tsv @@ {q.text}", q.params))
        return _join(parts, " OR ")

    def filter(self, node: Node) -> _Sql:
        if isinstance(node, KeywordFilter):
            if node.field in _FACET_FILTERS:
                return _facet_filter(node.field, list(node.values))
            return _Sql("f.source = ANY(%s)", [list(node.values)])
        if isinstance(node, RefFilter):
            keys = [ref_key(i) for i in node.ids]
            if node.field == "id":
                return _Sql("f.own = ANY(%s)", [keys])
            column = {"cites": "cites", "implements": "implements"}[node.field]
            return _Sql(f"f.{column} && %s::text[]", [keys])
        if isinstance(node, IssuerFilter):
            text = words(node.text)
            if " " not in text:
                return _Sql("f.issuer_tsv @@ phraseto_tsquery('docsearch_fold', %s)", [text])
            # Several words: the index finds the issuers holding them all,
            # and the row (whose issuer is kept in it) says whether they stand
            # together. Asked of GIN, the phrase would make the scan recheck
            # its rows, and a recheck evaluates every index condition of the
            # scan, the word pairs' too (see _Prelude); the concatenation
            # keeps the planner from asking an index for it.
            return _Sql("(f.issuer_tsv @@ plainto_tsquery('docsearch_fold', %s)"
                        " AND (f.issuer_tsv || ''::tsvector) @@ phraseto_tsquery('docsearch_fold', %s))",
                        [text, text])
        if isinstance(node, RangeFilter):
            column = "year" if node.field == "year" else "ymd"
            parts = []
            if node.low is not None:
                parts.append(_Sql(f"f.{column} >= %s", [node.low]))
            if node.high is not None:
                parts.append(_Sql(f"f.{column} <= %s", [node.high]))
            return _join(parts, " AND ") if parts else _Sql(f"f.{column} IS NOT NULL")
        raise TypeError(f"not a query node: {node!r}")

    # -- scoring ---------------------------------------------------------------------------
    def score(self, *, estimate: bool = False) -> _Sql:
        """The score of a matching document: its words (body, title and lead),
        its relation to each reference, times the prior of its level. An
        ``estimate`` leaves the document's text alone (reading it is what
        costs): each word of the body counts as if it occurred a few times."""
        parts: list[_Sql] = []
        texts = [n for n in self.query.positive_terms() if isinstance(n, (Word, Phrase))]
        if texts:
            parts.append(self._words_score(texts, estimate))
        for ref in self.query.positive_terms():
            if isinstance(ref, DocRef):
                parts.append(self._reference_score(ref, estimate))
        if not parts:
            return _Sql("0.0")
        total = _join(parts, " + ")
        return _Sql(f"({total.text}) * f.boost", total.params)

    def _words_score(self, texts: Sequence[Word | Phrase], estimate: bool) -> _Sql:
        # Each word or phrase counts for itself, by how rare it is (as BM25
        # weighs words) times how often it occurs (ts_rank, which saturates);
        # English and German documents are scored on their stems. A word also
        # found in the title or lead adds a bonus (a phrase does not, as in
        # the tantivy engine).
        parts = []
        if estimate:
            # Every word is taken to occur ESTIMATE times: their weights add
            # up to the sum of their rarities times one factor of length.
            sums = [_join([_idf(n, config, words(node.text)) for node in texts], " + ")
                    for n, config in enumerate(_CONFIGS)]
            factor = _bm25(_Sql("1.0::float8"), tf=ESTIMATE)
            parts.append(_Sql(f"(CASE f.langcode WHEN 1 THEN {sums[1].text} WHEN 2 THEN {sums[2].text}"
                              f" ELSE {sums[0].text} END) * {factor.text}",
                              sums[1].params + sums[2].params + sums[0].params + factor.params))
        for node in texts if not estimate else ():
            cases = []
            for n, (column, config) in enumerate(zip(_COLUMNS, _CONFIGS, strict=True)):
                q = _tsquery(node, config)
                idf = _idf(n, config, words(node.text))
                cases.append(_bm25(idf, _Sql(f"ts_rank({_WEIGHTS}, f.{column}, {q.text})", q.params)))
            body = _Sql(f"CASE f.langcode WHEN 1 THEN {cases[1].text} WHEN 2 THEN {cases[2].text}"
                        f" ELSE {cases[0].text} END", cases[1].params + cases[2].params + cases[0].params)
            parts.append(body)
        # Single words count in the title and lead too (a phrase does not).
        titled = [n for n in texts if isinstance(n, Word) and " " not in words(n.text)]
        if titled and estimate:
            # One reading of the title for all words: their mean weight there
            # (ts_rank of an OR) times their summed rarity; on the words
            # without positions kept in the row (each counted once), not on
            # the full title, which is out of line.
            q = _join([_tsquery(n, FOLDED) for n in titled], " || ")
            idf = _join([_idf(3, FOLDED, words(n.text)) for n in titled], " + ")
            rank = _title_rank(q, fold_terms(words(titled[0].text))) if len(titled) == 1 else _Sql(
                f"ts_rank({_WEIGHTS}, f.title_words, {q.text}, {TITLE_NORM})", q.params)
            parts.append(_Sql(f"{TITLE_BOOST * TITLE_SCALE} * {idf.text} * {rank.text}", idf.params + rank.params))
        for node in titled if not estimate else ():
            q = _tsquery(node, FOLDED)
            idf = _idf(3, FOLDED, words(node.text))
            parts.append(_Sql(f"{TITLE_BOOST * TITLE_SCALE} * {idf.text} * ts_rank({_WEIGHTS}, f.title_words,"
                              f" {q.text}, {TITLE_NORM})", idf.params + q.params))
        total = _join(parts, " + ")
        return _Sql(f"{WORD_SCALE} * {total.text}", total.params)

    def _reference_score(self, ref: DocRef, estimate: bool) -> _Sql:
        key = ref_key(ref.id)
        k = self.ref_scale
        parts = [
            _Sql(f"CASE WHEN f.own = %s THEN {SCORE_SELF * k}::float8 ELSE 0::float8 END", [key]),
            _Sql(f"CASE WHEN f.related @> ARRAY[%s]::text[] THEN {SCORE_RELATED * k}::float8 ELSE 0::float8 END",
                 [key]),
            # How often it is cited orders the citing documents among themselves.
            # The positions are looked up once: where there are none, the
            # sum is NULL and the part 0, as a test of ``cites @>`` before
            # them gave (that test took 7 of the 29 ms this part cost for the
            # 40,000 matches of a common reference).
            _Sql(f"coalesce({SCORE_CITES * k}::float8"
                 " + ln(1 + nullif(cardinality(array_positions(f.cites, %s)), 0)::float8), 0::float8)", [key]),
        ]
        if ref.date is not None:
            ymd = ref.date.year * 10000 + ref.date.month * 100 + ref.date.day
            # The date first: comparing two integers is cheaper than two texts.
            parts.append(_Sql(f"CASE WHEN f.ymd = %s AND f.own = %s THEN {SCORE_SELF_DATE * k}::float8"
                              " ELSE 0::float8 END",
                              [ymd, key]))
        literal = words(_literal(ref))
        if literal and not estimate:
            idf = _idf(0, FOLDED, literal)
            q = _phrase_sql(literal, FOLDED)
            weight = _bm25(idf, _Sql(f"ts_rank({_WEIGHTS}, f.tsv, {q.text})", q.params))
            parts.append(_Sql(f"{LITERAL_WEIGHT * WORD_SCALE} * {weight.text}", weight.params))
        return _join(parts, " + ")

    def proximity(self) -> _Sql | None:
        """A bonus for runs of neighbouring query words that stand together in
        the text (Vietnamese words are several syllables)."""
        runs: list[list[str]] = []

        def collect(node: Node | None) -> None:
            if isinstance(node, And):
                run: list[str] = []
                for child in node.children:
                    if isinstance(child, Word):
                        run.append(child.text)
                        continue
                    if len(run) > 1:
                        runs.append(run)
                    run = []
                    if isinstance(child, (And, Or)):
                        collect(child)
                if len(run) > 1:
                    runs.append(run)
            elif isinstance(node, Or):
                for child in node.children:
                    collect(child)

        collect(self.query.root)
        phrases = [w for w in (words(" ".join(r)) for r in runs) if w]
        if not phrases:
            return None
        parts = []
        for p in phrases:
            idf = _idf(0, FOLDED, p)
            q = _phrase_sql(p, FOLDED)
            parts.append(_bm25(idf, _Sql(f"ts_rank({_WEIGHTS}, f.tsv, {q.text})", q.params)))
        total = _join(parts, " + ")
        return _Sql(f"{PHRASE_BONUS * WORD_SCALE} * {total.text} * f.boost", total.params)


# --- repeated searches ------------------------------------------------------------------------

class _ResultCache:
    """The last results of this process's searches, each under the state of
    the index it was computed from: a web server answering many people asks
    the same few queries (and the next page of each) again and again.

    A key holds the database, the index's generation (the version row that
    every commit rewrites: its transaction id and time), the parsed query and
    the page asked for. Any commit changes the generation, so a cached result
    is never older than the snapshot the search would read; results of past
    generations simply age out. Bounded by entries and by the characters of
    the hits' texts, least recently used first out."""

    def __init__(self, entries: int, chars: int = CACHE_CHARS) -> None:
        self.entries = entries
        self.chars = chars
        self._held = 0
        self._items: OrderedDict[Hashable, tuple[EngineResult, int]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_environment(cls) -> _ResultCache:
        value = os.environ.get(CACHE_ENV, "").strip()
        try:
            entries = int(value) if value else CACHE_ENTRIES
        except ValueError:
            raise SearchError(f"{CACHE_ENV}={value!r} is not a number of entries (0 turns the cache off)") from None
        return cls(max(0, entries))

    def get(self, key: Hashable) -> EngineResult | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, result: EngineResult) -> None:
        size = sum(len(h.text) for h in result.hits)
        if self.entries <= 0 or size > self.chars // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._held -= old[1]
            self._items[key] = (result, size)
            self._held += size
            while len(self._items) > self.entries or self._held > self.chars:
                _, (_, gone) = self._items.popitem(last=False)
                self._held -= gone

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._held = 0


_cache: _ResultCache | None = None
_cache_lock = threading.Lock()


def result_cache() -> _ResultCache:
    """The process's cache of search results (sized by CACHE_ENV at first use)."""
    global _cache
    with _cache_lock:
        if _cache is None:
            _cache = _ResultCache.from_environment()
        return _cache


#: The generation of the committed index: every commit rewrites this row.
_GENERATION = f"SELECT xmin::text, updated FROM {VERSION_TABLE} WHERE engine = %s"


# --- the engine -------------------------------------------------------------------------------


# How long the VACUUM at the end of a rebuild waits, at most, for what keeps
# it from marking pages: one second in all, in growing pauses between tries.
VISIBLE_PAUSES = (0.05, 0.15, 0.3, 0.5)


def _vacuum_rebuilt(conn: psycopg.Connection[Any]) -> None:
    """Vacuum and analyze the rebuilt tables until their pages are marked
    all-visible, or give up after :data:`VISIBLE_PAUSES`.

    A page is marked only when each row's insert is known committed to every
    snapshot, and two passing states stop that for a moment:

    - a transaction that took its snapshot before the rebuild's commit
      (autovacuum analysing a new database's catalog, a reader's query);
    - an asynchronous commit (``synchronous_commit = off``) of any session
      whose transaction number lies near the rebuild's, with its log not yet
      flushed: the server then cannot yet mark the rebuild's rows committed
      either. This session's own ANALYZE commits synchronously for that.

    Unmarked, every search checks the visibility of each match's row one by
    one until autovacuum next comes by.
    """
    tables = [TABLE, TERMS_TABLE, FACETS_TABLE]
    conn.execute("SET synchronous_commit = on")
    try:
        conn.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        for pause in VISIBLE_PAUSES:
            rows = conn.execute(
                "SELECT relname FROM pg_class WHERE oid = ANY(%s::regclass[]) AND relallvisible < relpages",
                [tables]).fetchall()
            if not rows:
                return
            _pause(pause)
            conn.execute(f"VACUUM {', '.join(str(name) for (name,) in rows)}")
    finally:
        conn.execute("RESET synchronous_commit")


def _in_thread(work: Callable[[], None], name: str) -> Future[None]:
    """``work`` started on a thread of its own, which ends with it."""
    helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    try:
        return helper.submit(work)
    finally:
        helper.shutdown(wait=False)


def _pause(seconds: float) -> None:
    """Wait between the tries of :func:`_vacuum_rebuilt` (replaced in tests)."""
    time.sleep(seconds)


class PostgresEngine(SearchEngine):
    """The full-text index in a PostgreSQL database; use :meth:`open_reader`
    or :meth:`open_writer` with a ``postgresql://`` URL."""

    def __init__(self, url: str, conn: psycopg.Connection[Any], *, writer: bool = False,
                 fresh: bool = False, rebuild: bool = False, text_index: str = "gin", split: bool = False) -> None:
        self.url = url
        self._text_index = text_index  # RUM or GIN for the folded words (a writer's, see TEXT_INDEXES)
        self._replace_text_index = False
        self._conn: psycopg.Connection[Any] | None = conn
        self._writer = writer
        self._fresh = fresh
        self._rebuild = rebuild
        # doc_id → the document to write, or None to delete; applied in order.
        self._pending: dict[int, IndexDoc | None] = {}
        self._written: set[int] = set()  # ids written in this transaction (a rebuild keeps only those)
        # One connection carries one transaction at a time: threads sharing
        # this engine take turns.
        self._lock = threading.RLock()
        self._holding = False  # the writers' lock, for this transaction
        self._base_docs = 0  # documents in the index when this writer opened it
        self._wrote = 0  # documents this writer has written since (see DEFER_MIN_DOCS)
        self._deferring = False  # this writer holds DEFER_LOCK: RUM waits for the end of its run
        self._run = False  # the writes are a run of commits that finish() ends (see begin_run)
        # The deferred indexes being built on connections of their own (see
        # begin_finish), and those connections, to cancel at close.
        self._building: Future[None] | None = None
        self._builders: list[psycopg.Connection[Any]] = []
        self._pipe: AbstractContextManager[Any] | None = None  # the writes' pipeline, until commit() (see _flush)
        # A reader's second connection and the thread that drives it, for the
        # searches run in two halves (see SPLIT_MIN_DOCS); opened at the first
        # such search and used only under self._lock, so an engine never holds
        # more than two connections, however many threads share it.
        self._partner: psycopg.Connection[Any] | None = None
        self._helper: ThreadPoolExecutor | None = None
        self._can_split = split and not writer  # False once the server refused to share a snapshot
        self._split_at: tuple[int, int] | None = None  # (documents then, their median id)

    # -- opening ---------------------------------------------------------------------------
    @staticmethod
    def _connect(url: str) -> psycopg.Connection[Any]:
        try:
            return send_tsvectors(psycopg.connect(url, connect_timeout=10, application_name="docsearch"))
        except psycopg.Error as exc:
            reason = _reason(exc)
            try:
                password = urlsplit(url).password
            except ValueError:
                password = None
            if password:  # a malformed URL may be quoted back in the message
                reason = reason.replace(password, "***")
            raise SearchError(i18n.phrase("cannot connect to {url}: {reason}; check the URL, the user and the password, "
                                     "and that the server is running", url=describe(url), reason=reason)) from None

    @classmethod
    def open_reader(cls, url: str) -> PostgresEngine:
        """Open the committed index for searching (needs SELECT on its tables only)."""
        split = _split_wanted()  # a wrong setting is told before connecting
        conn = cls._connect(url)
        try:
            _reading(conn)
            version = _read_version(conn, url)
            conn.rollback()
            if version is None:
                raise IndexMissing(i18n.phrase("no full-text index in {url}: run 'docsearch reindex --index URL' "
                                          "(or 'docsearch ingest FOLDER --index URL')", url=describe(url)))
            if version != SCHEMA_VERSION:
                raise SearchError(i18n.phrase("the full-text index in {url} was built by another docsearch version; "
                                         "run 'docsearch reindex --index URL'", url=describe(url)))
            # How the folded words are indexed decides how a search asks for
            # words (see WORDS_INDEX); read once: a rebuild into the other kind
            # of index leaves a reader's searches right, only slower, until it
            # is opened again.
            row = conn.execute(f"SELECT text_index FROM {VERSION_TABLE} WHERE engine = %s", [ENGINE]).fetchone()
            conn.rollback()
        except BaseException:
            conn.close()
            raise
        return cls(url, conn, text_index=str(row[0]) if row else "gin", split=split)

    @classmethod
    def open_writer(cls, url: str, *, rebuild: bool = False) -> PostgresEngine:
        """Open the index for writing, creating its tables and text search
        configurations when missing. With ``rebuild`` (or no usable index) the
        next commit replaces every entry; searches see the old ones until then.
        Writes wait while another process is committing to the index."""
        conn = cls._connect(url)
        try:
            with _errors(url, i18n.phrase("open the full-text index for writing")):
                # Creating the tables is one writer's job at a time.
                conn.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK])
                conn.commit()
                version = _setup(conn)
                fresh = rebuild or version != SCHEMA_VERSION
                built = _built_text_index(conn)
                recorded = _recorded(conn)
                if built is None and not fresh and recorded is not None and _exists(conn, STANDIN_INDEX):
                    # A run deferring RUM is under way, or was killed: the
                    # index keeps the kind it records.
                    text_index = recorded[1]
                else:
                    text_index = built if built is not None and not fresh else _wanted_text_index(conn)
                conn.commit()
                conn.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])
                conn.commit()
        except BaseException:
            conn.close()
            raise
        engine = cls(url, conn, writer=True, fresh=fresh, rebuild=fresh, text_index=text_index)
        engine._base_docs = recorded[0] if recorded is not None and not fresh else 0
        # A rebuild on a server that gained (or lost) RUM replaces the index
        # of the folded words in its own transaction.
        engine._replace_text_index = built is not None and built != text_index
        return engine

    @property
    def fresh(self) -> bool:
        return self._fresh

    def _c(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            raise SearchError("this full-text index is closed")
        if self._building is not None:
            # Not used while begin_finish's build runs: a read here would
            # hold the table until this transaction ends, and the build's
            # last step (dropping the stand-in) waits for every such hold.
            building, self._building = self._building, None
            building.result()  # its error, if any
        if (self._conn.closed or self._conn.broken) and not self._writer:
            # The server restarted or dropped us: a reader simply connects again
            # (a writer's transaction is lost, so it reports the error instead).
            self._conn = _reading(self._connect(self.url))
        return self._conn

    # -- writing ---------------------------------------------------------------------------
    def _check_writer(self) -> None:
        if not self._writer:
            raise SearchError("this full-text index was opened for reading only")

    def add(self, doc: IndexDoc) -> None:
        self._check_writer()
        self._pending.pop(doc.doc_id, None)
        self._pending[doc.doc_id] = doc
        if len(self._pending) >= BATCH:
            self._flush()

    def delete(self, doc_id: int) -> None:
        self._check_writer()
        self._pending.pop(doc_id, None)
        self._pending[doc_id] = None
        if len(self._pending) >= BATCH:
            self._flush()

    def hold_writes(self, expected: int = 0) -> bool:
        self._check_writer()
        if self._holding:
            return True
        conn = self._c()
        with _errors(self.url, i18n.phrase("write the full-text index")):
            # Decided here as _flush would with the first chunk, before the turn is taken.
            if not self._pending and self._should_defer(expected):
                self._defer(conn)
            self._hold(conn)
        return True

    def _hold(self, conn: psycopg.Connection[Any]) -> None:
        """Take the writers' lock until this transaction ends: writers take
        turns batch by batch (each counts words against what the others
        committed), and a long-lived writer does not keep others waiting
        between its commits."""
        if not self._holding:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            self._holding = True

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        conn = self._c()
        with _errors(self.url, i18n.phrase("write the full-text index")):
            if not self._holding and self._should_defer(len(pending)):
                self._defer(conn)
        if self._pipe is None:
            # This transaction's writes go out without waiting for each
            # statement's end: the server writes one chunk of rows while the
            # next is made here (and the store read), and commit() waits for
            # them all (their errors surface there).
            self._pipe = conn.pipeline()
            self._pipe.__enter__()
        with _errors(self.url, i18n.phrase("write the full-text index")), conn.cursor() as cur:
            self._hold(conn)
            if not self._rebuild:  # a rebuild counts all words at commit
                # The words of the rows this transaction wrote are counted at
                # its commit (see commit): only the words of rows committed
                # before are taken off the counts here.
                old = [d for d in pending if d not in self._written]
                if old:
                    cur.execute(_COUNT_WORDS, [-1, old, old, old, old])
            gone = [d for d, doc in pending.items() if doc is None]
            if gone:
                cur.execute(f"DELETE FROM {TABLE} WHERE doc_id = ANY(%s)", [gone])
                self._written.difference_update(gone)
            docs = [doc for doc in pending.values() if doc is not None]
            rows = [_row(doc, self._text_index == "rum") for doc in docs]
            if rows:
                combos = {_facet_key(v): v for v in map(_facet_values, docs)}
                cur.execute(_ADD_FACETS, [list(combos), *map(list, zip(*combos.values(), strict=True))])
                cur.executemany(_UPSERT, rows)
                self._written.update(r[0] for r in rows)
                self._wrote += len(rows)

    def commit(self) -> None:
        self._check_writer()
        self._flush()
        conn = self._c()
        with _errors(self.url, i18n.phrase("commit the full-text index")):
            self._hold(conn)
            if self._written and not self._rebuild:
                # The words of the transaction's rows, counted once for all
                # of them: grouped over an ingest's batch of 2,000 documents
                # instead of each chunk of BATCH, each word's count is
                # updated once per batch, not once per chunk (half the
                # server's time for the counts). Until here a writer's own
                # searches see these rows without their words' counts.
                added = sorted(self._written)
                conn.execute(_COUNT_WORDS, [1, added, added, added, added])
            if self._fresh:
                # Memory for sorting the words of every row at once, for this
                # transaction only (the server's default is 64 MB).
                conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
                if self._replace_text_index:
                    conn.execute(f"DROP INDEX IF EXISTS {TABLE}_tsv, {TABLE}_words")
                    conn.execute(_DROP_PAIRS)
                    self._replace_text_index = False
                # The first commit of a large run (begin_run): RUM and the
                # pairs built now would be dropped by its next commit (see
                # _should_defer), so the stand-in serves from the start, and
                # finish() builds them once from all rows. DEFER_LOCK is not
                # waited for: a writer building RUM in finish() holds it and
                # waits for the writers' lock, which this transaction holds;
                # while one does, this commit builds RUM as before.
                defer = self._run and self._text_index == "rum" and len(self._written) >= DEFER_MIN_DOCS
                if defer:
                    got = conn.execute("SELECT pg_try_advisory_lock_shared(%s)", [DEFER_LOCK]).fetchone()
                    defer = self._deferring = bool(got and got[0])
                for statement in _INDEX_SQL[1:] if defer else _INDEX_SQL:  # no-ops where they exist
                    conn.execute(statement.replace("{text_index}", TEXT_INDEXES[self._text_index]).encode())
                if self._text_index == "rum":
                    conn.execute(WORDS_INDEX.encode())
                if defer:
                    conn.execute(f"DROP INDEX IF EXISTS {TABLE}_tsv")
                    conn.execute(_DROP_PAIRS)
                    conn.execute(f"CREATE INDEX IF NOT EXISTS {STANDIN_INDEX} ON {TABLE} USING gin (tsv)")
                else:
                    if self._text_index == "rum":
                        _build_pairs(conn)
                    # A rebuild ends any deferral of RUM (a killed run's included).
                    conn.execute(f"DROP INDEX IF EXISTS {STANDIN_INDEX}")
            if self._rebuild:
                # The VACUUM after this commit marks a page all-visible only
                # once the commit is known durable (until then its rows' hint
                # bits are not set): a server with synchronous_commit off
                # would otherwise leave the whole rebuilt table unmarked.
                conn.execute("SET LOCAL synchronous_commit = on")
                conn.execute(f"DELETE FROM {TABLE} WHERE NOT (doc_id = ANY(%s))", [sorted(self._written)])
                for statement in _RECOUNT_WORDS:
                    conn.execute(statement.encode())
            conn.execute(
                f"INSERT INTO {VERSION_TABLE} (engine, schema, docs, avg_words, text_index) VALUES (%s, %s,"
                f" (SELECT count(*) FROM {TABLE}), (SELECT coalesce(avg(nwords), 1) FROM {TABLE}), %s)"
                " ON CONFLICT (engine) DO UPDATE SET schema = excluded.schema, docs = excluded.docs,"
                " avg_words = excluded.avg_words, text_index = excluded.text_index, updated = now()",
                [ENGINE, SCHEMA_VERSION, self._text_index])
            conn.commit()
            self._holding = False
            self._end_pipeline()
            if self._rebuild:
                # Fresh statistics for the planner, and the visibility map set
                # (autovacuum would take a while): until then every search
                # checks the visibility of each match's row one by one.
                conn.autocommit = True
                try:
                    _vacuum_rebuilt(conn)
                finally:
                    conn.autocommit = False
        self._rebuild = False
        # The index is complete from now on: a writer held open across an
        # ingest brings only each batch's documents in step, not all of them
        # again (which made an ingest's cost grow with the square of its size).
        self._fresh = False
        self._written.clear()

    def _end_pipeline(self) -> None:
        """Leave the pipeline of the writes (see _flush), once they are all
        answered: after the commit, or before a rollback."""
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            pipe.__exit__(None, None, None)

    def begin_run(self) -> None:
        """The commits that follow are a run that :meth:`finish` ends: the
        first commit into a new index, when it writes at least DEFER_MIN_DOCS
        documents, defers RUM at once instead of building it for the next
        commit to drop."""
        self._check_writer()
        self._run = True

    def _should_defer(self, batch: int) -> bool:
        """Whether this writer, about to write ``batch`` more documents in a
        new transaction, has written enough to build RUM again at the end
        rather than add to it (see STANDIN_INDEX)."""
        if self._deferring or self._fresh or self._rebuild or self._text_index != "rum":
            return False
        wrote = self._wrote + batch
        return wrote >= DEFER_MIN_DOCS and wrote >= DEFER_SHARE * self._base_docs

    def _defer(self, conn: psycopg.Connection[Any]) -> None:
        """Replace RUM by its stand-in, in a transaction of its own (the
        readers wait only for the moment the old index goes), and mark this
        writer as deferring until :meth:`finish`."""
        conn.execute("SELECT pg_advisory_lock_shared(%s)", [DEFER_LOCK])  # the session's, released at close
        self._deferring = True
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        if not _exists(conn, STANDIN_INDEX):
            conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
            conn.execute(f"CREATE INDEX {STANDIN_INDEX} ON {TABLE} USING gin (tsv)")
        # Searches find phrases through the stand-in meanwhile (see _Prelude).
        conn.execute(f"DROP INDEX IF EXISTS {TABLE}_tsv")
        conn.execute(_DROP_PAIRS)
        conn.commit()

    def begin_finish(self) -> None:
        """Start building the indexes this writer deferred (see finish) on
        connections of their own, and return: the work the caller does next
        (an ingest resolves its graph) runs meanwhile. Anything this writer
        does next waits for the build first, and reports its error."""
        self._check_writer()
        if not self._deferring or self._building is not None:
            return
        if self._pending or self._holding:
            self.commit()
        conn = self._c()
        with _errors(self.url, i18n.phrase("finish the full-text index")):
            # Let go of this writer's share of DEFER_LOCK, which the builder's
            # connection must hold alone.
            conn.execute("SELECT pg_advisory_unlock_shared(%s)", [DEFER_LOCK])
            conn.commit()
        self._deferring = False
        self._base_docs, self._wrote = self._base_docs + self._wrote, 0
        self._building = _in_thread(self._build_on_own_connection, "docsearch-finish")

    def _build_on_own_connection(self) -> None:
        conn = self._connect(self.url)
        self._builders.append(conn)
        try:
            with _errors(self.url, i18n.phrase("finish the full-text index")):
                self._build_deferred(conn)
        finally:
            self._builders.remove(conn)
            conn.close()

    def finish(self) -> None:
        """End a run: commit what is pending, and when RUM was deferred (by
        this writer, or by one that was killed) and no other writer is still
        deferring it, build it from all rows and drop its stand-in. Writers
        wait meanwhile; searches go on."""
        self._check_writer()
        if self._pending or self._holding:
            self.commit()
        conn = self._c()  # once what begin_finish started is done
        with _errors(self.url, i18n.phrase("finish the full-text index")):
            if self._deferring:
                conn.execute("SELECT pg_advisory_unlock_shared(%s)", [DEFER_LOCK])
                self._deferring = False
            self._build_deferred(conn)
        self._base_docs, self._wrote = self._base_docs + self._wrote, 0

    def _build_deferred(self, conn: psycopg.Connection[Any]) -> None:
        """On ``conn``, which holds no share of DEFER_LOCK: when no writer is
        deferring RUM any more and its stand-in is there, build RUM and the
        pairs from all rows and drop the stand-in, in one transaction."""
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", [DEFER_LOCK]).fetchone()
        if not (row and row[0]):
            conn.commit()
            return  # another run defers RUM: the last one to end builds it
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            if _exists(conn, STANDIN_INDEX):
                conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
                text_index = TEXT_INDEXES["rum" if self._text_index == "rum" else "gin"]
                apart = self._build_apart() if self._text_index == "rum" else None
                try:
                    conn.execute(_INDEX_SQL[0].replace("{text_index}", text_index).encode())
                    if self._text_index == "rum":
                        _build_pairs(conn, [n for n in _PAIRS_INDEX_SQL if apart is None or n not in _BUILT_APART])
                finally:
                    if apart is not None:
                        wait_for([apart])  # its table lock must be gone before the stand-in goes
                if apart is not None:
                    apart.result()  # its error, if any
                conn.execute(f"DROP INDEX {STANDIN_INDEX}")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [DEFER_LOCK])
            conn.commit()

    def _build_apart(self) -> Future[None] | None:
        """Start building the indexes of _BUILT_APART on a connection of their
        own, each committed there once built; None when the server gives no
        second connection (this one then builds them)."""
        try:
            other = self._connect(self.url)
        except SearchError:
            return None
        self._builders.append(other)

        def build() -> None:
            try:
                other.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
                for name in _BUILT_APART:
                    _build_pairs(other, [name])
                    other.commit()
            finally:
                self._builders.remove(other)
                other.close()

        return _in_thread(build, "docsearch-build")

    def close(self) -> None:
        building, self._building = self._building, None
        if building is not None:
            # A run that stops before finish(): the build is called off (its
            # transaction undone, the stand-in kept; the next run's finish
            # builds the deferred indexes), and called off again until it
            # ends, since a builder may still be connecting, or begin its
            # next statement after a cancel.
            while not building.done():
                for builder in list(self._builders):
                    with suppress(psycopg.Error):
                        builder.cancel()
                wait_for([building], timeout=0.2)
            with suppress(Exception):
                building.result()
        partner, self._partner = self._partner, None
        if partner is not None:
            partner.close()
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.shutdown(wait=True)
        conn, self._conn = self._conn, None
        if conn is None or conn.closed:
            return
        try:
            # Whatever was not committed is dropped, and the lock with it.
            self._holding = False
            with suppress(psycopg.Error):  # a write that failed: dropped with the rest
                self._end_pipeline()
            conn.rollback()
        except psycopg.Error:
            pass
        finally:
            conn.close()
        self._pending.clear()

    # -- reading ---------------------------------------------------------------------------
    def fingerprints(self) -> dict[int, int]:
        conn = self._c()
        with _errors(self.url, i18n.phrase("read the full-text index")):
            rows = conn.execute(f"SELECT doc_id, fingerprint FROM {TABLE}").fetchall()
            if not self._writer:
                conn.rollback()
        return {int(d): _unsigned(int(fp)) for d, fp in rows}

    def fingerprints_of(self, doc_ids: list[int]) -> dict[int, int]:
        conn = self._c()
        with _errors(self.url, i18n.phrase("read the full-text index")):
            rows = conn.execute(f"SELECT doc_id, fingerprint FROM {TABLE} WHERE doc_id = ANY(%s)",
                                (list(doc_ids),)).fetchall()
            if not self._writer:
                conn.rollback()
        return {int(d): _unsigned(int(fp)) for d, fp in rows}

    def count(self) -> int:
        conn = self._c()
        with _errors(self.url, i18n.phrase("read the full-text index")):
            row = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
            if not self._writer:
                conn.rollback()
        return int(row[0]) if row else 0

    def search(self, query: Query, *, limit: int = 10, offset: int = 0,
               facets: bool = True) -> EngineResult:
        with self._lock:
            return self._search_locked(query, limit=limit, offset=offset, facets=facets)

    def _search_locked(self, query: Query, *, limit: int, offset: int, facets: bool) -> EngineResult:
        conn = self._c()
        with _errors(self.url, i18n.phrase("search the full-text index")):
            try:
                # A writer may see its own uncommitted rows: only readers share results.
                cache = result_cache() if not self._writer else None
                if cache is None or cache.entries <= 0:
                    return self._search(conn, query, limit=limit, offset=offset, facets=facets)
                # Read in the snapshot the search itself reads (the first
                # statement of the transaction takes it).
                row = conn.execute(_GENERATION, [ENGINE]).fetchone()
                key = (self.url, row, query.root, limit, offset, facets)
                found = cache.get(key)
                if found is not None:
                    return found
                result = self._search(conn, query, limit=limit, offset=offset, facets=facets)
                cache.put(key, result)
                return result
            finally:
                if not self._writer and not conn.broken:
                    conn.rollback()  # end the snapshot: the next search sees the latest commit

    def _search(self, conn: psycopg.Connection[Any], query: Query, *, limit: int, offset: int,
                facets: bool) -> EngineResult:
        tr = _Translator(query, words_index=self._text_index == "rum")
        bonus = tr.proximity() if query.scored else None
        window, first = (max(RERANK_WINDOW, offset + limit), 0) if bonus is not None else (limit, offset)
        candidates = max(CANDIDATES, window + first)
        estimate, exact = (tr.score(estimate=True), tr.score()) if query.scored else (_Sql("0.0"), None)
        with conn.cursor() as cur:
            # The word statistics of both statements are read at once (one
            # round trip, and one reading of the statistics, fewer), with the
            # word pairs of the phrases the condition is written with.
            bonus_params = bonus.params if bonus is not None else []
            prelude = _prelude(cur, [*estimate.params, *(exact.params if exact else []), *bonus_params],
                               _phrases(query.root) if self._text_index == "rum" else [],
                               always=self._can_split and query.scored and SPLIT_MIN_DOCS <= 0)
            tr.pairs = prelude.pairs
            where = tr.where(query.root)
            settings = (_SEARCH_SETTINGS if not tr.words_with_references
                        else f"{_SEARCH_SETTINGS}; {_CHECKING_ROWS_COSTS}")
            bound = self._split_bound(cur, query, prelude)
            if bound is None:
                statement = _statement(estimate, exact, where, None, candidates, window, first, facets)
                cur.execute(settings)
                cur.execute(statement.text, prelude.fill(statement.params))
                ranked, total, groups = _one_result(cur.fetchall())
            else:
                halves = [_statement(estimate, exact, where, _Sql(condition, [bound]), candidates, window, first,
                                     facets) for condition in ("f.doc_id < %s", "f.doc_id >= %s")]
                rows = self._run_halves(cur, settings, *(_Sql(h.text, prelude.fill(h.params)) for h in halves))
                ranked, total, groups = _merged_result(rows, candidates, window, first)
            if bonus is not None and ranked:
                # Words standing together reorder the best matches only: a
                # phrase check on every match would cost far more.
                cur.execute(f"SELECT f.doc_id, {bonus.text} FROM {TABLE} f WHERE f.doc_id = ANY(%s)",
                            [*prelude.fill(bonus_params), [d for d, _ in ranked]])
                extra = {int(d): float(b) for d, b in cur.fetchall()}
                position = {d: n for n, (d, _) in enumerate(ranked)}
                ranked = sorted(((d, sc + extra.get(d, 0.0)) for d, sc in ranked),
                                key=lambda x: (-x[1], position[x[0]]))[offset:offset + limit]
            hits = self._hits(cur, ranked, scored=query.scored)
        return EngineResult(total, hits, _facet_counts(groups) if facets else {})

    # -- searches in two halves ------------------------------------------------------------
    def _split_bound(self, cur: psycopg.Cursor[Any], query: Query, prelude: _Prelude) -> int | None:
        """The document id splitting this search in two halves, or None when
        it runs as one statement: a writer's search (it reads its own
        uncommitted rows), one without ranking, a small index, a search
        with a rare word, a filter, a reference or a phrase asked of its pairs,
        or on a server that cannot share a snapshot."""
        if not self._can_split or not query.scored or prelude.docs < SPLIT_MIN_DOCS or prelude.pairs:
            return None
        if not prelude.worded or prelude.rarest < SPLIT_MIN_SHARE * prelude.docs:
            return None
        if any(isinstance(node, (DocRef, *_FILTERS)) for node, _ in walk(query.root)):
            return None
        if self._partner_connection() is None:
            return None
        docs = prelude.docs
        if self._split_at is None or abs(self._split_at[0] - docs) > SPLIT_DRIFT * docs:
            # Any bound gives the same results; the median shares the work evenly.
            row = cur.execute(f"SELECT doc_id FROM {TABLE} ORDER BY doc_id OFFSET %s LIMIT 1", [docs // 2]).fetchone()
            self._split_at = (docs, int(row[0]) if row else 0)
        return self._split_at[1]

    def _partner_connection(self) -> psycopg.Connection[Any] | None:
        """The second connection of this reader, opened on first use; None
        (and no more splits) where it cannot be opened or the server cannot
        hand one connection's snapshot to another."""
        partner = self._partner
        if partner is not None and not partner.closed and not partner.broken:
            return partner
        self._partner = None
        try:
            partner = self._connect(self.url)
        except SearchError:
            # No second connection (the server's limit of connections, say):
            # this reader's searches stay whole.
            self._can_split = False
            return None
        _reading(partner)
        probe = None
        try:
            # Both halves must read the same snapshot; check once that this
            # server lets them (a standby may not).
            probe = _reading(self._connect(self.url))
            row = probe.execute("SELECT pg_export_snapshot()").fetchone()
            partner.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(str(row[0]) if row else "")))
            partner.rollback()
        except (psycopg.Error, SearchError):
            partner.close()
            self._can_split = False
            return None
        finally:
            if probe is not None:
                probe.close()
        self._partner = partner
        return partner

    def _run_halves(self, cur: psycopg.Cursor[Any], settings: str, lower: _Sql, upper: _Sql) -> list[tuple[Any, ...]]:
        """The rows of ``lower`` run on this connection and of ``upper`` on the
        partner at the same time, both in the snapshot this transaction reads."""
        partner = self._partner
        assert partner is not None
        settings = f"{settings}; {_HALF_COSTS}"
        row = cur.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot = str(row[0]) if row else ""

        def other_half() -> list[tuple[Any, ...]]:
            try:
                with partner.cursor() as pcur:
                    pcur.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
                    pcur.execute(settings)
                    pcur.execute(upper.text, upper.params)
                    return pcur.fetchall()
            finally:
                if not partner.closed and not partner.broken:
                    partner.rollback()

        if self._helper is None:
            self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docsearch-pg-half")
        future = self._helper.submit(other_half)
        try:
            cur.execute(settings)
            cur.execute(lower.text, lower.params)
            rows = cur.fetchall()
        except BaseException:
            wait_for([future])  # the partner's transaction ends before this one's snapshot does
            raise
        return rows + future.result()

    @staticmethod
    def _hits(cur: psycopg.Cursor[Any], ranked: list[tuple[int, float]], *, scored: bool) -> tuple[EngineHit, ...]:
        if not ranked:
            return ()
        cur.execute(f"SELECT doc_id, meta, body FROM {TABLE} WHERE doc_id = ANY(%s)", [[d for d, _ in ranked]])
        stored = {int(d): (meta, body) for d, meta, body in cur.fetchall()}
        out = []
        for doc_id, score in ranked:
            if doc_id not in stored:
                continue
            meta, body = stored[doc_id]
            out.append(EngineHit(doc_id=doc_id, score=score if scored else 0.0, text=body, meta=meta))
        return tuple(out)



def _statement(estimate: _Sql, exact: _Sql | None, where: _Sql, half: _Sql | None, candidates: int,
               window: int, first: int, facets: bool) -> _Sql:
    """The statement of a search: the matching documents are found once, then
    ranked, counted and grouped into facets. Its rows are (kind, key, value,
    n): a hit (its id, its score and its rank, or with ``half`` its estimate,
    see :func:`_merged_result`), the total, or a facet value with its count.
    ``half`` narrows the matches to one half of the documents: the hits are
    then all the half's best ``candidates`` by the estimate, with their
    exact score, for the caller to merge with the other half's."""
    if exact is not None:
        if half is None:
            # The best candidates by the estimate, then by their exact score.
            ranking = _Sql(
                f"ranked AS (SELECT f.doc_id, {exact.text} AS score FROM {TABLE} f WHERE f.doc_id IN"
                " (SELECT doc_id FROM m ORDER BY estimate DESC, doc_id LIMIT %s))", [*exact.params, candidates])
        else:
            ranking = _Sql(
                f"ranked AS (SELECT c.doc_id, {exact.text} AS score, c.estimate FROM"
                " (SELECT doc_id, estimate FROM m ORDER BY estimate DESC, doc_id LIMIT %s) c"
                f" JOIN {TABLE} f ON f.doc_id = c.doc_id)", [*exact.params, candidates])
        order = "score DESC, doc_id"
    else:
        ranking = _Sql("ranked AS (SELECT doc_id, 0.0 AS score, ymd FROM m)")
        order = "ymd DESC NULLS LAST, doc_id"  # only filters: newest first
    if half is None:
        parts = [_Sql(f"(SELECT 'hit', doc_id::text, score, row_number() OVER (ORDER BY {order})"
                      f" FROM (SELECT * FROM ranked ORDER BY {order} LIMIT %s OFFSET %s) top)", [window, first])]
    else:
        assert exact is not None, "only ranked searches are split"
        parts = [_Sql("SELECT 'hit', doc_id::text, score, estimate FROM ranked")]
    if facets:
        # The matches are grouped on one integer, their combination of
        # facet values (hashing five texts per match cost several times
        # more), and the few hundred combinations found are rolled up into
        # the total and every facet.
        columns = [f"c.{column}" for column in _FACET_COLUMNS]
        kinds = " ".join(f"WHEN {(1 << len(columns)) - 1 - (1 << (len(columns) - 1 - n))} THEN '{name}'"
                         for n, (name, _, _) in enumerate(FACETS))
        parts.append(_Sql(f"SELECT CASE GROUPING({', '.join(columns)}) {kinds} ELSE 'total' END,"
                          f" coalesce({', '.join(f'{c}::text' for c in columns)}), NULL,"
                          " coalesce(sum(g.n), 0)::bigint"
                          " FROM (SELECT fcode, count(*) AS n FROM (SELECT unnest(codes) AS fcode FROM found) u"
                          f" GROUP BY fcode) g JOIN {FACETS_TABLE} c ON c.fcode = g.fcode"
                          f" GROUP BY GROUPING SETS ((), {', '.join(f'({c})' for c in columns)})"))
    else:
        parts.append(_Sql("SELECT 'total', NULL, NULL, coalesce(cardinality(ids), 0)::bigint FROM found"))
    condition = where if half is None else _Sql(f"({where.text}) AND {half.text}", [*where.params, *half.params])
    # The matches are gathered once, as arrays in one row (their ids, their
    # estimates or dates, their facet codes), which the ranking and the
    # facets each unnest: appending a value to an array costs less than
    # storing a row of a materialized CTE and reading it back twice (which
    # took about 15 of the 74 ms of a word found in 73,000 of 100,000
    # documents; the arrays save 3-5 of them). Without any match the arrays
    # are NULL and unnest to no row.
    key, column = ("estimate", estimate) if exact is not None else ("ymd", _Sql("f.ymd"))
    return _Sql(f"WITH found AS MATERIALIZED (SELECT array_agg(f.doc_id) AS ids, array_agg({column.text}) AS keys,"
                f" array_agg(f.fcode) AS codes FROM {TABLE} f WHERE {condition.text}),"
                f" m AS (SELECT unnest(ids) AS doc_id, unnest(keys) AS {key} FROM found), {ranking.text} "
                + " UNION ALL ".join(p.text for p in parts),
                [*column.params, *condition.params, *ranking.params, *(v for p in parts for v in p.params)])


def _one_result(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[int, float]], int, dict[str, list[tuple[str, int]]]]:
    """The ranked hits, the total and the facet groups of :func:`_statement`'s rows."""
    ranked_rows = sorted((int(n), int(key), float(value)) for kind, key, value, n in rows if kind == "hit")
    total, groups = _total_and_groups((kind, key, int(n)) for kind, key, _, n in rows if kind != "hit")
    return [(d, sc) for _, d, sc in ranked_rows], total, groups


def _total_and_groups(counts: Iterable[tuple[str, str | None, int]]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The total and the facet groups from (kind, value, count) rows."""
    groups: dict[str, list[tuple[str, int]]] = {name: [] for name, _, _ in FACETS}
    total = 0
    for kind, key, n in counts:
        if kind == "total":
            total = n
        elif key is not None:  # documents without the value are not a facet
            groups[kind].append((str(key), n))
    return total, groups


def _descending(value: float | None) -> tuple[int, float]:
    """A sort key ordering as SQL's ``DESC`` does (NULL first)."""
    return (0, 0.0) if value is None else (1, -value)


def _merged_result(rows: list[tuple[Any, ...]], candidates: int, window: int,
                   first: int) -> tuple[list[tuple[int, float]], int, dict[str, list[tuple[str, int]]]]:
    """What :func:`_one_result` gives for the whole, from the rows of both
    halves: the best ``candidates`` of both by (estimate DESC, doc_id) are
    those one statement would have scored exactly (each half sent its own
    best, so none is missing), ranked by (score DESC, doc_id) as it would;
    counts are summed."""
    found: list[tuple[int, float, float | None]] = []
    counts: dict[tuple[str, str | None], int] = {}
    for kind, key, value, n in rows:
        if kind == "hit":
            found.append((int(key), float(value), None if n is None else float(n)))
        else:
            counts[(kind, key)] = counts.get((kind, key), 0) + int(n)
    best = sorted(found, key=lambda h: (*_descending(h[2]), h[0]))[:candidates]
    ranked = sorted(best, key=lambda h: (*_descending(h[1]), h[0]))[first:first + window]
    total, groups = _total_and_groups((kind, key, n) for (kind, key), n in counts.items())
    return [(d, sc) for d, sc, _ in ranked], total, groups


def _facet_counts(groups: dict[str, list[tuple[str, int]]]) -> dict[str, dict[str, int]]:
    """The facets as the tantivy engine gives them: most frequent values first
    (issuers: the first 50), years newest first."""
    out: dict[str, dict[str, int]] = {}
    for name, _, size in FACETS:
        pairs = sorted(groups[name], key=lambda p: (-p[1], p[0]))[:size]
        if name == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        out[name] = dict(pairs)
    return out


# --- schema -----------------------------------------------------------------------------------

def _read_version(conn: psycopg.Connection[Any], url: str) -> int | None:
    """The layout version of the index, or None when there is no committed index."""
    try:
        row = conn.execute(f"SELECT schema FROM {VERSION_TABLE} WHERE engine = %s", [ENGINE]).fetchone()
    except psycopg.errors.UndefinedTable:
        conn.rollback()
        return None
    except psycopg.errors.InsufficientPrivilege as exc:
        conn.rollback()
        raise SearchError(i18n.phrase("the database user may not read the full-text index in {url}: {reason}; grant it "
                                 "SELECT on {tables}", url=describe(url), reason=_reason(exc),
                                 tables=f"{TABLE}, {VERSION_TABLE}, {TERMS_TABLE}, {FACETS_TABLE}")) from None
    except psycopg.Error as exc:
        conn.rollback()
        raise SearchError(i18n.phrase("cannot read the full-text index in {url}: {reason}", url=describe(url),
                                 reason=_reason(exc))) from None
    return int(row[0]) if row else None


def _split_wanted() -> bool:
    """Whether SPLIT_ENV asks a reader to run searches of common words in two
    halves (see SPLIT_MIN_DOCS)."""
    wanted = os.environ.get(SPLIT_ENV, "off").strip().lower() or "off"
    if wanted not in ("on", "off"):
        raise SearchError(f"{SPLIT_ENV}={wanted!r} is not one of on, off")
    return wanted == "on"


def _wanted_text_index(conn: psycopg.Connection[Any]) -> str:
    """The index the folded words get in a new or rebuilt index: RUM when the
    extension is installed in the database or may be created (and
    TEXT_INDEX_ENV does not ask for GIN), else GIN."""
    wanted = os.environ.get(TEXT_INDEX_ENV, "auto").strip().lower() or "auto"
    if wanted not in ("auto", *TEXT_INDEXES):
        raise SearchError(f"{TEXT_INDEX_ENV}={wanted!r} is not one of auto, rum, gin")
    if wanted == "gin":
        return "gin"
    try:
        with conn.transaction():  # a savepoint: a refusal leaves the transaction usable
            conn.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except psycopg.Error as exc:
        if wanted == "rum":
            raise SearchError(f"{TEXT_INDEX_ENV}=rum, but the RUM extension cannot be used: {_reason(exc)}; "
                              "install it (Debian: postgresql-15-rum) or let docsearch use GIN") from None
        return "gin"
    return "rum"


def _exists(conn: psycopg.Connection[Any], name: str) -> bool:
    """Whether a table or an index of that name exists."""
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", [name]).fetchone() == (True,)


def _recorded(conn: psycopg.Connection[Any]) -> tuple[int, str] | None:
    """The number of documents and the kind of text index the committed index records."""
    if not _exists(conn, VERSION_TABLE):
        return None
    row = conn.execute(f"SELECT docs, text_index FROM {VERSION_TABLE} WHERE engine = %s", [ENGINE]).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _built_text_index(conn: psycopg.Connection[Any]) -> str | None:
    """The access method of the existing index of the folded words, if any."""
    row = conn.execute("SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam"
                       " WHERE c.oid = to_regclass(%s)", [f"{TABLE}_tsv"]).fetchone()
    return str(row[0]) if row else None


def _setup(conn: psycopg.Connection[Any]) -> int | None:
    """Create what the index needs (under the writers' lock); returns the layout
    version of the committed index, None when there is none. A layout of
    another version is dropped: it is rebuilt from the store."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    dicts = {r[0] for r in conn.execute(
        "SELECT dictname FROM pg_ts_dict WHERE dictnamespace = current_schema()::regnamespace").fetchall()}
    configs = {r[0] for r in conn.execute(
        "SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = current_schema()::regnamespace").fetchall()}
    for name, create in _DICTIONARIES:
        if name not in dicts:
            conn.execute(create.encode())
    for name, statements in _CONFIGURATIONS:
        if name not in configs:
            for statement in statements:
                conn.execute(statement.encode())
    if conn.execute("SELECT 1 FROM pg_proc WHERE proname = %s AND pronamespace = current_schema()::regnamespace",
                    [PAIRS_FUNCTION]).fetchone() is None:
        conn.execute(_PAIRS_FUNCTION_SQL.encode())
    version = None
    if conn.execute("SELECT to_regclass(%s)", [VERSION_TABLE]).fetchone() != (None,):
        row = conn.execute(f"SELECT schema FROM {VERSION_TABLE} WHERE engine = %s", [ENGINE]).fetchone()
        version = int(row[0]) if row else None
    if version is not None and version != SCHEMA_VERSION:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}, {TERMS_TABLE}, {FACETS_TABLE}, {VERSION_TABLE}")
        # Layout 8 made the runs around numbers with a function of its own.
        conn.execute(f"DROP FUNCTION IF EXISTS {_OLD_RUNS_FUNCTION}(tsvector)")
        version = None
    # lz4 reads a tsvector back several times faster than the default pglz;
    # servers built without it keep the default.
    lz4 = conn.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
                       ).fetchone()
    compression = " COMPRESSION lz4" if lz4 and lz4[0] else ""
    new = conn.execute("SELECT to_regclass(%s)", [TABLE]).fetchone() == (None,)
    for statement in _SCHEMA_SQL:
        conn.execute(statement.replace("{compression}", compression).encode())
    if new:
        # A search visits the row of every match: only what the estimate,
        # the filters and the facets read stays in it (compressed if need
        # be); the text, the stored fields and the tsvectors, read for the
        # best few hundred only, go out of line (toast_tuple_target above).
        conn.execute(f"ALTER TABLE {TABLE} " + ", ".join(f"ALTER COLUMN {c} SET STORAGE MAIN" for c in _INLINE))
    return version


@contextmanager
def _errors(url: str, action: i18n.Phrase) -> Iterator[None]:
    """Turn a database error into a SearchError of one line saying what failed."""
    try:
        yield
    except psycopg.errors.UndefinedTable:
        raise IndexMissing(i18n.phrase("no full-text index in {url}: run 'docsearch reindex --index URL'",
                                  url=describe(url))) from None
    except psycopg.OperationalError as exc:
        raise SearchError(i18n.phrase("lost the connection to {url} ({reason}); check that the server is running and "
                                 "try again", url=describe(url), reason=_reason(exc))) from None
    except psycopg.Error as exc:
        raise SearchError(i18n.phrase("cannot {action} in {url}: {reason}", action=action, url=describe(url),
                                 reason=_reason(exc))) from None


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def open_engine(url: str, *, writer: bool = False, rebuild: bool = False) -> PostgresEngine:
    """The PostgreSQL engine of ``url``, for searching or (``writer``) for writing."""
    return PostgresEngine.open_writer(url, rebuild=rebuild) if writer else PostgresEngine.open_reader(url)


__all__ = ["PostgresEngine", "describe", "open_engine", "ref_key", "words"]
