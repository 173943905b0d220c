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

from bot.errors import UnknownCompanyError, UsageError
from bot.models import (
    DEAL_KINDS,
    KINDS,
    ArticleFacts,
    BotStats,
    ChartData,
    CompanyProfile,
    ExportRow,
    FactGroup,
    FactListPage,
    Kind,
    LatestPage,
    ListingName,
    Paging,
    ProfilePage,
    SearchPage,
    StoredFact,
    compute_totals,
)
from bot.names import alias_keys, fold_name
from bot.render import LANGS, Lang
from storage import alerts, queries
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
    names = await queries.list_company_names(db, alias_keys(name))
    suggestion = None
    if not names:
        by_key = await queries.list_company_keys(db)
        close = difflib.get_close_matches(fold_name(name), by_key, n=1, cutoff=0.6)
        suggestion = by_key[close[0]] if close else None
    return CompanyMatch(query=name, names=names, suggestion=suggestion)


async def _company_names(db: Database, name: str) -> list[str]:
    """The stored names for a company, or a UsageError saying who we do know of."""
    if not name.strip():
        raise UsageError("Give a company name.")
    match = await resolve_company(db, name)
    if not match.names:
        raise UnknownCompanyError(name.strip(), match.suggestion)
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
    company: str | None = None,
) -> list[StoredFact]:
    """Facts of some kinds, since a date, of at least some value (in their own currency).

    ``company`` keeps the facts naming that company as either party.
    """
    if min_value is not None and min_value < 0:
        raise UsageError("the minimum amount cannot be negative")
    return await queries.list_facts(
        db,
        kinds=parse_kinds(kinds),
        companies=None if company is None else await _company_names(db, company),
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
    company: str | None = None,
) -> list[ExportRow]:
    """Every matching fact, one row per article stating it, for CSV or JSON export."""
    facts = await list_facts(db, kinds=kinds, since=since, min_value=min_value, company=company)
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


# --- the bot's listings, one page at a time ---------------------------------------------------

#: Facts per page of a listing, a company's profile and a search.
PAGE_SIZE = 10
#: The newest facts a listing (``/deals`` ...) covers: its pages and its totals.
MAX_LISTED = 500
#: Articles per page of ``/latest``, and facts shown for each.
LATEST_ARTICLES = 3
LATEST_FACTS = 6
#: Words of a search query that count.
MAX_SEARCH_TERMS = 12

LISTING_KINDS: dict[ListingName, tuple[Kind, ...]] = {
    "deals": DEAL_KINDS,
    "revenue": ("revenue",),
    "valuation": ("valuation",),
}


def _paging(page: int, per_page: int, total: int) -> Paging:
    """The page asked for, kept within the listing (a stale button may ask past its end)."""
    paging = Paging(page=1, per_page=per_page, total=total)
    return paging.model_copy(update={"page": min(max(page, 1), paging.pages)})


async def facts_page(
    db: Database,
    listing: ListingName,
    *,
    company: str | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> FactListPage:
    """A page of deals, revenue figures or valuations, grouped by company.

    A listing covers the newest :data:`MAX_LISTED` facts matching. Companies
    come newest first; within one, biggest first, then newest. A company's
    totals add up all its facts in the listing, not only the page's.
    """
    kinds = LISTING_KINDS[listing]
    names = None if company is None else await _company_names(db, company)
    total = await queries.count_listing(db, kinds=kinds, companies=names)
    paging = _paging(page, per_page, min(total, MAX_LISTED))
    listed = await queries.list_grouped_facts(
        db,
        kinds=kinds,
        companies=names,
        newest=MAX_LISTED,
        limit=per_page,
        offset=(paging.page - 1) * per_page,
    )
    facts = {fact.id: fact for fact in await queries.get_facts(db, [f.id for f in listed])}
    ending = {f.subject_key for f in listed if f.position == f.company_count}
    totals = await queries.sum_deals_by_subject(
        db, kinds=kinds, companies=names, newest=MAX_LISTED, subject_keys=ending
    )
    groups: list[FactGroup] = []
    for item in listed:
        if not groups or fold_name(groups[-1].subject) != item.subject_key:
            groups.append(
                FactGroup(
                    subject=facts[item.id].subject,
                    facts=[],
                    count=item.company_count,
                    continued=item.position > 1,
                    totals=totals.get(item.subject_key, []) if item.subject_key in ending else [],
                )
            )
        groups[-1].facts.append(facts[item.id])
    return FactListPage(
        listing=listing,
        company=None if names is None else names[0],
        groups=groups,
        paging=paging,
        matched=total,
    )


async def company_page(
    db: Database, name: str, *, page: int = 1, per_page: int = PAGE_SIZE
) -> ProfilePage:
    """A page of everything known about one company: its own facts first, then the others'.

    The counts and totals cover all its facts, whatever the page.
    """
    names = await _company_names(db, name)
    subject_count, counterparty_count = await queries.count_company_facts(db, names)
    paging = _paging(page, per_page, subject_count + counterparty_count)
    listed = await queries.list_company_facts(
        db, names, limit=per_page, offset=(paging.page - 1) * per_page
    )
    facts = await queries.get_facts(db, [fact_id for fact_id, _ in listed])
    own = {fact_id for fact_id, is_own in listed if is_own}
    subject_totals, counterparty_totals = await queries.sum_company_deals(db, names)
    return ProfilePage(
        name=names[0],
        names=names,
        subject_count=subject_count,
        counterparty_count=counterparty_count,
        subject_totals=subject_totals,
        counterparty_totals=counterparty_totals,
        as_subject=[fact for fact in facts if fact.id in own],
        as_counterparty=[fact for fact in facts if fact.id not in own],
        paging=paging,
    )


async def latest_page(
    db: Database, *, page: int = 1, per_page: int = LATEST_ARTICLES, facts_each: int = LATEST_FACTS
) -> LatestPage:
    """A page of the newest articles stating facts, each with its biggest few facts."""
    paging = _paging(page, per_page, await queries.count_articles_with_facts(db))
    articles = await queries.list_articles_with_facts(
        db, limit=per_page, offset=(paging.page - 1) * per_page
    )
    fact_ids = await queries.list_article_fact_ids(db, [a.id for a in articles])
    shown = {article_id: ids[:facts_each] for article_id, ids in fact_ids.items()}
    facts = {
        f.id: f for f in await queries.get_facts(db, [i for ids in shown.values() for i in ids])
    }
    return LatestPage(
        articles=[
            ArticleFacts(
                article=article,
                facts=[facts[i] for i in shown[article.id] if i in facts],
                more=max(0, len(fact_ids[article.id]) - facts_each),
            )
            for article in articles
        ],
        paging=paging,
    )


def parse_search_terms(text: str) -> list[str]:
    """The words of a search, folded as the search index stores them (case, đ -> d).

    Other diacritics are folded by the index's tokenizer on both sides.
    """
    folded = text.replace("đ", "d").replace("Đ", "D").casefold()
    return re.findall(r"[^\W_]+", folded)[:MAX_SEARCH_TERMS]


def fts_match(terms: Sequence[str]) -> str:
    """An FTS5 query finding facts with every term; words of 3+ letters match as prefixes.

    Each term is quoted, so nothing a user types is read as FTS5 syntax.
    """
    return " ".join(f'"{term}"*' if len(term) >= 3 else f'"{term}"' for term in terms)


async def search(
    db: Database, text: str, *, page: int = 1, per_page: int = PAGE_SIZE
) -> SearchPage:
    """Facts whose company names or evidence sentences hold every word of ``text``.

    Ignores case and diacritics ("dau tu" finds "đầu tư"), best match first.
    Text with no words at all (symbols, emoji) is looked for as it is. When
    nothing matches, a stored company name close to ``text`` is suggested.
    """
    text = text.strip()
    if not text:
        raise UsageError("Give some words to search for.")
    terms = parse_search_terms(text)
    offset = (max(page, 1) - 1) * per_page
    if terms:
        total, ids = await queries.search_facts(db, fts_match(terms), limit=per_page, offset=offset)
    else:
        total, ids = await queries.search_facts_by_substring(
            db, text, limit=per_page, offset=offset
        )
    paging = _paging(page, per_page, total)
    if total and not ids:  # asked past the end: show the last page
        return await search(db, text, page=paging.pages, per_page=per_page)
    suggestion = None if total else (await resolve_company(db, text)).suggestion
    return SearchPage(
        query=text,
        terms=terms,
        facts=await queries.get_facts(db, ids),
        paging=paging,
        suggestion=suggestion,
    )


async def get_fact(db: Database, fact_id: int) -> StoredFact | None:
    """One stored fact with every source stating it, or None."""
    return await queries.get_fact(db, fact_id)


async def chart_data(db: Database, name: str, *, limit: int = 500) -> ChartData:
    """A company's deals (as either party) and its own valuations, newest ``limit`` of them."""
    names = await _company_names(db, name)
    keys = {fold_name(n) for n in names}
    facts = await queries.list_facts(
        db, kinds=[*DEAL_KINDS, "valuation"], companies=names, limit=limit
    )
    facts = [f for f in facts if f.kind != "valuation" or fold_name(f.subject) in keys]
    return ChartData(name=names[0], facts=facts)


# --- chats: language and membership ------------------------------------------------------------


def language_of(code: str | None) -> Lang:
    """Vietnamese for a Telegram language code that is Vietnamese, English for all others."""
    return "vi" if (code or "").lower().startswith("vi") else "en"


async def chat_language(db: Database, chat_id: int | None, user_language: str | None) -> Lang:
    """The language to answer in: the one chosen with ``/lang`` for the chat, else the user's."""
    chat = None if chat_id is None else await queries.get_chat(db, chat_id)
    if chat is not None and chat.lang in LANGS:
        return chat.lang
    return language_of(user_language)


async def set_chat_language(
    db: Database, chat_id: int, *, chat_type: str, title: str | None, lang: Lang | None
) -> None:
    """Store the chat's reply language; None goes back to each user's Telegram language."""
    async with db.transaction():
        await queries.set_chat_lang(db, chat_id, type=chat_type, title=title, lang=lang)


async def record_membership(
    db: Database, chat_id: int, *, chat_type: str, title: str | None, active: bool
) -> None:
    """Record that the bot was added to (``active``) or removed from a chat."""
    async with db.transaction():
        await queries.set_chat_membership(db, chat_id, type=chat_type, title=title, active=active)
        if active:  # back in the chat: its paused subscriptions alert again
            await alerts.resume_chat(db, chat_id)


async def migrate_chat(db: Database, old_id: int, new_id: int) -> None:
    """A group became a supergroup: its language, subscriptions, digest and alerts follow."""
    async with db.transaction():
        await alerts.migrate_chat(db, old_id, new_id)


async def save_query(db: Database, listing: str, arg: str) -> int:
    """Keep a listing query under a short id, for buttons whose data would not hold it."""
    async with db.transaction():
        return await queries.save_query(db, listing, arg)


async def get_saved_query(db: Database, query_id: int) -> tuple[str, str] | None:
    """The listing and argument kept under ``query_id``, if any."""
    return await queries.get_saved_query(db, query_id)


async def bot_stats(db: Database) -> BotStats:
    """What the store holds and which chats the bot is in."""
    chats = await queries.count_chats(db)
    return BotStats(
        store=await queries.get_stats(db),
        facts_by_kind=await queries.count_facts_by_kind(db),
        newest_article=await queries.get_newest_published(db),
        active_chats={kind: n for (kind, active), n in sorted(chats.items()) if active},
        inactive_chats=sum(n for (_, active), n in chats.items() if not active),
    )


def parse_fact_id(text: str) -> int | None:
    """A fact's number as a user types it (``12``, ``#12``); None if it is not one."""
    text = text.strip().removeprefix("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


#: Words ``/export`` reads as kinds; anything else is a company name.
EXPORT_KINDS: dict[str, tuple[Kind, ...] | None] = {
    "all": None,
    "deals": DEAL_KINDS,
    "valuations": ("valuation",),
    **{kind: (kind,) for kind in KINDS},
    **{kind.replace("_", "-"): (kind,) for kind in KINDS},
}


def parse_export_args(text: str) -> tuple[tuple[Kind, ...] | None, str | None]:
    """``/export [kind] [company]``: the kinds (None: all) and the company, if any."""
    first, _, rest = text.strip().partition(" ")
    if first.lower() in EXPORT_KINDS:
        return EXPORT_KINDS[first.lower()], rest.strip() or None
    return None, text.strip() or None
