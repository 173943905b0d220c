"""Alerts and subscriptions as Telegram HTML, in both languages."""

from __future__ import annotations

from factories import make_meta, make_stored
from telegram_harness import assert_balanced_lines

from bot.models import StoredArticle
from bot.render_alerts import describe_subscription, render_alert, render_subscriptions
from storage.alerts import Subscription


def article(**fields: object) -> StoredArticle:
    meta = make_meta("a", title="OpenAI <raises> money", source="Reuters")
    data = {**meta.model_dump(), **fields}
    return StoredArticle(**data, id=1, added_at="2026-01-01T00:00:00+00:00")


def test_alert_names_the_article_its_facts_the_change_and_the_source() -> None:
    facts = [make_stored(fact_id=7, status="completed"), make_stored(fact_id=8, subject="xAI")]
    text = render_alert(
        article(), facts, {7: {"status_before": "in_talks", "status": "completed"}}, "en"
    )
    assert_balanced_lines(text)
    lines = text.split("\n")
    assert lines[0] == "🔔 <b>OpenAI &lt;raises&gt; money</b>"
    assert lines[1].startswith("1. OpenAI") and "(in_talks → completed)" in lines[1]
    assert lines[2].startswith("2. xAI") and "→" not in lines[2]
    assert lines[-1] == "2025-12-17 · Reuters"


def test_alert_in_vietnamese_with_a_link_for_a_web_article() -> None:
    web = article(path="https://example.com/news/1")
    text = render_alert(web, [make_stored()], {}, "vi")
    assert_balanced_lines(text)
    assert "tỷ USD" in text and 'href="https://example.com/news/1"' in text


def test_subscriptions_are_described_in_words() -> None:
    everything = Subscription(1, 5, None, None, None, None, None, True)
    deals = Subscription(
        2,
        5,
        None,
        ("OpenAI",),
        ("investment", "acquisition", "contract", "commitment", "share_sale"),
        1e9,
        "USD",
        False,
    )
    assert describe_subscription(everything, "en") == "every new fact"
    assert describe_subscription(deals, "en") == "OpenAI · deals · ≥ $1B"
    listing = render_subscriptions([everything, deals], "vi")
    assert "1. mọi dữ kiện mới" in listing and "⏸" in listing  # the paused one shows it
