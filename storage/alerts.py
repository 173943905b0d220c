"""Subscriptions and the alert outbox: who wants which facts, and what is still to send.

:func:`enqueue_alerts` runs inside the transaction that stores an article's
facts, so an article and its alerts commit together or not at all. The
sender (:mod:`bot.alerts`) drains the outbox; each row moves from
``pending`` to ``sent`` or ``failed``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import Fact, StoredArticle
from storage.db import Database, utc_now
from storage.queries import UpsertOutcome, merge_key

#: Rows of the outbox fetched at once by the sender.
DEFAULT_BATCH = 500


@dataclass(frozen=True, slots=True)
class Subscription:
    """One chat's wish for alerts; a ``None`` filter matches anything."""

    id: int
    chat_id: int
    thread_id: int | None
    company_names: tuple[str, ...] | None
    kinds: tuple[str, ...] | None
    min_value: float | None
    min_currency: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One alert to send: a chat, an article, the facts it tells about and what changed."""

    id: int
    chat_id: int
    thread_id: int | None
    article_id: int
    fact_ids: tuple[int, ...]
    changes: dict[int, dict[str, Any]]
    attempts: int
    #: The chat's language as stored (``en``, ``vi``), or None when it has not chosen.
    lang: str | None = None


def filter_key(
    companies: Collection[str] | None,
    kinds: Collection[str] | None,
    min_value: float | None,
    min_currency: str | None,
) -> str:
    """The canonical form of a filter: one subscription per chat and filter."""
    return json.dumps(
        [
            sorted(companies) if companies else None,
            sorted(kinds) if kinds else None,
            min_value,
            min_currency if min_value is not None else None,
        ]
    )


_ADD_SUBSCRIPTION = """
INSERT INTO subscriptions (
    chat_id, thread_id, companies, company_names, kinds, min_value, min_currency,
    filter_key, active, created_by, created_at
) VALUES (
    :chat_id, :thread_id, :companies, :company_names, :kinds, :min_value, :min_currency,
    :filter_key, 1, :created_by, :now
)
ON CONFLICT (chat_id, filter_key) DO UPDATE SET
    thread_id = excluded.thread_id,
    active = 1
"""


async def add_subscription(
    db: Database,
    chat_id: int,
    *,
    thread_id: int | None,
    company_keys: Sequence[str] | None,
    company_names: Sequence[str] | None,
    kinds: Sequence[str] | None,
    min_value: float | None,
    min_currency: str | None,
    created_by: int | None,
) -> bool:
    """Add a subscription (or resume the same one); return whether it is new."""
    key = filter_key(company_keys, kinds, min_value, min_currency)
    known = await db.fetchone(
        "SELECT id FROM subscriptions WHERE chat_id = :chat_id AND filter_key = :key",
        {"chat_id": chat_id, "key": key},
    )
    await db.execute(
        _ADD_SUBSCRIPTION,
        {
            "chat_id": chat_id,
            "thread_id": thread_id,
            "companies": json.dumps(sorted(company_keys)) if company_keys else None,
            "company_names": json.dumps(list(company_names)) if company_names else None,
            "kinds": json.dumps(sorted(kinds)) if kinds else None,
            "min_value": min_value,
            "min_currency": min_currency if min_value is not None else None,
            "filter_key": key,
            "created_by": created_by,
            "now": utc_now(),
        },
    )
    return known is None


_LIST_SUBSCRIPTIONS = """
SELECT id, chat_id, thread_id, company_names, kinds, min_value, min_currency, active
FROM subscriptions
WHERE chat_id = :chat_id
ORDER BY id
"""


async def list_subscriptions(db: Database, chat_id: int) -> list[Subscription]:
    """A chat's subscriptions, oldest first."""
    rows = await db.fetchall(_LIST_SUBSCRIPTIONS, {"chat_id": chat_id})
    return [
        Subscription(
            id=row["id"],
            chat_id=row["chat_id"],
            thread_id=row["thread_id"],
            company_names=tuple(json.loads(row["company_names"])) if row["company_names"] else None,
            kinds=tuple(json.loads(row["kinds"])) if row["kinds"] else None,
            min_value=row["min_value"],
            min_currency=row["min_currency"],
            active=bool(row["active"]),
        )
        for row in rows
    ]


async def remove_subscriptions(db: Database, chat_id: int, sub_id: int | None = None) -> int:
    """Remove one subscription of a chat (by id), or all of them; return how many went."""
    result = await db.execute(
        "DELETE FROM subscriptions WHERE chat_id = :chat_id AND (:id IS NULL OR id = :id)",
        {"chat_id": chat_id, "id": sub_id},
    )
    return result.rowcount


# --- writing the outbox -------------------------------------------------------------------------

_FIND_FACT_ID = """
SELECT id FROM facts
WHERE kind = :kind AND subject_key = :subject_key AND counterparty_key = :counterparty_key
  AND currency = :currency AND value_key = :value_key
"""

# The state a fact had before this article: its latest status among the other sources.
_STATUS_BEFORE = """
SELECT fs.status
FROM fact_sources AS fs JOIN articles AS a ON a.id = fs.article_id
WHERE fs.fact_id = :fact_id AND fs.article_id <> :article_id AND fs.status IS NOT NULL
ORDER BY COALESCE(a.published, '') DESC, a.id DESC
LIMIT 1
"""

# One row per subscribed, active chat with at least one matching fact; the
# row lists the matching facts. A chat's first matching subscription picks the topic.
_ENQUEUE = """
INSERT OR IGNORE INTO outbox (
    chat_id, thread_id, article_id, fact_ids, changes, state, attempts, next_attempt_at,
    created_at
)
SELECT s.chat_id, MIN(s.thread_id), :article_id,
       json_group_array(DISTINCT json_extract(f.value, '$.id')), :changes, 'pending', 0, 0, :now
FROM subscriptions AS s
JOIN json_each(:facts) AS f
LEFT JOIN chats AS c ON c.id = s.chat_id
WHERE s.active = 1 AND COALESCE(c.active, 1) = 1
  AND (s.kinds IS NULL
       OR json_extract(f.value, '$.kind') IN (SELECT value FROM json_each(s.kinds)))
  AND (s.companies IS NULL
       OR json_extract(f.value, '$.subject_key') IN (SELECT value FROM json_each(s.companies))
       OR json_extract(f.value, '$.counterparty_key')
          IN (SELECT value FROM json_each(s.companies)))
  AND (s.min_value IS NULL
       OR (json_extract(f.value, '$.currency') = s.min_currency
           AND json_extract(f.value, '$.value') >= s.min_value))
GROUP BY s.chat_id
"""


async def enqueue_alerts(
    db: Database, article_id: int, stored: Sequence[tuple[Fact, UpsertOutcome]]
) -> int:
    """Queue one alert per subscribed chat for the facts this article brought or changed.

    Only ``new`` and ``updated`` facts count (a fact merely stated again does
    not alert). Run it inside the transaction that stored them; return how
    many rows were queued.
    """
    now = utc_now()

    def write(conn: sqlite3.Connection) -> int:  # one hand-off for the whole article
        facts: list[dict[str, Any]] = []
        changes: dict[str, dict[str, Any]] = {}
        for fact, outcome in stored:
            if outcome == "merged":
                continue
            key = merge_key(fact)
            row = conn.execute(_FIND_FACT_ID, key).fetchone()
            if row is None:  # pragma: no cover - upsert_fact has just written it
                continue
            fact_id = int(row["id"])
            facts.append({**key, "id": fact_id, "value": fact.amount.value})
            if outcome == "updated":
                before = conn.execute(
                    _STATUS_BEFORE, {"fact_id": fact_id, "article_id": article_id}
                ).fetchone()
                changes[str(fact_id)] = {
                    "status_before": before["status"] if before else None,
                    "status": fact.status,
                }
        if not facts:
            return 0
        cursor = conn.execute(
            _ENQUEUE,
            {
                "article_id": article_id,
                "facts": json.dumps(facts),
                "changes": json.dumps(changes),
                "now": now,
            },
        )
        return cursor.rowcount

    if all(outcome == "merged" for _, outcome in stored):
        return 0
    return await db.run_write(write)


# --- draining the outbox ------------------------------------------------------------------------

_DUE = """
SELECT outbox.id, chat_id, thread_id, article_id, fact_ids, changes, attempts, chats.lang
FROM outbox LEFT JOIN chats ON chats.id = outbox.chat_id
WHERE outbox.id IN (
    SELECT MIN(id) FROM outbox
    WHERE state = 'pending' AND next_attempt_at <= :now
      AND chat_id NOT IN (SELECT value FROM json_each(:busy))
    GROUP BY chat_id
)
ORDER BY outbox.id
LIMIT :limit
"""


async def list_due_alerts(
    db: Database, *, now: float, busy: Collection[int] = (), limit: int = DEFAULT_BATCH
) -> list[OutboxRow]:
    """The oldest due pending alert of each chat not in ``busy``, oldest first."""
    rows = await db.fetchall(_DUE, {"now": now, "busy": json.dumps(sorted(busy)), "limit": limit})
    return [
        OutboxRow(
            id=row["id"],
            chat_id=row["chat_id"],
            thread_id=row["thread_id"],
            article_id=row["article_id"],
            fact_ids=tuple(json.loads(row["fact_ids"])),
            changes={int(k): v for k, v in json.loads(row["changes"]).items()},
            attempts=row["attempts"],
            lang=row["lang"],
        )
        for row in rows
    ]


async def next_due_time(db: Database) -> float | None:
    """When the next pending alert falls due (Unix time), or None when nothing is pending."""
    row = await db.fetchone("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'")
    return None if row is None or row["at"] is None else float(row["at"])


async def mark_sent(db: Database, row_ids: Collection[int]) -> None:
    """Telegram accepted these alerts (one statement for a batch of them)."""
    now = utc_now()
    params = [{"id": row_id, "now": now} for row_id in row_ids]

    def write(conn: sqlite3.Connection) -> None:
        conn.executemany(
            """
            UPDATE outbox
            SET state = 'sent', attempts = attempts + 1, sent_at = :now, last_error = NULL
            WHERE id = :id
            """,
            params,
        )

    await db.run_write(write)


async def mark_failed(db: Database, row_id: int, reason: str) -> None:
    """Telegram refused the alert for good."""
    await db.execute(
        """
        UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = :reason
        WHERE id = :id
        """,
        {"id": row_id, "reason": reason},
    )


async def retry_later(db: Database, row_id: int, *, at: float, reason: str) -> None:
    """Try the alert again at ``at`` (Unix time)."""
    await db.execute(
        """
        UPDATE outbox SET attempts = attempts + 1, next_attempt_at = :at, last_error = :reason
        WHERE id = :id
        """,
        {"id": row_id, "at": at, "reason": reason},
    )


async def deactivate_chat(db: Database, chat_id: int, reason: str) -> None:
    """The bot may no longer write there: mark the chat inactive, pause its subscriptions,
    and fail its pending alerts."""
    now = utc_now()
    await db.execute(
        """
        INSERT INTO chats (id, type, active, left_at, updated_at)
        VALUES (:id, CASE WHEN :id > 0 THEN 'private' ELSE 'group' END, 0, :now, :now)
        ON CONFLICT (id) DO UPDATE SET active = 0, left_at = :now, updated_at = :now
        """,
        {"id": chat_id, "now": now},
    )
    await db.execute("UPDATE subscriptions SET active = 0 WHERE chat_id = :id", {"id": chat_id})
    await db.execute(
        """
        UPDATE outbox SET state = 'failed', last_error = :reason
        WHERE chat_id = :id AND state = 'pending'
        """,
        {"id": chat_id, "reason": reason},
    )


async def resume_chat(db: Database, chat_id: int) -> None:
    """The bot is back in the chat: its paused subscriptions alert again."""
    await db.execute("UPDATE subscriptions SET active = 1 WHERE chat_id = :id", {"id": chat_id})


async def migrate_chat(db: Database, old_id: int, new_id: int) -> None:
    """A group became a supergroup: move its language, subscriptions, digest schedule
    and pending alerts to the new id (what the new id already has is kept)."""
    params = {"old": old_id, "new": new_id, "now": utc_now()}
    await db.execute(
        """
        INSERT INTO chats (id, type, title, lang, active, joined_at, updated_at)
        SELECT :new, 'supergroup', title, lang, 1, joined_at, :now FROM chats WHERE id = :old
        ON CONFLICT (id) DO UPDATE SET
            lang = COALESCE(chats.lang, excluded.lang),
            title = COALESCE(chats.title, excluded.title),
            updated_at = excluded.updated_at
        """,
        params,
    )
    await db.execute(
        "UPDATE chats SET active = 0, left_at = :now, updated_at = :now WHERE id = :old", params
    )
    for sql in (
        "UPDATE OR IGNORE digest_schedules SET chat_id = :new WHERE chat_id = :old",
        "DELETE FROM digest_schedules WHERE chat_id = :old",
        "UPDATE OR IGNORE digest_runs SET chat_id = :new WHERE chat_id = :old",
        "DELETE FROM digest_runs WHERE chat_id = :old",
    ):
        await db.execute(sql, params)
    await db.execute(
        "UPDATE OR IGNORE subscriptions SET chat_id = :new WHERE chat_id = :old", params
    )
    await db.execute("DELETE FROM subscriptions WHERE chat_id = :old", params)
    await db.execute(
        "UPDATE OR IGNORE outbox SET chat_id = :new WHERE chat_id = :old AND state = 'pending'",
        params,
    )
    await db.execute(
        """
        UPDATE outbox SET state = 'failed', last_error = 'chat migrated'
        WHERE chat_id = :old AND state = 'pending'
        """,
        params,
    )


_GET_ARTICLE = """
SELECT id, sha256, path, published, language, title, source, added_at
FROM articles
WHERE id = :id
"""


async def get_article(db: Database, article_id: int) -> StoredArticle | None:
    """The article an alert is about."""
    row = await db.fetchone(_GET_ARTICLE, {"id": article_id})
    return None if row is None else StoredArticle.model_validate(dict(row))


async def count_outbox(db: Database) -> dict[str, int]:
    """How many alerts are pending, sent and failed."""
    rows = await db.fetchall("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
    return {row["state"]: row["n"] for row in rows}


async def drop_thread(db: Database, chat_id: int, thread_id: int) -> None:
    """A forum topic was deleted: its subscriptions and pending alerts go to the chat itself."""
    params = {"chat_id": chat_id, "thread_id": thread_id}
    await db.execute(
        """
        UPDATE subscriptions SET thread_id = NULL
        WHERE chat_id = :chat_id AND thread_id = :thread_id
        """,
        params,
    )
    await db.execute(
        """
        UPDATE outbox SET thread_id = NULL
        WHERE chat_id = :chat_id AND thread_id = :thread_id AND state = 'pending'
        """,
        params,
    )
