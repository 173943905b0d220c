"""/deals, /revenue, /valuation through the real Application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_harness import GROUP, BotHarness, running_bot, texts

from bot.pipeline import ingest_paths
from storage.db import Database

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    path = tmp_path / "bot.db"
    db = await Database.open(path)
    await db.migrate()
    await ingest_paths(db, [SEEDS])
    await db.close()
    async with running_bot(path) as harness:
        yield harness


async def test_deals_in_english(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/deals"))
    assert "$38B" in reply
    assert "Anthropic" in reply


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
    assert "Did you mean Anthropic?" in reply


async def test_markup_in_arguments_is_escaped(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/deals <b>x</b>"))
    assert "&lt;b&gt;" in reply
    assert "<b>x</b>" not in reply
