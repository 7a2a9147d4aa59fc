"""The 2019-2022 desktop markup: article, channel front, indeks and tag pages."""

from __future__ import annotations

import html
import json
import zlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from tests.site.articles import (
    _MONTHS_ID,
    WIB,
    WWW,
    FakeArticle,
    _category_id,
    _slugify,
    _sub_name,
    channel_info,
)

# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------

_TYPE_NAMES = {"text": "TextTypeArticle", "photo": "PhotoGallery", "video": "VideoGallery"}
_LIST_TYPES = {"text": "Article", "photo": "PhotoGallery", "video": "VideoGallery"}
_AUTHOR_ROLES = {"text": "author", "photo": "photographer", "video": "videographer"}
_NAV_CHANNELS = ("news", "bisnis", "bola", "showbiz", "tekno", "health", "lifestyle")
_OTHER_SITES = (
    ("https://www.bola.com/indonesia", "Bola.com"),
    ("https://www.vidio.com/live", "Vidio"),
    ("https://www.fimela.com/", "Fimela"),
)


def _text(value: str) -> str:
    """Escape element text."""
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    """Escape an attribute value."""
    return html.escape(value, quote=True)


def _js(value: Any) -> str:
    """A JSON literal the way the site's PHP writes it (ASCII, escaped slashes)."""
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


def _iso(when: datetime) -> str:
    """ISO 8601 in WIB: 2020-05-27T23:34:41+07:00."""
    return when.astimezone(WIB).isoformat(timespec="seconds")


def _display(when: datetime) -> str:
    """The ReadPage's visible date: 27 Mei 2020, 23:34 WIB."""
    w = when.astimezone(WIB)
    return f"{w.day:02d} {_MONTHS_ID[w.month - 1]} {w.year}, {w:%H:%M} WIB"


def _list_time(when: datetime) -> str:
    """A list item's visible date: 28 Mei 2020 15:55."""
    w = when.astimezone(WIB)
    return f"{w.day:02d} {_MONTHS_ID[w.month - 1]} {w.year} {w:%H:%M}"


def _image_url(a: FakeArticle) -> str:
    """A stable made-up CDN image URL for the article."""
    token = f"{zlib.crc32(a.slug.encode()):08x}"
    return f"https://cdn1-production-images-kly.akamaized.net/{token}/640x360/{a.article_id}.jpg"


def _category(a: FakeArticle) -> dict[str, Any]:
    """window.kmklabs.category: the sub-channel, or the channel when there is none."""
    info = channel_info(a.channel)
    if not a.subchannel:
        return {"id": info.id, "name": info.name, "full_slug": a.channel}
    full_slug = f"{a.channel}/{a.subchannel}"
    return {
        "id": _category_id(a.channel, a.subchannel),
        "name": _sub_name(a.subchannel),
        "full_slug": full_slug,
    }


def _head(title: str, meta: Sequence[str] = (), scripts: str = "") -> str:
    """The document start and <head>: charset, title, meta tags, scripts."""
    lines = ["<!DOCTYPE html>", '<html lang="id">', "<head>", '<meta charset="utf-8">']
    lines += [f"<title>{_text(title)}</title>", *meta]
    return "\n".join(lines) + "\n" + scripts + "</head>\n"


def _kmklabs(page_type: str, page_count: int | None = None, **values: Any) -> str:
    """The window.kmklabs.* data layer, one statement per value, as the site writes it."""
    parts = ["window.kmklabs = {};"]
    if "gtm" in values:
        parts.append(f"window.kmklabs.gtm = {_js(values.pop('gtm'))};")
    parts += ["window.kmklabs.platform = 'Desktop';", f"window.kmklabs.pageType = '{page_type}';"]
    parts += [f"window.kmklabs.{key} = {_js(value)};" for key, value in values.items()]
    parts.append("window.kmklabs.site = 'liputan6';")
    if page_count is not None:
        parts.append(f"window.kmklabs.multiplePageCount = {page_count};")
    return '<script type="text/javascript"> ' + "  ".join(parts) + " </script>\n"


def _navbar() -> str:
    """The top navigation: channels, the indeks, sister sites (all absolute URLs)."""
    links = [(f"{WWW}/{c}", channel_info(c).name) for c in _NAV_CHANNELS[:4]]
    links += [(f"{WWW}/indeks", "Indeks"), _OTHER_SITES[0]]
    return (
        '<nav class="navbar--menu">'
        + "".join(f'<a href="{u}">{t}</a>' for u, t in links)
        + "</nav>\n"
    )


def _tag_list(tags: Sequence[str]) -> str:
    """The ReadPage's tag list, in the given order."""
    p = "tags--snippet"
    items = "".join(
        f'<li class="{p}__item" data-slug="{_slugify(t)}"><a class="{p}__link js-tags-link"'
        f' href="{WWW}/tag/{_slugify(t)}"><span class="{p}__name">{_text(t)}</span></a></li>'
        for t in tags
    )
    return f'<div class="{p}"><ul class="{p}__list">{items}</ul></div>\n'


def _baca_juga(a: FakeArticle, related: Sequence[FakeArticle]) -> str:
    """The "Baca Juga" box of related links inside the body."""
    links = [(r.url, r.title) for r in related]
    if not links:
        links = [
            (f"{WWW}/{a.channel}/read/{int(a.article_id) - 1}/berita-terkait", "Berita Terkait")
        ]
    items = "".join(f'<li><a target="_blank" href="{u}">{_text(t)}</a></li>' for u, t in links)
    return (
        '<div class="baca-juga"><p class="baca-juga__header">Baca Juga</p>'
        f'<ul class="baca-juga__list">{items}</ul></div>\n'
    )


def _body_page(a: FakeArticle, number: int, total: int, hidden: bool, related) -> str:
    """One div.article-content-body__item-page: paragraphs, Baca Juga box, ad, embed."""
    p = "article-content-body__item"
    parts = []
    for i, text in enumerate(a.page_paragraphs()[number - 1]):
        if number == 1 and i == 0 and a.dateline:
            parts.append(f"<p><b>Liputan6.com, {_text(a.dateline)} -</b> {_text(text)}</p>\n")
        else:
            parts.append(f"<p>{_text(text)}</p>\n")
        if i == 0:
            parts.append(f'<div class="article-ad" id="div-gpt-ad-inarticle-{number}"></div>\n')
        if i == 0 and number == 1 and a.type == "video":
            parts.append(
                '<div class="read-page--video-gallery--item"><iframe src="https://www.vidio.com/'
                f'embed/{a.article_id}"></iframe></div>\n'
            )
        if i == 1 and number == 1:
            parts.append(_baca_juga(a, related))
    cls = f"{p}-page {p}-page_hidden" if hidden else f"{p}-page "
    out = ""
    if hidden:  # the "2 dari 3 halaman" break before each hidden page
        index = f'<div class="{p}-break-index">{number} dari {total} halaman</div>'
        out = f'<div class="{p}-break">{index}</div>\n'
    title = f'<h2 class="{p}-title"></h2>' if number > 1 else ""
    return (
        f'{out}<div class="{cls}" data-page="{number}" data-title="">{title}'
        f'<div class="{p}-content">\n{"".join(parts)}</div></div>\n'
    )


def _article_meta(a: FakeArticle) -> list[str]:
    """The ReadPage's meta and link tags."""
    info, category = channel_info(a.channel), _category(a)
    summary, keywords = _attr(a.summary), _attr(", ".join(sorted(a.tags, key=str.casefold)))
    meta = [
        f'<meta name="description" content="{summary}">',
        f'<meta name="keywords" content="{keywords}">',
        f'<meta name="adx:sections" content="{category["full_slug"]}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{a.url}">',
        f'<meta property="og:title" content="{_attr(a.title)}">',
        f'<meta property="og:description" content="{summary}">',
        f'<meta property="og:image" content="{_image_url(a)}">',
        f'<meta property="article:published_time" content="{_iso(a.published)}">',
    ]
    if a.modified:
        meta.append(f'<meta property="article:modified_time" content="{_iso(a.modified)}">')
    meta += [
        '<meta property="article:section" content="News">',
        f'<meta property="article:section2" content="{_attr(info.name)}">',
        f'<meta property="article:section3" content="{_attr(category["name"])}">',
        f'<meta property="dable:item_id" content="{a.article_id}">',
        f'<link rel="canonical" href="{a.url}">',
        f'<link rel="amphtml" href="https://m.liputan6.com/amp/{a.article_id}/{a.slug}">',
    ]
    return meta


def _article_scripts(a: FakeArticle) -> str:
    """The JSON-LD NewsArticle and the window.kmklabs data layer of a ReadPage."""
    info, published = channel_info(a.channel), a.published.astimezone(WIB)
    tags = sorted(a.tags, key=str.casefold)  # the data layer sorts tags; the page does not
    jsonld: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": a.authors[0] if a.authors else "Liputan6.com"},
        "datePublished": _iso(published),
        "description": a.summary,
        "headline": a.title,
        "image": [_image_url(a)],
        "publisher": {"@type": "Organization", "name": "Liputan6"},
        "mainEntityOfPage": a.url,
    }
    if a.modified:
        jsonld["dateModified"] = _iso(a.modified)
    gtm = {
        "articleId": int(a.article_id),
        "articleTitle": a.slug,
        "category": "article",
        "editors": ", ".join(a.editors or a.authors[:1]),
        "editorialType": "editorial",
        "pageTitle": f"{a.channel} - {a.subchannel or a.channel} - {a.slug}",
        "publicationDate": f"{published:%Y-%m-%d}",
        "publicationTime": f"{published:%H:%M:%S}",
        "subCategory": a.channel,
        "subSubCategory": a.subchannel or "",
        "tag": "|".join(tags),
        "authors": {"type": _AUTHOR_ROLES[a.type], "names": ", ".join(a.authors)},
        "numberOfWords": sum(len(p.split()) for p in a.paragraphs),
        "type": _TYPE_NAMES[a.type],
        "reporters": ", ".join(a.authors),
        "photographers": "",
        "isLiveReport": False,
        "audience": "national-news",
    }
    article = {
        "id": int(a.article_id),
        "title": a.title,
        "type": _TYPE_NAMES[a.type],
        "shortDescription": a.summary,
        "keywords": ",".join(tags),
        "isAdvertorial": False,
        "isMultipage": a.pages > 1,
        "isAdultContent": False,
        "verifyAge": False,
        "publishDate": f"{published:%Y-%m-%d %H:%M:%S}",
    }
    channel = {"id": info.id, "name": info.name, "full_slug": a.channel}
    return f'<script type="application/ld+json">{_js(jsonld)}</script>\n' + _kmklabs(
        "ReadPage", a.pages, gtm=gtm, channel=channel, category=_category(a), article=article
    )


def _article_header(a: FakeArticle) -> str:
    """Breadcrumb, h1 title, byline (first author) and the two time elements."""
    info, category = channel_info(a.channel), _category(a)
    crumbs = [(WWW, "Home"), (f"{WWW}/{a.channel}", info.name)]
    if a.subchannel:
        crumbs.append((f"{WWW}/{a.channel}/{a.subchannel}", category["name"]))
    b = "read-page--breadcrumb"
    breadcrumb = "".join(
        f'<li class="{b}--item"><a class="{b}--item__title" href="{u}">'
        f'<span itemprop="name">{_text(t)}</span></a></li>'
        for u, t in crumbs
    )
    h = "read-page--header--author"
    author = a.authors[0] if a.authors else "Liputan6.com"
    user = ".".join(author.lower().split())
    published = a.published.astimezone(WIB)
    modified = ""
    if a.modified:
        shown = _display(a.modified)
        modified = (
            f'<time class="{h}__modified-time" itemprop="datePublished" datetime="{shown}">'
            f'<span class="{h}__modified-time--text">Diperbarui </span>{shown}</time>'
        )
    return (
        f'<ul class="{b}">{breadcrumb}</ul>\n'
        f'<article class="hentry main"><div class="read-page-upper">\n'
        '<header class="read-page--header">\n'
        '<h1 class="read-page--header--title entry-title" itemprop="headline">'
        f"{_text(a.title)}</h1>\n"
        f'<div id="author-{a.article_id}" class="{h} vcard">'
        f'<a class="{h}__link url fn" href="{WWW}/me/{user}"><span class="{h}__prefix"></span>'
        f'<span class="{h}__name fn" itemprop="name">{_text(author)}</span></a>\n'
        f'<p class="{h}__datetime-wrapper"><time class="{h}__datetime updated"'
        f' itemprop="datePublished" datetime="{published:%Y-%m-%d %H:%M:%S}">'
        f"{_display(published)}</time>{modified}</p></div>\n</header>\n"
    )


def render_article(
    a: FakeArticle, page: int | None = None, *, related: Sequence[FakeArticle] = ()
) -> str:
    """A desktop ReadPage in the site's markup (3-8 KB).

    All pages of a multi-page article are in one document (pages 2..N hidden), unless
    ``a.split_pages``: then the document holds only page ``page`` (default 1), with
    multiplePageCount still N. ``related`` fills the "Baca Juga" box.
    """
    total = len(a.page_paragraphs())
    if a.split_pages and total > 1:
        number = page or 1
        if not 1 <= number <= total:
            raise ValueError(f"article {a.article_id} has no page {number}")
        body = _body_page(a, number, total, False, related)
    else:
        body = "".join(_body_page(a, n, total, n > 1, related) for n in range(1, total + 1))
    image, g = _image_url(a), "read-page--photo-gallery--item"
    return (
        _head(
            f"{a.title} - {channel_info(a.channel).name} Liputan6.com",
            _article_meta(a),
            _article_scripts(a),
        )
        + "<body>\n"
        + _navbar()
        + _article_header(a)
        + '<div class="read-page--content">\n'
        f'<div class="read-page--top-media"><figure class="{g}">'
        f'<picture class="{g}__picture"><img data-src="{image}" alt=""></picture>'
        f'<figcaption class="{g}__caption">Ilustrasi {_text(a.title)}</figcaption></figure></div>\n'
        '<div class="article-content-body" itemprop="articleBody">\n'
        + body
        + '<div class="article-content-body__item-loadmore"></div></div>\n'
        + _tag_list(a.tags)
        + "</div></div></article>\n</body>\n</html>\n"
    )


def _list_data_layer(page_type: str, channel: str | None) -> str:
    """kmklabs for a list page: an empty gtm, the page type, channel and category."""
    values: dict[str, Any] = {"gtm": {"articleId": "", "type": "", "reporters": "", "authors": {}}}
    if channel:
        info = channel_info(channel)
        slot = {"id": info.id, "name": info.name, "full_slug": channel}
        values.update(channel=slot, category=slot)
    return _kmklabs(page_type, **values)


def _list_item(a: FakeArticle, p: str, article_class: str, data: str) -> str:
    """One list <article>: thumbnail link, category, time, title link, summary.

    ``p`` is the BEM prefix of the inner elements (articles--rows--item, ...).
    """
    sub = _category(a)["name"]
    sub_url = f"{WWW}/{a.channel}/{a.subchannel}" if a.subchannel else f"{WWW}/{a.channel}"
    title = _attr(a.title)
    return (
        f'<article class="{article_class}" id="article_{a.article_id}" data-slug="{a.slug}"{data}>'
        f'<figure class="{p}__figure-thumbnail"><a href="{a.url}" title="{title}"'
        ' data-template-var="url"></a></figure>'
        f'<aside class="{p}__details"><header class="{p}__header">'
        f'<a href="{sub_url}" class="{p}__category">{_text(sub)}</a>'
        f'<span class="{p}__datetime"><time class="{p}__time timeago"'
        f' datetime="{_iso(a.published)}">{_list_time(a.published)}</time></span>'
        f'<h4 class="{p}__title"><a href="{a.url}" class="{p}__title-link" title="{title}"'
        ' data-template-var="url">'
        f'<span class="{p}__title-link-text">{_text(a.title)}</span></a></h4></header>'
        f'<div class="{p}__summary">{_text(a.summary)}</div></aside></article>\n'
    )


def _iridescent_items(articles: Sequence[FakeArticle]) -> str:
    """The 2019-2022 desktop iridescent list items (channel fronts, tag pages)."""
    items = []
    for a in articles:
        p = f"articles--iridescent-list--{a.type}-item"  # text-, photo- and video-item
        data = f' data-type="{_TYPE_NAMES[a.type]}"'
        items.append(_list_item(a, p, f"articles--iridescent-list--item {p}", data))
    return "".join(items)


def render_channel_page(channel: str, articles: Sequence[FakeArticle]) -> str:
    """A desktop ChannelPage: an iridescent list of the given articles, in the given order.

    Besides the items it links to tag pages, the channel's indeks and other sites.
    """
    info = channel_info(channel)
    tags = sorted({t for a in articles for t in a.tags}, key=str.casefold)[:6] or ["Jokowi"]
    topics = "".join(
        f'<li class="tags--topics--item"><a class="tags--topics--item__link"'
        f' href="{WWW}/tag/{_slugify(t)}">{_text(t)}</a></li>'
        for t in tags
    )
    others = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in _OTHER_SITES)
    title = f"Berita {info.name} Terkini Hari Ini - Liputan6.com"
    return (
        _head(title, (), _list_data_layer("ChannelPage", channel))
        + "<body>\n"
        + _navbar()
        + f'<h1 class="channel--header__title">{_text(info.name)}</h1>\n'
        + f'<ul class="tags--topics">{topics}</ul>\n'
        + '<div class="articles"><div class="articles--iridescent-list" data-index="0">\n'
        + _iridescent_items(articles)
        + "</div></div>\n"
        + f'<a class="channel--indeks" href="{WWW}/{channel}/indeks">Indeks {info.name}</a>\n'
        + f'<aside class="network"><ul class="network__list">{others}</ul></aside>\n'
        + "</body>\n</html>\n"
    )


def indeks_url(channel: str | None, day: date, page: int = 1, base: str = WWW) -> str:
    """URL of an indeks page: {base}[/{channel}]/indeks/YYYY/MM/DD?page=N."""
    prefix = f"/{channel}" if channel else ""
    return f"{base}{prefix}/indeks/{day:%Y/%m/%d}?page={page}"


def _pagination(channel: str | None, day: date, page: int, has_next: bool) -> str:
    """The indeks page's div.simple-pagination."""
    return _simple_pagination(lambda n: indeks_url(channel, day, n), page, has_next)


def _simple_pagination(url_of: Callable[[int], str], page: int, has_next: bool) -> str:
    """div.simple-pagination: previous link, nearby page numbers, a#next when has_next;
    ``url_of(n)`` is page n's URL."""
    s = "simple-pagination"
    numbers = []
    for n in range(max(1, page - 2), page + (2 if has_next else 1)):
        link = (
            f'<span class="{s}__page-number-link {s}__page-number-link_active">{n}</span>'
            if n == page
            else f'<a class="{s}__page-number-link" href="{url_of(n)}">{n}</a>'
        )
        numbers.append(f'<li class="{s}__page-number" data-page="{n}">{link}</li>')
    prev_link = next_link = ""
    if page > 1:
        href = url_of(page - 1)
        prev_link = f'<a id="prev" class="{s}__prev-link" href="{href}"><span> Kembali </span></a>'
    if has_next:
        href = url_of(page + 1)
        next_link = f'<a id="next" class="{s}__next-link" href="{href}"><span> Lanjut </span></a>'
    return (
        f'<div class="{s}"><div class="{s}__container">{prev_link}'
        f'<ul class="{s}__page-numbers">{"".join(numbers)}</ul>{next_link}</div></div>'
    )


def _indeks_frame(channel: str | None, popular: Sequence[FakeArticle]) -> tuple[str, str, str, str]:
    """What an indeks page shows around its list: the popular sidebar, the channel filter,
    the channel's name and the date form's action."""
    side = "".join(
        f'<li class="articles--popular--item"><a class="articles--popular--item__link"'
        f' href="{a.url}">{_text(a.title)}</a></li>'
        for a in popular
    )
    filters = "".join(
        f'<li class="indeks--channel-filter__item"><a href="{WWW}/{c}/indeks">'
        f"{channel_info(c).name}</a></li>"
        for c in _NAV_CHANNELS
    )
    name = channel_info(channel).name if channel else "Semua Kanal"
    action = f"{WWW}/{channel}/indeks" if channel else f"{WWW}/indeks"
    return side, filters, name, action


def render_indeks_page(
    channel: str | None,
    day: date,
    items: Sequence[FakeArticle],
    page: int,
    has_next: bool,
    *,
    popular: Sequence[FakeArticle] = (),
) -> str:
    """A desktop IndeksPage for one day (site-wide when channel is None).

    ``items`` become article.articles--rows--item in section#indeks-articles; ``popular``
    fills a "Terpopuler" sidebar (links to other days' articles, not list items).
    """
    rows = "".join(
        _list_item(
            a,
            "articles--rows--item",
            "articles--rows--item",
            f' data-type="{_LIST_TYPES[a.type]}" data-channel-slug="{a.subchannel or a.channel}"',
        )
        for a in items
    )
    side, filters, name, action = _indeks_frame(channel, popular)
    return (
        _head(f"Indeks Berita {name} - Liputan6.com", (), _list_data_layer("IndeksPage", channel))
        + "<body>\n"
        + _navbar()
        + f'<h1 class="indeks--header__title">INDEKS {_text(name.upper())}</h1>\n'
        + f'<form class="articles-filter" action="{action}">'
        + f'<input name="date" value="{day.day:02d} {day:%B %Y}"></form>\n'
        + f'<ul class="indeks--channel-filter__list">{filters}</ul>\n'
        + '<section id="indeks-articles" class="box " data-infinite="true">'
        + '<div class="articles--list articles--list_rows">\n'
        + rows
        + "</div>"
        + _pagination(channel, day, page, has_next)
        + "</section>\n"
        + '<aside class="indeks--sidebar"><div class="box terpopuler"><h3>Terpopuler</h3>'
        + f"<ul>{side}</ul></div></aside>\n"
        + "</body>\n</html>\n"
    )


def tag_url(slug: str, page: int = 1, base: str = WWW) -> str:
    """URL of a tag page: {base}/tag/{slug}?page=N (the site's own paging links)."""
    return f"{base}/tag/{slug}?page={page}"


def _tag_title(name: str) -> str:
    return f"Berita {name} Hari Ini - Kabar Terbaru Terkini | Liputan6.com"


def render_tag_page(
    name: str, slug: str, items: Sequence[FakeArticle], page: int, has_next: bool
) -> str:
    """A desktop TagPage (as the saved /tag/viral page): the tag's name as the heading, its
    articles as an iridescent list in div.tags--layout--right, then the paging links."""
    return (
        _head(_tag_title(name), (), _list_data_layer("TagPage", None))
        + "<body>\n"
        + _navbar()
        + f'<h1 class="tags--header__title">{_text(name)}</h1>\n'
        + '<div class="tags--layout--right tags--layout--right_all">'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + _iridescent_items(items)
        + "</div>"
        + _simple_pagination(lambda n: tag_url(slug, n), page, has_next)
        + "</div>\n</body>\n</html>\n"
    )


def render_block_page(path: str = "/") -> str:
    """An Akamai-style "Access Denied" page: no kmklabs, no article."""
    target = _attr(f"http://www.liputan6.com{path}")
    return (
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n\n"
        f'You don\'t have permission to access "{target}" on this server.<P>\n'
        "Reference&#32;&#35;18&#46;6a2e4868&#46;1590596144&#46;2f1c0e0\n</BODY>\n</HTML>\n"
    )


def render_challenge_page(path: str = "/") -> str:
    """A Cloudflare-style "Just a moment..." JavaScript challenge: no kmklabs, no article,
    no list; the page a crawler gets instead of the one it asked for."""
    target = _attr(f"https://www.liputan6.com{path}")
    return (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
        '<meta name="robots" content="noindex,nofollow"></head><body>'
        '<div class="main-wrapper" role="main"><div class="main-content">'
        '<h1 class="zone-name-title h1">www.liputan6.com</h1>'
        '<h2 class="h2" id="challenge-running">Verifying you are human. This may take a few'
        " seconds.</h2>"
        "<noscript><div>Enable JavaScript and cookies to continue</div></noscript>"
        f'<form id="challenge-form" action="{target}?__cf_chl_f_tk=0" method="POST"></form>'
        "</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cType: 'managed'};"
        "var a=document.createElement('script');"
        "a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';"
        "document.getElementsByTagName('head')[0].appendChild(a);}());</script>"
        "</body></html>\n"
    )


def _error_page(status: int, message: str) -> str:
    """A small HTML error page."""
    body = f"<body><h1>{status} {message}</h1></body>\n</html>\n"
    return _head(f"{status} {message} - Liputan6.com") + body
