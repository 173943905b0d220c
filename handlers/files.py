"""/chart and /export: a company's timeline as a picture, facts as a CSV file."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CommandHandler

from bot import services
from bot.app import BotContext
from bot.chart import render_chart
from bot.render_html import render_chart_caption, render_export, render_message
from handlers.common import chat_lang, command_text, reply_html


async def chart_command(update: Update, context: BotContext) -> None:
    """Send a PNG timeline of a company's deals and valuations."""
    lang = await chat_lang(update, context)
    data = await services.chart_data(context.db, command_text(context, lang, usage="usage_chart"))
    chart = await asyncio.to_thread(render_chart, data, lang)  # matplotlib takes a moment
    message = update.effective_message
    if chart is None or message is None:
        await reply_html(update, render_message("chart_empty", lang, name=data.name))
        return
    caption = render_chart_caption(data.name, chart.currency, lang)
    await message.reply_photo(
        chart.png, caption=caption, parse_mode="HTML", filename=chart.filename
    )


async def export_command(update: Update, context: BotContext) -> None:
    """Send the facts asked for (``/export [kind] [company]``) as a CSV document."""
    lang = await chat_lang(update, context)
    kinds, company = services.parse_export_args(command_text(context, lang))
    rows = await services.export_rows(context.db, kinds=kinds, company=company)
    export = render_export(rows, kinds=kinds, company=company, lang=lang)
    message = update.effective_message
    if export.data is None or message is None:
        await reply_html(update, export.caption)
        return
    await message.reply_document(
        export.data, filename=export.filename, caption=export.caption, parse_mode="HTML"
    )


HANDLERS = [
    CommandHandler("chart", chart_command),
    CommandHandler("export", export_command),
]
