"""Latency of the ``deals`` service over a store of 100,000 facts.

Builds a file database (WAL, migrated) holding ``--facts`` facts, then times
``bot.services.list_deals`` -- the call behind the bot's and the CLI's
``deals`` command -- ``--queries`` times for each variant: all deals, a
company with many facts, a company with a few, an invented company with one
or two, a name the store does not know (which answers with a suggestion).
Prints p50 / p95 / max in milliseconds, and the plans of the queries behind them.

The store holds synthetic facts (no extraction), spread over companies as in
the news: a few names in many facts, a long tail of invented ones in few;
about one in ten is stated again by a later article, so some facts have
several sources. Going through ``upsert_fact`` one fact at a time costs
about 0.5 ms a fact here (an aiosqlite hand-off, the triggers and indexes),
so 100,000 facts would take close to a minute, three times the bulk build;
the store is written in bulk instead, with one sqlite3 ``executemany`` per
table, merging facts on the storage layer's own ``merge_key`` and computing
the state ``upsert_fact`` keeps. Before each build, the same 1,000 facts go
through both ``insert_article``/``upsert_fact`` and the bulk writer, and the
two databases must hold the same rows, or the run stops.

    .venv/bin/python bench/query_bench.py [--facts 100000] [--queries 200] [--db PATH]

With ``--db PATH`` the database is kept and reused by the next run (it is
built only when it holds fewer than ``--facts`` facts).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common import max_rss_mib, percentile, verdict
from corpus import known_companies

from bot.errors import UsageError
from bot.models import DEAL_KINDS, KINDS, STATUS_KINDS, Amount, ArticleMeta, Fact
from bot.names import fold_name
from bot.services import list_deals, resolve_company
from storage.db import Database, utc_now
from storage.queries import (
    _COMPANIES_BY_KEYS,
    _LIST_COMPANY_KEYS,
    _LIST_FACTS,
    _matching,
    get_stats,
    insert_article,
    list_companies,
    list_company_keys,
    list_facts,
    merge_key,
    upsert_fact,
)

TARGET_P95_MS = 20.0
FACTS_PER_ARTICLE = 10
BATCH = 500  # articles per transaction while building

_FAVOURITES = ("OpenAI", "Anthropic", "Nvidia", "Microsoft", "Amazon", "Google", "xAI", "Meta")
_STEMS = "hel io quan tix nov ara vel ox lum cor vid syn tra zen mor pha kel dax bri sol".split()
_TAILS = ("AI", "Labs", "Robotics", "Systems", "Tech", "Compute")


def _companies(rng: random.Random) -> tuple[list[str], list[float]]:
    """Real names weighted as in the news, plus 3,000 invented ones in a long tail."""
    real = known_companies()
    invented = sorted(
        {
            "".join(rng.choice(_STEMS) for _ in range(3)).capitalize() + " " + rng.choice(_TAILS)
            for _ in range(3000)
        }
    )
    names = real + invented
    weights = [60.0 if n in _FAVOURITES else 2.0 for n in real] + [0.3] * len(invented)
    return names, weights


def _fact(rng: random.Random, names: list[str], weights: list[float], published: date) -> Fact:
    kind = rng.choices(KINDS, (5, 2, 2, 1, 2, 2, 1))[0]
    subject, counterparty = rng.choices(names, weights, k=2)
    if kind in ("revenue", "valuation") or subject == counterparty or rng.random() < 0.15:
        counterparty = None
    value = round(rng.uniform(1, 999), 1) * rng.choice((1e6, 1e9))
    currency = "VND" if rng.random() < 0.05 else "USD"
    if currency == "VND":
        value *= 25_000
    when = published - timedelta(days=rng.randrange(60))
    return Fact(
        kind=kind,
        subject=subject,
        counterparty=counterparty,
        amount=Amount(
            value=value,
            currency=currency,
            qualifier=rng.choices(("exact", "about", "more_than", "up_to"), (6, 2, 1, 1))[0],
        ),
        status=(
            rng.choice(("completed", "announced", "planned", "in_talks"))
            if kind in STATUS_KINDS
            else None
        ),
        metric="revenue" if kind == "revenue" else None,
        date=when.strftime("%Y-%m") if rng.random() < 0.7 else None,
        evidence=f"{subject} and {counterparty}: {value:g} {currency} ({kind}).",
    )


Workload = list[tuple[ArticleMeta, list[Fact]]]


def workload(n_facts: int, seed: int) -> Workload:
    """Articles and the facts each states, until about ``n_facts`` distinct facts."""
    rng = random.Random(seed)
    names, weights = _companies(rng)
    stated: list[Fact] = []
    keys: set[tuple[Any, ...]] = set()
    articles: Workload = []
    while len(keys) < n_facts:
        number = len(articles)
        published = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
        meta = ArticleMeta(
            path=f"bench/{number:06d}.txt",
            sha256=hashlib.sha256(f"{seed}:{number}".encode()).hexdigest(),
            published=published.isoformat(),
            language=rng.choice(("vi", "en")),
            source=rng.choice(("BI", "Reuters", "VnExpress", None)),
        )
        facts = []
        for _ in range(FACTS_PER_ARTICLE):
            if stated and rng.random() < 0.1:  # a later article states a known fact again
                fact = rng.choice(stated)
                if fact.kind in STATUS_KINDS and rng.random() < 0.5:
                    fact = fact.model_copy(update={"status": "completed"})
            else:
                fact = _fact(rng, names, weights, published)
                stated.append(fact)
            keys.add(tuple(merge_key(fact).values()))
            facts.append(fact)
        articles.append((meta, facts))
    return articles


async def build_with_upserts(db: Database, articles: Workload) -> None:
    """Store the workload through ``insert_article`` and ``upsert_fact``, 500 articles a batch."""
    for first in range(0, len(articles), BATCH):
        async with db.transaction():
            for meta, facts in articles[first : first + BATCH]:
                article_id = await insert_article(db, meta)
                for fact in facts:
                    await upsert_fact(db, fact, article_id)


def _latest(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The state ``upsert_fact`` keeps: each field from the latest source that has it."""
    ranked = sorted(sources, key=lambda s: (s["published"] or "", s["article_id"]), reverse=True)
    date_ = next((s["date"] for s in ranked if s["date"] is not None), None)
    published = max((s["published"] for s in sources if s["published"]), default=None)
    return {
        "status": next((s["status"] for s in ranked if s["status"] is not None), None),
        "qualifier": ranked[0]["qualifier"],
        "date": date_,
        "effective_date": date_ or published,
    }


def build_in_bulk(db_path: Path, articles: Workload) -> None:
    """Write the rows ``build_with_upserts`` would, in one sqlite3 transaction.

    Merges facts on :func:`storage.queries.merge_key` in memory, keeps the
    first statement's names and value, each source's own statement, and the
    latest state as :data:`storage.queries._LATEST_STATE` computes it. Only
    for an empty, migrated database; :func:`check_bulk` compares the result
    with the real upserts.
    """
    now = utc_now()
    facts: dict[tuple[Any, ...], dict[str, Any]] = {}
    article_rows = []
    for article_id, (meta, stated) in enumerate(articles, start=1):
        article_rows.append({**meta.model_dump(), "id": article_id, "added_at": now})
        for fact in stated:
            key = merge_key(fact)
            row = facts.get(tuple(key.values()))
            if row is None:
                row = {
                    **key,
                    "id": len(facts) + 1,
                    "subject": fact.subject,
                    "counterparty": fact.counterparty,
                    "value": fact.amount.value,
                    "metric": fact.metric,
                    "now": now,
                    "sources": {},
                }
                facts[tuple(key.values())] = row
            row["sources"].setdefault(  # INSERT OR IGNORE: an article states a fact once
                article_id,
                {
                    "fact_id": row["id"],
                    "article_id": article_id,
                    "published": meta.published,
                    "evidence": fact.evidence,
                    "qualifier": fact.amount.qualifier,
                    "status": fact.status,
                    "date": fact.date,
                },
            )
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            """
            INSERT INTO articles (id, sha256, path, published, language, title, source, added_at)
            VALUES (:id, :sha256, :path, :published, :language, :title, :source, :added_at)
            """,
            article_rows,
        )
        conn.executemany(
            """
            INSERT INTO facts (
                id, kind, subject, counterparty, currency, value, metric, status, qualifier,
                date, effective_date, first_seen, updated_at, subject_key, counterparty_key,
                value_key
            ) VALUES (
                :id, :kind, :subject, :counterparty, :currency, :value, :metric, :status,
                :qualifier, :date, :effective_date, :now, :now, :subject_key, :counterparty_key,
                :value_key
            )
            """,
            ({**row, **_latest(list(row["sources"].values()))} for row in facts.values()),
        )
        conn.executemany(
            """
            INSERT INTO fact_sources (fact_id, article_id, evidence, qualifier, status, date)
            VALUES (:fact_id, :article_id, :evidence, :qualifier, :status, :date)
            """,
            (source for row in facts.values() for source in row["sources"].values()),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


_COMPARED = ("articles", "facts", "fact_sources", "fact_search")
_CLOCK_COLUMNS = frozenset({"added_at", "first_seen", "updated_at"})


def _dump(path: Path) -> dict[str, list[str]]:
    """The rows of the tables the builders write, without the clock columns, sorted.

    ``fact_search`` keeps its rowid (the fact id); other tables carry their ids.
    """
    conn = sqlite3.connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        dump = {}
        for table in _COMPARED:
            if table not in tables:
                continue
            info = conn.execute(f"PRAGMA table_info({table})").fetchall()
            columns = [row[1] for row in info if row[1] not in _CLOCK_COLUMNS]
            if table == "fact_search":
                columns.insert(0, "rowid")
            sql = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608 -- schema names
            dump[table] = sorted(repr(row) for row in conn.execute(sql))
        return dump
    finally:
        conn.close()


async def check_bulk(folder: Path, seed: int) -> bool:
    """Whether the bulk builder writes what ``upsert_fact`` writes, on 1,000 facts."""
    articles = workload(1000, seed + 1)
    databases = []
    for name in ("upserts.db", "bulk.db"):
        db = await Database.open(folder / name)
        await db.migrate()
        if name == "upserts.db":
            await build_with_upserts(db, articles)
        await db.close()
        if name == "bulk.db":
            build_in_bulk(folder / name, articles)
        databases.append(folder / name)
    upserted, bulk = (_dump(path) for path in databases)
    return upserted == bulk


async def timed(
    call: Callable[[], Awaitable[Any]], n: int, budget: float
) -> tuple[list[float], int, str | None]:
    """Run ``call`` ``n`` times, or for ``budget`` seconds if that ends first, after 3
    warm-up calls; return the milliseconds each call took, the rows, the error."""
    rows, error = 0, None
    for _ in range(3):
        try:
            result = await call()
            rows = len(getattr(result, "names", result))
        except UsageError as exc:
            error = str(exc)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < n and (len(times) < 20 or time.perf_counter() < deadline):
        start = time.perf_counter()
        with contextlib.suppress(UsageError):
            await call()
        times.append((time.perf_counter() - start) * 1000)
    return times, rows, error


async def explain(db: Database, sql: str, params: dict[str, Any]) -> list[str]:
    rows = await db.fetchall("EXPLAIN QUERY PLAN " + sql, params)
    return [row["detail"] for row in rows]


async def prepare_store(db_path: Path, n_facts: int, seed: int) -> None:
    """Make ``db_path`` a migrated store of ``n_facts`` facts, unless it holds them already.

    Checks the bulk builder against ``upsert_fact`` first (see :func:`check_bulk`).
    The other benchmarks over a big store (``bot_bench.py``) call this too.
    """
    db = await Database.open(db_path)
    try:
        await db.migrate()
        held = (await get_stats(db)).facts
    finally:
        await db.close()
    if held >= n_facts:
        return
    if held:
        raise SystemExit(f"{db_path} holds too few facts; remove it to rebuild")
    with tempfile.TemporaryDirectory(prefix="dealflow-bench-check-") as tmp:
        same = await check_bulk(Path(tmp), seed)
    print(f"  bulk builder writes the same rows as upsert_fact (1,000-fact check): {same}")
    if not same:
        raise SystemExit("the bulk builder no longer matches storage; fix bench first")
    start = time.perf_counter()
    build_in_bulk(db_path, workload(n_facts, seed))
    print(f"  built the store in {time.perf_counter() - start:.1f} s (bulk)", flush=True)


async def run(args: argparse.Namespace, db_path: Path) -> None:
    await prepare_store(db_path, args.facts, args.seed)
    db = await Database.open(db_path)
    try:
        stats = await get_stats(db)
        size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*"))
        print(
            f"  store: {stats.articles:,} articles, {stats.facts:,} facts, "
            f"{stats.sources:,} sources, {size / 2**20:.0f} MiB ({db_path})"
        )

        companies = {c.name: c.as_subject + c.as_counterparty for c in await list_companies(db)}
        by_count = sorted(companies, key=lambda name: companies[name])
        busy = by_count[-1]
        mid = next(n for n in reversed(by_count) if companies[n] <= 300)
        rare = next(n for n in by_count if companies[n] >= 2)
        # The SQL behind queries.list_facts(kinds=DEAL_KINDS, limit=20), with and without a company.
        all_deals = _LIST_FACTS.format(matching=_matching(kinds=True))
        company_deals = _LIST_FACTS.format(matching=_matching(kinds=True, company=True))
        params = {"kinds": json.dumps(DEAL_KINDS), "newest": 20, "limit": 20, "offset": 0}
        variants: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("list_deals(db)", lambda: list_deals(db)),
            (f'company="{busy}" ({companies[busy]:,} facts)', lambda: list_deals(db, company=busy)),
            (f'company="{mid}" ({companies[mid]:,} facts)', lambda: list_deals(db, company=mid)),
            (f'company="{rare}" ({companies[rare]} facts)', lambda: list_deals(db, company=rare)),
            (
                'company="Nonexistent Corp" (unknown)',
                lambda: list_deals(db, company="Nonexistent Corp"),
            ),
            (f'company="{busy}", limit=None', lambda: list_deals(db, company=busy, limit=None)),
            # The two steps of list_deals(company=...), timed apart to show where the time goes.
            (f'  step: resolve_company(db, "{busy}")', lambda: resolve_company(db, busy)),
            (
                f'  step: queries.list_facts(companies=["{busy}"])',
                lambda: list_facts(db, kinds=DEAL_KINDS, companies=[busy], limit=20),
            ),
            ("  step: queries.list_companies(db)", lambda: list_companies(db)),
            ("  step: queries.list_company_keys(db) (near misses)", lambda: list_company_keys(db)),
            (
                "  SQL alone: _LIST_FACTS, all deals, limit 20",
                lambda: db.fetchall(all_deals, params),
            ),
        ]
        print(
            f"  {args.queries} timed calls each (fewer, at least 20, when they take over "
            f"{args.budget:g} s), after 3 warm-up calls; "
            f"target p95 < {TARGET_P95_MS:.0f} ms"
        )
        header = f"{'rows':>5} {'calls':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        print(f"  {'variant':<50} {header}")
        for label, call in variants:
            times, rows, error = await timed(call, args.queries, args.budget)
            p95 = percentile(times, 95)
            note = "" if error is None else "  (UsageError, as designed)"
            print(
                f"  {label:<50} {rows:>5} {len(times):>5} {percentile(times, 50):8.2f} {p95:8.2f} "
                f"{max(times):8.2f}  {verdict(p95 < TARGET_P95_MS)}{note}"
            )

        plans = [
            ("queries.list_facts, all deals", all_deals, params),
            (
                "queries.list_facts, one company",
                company_deals,
                {**params, "company_keys": json.dumps([fold_name(busy)])},
            ),
            (
                "queries.list_company_names (resolve_company)",
                _COMPANIES_BY_KEYS,
                {"keys": json.dumps([fold_name(busy)])},
            ),
            ("queries.list_company_keys (resolve_company, unknown name)", _LIST_COMPANY_KEYS, {}),
        ]
        for title, sql, values in plans:
            print(f"  EXPLAIN QUERY PLAN, {title}:")
            for line in await explain(db, sql, values):
                print(f"    {line}")
        print(f"  max RSS: {max_rss_mib():.0f} MiB")
    finally:
        await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=100_000, help="facts (default 100000)")
    parser.add_argument("--queries", type=int, default=200, help="calls per variant (200)")
    parser.add_argument(
        "--budget", type=float, default=6.0, help="seconds per variant at most (default 6)"
    )
    parser.add_argument("--seed", type=int, default=2, help="seed (default 2)")
    parser.add_argument("--db", type=Path, help="keep the database here and reuse it")
    args = parser.parse_args(argv)
    print(f"query_bench: list_deals over {args.facts:,} facts, {args.queries} calls per variant")
    if args.db is not None:
        asyncio.run(run(args, args.db))
        return 0
    with tempfile.TemporaryDirectory(prefix="dealflow-bench-") as tmp:
        asyncio.run(run(args, Path(tmp) / "dealflow.db"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
