-- Articles, the facts they state, and which article states which fact.
-- Dates are ISO strings ("2025", "2025-11", "2025-11-03"); times are UTC ISO.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    published TEXT,
    language TEXT NOT NULL,
    title TEXT,
    source TEXT,
    added_at TEXT NOT NULL
);

CREATE INDEX articles_published ON articles (published);

-- One row per merged fact. The *_key columns hold the merge key: names folded
-- by bot.names.fold_name, '' for no counterparty (so NULLs still collide), and
-- the value rounded to 6 significant digits. status/qualifier/date show the
-- latest state; effective_date is date, else the newest source's published.
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (
        kind IN (
            'investment', 'acquisition', 'contract', 'commitment',
            'revenue', 'valuation', 'share_sale'
        )
    ),
    subject TEXT NOT NULL,
    counterparty TEXT,
    currency TEXT NOT NULL,
    value REAL NOT NULL,
    metric TEXT,
    status TEXT,
    qualifier TEXT NOT NULL,
    date TEXT,
    effective_date TEXT,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    counterparty_key TEXT NOT NULL,
    value_key REAL NOT NULL,
    UNIQUE (kind, subject_key, counterparty_key, currency, value_key)
);

-- The UNIQUE index above also serves lookups by kind.
CREATE INDEX facts_subject_key ON facts (subject_key);
CREATE INDEX facts_counterparty_key ON facts (counterparty_key);
CREATE INDEX facts_value ON facts (value);
CREATE INDEX facts_effective_date ON facts (effective_date, value);

-- Each article's own statement of a fact: the history of its status.
CREATE TABLE fact_sources (
    fact_id INTEGER NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    evidence TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    status TEXT,
    date TEXT,
    PRIMARY KEY (fact_id, article_id)
);

CREATE INDEX fact_sources_article ON fact_sources (article_id);
