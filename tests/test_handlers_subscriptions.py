"""/subscribe, /unsubscribe, /subscriptions: private chats, groups, admins versus members."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

from telegram_harness import GROUP, BotHarness, buttons, running_bot, texts

from bot.subscriptions import parse_subscription_args
from storage import alerts

_ids = itertools.count(10_000)


def test_parse_subscription_args() -> None:
    wanted = parse_subscription_args(["OpenAI", "Anthropic", "deals", ">1B"])
    assert wanted.companies == ("OpenAI", "Anthropic")
    assert "investment" in wanted.kinds and "revenue" not in wanted.kinds
    assert (wanted.min_value, wanted.currency) == (1e9, "USD")
    assert parse_subscription_args(["Mistral", "AI,", "xAI", "revenue"]).companies == (
        "Mistral AI",
        "xAI",
    )
    assert parse_subscription_args([">500M", "VND"]).currency == "VND"
    assert parse_subscription_args([]) == parse_subscription_args([])


async def test_private_chat_subscribes_lists_and_removes(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        reply = await bot.send("/subscribe OpenAI deals >1B")
        assert "Subscribed: OpenAI" in texts(reply)[0]
        again = await bot.send("/subscribe OpenAI deals >1B")
        assert "Already subscribed" in texts(again)[0]
        await bot.send("/subscribe")
        listing = await bot.send("/subscriptions")
        assert "1. OpenAI · deals · ≥ $1B" in texts(listing)[0]
        assert "2. every new fact" in texts(listing)[0]
        removed = await bot.press(listing[0], "✖ 2")
        assert "Removed 1" in texts(removed)[-1]
        db = bot.application.bot_data.database
        assert len(await alerts.list_subscriptions(db, 42)) == 1
        gone = await bot.send("/unsubscribe OpenAI deals >1B")
        assert "Removed 1" in texts(gone)[0]
        assert await alerts.list_subscriptions(db, 42) == []


async def test_vietnamese_kind_words_subscribe_list_and_unsubscribe(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        reply = await bot.send("/subscribe FPT thương vụ", lang="vi")
        assert "Đã đăng ký: FPT · thương vụ" in texts(reply)[0]
        again = await bot.send("/subscribe FPT deals", lang="vi")  # the same filter in English
        assert "Đã đăng ký từ trước" in texts(again)[0]
        await bot.send("/subscribe Dinh Gia", lang="vi")  # accents optional, any case
        listing = await bot.send("/subscriptions", lang="vi")
        assert "1. FPT · thương vụ" in texts(listing)[0]
        assert "2. định giá" in texts(listing)[0]
        english = await bot.send("/subscriptions")
        assert "1. FPT · deals" in texts(english)[0] and "2. valuation" in texts(english)[0]
        gone = await bot.send("/unsubscribe định giá", lang="vi")
        assert "Đã xoá 1" in texts(gone)[0]
        db = bot.application.bot_data.database
        (left,) = await alerts.list_subscriptions(db, 42)
        assert left.company_names == ("FPT",) and left.min_value is None


async def test_minimum_keeps_its_currency_and_is_written_the_chat_s_way(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        vnd = await bot.send("/subscribe thương vụ >500 tỷ đồng", lang="vi")
        assert "Đã đăng ký: thương vụ · ≥ 500 tỷ đồng." in texts(vnd)[0]
        assert "Chỉ các số tiền bằng VND" in texts(vnd)[0]  # no conversion, and it says so
        usd = await bot.send("/subscribe deals >$1B")
        assert "Subscribed: deals · ≥ $1B." in texts(usd)[0]
        assert "Only amounts in USD count" in texts(usd)[0]
        same = await bot.send("/subscribe deals >1 tỷ USD", lang="vi")
        assert "Đã đăng ký từ trước: thương vụ · ≥ 1 tỷ USD" in texts(same)[0]
        vi = texts(await bot.send("/subscriptions", lang="vi"))[0]
        en = texts(await bot.send("/subscriptions"))[0]
        assert "1. thương vụ · ≥ 500 tỷ đồng" in vi and "2. thương vụ · ≥ 1 tỷ USD" in vi
        assert "1. deals · ≥ VND 500B" in en and "2. deals · ≥ $1B" in en
        ask = await bot.send("/subscribe >500 tỷ", lang="vi")
        assert "which currency" in texts(ask)[0]
        gone = await bot.send("/unsubscribe deals >500B VND")
        assert "Removed 1" in texts(gone)[0]


async def test_help_and_menus_show_the_kind_words(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        en = texts(await bot.send("/help"))[0]
        vi = texts(await bot.send("/help", lang="vi"))[0]
        menus = {c.params.get("language_code"): c for c in bot.api.sent("setMyCommands")}
    assert "deals (thương vụ, giao dịch, đầu tư)" in en and "valuation (định giá)" in en
    assert "thương vụ (giao dịch, đầu tư, deals)" in vi and "doanh thu (revenue)" in vi
    assert "&gt;500 tỷ đồng" in en and "&gt;500 tỷ đồng" in vi
    described = {
        lang: {c["command"]: c["description"] for c in menu.params["commands"]}
        for lang, menu in menus.items()
    }
    assert "[deals|revenue|valuation]" in described[None]["subscribe"]
    assert "[thương vụ|doanh thu|định giá]" in described["vi"]["subscribe"]


async def test_unsubscribe_all_asks_first(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        await bot.send("/subscribe OpenAI")
        await bot.send("/subscribe revenue")
        ask = await bot.send("/unsubscribe")
        assert "Remove all 2" in texts(ask)[0]
        assert set(buttons(ask[0])) == {"Remove all", "Cancel"}
        kept = await bot.press(ask[0], "Cancel")
        assert "Kept" in texts(kept)[-1]
        db = bot.application.bot_data.database
        assert len(await alerts.list_subscriptions(db, 42)) == 2
        await bot.press(ask[0], "Remove all")
        assert await alerts.list_subscriptions(db, 42) == []


async def test_group_members_may_not_subscribe_but_admins_may(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        db = bot.application.bot_data.database
        refused = await bot.send("/subscribe OpenAI", chat=GROUP, user_id=7)
        assert "Only the group's administrators" in texts(refused)[-1]
        assert await alerts.list_subscriptions(db, GROUP["id"]) == []
        bot.api.member_status[(GROUP["id"], 8)] = "administrator"
        ok = await bot.send("/subscribe OpenAI", chat=GROUP, user_id=8, thread_id=5)
        assert "Subscribed" in texts(ok)[-1]
        (sub,) = await alerts.list_subscriptions(db, GROUP["id"])
        assert sub.thread_id == 5  # the forum topic is remembered
        listing = await bot.send("/subscriptions", chat=GROUP, user_id=7)  # anyone may look
        assert "OpenAI" in texts(listing)[-1]
        await bot.press(listing[-1], "✖ 1")  # a member's press removes nothing
        assert len(await alerts.list_subscriptions(db, GROUP["id"])) == 1
        bot.api.member_status[(GROUP["id"], 9)] = "creator"
        gone = await bot.send("/unsubscribe OpenAI", chat=GROUP, user_id=9)
        assert "Removed 1" in texts(gone)[-1]


async def test_anonymous_admin_counts_as_admin(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db") as bot:
        calls = await send_as_chat(bot, "/subscribe deals", sender_chat=GROUP)
        assert "Subscribed" in texts(calls)[-1]
        other = {"id": -100999, "type": "channel", "title": "Someone's channel"}
        refused = await send_as_chat(bot, "/subscribe revenue", sender_chat=other)
        assert "Only the group's administrators" in texts(refused)[-1]
        db = bot.application.bot_data.database
        assert len(await alerts.list_subscriptions(db, GROUP["id"])) == 1


async def send_as_chat(bot: BotHarness, text: str, *, sender_chat: dict[str, Any]) -> Any:
    command = text.split()[0]
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": GROUP,
        "from": {
            "id": 1087968824,
            "is_bot": True,
            "first_name": "Group",
            "username": "GroupAnonymousBot",
        },
        "sender_chat": sender_chat,
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
    }
    return await bot.process({"update_id": next(_ids), "message": message})
