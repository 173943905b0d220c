"""/chart's picture: a real PNG of one currency's dated facts, or nothing to draw."""

from __future__ import annotations

from datetime import date

from factories import make_source, make_stored

from bot.chart import fact_day, render_chart
from bot.models import ChartData

PNG = b"\x89PNG\r\n\x1a\n"


def test_chart_is_a_png_of_the_main_currency() -> None:
    facts = [
        make_stored(fact_id=1, value=10e9, date="2025-12"),
        make_stored(fact_id=2, kind="valuation", counterparty=None, value=500e9, date="2025-10"),
        make_stored(fact_id=3, kind="valuation", counterparty=None, value=300e9, date="2025-03"),
        make_stored(fact_id=4, value=1e9, currency="EUR", date="2025"),
        make_stored(fact_id=5, subject="Bảo Việt", value=2e9, date=None, sources=[]),
    ]
    chart = render_chart(ChartData(name="Bảo Việt & OpenAI", facts=facts), "vi")
    assert chart is not None
    assert chart.png.startswith(PNG)
    assert (chart.currency, chart.points, chart.filename) == ("USD", 3, "baovietopenai.png")


def test_nothing_dated_draws_nothing() -> None:
    fact = make_stored(date=None, sources=[make_source(published=None)])
    assert render_chart(ChartData(name="X", facts=[fact]), "en") is None


def test_fact_day_reads_partial_dates_and_falls_back_to_publication() -> None:
    assert fact_day(make_stored(date="2025")) == date(2025, 1, 1)
    assert fact_day(make_stored(date="2025-11-03")) == date(2025, 11, 3)
    assert fact_day(make_stored(date=None)) == date(2025, 12, 17)
    assert fact_day(make_stored(date="2025-13")) is None
