-- Subscriptions and the alert outbox.
-- A subscription's filters are NULL for "any": companies holds folded names
-- (bot.names.fold_name) as a JSON array, kinds a JSON array of fact kinds,
-- min_value/min_currency a minimum amount. active is 0 while paused (the bot
-- was blocked or removed); thread_id is the forum topic alerts go to.
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    thread_id INTEGER,
    companies TEXT,
    company_names TEXT,
    kinds TEXT,
    min_value REAL,
    min_currency TEXT,
    filter_key TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (chat_id, filter_key)
);

CREATE INDEX subscriptions_active ON subscriptions (active, chat_id);

-- One alert per (chat, article), written in the transaction that stores the
-- article's facts. fact_ids: the facts this chat is told about (JSON array);
-- changes: what changed for updated facts, by fact id (JSON object).
-- next_attempt_at is a Unix time; state moves pending -> sent | failed.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    thread_id INTEGER,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    fact_ids TEXT NOT NULL,
    changes TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (chat_id, article_id)
);

CREATE INDEX outbox_pending ON outbox (state, next_attempt_at, id);
