"""/digest daily HH:MM | off, /summary [today|week], and the job sending daily digests."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot import digests, services
from bot.app import BotApplication, BotContext
from bot.render_alerts import alert_text, render_summary
from handlers.common import chat_lang, reply_html
from handlers.subscriptions import may_manage

log = logging.getLogger(__name__)

#: How often the job looks for digests due.
DIGEST_CHECK = timedelta(seconds=30)
DIGEST_JOB = "digests"


async def digest_command(update: Update, context: BotContext) -> None:
    """Schedule the chat's daily digest (``/digest daily 08:00``) or stop it (``/digest off``)."""
    lang = await chat_lang(update, context)
    wanted = digests.parse_digest_args(context.args or [])
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None or message is None:
        return
    if not await may_manage(update, context):
        await reply_html(update, alert_text("admins_only", lang))
        return
    thread_id = message.message_thread_id if message.is_topic_message else None
    changed = await digests.set_digest(
        context.db, chat.id, wanted, thread_id=thread_id, user_id=user.id if user else None
    )
    if wanted.at_time is not None:
        text = alert_text("digest_set", lang, time=wanted.at_time, tz=wanted.tz)
    else:
        text = alert_text("digest_off" if changed else "digest_none", lang)
    await reply_html(update, text)


async def summary_command(update: Update, context: BotContext) -> None:
    """The biggest news of today (or the last seven days), on demand."""
    lang = await chat_lang(update, context)
    period = digests.parse_period(context.args or [])
    chat = update.effective_chat
    tz = await digests.chat_tz(context.db, chat.id) if chat else digests.DEFAULT_TZ
    summary = await digests.summary_for(context.db, period, tz, datetime.now(UTC))
    await reply_html(update, render_summary(summary, lang))


async def send_digests_job(context: BotContext) -> None:
    """Send every daily digest due and not sent yet for its day."""
    db = context.db
    for due in await digests.claim_due_digests(db, datetime.now(UTC)):
        chat_id = due.schedule.chat_id
        lang = await services.chat_language(db, chat_id, None)
        if context.bot_data.alerts is not None:  # within the same limits as alerts
            await context.bot_data.alerts.wait_turn(chat_id)
        try:
            await context.bot.send_message(
                chat_id,
                render_summary(due.summary, lang),
                parse_mode=ParseMode.HTML,
                message_thread_id=due.schedule.thread_id,
                disable_web_page_preview=True,
            )
        except TelegramError as exc:
            log.warning("digest for chat %s not sent: %s", chat_id, exc)
            await digests.finish_digest(db, chat_id, due.period, str(exc))
        else:
            await digests.finish_digest(db, chat_id, due.period, None)


def schedule_digests(application: BotApplication) -> None:
    """Look for due digests every 30 s (the schedules themselves live in the database)."""
    queue = application.job_queue
    if queue is None:
        return
    queue.run_repeating(
        send_digests_job,
        interval=DIGEST_CHECK,
        first=timedelta(seconds=5),
        name=DIGEST_JOB,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


HANDLERS = [
    CommandHandler("digest", digest_command),
    CommandHandler("summary", summary_command),
]
