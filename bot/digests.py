"""Digests: ``/digest daily HH:MM``, ``/digest off`` and ``/summary [today|week]``.

Periods are local calendar days (or the seven days up to today) in the
chat's time zone, Asia/Ho_Chi_Minh unless ``/digest daily`` names another.
A scheduled digest claims its (chat, period) row before sending, so a period
never gets two digests, restarts included; one missed while the bot was down
goes out when it starts, the same day.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UsageError
from bot.models import DEAL_KINDS, StoredFact, Total, compute_totals
from storage import digests, queries
from storage.db import Database
from storage.digests import DigestSchedule

log = logging.getLogger(__name__)

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
#: Facts shown per section of a digest.
TOP = 5
Period = Literal["today", "week"]
_HHMM = re.compile(r"^(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)$")


@dataclass(frozen=True)
class DigestRequest:
    """What ``/digest`` asked for: a daily time and zone, or ``off``."""

    at_time: str | None
    tz: str = DEFAULT_TZ


@dataclass
class Summary:
    """A period's news: biggest deals, revenue and valuations, totals per company."""

    label: str
    deals: list[StoredFact] = field(default_factory=list)
    revenue: list[StoredFact] = field(default_factory=list)
    valuations: list[StoredFact] = field(default_factory=list)
    totals: dict[str, list[Total]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.deals or self.revenue or self.valuations)


def parse_digest_args(args: Sequence[str]) -> DigestRequest:
    """``daily HH:MM [Area/City]`` or ``off``."""
    words = [w.strip() for w in args if w.strip()]
    if words == ["off"]:
        return DigestRequest(None)
    if len(words) in (2, 3) and words[0].lower() == "daily":
        match = _HHMM.match(words[1])
        if match:
            tz = words[2] if len(words) == 3 else DEFAULT_TZ
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise UsageError(f"unknown time zone {tz!r}; try Asia/Ho_Chi_Minh") from None
            return DigestRequest(f"{int(match['h']):02d}:{match['m']}", tz)
    raise UsageError("usage: /digest daily HH:MM [time zone], or /digest off")


def parse_period(args: Sequence[str]) -> Period:
    word = (args[0].lower() if args else "today").strip()
    if word in ("today", "week"):
        return word  # type: ignore[return-value]
    raise UsageError("usage: /summary [today|week]")


def period_bounds(period: Period, tz: str, now: datetime) -> tuple[str, str, str]:
    """The period's label and its start and end as UTC ISO times (end: now)."""
    local = now.astimezone(ZoneInfo(tz))
    day = local.date()
    first = day if period == "today" else day - timedelta(days=6)
    start = datetime.combine(first, time(0), ZoneInfo(tz)).astimezone(UTC)
    label = day.isoformat() if period == "today" else f"{first.isoformat()} – {day.isoformat()}"
    return label, _iso(start), _iso(now + timedelta(seconds=1))  # now included


def due_day(schedule: DigestSchedule, now: datetime) -> date | None:
    """The local day whose digest is due at ``now`` (its time has passed today), else None."""
    tz = ZoneInfo(schedule.tz)
    local = now.astimezone(tz)
    hour, minute = (int(part) for part in schedule.at_time.split(":"))
    return local.date() if local.time() >= time(hour, minute) else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def build_summary(db: Database, label: str, start: str, end: str) -> Summary:
    """The facts first seen (or changed) in ``[start, end)``, biggest first, by section."""
    ids = await digests.list_fact_ids_seen_between(db, start, end)
    facts = await queries.get_facts(db, ids)
    summary = Summary(label)
    summary.deals = [f for f in facts if f.kind in DEAL_KINDS][:TOP]
    summary.revenue = [f for f in facts if f.kind == "revenue"][:TOP]
    summary.valuations = [f for f in facts if f.kind == "valuation"][:TOP]
    by_company: dict[str, list[StoredFact]] = {}
    for fact in facts:
        if fact.kind in DEAL_KINDS:
            by_company.setdefault(fact.subject, []).append(fact)
    summary.totals = {
        name: compute_totals(group)
        for name, group in sorted(by_company.items(), key=lambda item: -len(item[1]))[:TOP]
    }
    return summary


async def summary_for(db: Database, period: Period, tz: str, now: datetime) -> Summary:
    """``/summary today`` or ``week`` in the chat's time zone."""
    label, start, end = period_bounds(period, tz, now)
    return await build_summary(db, label, start, end)


async def chat_tz(db: Database, chat_id: int) -> str:
    """The chat's digest time zone, else the default."""
    for schedule in await digests.list_schedules(db):
        if schedule.chat_id == chat_id:
            return schedule.tz
    return DEFAULT_TZ


async def set_digest(
    db: Database,
    chat_id: int,
    wanted: DigestRequest,
    *,
    thread_id: int | None,
    user_id: int | None,
    now: datetime | None = None,
) -> int:
    """Schedule (or with ``at_time`` None, stop) the chat's daily digest."""
    async with db.transaction():
        if wanted.at_time is None:
            return await digests.remove_schedule(db, chat_id)
        await digests.set_schedule(
            db,
            chat_id,
            thread_id=thread_id,
            at_time=wanted.at_time,
            tz=wanted.tz,
            created_by=user_id,
        )
        schedule = DigestSchedule(chat_id, thread_id, wanted.at_time, wanted.tz)
        day = due_day(schedule, now or datetime.now(UTC))
        # today's time has passed: the first digest is tomorrow's
        if day is not None and await digests.claim_period(db, chat_id, day.isoformat()):
            await digests.finish_period(db, chat_id, day.isoformat(), "empty", "set later")
        return 1


@dataclass(frozen=True)
class DueDigest:
    """A digest to send now: where, and what."""

    schedule: DigestSchedule
    period: str
    summary: Summary


async def claim_due_digests(db: Database, now: datetime) -> list[DueDigest]:
    """Claim every digest due at ``now`` and not sent for its day; empty days are recorded
    as such and not returned."""
    due: list[DueDigest] = []
    for schedule in await digests.list_schedules(db):
        day = due_day(schedule, now)
        if day is None:
            continue
        period = day.isoformat()
        hour, minute = (int(part) for part in schedule.at_time.split(":"))
        end = datetime.combine(day, time(hour, minute), ZoneInfo(schedule.tz))
        start = end - timedelta(days=1)  # the 24 hours up to the digest's time
        async with db.transaction():
            if not await digests.claim_period(db, schedule.chat_id, period):
                continue
        summary = await build_summary(db, period, _iso(start), _iso(end))
        if summary.empty:
            async with db.transaction():
                await digests.finish_period(db, schedule.chat_id, period, "empty")
            continue
        due.append(DueDigest(schedule, period, summary))
    return due


async def finish_digest(db: Database, chat_id: int, period: str, error: str | None) -> None:
    async with db.transaction():
        await digests.finish_period(db, chat_id, period, "failed" if error else "sent", error)
