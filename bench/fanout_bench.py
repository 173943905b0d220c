"""Alert fan-out: one article to ``--n`` subscribed chats through the fake Bot API.

Starts the real bot (``python -m bot run``) in its own process against
``tests/fakebotapi.py`` on 127.0.0.1 with ``DEALFLOW_ALERT_RATE=--rate``,
subscribes ``--n`` private chats to everything, then ingests one seed
article from this process (as ``dealflow ingest`` would) and waits until
every chat has its alert. Prints the achieved rate as a share of the
configured one (target >= 90%), the time from the ingest's commit to the
first alert reaching the server, and the bot process's peak memory.

    .venv/bin/python bench/fanout_bench.py [--n 10000] [--rate 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import verdict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotAPI  # noqa: E402

from bot.pipeline import ingest_paths  # noqa: E402
from storage import alerts  # noqa: E402
from storage.db import Database  # noqa: E402

TARGET = 0.90  # achieved / configured rate


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """The resident set size of process ``pid`` now, in MiB (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def subscribe(db_path: Path, n: int) -> None:
    db = await Database.open(db_path)
    try:
        await db.migrate()
        async with db.transaction():
            for chat_id in range(1, n + 1):
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


async def run(n: int, rate: float, poll: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        db_path = folder / "bench.db"
        await subscribe(db_path, n)
        articles = folder / "articles"
        articles.mkdir()
        seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
        shutil.copy(seed, articles / seed.name)
        async with FakeBotAPI("123:BENCH") as api:
            for chat_id in range(1, n + 1):
                api.private_chat(api.user(chat_id))
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DEALFLOW_"))
            }
            env.update(
                TELEGRAM_BOT_TOKEN=api.token,
                TELEGRAM_API_URL=api.base_url,
                TELEGRAM_FILE_URL=api.base_file_url,
                DEALFLOW_DB=str(db_path),
                DEALFLOW_ALERT_RATE=str(rate),
                DEALFLOW_ALERT_POLL_SECONDS=str(poll),
                DEALFLOW_FEED_POLL_MINUTES="0",
                PTB_TIMEDELTA="1",
                PYTHONPATH=str(ROOT),
            )
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=folder,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            try:
                await api.wait_until(lambda: api.calls("getUpdates") or None, within=60)
                idle_rss = rss_mib(bot.pid)
                db = await Database.open(db_path)
                try:
                    await ingest_paths(db, [articles])
                finally:
                    await db.close()
                committed = time.monotonic()
                bot_cpu, own_cpu = cpu_seconds(bot.pid), time.process_time()
                peak = idle_rss
                seen, ok, last_sample = 0, 0, 0.0

                def done() -> bool | None:  # runs after every request: keep it O(1)
                    nonlocal peak, seen, ok, last_sample
                    if time.monotonic() - last_sample > 0.2:
                        peak, last_sample = max(peak, rss_mib(bot.pid)), time.monotonic()
                    while seen < len(api.requests) and api.requests[seen].status is not None:
                        request = api.requests[seen]
                        ok += request.method == "sendMessage" and request.status == 200
                        seen += 1
                    return True if ok >= n else None

                await api.wait_until(done, within=n / rate * 5 + 60, what="every alert")
                bot_cpu = cpu_seconds(bot.pid) - bot_cpu
                own_cpu = time.process_time() - own_cpu
            finally:
                bot.terminate()
                await bot.wait()
        sends = sorted(r.at for r in api.calls("sendMessage"))
        span = sends[-1] - sends[0]
        achieved = (len(sends) - 1) / span if span > 0 else float("inf")
        share = achieved / rate
        print(f"fan-out of one article to {n:,} chats, configured rate {rate:g}/s, poll {poll:g} s")
        print(f"  sent:             {len(sends):,} messages in {span:.2f} s")
        mark = verdict(share >= TARGET)
        print(f"  achieved rate:    {achieved:.0f}/s = {share:.0%} of configured  [{mark}]")
        print(f"  commit → first:   {sends[0] - committed:.3f} s")
        print(f"  CPU from commit:  bot {bot_cpu:.2f} s, fake server {own_cpu:.2f} s")
        print(f"  bot RSS:          {idle_rss:.0f} MiB idle, {peak:.0f} MiB peak during fan-out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--poll", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(run(args.n, args.rate, args.poll))


if __name__ == "__main__":
    main()
