"""Telegram's message size, counted as Telegram counts it: UTF-16 units of the text after HTML."""

from __future__ import annotations

import html
import re

#: Telegram's limit for one message's text.
MAX_MESSAGE = 4096
_TAG = re.compile(r"<[^>]+>")


def telegram_length(html_text: str) -> int:
    """The length Telegram sees: tags dropped, entities decoded, in UTF-16 code units."""
    visible = html.unescape(_TAG.sub("", html_text))
    return len(visible.encode("utf-16-le")) // 2


def split_message(html_text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split on line boundaries into parts within ``limit``.

    Each line must be balanced HTML on its own (renderers write them so); a
    single line longer than the limit is cut at the limit as plain text.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in html_text.split("\n"):
        length = telegram_length(line)
        if length > limit:
            line = html.escape(html.unescape(_TAG.sub("", line))[: limit - 1]) + "…"
            length = limit
        extra = length + (1 if current else 0)
        if current and size + extra > limit:
            parts.append("\n".join(current))
            current, size = [], 0
            extra = length
        current.append(line)
        size += extra
    if current and any(part.strip() for part in current):
        parts.append("\n".join(current))
    return parts
