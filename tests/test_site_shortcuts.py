"""More shortcuts of a site build that must leave every page as it was:
templates rendered with their globals flattened once, a document's link and
relation-row head reused across pages of one folder depth, the graph
legends made once, and the cycle collector kept off the data collect read."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import jinja2
import pytest

from docsearch.i18n import translator
from docsearch.site import build as site_build
from docsearch.site import build_site, fragments, svg
from docsearch.site.urls import Linker
from docsearch.store import Store

from conftest import corpus_sample_store, site_files

NAMES = ["central/nq-57-tw-2024.txt", "bac-ninh/kh-245-tu-2025.txt", "quang-ninh"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return corpus_sample_store(tmp_path_factory.mktemp("shortcuts"), NAMES)


def _plain_render(self: Any, name: str, page: str, title: str, **context: Any) -> None:
    """The page rendered as Jinja renders a template, globals copied each time."""
    u = Linker(page)
    html = self.template(name).render(u=u, root=u.root, urls=self.urls, page=page, title=title,
                                      canonical=self.urls.absolute(page), **context)
    self.w.write(page, html)


@pytest.mark.parametrize("lang", ["vi", "en", "de"])
def test_flattened_globals_and_kept_links_give_the_same_pages(store: Store, tmp_path: Path, lang: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    fast = tmp_path / "fast"
    build_site(store, fast, jobs=1, lang=lang)
    with monkeypatch.context() as m:
        m.setattr(site_build._Site, "render", _plain_render)
        m.setattr(site_build._Site, "_links_from", lambda self, u: None)
        m.setattr(site_build._Site, "_heads_from", lambda self, u: None)
        plain = tmp_path / "plain"
        build_site(store, plain, jobs=1, lang=lang)
    a, b = site_files(fast), site_files(plain)
    assert a.keys() == b.keys()
    assert [p for p in a if a[p] != b[p]] == []


@pytest.mark.parametrize("lang", ["vi", "en", "de"])
def test_graph_legends_are_the_template_loops_they_replace(lang: str) -> None:
    env = jinja2.Environment(autoescape=True)
    t = translator(lang)
    loops = env.from_string(
        '{% for kind, colour in relation_colours.items() %}<li><span class="swatch rel-{{ kind }}" '
        'aria-hidden="true"></span>{{ t.relation(kind) }}</li>{% endfor %}|'
        '{% for level, colour in level_colours.items() %}<li><span class="dot lvl-{{ level }}" '
        'aria-hidden="true"></span>{{ t.level(level) }}</li>{% endfor %}'
    ).render(t=t, relation_colours=svg.RELATION_COLOURS, level_colours=svg.LEVEL_COLOURS)
    made = (fragments.legend(list(svg.RELATION_COLOURS), "relation", t.relation) + "|"
            + fragments.legend(list(svg.LEVEL_COLOURS), "level", t.level))
    assert made == loops


def test_a_kept_link_is_the_same_from_every_page_of_a_folder(store: Store) -> None:
    """What the caches promise: from two pages of one folder, a document's
    link and row head are written the same, so one page's can serve the other."""
    data = site_build.collect(store, site_build.Urls())[0]
    node = next(n for n in data.nodes.values() if n.title)
    page_of = site_build.Urls().node
    one, two = Linker("doc/a.html"), Linker("doc/b.html")
    assert fragments.doc_link(one, node, page_of(node.key)) == fragments.doc_link(two, node, page_of(node.key))
    links: dict[str, str] = {}
    first = fragments._cached_link(one, node, page_of, links)
    assert fragments._cached_link(two, node, page_of, links) is first
    assert first == fragments.doc_link(two, node, page_of(node.key))


def test_the_collector_is_left_as_it_was(store: Store, tmp_path: Path) -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    build_site(store, tmp_path / "a", jobs=1)
    build_site(store, tmp_path / "b", jobs=2)
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    gc.disable()
    try:
        build_site(store, tmp_path / "c", jobs=1)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
