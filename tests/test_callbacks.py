"""Button data: within 64 bytes, and read back as written."""

from __future__ import annotations

import pytest

from bot.callbacks import (
    MAX_CALLBACK_DATA,
    PageButton,
    SourcesButton,
    inline_page_key,
    parse_callback_data,
    saved_page_key,
    sources_data,
)


def test_page_data_round_trips() -> None:
    key = inline_page_key("search", "đầu tư: a:b")
    assert key is not None
    data = key.data(12)
    assert parse_callback_data(data) == PageButton(12, listing="search", arg="đầu tư: a:b")


def test_a_query_too_long_for_the_data_has_no_inline_key() -> None:
    assert inline_page_key("company", "Ả" * 30) is None
    key = inline_page_key("company", "A" * 50)
    assert key is not None and len(key.data(999999).encode()) <= MAX_CALLBACK_DATA


def test_saved_and_sources_data_round_trip() -> None:
    assert parse_callback_data(saved_page_key(7).data(3)) == PageButton(3, query_id=7)
    assert parse_callback_data(sources_data(42)) == SourcesButton(42)


@pytest.mark.parametrize("data", ["", "x", "p:1", "p:x:d:", "p:1:z:a", "q:1:y", "s:", "zz:1"])
def test_data_we_never_wrote_reads_as_nothing(data: str) -> None:
    assert parse_callback_data(data) is None
