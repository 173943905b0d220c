"""/start, /help, /lang, /stats, unknown commands and the bot's own membership."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_harness import GROUP, BotHarness, running_bot, seeded_database, texts

from storage.queries import get_chat

ADMIN = 7


@pytest.fixture
async def db_path(tmp_path: Path) -> Path:
    return await seeded_database(tmp_path / "bot.db")


@pytest.fixture
async def bot(db_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(db_path, DEALFLOW_ADMINS=str(ADMIN)) as harness:
        yield harness


@pytest.mark.parametrize("payload", ["company-OpenAI", "company-openai", "COMPANY-Open_AI"])
async def test_a_company_deep_link_opens_the_company(bot: BotHarness, payload: str) -> None:
    (reply,) = texts(await bot.send(f"/start {payload}"))
    assert reply.startswith("<b>OpenAI</b>: ")


@pytest.mark.parametrize("payload", ["", "sub-deals", "company-", "whatever", "x" * 64])
async def test_other_payloads_just_welcome(bot: BotHarness, payload: str) -> None:
    (reply,) = texts(await bot.send(f"/start {payload}".strip(), lang="vi"))
    assert reply.startswith("<b>dealflow</b> theo dõi dòng tiền")


async def test_a_deep_link_to_an_unknown_company_says_so(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/start company-Antropic"))
    assert reply == "I have no facts about “Antropic”. Did you mean Anthropic?"


async def test_lang_persists_across_a_restart(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        (reply,) = texts(await bot.send("/lang vi", lang="en"))
        assert reply == "Từ giờ bot trả lời bằng tiếng Việt trong cuộc trò chuyện này."
    async with running_bot(db_path) as bot:
        (reply,) = texts(await bot.send("/deals OpenAI", lang="en"))
        assert "38 tỷ USD" in reply
        (reply,) = texts(await bot.send("/lang auto", lang="en"))
        assert reply == "Replies now follow each user's Telegram language."
        (reply,) = texts(await bot.send("/deals OpenAI", lang="en"))
        assert "$38B" in reply


async def test_lang_is_per_chat(bot: BotHarness) -> None:
    await bot.send("/lang@dealflow_bot en", chat=GROUP, lang="vi")
    (reply,) = texts(await bot.send("/deals@dealflow_bot OpenAI", chat=GROUP, lang="vi"))
    assert "$38B" in reply
    (reply,) = texts(await bot.send("/deals OpenAI", lang="vi"))
    assert "38 tỷ USD" in reply
    chat = await get_chat(bot.application.bot_data.database, GROUP["id"])
    assert chat is not None
    assert (chat.type, chat.title, chat.lang) == ("supergroup", "AI money", "en")


@pytest.mark.parametrize("arg", ["fr", "vi en", "<b>", "🇻🇳"])
async def test_lang_explains_itself_for_anything_else(bot: BotHarness, arg: str) -> None:
    (reply,) = texts(await bot.send(f"/lang {arg}"))
    assert reply.startswith("Replies here are in English. Change with /lang vi or /lang en")


async def test_stats_are_for_admins(bot: BotHarness) -> None:
    (refused,) = texts(await bot.send("/stats", user_id=8))
    assert refused == "Sorry, /stats is for the bot's admins."
    (stats,) = texts(await bot.send("/stats", user_id=ADMIN))
    assert stats.startswith("<b>Store</b>: 2 articles, ")
    assert "<b>Facts by kind</b>: " in stats
    (stats,) = texts(await bot.send("/stats@dealflow_bot", user_id=ADMIN, chat=GROUP, lang="vi"))
    assert stats.startswith("<b>Dữ liệu</b>: 2 bài viết, ")


async def test_help_shows_stats_to_admins_only(bot: BotHarness) -> None:
    (for_all,) = texts(await bot.send("/help", user_id=8))
    (for_admin,) = texts(await bot.send("/help", user_id=ADMIN))
    assert "/stats" not in for_all
    assert "/stats — what the store holds (admins only)" in for_admin


async def test_unknown_commands_get_a_hint_in_private_and_silence_in_groups(
    bot: BotHarness,
) -> None:
    (reply,) = texts(await bot.send("/foo"))
    assert reply == "I don't know that command. /help lists what I can do."
    (reply,) = texts(await bot.send("/dealz OpenAI", lang="vi"))
    assert reply == "Tôi không biết lệnh này. Gõ /help để xem các lệnh."
    assert await bot.send("/foo", chat=GROUP) == []
    assert await bot.send("/foo@dealflow_bot", chat=GROUP, thread_id=3) == []
    assert await bot.send("just chatting", chat=GROUP) == []


async def test_being_added_to_and_removed_from_a_group_is_noted(bot: BotHarness) -> None:
    db = bot.application.bot_data.database
    calls = await bot.membership(GROUP, "left", "member", lang="vi")
    assert [c.method for c in calls] == ["sendMessage"]
    assert calls[0].params["chat_id"] == GROUP["id"]
    assert texts(calls)[0].startswith("Xin chào, tôi là dealflow")
    joined = await get_chat(db, GROUP["id"])
    assert joined is not None and joined.active and joined.joined_at
    assert await bot.membership(GROUP, "member", "administrator") == []  # promoted: no news
    assert await bot.membership(GROUP, "administrator", "kicked") == []
    left = await get_chat(db, GROUP["id"])
    assert left is not None and not left.active and left.left_at


async def test_a_user_blocking_the_bot_is_noted_quietly(bot: BotHarness) -> None:
    private = {"id": 42, "type": "private", "first_name": "Lan"}
    assert await bot.membership(private, "member", "kicked") == []
    chat = await get_chat(bot.application.bot_data.database, 42)
    assert chat is not None and not chat.active
