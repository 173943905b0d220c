"""Telegram command handlers, one module per command family; each exports ``HANDLERS``."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

from bot.app import BotContext
from handlers import (
    browse,
    chat,
    digests,
    facts,
    feeds,
    files,
    ingest,
    paging,
    sources,
    start,
    subscriptions,
    unknown,
)


def all_handlers() -> list[BaseHandler[Any, BotContext, Any]]:
    """Every handler of every family in registration order; ``unknown`` last takes the rest."""
    return [
        *start.HANDLERS,
        *facts.HANDLERS,
        *browse.HANDLERS,
        *sources.HANDLERS,
        *files.HANDLERS,
        *chat.HANDLERS,
        *paging.HANDLERS,
        *feeds.HANDLERS,
        *ingest.HANDLERS,
        *subscriptions.HANDLERS,
        *digests.HANDLERS,
        *unknown.HANDLERS,
    ]
