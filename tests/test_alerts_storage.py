"""The outbox is written with the article's facts: matching chats only, new or changed facts."""

from __future__ import annotations

import json

from factories import make_fact, make_meta

from bot.models import ExtractedArticle, Fact
from bot.names import fold_name
from bot.pipeline import _store_article
from storage import alerts
from storage.db import Database


async def subscribe(db: Database, chat_id: int, **filters: object) -> None:
    companies = filters.get("companies")
    async with db.transaction():
        await alerts.add_subscription(
            db,
            chat_id,
            thread_id=filters.get("thread_id"),  # type: ignore[arg-type]
            company_keys=[fold_name(c) for c in companies] if companies else None,  # type: ignore[attr-defined]
            company_names=companies,  # type: ignore[arg-type]
            kinds=filters.get("kinds"),  # type: ignore[arg-type]
            min_value=filters.get("min_value"),  # type: ignore[arg-type]
            min_currency=filters.get("min_currency", "USD") if filters.get("min_value") else None,  # type: ignore[arg-type]
            created_by=1,
        )


async def store(db: Database, name: str, *facts: Fact, published: str = "2025-12-17") -> None:
    await _store_article(
        db, ExtractedArticle(article=make_meta(name, published=published), facts=list(facts))
    )


async def outbox(db: Database) -> list[tuple[int, int, list[int], dict[str, object]]]:
    rows = await db.fetchall(
        "SELECT chat_id, article_id, fact_ids, changes FROM outbox ORDER BY id"
    )
    return [
        (r["chat_id"], r["article_id"], json.loads(r["fact_ids"]), json.loads(r["changes"]))
        for r in rows
    ]


async def test_matching_chats_get_one_row_per_article(db: Database) -> None:
    await subscribe(db, 1)
    await subscribe(db, 1, companies=["OpenAI"])  # a second match in the same chat
    await subscribe(db, 2, companies=["Anthropic"])
    await subscribe(db, 3, kinds=["valuation"])
    await subscribe(db, 4, min_value=5e9)
    await subscribe(db, 5, min_value=50e9)
    await store(db, "a", make_fact(value=10e9), make_fact(subject="xAI", value=1e9))
    rows = await outbox(db)
    assert [(chat, len(facts)) for chat, _, facts, _ in rows] == [(1, 2), (4, 1)]


async def test_a_minimum_holds_for_facts_in_its_own_currency_only(db: Database) -> None:
    await subscribe(db, 1, min_value=1e9)  # >1B: USD
    await subscribe(db, 2, min_value=500e9, min_currency="VND")  # >500 tỷ đồng
    await store(db, "a", make_fact(subject="FPT", value=30_000e9, currency="VND"))  # about $1.2B
    await store(db, "b", make_fact(subject="xAI", value=2e9))
    await store(db, "c", make_fact(subject="Mistral", value=2e9, currency="EUR"))
    rows = await outbox(db)
    assert [(chat, article) for chat, article, _, _ in rows] == [(2, 1), (1, 2)]  # not converted


async def test_known_facts_do_not_alert_again_but_changes_do(db: Database) -> None:
    await subscribe(db, 1)
    await store(db, "a", make_fact(status="in_talks"))
    await store(db, "b", make_fact(status="in_talks"), published="2025-12-18")
    assert len(await outbox(db)) == 1
    await store(db, "c", make_fact(status="completed"), published="2025-12-19")
    rows = await outbox(db)
    assert len(rows) == 2
    fact_id = rows[1][2][0]
    assert rows[1][3] == {str(fact_id): {"status_before": "in_talks", "status": "completed"}}


async def test_article_without_matching_facts_writes_nothing(db: Database) -> None:
    await subscribe(db, 1, companies=["Anthropic"])
    await store(db, "a", make_fact())
    await store(db, "b")
    assert await outbox(db) == []


async def test_inactive_chats_and_paused_subscriptions_get_nothing(db: Database) -> None:
    await subscribe(db, 1)
    await subscribe(db, 2)
    async with db.transaction():
        await alerts.deactivate_chat(db, 2, "blocked")
    await store(db, "a", make_fact())
    assert [row[0] for row in await outbox(db)] == [1]


async def test_migrate_chat_moves_subscriptions_and_pending_rows(db: Database) -> None:
    await subscribe(db, -5)
    await store(db, "a", make_fact())
    async with db.transaction():
        await alerts.migrate_chat(db, -5, -1005)
    assert [row[0] for row in await outbox(db)] == [-1005]
    assert [s.chat_id for s in await alerts.list_subscriptions(db, -1005)] == [-1005]
    assert await alerts.list_subscriptions(db, -5) == []


async def test_due_alerts_one_per_chat_skipping_busy_chats(db: Database) -> None:
    await subscribe(db, 1)
    await subscribe(db, 2)
    await store(db, "a", make_fact())
    await store(db, "b", make_fact(subject="xAI"))
    due = await alerts.list_due_alerts(db, now=1e12, busy=[2])
    assert [(row.chat_id, row.article_id) for row in due] == [(1, 1)]
