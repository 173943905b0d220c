"""Typed queries over the dealflow database, each with its SQL beside it.

Writes must run inside ``db.transaction()``. List parameters are passed as
one JSON array and read with ``json_each``, so the SQL text never changes
with the values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any, Literal, NamedTuple

from bot.models import (
    DEAL_KINDS,
    Amount,
    ArticleMeta,
    Chat,
    Company,
    Fact,
    FactSource,
    Kind,
    StoredArticle,
    StoredFact,
    StoreStats,
    Total,
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


_KNOWN_SHA256 = """
SELECT sha256 FROM articles
WHERE sha256 IN (SELECT value FROM json_each(:sha256s))
"""


async def list_known_sha256(db: Database, sha256s: Collection[str]) -> set[str]:
    """Return which of these SHA-256s stored articles have, with one query."""
    if not sha256s:
        return set()
    rows = await db.fetchall(_KNOWN_SHA256, {"sha256s": json.dumps(list(sha256s))})
    return {row["sha256"] for row in rows}


_INSERT_ARTICLE = """
INSERT INTO articles (sha256, text_sha256, path, published, language, title, source, added_at)
VALUES (:sha256, :text_sha256, :path, :published, :language, :title, :source, :added_at)
"""


async def insert_article(db: Database, meta: ArticleMeta) -> int:
    """Store an article's metadata and return its id."""
    params = {**meta.model_dump(), "text_sha256": meta.text_sha256, "added_at": utc_now()}
    result = await db.execute(_INSERT_ARTICLE, params)
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
    effective_date, first_seen, updated_at, subject_key, counterparty_key, value_key
) VALUES (
    :kind, :subject, :counterparty, :currency, :value, :metric, :status, :qualifier, :date,
    :effective_date, :now, :now, :subject_key, :counterparty_key, :value_key
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

_ARTICLE_PUBLISHED = """
SELECT published FROM articles WHERE id = :article_id
"""


async def upsert_facts(db: Database, facts: Sequence[Fact], article_id: int) -> list[UpsertOutcome]:
    """Record that an article states these facts, in order; idempotent on the merge key.

    Each outcome is ``"new"`` for a fact not seen before, ``"merged"`` when the
    article becomes one more source of a known fact, and ``"updated"`` when it
    also changes the fact's latest status, qualifier or date. Each source keeps
    its own statement, so earlier states stay visible as history.

    All the statements run in one call on the connection's thread
    (:meth:`Database.run_write`), inside the caller's transaction.
    """
    if not facts:
        return []
    now = utc_now()

    def write(conn: sqlite3.Connection) -> list[UpsertOutcome]:
        row = conn.execute(_ARTICLE_PUBLISHED, {"article_id": article_id}).fetchone()
        published = None if row is None else row["published"]
        return [_upsert_fact(conn, fact, article_id, published, now) for fact in facts]

    return await db.run_write(write)


async def upsert_fact(db: Database, fact: Fact, article_id: int) -> UpsertOutcome:
    """Record that an article states a fact (see :func:`upsert_facts`)."""
    (outcome,) = await upsert_facts(db, [fact], article_id)
    return outcome


def _upsert_fact(
    conn: sqlite3.Connection, fact: Fact, article_id: int, published: str | None, now: str
) -> UpsertOutcome:
    """One fact of :func:`upsert_facts`, on the connection's thread.

    A new fact has this article as its only source, so its latest state is
    the statement itself (:data:`_LATEST_STATE` would give the same) and it is
    written whole at once; a known one gets the source, then its state again.
    """
    key = merge_key(fact)
    source = {
        "article_id": article_id,
        "evidence": fact.evidence,
        "qualifier": fact.amount.qualifier,
        "status": fact.status,
        "date": fact.date,
    }
    row = conn.execute(_FIND_FACT, key).fetchone()
    if row is None:
        cursor = conn.execute(
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
                "effective_date": fact.date if fact.date is not None else published,
                "now": now,
            },
        )
        assert cursor.lastrowid is not None
        conn.execute(_INSERT_SOURCE, {**source, "fact_id": cursor.lastrowid})
        return "new"
    fact_id = row["id"]
    before = (row["status"], row["qualifier"], row["date"])
    conn.execute(_INSERT_SOURCE, {**source, "fact_id": fact_id})
    state = conn.execute(_LATEST_STATE, {"fact_id": fact_id}).fetchone()
    changed = (state["status"], state["qualifier"], state["date"]) != before
    conn.execute(_UPDATE_STATE, {**dict(state), "changed": changed, "now": now, "fact_id": fact_id})
    return "updated" if changed else "merged"


# --- choosing facts for a listing ------------------------------------------------------------
#
# Listings run newest first, then biggest: effective_date DESC (NULL sorts
# lowest, so facts with no date come last), value DESC, id DESC. The index
# facts_effective_date (effective_date, value, and the rowid) read backwards
# is that order, so a listing of all facts reads its first rows and stops.
# Kinds are tested as ``+kind``: the unary plus keeps SQLite from choosing
# the kind index (and sorting every fact of those kinds) over the others.
#
# A company's facts come from two indexes, as subject and as counterparty
# (migration 0008), which hold every column the listings filter and sort on:
# each branch is sorted and cut to the :newest rows a page can need from the
# index alone, then the two are merged. A filter absent from a query is
# absent from its SQL, rather than written as ``(:x IS NULL OR ...)``, which
# would hide the indexes from SQLite: :func:`_matching` and :func:`_matched`
# put statements together from the fixed fragments below, so the SQL text
# depends only on which filters are given. Values are always parameters.

_ORDER = "effective_date DESC, value DESC, id DESC"
_BY_KIND = "+kind IN (SELECT value FROM json_each(:kinds))"
# A partial date matches when its period reaches :since ("2025-11" for "2025-11-20").
_SINCE = "effective_date >= substr(:since, 1, length(effective_date))"
_MIN_VALUE = "value >= :min_value"
_AS_SUBJECT = "subject_key IN (SELECT value FROM json_each(:company_keys))"
_AS_COUNTERPARTY = "counterparty_key IN (SELECT value FROM json_each(:company_keys))"

# The :newest first facts matching some conditions (-1: all of them).
_NEWEST = """
SELECT {columns} FROM facts
WHERE {conditions}
ORDER BY effective_date DESC, value DESC, id DESC
LIMIT :newest
"""


def _filters(*, kinds: bool, since: bool, min_value: bool) -> list[str]:
    return [
        fragment
        for fragment, given in ((_BY_KIND, kinds), (_SINCE, since), (_MIN_VALUE, min_value))
        if given
    ]


def _branch(columns: str, role: str, filters: list[str]) -> str:
    """One role's part of a company's facts, sorted and cut on its own."""
    newest = _NEWEST.format(columns=columns, conditions=" AND ".join([role, *filters]))
    return f"SELECT {columns} FROM ({newest})"  # noqa: S608 -- fixed fragments only


def _matching(
    *, kinds: bool = False, company: bool = False, since: bool = False, min_value: bool = False
) -> str:
    """The WHERE condition choosing the facts to list, for a query that sorts and cuts them.

    With ``company`` it is ``id IN (<as subject> UNION ALL <as counterparty>)``,
    each part at most ``:newest`` facts (-1: all of them) in listing order.
    Parameters: ``:kinds``, ``:company_keys``, ``:since``, ``:min_value``,
    ``:newest``, as chosen.
    """
    filters = _filters(kinds=kinds, since=since, min_value=min_value)
    if not company:
        return " AND ".join(filters) or "1"
    branches = [_branch("id", role, filters) for role in (_AS_SUBJECT, _AS_COUNTERPARTY)]
    return f"id IN ({' UNION ALL '.join(branches)})"


def _matched(columns: str, *, kinds: bool = False, company: bool = False) -> str:
    """A SELECT of ``columns`` of the ``:newest`` first facts matching, in listing order.

    ``columns`` must include id, effective_date and value. For a company each
    branch reads only its index, which holds every column the listings use,
    and UNION drops a fact found in both.
    """
    filters = _filters(kinds=kinds, since=False, min_value=False)
    if not company:
        return _NEWEST.format(columns=columns, conditions=" AND ".join(filters) or "1")
    subject, counterparty = (
        _branch(columns, role, filters) for role in (_AS_SUBJECT, _AS_COUNTERPARTY)
    )
    return f"{subject} UNION {counterparty} ORDER BY {_ORDER} LIMIT :newest"


_LIST_FACTS = """
SELECT id, kind, subject, counterparty, currency, value, metric, status, qualifier, date,
       first_seen
FROM facts
WHERE {matching}
ORDER BY effective_date DESC, value DESC, id DESC
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
    sql = _LIST_FACTS.format(
        matching=_matching(
            kinds=kinds is not None,
            company=companies is not None,
            since=since is not None,
            min_value=min_value is not None,
        )
    )
    rows = await db.fetchall(
        sql,
        {
            "kinds": None if kinds is None else json.dumps(list(kinds)),
            "company_keys": _company_keys(companies),
            "since": since,
            "min_value": min_value,
            "newest": -1 if limit is None else limit + offset,
            "limit": -1 if limit is None else limit,
            "offset": offset,
        },
    )
    return await _attach_sources(db, rows)


_GET_FACT = """
SELECT id, kind, subject, counterparty, currency, value, metric, status, qualifier, date,
       first_seen
FROM facts
WHERE id = :fact_id
"""


async def get_fact(db: Database, fact_id: int) -> StoredFact | None:
    """Return one stored fact with its sources, or None."""
    row = await db.fetchone(_GET_FACT, {"fact_id": fact_id})
    facts = [] if row is None else await _attach_sources(db, [row])
    return facts[0] if facts else None


_LIST_SOURCES = """
SELECT fs.fact_id, fs.article_id, a.path, a.sha256, a.published, a.language, a.title,
       a.source, fs.evidence, fs.qualifier, fs.status, fs.date, a.added_at
FROM fact_sources AS fs
JOIN articles AS a ON a.id = fs.article_id
WHERE fs.fact_id IN (SELECT value FROM json_each(:fact_ids))
ORDER BY fs.fact_id, COALESCE(a.published, ''), a.id
"""


async def _attach_sources(db: Database, rows: Sequence[sqlite3.Row]) -> list[StoredFact]:
    """Make fact rows into stored facts, reading all their sources with one query."""
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


# The companies table (migration 0009) is kept by triggers on facts.
_LIST_COMPANIES = """
SELECT key, name, as_subject, as_counterparty
FROM companies
ORDER BY as_subject + as_counterparty DESC, name, key
"""


async def list_companies(db: Database) -> list[Company]:
    """Return every company named in a fact, most often named first."""
    rows = await db.fetchall(_LIST_COMPANIES)
    return [Company.model_validate(dict(row)) for row in rows]


_LIST_COMPANY_KEYS = """
SELECT key, name FROM companies
"""


async def list_company_keys(db: Database) -> dict[str, str]:
    """Every company's folded key with its stored name (as :func:`list_companies`), unordered.

    The cheap form for looking up near misses: no models, no sorting.
    """
    return {row["key"]: row["name"] for row in await db.fetchall(_LIST_COMPANY_KEYS)}


_COMPANIES_BY_KEYS = """
SELECT name
FROM companies
WHERE key IN (SELECT value FROM json_each(:keys))
ORDER BY as_subject + as_counterparty DESC, name, key
"""


async def list_company_names(db: Database, keys: Collection[str]) -> list[str]:
    """The stored spellings of the companies with these folded keys, most often named first.

    The same names and order :func:`list_companies` gives for those keys.
    """
    rows = await db.fetchall(_COMPANIES_BY_KEYS, {"keys": json.dumps(sorted(keys))})
    return [row["name"] for row in rows]


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


# --- listings one page at a time ------------------------------------------------------------


class ListedFact(NamedTuple):
    """A fact's place in a grouped listing: its company, its rank there, its company's size."""

    id: int
    subject_key: str
    position: int
    company_count: int


def _company_keys(companies: Collection[str] | None) -> str | None:
    return None if companies is None else json.dumps(sorted({fold_name(c) for c in companies}))


_COUNT_LISTING = """
SELECT COUNT(*) AS n
FROM facts
WHERE kind IN (SELECT value FROM json_each(:kinds))
"""

# Each fact once: those naming the company as subject, then those naming it
# only as the other party. Both counts are read from the indexes alone.
_COUNT_COMPANY_LISTING = """
SELECT (SELECT COUNT(*) FROM facts
        WHERE subject_key IN (SELECT value FROM json_each(:company_keys))
          AND +kind IN (SELECT value FROM json_each(:kinds)))
     + (SELECT COUNT(*) FROM facts
        WHERE counterparty_key IN (SELECT value FROM json_each(:company_keys))
          AND +kind IN (SELECT value FROM json_each(:kinds))
          AND subject_key NOT IN (SELECT value FROM json_each(:company_keys))) AS n
"""


async def count_listing(
    db: Database, *, kinds: Collection[Kind], companies: Collection[str] | None = None
) -> int:
    """Count the facts of some kinds, optionally naming one of ``companies`` as either party."""
    row = await db.fetchone(
        _COUNT_LISTING if companies is None else _COUNT_COMPANY_LISTING,
        {"kinds": json.dumps(list(kinds)), "company_keys": _company_keys(companies)},
    )
    return 0 if row is None else int(row["n"])


# The newest :newest facts matching, grouped by company (subject): companies
# newest first, by their newest fact; within one, biggest first, then newest.
# Each company's facts stay together, so a page can say where a company's list
# goes on and where it ends.
_LIST_GROUPED = """
WITH matched AS ({matched}),
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


async def list_grouped_facts(
    db: Database,
    *,
    kinds: Collection[Kind],
    companies: Collection[str] | None = None,
    newest: int,
    limit: int,
    offset: int = 0,
) -> list[ListedFact]:
    """A page of the ``newest`` facts matching, grouped by company (see :data:`_LIST_GROUPED`)."""
    rows = await db.fetchall(
        _LIST_GROUPED.format(
            matched=_matched(
                "id, subject_key, value, effective_date",
                kinds=True,
                company=companies is not None,
            )
        ),
        {
            "kinds": json.dumps(list(kinds)),
            "company_keys": _company_keys(companies),
            "newest": newest,
            "limit": limit,
            "offset": offset,
        },
    )
    return [ListedFact(r["id"], r["subject_key"], r["position"], r["company_count"]) for r in rows]


async def get_facts(db: Database, fact_ids: Sequence[int]) -> list[StoredFact]:
    """Return the stored facts with these ids, with their sources, in the order asked."""
    if not fact_ids:
        return []
    rows = await db.fetchall(_GET_FACTS, {"fact_ids": json.dumps(list(fact_ids))})
    by_id = {fact.id: fact for fact in await _attach_sources(db, rows)}
    return [by_id[i] for i in fact_ids if i in by_id]


_GET_FACTS = """
SELECT id, kind, subject, counterparty, currency, value, metric, status, qualifier, date,
       first_seen
FROM facts
WHERE id IN (SELECT value FROM json_each(:fact_ids))
"""

# Both mirror bot.models.compute_totals (a test holds them together): deal
# kinds only, per kind and currency; an estimate is any amount not exact or
# any deal not completed.
_SUM_BY_SUBJECT = """
WITH matched AS ({matched})
SELECT subject_key AS grp, kind, currency, SUM(value) AS value, COUNT(*) AS count,
       MAX(qualifier <> 'exact' OR COALESCE(status, 'completed') <> 'completed')
           AS includes_estimates
FROM matched
WHERE kind IN (SELECT value FROM json_each(:deal_kinds))
  AND subject_key IN (SELECT value FROM json_each(:subject_keys))
GROUP BY grp, kind, currency
"""

# Per role of the company: its own deals, then those it is the other party to.
_SUM_BY_ROLE = """
SELECT 'subject' AS grp, kind, currency, SUM(value) AS value, COUNT(*) AS count,
       MAX(qualifier <> 'exact' OR COALESCE(status, 'completed') <> 'completed')
           AS includes_estimates
FROM facts
WHERE subject_key IN (SELECT value FROM json_each(:company_keys))
  AND +kind IN (SELECT value FROM json_each(:kinds))
GROUP BY kind, currency
UNION ALL
SELECT 'counterparty' AS grp, kind, currency, SUM(value) AS value, COUNT(*) AS count,
       MAX(qualifier <> 'exact' OR COALESCE(status, 'completed') <> 'completed')
           AS includes_estimates
FROM facts
WHERE counterparty_key IN (SELECT value FROM json_each(:company_keys))
  AND +kind IN (SELECT value FROM json_each(:kinds))
  AND subject_key NOT IN (SELECT value FROM json_each(:company_keys))
GROUP BY kind, currency
"""


def _totals_by_group(rows: Sequence[sqlite3.Row]) -> dict[str, list[Total]]:
    totals: dict[str, list[Total]] = {}
    for row in rows:
        totals.setdefault(row["grp"], []).append(
            Total(
                kind=row["kind"],
                currency=row["currency"],
                value=row["value"],
                count=row["count"],
                includes_estimates=bool(row["includes_estimates"]),
            )
        )
    for group in totals.values():
        group.sort(key=lambda t: (DEAL_KINDS.index(t.kind), -t.value))
    return totals


async def sum_deals_by_subject(
    db: Database,
    *,
    kinds: Collection[Kind],
    companies: Collection[str] | None = None,
    newest: int,
    subject_keys: Collection[str],
) -> dict[str, list[Total]]:
    """Totals of deal facts per subject key, over the listing :func:`list_grouped_facts` pages.

    Added up as :func:`bot.models.compute_totals` does; kinds that are not deal
    kinds are listed but never added up.
    """
    deal_kinds = [kind for kind in kinds if kind in DEAL_KINDS]
    if not deal_kinds or not subject_keys:
        return {}
    rows = await db.fetchall(
        _SUM_BY_SUBJECT.format(
            matched=_matched(
                "id, subject_key, kind, currency, value, qualifier, status, effective_date",
                kinds=True,
                company=companies is not None,
            )
        ),
        {
            "kinds": json.dumps(list(kinds)),
            "deal_kinds": json.dumps(deal_kinds),
            "company_keys": _company_keys(companies),
            "newest": newest,
            "subject_keys": json.dumps(sorted(subject_keys)),
        },
    )
    return _totals_by_group(rows)


async def sum_company_deals(
    db: Database, companies: Collection[str]
) -> tuple[list[Total], list[Total]]:
    """A company's deal totals as subject, and as the other party (names are its spellings)."""
    rows = await db.fetchall(
        _SUM_BY_ROLE,
        {"kinds": json.dumps(list(DEAL_KINDS)), "company_keys": _company_keys(companies)},
    )
    totals = _totals_by_group(rows)
    return totals.get("subject", []), totals.get("counterparty", [])


_COUNT_COMPANY = """
SELECT (SELECT COUNT(*) FROM facts
        WHERE subject_key IN (SELECT value FROM json_each(:company_keys))) AS subject,
       (SELECT COUNT(*) FROM facts
        WHERE counterparty_key IN (SELECT value FROM json_each(:company_keys))
          AND subject_key NOT IN (SELECT value FROM json_each(:company_keys))) AS counterparty
"""


async def count_company_facts(db: Database, companies: Collection[str]) -> tuple[int, int]:
    """How many facts name the company as subject, and how many only as the other party."""
    row = await db.fetchone(_COUNT_COMPANY, {"company_keys": _company_keys(companies)})
    assert row is not None
    return int(row["subject"]), int(row["counterparty"])


# Its own facts first, then those it is party to; biggest first, then newest.
# Each part is cut to the :newest rows a page can reach before they are merged.
_LIST_COMPANY = """
WITH own AS (
    SELECT id, 1 AS own, value, effective_date
    FROM facts
    WHERE subject_key IN (SELECT value FROM json_each(:company_keys))
    ORDER BY value DESC, effective_date DESC, id DESC
    LIMIT :newest
),
other AS (
    SELECT id, 0 AS own, value, effective_date
    FROM facts
    WHERE counterparty_key IN (SELECT value FROM json_each(:company_keys))
      AND subject_key NOT IN (SELECT value FROM json_each(:company_keys))
    ORDER BY value DESC, effective_date DESC, id DESC
    LIMIT :newest
)
SELECT id, own
FROM (SELECT * FROM own UNION ALL SELECT * FROM other)
ORDER BY own DESC, value DESC, effective_date DESC, id DESC
LIMIT :limit OFFSET :offset
"""


async def list_company_facts(
    db: Database, companies: Collection[str], *, limit: int, offset: int = 0
) -> list[tuple[int, bool]]:
    """One page of a company's fact ids, each with whether the company is its subject."""
    rows = await db.fetchall(
        _LIST_COMPANY,
        {
            "company_keys": _company_keys(companies),
            "newest": limit + offset,
            "limit": limit,
            "offset": offset,
        },
    )
    return [(row["id"], bool(row["own"])) for row in rows]


_COUNT_ARTICLES_WITH_FACTS = """
SELECT COUNT(*) AS n
FROM articles AS a
WHERE EXISTS (SELECT 1 FROM fact_sources AS fs WHERE fs.article_id = a.id)
"""

_LIST_ARTICLES_WITH_FACTS = """
SELECT a.id, a.sha256, a.path, a.published, a.language, a.title, a.source, a.added_at
FROM articles AS a
WHERE EXISTS (SELECT 1 FROM fact_sources AS fs WHERE fs.article_id = a.id)
ORDER BY a.published IS NULL, a.published DESC, a.id DESC
LIMIT :limit OFFSET :offset
"""


async def count_articles_with_facts(db: Database) -> int:
    """Count the articles that state at least one fact."""
    row = await db.fetchone(_COUNT_ARTICLES_WITH_FACTS)
    return 0 if row is None else int(row["n"])


async def list_articles_with_facts(
    db: Database, *, limit: int, offset: int = 0
) -> list[StoredArticle]:
    """The newest articles (by publication date, then as added) that state facts."""
    rows = await db.fetchall(_LIST_ARTICLES_WITH_FACTS, {"limit": limit, "offset": offset})
    return [StoredArticle.model_validate(dict(row)) for row in rows]


_ARTICLE_FACT_IDS = """
SELECT fs.article_id, fs.fact_id
FROM fact_sources AS fs
JOIN facts AS f ON f.id = fs.fact_id
WHERE fs.article_id IN (SELECT value FROM json_each(:article_ids))
ORDER BY fs.article_id, f.value DESC, f.id
"""


async def list_article_fact_ids(db: Database, article_ids: Sequence[int]) -> dict[int, list[int]]:
    """The ids of the facts each article states, biggest first."""
    rows = await db.fetchall(_ARTICLE_FACT_IDS, {"article_ids": json.dumps(list(article_ids))})
    facts: dict[int, list[int]] = {article_id: [] for article_id in article_ids}
    for row in rows:
        facts[row["article_id"]].append(row["fact_id"])
    return facts


# --- search ---------------------------------------------------------------------------------

_COUNT_SEARCH = """
SELECT COUNT(*) AS n FROM fact_search WHERE fact_search MATCH :match
"""

_SEARCH = """
SELECT rowid AS id FROM fact_search WHERE fact_search MATCH :match
ORDER BY rank, rowid DESC
LIMIT :limit OFFSET :offset
"""


async def search_facts(
    db: Database, match: str, *, limit: int, offset: int = 0
) -> tuple[int, list[int]]:
    """Full-text search (an FTS5 ``MATCH`` expression): the count, and a page of fact ids.

    Best match first (bm25, names weighing more than evidence). The caller
    builds ``match`` from quoted terms, so user text never reaches FTS5 syntax.
    """
    row = await db.fetchone(_COUNT_SEARCH, {"match": match})
    total = 0 if row is None else int(row["n"])
    if not total:
        return 0, []
    rows = await db.fetchall(_SEARCH, {"match": match, "limit": limit, "offset": offset})
    return total, [row["id"] for row in rows]


# For text with no words to index (symbols, emoji): a plain substring scan.
_COUNT_LIKE = """
SELECT COUNT(*) AS n
FROM facts AS f
WHERE f.subject LIKE :pattern ESCAPE '\\'
   OR f.counterparty LIKE :pattern ESCAPE '\\'
   OR EXISTS (SELECT 1 FROM fact_sources AS fs
              WHERE fs.fact_id = f.id AND fs.evidence LIKE :pattern ESCAPE '\\')
"""

_SEARCH_LIKE = """
SELECT f.id
FROM facts AS f
WHERE f.subject LIKE :pattern ESCAPE '\\'
   OR f.counterparty LIKE :pattern ESCAPE '\\'
   OR EXISTS (SELECT 1 FROM fact_sources AS fs
              WHERE fs.fact_id = f.id AND fs.evidence LIKE :pattern ESCAPE '\\')
ORDER BY f.effective_date IS NULL, f.effective_date DESC, f.id DESC
LIMIT :limit OFFSET :offset
"""


async def search_facts_by_substring(
    db: Database, text: str, *, limit: int, offset: int = 0
) -> tuple[int, list[int]]:
    """Facts whose names or evidence contain ``text`` as is (newest first): count and a page."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params = {"pattern": f"%{escaped}%"}
    row = await db.fetchone(_COUNT_LIKE, params)
    total = 0 if row is None else int(row["n"])
    if not total:
        return 0, []
    rows = await db.fetchall(_SEARCH_LIKE, {**params, "limit": limit, "offset": offset})
    return total, [row["id"] for row in rows]


# --- chats ----------------------------------------------------------------------------------

_GET_CHAT = """
SELECT id, type, title, lang, active, joined_at, left_at, updated_at
FROM chats
WHERE id = :id
"""


async def get_chat(db: Database, chat_id: int) -> Chat | None:
    """Return what the store knows of a chat, if anything."""
    row = await db.fetchone(_GET_CHAT, {"id": chat_id})
    return None if row is None else Chat.model_validate(dict(row))


_SET_CHAT_LANG = """
INSERT INTO chats (id, type, title, lang, active, updated_at)
VALUES (:id, :type, :title, :lang, 1, :now)
ON CONFLICT (id) DO UPDATE SET
    type = excluded.type,
    title = COALESCE(excluded.title, chats.title),
    lang = excluded.lang,
    updated_at = excluded.updated_at
"""


async def set_chat_lang(
    db: Database, chat_id: int, *, type: str, title: str | None, lang: str | None
) -> None:
    """Store a chat's reply language (None: follow each user's Telegram language)."""
    await db.execute(
        _SET_CHAT_LANG,
        {"id": chat_id, "type": type, "title": title, "lang": lang, "now": utc_now()},
    )


_SET_CHAT_MEMBERSHIP = """
INSERT INTO chats (id, type, title, active, joined_at, left_at, updated_at)
VALUES (:id, :type, :title, :active,
        CASE WHEN :active THEN :now END, CASE WHEN :active THEN NULL ELSE :now END, :now)
ON CONFLICT (id) DO UPDATE SET
    type = excluded.type,
    title = COALESCE(excluded.title, chats.title),
    active = excluded.active,
    joined_at = CASE WHEN :active THEN :now ELSE chats.joined_at END,
    left_at = CASE WHEN :active THEN chats.left_at ELSE :now END,
    updated_at = :now
"""


async def set_chat_membership(
    db: Database, chat_id: int, *, type: str, title: str | None, active: bool
) -> None:
    """Record that the bot joined (``active``) or left a chat, and when."""
    await db.execute(
        _SET_CHAT_MEMBERSHIP,
        {"id": chat_id, "type": type, "title": title, "active": active, "now": utc_now()},
    )


_COUNT_CHATS = """
SELECT type, active, COUNT(*) AS n FROM chats GROUP BY type, active
"""


async def count_chats(db: Database) -> dict[tuple[str, bool], int]:
    """How many chats of each type the bot is (or was) in."""
    rows = await db.fetchall(_COUNT_CHATS)
    return {(row["type"], bool(row["active"])): row["n"] for row in rows}


# --- list queries kept for buttons ------------------------------------------------------------

_SAVE_QUERY = """
INSERT INTO saved_queries (listing, arg, created_at) VALUES (:listing, :arg, :now)
ON CONFLICT (listing, arg) DO NOTHING
"""
_FIND_SAVED_QUERY = """
SELECT id FROM saved_queries WHERE listing = :listing AND arg = :arg
"""
_GET_SAVED_QUERY = """
SELECT listing, arg FROM saved_queries WHERE id = :id
"""


async def save_query(db: Database, listing: str, arg: str) -> int:
    """Keep a listing's argument under a short id (the same id for the same query)."""
    params = {"listing": listing, "arg": arg}
    await db.execute(_SAVE_QUERY, {**params, "now": utc_now()})
    row = await db.fetchone(_FIND_SAVED_QUERY, params)
    assert row is not None
    return int(row["id"])


async def get_saved_query(db: Database, query_id: int) -> tuple[str, str] | None:
    """The listing and argument kept under ``query_id``, if any."""
    row = await db.fetchone(_GET_SAVED_QUERY, {"id": query_id})
    return None if row is None else (row["listing"], row["arg"])


_FACTS_BY_KIND = """
SELECT kind, COUNT(*) AS n FROM facts GROUP BY kind ORDER BY n DESC
"""
_NEWEST_ARTICLE = """
SELECT MAX(published) AS published FROM articles
"""


async def count_facts_by_kind(db: Database) -> dict[str, int]:
    """How many facts of each kind the store holds, most first."""
    return {row["kind"]: row["n"] for row in await db.fetchall(_FACTS_BY_KIND)}


async def get_newest_published(db: Database) -> str | None:
    """The newest publication date of any stored article."""
    row = await db.fetchone(_NEWEST_ARTICLE)
    return None if row is None else row["published"]
