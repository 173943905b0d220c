"""/company, /latest, /search: one company, the newest articles, the facts matching words."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.app import BotContext
from handlers.common import chat_lang, command_text
from handlers.paging import show_listing


async def company_command(update: Update, context: BotContext) -> None:
    """Reply with everything known about one company, with totals."""
    lang = await chat_lang(update, context)
    name = command_text(context, lang, usage="usage_company")
    await show_listing(update, context, "company", name, lang)


async def latest_command(update: Update, context: BotContext) -> None:
    """Reply with the newest articles and their facts."""
    await show_listing(update, context, "latest", "", await chat_lang(update, context))


async def search_command(update: Update, context: BotContext) -> None:
    """Reply with the facts whose names or sentences hold every word asked for."""
    lang = await chat_lang(update, context)
    text = command_text(context, lang, usage="usage_search")
    await show_listing(update, context, "search", text, lang)


HANDLERS = [
    CommandHandler("company", company_command),
    CommandHandler("latest", latest_command),
    CommandHandler("search", search_command),
]
