"""A company's deals and valuations on a timeline, drawn as a PNG with matplotlib (Agg).

Pure apart from the drawing: :func:`render_chart` takes facts and returns
bytes. It uses a bare ``Figure`` on an Agg canvas, never ``pyplot``, so it
holds no global state and may run in a worker thread. matplotlib is imported
on first use: it takes a while, and only ``/chart`` needs it.
"""

from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import date

from bot.models import DEAL_KINDS, Amount, ChartData, Kind, StoredFact
from bot.names import fold_name
from bot.render import KIND_NAMES, Lang, format_amount

#: Points labelled with their amount; past this the chart would be unreadable.
MAX_LABELS = 25
_MARKERS: dict[Kind, str] = {
    "investment": "o",
    "acquisition": "s",
    "contract": "D",
    "commitment": "^",
    "share_sale": "v",
    "valuation": "*",
    "revenue": "x",
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the PNG, the one currency it plots, how many facts it shows."""

    png: bytes
    currency: str
    points: int
    filename: str


def fact_day(fact: StoredFact) -> date | None:
    """When a fact happened, as a day: its date (a year or month reads as its first day),
    else its newest source's publication date; None if neither is known."""
    text = fact.date or fact.latest_published
    if not text:
        return None
    parts = text.split("-")
    try:
        year, month, day = (int(part) for part in [*parts, "1", "1"][:3])
        return date(year, month, day)
    except ValueError:
        return None


def render_chart(data: ChartData, lang: Lang) -> Chart | None:
    """Draw the company's dated deals (markers by kind) and valuations (a line).

    Only the currency most of its facts use is drawn: amounts in different
    currencies are never put on one axis. None when there is nothing to draw.
    """
    days = [(fact_day(fact), fact) for fact in data.facts]
    dated = [(day, fact) for day, fact in days if day is not None]
    if not dated:
        return None
    currency = Counter(fact.amount.currency for _, fact in dated).most_common(1)[0][0]
    chosen = sorted((p for p in dated if p[1].amount.currency == currency), key=lambda p: p[0])

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    points = [(float(date2num(day)), fact) for day, fact in chosen]  # type: ignore[no-untyped-call]
    figure = Figure(figsize=(9, 5), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    valuations = [(x, fact) for x, fact in points if fact.kind == "valuation"]
    if valuations:
        axes.plot(
            [x for x, _ in valuations],
            [fact.amount.value for _, fact in valuations],
            marker=_MARKERS["valuation"],
            markersize=11,
            linewidth=2,
            label=KIND_NAMES[lang]["valuation"],
        )
    for kind in DEAL_KINDS:
        deals = [(x, fact) for x, fact in points if fact.kind == kind]
        if deals:
            axes.scatter(
                [x for x, _ in deals],
                [fact.amount.value for _, fact in deals],
                marker=_MARKERS[kind],
                s=60,
                label=KIND_NAMES[lang][kind],
                zorder=3,
            )
    values = [fact.amount.value for _, fact in points]
    if min(values) > 0 and max(values) / min(values) > 50:
        axes.set_yscale("log")
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_amount(Amount(value=value, currency=currency), lang))
    )
    axes.xaxis_date()
    if len(points) <= MAX_LABELS:
        for x, fact in points:
            axes.annotate(
                format_amount(fact.amount, lang),
                (x, fact.amount.value),
                textcoords="offset points",
                xytext=(6, 6),
                fontsize=8,
            )
    axes.set_title(data.name)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize=9)
    out = io.BytesIO()
    with warnings.catch_warnings():  # a glyph missing from the font is not worth failing over
        warnings.simplefilter("ignore", UserWarning)
        figure.savefig(out, format="png")
    slug = re.sub(r"[^a-z0-9]+", "-", fold_name(data.name)).strip("-") or "company"
    return Chart(png=out.getvalue(), currency=currency, points=len(points), filename=f"{slug}.png")
