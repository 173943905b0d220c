"""The bot's services: listings by page, company pages, latest, search, chats, saved queries."""

from __future__ import annotations

import random

import pytest
from factories import make_fact, store_article

from bot import services
from bot.errors import UnknownCompanyError, UsageError
from bot.models import DEAL_KINDS, Fact, compute_totals
from storage import queries
from storage.db import Database


@pytest.fixture
async def stored(db: Database) -> Database:
    """OpenAI with many deals, Anthropic with a few, a revenue figure and a valuation."""
    await store_article(
        db,
        "dec",
        [
            make_fact(subject="OpenAI", counterparty="Amazon", value=10e9, status="in_talks"),
            make_fact(subject="Anthropic", counterparty="Amazon", value=8e9, status="completed"),
            make_fact(subject="Anthropic", counterparty="Microsoft", value=5e9, qualifier="up_to"),
            make_fact(
                kind="contract",
                subject="OpenAI",
                counterparty="AWS",
                value=38e9,
                status="completed",
            ),
            make_fact(kind="valuation", subject="OpenAI", counterparty=None, value=500e9),
            make_fact(
                subject="Bảo Việt",
                counterparty=None,
                value=5e11,
                currency="VND",
                status="completed",
                evidence="Bảo Việt đã được đầu tư 500 tỷ đồng.",
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
                evidence="OpenAI added $1B of ARR from its API business.",
            ),
            make_fact(subject="OpenAI", counterparty="Amazon", value=10e9, status="completed"),
        ],
        published="2026-01-23",
    )
    return db


# --- listings -------------------------------------------------------------------------------


async def test_facts_page_groups_by_company_with_totals(stored: Database) -> None:
    page = await services.facts_page(stored, "deals")
    assert [g.subject for g in page.groups] == ["OpenAI", "Anthropic", "Bảo Việt"]
    openai = page.groups[0]
    assert [f.amount.value for f in openai.facts] == [38e9, 10e9]  # biggest first
    assert page.paging.total == page.matched == 5
    anthropic = page.groups[1]
    [total] = anthropic.totals
    assert (total.value, total.count, total.includes_estimates) == (13e9, 2, True)


async def test_facts_page_for_a_company_matches_either_party(stored: Database) -> None:
    page = await services.facts_page(stored, "deals", company="amazon")
    assert page.company == "Amazon"
    assert {g.subject for g in page.groups} == {"OpenAI", "Anthropic"}


async def test_facts_page_of_an_unknown_company_suggests_a_name(stored: Database) -> None:
    with pytest.raises(UnknownCompanyError) as caught:
        await services.facts_page(stored, "deals", company="Antropic")
    assert (caught.value.name, caught.value.suggestion) == ("Antropic", "Anthropic")
    assert isinstance(caught.value, UsageError)


async def test_a_company_split_over_pages_has_its_totals_on_the_last(db: Database) -> None:
    facts = [
        make_fact(subject="OpenAI", counterparty=f"Investor {i}", value=(i + 1) * 1e9)
        for i in range(7)
    ]
    await store_article(db, "many", facts)
    first = await services.facts_page(db, "deals", per_page=4)
    second = await services.facts_page(db, "deals", page=2, per_page=4)
    assert first.paging.pages == 2
    assert (first.groups[0].continued, first.groups[0].totals) == (False, [])
    assert second.groups[0].continued
    [total] = second.groups[0].totals
    assert (total.value, total.count) == (28e9, 7)


async def test_a_page_past_the_end_shows_the_last(stored: Database) -> None:
    page = await services.facts_page(stored, "deals", page=99, per_page=2)
    assert page.paging.page == page.paging.pages == 3


async def test_listing_covers_the_newest_facts_only(
    stored: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_LISTED", 2)
    page = await services.facts_page(stored, "deals")
    assert (page.paging.total, page.matched) == (2, 5)


async def test_sql_totals_add_up_as_compute_totals_does(db: Database) -> None:
    rng = random.Random(7)
    facts: list[Fact] = []
    for i in range(60):
        kind = rng.choice([*DEAL_KINDS, "valuation"])
        facts.append(
            make_fact(
                kind=kind,
                subject=rng.choice(["OpenAI", "Anthropic", "xAI"]),
                counterparty=f"Party {i}",
                value=rng.randint(1, 90) * 1e8,
                currency=rng.choice(["USD", "USD", "EUR"]),
                qualifier=rng.choice(["exact", "exact", "about", "up_to"]),
                status=rng.choice(["completed", "in_talks"]) if kind != "commitment" else None,
            )
        )
    await store_article(db, "random", facts)
    stored = await queries.list_facts(db)
    for subject in ["OpenAI", "Anthropic", "xAI"]:
        mine = [f for f in stored if f.subject == subject]
        sql = await queries.sum_deals_by_subject(
            db, kinds=[*DEAL_KINDS, "valuation"], newest=1000, subject_keys=[subject.lower()]
        )
        assert sql[subject.lower()] == pytest.approx(compute_totals(mine))


async def test_company_page_counts_and_totals_cover_every_page(stored: Database) -> None:
    page = await services.company_page(stored, "openai", per_page=2)
    assert (page.name, page.subject_count, page.counterparty_count) == ("OpenAI", 4, 0)
    assert [f.amount.value for f in page.as_subject] == [500e9, 38e9]
    totals = {(t.kind, t.value) for t in page.subject_totals}
    assert totals == {("contract", 38e9), ("investment", 10e9)}
    amazon = await services.company_page(stored, "Amazon")
    assert (amazon.subject_count, amazon.counterparty_count) == (0, 2)
    assert {t.value for t in amazon.counterparty_totals} == {18e9}


async def test_latest_page_lists_articles_with_their_facts(stored: Database) -> None:
    page = await services.latest_page(stored, facts_each=1)
    assert [a.article.published for a in page.articles] == ["2026-01-23", "2025-12-17"]
    assert [len(a.facts) for a in page.articles] == [1, 1]
    assert [a.more for a in page.articles] == [1, 5]


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        ("dau tu", {"Bảo Việt"}),
        ("ĐẦU TƯ", {"Bảo Việt"}),
        ("bao viet", {"Bảo Việt"}),
        ("API", {"OpenAI"}),
        ("recur", set()),
        ("anthrop", {"Anthropic"}),
        ("Amazon OpenAI", {"OpenAI"}),
    ],
)
async def test_search_ignores_case_and_diacritics(
    stored: Database, text: str, subjects: set[str]
) -> None:
    page = await services.search(stored, text)
    assert {f.subject for f in page.facts} == subjects
    assert page.paging.total == len(page.facts)


@pytest.mark.parametrize(
    "text", ['"', "OpenAI AND", "NEAR(a b)", "*", "'; DROP TABLE facts; --", "a:b", "-x", "^"]
)
async def test_search_reads_no_fts_syntax(stored: Database, text: str) -> None:
    await services.search(stored, text)  # no StorageError
    assert (await queries.get_stats(stored)).facts == 7


async def test_search_without_words_looks_for_the_text(stored: Database) -> None:
    assert (await services.search(stored, "🚀")).facts == []
    assert [f.subject for f in (await services.search(stored, "$1B")).facts] == ["OpenAI"]
    assert (await services.search(stored, "%")).facts == []


async def test_search_suggests_a_company_when_nothing_matches(stored: Database) -> None:
    page = await services.search(stored, "Antropic")
    assert (page.facts, page.suggestion) == ([], "Anthropic")


async def test_search_index_follows_new_sources_and_deletions(stored: Database) -> None:
    assert (await services.search(stored, "Stargate")).facts == []
    fact = make_fact(subject="OpenAI", counterparty="Amazon", value=10e9, evidence="Stargate!")
    await store_article(stored, "feb", [fact], published="2026-02-01")
    [found] = (await services.search(stored, "stargate")).facts
    assert len(found.sources) == 3
    async with stored.transaction():
        await stored.execute("DELETE FROM facts WHERE id = :id", {"id": found.id})
    assert (await services.search(stored, "stargate")).facts == []


async def test_search_pages(db: Database) -> None:
    facts = [make_fact(counterparty=f"Fund {i}", value=(i + 1) * 1e9) for i in range(25)]
    await store_article(db, "funds", facts)
    pages = [await services.search(db, "fund", page=n) for n in (1, 2, 3)]
    assert [len(p.facts) for p in pages] == [10, 10, 5]
    assert len({f.id for p in pages for f in p.facts}) == 25


def test_search_terms_are_folded_words() -> None:
    assert services.parse_search_terms("Đầu tư, OpenAI!") == ["dầu", "tư", "openai"]
    assert services.fts_match(["dầu", "tư"]) == '"dầu"* "tư"'


# --- parsers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("#12", 12), (" 7 ", 7), ("x", None), ("", None), ("١٢", None)],
)
def test_parse_fact_id(text: str, expected: int | None) -> None:
    assert services.parse_fact_id(text) == expected


@pytest.mark.parametrize(
    ("text", "kinds", "company"),
    [
        ("", None, None),
        ("deals OpenAI", DEAL_KINDS, "OpenAI"),
        ("valuation", ("valuation",), None),
        ("share-sale Open AI", ("share_sale",), "Open AI"),
        ("Mistral AI", None, "Mistral AI"),
        ("all Bảo Việt", None, "Bảo Việt"),
    ],
)
def test_parse_export_args(text: str, kinds: object, company: str | None) -> None:
    assert services.parse_export_args(text) == (kinds, company)


async def test_export_rows_for_one_company(stored: Database) -> None:
    rows = await services.export_rows(stored, kinds=["valuation"], company="openai")
    assert [(r.subject, r.value) for r in rows] == [("OpenAI", 500e9)]


# --- chats and saved queries ----------------------------------------------------------------


async def test_chat_language_follows_the_user_until_set(db: Database) -> None:
    assert await services.chat_language(db, 5, "vi-VN") == "vi"
    assert await services.chat_language(db, 5, "en") == "en"
    assert await services.chat_language(db, None, None) == "en"
    await services.set_chat_language(db, 5, chat_type="private", title=None, lang="vi")
    assert await services.chat_language(db, 5, "en") == "vi"
    await services.set_chat_language(db, 5, chat_type="private", title=None, lang=None)
    assert await services.chat_language(db, 5, "en") == "en"


async def test_membership_is_recorded_with_its_times(db: Database) -> None:
    await services.record_membership(db, -1, chat_type="supergroup", title="AI", active=True)
    joined = await queries.get_chat(db, -1)
    assert joined is not None and joined.active and joined.joined_at and not joined.left_at
    await services.record_membership(db, -1, chat_type="supergroup", title=None, active=False)
    left = await queries.get_chat(db, -1)
    assert left is not None and not left.active and left.left_at and left.title == "AI"
    stats = await services.bot_stats(db)
    assert (stats.active_chats, stats.inactive_chats) == ({}, 1)


async def test_saved_queries_keep_one_id_per_query(db: Database) -> None:
    first = await services.save_query(db, "search", "x" * 100)
    assert await services.save_query(db, "search", "x" * 100) == first
    assert await services.get_saved_query(db, first) == ("search", "x" * 100)
    assert await services.get_saved_query(db, first + 1) is None
