"""What every handler family shares: the chat's language, arguments, replies and keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import services
from bot.app import BotContext
from bot.callbacks import (
    NOOP,
    Listing,
    PageKey,
    inline_page_key,
    saved_page_key,
    sources_data,
)
from bot.errors import UsageError
from bot.render import Lang
from bot.render_html import PageView, usage_message
from bot.telegram_text import split_message

#: The longest argument a command takes, in characters; longer ones get a polite refusal.
MAX_ARGUMENT = 200
#: Numbered sources buttons per keyboard row.
SOURCES_PER_ROW = 5


async def chat_lang(update: Update, context: BotContext) -> Lang:
    """The chat's language: the one chosen with ``/lang``, else the user's (vi, else en)."""
    chat = update.effective_chat
    user = update.effective_user
    return await services.chat_language(
        context.db, chat.id if chat else None, user.language_code if user else None
    )


def command_text(context: BotContext, lang: Lang, *, usage: str | None = None) -> str:
    """The command's argument as one line ("" if none).

    Raises :class:`UsageError` (in ``lang``) when it is over :data:`MAX_ARGUMENT`
    characters, or when it is empty and ``usage`` names the message saying what to give.
    """
    text = " ".join(context.args or []).strip()
    if len(text) > MAX_ARGUMENT:
        raise UsageError(usage_message("too_long", lang, max=MAX_ARGUMENT))
    if not text and usage:
        raise UsageError(usage_message(usage, lang))
    return text


async def reply_html(update: Update, text: str) -> None:
    """Reply in the same chat (and forum topic), split to Telegram's message size.

    A button under a message too old for the bot to see still gets its answer, in the chat.
    """
    message = update.effective_message
    query = update.callback_query
    for part in split_message(text):
        if message is not None:
            await message.reply_html(part, disable_web_page_preview=True)
        elif query is not None and query.message is not None:
            await query.get_bot().send_message(
                query.message.chat.id,
                part,
                parse_mode=ParseMode.HTML,
                disable_web_page_preview=True,
            )


async def page_key(context: BotContext, listing: Listing, arg: str) -> PageKey:
    """What a listing's page buttons carry: the query itself, or the id it is saved under."""
    key = inline_page_key(listing, arg)
    if key is None:
        key = saved_page_key(await services.save_query(context.db, listing, arg))
    return key


def listing_keyboard(view: PageView, key: PageKey | None) -> InlineKeyboardMarkup | None:
    """Numbered buttons opening each fact's sources, then ◀ page/pages ▶ when there are pages."""
    rows = [
        [
            InlineKeyboardButton(str(number), callback_data=sources_data(fact_id))
            for number, fact_id in enumerate(
                view.fact_ids[start : start + SOURCES_PER_ROW], start + 1
            )
        ]
        for start in range(0, len(view.fact_ids), SOURCES_PER_ROW)
    ]
    if key is not None and view.pages > 1:
        nav = []
        if view.page > 1:
            nav.append(InlineKeyboardButton("◀", callback_data=key.data(view.page - 1)))
        nav.append(InlineKeyboardButton(f"{view.page}/{view.pages}", callback_data=NOOP))
        if view.page < view.pages:
            nav.append(InlineKeyboardButton("▶", callback_data=key.data(view.page + 1)))
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


async def reply_page(update: Update, context: BotContext, listing: Listing, view: PageView) -> None:
    """Send the first page of a listing with its sources and page buttons."""
    message = update.effective_message
    if message is None:
        return
    key = await page_key(context, listing, view.arg) if view.pages > 1 else None
    await message.reply_html(
        view.text, reply_markup=listing_keyboard(view, key), disable_web_page_preview=True
    )
