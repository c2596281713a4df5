"""Writing benchmark results into docs/benchmarks.md, one marked section each."""

from __future__ import annotations

import importlib.util
import os
import platform
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nEach section is rewritten by the command it names. Numbers are from the machine it names.\n"


def machine() -> str:
    """A one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}; {tagger_build()}"


def tagger_build() -> str:
    """Which tagger this tree's ``docsearch`` runs: the build `make` compiles
    with mypyc, or the Python sources (no build, a stale one, or
    ``DOCSEARCH_TAGGER=sources``), by the rule of src/docsearch/refs/compiled.py,
    loaded from its file so that the benchmark imports no docsearch of its own."""
    path = DOC.parents[1] / "src" / "docsearch" / "refs" / "compiled.py"
    spec = importlib.util.spec_from_file_location("_docsearch_compiled", path)
    assert spec is not None and spec.loader is not None
    compiled = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compiled)
    if compiled.build_in_use():
        return "the tagger compiled by mypyc"
    return "the tagger from its Python sources"


def write_section(key: str, title: str, body: str) -> None:
    """Replace (or append) the section between <!-- key:start --> and <!-- key:end -->."""
    text = DOC.read_text("utf-8") if DOC.exists() else HEADER
    block = f"<!-- {key}:start -->\n## {title}\n\n{body.strip()}\n<!-- {key}:end -->"
    pattern = re.compile(rf"<!-- {re.escape(key)}:start -->.*?<!-- {re.escape(key)}:end -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, "utf-8")
