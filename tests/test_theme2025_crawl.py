"""Real crawls of today's site: LocalSite(theme="2025") serves articles, channel fronts, tag
and dated indeks pages in the 2025 ("neoliputan6") theme (ERAS.md section 1), and the project's
own `scrapy crawl` and `newscrawl check-site` run against it in a subprocess.

The LocalSite articles are the truth each stored document is compared with. With the
page's structured data removed (LocalSite's rewrite hook), the visible markup alone must
still give the article; the theme shows the time in minutes ("Diterbitkan 15 September
2026, 15:00 WIB") and nothing more precise, so that is the precision asked of it there.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.site.extraction import extract_article, without_structured_data
from newscrawl.spiders.options import today_wib
from tests.helpers import check_site, crawl, field_stats, open_archive, seed_archive
from tests.site import FakeArticle, LocalSite, make_articles, render_article_2025

CHANNELS = ("news", "bisnis")
FIELDS = (
    "title",
    "published_at",
    "authors",
    "section",
    "subsection",
    "tags",
    "body",
    "summary",
    "url",
    "type",
)


def truth(a: FakeArticle, *, minutes: bool = False) -> dict:
    """What the archive must hold for an article; ``minutes``: the publication time as the
    theme shows it (the markup alone has no seconds)."""
    published = a.published.astimezone(UTC)
    return {
        "title": a.title,
        "published_at": published.replace(second=0) if minutes else published,
        "authors": a.authors,
        "section": a.channel,
        "subsection": a.subchannel,
        "tags": a.tags,
        "body": a.body,
        "summary": a.summary,
        "url": a.url,
        "type": a.type,
    }


def stored(doc: dict) -> dict:
    """The fields of a stored (or extracted) document that truth() gives."""
    return {name: doc[name] for name in FIELDS}


def backfill_articles(n: int = 60, seed: int = 25) -> list[FakeArticle]:
    """A few days × news and bisnis, some articles multi-page, some photo and video."""
    return make_articles(
        n,
        start_day=today_wib() - timedelta(days=30),
        days=3,
        channels=CHANNELS,
        seed=seed,
        multipage_ratio=0.3,
    )


def backfill(site: LocalSite, tmp_path, articles: list[FakeArticle], **settings):
    since, until = articles[0].day, articles[-1].day
    return crawl(
        site,
        tmp_path,
        f"since={since}",
        f"until={until}",
        f"channels={','.join(CHANNELS)}",
        **settings,
    )


def test_the_theme_site_serves_the_2025_markup_and_the_default_is_unchanged():
    articles = backfill_articles(10)
    a = articles[0]
    with LocalSite(articles, theme="2025") as site, LocalSite(articles) as old:
        for local in (site, old):
            assert local.respond("GET", a.path).status == 200
        theme = site.respond("GET", a.path).body.decode()
        front = site.respond("GET", f"/{a.channel}").body.decode()
        indeks = site.respond("GET", f"/{a.channel}/indeks/{a.day:%Y/%m/%d}").body.decode()
        before = old.respond("GET", a.path).body.decode()
    assert '"liputan62025Theme":true' in theme and "liputan62025Theme" not in before
    assert "read-page-box read-page-box-top" in theme and "_hidden" not in theme
    assert "<p>Advertisement</p>" in theme and "article:section2" not in theme
    assert re.search(r"Diterbitkan \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d WIB", theme)
    assert 'class="headline--bottom-slider__item" data-article-id=' in front
    assert 'class="articles--iridescent-list--item articles--iridescent-list--' in indeks
    assert "articles--rows--item" not in indeks
    with pytest.raises(ValueError, match="unknown theme"):
        LocalSite([], theme="2030")  # type: ignore[arg-type]


@pytest.mark.parametrize("strip", [False, True], ids=["whole", "markup-only"])
def test_every_rendered_theme_article_extracts_to_its_truth(strip):
    """Offline, every template and page layout LocalSite renders in the theme."""
    articles = make_articles(
        150, start_day=today_wib() - timedelta(days=5), days=3, seed=4, multipage_ratio=0.3
    )
    for a in articles:
        html = render_article_2025(a, related=articles[:2])
        doc = extract_article(without_structured_data(html) if strip else html).to_dict()
        assert stored(doc) == truth(a, minutes=strip), a.article_id
        assert doc["page_count"] == a.pages


def test_a_backfill_of_the_theme_site_stores_every_article_once_as_it_is(tmp_path):
    articles = backfill_articles()
    with LocalSite(articles, theme="2025") as site:
        done = backfill(site, tmp_path, articles)
        assert done.returncode == 0, done.stderr[-3000:]
        fetched = site.requests.article_ids()
    assert set(fetched) == {a.article_id for a in articles}
    assert max(fetched.values()) == 1
    assert f"finished: {len(articles)} new, 0 updated, 0 unchanged" in done.stderr
    assert (
        "Days: 6 asked, 0 already complete, 6 complete, 0 open, 0 incomplete, 0 never started"
        in done.stderr
    )
    assert "Run warning" not in done.stderr
    stats = field_stats(done.stderr)
    assert stats["newscrawl/fields/title/structured"] == len(articles)
    assert stats["newscrawl/fields/published_at/structured"] == len(articles)
    store = open_archive(tmp_path)
    try:
        assert store.count_articles() == len(articles)
        for a in articles:
            doc = store.get_article(a.article_id)
            assert stored(doc) == truth(a), a.article_id
            assert doc["page_count"] == a.pages
            assert doc["version"] == 1
        assert all(d["complete"] for d in store.iter_days(articles[0].day, articles[-1].day))
    finally:
        store.close()


def test_the_theme_markup_alone_still_gives_the_article_and_the_run_warns(tmp_path):
    articles = backfill_articles()
    with LocalSite(articles, theme="2025", rewrite=without_structured_data) as site:
        done = backfill(site, tmp_path, articles)
    assert done.returncode == 0, done.stderr[-3000:]
    store = open_archive(tmp_path)
    try:
        assert store.count_articles() == len(articles)
        for a in articles:
            doc = store.get_article(a.article_id)
            assert stored(doc) == truth(a, minutes=True), a.article_id
    finally:
        store.close()
    stats = field_stats(done.stderr)
    n = len(articles)
    assert stats["newscrawl/fields/articles"] == n
    for name in ("title", "published_at", "authors", "tags", "body", "summary", "subsection"):
        kinds = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if f"/fields/{name}/" in k}
        # Every article without a sub-channel has no subsection: missing, not lost.
        expected = sum(1 for a in articles if a.subchannel) if name == "subsection" else n
        assert kinds.get("markup") == expected, (name, kinds)
        assert "structured" not in kinds, (name, kinds)
    # The page states its channel nowhere visible but in its URL.
    assert stats["newscrawl/fields/section/url"] == n
    warning = re.search(
        r"newscrawl: warning: (fields no longer from structured data.*)", done.stderr
    )
    assert warning, done.stderr[-3000:]
    for name in ("title", "published_at", "authors", "section"):
        assert (
            f"{name} from structured data in 0/{n} articles having it (0%), expected 50%"
            in (warning[1])
        )
    assert "BELOW FLOOR" not in done.stderr
    store = open_archive(tmp_path)
    (run,) = store.runs()
    store.close()
    assert run["status"] == "finished"
    assert run["counts"]["warnings"] == [warning[1]]


def test_an_incremental_run_of_the_theme_site_fetches_what_is_new(tmp_path):
    today = today_wib()
    articles = make_articles(
        90, start_day=today - timedelta(days=3), days=3, channels=("news",), seed=7
    )
    new = articles[-10:]
    seed_archive(tmp_path, articles[:-10], render_article_2025)
    with LocalSite(articles, theme="2025") as site:
        done = crawl(
            site,
            tmp_path,
            "mode=incremental",
            "channels=news",
            INCREMENTAL_STOP_AFTER="5",
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert set(site.requests.article_ids()) == {a.article_id for a in new}
        assert "caught up: 5 stored articles in a row" in done.stderr
        assert not site.requests.count_prefix(f"/news/indeks/{articles[0].day:%Y/%m/%d}")
        # The list items' times (datetime="...+07:00") are the walk's watermark: the next
        # run stops at the first article older than the first run's start (an hour less),
        # within today's pages and one of yesterday's, and fetches nothing (no article is due
        # for a revisit yet).
        site.requests.clear()
        again = crawl(site, tmp_path, "mode=incremental", "channels=news")
        assert again.returncode == 0, again.stderr[-3000:]
        assert "caught up: reached its watermark" in again.stderr
        assert not site.requests.article_ids()
        assert site.requests.count_prefix("/news/indeks/") <= 4
    store = open_archive(tmp_path)
    try:
        assert store.count_articles() == len(articles)
        for a in new:
            assert stored(store.get_article(a.article_id)) == truth(a)
        assert store.runs()[0]["counts"]["caught_up"] == ["news"]
    finally:
        store.close()


def test_latest_mode_reads_the_theme_channel_fronts_slider_included(tmp_path):
    articles = make_articles(
        40, start_day=today_wib() - timedelta(days=2), days=2, channels=CHANNELS, seed=12
    )
    with LocalSite(articles, theme="2025", channel_page_size=10) as site:
        done = crawl(site, tmp_path, f"channels={','.join(CHANNELS)}")
        assert done.returncode == 0, done.stderr[-3000:]
        fetched = site.requests.article_ids()
    fronts = {a.article_id for c in CHANNELS for a in site.articles if a.channel == c}
    newest = {
        a.article_id for c in CHANNELS for a in [x for x in site.articles if x.channel == c][:10]
    }
    assert set(fetched) == newest and newest <= fronts
    assert max(fetched.values()) == 1  # the slider's links with their queries: once each
    store = open_archive(tmp_path)
    try:
        assert store.count_articles() == len(newest)
        for article_id in newest:
            a = site.article(article_id)
            assert stored(store.get_article(article_id)) == truth(a)
    finally:
        store.close()


def test_check_site_passes_on_the_theme_site():
    articles = make_articles(
        120,
        start_day=datetime(2026, 9, 1).date(),
        days=3,
        channels=("news", "bisnis", "showbiz"),
        seed=8,
    )
    day = datetime(2026, 9, 2).date()
    with LocalSite(articles, theme="2025") as site:
        done = check_site(site.base_url, f"--day={day}")
        paths = site.requests.paths()
        day_items = len(site.listed(day, "news"))
        tagged = len(site.tagged("banjir"))  # the news front's first topic
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    # The theme's list items on the date-index day; its slider and list on fronts and tag page.
    assert (day_items, tagged) == (16, 17)
    assert lines[1:6] == [
        f"  index   news 2026-09-02      theme-2025      {day_items} articles listed",
        "  front   news                 iridescent      30 articles listed",
        "  front   bisnis               iridescent      30 articles listed",
        "  front   showbiz              iridescent      30 articles listed",
        f"  tag     banjir               iridescent      {tagged} articles listed",
    ], done.stdout
    assert [line.split()[0] for line in lines[6:9]] == ["text", "photo", "video"], done.stdout
    row = "structured / markup   "
    for name in ("title", "published_at", "authors", "summary"):
        assert f"{name + '*':<15}{row}{row}{row.rstrip()}" in lines, (name, done.stdout)
    assert f"{'section*':<15}{'structured / url      ' * 2}structured / url" in lines
    assert done.stderr.endswith(
        "ok, 5 list pages recognised, every expected field found on 3 articles\n"
    )
    assert paths[0] == "/robots.txt" and len(paths) == 9
    assert {"/news/indeks/2026/09/02", "/tag/banjir"} < set(paths)
