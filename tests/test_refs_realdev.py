"""The tagger on real published text: the development set of real documents
and news kept beside the project (``../shared/corpus/real-dev``, read at test
time). The set is split by :func:`docsearch.refs.goldset.split`; the tuning
part has floors at the level reached, the held-out part is measured and
reported only (``python -m docsearch.refs.goldset ../shared/corpus/real-dev
--part all``), never asserted, so that nobody tunes on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import real_dev_dir

from docsearch import Store, ingest
from docsearch.graph import AmbiguousDocument, implements
from docsearch.refs import goldset


@pytest.fixture(scope="module")
def tune() -> list[goldset.GoldText]:
    return goldset.split(goldset.load(real_dev_dir()))[0]


@pytest.fixture(scope="module")
def tune_score(tune: list[goldset.GoldText]) -> goldset.GoldScore:
    return goldset.score(tune)


def test_the_split_holds_out_a_third(tune: list[goldset.GoldText]) -> None:
    all_texts = goldset.load(real_dev_dir())
    held = goldset.split(all_texts)[1]
    assert len(held) >= len(all_texts) // 4 and not {t.name for t in held} & {t.name for t in tune}


def test_references_on_the_tuning_part(tune_score: goldset.GoldScore) -> None:
    s = tune_score
    assert s.refs_vi.precision >= 0.97 and s.refs_vi.recall >= 0.98, s.errors
    assert s.short_forms.value >= 0.90, s.errors
    assert s.dates.value >= 0.98 and s.years.value >= 0.98, s.errors


def test_own_identity_on_the_tuning_part(tune_score: goldset.GoldScore) -> None:
    assert tune_score.own_identity.value == 1.0, tune_score.errors


def test_relations_on_the_tuning_part(tune_score: goldset.GoldScore) -> None:
    r = tune_score.relations
    assert r.precision >= 0.98 and r.recall >= 0.98 and r.f1 >= 0.98, [e for e in tune_score.errors if "relation" in e]
    for kind, share in tune_score.by_type.items():
        assert share.value >= 0.85, (kind, str(share))


def test_implements_on_an_index_of_the_tuning_part(tune: list[goldset.GoldText], tmp_path: Path) -> None:
    """Ingested, the texts answer "which documents implement X" as their gold says."""
    folder = tmp_path / "texts"
    folder.mkdir()
    for t in tune:
        (folder / t.name).write_text(t.text, "utf-8")
    with Store.open(tmp_path / "index") as store:
        assert ingest([folder], store, jobs=1).ok
        expected = {(s, t) for text in tune for s, t, kind in text.stated if kind == "implements"}
        assert expected
        for source, target in expected:
            try:
                results = [implements(store, target)]
            except AmbiguousDocument as exc:  # a number two documents share: look at each
                results = [implements(store, c.key) for c in exc.candidates]
            found = {i.node.id for r in results for i in r.implementers}
            assert source in found, (source, target)
