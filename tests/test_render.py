"""Pure formatting: amounts, fact lines, grouped summaries, totals, tables, exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from factories import make_fact, make_source, make_stored

from bot.models import (
    Amount,
    ArticleMeta,
    CompanyProfile,
    ExportRow,
    ExtractedArticle,
    IngestReport,
    compute_totals,
)
from bot.render import (
    Lang,
    format_amount,
    render_company_profile,
    render_csv,
    render_extract_table,
    render_fact_line,
    render_facts_text,
    render_ingest_report,
    render_json,
    render_json_line,
)


@pytest.mark.parametrize(
    ("value", "currency", "qualifier", "en", "vi"),
    [
        (10e9, "USD", "exact", "$10B", "10 tỷ USD"),
        (1.4e12, "USD", "exact", "$1.4T", "1.400 tỷ USD"),
        (6.6e9, "USD", "exact", "$6.6B", "6,6 tỷ USD"),
        (38e9, "USD", "exact", "$38B", "38 tỷ USD"),
        (500e6, "USD", "exact", "$500M", "500 triệu USD"),
        (1.7e9, "EUR", "exact", "€1.7B", "1,7 tỷ EUR"),
        (500e6, "VND", "exact", "VND 500M", "500 triệu đồng"),
        (50_000e9, "VND", "exact", "VND 50T", "50.000 tỷ đồng"),
        (1234.5e9, "USD", "exact", "$1.23T", "1.234,5 tỷ USD"),
        (999.999e9, "USD", "exact", "$1T", "1.000 tỷ USD"),
        (2500, "GBP", "exact", "£2.5K", "2,5 nghìn GBP"),
        (950, "usd", "exact", "$950", "950 USD"),
        (6.6e9, "USD", "about", "about $6.6B", "khoảng 6,6 tỷ USD"),
        (8e9, "USD", "at_least", "at least $8B", "ít nhất 8 tỷ USD"),
        (13e9, "USD", "more_than", "more than $13B", "hơn 13 tỷ USD"),
        (5e9, "USD", "up_to", "up to $5B", "tối đa 5 tỷ USD"),
    ],
)
def test_format_amount(value: float, currency: str, qualifier: str, en: str, vi: str) -> None:
    amount = Amount(value=value, currency=currency, qualifier=qualifier)  # type: ignore[arg-type]
    assert format_amount(amount, "en") == en
    assert format_amount(amount, "vi") == vi


# --- one fact per line ----------------------------------------------------------------


def test_fact_line_says_who_what_how_much_status_date_and_where() -> None:
    fact = make_stored(
        status="in_talks",
        date="2025-12",
        sources=[make_source("/home/me/seeds/001_x.txt", "2025-12-17", source="BI")],
    )
    assert render_fact_line(fact, "en") == (
        "OpenAI: investment $10B from Amazon, in talks, 2025-12 [seeds/001_x.txt, BI 2025-12-17]"
    )
    assert render_fact_line(fact, "vi") == (
        "OpenAI: đầu tư 10 tỷ USD từ Amazon, đang đàm phán, 2025-12 "
        "[seeds/001_x.txt, BI 2025-12-17]"
    )


@pytest.mark.parametrize(
    ("fields", "en", "vi"),
    [
        (
            {
                "kind": "revenue",
                "counterparty": None,
                "metric": "arr_growth",
                "qualifier": "more_than",
                "value": 1e9,
            },
            "OpenAI: ARR growth more than $1B",
            "OpenAI: tăng ARR hơn 1 tỷ USD",
        ),
        (
            {"kind": "valuation", "counterparty": None, "value": 500e9},
            "OpenAI: valuation $500B",
            "OpenAI: định giá 500 tỷ USD",
        ),
        (
            {
                "kind": "acquisition",
                "subject": "Windsurf",
                "counterparty": "OpenAI",
                "value": 3e9,
                "status": "completed",
            },
            "Windsurf: acquisition $3B by OpenAI, completed",
            "Windsurf: mua lại 3 tỷ USD bởi OpenAI, hoàn tất",
        ),
        (
            {"kind": "share_sale", "counterparty": None, "value": 6.6e9, "status": "completed"},
            "OpenAI: share sale $6.6B, completed",
            "OpenAI: bán cổ phần 6,6 tỷ USD, hoàn tất",
        ),
    ],
)
def test_fact_line_per_kind(fields: dict[str, object], en: str, vi: str) -> None:
    fact = make_stored(sources=[make_source("a.txt", None)], **fields)
    assert render_fact_line(fact, "en") == f"{en} [a.txt]"
    assert render_fact_line(fact, "vi") == f"{vi} [a.txt]"


def test_fact_line_shows_how_the_status_changed() -> None:
    fact = make_stored(
        status="completed",
        sources=[
            make_source("a.txt", "2025-12-01", status="in_talks"),
            make_source("b.txt", "2025-12-05", status="in_talks"),
            make_source("c.txt", "2026-01-20", status="completed"),
        ],
    )
    assert ", in talks → completed [" in render_fact_line(fact, "en")
    assert ", đang đàm phán → hoàn tất [" in render_fact_line(fact, "vi")


def test_fact_line_cites_the_newest_sources_and_counts_the_rest() -> None:
    sources = [make_source(f"s/{i}.txt", f"2025-12-0{i}") for i in range(1, 6)]
    line = render_fact_line(make_stored(sources=sources), "en")
    assert line.endswith("[s/3.txt, 2025-12-03; s/4.txt, 2025-12-04; s/5.txt, 2025-12-05; +2 more]")
    url = make_source("https://example.com/a/b/c", None)
    assert render_fact_line(make_stored(sources=[url]), "en").endswith(
        "[https://example.com/a/b/c]"
    )


# --- totals: the rule ----------------------------------------------------------------------


def test_totals_add_same_kind_same_currency_deals_only() -> None:
    facts = [
        make_stored(value=10e9, status="completed"),
        make_stored(value=5e9, status="completed", counterparty="Microsoft"),
        make_stored(value=2e9, currency="EUR", status="completed"),
        make_stored(kind="contract", value=38e9, status="completed"),
        make_stored(kind="valuation", counterparty=None, value=500e9),
        make_stored(kind="revenue", counterparty=None, value=1e9, metric="arr"),
        make_stored(kind="revenue", counterparty=None, value=2e9, metric="arr"),
    ]
    totals = [(t.kind, t.currency, t.value, t.count) for t in compute_totals(facts)]
    assert totals == [
        ("investment", "USD", 15e9, 2),
        ("investment", "EUR", 2e9, 1),
        ("contract", "USD", 38e9, 1),
    ]


@pytest.mark.parametrize(
    ("second", "estimated"),
    [
        ({"status": "completed"}, False),
        ({"status": "completed", "qualifier": "up_to"}, True),
        ({"status": "completed", "qualifier": "about"}, True),
        ({"status": "completed", "qualifier": "more_than"}, True),
        ({"status": "in_talks"}, True),
        ({"status": "planned"}, True),
    ],
)
def test_total_is_marked_when_any_part_is_not_firm(
    second: dict[str, object], estimated: bool
) -> None:
    facts = [make_stored(value=10e9, status="completed"), make_stored(value=13e9, **second)]
    text = render_facts_text(facts, "en")
    suffix = " (incl. estimates)" if estimated else ""
    assert text.splitlines()[-1] == f"  Total raised: $23B{suffix}"


def test_single_fact_and_mixed_currencies_get_no_mixed_total() -> None:
    facts = [
        make_stored(value=10e9, status="completed"),
        make_stored(value=2e9, currency="EUR", status="completed"),
        make_stored(value=3e9, currency="EUR", status="completed", counterparty="SAP"),
    ]
    lines = render_facts_text(facts, "en").splitlines()
    assert [line for line in lines if "Total" in line] == ["  Total raised: €5B"]


# --- grouped text ------------------------------------------------------------------------------


def test_facts_are_grouped_by_company_biggest_then_newest() -> None:
    facts = [
        make_stored(subject="Anthropic", value=8e9, date="2026-01"),
        make_stored(subject="OpenAI", value=1e9, date="2026-01"),
        make_stored(subject="Open AI", value=38e9, kind="contract", date="2025-11"),
        make_stored(subject="OpenAI", value=38e9, kind="commitment", date="2025-12"),
    ]
    lines = render_facts_text(facts, "en").splitlines()
    assert [line.split(" [")[0] for line in lines] == [
        "Anthropic",
        "  - Anthropic: investment $8B from Amazon, in talks, 2026-01",
        "",
        "OpenAI",
        "  - OpenAI: commitment $38B with Amazon, 2025-12",
        "  - Open AI: contract $38B with Amazon, in talks, 2025-11",
        "  - OpenAI: investment $1B from Amazon, in talks, 2026-01",
    ]


@pytest.mark.parametrize(("lang", "text"), [("en", "No facts found."), ("vi", "Không tìm thấy")])
def test_no_facts_says_so(lang: Lang, text: str) -> None:
    assert render_facts_text([], lang).startswith(text)


def test_company_profile_splits_roles_and_labels_totals() -> None:
    invested = [
        make_stored(subject="OpenAI", counterparty="Amazon", value=10e9, status="completed"),
        make_stored(subject="Anthropic", counterparty="Amazon", value=8e9, status="completed"),
    ]
    own = [make_stored(subject="Amazon", counterparty=None, kind="revenue", value=1e11)]
    profile = CompanyProfile(
        name="Amazon",
        names=["Amazon", "AMZN"],
        as_subject=own,
        as_counterparty=invested,
        subject_totals=compute_totals(own),
        counterparty_totals=compute_totals(invested),
    )
    text = render_company_profile(profile, "en")
    assert text.splitlines()[0] == "Amazon: 3 facts (also written AMZN)"
    assert "Its own deals and figures:\n  - Amazon: revenue $100B" in text
    assert text.endswith("  Total invested: $18B")
    assert "Tổng vốn đã đầu tư: 18 tỷ USD" in render_company_profile(profile, "vi")


# --- extract, ingest, export -------------------------------------------------------------------


def make_extracted() -> ExtractedArticle:
    meta = ArticleMeta(
        path="seeds/001.txt", sha256="ab" * 32, published="2025-12-17", language="vi"
    )
    fact = make_fact(status="in_talks", date="2025-12", evidence="OpenAI đang thảo luận 10 tỷ USD.")
    return ExtractedArticle(article=meta, facts=[fact])


def test_json_line_is_the_facts_md_shape() -> None:
    line = render_json_line(make_extracted())
    assert "\n" not in line and "thảo luận" in line  # not \u-escaped
    record = json.loads(line)
    assert list(record) == ["article", "facts"]
    assert list(record["article"]) == ["path", "sha256", "published", "language", "title", "source"]
    assert record["facts"][0] == {
        "kind": "investment",
        "subject": "OpenAI",
        "counterparty": "Amazon",
        "amount": {"value": 10000000000, "currency": "USD", "qualifier": "exact"},
        "status": "in_talks",
        "metric": None,
        "date": "2025-12",
        "evidence": "OpenAI đang thảo luận 10 tỷ USD.",
    }
    assert '"value": 10000000000,' in line


def test_extract_table_lines_up_the_facts() -> None:
    lines = render_extract_table(make_extracted(), "en").splitlines()
    assert lines[0] == ("seeds/001.txt  published 2025-12-17  language vi  source -  1 facts")
    assert lines[1].split() == [
        "KIND",
        "SUBJECT",
        "COUNTERPARTY",
        "AMOUNT",
        "STATUS",
        "DATE",
        "EVIDENCE",
    ]
    assert lines[2].startswith("  investment  OpenAI   Amazon        $10B    in talks  2025-12")
    assert lines[1].index("AMOUNT") == lines[2].index("$10B")


def test_ingest_report_summary() -> None:
    report = IngestReport(read=3, new=2, known=1, skipped=4, facts_new=5, facts_merged=1)
    assert render_ingest_report(report, "en") == (
        "Articles: 3 read (2 new, 1 already known), 0 failed, 4 other files skipped\n"
        "Facts: 5 new, 1 merged, 0 updated"
    )
    assert render_ingest_report(report, "vi").startswith("Bài viết: 3 đã đọc (2 mới, 1 đã có)")


def make_row(**fields: object) -> ExportRow:
    row = {
        "fact_id": 1,
        "kind": "investment",
        "subject": "OpenAI",
        "counterparty": None,
        "value": 1e10,
        "currency": "USD",
        "qualifier": "exact",
        "status": None,
        "metric": None,
        "date": None,
        "article_path": "a.txt",
        "article_published": None,
        "article_source": None,
        "article_language": "vi",
        "stated_qualifier": "exact",
        "stated_status": None,
        "stated_date": None,
        "evidence": 'Câu, có dấu phẩy "và ngoặc".',
    }
    return ExportRow.model_validate(row | fields)


def test_csv_export_round_trips() -> None:
    text = render_csv([make_row(), make_row(fact_id=2, value=6.6e9)])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["value"] for r in rows] == ["10000000000", "6600000000"]
    assert rows[0]["evidence"] == 'Câu, có dấu phẩy "và ngoặc".'
    assert render_csv([]).startswith("fact_id,kind,subject,")


def test_json_export_is_one_array() -> None:
    data = json.loads(render_json([make_row()]))
    assert data[0]["value"] == 10000000000 and data[0]["evidence"].startswith("Câu")
