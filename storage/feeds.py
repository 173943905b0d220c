"""Queries for articles read from the web and the feeds that bring them (migrations 0004, 0007)."""

from __future__ import annotations

from pydantic import BaseModel

from bot.models import StoredArticle
from storage.db import Database, utc_now


class Feed(BaseModel):
    """A feed as the store keeps it: where it is, and how its last polls went."""

    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: str
    last_polled_at: str | None
    last_success_at: str | None
    last_error: str | None
    failures: int
    next_poll_at: str | None


_GET_ARTICLE_BY_PATH = """
SELECT id, sha256, path, published, language, title, source, added_at
FROM articles WHERE path = :path
"""


async def get_article_by_path(db: Database, path: str) -> StoredArticle | None:
    """The article stored under ``path`` (a canonical URL), if any."""
    row = await db.fetchone(_GET_ARTICLE_BY_PATH, {"path": path})
    return None if row is None else StoredArticle.model_validate(dict(row))


_GET_ARTICLE_ID_BY_SHA = """
SELECT id FROM articles WHERE sha256 = :sha256 OR text_sha256 = :text_sha256
ORDER BY id LIMIT 1
"""


async def get_article_id_by_sha(
    db: Database, sha256: str, *, text_sha256: str | None = None
) -> int | None:
    """The id of the article with this SHA-256 (of its raw bytes) or, when given,
    this SHA-256 of its text (migration 0007), if any."""
    params = {"sha256": sha256, "text_sha256": text_sha256}
    row = await db.fetchone(_GET_ARTICLE_ID_BY_SHA, params)
    return None if row is None else int(row["id"])


_FEED_COLUMNS = """
id, url, title, etag, last_modified, added_at, last_polled_at, last_success_at,
last_error, failures, next_poll_at
"""
_LIST_FEEDS = f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id"  # noqa: S608 (a constant)
_GET_FEED = f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = :id OR url = :url"  # noqa: S608
_ADD_FEED = """
INSERT INTO feeds (url, added_at) VALUES (:url, :now)
ON CONFLICT (url) DO NOTHING
"""
_DELETE_FEED = """
DELETE FROM feeds WHERE id = :id
"""


async def list_feeds(db: Database) -> list[Feed]:
    """Every feed, oldest added first."""
    return [Feed.model_validate(dict(row)) for row in await db.fetchall(_LIST_FEEDS)]


async def get_feed(
    db: Database, *, feed_id: int | None = None, url: str | None = None
) -> Feed | None:
    """The feed with this id or this (canonical) URL, if any."""
    row = await db.fetchone(_GET_FEED, {"id": feed_id, "url": url})
    return None if row is None else Feed.model_validate(dict(row))


async def add_feed(db: Database, url: str) -> bool:
    """Add a feed by its canonical URL; False when it was already there."""
    result = await db.execute(_ADD_FEED, {"url": url, "now": utc_now()})
    return result.rowcount > 0


async def delete_feed(db: Database, feed_id: int) -> bool:
    """Remove a feed and its entries; False when there was none."""
    result = await db.execute(_DELETE_FEED, {"id": feed_id})
    return result.rowcount > 0


_FEED_SUCCEEDED = """
UPDATE feeds
SET title = COALESCE(:title, title),
    etag = :etag,
    last_modified = :last_modified,
    last_polled_at = :now,
    last_success_at = :now,
    last_error = NULL,
    failures = 0,
    next_poll_at = NULL
WHERE id = :id
"""
_FEED_FAILED = """
UPDATE feeds
SET last_polled_at = :now,
    last_error = :error,
    failures = failures + 1,
    next_poll_at = :next_poll_at
WHERE id = :id
"""


async def record_feed_success(
    db: Database,
    feed_id: int,
    *,
    title: str | None,
    etag: str | None,
    last_modified: str | None,
    now: str,
) -> None:
    """A poll went through: keep the validators for the next one, clear the error."""
    params = {"id": feed_id, "title": title, "etag": etag, "last_modified": last_modified}
    await db.execute(_FEED_SUCCEEDED, {**params, "now": now})


async def record_feed_failure(
    db: Database, feed_id: int, *, error: str, now: str, next_poll_at: str
) -> None:
    """A poll failed: keep the error, count it, and hold the feed back until ``next_poll_at``."""
    params = {"id": feed_id, "error": error, "next_poll_at": next_poll_at}
    await db.execute(_FEED_FAILED, {**params, "now": now})


_SEEN_ENTRIES = """
SELECT url FROM feed_entries WHERE feed_id = :feed_id
"""
_RECORD_ENTRY = """
INSERT INTO feed_entries (feed_id, url, article_id, error, seen_at)
VALUES (:feed_id, :url, :article_id, :error, :now)
ON CONFLICT (feed_id, url) DO UPDATE SET
    article_id = excluded.article_id, error = excluded.error, seen_at = excluded.seen_at
"""


async def list_seen_entries(db: Database, feed_id: int) -> set[str]:
    """The entry links of a feed already dealt with."""
    return {row["url"] for row in await db.fetchall(_SEEN_ENTRIES, {"feed_id": feed_id})}


async def record_entry(
    db: Database, feed_id: int, url: str, *, article_id: int | None, error: str | None
) -> None:
    """Note that a feed's entry was dealt with: stored as ``article_id``, or failed for good."""
    params = {"feed_id": feed_id, "url": url, "article_id": article_id, "error": error}
    await db.execute(_RECORD_ENTRY, {**params, "now": utc_now()})
