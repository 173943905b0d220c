"""``dealflow run``: its options and what it does without a token (the E2E tests run it)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.cli import main
from bot.redact import RedactSecrets
from bot.runner import ALLOWED_UPDATES, RunOptions, Webhook, secrets_of
from bot.settings import Settings


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """``main`` installs a redacting filter on the root handlers; take it off again."""
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield
    for handler in logging.getLogger().handlers:
        handler.filters = [f for f in handler.filters if not isinstance(f, RedactSecrets)]
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def no_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # and so no .env
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DEALFLOW_DB", str(tmp_path / "bot.db"))


def test_without_a_token_run_prints_one_line_and_exits_2(
    no_token: None, clean_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("dealflow: TELEGRAM_BOT_TOKEN is not set")
    assert "dealflow chat" in line


def test_an_empty_token_counts_as_none(
    no_token: None,
    clean_logging: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert main(["run", "--webhook-url", "https://bot.example.com/hook"]) == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in capsys.readouterr().err


def test_a_bad_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--port", "eighty"]) == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("hook", "path"),
    [
        (Webhook("https://bot.example.com/tg/hook"), "tg/hook"),
        (Webhook("https://bot.example.com"), ""),
        (Webhook("https://bot.example.com/public", url_path="/inside/"), "inside"),
    ],
)
def test_the_webhook_serves_the_path_of_its_url_unless_told(hook: Webhook, path: str) -> None:
    assert hook.path == path


def test_the_webhook_secret_is_not_in_its_repr() -> None:
    assert "s3cret" not in repr(Webhook("https://x.example/h", secret_token="s3cret"))


def test_secrets_are_the_token_and_the_webhook_secret() -> None:
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr("123:TEST"))
    assert secrets_of(settings, RunOptions()) == ["123:TEST"]
    hooked = RunOptions(webhook=Webhook("https://x.example/h", secret_token="s3cret"))
    assert secrets_of(settings, hooked) == ["123:TEST", "s3cret"]


def test_allowed_updates_include_button_presses_and_membership() -> None:
    assert {"message", "callback_query", "my_chat_member"} <= set(ALLOWED_UPDATES)
