"""Articles and feeds sent to the bot: administrators only, answered with what was found."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram_harness import GROUP, BotHarness, assert_balanced_lines, running_bot, texts
from test_feeds import XML, rss2, serve_stories
from webserver import PAGES, Route, WebServer, serving

from bot import feeds
from storage.feeds import list_feeds
from storage.queries import get_stats

ADMIN = 42
STRANGER = 77
REFUSED = "Sorry, only the bot's administrators may add articles or feeds."


@pytest.fixture
def site() -> Iterator[WebServer]:
    with serving() as server:
        yield server


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(
        tmp_path / "bot.db", DEALFLOW_ADMINS=str(ADMIN), DEALFLOW_ALLOW_PRIVATE_URLS="1"
    ) as harness:
        yield harness


async def articles(bot: BotHarness) -> int:
    return (await get_stats(bot.application.bot_data.database)).articles


async def test_an_admin_sends_a_link_and_hears_the_facts(bot: BotHarness, site: WebServer) -> None:
    url = site.page("/news/mistral", "en_article.html")
    [text] = texts(await bot.send(url + "?utm_source=telegram", user_id=ADMIN))
    assert text.splitlines() == [
        "Stored <b>Mistral AI lands a record round led by ASML</b>: 2 facts.",
        "1. Mistral AI: investment €1.7B from ASML, completed, 2025-09-02",
        "2. Mistral AI: investment €1.3B, announced",
    ]
    [again] = texts(await bot.send(f"have a look: {url}", user_id=ADMIN))
    assert again == (
        "I already have this article (<b>Mistral AI lands a record round led by ASML</b>):"
        " nothing added."
    )
    assert len(site.hits("/news/mistral")) == 1


async def test_replies_follow_the_chat_language(bot: BotHarness, site: WebServer) -> None:
    url = site.page("/tin", "vi_article.html")
    [text] = texts(await bot.send(url, user_id=ADMIN, lang="vi"))
    assert text.startswith("Đã lưu <b>Nvidia rót 2 tỷ USD vào xAI</b>: 2 dữ kiện.")
    assert "xAI: đầu tư 2 tỷ USD" in text
    assert_balanced_lines(text)


async def test_a_bad_link_gets_its_reason_and_stores_nothing(
    bot: BotHarness, site: WebServer
) -> None:
    site.routes["/pdf"] = Route(b"%PDF", headers={"Content-Type": "application/pdf"})
    [text] = texts(await bot.send(site.url("/pdf"), user_id=ADMIN))
    assert (
        text
        == f"Could not read {site.url('/pdf')}: not an HTML page (content type application/pdf)"
    )
    [text] = texts(await bot.send("ftp://files.example.com/a", user_id=ADMIN))
    assert text == (
        "Could not read ftp://files.example.com/a: only http and https URLs are read,"
        " not &#x27;ftp&#x27;"
    )
    [text] = texts(await bot.send(site.url("/missing"), user_id=ADMIN))
    assert text == f"Could not read {site.url('/missing')}: HTTP 404 Not Found"
    assert await articles(bot) == 0


async def test_the_bot_refuses_private_addresses_unless_allowed(
    tmp_path: Path, site: WebServer
) -> None:
    url = site.page("/a", "en_article.html")
    async with running_bot(tmp_path / "strict.db", DEALFLOW_ADMINS=str(ADMIN)) as strict:
        [text] = texts(await strict.send(url, user_id=ADMIN))
    assert text == f"Could not read {url}: refused: 127.0.0.1 is a loopback address (127.0.0.1)"
    assert site.requests == []


async def test_an_admin_pastes_an_article(bot: BotHarness) -> None:
    pasted = "date 2025-10-08\n\nNvidia đã đồng ý đầu tư 2 tỷ USD vào xAI trong vòng gọi vốn mới."
    [text] = texts(await bot.send(pasted, user_id=ADMIN))
    assert text.startswith("Stored <b>telegram:42/")
    assert "xAI: investment $2B from Nvidia" in text
    chatter = "Our team met in Hanoi this week to talk about models, chips and hiring plans."
    [text] = texts(await bot.send(chatter, user_id=ADMIN))
    assert text.endswith("but it states no money fact I can read.")
    [text] = texts(await bot.send("hello there", user_id=ADMIN))
    assert text.endswith(": too short to be an article (2 words)")


async def test_an_admin_uploads_documents(bot: BotHarness) -> None:
    calls = await bot.send_document((PAGES / "en_article.html").read_bytes(), "mistral.html")
    [text] = texts([c for c in calls if c.method == "sendMessage"])
    assert text.startswith("Stored <b>Mistral AI lands a record round led by ASML</b>: 2 facts.")
    txt = "OpenAI đã ký hợp đồng trị giá 38 tỷ USD với Amazon Web Services.".encode()
    [text] = texts(
        [c for c in await bot.send_document(txt, "deal.txt") if c.method == "sendMessage"]
    )
    assert "Stored" in text and "38" in text
    [text] = texts(
        [
            c
            for c in await bot.send_document(b"\xff\xfe\x00x", "bad.txt")
            if c.method == "sendMessage"
        ]
    )
    assert text.endswith(": not valid UTF-8 text")
    [text] = texts(
        [c for c in await bot.send_document(b"%PDF", "a.pdf") if c.method == "sendMessage"]
    )
    assert text == "Send a .txt or .html file, a link, or the article's text."
    assert await articles(bot) == 2


async def test_anyone_else_is_told_politely(bot: BotHarness, site: WebServer) -> None:
    url = site.page("/a", "en_article.html")
    assert texts(await bot.send(url, user_id=STRANGER)) == [REFUSED]
    assert texts(await bot.send("Some pasted article text.", user_id=STRANGER)) == [REFUSED]
    calls = await bot.send_document(b"text", "a.txt", user_id=STRANGER)
    assert texts([c for c in calls if c.method == "sendMessage"]) == [REFUSED]
    assert texts(await bot.send("/feeds", user_id=STRANGER)) == [REFUSED]
    assert texts(await bot.send("/feeds add " + url, user_id=STRANGER)) == [REFUSED]
    assert site.requests == []
    assert await articles(bot) == 0


async def test_groups_ordinary_messages_get_no_answer(bot: BotHarness, site: WebServer) -> None:
    url = site.page("/a", "en_article.html")
    assert await bot.send(url, chat=GROUP, user_id=ADMIN) == []
    assert await bot.send("just chatting", chat=GROUP, user_id=STRANGER) == []
    assert site.requests == []


async def test_feeds_command_lists_adds_and_removes(bot: BotHarness, site: WebServer) -> None:
    [text] = texts(await bot.send("/feeds", user_id=ADMIN))
    assert text == "No feeds yet. Add one with /feeds add URL"
    url = site.url("/feed.xml")
    [text] = texts(await bot.send(f"/feeds add {url}?utm_source=x", user_id=ADMIN))
    assert text == f"Feed added: {url}. It is read every 10 minutes."
    [text] = texts(await bot.send(f"/feeds add {url}", user_id=ADMIN))
    assert text == f"That feed is already on the list: {url}"
    [text] = texts(await bot.send("/feeds", user_id=ADMIN))
    assert text.splitlines() == [
        "<b>Feeds</b> (1)",
        f"1. <b>untitled</b> · {url}",
        "    not read yet",
    ]
    [text] = texts(await bot.send("/feeds add ftp://x/feed", user_id=ADMIN))
    assert text == "ftp://x/feed: only http and https URLs are read, not &#x27;ftp&#x27;"
    [text] = texts(await bot.send("/feeds remove 1", user_id=ADMIN))
    assert text == f"Feed removed: {url}"
    [text] = texts(await bot.send("/feeds frobnicate", user_id=ADMIN))
    assert text.startswith("/feeds lists the feeds;")
    assert await list_feeds(bot.application.bot_data.database) == []


async def test_feeds_command_shows_failures(bot: BotHarness, site: WebServer) -> None:
    site.routes["/down.xml"] = Route(b"", status=500)
    await bot.send(f"/feeds add {site.url('/down.xml')}", user_id=ADMIN)
    [job] = bot.application.job_queue.get_jobs_by_name("poll-feeds")  # type: ignore[union-attr]
    await job.run(bot.application)
    [text] = texts(await bot.send("/feeds", user_id=ADMIN, lang="vi"))
    assert "lỗi (1 lần) từ " in text and "HTTP 500 Internal Server Error" in text


# --- the bot's job ------------------------------------------------------------------------------


async def test_the_bot_polls_feeds_on_a_schedule(tmp_path: Path, site: WebServer) -> None:
    links = serve_stories(site)
    site.routes["/feed.xml"] = Route(rss2(links), headers=XML)
    async with running_bot(
        tmp_path / "bot.db", DEALFLOW_ALLOW_PRIVATE_URLS="1", DEALFLOW_FEED_POLL_MINUTES="5"
    ) as bot:
        queue = bot.application.job_queue
        assert queue is not None
        [job] = queue.get_jobs_by_name("poll-feeds")
        assert job.job.trigger.interval == timedelta(minutes=5)
        db = bot.application.bot_data.database
        await feeds.add_feed(db, site.url("/feed.xml"), allow_private=True)
        await job.run(bot.application)
        assert (await get_stats(db)).articles == 3


async def test_polling_can_be_switched_off(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "bot.db", DEALFLOW_FEED_POLL_MINUTES="0") as bot:
        assert bot.application.job_queue is not None
        assert bot.application.job_queue.get_jobs_by_name("poll-feeds") == ()


async def test_help_tells_admins_how_to_add_articles(bot: BotHarness) -> None:
    [for_admin] = texts(await bot.send("/help", user_id=ADMIN))
    assert "/feeds [add URL | remove N]" in for_admin
    [for_others] = texts(await bot.send("/help", user_id=STRANGER))
    assert "/feeds" not in for_others
