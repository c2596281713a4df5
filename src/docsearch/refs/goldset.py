"""Measure the tagger on real published text annotated in the JSON gold schema.

A gold folder holds ``texts/<stem>.txt`` (the text as published) and
``gold/<stem>.json`` (its own identity, every mention of a document with
its surface, id, date and year, and the relations between documents). The
schema is that of the real-text development set kept beside the project;
this module only reads it.

A predicted reference matches a gold mention when their spans overlap and
their ids agree after normalisation (case, ``Đ``/``D``, ``TƯ``/``TW``,
spaces, leading zeros). Mentions of documents cited only by name (gold
``unnumbered``) are neither found nor missed: a prediction on them counts
neither way. Relations are compared as sets of (source, target, type).

The set is split once, by a hash of each file name, into a part to tune on
and a part to look at only at the end (:func:`split`), so that the two
stay apart whoever runs the measurement.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .evaluate import Counts, Ratio
from .knowledge import Knowledge
from .tagger import tag


@dataclass(frozen=True)
class GoldRef:
    """One annotated mention."""

    start: int
    end: int
    surface: str
    id: str | None
    date: date | None
    year: int | None
    short_form: bool
    unnumbered: bool


@dataclass(frozen=True)
class GoldText:
    """A text with its gold annotations."""

    name: str
    text: str
    lang: str
    self_id: str | None
    refs: tuple[GoldRef, ...]
    relations: frozenset[tuple[str, str, str]]  # ids normalised for comparison
    stated: tuple[tuple[str, str, str], ...] = ()  # the same, ids as the gold writes them


def normalise_id(doc_id: str | None) -> str | None:
    """The form two ids are compared in: ``144-QĐ/TƯ`` and ``144-qd/tw`` agree."""
    if not doc_id:
        return None
    s = unicodedata.normalize("NFC", doc_id).upper().replace("TƯ", "TW")
    s = s.replace("Đ", "D").replace("Ð", "D")
    s = "".join(s.split())
    return re.sub(r"^0+(?=\d)", "", s)


def load(folder: str | Path) -> list[GoldText]:
    """Every text of a gold folder (``texts/`` and ``gold/`` beside each other)."""
    root = Path(folder)
    out = []
    for gold_path in sorted((root / "gold").glob("*.json")):
        g: dict[str, Any] = json.loads(gold_path.read_text("utf-8"))
        text = unicodedata.normalize("NFC", (root / "texts" / g["file"]).read_text("utf-8"))
        refs = []
        pos = 0
        for r in g.get("refs", []):
            # Surfaces are found in order, each after the one before.
            k = text.find(r["surface"], pos)
            if k < 0:
                raise ValueError(f"{gold_path.name}: surface {r['surface']!r} not in the text")
            refs.append(GoldRef(k, k + len(r["surface"]), r["surface"], r.get("id"),
                                date.fromisoformat(r["date"]) if r.get("date") else None, r.get("year"),
                                bool(r.get("short_form")), bool(r.get("unnumbered"))))
            pos = k + 1
        rels = frozenset((normalise_id(x["source"]) or "", normalise_id(x["target"]) or "", x["type"])
                         for x in g.get("relations", []))
        self_id = (g.get("self") or {}).get("id")
        stated = tuple((x["source"], x["target"], x["type"]) for x in g.get("relations", []))
        out.append(GoldText(g["file"], text, g.get("lang", "und"), self_id, tuple(refs), rels, stated))
    return out


def split(texts: list[GoldText]) -> tuple[list[GoldText], list[GoldText]]:
    """(tuning part, held-out part): a text is held out when the SHA-1 of its
    file name is divisible by 3 (about a third of the texts)."""
    tune: list[GoldText] = []
    held: list[GoldText] = []
    for t in texts:
        (held if int(hashlib.sha1(t.name.encode()).hexdigest()[:8], 16) % 3 == 0 else tune).append(t)
    return tune, held


@dataclass
class GoldScore:
    """What the tagger got right on a gold set."""

    texts: int = 0
    refs: Counts = field(default_factory=Counts)
    refs_vi: Counts = field(default_factory=Counts)
    short_forms: Ratio = field(default_factory=Ratio)
    dates: Ratio = field(default_factory=Ratio)
    years: Ratio = field(default_factory=Ratio)
    own_identity: Ratio = field(default_factory=Ratio)
    relations: Counts = field(default_factory=Counts)
    by_type: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    errors: list[str] = field(default_factory=list)


def score(texts: list[GoldText], knowledge: Knowledge | None = None) -> GoldScore:
    """Tag every text and compare with its gold."""
    s = GoldScore()
    for t in texts:
        s.texts += 1
        result = tag(t.text, lang=t.lang, knowledge=knowledge)
        numbered = [g for g in t.refs if not g.unnumbered]
        named = [g for g in t.refs if g.unnumbered]
        used: set[int] = set()
        tallies = (s.refs, s.refs_vi) if t.lang == "vi" else (s.refs,)
        for r in result.references:
            rid = normalise_id(r.id)
            hit = next((i for i, g in enumerate(numbered) if i not in used and r.start < g.end and g.start < r.end
                        and normalise_id(g.id) == rid), None)
            if hit is None:
                if any(r.start < g.end and g.start < r.end for g in named):
                    continue  # a document cited by name: not scored
                for tl in tallies:
                    tl.fp += 1
                s.errors.append(f"{t.name}: spurious {r.text!r} → {r.id}")
                continue
            used.add(hit)
            g = numbered[hit]
            for tl in tallies:
                tl.tp += 1
            if g.date is not None:
                s.dates.total += 1
                s.dates.right += r.date == g.date
                if r.date != g.date:
                    s.errors.append(f"{t.name}: {g.surface!r} dated {r.date}, gold {g.date}")
            if g.year is not None:
                s.years.total += 1
                s.years.right += r.year == g.year
        for i, g in enumerate(numbered):
            if g.short_form:
                s.short_forms.total += 1
                s.short_forms.right += i in used
            if i not in used:
                for tl in tallies:
                    tl.fn += 1
                s.errors.append(f"{t.name}: missed {g.surface!r} → {g.id}")
        if t.self_id is not None:
            s.own_identity.total += 1
            got = result.self.id if result.self else None
            s.own_identity.right += normalise_id(got) == normalise_id(t.self_id)
            if normalise_id(got) != normalise_id(t.self_id):
                s.errors.append(f"{t.name}: own id {got}, gold {t.self_id}")
        predicted = {(normalise_id(x.source) or "", normalise_id(x.target) or "", x.type) for x in result.relations}
        s.relations.tp += len(predicted & t.relations)
        s.relations.fp += len(predicted - t.relations)
        s.relations.fn += len(t.relations - predicted)
        for rel in t.relations:
            s.by_type[rel[2]].total += 1
            s.by_type[rel[2]].right += rel in predicted
        s.errors.extend(f"{t.name}: relation not found {x}" for x in sorted(t.relations - predicted))
        s.errors.extend(f"{t.name}: relation not in gold {x}" for x in sorted(predicted - t.relations))
    return s


def table(rows: list[tuple[str, GoldScore]]) -> str:
    """A Markdown table of scores, one row per named set."""
    head = ("| set | texts | refs vi P / R | refs all P / R | short forms | dates | own identity | "
            "relations P / R / F1 | based_on | implements | repeals | amends |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for name, s in rows:
        bt = s.by_type
        lines.append(
            f"| {name} | {s.texts} | {s.refs_vi.precision:.3f} / {s.refs_vi.recall:.3f} | "
            f"{s.refs.precision:.3f} / {s.refs.recall:.3f} | {s.short_forms} | {s.dates.value:.3f} | {s.own_identity} | "
            f"{s.relations.precision:.3f} / {s.relations.recall:.3f} / {s.relations.f1:.3f} | "
            f"{bt['based_on']} | {bt['implements']} | {bt['repeals']} | {bt['amends']} |")
    return head + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m docsearch.refs.goldset FOLDER [--part tune|held-out|all] [-v]``:
    print the score table (and with ``-v`` every error) for a gold folder."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m docsearch.refs.goldset", description=main.__doc__)
    ap.add_argument("folder", help="a folder with texts/ and gold/")
    ap.add_argument("--part", choices=("tune", "held-out", "all"), default="tune")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = ap.parse_args(argv)
    texts = load(args.folder)
    tune, held = split(texts)
    parts = {"tune": [("tune", tune)], "held-out": [("held-out", held)],
             "all": [("tune", tune), ("held-out", held), ("all", texts)]}[args.part]
    scores = [(name, score(part)) for name, part in parts]
    print(table(scores), end="")
    if args.verbose:
        for name, s in scores:
            for e in s.errors:
                print(f"{name}: {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
