"""The aiohttp HTTP layer under python-telegram-bot's ``Bot``, against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from fakebotapi import Failure, FakeBotAPI
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.aiohttp_request import AiohttpRequest

TOKEN = "123:TEST"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        server.private_chat(server.user(5))
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, request=AiohttpRequest()) as client:
        yield client


async def test_a_message_goes_out_and_comes_back_as_a_message(api: FakeBotAPI, bot: Bot) -> None:
    message = await bot.send_message(5, "<b>Nvidia</b> đầu tư 2 tỷ USD", parse_mode="HTML")
    assert message.chat.id == 5 and message.text == "<b>Nvidia</b> đầu tư 2 tỷ USD"
    (request,) = api.calls("sendMessage")
    assert request.params["parse_mode"] == "HTML"


async def test_files_go_as_multipart_with_their_names(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_document(5, b"a,b\n1,2\n", filename="deals.csv", caption="Giao dịch")
    (request,) = api.calls("sendDocument")
    assert request.text == "Giao dịch"
    assert [(name, content) for name, content in request.files.values()] == [
        ("deals.csv", b"a,b\n1,2\n")
    ]


async def test_telegrams_errors_become_ptbs(api: FakeBotAPI, bot: Bot) -> None:
    api.fail(5, Failure.retry_after(7))
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(5, "x")
    assert flood.value.retry_after == timedelta(seconds=7)  # PTB_TIMEDELTA=1 in the tests
    api.fail(5, Failure.forbidden())
    with pytest.raises(Forbidden):
        await bot.send_message(5, "x")


async def test_a_closed_port_is_a_network_error() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError, match="aiohttp"):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")


async def test_a_server_that_never_answers_times_out() -> None:
    writers: list[asyncio.StreamWriter] = []

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)  # read the request, never answer

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with AiohttpRequest() as request:
            with pytest.raises(TimedOut):
                await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", read_timeout=0.2)
    finally:
        for writer in writers:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_it_can_be_shut_down_and_started_again(api: FakeBotAPI) -> None:
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{api.base_url}{TOKEN}/getMe")
    for _ in range(2):
        async with request:
            me = await request.post(f"{api.base_url}{TOKEN}/getMe")
            assert isinstance(me, dict) and me["is_bot"] is True
