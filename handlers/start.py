"""/start (with deep-link payloads) and /help."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler

from bot.app import COMMANDS, BotContext
from bot.render import Lang
from bot.render_html import render_help, render_welcome
from handlers.common import chat_lang, reply_html
from handlers.paging import show_listing

PayloadHandler = Callable[[Update, BotContext, str, Lang], Awaitable[None]]


async def _open_company(update: Update, context: BotContext, name: str, lang: Lang) -> None:
    await show_listing(update, context, "company", name, lang)


#: Deep links ``t.me/<bot>?start=<prefix>-<value>``: what each prefix opens. A value's
#: ``_`` stands for a space (payloads allow only letters, digits, ``_`` and ``-``).
#: Others (``sub-deals`` until subscriptions exist) just get the welcome.
START_PAYLOADS: dict[str, PayloadHandler] = {
    "company": _open_company,
}


async def start_command(update: Update, context: BotContext) -> None:
    """Welcome the user, or open what a deep link's payload names."""
    lang = await chat_lang(update, context)
    prefix, _, value = (context.args[0] if context.args else "").partition("-")
    handler = START_PAYLOADS.get(prefix.lower())
    if handler is not None and value.strip("_"):
        await handler(update, context, value.replace("_", " ").strip(), lang)
        return
    await reply_html(update, render_welcome(lang))


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands with their arguments (and /stats for admins)."""
    lang = await chat_lang(update, context)
    user = update.effective_user
    admin = user is not None and user.id in context.services.settings.admins
    await reply_html(update, render_help(COMMANDS[lang], lang, admin=admin))


HANDLERS = [
    CommandHandler("start", start_command),
    CommandHandler("help", help_command),
]
