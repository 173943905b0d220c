"""The verbs behind the CLI and the bot: company matching, listings, profiles, export."""

from __future__ import annotations

import pytest
from factories import make_fact, store_article

from bot.errors import UsageError
from bot.services import (
    company_profile,
    export_rows,
    list_deals,
    list_facts,
    list_revenue,
    list_valuations,
    parse_kinds,
    parse_min_amount,
    parse_since,
    resolve_company,
)
from storage.db import Database


@pytest.fixture
async def stored(db: Database) -> Database:
    """Two articles about OpenAI, Anthropic and their backers."""
    await store_article(
        db,
        "dec",
        [
            make_fact(subject="OpenAI", counterparty="Amazon", value=10e9, status="in_talks"),
            make_fact(subject="Anthropic", counterparty="Amazon", value=8e9, status="completed"),
            make_fact(subject="Anthropic", counterparty="Microsoft", value=5e9, status="completed"),
            make_fact(
                kind="contract",
                subject="OpenAI",
                counterparty="Amazon Web Services",
                value=38e9,
                status="completed",
            ),
            make_fact(kind="valuation", subject="OpenAI", counterparty=None, value=500e9),
            make_fact(
                kind="investment",
                subject="Bảo Việt",
                counterparty=None,
                value=5e11,
                currency="VND",
                status="completed",
            ),
        ],
        published="2025-12-17",
    )
    await store_article(
        db,
        "jan",
        [
            make_fact(
                kind="revenue",
                subject="OpenAI",
                counterparty=None,
                value=1e9,
                metric="arr_growth",
                qualifier="more_than",
                date="2026-01",
            ),
            make_fact(subject="OpenAI", counterparty="Amazon", value=10e9, status="completed"),
        ],
        published="2026-01-23",
    )
    return db


# --- matching company names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("OpenAI", ["OpenAI"]),
        ("openai", ["OpenAI"]),
        ("  Open AI ", ["OpenAI"]),
        ("bao viet", ["Bảo Việt"]),
        ("BẢO VIỆT", ["Bảo Việt"]),
        ("AWS", ["Amazon Web Services"]),
        ("amazon", ["Amazon"]),
    ],
)
async def test_resolve_company_is_forgiving(stored: Database, query: str, names: list[str]) -> None:
    match = await resolve_company(stored, query)
    assert match.names == names
    assert match.suggestion is None


@pytest.mark.parametrize(
    ("query", "suggestion"), [("Antropic", "Anthropic"), ("Microsft", "Microsoft"), ("Zzyzx", None)]
)
async def test_resolve_company_suggests_a_near_miss(
    stored: Database, query: str, suggestion: str | None
) -> None:
    match = await resolve_company(stored, query)
    assert match.names == []
    assert match.suggestion == suggestion


async def test_unknown_company_is_a_usage_error_with_a_hint(stored: Database) -> None:
    with pytest.raises(UsageError, match=r"^No facts about 'Antropic'\. Did you mean Anthropic\?$"):
        await list_deals(stored, company="Antropic")
    with pytest.raises(UsageError, match=r"^No facts about 'Zzyzx'\.$"):
        await company_profile(stored, "Zzyzx")
    with pytest.raises(UsageError, match="company name"):
        await company_profile(stored, "  ")


# --- listings ------------------------------------------------------------------------------


async def test_deals_leave_out_revenue_and_valuations(stored: Database) -> None:
    kinds = {fact.kind for fact in await list_deals(stored)}
    assert kinds == {"investment", "contract"}


async def test_deals_match_a_company_as_either_party(stored: Database) -> None:
    deals = await list_deals(stored, company="amazon")
    assert {(f.subject, f.amount.value) for f in deals} == {("OpenAI", 10e9), ("Anthropic", 8e9)}
    assert [f.subject for f in await list_deals(stored, company="OpenAI")] == ["OpenAI", "OpenAI"]


async def test_deals_are_limited(stored: Database) -> None:
    assert len(await list_deals(stored, limit=2)) == 2


async def test_revenue_and_valuations(stored: Database) -> None:
    [revenue] = await list_revenue(stored, company="OpenAI")
    assert (revenue.metric, revenue.amount.qualifier) == ("arr_growth", "more_than")
    [valuation] = await list_valuations(stored)
    assert valuation.amount.value == 500e9
    assert await list_revenue(stored, company="Anthropic") == []


async def test_company_profile_splits_roles_and_totals_them(stored: Database) -> None:
    amazon = await company_profile(stored, "Amazon")
    assert (amazon.name, amazon.as_subject) == ("Amazon", [])
    assert {f.subject for f in amazon.as_counterparty} == {"OpenAI", "Anthropic"}
    [total] = amazon.counterparty_totals
    assert (total.kind, total.value, total.count, total.includes_estimates) == (
        "investment",
        18e9,
        2,
        False,  # the OpenAI deal completed in the January article
    )
    openai = await company_profile(stored, "open ai")
    assert {f.kind for f in openai.as_subject} == {"investment", "contract", "valuation", "revenue"}
    assert openai.as_counterparty == []


async def test_status_update_shows_in_listings(stored: Database) -> None:
    [deal] = [f for f in await list_deals(stored, company="OpenAI") if f.kind == "investment"]
    assert deal.status == "completed"
    assert [s.status for s in deal.sources] == ["in_talks", "completed"]


# --- filters typed by users ----------------------------------------------------------------


async def test_list_facts_filters(stored: Database) -> None:
    assert {f.kind for f in await list_facts(stored, kinds=["share-sale", "valuation"])} == {
        "valuation"
    }
    # the undated OpenAI investment counts from its newest source, published 2026-01-23
    assert [f.kind for f in await list_facts(stored, since="2026-01")] == ["investment", "revenue"]
    assert len(await list_facts(stored, min_value=10e9)) == 4  # incl. 5e11 VND


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"kinds": ["deal"]}, "unknown kind 'deal'; choose from investment"),
        ({"since": "2025-13"}, "cannot read date '2025-13'"),
        ({"since": "yesterday"}, "cannot read date"),
        ({"min_value": -1.0}, "cannot be negative"),
    ],
)
async def test_bad_filters_are_usage_errors(
    stored: Database, filters: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        await list_facts(stored, **filters)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e9", 1e9),
        ("1B", 1e9),
        ("500M", 500e6),
        ("1.5bn", 1.5e9),
        ("$2T", 2e12),
        ("2 billion", 2e9),
        ("10,000", 1e4),
        ("750k", 750e3),
        ("42", 42.0),
    ],
)
def test_parse_min_amount(text: str, value: float) -> None:
    assert parse_min_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1X", "1.5.2B", "-5B"])
def test_parse_min_amount_refuses_nonsense(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read amount"):
        parse_min_amount(text)


@pytest.mark.parametrize("text", ["2025", "2025-11", "2024-02-29"])
def test_parse_since_accepts_partial_iso_dates(text: str) -> None:
    assert parse_since(text) == text


@pytest.mark.parametrize("text", ["2025-00", "2023-02-29", "25-11", "2025/11", "last week"])
def test_parse_since_refuses_other_dates(text: str) -> None:
    with pytest.raises(UsageError):
        parse_since(text)


def test_parse_kinds() -> None:
    assert parse_kinds(None) is None
    assert parse_kinds(["Share-Sale", "revenue"]) == ["share_sale", "revenue"]


# --- export --------------------------------------------------------------------------------


async def test_export_has_one_row_per_article_statement(stored: Database) -> None:
    rows = await export_rows(stored, kinds=["investment"])
    openai = [r for r in rows if r.subject == "OpenAI"]
    assert [(r.status, r.stated_status, r.article_path) for r in openai] == [
        ("completed", "in_talks", "seeds/dec.txt"),
        ("completed", "completed", "seeds/jan.txt"),
    ]
    assert len(rows) == 5
