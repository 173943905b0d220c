"""Pure formatters: amounts, fact lines, summaries and tables, in English or Vietnamese.

Nothing here does I/O; the CLI prints what these return and the bot will send it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Literal

from bot.models import (
    Amount,
    CompanyProfile,
    ExportRow,
    ExtractedArticle,
    Fact,
    IngestReport,
    Kind,
    Metric,
    Qualifier,
    Status,
    StoredFact,
    Total,
    compute_totals,
)
from bot.names import fold_name

Lang = Literal["en", "vi"]
LANGS: tuple[Lang, ...] = ("en", "vi")
Role = Literal["subject", "counterparty"]

#: Sources shown per fact line; the rest are counted.
MAX_REFS = 3

_SCALES: dict[Lang, tuple[tuple[float, str], ...]] = {
    "en": ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")),
    "vi": ((1e9, "tỷ"), (1e6, "triệu"), (1e3, "nghìn")),
}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
_VI_CURRENCIES = {"VND": "đồng"}

QUALIFIERS: dict[Lang, dict[Qualifier, str]] = {
    "en": {
        "exact": "",
        "about": "about",
        "at_least": "at least",
        "more_than": "more than",
        "up_to": "up to",
    },
    "vi": {
        "exact": "",
        "about": "khoảng",
        "at_least": "ít nhất",
        "more_than": "hơn",
        "up_to": "tối đa",
    },
}
STATUSES: dict[Lang, dict[Status, str]] = {
    "en": {
        "completed": "completed",
        "announced": "announced",
        "planned": "planned",
        "in_talks": "in talks",
    },
    "vi": {
        "completed": "hoàn tất",
        "announced": "đã công bố",
        "planned": "dự kiến",
        "in_talks": "đang đàm phán",
    },
}
KIND_NAMES: dict[Lang, dict[Kind, str]] = {
    "en": {
        "investment": "investment",
        "acquisition": "acquisition",
        "contract": "contract",
        "commitment": "commitment",
        "revenue": "revenue",
        "valuation": "valuation",
        "share_sale": "share sale",
    },
    "vi": {
        "investment": "đầu tư",
        "acquisition": "mua lại",
        "contract": "hợp đồng",
        "commitment": "cam kết",
        "revenue": "doanh thu",
        "valuation": "định giá",
        "share_sale": "bán cổ phần",
    },
}
METRICS: dict[Lang, dict[Metric, str]] = {
    "en": {
        "revenue": "revenue",
        "arr": "ARR",
        "arr_growth": "ARR growth",
        "profit": "profit",
        "loss": "loss",
    },
    "vi": {
        "revenue": "doanh thu",
        "arr": "ARR",
        "arr_growth": "tăng ARR",
        "profit": "lợi nhuận",
        "loss": "lỗ",
    },
}
#: How the counterparty joins a fact line, per kind ("investment $10B from Amazon").
_COUNTERPARTY: dict[Lang, dict[Kind, str]] = {
    "en": {
        "investment": "from {}",
        "acquisition": "by {}",
        "contract": "with {}",
        "commitment": "with {}",
        "share_sale": "to {}",
        "revenue": "({})",
        "valuation": "({})",
    },
    "vi": {
        "investment": "từ {}",
        "acquisition": "bởi {}",
        "contract": "với {}",
        "commitment": "với {}",
        "share_sale": "cho {}",
        "revenue": "({})",
        "valuation": "({})",
    },
}
#: What a total means for the company in each role ("Total raised: $23B").
_TOTAL_LABELS: dict[Lang, dict[tuple[Kind, Role], str]] = {
    "en": {
        ("investment", "subject"): "raised",
        ("investment", "counterparty"): "invested",
        ("acquisition", "subject"): "sold for",
        ("acquisition", "counterparty"): "spent on acquisitions",
        ("contract", "subject"): "bought under contracts",
        ("contract", "counterparty"): "sold under contracts",
        ("commitment", "subject"): "committed",
        ("commitment", "counterparty"): "commitments received",
        ("share_sale", "subject"): "shares sold",
        ("share_sale", "counterparty"): "shares bought",
    },
    "vi": {
        ("investment", "subject"): "vốn huy động",
        ("investment", "counterparty"): "vốn đã đầu tư",
        ("acquisition", "subject"): "giá bán công ty",
        ("acquisition", "counterparty"): "chi mua lại",
        ("contract", "subject"): "chi cho hợp đồng",
        ("contract", "counterparty"): "thu từ hợp đồng",
        ("commitment", "subject"): "cam kết chi",
        ("commitment", "counterparty"): "được cam kết",
        ("share_sale", "subject"): "bán cổ phần",
        ("share_sale", "counterparty"): "mua cổ phần",
    },
}
_TEXT: dict[Lang, dict[str, str]] = {
    "en": {
        "no_facts": "No facts found.",
        "total": "Total {label}: {amount}",
        "estimates": " (incl. estimates)",
        "more_refs": "+{n} more",
        "profile": "{name}: {n} facts",
        "also": "also written {names}",
        "own": "Its own deals and figures:",
        "partner": "As investor, buyer or partner:",
        "articles": "Articles: {read} read ({new} new, {known} already known), {failed} failed",
        "skipped": ", {skipped} other files skipped",
        "facts": "Facts: {new} new, {merged} merged, {updated} updated",
    },
    "vi": {
        "no_facts": "Không tìm thấy dữ kiện nào.",
        "total": "Tổng {label}: {amount}",
        "estimates": " (gồm số ước tính)",
        "more_refs": "+{n} bài khác",
        "profile": "{name}: {n} dữ kiện",
        "also": "còn viết là {names}",
        "own": "Giao dịch và số liệu của chính công ty:",
        "partner": "Với vai trò nhà đầu tư, bên mua hoặc đối tác:",
        "articles": "Bài viết: {read} đã đọc ({new} mới, {known} đã có), {failed} lỗi",
        "skipped": ", bỏ qua {skipped} tệp khác",
        "facts": "Dữ kiện: {new} mới, {merged} gộp, {updated} cập nhật",
    },
}


def _format_number(value: float, lang: Lang) -> str:
    """Two decimals at most, grouped: ``1,400.5`` in English, ``1.400,5`` in Vietnamese."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def format_amount(amount: Amount, lang: Lang) -> str:
    """Write an amount the way each language's business press does.

    en: ``$10B``, ``$1.4T``, ``€1.7B``, ``VND 500M``, ``about $6.6B``;
    vi: ``10 tỷ USD``, ``1.400 tỷ USD``, ``6,6 tỷ USD``, ``500 triệu đồng``.
    """
    value = abs(amount.value)
    number, scale = value, ""
    for size, name in _SCALES[lang]:
        if round(value / size, 2) >= 1:
            number, scale = value / size, name
            break
    digits = ("-" if amount.value < 0 else "") + _format_number(number, lang)
    currency = amount.currency.upper()
    if lang == "vi":
        unit = _VI_CURRENCIES.get(currency, currency)
        text = " ".join(part for part in (digits, scale, unit) if part)
    elif currency in _SYMBOLS:
        text = f"{_SYMBOLS[currency]}{digits}{scale}"
    else:
        text = f"{currency} {digits}{scale}"
    qualifier = QUALIFIERS[lang][amount.qualifier]
    return f"{qualifier} {text}" if qualifier else text


def _what(fact: Fact | StoredFact, lang: Lang) -> str:
    """The kind of fact, or for revenue its metric ("ARR growth")."""
    if fact.kind == "revenue" and fact.metric is not None:
        return METRICS[lang][fact.metric]
    return KIND_NAMES[lang][fact.kind]


def _short_path(path: str) -> str:
    """The last folder and file name of a path; URLs stay whole."""
    if "://" in path:
        return path
    return "/".join(PurePosixPath(path.replace("\\", "/")).parts[-2:])


def render_sources(fact: StoredFact, lang: Lang) -> str:
    """Which articles state a fact: ``[seeds/001_x.txt, BI 2025-12-17]``, newest few."""
    refs = []
    for source in fact.sources[-MAX_REFS:]:
        credit = " ".join(part for part in (source.source, source.published) if part)
        refs.append(f"{_short_path(source.path)}, {credit}" if credit else _short_path(source.path))
    hidden = len(fact.sources) - MAX_REFS
    if hidden > 0:
        refs.append(_TEXT[lang]["more_refs"].format(n=hidden))
    return f"[{'; '.join(refs)}]"


def _status_history(fact: StoredFact, lang: Lang) -> str:
    """The fact's status as it changed across articles: ``in talks → completed``."""
    history: list[Status] = []
    for status in [s.status for s in fact.sources] + [fact.status]:
        if status is not None and (not history or history[-1] != status):
            history.append(status)
    return " → ".join(STATUSES[lang][status] for status in history)


def fact_summary(fact: StoredFact, lang: Lang, *, subject: bool = True) -> str:
    """Who, what, how much, status and date: ``OpenAI: contract $38B with AWS, completed, 2025-11``.

    ``subject=False`` leaves out the leading company, for lines under its name.
    """
    line = f"{_what(fact, lang)} {format_amount(fact.amount, lang)}"
    if subject:
        line = f"{fact.subject}: {line}"
    if fact.counterparty:
        line += " " + _COUNTERPARTY[lang][fact.kind].format(fact.counterparty)
    details = [part for part in (_status_history(fact, lang), fact.date) if part]
    return ", ".join([line, *details])


def render_fact_line(fact: StoredFact, lang: Lang) -> str:
    """One line: who, what, how much, status, date, and which articles say so."""
    return fact_summary(fact, lang) + " " + render_sources(fact, lang)


def render_total(total: Total, role: Role, lang: Lang) -> str:
    """``Total raised: $23B (incl. estimates)``: the note appears when any part is not firm."""
    amount = format_amount(Amount(value=total.value, currency=total.currency), lang)
    label = _TOTAL_LABELS[lang][(total.kind, role)]
    text = _TEXT[lang]["total"].format(label=label, amount=amount)
    return text + (_TEXT[lang]["estimates"] if total.includes_estimates else "")


def _render_totals(totals: Iterable[Total], role: Role, lang: Lang) -> list[str]:
    """Totals worth showing: those adding up two facts or more."""
    return [render_total(total, role, lang) for total in totals if total.count > 1]


def _biggest_first(facts: Iterable[StoredFact]) -> list[StoredFact]:
    """Biggest amount first, then newest (by date, else newest source)."""
    by_date = sorted(facts, key=lambda f: f.date or f.latest_published or "", reverse=True)
    return sorted(by_date, key=lambda f: f.amount.value, reverse=True)


def render_facts_text(facts: Sequence[StoredFact], lang: Lang) -> str:
    """Facts grouped by company (the subject), with totals where they add up.

    Companies come in the order they first appear (callers pass newest first);
    within one, biggest first, then newest. Totals follow :func:`compute_totals`:
    deal kinds only, one per kind and currency, shown for two facts or more and
    marked "(incl. estimates)" when any part is approximate or not completed.
    """
    if not facts:
        return _TEXT[lang]["no_facts"]
    groups: dict[str, list[StoredFact]] = {}
    for fact in facts:
        groups.setdefault(fold_name(fact.subject), []).append(fact)
    blocks = []
    for group in groups.values():
        lines = [group[0].subject]
        lines += [f"  - {render_fact_line(f, lang)}" for f in _biggest_first(group)]
        lines += [f"  {line}" for line in _render_totals(compute_totals(group), "subject", lang)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_company_profile(profile: CompanyProfile, lang: Lang) -> str:
    """Everything known about one company: its own facts, then those it is party to."""
    text = _TEXT[lang]
    count = len(profile.as_subject) + len(profile.as_counterparty)
    header = text["profile"].format(name=profile.name, n=count)
    others = [name for name in profile.names if name != profile.name]
    if others:
        header += f" ({text['also'].format(names=', '.join(others))})"
    lines = [header]
    sections: list[tuple[str, list[StoredFact], list[Total], Role]] = [
        (text["own"], profile.as_subject, profile.subject_totals, "subject"),
        (text["partner"], profile.as_counterparty, profile.counterparty_totals, "counterparty"),
    ]
    for title, facts, totals, role in sections:
        if facts:
            lines += ["", title]
            lines += [f"  - {render_fact_line(f, lang)}" for f in _biggest_first(facts)]
            lines += [f"  {line}" for line in _render_totals(totals, role, lang)]
    return "\n".join(lines)


def render_json_line(article: ExtractedArticle) -> str:
    """One JSON Lines record exactly as FACTS.md shows it."""
    return json.dumps(article.model_dump(mode="json"), ensure_ascii=False)


def _table(rows: list[list[str]]) -> list[str]:
    """Left-aligned columns, two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_extract_table(article: ExtractedArticle, lang: Lang) -> str:
    """An article's metadata and its facts as a readable table (``extract`` without --json)."""
    meta = article.article
    header = (
        f"{meta.path}  published {meta.published or '?'}  language {meta.language}"
        f"  source {meta.source or '-'}  {len(article.facts)} facts"
    )
    if not article.facts:
        return header
    rows = [["KIND", "SUBJECT", "COUNTERPARTY", "AMOUNT", "STATUS", "DATE", "EVIDENCE"]]
    for fact in article.facts:
        rows.append(
            [
                _what(fact, lang),
                fact.subject,
                fact.counterparty or "-",
                format_amount(fact.amount, lang),
                STATUSES[lang][fact.status] if fact.status else "-",
                fact.date or "-",
                _clip(fact.evidence, 60),
            ]
        )
    return "\n".join([header, *(f"  {line}" for line in _table(rows))])


def render_ingest_report(report: IngestReport, lang: Lang) -> str:
    """The closing summary of an ingest run (failures and warnings are printed apart)."""
    text = _TEXT[lang]
    articles = text["articles"].format(
        read=report.read, new=report.new, known=report.known, failed=len(report.failed)
    )
    if report.skipped:
        articles += text["skipped"].format(skipped=report.skipped)
    facts = text["facts"].format(
        new=report.facts_new, merged=report.facts_merged, updated=report.facts_updated
    )
    return f"{articles}\n{facts}"


def render_csv(rows: Sequence[ExportRow]) -> str:
    """Export rows as CSV with a header line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(ExportRow.model_fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.model_dump(mode="json") for row in rows)
    return out.getvalue()


def render_json(rows: Sequence[ExportRow]) -> str:
    """Export rows as one JSON array."""
    return json.dumps([row.model_dump(mode="json") for row in rows], ensure_ascii=False, indent=2)
