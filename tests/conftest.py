"""Shared fixtures: a fresh store per test, and the paths of real test texts."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from docsearch.extract import extract_file
from docsearch.models import TagResult
from docsearch.refs import tag
from docsearch.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


#: Set by ``.ci/run``: a test that would skip for want of ``../shared``, a
#: server or a system tool fails instead, so CI can never pass by skipping.
REQUIRE_ENV = "DOCSEARCH_REQUIRE_ALL"


@pytest.fixture(autouse=True)
def _english_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's text for people in English (DOCSEARCH_LANG), which
    the assertions on it read; the tests of its default, Vietnamese, remove
    the variable (tests/test_cli_language.py)."""
    monkeypatch.setenv("DOCSEARCH_LANG", "en")


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test because something outside the project is missing,
    or fail it when ``DOCSEARCH_REQUIRE_ALL`` says everything must be there."""
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{reason} ({REQUIRE_ENV} is set, so this is required)", pytrace=False)
    pytest.skip(reason)


def shared_dir(*parts: str, env: str | None = None) -> Path:
    """A folder of ``../shared`` beside the project (absent in a user's clone),
    or the folder named by the environment variable ``env``."""
    override = os.environ.get(env) if env else None
    path = Path(override) if override else ROOT.parent.joinpath("shared", *parts)
    if not path.is_dir():
        hint = f" or set {env}" if env else ""
        unavailable(f"needs {path} (../shared beside the project; present in CI, not in a plain clone{hint})")
    return path


def rel(path: str) -> str:
    """A result's path as the tests name it: relative to the project, or under seeds/."""
    p = Path(path)
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return "seeds/" + p.name


def save_text(store: Store, name: str, text: str, lang: str = "vi") -> int:
    """Store a text written here, tagged by the real tagger."""
    return store.save_document(
        path=f"/texts/{name}", sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text.encode()),
        mtime_ns=1, format="txt", lang=lang, title=None, encoding="utf-8", text=text, page_starts=[0],
        warnings=[], tags=tag(text, lang=lang),
    )


def seeds_dir() -> Path:
    """The user's real documents: ``../shared/corpus/seeds`` beside the project."""
    return shared_dir("corpus", "seeds", env="DOCSEARCH_SEEDS")


def real_dev_dir() -> Path:
    """Real published texts with gold annotations: ``../shared/corpus/real-dev``."""
    return shared_dir("corpus", "real-dev", env="DOCSEARCH_REAL_DEV")


def extracted_texts(folder: Path) -> list[tuple[str, str]]:
    """(file name, extracted text) of every readable document below ``folder``, in name order."""
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
            _, extracted = extract_file(path)
            if extracted.text:
                out.append((path.name, extracted.text))
    return out


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file a site build wrote below ``folder``, by relative path, the
    build's own record (times and fingerprints) aside: what two builds that
    must agree are compared on."""
    from docsearch.site.build import MANIFEST

    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def corpus_sample_store(folder: Path, names: list[str], extra: dict[str, str] | None = None) -> Store:
    """A store in ``folder`` holding the files (or folders) ``names`` of
    corpus/, plus ``extra`` texts by file name, ingested: what the site tests
    build from."""
    src = folder / "in"
    src.mkdir()
    for name in names:
        path = ROOT / "corpus" / name
        if path.is_dir():
            shutil.copytree(path, src / path.name)
        else:
            shutil.copy(path, src / path.name)
    for name, text in (extra or {}).items():
        (src / name).write_text(text, "utf-8")
    from docsearch.ingestion import ingest

    opened = Store.open(folder / "index")
    assert ingest([str(src)], opened).ok
    return opened


def errors_in_threads(target: Callable[[], object], threads: int) -> list[BaseException]:
    """Run ``target`` in ``threads`` threads at once and wait for them all;
    what each raised (an assertion included), to be reported by the test."""
    import threading

    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            errors.append(exc)

    started = [threading.Thread(target=run) for _ in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return errors


def tag_differences(a: TagResult, b: TagResult) -> list[str]:
    """Where two tagger results differ, field by field (empty when they are the same)."""
    out = []
    if a.self != b.self:
        out.append(f"identity {a.self} != {b.self}")
    for name in ("references", "dates", "relations"):
        xs, ys = getattr(a, name), getattr(b, name)
        if len(xs) != len(ys):
            out.append(f"{name}: {len(xs)} != {len(ys)}")
        out.extend(f"{name}[{i}]: {x} != {y}" for i, (x, y) in enumerate(zip(xs, ys, strict=False)) if x != y)
    return out


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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A private PostgreSQL server on 127.0.0.1 for the whole test session,
    started from the installed server binaries (skipped where there are none)."""
    from docsearch.pgcluster import ClusterError, LocalCluster, find_bindir

    if find_bindir() is None:
        unavailable("needs the PostgreSQL server binaries (initdb, pg_ctl): install Debian's 'postgresql'")
    try:
        cluster = LocalCluster.create().start()
    except ClusterError as exc:
        unavailable(f"cannot start a local PostgreSQL server: {exc}")
    try:
        yield cluster
    finally:
        cluster.remove()


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_cluster: object) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    from docsearch.pgcluster import LocalCluster

    assert isinstance(pg_cluster, LocalCluster)
    return pg_cluster.create_database(f"t{os.getpid()}_{next(_pg_databases)}")
