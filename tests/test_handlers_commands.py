"""Every command in both languages, in a private chat and in a group's forum topic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_harness import (
    GROUP,
    USER,
    BotHarness,
    assert_balanced_lines,
    running_bot,
    seeded_database,
    texts,
)

from storage import alerts, digests

#: command, what the English reply holds, what the Vietnamese one holds
COMMANDS = [
    ("/start", "follows the money", "theo dõi dòng tiền"),
    ("/help", "<b>Commands</b>", "<b>Các lệnh</b>"),
    ("/deals", "<b>Deals</b>", "<b>Thương vụ</b>"),
    ("/deals OpenAI", "contract $38B with AWS", "hợp đồng 38 tỷ USD với AWS"),
    ("/revenue", "ARR growth more than $1B", "tăng ARR hơn 1 tỷ USD"),
    ("/valuation openai", "valuation $500B", "định giá 500 tỷ USD"),
    ("/company OpenAI", "Total raised: $23B (incl. estimates)", "Tổng vốn huy động: 23 tỷ USD"),
    ("/latest", "<b>Newest articles</b>", "<b>Bài viết mới nhất</b>"),
    ("/search Amazon", "<b>Search</b>: “Amazon”", "<b>Tìm kiếm</b>: “Amazon”"),
    ("/sources 1", "Sources of fact #1", "Nguồn của dữ kiện #1"),
    ("/chart OpenAI", "deals and valuations over time", "thương vụ và định giá theo thời gian"),
    ("/export deals", "rows, one per article", "dòng, mỗi dòng"),
    ("/lang", "Replies here are in English", "Bot đang trả lời bằng tiếng Việt"),
    ("/stats", "/stats is for the bot's admins", "/stats chỉ dành cho quản trị viên"),
]


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(await seeded_database(tmp_path / "bot.db")) as harness:
        yield harness


def in_group(command: str) -> str:
    name, _, rest = command.partition(" ")
    return f"{name}@dealflow_bot {rest}".strip()


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("command", "en", "vi"), COMMANDS, ids=[c[0] for c in COMMANDS])
async def test_command_in_a_private_chat(
    bot: BotHarness, command: str, en: str, vi: str, lang: str
) -> None:
    calls = await bot.send(command, lang=lang)
    assert len(calls) == 1
    [text] = texts(calls)
    assert (en if lang == "en" else vi) in text
    assert_balanced_lines(text)


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("command", "en", "vi"), COMMANDS, ids=[c[0] for c in COMMANDS])
async def test_command_in_a_group_topic(
    bot: BotHarness, command: str, en: str, vi: str, lang: str
) -> None:
    calls = await bot.send(in_group(command), lang=lang, chat=GROUP, thread_id=7)
    assert len(calls) == 1
    [call] = calls
    assert (call.params["chat_id"], call.params["message_thread_id"]) == (GROUP["id"], 7)
    assert (en if lang == "en" else vi) in texts(calls)[0]


async def test_a_command_for_another_bot_is_left_alone(bot: BotHarness) -> None:
    assert await bot.send("/deals@other_bot", chat=GROUP) == []


async def test_the_menu_lists_the_commands_in_both_languages(bot: BotHarness) -> None:
    menus = {c.params.get("language_code"): c for c in bot.api.sent("setMyCommands")}
    assert set(menus) == {None, "vi"}
    names = [command["command"] for command in menus["vi"].params["commands"]]
    assert {"deals", "company", "search", "sources", "chart", "export", "lang"} <= set(names)


async def test_a_group_that_becomes_a_supergroup_keeps_its_settings(bot: BotHarness) -> None:
    old = {"id": -4242, "type": "group", "title": "AI money"}
    new = {"id": -1004242, "type": "supergroup", "title": "AI money"}
    await bot.send("/lang vi", chat=old)
    db = bot.application.bot_data.db
    assert db is not None
    async with db.transaction():
        await alerts.add_subscription(
            db,
            -4242,
            thread_id=None,
            company_keys=["openai"],
            company_names=["OpenAI"],
            kinds=None,
            min_value=None,
            min_currency=None,
            created_by=None,
        )
        await digests.set_schedule(
            db, -4242, thread_id=None, at_time="08:00", tz="Asia/Ho_Chi_Minh", created_by=None
        )
    service = {"message_id": 90, "date": 1_700_000_000, "chat": old, "from": USER}
    await bot.process({"update_id": 9001, "message": {**service, "migrate_to_chat_id": -1004242}})
    await bot.process(  # Telegram says it in the new supergroup too: nothing moves twice
        {"update_id": 9002, "message": {**service, "chat": new, "migrate_from_chat_id": -4242}}
    )
    assert [s.company_names for s in await alerts.list_subscriptions(db, -1004242)] == [("OpenAI",)]
    assert await alerts.list_subscriptions(db, -4242) == []
    assert [s.chat_id for s in await digests.list_schedules(db)] == [-1004242]
    (reply,) = texts(await bot.send("/deals", chat=new))
    assert "<b>Thương vụ</b>" in reply  # the language chosen in the old group
