"""/chart sends a real PNG, /export a real CSV document."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_harness import GROUP, BotHarness, running_bot, seeded_database, texts

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(await seeded_database(tmp_path / "bot.db")) as harness:
        yield harness


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_chart_is_a_png_photo(bot: BotHarness, lang: str) -> None:
    [call] = await bot.send("/chart openai", lang=lang)
    assert call.method == "sendPhoto"
    filename, data = call.files["photo"]
    assert data.startswith(PNG)
    assert filename == "openai.png"
    assert call.params["caption"].startswith("<b>OpenAI</b>: ")
    assert call.params["parse_mode"] == "HTML"


async def test_chart_in_a_group_topic(bot: BotHarness) -> None:
    [call] = await bot.send("/chart@dealflow_bot Anthropic", chat=GROUP, thread_id=5)
    assert (call.method, call.params["message_thread_id"]) == ("sendPhoto", 5)


async def test_chart_needs_a_known_company(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/chart"))
    assert reply == "Which company? For example: /chart OpenAI"
    (reply,) = texts(await bot.send("/chart Antropic", lang="vi"))
    assert reply.startswith("Chưa có dữ kiện nào về “Antropic”.")


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_export_is_a_csv_document(bot: BotHarness, lang: str) -> None:
    [call] = await bot.send("/export", lang=lang)
    assert call.method == "sendDocument"
    filename, data = call.files["document"]
    assert filename == "dealflow-facts.csv"
    rows = read_csv(data)
    assert rows and {"fact_id", "kind", "subject", "evidence", "article_path"} <= set(rows[0])
    assert str(len(rows)) in call.params["caption"]


async def test_export_of_one_kind_for_one_company(bot: BotHarness) -> None:
    [call] = await bot.send("/export valuation openai")
    filename, data = call.files["document"]
    assert filename == "dealflow-valuation-openai.csv"
    assert {(r["kind"], r["subject"]) for r in read_csv(data)} == {("valuation", "OpenAI")}


async def test_export_of_nothing_says_so(bot: BotHarness) -> None:
    (reply,) = texts(await bot.send("/export acquisition OpenAI"))
    assert reply == "No facts to export for that."
