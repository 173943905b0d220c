"""``dealflow run``: serve Telegram by long polling, or by a webhook.

python-telegram-bot's ``run_polling`` / ``run_webhook`` do the work: they
initialise the bot (``getMe``), call ``post_init`` (which opens and migrates
the database, registers the commands and logs who the bot is), fetch
updates until SIGINT, SIGTERM or SIGABRT, then stop and call
``post_shutdown`` (which closes the database).

The HTTP layer is :class:`~bot.aiohttp_request.AiohttpRequest` (one pool for
calls, one connection for ``getUpdates``), shut down here however the run ends.

The Bot API address comes from the settings (``TELEGRAM_API_URL``,
``TELEGRAM_FILE_URL``); python-telegram-bot appends the token to both, as a
self-hosted Bot API server expects.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from telegram.constants import UpdateType
from telegram.error import InvalidToken, TelegramError

from bot.aiohttp_request import AiohttpRequest
from bot.app import build_application
from bot.errors import DealflowError, UsageError
from bot.redact import RedactSecrets
from bot.settings import Settings

log = logging.getLogger(__name__)

#: The updates the bot asks Telegram for: commands, button presses, being added or removed.
ALLOWED_UPDATES: list[str] = [
    UpdateType.MESSAGE.value,
    UpdateType.EDITED_MESSAGE.value,
    UpdateType.CALLBACK_QUERY.value,
    UpdateType.MY_CHAT_MEMBER.value,
]


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates, and where this process listens for them."""

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    #: the path the local server answers on; by default the path of :attr:`url`
    url_path: str | None = None
    secret_token: str | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        if self.url_path is not None:
            return self.url_path.strip("/")
        return urlsplit(self.url).path.strip("/")


@dataclass(frozen=True)
class RunOptions:
    """How ``dealflow run`` fetches updates."""

    webhook: Webhook | None = None
    drop_pending_updates: bool = False


def secrets_of(settings: Settings, options: RunOptions) -> list[str]:
    """The strings no log line may show: the token and the webhook's secret."""
    token = settings.telegram_bot_token
    secrets = [token.get_secret_value()] if token else []
    if options.webhook and options.webhook.secret_token:
        secrets.append(options.webhook.secret_token)
    return secrets


def run_bot(settings: Settings, options: RunOptions) -> None:
    """Serve Telegram until a stop signal; return after a clean shutdown.

    Raises :class:`UsageError` without a token and :class:`DealflowError` when
    the Bot API refuses the token or cannot be reached at start.
    """
    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value():
        raise UsageError(
            "TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env); "
            "`dealflow chat` runs without one"
        )
    redactor = RedactSecrets(secrets_of(settings, options))
    requests = (AiohttpRequest(), AiohttpRequest(connection_pool_size=1))
    application = build_application(settings, request=requests[0], get_updates_request=requests[1])
    # run_polling/run_webhook take the current event loop; it is closed here, after the
    # HTTP sessions (PTB leaves them open when it fails to start, e.g. on a rejected token)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        if options.webhook is None:
            log.info("fetching updates by long polling from %s", settings.telegram_api_url)
            application.run_polling(
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=options.drop_pending_updates,
                close_loop=False,
            )
        else:
            hook = options.webhook
            log.info("listening on %s:%s/%s for %s", hook.listen, hook.port, hook.path, hook.url)
            application.run_webhook(
                listen=hook.listen,
                port=hook.port,
                url_path=hook.path,
                webhook_url=hook.url,
                secret_token=hook.secret_token,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=options.drop_pending_updates,
                close_loop=False,
            )
    except InvalidToken:
        raise DealflowError(
            f"the Bot API at {settings.telegram_api_url} rejected TELEGRAM_BOT_TOKEN"
        ) from None
    except TelegramError as exc:
        raise DealflowError(
            redactor.redact(f"the Bot API at {settings.telegram_api_url} failed: {exc}")
        ) from None
    except OSError as exc:  # the webhook's port is taken, or the address is not ours
        raise DealflowError(f"cannot serve the webhook: {exc}") from None
    finally:
        for request in requests:
            loop.run_until_complete(request.shutdown())
        loop.close()
        asyncio.set_event_loop(None)
    log.info("stopped")
