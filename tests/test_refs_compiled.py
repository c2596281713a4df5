"""The check that a compiled tagger (`make compile-tagger`) is not older than its sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docsearch.refs.compiled import compiled_modules, stale_message, stale_modules, warn_if_stale


def _module(folder: Path, name: str, *, built: float, edited: float) -> None:
    source = folder / f"{name}.py"
    source.write_text("x = 1\n", "utf-8")
    os.utime(source, (edited, edited))
    ext = folder / f"{name}.cpython-311-x86_64-linux-gnu.so"
    ext.write_bytes(b"")
    os.utime(ext, (built, built))


def test_a_source_edited_after_its_build_is_stale_and_the_message_says_what_to_do(tmp_path: Path) -> None:
    _module(tmp_path, "relate", built=1_000, edited=2_000)
    _module(tmp_path, "find", built=2_000, edited=1_000)
    (tmp_path / "folding.py").write_text("y = 2\n", "utf-8")  # never compiled: not a module to check
    assert set(compiled_modules(str(tmp_path))) == {"relate", "find"}
    assert stale_modules(str(tmp_path)) == ["relate"]
    message = stale_message(["relate"])
    assert "relate.py" in message and "make compile-tagger" in message and "make clean-compiled" in message


def test_the_tree_as_shipped_has_no_compiled_module_and_nothing_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    # A checkout holds only sources (the build is optional and ignored by git),
    # unless `make compile-tagger` was run here; then it must be current.
    assert stale_modules() == []
    warn_if_stale()
    assert capsys.readouterr().err == ""
