-- The chats the bot talks in: their reply language and whether the bot is a member.
-- lang is NULL while a chat follows each user's Telegram language; active is 0
-- once the bot has been removed (or, in a private chat, blocked).

CREATE TABLE chats (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    title TEXT,
    lang TEXT CHECK (lang IN ('en', 'vi')),
    active INTEGER NOT NULL DEFAULT 1,
    joined_at TEXT,
    left_at TEXT,
    updated_at TEXT NOT NULL
);

-- A list query too long to fit in a button's 64-byte callback_data: buttons
-- carry its id instead, so they keep working after a restart.
CREATE TABLE saved_queries (
    id INTEGER PRIMARY KEY,
    listing TEXT NOT NULL,
    arg TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (listing, arg)
);
