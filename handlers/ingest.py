"""Articles sent to the bot: a link, a pasted article, or a ``.txt`` / ``.html`` document.

Administrators only (``DEALFLOW_ADMINS``); anyone else is told so politely.
Only private chats are read: in groups, ordinary messages are none of the
bot's business, so it stays silent.
"""

from __future__ import annotations

import logging
from pathlib import PurePath

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.app import BotContext
from bot.render_web import render_article_result, web_message
from bot.web import message_url
from bot.web_ingest import ArticleResult, ingest_html, ingest_text, ingest_url, web_client
from handlers.common import chat_lang, reply_html

log = logging.getLogger(__name__)

#: Document suffixes read as articles, and how.
TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})


def is_admin(update: Update, context: BotContext) -> bool:
    """Whether the sender is one of the bot's administrators."""
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admins


async def article_message(update: Update, context: BotContext) -> None:
    """An administrator's link or pasted article: store it, then say what it holds."""
    lang = await chat_lang(update, context)
    message = update.effective_message
    if message is None or message.text is None:
        return
    if not is_admin(update, context):
        await reply_html(update, web_message("admins_only", lang))
        return
    text = message.text
    url = message_url(text)
    result: ArticleResult
    if url is not None:
        async with web_client(context.services.settings) as web:
            result = await ingest_url(context.db, web, url)
    else:
        path = f"telegram:{message.chat.id}/{message.message_id}"
        result = await ingest_text(context.db, text, path=path)
    user = update.effective_user
    log.info("chat ingest by user %s: %s %s", user.id if user else "-", result.status, result.path)
    await reply_html(update, render_article_result(result, lang))


async def article_document(update: Update, context: BotContext) -> None:
    """An administrator's ``.txt`` or ``.html`` document: store it, then say what it holds."""
    lang = await chat_lang(update, context)
    message = update.effective_message
    document = message.document if message is not None else None
    if message is None or document is None:
        return
    if not is_admin(update, context):
        await reply_html(update, web_message("admins_only", lang))
        return
    name = document.file_name or "document"
    suffix = PurePath(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        await reply_html(update, web_message("document_type", lang))
        return
    settings = context.services.settings
    limit = settings.max_page_bytes if suffix in HTML_SUFFIXES else settings.max_article_bytes
    if document.file_size is not None and document.file_size > limit:
        await reply_html(
            update, web_message("document_big", lang, size=document.file_size, max=limit)
        )
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    path = f"telegram:{message.chat.id}/{message.message_id}/{name}"
    if len(data) > limit:
        await reply_html(update, web_message("document_big", lang, size=len(data), max=limit))
        return
    if suffix in HTML_SUFFIXES:
        result = await ingest_html(context.db, data, path=path)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            result = ArticleResult(path=path, status="failed", reason="not valid UTF-8 text")
        else:
            result = await ingest_text(context.db, text, path=path, raw=data)
    await reply_html(update, render_article_result(result, lang))


_PRIVATE = filters.ChatType.PRIVATE

HANDLERS = [
    MessageHandler(_PRIVATE & filters.TEXT & ~filters.COMMAND, article_message),
    MessageHandler(_PRIVATE & filters.Document.ALL, article_document),
]
