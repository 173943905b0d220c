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
            line = html.escape(_cut(html.unescape(_TAG.sub("", line)), limit - 1)) + "…"
            length = telegram_length(line)
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


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-16 code units."""
    size = 0
    for i, char in enumerate(text):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            return text[:i]
    return text


def fit_message(html_text: str, limit: int = MAX_MESSAGE) -> str:
    """``html_text`` if it fits one message, else its first lines and a closing "…".

    For messages that must stay one (a page edited in place); lines must be
    balanced HTML, as for :func:`split_message`.
    """
    if telegram_length(html_text) <= limit:
        return html_text
    kept: list[str] = []
    size = 2  # the closing "\n…"
    for line in html_text.split("\n"):
        length = telegram_length(line) + (1 if kept else 0)
        if size + length > limit:
            break
        kept.append(line)
        size += length
    if not kept:
        return split_message(html_text, limit - 2)[0] + "\n…"
    return "\n".join([*kept, "…"])
