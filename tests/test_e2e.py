"""End to end: the real ``dealflow run`` process against the fake Bot API over loopback HTTP.

Each test ingests seeds/ into a fresh database, starts ``python -m bot -vv
run`` with the fake server as its Bot API, talks to it as Telegram would and
stops it with SIGTERM. Every wait is for a condition, with generous limits.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fakebotapi import FakeBotAPI

from bot.pipeline import ingest_paths
from bot.redact import MASK
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "corpus"
TOKEN = "123:TEST"
START = 60.0  # seconds a cold interpreter may take to import everything and reach the API
REPLY = 30.0  # seconds for one answer
STOP = 10.0  # seconds from SIGTERM to exit

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals")


class BotProcess:
    """``python -m bot -vv run ...`` with its output collected line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        assert process.stdout is not None and process.stderr is not None
        self._readers = [
            asyncio.create_task(self._collect(process.stdout)),
            asyncio.create_task(self._collect(process.stderr)),
        ]

    @classmethod
    async def start(
        cls, api: FakeBotAPI, db: Path, cwd: Path, *args: str, **more_env: str
    ) -> BotProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DEALFLOW_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_API_URL=api.base_url,
            TELEGRAM_FILE_URL=api.base_file_url,
            DEALFLOW_DB=str(db),
            PTB_TIMEDELTA="1",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            **more_env,
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "-vv",  # debug logs: python-telegram-bot logs its API URL, token included
            "run",
            *args,
            cwd=cwd,  # no .env of the developer's
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def _collect(self, stream: asyncio.StreamReader) -> None:
        async for line in stream:
            self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    async def wait(self, within: float = STOP) -> int:
        code = await asyncio.wait_for(self.process.wait(), within)
        await asyncio.gather(*self._readers)
        return code

    async def terminate(self) -> int:
        """SIGTERM, then the exit code; fails if it takes longer than :data:`STOP`."""
        self.process.send_signal(signal.SIGTERM)
        return await self.wait()

    async def close(self) -> None:
        """Kill the process if it still runs; collect the rest of its output."""
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
        await asyncio.gather(*self._readers)


async def ingested(path: Path, *folders: Path) -> Path:
    db = await Database.open(path)
    try:
        await db.migrate()
        await ingest_paths(db, list(folders))
    finally:
        await db.close()
    return path


@pytest.fixture
async def seeded_db(tmp_path: Path) -> Path:
    return await ingested(tmp_path / "bot.db", SEEDS)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        yield server


@pytest.fixture
async def running(api: FakeBotAPI, seeded_db: Path, tmp_path: Path) -> AsyncIterator[BotProcess]:
    bot = await start_polling(api, seeded_db, tmp_path)
    try:
        yield bot
    finally:
        await bot.close()


async def start_polling(api: FakeBotAPI, db: Path, cwd: Path) -> BotProcess:
    """The bot, started and waiting in its first getUpdates."""
    bot = await BotProcess.start(api, db, cwd)
    try:
        await api.wait_until(
            lambda: api.calls("getUpdates") or bot.process.returncode,
            within=START,
            what="first getUpdates",
        )
    except BaseException:
        await bot.close()
        raise
    assert bot.process.returncode is None, bot.output
    return bot


def assert_no_secret(bot: BotProcess, *secrets: str) -> None:
    leaks = [line for line in bot.lines if any(secret in line for secret in secrets)]
    assert not leaks, f"secret in output: {leaks}"


async def test_polling_bot_answers_commands_and_stops_cleanly_on_sigterm(
    api: FakeBotAPI, running: BotProcess, seeded_db: Path
) -> None:
    # start: who am I, the commands in both languages, polling for what the bot handles
    assert api.calls("getMe")
    assert set(api.commands) == {('{"type": "default"}', ""), ('{"type": "default"}', "vi")}
    assert "deals" in [c["command"] for c in api.commands[('{"type": "default"}', "")]]
    (delete_webhook,) = api.calls("deleteWebhook")
    assert not delete_webhook.params.get("drop_pending_updates")
    allowed = api.calls("getUpdates")[0].params["allowed_updates"]
    assert {"message", "callback_query", "my_chat_member"} <= set(allowed)

    # /deals in a private chat
    chat = api.private_chat(api.user(42, "Lan"))
    mark = api.mark()
    api.send_message(chat, "/deals")
    reply = await api.wait_for_request("sendMessage", chat_id=42, since=mark, within=REPLY)
    assert reply.status == 200, reply.error
    assert "$38B" in reply.text and "Anthropic" in reply.text

    # in a group, a command for another bot is not ours; one with our name is
    group = api.group_chat(-100123, "AI money")
    mark = api.mark()
    api.send_message(group, "/deals@some_other_bot", user=api.user(43, "Minh"))
    api.send_message(group, "/revenue@dealflow_test_bot OpenAI", user=api.user(43, "Minh"))
    reply = await api.wait_for_request("sendMessage", chat_id=-100123, since=mark, within=REPLY)
    assert reply.status == 200, reply.error
    assert "OpenAI" in reply.text and "$1B" in reply.text
    assert "$38B" not in reply.text  # not the /deals meant for the other bot

    stopping = asyncio.get_running_loop().time()
    assert await running.terminate() == 0, running.output
    assert asyncio.get_running_loop().time() - stopping < STOP
    assert_no_secret(running, TOKEN)
    assert MASK in running.output  # the debug lines quoting the API URL were redacted
    assert "running as @dealflow_test_bot" in running.output
    wal = seeded_db.with_name(f"{seeded_db.name}-wal")
    assert not await asyncio.to_thread(wal.exists)  # the database was closed (WAL checkpointed)
    assert api.requests[-1].method == "getUpdates"  # the last call confirms what was fetched


async def test_page_and_sources_buttons_of_a_long_list(api: FakeBotAPI, tmp_path: Path) -> None:
    db = await ingested(tmp_path / "long.db", SEEDS, CORPUS)  # enough deals for pages
    bot = await start_polling(api, db, tmp_path)
    try:
        chat = api.private_chat(api.user(42))
        mark = api.mark()
        api.send_message(chat, "/deals")
        first = await api.wait_for_request("sendMessage", chat_id=42, since=mark, within=REPLY)
        assert first.status == 200, first.error
        labels = [b["text"] for b in first.buttons]
        assert "▶" in labels and "◀" not in labels
        pages = next(label for label in labels if label.startswith("1/"))

        # ▶ edits the same message into page 2 and answers the query
        mark = api.mark()
        api.press_button(first.result, "▶")
        edit = await api.wait_for_request("editMessageText", chat_id=42, since=mark, within=REPLY)
        answer = await api.wait_for_request("answerCallbackQuery", since=mark, within=REPLY)
        assert (edit.status, answer.status) == (200, 200), (edit.error, answer.error)
        assert edit.params["message_id"] == first.result["message_id"]
        assert edit.text != first.text
        assert {"◀", pages.replace("1/", "2/")} <= {b["text"] for b in edit.buttons}
        assert not api.calls("sendMessage", since=mark)

        # ◀ brings page 1 back
        mark = api.mark()
        api.press_button(first.result, "◀")
        back = await api.wait_for_request("editMessageText", chat_id=42, since=mark, within=REPLY)
        assert back.status == 200 and back.text == first.text

        # a numbered button sends that fact's sources
        mark = api.mark()
        api.press_button(first.result, "1")
        sources = await api.wait_for_request("sendMessage", chat_id=42, since=mark, within=REPLY)
        answer = await api.wait_for_request("answerCallbackQuery", since=mark, within=REPLY)
        assert sources.status == 200 and answer.status == 200
        assert "Sources" in sources.text

        assert await bot.terminate() == 0, bot.output
    finally:
        await bot.close()
    assert_no_secret(bot, TOKEN)
    refused = [(r.method, r.error) for r in api.requests if r.status not in (200, None)]
    assert not refused  # None: a long poll the bot gave up when it stopped


async def test_webhook_bot_answers_pushed_updates(
    api: FakeBotAPI, seeded_db: Path, tmp_path: Path
) -> None:
    port = _free_port()
    secret = "hook-s3cret"
    bot = await BotProcess.start(
        api,
        seeded_db,
        tmp_path,
        "--webhook-url",
        f"http://127.0.0.1:{port}/tg/hook",
        "--port",
        str(port),
        TELEGRAM_WEBHOOK_SECRET=secret,
    )
    try:
        hook = await api.wait_for_request("setWebhook", within=START)
        assert hook.params["url"] == f"http://127.0.0.1:{port}/tg/hook"
        assert hook.params["secret_token"] == secret
        assert "callback_query" in hook.params["allowed_updates"]

        chat = api.private_chat(api.user(42))
        mark = api.mark()
        api.send_message(chat, "/revenue OpenAI")
        reply = await api.wait_for_request("sendMessage", chat_id=42, since=mark, within=REPLY)
        assert "$1B" in reply.text
        assert [status for _, status in api.pushes][-1] == 200

        async with httpx.AsyncClient() as client:  # a stranger without the secret
            forged = await client.post(hook.params["url"], json={"update_id": 99})
        assert forged.status_code == 403

        assert await bot.terminate() == 0, bot.output
    finally:
        await bot.close()
    assert not api.calls("getUpdates")
    assert_no_secret(bot, TOKEN, secret)


async def test_a_rejected_token_exits_1_without_showing_it(seeded_db: Path, tmp_path: Path) -> None:
    async with FakeBotAPI("999:OTHER") as other:
        api = FakeBotAPI(TOKEN)  # the bot's settings, another bot's server
        api.port = other.port
        bot = await BotProcess.start(api, seeded_db, tmp_path)
        try:
            assert await bot.wait(within=START) == 1
        finally:
            await bot.close()
    assert "rejected TELEGRAM_BOT_TOKEN" in bot.lines[-1]
    assert_no_secret(bot, TOKEN)
    assert MASK in bot.output  # python-telegram-bot's own message quotes the token


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
