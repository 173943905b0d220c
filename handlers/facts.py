"""/deals, /revenue, /valuation: the latest facts, optionally for one company."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import CommandHandler

from bot.app import BotContext
from bot.render import render_facts_text
from bot.services import list_deals, list_revenue, list_valuations
from handlers.common import reply_html, user_lang


def _company_arg(context: BotContext) -> str | None:
    text = " ".join(context.args or []).strip()
    return text or None


async def deals_command(update: Update, context: BotContext) -> None:
    """Reply with the latest deals, optionally for one company."""
    lang = user_lang(update)
    facts = await list_deals(context.db, company=_company_arg(context))
    await reply_html(update, html.escape(render_facts_text(facts, lang)))


async def revenue_command(update: Update, context: BotContext) -> None:
    """Reply with the latest revenue figures, optionally for one company."""
    lang = user_lang(update)
    facts = await list_revenue(context.db, company=_company_arg(context))
    await reply_html(update, html.escape(render_facts_text(facts, lang)))


async def valuation_command(update: Update, context: BotContext) -> None:
    """Reply with the latest valuations, optionally for one company."""
    lang = user_lang(update)
    facts = await list_valuations(context.db, company=_company_arg(context))
    await reply_html(update, html.escape(render_facts_text(facts, lang)))


HANDLERS = [
    CommandHandler("deals", deals_command),
    CommandHandler("revenue", revenue_command),
    CommandHandler("valuation", valuation_command),
]
