"""The liputan6 spider: navigation only; pages become Articles in newscrawl.site.

Three modes (see docs/operations.md):
  latest       (default) the articles linked from each channel's front page;
  backfill     since=/until=: every article listed in the date index, day by day,
               recorded in a per-day ledger so finished days are skipped next time;
  incremental  from today backwards, stopping a channel at a run of already-stored articles.

What the spider knows of the store it asks the run's keeper (newscrawl.extensions.keeper):
which listed articles are stored, and it reports what each day listed and what failed.
Requests carry plain keys in cb_kwargs (channel, day, page, article id; page N of a split
article also carries its first page's article and the later pages read, never changed in
place), so Scrapy's JOBDIR can pause and resume a crawl.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawl.extensions.keeper import Keeper
from newscrawl.items import Capture
from newscrawl.middlewares import SiteUnreachable
from newscrawl.normalize.dates import WIB
from newscrawl.schedule import next_due, parse_budget, parse_schedule
from newscrawl.signals import article_extracted
from newscrawl.site.assemble import assemble
from newscrawl.site.decoding import read_list, response_text
from newscrawl.site.extraction import NotAnArticle, extract_article_pages
from newscrawl.site.navigation import (
    Listing,
    channel_url,
    index_url,
    lists_other_days,
    parse_list_url,
    read_front,
    read_index,
    rebase,
)
from newscrawl.site.urls import is_liputan6_host
from newscrawl.spiders.options import CrawlOptions, parse_options, today_wib
from newscrawl.stats import (
    ARTICLE_FAILED,
    CAUGHT_UP,
    DAYS,
    DAYS_ASKED,
    INCOMPLETE_ARTICLE,
    LISTING_FAILED,
    LISTS,
    NOT_ARTICLE,
    PAGE_REPEATED,
    REVISITS,
    REVISITS_DUE,
    count_first,
)

# How long after its stated time an article may still appear on its list: a walk that stops
# at its watermark looks this much further back.
LATE_LISTING = timedelta(hours=1)


class Liputan6Spider(scrapy.Spider):
    """Crawls Liputan6: channel fronts, date-index backfills and incremental runs."""

    name = "liputan6"

    def __init__(self, *args, **kwargs):
        super().__init__(*args)
        self.options: CrawlOptions = parse_options(kwargs)
        # Recorded with the crawl run so an operator sees what each run was asked to do.
        self.run_args = {
            k: (
                v.isoformat() if isinstance(v, date) else ",".join(v) if isinstance(v, tuple) else v
            )
            for k, v in dataclasses.asdict(self.options).items()
        }
        # Navigation state Scrapy keeps across JOBDIR pauses (SpiderState replaces it then).
        self.state: dict = {}
        self.schedule: tuple[timedelta, ...] = ()
        """The ages after publication at which stored articles are revisited."""
        self._due: list[dict] = []
        """The stored articles due for a revisit, read when the run starts."""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        """The spider, kept to liputan6.com and its sub-domains (and the configured base)."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Scrapy's OffsiteMiddleware drops requests (redirects included) to any other host.
        local = urlsplit(spider.base).hostname
        spider.allowed_domains = ["liputan6.com"]
        if local and not is_liputan6_host(local):
            spider.allowed_domains.append(local)  # a local copy (tests, benchmarks)
        spider.schedule = parse_schedule(crawler.settings.get("NEWSCRAWL_REVISIT_AFTER"))
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    @classmethod
    def update_settings(cls, settings) -> None:
        """NEWSCRAWL_RUN_BUDGET becomes Scrapy's CloseSpider limits (CLOSESPIDER_TIMEOUT,
        CLOSESPIDER_PAGECOUNT), the lower one kept when both are set; a wrong value is left
        to the settings check, which names it (newscrawl.settingscheck)."""
        super().update_settings(settings)
        try:
            budget = parse_budget(settings.get("NEWSCRAWL_RUN_BUDGET"))
        except ValueError:
            return
        for name, value in (
            ("CLOSESPIDER_TIMEOUT", budget.seconds),
            ("CLOSESPIDER_PAGECOUNT", budget.requests),
        ):
            current = settings.getfloat(name, 0)
            if value is not None and (not current or value < current):
                settings.set(name, value, priority="spider")

    @classmethod
    def check_arguments(cls, args: dict[str, str]) -> None:
        """Raise ArgumentError for bad -a arguments (used by the crawl command before crawling)."""
        parse_options(args)

    @property
    def base(self) -> str:
        """Where the site is: LIPUTAN6_BASE_URL (a local copy in tests)."""
        return self.settings.get("LIPUTAN6_BASE_URL").rstrip("/")

    @property
    def keeper(self) -> Keeper:
        """The run's keeper of the store: stored articles, the day ledger, revisits."""
        return Keeper.of(self.crawler)

    # ---- start -------------------------------------------------------------------------

    async def start(self):
        """The first requests of the chosen mode."""
        if self.options.mode == "latest":
            for channel in self.options.channels:
                yield scrapy.Request(
                    channel_url(self.base, channel),
                    callback=self.parse_channel,
                    errback=self.listing_failed,
                )
        elif self.options.mode == "incremental":
            # Read before the walk: an article this run stores is not due in it.
            now = datetime.now(UTC)
            if "watermarks" not in self.state:  # a resumed job keeps its own
                caught = await self.keeper.runs.caught_up(self.name, self.options.channels)
                self.state["watermarks"] = {c: t.isoformat() for c, t in caught.items()}
            if self.schedule and not self.state.get("revisits_queued"):
                self._due = await self.keeper.revisits.due_articles(now)
                self.crawler.stats.set_value(REVISITS_DUE, len(self._due))
            for channel in self.options.channels:
                yield self._incremental_request(channel, today_wib(), 1)
        else:
            async for request in self._backfill_requests():
                yield request

    async def _backfill_requests(self):
        """Page 1 of every (channel, day) not yet completely walked, newest day first.

        Yielded lazily: a backfill of years asks for tens of thousands of days, and Scrapy
        takes start requests as it needs them. Days this job already walked (a resumed
        JOBDIR crawl) are not asked again.
        """
        days = self.options.days()
        todo = await self.keeper.days.to_walk(self.options.channels, days, self.options.refresh)
        if self.keeper.store is None:
            self.logger.info(
                "Backfill of %d days × %d channels (%s to %s, %s first), without a store: "
                "every day is walked and none is recorded",
                len(days),
                len(self.options.channels),
                self.options.since,
                self.options.until,
                self.options.order,
            )
        else:
            self._banner(len(days) * len(self.options.channels), len(todo))
        self.crawler.stats.set_value(DAYS_ASKED, len(days) * len(self.options.channels))
        for rank, channel, day, rewalk in todo:
            self.keeper.days.requested(channel, day)
            yield self.index_request(channel, day, 1, priority=-rank * 10, rewalk=rewalk)

    def _banner(self, asked: int, todo: int) -> None:
        """The first line of a backfill with a store: what is done, and what is left."""
        skipped, resumed, in_flight = self.keeper.days.resumed()
        self.logger.info(
            "Backfill of %d channel-days (%s to %s, %s first): %d already complete, %d to walk%s",
            asked,
            self.options.since,
            self.options.until,
            self.options.order,
            skipped,
            todo + in_flight,
            f" ({in_flight} resumed from the paused run, {resumed} it finished)"
            if resumed or in_flight
            else "",
        )

    def index_request(
        self, channel: str, day: date, page: int, priority: int = 0, rewalk: bool = False
    ) -> scrapy.Request:
        """One index page of a channel's day (``rewalk``: of an open day, walked to its
        end by an earlier run, so read only until its stored articles)."""
        keys = {"channel": channel, "day": day.isoformat(), "page": page}
        if rewalk:
            keys["rewalk"] = True
        return scrapy.Request(
            index_url(self.base, channel, day, page),
            callback=self.parse_index,
            errback=self.index_failed,
            cb_kwargs=keys,
            priority=priority,
        )

    def _incremental_request(self, channel: str, day: date, page: int) -> scrapy.Request:
        """One index page of the day an incremental walk has reached (not a ledger day:
        its key is ``reached``, not ``day``)."""
        return scrapy.Request(
            index_url(self.base, channel, day, page),
            callback=self.parse_incremental,
            errback=self.listing_failed,
            cb_kwargs={"channel": channel, "reached": day.isoformat(), "page": page},
        )

    def _article_request(self, url: str, priority: int = 0, **keys) -> scrapy.Request:
        """An article page, moved onto the configured base URL."""
        return scrapy.Request(
            rebase(url, self.base),
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs=keys,
            priority=priority,
        )

    def _list_page(self, kind: str, response: Response, listing: Listing) -> bool:
        """Count a list page by what it is; True when a known layout read it.

        A page no layout knows is counted and logged once per kind (with what it looks like),
        and the verdict fails the run: "nothing listed" must never pass for "cannot read".
        """
        stats = self.crawler.stats
        stats.inc_value(f"{LISTS}/read/{kind}")
        if listing.recognised:
            stats.inc_value(f"{LISTS}/items/{kind}", len(listing.items))
            if listing.empty:
                stats.inc_value(f"{LISTS}/empty/{kind}")
            return True
        if listing.refused:
            stats.inc_value(f"{LISTS}/refused/{kind}")
            self.logger.error("List page refused (blocked?): %s", response.url)
            return False
        if count_first(stats, f"{LISTS}/unrecognised/{kind}", response.url):
            self.logger.error(
                "List page not recognised (%s): %s: %s", kind, response.url, listing.fingerprint
            )
        return False

    def listing_failed(self, failure: Failure) -> None:
        """A channel or index page failed after retries: counted, and judged at the end."""
        self.crawler.stats.inc_value(LISTING_FAILED)
        if failure.check(SiteUnreachable):
            return  # the run is stopping, and says why once
        self.logger.error("List page failed: %s (%s)", failure.request.url, failure.value)

    # ---- any page (scrapy parse) -------------------------------------------------------

    async def parse(self, response: Response, **kwargs):
        """Any Liputan6 page by its kind: index page of a day, channel front or article.

        What `scrapy parse --spider liputan6 URL` calls.

        @site /news
        @returns requests 1
        @returns items 0 0
        """
        listing = parse_list_url(response.url)
        if listing is not None and listing.day is not None:
            day = listing.day.isoformat()
            async for output in self.parse_index(response, listing.channel, day, listing.page):
                yield output
            return
        outputs = self.parse_channel(response) if listing else self.parse_article(response)
        for output in outputs:
            yield output

    # ---- latest ------------------------------------------------------------------------

    def parse_channel(self, response: Response) -> list:
        """Every article linked from a channel front page (when a known layout is on it)."""
        listing = read_list(read_front, response)
        if not self._list_page("channel", response, listing):
            return []
        self.keeper.listed.listed(item.article_id for item in listing.items)
        return [
            self._article_request(item.url, article_id=item.article_id) for item in listing.items
        ]

    # ---- backfill ----------------------------------------------------------------------

    async def parse_index(
        self, response: Response, channel: str, day: str, page: int, rewalk: bool = False
    ):
        """One index page of a day: request its new articles and the next page, or finish the day.

        An open day (``rewalk``) is read from its first page only until a page lists stored
        articles: the rest of it was read to its end by the run that stored them.

        @site /news/indeks/2020/05/27
        @cb_kwargs {"channel": "news", "day": "2020-05-27", "page": 1}
        @returns requests 1
        """
        listing = read_list(read_index, response)
        when = date.fromisoformat(day)
        items = listing.items
        if not self._list_page("index", response, listing):
            self.keeper.days.unreadable(channel, when)
            return
        if page == 1 and lists_other_days(items, when):
            # The index answered another day (as the site-wide one did in 2026): its
            # articles are still fetched, but the day's own listing was never seen.
            self._other_days(response)
            self.keeper.days.unreadable(channel, when, other_days=True)
        ids = [item.article_id for item in items]
        stored = set() if self.options.refresh else await self.keeper.articles.stored_ids(ids)
        new, fetch = self.keeper.days.page_listed(channel, when, ids, stored)
        self.keeper.listed.listed(fetch)
        wanted = set(fetch)
        priority = response.request.priority if response.request else 0
        for item in items:
            if item.article_id in wanted:
                wanted.discard(item.article_id)
                yield self._article_request(
                    item.url,
                    priority=priority + 5,
                    channel=channel,
                    day=day,
                    article_id=item.article_id,
                )
        max_pages = self.settings.getint("ARCHIVE_MAX_PAGES", 200)
        if rewalk and stored:
            self.crawler.stats.inc_value(f"{DAYS}/rewalk_stopped")
            self.keeper.days.listing_finished(channel, when)
        elif new and page < max_pages:
            yield self.index_request(channel, when, page + 1, priority=priority, rewalk=rewalk)
        elif new:
            # The safety bound cut the listing short: the day's later pages were never read.
            self.logger.warning(
                "Day %s %s: stopped at ARCHIVE_MAX_PAGES=%d with articles still coming; "
                "the day stays incomplete",
                channel,
                day,
                max_pages,
            )
            self.crawler.stats.inc_value(f"{DAYS}/max_pages_reached")
            self.keeper.days.listing_finished(channel, when, failed=True)
        else:
            # An empty page ends the day; so does a page adding nothing new (the site
            # repeats its last page past the end).
            self.keeper.days.listing_finished(channel, when)

    def _other_days(self, response: Response) -> None:
        """Count an index page that listed only other days' articles."""
        if count_first(self.crawler.stats, f"{LISTS}/other_days", response.url):
            self.logger.error(
                "Index page lists only other days' articles (the date was ignored?): %s",
                response.url,
            )

    def index_failed(self, failure: Failure) -> None:
        """An index page failed after retries: the day stays incomplete."""
        kwargs = failure.request.cb_kwargs
        self.listing_failed(failure)
        self.keeper.days.listing_finished(
            kwargs["channel"], date.fromisoformat(kwargs["day"]), failed=True
        )

    # ---- incremental ----------------------------------------------------------------

    async def parse_incremental(self, response: Response, channel: str, reached: str, page: int):
        """Fetch what is new, newest first; stop the channel where the store has caught up.

        A channel's walk stops at the first listed article older than its watermark (the
        start of the last run that caught up on it, less LATE_LISTING), or at a run of
        INCREMENTAL_STOP_AFTER stored articles, or where its listing ends inside the window
        the watermark leaves open. Stored articles are not fetched again here: revisits come
        from the store's due list (NEWSCRAWL_REVISIT_AFTER), after the new articles.
        """
        listing = read_list(read_index, response)
        if not self._list_page("incremental", response, listing):
            return  # walking further back would read the same unknown markup
        items = listing.items
        # Per-channel progress lives in spider.state, which Scrapy keeps across JOBDIR pauses.
        walk = self.state.setdefault("incremental", {}).setdefault(
            channel, {"days_back": 0, "stored_run": 0}
        )
        when = date.fromisoformat(reached)
        if walk.get("day") != reached:
            walk["day"], walk["seen"] = reached, []
        ids = [item.article_id for item in items]
        known = set(walk["seen"])
        if ids and known.issuperset(ids):
            # Past its last page the site serves the first or the last page again: the
            # day ends here, as at an empty page.
            self.crawler.stats.inc_value(PAGE_REPEATED)
            self.logger.info(
                "Channel %s: %s page %d repeats an earlier page", channel, reached, page
            )
            items = []
        elif page > self.settings.getint("ARCHIVE_MAX_PAGES", 200):
            self.crawler.stats.inc_value(f"{DAYS}/max_pages_reached")
            self.logger.warning(
                "Channel %s: %s stopped at ARCHIVE_MAX_PAGES with articles still listed",
                channel,
                reached,
            )
            return  # cut short: not caught up
        walk["seen"].extend(i for i in ids if i not in known)
        watermark = self._watermark(channel)
        if not items:
            for request in self._day_ended(channel, walk, when, watermark):
                yield request
            return
        self.state["listed_any"] = True
        stop_after = self.settings.getint("INCREMENTAL_STOP_AFTER", 20)
        stored = await self.keeper.articles.stored_ids(ids)
        for item in items:
            listed = _parse_listed_time(item.published)
            if watermark is not None and listed is not None and listed < watermark:
                self._caught_up(channel, f"reached its watermark at {reached}")
                return
            if item.article_id in stored:
                walk["stored_run"] += 1
                if walk["stored_run"] >= stop_after:
                    self._caught_up(
                        channel, f"{walk['stored_run']} stored articles in a row at {reached}"
                    )
                    return
                continue
            walk["stored_run"] = 0
            self.keeper.listed.listed([item.article_id])
            yield self._article_request(item.url, priority=5, article_id=item.article_id)
        yield self._incremental_request(channel, when, page + 1)

    def _watermark(self, channel: str) -> datetime | None:
        """Before this time every article of the channel was listed to a run that caught up
        on it (None: no run did, as far as the store remembers)."""
        caught = self.state.get("watermarks", {}).get(channel)
        return datetime.fromisoformat(caught) - LATE_LISTING if caught else None

    def _day_ended(self, channel: str, walk: dict, day: date, watermark: datetime | None):
        """The day's listing ended: the previous day's first page while the window the
        watermark leaves open reaches into it, or while no walk of the run has listed an
        article yet (one day back, so that a quiet night still shows the list markup is read;
        a channel with nothing today costs no second page once another one listed something).
        Otherwise the walk is caught up."""
        max_days = self.settings.getint("INCREMENTAL_MAX_DAYS", 7)
        window_open = watermark is None or watermark < _day_start(day)
        first_look = not self.state.get("listed_any") and walk["days_back"] == 0
        if walk["days_back"] + 1 < max_days and (window_open or first_look):
            walk["days_back"] += 1
            yield self._incremental_request(channel, day - timedelta(days=1), 1)
        elif window_open:
            self._caught_up(channel, f"walked back INCREMENTAL_MAX_DAYS={max_days} to {day}")
        else:
            self._caught_up(channel, f"listing of {day} read to its end")

    def _caught_up(self, channel: str, how: str) -> None:
        """The channel's walk ended where the store holds everything older (no request of
        it follows)."""
        self.crawler.stats.set_value(
            CAUGHT_UP,
            sorted({*(self.crawler.stats.get_value(CAUGHT_UP) or []), channel}),
        )
        self.logger.info("Channel %s caught up: %s", channel, how)

    # ---- revisits ----------------------------------------------------------------------

    def spider_idle(self) -> None:
        """Once the walk and its new articles are done, fetch the articles due for a
        revisit (new articles first: a run cut by its budget leaves revisits, not news)."""
        if self.options.mode != "incremental" or self.state.get("revisits_queued"):
            return
        self.state["revisits_queued"] = True
        due = self._due
        self._due = []
        if not due:
            return
        self.logger.info("Revisiting %d stored articles due (NEWSCRAWL_REVISIT_AFTER)", len(due))
        self.crawler.stats.set_value(f"{REVISITS}/queued", len(due))
        for row in due:
            self.crawler.engine.crawl(self._revisit_request(row))
        raise DontCloseSpider

    def _revisit_request(self, row: dict) -> scrapy.Request:
        """A conditional GET of a stored article: a 304 costs the site no page."""
        headers = {}
        if row.get("etag"):
            headers["If-None-Match"] = row["etag"]
        if row.get("last_modified"):
            headers["If-Modified-Since"] = row["last_modified"]
        published = row.get("published_at")
        return scrapy.Request(
            rebase(row["url"], self.base),
            callback=self.parse_revisit,
            errback=self.revisit_failed,
            headers=headers,
            cb_kwargs={
                "article_id": row["article_id"],
                "published": published.isoformat() if published else None,
            },
            meta={"handle_httpstatus_list": [304]},
            priority=-10,
        )

    def parse_revisit(self, response: Response, article_id: str, published: str | None):
        """A revisit's answer: unchanged (304) is a check, else the article as today."""
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value(f"{REVISITS}/not_modified")
            self._reschedule(article_id, published, seen=True)
            return []
        stats.inc_value(f"{REVISITS}/fetched")
        outputs = self.parse_article(response, article_id=article_id)
        if not outputs:
            # No longer an article (removed, moved to the home page): tried again at the
            # next age of the schedule, not at every run.
            self._reschedule(article_id, published)
        return outputs

    def revisit_failed(self, failure: Failure) -> None:
        """A revisit that failed: counted (not as a listed article lost), and tried again at
        the next age of the schedule, so a page gone for good costs one request per age."""
        status = getattr(getattr(failure.value, "response", None), "status", None)
        self.crawler.stats.inc_value(f"{REVISITS}/failed/{status or type(failure.value).__name__}")
        self.logger.warning("Revisit failed: %s (%s)", failure.request.url, failure.value)
        kwargs = failure.request.cb_kwargs
        self._reschedule(kwargs["article_id"], kwargs.get("published"))

    def _reschedule(self, article_id: str, published: str | None, *, seen: bool = False) -> None:
        """Move an article's next revisit on: seen (a 304), or not (the revisit failed)."""
        when = datetime.fromisoformat(published) if published else None
        self.keeper.revisits.checked(
            article_id, next_due(when, datetime.now(UTC), self.schedule), seen=seen
        )

    # ---- articles ----------------------------------------------------------------------

    def parse_article(
        self,
        response: Response,
        channel: str | None = None,
        day: str | None = None,
        article_id: str | None = None,
    ) -> list:
        """One Article per article page, completed from ?page=N when pages are missing.

        @site /news/read/4264701/dishub-dki-2900-kendaraan-putar-balik-karena-tak-punya-sikm
        @returns items 1 1
        @returns requests 0 0
        @scrapes article_id url title published_at authors section subsection tags body
        """
        # Keys of the day this article was listed on (none in latest and incremental mode).
        keys = {"channel": channel, "day": day, "article_id": article_id} if day else {}
        try:
            article, pages_found, sources = extract_article_pages(
                response_text(response), response.url
            )
        except NotAnArticle as exc:  # an undecodable page too
            self.crawler.stats.inc_value(f"{NOT_ARTICLE}/{exc.reason}")
            self.logger.warning("Not an article: %s (%s)", response.url, exc)
            self._article_lost(keys)
            self.keeper.listed.lost(article_id, "not_article")
            return []
        if article_id and article.article_id != article_id:
            # Redirected to another article: the listed one was not read.
            self.keeper.listed.lost(article_id, "redirected_to_another_article")
        self.crawler.signals.send_catch_log(article_extracted, article=article, sources=sources)
        article = dataclasses.replace(article, capture=capture_of_response(response))
        whole = assemble(article, pages_found)
        if whole.capped:
            # The data layer says how many pages there are; a page claiming more than any
            # real article has is followed only this far.
            self._incomplete(response, f"claims {article.page_count} pages", "page_count_capped")
        if whole.next_page is None:
            return [whole.article]
        return [self._page_request(response, whole, whole.article, pages_found, (), keys)]

    def _incomplete(self, response: Response, why: str, reason: str) -> None:
        """Count and log a split article kept with fewer pages than it claims."""
        self.crawler.stats.inc_value(f"{INCOMPLETE_ARTICLE}/{reason}")
        self.logger.warning("Article %s %s: kept with the pages read", response.url, why)

    def parse_more(
        self, response: Response, article, pages_found: int, later: tuple, **keys
    ) -> list:
        """A later page of a split article: the next page, or the article made whole
        (``newscrawl.site.assemble``).

        ``article`` is the first page's article and ``later`` the later pages read before
        this one; neither is changed in place, so a request queued on disk (JOBDIR) holds a
        consistent copy.
        """
        try:
            more = extract_article_pages(response_text(response), response.url).article
        except NotAnArticle as exc:
            self.crawler.stats.inc_value(f"{INCOMPLETE_ARTICLE}/{exc.reason}")
            more = None
        later = (*later, more)
        whole = assemble(article, pages_found, later)
        if whole.repeated:
            page = pages_found + len(later)
            self._incomplete(response, f"repeats a page at page {page}", "page_repeated")
        if whole.next_page is None:
            return [whole.article]
        return [self._page_request(response, whole, article, pages_found, later, keys)]

    def _page_request(
        self, response: Response, whole, article, pages_found: int, later: tuple, keys: dict
    ) -> scrapy.Request:
        """The page the assembler asks for next (``whole.next_page``) of a split article
        (the post-2021 site serves one page per response)."""
        return response.follow(
            f"{response.url.split('?')[0]}?page={whole.next_page}",
            callback=self.parse_more,
            errback=self.more_failed,
            cb_kwargs={"article": article, "pages_found": pages_found, "later": later, **keys},
        )

    def more_failed(self, failure: Failure):
        """A later page failed: keep the article with the pages we have, and count it."""
        kwargs = failure.request.cb_kwargs
        self.crawler.stats.inc_value(f"{INCOMPLETE_ARTICLE}/page_failed")
        self.logger.warning("Page %s failed: %s", failure.request.url, failure.value)
        yield assemble(kwargs["article"], kwargs["pages_found"], (*kwargs["later"], None)).article

    def article_failed(self, failure: Failure) -> None:
        """An article page failed after retries: count it against its day."""
        self.crawler.stats.inc_value(ARTICLE_FAILED)
        self.logger.error("Article failed: %s (%s)", failure.request.url, failure.value)
        self._article_lost(failure.request.cb_kwargs)
        self.keeper.listed.lost(failure.request.cb_kwargs.get("article_id"), "failed")

    def _article_lost(self, keys: dict) -> None:
        """A listed article of a day will not be stored in this run."""
        if keys.get("channel") and keys.get("day"):
            self.keeper.days.article_failed(
                keys.get("article_id"), keys["channel"], date.fromisoformat(keys["day"])
            )


def capture_of_response(response: Response) -> Capture:
    """How this response was fetched: where WarcRecorderMiddleware recorded it (its
    ``warc`` meta key, with the record's date) and its validators, for the conditional
    revisit; without a record, fetched when the spider reads it."""
    try:
        where = response.meta.get("warc") or {}
    except AttributeError:  # a response without its request (built by hand)
        where = {}
    validators = {
        name: value.decode("latin-1")
        for header, name in (("ETag", "etag"), ("Last-Modified", "last_modified"))
        if (value := response.headers.get(header))
    }
    return Capture(
        fetched_at=where.get("captured_at") or datetime.now(UTC),
        warc_file=where.get("file"),
        warc_offset=where.get("offset"),
        **validators,
    )


def _day_start(day: date) -> datetime:
    """The start of a Jakarta day, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=WIB).astimezone(UTC)


def _parse_listed_time(text: str | None) -> datetime | None:
    """The ISO time of an index item (with +07:00), as UTC."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None
