"""Keep secrets out of log lines: the bot token travels in every Bot API URL.

httpx logs each request's URL, python-telegram-bot logs its base URL and the
parameters of each call, and a failed request's traceback may quote either.
:class:`RedactSecrets` sits on the root logging handlers and rewrites every
record that passes through them, its message, traceback and stack alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

#: What a secret is replaced with.
MASK = "[REDACTED]"


class RedactSecrets(logging.Filter):
    """A handler filter that replaces each secret (and its URL-quoted form) with :data:`MASK`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        # longest first, so a secret that contains another is replaced whole
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with every secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # what Formatter.format would do, done here so the text can be cleaned
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def redact_logs(secrets: Iterable[str]) -> RedactSecrets:
    """Install a :class:`RedactSecrets` on every root handler; return it.

    Call it after logging is configured. Loggers that may print request URLs
    (aiohttp, httpx, httpcore) are also held at WARNING, so their lines are not even
    made at the usual levels.
    """
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    for name in ("aiohttp", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return redactor
