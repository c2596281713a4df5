"""The one table of relation types, and that its readers follow it."""

from __future__ import annotations

import re
from pathlib import Path

from docsearch import relation_types as rt
from docsearch.graph import IMPLEMENTING, RELATION_PRECEDENCE
from docsearch.models import RELATION_TYPES
from docsearch.site import svg
from docsearch.site.build import INCOMING_LABELS, OUTGOING_LABELS, _static_files

SRC = Path(rt.__file__).resolve().parent


def test_the_table_is_complete_and_its_readers_agree() -> None:
    names = [r.name for r in rt.TABLE]
    assert len(set(names)) == len(names) == 8
    assert RELATION_PRECEDENCE == RELATION_TYPES == tuple(names)
    assert IMPLEMENTING == ("implements", "guides", "summarizes", "based_on")
    assert {r.name: r.colour for r in rt.TABLE} == svg.RELATION_COLOURS
    assert OUTGOING_LABELS["summarizes"] == "Reviews" and INCOMING_LABELS["based_on"] == "Basis of"
    assert rt.label("implements") == "thực hiện" and rt.label("implements", "en", incoming=True) == "implemented by"
    assert rt.precedence("implements") == 0 and rt.precedence("nonsense") == len(rt.TABLE)
    for r in rt.TABLE:
        assert re.fullmatch(r"#[0-9a-f]{6}", r.colour)
        assert r.vi and r.en and r.vi_incoming and r.en_incoming


def test_the_style_sheet_takes_its_relation_colours_from_the_table() -> None:
    shipped = (SRC / "site" / "static" / "style.css").read_text("utf-8")
    assert not re.search(r"--rel-\w+\s*:", shipped), "relation colours are defined in relation_types only"
    css = dict(_static_files(None))["style.css"].decode()
    for r in rt.TABLE:
        assert f"--rel-{r.name}: {r.colour};" in css
        assert f"var(--rel-{r.name})" in css or r.name not in shipped


def test_relation_colours_are_spelt_out_in_one_module() -> None:
    colours = {r.colour for r in rt.TABLE if r.colour != "#000000"}
    for path in SRC.rglob("*.py"):
        if path.name == "relation_types.py" or "refs" in path.parts:
            continue
        text = path.read_text("utf-8")
        assert not [c for c in colours if c in text], f"{path.relative_to(SRC)} repeats a relation colour"
