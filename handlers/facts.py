"""/deals, /revenue, /valuation: the latest facts, optionally for one company, by page."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.app import BotContext
from handlers.common import chat_lang, command_text
from handlers.paging import show_listing


async def deals_command(update: Update, context: BotContext) -> None:
    """Reply with the latest deals, optionally for one company."""
    lang = await chat_lang(update, context)
    await show_listing(update, context, "deals", command_text(context, lang), lang)


async def revenue_command(update: Update, context: BotContext) -> None:
    """Reply with the latest revenue figures, optionally for one company."""
    lang = await chat_lang(update, context)
    await show_listing(update, context, "revenue", command_text(context, lang), lang)


async def valuation_command(update: Update, context: BotContext) -> None:
    """Reply with the latest valuations, optionally for one company."""
    lang = await chat_lang(update, context)
    await show_listing(update, context, "valuation", command_text(context, lang), lang)


HANDLERS = [
    CommandHandler("deals", deals_command),
    CommandHandler("revenue", revenue_command),
    CommandHandler(["valuation", "valuations"], valuation_command),
]
