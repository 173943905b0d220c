"""CPU per Bot API call: httpx (PTB's default) against aiohttp (``bot/aiohttp_request.py``).

Sends ``--n`` sendMessage calls, ``--concurrency`` at a time, to
``tests/fakebotapi.py`` on 127.0.0.1 through python-telegram-bot's ``Bot``
with each request class, in this one process, and prints the CPU time per
call (the fake server's share included, the same for both) and the ratio.

    .venv/bin/python bench/http_bench.py [--n 2000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotAPI  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import BaseRequest, HTTPXRequest  # noqa: E402

from bot.aiohttp_request import AiohttpRequest  # noqa: E402

TOKEN = "123:BENCH"


async def cpu_per_call(api: FakeBotAPI, request: BaseRequest, n: int, concurrency: int) -> float:
    """Seconds of this process's CPU per sendMessage call."""
    slots = asyncio.Semaphore(concurrency)
    async with Bot(TOKEN, base_url=api.base_url, request=request) as bot:

        async def one(chat_id: int) -> None:
            async with slots:
                await bot.send_message(chat_id, "<b>OpenAI</b> raised $40B", parse_mode="HTML")

        await one(1)  # connections open, code warm
        started = time.process_time()
        await asyncio.gather(*(one(chat_id) for chat_id in range(1, n + 1)))
        return (time.process_time() - started) / n


async def run(n: int, concurrency: int) -> None:
    async with FakeBotAPI(TOKEN) as api:
        for chat_id in range(1, n + 1):
            api.private_chat(api.user(chat_id))
        httpx_cpu = await cpu_per_call(api, HTTPXRequest(connection_pool_size=64), n, concurrency)
        aiohttp_cpu = await cpu_per_call(api, AiohttpRequest(), n, concurrency)
    print(f"{n:,} sendMessage calls, {concurrency} at a time, CPU of bot and fake server per call")
    print(f"  httpx:    {httpx_cpu * 1e3:.2f} ms")
    print(f"  aiohttp:  {aiohttp_cpu * 1e3:.2f} ms  ({httpx_cpu / aiohttp_cpu:.1f}x less)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(run(args.n, args.concurrency))


if __name__ == "__main__":
    main()
