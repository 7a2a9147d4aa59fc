"""Real crawls of a site that changed or refused under the crawler (issue 16: an archive that
never claims more than it saw).

Each test starts LocalSite with one of its site faults (list markup no layout knows, an
archive ignoring the date, pages refused, article pages redirected to pages already
requested) or a day not yet over, runs `scrapy crawl liputan6` in a subprocess with the SQLite
store (tests.test_e2e.crawl), and checks the exit status, the lines on stderr, the final
stats and the day ledger (crawl_days). What a run prints is in the constants below, so a
change of wording is one edit.
"""

from __future__ import annotations

import dataclasses
import gzip
import re
import signal
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from newscrawl.spiders.options import today_wib
from tests.helpers import crawl, open_archive, start, wait_for_articles
from tests.helpers import final_stats as final_stats
from tests.site import WIB, FakeArticle, Fault, LocalSite, make_articles

# ---- what the runs print (adjust here when the wording changes) -----------------------

UNRECOGNISED = re.compile(
    r"newscrawl: run failed: (\d+) list pages not recognised \(first: (\S+)\): "
    r"the site's list markup may have changed; see docs/operations\.md"
)
UNRECOGNISED_STAT = "newscrawl/lists/unrecognised/{kind}"
IGNORED_DATE = re.compile(
    r"newscrawl: run failed: (\d+) index pages listed only other days' articles "
    r"\(first: (\S+)\): the date index ignored the date"
)
REFUSED = re.compile(r"newscrawl: run failed: site refused (\d+) of (\d+) requests \(blocked\?\)")
DAYS_SUMMARY = re.compile(
    r"Days: (\d+) asked, (\d+) already complete, (\d+) complete, (\d+) open, "
    r"(\d+) incomplete, (\d+) never started"
)
LISTED_SUMMARY = re.compile(
    r"Listed: (\d+) articles, (\d+) stored, (\d+) not stored \(duplicate_filtered: (\d+)"
)
LOST_FILTERED_STAT = "newscrawl/listed/lost/duplicate_filtered"
QUALITY_FAILED = "newscrawl: run failed: only {stored} of {listed} listed articles stored"
GRACE = "NEWSCRAWL_DAY_GRACE_HOURS"

CHANNELS = ("news", "bisnis")
# Which list pages each mode reads: the stat's <kind>.
LIST_KIND = {"backfill": "index", "incremental": "incremental", "latest": "channel"}
# Slow enough to stop a run in its first days: one request at a time, ~50 ms apart (and no
# more queued in the downloader, which a stopping run would still fetch); the store writes
# every 0.2 s, so items count as scraped soon after they are fetched.
SLOW = {
    "DOWNLOAD_DELAY": "0.05",
    "CONCURRENT_REQUESTS": "1",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    "STORE_FLUSH_INTERVAL": "0.2",
}
_LIST_PATH = re.compile(r"(?:/[a-z0-9-]+)?/indeks/\d{4}/\d{2}/\d{2}/?|/[a-z0-9-]+/?")


# ---- helpers ---------------------------------------------------------------------------


def articles_of(days: int, count: int, seed: int, start: date, channels=CHANNELS):
    """Articles over ``days`` days from ``start``, every channel having some each day."""
    articles = make_articles(count, start_day=start, days=days, channels=channels, seed=seed)
    have = {(a.channel, a.day) for a in articles}
    wanted = {(c, start + timedelta(days=i)) for c in channels for i in range(days)}
    assert have == wanted, f"seed {seed} leaves a channel-day without articles"
    return articles


def mode_args(mode: str, articles: list[FakeArticle]) -> tuple[str, ...]:
    """The -a arguments of a run of this mode over the articles' channels (and days)."""
    channels = f"channels={','.join(sorted({a.channel for a in articles}))}"
    if mode == "backfill":
        return (f"since={articles[0].day}", f"until={articles[-1].day}", channels)
    if mode == "incremental":
        return ("mode=incremental", channels)
    return (channels,)


def path_of(url: str) -> str:
    """A URL's path with its query, on whichever host it names."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def list_pages(site: LocalSite) -> list[str]:
    """Paths of the list pages (indeks pages, channel fronts) the site answered with 200."""
    return [
        r.path
        for r in site.requests.records
        if r.status == 200 and _LIST_PATH.fullmatch(r.path.split("?")[0])
    ]


def page_one_answered(site: LocalSite, channel: str) -> set[date]:
    """Days of the channel whose archive page 1 the site answered."""
    days = set()
    for path in list_pages(site):
        match = re.fullmatch(rf"/{channel}/indeks/(\d{{4}})/(\d\d)/(\d\d)(\?page=1)?", path)
        if match:
            days.add(date(int(match[1]), int(match[2]), int(match[3])))
    return days


def ledger_rows(tmp_path, since: date, until: date) -> dict[tuple[str, date], dict]:
    """The crawl_days rows of a day range, keyed (channel, day)."""
    store = open_archive(tmp_path)
    try:
        return {(d["channel"], d["day"]): d for d in store.iter_days(since, until)}
    finally:
        store.close()


def stored_ids(tmp_path) -> set[str]:
    store = open_archive(tmp_path)
    try:
        return {d["article_id"] for d in store.iter_articles()}
    finally:
        store.close()


# ---- list markup no layout recognises -------------------------------------------------


@pytest.mark.parametrize("mode", ["backfill", "incremental", "latest"])
def test_list_markup_no_layout_knows_fails_the_run_and_completes_no_day(tmp_path, mode):
    today = today_wib()
    first = today - timedelta(days=20) if mode == "backfill" else today - timedelta(days=2)
    articles = articles_of(3, 30, seed=3, start=first)
    warc_dir = tmp_path / "warc"
    with LocalSite(articles, list_markup="redesign") as site:
        done = crawl(site, tmp_path, *mode_args(mode, articles), NEWSCRAWL_WARC_DIR=str(warc_dir))
        served = list_pages(site)
        answered = {(c, d) for c in CHANNELS for d in page_one_answered(site, c)}
    assert done.returncode == 1, done.stderr[-3000:]
    failed = UNRECOGNISED.search(done.stderr)
    assert failed, done.stderr[-3000:]
    count, url = int(failed[1]), failed[2]
    assert served and count == len(served)  # every list page read was one it could not read
    assert path_of(url) in served
    stats = final_stats(done.stderr)
    assert stats.get(UNRECOGNISED_STAT.format(kind=LIST_KIND[mode])) == count
    rows = ledger_rows(tmp_path, today - timedelta(days=60), today)
    assert not [key for key, row in rows.items() if row["complete"]]
    if mode == "backfill":
        # Each day walked (its page 1 answered) has its row, and it says incomplete.
        assert len(answered) == 6
        assert set(rows) == answered
    # The pages it could not read are recorded like any other, to test a fix on.
    recorded = b"".join(gzip.decompress(f.read_bytes()) for f in warc_dir.glob("*.warc.gz"))
    assert f"WARC-Target-URI: {url}".encode() in recorded
    assert b'class="feed-2027"' in recorded


# ---- an archive that ignores the date -------------------------------------------------


def test_an_archive_listing_another_day_fails_the_run_and_claims_only_that_day(tmp_path):
    articles = articles_of(3, 30, seed=4, start=today_wib() - timedelta(days=25))
    newest = articles[-1].day
    with LocalSite(articles, archive_ignores_date=True) as site:
        done = crawl(site, tmp_path, *mode_args("backfill", articles))
        listed = {a.article_id for c in CHANNELS for a in site.indeks_items(newest, c)}
        older = [p for p in list_pages(site) if f"/{newest:%Y/%m/%d}" not in p]
    assert done.returncode == 1, done.stderr[-3000:]
    failed = IGNORED_DATE.search(done.stderr)
    assert failed, done.stderr[-3000:]
    count, url = int(failed[1]), failed[2]
    # At least page 1 of each older channel-day; never more than the older pages read.
    assert 2 * len(CHANNELS) <= count <= len(older)
    assert path_of(url) in older
    rows = ledger_rows(tmp_path, articles[0].day, newest)
    complete = {key for key, row in rows.items() if row["complete"]}
    assert complete <= {(c, newest) for c in CHANNELS}  # only the day the pages showed
    # What the archive listed is still archived, once.
    assert stored_ids(tmp_path) == listed
    assert listed == {a.article_id for a in articles if a.day == newest}


# ---- a day not yet over ---------------------------------------------------------------


def before_now(articles: list[FakeArticle], now: datetime) -> list[FakeArticle]:
    """The articles with today's moved into the part of today that is over (order kept)."""
    midnight = datetime(now.year, now.month, now.day, tzinfo=WIB)
    elapsed = max(now - midnight - timedelta(seconds=1), timedelta(0))
    out = []
    for a in articles:
        if a.day == now.date():
            share = (a.published - midnight) / timedelta(days=1)
            a = dataclasses.replace(a, published=midnight + elapsed * share, modified=None)
        out.append(a)
    return out


def more_of_today(articles: list[FakeArticle], count: int, now: datetime) -> list[FakeArticle]:
    """``count`` new articles of today, newer than every article given, before ``now``."""
    last = max(a.published for a in articles)
    newest_id = max(int(a.article_id) for a in articles)
    step = (now - last) / (count + 1)
    model = articles[-1]
    return [
        dataclasses.replace(
            model,
            article_id=str(newest_id + i),
            channel=CHANNELS[i % len(CHANNELS)],
            subchannel=None,
            published=last + step * i,
            modified=None,
        )
        for i in range(1, count + 1)
    ]


def test_a_backfill_including_today_leaves_today_open_and_walks_it_again(tmp_path):
    now = datetime.now(WIB)
    today = now.date()
    yesterday = today - timedelta(days=1)
    articles = before_now(articles_of(2, 24, seed=6, start=yesterday), now)
    args = (f"since={yesterday}", f"channels={','.join(CHANNELS)}")  # until: today
    first, late = tmp_path / "first", tmp_path / "late"
    first.mkdir(), late.mkdir()
    with LocalSite(articles) as site:
        done = crawl(site, first, *args, **{GRACE: "0"})
        assert done.returncode == 0, done.stderr[-3000:]
        assert set(site.requests.article_ids()) == {a.article_id for a in articles}
        # With a grace longer than a day, yesterday is not over either.
        waited = crawl(site, late, *args, **{GRACE: "48"})
        assert waited.returncode == 0, waited.stderr[-3000:]
    rows = ledger_rows(first, yesterday, today)
    assert set(rows) == {(c, d) for c in CHANNELS for d in (yesterday, today)}
    for channel in CHANNELS:
        assert (rows[channel, yesterday]["complete"], rows[channel, yesterday]["open"]) == (
            True,
            False,
        )
        assert (rows[channel, today]["complete"], rows[channel, today]["open"]) == (False, True)
        assert rows[channel, today]["listed"] == rows[channel, today]["stored"] > 0
    for key, row in ledger_rows(late, yesterday, today).items():
        assert (row["complete"], row["open"]) == (False, True), key

    # Later the same day the site lists more of today: the next run walks today again,
    # skips yesterday, and fetches only what is new.
    now = datetime.now(WIB)
    new = more_of_today(articles, 4, now)
    with LocalSite([*articles, *new]) as site:
        again = crawl(site, first, *args, **{GRACE: "0"})
        assert again.returncode == 0, again.stderr[-3000:]
        assert set(site.requests.article_ids()) == {a.article_id for a in new}
        for channel in CHANNELS:
            assert site.requests.count_prefix(f"/{channel}/indeks/{today:%Y/%m/%d}")
            assert not site.requests.count_prefix(f"/{channel}/indeks/{yesterday:%Y/%m/%d}")
    rows = ledger_rows(first, yesterday, today)
    for channel in CHANNELS:
        assert rows[channel, yesterday]["complete"]
        row = rows[channel, today]
        assert (row["complete"], row["open"]) == (False, True)
        assert row["listed"] == len(
            [a for a in [*articles, *new] if (a.channel, a.day) == (channel, today)]
        )
    assert stored_ids(first) == {a.article_id for a in [*articles, *new]}


# ---- a run stopped early --------------------------------------------------------------


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM", "CLOSESPIDER_ITEMCOUNT"])
def test_a_run_stopped_early_records_only_the_days_it_started(tmp_path, stop):
    articles = articles_of(
        30, 60, seed=8, start=today_wib() - timedelta(days=60), channels=("news",)
    )
    args = mode_args("backfill", articles)
    since, until = articles[0].day, articles[-1].day
    with LocalSite(articles) as site:
        if stop == "CLOSESPIDER_ITEMCOUNT":
            done = crawl(site, tmp_path, *args, CLOSESPIDER_ITEMCOUNT="3", **SLOW)
            code, stderr = done.returncode, done.stderr
        else:
            proc = start(site, tmp_path, *args, **SLOW)
            wait_for_articles(site, 4, proc)
            proc.send_signal(getattr(signal, stop))
            _, stderr = proc.communicate(timeout=60)
            code = proc.returncode
        answered = page_one_answered(site, "news")
    assert len(answered) < 30, "the run was not stopped early: make the site slower"
    assert code != 0, stderr[-3000:]  # not a finished run
    rows = ledger_rows(tmp_path, since, until)
    # A row only for a day whose page 1 was answered: none for days never started.
    assert {day for _, day in rows} <= answered
    summary = DAYS_SUMMARY.search(stderr)
    assert summary, stderr[-3000:]
    asked, already, complete, still_open, incomplete, never = map(int, summary.groups())
    assert (asked, already, still_open) == (30, 0, 0)
    assert asked == already + complete + still_open + incomplete + never
    assert complete == sum(1 for row in rows.values() if row["complete"])
    assert incomplete + still_open == sum(1 for row in rows.values() if not row["complete"])
    assert never >= 30 - len(answered) > 0


# ---- a site refusing the crawler ------------------------------------------------------

REFUSALS = {
    "block": Fault("/", "block", status=403),
    "challenge": Fault("/", "challenge"),
    "reset": Fault("/", "reset"),
}


# Each refusal and each mode at least once (the whole square would be 9 crawls), and a
# reset, the one refusal with no response at all, twice.
REFUSAL_RUNS = [
    ("block", "latest"),
    ("challenge", "incremental"),
    ("reset", "backfill"),
    ("reset", "latest"),
]


@pytest.mark.parametrize(("refusal", "mode"), REFUSAL_RUNS)
def test_a_site_refusing_every_page_but_robots_txt_fails_the_run_saying_so(tmp_path, refusal, mode):
    today = today_wib()
    articles = articles_of(2, 16, seed=10, start=today - timedelta(days=1))
    fault = dataclasses.replace(REFUSALS[refusal], served=0)
    with LocalSite(articles, faults=[fault]) as site:
        done = crawl(site, tmp_path, *mode_args(mode, articles), RETRY_TIMES="1")
        records = site.requests.records
    assert ("/robots.txt", 200) in {(r.path, r.status) for r in records}
    assert fault.served and fault.served == len(records) - 1  # all refused but robots.txt
    assert done.returncode == 1, done.stderr[-3000:]
    failed = REFUSED.search(done.stderr)
    assert failed, done.stderr[-3000:]
    refused, requested = int(failed[1]), int(failed[2])
    # Every request but robots.txt was refused, and the site saw each of them.
    assert 1 <= refused <= requested <= len(records)
    assert requested - refused <= 1
    assert not stored_ids(tmp_path)
    rows = ledger_rows(tmp_path, today - timedelta(days=10), today)
    assert not [key for key, row in rows.items() if row["complete"]]


# ---- article pages redirected to pages already requested ------------------------------


@pytest.mark.parametrize("mode", ["backfill", "incremental", "latest"])
def test_articles_lost_to_the_duplicate_filter_are_counted_and_fail_the_run(tmp_path, mode):
    today = today_wib()
    first = today - timedelta(days=20) if mode == "backfill" else today - timedelta(days=1)
    articles = articles_of(2, 40, seed=12, start=first)
    with LocalSite(articles, redirect_share=0.3, channel_page_size=len(articles)) as site:
        done = crawl(site, tmp_path, *mode_args(mode, articles))
        moved = site.redirected
    assert 0.2 <= len(moved) / len(articles) <= 0.3
    kept = {a.article_id for a in articles} - set(moved)
    assert stored_ids(tmp_path) == kept  # the pages redirected to are stored, once
    stats = final_stats(done.stderr)
    assert stats.get(LOST_FILTERED_STAT) == len(moved)
    summary = LISTED_SUMMARY.search(done.stderr)
    assert summary, done.stderr[-3000:]
    listed, stored, not_stored, filtered = map(int, summary.groups())
    assert (listed, stored, not_stored, filtered) == (
        len(articles),
        len(kept),
        len(moved),
        len(moved),
    )
    assert done.returncode == 1, done.stderr[-3000:]
    assert QUALITY_FAILED.format(stored=len(kept), listed=len(articles)) in done.stderr
