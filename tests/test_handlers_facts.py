"""/deals, /revenue, /valuation through the real Application: pages, sources buttons, limits."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from factories import make_fact, store_article
from telegram_harness import (
    GROUP,
    BotHarness,
    assert_balanced_lines,
    buttons,
    running_bot,
    seeded_database,
    texts,
)

from bot.telegram_text import MAX_MESSAGE, telegram_length
from storage.db import Database


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(await seeded_database(tmp_path / "bot.db")) as harness:
        yield harness


@pytest.fixture
async def busy(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """OpenAI with 25 deals: three pages."""
    path = tmp_path / "busy.db"
    db = await Database.open(path)
    await db.migrate()
    facts = [
        make_fact(
            subject="OpenAI", counterparty=f"Fund {i}", value=(i + 1) * 1e9, status="completed"
        )
        for i in range(25)
    ]
    await store_article(db, "funds", facts, published="2026-02-01")
    await db.close()
    async with running_bot(path) as harness:
        yield harness


async def test_deals_in_english(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/deals"))
    assert "$38B" in reply
    assert "<b>Anthropic</b>" in reply


async def test_deals_in_vietnamese_for_a_vietnamese_user(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/deals OpenAI", lang="vi"))
    assert "38 tỷ USD" in reply
    assert "Anthropic" not in reply.split("\n")[0]


async def test_group_command_with_bot_name_replies_in_the_topic(bot: BotHarness) -> None:
    calls = await bot.send("/revenue@dealflow_bot OpenAI", chat=GROUP, thread_id=7)
    (call,) = calls
    assert call.params["chat_id"] == GROUP["id"]
    assert call.params["message_thread_id"] == 7
    assert "$1B" in texts(calls)[0]


async def test_unknown_company_gets_a_suggestion(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/deals Antropic"))
    assert reply == "I have no facts about “Antropic”. Did you mean Anthropic?"
    (reply,) = texts(await bot.send("/deals Antropic", lang="vi"))
    assert reply == "Chưa có dữ kiện nào về “Antropic”. Có phải bạn muốn tìm Anthropic?"


async def test_markup_in_arguments_is_escaped(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/deals <b>x</b>"))
    assert "&lt;b&gt;" in reply
    assert "<b>x</b>" not in reply


async def test_no_deals_yet_says_how_to_add_some(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "empty.db")
    await db.migrate()
    await db.close()
    async with running_bot(tmp_path / "empty.db") as bot:
        (reply,) = texts(await bot.send("/deals"))
        assert reply == "No deals stored yet. Add articles with <code>dealflow ingest</code>."
        (reply,) = texts(await bot.send("/valuation", lang="vi"))
        assert reply.startswith("Chưa có mức định giá nào.")


async def test_every_fact_shown_has_a_sources_button(bot: BotHarness) -> None:
    [call] = await bot.send("/deals OpenAI")
    numbered = {label: data for label, data in buttons(call).items() if label.isdigit()}
    lines = [line for line in texts([call])[0].split("\n") if line[:1].isdigit()]
    assert len(numbered) == len(lines) > 0
    assert all(data.startswith("s:") for data in numbered.values())


async def test_pages_are_edited_in_place(busy: BotHarness) -> None:
    [first] = await busy.send("/deals OpenAI")
    assert {"▶", "1/3"} <= set(buttons(first))
    assert "◀" not in buttons(first)
    calls = await busy.press(first, "▶")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    second = calls[1]
    [(chat_id, message_id)] = busy.api.messages  # edited, not sent again
    assert (second.params["chat_id"], second.params["message_id"]) == (chat_id, message_id)
    assert {"◀", "2/3", "▶"} <= set(buttons(second))
    assert "<b>OpenAI</b> (continued)" in second.params["text"]
    assert second.params["text"] != first.params["text"]
    back = await busy.press(second, "◀")
    assert back[1].params["text"] == first.params["text"]
    [answer] = await busy.press(back[1], "1/3")
    assert answer.method == "answerCallbackQuery"


async def test_the_last_page_holds_the_company_total(busy: BotHarness) -> None:
    [first] = await busy.send("/deals OpenAI", lang="vi")
    second = (await busy.press(first, "▶", lang="vi"))[1]
    third = (await busy.press(second, "▶", lang="vi"))[1]
    assert "Tổng" not in first.params["text"]
    assert "<i>Tổng vốn huy động: 325 tỷ USD</i>" in third.params["text"]
    assert "▶" not in buttons(third)


async def test_the_sources_button_answers_and_opens_the_sources(busy: BotHarness) -> None:
    [listing] = await busy.send("/deals OpenAI", chat=GROUP, thread_id=7)
    calls = await busy.press(listing, "1")
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    sent = calls[1].params
    assert (sent["chat_id"], sent["message_thread_id"]) == (GROUP["id"], 7)
    assert "Sources of fact #" in sent["text"]
    assert "<code>seeds/funds.txt</code>" in sent["text"]


async def test_a_company_with_many_facts_stays_within_telegram_limits(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "big.db")
    await db.migrate()
    partner = "Very Long Partner Name Holdings International & Co " * 8
    facts = [
        make_fact(subject="Mega Corp", counterparty=f"{partner} {i}", value=(i + 1) * 1e6)
        for i in range(120)
    ]
    await store_article(db, "big", facts)
    await db.close()
    async with running_bot(tmp_path / "big.db") as bot:
        for command in ["/deals", "/company mega corp", "/search partner"]:
            [call] = await bot.send(command, lang="vi")
            text = call.params["text"]
            assert telegram_length(text) <= MAX_MESSAGE
            assert text.endswith("\n…")  # cut at a line
            assert_balanced_lines(text)
            numbered = [label for label in buttons(call) if label.isdigit()]
            assert numbered == [str(n) for n in range(1, len(numbered) + 1)]
            assert all(f"\n{n}. " in text for n in numbered)
            assert "1/12" in buttons(call)
        [source] = await bot.send("/sources 1")
        assert telegram_length(source.params["text"]) <= MAX_MESSAGE


async def test_queries_answer_while_an_ingest_holds_the_write_lock(bot: BotHarness) -> None:
    db = bot.application.bot_data.database
    holding, release = asyncio.Event(), asyncio.Event()

    async def ingest() -> None:
        async with db.transaction():
            await store_article_in_transaction(db)
            holding.set()
            await release.wait()

    task = asyncio.create_task(ingest())
    await holding.wait()
    try:
        for command in ["/deals", "/search Amazon", "/company OpenAI", "/latest", "/sources 1"]:
            calls = await asyncio.wait_for(bot.send(command), timeout=5)
            assert len(calls) == 1, command
    finally:
        release.set()
        await task


async def store_article_in_transaction(db: Database) -> None:
    from factories import make_meta

    from storage.queries import insert_article, upsert_fact

    article_id = await insert_article(db, make_meta("locked"))
    await upsert_fact(db, make_fact(subject="Locked Co"), article_id)


async def test_queries_answer_while_another_process_writes(bot: BotHarness) -> None:
    other = sqlite3.connect(bot.application.bot_data.database.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE facts SET date = '2020' WHERE id = 1")
        calls = await asyncio.wait_for(bot.send("/deals OpenAI"), timeout=5)
        assert "contract $38B with AWS" in texts(calls)[0]
    finally:
        other.execute("ROLLBACK")
        other.close()
