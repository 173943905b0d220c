"""A fake Telegram Bot API on 127.0.0.1, for tests that run the real bot over HTTP.

:class:`FakeBotAPI` is a tornado server in the test's own event loop. It
answers ``POST /bot<TOKEN>/<method>`` (JSON, form or multipart bodies, as
python-telegram-bot sends them) the way Telegram does for the methods the bot
uses, keeps the messages it "sent" so they can be edited and their buttons
pressed, and records every request with a monotonic timestamp.

A test queues updates (:meth:`FakeBotAPI.send_message`,
:meth:`FakeBotAPI.press_button`, :meth:`FakeBotAPI.queue_update`), which the
bot fetches by long polling or, once it has set a webhook, the server POSTs
to it; then the test waits for what the bot does
(:meth:`FakeBotAPI.wait_for_request`). Chats can be scripted to fail
(:meth:`FakeBotAPI.fail`: flood waits, blocked users, migrated groups), or a
:attr:`FakeBotAPI.failure_hook` may decide per request: fan-out tests need
both.

::

    async with FakeBotAPI(token="123:TEST") as api:
        chat = api.private_chat(api.user(42))
        mark = api.mark()
        api.send_message(chat, "/deals")
        reply = await api.wait_for_request("sendMessage", chat_id=42, since=mark)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TypeVar

import httpx
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

T = TypeVar("T")
JSON = dict[str, Any]

#: Parameters Telegram reads as strings: form bodies must not JSON-decode them ("123" stays text).
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "language_code",
        "action",
        "title",
        "description",
        "short_description",
        "query",
        "inline_message_id",
        "photo",
        "document",
        "file_id",
        "ip_address",
        "emoji",
        "name",
    }
)
#: How often :meth:`FakeBotAPI.wait_until` checks its condition when nothing happens.
RECHECK = 0.25
#: Methods that post a new message.
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
#: Methods that change a message the bot sent.
EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class Failure:
    """An error answer: HTTP status, Telegram's description, and its ``parameters``."""

    status: int
    description: str
    parameters: JSON | None = None

    @classmethod
    def retry_after(cls, seconds: int) -> Failure:
        """429: flood control, try again in ``seconds``."""
        return cls(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    @classmethod
    def forbidden(cls, description: str = "Forbidden: bot was blocked by the user") -> Failure:
        """403: the user blocked the bot, or it was removed from the group."""
        return cls(403, description)

    @classmethod
    def migrated(cls, new_chat_id: int) -> Failure:
        """400: the group became a supergroup with a new id."""
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_chat_id},
        )

    @classmethod
    def bad_request(cls, description: str) -> Failure:
        return cls(400, f"Bad Request: {description}")

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


#: Decides per request whether to fail it: ``(method, params) -> Failure | None``.
FailureHook = Callable[[str, JSON], Failure | None]


@dataclass
class Request:
    """One request the bot made: recorded when it arrives, completed when answered."""

    at: float  # time.monotonic() when it arrived
    method: str
    params: JSON
    files: dict[str, tuple[str, bytes]]
    chat_id: int | str | None
    status: int | None = None  # None while it is being answered (a long poll)
    result: Any = None  # the ``result`` answered, when ``status`` is 200
    error: str | None = None  # the description answered otherwise

    @property
    def text(self) -> str:
        """The text (or caption) sent, ``""`` if none."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[JSON]:
        """The inline buttons sent with this request, row after row."""
        markup = self.params.get("reply_markup")
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [button for row in rows for button in row]


@dataclass
class _Scripted:
    chat_id: int | str
    failure: Failure
    times: int | None  # None: every time
    methods: frozenset[str] | None


@dataclass
class _Chat:
    info: JSON
    user: JSON | None  # who speaks in a private chat
    message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))


class APIError(Exception):
    """Raised inside the server to answer with a :class:`Failure`."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.description)
        self.failure = failure


class FakeBotAPI:
    """A Bot API server for one bot; use ``async with`` to start and stop it."""

    def __init__(
        self,
        token: str = "123:TEST",
        *,
        username: str = "dealflow_test_bot",
        first_name: str = "dealflow test",
    ) -> None:
        self.token = token
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.requests: list[Request] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.callback_answers: dict[str, JSON] = {}
        self.webhook: JSON | None = None
        self.files: dict[str, tuple[str, bytes]] = {}
        #: Set this to decide per request whether it fails (checked before :meth:`fail` rules).
        self.failure_hook: FailureHook | None = None
        self.port = 0
        self._chats: dict[int | str, _Chat] = {}
        self._pending: list[JSON] = []
        self._offset = 0  # updates with a lower id were confirmed
        self._allowed: frozenset[str] | None = None
        self._queries: dict[str, bool] = {}  # callback query id -> answered
        self._scripted: list[_Scripted] = []
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._waiters: set[asyncio.Future[None]] = set()
        self._server: HTTPServer | None = None
        self._pusher: asyncio.Task[None] | None = None
        #: Webhook deliveries: (update id, HTTP status, or the connection error's name).
        self.pushes: list[tuple[int, int | str]] = []
        self._closing = False
        self._default_user = self.user(42)

    # --- life cycle ---------------------------------------------------------------------

    async def start(self) -> None:
        app = Application(
            [
                (r"/bot([^/]+)/([A-Za-z]+)", _MethodHandler, {"api": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"api": self}),
            ],
            log_function=lambda handler: None,
        )
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        self._closing = True
        self._changed()  # long polls return now
        if self._pusher is not None:
            self._pusher.cancel()
            await asyncio.gather(self._pusher, return_exceptions=True)
            self._pusher = None
        if self._server is not None:
            self._server.stop()
            await asyncio.sleep(0)
            await self._server.close_all_connections()
            self._server = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ``TELEGRAM_API_URL`` / ``base_url``: python-telegram-bot appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``TELEGRAM_FILE_URL`` / ``base_file_url``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- chats, users, updates ------------------------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "Lan", *, lang: str = "en") -> JSON:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": lang}

    def private_chat(self, user: JSON | None = None) -> JSON:
        """A private chat with ``user`` (a default user if none), known from now on."""
        user = user or self._default_user
        info = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self._chats[user["id"]] = _Chat(info, user)
        return info

    def group_chat(
        self, chat_id: int = -100123, title: str = "AI money", *, kind: str = "supergroup"
    ) -> JSON:
        """A group (``kind="group"``) or supergroup the bot is in."""
        info = {"id": chat_id, "type": kind, "title": title}
        self._chats[chat_id] = _Chat(info, None)
        return info

    def queue_update(self, kind: str, payload: JSON) -> JSON:
        """Queue ``{"update_id": n, kind: payload}`` for getUpdates; return the update."""
        update = {"update_id": next(self._update_ids), kind: payload}
        self._pending.append(update)
        self._changed()
        return update

    def send_message(
        self,
        chat: JSON,
        text: str,
        *,
        user: JSON | None = None,
        thread_id: int | None = None,
    ) -> JSON:
        """Queue a user's text message; a leading ``/command`` gets its ``bot_command`` entity."""
        known = self._chat(chat["id"])
        message: JSON = {
            "message_id": next(known.message_ids),
            "date": int(time.time()),
            "chat": known.info,
            "from": user or known.user or self._default_user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        return self.queue_update("message", message)

    def press_button(self, message: JSON, button: str | int, *, user: JSON | None = None) -> JSON:
        """Queue a callback query pressing ``button`` (its label, or its number from 1).

        ``message`` is a message the bot sent (a request's ``result``); its
        current state (after any edits) is what the query carries.
        """
        chat_id = message["chat"]["id"]
        current = self.messages[(chat_id, message["message_id"])]
        markup = current.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
        if isinstance(button, int):
            chosen = buttons[button - 1]
        else:
            chosen = next(b for b in buttons if b["text"] == button)
        query_id = f"{len(self._queries) + 1}"
        self._queries[query_id] = False
        known = self._chat(chat_id)
        query = {
            "id": query_id,
            "from": user or known.user or self._default_user,
            "chat_instance": f"instance{chat_id}",
            "data": chosen["callback_data"],
            "message": current,
        }
        return self.queue_update("callback_query", query)

    def bot_added(self, chat: JSON, *, by: JSON | None = None) -> JSON:
        """Queue the ``my_chat_member`` update Telegram sends when the bot joins ``chat``."""
        member = {
            "chat": self._chat(chat["id"]).info,
            "from": by or self._default_user,
            "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": self.bot_user},
            "new_chat_member": {"status": "member", "user": self.bot_user},
        }
        return self.queue_update("my_chat_member", member)

    async def _push_updates(self) -> None:
        """While a webhook is set, POST each queued update to it in order, as Telegram does.

        An update is confirmed (dropped) once the bot answers 200; until then
        it is tried again every 0.1 s (the bot's server may not listen yet).
        """
        async with httpx.AsyncClient(timeout=10) as client:
            while self.webhook is not None and not self._closing:
                hook = self.webhook

                def next_update(hook: JSON = hook) -> JSON | None:
                    if self.webhook is not hook or self._closing:
                        return {}
                    return self._pending[0] if self._pending else None

                update = await self.wait_until(next_update, within=3600, what="update")
                if not update:
                    continue
                headers = {}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                try:
                    response = await client.post(hook["url"], json=update, headers=headers)
                    status: int | str = response.status_code
                except httpx.TransportError as exc:
                    status = type(exc).__name__
                self.pushes.append((update["update_id"], status))
                if status == 200 and self._pending and self._pending[0] is update:
                    self._pending.pop(0)
                    self._offset = update["update_id"] + 1
                    self._changed()
                else:
                    await asyncio.sleep(0.1)

    # --- scripted failures ----------------------------------------------------------------

    def fail(
        self,
        chat_id: int | str,
        failure: Failure,
        *,
        times: int | None = 1,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer the next ``times`` requests for ``chat_id`` (``None``: all) with ``failure``.

        ``methods`` limits the rule to those methods. Rules apply in the
        order they were added; each request uses at most one.
        """
        chosen = frozenset(methods) if methods is not None else None
        self._scripted.append(_Scripted(chat_id, failure, times, chosen))

    def _scripted_failure(
        self, method: str, chat_id: int | str | None, params: JSON
    ) -> Failure | None:
        if self.failure_hook is not None:
            hooked = self.failure_hook(method, params)
            if hooked is not None:
                return hooked
        if chat_id is None:
            return None
        for rule in self._scripted:
            if rule.chat_id != chat_id or (rule.methods and method not in rule.methods):
                continue
            if rule.times is not None:
                if rule.times <= 0:
                    continue
                rule.times -= 1
            return rule.failure
        return None

    # --- looking and waiting -----------------------------------------------------------------

    def mark(self) -> int:
        """A position in :attr:`requests`: pass it as ``since`` to wait for later requests."""
        return len(self.requests)

    def calls(
        self,
        method: str | Iterable[str] | None = None,
        *,
        chat_id: int | str | None = None,
        since: int = 0,
    ) -> list[Request]:
        """The recorded requests, by method(s), chat, and position."""
        methods = {method} if isinstance(method, str) else set(method) if method else None
        return [
            r
            for r in self.requests[since:]
            if (methods is None or r.method in methods)
            and (chat_id is None or r.chat_id == chat_id)
        ]

    async def wait_for_request(
        self,
        method: str | Iterable[str] | None = None,
        *,
        chat_id: int | str | None = None,
        since: int = 0,
        within: float = 10.0,
    ) -> Request:
        """The first request matching, once it has been answered; fails after ``within`` seconds."""
        what = f"{method} to chat {chat_id}" if chat_id is not None else str(method)

        def found() -> Request | None:
            matches = self.calls(method, chat_id=chat_id, since=since)
            return next((r for r in matches if r.status is not None), None)

        return await self.wait_until(found, within=within, what=what)

    async def wait_confirmed(self, update: JSON, *, within: float = 10.0) -> None:
        """Wait until the bot confirms ``update`` (asks getUpdates for a later offset)."""
        update_id = update["update_id"]
        await self.wait_until(
            lambda: True if self._offset > update_id else None,
            within=within,
            what=f"confirmation of update {update_id}",
        )

    async def wait_until(
        self, check: Callable[[], T | None], *, within: float = 10.0, what: str = "a condition"
    ) -> T:
        """Wait until ``check()`` returns something other than ``None``; return it.

        ``check`` runs after every request and queued update, and at least
        every :data:`RECHECK` seconds (for conditions such as a process exiting).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while (value := check()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = ", ".join(f"{r.method}({r.chat_id})" for r in self.requests[-20:])
                raise TimeoutError(f"no {what} within {within}s; last requests: {seen}")
            waiter = loop.create_future()
            self._waiters.add(waiter)
            try:  # woken by any request or update, and every so often for outside conditions
                await asyncio.wait_for(waiter, min(remaining, RECHECK))
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(waiter)
        return value

    def _changed(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    # --- answering -------------------------------------------------------------------------

    def _chat(self, chat_id: int | str | None) -> _Chat:
        if chat_id is None:
            raise APIError(Failure.bad_request("chat_id is empty"))
        known = self._chats.get(chat_id)
        if known is None:
            raise APIError(Failure.bad_request("chat not found"))
        return known

    async def handle(
        self, token: str, method: str, params: JSON, files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, JSON]:
        """Record one request and answer it: ``(HTTP status, body)``."""
        chat_id = params.get("chat_id")
        request = Request(time.monotonic(), method, params, files, chat_id)
        self.requests.append(request)
        self._changed()
        status, body = 200, {}
        try:
            if token != self.token:
                raise APIError(Failure(401, "Unauthorized"))
            failure = self._scripted_failure(method, chat_id, params)
            if failure is not None:
                raise APIError(failure)
            answer = getattr(self, f"_do_{method}", None)
            if answer is None:
                raise APIError(Failure(404, "Not Found: method not found"))
            body = {"ok": True, "result": await answer(params, files)}
        except APIError as exc:
            status, body = exc.failure.status, exc.failure.body()
        request.status, request.result = status, body.get("result")
        request.error = body.get("description")
        self._changed()
        return status, body

    async def _do_getMe(self, params: JSON, files: object) -> JSON:
        return self.bot_user

    async def _do_getUpdates(self, params: JSON, files: object) -> list[JSON]:
        if self.webhook is not None:
            raise APIError(
                Failure(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            )
        offset = int(params.get("offset") or 0)
        if offset > self._offset:
            self._offset = offset
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if params.get("allowed_updates"):
            self._allowed = frozenset(params["allowed_updates"])
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)

        def ready() -> list[JSON] | None:
            if self._allowed is not None:
                self._pending = [u for u in self._pending if _kind(u) in self._allowed]
            return self._pending[:limit] or ([] if self._closing else None)

        try:
            return await self.wait_until(ready, within=timeout, what="update")
        except TimeoutError:
            return []

    async def _do_setWebhook(self, params: JSON, files: object) -> bool:
        self.webhook = dict(params)
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_updates())
        return True

    async def _do_deleteWebhook(self, params: JSON, files: object) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _do_getWebhookInfo(self, params: JSON, files: object) -> JSON:
        hook = self.webhook or {}
        return {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _do_setMyCommands(self, params: JSON, files: object) -> bool:
        self.commands[_commands_key(params)] = list(params["commands"])
        return True

    async def _do_deleteMyCommands(self, params: JSON, files: object) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _do_getMyCommands(self, params: JSON, files: object) -> list[JSON]:
        return self.commands.get(_commands_key(params), [])

    async def _do_getChat(self, params: JSON, files: object) -> JSON:
        info = self._chat(params.get("chat_id")).info
        return {
            **info,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _do_sendChatAction(self, params: JSON, files: object) -> bool:
        self._chat(params.get("chat_id"))
        return True

    async def _do_sendMessage(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        _check_text(params, "text", MAX_TEXT)
        return self._new_message(params, files)

    async def _do_sendPhoto(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        _check_text(params, "caption", MAX_CAPTION, required=False)
        message = self._new_message(params, files)
        file_id = self._keep_file("photo", params, files)
        message["photo"] = [
            {"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}
        ]
        return message

    async def _do_sendDocument(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        _check_text(params, "caption", MAX_CAPTION, required=False)
        message = self._new_message(params, files)
        file_id = self._keep_file("document", params, files)
        name = files["document"][0] if "document" in files else "file"
        message["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": name}
        return message

    async def _do_getFile(self, params: JSON, files: object) -> JSON:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise APIError(Failure.bad_request("invalid file_id"))
        size = len(self.files[file_id][1])
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": size,
            "file_path": f"files/{file_id}",
        }

    async def _do_editMessageText(self, params: JSON, files: object) -> JSON:
        _check_text(params, "text", MAX_TEXT)
        return self._edit(params, {"text": params["text"]})

    async def _do_editMessageCaption(self, params: JSON, files: object) -> JSON:
        _check_text(params, "caption", MAX_CAPTION, required=False)
        return self._edit(params, {"caption": params.get("caption")})

    async def _do_editMessageReplyMarkup(self, params: JSON, files: object) -> JSON:
        return self._edit(params, {})

    async def _do_answerCallbackQuery(self, params: JSON, files: object) -> bool:
        query_id = str(params["callback_query_id"])
        if self._queries.get(query_id, True):  # unknown, or answered already
            raise APIError(
                Failure.bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            )
        self._queries[query_id] = True
        self.callback_answers[query_id] = dict(params)
        return True

    def _new_message(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        known = self._chat(params.get("chat_id"))
        message: JSON = {
            "message_id": next(known.message_ids),
            "date": int(time.time()),
            "chat": known.info,
            "from": self.bot_user,
        }
        for name in ("text", "caption", "message_thread_id"):
            if params.get(name) is not None:
                message[name] = params[name]
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(known.info["id"], message["message_id"])] = message
        return message

    def _keep_file(self, field_name: str, params: JSON, files: dict[str, tuple[str, bytes]]) -> str:
        if field_name in files:
            file_id = f"file{next(self._file_ids)}"
            self.files[file_id] = files[field_name]
            return file_id
        sent = params.get(field_name)
        if not sent:
            raise APIError(Failure.bad_request(f"there is no {field_name} in the request"))
        return str(sent)

    def _edit(self, params: JSON, change: JSON) -> JSON:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            raise APIError(Failure.bad_request("message to edit not found"))
        message = self.messages.get((chat_id, message_id))
        if message is None:
            raise APIError(Failure.bad_request("message to edit not found"))
        markup = (
            params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        )
        edited = {k: v for k, v in {**message, **change}.items() if k != "reply_markup"}
        if markup:
            edited["reply_markup"] = markup
        if edited == message:
            raise APIError(Failure.bad_request(_NOT_MODIFIED.removeprefix("Bad Request: ")))
        edited["edit_date"] = int(time.time())
        self.messages[(chat_id, message_id)] = edited
        return edited


#: Telegram's limits, in UTF-16 code units of the text after entities are parsed.
MAX_TEXT = 4096
MAX_CAPTION = 1024
#: The tags Telegram's HTML parse mode accepts.
HTML_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji".split()
)


class _TelegramHTML(HTMLParser):
    """Checks text sent with ``parse_mode=HTML`` as Telegram does; counts what it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.visible = 0
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            self.problem = self.problem or f'Unsupported start tag "{tag}"'
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problem = self.problem or f'Unmatched end tag "{tag}"'
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problem = self.problem or "Unescaped < or > outside a tag"
        self.visible += len(data.encode("utf-16-le")) // 2

    def handle_entityref(self, name: str) -> None:
        self.visible += 1

    def handle_charref(self, name: str) -> None:
        self.visible += 1


def _check_text(params: JSON, name: str, limit: int, *, required: bool = True) -> None:
    """Refuse empty, unparsable or too long text as Telegram does."""
    text = params.get(name)
    if not isinstance(text, str) or not text.strip():
        if required:
            raise APIError(Failure.bad_request(f"message {name} is empty"))
        return
    length = len(text.encode("utf-16-le")) // 2
    if str(params.get("parse_mode") or "").upper() == "HTML":
        checker = _TelegramHTML()
        checker.feed(text)
        checker.close()
        if checker.open and not checker.problem:
            tag = checker.open[-1]
            checker.problem = f'Can\'t find end tag corresponding to start tag "{tag}"'
        if checker.problem:
            raise APIError(Failure.bad_request(f"can't parse entities: {checker.problem}"))
        length = checker.visible
    if length > limit:
        raise APIError(Failure.bad_request(f"message {name} is too long"))


def _kind(update: JSON) -> str:
    return next(key for key in update if key != "update_id")


def _commands_key(params: JSON) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _decode(name: str, value: str) -> Any:
    """A form field's value: JSON for structured and numeric parameters, text for the rest."""
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class _MethodHandler(RequestHandler):
    def initialize(self, api: FakeBotAPI) -> None:
        self.api = api

    def check_xsrf_cookie(self) -> None:
        return None

    async def post(self, token: str, method: str) -> None:
        content_type = self.request.headers.get("Content-Type", "")
        params: JSON = {}
        files: dict[str, tuple[str, bytes]] = {}
        if content_type.startswith("application/json"):
            params = json.loads(self.request.body or b"{}")
        else:
            for name, values in self.request.arguments.items():
                params[name] = _decode(name, values[-1].decode("utf-8"))
            for name, uploads in self.request.files.items():
                files[name] = (uploads[-1].filename, uploads[-1].body)
        status, body = await self.api.handle(token, method, params, files)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)


class _FileHandler(RequestHandler):
    def initialize(self, api: FakeBotAPI) -> None:
        self.api = api

    def get(self, token: str, path: str) -> None:
        file_id = path.removeprefix("files/")
        if token != self.api.token or file_id not in self.api.files:
            self.set_status(404)
            self.finish()
            return
        self.finish(self.api.files[file_id][1])
