"""The shortcuts a site build takes to draw pages faster leave every page as
it was: the interface's fixed messages compiled into the templates, the
clipping of long sentences, the pictures' cached pieces."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsearch.i18n import translator
from docsearch.site import build as site_build
from docsearch.site import build_site, fragments, svg
from docsearch.store import Store

from conftest import corpus_sample_store, site_files

NAMES = ["central/nq-57-tw-2024.txt", "bac-ninh/kh-245-tu-2025.txt", "quang-ninh"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return corpus_sample_store(tmp_path_factory.mktemp("compiled"), NAMES)


@pytest.mark.parametrize("lang", ["vi", "en", "de"])
def test_fixed_messages_compiled_in_give_the_same_pages(store: Store, tmp_path: Path, lang: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folded = tmp_path / "folded"
    build_site(store, folded, jobs=1, lang=lang)
    with monkeypatch.context() as m:
        # The environment as Jinja parses templates, every message a call at render time.
        m.setattr(site_build._SiteEnvironment, "_parse", jinja2.Environment._parse)
        svg._HEADS.clear()
        svg._RING1_LINES.clear()
        plain = tmp_path / "plain"
        build_site(store, plain, jobs=1, lang=lang)
    a, b = site_files(folded), site_files(plain)
    assert a.keys() == b.keys()
    assert [p for p in a if a[p] != b[p]] == []


def test_fixed_messages_become_text_and_bound_names_are_left_alone() -> None:
    env = site_build._environment(None, "vi")
    assert env.from_string('{{ t("Home") }} {{ ui_lang }}').render() == "Trang chủ vi"
    assert "context.call" not in env.compile('{{ t("Home") }}', raw=True)
    # A template that binds one of the names keeps every use of it as written.
    assert env.from_string('{{ t("Home") }}|{% for t in ["x"] %}{{ t }}{% endfor %}').render() == "Trang chủ|x"
    assert env.from_string('{% set version = "9" %}{{ version }}').render() == "9"
    assert env.from_string('{% macro m(t) %}{{ t }}{% endmacro %}{{ m("y") }}').render() == "y"
    # Messages with values from the page, and escaping, as before.
    assert env.from_string('{{ t("{n} more", n=n) }}').render(n=3) == translator("vi")("{n} more", n=3)
    assert env.from_string("{{ t(\"<b>&\") }}").render() == "&lt;b&gt;&amp;"


def _plain_clip(text: str | None, limit: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "ừ", "bc", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "."]), max_size=400),
       st.integers(min_value=1, max_value=80))
def test_clipping_a_long_sentence_from_its_head_gives_the_same_text(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    assert fragments.clip(text, limit) == _plain_clip(text, limit)
