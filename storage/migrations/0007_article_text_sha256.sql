-- An article's sha256 is that of its raw input bytes (FACTS.md); text_sha256 is
-- that of the article text it was read from (UTF-8), so the same story at
-- another address, or with other HTML around it, is stored once. Set for web
-- pages, .html documents and pasted text; NULL for .txt files.
ALTER TABLE articles ADD COLUMN text_sha256 TEXT;

-- Until now a page's (and pasted text's) sha256 held the hash of its text:
-- keep it as the text hash so those articles are still known by their text.
UPDATE articles SET text_sha256 = sha256
WHERE path LIKE 'http://%' OR path LIKE 'https://%' OR path LIKE 'telegram:%'
    OR path LIKE '%.html' OR path LIKE '%.htm';

CREATE UNIQUE INDEX articles_text_sha256 ON articles (text_sha256)
WHERE text_sha256 IS NOT NULL;
