-- Daily digests: one schedule per chat (local time and time zone), and one row
-- per chat and period sent, so a period never gets two digests, restarts included.
CREATE TABLE digest_schedules (
    chat_id INTEGER PRIMARY KEY,
    thread_id INTEGER,
    at_time TEXT NOT NULL,
    tz TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL
);

CREATE TABLE digest_runs (
    chat_id INTEGER NOT NULL,
    period TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'empty', 'failed')),
    detail TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (chat_id, period)
);
