"""HTML extraction: the main text of a page, without menus, scripts and the like.

The page is parsed with the standard library's ``html.parser`` into a small
tree (with the implied end tags browsers apply, so broken markup such as
unclosed ``<p>``/``<td>``/``<li>`` or stray ``</div>`` still nests sensibly).
The content root is chosen (``<article>``, ``<main>``/``role=main``, else
``<body>``), boilerplate is cut away, and the rest is rendered as text with
block elements as line breaks and table cells separated by `` | ``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser

from ..i18n import Sayable, phrase
from .base import Extracted
from .clean import normalize_text

# --------------------------------------------------------------- encoding

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.I)
# Labels browsers treat as windows-1252 (the WHATWG encoding standard maps
# latin-1 and ASCII declarations to it, and pages rely on that).
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii",
              "iso_8859-1", "cp819", "ibm819", "x-user-defined", "windows-1252", "cp1252"}
_DISPLAY_NAMES = {"utf_8": "utf-8", "cp1258": "windows-1258", "cp1252": "windows-1252",
                  "utf_16_le": "utf-16le", "utf_16_be": "utf-16be"}
# Letters (practically) only Vietnamese uses; see pdf.py.
_VIET_ONLY = set("ăđơưĩũĂĐƠƯĨŨ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}
# How far into the file to look for a charset declaration. The HTML standard
# says 1024 bytes, but Vietnamese portals often put kilobytes of inline
# scripts before the <meta>; 16 KB still costs nothing.
_PRESCAN_BYTES = 16384


def _codec_for_label(label: str) -> str | None:
    """Python codec name for a charset label from a page, or None if unknown."""
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    if label.startswith(("utf-16", "utf16", "ucs-2")):
        # A declaration we could read in ASCII cannot be UTF-16; browsers
        # decode such pages as UTF-8.
        return "utf_8"
    try:
        return codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None


def _display(codec: str) -> str:
    return _DISPLAY_NAMES.get(codec, codec.replace("_", "-"))


def _guess_legacy(data: bytes) -> str:
    """Windows-1258 or Windows-1252 for bytes that are not UTF-8.

    Decoded as Windows-1258, Vietnamese text is full of letters only
    Vietnamese uses (ư ơ đ ă and tone marks that compose with their vowel);
    Western text decoded the same way has very few of them (ã õ ý become
    ă ơ ư, but those are rare letters).
    """
    sample = data[:100_000]  # plenty to tell, and cheap on big pages
    text = unicodedata.normalize("NFC", sample.decode("cp1258", errors="replace"))
    letters = sum(1 for ch in text if ch.isalpha())
    viet = sum(1 for ch in text if ch in _VIET_ONLY)
    return "cp1258" if viet >= 3 and viet >= 0.03 * letters else "cp1252"


def decode_html(data: bytes) -> tuple[str, str, list[Sayable]]:
    """Decode an HTML file: returns the text, the encoding used and warnings.

    Order: byte order mark, ``<meta charset>`` / ``http-equiv`` content type
    / XML declaration, UTF-8, then a guess between Windows-1258 and 1252.
    """
    warnings: list[Sayable] = []
    for bom, codec in ((codecs.BOM_UTF8, "utf_8"), (codecs.BOM_UTF16_LE, "utf_16_le"),
                       (codecs.BOM_UTF16_BE, "utf_16_be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), _display(codec), warnings

    head = data[:_PRESCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match:
        label = match.group(1).decode("ascii", errors="replace")
        declared = _codec_for_label(label)
        if declared is None:
            warnings.append(phrase("unknown charset {label} declared; guessed the encoding", label=repr(label)))
        else:
            try:
                return data.decode(declared), _display(declared), warnings
            except UnicodeDecodeError:
                warnings.append(phrase("the page declares {label} but is not valid {encoding}; guessed the encoding",
                                       label=label, encoding=_display(declared)))
    try:
        return data.decode("utf_8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    codec = _guess_legacy(data)
    if not match:
        warnings.append(phrase("no charset declared and not UTF-8; decoded as {encoding}", encoding=_display(codec)))
    return data.decode(codec, errors="replace"), _display(codec), warnings


# ------------------------------------------------------------------- tree

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
         "meta", "param", "source", "track", "wbr"}
_HEAD_TAGS = {"base", "link", "meta", "noscript", "script", "style", "template", "title"}
# Start tags that close an open <p> (HTML standard, "in body" insertion mode).
_CLOSES_P = {"address", "article", "aside", "blockquote", "center", "details", "dialog",
             "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1",
             "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "dd", "dt", "main",
             "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "listing",
             "xmp", "plaintext"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements an end tag may not reach across: a stray </div> inside a table
# cell must not close the table.
_SCOPE = {"#root", "html", "body", "table", "td", "th", "caption", "template", "object",
          "marquee", "applet"}
_TABLE_TAGS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"}
# Broken pages (thousands of unclosed <font>) could nest deeper than Python's
# recursion limit; below this depth elements are flattened into their parent.
_MAX_DEPTH = 200


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []
        self.parent = parent

    def iter(self) -> Iterator[_Node]:
        """This node and all element descendants, in document order."""
        stack: list[_Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, _Node)]))


class _TreeBuilder(HTMLParser):
    """Builds a _Node tree, applying the implied end tags browsers apply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.stack: list[_Node] = [self.root]
        self.head: _Node | None = None
        self.body: _Node | None = None

    # -- helpers
    def _open_index(self, tags: set[str], barrier: set[str]) -> int | None:
        """Stack index of the innermost open element in ``tags``, searching
        outwards but not past an element in ``barrier``."""
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in tags:
                return i
            if tag in barrier:
                return None
        return None

    def _pop_to(self, index: int) -> None:
        del self.stack[index:]

    def _leave_head(self) -> None:
        # Content outside <head> tags ends the head even without </head>.
        if self.stack[-1].tag == "head":
            self.stack.pop()

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            i = self._open_index({"p"}, _SCOPE | {"button"})
            if i is not None:
                self._pop_to(i)
        if tag == "li":
            i = self._open_index({"li"}, _SCOPE | {"ul", "ol"})
        elif tag in ("dt", "dd"):
            i = self._open_index({"dt", "dd"}, _SCOPE | {"dl"})
        elif tag in ("td", "th"):
            i = self._open_index({"td", "th"}, {"table", "tr", "#root"})
        elif tag == "tr":
            i = self._open_index({"tr"}, {"table", "#root"})
        elif tag in ("thead", "tbody", "tfoot"):
            i = self._open_index({"thead", "tbody", "tfoot"}, {"table", "#root"})
        elif tag in ("option", "optgroup"):
            i = self._open_index({"option"}, {"select", "datalist", "#root"})
        elif tag == "a":
            i = self._open_index({"a"}, _SCOPE)
        elif tag in _HEADINGS and self.stack[-1].tag in _HEADINGS:
            i = len(self.stack) - 1
        else:
            i = None
        if i is not None:
            self._pop_to(i)

    # -- HTMLParser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr_map = {k: (v or "") for k, v in attrs}
        if tag == "html":
            return
        if tag == "head":
            if self.head is None and self.body is None:
                self.head = _Node("head", attr_map, self.root)
                self.root.children.append(self.head)
                self.stack.append(self.head)
            return
        if self.stack[-1].tag == "head" and tag not in _HEAD_TAGS:
            self._leave_head()
        if tag == "body":
            content_before = any(
                (isinstance(c, str) and c.strip()) or (isinstance(c, _Node) and c.tag != "head")
                for c in self.root.children
            )
            if self.body is None and not content_before:
                self._leave_head()
                self.body = _Node("body", attr_map, self.root)
                self.root.children.append(self.body)
                self.stack = [self.root, self.body]
            # A second <body>, or one after content already began: the
            # content simply continues where it is.
            return
        self._close_implied(tag)
        parent = self.stack[-1]
        node = _Node(tag, attr_map, parent)
        parent.children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML-style <div/>: treat as an empty element rather than an open one.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and tag not in ("html", "head", "body"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("html", "body"):
            return  # content after </body> still belongs to the body
        if tag == "br":  # browsers read </br> as <br>
            self.handle_starttag("br", [])
            return
        if tag in _VOID:
            return
        barrier = {"table", "#root"} if tag in _TABLE_TAGS else _SCOPE
        if tag in ("table", "head"):
            barrier = {"#root"}
        i = self._open_index({tag}, barrier)
        if i is not None:
            self._pop_to(i)
        # else: a stray end tag, ignored as browsers do

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag == "head" and data.strip():
            self._leave_head()
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


# ------------------------------------------------------------ boilerplate

# Never content, wherever they are.
_ALWAYS_DROP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "frame",
                "frameset", "object", "embed", "canvas", "button", "select", "textarea",
                "input", "option", "datalist", "head", "title", "meta", "link", "base",
                "map", "audio", "video", "picture", "source", "dialog"}
# Page furniture, dropped unless it evidently holds the content itself
# (see _protected).
_FURNITURE = {"nav", "aside", "form", "menu"}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu",
                    "menubar", "dialog", "alert"}
_NOISE_TOKEN = re.compile(
    r"menu|navbar|navigation|sidebar|breadcrumb|comment|social|related|advert|cookie|"
    r"sharing|^share|share$|^nav$|^ads?$|^adv$"
)
# Vietnamese class names, matched with separators removed ("tin-lien-quan"):
# quảng cáo (ads), bình luận (comments), liên quan (related), chia sẻ (share).
_NOISE_VI = re.compile(r"quangcao|binhluan|lienquan|chiase")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CONTENT_TAGS = {"article", "main"}
# HTML's white space (what _collapse_spaces folds to one space).
_WS = re.compile(r"[ \t\n\r\f]+")


def _collapse_spaces(text: str) -> str:
    """``_WS.sub(" ", text)``, faster: each kind of space becomes a plain
    one, then doubled spaces are halved until none is left (a pass per
    doubling of the longest run). str.replace scans in C; the pattern was
    tried at every single space between words."""
    for ch in "\n\t\r\f":
        if ch in text:
            text = text.replace(ch, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _solid_len(text: str) -> int:
    """How many characters of ``text`` are not in _WS (counted in C)."""
    return len(text) - sum(map(text.count, " \t\n\r\f"))

# Rendering: elements that start a paragraph (blank line around them) and
# elements that only start a new line.
_PARAGRAPH_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol",
                     "dl", "table", "figure", "address", "details", "section", "article",
                     "header", "footer", "main", "fieldset", "center", "hgroup", "listing",
                     "xmp", "plaintext"}
_LINE_BLOCKS = {"div", "li", "dt", "dd", "caption", "figcaption", "summary", "legend", "tbody",
                "thead", "tfoot", "body", "nav", "aside", "form", "menu", "dir"}


def _is_noise_name(node: _Node) -> bool:
    """Whether the element's class or id names it as navigation, ads,
    comments, share buttons, related links, cookie notices..."""
    value = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}"
    for name in value.split():
        if _NOISE_VI.search(re.sub(r"[\-_]", "", name.lower())):
            return True
        name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)  # mainMenu -> main Menu
        if any(_NOISE_TOKEN.search(t) for t in re.split(r"[\s_\-]+", name.lower()) if t):
            return True
    return False


class _Page:
    """A parsed page and the decisions about what of it is content."""

    def __init__(self, builder: _TreeBuilder) -> None:
        self.root = builder.root
        self.body = builder.body or builder.root
        self._lengths: dict[int, int] = {}
        self._holds: dict[int, bool] = {}
        self._content_root_len = 1
        self.soft_drops = True

    # -- measuring
    def text_len(self, node: _Node) -> int:
        """Non-space characters under ``node``, skipping always-dropped
        elements."""
        key = id(node)
        if key not in self._lengths:
            total = 0
            for child in node.children:
                if isinstance(child, str):
                    total += _solid_len(child)
                elif child.tag not in _ALWAYS_DROP:
                    total += self.text_len(child)
            self._lengths[key] = total
        return self._lengths[key]

    # -- classification
    def _hidden(self, node: _Node) -> bool:
        attrs = node.attrs
        return ("hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true"
                or bool(_HIDDEN_STYLE.search(attrs.get("style", ""))))

    def _furniture(self, node: _Node, in_content: bool) -> bool:
        """Whether ``node`` looks like navigation, ads, comments etc."""
        tag = node.tag
        if tag in _FURNITURE:
            return True
        # A page's own header and footer; an article's header (title, date)
        # and footer are kept.
        if tag in ("header", "footer") and not in_content:
            return True
        if node.attrs.get("role", "").lower() in _FURNITURE_ROLES:
            return True
        if self._hidden(node):
            return True
        return tag not in _CONTENT_TAGS and _is_noise_name(node)

    def _holds_headline(self, node: _Node) -> bool:
        """Whether ``node`` is or contains an h1 or the main element. (Not
        merely an <article>: "related" boxes are full of article teasers.)"""
        key = id(node)
        if key not in self._holds:
            self._holds[key] = (
                node.tag in ("h1", "main")
                or node.attrs.get("role", "").lower() == "main"
                or any(self._holds_headline(c) for c in node.children if isinstance(c, _Node))
            )
        return self._holds[key]

    def _protected(self, node: _Node) -> bool:
        """Furniture-looking elements that in fact hold the content: a wrapper
        <form> of an ASP.NET page, a <div class="page-with-sidebar">...

        A page <header> holding an <h1> is not protected by it: sites often
        mark up their logo as the h1.
        """
        if node.tag not in ("header", "footer") and self._holds_headline(node):
            return True
        return self.text_len(node) >= 0.6 * self._content_root_len

    def dropped(self, node: _Node, in_content: bool) -> bool:
        if node.tag in _ALWAYS_DROP:
            return True
        if not self.soft_drops:
            return False
        return self._furniture(node, in_content) and not self._protected(node)

    # -- content root
    def _candidates(self) -> Iterator[_Node]:
        """article / main / role=main elements not inside furniture, in
        document order."""
        stack = [c for c in reversed(self.body.children) if isinstance(c, _Node)]
        while stack:
            node = stack.pop()
            if node.tag in _ALWAYS_DROP:
                continue
            if node.tag in _CONTENT_TAGS or node.attrs.get("role", "").lower() == "main":
                yield node
            elif (node.tag in _FURNITURE or _is_noise_name(node)) and not self._protected(node):
                continue  # e.g. <article> teasers in a "related" box
            stack.extend(c for c in reversed(node.children) if isinstance(c, _Node))

    def content_roots(self) -> list[_Node]:
        """The element(s) holding the page's main text."""
        self._content_root_len = max(1, self.text_len(self.body))
        candidates = list(self._candidates())
        articles = [n for n in candidates if n.tag == "article" and not _inside(n, "article")]
        mains = [n for n in candidates if n.tag == "main" or n.attrs.get("role", "").lower() == "main"]
        body_len = self.clean_len(self.body)

        roots: list[_Node] = []
        if articles:
            best = max(articles, key=self.text_len)
            total = sum(self.text_len(a) for a in articles)
            # One dominant article (a news item) or a list of them (an index page).
            roots = [best] if self.text_len(best) >= 0.5 * total else articles
        if mains:
            main = mains[0]
            if not roots or sum(self.clean_len(r) for r in roots) < 0.2 * self.clean_len(main):
                roots = [main]
        # A tiny <article> (a widget) on a page whose text is elsewhere.
        if roots and sum(self.clean_len(r) for r in roots) < 0.2 * body_len:
            roots = []
        return roots or [self.body]

    def clean_len(self, node: _Node) -> int:
        return _solid_len(render(self, [node]))


def _inside(node: _Node, tag: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _in_content(node: _Node) -> bool:
    """Whether ``node`` is, or is inside, an article/main element."""
    current: _Node | None = node
    while current is not None:
        if current.tag in _CONTENT_TAGS or current.attrs.get("role", "").lower() == "main":
            return True
        current = current.parent
    return False


# --------------------------------------------------------------- render


class _Out:
    """Text being rendered. Line and paragraph breaks are requested rather
    than written, so that the whitespace between two blocks does not turn a
    line break into a blank line: consecutive requests merge into the
    largest one."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # line breaks owed before the next text

    def text(self, s: str) -> None:
        if self.pending:
            if not s.strip():
                return
            if self.parts:
                self.parts.append("\n" * self.pending)
            self.pending = 0
        self.parts.append(s)

    def newline(self) -> None:
        self.pending = max(self.pending, 1)

    def paragraph(self) -> None:
        self.pending = 2

    def line_break(self) -> None:
        # <br> adds up: "<br><br>" is how many pages separate paragraphs.
        self.pending = min(2, self.pending + 1)

    def value(self) -> str:
        return "".join(self.parts)


def _render_children(page: _Page, node: _Node, out: _Out, in_content: bool, pre: bool) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.text(child if pre else _collapse_spaces(child))
        else:
            _render_node(page, child, out, in_content, pre)


def _render_node(page: _Page, node: _Node, out: _Out, in_content: bool, pre: bool) -> None:
    tag = node.tag
    if page.dropped(node, in_content):
        return
    in_content = in_content or tag in _CONTENT_TAGS or node.attrs.get("role", "").lower() == "main"
    if tag == "br":
        out.line_break()
    elif tag == "hr":
        out.paragraph()
    elif tag == "tr":
        _render_row(page, node, out, in_content)
    elif tag in _PARAGRAPH_BLOCKS:
        out.paragraph()
        _render_children(page, node, out, in_content, pre or tag in ("pre", "listing", "xmp"))
        out.paragraph()
    elif tag in _LINE_BLOCKS or tag in ("td", "th"):  # td/th here: a cell outside any row (broken markup)
        out.newline()
        _render_children(page, node, out, in_content, pre)
        out.newline()
    else:
        _render_children(page, node, out, in_content, pre)


def _render_row(page: _Page, row: _Node, out: _Out, in_content: bool) -> None:
    """One table row on one line, cells separated by " | ".

    Each cell is rendered on its own, so the paragraphs Word puts inside
    every cell do not tear the row apart; a cell with several paragraphs
    keeps them as lines.
    """
    cells: list[str] = []
    for child in row.children:
        cell_out = _Out()
        if isinstance(child, str):
            if not child.strip():
                continue
            cell_out.text(child)
        elif child.tag in ("td", "th"):
            if page.dropped(child, in_content):
                continue
            _render_children(page, child, cell_out, in_content, False)
        else:
            _render_node(page, child, cell_out, in_content, False)
        cells.append(normalize_text(cell_out.value()).replace("\n\n", "\n"))
    if any(cells):
        out.newline()
        out.text(" | ".join(cells))
        out.newline()


def render(page: _Page, roots: list[_Node]) -> str:
    """Text of ``roots`` (not normalised)."""
    out = _Out()
    for root in roots:
        # The root itself is never dropped (a <body class="has-sidebar"> is
        # not a sidebar), only what is inside it.
        _render_children(page, root, out, _in_content(root), root.tag == "pre")
        out.paragraph()
    return out.value()


# ------------------------------------------------------------------ title

_TITLE_SEPARATORS = re.compile(r"\s+(\||-|–|—|::|»|«|·)\s+")


def _node_text(node: _Node) -> str:
    parts: list[str] = []
    for inner in node.iter():
        if inner is not node and inner.tag in _ALWAYS_DROP:
            continue
        parts.extend(c for c in inner.children if isinstance(c, str))
    return normalize_text(_collapse_spaces(" ".join(parts)))


def _first(nodes: Iterator[_Node], tag: str) -> _Node | None:
    for node in nodes:
        if node.tag == tag and _node_text(node):
            return node
    return None


def clean_page_title(title: str, h1: str | None = None) -> str:
    """Strip a site-name suffix from a <title>, when it clearly is one.

    "Đẩy mạnh chuyển đổi số - Báo Quảng Ninh" loses " - Báo Quảng Ninh";
    "Kinh tế - xã hội" stays (the part after the dash is not a name), and so
    does "57-NQ/TW" (no spaces around the dash).
    """
    matches = list(_TITLE_SEPARATORS.finditer(title))
    if not matches:
        return title
    last = matches[-1]
    prefix, suffix = title[: last.start()].strip(), title[last.end():].strip()
    if not prefix or not suffix:
        return title
    if h1 and normalize_text(prefix) == normalize_text(h1):
        return prefix
    if len(suffix) > 60 or len(suffix.split()) > 8:
        return title
    if last.group(1) == "|":  # nobody writes a pipe in a sentence
        return prefix
    # A dash may be prose: only a capitalised name shorter than the headline
    # counts as a site name.
    looks_like_name = suffix[0].isupper() or suffix[0].isdigit()
    if looks_like_name and len(suffix) <= len(prefix):
        return prefix
    return title


# ------------------------------------------------------------------- main


def extract_html(data: bytes) -> Extracted:
    """Extract the main text of an HTML page.

    The encoding comes from a BOM, a ``<meta>`` declaration, UTF-8, or a
    guess between Windows-1258 and Windows-1252. Scripts, styles, menus,
    navigation, page header/footer, sidebars, comments, share buttons and ads
    are left out; ``<article>`` / ``<main>`` is preferred when present. The
    title is the article's ``<h1>``, else the ``<title>`` without a site-name
    suffix, else the first ``<h1>``.
    """
    source, encoding, warnings = decode_html(data)
    builder = _TreeBuilder()
    try:
        builder.feed(source)
        builder.close()
    except Exception as exc:  # noqa: BLE001 - html.parser can assert on odd markup
        warnings.append(phrase("HTML parser stopped early ({error}); text may be incomplete", error=exc))

    page = _Page(builder)
    roots = page.content_roots()
    text = normalize_text(render(page, roots))
    if not text:
        # Every element looked like furniture: better some boilerplate than
        # nothing.
        page.soft_drops = False
        text = normalize_text(render(page, [page.body]))

    title = _title(page, roots)
    return Extracted(text=text, title=title, warnings=tuple(warnings), encoding=encoding)


def _title(page: _Page, roots: list[_Node]) -> str | None:
    # One article (or main): its h1 is the headline. A list of articles (an
    # index page) is better named by the page's <title>.
    if len(roots) == 1 and roots[0] is not page.body:
        h1 = _first(roots[0].iter(), "h1")
        if h1 is not None:
            return _node_text(h1)
    first_h1 = _first(page.body.iter(), "h1")
    h1_text = _node_text(first_h1) if first_h1 is not None else None
    title_node = _first(page.root.iter(), "title")
    if title_node is not None:
        return clean_page_title(_node_text(title_node), h1_text) or None
    return h1_text
