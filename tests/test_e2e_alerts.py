"""End to end: alerts queued by another process reach every chat, even across a SIGKILL.

The real ``dealflow run`` process runs against the fake Bot API; this test
process plays ``dealflow ingest`` on the same database file.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakebotapi import FakeBotAPI
from test_e2e import SEEDS, START, TOKEN, BotProcess, ingested

from bot.alerts import MAX_IN_FLIGHT
from storage import alerts
from storage.db import Database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals")

CHATS = list(range(1, 401))
RATE = "100"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        yield server


async def subscribed_db(path: Path) -> Path:
    db = await Database.open(path)
    try:
        await db.migrate()
        async with db.transaction():
            for chat_id in CHATS:
                await alerts.add_subscription(
                    db,
                    chat_id,
                    thread_id=None,
                    company_keys=None,
                    company_names=None,
                    kinds=None,
                    min_value=None,
                    min_currency=None,
                    created_by=None,
                )
    finally:
        await db.close()
    return path


def delivered(api: FakeBotAPI) -> Counter[int]:
    return Counter(int(r.chat_id or 0) for r in api.calls("sendMessage") if r.status == 200)


async def start(api: FakeBotAPI, db: Path, cwd: Path) -> BotProcess:
    bot = await BotProcess.start(
        api, db, cwd, DEALFLOW_ALERT_RATE=RATE, DEALFLOW_ALERT_POLL_SECONDS="0.5"
    )
    mark = len(api.calls("getUpdates"))
    await api.wait_until(
        lambda: len(api.calls("getUpdates")) > mark or bot.process.returncode,
        within=START,
        what="first getUpdates",
    )
    assert bot.process.returncode is None, bot.output
    return bot


async def test_sigkill_mid_fan_out_loses_nothing_and_repeats_at_most_one_per_chat(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    for chat_id in CHATS:
        api.private_chat(api.user(chat_id))
    db = await subscribed_db(tmp_path / "bot.db")
    bot = await start(api, db, tmp_path)
    try:
        # another process ingests while the bot runs: the bot's poll picks the alerts up
        folder = tmp_path / "articles"
        folder.mkdir()
        seed = sorted(SEEDS.glob("*.txt"))[0]
        shutil.copy(seed, folder / seed.name)
        await ingested(db, folder)
        await api.wait_until(
            lambda: True if len(delivered(api)) >= len(CHATS) // 3 else None,
            within=30,
            what="a third of the alerts",
        )
        bot.process.kill()  # SIGKILL: no shutdown, sends in flight are cut
        await bot.close()
        assert len(delivered(api)) < len(CHATS)
    finally:
        await bot.close()

    bot = await start(api, db, tmp_path)
    try:
        await api.wait_until(
            lambda: True if len(delivered(api)) == len(CHATS) else None,
            within=60,
            what="every alert",
        )
        await api.wait_until(
            lambda: True if not [r for r in api.calls("sendMessage") if r.status is None] else None,
            within=10,
            what="the last answer",
        )
    finally:
        await bot.close()

    counts = delivered(api)
    assert set(counts) == set(CHATS)  # nobody lost
    repeated = [chat for chat, n in counts.items() if n > 1]
    assert max(counts.values()) <= 2  # at most the one message in flight at the kill
    assert len(repeated) <= MAX_IN_FLIGHT
