"""Listings that page: how each is fetched and rendered, and the ◀ ▶ buttons that edit it.

A page button carries its listing and argument (or a saved query's id, see
:mod:`bot.callbacks`); pressing it renders that page again from the store and
edits the message in place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot import services
from bot.app import BotContext
from bot.callbacks import Listing, PageButton, listing_code, parse_callback_data, saved_page_key
from bot.render import Lang
from bot.render_html import (
    PageView,
    render_company_page,
    render_facts_page,
    render_latest_page,
    render_search_page,
)
from handlers.common import chat_lang, listing_keyboard, page_key, reply_page
from storage.db import Database

PageMaker = Callable[[Database, str, int, Lang], Awaitable[PageView]]


async def _deals(db: Database, arg: str, page: int, lang: Lang) -> PageView:
    listing = await services.facts_page(db, "deals", company=arg or None, page=page)
    return render_facts_page(listing, lang)


async def _revenue(db: Database, arg: str, page: int, lang: Lang) -> PageView:
    listing = await services.facts_page(db, "revenue", company=arg or None, page=page)
    return render_facts_page(listing, lang)


async def _valuation(db: Database, arg: str, page: int, lang: Lang) -> PageView:
    listing = await services.facts_page(db, "valuation", company=arg or None, page=page)
    return render_facts_page(listing, lang)


async def _company(db: Database, arg: str, page: int, lang: Lang) -> PageView:
    return render_company_page(await services.company_page(db, arg, page=page), lang)


async def _latest(db: Database, arg: str, page: int, lang: Lang) -> PageView:
    return render_latest_page(await services.latest_page(db, page=page), lang)


async def _search(db: Database, arg: str, page: int, lang: Lang) -> PageView:
    return render_search_page(await services.search(db, arg, page=page), lang)


#: Every listing that pages: one service call and one renderer each.
LISTINGS: dict[Listing, PageMaker] = {
    "deals": _deals,
    "revenue": _revenue,
    "valuation": _valuation,
    "company": _company,
    "latest": _latest,
    "search": _search,
}


async def show_listing(
    update: Update, context: BotContext, listing: Listing, arg: str, lang: Lang
) -> None:
    """Reply with the first page of a listing."""
    view = await LISTINGS[listing](context.db, arg, 1, lang)
    await reply_page(update, context, listing, view)


async def page_button(update: Update, context: BotContext) -> None:
    """Show another page of a listing in the same message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    button = parse_callback_data(query.data or "")
    if not isinstance(button, PageButton) or query.message is None:
        return
    listing, arg, key = button.listing, button.arg, None
    if button.query_id is not None:
        saved = await services.get_saved_query(context.db, button.query_id)
        if saved is None:
            return
        listing, arg, key = listing_code(saved[0]), saved[1], saved_page_key(button.query_id)
    if listing is None:
        return
    lang = await chat_lang(update, context)
    view = await LISTINGS[listing](context.db, arg, button.page, lang)
    key = key or await page_key(context, listing, view.arg)
    try:
        await context.bot.edit_message_text(
            view.text,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=listing_keyboard(view, key),
            disable_web_page_preview=True,
        )
    except BadRequest as exc:  # pressed twice: the page is already shown
        if "not modified" not in exc.message.lower():
            raise


HANDLERS = [CallbackQueryHandler(page_button, pattern=r"^[pq]:")]
