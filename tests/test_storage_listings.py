"""The listing queries against the SQL they replaced, on a store full of ties.

Migration 0008 and the queries built from fragments in ``storage.queries``
exist to be fast; they must still return what the single, all-filters SQL
of before returned, row for row and in the same order. The old statements
are kept here verbatim as the reference. The store is random but small-valued,
so equal dates, equal values, missing dates, partial dates, aliases and facts
naming a company in both roles are all common.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from factories import random_articles, store_articles

from bot.models import DEAL_KINDS, Kind
from bot.names import fold_name
from storage import queries
from storage.db import Database, load_migrations

# --- the reference: the statements before migration 0008 ------------------------------------

OLD_LIST_FACTS = """
SELECT id, kind, subject, counterparty, currency, value, metric, status, qualifier, date,
       first_seen
FROM facts
WHERE (:kinds IS NULL OR kind IN (SELECT value FROM json_each(:kinds)))
  AND (:company_keys IS NULL
       OR subject_key IN (SELECT value FROM json_each(:company_keys))
       OR counterparty_key IN (SELECT value FROM json_each(:company_keys)))
  AND (:since IS NULL OR effective_date >= substr(:since, 1, length(effective_date)))
  AND (:min_value IS NULL OR value >= :min_value)
  AND (:fact_id IS NULL OR id = :fact_id)
ORDER BY effective_date IS NULL, effective_date DESC, value DESC, id DESC
LIMIT :limit OFFSET :offset
"""

OLD_LIST_COMPANIES = """
WITH names (key, name, as_subject, as_counterparty) AS (
    SELECT subject_key, subject, 1, 0 FROM facts
    UNION ALL
    SELECT counterparty_key, counterparty, 0, 1 FROM facts WHERE counterparty IS NOT NULL
)
SELECT key, MIN(name) AS name, SUM(as_subject) AS as_subject,
       SUM(as_counterparty) AS as_counterparty
FROM names
GROUP BY key
ORDER BY COUNT(*) DESC, name
"""

OLD_COMPANIES_BY_KEYS = """
WITH names (key, name) AS (
    SELECT subject_key, subject FROM facts
    WHERE subject_key IN (SELECT value FROM json_each(:keys))
    UNION ALL
    SELECT counterparty_key, counterparty FROM facts
    WHERE counterparty_key IN (SELECT value FROM json_each(:keys))
)
SELECT key, MIN(name) AS name
FROM names
GROUP BY key
ORDER BY COUNT(*) DESC, name
"""

OLD_COUNT_LISTING = """
SELECT COUNT(*) AS n
FROM facts
WHERE kind IN (SELECT value FROM json_each(:kinds))
  AND (:company_keys IS NULL
       OR subject_key IN (SELECT value FROM json_each(:company_keys))
       OR counterparty_key IN (SELECT value FROM json_each(:company_keys)))
"""

OLD_LIST_GROUPED = """
WITH matched AS (
    SELECT id, subject_key, value, effective_date
    FROM facts
    WHERE kind IN (SELECT value FROM json_each(:kinds))
      AND (:company_keys IS NULL
           OR subject_key IN (SELECT value FROM json_each(:company_keys))
           OR counterparty_key IN (SELECT value FROM json_each(:company_keys)))
    ORDER BY effective_date DESC, value DESC, id DESC
    LIMIT :newest
),
ranked AS (
    SELECT id, subject_key,
           MAX(COALESCE(effective_date, '')) OVER company AS company_date,
           COUNT(*) OVER company AS company_count,
           ROW_NUMBER() OVER (
               PARTITION BY subject_key
               ORDER BY value DESC, effective_date DESC, id DESC
           ) AS position
    FROM matched
    WINDOW company AS (PARTITION BY subject_key)
)
SELECT id, subject_key, position, company_count
FROM ranked
ORDER BY company_date DESC, subject_key, position
LIMIT :limit OFFSET :offset
"""

OLD_SUM_BY_SUBJECT = """
WITH matched AS (
    SELECT subject_key, kind, currency, value, qualifier, status
    FROM facts
    WHERE kind IN (SELECT value FROM json_each(:kinds))
      AND (:company_keys IS NULL
           OR subject_key IN (SELECT value FROM json_each(:company_keys))
           OR counterparty_key IN (SELECT value FROM json_each(:company_keys)))
    ORDER BY effective_date DESC, value DESC, id DESC
    LIMIT :newest
)
SELECT subject_key AS grp, kind, currency, SUM(value) AS value, COUNT(*) AS count,
       MAX(qualifier <> 'exact' OR COALESCE(status, 'completed') <> 'completed')
           AS includes_estimates
FROM matched
WHERE kind IN (SELECT value FROM json_each(:deal_kinds))
  AND subject_key IN (SELECT value FROM json_each(:subject_keys))
GROUP BY grp, kind, currency
"""

OLD_SUM_BY_ROLE = """
SELECT CASE WHEN subject_key IN (SELECT value FROM json_each(:company_keys))
            THEN 'subject' ELSE 'counterparty' END AS grp,
       kind, currency, SUM(value) AS value, COUNT(*) AS count,
       MAX(qualifier <> 'exact' OR COALESCE(status, 'completed') <> 'completed')
           AS includes_estimates
FROM facts
WHERE kind IN (SELECT value FROM json_each(:kinds))
  AND (subject_key IN (SELECT value FROM json_each(:company_keys))
       OR counterparty_key IN (SELECT value FROM json_each(:company_keys)))
GROUP BY grp, kind, currency
"""

OLD_COUNT_COMPANY = """
SELECT COALESCE(SUM(subject_key IN (SELECT value FROM json_each(:company_keys))), 0) AS subject,
       COALESCE(SUM(subject_key NOT IN (SELECT value FROM json_each(:company_keys))), 0)
           AS counterparty
FROM facts
WHERE subject_key IN (SELECT value FROM json_each(:company_keys))
   OR counterparty_key IN (SELECT value FROM json_each(:company_keys))
"""

OLD_LIST_COMPANY = """
SELECT id, subject_key IN (SELECT value FROM json_each(:company_keys)) AS own
FROM facts
WHERE subject_key IN (SELECT value FROM json_each(:company_keys))
   OR counterparty_key IN (SELECT value FROM json_each(:company_keys))
ORDER BY own DESC, value DESC, effective_date DESC, id DESC
LIMIT :limit OFFSET :offset
"""

# --- a store full of ties ---------------------------------------------------------------------


@pytest.fixture
async def tied(db: Database) -> AsyncIterator[Database]:
    await store_articles(db, random_articles(seed=7))
    yield db


def keys(companies: Sequence[str] | None) -> str | None:
    return None if companies is None else json.dumps([fold_name(c) for c in companies])


async def ids(db: Database, sql: str, params: dict[str, Any]) -> list[int]:
    return [row["id"] for row in await db.fetchall(sql, params)]


KIND_CHOICES: list[list[Kind] | None] = [None, list(DEAL_KINDS), ["revenue"], ["valuation"], []]
COMPANY_CHOICES: list[list[str] | None] = [
    None,
    ["OpenAI"],
    ["Nvidia", "NVDA"],
    ["Google", "Alphabet"],
    ["Bao Viet"],
    ["Nobody"],
    [],
]


async def test_store_has_the_ties_it_is_meant_to_have(tied: Database) -> None:
    rows = await tied.fetchall(
        "SELECT effective_date, value, subject_key, counterparty_key FROM facts"
    )
    assert len(rows) > 150
    pairs = [(r["effective_date"], r["value"]) for r in rows]
    assert len(set(pairs)) < len(pairs) / 3  # many facts share date and value
    assert any(r["effective_date"] is None for r in rows)
    assert any(r["subject_key"] == r["counterparty_key"] for r in rows)


# --- list_facts: every filter combination -------------------------------------------------------


async def test_list_facts_matches_the_old_sql_for_every_filter_combination(
    tied: Database,
) -> None:
    checked = 0
    for kinds, companies, since, min_value in itertools.product(
        KIND_CHOICES, COMPANY_CHOICES, (None, "2025", "2025-11", "2025-11-20"), (None, 1e9)
    ):
        for limit, offset in ((None, 0), (3, 0), (4, 5), (1000, 0), (None, 7)):
            facts = await queries.list_facts(
                tied,
                kinds=kinds,
                companies=companies,
                since=since,
                min_value=min_value,
                limit=limit,
                offset=offset,
            )
            expected = await ids(
                tied,
                OLD_LIST_FACTS,
                {
                    "kinds": None if kinds is None else json.dumps(kinds),
                    "company_keys": keys(companies),
                    "since": since,
                    "min_value": min_value,
                    "fact_id": None,
                    "limit": -1 if limit is None else limit,
                    "offset": offset,
                },
            )
            assert [f.id for f in facts] == expected, (kinds, companies, since, min_value, limit)
            checked += bool(expected)
    assert checked > 500  # most combinations find something


async def test_get_fact_matches_the_old_sql(tied: Database) -> None:
    params = {"kinds": None, "company_keys": None, "since": None, "min_value": None}
    for fact_id in (1, 2, 50, 10_000):
        expected = await ids(
            tied, OLD_LIST_FACTS, {**params, "fact_id": fact_id, "limit": 1, "offset": 0}
        )
        fact = await queries.get_fact(tied, fact_id)
        assert ([fact.id] if fact else []) == expected
        if fact is not None:
            (listed,) = [f for f in await queries.list_facts(tied) if f.id == fact_id]
            assert fact == listed


# --- the bot's paged listings ---------------------------------------------------------------------


async def test_grouped_listing_counts_and_totals_match_the_old_sql(tied: Database) -> None:
    for kinds, companies in itertools.product(
        [list(DEAL_KINDS), ["revenue"], ["valuation", "investment"]], COMPANY_CHOICES[:-1]
    ):
        base = {"kinds": json.dumps(kinds), "company_keys": keys(companies)}
        (old_count,) = await tied.fetchone(OLD_COUNT_LISTING, base) or (0,)
        assert await queries.count_listing(tied, kinds=kinds, companies=companies) == old_count
        for newest, limit, offset in ((500, 10, 0), (500, 10, 10), (12, 5, 10), (7, 10, 0)):
            listed = await queries.list_grouped_facts(
                tied, kinds=kinds, companies=companies, newest=newest, limit=limit, offset=offset
            )
            rows = await tied.fetchall(
                OLD_LIST_GROUPED, {**base, "newest": newest, "limit": limit, "offset": offset}
            )
            assert [tuple(item) for item in listed] == [tuple(row) for row in rows]
            subject_keys = sorted({item.subject_key for item in listed})
            totals = await queries.sum_deals_by_subject(
                tied, kinds=kinds, companies=companies, newest=newest, subject_keys=subject_keys
            )
            deal_kinds = [kind for kind in kinds if kind in DEAL_KINDS]
            old = await tied.fetchall(
                OLD_SUM_BY_SUBJECT,
                {
                    **base,
                    "newest": newest,
                    "deal_kinds": json.dumps(deal_kinds),
                    "subject_keys": json.dumps(subject_keys),
                },
            )
            expected = queries._totals_by_group(old) if deal_kinds and subject_keys else {}
            assert totals == expected  # sums of a few exact binary values: exact


async def test_company_page_queries_match_the_old_sql(tied: Database) -> None:
    for companies in COMPANY_CHOICES[1:]:
        params = {"company_keys": keys(companies)}
        row = await tied.fetchone(OLD_COUNT_COMPANY, params)
        assert row is not None
        assert await queries.count_company_facts(tied, companies) == tuple(row)
        for limit, offset in ((10, 0), (10, 10), (3, 7), (10, 1000)):
            page = await queries.list_company_facts(tied, companies, limit=limit, offset=offset)
            old = await tied.fetchall(
                OLD_LIST_COMPANY, {**params, "limit": limit, "offset": offset}
            )
            assert page == [(r["id"], bool(r["own"])) for r in old]
        rows = await tied.fetchall(
            OLD_SUM_BY_ROLE, {**params, "kinds": json.dumps(list(DEAL_KINDS))}
        )
        old_totals = queries._totals_by_group(rows)
        expected = (old_totals.get("subject", []), old_totals.get("counterparty", []))
        assert await queries.sum_company_deals(tied, companies) == expected


# --- the companies table (migration 0009) --------------------------------------------------------


async def old_companies(db: Database) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in await db.fetchall(OLD_LIST_COMPANIES)]


async def new_companies(db: Database) -> list[tuple[Any, ...]]:
    return [
        (c.key, c.name, c.as_subject, c.as_counterparty) for c in await queries.list_companies(db)
    ]


async def test_companies_follow_inserts_updates_and_deletes(tied: Database) -> None:
    assert await new_companies(tied) == await old_companies(tied)
    assert await queries.list_company_keys(tied) == {
        key: name for key, name, *_ in await old_companies(tied)
    }
    for name_keys in (["openai"], ["nvidia", "nvda"], ["baoviet"], ["nobody"], []):
        rows = await tied.fetchall(OLD_COMPANIES_BY_KEYS, {"keys": json.dumps(name_keys)})
        assert await queries.list_company_names(tied, name_keys) == [r["name"] for r in rows]
    async with tied.transaction():
        # rename the smallest spelling away (the name is looked for again), swap roles,
        # drop counterparties, delete facts, and every fact naming one company
        await tied.execute("UPDATE facts SET subject = 'OpenAI' WHERE subject = 'Open AI'")
        await tied.execute(
            "UPDATE OR IGNORE facts SET subject = counterparty, subject_key = counterparty_key,"
            " counterparty = subject, counterparty_key = subject_key"
            " WHERE counterparty IS NOT NULL AND id % 3 = 0"
        )
        await tied.execute(
            "UPDATE OR IGNORE facts SET counterparty = NULL, counterparty_key = '' WHERE id % 5 = 0"
        )
        await tied.execute(
            "DELETE FROM facts"
            " WHERE subject_key = 'quantixlabs' OR counterparty_key = 'quantixlabs' OR id % 7 = 0"
        )
    companies = await new_companies(tied)
    assert companies == await old_companies(tied)
    assert "quantixlabs" not in {key for key, *_ in companies}
    assert ("openai", "Open AI") in {(key, name) for key, name, *_ in companies}  # as counterparty


async def test_companies_are_filled_from_the_facts_already_stored(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "old.db")
    try:
        before = [m for m in load_migrations() if m.name < "0009"]
        await db.migrate(before)
        # facts stored by the code of before (no companies table to keep yet)
        await store_articles(db, random_articles(seed=3, n_articles=30))
        assert await db.migrate() == [m.name for m in load_migrations() if m.name >= "0009"]
        assert await new_companies(db) == await old_companies(db)
    finally:
        await db.close()


# --- the plans: the indexes are used ------------------------------------------------------------


async def plan(db: Database, sql: str, params: dict[str, Any]) -> str:
    rows = await db.fetchall("EXPLAIN QUERY PLAN " + sql, params)
    return "\n".join(row["detail"] for row in rows)


LIST_PARAMS = {
    "kinds": json.dumps(list(DEAL_KINDS)),
    "company_keys": json.dumps(["nvidia"]),
    "since": None,
    "min_value": None,
    "newest": 20,
    "limit": 20,
    "offset": 0,
}


async def test_listing_all_deals_reads_the_date_index_in_order(db: Database) -> None:
    sql = queries._LIST_FACTS.format(matching=queries._matching(kinds=True))
    detail = await plan(db, sql, LIST_PARAMS)
    assert "SCAN facts USING INDEX facts_effective_date" in detail
    assert "TEMP B-TREE" not in detail
    for template in (queries._LIST_GROUPED, queries._SUM_BY_SUBJECT):  # the bot's /deals pages
        matched = queries._matched(
            "id, subject_key, kind, currency, value, qualifier, status, effective_date", kinds=True
        )
        params = {**LIST_PARAMS, "deal_kinds": "[]", "subject_keys": "[]"}
        detail = await plan(db, template.format(matched=matched), params)
        assert "SCAN facts USING INDEX facts_effective_date" in detail
        # the sorts left are the window's and the page's, over the 500 rows at most
        assert "FOR ORDER BY" not in detail.split("SCAN facts USING INDEX")[0]


async def test_listing_a_company_reads_only_its_indexes(db: Database) -> None:
    for sql in (
        queries._LIST_FACTS.format(matching=queries._matching(kinds=True, company=True)),
        queries._LIST_GROUPED.format(
            matched=queries._matched(
                "id, subject_key, value, effective_date", kinds=True, company=True
            )
        ),
        queries._COUNT_COMPANY_LISTING,
        queries._COUNT_COMPANY,
        queries._LIST_COMPANY,
        queries._SUM_BY_ROLE,
    ):
        detail = await plan(db, sql, LIST_PARAMS)
        assert "facts_subject_listing" in detail and "facts_counterparty_listing" in detail, sql
        assert "SCAN facts" not in detail, detail


async def test_looking_up_a_company_does_not_read_the_facts(db: Database) -> None:
    for sql in (queries._COMPANIES_BY_KEYS, queries._LIST_COMPANY_KEYS):
        assert "facts" not in await plan(db, sql, {"keys": "[]"})
