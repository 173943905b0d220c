"""/feeds for administrators, and the job that polls every feed on a schedule."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot import feeds
from bot.app import BotApplication, BotContext
from bot.render_web import render_feeds_html, web_message
from bot.web_ingest import web_client
from handlers.common import chat_lang, command_text, reply_html
from handlers.ingest import is_admin

log = logging.getLogger(__name__)

#: The name of the repeating job (one per application).
POLL_JOB = "poll-feeds"
#: How long after start the first poll runs.
FIRST_POLL = timedelta(seconds=30)


async def feeds_command(update: Update, context: BotContext) -> None:
    """``/feeds`` lists the feeds; ``/feeds add URL``; ``/feeds remove N|URL`` (admins only)."""
    lang = await chat_lang(update, context)
    if not is_admin(update, context):
        await reply_html(update, web_message("admins_only", lang))
        return
    action, _, arg = command_text(context, lang).partition(" ")
    action, arg = action.lower(), arg.strip()
    settings = context.services.settings
    if action in ("", "list"):
        await reply_html(update, render_feeds_html(await feeds.list_feeds(context.db), lang))
    elif action == "add" and arg:
        feed, added = await feeds.add_feed(
            context.db, arg, allow_private=settings.allow_private_urls
        )
        if not added:
            await reply_html(update, web_message("feed_exists", lang, url=feed.url))
        elif settings.feed_poll_minutes:
            minutes = settings.feed_poll_minutes
            await reply_html(update, web_message("feed_added", lang, url=feed.url, minutes=minutes))
        else:
            await reply_html(update, web_message("feed_added_off", lang, url=feed.url))
    elif action == "remove" and arg:
        feed = await feeds.remove_feed(context.db, arg)
        await reply_html(update, web_message("feed_removed", lang, url=feed.url))
    else:
        await reply_html(update, web_message("feeds_usage", lang))


async def announce_new_articles(context: BotContext, article_ids: list[int]) -> None:
    """The hook for whatever tells chats about new articles (alerts): for now, a log line."""
    if article_ids:
        log.info("feeds brought %d new articles: %s", len(article_ids), article_ids)


async def poll_feeds_job(context: BotContext) -> None:
    """Poll every due feed; a failing feed is recorded and backed off, never fatal."""
    settings = context.services.settings
    interval = timedelta(minutes=settings.feed_poll_minutes or 10)
    async with web_client(settings) as web:
        report = await feeds.poll_feeds(
            context.db, web, max_entries=settings.feed_max_entries, interval=interval
        )
    await announce_new_articles(context, report.new_article_ids)


def schedule_feed_polling(application: BotApplication) -> None:
    """Poll the feeds every ``DEALFLOW_FEED_POLL_MINUTES`` (0: never) while the bot runs."""
    minutes = application.bot_data.settings.feed_poll_minutes
    queue = application.job_queue
    if not minutes or queue is None:
        return
    job_kwargs: dict[str, Any] = {"max_instances": 1, "coalesce": True}
    queue.run_repeating(
        poll_feeds_job,
        interval=timedelta(minutes=minutes),
        first=FIRST_POLL,
        name=POLL_JOB,
        job_kwargs=job_kwargs,
    )


HANDLERS = [
    CommandHandler("feeds", feeds_command),
]
