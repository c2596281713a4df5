"""Relevance measurement: nDCG@k of ranked results against graded judgments.

A judgment file is JSON ``{"queries": [{"query": ..., "kind": ..., "lang": ...,
"relevant": {"path": grade, ...}}]}`` with grades 3 (must come first), 2, 1;
unlisted documents count 0, and the gain of a grade g is 2**g - 1.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .api import FullTextIndex


def ndcg(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of ``ranked`` at ``k`` (0 when nothing is relevant)."""
    gains = [2 ** judged.get(item, 0) - 1 for item in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in judged.values()), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


@dataclass(frozen=True)
class QueryScore:
    """One judged query, what came back and its nDCG."""

    query: str
    kind: str
    lang: str
    ndcg: float
    ranked: tuple[str, ...]
    relevant: Mapping[str, int]


@dataclass(frozen=True)
class QualityReport:
    """nDCG@k over a judgment set, overall and by kind of query."""

    k: int
    scores: tuple[QueryScore, ...]

    @property
    def mean(self) -> float:
        return sum(s.ndcg for s in self.scores) / len(self.scores) if self.scores else 0.0

    def by(self, attribute: str) -> dict[str, float]:
        groups: dict[str, list[float]] = {}
        for s in self.scores:
            groups.setdefault(str(getattr(s, attribute)), []).append(s.ndcg)
        return {key: sum(v) / len(v) for key, v in sorted(groups.items())}


def load_judgments(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The queries of a judgment file."""
    return list(json.loads(Path(path).read_text(encoding="utf-8"))["queries"])


def evaluate(index: FullTextIndex, queries: Sequence[Mapping[str, Any]], name_of: Callable[[str], str],
             k: int = 10) -> QualityReport:
    """Run every judged query against ``index``; ``name_of`` turns a hit's path
    into the name the judgments use (e.g. a path relative to the repository)."""
    scores = []
    for q in queries:
        ranked = tuple(name_of(h.path) for h in index.search(q["query"], limit=k, facets=False).hits)
        scores.append(QueryScore(query=q["query"], kind=q.get("kind", ""), lang=q.get("lang", ""),
                                 ndcg=ndcg(ranked, q["relevant"], k), ranked=ranked, relevant=q["relevant"]))
    return QualityReport(k, tuple(scores))
