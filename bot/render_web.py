"""Pure formatters for web ingestion and feeds: CLI text and Telegram HTML (en, vi).

The Telegram replies follow :mod:`bot.render_html`'s rules: every dynamic
string escaped, tags opened and closed on one line.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.feeds import FeedResult, PollReport
from bot.models import Fact
from bot.render import _COUNTERPARTY, KIND_NAMES, METRICS, STATUSES, Lang, format_amount
from bot.web_ingest import ArticleResult
from storage.feeds import Feed

#: Facts listed in a chat reply; the rest are counted.
MAX_FACTS_SHOWN = 15

_TEXT: dict[Lang, dict[str, str]] = {
    "en": {
        "admins_only": "Sorry, only the bot's administrators may add articles or feeds.",
        "new": "Stored <b>{title}</b>: {n} facts.",
        "new_none": "Stored <b>{title}</b>, but it states no money fact I can read.",
        "known": "I already have this article (<b>{title}</b>): nothing added.",
        "failed": "Could not read {path}: {reason}",
        "more": "+{n} more",
        "reading": "Reading {url} …",
        "no_feeds": "No feeds yet. Add one with /feeds add URL",
        "feeds_title": "<b>Feeds</b> ({n})",
        "feed_ok": "last read {when}",
        "feed_never": "not read yet",
        "feed_error": "failing ({failures}×) since {when}: {error}",
        "feed_added": "Feed added: {url}. It is read every {minutes:g} minutes.",
        "feed_added_off": "Feed added: {url}. Read it with <code>dealflow feeds poll</code>.",
        "feed_exists": "That feed is already on the list: {url}",
        "feed_removed": "Feed removed: {url}",
        "feeds_usage": (
            "/feeds lists the feeds; /feeds add URL adds one; /feeds remove N (or URL) removes one."
        ),
        "untitled": "untitled",
        "document_type": "Send a .txt or .html file, a link, or the article's text.",
        "document_big": "That file is too big ({size:,} bytes; the limit is {max:,}).",
    },
    "vi": {
        "admins_only": "Xin lỗi, chỉ quản trị viên của bot mới được thêm bài viết hoặc nguồn tin.",
        "new": "Đã lưu <b>{title}</b>: {n} dữ kiện.",
        "new_none": "Đã lưu <b>{title}</b>, nhưng bài không nêu dữ kiện tiền nào tôi đọc được.",
        "known": "Bài này đã có (<b>{title}</b>): không thêm gì.",
        "failed": "Không đọc được {path}: {reason}",
        "more": "+{n} dữ kiện khác",
        "reading": "Đang đọc {url} …",
        "no_feeds": "Chưa có nguồn tin nào. Thêm bằng /feeds add URL",
        "feeds_title": "<b>Nguồn tin</b> ({n})",
        "feed_ok": "đọc lần cuối {when}",
        "feed_never": "chưa đọc",
        "feed_error": "lỗi ({failures} lần) từ {when}: {error}",
        "feed_added": "Đã thêm nguồn tin: {url}. Bot đọc nó mỗi {minutes:g} phút.",
        "feed_added_off": "Đã thêm nguồn tin: {url}. Đọc bằng <code>dealflow feeds poll</code>.",
        "feed_exists": "Nguồn tin này đã có trong danh sách: {url}",
        "feed_removed": "Đã xoá nguồn tin: {url}",
        "feeds_usage": (
            "/feeds liệt kê các nguồn tin; /feeds add URL để thêm; /feeds remove N (hoặc URL)"
            " để xoá."
        ),
        "untitled": "không có tiêu đề",
        "document_type": "Hãy gửi tệp .txt hoặc .html, một đường link, hoặc nội dung bài viết.",
        "document_big": "Tệp quá lớn ({size:,} byte; giới hạn là {max:,}).",
    },
}


def web_message(key: str, lang: Lang, **values: object) -> str:
    """A fixed message, its values escaped."""
    escaped = {k: html.escape(v) if isinstance(v, str) else v for k, v in values.items()}
    return _TEXT[lang][key].format(**escaped)


def render_fact_brief(fact: Fact, lang: Lang) -> str:
    """``Mistral AI: investment €1.7B from ASML, completed, 2025-09`` (plain text)."""
    what = METRICS[lang][fact.metric] if fact.kind == "revenue" and fact.metric else None
    line = (
        f"{fact.subject}: {what or KIND_NAMES[lang][fact.kind]} {format_amount(fact.amount, lang)}"
    )
    if fact.counterparty:
        line += " " + _COUNTERPARTY[lang][fact.kind].format(fact.counterparty)
    details = [STATUSES[lang][fact.status] if fact.status else None, fact.date]
    return ", ".join([line, *(d for d in details if d)])


def render_article_result(result: ArticleResult, lang: Lang) -> str:
    """The bot's answer to a link, a pasted article or a document: what it found, or why not."""
    title = result.title or result.path
    if result.status == "failed":
        return web_message("failed", lang, path=result.path, reason=result.reason or "?")
    if result.status == "known":
        return web_message("known", lang, title=title)
    if not result.facts:
        return web_message("new_none", lang, title=title)
    lines = [web_message("new", lang, title=title, n=len(result.facts))]
    for number, fact in enumerate(result.facts[:MAX_FACTS_SHOWN], start=1):
        lines.append(f"{number}. {html.escape(render_fact_brief(fact, lang))}")
    if len(result.facts) > MAX_FACTS_SHOWN:
        lines.append(web_message("more", lang, n=len(result.facts) - MAX_FACTS_SHOWN))
    return "\n".join(lines)


def _feed_state(feed: Feed, lang: Lang) -> str:
    if feed.last_error:
        return web_message(
            "feed_error",
            lang,
            failures=feed.failures,
            when=feed.last_polled_at or "?",
            error=feed.last_error,
        ) + (
            f" · {web_message('feed_ok', lang, when=feed.last_success_at)}"
            if feed.last_success_at
            else ""
        )
    if feed.last_success_at:
        return web_message("feed_ok", lang, when=feed.last_success_at)
    return web_message("feed_never", lang)


def render_feeds_html(feeds: Sequence[Feed], lang: Lang) -> str:
    """``/feeds``: each feed with its number, title, and how its last poll went."""
    if not feeds:
        return web_message("no_feeds", lang)
    lines = [web_message("feeds_title", lang, n=len(feeds))]
    for feed in feeds:
        title = html.escape(feed.title or web_message("untitled", lang))
        lines.append(f"{feed.id}. <b>{title}</b> · {html.escape(feed.url)}")
        lines.append(f"    {_feed_state(feed, lang)}")
    return "\n".join(lines)


def render_feeds_text(feeds: Sequence[Feed]) -> str:
    """``dealflow feeds list``: one block per feed (plain text)."""
    if not feeds:
        return "no feeds; add one with `dealflow feeds add URL`"
    lines = []
    for feed in feeds:
        lines.append(f"{feed.id}  {feed.url}  {feed.title or '(untitled)'}")
        success = feed.last_success_at or "never"
        lines.append(f"    last success: {success}")
        if feed.last_error:
            lines.append(
                f"    last error ({feed.failures} in a row, at {feed.last_polled_at}): "
                f"{feed.last_error}"
            )
            if feed.next_poll_at:
                lines.append(f"    next try after {feed.next_poll_at}")
    return "\n".join(lines)


def _feed_summary(result: FeedResult) -> str:
    if result.error:
        return f"{result.feed.url}: failed: {result.error}"
    if result.not_modified:
        return f"{result.feed.url}: not modified"
    counts = {"new": 0, "known": 0, "failed": 0}
    for article in result.articles:
        counts[article.status] += 1
    facts = sum(len(a.facts) for a in result.articles)
    return (
        f"{result.feed.url}: {result.entries} new entries, {counts['new']} articles stored"
        f" ({facts} facts), {counts['known']} already known, {counts['failed']} failed"
    )


def render_poll_text(report: PollReport) -> tuple[str, list[str]]:
    """``dealflow feeds poll``: one summary line per feed, and the notes (one line each)."""
    if not report.feeds:
        return "no feeds to poll", []
    lines = [_feed_summary(result) for result in report.feeds]
    lines.append(f"new articles: {len(report.new_article_ids)}")
    notes = [note for result in report.feeds for note in result.notes]
    return "\n".join(lines), notes
