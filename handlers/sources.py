"""/sources ID and the numbered buttons under every list: the articles stating a fact."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import services
from bot.app import BotContext
from bot.callbacks import SourcesButton, parse_callback_data
from bot.errors import UsageError
from bot.render_html import render_fact_sources, usage_message
from handlers.common import chat_lang, command_text, reply_html


async def sources_command(update: Update, context: BotContext) -> None:
    """Reply with the evidence, date, outlet and link of every article stating a fact."""
    lang = await chat_lang(update, context)
    fact_id = services.parse_fact_id(command_text(context, lang, usage="usage_sources"))
    if fact_id is None:
        raise UsageError(usage_message("usage_sources", lang))
    fact = await services.get_fact(context.db, fact_id)
    await reply_html(update, render_fact_sources(fact, fact_id, lang))


async def sources_button(update: Update, context: BotContext) -> None:
    """The same as ``/sources`` for the fact whose number was pressed, in a new message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    button = parse_callback_data(query.data or "")
    if not isinstance(button, SourcesButton):
        return
    lang = await chat_lang(update, context)
    fact = await services.get_fact(context.db, button.fact_id)
    await reply_html(update, render_fact_sources(fact, button.fact_id, lang))


HANDLERS = [
    CommandHandler("sources", sources_command),
    CallbackQueryHandler(sources_button, pattern=r"^s:"),
]
