"""The verbs the CLI and the Telegram handlers call: one call, one answer.

Services check and normalise what a user typed (raising :class:`UsageError`
with a message fit to show), then ask the store. They never import telegram.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.errors import UsageError
from bot.models import (
    DEAL_KINDS,
    KINDS,
    CompanyProfile,
    ExportRow,
    Kind,
    StoredFact,
    compute_totals,
)
from bot.names import alias_keys, fold_name
from storage import queries
from storage.db import Database

DEFAULT_LIMIT = 20

_AMOUNT = re.compile(r"^\$?(?P<number>\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?P<scale>[a-z]*)$")
_SCALE_WORDS = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def parse_min_amount(text: str) -> float:
    """Read an amount a user typed: ``1e9``, ``1B``, ``500M``, ``1.5bn``, ``$2T``, ``10,000``."""
    match = _AMOUNT.match(text.strip().lower().replace(",", "").replace("_", ""))
    if match is None or match["scale"] not in _SCALE_WORDS:
        raise UsageError(f"cannot read amount {text!r}; try 1e9, 1B, 500M or 1.5bn")
    return float(match["number"]) * _SCALE_WORDS[match["scale"]]


def parse_since(text: str) -> str:
    """Check a date a user typed: ``2025``, ``2025-11`` or ``2025-11-03``."""
    text = text.strip()
    if _PARTIAL_DATE.match(text):
        parts = [int(part) for part in text.split("-")]
        year, month, day = parts + [1] * (3 - len(parts))
        try:
            date(year, month, day)
        except ValueError:
            pass
        else:
            return text
    raise UsageError(f"cannot read date {text!r}; use YYYY, YYYY-MM or YYYY-MM-DD")


def parse_kinds(names: Sequence[str] | None) -> list[Kind] | None:
    """Check fact kinds a user typed (``share-sale`` is read as ``share_sale``)."""
    if not names:
        return None
    kinds: list[Kind] = []
    for name in names:
        wanted = name.strip().lower().replace("-", "_")
        kind = next((k for k in KINDS if k == wanted), None)
        if kind is None:
            raise UsageError(f"unknown kind {name!r}; choose from {', '.join(KINDS)}")
        kinds.append(kind)
    return kinds


@dataclass(frozen=True)
class CompanyMatch:
    """The stored names a user's company name stands for, or the closest near miss."""

    query: str
    names: list[str]
    suggestion: str | None


async def resolve_company(db: Database, name: str) -> CompanyMatch:
    """Find the stored company names ``name`` stands for.

    Matching ignores case, diacritics, spaces and punctuation and follows the
    aliases of :mod:`bot.names` ("AWS" finds "Amazon Web Services"). With no
    match, ``suggestion`` holds the closest stored name, if any is close.
    """
    companies = await queries.list_companies(db)
    wanted = alias_keys(name)
    names = [company.name for company in companies if company.key in wanted]
    suggestion = None
    if not names:
        by_key = {company.key: company.name for company in companies}
        close = difflib.get_close_matches(fold_name(name), by_key, n=1, cutoff=0.6)
        suggestion = by_key[close[0]] if close else None
    return CompanyMatch(query=name, names=names, suggestion=suggestion)


async def _company_names(db: Database, name: str) -> list[str]:
    """The stored names for a company, or a UsageError saying who we do know of."""
    if not name.strip():
        raise UsageError("Give a company name.")
    match = await resolve_company(db, name)
    if not match.names:
        hint = f" Did you mean {match.suggestion}?" if match.suggestion else ""
        raise UsageError(f"No facts about {name.strip()!r}.{hint}")
    return match.names


async def _list(
    db: Database, kinds: Sequence[Kind], company: str | None, limit: int | None
) -> list[StoredFact]:
    companies = None if company is None else await _company_names(db, company)
    return await queries.list_facts(db, kinds=kinds, companies=companies, limit=limit)


async def list_deals(
    db: Database, *, company: str | None = None, limit: int | None = DEFAULT_LIMIT
) -> list[StoredFact]:
    """The latest deals (investments, acquisitions, contracts, commitments, share sales).

    A company matches as either party.
    """
    return await _list(db, DEAL_KINDS, company, limit)


async def list_revenue(
    db: Database, *, company: str | None = None, limit: int | None = DEFAULT_LIMIT
) -> list[StoredFact]:
    """The latest revenue figures (revenue, ARR, profit, loss)."""
    return await _list(db, ["revenue"], company, limit)


async def list_valuations(
    db: Database, *, company: str | None = None, limit: int | None = DEFAULT_LIMIT
) -> list[StoredFact]:
    """The latest valuations."""
    return await _list(db, ["valuation"], company, limit)


async def company_profile(db: Database, name: str) -> CompanyProfile:
    """Everything known about one company, with totals per kind for each role it plays."""
    names = await _company_names(db, name)
    facts = await queries.list_facts(db, companies=names)
    keys = {fold_name(n) for n in names}
    as_subject = [f for f in facts if fold_name(f.subject) in keys]
    as_counterparty = [f for f in facts if fold_name(f.subject) not in keys]
    return CompanyProfile(
        name=names[0],  # the most often named spelling: list_companies ranks them
        names=names,
        as_subject=as_subject,
        as_counterparty=as_counterparty,
        subject_totals=compute_totals(as_subject),
        counterparty_totals=compute_totals(as_counterparty),
    )


async def list_facts(
    db: Database,
    *,
    kinds: Sequence[str] | None = None,
    since: str | None = None,
    min_value: float | None = None,
    limit: int | None = None,
) -> list[StoredFact]:
    """Facts of some kinds, since a date, of at least some value (in their own currency)."""
    if min_value is not None and min_value < 0:
        raise UsageError("the minimum amount cannot be negative")
    return await queries.list_facts(
        db,
        kinds=parse_kinds(kinds),
        since=None if since is None else parse_since(since),
        min_value=min_value,
        limit=limit,
    )


async def export_rows(
    db: Database,
    *,
    kinds: Sequence[str] | None = None,
    since: str | None = None,
    min_value: float | None = None,
) -> list[ExportRow]:
    """Every matching fact, one row per article stating it, for CSV or JSON export."""
    facts = await list_facts(db, kinds=kinds, since=since, min_value=min_value)
    return [
        ExportRow(
            fact_id=fact.id,
            kind=fact.kind,
            subject=fact.subject,
            counterparty=fact.counterparty,
            value=fact.amount.value,
            currency=fact.amount.currency,
            qualifier=fact.amount.qualifier,
            status=fact.status,
            metric=fact.metric,
            date=fact.date,
            article_path=source.path,
            article_published=source.published,
            article_source=source.source,
            article_language=source.language,
            stated_qualifier=source.qualifier,
            stated_status=source.status,
            stated_date=source.date,
            evidence=source.evidence,
        )
        for fact in facts
        for source in fact.sources
    ]
