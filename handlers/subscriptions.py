"""/subscribe, /unsubscribe, /subscriptions and their buttons.

In a group only its administrators may change subscriptions; a message sent
as the group itself (an anonymous administrator) counts as one. In a forum
each subscription remembers the topic it was made in, and alerts go there.
"""

from __future__ import annotations

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import subscriptions
from bot.app import BotContext
from bot.render_alerts import alert_text, render_subscribed, render_subscriptions
from handlers.common import chat_lang, reply_html

#: Button data: remove one subscription, confirm removing all, keep them.
REMOVE, REMOVE_ALL, KEEP = "sub:rm:", "sub:all", "sub:keep"
_ADMINS = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)


async def may_manage(update: Update, context: BotContext) -> bool:
    """Whether the sender may change this chat's subscriptions (anyone in a private chat)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message if update.callback_query is None else None
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # an anonymous administrator
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in _ADMINS


async def _refuse(update: Update, context: BotContext) -> bool:
    if await may_manage(update, context):
        return False
    await reply_html(update, alert_text("admins_only", await chat_lang(update, context)))
    return True


async def subscribe_command(update: Update, context: BotContext) -> None:
    """Subscribe the chat (and topic) to alerts: ``/subscribe [companies…] [kind] [>1B]``."""
    lang = await chat_lang(update, context)
    wanted = subscriptions.parse_subscription_args(context.args or [])
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None or message is None or await _refuse(update, context):
        return
    thread_id = message.message_thread_id if message.is_topic_message else None
    new = await subscriptions.subscribe_chat(
        context.db,
        chat.id,
        wanted,
        chat_type=chat.type,
        title=chat.title,
        thread_id=thread_id,
        user_id=user.id if user else None,
    )
    sub = await subscriptions.find_subscription(context.db, chat.id, wanted)
    assert sub is not None
    await reply_html(update, render_subscribed(sub, lang, new=new))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """Remove the subscription with the filter given, or (after a confirm button) all."""
    lang = await chat_lang(update, context)
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or await _refuse(update, context):
        return
    if context.args:
        wanted = subscriptions.parse_subscription_args(context.args)
        sub = await subscriptions.find_subscription(context.db, chat.id, wanted)
        if sub is None:
            await reply_html(update, alert_text("not_found", lang))
            return
        removed = await subscriptions.unsubscribe(context.db, chat.id, sub.id)
        await reply_html(update, alert_text("removed", lang, n=removed))
        return
    subs = await subscriptions.list_subscriptions(context.db, chat.id)
    if not subs:
        await reply_html(update, render_subscriptions(subs, lang))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(alert_text("yes_all", lang), callback_data=REMOVE_ALL),
                InlineKeyboardButton(alert_text("cancel", lang), callback_data=KEEP),
            ]
        ]
    )
    await message.reply_html(alert_text("confirm_all", lang, n=len(subs)), reply_markup=keyboard)


async def subscriptions_command(update: Update, context: BotContext) -> None:
    """List the chat's subscriptions, with a button to remove each."""
    lang = await chat_lang(update, context)
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    subs = await subscriptions.list_subscriptions(context.db, chat.id)
    buttons = [
        InlineKeyboardButton(f"✖ {number}", callback_data=f"{REMOVE}{sub.id}")
        for number, sub in enumerate(subs, 1)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    await message.reply_html(
        render_subscriptions(subs, lang), reply_markup=InlineKeyboardMarkup(rows) if rows else None
    )


async def subscription_button(update: Update, context: BotContext) -> None:
    """Remove one subscription, confirm removing all, or keep them."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    await query.answer()
    if chat is None or await _refuse(update, context):
        return
    lang = await chat_lang(update, context)
    data = query.data or ""
    if data == KEEP:
        await reply_html(update, alert_text("cancelled", lang))
        return
    sub_id = None
    if data.startswith(REMOVE):
        try:
            sub_id = int(data.removeprefix(REMOVE))
        except ValueError:
            return
    elif data != REMOVE_ALL:
        return
    removed = await subscriptions.unsubscribe(context.db, chat.id, sub_id)
    await reply_html(update, alert_text("removed", lang, n=removed))


HANDLERS = [
    CommandHandler("subscribe", subscribe_command),
    CommandHandler("unsubscribe", unsubscribe_command),
    CommandHandler("subscriptions", subscriptions_command),
    CallbackQueryHandler(subscription_button, pattern=r"^sub:"),
]
