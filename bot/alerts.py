"""The alert sender: drains the outbox into Telegram, paced by our own scheduler.

:class:`Pacer` decides when a message may go: at most one per second to one
chat, 20 per minute to one group, and a global rate (``DEALFLOW_ALERT_RATE``,
25/s by default, below Telegram's 30/s so that replies to commands still have
room). :class:`AlertSender` is a task started in ``post_init`` and stopped in
``post_shutdown``; it polls the outbox every ``DEALFLOW_ALERT_POLL_SECONDS``,
so alerts queued by another process (``dealflow ingest``) go out too.

Delivery: a row is marked ``sent`` after Telegram accepts the message, in
batches (one transaction for the messages accepted within ``MARK_DELAY``). A
chat stays busy until its mark is written, so a crash in between repeats at
most that one message per chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)

from bot.callbacks import sources_data
from bot.render import LANGS, Lang
from bot.render_alerts import render_alert
from storage import alerts, queries
from storage.alerts import OutboxRow
from storage.db import Database

log = logging.getLogger(__name__)

Clock = Callable[[], float]

#: At most one message per this many seconds to one chat.
PER_CHAT_INTERVAL = 1.0
#: At most this many messages per minute to one group.
GROUP_PER_MINUTE = 20
#: The window of the group limit, in seconds.
GROUP_WINDOW = 60.0
#: Network errors are retried after 2, 4, 8 … seconds, at most this long.
MAX_BACKOFF = 300.0
#: After this many failed attempts (network errors) an alert is given up as failed.
MAX_ATTEMPTS = 10
#: Messages in flight at once, over all chats.
MAX_IN_FLIGHT = 8
#: Numbered evidence buttons per row.
BUTTONS_PER_ROW = 5
#: Facts shown in one alert at most (a message holds 4,096 characters).
MAX_FACTS = 12
#: Rendered alerts kept for reuse.
RENDER_CACHE = 256
#: Accepted messages are marked sent together, at most this many seconds later.
MARK_DELAY = 0.05


class Pacer:
    """When the next message may go to a chat, within the per-chat, group and global limits.

    The global limit is a GCRA (a token bucket without a timer): bursts of at
    most ``burst`` messages, ``rate`` per second on average, so in any window
    of ``t`` seconds at most ``rate * t + burst`` messages go out.
    """

    def __init__(
        self,
        *,
        rate: float,
        burst: int | None = None,
        per_chat: float = PER_CHAT_INTERVAL,
        group_per_minute: int = GROUP_PER_MINUTE,
        group_window: float = GROUP_WINDOW,
        clock: Clock = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else max(1, int(rate / 50))
        self.per_chat = per_chat
        self.group_per_minute = group_per_minute
        self.group_window = group_window
        self.clock = clock
        self._tat = 0.0  # theoretical arrival time of the next message
        self._last: dict[int, float] = {}
        self._blocked: dict[int, float] = {}
        self._group: dict[int, deque[float]] = {}
        #: When the soonest busy chat is free again, as of the last :meth:`busy_chats`.
        self.next_ready = 0.0

    def global_wait(self) -> float:
        """Seconds until the global rate lets one more message go (0: now)."""
        now = self.clock()
        return max(0.0, self._tat - (self.burst - 1) / self.rate - now)

    def chat_ready_at(self, chat_id: int) -> float:
        """The clock time from which ``chat_id`` may get its next message."""
        at = max(self._last.get(chat_id, -1e18) + self.per_chat, self._blocked.get(chat_id, 0.0))
        window = self._group.get(chat_id)
        if window is not None and len(window) >= self.group_per_minute:
            at = max(at, window[0] + self.group_window)
        return at

    def busy_chats(self) -> set[int]:
        """The chats that may not get a message now (and forgets long-past sends).

        ``_last`` is kept in send order, so this reads only the sends of the
        last ``per_chat`` seconds, not every chat of the last minute.
        """
        now = self.clock()
        forget = max(self.group_window, self.per_chat)
        while self._last:
            oldest, sent = next(iter(self._last.items()))
            if sent + forget >= now:
                break
            del self._last[oldest]
            self._group.pop(oldest, None)
        for chat_id in [c for c, t in self._blocked.items() if t <= now]:
            del self._blocked[chat_id]
        busy: set[int] = set()
        self.next_ready = now + 60.0
        for chat_id, sent in reversed(self._last.items()):
            if sent + self.per_chat <= now:
                break
            busy.add(chat_id)
            self.next_ready = min(self.next_ready, sent + self.per_chat)
        for chat_id in [*self._group, *self._blocked]:
            at = self.chat_ready_at(chat_id)
            if at > now:
                busy.add(chat_id)
                self.next_ready = min(self.next_ready, at)
        return busy

    def take(self, chat_id: int) -> None:
        """Count one message going to ``chat_id`` now."""
        now = self.clock()
        self._tat = max(self._tat, now) + 1.0 / self.rate
        self._last.pop(chat_id, None)
        self._last[chat_id] = now  # at the end: _last stays in send order
        if chat_id < 0:
            window = self._group.setdefault(chat_id, deque())
            window.append(now)
            while window and window[0] <= now - self.group_window:
                window.popleft()
            while len(window) > self.group_per_minute:
                window.popleft()

    def take_global(self) -> None:
        """Count a message sent outside the fan-out (a reply to a user) against the global rate,
        so that the fan-out waits for it rather than the user."""
        self._tat = max(self._tat, self.clock()) + 1.0 / self.rate

    def block(self, chat_id: int, seconds: float) -> None:
        """Telegram asked to wait ``seconds`` before writing to ``chat_id`` again."""
        self._blocked[chat_id] = max(self._blocked.get(chat_id, 0.0), self.clock() + seconds)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


RenderKey = tuple[int, tuple[int, ...], str, str]
Rendered = tuple[str | None, InlineKeyboardMarkup | None]


class AlertSender:
    """Drain the outbox into Telegram; one task, started and stopped with the bot."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        *,
        rate: float,
        poll_seconds: float = 2.0,
        max_in_flight: int = MAX_IN_FLIGHT,
        pacer: Pacer | None = None,
        wall: Clock = time.time,
    ) -> None:
        self.db = db
        self.bot = bot
        self.pacer = pacer or Pacer(rate=rate)
        self.poll_seconds = poll_seconds
        self.wall = wall
        self._slots = asyncio.Semaphore(max_in_flight)
        self._in_flight: set[int] = set()
        self._sends: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: Alerts rendered lately: most chats get the same text for one article.
        self._rendered: dict[RenderKey, Rendered] = {}
        #: Alerts Telegram accepted that are not marked sent yet: (row id, chat id).
        self._accepted: list[tuple[int, int]] = []
        self._marking: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start draining in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="alert-sender")

    async def stop(self) -> None:
        """Stop taking new alerts and wait for the messages in flight."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._sends:
            await asyncio.gather(*self._sends, return_exceptions=True)
        if self._marking is not None:
            self._marking.cancel()
            await asyncio.gather(self._marking, return_exceptions=True)
            self._marking = None
        try:
            await self._mark_accepted()
        except Exception:
            log.exception("could not mark %d sent alerts; they may repeat", len(self._accepted))

    async def wait_turn(self, chat_id: int) -> None:
        """Wait until ``chat_id`` may get a message within the limits, and count it
        (for messages sent outside the outbox, such as digests)."""
        while True:
            now = self.pacer.clock()
            wait = max(self.pacer.chat_ready_at(chat_id) - now, self.pacer.global_wait())
            if chat_id in self._in_flight:
                wait = max(wait, 0.05)
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        self.pacer.take(chat_id)

    def note_reply(self) -> None:
        """A user's update arrived: its reply goes first, the fan-out yields one slot."""
        self.pacer.take_global()

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("alert sender failed; trying again at the next poll")
                sent = 0
            if sent == 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._idle_wait())

    def _idle_wait(self) -> float:
        soonest = self.pacer.next_ready - self.pacer.clock()  # as of the last drain_once
        return max(0.01, min(self.poll_seconds, soonest))

    async def drain_once(self) -> int:
        """Start sending every due alert whose chat may get a message now; return how many."""
        busy = self.pacer.busy_chats() | self._in_flight
        rows = await alerts.list_due_alerts(self.db, now=self.wall(), busy=busy)
        started = 0
        for row in rows:
            if row.chat_id in self._in_flight:
                continue
            if self.pacer.chat_ready_at(row.chat_id) > self.pacer.clock():
                continue
            await self._slots.acquire()
            wait = self.pacer.global_wait()
            if wait > 0:
                await asyncio.sleep(wait)
            self.pacer.take(row.chat_id)
            self._in_flight.add(row.chat_id)
            task = asyncio.create_task(self._send(row))
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)
            started += 1
        return started

    async def _send(self, row: OutboxRow) -> None:
        accepted = False
        try:
            accepted = await self._deliver(row)
        except Exception:
            log.exception("alert %s to chat %s failed unexpectedly", row.id, row.chat_id)
        finally:
            self._slots.release()
            if accepted:
                self._accept(row)  # the chat stays busy until the mark is written
            else:
                self._in_flight.discard(row.chat_id)
            self.wake()

    def _accept(self, row: OutboxRow) -> None:
        """Telegram took ``row``'s message: mark it sent with the others of the moment."""
        self._accepted.append((row.id, row.chat_id))
        if self._marking is None:
            self._marking = asyncio.create_task(self._mark_soon(), name="alert-marks")

    async def _mark_soon(self) -> None:
        while self._accepted:
            await asyncio.sleep(MARK_DELAY)
            try:
                await self._mark_accepted()
            except Exception:
                log.exception("marking %d alerts sent failed; trying again", len(self._accepted))
        self._marking = None

    async def _mark_accepted(self) -> None:
        """Mark every accepted alert sent, in one transaction, and free their chats."""
        batch, self._accepted = self._accepted, []
        if not batch:
            return
        try:
            async with self.db.transaction():
                await alerts.mark_sent(self.db, [row_id for row_id, _ in batch])
        except BaseException:
            self._accepted[:0] = batch  # still busy: never sent twice while running
            raise
        for _, chat_id in batch:
            self._in_flight.discard(chat_id)
        self.wake()

    async def _deliver(self, row: OutboxRow) -> bool:
        """Send ``row``'s alert; True when Telegram accepted it (the caller marks it sent)."""
        text, markup = await self._render(row)
        if text is None:
            async with self.db.transaction():
                await alerts.mark_failed(self.db, row.id, "article or facts gone")
            return False
        try:
            await self.bot.send_message(
                row.chat_id,
                text,
                parse_mode=ParseMode.HTML,
                message_thread_id=row.thread_id,
                reply_markup=markup,
                disable_web_page_preview=True,
            )
        except RetryAfter as exc:
            seconds = _seconds(exc.retry_after)
            self.pacer.block(row.chat_id, seconds)
            async with self.db.transaction():
                await alerts.retry_later(self.db, row.id, at=self.wall() + seconds, reason=str(exc))
        except ChatMigrated as exc:
            log.info("chat %s moved to %s", row.chat_id, exc.new_chat_id)
            async with self.db.transaction():
                await alerts.migrate_chat(self.db, row.chat_id, exc.new_chat_id)
        except Forbidden as exc:
            log.info("chat %s is closed to the bot: %s", row.chat_id, exc)
            async with self.db.transaction():
                await alerts.mark_failed(self.db, row.id, str(exc))
                await alerts.deactivate_chat(self.db, row.chat_id, "chat inactive")
        except BadRequest as exc:
            if row.thread_id is not None and "thread not found" in str(exc).lower():
                log.info(
                    "topic %s of chat %s is gone; alerting the chat", row.thread_id, row.chat_id
                )
                async with self.db.transaction():
                    await alerts.drop_thread(self.db, row.chat_id, row.thread_id)
                return False
            log.warning("alert %s to chat %s refused: %s", row.id, row.chat_id, exc)
            async with self.db.transaction():
                await alerts.mark_failed(self.db, row.id, str(exc))
        except TelegramError as exc:  # network errors, time-outs, Telegram's own trouble
            attempts = row.attempts + 1
            async with self.db.transaction():
                if attempts >= MAX_ATTEMPTS:
                    await alerts.mark_failed(self.db, row.id, f"gave up: {exc}")
                else:
                    delay = min(MAX_BACKOFF, 2.0**attempts)
                    await alerts.retry_later(
                        self.db, row.id, at=self.wall() + delay, reason=str(exc)
                    )
        else:
            return True
        return False

    async def _render(self, row: OutboxRow) -> tuple[str | None, InlineKeyboardMarkup | None]:
        lang: Lang = row.lang if row.lang in LANGS else "en"
        key = (row.article_id, row.fact_ids, json.dumps(row.changes, sort_keys=True), lang)
        cached = self._rendered.get(key)
        if cached is None:
            cached = await self._render_new(row, lang)
            if len(self._rendered) >= RENDER_CACHE:
                self._rendered.pop(next(iter(self._rendered)))
            self._rendered[key] = cached
        return cached

    async def _render_new(
        self, row: OutboxRow, lang: Lang
    ) -> tuple[str | None, InlineKeyboardMarkup | None]:
        article = await alerts.get_article(self.db, row.article_id)
        facts = await queries.get_facts(self.db, row.fact_ids[:MAX_FACTS])
        if article is None or not facts:
            return None, None
        text = render_alert(article, facts, row.changes, lang)
        buttons = [
            InlineKeyboardButton(str(number), callback_data=sources_data(fact.id))
            for number, fact in enumerate(facts, 1)
        ]
        rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
        return text, InlineKeyboardMarkup(rows)
