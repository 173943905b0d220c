"""Feeds: the four formats, conditional requests, failures, caps, the CLI and the bot's job."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from webserver import Route, Seen, WebServer, article_html, serving

from bot import feeds
from bot.cli import main
from bot.errors import FetchError, UsageError
from bot.web import WebClient, open_web_client
from storage.db import Database
from storage.feeds import list_feeds
from storage.queries import get_stats

STORIES = [
    (
        "Mistral AI raises money",
        "Mistral AI has raised 1.7 billion euros in a funding round led by ASML, the company said.",
        "2025-09-09",
    ),
    (
        "Nvidia và xAI",
        "Nvidia đã đồng ý đầu tư 2 tỷ USD vào xAI trong vòng gọi vốn mới, theo nguồn tin.",
        "2025-10-08",
    ),
    (
        "IREN contract",
        "Microsoft signed a 9.7 billion dollar contract with IREN for cloud capacity, they said.",
        "2025-11-03",
    ),
]
RSS_DATES = ["Tue, 09 Sep 2025 08:00:00 GMT", "Wed, 08 Oct 2025 01:00:00 GMT"]
RSS_DATES += ["Mon, 03 Nov 2025 10:00:00 GMT"]


def serve_stories(site: WebServer, prefix: str = "/story") -> list[str]:
    """Serve one page per story; return their URLs."""
    urls = []
    for n, (title, sentence, date) in enumerate(STORIES):
        more = "The money will pay for data centres and new staff over the next two years."
        body = article_html(title, [sentence, more], date=date, site="Feed Test")
        site.routes[f"{prefix}/{n}"] = Route(body)
        urls.append(site.url(f"{prefix}/{n}"))
    return urls


def rss2(links: list[str], dates: list[str | None] | None = None) -> bytes:
    dates = dates or list(RSS_DATES)
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "<description>Short teaser.</description></item>"
        for n, (link, date) in enumerate(zip(links, dates, strict=False))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>AI Money (RSS 2.0)</title><link>http://x/</link><description>d</description>"
        f"{items}</channel></rss>"
    ).encode()


def rss1(links: list[str]) -> bytes:
    seq = "".join(f'<rdf:li rdf:resource="{link}"/>' for link in links)
    items = "".join(
        f'<item rdf:about="{link}"><title>Story {n}</title><link>{link}</link>'
        f"<dc:date>{STORIES[n][2]}T08:00:00Z</dc:date></item>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="http://x/"><title>AI Money (RSS 1.0)</title><link>http://x/</link>'
        f"<description>d</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>"
        f"{items}</rdf:RDF>"
    ).encode()


def rss091(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link></item>" for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0"?><rss version="0.91"><channel><title>AI Money (RSS 0.91)</title>'
        f"<link>http://x/</link><description>d</description><language>en</language>{items}"
        "</channel></rss>"
    ).encode()


def atom(links: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>Story {n}</title><link rel="alternate" href="{link}"/>'
        f"<id>urn:story:{n}</id><updated>{STORIES[n][2]}T08:00:00Z</updated></entry>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>AI Money (Atom)</title><id>urn:feed</id><updated>2025-11-03T08:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


XML = {"Content-Type": "application/rss+xml; charset=utf-8"}


@pytest.fixture
def site() -> Iterator[WebServer]:
    with serving() as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[WebClient]:
    async with open_web_client(allow_private=True, deadline=2.0) as opened:
        yield opened


async def add(db: Database, url: str) -> int:
    feed, added = await feeds.add_feed(db, url, allow_private=True)
    assert added
    return feed.id


@pytest.mark.parametrize(
    ("builder", "version", "title"),
    [
        (rss2, "rss20", "AI Money (RSS 2.0)"),
        (rss1, "rss10", "AI Money (RSS 1.0)"),
        (rss091, "rss091u", "AI Money (RSS 0.91)"),
        (atom, "atom10", "AI Money (Atom)"),
    ],
)
async def test_every_format_brings_its_entries_as_articles(
    db: Database, site: WebServer, client: WebClient, builder: object, version: str, title: str
) -> None:
    links = serve_stories(site)
    body = builder(links)  # type: ignore[operator]
    parsed = feeds.parse_feed(body, url="x")
    assert parsed.version == version and parsed.title == title
    site.routes["/feed.xml"] = Route(body, headers=XML)
    await add(db, site.url("/feed.xml"))
    report = await feeds.poll_feeds(db, client)
    [result] = report.feeds
    assert result.error is None and result.entries == 3
    assert len(report.new_article_ids) == 3
    [feed] = await list_feeds(db)
    assert feed.title == title and feed.last_success_at and feed.failures == 0
    stats = await get_stats(db)
    assert (stats.articles, stats.facts) == (3, 3)
    rows = await db.fetchall("SELECT path, published, source FROM articles ORDER BY published")
    assert [tuple(r) for r in rows] == [
        (links[0], "2025-09-09", "Feed Test"),
        (links[1], "2025-10-08", "Feed Test"),
        (links[2], "2025-11-03", "Feed Test"),
    ]


async def test_conditional_requests_get_304_and_fetch_nothing(
    db: Database, site: WebServer, client: WebClient
) -> None:
    links = serve_stories(site)
    body = rss2(links)

    def conditional(seen: Seen) -> Route:
        if seen.headers.get("if-none-match") == '"v1"':
            return Route(status=304, headers={"ETag": '"v1"'})
        headers = {**XML, "ETag": '"v1"', "Last-Modified": "Mon, 03 Nov 2025 10:00:00 GMT"}
        return Route(body, headers=headers)

    site.routes["/feed.xml"] = conditional
    await add(db, site.url("/feed.xml"))
    first = await feeds.poll_feeds(db, client)
    second = await feeds.poll_feeds(db, client)
    assert len(first.new_article_ids) == 3
    assert second.feeds[0].not_modified and second.new_article_ids == []
    [_, again] = site.hits("/feed.xml")
    assert again.headers["if-none-match"] == '"v1"'
    assert again.headers["if-modified-since"] == "Mon, 03 Nov 2025 10:00:00 GMT"
    assert sum(len(site.hits(f"/story/{n}")) for n in range(3)) == 3
    [feed] = await list_feeds(db)
    assert feed.etag == '"v1"' and feed.last_error is None


async def test_seen_entries_are_not_fetched_again(
    db: Database, site: WebServer, client: WebClient
) -> None:
    links = serve_stories(site)
    site.routes["/feed.xml"] = Route(rss2(links[:2]), headers=XML)
    await add(db, site.url("/feed.xml"))
    await feeds.poll_feeds(db, client)
    site.routes["/feed.xml"] = Route(rss2(links), headers=XML)
    report = await feeds.poll_feeds(db, client)
    assert len(report.new_article_ids) == 1
    assert [len(site.hits(f"/story/{n}")) for n in range(3)] == [1, 1, 1]


async def test_a_broken_feed_keeps_its_error_and_never_stops_the_others(
    db: Database, site: WebServer, client: WebClient
) -> None:
    links = serve_stories(site)
    site.routes["/broken.xml"] = Route(b"<rss version='2.0'><channel><title>x</ti", headers=XML)
    site.routes["/html"] = Route(b"<html><body><p>Not a feed at all.</p></body></html>")
    site.routes["/down.xml"] = Route(b"", status=503)
    site.routes["/good.xml"] = Route(rss2(links), headers=XML)
    for path in ("/broken.xml", "/html", "/down.xml", "/good.xml"):
        await add(db, site.url(path))
    report = await feeds.poll_feeds(db, client, interval=timedelta(minutes=10))
    errors = {r.feed.url: r.error for r in report.feeds}
    assert errors[site.url("/down.xml")] == "HTTP 503 Service Unavailable"
    assert errors[site.url("/html")] is not None
    assert errors[site.url("/html")].startswith("not an RSS or Atom feed")
    assert errors[site.url("/broken.xml")] is not None
    assert errors[site.url("/good.xml")] is None
    assert len(report.new_article_ids) == 3
    stored = {f.url: f for f in await list_feeds(db)}
    down = stored[site.url("/down.xml")]
    assert down.failures == 1 and down.last_error == "HTTP 503 Service Unavailable"
    assert down.next_poll_at is not None and down.last_success_at is None
    # held back: the next round skips the failing feeds, a forced poll does not
    site.routes["/down.xml"] = Route(rss2(links), headers=XML)
    later = await feeds.poll_feeds(db, client)
    assert [r.feed.url for r in later.feeds] == [site.url("/good.xml")]
    forced = await feeds.poll_feeds(db, client, due_only=False)
    recovered = next(r for r in forced.feeds if r.feed.url == site.url("/down.xml"))
    assert recovered.error is None
    down = {f.url: f for f in await list_feeds(db)}[site.url("/down.xml")]
    assert (down.failures, down.last_error, down.next_poll_at) == (0, None, None)


def test_backoff_doubles_up_to_a_day() -> None:
    ten = timedelta(minutes=10)
    assert [feeds.backoff(n, ten) for n in (1, 2, 3)] == [ten * 2, ten * 4, ten * 8]
    assert feeds.backoff(40, ten) == timedelta(hours=24)


async def test_thousands_of_entries_are_capped_per_poll(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.routes["/page"] = lambda seen: Route(
        article_html(
            f"Item {seen.path}",
            [f"Story {seen.path} tells of nothing money related, only of weather and roads."],
        )
    )
    links = [site.url(f"/page?n={n}") for n in range(3000)]
    site.routes["/big.xml"] = Route(rss2(links, [None] * len(links)), headers=XML)
    await add(db, site.url("/big.xml"))
    report = await feeds.poll_feeds(db, client, max_entries=25)
    [result] = report.feeds
    assert (result.entries, result.capped, len(result.articles)) == (3000, 2975, 25)
    assert "3000 new entries, reading the newest 25 this time" in result.notes[0]
    assert len(site.hits("/page")) == 25
    again = await feeds.poll_feeds(db, client, max_entries=25)
    assert again.feeds[0].entries == 2975


async def test_entries_without_links_or_dates(
    db: Database, site: WebServer, client: WebClient
) -> None:
    links = serve_stories(site)
    undated = article_html("Undated", [STORIES[2][1], "More words about the deal here."], date=None)
    site.routes["/undated"] = Route(undated)
    body = rss2([links[0], "", site.url("/undated")], [RSS_DATES[0], None, None])
    body = body.replace(b"<link></link>", b"")
    site.routes["/feed.xml"] = Route(body, headers=XML)
    await add(db, site.url("/feed.xml"))
    report = await feeds.poll_feeds(db, client)
    [result] = report.feeds
    assert result.notes == [f"{site.url('/feed.xml')}: an entry has no link (Story 1)"]
    assert [a.status for a in result.articles] == ["new", "new"]
    rows = await db.fetchall("SELECT path, published FROM articles ORDER BY id")
    assert [tuple(r) for r in rows] == [(links[0], "2025-09-09"), (site.url("/undated"), None)]


async def test_failed_entries_are_noted_and_leave_nothing(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.routes["/pdf"] = Route(b"%PDF", headers={"Content-Type": "application/pdf"})
    site.routes["/feed.xml"] = Route(rss2([site.url("/pdf"), site.url("/404")]), headers=XML)
    await add(db, site.url("/feed.xml"))
    report = await feeds.poll_feeds(db, client)
    assert report.feeds[0].notes == [  # newest entry first
        f"{site.url('/404')}: HTTP 404 Not Found",
        f"{site.url('/pdf')}: not an HTML page (content type application/pdf)",
    ]
    assert (await get_stats(db)).articles == 0
    await feeds.poll_feeds(db, client)
    assert len(site.hits("/pdf")) == 1  # failed for good: not fetched again


async def test_adding_checks_the_url_and_the_address(db: Database) -> None:
    with pytest.raises(UsageError, match="only http and https"):
        await feeds.add_feed(db, "file:///etc/passwd")
    with pytest.raises(UsageError, match="loopback"):
        await feeds.add_feed(db, "http://127.0.0.1:9/feed")
    feed, added = await feeds.add_feed(
        db, "HTTP://127.0.0.1:9/feed?utm_source=x", allow_private=True
    )
    assert (feed.url, added) == ("http://127.0.0.1:9/feed", True)
    assert (await feeds.add_feed(db, "http://127.0.0.1:9/feed", allow_private=True))[1] is False
    assert (await feeds.remove_feed(db, str(feed.id))).url == feed.url
    with pytest.raises(UsageError, match="no feed"):
        await feeds.remove_feed(db, "7")


def test_parse_feed_refuses_what_is_no_feed() -> None:
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        feeds.parse_feed(b"just text", url="x")


# --- the command line ----------------------------------------------------------------------


def test_cli_feeds_add_list_poll_remove(
    tmp_path: Path,
    site: WebServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEALFLOW_ALLOW_PRIVATE_URLS", "1")
    db = ["--db", str(tmp_path / "d.db")]
    links = serve_stories(site)
    site.routes["/feed.xml"] = Route(rss2(links), headers=XML)
    site.routes["/down.xml"] = Route(b"", status=500)
    assert main(["feeds", "add", site.url("/feed.xml"), *db]) == 0
    assert main(["feeds", "add", site.url("/down.xml"), *db]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"added: 1  {site.url('/feed.xml')}",
        f"added: 2  {site.url('/down.xml')}",
    ]
    assert main(["feeds", "poll", *db]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{site.url('/feed.xml')}: 3 new entries, 3 articles stored (3 facts), "
        "0 already known, 0 failed",
        f"{site.url('/down.xml')}: failed: HTTP 500 Internal Server Error",
        "new articles: 3",
    ]
    assert main(["feeds", "list", *db]) == 0
    listing = capsys.readouterr().out
    assert f"1  {site.url('/feed.xml')}  AI Money (RSS 2.0)" in listing
    assert "last success: never" in listing
    assert "last error (1 in a row, at " in listing and "HTTP 500 Internal Server Error" in listing
    assert main(["feeds", "remove", "2", *db]) == 0
    assert main(["feeds", "remove", "2", *db]) == 2
    assert "no feed '2'" in capsys.readouterr().err


async def test_relative_entry_links_are_read_against_the_feed(
    db: Database, site: WebServer, client: WebClient
) -> None:
    serve_stories(site, prefix="/news")
    site.routes["/feeds/ai.xml"] = Route(rss2(["/news/0", "../news/1"]), headers=XML)
    await add(db, site.url("/feeds/ai.xml"))
    report = await feeds.poll_feeds(db, client)
    assert [a.path for a in report.feeds[0].articles] == [site.url("/news/1"), site.url("/news/0")]
    assert len(report.new_article_ids) == 2
