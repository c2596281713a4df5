"""The graph's resolution, stored: computed when the store changes, read by queries.

Which document each end of a relation means (see :mod:`.resolve`) depends
on every candidate of its id: the texts whose header gives the id, the
registry, the built-in list, and every citation's date and issuing body.
Resolving it at query time costs about 100 µs of Python per document a query
touches, which a first query on a large store (a command line call, the first
page after a server starts) pays in full. So it is computed when it can
change and written to the store, and queries read keys and nodes with
indexed lookups:

- ``graph_edges``: each relation with the keys of its source and target, the
  page of its sentence, the path of the text asserting it and its source
  node's id, date and issuing body (copied from ``graph_nodes`` whenever
  either is written, for a document's page to group its implementers by);
- ``graph_nodes``: every node such a key names;
- ``graph_ids``: per id, a signature of what choosing among its candidates
  depends on and nothing else (see :func:`_signature`);
- ``graph_texts``: the ids each text shapes (its header's, the ones it cites
  with a date or body), so that a text rewritten or removed says which ids
  it shaped before;
- ``graph_bodies``: the issuing body of each text's header (the committees
  that coverage looks for);
- ``graph_citations``: which document each citation means (a document's
  "what the sources say" and the texts that only mention it);
- ``graph_bases``: for each mention of an id with namesakes, what choosing
  among them read of it (its basis; :meth:`.Resolver.choose_kept`).

Triggers on ``documents`` and ``registry`` note every text and registry
entry written in ``graph_dirty``, whatever writes them. :func:`settle` then
gathers the candidates again of every id those texts and entries shape,
before and after (the nodes of those that are as they were stay as stored:
:func:`_nodes`); where an id's signature changed, the mentions of it that
can choose otherwise are resolved again: those giving a date whose pointing
changed (:func:`_moved`), those that can tell a renamed candidate's two days
apart (:class:`_Shift`; the others get the new key in place), or, when the
candidates changed otherwise (a namesake arrived), every relation naming it
but those whose key is known without resolving: a mention giving a date
that picks one candidate (:class:`_Picks`), and a relation its own text
asserts (the candidate of that text), get the new key in place; each of
the others is first weighed against the new candidates from its kept
basis (:meth:`.Resolver.redecide`), and left as it is when that chooses
the key it has (:func:`_kept_ends`, :func:`_kept_citations`). The texts'
own relations are resolved again in any case. Nothing else can change: a
relation's resolution depends only on the candidates of its two ids and on
the text asserting it (a basis is of the text, and is forgotten with it).
Citations follow the same rule.

Correctness never depends on this cache. ``graph_state`` records the
version of the resolver and of the built-in list that filled the tables;
queries read them only when that matches and nothing is pending in
``graph_dirty`` (:func:`is_current`), and otherwise resolve as before.
Ingest, ``registry import`` and ``migrate`` settle the store when they
commit; a store from before these tables is resolved in full by the first
of them. ``migrate`` copies a source's current resolution as it is instead
(:func:`copy_resolution`), which is exact for a target holding the same
documents and registry.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from ..refs import Knowledge
from ..refs.tagger import default_knowledge
from ..store import RESOLUTION_TABLES, CitationRef, RelationRow, Store, WrittenTags, edge_identity
from .assemble import Dates
from .resolve import BasisKey, Resolver, _Cand, node_row

_T = TypeVar("_T")

#: Raise when the resolver decides differently (a stored resolution of
#: another version is then made again in full).
RESOLUTION_VERSION = 2

#: Above this many texts written since the last resolution (and a quarter
#: of the store), resolving everything again is cheaper than following them.
FULL_ABOVE = 5000

_MARKS: dict[int, tuple[Knowledge, str]] = {}


def resolution_mark(knowledge: Knowledge | None = None) -> str:
    """The version a resolution made now with ``knowledge`` (the built-in
    list by default) is recorded under."""
    k = knowledge or default_knowledge()
    kept = _MARKS.get(id(k))
    if kept is not None and kept[0] is k:
        return kept[1]
    digest = hashlib.sha256()
    for doc_id in sorted(k.by_id):
        for d in k.by_id[doc_id]:
            digest.update(repr((d.id, d.type, d.issuer_code, d.date, d.issuer, d.title, d.status,
                                d.replaced_by)).encode())
    mark = f"{RESOLUTION_VERSION}:{digest.hexdigest()[:16]}"
    _MARKS[id(k)] = (k, mark)
    return mark


def is_current(store: Store, knowledge: Knowledge | None = None) -> bool:
    """Whether the store's resolution answers for the store as it is now."""
    return store.graph_state() == resolution_mark(knowledge) and not store.graph_pending()


@dataclass(frozen=True)
class SettleReport:
    """What :func:`settle` did."""

    full: bool
    texts: int  # texts written since the last resolution
    ids: int  # ids whose candidates were gathered again
    changed: int  # of those, ids whose choice among candidates changed
    relations: int  # relations resolved again
    seconds: float
    #: Of ``changed``, ids whose choice changed only for mentions giving some
    #: dates (only those were resolved again).
    dated: int = 0
    #: Relations and citations naming an id whose candidates changed that
    #: were given their new key in place instead of being resolved again
    #: (the date beside them picks one candidate; or their text is the id's).
    placed: int = 0
    #: Of the other relations and citations naming such an id, those whose
    #: kept basis chose the key they have again: left as they were.
    kept: int = 0


def settle(store: Store, *, full: bool = False, written: WrittenTags | None = None) -> SettleReport | None:
    """Bring the store's resolution up to date with its documents and
    registry, in one transaction: in full when it holds none, one of another
    version, or ``full`` is asked; else for what was written since. Returns
    None when there was nothing to do. ``written``: what the batch just
    saved wrote (:meth:`Store.save_documents`), taken instead of read back."""
    started = time.perf_counter()
    with store.transaction():
        store.graph_lock()
        if written is not None:
            store.check_written(written)  # under the lock: see Store.check_written
        mark = resolution_mark()
        seqs, docs, ids = store.graph_dirt()
        if not full and store.graph_state() == mark:
            if not seqs:
                return None
            if len(docs) <= FULL_ABOVE or len(docs) * 4 <= store.count():
                report = _follow(store, docs, ids, written)
                store.clear_graph_dirt(seqs)
                return SettleReport(False, len(docs), report[0], report[1], report[2],
                                    time.perf_counter() - started, report[3], report[4], report[5])
        counts = _everything(store)
        store.clear_graph_dirt(seqs)
        store.set_graph_state(mark)
    return SettleReport(True, len(docs), counts[0], counts[0], counts[1], time.perf_counter() - started)


def copy_resolution(source: Store, target: Store, *, marker: tuple[object, ...],
                    batch: int = 20000) -> dict[str, int] | None:
    """Copy the stored resolution of ``source`` into ``target`` as it is,
    in one transaction of the target, and record it there as current: what
    ``migrate`` does once the documents and the registry are copied, instead
    of resolving the whole graph again in the target.

    Only when the copy answers for the target as it does for the source:
    the source's resolution is current, the source is unchanged since
    ``marker`` (its :meth:`~.store.Store.change_marker` when the copy of its
    documents began), and the target holds the same documents (numbers and
    paths) and registry. Returns the rows copied per table, or None (nothing
    written) when one of these fails; the caller then settles the target.
    Notes of writes to the target that come after the check stay for
    :func:`settle`."""
    if not is_current(source) or source.change_marker() != marker:
        return None
    rows: dict[str, int] = {}
    with target.transaction():
        target.graph_lock()
        # Read inside the target's transaction: the notes cleared below are
        # exactly those of the writes these checks saw.
        notes = target.graph_notes()
        if target.paths() != source.paths() or _registry(target) != _registry(source):
            return None
        target.forget_resolution()
        for table in RESOLUTION_TABLES:
            rows[table] = 0
            for part in source.stream_table(table, batch):
                target.append_rows(table, part)
                rows[table] += len(part)
        # The source may have been written while it was read: then what was
        # copied may mix two states, and the transaction is undone.
        if not is_current(source) or source.change_marker() != marker:
            raise _SourceChanged
        target.clear_graph_dirt([seq for seq, _, _ in notes])
        target.set_graph_state(resolution_mark())
        target.analyze()
    return rows


def _registry(store: Store) -> list[str]:
    # In an order both kinds of store agree on (they sort NULLs apart).
    return sorted(map(repr, store.export_rows("registry")))


class _SourceChanged(Exception):
    """The source of a copied resolution changed while it was read."""


def copy_or_settle(source: Store, target: Store, *, marker: tuple[object, ...]) -> dict[str, int] | None:
    """:func:`copy_resolution`, falling back on :func:`settle` of the target
    (in full, as after any bulk write) when it cannot copy; then settles
    whatever was written to the target meanwhile. Returns the rows copied,
    or None when the graph was resolved in the target."""
    try:
        copied = copy_resolution(source, target, marker=marker)
    except _SourceChanged:
        copied = None
    settle(target)
    if copied is None:
        target.analyze()
    return copied


def _signature(res: Resolver, doc_id: str) -> str:
    """What choosing among the candidates of ``doc_id`` depends on, and
    nothing else (see :meth:`.Resolver.choose`).

    One candidate is chosen whatever a mention says, so its signature is its
    key alone: a date or a place cited with it, or a text of it arriving,
    changes no choice. With several, the choice reads each candidate's key,
    date and places and which texts are it (the "core"), and, for a mention
    giving a date, which candidates have that date or were cited with it.
    A cited date matters only where it points at a candidate other than
    the one of that date: those are kept apart (``dates``), so that a new
    date re-resolves only the mentions giving that date (:func:`_moved`)."""
    cands = res._ensure(doc_id)
    if len(cands) == 1:
        return json.dumps({"v": 2, "one": cands[0].key}, ensure_ascii=False)
    core = [_core(c) for c in cands]
    pointing = sorted({d for c in cands for d in c.cited_dates if d != c.date})
    dates = {d.isoformat(): [c.key for c in cands if c.date == d or d in c.cited_dates] for d in pointing}
    return json.dumps({"v": 2, "core": core, "dates": dates}, ensure_ascii=False, sort_keys=True)


def _core(c: _Cand) -> list[Any]:
    """What a signature holds of one candidate: its key, its date, the
    places of its texts' headers and those texts."""
    return [c.key, c.date.isoformat() if c.date else None,
            sorted({ident.place for _, ident in c.headers if ident.place}), sorted(doc for doc, _ in c.headers)]


def _read(signature: str | None) -> dict[str, Any] | None:
    """A stored signature read, or None when there is none or it was
    recorded in another form than this version's."""
    try:
        parsed = json.loads(signature) if signature else None
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) and parsed.get("v") == 2 else None


def _cores(signature: str | None) -> dict[str, list[Any]]:
    """The candidates a signature lists, by key (none for a single
    candidate's, or one recorded in another form)."""
    parsed = _read(signature)
    return {cand[0]: cand for cand in parsed.get("core", ())} if parsed is not None else {}


def _both_current(old: str, new: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The two signatures read, or None when ``old`` was recorded in
    another form than this version's (then every mention counts as moved)."""
    before, after = _read(old), _read(new)
    if before is None or after is None or "core" not in before or "core" not in after:
        return None
    return before, after


def _moved(old: str, new: str) -> set[str] | None:
    """The dates (ISO) whose mentions may choose otherwise between the
    signatures ``old`` and ``new`` of one id, or None when any mention of it
    may (the candidates themselves changed, or ``old`` was recorded in
    another form)."""
    pair = _both_current(old, new)
    if pair is None:
        return None
    before, after = pair
    if before["core"] != after["core"]:
        return None
    a, b = before["dates"], after["dates"]
    # A date in only one of the two points, there, elsewhere than the
    # candidate of that date, which the core (unchanged) gives in the other.
    return {d for d in a.keys() | b.keys() if a.get(d) != b.get(d)}


@dataclass(frozen=True)
class _Shift:
    """Candidates of one id whose date (and so key) moved within its year,
    nothing else about them changing: a candidate known only from citations
    takes the date cited most often, which changes as citations arrive."""

    renames: tuple[tuple[str, str, date, date], ...]  # old key, new key, old date, new date
    dates: frozenset[str]  # ISO dates whose mentions may choose otherwise


def _shift(doc_id: str, old: str, new: str) -> _Shift | None:
    """The :class:`_Shift` between two signatures of ``doc_id`` whose cores
    differ, or None when they differ otherwise (every mention is resolved
    again then)."""
    pair = _both_current(old, new)
    if pair is None:
        return None
    before, after = pair
    if len(before["core"]) != len(after["core"]):
        return None
    renames = []
    for (k1, d1, places1, docs1), (k2, d2, places2, docs2) in zip(before["core"], after["core"], strict=True):
        if (k1, d1, places1, docs1) == (k2, d2, places2, docs2):
            continue
        if (places1 != places2 or docs1 != docs2 or d1 is None or d2 is None or d1[:4] != d2[:4]
                or k1 != f"{doc_id}@{d1}" or k2 != f"{doc_id}@{d2}"):
            return None
        renames.append((k1, k2, date.fromisoformat(d1), date.fromisoformat(d2)))
    old_keys = {c[0] for c in before["core"]}
    if not renames or any(new_key in old_keys for _, new_key, _, _ in renames):
        return None  # a key taken by another candidate: not a plain renaming
    # Dates pointing at a renamed candidate point at it still.
    renamed = {old_key: new_key for old_key, new_key, _, _ in renames}
    a = {d: [renamed.get(k, k) for k in keys] for d, keys in before["dates"].items()}
    b = after["dates"]
    moved = {d for d in a.keys() | b.keys() if a.get(d) != b.get(d)}
    moved |= {d.isoformat() for _, _, d1, d2 in renames for d in (d1, d2)}
    return _Shift(tuple(renames), frozenset(moved))


def _matched(parsed: dict[str, Any], when: str) -> list[str]:
    """The keys a mention giving the date ``when`` (ISO) keeps at the first
    step of :meth:`.Resolver.choose`, under one read signature: the
    candidates of that date or cited with it (a single candidate is chosen
    whatever the date)."""
    if "one" in parsed:
        return [parsed["one"]]
    pointing = parsed["dates"].get(when)
    if pointing is not None:
        return list(pointing)
    return [cand[0] for cand in parsed["core"] if cand[1] == when]


@dataclass(frozen=True)
class _Picks:
    """What a mention of an id whose candidates changed chooses whatever else
    it says, under the id's new signature: the single candidate's key, or
    per date (ISO) the key of the one candidate that date picks at the first
    step of :meth:`.Resolver.choose`. A stored resolution of such a mention
    is given that key in place instead of being resolved again."""

    every: str | None  # the key of a single candidate
    dated: dict[str, str]

    def key(self, when: str | None) -> str | None:
        """The key a mention giving the date ``when`` chooses, or None when
        other things it says decide."""
        if self.every is not None:
            return self.every
        return self.dated.get(when) if when is not None else None


def _picks(signature: str) -> _Picks:
    """The :class:`_Picks` of one id's (new) signature; none when it was
    recorded in another form."""
    parsed = _read(signature)
    if parsed is None:
        return _Picks(None, {})
    if "one" in parsed:
        return _Picks(str(parsed["one"]), {})
    seen = {cand[1] for cand in parsed["core"] if cand[1] is not None} | set(parsed["dates"])
    dated = {}
    for when in seen:
        keys = _matched(parsed, when)
        if len(keys) == 1:
            dated[when] = keys[0]
    return _Picks(None, dated)


def _own_keys(signature: str) -> dict[int, str]:
    """The key of the candidate each text of an id is, under one signature
    (none for a single candidate, whose signature lists no texts)."""
    parsed = _read(signature)
    return {doc: cand[0] for cand in parsed.get("core", ()) for doc in cand[3]} if parsed is not None else {}


def _nodes(res: Resolver, doc_id: str, before: dict[str, list[Any]], written: set[int],
           kept: set[str]) -> list[_Cand | str]:
    """Every node a relation naming ``doc_id`` can point at, to be made:
    each candidate, and the key of the ``<id>@?`` marker when there are
    several. A candidate listed in ``before`` (the signature stored) as it
    is now, none of whose texts is among ``written`` and whose node reads
    nothing else (:meth:`.Resolver.node_stays`), has the node it had: its
    key is added to ``kept`` instead (a number every province reuses has
    hundreds of candidates, and a text arriving changes one)."""
    cands = res._ensure(doc_id)
    made: list[_Cand | str] = []
    for c in cands:
        if (before and before.get(c.key) == _core(c) and res.node_stays(c)
                and written.isdisjoint(doc for doc, _ in c.headers)):
            kept.add(c.key)
        else:
            made.append(c)
    if len(cands) > 1:
        made.append(f"{doc_id}@?")
    return made


def _write_ids(store: Store, res: Resolver, ids: Sequence[str], known: dict[str, str] | None = None,
               written: set[int] | None = None, unsure: set[str] | None = None) -> dict[str, str]:
    """Gather the candidates of ``ids`` and write their signatures and nodes.
    ``known``: the signatures stored now, when the caller read them; with
    ``written`` (the texts written since), the nodes of candidates as they
    were are left as stored (see :func:`_nodes`), but for ids in ``unsure``
    (their registry records changed)."""
    res.prepare(ids)
    signatures: dict[str, str] = {}
    made: list[_Cand | str] = []
    kept: set[str] = set()
    for i in ids:
        signatures[i] = _signature(res, i)
        before = (_cores(known.get(i)) if known is not None and written is not None
                  and i not in (unsure or ()) and not res.listed(i) else {})
        made.extend(_nodes(res, i, before, written or set(), kept))
    # The titles of the texts whose nodes are made, at once (the resolver
    # holds the headers of the others without them).
    res.load_titles(doc for c in made if not isinstance(c, str) for doc, _ in c.headers)
    rows = [node_row(res.node(c if isinstance(c, str) else c.key)) for c in made]
    res.let_go_of_titles()
    res.let_go_of_nodes()
    store.write_graph_ids(ids, signatures, rows, known, kept)
    return signatures


def _slices(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    """``items`` ``size`` at a time, in order."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


#: Relations and citations are resolved and written this many at a time:
#: the words around their mentions and the hints beside them, read for one
#: part, are let go before the next (read for all at once, they were 31 MB
#: of the 244 MB a settle of 10,000 texts held at its end at 86,000
#: documents, and grew with the store).
MENTION_PART = 5000


def _write_edges(store: Store, res: Resolver, rows: Sequence[RelationRow]) -> int:
    for part in _slices(rows, MENTION_PART):
        bases: dict[BasisKey, str] = {}
        resolved = res.resolve_rows(part, bases)
        store.write_graph_edges((*row, source, target, page, res.doc(row.doc_id).path)
                                for row, source, target, page in resolved)
        store.write_graph_bases(bases)
        res.let_go_of_mentions()
    return len(rows)


def _kept_ends(store: Store, decide: _Redecided, rows: Sequence[RelationRow], end: str,
               blocked: Callable[[RelationRow], bool]) -> set[tuple[object, ...]]:
    """Of the stored relations ``rows``, whose ``end`` ("source" or
    "target") names an id whose candidates changed, those (by
    :func:`~docsearch.store.edge_identity`) whose kept basis chooses, among
    the present candidates, the key that end has: they need not be resolved
    again. Not those for which ``blocked`` says the other end's key may
    change by another path, nor when both ends name one id."""
    # Read by text: the texts' few rows, not every relation naming the ids
    # (most of those are their own texts', which are not asked about); a
    # part of the texts at a time (all at once, their kept bases and keys
    # were a quarter of what a settle held at its height).
    by_text: dict[int, list[RelationRow]] = {}
    for r in rows:
        by_text.setdefault(r.doc_id, []).append(r)
    texts = sorted(by_text)
    kept: set[tuple[object, ...]] = set()
    for part in _slices(texts, TEXT_PART):
        kept |= _kept_ends_in(store, decide, [r for t in part for r in by_text[t]], part, end, blocked)
        # A basis holds its text's own dates and words: another part's texts
        # seldom give the same, and the choices kept to the end were 8 of the
        # 119 MB a settle of 10,000 texts held after weighing those of 32,000.
        decide.forget()
    return kept


#: How many texts' kept bases and resolved relations :func:`_kept_ends` reads at once.
TEXT_PART = 2000


def _kept_ends_in(store: Store, decide: _Redecided, rows: Sequence[RelationRow], texts: Sequence[int],
                  end: str, blocked: Callable[[RelationRow], bool]) -> set[tuple[object, ...]]:
    """:func:`_kept_ends` of ``rows``, all the rows of the texts ``texts``
    (an identity's rows are all in its text: they go together)."""
    bases = store.graph_bases_in(texts, "r")
    if not bases:
        return set()
    keys = store.graph_edge_keys(texts)
    which = 1 if end == "target" else 0
    kept: set[tuple[object, ...]] = set()
    lost: set[tuple[object, ...]] = set()
    for r in rows:
        identity = edge_identity(r)
        mentioned = getattr(r, end)
        stored = keys.get(identity)
        if blocked(r) or r.source == r.target or stored is None:
            lost.add(identity)
            continue
        key = decide(mentioned, r.target_date if end == "target" else None,
                     bases.get((mentioned, r.doc_id, "r", r.evidence_start, r.evidence_end, "")))
        (kept if key is not None and key == stored[which] else lost).add(identity)
    # Rows with the same values are one relation said twice: they go together.
    return kept - lost


def _follow(store: Store, docs: set[int], registry_ids: set[str],
            written: WrittenTags | None = None) -> tuple[int, int, int, int, int, int]:
    """Resolve again what the texts ``docs`` and the registry entries of
    ``registry_ids`` written since the last resolution can have changed."""
    res = Resolver(store, shared=False, stored=False, titles=False)
    if written is not None:
        res.take_written(written, docs)
    before = store.graph_text_ids(docs)
    contributions = store.graph_contributions(docs)
    after = {i for _, i in contributions}
    ends = store.ids_named_by(docs)
    shaped = registry_ids | before | after
    known = store.graph_signatures(shaped | ends)
    # Ids only named by the new relations and citations (a number cited
    # without a date or body) need their nodes; their candidates did not change.
    todo = sorted(shaped | {e for e in ends if e not in known})
    named = store.graph_named(todo)
    store.forget_graph_ids(i for i in todo if i not in named)  # no relation names them either
    todo = [i for i in todo if i in named]
    # Ids the texts named when last resolved and nothing names now (a
    # removed text was the last to) have no node any more.
    gone = store.graph_text_names(docs) - shaped - ends
    store.forget_graph_ids(gone - store.graph_named(gone))
    signatures: dict[str, str] = {}
    for some in _id_parts(todo, store.header_counts(todo)):
        signatures.update(_write_ids(store, res, some, known, docs, registry_ids))
    # Per id whose signature changed: every mention of it may choose
    # otherwise (``changed``), or only those giving one of some dates
    # (``dated``). An id without a signature yet was named by no relation.
    changed: list[str] = []
    dated: dict[str, set[str]] = {}
    shifted: dict[str, _Shift] = {}
    fresh: list[str] = []
    for i in todo:
        old = known.get(i)
        if old == signatures[i]:
            continue
        if old is None:
            fresh.append(i)
            continue
        moved = _moved(old, signatures[i])
        if moved is None:
            shift = _shift(i, old, signatures[i])
            if shift is None:
                changed.append(i)
            else:
                shifted[i] = shift
                dated[i] = set(shift.dates)
        elif moved:
            dated[i] = moved
    store.write_graph_texts(docs, contributions)
    store.write_graph_bodies(docs)
    store.delete_graph_edges(docs)
    store.delete_graph_citations(docs)
    store.delete_graph_bases(docs)
    # Only a relation's target is chosen by the date beside it: those giving
    # a day a candidate of ``dated`` moved from or to are resolved again
    # (below). Forgotten first, before anything is written again: what is
    # resolved again below is written as soon as it is gathered (gathered to
    # the end, it was a sixth of what a settle held, and grew with the
    # store), and none of it may be lost to a deletion after it.
    pairs = sorted((i, d) for i, moved in dated.items() for d in moved)
    store.delete_graph_edges_dated(pairs)
    # A renamed candidate keeps its mentions: their keys are renamed in
    # place, and only the mentions that may choose otherwise are resolved again.
    renames = [(i, old, new) for i, shift in shifted.items() for old, new, _, _ in shift.renames]
    store.rename_graph_keys(renames)
    # The mentions of a renamed candidate's id that may choose otherwise
    # (resolved again below, after the relations of ``changed``).
    touched = _touched(store, shifted, docs)
    # Per id whose candidates changed, what a mention of it chooses
    # whatever else it says (most give a date that picks one candidate).
    picks = {i: _picks(signatures[i]) for i in changed}
    # Each relation to resolve again, once: by the first of these reasons that holds.
    rows = written.relations_of(store, docs) if written is not None else store.relations_of(docs)
    resolved = 0  # relations resolved again and written
    redo: set[tuple[int, str]] = set()  # (text, source) whose relations are resolved again
    moving: set[tuple[str, str | None]] = set()  # (target, target date) resolved again
    placed = kept = 0
    if changed:
        # A relation's source is chosen without the date beside it: only an id
        # whose candidates changed, or a renamed one's, may give it another key.
        others = {*changed, *shifted}
        # Every relation naming an id whose candidates changed, outside the
        # texts resolved anyway: a target whose date picks one candidate
        # gets that candidate's key in place (but where a relation's two ends
        # are one id: it may vanish). Those are counted per (target, date),
        # not read: most relations naming a much-cited id give a date that
        # picks, and their number grows with the store.
        ours = Counter((r.target, r.target_date, r.source == r.target) for r in rows if r.target in picks)
        targets = {(t, when): (n - ours[t, when, False] - ours[t, when, True], same - ours[t, when, True])
                   for t, when, n, same in store.relation_target_counts(changed)}
        moving = {pair for pair, (n, same) in targets.items()
                  if n and (same or picks[pair[0]].key(pair[1]) is None)}
        placed += sum(n for pair, (n, _) in targets.items() if pair not in moving)
        for part in _parts(moving):
            again = [r for r in store.relations_targeted(part) if r.doc_id not in docs]
            # Of the others, those whose kept basis chooses the key they have are
            # left as they are (most: a namesake of another province or year),
            # unless their source's key may change too.
            same = _kept_ends(store, _Redecided(res), again, "target", lambda r: r.source in others)
            again = [r for r in again if edge_identity(r) not in same]
            kept += len(same)
            store.delete_graph_edges_of(edge_identity(r) for r in again)
            resolved += _write_edges(store, res, again)
        store.set_graph_target_keys({(key, t, when) for (t, when), (n, _) in targets.items()
                                     if n and (t, when) not in moving and (key := picks[t].key(when)) is not None})
        # A text of the id asserting its own relations is the candidate its
        # header makes it: their sources get its key in place. Which they are
        # is told by each relation's ends; only those resolved again are read
        # whole (the others are most, and their number grows with the store:
        # they are read for a part of the ids at a time).
        for some in _slices(changed, PART_IDS):
            linked = [(doc, source, target) for doc, source, target, when in store.relation_sources(some)
                      if doc not in docs and (target, when) not in moving]
            own = {i: _own_keys(signatures[i]) for i in some}
            again_here = {(doc, source) for doc, source, target in linked
                          if doc not in own[source] or source == target}
            was = {i: _own_keys(known[i]) for i in some}
            store.set_graph_source_keys({(own[source][doc], doc, source) for doc, source, _ in linked
                                         if (doc, source) not in again_here
                                         and was[source].get(doc) != own[source][doc]})
            placed += sum(1 for doc, source, _ in linked if (doc, source) not in again_here)
            redo |= again_here
            del linked, own, was
        # Read a part of the texts at a time: every relation of each, most of
        # which stay as they are.
        redo_texts = sorted({doc for doc, _ in redo})
        decide = _Redecided(res)
        for these in _slices(redo_texts, TEXT_PART):
            redoing = [r for r in store.relations_of(these)
                       if (r.doc_id, r.source) in redo and (r.target, r.target_date) not in moving]
            # As for targets: a source whose kept basis chooses its key again
            # stays, and its target's stored key with it, unless that key may
            # change in this text: a relation giving a date of ``dated`` lost its edge
            # above (it has no stored key, so it is resolved again here), and
            # a mention of a renamed candidate's id that may choose otherwise
            # is resolved below only if its source is not resolved here.
            same = _kept_ends(store, decide, redoing, "source", lambda r: (r.doc_id, r.target) in touched)
            redoing = [r for r in redoing if edge_identity(r) not in same]
            kept += len(same)
            store.delete_graph_edges_of(edge_identity(r) for r in redoing)
            resolved += _write_edges(store, res, redoing)
    # The nodes of ``todo`` were written again (a date, a body or, above, a
    # key may have changed): the relations they are the source of copy them
    # again. Before the relations below are written, which read them anew.
    store.refresh_graph_edge_sources(todo)
    fixed = _Fixed(shifted, signatures)
    # Each lists every candidate of its id with its texts: 12 MB of what a
    # settle of 10,000 texts at 86,000 documents held while it resolved.
    del known, signatures

    def moves(r: RelationRow) -> bool:
        """Whether ``r`` is resolved again above for its target."""
        return (r.target, r.target_date) in moving

    if touched:
        near = [r for r in store.relations_of({d for d, _ in touched})
                if r.doc_id not in docs and not moves(r) and (r.doc_id, r.source) not in redo
                and ((r.doc_id, r.target) in touched or (r.doc_id, r.source) in touched)]
        # A target whose date picks one candidate keeps it (renamed above).
        again = [r for r in near if (r.doc_id, r.source) in touched or not fixed(r.target, r.target_date)]
        placed += len(near) - len(again)
        store.delete_graph_edges_of(edge_identity(r) for r in again)
        resolved += _write_edges(store, res, again)
    if pairs:
        # Their edges were forgotten above; those of texts resolved again by
        # another reason were written again there.
        resolved += _write_edges(store, res, [
            r for r in store.relations_dated(pairs)
            if r.doc_id not in docs and (r.doc_id, r.source) not in redo
            and (r.doc_id, r.target) not in touched and (r.doc_id, r.source) not in touched])
    cited = _follow_citations(store, res, docs, changed, fresh, picks, pairs, touched, fixed, written)
    resolved += _write_edges(store, res, rows)
    return (len(todo), len(changed) + len(dated), resolved, len(dated), placed + cited[0], kept + cited[1])


#: The mentions of ids whose candidates changed are read, weighed and
#: written a part at a time, this many ids a part: what a settle holds of
#: them at once is bounded by the most-cited few, not by all of them.
PART_IDS = 200


def _parts(pairs: set[tuple[str, str | None]]) -> Iterator[set[tuple[str, str | None]]]:
    """``pairs`` of (id, date) in parts of :data:`PART_IDS` ids, by id."""
    ids = sorted({i for i, _ in pairs})
    for some in _slices(ids, PART_IDS):
        part = set(some)
        yield {pair for pair in pairs if pair[0] in part}


class _Fixed:
    """Whether a mention of a shifted id giving a date keeps its key: the
    date picks one candidate under the id's new signature and is not a day
    the shift moved (those are resolved again by date), so it chooses that
    candidate whatever its text's own date and days (see
    :meth:`.Resolver.choose`), and its key was renamed in place."""

    def __init__(self, shifted: dict[str, _Shift], signatures: dict[str, str]) -> None:
        self._moved = {i: shift.dates for i, shift in shifted.items()}
        self._picks = {i: _picks(signatures[i]) for i in shifted}

    def __call__(self, doc_id: str, when: str | None) -> bool:
        picks = self._picks.get(doc_id)
        return (picks is not None and when is not None and when not in self._moved[doc_id]
                and picks.key(when) is not None)


def _touched(store: Store, shifted: dict[str, _Shift], docs: set[int]) -> set[tuple[int, str]]:
    """(text, id) of the shifted ids' mentions that may choose otherwise,
    outside the texts ``docs`` (resolved again anyway)."""
    if not shifted:
        return set()
    # A text may choose otherwise if it mentions one of the days a candidate
    # moved from or to (a date the text mentions names its document), or is
    # dated between them (a cited document is not later than the citing
    # text): see Resolver.choose. Asked of the store, not read text by text:
    # a much-cited id is named by tens of thousands of texts.
    near = {i: ({day for _, _, before, after in shift.renames for day in (before, after)},
                {(min(before, after), max(before, after)) for _, _, before, after in shift.renames})
            for i, shift in shifted.items()}
    return {(doc_id, i) for doc_id, i in store.texts_near(near) if doc_id not in docs}


#: The ids a settle gives their candidates and nodes go a part at a time:
#: at most this many ids, whose headers are those of at most this many
#: texts (unless one id alone has more). What a part reads and makes (its
#: texts' rows, titles and nodes) is let go before the next; only the
#: candidates stay. In one part, the ids of 100,000 generated texts (2,420
#: numbers, each in the header of 41 texts on average) took a whole store's
#: settle to 213 MB within its first seconds, against about 90 MB for the
#: candidates it keeps.
IDS_PART = 5000
HEADERS_PART = 10_000


def _id_parts(ids: Sequence[str], headers: dict[str, int]) -> Iterator[Sequence[str]]:
    """``ids`` in order, in parts of at most IDS_PART ids whose ``headers``
    (texts by id) add up to at most HEADERS_PART, but for an id that alone
    has more, which makes a part of its own."""
    part: list[str] = []
    held = 0
    for i in ids:
        n = headers.get(i, 0)
        if part and (len(part) >= IDS_PART or held + n > HEADERS_PART):
            yield part
            part, held = [], 0
        part.append(i)
        held += n
    if part:
        yield part


def _everything(store: Store, batch: int = 5000) -> tuple[int, int]:
    """Resolve the whole store again: the candidates and nodes of every id,
    then each text's contributions, relations and citations, ``batch`` texts
    at a time, letting go of what was read of those texts before the next
    (the whole store's contributions at once held 70 MB at 100,000 texts, and
    the dates read for the relations and kept for the citations 20 MB more)."""
    store.reset_graph()
    store.reset_graph_citations()
    res = Resolver(store, shared=False, stored=False, titles=False)
    ids = store.graph_all_ids()
    for some in _id_parts(ids, store.header_counts()):
        _write_ids(store, res, some)
    relations = 0
    # Texts a few thousand at a time (not a cursor over every relation, which
    # would stay open while the resolutions are written).
    for these in _slices(store.doc_ids(), batch):
        store.write_graph_texts((), store.graph_contributions(these))
        store.write_graph_bodies(these)
        relations += _write_edges(store, res, store.relations_of(these))
        _write_citations(store, res, store.citations_to_resolve(these))
        res.let_go_of_texts(these)
    return len(ids), relations


# --- citations ---------------------------------------------------------------------------

def _write_citations(store: Store, res: Resolver, rows: Sequence[CitationRef]) -> int:
    """Resolve citations as a document's profile and "mentioned in" read
    them: the date, year and term beside the number, then the citing text;
    :data:`MENTION_PART` at a time."""
    for part in _slices(rows, MENTION_PART):
        _write_citation_part(store, res, part)
        res.let_go_of_mentions()
    return len(rows)


def _write_citation_part(store: Store, res: Resolver, rows: Sequence[CitationRef]) -> None:
    res.prepare({r.ref_id for r in rows})
    res.load_docs({r.doc_id for r in rows})
    res.load_hints({(r.doc_id, r.ref_id) for r in rows if r.year is None and r.term is None})
    # Only a citation of an id with namesakes may come to read its text's dates.
    res.load_text_dates({r.doc_id for r in rows if len(res._ensure(r.ref_id)) > 1})
    placed = {i for i in {r.ref_id for r in rows} if res.placed_namesakes(i)}
    res.load_contexts((r.doc_id, r.start, r.end) for r in rows if r.ref_id in placed)
    dates = Dates()
    out = []
    bases: dict[BasisKey, str] = {}
    for r in rows:
        when = dates(r.date)
        doc = res.doc(r.doc_id)
        key, basis = res.choose_kept(r.ref_id, when=when, doc=doc, span=(r.start, r.end), year=r.year,
                                     term=r.term, place=r.place)
        if basis is not None:
            bases[(r.ref_id, r.doc_id, "c", r.start, r.end, r.place or "")] = basis
        out.append((r.doc_id, r.ord, r.ref_id, key, r.start, doc.page(r.start), r.date, r.issuer))
    store.write_graph_citations(out)
    store.write_graph_bases(bases)


def _kept_citations(store: Store, res: Resolver, rows: Sequence[CitationRef]) -> set[tuple[int, int]]:
    """Of the stored citations ``rows``, of ids whose candidates changed,
    those (doc_id, ord) whose kept basis chooses, among the present
    candidates, the key they have: they need not be resolved again."""
    ids = {r.ref_id for r in rows}
    bases = store.graph_bases_of(ids, "c") if rows else {}
    keys = store.graph_citation_keys(ids) if bases else {}
    decide = _Redecided(res)
    return {(r.doc_id, r.ord) for r in rows
            if (stored := keys.get((r.doc_id, r.ord))) is not None
            and decide(r.ref_id, r.date, bases.get((r.ref_id, r.doc_id, "c", r.start, r.end, r.place or ""))) == stored}


class _Redecided:
    """:meth:`.Resolver.redecide` of a mention giving the date ``when`` (ISO
    text, or None) with its kept basis (None when none is kept: None, it
    must be resolved with its text), once per (id, date, basis): a text's
    mentions often have the same basis (news giving no date of their own
    read the same dates), and the candidates do not change during a settle."""

    def __init__(self, res: Resolver) -> None:
        self.res = res
        self.dates = Dates()
        self.seen: dict[tuple[str, str | None, str], str | None] = {}

    def __call__(self, doc_id: str, when: str | None, basis: str | None) -> str | None:
        if basis is None:
            return None
        slot = (doc_id, when, basis)
        if slot not in self.seen:
            self.seen[slot] = self.res.redecide(doc_id, self.dates(when), basis)
        return self.seen[slot]

    def forget(self) -> None:
        """Let go of the choices made so far (made again if asked again)."""
        self.seen.clear()


def _follow_citations(store: Store, res: Resolver, docs: set[int], changed: Sequence[str],
                      fresh: Sequence[str], picks: dict[str, _Picks],
                      dated: Sequence[tuple[str, str]] = (), touched: set[tuple[int, str]] | None = None,
                      fixed: _Fixed | None = None, written: WrittenTags | None = None) -> tuple[int, int]:
    """Resolve again the citations of the texts ``docs`` (written or removed;
    their resolved citations are forgotten already), every citation of the
    ids in ``fresh`` (resolved for the first time) and of those in
    ``changed`` (their candidates changed) but the ones whose date picks one
    candidate (``picks``: they get its key in place), those giving an (id,
    date) of ``dated`` (that date now points elsewhere) and those of the
    (text, id) in ``touched``. Of the citations of ``changed``, those whose
    kept basis chooses the key they have are left as they are. Returns how
    many citations of ``changed`` got their key in place, and how many were
    left as they were. ``written``: the batch just saved, whose
    texts' citations are taken from it instead of read back."""
    store.delete_graph_citations(ids=fresh)
    rows = written.citations_of(store, docs) if written is not None else store.citations_to_resolve(docs)
    names = {*changed, *fresh}
    if fresh:
        rows += [r for r in store.citations_naming(fresh) if r.doc_id not in docs]
    placed = left = 0
    if changed:
        # As for the relations in _follow: counted per (id, date), and only
        # those whose date picks no candidate read, a few ids at a time.
        ours = Counter((r.ref_id, r.date) for r in rows if r.ref_id in picks)
        naming = {(i, when): n - ours[i, when] for i, when, n in store.citation_counts(changed)}
        open_pairs = {pair for pair, n in naming.items() if n and picks[pair[0]].key(pair[1]) is None}
        placed = sum(n for pair, n in naming.items() if pair not in open_pairs)
        for part in _parts(open_pairs):
            again = [r for r in store.citations_giving(part) if r.doc_id not in docs]
            same = _kept_citations(store, res, again)
            again = [r for r in again if (r.doc_id, r.ord) not in same]
            left += len(same)
            store.delete_graph_citations_at((r.doc_id, r.ord) for r in again)
            rows += again
        store.set_graph_citation_keys({(key, i, when) for (i, when), n in naming.items()
                                       if n and (key := picks[i].key(when)) is not None})
    more: dict[tuple[int, int], CitationRef] = {}
    if touched:
        for r in store.citations_to_resolve({d for d, _ in touched}):
            if (r.doc_id, r.ref_id) in touched and r.doc_id not in docs and r.ref_id not in names:
                if fixed is not None and fixed(r.ref_id, r.date):
                    placed += 1  # its date picks its candidate, renamed in place
                else:
                    more[(r.doc_id, r.ord)] = r
    if dated:
        for r in store.citations_dated(dated):
            if r.doc_id not in docs and r.ref_id not in names:
                more[(r.doc_id, r.ord)] = r
    if more:
        store.delete_graph_citations_at(more)
        rows += sorted(more.values(), key=lambda c: (c.doc_id, c.start, c.ord))
    _write_citations(store, res, rows)
    return placed, left
