"""The bot token never reaches a log line, whatever logs it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.redact import MASK, RedactSecrets, redact_logs

TOKEN = "123:TEST"


@pytest.fixture
def logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets([TOKEN, "hook-secret"]))
    log = logging.getLogger("tests.redact")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield log, stream
    log.removeHandler(handler)


def test_secrets_are_masked_in_messages_and_their_arguments(
    logger: tuple[logging.Logger, io.StringIO],
) -> None:
    log, stream = logger
    log.info('HTTP Request: POST %s "HTTP/1.1 200 OK"', f"http://127.0.0.1/bot{TOKEN}/getMe")
    log.debug(f"Set Bot API URL: https://api.telegram.org/bot{TOKEN}")
    log.debug("setWebhook with %r", {"secret_token": "hook-secret"})
    log.warning("quoted: /bot123%3ATEST/getMe")
    out = stream.getvalue()
    assert TOKEN not in out and "hook-secret" not in out and "123%3ATEST" not in out
    assert out.splitlines() == [
        f'INFO HTTP Request: POST http://127.0.0.1/bot{MASK}/getMe "HTTP/1.1 200 OK"',
        f"DEBUG Set Bot API URL: https://api.telegram.org/bot{MASK}",
        f"DEBUG setWebhook with {{'secret_token': '{MASK}'}}",
        f"WARNING quoted: /bot{MASK}/getMe",
    ]


def test_secrets_are_masked_in_tracebacks(logger: tuple[logging.Logger, io.StringIO]) -> None:
    log, stream = logger
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        log.exception("Invalid token. Aborting retry loop.")
    out = stream.getvalue()
    assert TOKEN not in out
    assert f"RuntimeError: The token `{MASK}` was rejected by the server." in out


def test_lines_without_secrets_are_left_alone(logger: tuple[logging.Logger, io.StringIO]) -> None:
    log, stream = logger
    log.info("running as @%s (id %s)", "dealflow_bot", 123)
    assert stream.getvalue() == "INFO running as @dealflow_bot (id 123)\n"


def test_redact_logs_guards_every_root_handler_and_quiets_http_loggers() -> None:
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    try:
        redactor = redact_logs([TOKEN])
        assert all(redactor in h.filters for h in root.handlers)
        assert logging.getLogger("httpx").level == logging.WARNING
        assert logging.getLogger("httpcore").level == logging.WARNING
        logging.getLogger("telegram.Bot").warning("URL %s", f"https://x/bot{TOKEN}")
        assert stream.getvalue() == f"URL https://x/bot{MASK}\n"
    finally:
        root.removeHandler(handler)
        for h in root.handlers:
            h.filters = [f for f in h.filters if not isinstance(f, RedactSecrets)]
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
