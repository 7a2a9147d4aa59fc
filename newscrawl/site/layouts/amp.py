"""The AMP article (m.liputan6.com/amp/...): the mobile markup in AMP's elements."""

from __future__ import annotations

from newscrawl.site.layouts.mobile import MobileLayout
from newscrawl.site.layouts.pagedata import PageData


class AmpLayout(MobileLayout):
    """An AMP article: an <html amp> (or ⚡) page with the mobile article's markup."""

    name = "amp"
    tags_css = "a.tags--topics--item__link, a.tags__list-item-link"

    @classmethod
    def recognises(cls, page: PageData, walk: bool = True) -> bool:
        if not MobileLayout.recognises(page, walk):
            return False
        root = page.tree.root
        attrs = root.attributes if root is not None else {}
        return "amp" in attrs or "⚡" in attrs or bool(page.tree.tags("amp-img"))
