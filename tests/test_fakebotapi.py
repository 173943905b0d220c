"""The fake Bot API answers python-telegram-bot's real HTTP requests as Telegram would."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from fakebotapi import Failure, FakeBotAPI
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, RetryAfter

TOKEN = "123:TEST"
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Next ▶", callback_data="page:2"),
            InlineKeyboardButton("Sources", callback_data="src"),
        ]
    ]
)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


async def test_get_me_answers_with_the_bot_user(api: FakeBotAPI, bot: Bot) -> None:
    assert bot.username == "dealflow_test_bot"
    (request,) = api.calls("getMe")
    assert request.status == 200


async def test_send_and_edit_messages_with_buttons(api: FakeBotAPI, bot: Bot) -> None:
    chat = api.private_chat(api.user(42))
    sent = await bot.send_message(
        42, "<b>Deals</b> &amp; more", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert sent.message_id == 1
    assert sent.chat.type == "private"
    (request,) = api.calls("sendMessage", chat_id=42)
    assert request.params["reply_markup"]["inline_keyboard"][0][1]["text"] == "Sources"
    assert [b["callback_data"] for b in request.buttons] == ["page:2", "src"]

    edited = await bot.edit_message_text("page 2", chat_id=chat["id"], message_id=sent.message_id)
    assert isinstance(edited, object) and api.messages[(42, 1)]["text"] == "page 2"
    assert "reply_markup" not in api.messages[(42, 1)]  # an edit without markup drops the buttons
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("page 2", chat_id=42, message_id=1)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=99)


async def test_messages_telegram_would_refuse_are_refused(api: FakeBotAPI, bot: Bot) -> None:
    api.private_chat(api.user(42))
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(42, "<h1>Deals</h1>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(42, "1 < 2", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(42, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(7, "who?")
    assert await bot.send_message(42, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")


async def test_files_upload_as_multipart_and_download_from_the_file_url(
    api: FakeBotAPI, bot: Bot
) -> None:
    api.private_chat(api.user(42))
    sent = await bot.send_document(42, b"kind,amount\n", filename="facts.csv", caption="CSV")
    assert sent.document is not None and sent.document.file_name == "facts.csv"
    (request,) = api.calls("sendDocument")
    assert request.files["document"] == ("facts.csv", b"kind,amount\n")
    assert request.params["caption"] == "CSV"

    file = await bot.get_file(sent.document.file_id)
    assert file.file_path is not None and file.file_path.startswith(f"{api.base_file_url}{TOKEN}/")
    assert bytes(await file.download_as_bytearray()) == b"kind,amount\n"

    photo = await bot.send_photo(42, b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    assert photo.photo and "photo" in api.calls("sendPhoto")[0].files


async def test_get_updates_long_polls_until_an_update_is_queued(api: FakeBotAPI, bot: Bot) -> None:
    chat = api.private_chat()
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, api.send_message, chat, "/deals")
    started = loop.time()
    (update,) = await bot.get_updates(timeout=5)
    assert 0.1 < loop.time() - started < 4
    assert update.message is not None and update.message.text == "/deals"
    assert update.message.entities[0].type == "bot_command"


async def test_get_updates_returns_empty_after_its_timeout(api: FakeBotAPI, bot: Bot) -> None:
    assert await bot.get_updates(timeout=0) == ()
    assert await bot.get_updates(timeout=1) == ()


async def test_an_offset_confirms_and_drops_earlier_updates(api: FakeBotAPI, bot: Bot) -> None:
    chat = api.private_chat()
    first = api.send_message(chat, "one")
    api.send_message(chat, "two")
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [1, 2]
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [1, 2]  # not confirmed
    updates = await bot.get_updates(offset=2, timeout=0)
    assert [u.update_id for u in updates] == [2]
    await api.wait_confirmed(first, within=1)
    assert await bot.get_updates(offset=3, timeout=0) == ()


async def test_allowed_updates_filters_what_is_delivered(api: FakeBotAPI, bot: Bot) -> None:
    group = api.group_chat()
    api.bot_added(group)
    api.send_message(group, "/revenue@dealflow_test_bot OpenAI")
    updates = await bot.get_updates(timeout=0, allowed_updates=["message"])
    assert [u.message is not None for u in updates] == [True]
    assert api.calls("getUpdates")[-1].params["allowed_updates"] == ["message"]


async def test_pressing_a_button_queues_a_callback_query(api: FakeBotAPI, bot: Bot) -> None:
    api.private_chat(api.user(42))
    await bot.send_message(42, "Deals", reply_markup=KEYBOARD)
    sent = api.calls("sendMessage")[0].result
    api.press_button(sent, "Sources")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "src"
    assert query.message is not None and query.message.message_id == sent["message_id"]
    assert query.from_user.id == 42

    assert await query.answer("Loading")
    assert api.callback_answers[query.id]["text"] == "Loading"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()


async def test_commands_are_kept_per_language(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("deals", "Latest deals")])
    await bot.set_my_commands([("deals", "Thương vụ")], language_code="vi")
    assert [c.command for c in await bot.get_my_commands()] == ["deals"]
    assert api.commands[('{"type": "default"}', "vi")][0]["description"] == "Thương vụ"
    assert await bot.delete_my_commands(language_code="vi")
    assert ('{"type": "default"}', "vi") not in api.commands


async def test_get_chat_and_chat_action(api: FakeBotAPI, bot: Bot) -> None:
    group = api.group_chat(-100500, "Funds")
    chat = await bot.get_chat(group["id"])
    assert chat.title == "Funds" and chat.type == "supergroup"
    assert await bot.send_chat_action(group["id"], "typing")


async def test_a_webhook_blocks_get_updates_until_deleted(api: FakeBotAPI, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.invalid/hook", secret_token="s3cret")
    assert api.webhook is not None and api.webhook["secret_token"] == "s3cret"
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_scripted_failures_per_chat(
    api: FakeBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as `make test` runs: RetryAfter warns otherwise
    for user_id in (1, 2, 3):
        api.private_chat(api.user(user_id))
    api.fail(1, Failure.retry_after(3))
    api.fail(2, Failure.forbidden(), times=None, methods=["sendMessage"])
    api.fail(3, Failure.migrated(-1003))

    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(1, "hi")
    assert flood.value.retry_after == dt.timedelta(seconds=3)
    assert await bot.send_message(1, "hi")  # only once
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(2, "hi")
    with pytest.raises(Forbidden):
        await bot.send_message(2, "again")
    assert await bot.send_chat_action(2, "typing")  # other methods pass
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(3, "hi")
    assert migrated.value.new_chat_id == -1003

    statuses = [(r.chat_id, r.status) for r in api.calls("sendMessage")]
    assert statuses == [(1, 429), (1, 200), (2, 403), (2, 403), (3, 400)]
    times = [r.at for r in api.requests]
    assert times == sorted(times)


async def test_a_failure_hook_decides_per_request(api: FakeBotAPI, bot: Bot) -> None:
    api.private_chat(api.user(5))
    api.failure_hook = lambda method, params: (
        Failure.bad_request("nope") if params.get("text") == "bad" else None
    )
    assert await bot.send_message(5, "good")
    with pytest.raises(BadRequest, match=r"(?i)nope"):
        await bot.send_message(5, "bad")


async def test_raw_requests_json_form_bad_token_unknown_method(api: FakeBotAPI) -> None:
    api.private_chat(api.user(42))
    url = f"{api.base_url}{TOKEN}"
    async with httpx.AsyncClient() as client:
        sent = await client.post(f"{url}/sendMessage", json={"chat_id": 42, "text": "123"})
        form = await client.post(f"{url}/sendMessage", data={"chat_id": "42", "text": "456"})
        wrong = await client.post(f"{api.base_url}999:WRONG/getMe")
        missing = await client.post(f"{url}/sendSticker", data={"chat_id": "42"})
    assert sent.json()["result"]["text"] == "123"
    assert form.json()["result"]["text"] == "456"  # a form's "456" stays text
    assert api.calls("sendMessage")[1].params == {"chat_id": 42, "text": "456"}
    assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
    assert missing.status_code == 404


async def test_waiting_for_a_request_times_out_with_what_was_seen(
    api: FakeBotAPI, bot: Bot
) -> None:
    with pytest.raises(TimeoutError, match=r"no sendMessage within 0.1s; last requests: getMe"):
        await api.wait_for_request("sendMessage", within=0.1)


async def test_stopping_ends_a_pending_long_poll(bot: Bot, api: FakeBotAPI) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await api.wait_until(lambda: api.calls("getUpdates") or None, within=5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await api.stop()
    await asyncio.wait([poll], timeout=5)
    assert poll.done() and loop.time() - started < 5
    poll.exception()  # retrieved: an empty answer or a closed connection, both fine
