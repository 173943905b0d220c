"""The one place that wires the Telegram bot together.

``build_application`` makes a python-telegram-bot ``Application`` whose
handlers reach the database and settings through :class:`BotContext`. The
same application serves Telegram (``dealflow run``) and the terminal chat
(``dealflow chat``), which only swaps the request layer.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    ContextTypes,
    ExtBot,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot import services
from bot.alerts import AlertSender, Pacer
from bot.errors import UsageError
from bot.render_html import render_message, render_usage_error
from bot.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

#: The token ``dealflow chat`` runs under: the local request layer never sends it anywhere.
LOCAL_TOKEN = "0:local-terminal-chat"


class BotData:
    """What every handler may use; lives in ``application.bot_data``.

    python-telegram-bot makes it with no arguments; ``build_application``
    sets the settings and ``post_init`` opens the database.
    """

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self.db: Database | None = None
        self.alerts: AlertSender | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("settings are set by build_application")
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database is opened in post_init; the bot has not started")
        return self.db


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The callback context of every handler: typed access to the bot's services."""

    @property
    def services(self) -> BotData:
        return self.bot_data

    @property
    def db(self) -> Database:
        return self.bot_data.database


BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("deals", "Latest deals, optionally for one company"),
        ("revenue", "Revenue, ARR, profit and loss figures"),
        ("valuation", "Latest valuations"),
        ("company", "Everything known about one company"),
        ("latest", "Newest articles with their facts"),
        ("search", "Search the facts' sentences and company names"),
        ("sources", "The articles and sentences behind one fact"),
        ("chart", "A timeline chart of one company"),
        ("export", "The facts as a CSV file"),
        ("subscribe", "Alerts on new facts: [companies] [deals|revenue|valuation] [>1B]"),
        ("subscriptions", "This chat's subscriptions, with remove buttons"),
        ("unsubscribe", "Stop one subscription, or all"),
        ("digest", "Daily digest: daily HH:MM [time zone], or off"),
        ("summary", "The biggest news of today or the week"),
        ("lang", "Reply language: vi or en"),
        ("help", "What this bot can do"),
    ],
    "vi": [
        ("deals", "Các thương vụ mới nhất, có thể theo một công ty"),
        ("revenue", "Doanh thu, ARR, lợi nhuận và lỗ"),
        ("valuation", "Các mức định giá mới nhất"),
        ("company", "Mọi thông tin về một công ty"),
        ("latest", "Các bài báo mới nhất và dữ kiện của chúng"),
        ("search", "Tìm trong các câu trích dẫn và tên công ty"),
        ("sources", "Các bài viết và câu trích dẫn của một dữ kiện"),
        ("chart", "Biểu đồ dòng thời gian của một công ty"),
        ("export", "Xuất dữ kiện ra tệp CSV"),
        (
            "subscribe",
            "Nhận thông báo dữ kiện mới: [công ty] [thương vụ|doanh thu|định giá] [>1 tỷ USD]",
        ),
        ("subscriptions", "Các đăng ký của cuộc trò chuyện này"),
        ("unsubscribe", "Huỷ một hoặc tất cả đăng ký"),
        ("digest", "Bản tin hằng ngày: daily HH:MM [múi giờ], hoặc off"),
        ("summary", "Tin lớn nhất hôm nay hoặc trong tuần"),
        ("lang", "Ngôn ngữ trả lời: vi hoặc en"),
        ("help", "Bot này làm được gì"),
    ],
}


async def _post_init(application: BotApplication) -> None:
    data = application.bot_data
    data.db = await Database.open(data.settings.db_path)
    applied = await data.db.migrate()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    for lang, commands in COMMANDS.items():
        await application.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=None if lang == "en" else lang,
        )
    me = application.bot.bot
    log.info("running as @%s (id %s)", me.username, me.id)
    settings = data.settings
    pacer = Pacer(
        rate=settings.alert_rate,
        per_chat=settings.alert_chat_interval,
        group_per_minute=settings.alert_group_limit,
        group_window=settings.alert_group_window,
    )
    data.alerts = AlertSender(
        data.db,
        application.bot,
        rate=settings.alert_rate,
        poll_seconds=settings.alert_poll_seconds,
        pacer=pacer,
    )
    data.alerts.start()


async def _post_stop(application: BotApplication) -> None:
    if application.bot_data.alerts is not None:
        await application.bot_data.alerts.stop()
        application.bot_data.alerts = None


async def _post_shutdown(application: BotApplication) -> None:
    await _post_stop(application)  # when the application was not run (tests, errors)
    if application.bot_data.db is not None:
        await application.bot_data.db.close()
        application.bot_data.db = None


async def note_update(update: object, context: BotContext) -> None:
    """Every update may bring a reply: the alert fan-out leaves it a slot of the global rate."""
    if context.bot_data.alerts is not None:
        context.bot_data.alerts.note_reply()


async def error_handler(update: object, context: BotContext) -> None:
    """Answer a user's mistake politely; log everything else with its traceback.

    Replies go in the chat's language; a reply that fails in turn is only logged.
    """
    error = context.error
    if not isinstance(error, UsageError):
        log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    user = update.effective_user
    code = user.language_code if user else None
    try:
        chat = update.effective_chat
        lang = await services.chat_language(context.db, chat.id if chat else None, code)
    except Exception:  # the store itself may be what failed
        lang = services.language_of(code)
    if isinstance(error, UsageError):
        text = render_usage_error(error, lang)
    else:
        text = render_message("failed", lang)
    try:
        await update.effective_message.reply_html(text)
    except TelegramError as exc:
        log.warning("could not tell the user about an error: %s", exc)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    token: str | None = None,
) -> BotApplication:
    """The bot's ``Application``: handlers, error handler, database life cycle.

    ``request`` replaces the HTTP layer (the terminal chat and the tests pass
    an in-process one); ``token`` defaults to the settings' token.
    """
    from handlers import all_handlers  # here: handlers import this module's types
    from handlers.digests import schedule_digests
    from handlers.feeds import schedule_feed_polling

    secret = token or (
        settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    )
    if not secret:
        raise UsageError("TELEGRAM_BOT_TOKEN is not set")
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    builder = (
        ApplicationBuilder()
        .token(secret)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .context_types(context_types)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    application: BotApplication = builder.build()
    application.bot_data.settings = settings
    application.add_handler(TypeHandler(Update, note_update), group=-1)
    application.add_handlers(all_handlers())
    application.add_error_handler(error_handler)
    schedule_feed_polling(application)
    schedule_digests(application)
    return application
