"""Drive the real Application with real Update objects; the local Bot API records replies."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import LOCAL_TOKEN, BotApplication, build_application
from bot.localapi import BOT_USER, Call, LocalBotAPI
from bot.settings import Settings

_ids = itertools.count(1)
USER = {"id": 42, "is_bot": False, "first_name": "Lan", "language_code": "en"}
GROUP = {"id": -100123, "type": "supergroup", "title": "AI money", "is_forum": True}


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

    async def press(self, call: Call, button_text: str, *, lang: str = "en") -> list[Call]:
        """Press the inline button labelled ``button_text`` under the message ``call`` sent."""
        markup = call.params.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
        button = next(b for b in buttons if b["text"] == button_text)
        sent = next(
            m for m in self.api.messages.values() if m.get("text") == call.params.get("text")
        )
        query = {
            "id": str(next(_ids)),
            "from": {**USER, "language_code": lang},
            "chat_instance": "1",
            "data": button["callback_data"],
            "message": sent,
        }
        return await self.process({"update_id": next(_ids), "callback_query": query})

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


def texts(calls: list[Call]) -> list[str]:
    """The texts (or captions) of the messages in ``calls``."""
    return [str(c.params.get("text") or c.params.get("caption") or "") for c in calls]


__all__ = ["BOT_USER", "GROUP", "BotHarness", "running_bot", "texts"]
