"""Check a built site: every internal link and source must resolve.

Parses each HTML file with :mod:`html.parser`, collects the element ids it
defines and every ``href``/``src``/``action`` it uses, and resolves each
relative (or base-URL absolute) address to a file inside the site, and its
``#fragment`` to an id in that file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {"href", "src", "action"}


@dataclass(frozen=True)
class BrokenLink:
    """A link in ``page`` to ``target`` that does not resolve, and why."""

    page: str
    target: str
    reason: str


@dataclass(frozen=True)
class LinkReport:
    pages: int
    links: int
    broken: tuple[BrokenLink, ...]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in _LINK_ATTRS:
                self.links.append((tag, value))

    handle_startendtag = handle_starttag


def check_links(out_dir: str | Path, *, base_url: str = "/") -> LinkReport:
    """Every broken internal link of the site in ``out_dir``.

    Addresses with a scheme other than the base URL's (and ``data:``),
    ``mailto:`` and ``javascript:`` are reported as broken too: a generated
    page links only inside the site.
    """
    root = Path(out_dir).resolve()
    base_path = urlsplit(base_url).path if "://" in base_url else base_url
    parsed: dict[str, _Collector] = {}
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        c = _Collector()
        c.feed(path.read_text("utf-8"))
        c.close()
        parsed[rel] = c
    broken: list[BrokenLink] = []
    count = 0
    for page, c in parsed.items():
        for tag, raw in c.links:
            count += 1
            parts = urlsplit(raw)
            if parts.scheme == "data":
                continue  # inline content (the empty favicon): nothing to resolve
            if parts.scheme or parts.netloc:
                if "://" in base_url and raw.startswith(base_url):
                    target_path = raw[len(base_url):].split("#", 1)[0].split("?", 1)[0]
                else:
                    broken.append(BrokenLink(page, raw, "external or scripted address"))
                    continue
            elif parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    broken.append(BrokenLink(page, raw, f"absolute path outside the base URL {base_path}"))
                    continue
                target_path = parts.path[len(base_path):]
            elif parts.path == "":
                target_path = page
            else:
                target_path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target_path.startswith("../") or target_path == "..":
                broken.append(BrokenLink(page, raw, "leaves the site folder"))
                continue
            target = root / target_path
            if not target.is_file():
                broken.append(BrokenLink(page, raw, "no such file"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and tag != "link":
                ids = parsed.get(target_path)
                if ids is None or fragment not in ids.ids:
                    broken.append(BrokenLink(page, raw, f"no element with id '{fragment}'"))
    return LinkReport(len(parsed), count, tuple(broken))
