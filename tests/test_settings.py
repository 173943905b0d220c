"""Settings come from the environment and .env, read when constructed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ["TELEGRAM_BOT_TOKEN", "DEALFLOW_DB", "DEALFLOW_ADMINS"]:
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.db_path == Path("dealflow.db")
    assert settings.admins == frozenset()
    assert settings.max_article_bytes == 5_000_000
    assert (settings.alert_chat_interval, settings.alert_group_limit) == (1.0, 20)
    assert settings.alert_group_window == 60.0


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret")
    monkeypatch.setenv("DEALFLOW_DB", "data/x.db")
    monkeypatch.setenv("DEALFLOW_ADMINS", "42, 7,")
    settings = Settings()
    assert settings.db_path == Path("data/x.db")
    assert settings.admins == frozenset({42, 7})
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:secret"
    assert "secret" not in repr(settings)


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEALFLOW_DB=from-dotenv.db\n", encoding="utf-8")
    assert Settings().db_path == Path("from-dotenv.db")


def test_bad_admin_id_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALFLOW_ADMINS", "42,bob")
    with pytest.raises(ValueError, match="DEALFLOW_ADMINS"):
        Settings()
