"""The tagger's compiled build: the same results as its sources, and never
used when it is older than them (`make compile-tagger`, src/docsearch/refs/compiled.py)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from docsearch.refs import tag
from docsearch.refs.compiled import (
    ENV,
    _FromSources,
    build_in_use,
    choose_build,
    compiled_modules,
    running_compiled,
    stale_message,
    stale_modules,
)

from conftest import DATA, ROOT, extracted_texts, unavailable


def _module(folder: Path, name: str, *, built: float, edited: float) -> None:
    source = folder / f"{name}.py"
    source.write_text(f"WHERE = 'source of {name}'\n", "utf-8")
    os.utime(source, (edited, edited))
    ext = folder / f"{name}.cpython-311-x86_64-linux-gnu.so"
    ext.write_bytes(b"")  # not loadable: importing it fails, so a test sees which was imported
    os.utime(ext, (built, built))


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package ``fakerefs`` on the path, emptied of what a test imported from it."""
    folder = tmp_path / "fakerefs"
    folder.mkdir()
    (folder / "__init__.py").write_text("", "utf-8")
    os.utime(folder / "__init__.py", (500, 500))  # older than the builds the tests make
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(ENV, raising=False)
    before = list(sys.meta_path)
    yield folder
    sys.meta_path[:] = before
    for name in [n for n in sys.modules if n == "fakerefs" or n.startswith("fakerefs.")]:
        del sys.modules[name]


def test_a_source_edited_after_its_build_is_stale_and_the_message_says_what_to_do(tmp_path: Path) -> None:
    refs = tmp_path / "refs"
    refs.mkdir()
    _module(refs, "relate", built=3_000, edited=4_000)
    _module(refs, "find", built=3_000, edited=1_000)
    folding = refs / "folding.py"  # never compiled, but the build was compiled against it
    folding.write_text("y = 2\n", "utf-8")
    os.utime(folding, (2_000, 2_000))
    assert set(compiled_modules(str(refs))) == {"relate", "find"}
    assert stale_modules(str(refs)) == ["relate"]
    os.utime(folding, (5_000, 5_000))
    assert stale_modules(str(refs)) == ["folding", "relate"]
    models = tmp_path / "models.py"  # the models module, beside the package
    models.write_text("z = 3\n", "utf-8")
    os.utime(models, (6_000, 6_000))
    assert stale_modules(str(refs)) == ["folding", "models", "relate"]
    message = stale_message(["folding", "relate"])
    assert "folding.py, relate.py" in message and "from its sources" in message and "make compile-tagger" in message


def test_a_stale_build_is_not_used_for_any_module_and_that_is_said_once(
        package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only relate is stale, but find is imported from its source too: a
    # compiled module calls the others' compiled code directly.
    _module(package, "relate", built=1_000, edited=2_000)
    _module(package, "find", built=2_000, edited=1_000)
    assert not build_in_use(str(package))
    assert choose_build("fakerefs", str(package)) is True
    assert choose_build("fakerefs", str(package)) is False  # once per process
    assert importlib.import_module("fakerefs.find").WHERE == "source of find"
    assert importlib.import_module("fakerefs.relate").WHERE == "source of relate"
    assert capsys.readouterr().err.count("relate.py changed since") == 1


def test_a_current_build_is_used_unless_the_sources_are_asked_for(
        package: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _module(package, "find", built=2_000, edited=1_000)
    assert build_in_use(str(package))
    assert choose_build("fakerefs", str(package)) is False
    assert not any(isinstance(f, _FromSources) for f in sys.meta_path if getattr(f, "folder", None) == str(package))
    with pytest.raises(ImportError):
        importlib.import_module("fakerefs.find")  # the (empty) build is what Python imports
    monkeypatch.setenv(ENV, "sources")
    assert not build_in_use(str(package))
    assert choose_build("fakerefs", str(package)) is True
    sys.modules.pop("fakerefs.find", None)
    assert importlib.import_module("fakerefs.find").WHERE == "source of find"
    assert capsys.readouterr().err == ""  # asked for: nothing to say


def test_a_module_compiled_alone_is_stale_by_its_own_source_only(
        package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # docsearch.search.vectors is compiled on its own and imports nothing of
    # its package: an edit to another module of the package leaves it current.
    _module(package, "vectors", built=3_000, edited=2_000)
    (package / "vectors__mypyc.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")  # mypyc's part beside it
    other = package / "engine.py"
    other.write_text("x = 1\n", "utf-8")
    os.utime(other, (4_000, 4_000))
    assert set(compiled_modules(str(package))) == {"vectors"}
    assert stale_modules(str(package)) == ["engine"]  # the rule of the tagger's build
    assert stale_modules(str(package), alone=True) == []
    assert build_in_use(str(package), alone=True)
    assert choose_build("fakerefs", str(package), alone=True) is False
    os.utime(package / "vectors.py", (5_000, 5_000))
    assert stale_modules(str(package), alone=True) == ["vectors"]
    assert choose_build("fakerefs", str(package), alone=True, what="the vectors") is True
    assert importlib.import_module("fakerefs.vectors").WHERE == "source of vectors"
    assert "compiled build of the vectors is older" in capsys.readouterr().err


def test_the_compiled_vectors_make_the_rows_the_source_makes() -> None:
    """Where make built docsearch.search.vectors, it gives the rows its
    source gives, on the corpus, the test texts and texts past PostgreSQL's
    limits of positions."""
    import importlib.util

    from docsearch.search import postgres_engine, vectors

    if not vectors.__file__ or not vectors.__file__.endswith((".so", ".pyd")):
        unavailable("docsearch.search.vectors is not compiled here (make builds it where a C compiler is found)")
    spec = importlib.util.spec_from_file_location("vectors_from_source", Path(vectors.__file__).parent / "vectors.py")
    assert spec is not None and spec.loader is not None
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    texts = [t for folder in (ROOT / "corpus", DATA / "tagged", DATA / "text") for _, t in extracted_texts(folder)]
    texts += [" ".join(["so", "57", "nq"] * 300), " ".join(f"w{i} so {i}" for i in range(6_000)),
              " ".join(f"w{i}" for i in range(17_000)), "", "một"]
    for text in texts:
        terms = postgres_engine.fold_terms(postgres_engine.words(text))
        for with_pairs in (True, False):
            assert vectors.vectors(terms, with_pairs) == source.vectors(terms, with_pairs), text[:60]


def test_without_a_build_nothing_is_chosen(package: Path) -> None:
    (package / "find.py").write_text("WHERE = 'source'\n", "utf-8")
    assert not build_in_use(str(package))
    assert choose_build("fakerefs", str(package)) is False


# Each text's tags as the sources make them, in a process that imports the sources.
_FROM_SOURCES = """
import json, sys
from docsearch.refs import tag
from docsearch.refs.compiled import running_compiled
assert not running_compiled()
texts = json.load(sys.stdin)
print(json.dumps([repr(tag(t)) for t in texts]))
"""


def test_the_compiled_tagger_tags_every_test_text_as_its_sources_do() -> None:
    if not running_compiled():
        if os.environ.get(ENV) == "sources":
            pytest.skip(f"{ENV}=sources is set: the tagger runs from its sources")
        unavailable("the tagger is not compiled here: `make compile-tagger` builds it (it needs gcc and "
                    "Python's headers)")
    texts = [t for folder in (ROOT / "corpus", DATA / "tagged", DATA / "text") for _, t in extracted_texts(folder)]
    # Text not in NFC, and pieces of texts, take other paths through the tagger.
    texts += [unicodedata.normalize("NFD", t) for t in texts[:10]] + [t[: len(t) // 3] for t in texts[:10]]
    sources = subprocess.run([sys.executable, "-c", _FROM_SOURCES], input=json.dumps(texts), text=True,
                             capture_output=True, check=True, env={**os.environ, ENV: "sources"})
    expected = json.loads(sources.stdout)
    assert len(expected) == len(texts) > 100
    for text, want in zip(texts, expected, strict=True):
        assert repr(tag(text)) == want, text[:200]
