"""Pure formatters for subscriptions and alerts, in Telegram HTML, in en or vi."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from bot.models import DEAL_KINDS, Amount, StoredArticle, StoredFact
from bot.render import Lang, fact_summary, format_amount
from storage.alerts import Subscription

#: Longest headline or lede shown in an alert, in characters.
HEADLINE = 200

_TEXT: dict[Lang, dict[str, str]] = {
    "en": {
        "everything": "every new fact",
        "subscribed": "Subscribed: {what}. Alerts come here when an article brings such facts.",
        "already": "Already subscribed: {what}.",
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
    },
    "vi": {
        "everything": "mọi dữ kiện mới",
        "subscribed": "Đã đăng ký: {what}. Thông báo sẽ đến đây khi có bài báo mới phù hợp.",
        "already": "Đã đăng ký từ trước: {what}.",
        "none": "Chưa có đăng ký nào. Thử /subscribe, /subscribe OpenAI hoặc /subscribe deals >1B.",
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
    },
}


def alert_text(key: str, lang: Lang, **values: object) -> str:
    """One of this module's messages, with ``values`` escaped into it."""
    escaped = {name: html.escape(str(value)) for name, value in values.items()}
    return _TEXT[lang][key].format(**escaped)


def describe_subscription(sub: Subscription, lang: Lang) -> str:
    """``OpenAI, Anthropic · revenue · ≥ $1B`` (plain text), or "every new fact"."""
    parts: list[str] = []
    if sub.company_names:
        parts.append(", ".join(sub.company_names))
    if sub.kinds:
        kinds = set(sub.kinds)
        words = ["deals"] if kinds >= set(DEAL_KINDS) else []
        words += sorted(kinds - set(DEAL_KINDS)) if words else sorted(kinds)
        parts.append(", ".join(words))
    if sub.min_value is not None:
        amount = Amount(value=sub.min_value, currency=sub.min_currency or "USD")
        parts.append("≥ " + format_amount(amount, lang))
    return " · ".join(parts) if parts else _TEXT[lang]["everything"]


def render_subscribed(sub: Subscription, lang: Lang, *, new: bool) -> str:
    return alert_text(
        "subscribed" if new else "already", lang, what=describe_subscription(sub, lang)
    )


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


__all__ = [
    "alert_text",
    "describe_subscription",
    "render_alert",
    "render_subscribed",
    "render_subscriptions",
]
