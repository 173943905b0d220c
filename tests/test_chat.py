"""``dealflow chat``: replies as text, buttons pressed with #N, files saved, clean exit."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.app import LOCAL_TOKEN
from bot.chat import (
    AnyApplication,
    TerminalChat,
    Transcript,
    html_to_text,
    parse_press,
    render_keyboard,
)
from bot.cli import main
from bot.localapi import LocalBotAPI
from bot.pipeline import ingest_paths
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# --- HTML as text, buttons as lines ----------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<b>OpenAI</b> &amp; AWS: $38B", "OpenAI & AWS: $38B"),
        ("&lt;b&gt;x&lt;/b&gt; &quot;q&quot; &#8212; &#x27;", '<b>x</b> "q" — \''),
        ('<a href="https://example.com/a">source</a>', "source (https://example.com/a)"),
        ('<a href="https://example.com">https://example.com</a>', "https://example.com"),
        ('<a href="tg://user?id=1">Lan</a>', "Lan"),
        ("<i>a</i><u>b</u><s>c</s><tg-spoiler>d</tg-spoiler><code>e</code>", "abcde"),
        ('<pre><code class="language-csv">a,b\n1,2</code></pre>', "a,b\n1,2"),
        ("<blockquote>quoted</blockquote>\nline two", "quoted\nline two"),
        ("plain 10 tỷ USD", "plain 10 tỷ USD"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_keyboard_rows_are_numbered_across_rows() -> None:
    rows = [[{"text": "◀ Prev"}, {"text": "Next ▶"}], [{"text": "Sources"}]]
    assert render_keyboard(rows) == "[1] ◀ Prev  [2] Next ▶\n[3] Sources"


@pytest.mark.parametrize(
    ("line", "number"),
    [("#2", 2), (" #12 \n", 12), ("#x", None), ("#", None), ("# 2", None), ("/deals #2", None)],
)
def test_parse_press(line: str, number: int | None) -> None:
    assert parse_press(line) == number


# --- a session with a small test bot ---------------------------------------------------------

PAGE_ONE = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Next ▶", callback_data="next"),
            InlineKeyboardButton("Sources", callback_data="sources"),
        ],
        [InlineKeyboardButton("Site", url="https://example.com")],
    ]
)
PAGE_TWO = InlineKeyboardMarkup([[InlineKeyboardButton("◀ Back", callback_data="back")]])


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html("<b>Deals</b> page 1", reply_markup=PAGE_ONE)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    if query.data == "sources":
        await query.answer("Sources are on their way", show_alert=False)
        return
    await query.answer()
    if query.data == "next":
        await query.edit_message_text(
            "<i>Deals</i> page 2", parse_mode="HTML", reply_markup=PAGE_TWO
        )
    else:
        await query.edit_message_text(
            "<b>Deals</b> page 1", parse_mode="HTML", reply_markup=PAGE_ONE
        )


async def files(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_photo(b"\x89PNG fake", filename="chart.png", caption="OpenAI timeline")
    await message.reply_document(b"kind,amount\n", filename="../facts.csv")


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[tuple[TerminalChat, io.StringIO]]:
    out = io.StringIO()
    transcript = Transcript(out, files_dir=tmp_path / "files")
    api = LocalBotAPI(on_call=transcript)
    application: AnyApplication = (
        ApplicationBuilder().token(LOCAL_TOKEN).request(api).get_updates_request(api).build()
    )
    application.add_handlers(
        [
            CommandHandler("menu", menu),
            CommandHandler("files", files),
            CallbackQueryHandler(pressed),
        ]
    )
    async with TerminalChat(application, api, transcript) as chat:
        yield chat, out


async def test_buttons_are_listed_under_their_message(
    session: tuple[TerminalChat, io.StringIO],
) -> None:
    chat, out = session
    await chat.handle("/menu")
    assert out.getvalue() == "Deals page 1\n[1] Next ▶  [2] Sources\n[3] Site\n\n"


async def test_pressing_a_button_sends_a_callback_query_and_shows_the_edit(
    session: tuple[TerminalChat, io.StringIO],
) -> None:
    chat, out = session
    await chat.handle("/menu")
    await chat.handle("#1")
    assert out.getvalue().endswith("(edited) Deals page 2\n[1] ◀ Back\n\n")
    await chat.handle("#1")  # the edited message's own buttons
    assert out.getvalue().endswith("(edited) Deals page 1\n[1] Next ▶  [2] Sources\n[3] Site\n\n")
    await chat.handle("#2")
    assert out.getvalue().endswith("(notice) Sources are on their way\n\n")
    await chat.handle("#3")
    assert out.getvalue().endswith("(link) https://example.com\n\n")
    await chat.handle("#4")
    assert out.getvalue().endswith("(no button 4: the last buttons are 1 to 3)\n\n")
    answers = chat.api.sent("answerCallbackQuery")
    assert len(answers) == 3


async def test_pressing_without_buttons_says_so(
    session: tuple[TerminalChat, io.StringIO],
) -> None:
    chat, out = session
    await chat.handle("#1")
    assert out.getvalue() == "(no buttons to press)\n\n"


async def test_photos_and_documents_are_saved_and_named(
    session: tuple[TerminalChat, io.StringIO], tmp_path: Path
) -> None:
    chat, out = session
    await chat.handle("/files")
    folder = tmp_path / "files"
    photo, document = sorted(folder.iterdir())
    assert photo.name == "2-chart.png" and photo.read_bytes() == b"\x89PNG fake"
    assert document.name == "3-facts.csv" and document.read_bytes() == b"kind,amount\n"
    assert out.getvalue() == (
        f"(photo saved to {photo})\nOpenAI timeline\n\n(file saved to {document})\n\n"
    )


async def test_blank_lines_are_ignored(session: tuple[TerminalChat, io.StringIO]) -> None:
    chat, out = session
    await chat.handle("   \n")
    assert out.getvalue() == ""
    assert chat.api.sent("sendMessage") == []


# --- the real bot, through the command line ---------------------------------------------------


@pytest.fixture
async def seeded_db(tmp_path: Path) -> Path:
    path = tmp_path / "chat.db"
    db = await Database.open(path)
    try:
        await db.migrate()
        await ingest_paths(db, [SEEDS])
    finally:
        await db.close()
    return path


@pytest.fixture
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DEALFLOW_DB", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_chat_answers_piped_commands_and_exits_0(
    seeded_db: Path,
    in_tmp: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/deals\n\n/revenue OpenAI\n"))
    assert main(["chat", "--db", str(seeded_db)]) == 0
    out = capsys.readouterr().out
    deals, revenue = out.split("> /revenue OpenAI\n")
    assert deals.startswith("> /deals\n")
    assert "$38B" in deals
    assert "$1B" in revenue and "Anthropic" not in revenue
    assert "dealflow chat:" not in out  # the banner is for terminals only


def test_chat_without_a_database_says_how_to_make_one(
    in_tmp: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/deals\n"))
    assert main(["chat"]) == 2
    err = capsys.readouterr().err
    assert err == "dealflow: no database at dealflow.db; run `dealflow ingest` first\n"


def test_chat_process_reads_stdin_until_its_end(seeded_db: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DEALFLOW_DB": str(seeded_db)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="/deals\n/revenue OpenAI\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "$38B" in done.stdout and "$1B" in done.stdout
    assert done.stderr == ""
