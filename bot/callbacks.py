"""The data inline buttons carry (``callback_data``): short, readable, within 64 bytes.

::

    p:<page>:<listing code>:<argument>   a page of a listing whose argument fits
    q:<page>:<saved query id>            a page of a listing kept in ``saved_queries``
    s:<fact id>                          the sources of one fact
    x                                    a button that does nothing (the page counter)

Listing codes: d deals, r revenue, v valuation, c company, l latest, s search.
Pages count from 1. Everything a button needs is in its data or in the
database, so buttons keep working after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Listing = Literal["deals", "revenue", "valuation", "company", "latest", "search"]

#: Telegram's limit for ``callback_data``, in bytes.
MAX_CALLBACK_DATA = 64
#: The data of a button that does nothing.
NOOP = "x"

_CODES: dict[Listing, str] = {
    "deals": "d",
    "revenue": "r",
    "valuation": "v",
    "company": "c",
    "latest": "l",
    "search": "s",
}
_LISTINGS: dict[str, Listing] = {code: listing for listing, code in _CODES.items()}
#: Room kept for the page number when checking that data fits.
_LONGEST_PAGE = "999999"


@dataclass(frozen=True)
class PageKey:
    """What a listing's page buttons carry besides the page: the query, or its saved id."""

    prefix: str
    rest: str

    def data(self, page: int) -> str:
        return f"{self.prefix}:{page}:{self.rest}"


@dataclass(frozen=True)
class PageButton:
    """A press on a page button: which page of which query (inline, or saved by id)."""

    page: int
    listing: Listing | None = None
    arg: str = ""
    query_id: int | None = None


@dataclass(frozen=True)
class SourcesButton:
    """A press on a fact's sources button."""

    fact_id: int


def inline_page_key(listing: Listing, arg: str) -> PageKey | None:
    """The key carrying the query itself, or None when it would not fit in 64 bytes."""
    key = PageKey("p", f"{_CODES[listing]}:{arg}")
    return key if len(key.data(int(_LONGEST_PAGE)).encode()) <= MAX_CALLBACK_DATA else None


def saved_page_key(query_id: int) -> PageKey:
    """The key carrying a saved query's id."""
    return PageKey("q", str(query_id))


def sources_data(fact_id: int) -> str:
    """The data of the button opening one fact's sources."""
    return f"s:{fact_id}"


def parse_callback_data(data: str) -> PageButton | SourcesButton | None:
    """Read a button's data; None for the no-op button and for data we never wrote."""
    kind, _, rest = data.partition(":")
    try:
        if kind == "s":
            return SourcesButton(int(rest))
        if kind == "p":
            page, code, arg = rest.split(":", 2)
            return PageButton(int(page), listing=_LISTINGS[code], arg=arg)
        if kind == "q":
            page, query_id = rest.split(":", 1)
            return PageButton(int(page), query_id=int(query_id))
    except (ValueError, KeyError):
        return None
    return None


def listing_code(listing: str) -> Listing | None:
    """The listing a stored name stands for, if it is one."""
    return listing if listing in _CODES else None
