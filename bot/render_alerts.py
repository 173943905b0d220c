"""Pure formatters for subscriptions and alerts, in Telegram HTML, in en or vi."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.models import DEAL_KINDS, Amount, StoredArticle, StoredFact
from bot.render import Lang, fact_summary, format_amount, render_total
from bot.render_html import format_escaped
from storage.alerts import Subscription

if TYPE_CHECKING:
    from bot.digests import Summary

#: Longest headline or lede shown in an alert, in characters.
HEADLINE = 200
#: The words a subscription's kinds are listed with (the ones ``/subscribe`` reads).
_KIND_WORDS: dict[Lang, dict[str, str]] = {
    "en": {"deals": "deals", "revenue": "revenue", "valuation": "valuation"},
    "vi": {"deals": "thương vụ", "revenue": "doanh thu", "valuation": "định giá"},
}

_TEXT: dict[Lang, dict[str, str]] = {
    "en": {
        "everything": "every new fact",
        "subscribed": "Subscribed: {what}. Alerts come here when an article brings such facts.",
        "already": "Already subscribed: {what}.",
        "same_currency": (
            "Only amounts in {currency} count for the minimum: other currencies are not converted."
        ),
        "none": "No subscriptions here. Try /subscribe, /subscribe OpenAI or /subscribe deals >1B.",
        "list": "<b>Subscriptions</b>",
        "admins_only": "Only the group's administrators may change its subscriptions.",
        "confirm_all": "Remove all {n} subscriptions of this chat?",
        "yes_all": "Remove all",
        "cancel": "Cancel",
        "cancelled": "Kept the subscriptions.",
        "removed": "Removed {n} subscription(s).",
        "not_found": "No subscription with that filter; /subscriptions lists them.",
        "new": "new",
        "changed": "{before} → {after}",
        "undated": "undated",
        "evidence": "Evidence {n}",
        "summary": "<b>Summary {label}</b>",
        "summary_empty": "Nothing new in {label}.",
        "deals": "<b>Biggest deals</b>",
        "revenue": "<b>Revenue</b>",
        "valuations": "<b>Valuations</b>",
        "totals": "<b>Totals per company</b>",
        "digest_set": "Daily digest at {time} ({tz}).",
        "digest_off": "Daily digest stopped.",
        "digest_none": "There was no daily digest here.",
    },
    "vi": {
        "everything": "mọi dữ kiện mới",
        "subscribed": "Đã đăng ký: {what}. Thông báo sẽ đến đây khi có bài báo mới phù hợp.",
        "already": "Đã đăng ký từ trước: {what}.",
        "same_currency": (
            "Chỉ các số tiền bằng {currency} được so với mức tối thiểu;"
            " tiền tệ khác không được quy đổi."
        ),
        "none": (
            "Chưa có đăng ký nào. Thử /subscribe, /subscribe OpenAI"
            " hoặc /subscribe thương vụ >1 tỷ USD."
        ),
        "list": "<b>Đăng ký</b>",
        "admins_only": "Chỉ quản trị viên của nhóm mới được thay đổi đăng ký.",
        "confirm_all": "Xoá cả {n} đăng ký của cuộc trò chuyện này?",
        "yes_all": "Xoá tất cả",
        "cancel": "Huỷ",
        "cancelled": "Đã giữ nguyên các đăng ký.",
        "removed": "Đã xoá {n} đăng ký.",
        "not_found": "Không có đăng ký nào như vậy; xem /subscriptions.",
        "new": "mới",
        "changed": "{before} → {after}",
        "undated": "không rõ ngày",
        "evidence": "Nguồn {n}",
        "summary": "<b>Tóm tắt {label}</b>",
        "summary_empty": "Không có gì mới trong {label}.",
        "deals": "<b>Thương vụ lớn nhất</b>",
        "revenue": "<b>Doanh thu</b>",
        "valuations": "<b>Định giá</b>",
        "totals": "<b>Tổng theo công ty</b>",
        "digest_set": "Bản tin hằng ngày lúc {time} ({tz}).",
        "digest_off": "Đã dừng bản tin hằng ngày.",
        "digest_none": "Chưa có bản tin hằng ngày nào.",
    },
}


def alert_text(key: str, lang: Lang, **values: object) -> str:
    """One of this module's messages, with ``values`` escaped into it."""
    return format_escaped(_TEXT[lang][key], **values)


def describe_subscription(sub: Subscription, lang: Lang) -> str:
    """``OpenAI, Anthropic · revenue · ≥ $1B`` (plain text), or "every new fact"."""
    parts: list[str] = []
    if sub.company_names:
        parts.append(", ".join(sub.company_names))
    if sub.kinds:
        kinds = set(sub.kinds)
        words = ["deals"] if kinds >= set(DEAL_KINDS) else []
        words += sorted(kinds - set(DEAL_KINDS)) if words else sorted(kinds)
        parts.append(", ".join(_KIND_WORDS[lang].get(word, word) for word in words))
    if sub.min_value is not None:
        amount = Amount(value=sub.min_value, currency=sub.min_currency or "USD")
        parts.append("≥ " + format_amount(amount, lang))
    return " · ".join(parts) if parts else _TEXT[lang]["everything"]


def render_subscribed(sub: Subscription, lang: Lang, *, new: bool) -> str:
    """The answer to ``/subscribe``; with a minimum, which currency it holds for."""
    text = alert_text(
        "subscribed" if new else "already", lang, what=describe_subscription(sub, lang)
    )
    if sub.min_value is not None:
        text += " " + alert_text("same_currency", lang, currency=sub.min_currency or "USD")
    return text


def render_subscriptions(subs: Sequence[Subscription], lang: Lang) -> str:
    """The chat's subscriptions, numbered as their remove buttons are."""
    if not subs:
        return alert_text("none", lang)
    lines = [_TEXT[lang]["list"]]
    for number, sub in enumerate(subs, 1):
        paused = "" if sub.active else " ⏸"
        lines.append(f"{number}. {html.escape(describe_subscription(sub, lang))}{paused}")
    return "\n".join(lines)


def render_alert(
    article: StoredArticle,
    facts: Sequence[StoredFact],
    changes: Mapping[int, Mapping[str, Any]],
    lang: Lang,
) -> str:
    """One alert: the article's headline, its new or changed facts, its source and date."""
    headline = (article.title or article.path).strip()
    if len(headline) > HEADLINE:
        headline = headline[: HEADLINE - 1] + "…"
    lines = [f"🔔 <b>{html.escape(headline)}</b>"]
    for number, fact in enumerate(facts, 1):
        line = f"{number}. {html.escape(fact_summary(fact, lang))}"
        change = changes.get(fact.id)
        if change is not None:
            before = change.get("status_before") or "?"
            after = change.get("status") or fact.status or "?"
            line += f" <i>({alert_text('changed', lang, before=before, after=after)})</i>"
        lines.append(line)
    meta = [html.escape(article.published or _TEXT[lang]["undated"])]
    if article.source:
        meta.append(html.escape(article.source))
    if article.path.startswith(("http://", "https://")):
        meta.append(f'<a href="{html.escape(article.path, quote=True)}">link</a>')
    lines.append(" · ".join(meta))
    return "\n".join(lines)


def render_summary(summary: Summary, lang: Lang) -> str:
    """A period's biggest deals, revenue and valuation news and totals per company."""
    if summary.empty:
        return alert_text("summary_empty", lang, label=summary.label)
    lines = [alert_text("summary", lang, label=summary.label)]
    for key, facts in (
        ("deals", summary.deals),
        ("revenue", summary.revenue),
        ("valuations", summary.valuations),
    ):
        if facts:
            lines.append("")
            lines.append(_TEXT[lang][key])
            lines += [f"• {html.escape(fact_summary(fact, lang))}" for fact in facts]
    totals = {name: group for name, group in summary.totals.items() if group}
    if totals:
        lines += ["", _TEXT[lang]["totals"]]
        for name, group in totals.items():
            sums = "; ".join(render_total(total, "subject", lang) for total in group)
            lines.append(f"• {html.escape(name)}: {html.escape(sums)}")
    return "\n".join(lines)


__all__ = [
    "alert_text",
    "describe_subscription",
    "render_alert",
    "render_subscribed",
    "render_subscriptions",
    "render_summary",
]
