"""`newscrawl check-site`: does extraction still work on the live site?

A handful of polite requests through Scrapy with the project's settings (User-Agent,
robots.txt, download delay, timeout, retries), so the check sees the site exactly as a crawl
does: a few channel fronts, then one recent article of each template (text, photo, video).
Each article is extracted twice, whole and without its structured data, and every field
is reported by where it came from. The command an operator runs after a redesign, or cron
runs daily.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import scrapy
from twisted.python.failure import Failure

from newscrawl.extensions.coverage import source_kind
from newscrawl.site.extraction import (
    SOURCED_FIELDS,
    NotAnArticle,
    extract_article_pages,
    without_structured_data,
)
from newscrawl.site.navigation import channel_items, channel_url, rebase
from newscrawl.site.urls import parse_article_url, type_from_url

EXIT_OK = 0
EXIT_LOST = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
# What every article must still give; the rest of SOURCED_FIELDS is reported only.
EXPECTED_FIELDS = ("title", "published_at", "authors", "section", "summary", "body", "tags")
TYPES = ("text", "photo", "video")
DEFAULT_CHANNELS = ("news", "bisnis", "showbiz")
DEFAULT_MAX_ARTICLES = 6


@dataclass
class FrontCheck:
    """One channel front: how many articles it lists, or why it could not be read."""

    channel: str
    url: str
    listed: int | None = None
    error: str | None = None


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
    fronts: list[FrontCheck] = field(default_factory=list)
    articles: list[ArticleCheck] = field(default_factory=list)

    @property
    def unreachable(self) -> str | None:
        """Why the site could not be read at all (no front answered), else None."""
        if self.fronts and all(f.error for f in self.fronts):
            return self.fronts[0].error
        return None

    @property
    def problems(self) -> list[str]:
        """One line per thing that is wrong with the site, for an operator."""
        out = [f"front {f.url} lists no article" for f in self.fronts if f.listed == 0]
        out += [f"front {f.url} could not be read: {f.error}" for f in self.fronts if f.error]
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
            return EXIT_UNREACHABLE
        return EXIT_LOST if self.problems else EXIT_OK

    def to_json(self) -> dict:
        return {
            **asdict(self),
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
    """Channel fronts, then a recent article of each template; fills a Report."""

    name = "check-site"

    def __init__(self, report: Report, channels, max_articles: int, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        self.channels = tuple(channels)
        self.max_articles = max_articles
        self._fronts_left = len(self.channels)
        self._candidates: list[tuple[str, str]] = []
        self._in_flight: dict[str, int] = dict.fromkeys(TYPES, 0)
        self._found: set[str] = set()
        self._asked = 0

    async def start(self):
        for channel in self.channels:
            url = channel_url(self.report.base_url, channel)
            front = FrontCheck(channel, url)
            self.report.fronts.append(front)
            yield scrapy.Request(
                url,
                callback=self.parse_front,
                errback=self.front_failed,
                cb_kwargs={"front": front},
                dont_filter=True,
            )

    def parse_front(self, response, front: FrontCheck):
        listed = channel_items(response.text, response.url)
        front.listed = len(listed)
        # (the template its canonical URL suggests, where to fetch it)
        self._candidates += [
            (guess_type(item.url), url)
            for item in listed
            if (url := rebase(item.url, self.report.base_url))
        ]
        return self._front_done()

    def front_failed(self, failure: Failure):
        front = failure.request.cb_kwargs["front"]
        front.error = _error_text(failure)
        return self._front_done()

    def _front_done(self) -> list:
        self._fronts_left -= 1
        return self._next_articles() if self._fronts_left == 0 else []

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
        check = check_article(response.text, response.url)
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


def run_check(settings, channels, max_articles: int = DEFAULT_MAX_ARTICLES) -> Report:
    """Run the check with these (project) settings; blocks until it is done."""
    from scrapy.crawler import CrawlerProcess

    report = Report(base_url=settings.get("LIPUTAN6_BASE_URL").rstrip("/"))
    process = CrawlerProcess(settings)
    process.crawl(SiteCheckSpider, report=report, channels=channels, max_articles=max_articles)
    process.start()
    report.articles.sort(key=_template_order)  # text, photo, video, then failed pages
    return report


def _template_order(article: ArticleCheck) -> int:
    return TYPES.index(article.type) if article.type in TYPES else len(TYPES)


CELL = 22


def format_report(report: Report) -> list[str]:
    """The report as text: fronts, the articles checked, and per field and article where
    the value came from / what the visible markup alone gives."""
    lines = [f"Site {report.base_url}"]
    for f in report.fronts:
        state = f"{f.listed} articles listed" if f.error is None else f"FAILED ({f.error})"
        lines.append(f"  front {f.channel:<10} {state}")
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
