"""Telegram command handlers, one module per command family; each exports ``HANDLERS``."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

from bot.app import BotContext
from handlers import facts


def all_handlers() -> list[BaseHandler[Any, BotContext, Any]]:
    """Every handler of every family, in registration order."""
    return [*facts.HANDLERS]
