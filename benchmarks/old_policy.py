"""The incremental policy newscrawl had before revisits on a schedule, for bench_incremental.py.

Every incremental run fetched again each stored article younger than REFETCH_RECENT_DAYS (2)
that its walk listed, so the walk went through two days of list pages every run. This spider
is the current one with that walk put back (its own name, so its runs leave no watermark the
current spider would read); benchmarks/bench_incremental.py runs it with
NEWSCRAWL_REVISIT_AFTER empty, on a site identical to the one the current policy crawls.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from newscrawl.site.navigation import read_index
from newscrawl.spiders.liputan6 import Liputan6Spider, _parse_listed_time
from newscrawl.stats import PREFIX


class OldPolicySpider(Liputan6Spider):
    """Incremental runs that refetch every young stored article their walk lists."""

    name = "liputan6_old_policy"

    async def parse_incremental(self, response, channel: str, reached: str, page: int):
        """The walk as it was: young stored articles fetched again, older ones end it."""
        listing = read_index(response.text, response.url)
        if not self._list_page("incremental", response, listing):
            return
        items = listing.items
        walk = self.state.setdefault("incremental", {}).setdefault(
            channel, {"days_back": 0, "stored_run": 0, "stopped": False}
        )
        when = date.fromisoformat(reached)
        if walk.get("day") != reached:
            walk["day"], walk["seen"] = reached, []
        ids = [item.article_id for item in items]
        known = set(walk["seen"])
        if ids and known.issuperset(ids):
            items = []
        walk["seen"].extend(i for i in ids if i not in known)
        if not items:
            max_days = self.settings.getint("INCREMENTAL_MAX_DAYS", 7)
            if walk["days_back"] + 1 < max_days and not walk["stopped"]:
                walk["days_back"] += 1
                yield self._incremental_request(channel, when - timedelta(days=1), 1)
            return
        stop_after = self.settings.getint("INCREMENTAL_STOP_AFTER", 20)
        recent = datetime.now(UTC) - timedelta(days=2)  # REFETCH_RECENT_DAYS's default
        stored = await self.keeper.articles.stored_ids([i.article_id for i in items])
        for item in items:
            if item.article_id in stored:
                published = _parse_listed_time(item.published)
                if published is not None and published >= recent:
                    self.crawler.stats.inc_value(f"{PREFIX}/incremental/refetched")
                    self.keeper.listed.listed([item.article_id])
                    yield self._article_request(item.url, article_id=item.article_id)
                    continue
                walk["stored_run"] += 1
                if walk["stored_run"] >= stop_after:
                    walk["stopped"] = True
                    return
                continue
            walk["stored_run"] = 0
            self.keeper.listed.listed([item.article_id])
            yield self._article_request(item.url, article_id=item.article_id)
        yield self._incremental_request(channel, when, page + 1)
