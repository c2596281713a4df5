"""Dump what the tagger finds in a set of texts, and compare two dumps.

A change meant only to make the tagger faster must leave its output exactly
as it was: every reference, date, relation and the text's own identity.

    python bench/tagger_dump.py dump OUT.json [SOURCE ...]
    python bench/tagger_dump.py diff OLD.json NEW.json [--quiet PREFIX ...]

A SOURCE is a folder (a gold folder with ``texts/`` and ``gold/`` is read the
way :mod:`docsearch.refs.goldset` reads it; any other folder through the
extractors, every file under it), or ``synthetic:N`` for N documents of
``bench/synthetic.py`` (seed 7). Without sources: corpus/, the tagged test
texts, the seed texts, the real development set when present, and 2,000
synthetic documents. Each text is also tagged once more in NFD, so the
offset mapping of non-NFC input is compared too.

``diff`` prints each file whose output differs and the first difference;
for names starting with a ``--quiet`` prefix it prints only the name (for
texts whose content is not to be looked at).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from docsearch.extract import extract_file  # noqa: E402
from docsearch.refs import goldset, tag  # noqa: E402

DEFAULT_SOURCES = (
    str(ROOT / "corpus"),
    str(ROOT / "tests" / "data" / "tagged"),
    str(ROOT / "tests" / "data" / "text"),
    str(ROOT.parent / "shared" / "corpus" / "seeds"),
    str(ROOT.parent / "shared" / "corpus" / "real-dev"),
    "synthetic:2000",
)


def texts_of(source: str) -> Iterator[tuple[str, str]]:
    """(name, text) for every text of a source."""
    if source.startswith("synthetic:"):
        from synthetic import Generator

        for doc in Generator(7).documents(int(source.split(":", 1)[1])):
            yield f"synthetic{doc.path}", doc.text
        return
    root = Path(source)
    if not root.is_dir():
        print(f"{source}: not a folder, left out", file=sys.stderr)
        return
    if (root / "texts").is_dir() and (root / "gold").is_dir():
        texts = goldset.load(root)
        tune, held = goldset.split(texts)
        for part, group in (("tune", tune), ("held-out", held)):
            for t in group:
                yield f"{root.name}/{part}/{t.name}", t.text
        return
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.suffix.lower() not in (".txt", ".md", ".html", ".htm", ".pdf", ".docx"):
            continue
        name = f"{root.name}/{p.relative_to(root)}"
        try:
            text = extract_file(p)[1].text
        except Exception as e:  # noqa: BLE001 - a file that cannot be read is reported, not dumped
            print(f"{name}: not extracted ({e}), left out", file=sys.stderr)
            continue
        yield name, text


def dump(out: Path, sources: list[str]) -> None:
    result: dict[str, Any] = {}
    for source in sources:
        for name, text in texts_of(source):
            result[name] = tag(text).to_json()
            nfd = unicodedata.normalize("NFD", text)
            if nfd != text:
                result[name + " (NFD)"] = tag(nfd).to_json()
    out.write_text(json.dumps(result, ensure_ascii=False, indent=0, sort_keys=True), "utf-8")
    print(f"{out}: {len(result)} texts")


def first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two JSON values first differ, as a path and the two values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
        if len(a) != len(b):
            return f"{path}: {len(a)} items, now {len(b)}"
    return f"{path}: {json.dumps(a, ensure_ascii=False)} -> {json.dumps(b, ensure_ascii=False)}"


def diff(old: Path, new: Path, quiet: list[str]) -> int:
    a = json.loads(old.read_text("utf-8"))
    b = json.loads(new.read_text("utf-8"))
    bad = 0
    for name in sorted(set(a) | set(b)):
        if a.get(name) == b.get(name):
            continue
        bad += 1
        if name not in a or name not in b:
            print(f"{name}: only in {'the old' if name in a else 'the new'} dump")
        elif any(name.startswith(q) for q in quiet):
            print(f"{name}: differs")
        else:
            print(f"{name}: {first_difference(a[name], b[name])}")
    print(f"{len(set(a) | set(b))} texts, {bad} differ")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("sources", nargs="*")
    c = sub.add_parser("diff")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    c.add_argument("--quiet", action="append", default=["real-dev/held-out/"],
                   help="names starting so are reported without their content")
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.out, args.sources or list(DEFAULT_SOURCES))
        return 0
    return diff(args.old, args.new, args.quiet)


if __name__ == "__main__":
    raise SystemExit(main())
