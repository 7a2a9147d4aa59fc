"""`newscrawl check-site`: do navigation and extraction still work on the live site?

A handful of polite requests through Scrapy with the project's settings (User-Agent,
robots.txt, download delay, timeout, retries), so the check sees the site exactly as a crawl
does: one date-index day, a few channel fronts and one tag page, each reported by the
known layout that recognised it (or what it was instead), then one recent article of each
template (text, photo, video). Each article is extracted twice, whole and without its
structured data, and every field is reported by where it came from. The command an operator
runs after a redesign, or cron runs daily.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field
from datetime import date

import scrapy
from scrapy.http import TextResponse
from twisted.python.failure import Failure

from newscrawl.exits import Exit
from newscrawl.extensions.coverage import source_kind
from newscrawl.site.decoding import Undecodable, read_list, response_text
from newscrawl.site.extraction import (
    SOURCED_FIELDS,
    NotAnArticle,
    extract_article_pages,
    without_structured_data,
)
from newscrawl.site.navigation import (
    Listing,
    channel_url,
    index_url,
    lists_other_days,
    read_front,
    read_index,
    rebase,
    tag_slugs,
    tag_url,
)
from newscrawl.site.urls import parse_article_url, type_from_url

# What every article must still give; the rest of SOURCED_FIELDS is reported only.
EXPECTED_FIELDS = ("title", "published_at", "authors", "section", "summary", "body", "tags")
TYPES = ("text", "photo", "video")
DEFAULT_CHANNELS = ("news", "bisnis", "showbiz")
DEFAULT_MAX_ARTICLES = 6
# The tag page read when no front links to one: a tag the site has kept for a decade.
FALLBACK_TAG = "jokowi"
HELP = "see docs/operations.md"


@dataclass
class ListCheck:
    """One list page (a date-index day, a channel front or a tag page): the known layout
    that recognised it and the articles it lists, or what it was instead."""

    kind: str
    """One of "index" (a day of the date index), "front", "tag"."""
    url: str
    channel: str | None = None
    day: str | None = None
    """The date-index day (YYYY-MM-DD, WIB)."""
    tag: str | None = None
    """The tag's slug."""
    layout: str | None = None
    """The known layout that recognised the page (navigation.INDEX_LAYOUTS, FRONT_LAYOUTS)."""
    listed: int | None = None
    fingerprint: str | None = None
    """What an unrecognised or refused page looked like, in one line."""
    refused: bool = False
    """The site answered with an access-denied or challenge page."""
    other_days: bool = False
    """A date-index day whose items are all of other days: the site ignored the date."""
    error: str | None = None

    @property
    def label(self) -> str:
        """What the page is of: the channel and day, the channel, the tag."""
        if self.kind == "index":
            return f"{self.channel} {self.day}"
        return (self.channel if self.kind == "front" else self.tag) or ""

    @property
    def state(self) -> str:
        """recognised, empty (the layout's own empty state), not recognised, refused,
        failed (an HTTP or network error) or not read."""
        if self.refused:
            return "refused"
        if self.error:
            return "failed"
        if self.listed is None:
            return "not read"
        if self.layout is None:
            return "not recognised"
        return "recognised" if self.listed else "empty"

    def read(self, listing: Listing) -> None:
        """Fill the check from what navigation made of the page."""
        self.layout = listing.layout
        self.listed = len(listing.items)
        self.fingerprint = listing.fingerprint or None
        self.refused = listing.refused
        if self.kind == "index" and self.day:
            self.other_days = lists_other_days(listing.items, date.fromisoformat(self.day))

    @property
    def problem(self) -> str | None:
        """The line for an operator when this page is not as it should be, else None."""
        state, where = self.state, f"{self.kind} {self.url}"
        if state == "refused":
            detail = ", ".join(x for x in (self.error, self.fingerprint) if x)
            return (
                f"list page refused: {where} ({detail}): the site answered with an "
                f"access-denied or challenge page; {HELP}"
            )
        if state == "failed":
            return f"{where} could not be read: {self.error}"
        if state == "not read":
            return f"{where} was not read"
        if state == "not recognised":
            return (
                f"list page not recognised: {where} ({self.fingerprint}): the site's list "
                f"markup may have changed; {HELP}"
            )
        if state == "empty" and self.kind == "front":
            return f"front {self.url} lists no article"
        if self.other_days:
            return (
                f"{where} lists only articles of other days than {self.day}: the site may "
                f"ignore the date in the URL; {HELP}"
            )
        return None


@dataclass
class ArticleCheck:
    """One article page: per field, the kind of source it came from, whole and from the
    visible markup alone (None: not found); the expected fields it lost."""

    url: str
    type: str | None = None
    fields: dict[str, dict[str, str | None]] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Report:
    """What check-site found, and the exit status it means."""

    base_url: str
    expected: list[str] = field(default_factory=lambda: list(EXPECTED_FIELDS))
    lists: list[ListCheck] = field(default_factory=list)
    """The date-index day, the channel fronts and the tag page, in that order."""
    articles: list[ArticleCheck] = field(default_factory=list)

    @property
    def fronts(self) -> list[ListCheck]:
        return [c for c in self.lists if c.kind == "front"]

    @property
    def unreachable(self) -> str | None:
        """Why the site could not be read at all (no front answered), else None."""
        fronts = self.fronts
        if fronts and all(f.state == "failed" for f in fronts):
            return fronts[0].error
        return None

    @property
    def problems(self) -> list[str]:
        """One line per thing that is wrong with the site, for an operator."""
        out = [line for c in self.lists if (line := c.problem)]
        for a in self.articles:
            kind = a.type or "article"
            out += [f"{name} lost on {kind} {a.url}" for name in a.lost]
            if a.error:
                out.append(f"{a.url}: {a.error}")
        if not any(a.type for a in self.articles) and not self.unreachable:
            out.append("no article could be checked")
        return out

    @property
    def status(self) -> int:
        if self.unreachable:
            return Exit.UNAVAILABLE
        return Exit.FAILED if self.problems else Exit.OK

    def to_json(self) -> dict:
        return {
            **asdict(self),
            "lists": [{**asdict(c), "state": c.state} for c in self.lists],
            "status": self.status,
            "unreachable": self.unreachable,
            "problems": self.problems,
        }


def check_article(html: str, url: str, expected=EXPECTED_FIELDS) -> ArticleCheck:
    """Extract one article page whole and from its visible markup alone (with its URL)."""
    check = ArticleCheck(url=url)
    try:
        whole = extract_article_pages(html, url)
    except NotAnArticle as exc:
        check.error = f"not an article: {exc}"
        return check
    try:
        markup_sources = extract_article_pages(without_structured_data(html), url).sources
    except NotAnArticle as exc:
        markup_sources = {}
        check.notes.append(f"the visible markup alone is not an article: {exc}")
    article = whole.article
    check.type = article.type
    for name in SOURCED_FIELDS:
        check.fields[name] = {
            "whole": source_kind(whole.sources, name),
            "markup_alone": source_kind(markup_sources, name),
        }
    for name in expected:
        if check.fields.get(name, {}).get("whole"):
            continue
        if name == "authors" and (article.credits or article.photographers):
            # A desk, agency or photographer credit instead of a writer: a real byline.
            credited = ", ".join([*article.credits, *article.photographers])
            check.notes.append(f"authors: credited to {credited} only")
            continue
        check.lost.append(name)
    return check


def guess_type(url: str) -> str:
    """The template a canonical article URL suggests (its slug), before it is fetched."""
    ref = parse_article_url(url)
    return (type_from_url(ref) if ref else None) or "text"


class SiteCheckSpider(scrapy.Spider):
    """A date-index day and the channel fronts, then a tag page linked from a front and a
    recent article of each template; fills a Report."""

    name = "check-site"

    def __init__(self, report: Report, channels, max_articles: int, day: date, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        self.channels = tuple(channels)
        self.max_articles = max_articles
        self.day = day
        self._fronts_left = len(self.channels)
        self._tags: dict[str, list[str]] = {}
        self._candidates: list[tuple[str, str]] = []
        self._in_flight: dict[str, int] = dict.fromkeys(TYPES, 0)
        self._found: set[str] = set()
        self._asked = 0

    async def start(self):
        base, first = self.report.base_url, self.channels[0]
        index = ListCheck("index", index_url(base, first, self.day), first, self.day.isoformat())
        yield self._list_request(index, self.parse_list)
        for channel in self.channels:
            yield self._list_request(
                ListCheck("front", channel_url(base, channel), channel), self.parse_front
            )

    def _list_request(self, check: ListCheck, callback) -> scrapy.Request:
        self.report.lists.append(check)
        return scrapy.Request(
            check.url,
            callback=callback,
            errback=self.list_failed,
            cb_kwargs={"check": check},
            dont_filter=True,
        )

    def parse_list(self, response, check: ListCheck):
        """A date-index day or the tag page: only reported."""
        reader = read_index if check.kind == "index" else read_front
        check.read(read_list(reader, response))

    def parse_front(self, response, check: ListCheck):
        listing = read_list(read_front, response)
        check.read(listing)
        with contextlib.suppress(Undecodable):  # then the front is reported unrecognised
            self._tags[check.channel or ""] = tag_slugs(response_text(response), response.url)
        # (the template its canonical URL suggests, where to fetch it)
        self._candidates += [
            (guess_type(item.url), url)
            for item in listing.items
            if (url := rebase(item.url, self.report.base_url))
        ]
        return self._front_done()

    def list_failed(self, failure: Failure):
        check = failure.request.cb_kwargs["check"]
        check.error = _error_text(failure)
        response = getattr(failure.value, "response", None)
        if isinstance(response, TextResponse):  # an error page: a refusal, say
            listing = read_list(read_front, response)
            check.refused, check.fingerprint = listing.refused, listing.fingerprint or None
        return self._front_done() if check.kind == "front" else None

    def _front_done(self) -> list:
        """After the last front: the tag page and the first articles."""
        self._fronts_left -= 1
        if self._fronts_left:
            return []
        if self.report.unreachable:
            return []
        tags = [t for channel in self.channels for t in self._tags.get(channel, [])]
        tag = tags[0] if tags else FALLBACK_TAG
        check = ListCheck("tag", tag_url(self.report.base_url, tag), tag=tag)
        return [self._list_request(check, self.parse_list), *self._next_articles()]

    def _next_articles(self) -> list:
        """The first listed article of each template not yet found (none in flight)."""
        requests = []
        for kind in TYPES:
            if kind in self._found or self._in_flight[kind] or self._asked >= self.max_articles:
                continue
            url = next((u for guess, u in self._candidates if guess == kind), None)
            if url is None:
                continue
            self._candidates = [c for c in self._candidates if c[1] != url]
            self._in_flight[kind] += 1
            self._asked += 1
            requests.append(
                scrapy.Request(
                    url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    cb_kwargs={"guess": kind},
                    dont_filter=True,
                )
            )
        return requests

    def parse_article(self, response, guess: str):
        try:
            check = check_article(response_text(response), response.url)
        except Undecodable as exc:
            check = ArticleCheck(url=response.url, error=f"not an article: {exc}")
        self.report.articles.append(check)
        self._in_flight[guess] -= 1
        if check.type:
            self._found.add(check.type)
            if check.type != guess:
                check.notes.append(f"its URL suggested a {guess} article")
        return self._next_articles()

    def article_failed(self, failure: Failure):
        guess = failure.request.cb_kwargs["guess"]
        self._in_flight[guess] -= 1
        self.report.articles.append(
            ArticleCheck(url=failure.request.url, error=f"not fetched: {_error_text(failure)}")
        )
        return self._next_articles()


def _error_text(failure: Failure) -> str:
    """One line for a failed request: its HTTP status or the network error."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


def run_check(settings, channels, day: date, max_articles: int = DEFAULT_MAX_ARTICLES) -> Report:
    """Run the check with these (project) settings, reading the first channel's date index of
    ``day``; blocks until it is done."""
    from scrapy.crawler import CrawlerProcess

    report = Report(base_url=settings.get("LIPUTAN6_BASE_URL").rstrip("/"))
    process = CrawlerProcess(settings)
    process.crawl(
        SiteCheckSpider, report=report, channels=channels, max_articles=max_articles, day=day
    )
    process.start()
    report.articles.sort(key=_template_order)  # text, photo, video, then failed pages
    return report


def _template_order(article: ArticleCheck) -> int:
    return TYPES.index(article.type) if article.type in TYPES else len(TYPES)


CELL = 22


def _list_line(check: ListCheck) -> str:
    """One list page: its layout and what it lists, or what it was instead."""
    state = check.state
    if state == "recognised":
        text = f"{check.layout:<15} {check.listed} articles listed"
        if check.other_days:
            text += f", all of other days ({check.url})"
    elif state == "empty":
        text = f"{check.layout:<15} empty listing"
    elif state == "not recognised":
        text = f"{'NOT RECOGNISED':<15} {check.url} ({check.fingerprint})"
    elif state == "refused":
        detail = ", ".join(x for x in (check.error, check.fingerprint) if x)
        text = f"{'REFUSED':<15} {check.url} ({detail})"
    elif state == "failed":
        text = f"{'FAILED':<15} {check.url} ({check.error})"
    else:
        text = f"{'NOT READ':<15} {check.url}"
    return f"  {check.kind:<7} {check.label:<20} {text}"


def format_report(report: Report) -> list[str]:
    """The report as text: the list pages, the articles checked, and per field and article
    where the value came from / what the visible markup alone gives."""
    lines = [f"Site {report.base_url}"]
    lines += [_list_line(c) for c in report.lists]
    articles = sorted(report.articles, key=_template_order)
    checked = [a for a in articles if a.type]
    for a in articles:
        lines.append(f"  {a.type or 'FAILED':<7} {a.url}" + (f" ({a.error})" if a.error else ""))
        lines += [f"          note: {note}" for note in a.notes]
    if checked:
        lines.append("")
        lines.append((f"{'field':<15}" + "".join(f"{a.type:<{CELL}}" for a in checked)).rstrip())
        for name in SOURCED_FIELDS:
            mark = "*" if name in report.expected else " "
            cells = []
            for a in checked:
                kinds = a.fields[name]
                text = f"{kinds['whole'] or 'MISSING'} / {kinds['markup_alone'] or '-'}"
                cells.append(f"{text:<{CELL}}")
            lines.append(f"{name + mark:<15}" + "".join(cells).rstrip())
        lines.append(
            "(where the page gives the field / what its visible markup alone gives; "
            "* must be found)"
        )
    return lines
