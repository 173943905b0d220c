"""Digest schedules, the periods already sent, and the facts first seen in a period."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, utc_now


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """A chat's daily digest: local time ``HH:MM`` in time zone ``tz``."""

    chat_id: int
    thread_id: int | None
    at_time: str
    tz: str


async def set_schedule(
    db: Database,
    chat_id: int,
    *,
    thread_id: int | None,
    at_time: str,
    tz: str,
    created_by: int | None,
) -> None:
    """Set (or replace) the chat's daily digest."""
    await db.execute(
        """
        INSERT INTO digest_schedules (chat_id, thread_id, at_time, tz, created_by, created_at)
        VALUES (:chat_id, :thread_id, :at_time, :tz, :created_by, :now)
        ON CONFLICT (chat_id) DO UPDATE SET
            thread_id = excluded.thread_id, at_time = excluded.at_time, tz = excluded.tz
        """,
        {
            "chat_id": chat_id,
            "thread_id": thread_id,
            "at_time": at_time,
            "tz": tz,
            "created_by": created_by,
            "now": utc_now(),
        },
    )


async def remove_schedule(db: Database, chat_id: int) -> int:
    """Stop the chat's daily digest; return 1 if there was one."""
    result = await db.execute(
        "DELETE FROM digest_schedules WHERE chat_id = :chat_id", {"chat_id": chat_id}
    )
    return result.rowcount


async def list_schedules(db: Database) -> list[DigestSchedule]:
    """Every chat's daily digest."""
    rows = await db.fetchall(
        "SELECT chat_id, thread_id, at_time, tz FROM digest_schedules ORDER BY chat_id"
    )
    return [
        DigestSchedule(row["chat_id"], row["thread_id"], row["at_time"], row["tz"]) for row in rows
    ]


async def claim_period(db: Database, chat_id: int, period: str) -> bool:
    """Reserve the chat's digest of ``period``; False when it was sent (or claimed) already."""
    result = await db.execute(
        """
        INSERT OR IGNORE INTO digest_runs (chat_id, period, state, at)
        VALUES (:chat_id, :period, 'claimed', :now)
        """,
        {"chat_id": chat_id, "period": period, "now": utc_now()},
    )
    return result.rowcount == 1


async def finish_period(
    db: Database, chat_id: int, period: str, state: str, detail: str | None = None
) -> None:
    """Record how the chat's digest of ``period`` ended: sent, empty or failed."""
    await db.execute(
        """
        UPDATE digest_runs SET state = :state, detail = :detail, at = :now
        WHERE chat_id = :chat_id AND period = :period
        """,
        {"chat_id": chat_id, "period": period, "state": state, "detail": detail, "now": utc_now()},
    )


async def list_fact_ids_seen_between(db: Database, start: str, end: str) -> list[int]:
    """Facts first seen, or changed, in ``[start, end)`` (UTC ISO times), biggest first."""
    rows = await db.fetchall(
        """
        SELECT id FROM facts
        WHERE (first_seen >= :start AND first_seen < :end)
           OR (updated_at >= :start AND updated_at < :end)
        ORDER BY value DESC, id
        """,
        {"start": start, "end": end},
    )
    return [row["id"] for row in rows]
