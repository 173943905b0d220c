-- Articles read from the web, and the feeds that bring them.
-- A web article's path is its canonical URL (bot.web.canonical_url): at most
-- one article per URL. Times are UTC ISO strings.

CREATE UNIQUE INDEX articles_url ON articles (path)
WHERE path LIKE 'http://%' OR path LIKE 'https://%';

-- One row per RSS or Atom feed. etag/last_modified make the next request
-- conditional; failures counts the failed polls in a row (0 after a success)
-- and next_poll_at holds a failing feed back (NULL: due at the next round).
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    added_at TEXT NOT NULL,
    last_polled_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT
);

-- The entries of a feed already dealt with (stored, known, or failed for
-- good), by canonical link, so a poll fetches only what is new.
CREATE TABLE feed_entries (
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    error TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, url)
);
