"""What the other handlers leave: unknown commands and stray button presses.

Registered last. In private chats an unknown command gets a hint; in groups
the bot stays silent, since a command there may be meant for another bot.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.app import BotContext
from bot.render_html import render_message
from handlers.common import chat_lang, reply_html


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point to /help."""
    await reply_html(update, render_message("unknown_command", await chat_lang(update, context)))


async def other_button(update: Update, context: BotContext) -> None:
    """Answer every other button press (the page counter, stale data), so none spins forever."""
    if update.callback_query is not None:
        await update.callback_query.answer()


HANDLERS = [
    MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command),
    CallbackQueryHandler(other_button),
]
