"""The bot's HTML: escaped, balanced on every line, worded in each language, within limits."""

from __future__ import annotations

import pytest
from factories import make_source, make_stored
from telegram_harness import assert_balanced_lines

from bot.errors import UnknownCompanyError, UsageError
from bot.models import FactGroup, FactListPage, Paging, SearchPage, StoredFact, Total
from bot.render import Lang
from bot.render_html import (
    render_excerpt,
    render_fact_sources,
    render_facts_page,
    render_help,
    render_search_page,
    render_usage_error,
)
from bot.telegram_text import MAX_MESSAGE, fit_message, split_message, telegram_length


def _page(
    facts: list[StoredFact], totals: list[Total] | None = None, company: str | None = None
) -> FactListPage:
    group = FactGroup(
        subject=facts[0].subject,
        facts=facts,
        count=len(facts),
        continued=False,
        totals=totals or [],
    )
    return FactListPage(
        listing="deals",
        company=company,
        groups=[group],
        paging=Paging(page=1, per_page=10, total=len(facts)),
        matched=len(facts),
    )


@pytest.mark.parametrize(
    ("lang", "amount", "total"),
    [
        ("en", "$1.4T", "Total committed: $1.41T (incl. estimates)"),
        ("vi", "1.400 tỷ USD", "Tổng cam kết chi: 1.410 tỷ USD (gồm số ước tính)"),
    ],
)
def test_facts_page_in_each_language(lang: Lang, amount: str, total: str) -> None:
    facts = [
        make_stored(
            fact_id=1, kind="commitment", counterparty=None, value=1.4e12, qualifier="about"
        ),
        make_stored(fact_id=2, kind="commitment", counterparty=None, value=1e10),
    ]
    totals = [
        Total(kind="commitment", currency="USD", value=1.41e12, count=2, includes_estimates=True)
    ]
    view = render_facts_page(_page(facts, totals), lang)
    assert amount in view.text
    assert f"<i>{total}</i>" in view.text
    assert "<b>OpenAI</b>" in view.text
    assert view.fact_ids == [1, 2]
    assert_balanced_lines(view.text)


def test_every_dynamic_string_is_escaped() -> None:
    fact = make_stored(subject="<b>Evil & Co</b>", counterparty='"><a href=x>', value=1e9)
    view = render_facts_page(_page([fact]), "en")
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in view.text
    assert "<a href=x>" not in view.text
    assert_balanced_lines(view.text)
    search = SearchPage(
        query="<i>", terms=["evil"], facts=[fact], paging=Paging(page=1, per_page=10, total=1)
    )
    text = render_search_page(search, "en").text
    assert "“&lt;i&gt;”" in text
    assert_balanced_lines(text)


def test_empty_listings_say_what_to_do() -> None:
    empty = FactListPage(
        listing="deals",
        company=None,
        groups=[],
        paging=Paging(page=1, per_page=10, total=0),
        matched=0,
    )
    assert "No deals stored yet" in render_facts_page(empty, "en").text
    assert "Chưa có thương vụ nào" in render_facts_page(empty, "vi").text


def test_sources_show_date_outlet_link_and_evidence() -> None:
    sources = [
        make_source(
            "https://example.com/a?x=1&y=<2>", "2025-12-01", source="BI", status="in_talks"
        ),
        make_source("seeds/b.txt", "2025-12-17", status="completed", article_id=2),
    ]
    fact = make_stored(fact_id=9, sources=sources, status="completed")
    text = render_fact_sources(fact, 9, "en")
    assert '<a href="https://example.com/a?x=1&amp;y=&lt;2&gt;">' in text
    assert "<code>seeds/b.txt</code>" in text
    assert "said: in talks" in text
    assert_balanced_lines(text)
    assert "There is no fact #5" in render_fact_sources(None, 5, "en")


def test_sources_of_a_much_reported_fact_split_within_the_limit() -> None:
    sources = [make_source(f"seeds/{i}.txt", article_id=i) for i in range(40)]
    sources = [s.model_copy(update={"evidence": "Ồ " * 600}) for s in sources]
    text = render_fact_sources(make_stored(sources=sources), 1, "vi")
    parts = split_message(text)
    assert all(telegram_length(part) <= MAX_MESSAGE for part in parts)
    assert "+28 nguồn cũ hơn" in text


def test_excerpt_bolds_the_words_found_ignoring_diacritics() -> None:
    excerpt = render_excerpt("Microsoft đã đầu tư hơn 13 tỷ USD vào OpenAI.", ["dau", "tu"])
    assert excerpt == "Microsoft đã <b>đầu</b> <b>tư</b> hơn 13 tỷ USD vào OpenAI."
    long = "x " * 200 + "OpenAI <raised> & more " + "y " * 200
    clipped = render_excerpt(long, ["openai"])
    assert clipped.startswith("…") and clipped.endswith("…")
    assert "<b>OpenAI</b> &lt;raised&gt; &amp;" in clipped


def test_usage_errors_in_the_chats_language() -> None:
    error = UnknownCompanyError("<x>", "Anthropic")
    assert render_usage_error(error, "vi") == (
        "Chưa có dữ kiện nào về “&lt;x&gt;”. Có phải bạn muốn tìm Anthropic?"
    )
    assert render_usage_error(UsageError("a < b"), "en") == "a &lt; b"


def test_help_lists_commands_with_arguments() -> None:
    text = render_help([("deals", "Latest deals")], "en", admin=True)
    assert "/deals [company] — Latest deals" in text
    assert "/stats" in text
    assert "/stats" not in render_help([("deals", "x")], "en")


def test_fit_message_cuts_whole_lines() -> None:
    text = "\n".join(f"<b>line {i}</b> " + "é" * 50 for i in range(200))
    fitted = fit_message(text)
    assert telegram_length(fitted) <= MAX_MESSAGE
    assert fitted.endswith("\n…")
    assert_balanced_lines(fitted)


def test_an_overlong_line_is_cut_in_utf16_units() -> None:
    [part] = split_message("🚀" * 5000)
    assert telegram_length(part) <= MAX_MESSAGE
