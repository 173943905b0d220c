"""Digests: schedules with a controllable clock, one per chat and day, /digest and /summary."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from factories import make_fact, make_meta
from telegram_harness import GROUP, running_bot, seeded_database, texts

from bot.digests import (
    DigestRequest,
    claim_due_digests,
    due_day,
    parse_digest_args,
    set_digest,
)
from bot.errors import UsageError
from bot.models import ExtractedArticle
from bot.pipeline import _store_article
from storage.db import Database
from storage.digests import DigestSchedule

HCM = "Asia/Ho_Chi_Minh"  # UTC+7


def test_parse_digest_args() -> None:
    assert parse_digest_args(["daily", "8:05"]) == DigestRequest("08:05", HCM)
    assert parse_digest_args(["daily", "20:00", "Europe/Paris"]).tz == "Europe/Paris"
    assert parse_digest_args(["off"]) == DigestRequest(None)
    for bad in (["daily", "25:00"], ["weekly", "08:00"], ["daily", "08:00", "Mars/Base"], []):
        with pytest.raises(UsageError):
            parse_digest_args(bad)


def test_due_day_in_the_chats_time_zone() -> None:
    schedule = DigestSchedule(1, None, "08:00", HCM)
    assert due_day(schedule, datetime(2026, 11, 23, 0, 59, tzinfo=UTC)) is None  # 07:59 local
    assert due_day(schedule, datetime(2026, 11, 23, 1, 0, tzinfo=UTC)) == date(2026, 11, 23)
    assert due_day(schedule, datetime(2026, 11, 23, 23, 0, tzinfo=UTC)) is None  # 06:00 on the 24th
    assert due_day(schedule, datetime(2026, 11, 24, 2, 0, tzinfo=UTC)) == date(2026, 11, 24)


async def store_fact_seen_at(db: Database, seen: str) -> None:
    await _store_article(db, ExtractedArticle(article=make_meta("a"), facts=[make_fact()]))
    async with db.transaction():
        await db.execute("UPDATE facts SET first_seen = :t, updated_at = :t", {"t": seen})


async def test_one_digest_per_chat_and_day_even_after_a_restart(
    db: Database, tmp_path: Path
) -> None:
    await store_fact_seen_at(db, "2026-11-22T12:00:00+00:00")  # 19:00 local, the day before
    before = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
    await set_digest(db, 5, DigestRequest("08:00", HCM), thread_id=3, user_id=1, now=before)
    assert await claim_due_digests(db, datetime(2026, 11, 23, 0, 30, tzinfo=UTC)) == []
    at_eight = datetime(2026, 11, 23, 1, 0, 30, tzinfo=UTC)
    (due,) = await claim_due_digests(db, at_eight)
    assert (due.schedule.chat_id, due.schedule.thread_id, due.period) == (5, 3, "2026-11-23")
    assert [f.subject for f in due.summary.deals] == ["OpenAI"]
    assert await claim_due_digests(db, at_eight) == []
    reopened = await Database.open(db.path)  # a restart: the claim is in the database
    try:
        assert await claim_due_digests(reopened, datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) == []
    finally:
        await reopened.close()


async def test_empty_day_sends_nothing_and_a_late_schedule_starts_tomorrow(db: Database) -> None:
    now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 12:00 local
    await set_digest(db, 5, DigestRequest("08:00", HCM), thread_id=None, user_id=1, now=now)
    await store_fact_seen_at(db, "2026-11-23T04:00:00+00:00")
    assert await claim_due_digests(db, now) == []  # set after 08:00: not today
    tomorrow = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    assert len(await claim_due_digests(db, tomorrow)) == 1
    empty_day = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert await claim_due_digests(db, empty_day) == []
    row = await db.fetchone("SELECT state FROM digest_runs WHERE period = '2026-11-25'")
    assert row is not None and row["state"] == "empty"


async def test_digest_and_summary_commands(tmp_path: Path) -> None:
    path = await seeded_database(tmp_path / "d.db")
    async with running_bot(path) as bot:
        assert (
            "Daily digest at 08:00 (Asia/Ho_Chi_Minh)"
            in texts(await bot.send("/digest daily 8:00"))[0]
        )
        assert "stopped" in texts(await bot.send("/digest off"))[0]
        refused = await bot.send("/digest daily 09:00", chat=GROUP, user_id=7)
        assert "administrators" in texts(refused)[-1]
        today = texts(await bot.send("/summary today"))[0]
        assert "Biggest deals" in today and "Totals per company" in today
    async with running_bot(tmp_path / "empty.db") as bot:
        assert "Nothing new" in texts(await bot.send("/summary week"))[0]
