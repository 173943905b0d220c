"""/lang, /stats and the bot's own membership: what each chat is and wants."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType
from telegram.ext import ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot import services
from bot.app import BotContext
from bot.render import Lang
from bot.render_html import render_lang, render_lang_usage, render_message, render_stats
from handlers.common import chat_lang, command_text, reply_html

log = logging.getLogger(__name__)

#: What ``/lang`` accepts; None goes back to each user's Telegram language.
LANG_CHOICES: dict[str, Lang | None] = {"en": "en", "vi": "vi", "auto": None}


async def lang_command(update: Update, context: BotContext) -> None:
    """Set the chat's reply language (``/lang vi``, ``/lang en``, ``/lang auto``)."""
    lang = await chat_lang(update, context)
    choice = command_text(context, lang).lower()
    chat = update.effective_chat
    if choice not in LANG_CHOICES or chat is None:
        await reply_html(update, render_lang_usage(lang))
        return
    chosen = LANG_CHOICES[choice]
    await services.set_chat_language(
        context.db, chat.id, chat_type=chat.type, title=chat.title, lang=chosen
    )
    await reply_html(update, render_lang(chosen, await chat_lang(update, context)))


async def stats_command(update: Update, context: BotContext) -> None:
    """Admins only: what the store holds and which chats the bot is in."""
    lang = await chat_lang(update, context)
    user = update.effective_user
    if user is None or user.id not in context.services.settings.admins:
        await reply_html(update, render_message("stats_refused", lang))
        return
    await reply_html(update, render_stats(await services.bot_stats(context.db), lang))


def _is_in(member: ChatMember) -> bool:
    """Whether a chat member status means being in the chat."""
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)


async def my_membership_changed(update: Update, context: BotContext) -> None:
    """Note (log and store) when the bot is added to or removed from a chat; greet groups."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or _is_in(change.old_chat_member) == _is_in(change.new_chat_member):
        return
    chat, joined = change.chat, _is_in(change.new_chat_member)
    await services.record_membership(
        context.db, chat.id, chat_type=chat.type, title=chat.title, active=joined
    )
    log.info(
        "%s %s %s (%s) by user %s",
        "added to" if joined else "removed from",
        chat.type,
        chat.id,
        chat.title or "-",
        change.from_user.id,
    )
    if joined and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        lang = await chat_lang(update, context)
        await context.bot.send_message(
            chat.id, render_message("group_welcome", lang), parse_mode="HTML"
        )


async def chat_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: carry its settings over to the new chat id at once."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:  # said in the old group
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:  # said in the new supergroup
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await services.migrate_chat(context.db, old_id, new_id)
    log.info("group %s became supergroup %s", old_id, new_id)


HANDLERS = [
    CommandHandler("lang", lang_command),
    CommandHandler("stats", stats_command),
    ChatMemberHandler(my_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
]
