"""What every handler family shares: the chat's language and sending HTML safely."""

from __future__ import annotations

from telegram import Update

from bot.render import Lang
from bot.telegram_text import split_message


def user_lang(update: Update) -> Lang:
    """Vietnamese for users whose Telegram speaks it, English for everyone else."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "vi" if code.lower().startswith("vi") else "en"


async def reply_html(update: Update, text: str) -> None:
    """Reply in the same chat (and forum topic), split to Telegram's message size."""
    message = update.effective_message
    if message is None:
        return
    for part in split_message(text):
        await message.reply_html(part, disable_web_page_preview=True)
