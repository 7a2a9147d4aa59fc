"""The visible markup helpers every layout uses: a node's text as a browser shows it, and the
paragraphs of a body container without related links, ads and embeds."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newscrawl.normalize.text import clean_text


def texts(root: LexborHTMLParser | LexborNode, css: str) -> list[str]:
    """The cleaned, non-empty visible text of every node matching css."""
    return [t for t in (node_text(n) for n in root.css(css)) if t]


def first_text(root: LexborHTMLParser | LexborNode, css: str) -> str | None:
    """The visible text of the first node matching css that has any."""
    # css_first stops at the first match, and the first match usually has text.
    first = root.css_first(css)
    text = node_text(first) if first is not None else None
    if first is None or text:
        return text
    for node in root.css(css)[1:]:
        text = node_text(node)
        if text:
            return text
    return None


def attr(root: LexborHTMLParser | LexborNode, css: str, name: str) -> str | None:
    """An attribute of the first node matching css that has it."""
    first = root.css_first(css)  # as in first_text: usually the answer, found sooner
    value = first.attributes.get(name) if first is not None else None
    if first is None or value:
        return value
    for node in root.css(css)[1:]:
        value = node.attributes.get(name)
        if value:
            return value
    return None


# Elements a browser puts on their own line: their text never runs into the next one's.
_BLOCKS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    )
)


def node_text(node: LexborNode) -> str | None:
    """Text of a node as a browser shows it: inline tags joined as written, blocks apart."""
    child = node.child
    if child is not None and child.next is None and child.tag == "-text":
        return clean_text(child.text_content)  # the usual case: one text and nothing else
    if node.tag == "p" and node.css_first("br") is None:
        # A <p> holds only inline content (the parser closes it at any block but <br>):
        # its text is its texts joined, which lexbor gives without a walk in Python.
        return clean_text(node.text(deep=True, separator=""))
    parts = []
    for child in node.traverse(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content)
        elif tag in _BLOCKS:
            parts.append(" ")
    return clean_text("".join(parts))


def page_number(value: str | None) -> int:
    """A data-page attribute as a number; anything but ASCII digits (a corrupted page) is 0."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else 0


# Inline blocks that are not article text: related links, ads, embeds, captions.
_NOISE_CLASSES = (
    "baca-juga",
    "seamless-ads",
    "article-ad",
    "ads-",
    "read-page--video-gallery",
    "article-photo-gallery",
    "video-gallery",
    "twitter-tweet",
    "twitter-video",
    "instagram-media",
    "tiktok-embed",
    # The 2025 theme's ad placeholders, inside the text ("Advertisement") and between pages.
    "advertisement-",
)

# Embedded media: no article text inside.
_EMBEDS = frozenset(
    (
        "figure",
        "iframe",
        "img",
        "picture",
        "video",
        "audio",
        "svg",
        "amp-img",
        "amp-ad",
        "amp-iframe",
        "amp-video",
        "amp-analytics",
        "amp-layout",
    )
)

# Page titles that only announce an embedded video ("Saksikan Video Pilihan di Bawah Ini:").
_VIDEO_PROMO = re.compile(r"^(?:sak\w*|simak|tonton|lihat)\b.{0,40}\bvideo\b|^video pilihan", re.I)

# A desk's description of itself, the same closing section on every one of its articles
# ("Tentang Cek Fakta Liputan6.com"): not the article's text (docs/extraction.md).
_DESK_SECTION = re.compile(r"^tentang[\s-]+cek[\s-]+fakta(?:[\s-]+liputan6(?:\.?com)?)?$", re.I)

_NOISE_CLASS = re.compile("|".join(map(re.escape, _NOISE_CLASSES)))


def is_noise(node: LexborNode) -> bool:
    """True for related-link boxes, ads, embeds and captions inside the body."""
    attrs = node.attributes
    if not attrs:
        return False
    classes = attrs.get("class")
    if classes and _NOISE_CLASS.search(classes):
        return True
    return (attrs.get("id") or "").startswith("div-gpt-ad")


def container_paragraphs(container: LexborNode, breaks: bool = False) -> list[str]:
    """Paragraph texts of one body page, walking its children and skipping noise.

    Text written straight into the container (old mobile pages do this) forms paragraphs
    of its own, broken at block elements and <br><br>.
    """
    out: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        text = clean_text("".join(run))
        run.clear()
        if text:
            out.append(text)

    for node in container.iter(include_text=True):
        tag = node.tag
        if tag == "-text":
            run.append(node.text_content)
        elif tag == "br":
            run.append("\n")
            if len(run) > 1 and run[-2] == "\n":
                end_run()  # a blank line between bare-text paragraphs
        elif tag in _EMBEDS or tag.startswith("-") or is_noise(node):
            continue
        elif tag not in _BLOCKS:
            run.append(node.text(deep=True, separator=""))  # inline: a, b, strong, span ...
        else:
            end_run()
            out.extend(_block(node, breaks))
    end_run()
    return out


def split_at_breaks(node: LexborNode) -> list[str]:
    """One <p> holding several paragraphs apart by <br><br> (2015–2016 pages), also when
    the breaks sit inside inline tags ("<strong>Layanan 4G<br><br></strong>")."""
    out: list[str] = []
    run: list[str] = []
    breaks = 0
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            text = child.text_content
            if text.strip():
                if breaks >= 2:
                    out.append(clean_text("".join(run)) or "")
                    run.clear()
                breaks = 0
            run.append(text)
        elif child.tag == "br":
            breaks += 1
            run.append(" ")
    out.append(clean_text("".join(run)) or "")
    return [p for p in out if p]


def _block(node: LexborNode, breaks: bool = False) -> list[str]:
    """The paragraphs of one block element of the body (``breaks``: <br><br> in a <p>
    separates paragraphs)."""
    tag = node.tag
    if tag in ("ul", "ol"):
        return [t for t in (node_text(li) for li in node.iter() if li.tag == "li") if t]
    if tag == "p" and node.attributes.get("class"):
        return []  # classed <p> are captions and widgets, not copy
    if tag == "p" and breaks:
        return split_at_breaks(node)
    if tag == "blockquote" and node.css_first("p, div"):
        return container_paragraphs(node)
    if tag in ("p", "h2", "h3", "h4", "h5", "li", "blockquote"):
        text = node_text(node)
        return [text] if text else []
    if tag == "div" and not node.attributes.get("class"):
        return container_paragraphs(node, breaks)
    return []


def _page_title(item: LexborNode) -> str | None:
    """A body page's own title, unless it only announces a video."""
    title = first_text(item, "h2.article-content-body__item-title")
    if title and len(title) < 80 and _VIDEO_PROMO.search(title):
        return None
    return title


def _is_desk_section(item: LexborNode) -> bool:
    """True for a body page that is a desk's description of itself ("Tentang Cek Fakta")."""
    heading = item.css_first("h2.article-content-body__item-title")
    names = (
        item.attributes.get("data-title"),
        heading.attributes.get("id") if heading else None,
        node_text(heading) if heading else None,
    )
    return any(_DESK_SECTION.match((name or "").strip()) for name in names)


def pages_text(items: list[LexborNode], content_css: str) -> list[str]:
    """Title and paragraphs of each body page, in the order given, without desk sections."""
    out: list[str] = []
    for item in items:
        if _is_desk_section(item):
            continue
        title = _page_title(item)
        if title:
            out.append(title)
        for content in item.css(content_css):
            paragraphs = container_paragraphs(content)
            # The same section as a heading inside a page: it runs to the page's end.
            cut = next((i for i, p in enumerate(paragraphs) if _DESK_SECTION.match(p)), None)
            out.extend(paragraphs if cut is None else paragraphs[:cut])
    return out


def has_class_ending(node: LexborNode, ending: str) -> bool:
    """True when one of the node's classes ends with ``ending``."""
    return any(c.endswith(ending) for c in (node.attributes.get("class") or "").split())


def attribute(name: str):
    """A function giving a node's attribute ``name``."""
    return lambda node: node.attributes.get(name)


def first_of(nodes: list[LexborNode], read) -> str | None:
    """The first truthy value ``read`` gives for the nodes, in order."""
    return next((value for node in nodes if (value := read(node))), None)


# Role labels of the credits box, by the field their people belong in.
_CREDIT_ROLES = {
    "author": "authors",
    "penulis": "authors",
    "reporter": "authors",
    "writer": "authors",
    "editor": "editors",
    "photographer": "photographers",
    "fotografer": "photographers",
}


def credited(tree: LexborHTMLParser, field: str) -> list[str]:
    """The names the credits box lists for a field ("authors", "editors"): 2019–2022 give
    each person a popover with a role, 2016 lists people under role headings."""
    names, current = [], None
    for node in tree.css("li.read-page--credits__role, .read-page--credits__item"):
        if "read-page--credits__role" in (node.attributes.get("class") or ""):
            current = _CREDIT_ROLES.get((node_text(node) or "").casefold().strip(" :"))
            continue
        name = first_text(node, ".read-page--credits__popover-name")
        if name:
            role = (first_text(node, ".read-page--credits__popover-role") or "").casefold()
            if _CREDIT_ROLES.get(role.strip(" :"), "authors") == field:
                names.append(name)
        elif current == field:
            names.extend(texts(node, ".read-page--credits__name"))
    return names
