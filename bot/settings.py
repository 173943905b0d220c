"""Settings: one pydantic model, read once at start from the environment and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable. Construct it once (``Settings()``) and pass it down."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org/bot",
        validation_alias="TELEGRAM_API_URL",
    )
    telegram_file_url: str = Field(
        default="https://api.telegram.org/file/bot",
        validation_alias="TELEGRAM_FILE_URL",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET", repr=False
    )
    db_path: Path = Field(default=Path("dealflow.db"), validation_alias="DEALFLOW_DB")
    admins: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias="DEALFLOW_ADMINS"
    )
    max_article_bytes: int = Field(
        default=5_000_000,
        gt=0,
        validation_alias="DEALFLOW_MAX_ARTICLE_BYTES",
    )
    #: Worker processes extracting articles beside the store in ``dealflow ingest``:
    #: 0 turns them off; unset, one per CPU up to two (none on one CPU), for 100 files or more.
    ingest_workers: int | None = Field(
        default=None, ge=0, validation_alias="DEALFLOW_INGEST_WORKERS"
    )
    allow_private_urls: bool = Field(default=False, validation_alias="DEALFLOW_ALLOW_PRIVATE_URLS")
    fetch_timeout: float = Field(default=20.0, gt=0, validation_alias="DEALFLOW_FETCH_TIMEOUT")
    max_page_bytes: int = Field(
        default=10_000_000, gt=0, validation_alias="DEALFLOW_MAX_PAGE_BYTES"
    )
    max_redirects: int = Field(default=5, ge=0, validation_alias="DEALFLOW_MAX_REDIRECTS")
    feed_poll_minutes: float = Field(
        default=10.0, ge=0, validation_alias="DEALFLOW_FEED_POLL_MINUTES"
    )
    feed_max_entries: int = Field(default=50, gt=0, validation_alias="DEALFLOW_FEED_MAX_ENTRIES")
    alert_rate: float = Field(default=25.0, gt=0, validation_alias="DEALFLOW_ALERT_RATE")
    alert_poll_seconds: float = Field(
        default=2.0, gt=0, validation_alias="DEALFLOW_ALERT_POLL_SECONDS"
    )
    # Telegram's limits, as the pacer keeps them: one message a second to a chat, 20 a
    # minute to a group. Tests shrink the times (keeping their ratio) to see the group
    # limit bite within seconds; in production there is no reason to change them.
    alert_chat_interval: float = Field(
        default=1.0, gt=0, validation_alias="DEALFLOW_ALERT_CHAT_INTERVAL"
    )
    alert_group_limit: int = Field(default=20, gt=0, validation_alias="DEALFLOW_ALERT_GROUP_LIMIT")
    alert_group_window: float = Field(
        default=60.0, gt=0, validation_alias="DEALFLOW_ALERT_GROUP_WINDOW"
    )

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        """Read ``DEALFLOW_ADMINS=123,456`` as a set of Telegram user ids."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.split(",") if part.strip())
        return value
