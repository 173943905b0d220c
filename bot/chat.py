"""``dealflow chat``: the bot in a terminal, with no token and no network.

The real ``Application``, with the same handlers as on Telegram, runs on
:class:`~bot.localapi.LocalBotAPI`. Each line read is queued as a message
from a local user in a private chat; python-telegram-bot's Updater fetches
it with ``getUpdates`` exactly as it would from Telegram, and the next line
is read only once the bot has answered. Everything the bot sends is printed
as plain text:

- HTML is rendered as text (tags dropped, entities decoded, links followed
  by their address);
- inline buttons are listed under their message, numbered, and ``#N``
  presses button N of the last message that has buttons (a real
  ``callback_query``);
- an edit prints ``(edited)`` and the new text;
- photos and documents are saved to a folder and named in the output.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from telegram.ext import Application

from bot.app import LOCAL_TOKEN, build_application
from bot.localapi import Call, LocalBotAPI
from bot.settings import Settings

#: The folder files sent by the bot are saved to, unless told otherwise.
DEFAULT_FILES_DIR = Path("dealflow-chat-files")
#: The Telegram user the terminal speaks as; its private chat has the same id.
LOCAL_USER_ID = 1
#: ``#2`` presses button 2.
PRESS = re.compile(r"#(\d+)")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

_SENDS = {"sendMessage": None, "sendPhoto": "photo", "sendDocument": "file"}
_EDITS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}


# --- pure parts ---------------------------------------------------------------------------


class _PlainText(HTMLParser):
    """Telegram's HTML as plain text: tags dropped, links followed by their address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[tuple[int, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links.append((len(self.parts), dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            start, href = self._links.pop()
            label = "".join(self.parts[start:])
            if href and href != label and not href.startswith("tg://"):
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(text: str) -> str:
    """The text a Telegram client shows for ``text`` sent with ``parse_mode=HTML``."""
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def keyboard_rows(markup: object) -> list[list[dict[str, Any]]]:
    """The rows of an inline keyboard (``reply_markup`` as sent), or none."""
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [list(row) for row in rows if isinstance(row, list)]


def render_keyboard(rows: list[list[dict[str, Any]]]) -> str:
    """One line per row, buttons numbered across rows: ``[1] Next ▶  [2] Sources``."""
    numbers = itertools.count(1)
    return "\n".join(
        "  ".join(f"[{next(numbers)}] {button.get('text', '')}" for button in row) for row in rows
    )


def parse_press(line: str) -> int | None:
    """The button number of a ``#N`` line, else ``None``."""
    match = PRESS.fullmatch(line.strip())
    return int(match[1]) if match else None


def _safe_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip(". ")
    return name or "file"


# --- printing what the bot does -------------------------------------------------------------


class Transcript:
    """Prints each call the bot makes, as :class:`LocalBotAPI` reports it."""

    def __init__(self, out: TextIO, *, files_dir: Path, chat_id: int = LOCAL_USER_ID) -> None:
        self.out = out
        self.files_dir = files_dir
        self.chat_id = chat_id
        #: (chat id, message id) of the last message shown with buttons
        self.board: tuple[int, int] | None = None

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def __call__(self, call: Call, result: dict[str, Any] | bool) -> None:
        if isinstance(result, dict) and (call.method in _SENDS or call.method in _EDITS):
            self._show(call, result)
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            kind = "alert" if call.params.get("show_alert") else "notice"
            self.say(f"({kind}) {call.params['text']}\n")
        elif call.method == "deleteMessage":
            self.say("(deleted a message)\n")

    def _show(self, call: Call, message: dict[str, Any]) -> None:
        params = call.params
        chat_id, message_id = int(message["chat"]["id"]), int(message["message_id"])
        lines: list[str] = []
        prefix = "" if chat_id == self.chat_id else f"(to chat {chat_id}) "
        if call.method in _EDITS:
            prefix += "(edited) "
        kind = _SENDS.get(call.method)
        if kind is not None:
            if call.files:
                for filename, data in call.files.values():
                    lines.append(
                        f"{prefix}({kind} saved to {self._save(message_id, filename, data)})"
                    )
            else:  # sent by file id or URL
                lines.append(f"{prefix}({kind}: {params.get('photo') or params.get('document')})")
            prefix = ""
        text = params.get("text") if "text" in params else params.get("caption")
        if text:
            parse_mode = str(params.get("parse_mode") or "").upper()
            lines.append(prefix + (html_to_text(str(text)) if parse_mode == "HTML" else str(text)))
        elif call.method == "editMessageReplyMarkup":
            change = "(new buttons)" if params.get("reply_markup") else "(buttons removed)"
            lines.append(prefix + change)
        rows = keyboard_rows(message.get("reply_markup"))
        if rows:
            lines.append(render_keyboard(rows))
            self.board = (chat_id, message_id)
        elif self.board == (chat_id, message_id):
            self.board = None
        self.say("\n".join(lines) + "\n")

    def _save(self, message_id: int, filename: str, data: bytes) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / f"{message_id}-{_safe_name(filename)}"
        path.write_bytes(data)
        return path


# --- the session ------------------------------------------------------------------------------


class TerminalChat:
    """The application running on a :class:`LocalBotAPI`, fed one line at a time.

    Use it as an async context manager: entering starts the application as
    ``run_polling`` would (``initialize``, ``post_init``, polling,
    ``start``); leaving stops it in the same order ``run_polling`` does.
    """

    def __init__(
        self,
        application: AnyApplication,
        api: LocalBotAPI,
        transcript: Transcript,
        *,
        lang: str = "en",
    ) -> None:
        self.application = application
        self.api = api
        self.transcript = transcript
        self.user: dict[str, Any] = {
            "id": transcript.chat_id,
            "is_bot": False,
            "first_name": "You",
            "language_code": lang,
        }
        self.chat: dict[str, Any] = {
            "id": transcript.chat_id,
            "type": "private",
            "first_name": "You",
        }
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    async def __aenter__(self) -> TerminalChat:
        app = self.application
        if app.updater is None:
            raise RuntimeError("the terminal chat needs an application with an Updater")
        try:
            await app.initialize()
            if app.post_init is not None:
                await app.post_init(app)
            await app.updater.start_polling(poll_interval=0)
            await app.start()
        except BaseException:
            await self.aclose()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop polling, stop the application, shut it down (this closes the database)."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def handle(self, line: str) -> None:
        """A ``#N`` line presses a button; any other non-blank line is sent as a message."""
        line = line.strip()
        if not line:
            return
        number = parse_press(line)
        if number is None:
            await self.send(line)
        else:
            await self.press(number)

    async def send(self, text: str) -> None:
        """Send ``text`` as the local user's message; return once the bot has answered it."""
        message: dict[str, Any] = {
            "message_id": self.api.next_message_id(),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self._deliver({"message": message})

    async def press(self, number: int) -> None:
        """Press button ``number`` of the last message shown with buttons."""
        board = self.transcript.board
        message = self.api.messages.get(board) if board else None
        buttons = [b for row in keyboard_rows(message and message.get("reply_markup")) for b in row]
        if message is None or not buttons:
            self.transcript.say("(no buttons to press)\n")
            return
        if not 1 <= number <= len(buttons):
            self.transcript.say(f"(no button {number}: the last buttons are 1 to {len(buttons)})\n")
            return
        button = buttons[number - 1]
        if "callback_data" not in button:
            target = button.get("url") or "a button this chat cannot press"
            self.transcript.say(f"(link) {target}\n")
            return
        query = {
            "id": f"query-{next(self._query_ids)}",
            "from": self.user,
            "chat_instance": str(message["chat"]["id"]),
            "data": button["callback_data"],
            "message": dict(message),
        }
        await self._deliver({"callback_query": query})

    async def _deliver(self, update: dict[str, Any]) -> None:
        update_id = next(self._update_ids)
        self.api.updates.put_nowait({"update_id": update_id, **update})
        await self.api.wait_confirmed(update_id)  # the Updater has queued it
        await self.application.update_queue.join()  # ... and the application handled it


def _read_lines(
    stream: TextIO, loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None]
) -> None:
    """Runs in a daemon thread: hand each line of ``stream`` to the loop, then ``None``."""
    try:
        for line in iter(stream.readline, ""):
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)
    except RuntimeError:  # the loop closed first: the chat is over
        return


BANNER = (
    "dealflow chat: you are talking to @{username} on this machine, not on Telegram.\n"
    "Type a command such as /help or /deals OpenAI. #N presses button N under the last\n"
    "message with buttons; files the bot sends go to {files}/. Ctrl-D quits."
)


async def converse(
    chat: TerminalChat,
    lines: asyncio.Queue[str | None],
    *,
    interactive: bool,
    prompt: Callable[[], None] | None = None,
) -> None:
    """Answer every line until the end of input; echo lines when they do not come from a person."""
    while True:
        if prompt is not None:
            prompt()
        line = await lines.get()
        if line is None:
            return
        if not interactive and line.strip():
            chat.transcript.say(f"> {line.strip()}")
        await chat.handle(line)


def run_chat(
    settings: Settings,
    *,
    stdin: TextIO,
    stdout: TextIO,
    files_dir: Path = DEFAULT_FILES_DIR,
    lang: str = "en",
) -> int:
    """Chat with the bot over ``stdin``/``stdout`` until the end of input; return 0."""
    interactive = stdin.isatty()
    transcript = Transcript(stdout, files_dir=files_dir)
    api = LocalBotAPI(on_call=transcript)
    application = build_application(settings, request=api, token=LOCAL_TOKEN)

    def prompt() -> None:
        print("> ", end="", file=stdout, flush=True)

    async def session() -> None:
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        reader = threading.Thread(
            target=_read_lines,
            args=(stdin, asyncio.get_running_loop(), lines),
            name="dealflow-chat-stdin",
            daemon=True,  # a blocked read must not keep the process alive after Ctrl-C
        )
        reader.start()
        async with TerminalChat(application, api, transcript, lang=lang) as chat:
            if interactive:
                username = application.bot.username
                transcript.say(BANNER.format(username=username, files=files_dir))
            await converse(
                chat, lines, interactive=interactive, prompt=prompt if interactive else None
            )
        if interactive:
            transcript.say("")

    asyncio.run(session())
    return 0
