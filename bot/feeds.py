"""RSS and Atom feeds: add, list, remove, and poll them for new articles.

A poll asks each feed with its ETag / Last-Modified (a 304 costs nothing),
reads it with feedparser (RSS 0.9x, 1.0, 2.0, Atom), and fetches each new
entry's link as a page (:func:`bot.web_ingest.ingest_url`), at most
``max_entries`` per feed and poll, newest first. A feed that fails keeps its
error and is held back with a growing delay; one failing feed never stops
the others. :func:`poll_feeds` returns the ids of the new articles, for
whatever should hear about them (alerts).
"""

from __future__ import annotations

import calendar
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.errors import DealflowError, FetchError, InputError, UsageError
from bot.web import WebClient, canonical_url, check_host
from bot.web_ingest import ArticleResult, Timings, ingest_url
from storage import feeds as store
from storage.db import Database
from storage.feeds import Feed

logger = logging.getLogger(__name__)

DEFAULT_MAX_ENTRIES = 50
DEFAULT_INTERVAL = timedelta(minutes=10)
#: The longest a failing feed is held back.
MAX_BACKOFF = timedelta(hours=24)
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


# --- reading a feed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One item of a feed: its link (canonical) and its date, if it gives them."""

    link: str | None
    published: str | None
    title: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    version: str
    entries: list[Entry]


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date().isoformat()
    return None


def _entry_link(entry: Any) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
        link = entry["id"]
    return str(link).strip() if link else None


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Read an RSS or Atom document; raise :class:`FetchError` if it is none."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
    version = str(parsed.get("version") or "")
    if not version:
        problem = parsed.get("bozo_exception")
        why = f" ({str(problem).strip()})" if problem else ""
        raise FetchError(url, f"not an RSS or Atom feed{why}")
    if parsed.get("bozo") and not parsed.entries:
        raise FetchError(url, f"broken feed ({str(parsed.get('bozo_exception', '')).strip()})")
    entries = [
        Entry(link=_entry_link(e), published=_entry_date(e), title=e.get("title"))
        for e in parsed.entries
    ]
    title = parsed.feed.get("title") or None
    return ParsedFeed(title=str(title).strip() if title else None, version=version, entries=entries)


def newest_first(entries: Sequence[Entry]) -> list[Entry]:
    """Dated entries newest first, then undated ones in the feed's own order."""
    dated = sorted(
        (e for e in entries if e.published), key=lambda e: e.published or "", reverse=True
    )
    return dated + [e for e in entries if not e.published]


# --- managing feeds ------------------------------------------------------------------------


async def add_feed(db: Database, url: str, *, allow_private: bool = False) -> tuple[Feed, bool]:
    """Add a feed by URL (canonical form); return it and whether it is new.

    Refuses what could never be fetched: other schemes, and private addresses
    unless allowed.
    """
    try:
        canonical = canonical_url(url)
        await check_host(canonical, allow_private=allow_private)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    async with db.transaction():
        added = await store.add_feed(db, canonical)
    feed = await store.get_feed(db, url=canonical)
    assert feed is not None
    return feed, added


async def find_feed(db: Database, ref: str) -> Feed | None:
    """A feed by its number (as ``feeds list`` shows it) or its URL."""
    ref = ref.strip()
    if ref.isdigit():
        return await store.get_feed(db, feed_id=int(ref))
    try:
        return await store.get_feed(db, url=canonical_url(ref))
    except InputError:
        return None


async def remove_feed(db: Database, ref: str) -> Feed:
    """Remove a feed by number or URL (the articles it brought stay)."""
    feed = await find_feed(db, ref)
    if feed is None:
        raise UsageError(f"no feed {ref!r}; `feeds list` shows them")
    async with db.transaction():
        await store.delete_feed(db, feed.id)
    return feed


async def list_feeds(db: Database) -> list[Feed]:
    return await store.list_feeds(db)


# --- polling -------------------------------------------------------------------------------


@dataclass
class FeedResult:
    """What one poll of one feed did."""

    feed: Feed
    not_modified: bool = False
    error: str | None = None
    entries: int = 0
    capped: int = 0
    articles: list[ArticleResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def new_article_ids(self) -> list[int]:
        return [a.article_id for a in self.articles if a.status == "new" and a.article_id]


@dataclass
class PollReport:
    """What one poll of every (due) feed did; ``new_article_ids`` is for alerts."""

    feeds: list[FeedResult] = field(default_factory=list)

    @property
    def new_article_ids(self) -> list[int]:
        return [article_id for result in self.feeds for article_id in result.new_article_ids]

    @property
    def failed_feeds(self) -> list[FeedResult]:
        return [result for result in self.feeds if result.error]


def backoff(failures: int, interval: timedelta) -> timedelta:
    """How long a feed that failed ``failures`` times in a row waits: doubling, at most a day."""
    delay: timedelta = interval * 2 ** min(failures, 16)
    return min(delay, MAX_BACKOFF)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def poll_feed(
    db: Database,
    web: WebClient,
    feed: Feed,
    *,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    interval: timedelta = DEFAULT_INTERVAL,
    timings: Timings | None = None,
) -> FeedResult:
    """Poll one feed and ingest its new entries; record how it went on the feed."""
    result = FeedResult(feed=feed)
    now = datetime.now(UTC)
    headers = {"accept": ACCEPT}
    if feed.etag:
        headers["if-none-match"] = feed.etag
    if feed.last_modified:
        headers["if-modified-since"] = feed.last_modified
    try:
        fetched = await web.get(feed.url, headers=headers)
        if fetched.status == 304:
            result.not_modified = True
            parsed = None
        else:
            parsed = parse_feed(
                fetched.body, url=feed.url, content_type=fetched.headers.get("content-type")
            )
    except DealflowError as exc:
        result.error = exc.reason if isinstance(exc, InputError) else str(exc)
        async with db.transaction():
            await store.record_feed_failure(
                db,
                feed.id,
                error=result.error,
                now=_iso(now),
                next_poll_at=_iso(now + backoff(feed.failures + 1, interval)),
            )
        logger.warning("feed %s failed: %s", feed.url, result.error)
        return result
    if parsed is not None:
        await _ingest_entries(db, web, feed, parsed, result, max_entries, timings)
    async with db.transaction():
        await store.record_feed_success(
            db,
            feed.id,
            title=parsed.title if parsed else None,
            etag=fetched.headers.get("etag") if parsed else feed.etag,
            last_modified=fetched.headers.get("last-modified") if parsed else feed.last_modified,
            now=_iso(now),
        )
    return result


async def _ingest_entries(
    db: Database,
    web: WebClient,
    feed: Feed,
    parsed: ParsedFeed,
    result: FeedResult,
    max_entries: int,
    timings: Timings | None,
) -> None:
    seen = await store.list_seen_entries(db, feed.id)
    fresh: list[tuple[str, Entry]] = []
    for entry in newest_first(parsed.entries):
        if not entry.link:
            result.notes.append(f"{feed.url}: an entry has no link ({entry.title or 'untitled'})")
            continue
        try:
            link = canonical_url(urljoin(feed.url, entry.link))  # links may be relative
        except InputError as exc:
            result.notes.append(f"{entry.link}: {exc.reason}")
            continue
        if link not in seen and all(link != f for f, _ in fresh):
            fresh.append((link, entry))
    result.entries = len(fresh)
    if len(fresh) > max_entries:
        result.capped = len(fresh) - max_entries
        result.notes.append(
            f"{feed.url}: {len(fresh)} new entries, reading the newest {max_entries} this time"
        )
        fresh = fresh[:max_entries]
    for link, entry in fresh:
        article = await ingest_url(db, web, link, published=entry.published, timings=timings)
        result.articles.append(article)
        if article.status == "failed":
            result.notes.append(f"{link}: {article.reason}")
        if article.status == "failed" and article.transient:
            continue  # tried again at the next poll
        async with db.transaction():
            await store.record_entry(
                db,
                feed.id,
                link,
                article_id=article.article_id,
                error=article.reason if article.status == "failed" else None,
            )


async def poll_feeds(
    db: Database,
    web: WebClient,
    *,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    interval: timedelta = DEFAULT_INTERVAL,
    due_only: bool = True,
    timings: Timings | None = None,
) -> PollReport:
    """Poll every feed (only those not held back by backoff when ``due_only``).

    A feed that raises something unexpected is logged and recorded as failed;
    the others go on.
    """
    report = PollReport()
    now = _iso(datetime.now(UTC))
    started = time.perf_counter()
    for feed in await store.list_feeds(db):
        if due_only and feed.next_poll_at and feed.next_poll_at > now:
            continue
        try:
            result = await poll_feed(
                db, web, feed, max_entries=max_entries, interval=interval, timings=timings
            )
        except Exception as exc:  # one bad feed never stops the others
            logger.exception("polling %s failed", feed.url)
            result = FeedResult(feed=feed, error=f"internal error ({type(exc).__name__})")
            try:
                async with db.transaction():
                    await store.record_feed_failure(
                        db,
                        feed.id,
                        error=result.error or "",
                        now=now,
                        next_poll_at=_iso(datetime.now(UTC) + backoff(feed.failures + 1, interval)),
                    )
            except DealflowError:
                logger.exception("could not record the failure of %s", feed.url)
        report.feeds.append(result)
    logger.info(
        "polled %d feeds in %.1f s: %d new articles, %d failed",
        len(report.feeds),
        time.perf_counter() - started,
        len(report.new_article_ids),
        len(report.failed_feeds),
    )
    return report
