"""The 2025 ("neoliputan6") theme: article, channel front, indeks and tag pages."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from tests.site.articles import WIB, WWW, FakeArticle, _phrases, _slugify, channel_info
from tests.site.theme2019 import (
    _AUTHOR_ROLES,
    _NAV_CHANNELS,
    _OTHER_SITES,
    _TYPE_NAMES,
    _attr,
    _category,
    _image_url,
    _indeks_frame,
    _iso,
    _js,
    _list_time,
    _pagination,
    _simple_pagination,
    _tag_title,
    _text,
    tag_url,
)

# ---------------------------------------------------------------------------------------
# Rendering: the 2025 ("neoliputan6") theme
# ---------------------------------------------------------------------------------------
# After ../shared/liputan6/ERAS.md section 1 and the real 2026 pages beside it
# (eras/article_desktop_cekfakta_8292010_2026-09-15_theme2025_stripped.html and
# eras/list_fragment_tag_2026-09-02.html). Guesses, for want of a saved page: the headline
# slider's inner markup (as tests/fixtures/theme2025_channel.html has it), the dated indeks
# page around its list items (heading, filters, pagination, sidebar: as the 2019-2022 page),
# and photo and video articles (the text skeleton, with their type in the data layer).

_MONTHS_FULL_ID = _phrases(
    "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
)
_TOGGLE_2025 = {
    "lip6NoPageLoad": True,
    "updateGaLiputan": True,
    "newLiveReport": True,
    "liputan62025Theme": True,
    "liputan62025ThemeByParam": False,
    "seamlessPaging": True,
    "pagination2Page": True,
    "naisCms": True,
}


def _display_2025(when: datetime) -> str:
    """The byline box's date: 15 September 2026, 15:00 WIB (full month names)."""
    w = when.astimezone(WIB)
    return f"{w.day} {_MONTHS_FULL_ID[w.month - 1]} {w.year}, {w:%H:%M} WIB"


def _author_url(name: str) -> str:
    """An author's page: https://www.liputan6.com/author/{first.last}."""
    return f"{WWW}/author/{'.'.join(name.lower().split())}"


def _kmklabs_2025(page_type: str, values: Mapping[str, Any], tail: str = "") -> str:
    """The theme's window.kmklabs script: env and assets, the values in order, then
    window.kmklabs.toggle on its own line (liputan62025Theme is true)."""
    parts = [
        "window.kmklabs = {};",
        "window.kmklabs.env = 'production';",
        "window.kmklabs.baseAssetsUrl = 'https://cdn-production-assets-kly.akamaized.net/assets';",
    ]
    for key, value in values.items():
        if key == "pageType":
            parts += [
                "window.kmklabs.platform = 'Desktop';",
                f"window.kmklabs.pageType = '{value}';",
            ]
        else:
            parts.append(f"window.kmklabs.{key} = {_js(value)};")
    parts.append("window.kmklabs.site = 'liputan6';")
    return (
        '<script type="text/javascript"> '
        + "  ".join(parts)
        + tail
        + f"\n window.kmklabs.toggle = {_js(_TOGGLE_2025)}; </script>"
    )


def _head_2025(title: str, meta: Sequence[str], scripts: str) -> str:
    """The theme's <head>: title, charset and viewport, meta and links, then scripts."""
    return (
        '<!DOCTYPE html>\n<html lang="id"><head>'
        f"<title>{_text(title)}</title>"
        '<meta charset="utf-8"/>'
        '<meta content="width=device-width, initial-scale=1.0" name="viewport"/>'
        + "\n".join(meta)
        + scripts
        + "</head>"
    )


def _header_2025() -> str:
    """The theme's top header with its navigation (absolute URLs)."""
    links = [(f"{WWW}/{c}", channel_info(c).name) for c in _NAV_CHANNELS[:4]]
    links += [(f"{WWW}/indeks", "Indeks"), _OTHER_SITES[0]]
    nav = "".join(f'<a class="navbar--menu__link" href="{u}">{t}</a>' for u, t in links)
    return (
        '<header class="header bg-white dark:bg-zinc-900 dark:text-white"'
        ' data-component="neoliputan6:desktop:header">'
        f'<nav class="navbar--menu">{nav}</nav></header>'
    )


def _article_meta_2025(a: FakeArticle) -> tuple[list[str], list[str]]:
    """The ReadPage's meta and links in the theme, before and after its JSON-LD: no
    article:section*, no dable:item_id, no m.liputan6.com alternate; amphtml on www."""
    category = _category(a)
    title, summary = _attr(a.title), _attr(a.summary)
    keywords = _attr(", ".join(a.tags))
    published = _iso(a.published)
    meta = [
        f'<meta content="{category["full_slug"]}" name="adx:sections"/>',
        f'<meta content="{title}" name="title"/>',
        f'<meta content="{summary}" name="description"/>',
        f'<meta content="{keywords}" name="keywords"/>',
        '<meta content="index,follow" name="googlebot-news"/>',
        '<meta content="index, follow" name="robots"/>',
        '<meta content="Liputan6.com" name="author"/>',
        '<meta content="id" name="language"/>',
        f'<meta content="{published}" property="article:published_time"/>',
    ]
    after = [
        '<meta content="liputan6.com" property="og:site_name"/>',
        f'<meta content="{a.url}" property="og:url"/>',
        f'<meta content="{title}" property="og:title"/>',
        f'<meta content="{summary}" property="og:description"/>',
    ]
    if a.modified:
        modified = _iso(a.modified)
        after += [
            f'<meta content="{modified}" property="article:modified_time"/>',
            f'<meta content="{modified}" property="og:updated_time"/>',
        ]
    after += [
        '<meta content="article" property="og:type"/>',
        f'<meta content="{_image_url(a)}" property="og:image"/>',
        '<meta content="summary_large_image" name="twitter:card"/>',
        f'<meta content="{title}" name="twitter:title"/>',
        f'<meta content="{a.url}" name="twitter:url"/>',
        '<link data-component-name="ui:rss-discover" href="https://feed.liputan6.com/rss/'
        f'{a.channel}" rel="alternate" type="application/rss+xml"/>',
        f'<link href="{a.url}" rel="canonical"/>',
        f'<link data-component-name="amp:html:link" href="{WWW}/amp/{a.article_id}/{a.slug}"'
        ' rel="amphtml"/>',
    ]
    return meta, after


def _crumbs_2025(a: FakeArticle) -> list[tuple[str, str]]:
    """(url, name) of the breadcrumb: home, channel, sub-channel when there is one."""
    crumbs = [(WWW, "Liputan6"), (f"{WWW}/{a.channel}", channel_info(a.channel).name)]
    if a.subchannel:
        crumbs.append((f"{WWW}/{a.channel}/{a.subchannel}", _category(a)["name"]))
    return crumbs


def _jsonld_2025(a: FakeArticle) -> str:
    """The JSON-LD array [NewsArticle, BreadcrumbList] of a theme ReadPage."""
    news: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": _iso(a.published),
    }
    if a.modified:
        news["dateModified"] = _iso(a.modified)
    news |= {
        "description": a.summary,
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "image": {"@type": "ImageObject", "url": _image_url(a)},
        "author": [{"@type": "Person", "name": n, "url": _author_url(n)} for n in a.authors],
        "publisher": {
            "@type": "Organization",
            "name": "Liputan6.com",
            "logo": {
                "@type": "ImageObject",
                "url": "https://cdn-production-assets-kly.akamaized.net/assets/images/liputan6/amp-logo.png",
            },
        },
    }
    items = [*_crumbs_2025(a), (a.url, a.title)]
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": str(i), "name": name, "item": url}
            for i, (url, name) in enumerate(items, 1)
        ],
    }
    return f'<script type="application/ld+json">{_js([news, crumbs])}</script>'


def _article_scripts_2025(a: FakeArticle) -> tuple[str, str]:
    """The JSON-LD and the theme's data layer: gtm with its new keys (no audience), visitor,
    channel, category, article (with isDisableinteractions, main_keyword), tag, toggle."""
    info, published = channel_info(a.channel), a.published.astimezone(WIB)
    category = _category(a)
    writers = ", ".join(a.authors)
    gtm = {
        "articleId": int(a.article_id),
        "articleTitle": a.slug,
        "category": "article",
        "editors": ", ".join(a.editors or a.authors[:1]),
        "editorialType": "editorial",
        "embedVideo": "yes" if a.type == "video" else "no",
        "pageTitle": f"{a.title} - {info.name} Liputan6.com",
        "publicationDate": f"{published:%Y-%m-%d}",
        "publicationTime": f"{published:%H:%M:%S}",
        "subCategory": a.channel,
        # No sub-channel: subSubCategory repeats subCategory.
        "subSubCategory": a.subchannel or a.channel,
        "tag": "|".join(a.tags),
        "authors": {"type": _AUTHOR_ROLES[a.type], "names": writers},
        "numberOfWords": sum(len(p.split()) for p in a.paragraphs),
        "enabled": True,
        "log": False,
        "imageCreation": False,
        "type": _TYPE_NAMES[a.type],
        "videos": [],
        "photos": {},
        "partner": "",
        "isSEO": False,
        "reporters": writers,
        "photographers": "",
        "isLiveReport": False,
        "liveReportTag": "",
        "brand": "",
        "videoSource": "",
        "content_ai": 0,
        "isTableOfContent": False,
        "nais_creator": "",
        "isArticleReference": False,
        "team_id": "KLY-0001",
        "special_content_id": "",
        "isFeature": False,
        "content_schema": "",
        "originURL": "",
        "initiativeType": "",
        "isRecommendation": False,
        "isMatchKeyword": "",
    }
    visitor = {
        "publicationDate": gtm["publicationDate"],
        "publicationTime": gtm["publicationTime"],
        "tag": [t.lower() for t in a.tags],
        "subCategory": a.channel,
        "subSubCategory": a.subchannel or "",
        "type": _TYPE_NAMES[a.type],
        "pageType": "ReadPage",
        "title": a.slug,
        "platform": "Desktop",
        "site": "liputan6",
        "isAdultContent": False,
    }
    article = {
        "id": int(a.article_id),
        "title": a.title,
        "type": _TYPE_NAMES[a.type],
        "shortDescription": a.summary,
        "keywords": ",".join(a.tags),
        "isAdvertorial": False,
        "isMultipage": a.pages > 1,
        "isAdultContent": False,
        "isDisableinteractions": False,
        "verifyAge": False,
        "publishDate": f"{published:%Y-%m-%d %H:%M:%S}",
        "main_keyword": a.tags[0] if a.tags else "",
    }
    tag = {
        "is_topic": False,
        "name": "|".join(a.tags),
        "slug": "|".join(_slugify(t) for t in a.tags),
        "topic_type": "",
    }
    values = {
        "gtm": gtm,
        "visitor": visitor,
        "pageType": "ReadPage",
        "channel": {"id": info.id, "name": info.name, "full_slug": a.channel},
        "listSubChannel": [],
        "category": category,
        "article": article,
    }
    tail = (
        f" window.kmklabs.multiplePageCount = {a.pages}; window.kmklabs.tag = {_js(tag)};"
        f' window.gaPrefix = "ReadPage::{info.name.replace(" ", "")}";'
    )
    return _jsonld_2025(a), _kmklabs_2025("ReadPage", values, tail)


def _byline_box_2025(a: FakeArticle) -> str:
    """div.read-page-box.read-page-box-top: avatar, "Oleh" and one link per writer, and the
    dates as text only ("Diterbitkan ...", "Diperbarui ..." when edited)."""
    b = "read-page-box__author"
    names = a.authors or ["Liputan6.com"]
    first = names[0]
    avatar = (
        f'<a class="{b}__link" href="{_author_url(first)}" itemprop="url" rel="author"'
        f' title="{_attr(first)}"><img alt="{_attr(first)}" class="{b}__avatar-img" height="26"'
        ' loading="lazy" src="https://cdn1-production-images-kly.akamaized.net/avatar=/26x26/'
        'avatars/1/original/avatar.jpg" width="26"/></a>'
    )
    links = "".join(f'<a class="{b}__name" href="{_author_url(n)}">{_text(n)}</a>' for n in names)
    dates = f'<span class="{b}__updated">Diterbitkan {_display_2025(a.published)}</span>'
    if a.modified:
        dates += f'<span class="{b}__updated">Diperbarui {_display_2025(a.modified)}</span>'
    return (
        '<div class="read-page-box read-page-box-top" data-component="desktop:share"'
        f' data-location="top"><div class="read-page-box__left"><div class="{b}">{avatar}'
        f'<div class="{b}__datetime"><div class="{b}__datetime__wrapper"><span>Oleh</span>'
        f'{links}</div><span class="{b}__trigger">{dates}</span></div></div></div>'
        "<!-- share button + dropdown --></div>"
    )


def _baca_juga_2025(a: FakeArticle, related: Sequence[FakeArticle]) -> str:
    """div.baca-juga-collections: one __detail[data-id][data-url] per related article."""
    links = [(r.article_id, r.url, r.title) for r in related]
    if not links:
        other = str(int(a.article_id) - 1)
        links = [(other, f"{WWW}/{a.channel}/read/{other}/berita-terkait", "Berita Terkait")]
    name = _attr(channel_info(a.channel).name)
    items = "".join(
        f'<div class="baca-juga-collections__detail" data-article-ml="" data-category="{name}"'
        f' data-channel="{name}" data-id="{i}" data-title="{_attr(t)}" data-url="{u}" style="">'
        f'BACA JUGA:<a href="{u}">{_text(t)}</a>\n</div>\n'
        for i, u, t in links
    )
    return (
        f'<div class="baca-juga-collections" data-category="{name}"'
        ' data-component-name="desktop:read-page:article-content-body:section:bacajuga">\n'
        f"{items}</div>\n"
    )


_INARTICLE_AD_2025 = (
    '<div class="advertisement-placeholder" id="div-gpt-ad-mgid-inarticle-placeholder">\n'
    '<div class="advertisement-text">\n<p>Advertisement</p>\n</div>\n'
    '<div class="advertisement-banner" id="div-gpt-ad-liputan6-mgid-inarticle"></div>\n</div>\n'
)


def _figure_2025(a: FakeArticle, number: int, top: bool) -> str:
    """A photo-gallery figure: the lead image (top) or a page's figure."""
    g = "read-page--photo-gallery--item"
    image = _image_url(a)
    caption = _text(f"Ilustrasi {a.title}" if top else f"Ilustrasi halaman {number}")
    load = 'fetchpriority="high"' if top else 'loading="lazy"'
    return (
        f'<figure class="{g}" data-component="desktop:read-page:photo-gallery:item"'
        f' data-description="{_attr(caption)}" data-image="{image}"'
        f' data-photo-gallery-page="{number}" id="gallery-image-{a.article_id}{number}">'
        f'<div class="{g}__content js-gallery-content"><div class="{g}__link">'
        f'<img alt="" class="{g}__picture-img" {load} height="360" src="{image}" width="640"/>'
        f'</div></div><figcaption class="{g}__caption">{caption}</figcaption></figure>'
    )


def _body_page_2025(a: FakeArticle, number: int, related: Sequence[FakeArticle]) -> str:
    """One div.article-content-body__item-page of the theme (never hidden): page 1 with the
    dateline, Baca Juga and the in-text ad placeholder; later pages with a figure and the
    ad placeholder between pages."""
    p = "article-content-body__item"
    paragraphs = a.page_paragraphs()[number - 1]
    parts = []
    for i, text in enumerate(paragraphs):
        if number == 1 and i == 0 and a.dateline:
            parts.append(f"<p><b>Liputan6.com, {_text(a.dateline)} -</b> {_text(text)}</p>\n")
        else:
            parts.append(f"<p>{_text(text)}</p>\n")
        if i == 0 and number == 1 and a.type == "video":
            parts.append(
                '<div class="read-page--video-gallery--item"><iframe src="https://www.vidio.com/'
                f'embed/{a.article_id}"></iframe><p>Video</p></div>\n'
            )
        if i == 1 and number == 1:
            parts.append(_baca_juga_2025(a, related))
        # The in-text ad sits between paragraphs, in the text container.
        if i == min(2, len(paragraphs) - 2) and number == 1:
            parts.append(_INARTICLE_AD_2025)
    text = (
        f'<div class="{p}-content"'
        ' data-component-name="desktop:read-page:article-content-body:section:text">'
        + "".join(parts)
        + "</div>"
    )
    if number == 1:
        return (
            f'<div class="{p}-page" data-page="1" data-title="">{text}'
            '<div class="article-ad" id="gpt-ad-liputan6-sc-1"></div></div>'
        )
    return (
        f'<div class="{p}-page" data-page="{number}" data-title="">'
        f'<h2 class="{p}-title"'
        ' data-component-name="desktop:read-page:article-content-body:section:pagetitle"></h2>'
        f'<div class="{p}-media">{_figure_2025(a, number, False)}</div>{text}'
        '<div class="advertisement-placeholder" id="div-gpt-ad-sc-paging-placeholder">'
        '<div class="advertisement-text"><p>Advertisement</p></div>'
        f'<div class="article-ad" id="gpt-ad-liputan6-sc-{number}"></div></div></div>'
    )


def _tags_2025(tags: Sequence[str]) -> str:
    """#preco[data-tags] and the tag list (li with id=tag-N and data-is-published-topic)."""
    p = "tags--snippet"
    items = "".join(
        f'<li class="{p}__item" data-component="desktop:tags:snippet:item"'
        f' data-is-published-topic="" data-slug="{_slugify(t)}"'
        f' id="tag-{zlib.crc32(t.encode()) % 1_000_000}">'
        f'<a aria-label="tag {_attr(t)}" class="{p}__link js-tags-link"'
        f' href="{WWW}/tag/{_slugify(t)}"><span class="{p}__name">{_text(t)}</span></a></li>'
        for t in tags
    )
    return (
        f'<div class="preco" data-tags="{_attr(" ".join(sorted(tags)))}" id="preco"></div>'
        f'<div class="{p}" data-component="desktop:tags:snippet"><ul class="{p}__list">'
        f"{items}</ul></div>\n"
    )


def _team_box_2025(a: FakeArticle) -> str:
    """The bottom box: the writers' avatars, their names and the team ("Tim Redaksi")."""
    b = "read-page-box__author"
    names = a.authors or ["Liputan6.com"]
    avatars = "".join(
        f'<a class="{b}__link" href="{_author_url(n)}" itemprop="url" rel="author"'
        f' title="{_attr(n)}"></a>'
        for n in names
    )
    return (
        '<div class="read-page--engagement"><div class="read-page-box read-page-box-bottom"'
        ' data-component="desktop:share" data-location="bottom"><div class="read-page-box__left">'
        f'<div class="{b}"><div class="{b}__team">{avatars}</div>'
        f'<div class="{b}__team-detail"><span class="{b}__team-detail__people">'
        f'{_text(", ".join(names))}</span><span class="{b}__team-detail__name">Tim Redaksi'
        "</span></div></div></div></div></div>"
    )


def render_article_2025(
    a: FakeArticle, page: int | None = None, *, related: Sequence[FakeArticle] = ()
) -> str:
    """A desktop ReadPage in the 2025 theme (ERAS.md section 1).

    Every page of a multi-page article is in the document and none is hidden, unless
    ``a.split_pages``: then it holds page ``page`` (default 1) only. ``related`` fills
    the "Baca Juga" box.
    """
    total = len(a.page_paragraphs())
    if a.split_pages and total > 1:
        number = page or 1
        if not 1 <= number <= total:
            raise ValueError(f"article {a.article_id} has no page {number}")
        numbers = [number]
    else:
        numbers = list(range(1, total + 1))
    body = "".join(_body_page_2025(a, n, related) for n in numbers)
    meta, after = _article_meta_2025(a)
    jsonld, data_layer = _article_scripts_2025(a)
    b = "read-page--breadcrumb"
    breadcrumb = "".join(
        f'<li class="{b}--item"><i class="{b}--item__icon i-arrow-grey"></i>'
        f'<a class="{b}--item__title" data-category="{_attr(name)}" href="{url}">'
        f'<span>{_text("Home" if i == 0 else name)}</span><meta content="{i + 1}"/></a></li>'
        for i, (url, name) in enumerate(_crumbs_2025(a))
    )
    type_name = _TYPE_NAMES[a.type]
    return (
        _head_2025(a.title, [*meta, jsonld, *after], data_layer)
        + f'<body class="articles show category-{a.channel}"><main class="container-wrapper">'
        + _header_2025()
        + '<div class="container-main"><div class="container-article">'
        '<div class="inner-container-article">'
        + f'<ul class="{b}" data-component-name="desktop:read-page:breadcrumb">{breadcrumb}</ul>'
        + f'<article class="main" data-article-id="{a.article_id}"'
        ' data-component-name="desktop:read-page" role="main">'
        f'<div class="read-page-upper" data-cache-key="https_liputan6.com:bump:xhp_desktop__read'
        f'_page__read_page_upper:{type_name}#{a.article_id}_1:new_style"'
        ' data-component-name="desktop:read-page:read-page-upper">'
        '<header class="read-page--header" data-component-name="desktop:read-page:header">'
        '<h1 class="read-page--header--title entry-title"'
        f' data-component-name="desktop:read-page:header:title" itemprop="headline">'
        f"{_text(a.title)}</h1>"
        '<div class="read-page--header--description"'
        ' data-component-name="desktop:read-page:header:description">'
        f"<p>{_text(a.summary)}</p></div>"
        + _byline_box_2025(a)
        + f'<meta content="{_image_url(a)}" itemprop="image"/></header>'
        '<div class="read-page--content"><div class="read-page--top-media"'
        ' data-component="desktop:read-page:top-media">' + _figure_2025(a, 1, True) + "</div>"
        '<div class="article-content-body article-content-body_with-aside"'
        ' data-component="desktop:read-page:article-content-body">'
        + body
        + "</div></div>"
        + _tags_2025(a.tags)
        + '<div class="advertisement-placeholder" id="div-gpt-ad-mgid-underarticle-placeholder">\n'
        '<div class="advertisement-text">\n<p>Advertisement</p>\n</div>\n</div>\n'
        + _team_box_2025(a)
        + "</div></article></div></div></div></main></body></html>\n"
    )


def _list_scripts_2025(page_type: str, channel: str | None) -> str:
    """The data layer of a theme list page: page type, channel and category, toggle."""
    values: dict[str, Any] = {
        "gtm": {"articleId": "", "type": "", "reporters": "", "authors": {}},
        "pageType": page_type,
    }
    if channel:
        info = channel_info(channel)
        slot = {"id": info.id, "name": info.name, "full_slug": channel}
        values.update(channel=slot, category=slot)
    return _kmklabs_2025(page_type, values)


def _list_item_2025(a: FakeArticle) -> str:
    """One list item as the real 2026 fragment has it: article.articles--iridescent-list--
    {type}-item with data-article-id, -channel, -category, -title; time +07:00."""
    p = f"articles--iridescent-list--{a.type}-item"
    sub = _category(a)["name"]
    sub_url = f"{WWW}/{a.channel}/{a.subchannel}" if a.subchannel else f"{WWW}/{a.channel}"
    title = _attr(a.title)
    return (
        f'<article class="articles--iridescent-list--item {p}" id="article_{a.article_id}"'
        f' data-slug="{a.slug}" data-type="{_TYPE_NAMES[a.type]}"'
        f' data-template-name="article-iridescent-list-{a.type}" data-template-var="container"'
        f' data-channel="{_attr(channel_info(a.channel).name)}" data-title="{title}"'
        f' data-category="{_attr(sub)}" data-article-id="{a.article_id}"'
        f' data-component-name="desktop:articles:iridescent-list:{a.type}-item">'
        f'<figure class="{p}__figure-thumbnail"><a class="ui--a {p}__figure-thumbnail-link"'
        f' href="{a.url}" title="{title}" data-template-var="url" data-kanal-page="">'
        f'<img src="{_image_url(a)}" alt="{title}" class="{p}__figure-image" width="200"'
        ' height="112" loading="lazy"></a></figure>'
        f'<aside class="{p}__details"><header class="{p}__header">'
        f'<a href="{sub_url}" class="{p}__category" data-template-var="category">'
        f"{_text(sub)}</a>"
        f'<span class="{p}__datetime" data-template-var="date"><time class="{p}__time timeago"'
        f' datetime="{_iso(a.published)}">{_list_time(a.published)}</time></span>'
        f'<h4 class="{p}__title"><a class="ui--a {p}__title-link" href="{a.url}" title="{title}"'
        ' data-template-var="url" data-kanal-page="">'
        f'<span class="{p}__title-link-text" data-template-var="title">{_text(a.title)}</span>'
        "</a></h4></header>"
        f'<div class="{p}__summary {p}__summary-seo" data-template-var="summary">'
        f"{_text(a.summary)}</div></aside></article>\n"
    )


def render_channel_page_2025(
    channel: str, articles: Sequence[FakeArticle], *, slider: int = 4
) -> str:
    """A ChannelPage in the 2025 theme: the headline slider (the first ``slider`` articles,
    .headline--bottom-slider__item[data-article-id], their links with tracking queries),
    then the iridescent list of all of them; tag links, the indeks and other sites."""
    info = channel_info(channel)
    h = "headline--bottom-slider"
    slides = "".join(
        f'<div class="{h}__item" data-article-id="{a.article_id}"><a class="{h}__link"'
        f' href="{a.url}?medium=Headline&amp;campaign=Headline_click_{n}">'
        f'<span class="{h}__title">{_text(a.title)}</span></a></div>\n'
        for n, a in enumerate(articles[:slider], 1)
    )
    tags = sorted({t for a in articles for t in a.tags}, key=str.casefold)[:6] or ["Jokowi"]
    topics = "".join(
        f'<li class="tags--topics--item"><a class="tags--topics--item__link"'
        f' href="{WWW}/tag/{_slugify(t)}">{_text(t)}</a></li>'
        for t in tags
    )
    others = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in _OTHER_SITES)
    return (
        _head_2025(
            f"Berita {info.name} Terkini Hari Ini - Liputan6.com",
            ['<meta content="liputan6.com" property="og:site_name"/>'],
            _list_scripts_2025("ChannelPage", channel),
        )
        + f'<body class="channels show category-{channel}"><main class="container-wrapper">'
        + _header_2025()
        + f'\n<h1 class="channel--header__title">{_text(info.name)}</h1>\n'
        + f'<div class="{h}" data-component-name="desktop:headline:bottom-slider">\n'
        + f"{slides}</div>\n"
        + f'<ul class="tags--topics">{topics}</ul>\n'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + "".join(_list_item_2025(a) for a in articles)
        + "</div>\n"
        + f'<a class="channel--indeks" href="{WWW}/{channel}/indeks">Indeks {info.name}</a>\n'
        + f'<aside class="network"><ul class="network__list">{others}</ul></aside>\n'
        + "</main></body></html>\n"
    )


def render_indeks_page_2025(
    channel: str | None,
    day: date,
    items: Sequence[FakeArticle],
    page: int,
    has_next: bool,
    *,
    popular: Sequence[FakeArticle] = (),
) -> str:
    """An IndeksPage for one day in the 2025 theme: its items in the theme's list markup
    (the real 2026 fragment's); the page around them as the 2019-2022 one (a guess)."""
    side, filters, name, action = _indeks_frame(channel, popular)
    shown = f"{day.day:02d} {_MONTHS_FULL_ID[day.month - 1]} {day.year}"
    return (
        _head_2025(
            f"Indeks Berita {name} - Liputan6.com",
            ['<meta content="liputan6.com" property="og:site_name"/>'],
            _list_scripts_2025("IndeksPage", channel),
        )
        + f'<body class="indeks show category-{channel or "all"}"><main class="container-wrapper">'
        + _header_2025()
        + f'\n<h1 class="indeks--header__title">INDEKS {_text(name.upper())}</h1>\n'
        + f'<form class="articles-filter" action="{action}">'
        + f'<input name="date" value="{shown}"></form>\n'
        + f'<ul class="indeks--channel-filter__list">{filters}</ul>\n'
        + '<section id="indeks-articles" class="box" data-infinite="true">'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + "".join(_list_item_2025(a) for a in items)
        + "</div>"
        + _pagination(channel, day, page, has_next)
        + "</section>\n"
        + '<aside class="indeks--sidebar"><div class="box terpopuler"><h3>Terpopuler</h3>'
        + f"<ul>{side}</ul></div></aside>\n"
        + "</main></body></html>\n"
    )


def render_tag_page_2025(
    name: str, slug: str, items: Sequence[FakeArticle], page: int, has_next: bool
) -> str:
    """A TagPage in the 2025 theme: its items in the theme's list markup (the real 2026
    fragment's, which is of a tag page); heading and paging as the 2019-2022 page (a guess)."""
    return (
        _head_2025(
            _tag_title(name),
            ['<meta content="liputan6.com" property="og:site_name"/>'],
            _list_scripts_2025("TagPage", None),
        )
        + '<body class="tags show"><main class="container-wrapper">'
        + _header_2025()
        + f'\n<h1 class="tags--header__title">{_text(name)}</h1>\n'
        + '<div class="tags--layout--right tags--layout--right_all">'
        + '<div class="articles--iridescent-list" data-index="0">\n'
        + "".join(_list_item_2025(a) for a in items)
        + "</div>"
        + _simple_pagination(lambda n: tag_url(slug, n), page, has_next)
        + "</div>\n</main></body></html>\n"
    )
