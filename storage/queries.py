"""Typed queries over the dealflow database, each with its SQL beside it.

Writes must run inside ``db.transaction()``. List parameters are passed as
one JSON array and read with ``json_each``, so the SQL text never changes
with the values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any, Literal

from bot.models import (
    Amount,
    ArticleMeta,
    Company,
    Fact,
    FactSource,
    Kind,
    StoredArticle,
    StoredFact,
    StoreStats,
)
from bot.names import fold_name
from storage.db import Database, utc_now

UpsertOutcome = Literal["new", "merged", "updated"]


def merge_key(fact: Fact) -> dict[str, Any]:
    """Return the columns two statements of one fact share (FACTS.md: "One fact, once").

    Kind, subject, counterparty, currency and value: names folded, no
    counterparty as ``''``, the value rounded to 6 significant digits so that
    float noise (``6.6 * 1e9``) does not split a fact.
    """
    return {
        "kind": fact.kind,
        "subject_key": fold_name(fact.subject),
        "counterparty_key": fold_name(fact.counterparty) if fact.counterparty else "",
        "currency": fact.amount.currency.upper(),
        "value_key": float(f"{fact.amount.value:.6g}"),
    }


_GET_ARTICLE_BY_SHA = """
SELECT id, sha256, path, published, language, title, source, added_at
FROM articles
WHERE sha256 = :sha256
"""


async def get_article_by_sha(db: Database, sha256: str) -> StoredArticle | None:
    """Return the stored article with this SHA-256, if any."""
    row = await db.fetchone(_GET_ARTICLE_BY_SHA, {"sha256": sha256})
    return None if row is None else StoredArticle.model_validate(dict(row))


_INSERT_ARTICLE = """
INSERT INTO articles (sha256, path, published, language, title, source, added_at)
VALUES (:sha256, :path, :published, :language, :title, :source, :added_at)
"""


async def insert_article(db: Database, meta: ArticleMeta) -> int:
    """Store an article's metadata and return its id."""
    result = await db.execute(_INSERT_ARTICLE, {**meta.model_dump(), "added_at": utc_now()})
    assert result.lastrowid is not None
    return result.lastrowid


_FIND_FACT = """
SELECT id, status, qualifier, date
FROM facts
WHERE kind = :kind
  AND subject_key = :subject_key
  AND counterparty_key = :counterparty_key
  AND currency = :currency
  AND value_key = :value_key
"""

_INSERT_FACT = """
INSERT INTO facts (
    kind, subject, counterparty, currency, value, metric, status, qualifier, date,
    first_seen, updated_at, subject_key, counterparty_key, value_key
) VALUES (
    :kind, :subject, :counterparty, :currency, :value, :metric, :status, :qualifier, :date,
    :now, :now, :subject_key, :counterparty_key, :value_key
)
"""

_INSERT_SOURCE = """
INSERT OR IGNORE INTO fact_sources (fact_id, article_id, evidence, qualifier, status, date)
VALUES (:fact_id, :article_id, :evidence, :qualifier, :status, :date)
"""

# The latest source decides each field: newest published date first (unknown
# dates count as oldest), then the article added last. A source that leaves
# status or date out does not erase what an earlier one said.
_LATEST_STATE = """
WITH ranked AS (
    SELECT fs.status, fs.qualifier, fs.date, a.published,
           COALESCE(a.published, '') AS rank_date, a.id AS rank_id
    FROM fact_sources AS fs
    JOIN articles AS a ON a.id = fs.article_id
    WHERE fs.fact_id = :fact_id
)
SELECT
    (SELECT status FROM ranked WHERE status IS NOT NULL
     ORDER BY rank_date DESC, rank_id DESC LIMIT 1) AS status,
    (SELECT qualifier FROM ranked
     ORDER BY rank_date DESC, rank_id DESC LIMIT 1) AS qualifier,
    (SELECT date FROM ranked WHERE date IS NOT NULL
     ORDER BY rank_date DESC, rank_id DESC LIMIT 1) AS date,
    (SELECT MAX(published) FROM ranked) AS latest_published
"""

_UPDATE_STATE = """
UPDATE facts
SET status = :status,
    qualifier = :qualifier,
    date = :date,
    effective_date = COALESCE(:date, :latest_published),
    updated_at = CASE WHEN :changed THEN :now ELSE updated_at END
WHERE id = :fact_id
"""


async def upsert_fact(db: Database, fact: Fact, article_id: int) -> UpsertOutcome:
    """Record that an article states a fact; idempotent on the merge key.

    Returns ``"new"`` for a fact not seen before, ``"merged"`` when the article
    becomes one more source of a known fact, and ``"updated"`` when it also
    changes the fact's latest status, qualifier or date. Each source keeps its
    own statement, so earlier states stay visible as history.
    """
    key = merge_key(fact)
    now = utc_now()
    row = await db.fetchone(_FIND_FACT, key)
    if row is None:
        result = await db.execute(
            _INSERT_FACT,
            {
                **key,
                "subject": fact.subject,
                "counterparty": fact.counterparty,
                "value": fact.amount.value,
                "metric": fact.metric,
                "status": fact.status,
                "qualifier": fact.amount.qualifier,
                "date": fact.date,
                "now": now,
            },
        )
        assert result.lastrowid is not None
        fact_id = result.lastrowid
        before = (fact.status, fact.amount.qualifier, fact.date)
    else:
        fact_id = row["id"]
        before = (row["status"], row["qualifier"], row["date"])
    await db.execute(
        _INSERT_SOURCE,
        {
            "fact_id": fact_id,
            "article_id": article_id,
            "evidence": fact.evidence,
            "qualifier": fact.amount.qualifier,
            "status": fact.status,
            "date": fact.date,
        },
    )
    state = await db.fetchone(_LATEST_STATE, {"fact_id": fact_id})
    assert state is not None
    changed = (state["status"], state["qualifier"], state["date"]) != before
    await db.execute(
        _UPDATE_STATE, {**dict(state), "changed": changed, "now": now, "fact_id": fact_id}
    )
    if row is None:
        return "new"
    return "updated" if changed else "merged"


_LIST_FACTS = """
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


async def list_facts(
    db: Database,
    *,
    kinds: Collection[Kind] | None = None,
    companies: Collection[str] | None = None,
    since: str | None = None,
    min_value: float | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[StoredFact]:
    """Return stored facts with their sources, newest first, then biggest.

    ``companies`` matches names (folded, see :func:`bot.names.fold_name`) as
    subject or counterparty. ``since`` is an ISO date compared with the fact's
    date, or when it has none, its newest source's publication date; a partial
    date matches when its period reaches ``since`` ("2025-11" is kept for
    ``since="2025-11-20"``). ``min_value`` compares raw values in each fact's
    own currency.
    """
    return await _select_facts(
        db,
        {
            "kinds": None if kinds is None else json.dumps(list(kinds)),
            "company_keys": (
                None if companies is None else json.dumps([fold_name(c) for c in companies])
            ),
            "since": since,
            "min_value": min_value,
            "fact_id": None,
            "limit": -1 if limit is None else limit,
            "offset": offset,
        },
    )


async def get_fact(db: Database, fact_id: int) -> StoredFact | None:
    """Return one stored fact with its sources, or None."""
    facts = await _select_facts(
        db,
        {
            "kinds": None,
            "company_keys": None,
            "since": None,
            "min_value": None,
            "fact_id": fact_id,
            "limit": 1,
            "offset": 0,
        },
    )
    return facts[0] if facts else None


_LIST_SOURCES = """
SELECT fs.fact_id, fs.article_id, a.path, a.sha256, a.published, a.language, a.title,
       a.source, fs.evidence, fs.qualifier, fs.status, fs.date, a.added_at
FROM fact_sources AS fs
JOIN articles AS a ON a.id = fs.article_id
WHERE fs.fact_id IN (SELECT value FROM json_each(:fact_ids))
ORDER BY fs.fact_id, COALESCE(a.published, ''), a.id
"""


async def _select_facts(db: Database, params: dict[str, Any]) -> list[StoredFact]:
    """Run :data:`_LIST_FACTS` and attach every fact's sources with one more query."""
    rows = await db.fetchall(_LIST_FACTS, params)
    if not rows:
        return []
    source_rows = await db.fetchall(
        _LIST_SOURCES, {"fact_ids": json.dumps([row["id"] for row in rows])}
    )
    sources: dict[int, list[FactSource]] = {}
    for source in source_rows:
        sources.setdefault(source["fact_id"], []).append(FactSource.model_validate(dict(source)))
    return [_stored_fact(row, sources.get(row["id"], [])) for row in rows]


def _stored_fact(row: sqlite3.Row, sources: Sequence[FactSource]) -> StoredFact:
    return StoredFact(
        id=row["id"],
        kind=row["kind"],
        subject=row["subject"],
        counterparty=row["counterparty"],
        amount=Amount(value=row["value"], currency=row["currency"], qualifier=row["qualifier"]),
        status=row["status"],
        metric=row["metric"],
        date=row["date"],
        first_seen=row["first_seen"],
        sources=list(sources),
    )


_LIST_COMPANIES = """
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


async def list_companies(db: Database) -> list[Company]:
    """Return every company named in a fact, most often named first."""
    rows = await db.fetchall(_LIST_COMPANIES)
    return [Company.model_validate(dict(row)) for row in rows]


_GET_STATS = """
SELECT (SELECT COUNT(*) FROM articles) AS articles,
       (SELECT COUNT(*) FROM facts) AS facts,
       (SELECT COUNT(*) FROM fact_sources) AS sources
"""


async def get_stats(db: Database) -> StoreStats:
    """Count articles, facts and fact sources."""
    row = await db.fetchone(_GET_STATS)
    assert row is not None
    return StoreStats.model_validate(dict(row))
