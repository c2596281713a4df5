"""Shared fixtures: a fresh store per test, and the paths of real test texts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from docsearch.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def seeds_dir() -> Path:
    """The user's real documents: ``../shared/corpus/seeds`` beside the project."""
    env = os.environ.get("DOCSEARCH_SEEDS")
    path = Path(env) if env else ROOT.parent / "shared" / "corpus" / "seeds"
    if not path.is_dir():
        pytest.fail(f"seed documents not found at {path}; set DOCSEARCH_SEEDS to their folder")
    return path


@pytest.fixture
def seeds() -> Path:
    return seeds_dir()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "index")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"
