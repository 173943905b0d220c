"""The database wrapper, migrations and queries, on a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from factories import make_fact, make_meta, random_articles

from bot.errors import StorageError
from storage.db import Database, Migration, load_migrations, split_statements
from storage.queries import (
    get_article_by_sha,
    get_fact,
    get_stats,
    insert_article,
    list_companies,
    list_facts,
    upsert_fact,
    upsert_facts,
)


async def add_article(db: Database, name: str, published: str | None = "2025-12-17") -> int:
    async with db.transaction():
        return await insert_article(db, make_meta(name, published))


async def upsert(db: Database, article_id: int, **fields: object) -> str:
    async with db.transaction():
        return await upsert_fact(db, make_fact(**fields), article_id)  # type: ignore[arg-type]


# --- connection and transactions -------------------------------------------------


async def test_open_sets_pragmas_and_creates_folder(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "deep" / "er" / "x.db")
    try:
        assert (tmp_path / "deep" / "er" / "x.db").exists()
        for pragma, expected in [
            ("journal_mode", "wal"),
            ("foreign_keys", 1),
            ("busy_timeout", 5000),
            ("synchronous", 1),
        ]:
            row = await db.fetchone(f"PRAGMA {pragma}")
            assert row is not None
            assert row[0] == expected, pragma
    finally:
        await db.close()


async def test_write_outside_transaction_is_refused(db: Database) -> None:
    with pytest.raises(StorageError, match=r"inside db\.transaction"):
        await insert_article(db, make_meta())


async def test_transaction_rolls_back_when_the_block_raises(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await insert_article(db, make_meta())
            raise RuntimeError("boom")
    assert (await get_stats(db)).articles == 0
    await add_article(db, "after")  # the connection is usable again
    assert (await get_stats(db)).articles == 1


async def test_transactions_do_not_nest(db: Database) -> None:
    async with db.transaction():
        with pytest.raises(StorageError, match="nest"):
            async with db.transaction():
                pass


async def test_concurrent_transactions_take_turns(db: Database) -> None:
    order: list[str] = []

    async def write(name: str) -> None:
        async with db.transaction():
            order.append(f"{name} begin")
            await insert_article(db, make_meta(name))
            await asyncio.sleep(0.01)
            order.append(f"{name} end")

    await asyncio.gather(write("a"), write("b"))
    assert order == ["a begin", "a end", "b begin", "b end"]
    assert (await get_stats(db)).articles == 2


async def test_storage_errors_are_wrapped(db: Database) -> None:
    with pytest.raises(StorageError, match="no such table"):
        await db.fetchall("SELECT * FROM nowhere")


async def test_run_write_only_inside_a_transaction(db: Database) -> None:
    with pytest.raises(StorageError, match=r"inside db\.transaction"):
        await db.run_write(lambda conn: conn.execute("SELECT 1"))


async def test_run_write_failing_midway_rolls_the_whole_transaction_back(db: Database) -> None:
    def half(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO chats (id, type, updated_at) VALUES (1, 'private', 'now')")
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    with pytest.raises(StorageError, match="no such table"):
        async with db.transaction():
            await db.execute("INSERT INTO chats (id, type, updated_at) VALUES (2, 'private', 'x')")
            await db.run_write(half)
    assert await db.fetchall("SELECT id FROM chats") == []
    async with db.transaction():  # the connection is usable again
        assert await db.run_write(lambda conn: conn.execute("SELECT 41 + 1").fetchone()[0]) == 42


# --- migrations ---------------------------------------------------------------------


async def test_migrations_are_applied_once(db: Database) -> None:
    assert await db.migrate() == []
    rows = await db.fetchall("SELECT name FROM schema_migrations ORDER BY name")
    assert [row["name"] for row in rows] == [m.name for m in load_migrations()]
    assert rows[0]["name"] == "0001_init"


async def test_failed_migration_leaves_nothing(db: Database) -> None:
    broken = Migration("0999_broken", "CREATE TABLE half (x);\nCREATE TABLE oops (;\n")
    with pytest.raises(StorageError):
        await db.migrate([broken])
    assert await db.fetchone("SELECT name FROM sqlite_master WHERE name = 'half'") is None
    assert await db.fetchone("SELECT 1 FROM schema_migrations WHERE name = '0999_broken'") is None


def test_split_statements_keeps_triggers_whole_and_drops_comments() -> None:
    script = """
-- a comment
CREATE TABLE t (x TEXT DEFAULT ';');
CREATE TRIGGER tr AFTER INSERT ON t BEGIN
    UPDATE t SET x = 'a;b';
END;
-- trailing comment
"""
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


def test_split_statements_rejects_an_unfinished_statement() -> None:
    with pytest.raises(StorageError, match="incomplete"):
        split_statements("CREATE TABLE t (x);\nCREATE TABLE u (y)\n")


# --- articles -----------------------------------------------------------------------


async def test_article_is_found_by_sha(db: Database) -> None:
    article_id = await add_article(db, "a")
    found = await get_article_by_sha(db, make_meta("a").sha256)
    assert found is not None
    assert (found.id, found.path, found.published) == (article_id, "seeds/a.txt", "2025-12-17")
    assert await get_article_by_sha(db, "0" * 64) is None


async def test_same_sha_cannot_be_stored_twice(db: Database) -> None:
    await add_article(db, "a")
    with pytest.raises(StorageError, match="UNIQUE"):
        await add_article(db, "a")


async def test_deleting_an_article_deletes_its_sources(db: Database) -> None:
    article_id = await add_article(db, "a")
    await upsert(db, article_id)
    async with db.transaction():
        await db.execute("DELETE FROM articles WHERE id = :id", {"id": article_id})
    assert (await get_stats(db)).sources == 0


# --- merging facts --------------------------------------------------------------------


async def test_same_fact_in_two_articles_is_one_fact_with_two_sources(db: Database) -> None:
    first = await add_article(db, "a", "2025-12-17")
    second = await add_article(db, "b", "2025-12-18")
    assert await upsert(db, first) == "new"
    assert await upsert(db, second) == "merged"
    [fact] = await list_facts(db)
    assert [s.path for s in fact.sources] == ["seeds/a.txt", "seeds/b.txt"]
    assert (await get_stats(db)).model_dump() == {"articles": 2, "facts": 1, "sources": 2}


async def test_restating_a_fact_in_the_same_article_adds_nothing(db: Database) -> None:
    article_id = await add_article(db, "a")
    await upsert(db, article_id, evidence="first")
    assert await upsert(db, article_id, evidence="second") == "merged"
    [fact] = await list_facts(db)
    assert [s.evidence for s in fact.sources] == ["first"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"counterparty": None}, {"counterparty": None}),
        ({"subject": "OpenAI"}, {"subject": "Open AI"}),
        ({"subject": "Bảo Việt"}, {"subject": "bao viet"}),
        ({"value": 6.6 * 1e9}, {"value": 6_600_000_000}),
        ({"currency": "usd"}, {"currency": "USD"}),
        ({"qualifier": "exact"}, {"qualifier": "more_than"}),
    ],
)
async def test_merge_key_tolerates_spelling_and_float_noise(
    db: Database, first: dict[str, object], second: dict[str, object]
) -> None:
    await upsert(db, await add_article(db, "a"), **first)
    assert await upsert(db, await add_article(db, "b"), **second) != "new"
    assert (await get_stats(db)).facts == 1


@pytest.mark.parametrize(
    "other",
    [
        {"value": 11e9},
        {"currency": "EUR"},
        {"counterparty": None},
        {"counterparty": "Microsoft"},
        {"kind": "contract"},
    ],
)
async def test_different_merge_key_is_a_different_fact(
    db: Database, other: dict[str, object]
) -> None:
    await upsert(db, await add_article(db, "a"))
    assert await upsert(db, await add_article(db, "b"), **other) == "new"
    assert (await get_stats(db)).facts == 2


async def test_status_change_keeps_history(db: Database) -> None:
    talks = await add_article(db, "talks", "2025-12-17")
    done = await add_article(db, "done", "2026-01-20")
    await upsert(db, talks, status="in_talks", qualifier="up_to", date="2025-12")
    assert await upsert(db, done, status="completed", date="2026-01-19") == "updated"
    [fact] = await list_facts(db)
    assert (fact.status, fact.amount.qualifier, fact.date) == ("completed", "exact", "2026-01-19")
    assert [(s.path, s.status, s.qualifier) for s in fact.sources] == [
        ("seeds/talks.txt", "in_talks", "up_to"),
        ("seeds/done.txt", "completed", "exact"),
    ]


async def test_older_article_added_later_does_not_change_the_state(db: Database) -> None:
    done = await add_article(db, "done", "2026-01-20")
    talks = await add_article(db, "talks", "2025-12-17")
    await upsert(db, done, status="completed")
    assert await upsert(db, talks, status="in_talks") == "merged"
    fact = await get_fact(db, 1)
    assert fact is not None
    assert fact.status == "completed"
    assert [s.path for s in fact.sources] == ["seeds/talks.txt", "seeds/done.txt"]


async def test_same_day_articles_are_ordered_by_insertion(db: Database) -> None:
    first = await add_article(db, "a", "2026-01-20")
    second = await add_article(db, "b", "2026-01-20")
    await upsert(db, first, status="announced")
    assert await upsert(db, second, status="completed") == "updated"
    assert (await list_facts(db))[0].status == "completed"


async def test_later_source_without_status_or_date_keeps_what_was_known(db: Database) -> None:
    await upsert(db, await add_article(db, "a", "2025-12-17"), status="planned", date="2025-12")
    outcome = await upsert(db, await add_article(db, "b", "2026-01-02"), status=None, date=None)
    assert outcome == "merged"
    [fact] = await list_facts(db)
    assert (fact.status, fact.date) == ("planned", "2025-12")


# --- listing --------------------------------------------------------------------------


async def seed_listing(db: Database) -> None:
    december = await add_article(db, "dec", "2025-12-17")
    january = await add_article(db, "jan", "2026-01-23")
    await upsert(
        db,
        december,
        kind="investment",
        subject="OpenAI",
        counterparty="Amazon",
        value=10e9,
        date="2025-12",
    )
    await upsert(
        db,
        december,
        kind="investment",
        subject="Anthropic",
        counterparty="Amazon",
        value=8e9,
        date="2025-12",
    )
    await upsert(
        db, december, kind="valuation", subject="OpenAI", counterparty=None, value=500e9, date=None
    )
    await upsert(
        db,
        january,
        kind="revenue",
        subject="OpenAI",
        counterparty=None,
        value=1e9,
        date="2026-01",
        metric="arr_growth",
    )
    await upsert(
        db,
        january,
        kind="contract",
        subject="OpenAI",
        counterparty="AWS",
        value=38e9,
        date="2025-11",
    )


async def test_list_facts_is_newest_first_then_biggest(db: Database) -> None:
    await seed_listing(db)
    facts = await list_facts(db)
    assert [(f.kind, f.subject, f.amount.value) for f in facts] == [
        ("revenue", "OpenAI", 1e9),  # 2026-01
        ("valuation", "OpenAI", 500e9),  # no date: published 2025-12-17
        ("investment", "OpenAI", 10e9),  # 2025-12
        ("investment", "Anthropic", 8e9),  # 2025-12
        ("contract", "OpenAI", 38e9),  # 2025-11
    ]
    assert facts[0].metric == "arr_growth"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kinds": ["investment", "contract"]}, {10e9, 8e9, 38e9}),
        ({"companies": ["amazon"]}, {10e9, 8e9}),  # as counterparty
        ({"companies": ["Anthropic", "AWS"]}, {8e9, 38e9}),
        ({"companies": ["Nobody"]}, set()),
        ({"min_value": 10e9}, {10e9, 500e9, 38e9}),
        ({"since": "2025-12-10"}, {1e9, 500e9, 10e9, 8e9}),  # "2025-12" reaches the 10th
        ({"since": "2025-12-18"}, {1e9, 10e9, 8e9}),  # valuation: published 12-17
        ({"since": "2026"}, {1e9}),
        ({"kinds": ["investment"], "companies": ["OpenAI"], "min_value": 1e9}, {10e9}),
    ],
)
async def test_list_facts_filters(
    db: Database, filters: dict[str, object], expected: set[float]
) -> None:
    await seed_listing(db)
    facts = await list_facts(db, **filters)  # type: ignore[arg-type]
    assert {f.amount.value for f in facts} == expected


async def test_list_facts_pages(db: Database) -> None:
    await seed_listing(db)
    everything = await list_facts(db)
    assert await list_facts(db, limit=2) == everything[:2]
    assert await list_facts(db, limit=2, offset=2) == everything[2:4]


async def test_list_facts_fetches_sources_in_one_query(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_listing(db)
    calls: list[str] = []
    fetchall = db.fetchall

    async def counting_fetchall(sql: str, params: object = None) -> object:
        calls.append(sql)
        return await fetchall(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "fetchall", counting_fetchall)
    facts = await list_facts(db)
    assert len(facts) == 5 and all(f.sources for f in facts)
    assert len(calls) == 2


async def test_get_fact(db: Database) -> None:
    await seed_listing(db)
    fact = await get_fact(db, 2)
    assert fact is not None
    assert (fact.subject, fact.counterparty, fact.sources[0].path) == (
        "Anthropic",
        "Amazon",
        "seeds/dec.txt",
    )
    assert await get_fact(db, 99) is None


async def test_list_companies_counts_each_role(db: Database) -> None:
    await seed_listing(db)
    companies = {c.name: (c.as_subject, c.as_counterparty) for c in await list_companies(db)}
    assert companies == {"OpenAI": (4, 0), "Amazon": (0, 2), "Anthropic": (1, 0), "AWS": (0, 1)}
    assert (await list_companies(db))[0].name == "OpenAI"


# --- writing an article's facts in one hand-off ----------------------------------------


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The rows upserts write, without the clock columns."""
    conn = sqlite3.connect(path)
    try:
        return {
            "facts": conn.execute(
                "SELECT id, kind, subject, counterparty, currency, value, metric, status,"
                " qualifier, date, effective_date, subject_key, counterparty_key, value_key"
                " FROM facts ORDER BY id"
            ).fetchall(),
            "sources": conn.execute("SELECT * FROM fact_sources ORDER BY 1, 2").fetchall(),
            "search": conn.execute("SELECT rowid, * FROM fact_search ORDER BY rowid").fetchall(),
        }
    finally:
        conn.close()


async def test_upsert_facts_writes_what_one_upsert_at_a_time_writes(tmp_path: Path) -> None:
    articles = random_articles(seed=11, n_articles=50)
    outcomes: list[list[str]] = []
    for name in ("batch", "single"):
        db = await Database.open(tmp_path / f"{name}.db")
        await db.migrate()
        got = []
        for number, (published, facts) in enumerate(articles):
            async with db.transaction():
                article_id = await insert_article(db, make_meta(f"r{number}", published))
                if name == "batch":
                    got.extend(await upsert_facts(db, facts, article_id))
                else:
                    got.extend([await upsert_fact(db, f, article_id) for f in facts])
        outcomes.append(got)
        await db.close()
    assert outcomes[0] == outcomes[1]
    assert {"new", "merged", "updated"} <= set(outcomes[0])
    assert dump(tmp_path / "batch.db") == dump(tmp_path / "single.db")


async def test_a_new_fact_is_written_with_its_state(db: Database) -> None:
    async with db.transaction():
        article_id = await insert_article(db, make_meta("a", "2025-12-17"))
        outcomes = await upsert_facts(
            db,
            [
                make_fact(date=None),
                make_fact(value=2e9, date="2025-11"),
                make_fact(),  # stated twice by one article: one source
            ],
            article_id,
        )
    assert outcomes == ["new", "new", "merged"]
    rows = await db.fetchall("SELECT effective_date FROM facts ORDER BY id")
    assert [r["effective_date"] for r in rows] == ["2025-12-17", "2025-11"]
    assert (await get_stats(db)).sources == 2


async def test_upsert_facts_with_nothing_to_write_does_nothing(db: Database) -> None:
    assert await upsert_facts(db, [], 1) == []  # not even outside a transaction
