"""Table tests for newscrawl.site.urls, plus checks over every URL shape the shared data holds."""

from __future__ import annotations

import json
import re

import pytest

from newscrawl.site.urls import (
    WWW_CHANNELS,
    ArticleRef,
    article_id_from_url,
    canonical_url,
    has_www_form,
    is_liputan6_host,
    parse_article_url,
    type_from_url,
)
from newscrawl.spiders.options import CHANNELS
from tests.helpers import shared_data_file

WWW = "https://www.liputan6.com"
SLUG = "dishub-dki-2900-kendaraan-putar-balik-karena-tak-punya-sikm"

ARTICLE_URLS = [
    # Desktop, the form since ~2019 (SITE.md §2.1).
    pytest.param(
        f"https://www.liputan6.com/news/read/4264701/{SLUG}",
        ArticleRef("4264701", "news", SLUG),
        id="www",
    ),
    pytest.param(
        "http://www.liputan6.com/news/read/4264701/x", ArticleRef("4264701", "news", "x"), id="http"
    ),
    pytest.param(
        "https://liputan6.com/news/read/4264701/x", ArticleRef("4264701", "news", "x"), id="bare"
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/4264701",
        ArticleRef("4264701", "news", None),
        id="no-slug",
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/4264701/",
        ArticleRef("4264701", "news", None),
        id="no-slug-slash",
    ),
    pytest.param(
        f"https://www.liputan6.com/news/read/4264701/{SLUG}/",
        ArticleRef("4264701", "news", SLUG),
        id="trailing-slash",
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/147664/sri-tanjung-tabrakan--lima-tewas",
        ArticleRef("147664", "news", "sri-tanjung-tabrakan--lima-tewas"),
        id="double-dash-slug",
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/26408/pbb-siap-membantu-",
        ArticleRef("26408", "news", "pbb-siap-membantu-"),
        id="trailing-dash-slug",
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/1/batas-penyerahan-aset-dua-pekan-lagi",
        ArticleRef("1", "news", "batas-penyerahan-aset-dua-pekan-lagi"),
        id="id-1-oct-2000",
    ),
    pytest.param(
        "https://www.liputan6.com/cek-fakta/read/4358617/cek-fakta-tidak-benar",
        ArticleRef("4358617", "cek-fakta", "cek-fakta-tidak-benar"),
        id="hyphenated-channel",
    ),
    # Tracking query strings and fragments (url_shapes_2020_mirror.tsv).
    pytest.param(
        "https://www.liputan6.com/news/read/4282651/foto-kpu?medium=Streamline&campaign=PhotoGallery",
        ArticleRef("4282651", "news", "foto-kpu"),
        id="qs-medium-campaign",
    ),
    pytest.param(
        "https://m.liputan6.com/news/read/4374824/buruh-demo?source=amp-baca-juga",
        ArticleRef("4374824", "news", "buruh-demo"),
        id="qs-amp-baca-juga",
    ),
    pytest.param(
        "https://www.liputan6.com/regional/read/4263794/cpns?HouseAds&campaign=CPNS_Bisnis_STM",
        ArticleRef("4263794", "regional", "cpns"),
        id="qs-houseads",
    ),
    pytest.param(
        "https://www.liputan6.com/bisnis/read/4289456/x?utm_source=Desktop&utm_medium=fb",
        ArticleRef("4289456", "bisnis", "x"),
        id="qs-utm",
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/4264272/foto-sikm?photo=3163112",
        ArticleRef("4264272", "news", "foto-sikm"),
        id="qs-photo",
    ),
    pytest.param(
        "https://www.liputan6.com/islami/read/5626936/doa?page=2",
        ArticleRef("5626936", "islami", "doa"),
        id="qs-page",
    ),
    pytest.param(
        "https://hot.liputan6.com/read/3969525/ratu-ftv#reactions-3969525",
        ArticleRef("3969525", "hot", "ratu-ftv"),
        id="fragment",
    ),
    pytest.param(
        "HTTPS://WWW.LIPUTAN6.COM/News/read/4264701/Slug-Kept",
        ArticleRef("4264701", "news", "Slug-Kept"),
        id="upper-case-host",
    ),
    pytest.param(
        "  https://www.liputan6.com/news/read/4264701/x \n",
        ArticleRef("4264701", "news", "x"),
        id="whitespace",
    ),
    pytest.param(
        "//www.liputan6.com/news/read/4264701/x",
        ArticleRef("4264701", "news", "x"),
        id="protocol-relative",
    ),
    pytest.param(
        "www.liputan6.com/news/read/4264701/x", ArticleRef("4264701", "news", "x"), id="no-scheme"
    ),
    pytest.param(
        "https://www.liputan6.com:443/news/read/4264701/x",
        ArticleRef("4264701", "news", "x"),
        id="port",
    ),
    # A share link with its "&media=" parameter glued onto the path (2020 mirror).
    pytest.param(
        "http://m.liputan6.com/ramadan/read/4234984/lantunkan-doa-ini-saat-rezeki-tersendat"
        "&media=https://cdn0-production-images-kly.akamaized.net/F0_Dg1Ze=/673x379/filters:quality(75",
        ArticleRef("4234984", "ramadan", "lantunkan-doa-ini-saat-rezeki-tersendat"),
        id="share-link-media-junk",
    ),
    # Mobile and AMP.
    pytest.param(
        "https://m.liputan6.com/bisnis/read/4383718/lockdown-di-eropa",
        ArticleRef("4383718", "bisnis", "lockdown-di-eropa"),
        id="mobile",
    ),
    pytest.param(
        "http://m.liputan6.com/showbiz/read/4230233/melaney",
        ArticleRef("4230233", "showbiz", "melaney"),
        id="mobile-http",
    ),
    pytest.param(
        "https://m.liputan6.com/amp/4280335/6-momen-kedekatan-arsy",
        ArticleRef("4280335", None, "6-momen-kedekatan-arsy"),
        id="amp",
    ),
    pytest.param(
        "https://m.liputan6.com/amp/4358875/cek-fakta-ada-foto?page=2",
        ArticleRef("4358875", None, "cek-fakta-ada-foto"),
        id="amp-page-2",
    ),
    pytest.param(
        "https://m.liputan6.com/amp/4358875", ArticleRef("4358875", None, None), id="amp-no-slug"
    ),
    pytest.param(
        "https://m.staging.liputan6.com/asian-games/read/3600000/x",
        ArticleRef("3600000", "asian-games", "x"),
        id="m-staging",
    ),
    pytest.param(
        "https://www.staging.liputan6.com/regional/read/3600001/x",
        ArticleRef("3600001", "regional", "x"),
        id="www-staging",
    ),
    pytest.param(
        "https://enamplus.liputan6.com/showbiz/read/5530000/x",
        ArticleRef("5530000", "showbiz", "x"),
        id="enamplus",
    ),
    pytest.param(
        "https://opera.liputan6.com/hot/read/5530160/x",
        ArticleRef("5530160", "hot", "x"),
        id="opera",
    ),
    # Old sub-domain form: the channel is the sub-domain.
    pytest.param(
        "http://news.liputan6.com/read/3077840/wiranto",
        ArticleRef("3077840", "news", "wiranto"),
        id="old-news",
    ),
    pytest.param(
        "http://bisnis.liputan6.com/read/3077841/x",
        ArticleRef("3077841", "bisnis", "x"),
        id="old-bisnis",
    ),
    pytest.param(
        "https://hot.liputan6.com/read/4281054/sering-berperan-pelakor",
        ArticleRef("4281054", "hot", "sering-berperan-pelakor"),
        id="old-hot",
    ),
    pytest.param(
        "https://hot.liputan6.com/read/4282577/4-fakta?medium=Headline&campaign=Headline_click_1",
        ArticleRef("4282577", "hot", "4-fakta"),
        id="old-hot-qs",
    ),
    pytest.param(
        "https://surabaya.liputan6.com/read/4282798/pasien-baru",
        ArticleRef("4282798", "surabaya", "pasien-baru"),
        id="old-surabaya",
    ),
    pytest.param(
        "https://jatim.liputan6.com/read/4900000/x",
        ArticleRef("4900000", "jatim", "x"),
        id="old-jatim",
    ),
    pytest.param(
        "https://jateng.liputan6.com/read/4900001/x",
        ArticleRef("4900001", "jateng", "x"),
        id="old-jateng",
    ),
    pytest.param(
        "http://showbiz.liputan6.com/read/3077842/x",
        ArticleRef("3077842", "showbiz", "x"),
        id="old-showbiz",
    ),
    pytest.param(
        "http://global.liputan6.com/read/3381223/x",
        ArticleRef("3381223", "global", "x"),
        id="old-global",
    ),
    pytest.param(
        "http://regional.liputan6.com/read/3077843/x",
        ArticleRef("3077843", "regional", "x"),
        id="old-regional",
    ),
    pytest.param(
        "http://bola.liputan6.com/read/3077844/x", ArticleRef("3077844", "bola", "x"), id="old-bola"
    ),
    pytest.param(
        "http://citizen6.liputan6.com/read/3379127/x",
        ArticleRef("3379127", "citizen6", "x"),
        id="old-citizen6",
    ),
    pytest.param(
        "http://properti.liputan6.com/read/3077845/x",
        ArticleRef("3077845", "properti", "x"),
        id="old-properti",
    ),
    pytest.param(
        "http://lifestyle.liputan6.com/read/3380000/x",
        ArticleRef("3380000", "lifestyle", "x"),
        id="old-lifestyle",
    ),
    pytest.param(
        "http://tv.liputan6.com/read/2624893/x", ArticleRef("2624893", "tv", "x"), id="old-tv"
    ),
    pytest.param(
        "https://health.liputan6.com/read/4265333/x",
        ArticleRef("4265333", "health", "x"),
        id="old-health",
    ),
    pytest.param(
        "HTTP://HOT.LIPUTAN6.COM/read/4281054/x",
        ArticleRef("4281054", "hot", "x"),
        id="old-upper-case",
    ),
    # The 2025 theme (ERAS.md "Head"): AMP moved to www, still without a channel.
    pytest.param(
        "https://www.liputan6.com/amp/8292010/cek-fakta-hoaks-presiden-prabowo",
        ArticleRef("8292010", None, "cek-fakta-hoaks-presiden-prabowo"),
        id="amp-www-2025",
    ),
    # Hosts of 2026 whose www form is unknown (ERAS.md "Hosts"): a channel host; a path
    # segment before /read/ is then its sub-channel.
    pytest.param(
        "https://berita.liputan6.com/peristiwa/read/8284063/prabowo-bongkar-kekuatan-indonesia",
        ArticleRef("8284063", "berita", "prabowo-bongkar-kekuatan-indonesia", "peristiwa"),
        id="berita-2026",
    ),
    pytest.param(
        "https://kesehatan.liputan6.com/info-sehat/read/8300001/x",
        ArticleRef("8300001", "kesehatan", "x", "info-sehat"),
        id="kesehatan-sub-channel",
    ),
    pytest.param(
        "https://kesehatan.liputan6.com/read/8300002/x",
        ArticleRef("8300002", "kesehatan", "x"),
        id="kesehatan",
    ),
    pytest.param(
        "https://sport.liputan6.com/read/8300003/x", ArticleRef("8300003", "sport", "x"), id="sport"
    ),
    pytest.param(
        "https://sport.liputan6.com/bola/read/8300004/x",
        ArticleRef("8300004", "sport", "x", "bola"),
        id="sport-sub-channel",
    ),
    pytest.param(
        "https://en.liputan6.com/news/read/8300005/x",
        ArticleRef("8300005", "en", "x", "news"),
        id="en",
    ),
    pytest.param(
        "https://en.liputan6.com/read/8300006/x", ArticleRef("8300006", "en", "x"), id="en-no-sub"
    ),
    # Photo and video galleries of 2016 (ERAS.md §2): /{sub-channel}/{slug}-{ID}, no /read/.
    # The URL names the gallery channel (photo, video) and the story's sub-channel, as the
    # www navigation of 2020 does (/photo/news, /video/bola; SITE.md §2.2a).
    pytest.param(
        "http://photo.liputan6.com/global/mengenal-perempuan-kembar-tertua-di-dunia-berusia-104-tahun-2436340",
        ArticleRef(
            "2436340",
            "photo",
            "mengenal-perempuan-kembar-tertua-di-dunia-berusia-104-tahun",
            "global",
        ),
        id="photo-2016",
    ),
    pytest.param(
        "http://photo.liputan6.com/showbiz/deretan-bintang-porno-dengan-busana-menggoda-di-avn-awards-2016-2420357",
        ArticleRef(
            "2420357",
            "photo",
            "deretan-bintang-porno-dengan-busana-menggoda-di-avn-awards-2016",
            "showbiz",
        ),
        id="photo-2016-slug-ends-in-a-number",
    ),
    pytest.param(
        "http://photo.liputan6.com/politik/inilah-balon-gubernur-dki-2434938?medium=x#top",
        ArticleRef("2434938", "photo", "inilah-balon-gubernur-dki", "politik"),
        id="photo-2016-qs",
    ),
    pytest.param(
        "http://video.liputan6.com/news/video-usai-kepergok-memperkosa-ayah-bunuh-2-anak-kandung-2436243",
        ArticleRef(
            "2436243", "video", "video-usai-kepergok-memperkosa-ayah-bunuh-2-anak-kandung", "news"
        ),
        id="video-2016",
    ),
    pytest.param(
        "https://photo.liputan6.com/read/2436341/x",
        ArticleRef("2436341", "photo", "x"),
        id="photo-read-form",
    ),
    # Ids after the re-based sequence of July 2026 (ERAS.md "Article ids jump").
    pytest.param(
        "https://www.liputan6.com/cek-fakta/read/8292010/cek-fakta-hoaks",
        ArticleRef("8292010", "cek-fakta", "cek-fakta-hoaks"),
        id="id-8292010",
    ),
    pytest.param(
        "https://www.liputan6.com/news/read/9300000/x",
        ArticleRef("9300000", "news", "x"),
        id="id-9300000",
    ),
    pytest.param(
        "https://m.liputan6.com/amp/12345678901/x",
        ArticleRef("12345678901", None, "x"),
        id="id-eleven-digits",
    ),
]

NOT_ARTICLES = [
    pytest.param("https://www.liputan6.com/", id="home"),
    pytest.param("https://www.liputan6.com", id="home-no-slash"),
    pytest.param("https://m.liputan6.com/", id="home-mobile"),
    pytest.param("https://hot.liputan6.com", id="home-hot"),
    pytest.param("https://www.liputan6.com/news", id="channel"),
    pytest.param("https://www.liputan6.com/news/peristiwa", id="sub-channel"),
    pytest.param("https://www.liputan6.com/tag/viral?page=2", id="tag"),
    pytest.param("https://www.liputan6.com/indeks", id="indeks"),
    pytest.param("https://www.liputan6.com/news/indeks/2020/05/28?page=2", id="channel-indeks"),
    pytest.param("https://www.liputan6.com/indeks/terpopuler/hari-ini", id="terpopuler"),
    pytest.param("https://www.liputan6.com/me/sulung.mardinata", id="author"),
    pytest.param("https://m.liputan6.com/me/tira.santia/bio", id="author-bio"),
    pytest.param("https://www.liputan6.com/info/redaksi", id="info"),
    pytest.param("https://www.liputan6.com/search?q=corona", id="search"),
    pytest.param("https://www.liputan6.com/pages/klasemen-liga", id="pages"),
    pytest.param("https://m.liputan6.com/stories/2133247/jurus-menko-luhut", id="stories"),
    pytest.param("https://story.liputan6.com/2731054/volume-171", id="story-subdomain"),
    pytest.param("https://m.liputan6.com/video/livestreaming/2858/live-streaming", id="livestream"),
    pytest.param(
        "https://news.liputan6.com/widgets-nocache/analytics_page_request/4264701/Article",
        id="analytics-widget",
    ),
    pytest.param(
        "https://www.liputan6.com/login?back-to=https://hot.liputan6.com/read/3969525/x",
        id="login-back-to",
    ),
    pytest.param("https://www.liputan6.com/donasi/177995/sembuhdaricorona", id="donasi"),
    pytest.param("https://feed.liputan6.com/rss/news", id="rss"),
    pytest.param("https://www.liputan6.com/news/read/abc/slug", id="non-digit-id"),
    pytest.param("https://www.liputan6.com/news/read/٤٢٦٤٧٠١/slug", id="arabic-indic-digits"),
    pytest.param("https://www.liputan6.com/news/read/4264701/slug/comments", id="extra-segment"),
    # A CSS data: URI resolved against an article page (2020 mirror): not a page.
    pytest.param(
        "https://www.liputan6.com/ramadan/read/4234984/lantunkan-doa/svg+xml;charset=US-ASCII,%3Csvg",
        id="css-data-uri-artefact",
    ),
    pytest.param("https://www.merdeka.com/peristiwa/read/4264701/x", id="merdeka"),
    pytest.param("https://www.vidio.com/watch/4264701-x", id="vidio"),
    pytest.param("https://www.bola.com/indonesia/read/4264701/x", id="bola-com"),
    pytest.param("https://liputan6.com.evil.org/news/read/4264701/x", id="look-alike-suffix"),
    pytest.param("https://evilliputan6.com/news/read/4264701/x", id="look-alike-prefix"),
    pytest.param("https://www.liputan6.com@evil.org/news/read/4264701/x", id="userinfo-trick"),
    pytest.param(
        "android-app://com.woi.liputan6.android/http/www.liputan6.com/news/read/4216608/x",
        id="android-app-link",
    ),
    pytest.param("ftp://www.liputan6.com/news/read/4264701/x", id="ftp"),
    pytest.param("/news/read/4264701/x", id="relative-path"),
    pytest.param("potret-transformasi-6-artis-cantik.html", id="mirror-filename"),
    pytest.param("", id="empty"),
    pytest.param("http://[::1", id="malformed"),
    pytest.param("http://video.liputan6.com/livestreaming/890", id="video-livestreaming"),
    pytest.param("http://photo.liputan6.com/showbiz", id="photo-channel"),
    pytest.param("http://photo.liputan6.com/tag/natal-2015", id="photo-tag"),
    pytest.param("http://photo.liputan6.com/indeks/2016-02-16", id="photo-indeks"),
    pytest.param("http://photo.liputan6.com/showbiz/a/b-2420357", id="photo-extra-segment"),
    pytest.param("http://news.liputan6.com/showbiz/slug-2420357", id="gallery-shape-elsewhere"),
    pytest.param("http://tekno.liputan6.com/kategori/berita", id="old-category"),
    pytest.param("https://kesehatan.liputan6.com/info-sehat/sitemap.xml", id="sitemap"),
    pytest.param("https://en.liputan6.com/", id="en-home"),
]


@pytest.mark.parametrize(("url", "expected"), ARTICLE_URLS)
def test_parse_article_url(url, expected):
    assert parse_article_url(url) == expected


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_parse_article_url_rejects(url):
    assert parse_article_url(url) is None
    assert article_id_from_url(url) is None
    assert canonical_url(url, channel="news") is None


@pytest.mark.parametrize(
    ("url", "channel", "expected"),
    [
        pytest.param(
            f"https://m.liputan6.com/news/read/4264701/{SLUG}?source=amp-baca-juga#top",
            None,
            f"https://www.liputan6.com/news/read/4264701/{SLUG}",
            id="mobile-with-qs",
        ),
        pytest.param(
            "http://news.liputan6.com/read/3077840/wiranto/",
            None,
            "https://www.liputan6.com/news/read/3077840/wiranto",
            id="old-subdomain",
        ),
        pytest.param(
            "https://hot.liputan6.com/read/4281054/Slug-As-Is",
            None,
            "https://www.liputan6.com/hot/read/4281054/Slug-As-Is",
            id="slug-case-kept",
        ),
        pytest.param(
            "https://WWW.liputan6.com/NEWS/read/4264701",
            None,
            "https://www.liputan6.com/news/read/4264701",
            id="no-slug",
        ),
        pytest.param(
            "https://m.liputan6.com/amp/4280335/6-momen", None, None, id="amp-without-hint"
        ),
        pytest.param(
            "https://m.liputan6.com/amp/4280335/6-momen?page=2",
            "Showbiz",
            "https://www.liputan6.com/showbiz/read/4280335/6-momen",
            id="amp-with-hint",
        ),
        pytest.param(
            "https://m.liputan6.com/amp/4289456/x",
            "bisnis/ekonomi",
            "https://www.liputan6.com/bisnis/read/4289456/x",
            id="amp-full-slug-hint",
        ),
        pytest.param(
            "https://www.liputan6.com/news/read/4264701/x",
            "bisnis",
            "https://www.liputan6.com/news/read/4264701/x",
            id="url-channel-wins",
        ),
        pytest.param(
            "https://m.liputan6.com/amp/4280335/x", "not a slug!", None, id="bad-hint-ignored"
        ),
        pytest.param("https://www.liputan6.com/tag/viral", "news", None, id="not-an-article"),
    ],
)
def test_canonical_url(url, channel, expected):
    assert canonical_url(url, channel=channel) == expected


BERITA = "https://berita.liputan6.com/peristiwa/read/8284063/prabowo-bongkar-kekuatan"
PHOTO_2016 = "http://photo.liputan6.com/global/mengenal-perempuan-kembar-tertua-2436340"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Documented www forms (docs/extraction.md, "url").
        pytest.param(f"{WWW}/news/read/1/a", f"{WWW}/news/read/1/a", id="www"),
        pytest.param("http://liputan6.com/news/read/1/a", f"{WWW}/news/read/1/a", id="bare"),
        pytest.param("https://m.liputan6.com/hot/read/1/a", f"{WWW}/hot/read/1/a", id="m"),
        pytest.param(
            "https://m.liputan6.com/jateng/read/4872057/a",
            f"{WWW}/jateng/read/4872057/a",
            id="m-jateng",
        ),
        pytest.param("https://hot.liputan6.com/read/1/a", f"{WWW}/hot/read/1/a", id="hot"),
        pytest.param(
            "https://surabaya.liputan6.com/read/1/a", f"{WWW}/surabaya/read/1/a", id="surabaya"
        ),
        pytest.param("https://jatim.liputan6.com/read/1/a", f"{WWW}/jatim/read/1/a", id="jatim"),
        pytest.param("https://jateng.liputan6.com/read/1/a", f"{WWW}/jateng/read/1/a", id="jateng"),
        pytest.param(
            "http://tekno.liputan6.com/read/2436773/a",
            f"{WWW}/tekno/read/2436773/a",
            id="old-tekno-2016",
        ),
        pytest.param(
            "http://health.liputan6.com/read/1/a/", f"{WWW}/health/read/1/a", id="old-health"
        ),
        pytest.param(
            "http://pilkada.liputan6.com/read/1/a", f"{WWW}/pilkada/read/1/a", id="old-pilkada"
        ),
        # Unknown www forms: kept as stated (https, lower-case host, no port/query/fragment/slash).
        pytest.param(BERITA, BERITA, id="berita"),
        pytest.param(
            "HTTP://Berita.Liputan6.com:80/peristiwa/read/8284063/prabowo-bongkar-kekuatan/?utm_source=x#top",
            BERITA,
            id="berita-normalised",
        ),
        pytest.param(
            "https://kesehatan.liputan6.com/info-sehat/read/8300001/Slug-Case",
            "https://kesehatan.liputan6.com/info-sehat/read/8300001/Slug-Case",
            id="kesehatan",
        ),
        pytest.param(
            "https://sport.liputan6.com/read/8300003/x",
            "https://sport.liputan6.com/read/8300003/x",
            id="sport",
        ),
        pytest.param(
            "https://en.liputan6.com/news/read/8300005/x",
            "https://en.liputan6.com/news/read/8300005/x",
            id="en",
        ),
        pytest.param(PHOTO_2016, PHOTO_2016.replace("http:", "https:"), id="photo-2016"),
        pytest.param(
            "http://video.liputan6.com/news/video-usai-kepergok-2436243?medium=x",
            "https://video.liputan6.com/news/video-usai-kepergok-2436243",
            id="video-2016",
        ),
        pytest.param(
            "https://photo.liputan6.com/read/2436341/x",
            "https://photo.liputan6.com/read/2436341/x",
            id="photo-read-form",
        ),
        pytest.param(
            "https://belanja.liputan6.com/read/1/x",
            "https://belanja.liputan6.com/read/1/x",
            id="unknown-channel-host",
        ),
        pytest.param(
            "https://hot.liputan6.com/foto/read/1/x",
            "https://hot.liputan6.com/foto/read/1/x",
            id="known-host-odd-path",
        ),
        pytest.param(
            "https://enamplus.liputan6.com/news/read/1/x",
            "https://enamplus.liputan6.com/news/read/1/x",
            id="enamplus",
        ),
        pytest.param(
            "https://opera.liputan6.com/hot/read/1/x",
            "https://opera.liputan6.com/hot/read/1/x",
            id="opera",
        ),
        pytest.param(
            "https://m.staging.liputan6.com/news/read/1/x",
            "https://m.staging.liputan6.com/news/read/1/x",
            id="staging",
        ),
        pytest.param(
            "https://en.liputan6.com/amp/8300005/x",
            "https://en.liputan6.com/amp/8300005/x",
            id="amp-on-unknown-host",
        ),
        # Ids after the jump of July 2026.
        pytest.param(
            f"{WWW}/cek-fakta/read/8292010/x?page=2",
            f"{WWW}/cek-fakta/read/8292010/x",
            id="id-8292010",
        ),
        pytest.param(
            "https://m.liputan6.com/news/read/9300000/x",
            f"{WWW}/news/read/9300000/x",
            id="id-9300000",
        ),
    ],
)
def test_canonical_url_per_host(url, expected):
    assert canonical_url(url) == expected
    # A channel hint only fills in for AMP; it never moves a URL onto another host.
    assert canonical_url(url, channel="news") == expected
    assert has_www_form(url) is expected.startswith(f"{WWW}/")


@pytest.mark.parametrize(
    ("url", "channel", "expected"),
    [
        pytest.param(
            f"{WWW}/amp/8292010/x", "cek-fakta", f"{WWW}/cek-fakta/read/8292010/x", id="www-amp"
        ),
        pytest.param(f"{WWW}/amp/8292010/x", None, None, id="www-amp-no-hint"),
        pytest.param(
            "https://m.liputan6.com/amp/9300000",
            "news",
            f"{WWW}/news/read/9300000",
            id="m-amp-no-slug",
        ),
    ],
)
def test_canonical_url_of_amp(url, channel, expected):
    assert canonical_url(url, channel=channel) == expected


def test_the_spider_channels_all_have_a_www_form():
    """Every channel the spider walks on www is one the old sub-domains map onto."""
    assert set(CHANNELS) <= WWW_CHANNELS
    assert not {"berita", "kesehatan", "sport", "en", "photo", "video"} & WWW_CHANNELS


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://m.liputan6.com/amp/4280335/x", "4280335", id="amp"),
        pytest.param("http://tv.liputan6.com/read/2624893/x?page=3", "2624893", id="subdomain"),
        pytest.param("https://www.liputan6.com/news/read/0001/x", "0001", id="kept-as-written"),
        pytest.param("https://www.liputan6.com/news", None, id="channel"),
    ],
)
def test_article_id_from_url(url, expected):
    assert article_id_from_url(url) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        pytest.param("liputan6.com", True, id="bare"),
        pytest.param("www.liputan6.com", True, id="www"),
        pytest.param("m.staging.liputan6.com", True, id="two-labels"),
        pytest.param("HOT.Liputan6.COM", True, id="upper-case"),
        pytest.param("www.liputan6.com.", True, id="trailing-dot"),
        pytest.param("www.liputan6.com:443", True, id="port"),
        pytest.param("liputan6.com.evil.org", False, id="suffix-look-alike"),
        pytest.param("evilliputan6.com", False, id="prefix-look-alike"),
        pytest.param("liputan6.co.id", False, id="other-tld"),
        pytest.param(".liputan6.com", False, id="empty-label"),
        pytest.param("merdeka.com", False, id="other-site"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_liputan6_host(host, expected):
    assert is_liputan6_host(host) is expected


# --- checks over the shared data ------------------------------------------------------------


def test_oracle_og_url_ids_match_data_layer():
    """parse_article_url(og:url) gives the page's own kmklabs.article.id on every saved page."""
    rows = [
        json.loads(line)
        for line in shared_data_file("extracted_article_fields.jsonl").open(encoding="utf-8")
    ]
    checked = mirror_names = 0
    for row in rows:
        og_url = row.get("og_url")
        article_id = (row.get("kmklabs_article") or {}).get("id")
        if not og_url or article_id is None:
            continue
        if not og_url.startswith(("http://", "https://")):
            # The site mirror rewrote some og:url values to local file names.
            assert og_url.endswith(".html"), og_url
            assert parse_article_url(og_url) is None
            mirror_names += 1
            continue
        ref = parse_article_url(og_url)
        assert ref is not None, og_url
        assert ref.article_id == str(article_id), og_url
        expected = f"https://www.liputan6.com/{ref.channel}/read/{ref.article_id}/{ref.slug}"
        assert canonical_url(og_url) == expected
        checked += 1
    assert checked >= 80
    assert mirror_names <= 2


def test_oracle_canonical_and_amp_links_parse():
    """Every absolute canonical and amphtml link of the saved pages is an article URL."""
    rows = [
        json.loads(line)
        for line in shared_data_file("extracted_article_fields.jsonl").open(encoding="utf-8")
    ]
    for row in rows:
        article_id = (row.get("kmklabs_article") or {}).get("id")
        for field in ("canonical", "amphtml"):
            url = row.get(field)
            if not url or not url.startswith("http"):
                continue
            ref = parse_article_url(url)
            assert ref is not None, url
            assert article_id is None or ref.article_id == str(article_id), url
            assert (ref.channel is None) == (field == "amphtml"), url


def test_every_url_shape_of_the_2020_mirror():
    """Shapes with /read/{ID} or /amp/{ID} in the path are articles; nothing else is."""
    path = shared_data_file("url_shapes_2020_mirror.tsv")
    known_junk = {"css-data-uri": re.compile(r"/read/\{ID\}/\{slug\}/svg\+xml")}
    seen = 0
    for line in path.open(encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        _count, shape, example = line.rstrip("\n").split("\t")
        expected = re.match(r"https?://[^/?]+(/[^/?]+)?/(read|amp)/\{ID\}", shape) is not None
        if any(junk.search(shape) for junk in known_junk.values()):
            expected = False
        ref = parse_article_url(example)
        assert (ref is not None) == expected, example
        if ref:
            assert ref.article_id in example
        seen += 1
    assert seen > 600


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (f"{WWW}/news/read/4264701/foto-banjir-rob", "photo"),
        (f"{WWW}/showbiz/read/4264702/video-konser-amal", "video"),
        ("http://photo.liputan6.com/jakarta/banjir-rendam-kampung-pulo-2441234", "photo"),
        (f"{WWW}/news/read/4264703/banjir-rob", None),
    ],
)
def test_type_from_url(url, kind):
    assert type_from_url(parse_article_url(url)) == kind
