"""Bot reply latency over a store of 100,000 facts, through the real Application.

Builds (or reuses, with ``--db``) the store ``query_bench.py`` builds, with
its bulk builder (imported, run in a child process so this process's memory
is the bot's alone), then runs the bot as ``dealflow chat`` and the handler
tests do: the real ``Application`` from ``bot.app.build_application``,
initialised as ``dealflow run`` would, with ``bot.localapi.LocalBotAPI`` as
its Bot API. Each command is a real ``Update`` in a private chat: /deals;
/deals and /company with the company named in the most facts; /search with
that name, with a word in one fact in eight and with a word in every fact.
Its time runs from just before ``application.process_update`` to the moment
the reply's ``sendMessage`` request reaches the local Bot API (a subclass
stamps it on arrival). Prints p50 / p95 / max in milliseconds for each
command over ``--updates`` updates, after 3 warm-up updates, and the
process's max RSS.

    .venv/bin/python bench/bot_bench.py [--facts 100000] [--updates 200] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import max_rss_mib, percentile, verdict
from query_bench import prepare_store
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import LOCAL_TOKEN, BotApplication, build_application
from bot.localapi import LocalBotAPI
from bot.settings import Settings
from storage.db import Database
from storage.queries import list_companies

TARGET_P95_MS = 50.0
USER = {"id": 42, "is_bot": False, "first_name": "Lan", "language_code": "en"}


class TimedBotAPI(LocalBotAPI):
    """The local Bot API, noting when each ``sendMessage`` request arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_at: list[float] = []

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if url.endswith("/sendMessage"):
            self.sent_at.append(time.perf_counter())
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


_ids = itertools.count(1)


def command_update(application: BotApplication, text: str) -> Update:
    """A user's command in a private chat, as Telegram would deliver it."""
    command = text.split()[0]
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": {"id": USER["id"], "type": "private", "first_name": "Lan"},
        "from": USER,
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
    }
    return Update.de_json({"update_id": next(_ids), "message": message}, application.bot)


@contextmanager
def store(args: argparse.Namespace) -> Iterator[Path]:
    """The database file, built in a child process when it does not hold the facts yet."""
    with tempfile.TemporaryDirectory(prefix="dealflow-bench-") as tmp:
        path = args.db or Path(tmp) / "dealflow.db"
        builder = multiprocessing.get_context("spawn").Process(
            target=_build, args=(path, args.facts, args.seed)
        )
        start = time.perf_counter()
        builder.start()
        builder.join()
        if builder.exitcode != 0:
            raise SystemExit(f"building the store failed (exit {builder.exitcode})")
        print(f"  store ready in {time.perf_counter() - start:.1f} s: {path}", flush=True)
        yield path


def _build(path: Path, facts: int, seed: int) -> None:
    asyncio.run(prepare_store(path, facts, seed))


async def busiest_company(path: Path) -> str:
    db = await Database.open(path)
    try:
        companies = await list_companies(db)
    finally:
        await db.close()
    return companies[0].name


async def run(args: argparse.Namespace, path: Path) -> None:
    busy = await busiest_company(path)
    api = TimedBotAPI()
    application = build_application(Settings(DEALFLOW_DB=path), request=api, token=LOCAL_TOKEN)
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    commands = [
        "/deals",
        f"/deals {busy}",
        f"/company {busy}",
        f"/search {busy}",
        *(f"/search {word}" for word in args.words),
    ]
    print(
        f"  {args.updates} updates a command after 3 warm-up updates; "
        f"target p95 < {TARGET_P95_MS:.0f} ms (from process_update to sendMessage)"
    )
    print(f"  {'command':<28} {'reply':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    try:
        for text in commands:
            times: list[float] = []
            for number in range(3 + args.updates):
                update = command_update(application, text)
                before = len(api.sent_at)
                start = time.perf_counter()
                await application.process_update(update)
                if len(api.sent_at) == before:
                    raise SystemExit(f"{text}: no reply was sent")
                if number >= 3:
                    times.append((api.sent_at[before] - start) * 1000)
            reply = api.sent("sendMessage")[-1].params.get("text", "")
            p95 = percentile(times, 95)
            print(
                f"  {text:<28} {len(reply):>6} {percentile(times, 50):8.2f} {p95:8.2f} "
                f"{max(times):8.2f}  {verdict(p95 < TARGET_P95_MS)}",
                flush=True,
            )
            if args.show:
                print("    " + reply.replace("\n", "\n    "))
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
    print("  (reply: characters in the last reply's text)")
    print(
        f"  max RSS of this process (the bot; the store is built in a child): "
        f"{max_rss_mib():.0f} MiB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=100_000, help="facts (default 100000)")
    parser.add_argument("--updates", type=int, default=200, help="updates per command (200)")
    parser.add_argument("--seed", type=int, default=2, help="store seed (default 2)")
    parser.add_argument(
        "--words",
        nargs="*",
        default=["acquisition", "and"],
        help="more /search words (default: acquisition, in 13%% of the facts, and 'and', in all)",
    )
    parser.add_argument("--db", type=Path, help="keep the database here and reuse it")
    parser.add_argument("--show", action="store_true", help="print each command's last reply")
    args = parser.parse_args(argv)
    print(f"bot_bench: bot replies over {args.facts:,} facts, {args.updates} updates a command")
    with store(args) as path:
        asyncio.run(run(args, path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
