"""The alert sender: pacing with a controllable clock, and a fan-out through the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from factories import make_fact, make_meta
from fakebotapi import Failure, FakeBotAPI, Request
from telegram import Bot
from telegram.request import HTTPXRequest
from telegram_harness import running_bot

from bot.alerts import AlertSender, Pacer
from bot.models import ExtractedArticle
from bot.pipeline import _store_article
from storage import alerts, queries
from storage.db import Database

TOKEN = "123:TEST"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_pacer_one_message_per_second_per_chat() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=1000, clock=clock)
    pacer.take(7)
    assert pacer.chat_ready_at(7) == 1.0
    clock.now = 0.5
    assert pacer.busy_chats() == {7}
    clock.now = 1.0
    assert pacer.busy_chats() == set()


def test_pacer_busy_chats_follow_the_latest_send_of_each_chat() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=1000, clock=clock)
    pacer.take(1)
    clock.now = 0.5
    pacer.take(2)
    clock.now = 1.2
    pacer.take(1)  # chat 1 again, after chat 2
    clock.now = 1.3
    assert pacer.busy_chats() == {1, 2}
    clock.now = 1.6
    assert pacer.busy_chats() == {1}
    assert pacer.next_ready == 2.2
    clock.now = 70.0
    assert pacer.busy_chats() == set() and not pacer._last  # long-past sends forgotten


def test_pacer_twenty_per_minute_per_group() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=1000, clock=clock)
    for second in range(20):
        clock.now = float(second)
        assert pacer.chat_ready_at(-5) <= clock.now
        pacer.take(-5)
    clock.now = 20.0
    assert pacer.chat_ready_at(-5) == 60.0  # the first of the 20 leaves the window
    assert pacer.busy_chats() == {-5}
    clock.now = 60.0
    assert pacer.busy_chats() == set()
    pacer.take(9)  # a private chat has no per-minute limit
    assert pacer.chat_ready_at(9) == 61.0


def test_pacer_limits_scale_together() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=1000, per_chat=0.1, group_per_minute=20, group_window=6.0, clock=clock)
    for tenth in range(20):
        clock.now = tenth / 10
        assert pacer.chat_ready_at(-5) <= clock.now + 1e-9
        pacer.take(-5)
    clock.now = 2.0
    assert pacer.chat_ready_at(-5) == 6.0  # the 6 s window, not a minute
    assert pacer.busy_chats() == {-5}
    pacer.take(9)
    assert pacer.chat_ready_at(9) == pytest.approx(2.1)


def test_pacer_global_rate_and_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=10, burst=3, clock=clock)
    for chat in range(3):
        assert pacer.global_wait() == 0
        pacer.take(chat)
    assert pacer.global_wait() == pytest.approx(0.1)
    clock.now = 0.1
    assert pacer.global_wait() == pytest.approx(0)
    pacer.take(3)
    assert pacer.global_wait() == pytest.approx(0.1)
    clock.now = 10.0  # idle time does not save up more than the burst
    for chat in range(3):
        pacer.take(chat + 10)
    assert pacer.global_wait() > 0


def test_pacer_retry_after_blocks_only_that_chat() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=25, clock=clock)
    pacer.block(3, 7)
    assert pacer.chat_ready_at(3) == 7.0
    assert pacer.chat_ready_at(4) <= 0
    assert pacer.busy_chats() == {3}


def test_default_burst_is_one_at_telegram_rates() -> None:
    assert Pacer(rate=25).burst == 1
    assert Pacer(rate=1000).burst == 20


# --- fan-out through the fake Bot API ----------------------------------------------------------


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=128)
    async with Bot(TOKEN, base_url=api.base_url, request=request) as client:
        yield client


async def subscribe_all(db: Database, chat_ids: list[int], company: str | None = None) -> None:
    async with db.transaction():
        for chat_id in chat_ids:
            await alerts.add_subscription(
                db,
                chat_id,
                thread_id=None,
                company_keys=[company.lower()] if company else None,
                company_names=[company] if company else None,
                kinds=None,
                min_value=None,
                min_currency=None,
                created_by=None,
            )


async def store(db: Database, name: str, subject: str) -> None:
    article = ExtractedArticle(
        article=make_meta(name, title=f"{subject} raises money"),
        facts=[make_fact(subject=subject)],
    )
    await _store_article(db, article)


def sent_ok(api: FakeBotAPI) -> list[Request]:
    return [r for r in api.calls("sendMessage") if r.status == 200]


async def test_fan_out_to_a_thousand_chats_within_the_limits(
    api: FakeBotAPI, bot: Bot, db: Database
) -> None:
    rate = 1000.0
    private = list(range(1, 951))
    groups = [-100_000 - n for n in range(50)]
    for chat_id in private:
        api.private_chat(api.user(chat_id))
    for chat_id in groups:
        api.group_chat(chat_id)
    flooded = private[:30] + groups[:5]
    blocked = private[100:120]
    old_group, new_group = groups[-1], -200_000
    api.group_chat(new_group)
    for chat_id in flooded:
        api.fail(chat_id, Failure.retry_after(1))
    for chat_id in blocked:
        api.fail(chat_id, Failure.forbidden(), times=None)
    api.fail(old_group, Failure.migrated(new_group), times=None)
    twice = private[:60] + groups  # these get a second alert: per-chat pacing shows
    await subscribe_all(db, twice)
    await subscribe_all(db, private[60:], company="OpenAI")
    await store(db, "a", "OpenAI")
    await store(db, "b", "Anthropic")
    active = [c for c in private + groups if c not in blocked and c != old_group] + [new_group]
    expected = {c: 2 if c in twice or c == new_group else 1 for c in active}

    sender = AlertSender(db, bot, rate=rate, poll_seconds=0.2)
    sender.start()
    try:
        await api.wait_until(
            lambda: True if len(sent_ok(api)) >= sum(expected.values()) else None,
            within=30,
            what="every alert",
        )
        await asyncio.sleep(0.3)  # nothing more should come
    finally:
        await sender.stop()

    by_chat: dict[int, list[Request]] = defaultdict(list)
    for request in api.calls("sendMessage"):
        by_chat[int(request.chat_id or 0)].append(request)
    delivered = {
        chat: sorted(json.dumps(r.params.get("text")) for r in reqs if r.status == 200)
        for chat, reqs in by_chat.items()
    }
    for chat in active:
        assert len(delivered[chat]) == expected[chat], chat  # exactly one alert per article
        assert len(set(delivered[chat])) == expected[chat]
    for chat in blocked:
        assert len(by_chat[chat]) == 1  # refused once, then never tried again
    assert old_group not in delivered or not delivered[old_group]

    # nothing faster than the limits, by the server's clock
    for chat, requests in by_chat.items():
        times = [r.at for r in requests]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert all(gap >= 0.95 for gap in gaps), (chat, gaps)
    for chat in flooded:
        first, second = by_chat[chat][0], by_chat[chat][1]
        assert first.status == 429 and second.at - first.at >= 0.95
    times = sorted(r.at for r in api.calls("sendMessage"))
    burst = 20
    for index, start in enumerate(times):
        window = [t for t in times[index : index + int(rate) + 200] if t < start + 1.0]
        assert len(window) <= rate + burst + 20

    db_state = await alerts.count_outbox(db)
    assert db_state == {"sent": sum(expected.values()), "failed": len(blocked)}
    rows = await db.fetchall(
        "SELECT id, active FROM chats WHERE id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(blocked)},
    )
    assert {r["id"] for r in rows if not r["active"]} == set(blocked)
    paused = await alerts.list_subscriptions(db, blocked[0])
    assert [s.active for s in paused] == [False]
    assert await alerts.list_subscriptions(db, old_group) == []
    assert len(await alerts.list_subscriptions(db, new_group)) == 1


async def test_alert_shows_facts_source_and_evidence_button(
    api: FakeBotAPI, bot: Bot, db: Database
) -> None:
    api.private_chat(api.user(5))
    await subscribe_all(db, [5])
    await store(db, "a", "OpenAI")
    sender = AlertSender(db, bot, rate=100, poll_seconds=0.1)
    sender.start()
    try:
        request = await api.wait_for_request("sendMessage", chat_id=5)
    finally:
        await sender.stop()
    assert "OpenAI raises money" in request.text
    assert "OpenAI" in request.text and "2025-12-17" in request.text
    (fact_id,) = [row["id"] for row in await db.fetchall("SELECT id FROM facts")]
    assert [b["callback_data"] for b in request.buttons] == [f"s:{fact_id}"]


async def test_alerts_speak_the_language_each_chat_chose(
    api: FakeBotAPI, bot: Bot, db: Database
) -> None:
    for chat_id in (5, 6):
        api.private_chat(api.user(chat_id))
    async with db.transaction():
        await queries.set_chat_lang(db, 5, type="private", title=None, lang="vi")
    await subscribe_all(db, [5, 6])
    await store(db, "a", "OpenAI")
    sender = AlertSender(db, bot, rate=100, poll_seconds=0.1)
    sender.start()
    try:
        vi = await api.wait_for_request("sendMessage", chat_id=5)
        en = await api.wait_for_request("sendMessage", chat_id=6)
    finally:
        await sender.stop()
    assert "10 tỷ USD" in vi.text and "$10B" not in vi.text
    assert "$10B" in en.text


async def test_accepted_alerts_are_marked_together_and_their_chats_wait_for_the_mark(
    api: FakeBotAPI, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.alerts.MARK_DELAY", 60.0)  # no mark is written while running
    chats = [5, 6, 7]
    for chat_id in chats:
        api.private_chat(api.user(chat_id))
    await subscribe_all(db, chats)
    await store(db, "a", "OpenAI")
    sender = AlertSender(db, bot, rate=100, poll_seconds=0.1)
    sender.start()
    try:
        await api.wait_until(lambda: len(sent_ok(api)) == 3 or None, within=10, what="3 alerts")
        await store(db, "b", "Anthropic")  # a second alert for every chat, due at once
        sender.wake()
        await asyncio.sleep(1.5)  # past the 1 s per-chat interval
        states = [row["state"] for row in await db.fetchall("SELECT state FROM outbox")]
        assert states == ["pending"] * 6  # accepted, not marked yet: no chat gets the next one
        assert len(sent_ok(api)) == 3
    finally:
        await sender.stop()
    rows = await db.fetchall("SELECT article_id, state FROM outbox ORDER BY id")
    assert [row["state"] for row in rows] == ["sent"] * 3 + ["pending"] * 3  # stop wrote the marks


async def test_bad_request_fails_the_row_once_with_its_reason(
    api: FakeBotAPI, bot: Bot, db: Database
) -> None:
    api.private_chat(api.user(5))
    api.fail(5, Failure.bad_request("message thread not found"), times=None)
    await subscribe_all(db, [5])
    await store(db, "a", "OpenAI")
    sender = AlertSender(db, bot, rate=100, poll_seconds=0.1)
    sender.start()
    try:
        await api.wait_for_request("sendMessage", chat_id=5)
        await asyncio.sleep(0.5)
    finally:
        await sender.stop()
    assert len(api.calls("sendMessage", chat_id=5)) == 1
    row = await db.fetchone("SELECT state, last_error FROM outbox")
    assert row is not None and row["state"] == "failed"
    assert "thread not found" in row["last_error"]


async def test_network_errors_are_retried_with_backoff(
    api: FakeBotAPI, bot: Bot, db: Database
) -> None:
    api.private_chat(api.user(5))
    api.fail(5, Failure(502, "Bad Gateway"), times=1)
    await subscribe_all(db, [5])
    await store(db, "a", "OpenAI")
    sender = AlertSender(db, bot, rate=100, poll_seconds=0.1)
    sender.start()
    try:
        await api.wait_until(lambda: sent_ok(api) or None, within=10, what="the retry")
    finally:
        await sender.stop()
    first, second = api.calls("sendMessage", chat_id=5)
    assert first.status == 502 and second.at - first.at >= 1.9  # 2 s after the first failure


def test_replies_to_users_push_the_fan_out_back() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=10, burst=1, clock=clock)
    assert pacer.global_wait() == 0
    pacer.take_global()  # a reply to a user went out
    assert pacer.global_wait() == pytest.approx(0.1)


async def test_a_users_update_takes_a_slot_from_the_fan_out(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "d.db", DEALFLOW_ALERT_RATE=1) as harness:
        sender = harness.application.bot_data.alerts
        assert sender is not None
        assert sender.pacer.global_wait() == 0
        await harness.send("/subscriptions")
        assert sender.pacer.global_wait() > 0.5


async def test_wait_turn_keeps_other_messages_within_the_limits(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    sender = AlertSender(db, None, rate=1000, pacer=Pacer(rate=1000, clock=clock))  # type: ignore[arg-type]
    await sender.wait_turn(5)  # free: no wait
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.now += seconds

    monkeypatch.setattr("bot.alerts.asyncio.sleep", fake_sleep)
    await sender.wait_turn(5)  # one message per second to one chat
    assert sum(sleeps) == pytest.approx(1.0)


async def test_a_deleted_topic_sends_to_the_chat_itself(
    api: FakeBotAPI, bot: Bot, db: Database
) -> None:
    api.group_chat(-100500)
    api.fail(-100500, Failure.bad_request("message thread not found"), times=1)
    async with db.transaction():
        await alerts.add_subscription(
            db,
            -100500,
            thread_id=9,
            company_keys=None,
            company_names=None,
            kinds=None,
            min_value=None,
            min_currency=None,
            created_by=None,
        )
    await store(db, "a", "OpenAI")
    sender = AlertSender(db, bot, rate=100, poll_seconds=0.1)
    sender.start()
    try:
        await api.wait_until(lambda: sent_ok(api) or None, within=10, what="the alert")
    finally:
        await sender.stop()
    first, second = api.calls("sendMessage", chat_id=-100500)
    assert first.params.get("message_thread_id") == 9
    assert "message_thread_id" not in second.params and second.status == 200
    (sub,) = await alerts.list_subscriptions(db, -100500)
    assert sub.thread_id is None
