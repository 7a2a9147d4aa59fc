"""The layout every template's layout extends: structured data first (JSON-LD, meta tags, the
data layer, read once by newscrawl.site.layouts.pagedata), then what the template shows
readers, one method per field; and the reading of one article page into an Article."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, ClassVar, NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from newscrawl.items import Article
from newscrawl.normalize.dates import parse_datetime
from newscrawl.normalize.text import clean_text, slugify, split_list, unique
from newscrawl.site.bylines import (
    parse_byline,
    parse_reporter_code,
    split_dateline,
    split_reporter_code,
)
from newscrawl.site.layouts.markup import (
    attr,
    attribute,
    container_paragraphs,
    credited,
    first_of,
    first_text,
    has_class_ending,
    node_text,
    texts,
)
from newscrawl.site.layouts.pagedata import PageData, jsonld_text, plain_values
from newscrawl.site.loaders import ArticleLoader
from newscrawl.site.urls import (
    WWW_CHANNELS,
    ArticleRef,
    canonical_url,
    has_www_form,
    parse_article_url,
    type_from_url,
    www_url,
)

# The same desks and reporters sign thousands of articles: parse each credit line once.
# The cached Byline is shared, so callers copy its lists instead of changing them.
byline = functools.lru_cache(maxsize=8192)(parse_byline)


class NotAnArticle(ValueError):
    """The page holds no article; ``reason`` says what it is instead."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# Where a field's value came from, by kind: what the page states for machines (structured),
# what it shows readers (markup), or only its URL. A redesign shows up as a field moving
# from one kind to another, or to none.
SOURCE_KINDS = {
    "jsonld": "structured",
    "meta": "structured",
    "datalayer": "structured",
    "url": "url",
    "time-attr": "markup",
    "visible-text": "markup",
    "markup": "markup",
}

# The fields whose source extraction records (the rest follow from these or are constant).
SOURCED_FIELDS = (
    "title",
    "published_at",
    "updated_at",
    "authors",
    "editors",
    "section",
    "subsection",
    "tags",
    "summary",
    "body",
    "image_url",
    "image_caption",
)


class Extracted(NamedTuple):
    """An extracted article, how many of its body pages the HTML held, and field sources."""

    article: Article
    pages_found: int
    sources: dict[str, str]
    """SOURCED_FIELDS name → source label (a key of SOURCE_KINDS); absent when not found."""


def load_first(loader: ArticleLoader, sources: dict[str, str], name: str, candidates) -> None:
    """Load the first (source, value) candidate that survives the field's normaliser.

    A value may be a function: it is called only when every candidate before it gave
    nothing, so fallback selectors cost nothing on pages with structured data.
    """
    for source, value in candidates:
        if callable(value):
            value = value()
        if value is None or value == "" or value == []:
            continue
        loader.add_value(name, value)
        if loader.get_collected_values(name):
            sources[name] = source
            return


_TYPE_NAMES = {
    "TextTypeArticle": "text",
    "PhotoGallery": "photo",
    "VideoGallery": "video",
}


def _identity(page: PageData, url: str | None) -> tuple[ArticleRef, str | None]:
    """The article's id, channel and slug, and the URL it is stored under, from the page first."""
    kmk_id = (
        page.kmk_article.get("id") or page.gtm.get("articleId") or page.meta.get("dable:item_id")
    )
    kmk_id = str(kmk_id).strip() if kmk_id else None
    candidates = (
        lambda: page.meta.get("og:url"),
        lambda: jsonld_text((page.jsonld or {}).get("mainEntityOfPage")),
        lambda: attr(page.tree, 'link[rel="canonical"]', "href"),
        lambda: attr(page.tree, 'link[rel="amphtml"]', "href"),
        lambda: url,
    )
    found: list[tuple[str, ArticleRef]] = []
    for candidate in candidates:
        stated = candidate() or ""
        ref = parse_article_url(stated)
        # The data layer's id is the truth; ignore URLs that point at another article.
        if ref is None or (kmk_id and ref.article_id != kmk_id):
            continue
        found.append((stated, ref))
        if ref.channel and ref.slug:
            break  # the most trusted complete URL: no need to read the others
    if not found and not kmk_id:
        raise NotAnArticle("no article id", "no id in the data layer, og:url, JSON-LD or URL")
    article_id = kmk_id or found[0][1].article_id
    refs = [ref for _, ref in found]
    channel = next((r.channel for r in refs if r.channel), None) or page.kmk_slug("channel")
    slug = next((r.slug for r in refs if r.slug), None) or page.gtm.get("articleTitle")
    subchannel = next((r.subchannel for r in refs if r.subchannel), None)
    ref = ArticleRef(article_id, channel, slug, subchannel)
    return ref, _stored_url(page, found, article_id, slug)


def _stored_url(
    page: PageData, found: list[tuple[str, ArticleRef]], article_id: str, slug: str | None
) -> str | None:
    """The most trusted URL the page states about itself, in www form only where the host's
    www form is documented (newscrawl.site.urls.has_www_form); as stated otherwise.

    AMP URLs name no channel: the data layer's channel, else a www-form URL's, fills in.
    With no usable URL, the www form is built from the data layer's channel when the site
    is known to have that channel on www.
    """
    www_channels = (
        parse_article_url(canonical_url(stated) or "")
        for stated, _ in found
        if has_www_form(stated)
    )
    hint = page.kmk_slug("channel") or next((r.channel for r in www_channels if r), None)
    for stated, _ in found:
        stored = canonical_url(stated, channel=hint)
        if stored is None:
            continue
        if has_www_form(stored) and slug and parse_article_url(stored).slug is None:
            stored = f"{stored}/{slug}"  # the slug the page gives elsewhere (gtm.articleTitle)
        return stored
    if hint in WWW_CHANNELS:
        return www_url(article_id, hint, slug)
    return None


def structured_subsection(page: PageData, section: str | None) -> tuple[str | None, str | None]:
    """The sub-channel slug and its source from structured data: kmklabs.category, gtm,
    article:section3, and 2016's window.info (category, gtm pageTitle "tekno - telko - x").
    Source "" when a category there names no sub-channel: the markup is not asked."""
    category = page.kmk_slug("category")
    if category:
        parts = category.strip("/").split("/")
        if len(parts) > 1 and parts[1] != section:
            return "datalayer", parts[1]
        return "", None
    sub = page.gtm.get("subSubCategory")
    if sub and sub != section:
        return "datalayer", sub
    sub_name = page.meta.get("article:section3")
    if (
        sub_name
        and slugify(sub_name) != section
        and slugify(sub_name) != slugify(page.meta.get("article:section2"))
    ):
        return "meta", slugify(sub_name)
    category = plain_values(page.info.get("category")).get("full_slug")
    if category:
        parts = category.strip("/").split("/")
        return ("datalayer", parts[1]) if len(parts) > 1 and parts[1] != section else ("", None)
    gtm = plain_values(page.info.get("gtm"))
    title_parts = [p.strip() for p in (gtm.get("pageTitle") or "").split(" - ")]
    if len(title_parts) == 3 and title_parts[0] == section and title_parts[1] != section:
        return "datalayer", title_parts[1]
    return None, None


def breadcrumb_link_subsection(page: PageData, section: str | None) -> str | None:
    """The breadcrumb's link to the sub-channel, /{section}/{sub} (2019–2022, 2025)."""
    for href in (
        n.attributes.get("href") for n in page.tree.css("a.read-page--breadcrumb--item__title")
    ):
        parts = urlsplit(href or "").path.strip("/").split("/")
        if section and len(parts) == 2 and parts[0] == section and parts[1] != section:
            return parts[1]
    return None


def breadcrumb_item_subsection(page: PageData, section: str | None) -> str | None:
    """The breadcrumb's third item, "Home › Tekno › Telko" (2016, and 2019–2022 pages)."""
    items = page.tree.css("ul.read-page--breadcrumb > li")
    if len(items) >= 3:
        href = attr(items[2], "a", "href") or ""
        path = href.split("?")[0].split("#")[0].rstrip("/").split("/")
        slug = path[-1] if "/" in href and path[-1] and "." not in path[-1] else None
        slug = slug or slugify(node_text(items[2]))
        if slug and slug != section:
            return slug
    return None


class ArticleLayout:
    """One template the site has served: how to recognise its pages, and what it shows for
    each field. The base reads structured data; a layout adds its template's markup by
    setting the selectors below and overriding the methods whose reading differs."""

    name: ClassVar[str] = "structured-data"
    """The layout's name: stored with each article it read (Article.layout), counted per run."""
    heading: ClassVar[str | None] = None
    """The class of the template's <h1> headline: its evidence that costs no walk of the tree."""
    evidence: ClassVar[str | None] = None
    """A CSS selector only this template's pages match, asked when its headline is not there."""
    header: ClassVar[str | None] = None
    """The article header: with the page's own URL, an article page without structured data."""
    title_css: ClassVar[str | None] = None
    published_attr_css: ClassVar[str | None] = None
    """The element whose datetime attribute is the publication time."""
    published_text_css: ClassVar[str | None] = None
    """The element whose text is the publication time."""
    updated_attr_css: ClassVar[str | None] = None
    updated_text_css: ClassVar[str | None] = None
    byline_css: ClassVar[str | None] = None
    """The visible byline ("Oleh ..."), kept as byline_raw."""
    author_links_css: ClassVar[str | None] = None
    """Author links the page's CSS joins with ", " (byline_raw is "Oleh " and the names)."""
    writer_css: ClassVar[str | None] = None
    """The writers' names in the byline, when neither a credits box nor links name them."""
    credits_box: ClassVar[bool] = False
    """True when the template lists people with roles in a credits box (markup.credited)."""
    tags_css: ClassVar[str | None] = None
    top_media_css: ClassVar[str | None] = None
    """The lead-media block holding the lead image's figure."""
    gallery_css: ClassVar[str | None] = None
    """Gallery items carrying the lead image or its caption (photo, mobile and AMP)."""
    gallery_description_css: ClassVar[str | None] = None
    gallery_captions_css: ClassVar[tuple[str, ...]] = ()
    """Each photo's caption, by selector, in this order (a gallery's text)."""
    gallery_short_desc_css: ClassVar[str | None] = None
    """Gallery items whose data-short-desc is a photo's caption."""

    def __init__(self, page: PageData):
        self.page = page
        self.tree = page.tree

    @classmethod
    def recognises(cls, page: PageData, walk: bool = True) -> bool:
        """True when the page shows this template's markup: its headline, else (``walk``)
        its evidence anywhere in the tree."""
        if cls.heading is not None and cls.heading in page.h1_classes:
            return True
        return walk and cls.evidence is not None and page.has(cls.evidence)

    # ---- fields from the template's markup; None or empty when it shows none ----

    def title(self) -> str | None:
        """The headline shown on the page."""
        return first_text(self.tree, self.title_css) if self.title_css else None

    def summary(self) -> str | None:
        """The short description shown on the page."""
        return None

    def declared_type(self) -> str | None:
        """The article type the markup names as the data layer would (TextTypeArticle ...)."""
        return None

    def markup_type(self) -> str | None:
        """The article type the markup shows, when neither the data nor the URL says."""
        return None

    def published(self) -> list[tuple[str, Any]]:
        """Candidates of the publication time in the markup, (source, text or function)."""
        tree, out = self.tree, []
        if self.published_attr_css:
            out.append(("time-attr", lambda: attr(tree, self.published_attr_css, "datetime")))
        if self.published_text_css:
            out.append(("visible-text", lambda: first_text(tree, self.published_text_css)))
        return out

    def updated(self) -> list[tuple[str, Any]]:
        """Candidates of the modification time in the markup, (source, text or function)."""
        tree, out = self.tree, []
        if self.updated_attr_css:
            out.append(("time-attr", lambda: attr(tree, self.updated_attr_css, "datetime")))
        if self.updated_text_css:
            out.append(("visible-text", lambda: first_text(tree, self.updated_text_css)))
        return out

    def author_links(self) -> list[str]:
        """The author links of the byline."""
        return texts(self.tree, self.author_links_css) if self.author_links_css else []

    def byline(self) -> str | None:
        """The byline as the page shows it."""
        text = first_text(self.tree, self.byline_css) if self.byline_css else None
        if text is None:
            links = self.author_links()
            text = ("Oleh " + ", ".join(links)) if links else None
        return text

    def team(self, article_type: str) -> dict[str, list[str]]:
        """People of a team box by role ("team": named without one) and its desk credits."""
        return {"credits": [], "team": []}

    def credited(self, field: str) -> list[str]:
        """The names the credits box lists for a field ("authors", "editors")."""
        return credited(self.tree, field) if self.credits_box else []

    def writers(self, article_type: str, team: dict[str, list[str]]) -> str:
        """The writers the markup names, joined with ", " ("" when none)."""
        return (
            ", ".join(self.credited("authors"))
            or ", ".join(self.author_links())
            or (", ".join(texts(self.tree, self.writer_css)) if self.writer_css else "")
        )

    def gallery_credits(self) -> list[tuple[str, str]]:
        """(role label, names) of a photo gallery's credits."""
        return []

    def tags(self) -> list[str]:
        """The tags shown on the page."""
        return texts(self.tree, self.tags_css) if self.tags_css else []

    def top_media(self) -> LexborNode | None:
        """The block holding the lead image."""
        return self.tree.css_first(self.top_media_css) if self.top_media_css else None

    @functools.cached_property
    def _gallery(self) -> list[LexborNode]:
        return self.tree.css(self.gallery_css) if self.gallery_css else []

    def _slides(self, kind: str) -> list[LexborNode]:
        return [n for n in self._gallery if has_class_ending(n, kind)]

    def image_urls(self) -> list[tuple[str, Any]]:
        """Candidates of the lead image URL in the markup."""
        top = self.top_media()
        return [
            ("markup", lambda: attr(top, "figure", "data-image") if top else None),
            ("markup", lambda: first_of(self._slides("item_full"), attribute("data-image"))),
        ]

    def image_captions(self) -> list[tuple[str, Any]]:
        """Candidates of the lead image's caption in the markup."""
        top = self.top_media()
        slides = self._slides
        caption = "figcaption.read-page--photo-gallery--item__caption"
        return [
            ("markup", lambda: first_text(top, caption) if top else None),
            ("markup", lambda: attr(top, "figure", "data-description") if top else None),
            ("markup", lambda: first_of(slides("slider__top__item__caption"), node_text)),
            ("markup", lambda: first_of(slides("slider__item"), attribute("data-short-desc"))),
            # Mobile and AMP lead photo.
            ("markup", lambda: first_of(slides("item_full"), attribute("data-description"))),
            (
                "markup",
                lambda: first_of(
                    slides("item_full"),
                    lambda n: first_text(n, ".article-photo-gallery--item__description"),
                ),
            ),
        ]

    def subsection(self, section: str | None) -> str | None:
        """The sub-channel the markup names (a breadcrumb)."""
        return None

    def body(self, article_type: str) -> tuple[list[str], int]:
        """Body paragraphs of every page in order, and the number of pages found: a gallery's
        description and captions, else the text of any raw-content block."""
        tree = self.tree
        if article_type == "photo":
            description = (
                first_text(tree, self.gallery_description_css)
                if self.gallery_description_css
                else None
            )
            captions = [c for css in self.gallery_captions_css for c in texts(tree, css)]
            if self.gallery_short_desc_css:
                captions += [
                    clean_text(n.attributes.get("data-short-desc"))
                    for n in tree.css(self.gallery_short_desc_css)
                ]
            out = unique(t for t in (description, *captions) if t)
            return out, 1 if out else 0
        out = []
        for content in tree.css(".article-raw-content"):
            out.extend(container_paragraphs(content))
        return out, 1 if out else 0

    # ---- the article ----

    def read(self, url: str | None = None, *, now: datetime | None = None) -> Extracted:
        """Fill an Article from the page, with the body pages found and field sources."""
        page = self.page
        loader = ArticleLoader()
        sources: dict[str, str] = {}
        kmk_article, gtm, meta, jsonld = page.kmk_article, page.gtm, page.meta, page.jsonld or {}

        ref, canonical = _identity(page, url)
        if not ref.article_id.isdigit():
            raise NotAnArticle(
                "no article id", f"the data layer's id {ref.article_id!r} is not a number"
            )
        loader.add_value("layout", self.name)
        loader.add_value("article_id", ref.article_id)
        loader.add_value("url", canonical)
        section_candidates = (
            ("datalayer", page.kmk_slug("channel")),
            ("url", ref.channel),
            ("meta", slugify(meta.get("article:section2"))),
        )
        section_source, section = next(((s, v) for s, v in section_candidates if v), (None, None))
        if section_source:
            sources["section"] = section_source
        subsection_source, subsection = structured_subsection(page, section)
        if subsection_source is None:
            markup = self.subsection(section)
            if markup:
                subsection_source, subsection = "markup", markup
        if subsection is None and ref.subchannel and ref.subchannel != section:
            # A URL that names the sub-channel (berita.liputan6.com/peristiwa/read/…).
            subsection_source, subsection = "url", ref.subchannel
        if subsection_source:
            sources["subsection"] = subsection_source
        loader.add_value("section", section)
        loader.add_value("subsection", subsection)

        type_name = kmk_article.get("type") or gtm.get("type") or self.declared_type()
        article_type = _TYPE_NAMES.get(type_name or "")
        if article_type is None:
            article_type = type_from_url(ref) or self.markup_type() or "text"
        loader.add_value("type", article_type)

        load_first(
            loader,
            sources,
            "title",
            (
                ("jsonld", jsonld_text(jsonld.get("headline"))),
                ("meta", meta.get("og:title")),
                ("datalayer", kmk_article.get("title")),
                ("markup", self.title),
            ),
        )
        self._add_dates(loader, sources, now)
        self._add_people(loader, sources, article_type)
        load_first(
            loader,
            sources,
            "summary",
            (
                ("datalayer", kmk_article.get("shortDescription")),
                ("meta", meta.get("og:description")),
                ("meta", meta.get("description")),
                ("jsonld", jsonld_text(jsonld.get("description"))),
                ("markup", self.summary),
            ),
        )
        visible_tags = self.tags()
        load_first(
            loader,
            sources,
            "tags",
            [("markup", visible_tags)]
            if visible_tags
            else [
                ("datalayer", split_list(gtm.get("tag"), "|")),
                ("datalayer", split_list(plain_values(page.kmk.get("tag")).get("name"), "|")),
                ("meta", split_list(meta.get("keywords"), ",")),
                ("datalayer", split_list(kmk_article.get("keywords"), ",")),
            ],
        )
        load_first(
            loader,
            sources,
            "image_url",
            (
                ("meta", meta.get("og:image")),
                ("jsonld", jsonld_text(jsonld.get("image"))),
                *self.image_urls(),
            ),
        )
        load_first(loader, sources, "image_caption", self.image_captions())

        paragraphs, pages_found = self.body(article_type)
        if paragraphs:
            # Older copy closes with a reporter code, "(TNA/Merdi Sofansyah dan Anto Susanto)":
            # a credit, not text. Its people are the writers when nothing else names any.
            last, code = split_reporter_code(paragraphs[-1])
            if code:
                paragraphs = [*paragraphs[:-1], last] if last else paragraphs[:-1]
                loader.add_value("byline_raw", code)
                if not loader.get_collected_values("authors"):
                    people = parse_reporter_code(code).people
                    load_first(loader, sources, "authors", (("markup", people),))
        if paragraphs:
            sources["body"] = "markup"
            place, rest = split_dateline(paragraphs[0])
            if place:
                loader.add_value("dateline", place)
                paragraphs = [rest, *paragraphs[1:]] if rest else paragraphs[1:]
        body = "\n\n".join(paragraphs) or None
        loader.add_value("body", body)
        loader.add_value("word_count", len(body.split()) if body else 0)
        count = page.kmk.get("multiplePageCount")
        page_count = count if isinstance(count, int) and count > 0 else (pages_found or None)
        loader.add_value("page_count", page_count)
        return Extracted(loader.load_item(), pages_found, sources)

    def _add_dates(self, loader: ArticleLoader, sources: dict[str, str], now) -> None:
        """The first parseable publication and modification dates, most trusted first, with
        the raw text and source of each."""
        page, jsonld = self.page, self.page.jsonld or {}
        published = [
            ("jsonld", jsonld.get("datePublished")),
            ("meta", page.meta.get("article:published_time")),
            ("datalayer", page.kmk_article.get("publishDate")),
            *self.published(),
        ]
        updated = [
            ("jsonld", jsonld.get("dateModified")),
            ("meta", page.meta.get("article:modified_time")),
            ("meta", page.meta.get("og:updated_time")),
            *self.updated(),
        ]
        for name, candidates in (("published_at", published), ("updated_at", updated)):
            for source, raw in candidates:
                if callable(raw):
                    raw = raw()  # selectors are read only when the data before them had no date
                if not isinstance(raw, str) or not raw.strip():
                    continue
                parsed = parse_datetime(raw, now=now)
                if parsed is not None:
                    loader.add_value(name, parsed)
                    loader.add_value(f"{name}_raw", raw.strip())
                    loader.add_value(f"{name}_source", source)
                    sources[name] = source
                    break

    def _add_people(
        self, loader: ArticleLoader, sources: dict[str, str], article_type: str
    ) -> None:
        """Writers, editors, photographers and desk credits, from the data layer first."""
        page, gtm = self.page, self.page.gtm
        jsonld_author = page.jsonld.get("author") if page.jsonld else None
        if isinstance(jsonld_author, list):
            jsonld_names = ", ".join(n for n in (jsonld_text(a) for a in jsonld_author) if n)
        else:
            jsonld_names = jsonld_text(jsonld_author)
        loader.add_value("byline_raw", [self.byline(), jsonld_names])

        team = self.team(article_type)
        gtm_authors = gtm.get("authors") if isinstance(gtm.get("authors"), dict) else {}
        role = gtm_authors.get("type")
        if gtm:
            # The data layer names every writer; the visible byline only the first.
            writers = gtm.get("reporters") or (gtm_authors.get("names") if role == "author" else "")
            writers_source = "datalayer"
            photo_names = gtm_authors.get("names") if role == "photographer" else ""
        else:
            visible = self.writers(article_type, team)
            writers, writers_source = (visible, "markup") if visible else (jsonld_names, "jsonld")
            if not writers and team["team"]:
                # A team box names people without a role: the article's team, its writers.
                writers, writers_source = ", ".join(team["team"]), "markup"
            writers = writers or ""
            photo_names = ""
        writer_names = byline(writers)
        photo = byline(photo_names)
        editors = byline(gtm.get("editors"))
        photographers = [
            *photo.people,
            *byline(gtm.get("photographers")).people,
            *team.get("photographers", []),
        ]
        credits = [*writer_names.credits, *photo.credits, *team["credits"]]
        editor_names = (
            list(editors.people) or list(team.get("editors", [])) or self.credited("editors")
        )
        for label, user in self.gallery_credits() if article_type == "photo" else ():
            names = byline(user)
            target = editor_names if "editor" in label.lower() else photographers
            target.extend(names.people)
            credits.extend(names.credits)
        load_first(loader, sources, "authors", ((writers_source, writer_names.people),))
        editors_source = "datalayer" if editors.people else "markup"
        load_first(loader, sources, "editors", ((editors_source, editor_names),))
        loader.add_value("photographers", photographers)
        loader.add_value("credits", credits)
