"""A Bot API inside the process: python-telegram-bot talks to it instead of Telegram.

:class:`LocalBotAPI` is a ``BaseRequest``: it answers the Bot API methods the
bot uses as Telegram would (messages get ids, edits change them, files are
kept) and records every call. The terminal chat prints what it records; the
handler tests assert on it. No network is involved.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 1000,
    "is_bot": True,
    "first_name": "dealflow",
    "username": "dealflow_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    """One Bot API call: its method, its parameters, and any files sent."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


Listener = Callable[[Call, dict[str, Any] | bool], None]


class LocalBotAPI(BaseRequest):
    """Answers Bot API requests in-process, recording each one."""

    def __init__(self, *, on_call: Listener | None = None) -> None:
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        #: Files users "uploaded", by file_id: ``getFile`` and downloads serve them.
        self.files: dict[str, bytes] = {}
        #: ``getChatMember`` answers: (chat id, user id) -> status; "member" when not set.
        self.member_status: dict[tuple[int, int], str] = {}
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._ids = itertools.count(1)
        self._on_call = on_call
        self._offset = 0  # updates with a lower id were confirmed by a getUpdates offset
        self._offset_moved = asyncio.Condition()

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def wait_confirmed(self, update_id: int) -> None:
        """Wait until a ``getUpdates`` call confirms ``update_id`` with a later ``offset``.

        python-telegram-bot's Updater asks for the next offset only after it
        has put the updates it got into the application's ``update_queue``.
        """
        async with self._offset_moved:
            await self._offset_moved.wait_for(lambda: self._offset > update_id)

    def next_message_id(self) -> int:
        """A fresh message id, for a user's message: users and the bot share one sequence."""
        return next(self._ids)

    def upload(self, data: bytes, file_name: str) -> dict[str, Any]:
        """Keep a user's file; return the ``document`` object a message carries."""
        file_id = f"upload{next(self._ids)}"
        self.files[file_id] = data
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "file_size": len(data),
        }

    def sent(self, method: str | None = None) -> list[Call]:
        """The recorded calls, optionally of one method only."""
        return [c for c in self.calls if method is None or c.method == method]

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
        api_method = url.rsplit("/", 1)[-1]
        if method == "GET" and api_method in self.files:  # a file download (File.download_*)
            return 200, self.files[api_method]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for name, upload in request_data.multipart_data.items():
                filename, content = str(upload[0]), upload[1]
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (filename, data)
        call = Call(api_method, params, files)
        if api_method != "getUpdates":
            self.calls.append(call)
        result = await self._answer(call)
        if self._on_call is not None and api_method != "getUpdates":
            self._on_call(call, result)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    async def _answer(self, call: Call) -> Any:
        p = call.params
        if call.method == "getMe":
            return BOT_USER
        if call.method == "getUpdates":
            await self._confirm(int(p.get("offset") or 0))
            return await self._next_updates(float(p.get("timeout", 0) or 0))
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            return self._new_message(call)
        if call.method in ("editMessageText", "editMessageReplyMarkup"):
            key = (int(p["chat_id"]), int(p["message_id"]))
            message = self.messages.get(key) or self._new_message(call)
            if "text" in p:
                message["text"] = p["text"]
            message["reply_markup"] = _markup(p)
            return message
        if call.method == "getFile":
            file_id = str(p["file_id"])
            data = self.files.get(file_id, b"")
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(data),
                "file_path": f"documents/{file_id}",
            }
        if call.method == "getChatMember":
            key = (int(p["chat_id"]), int(p["user_id"]))
            status = self.member_status.get(key, "member")
            user = {"id": key[1], "is_bot": False, "first_name": "User"}
            member: dict[str, Any] = {"user": user, "status": status}
            if status == "administrator":
                member.update(
                    dict.fromkeys(
                        [
                            "can_be_edited",
                            "is_anonymous",
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
                        False,
                    )
                )
            elif status == "creator":
                member["is_anonymous"] = False
            return member
        if call.method == "getChat":
            return {"id": int(p["chat_id"]), "type": "private"}
        return True  # setMyCommands, answerCallbackQuery, deleteWebhook, sendChatAction, ...

    async def _confirm(self, offset: int) -> None:
        if offset > self._offset:
            async with self._offset_moved:
                self._offset = offset
                self._offset_moved.notify_all()

    async def _next_updates(self, wait: float) -> list[dict[str, Any]]:
        try:
            first = await asyncio.wait_for(self.updates.get(), timeout=max(wait, 0.01))
        except TimeoutError:
            return []
        batch = [first]
        while not self.updates.empty():
            batch.append(self.updates.get_nowait())
        return batch

    def _new_message(self, call: Call) -> dict[str, Any]:
        p = call.params
        chat_id = int(p["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
        }
        if "text" in p:
            message["text"] = p["text"]
        if "caption" in p:
            message["caption"] = p["caption"]
        if "message_thread_id" in p:
            message["message_thread_id"] = p["message_thread_id"]
        if call.method == "sendPhoto":
            message["photo"] = [
                {
                    "file_id": f"photo{message['message_id']}",
                    "file_unique_id": f"p{message['message_id']}",
                    "width": 1,
                    "height": 1,
                }
            ]
        if call.method == "sendDocument":
            name = next(iter(call.files.values()))[0] if call.files else "file"
            message["document"] = {
                "file_id": f"doc{message['message_id']}",
                "file_unique_id": f"d{message['message_id']}",
                "file_name": name,
            }
        markup = _markup(p)
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return message


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        loaded: dict[str, Any] = json.loads(markup)
        return loaded
    return markup if isinstance(markup, dict) else None
