"""Builders for facts and article metadata, with sensible defaults."""

from __future__ import annotations

import random
from typing import Any

from bot.models import KINDS, STATUS_KINDS, Amount, ArticleMeta, Fact, FactSource, StoredFact
from storage.db import Database
from storage.queries import insert_article, upsert_fact, upsert_facts


def make_fact(
    kind: Any = "investment",
    subject: str = "OpenAI",
    counterparty: str | None = "Amazon",
    value: float = 10e9,
    currency: str = "USD",
    qualifier: Any = "exact",
    **fields: Any,
) -> Fact:
    """A fact with sensible defaults; override any field by keyword."""
    fields.setdefault("status", "in_talks" if kind in STATUS_KINDS else None)
    fields.setdefault("evidence", f"{subject} and {counterparty}: {value:g} {currency}.")
    return Fact(
        kind=kind,
        subject=subject,
        counterparty=counterparty,
        amount=Amount(value=value, currency=currency, qualifier=qualifier),
        **fields,
    )


def make_meta(name: str = "a", published: str | None = "2025-12-17", **fields: Any) -> ArticleMeta:
    """Article metadata whose path and sha256 derive from ``name``."""
    fields.setdefault("language", "vi")
    return ArticleMeta(
        path=f"seeds/{name}.txt",
        sha256=name.encode().hex().ljust(64, "0"),
        published=published,
        **fields,
    )


def make_source(
    path: str = "seeds/a.txt",
    published: str | None = "2025-12-17",
    *,
    source: str | None = None,
    status: Any = None,
    qualifier: Any = "exact",
    article_id: int = 1,
) -> FactSource:
    """One article's statement of a fact."""
    return FactSource(
        article_id=article_id,
        path=path,
        sha256="0" * 64,
        published=published,
        language="vi",
        title=None,
        source=source,
        evidence="…",
        qualifier=qualifier,
        status=status,
        date=None,
        added_at="2026-01-01T00:00:00+00:00",
    )


def make_stored(
    *, fact_id: int = 1, sources: list[FactSource] | None = None, **fields: Any
) -> StoredFact:
    """A stored fact, as the store returns it, built from :func:`make_fact` fields."""
    fact = make_fact(**fields)
    return StoredFact(
        id=fact_id,
        kind=fact.kind,
        subject=fact.subject,
        counterparty=fact.counterparty,
        amount=fact.amount,
        status=fact.status,
        metric=fact.metric,
        date=fact.date,
        first_seen="2026-01-01T00:00:00+00:00",
        sources=[make_source(status=fact.status)] if sources is None else sources,
    )


async def store_article(
    db: Database, name: str, facts: list[Fact], published: str | None = "2025-12-17"
) -> int:
    """Store an article and its facts in one transaction, as the pipeline does."""
    async with db.transaction():
        article_id = await insert_article(db, make_meta(name, published))
        for fact in facts:
            await upsert_fact(db, fact, article_id)
    return article_id


#: Spellings that fold alike ("Open AI"), aliases (NVDA), accents, and a long tail.
TIED_NAMES = (
    "OpenAI", "Open AI", "Nvidia", "NVDA", "Alphabet", "Google", "Bảo Việt", "Bao Viet",
    "Reka", "Sao Mai AI", "xAI", "Quantix Labs",
)  # fmt: skip
TIED_DATES = (None, "2025", "2025-11", "2025-11-20", "2025-12-01", "2026-01-05")
TIED_PUBLISHED = (None, "2025-10-01", "2025-11-20", "2025-12-17", "2026-01-05")


def random_articles(seed: int, n_articles: int = 70) -> list[tuple[str | None, list[Fact]]]:
    """Articles (published date, facts) over few names, values and dates, so that equal
    dates and values, missing and partial dates, restated facts and status changes abound."""
    rng = random.Random(seed)
    articles = []
    for _ in range(n_articles):
        facts = []
        for _ in range(rng.randint(0, 7)):
            kind = rng.choice(KINDS)
            facts.append(
                make_fact(
                    kind=kind,
                    subject=rng.choice(TIED_NAMES),
                    counterparty=rng.choice((None, *TIED_NAMES)) if rng.random() < 0.8 else None,
                    value=rng.choice((5e8, 1e9, 2e9, 2e9, 7.5e9)),
                    currency=rng.choice(("USD", "USD", "VND")),
                    qualifier=rng.choice(("exact", "exact", "about", "up_to")),
                    status=rng.choice((None, "announced", "completed", "in_talks"))
                    if kind in STATUS_KINDS
                    else None,
                    date=rng.choice(TIED_DATES),
                )
            )
        articles.append((rng.choice(TIED_PUBLISHED), facts))
    return articles


async def store_articles(
    db: Database, articles: list[tuple[str | None, list[Fact]]], prefix: str = "r"
) -> None:
    """Store :func:`random_articles`, one transaction each, as the pipeline does."""
    for number, (published, facts) in enumerate(articles):
        async with db.transaction():
            article_id = await insert_article(db, make_meta(f"{prefix}{number}", published))
            await upsert_facts(db, facts, article_id)
