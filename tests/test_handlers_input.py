"""Bad input gets a polite, well-formed answer: never a traceback, never broken markup."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from factories import make_fact, store_article
from telegram_harness import (
    BotHarness,
    assert_balanced_lines,
    buttons,
    running_bot,
    seeded_database,
    texts,
)

from storage.db import Database

FAILED = "Sorry, something went wrong"
NASTY = [
    "<b>bold</b>",
    "<a href='javascript:alert(1)'>x</a>",
    "*bold* _it_ `code` [link](http://x)",
    "🚀🚀 💸",
    "'; DROP TABLE facts; --",
    '" OR 1=1 --',
    "% _ \\",
    "NEAR(OpenAI Amazon)",
    "&amp; &lt;",
]
COMMANDS = ["/deals", "/revenue", "/valuation", "/company", "/search", "/chart", "/export"]
COMMANDS += ["/sources", "/lang", "/start"]


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(await seeded_database(tmp_path / "bot.db")) as harness:
        yield harness


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("arg", NASTY)
async def test_nasty_arguments_get_a_polite_answer(bot: BotHarness, command: str, arg: str) -> None:
    calls = await bot.send(f"{command} {arg}")
    assert len(calls) == 1
    [text] = texts(calls)
    assert FAILED not in text
    assert_balanced_lines(text)
    for dangerous in ("<b>bold</b>", "<a href", "javascript:alert(1)'>"):
        if dangerous in arg:
            assert dangerous not in text


@pytest.mark.parametrize("command", COMMANDS)
async def test_very_long_arguments_are_refused_politely(bot: BotHarness, command: str) -> None:
    calls = await bot.send(f"{command} {'OpenAI ' * 60}", lang="vi")
    assert len(calls) == 1
    [text] = texts(calls)
    assert FAILED not in text
    if command not in ("/start", "/lang"):
        assert text == "Nội dung quá dài: vui lòng viết dưới 200 ký tự."


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("/company", "Which company? For example: /company OpenAI"),
        ("/search", "What should I look for? For example: /search Amazon"),
        ("/sources", "Which fact? For example: /sources 12, or tap a number under a list."),
        ("/sources twelve", "Which fact? For example: /sources 12, or tap a number under a list."),
        (
            "/sources 99999",
            "There is no fact #99999. Tap a number under a list to see its sources.",
        ),
    ],
)
async def test_missing_arguments_say_what_to_give(
    bot: BotHarness, command: str, reply: str
) -> None:
    assert texts(await bot.send(command)) == [reply]


async def test_search_with_nothing_found_helps(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/search Antropic"))
    assert reply == "Nothing found for “Antropic”. Did you mean Anthropic?\nTry /company Anthropic"
    (reply,) = texts(await bot.send("/search <zzz>", lang="vi"))
    assert reply == "Không tìm thấy gì cho “&lt;zzz&gt;”."


async def test_an_unexpected_error_is_an_apology_in_the_chats_language(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import services

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "latest_page", broken)
    (reply,) = texts(await bot.send("/latest", lang="vi"))
    assert reply == "Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau."
    assert "boom" in caplog.text


async def test_a_long_query_pages_by_a_saved_id_that_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    db = await Database.open(path)
    await db.migrate()
    evidence = "Quỹ đầu tư mạo hiểm Đông Nam Á rót vốn vào trí tuệ nhân tạo."
    facts = [
        make_fact(counterparty=f"Quỹ {i}", value=(i + 1) * 1e9, evidence=evidence)
        for i in range(15)
    ]
    await store_article(db, "quy", facts)
    await db.close()
    query = "quỹ đầu tư mạo hiểm đông nam á rót vốn"
    async with running_bot(path) as bot:
        [first] = await bot.send(f"/search {query}")
        data = buttons(first)["▶"]
        assert data.startswith("q:2:")
        sent = dict(next(iter(bot.api.messages.values())))
    async with running_bot(path) as bot:
        calls = await bot.click(sent, data)
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        assert "2/2" in buttons(calls[1])
        assert buttons(calls[1])["◀"] == data.replace("q:2:", "q:1:")


async def test_stale_or_foreign_button_data_is_answered_and_ignored(bot: BotHarness) -> None:
    await bot.send("/deals")
    sent = dict(next(iter(bot.api.messages.values())))
    for data in ["garbage", "q:1:999", "p:1:z:x", "s:abc"]:
        calls = await bot.click(sent, data)
        assert [c.method for c in calls] == ["answerCallbackQuery"], data
    calls = await bot.click(sent, "s:999999")
    assert "There is no fact #999999" in texts(calls[1:])[0]


async def test_a_button_under_a_message_too_old_to_see_still_answers(bot: BotHarness) -> None:
    inaccessible = {"chat": {"id": 42, "type": "private"}, "message_id": 1, "date": 0}
    calls = await bot.click(inaccessible, "s:1")
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["chat_id"] == 42
    assert "Sources of fact #1" in calls[1].params["text"]
