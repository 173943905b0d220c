"""Drive the real Application with real Update objects; the local Bot API records replies."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import LOCAL_TOKEN, BotApplication, build_application
from bot.localapi import BOT_USER, Call, LocalBotAPI
from bot.settings import Settings

_ids = itertools.count(1)
SEEDS = Path(__file__).parent.parent / "seeds"
USER = {"id": 42, "is_bot": False, "first_name": "Lan", "language_code": "en"}
GROUP = {"id": -100123, "type": "supergroup", "title": "AI money", "is_forum": True}


#: What the Bot API sends besides the status for some chat member statuses.
_MEMBER_FIELDS: dict[str, dict[str, Any]] = {
    "kicked": {"until_date": 0},
    "administrator": {
        "can_be_edited": False,
        "is_anonymous": False,
        **dict.fromkeys(
            [
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            ],
            True,
        ),
    },
}


class BotHarness:
    """Send messages and button presses to the bot; read what it answered."""

    def __init__(self, application: BotApplication, api: LocalBotAPI) -> None:
        self.application = application
        self.api = api

    async def send(
        self,
        text: str,
        *,
        lang: str = "en",
        chat: dict[str, Any] | None = None,
        user_id: int = USER["id"],  # type: ignore[assignment]
        thread_id: int | None = None,
    ) -> list[Call]:
        """Send ``text`` as a user's message; return the calls the bot made in reply."""
        chat = chat or {"id": user_id, "type": "private", "first_name": "Lan"}
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {**USER, "id": user_id, "language_code": lang},
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        return await self.process({"update_id": next(_ids), "message": message})

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        *,
        lang: str = "en",
        user_id: int = USER["id"],  # type: ignore[assignment]
    ) -> list[Call]:
        """Send a file as a user's document in a private chat; return the bot's calls."""
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Lan"},
            "from": {**USER, "id": user_id, "language_code": lang},
            "document": self.api.upload(data, file_name),
        }
        return await self.process({"update_id": next(_ids), "message": message})

    async def press(self, call: Call, button_text: str, *, lang: str = "en") -> list[Call]:
        """Press the inline button labelled ``button_text`` under the message ``call`` sent."""
        markup = call.params.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
        button = next(b for b in buttons if b["text"] == button_text)
        sent = dict(
            next(m for m in self.api.messages.values() if m.get("text") == call.params.get("text"))
        )
        if "message_thread_id" in sent:  # as Telegram marks the bot's messages in a topic
            sent["is_topic_message"] = True
        return await self.click(sent, button["callback_data"], lang=lang)

    async def click(self, message: dict[str, Any], data: str, *, lang: str = "en") -> list[Call]:
        """Press a button carrying ``data`` under ``message`` (as the Bot API shows it)."""
        query = {
            "id": str(next(_ids)),
            "from": {**USER, "language_code": lang},
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
        return await self.process({"update_id": next(_ids), "callback_query": query})

    async def membership(
        self, chat: dict[str, Any], old: str, new: str, *, lang: str = "en"
    ) -> list[Call]:
        """Tell the bot its own status in ``chat`` changed from ``old`` to ``new``."""
        change = {
            "chat": chat,
            "from": {**USER, "language_code": lang},
            "date": int(time.time()),
            "old_chat_member": {"user": BOT_USER, "status": old, **_MEMBER_FIELDS.get(old, {})},
            "new_chat_member": {"user": BOT_USER, "status": new, **_MEMBER_FIELDS.get(new, {})},
        }
        return await self.process({"update_id": next(_ids), "my_chat_member": change})

    async def process(self, raw: dict[str, Any]) -> list[Call]:
        before = len(self.api.calls)
        update = Update.de_json(raw, self.application.bot)
        await self.application.process_update(update)
        return self.api.calls[before:]


@asynccontextmanager
async def running_bot(db_path: Path, **settings: Any) -> AsyncIterator[BotHarness]:
    """The real Application on a real database file, initialised as ``run`` would."""
    api = LocalBotAPI()
    config = Settings(DEALFLOW_DB=db_path, **settings)
    application = build_application(config, request=api, token=LOCAL_TOKEN)
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    try:
        yield BotHarness(application, api)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def seeded_database(path: Path, *folders: Path) -> Path:
    """A migrated database file at ``path`` with the articles of ``folders`` (default: seeds/)."""
    from bot.pipeline import ingest_paths
    from storage.db import Database

    db = await Database.open(path)
    await db.migrate()
    await ingest_paths(db, list(folders) or [SEEDS])
    await db.close()
    return path


def buttons(call: Call) -> dict[str, str]:
    """The inline buttons under a sent or edited message: label -> callback_data."""
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag


def assert_balanced_lines(text: str) -> None:
    """Every line is well-formed HTML on its own, with only Telegram's tags."""
    for line in text.split("\n"):
        parser = _Balance()
        parser.feed(line)
        parser.close()
        assert parser.open == [], line
    assert set(re.findall(r"</?([a-z]+)", text)) <= {"b", "i", "code", "a"}


def texts(calls: list[Call]) -> list[str]:
    """The texts (or captions) of the messages in ``calls``."""
    return [str(c.params.get("text") or c.params.get("caption") or "") for c in calls]


__all__ = [
    "BOT_USER",
    "GROUP",
    "BotHarness",
    "assert_balanced_lines",
    "buttons",
    "running_bot",
    "seeded_database",
    "texts",
]
