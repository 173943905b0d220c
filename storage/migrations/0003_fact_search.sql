-- Full-text search over facts: one row per fact (rowid = facts.id) holding its
-- company names and every source's evidence sentence, kept in sync by triggers.
-- unicode61 with remove_diacritics 2 folds case and accents ("dau tu" finds
-- "đầu tư") except for đ, which is not an accented d to Unicode: the text is
-- stored with đ/Đ replaced by d/D, and queries are folded the same way.
-- The column is only for matching; replies show the text from fact_sources.

CREATE VIRTUAL TABLE fact_search USING fts5 (names, evidence, tokenize = 'unicode61 remove_diacritics 2');

-- Names weigh more than sentences that merely mention them.
INSERT INTO fact_search (fact_search, rank) VALUES ('rank', 'bm25(4.0, 1.0)');

INSERT INTO fact_search (rowid, names, evidence)
SELECT f.id,
       replace(replace(f.subject || ' ' || COALESCE(f.counterparty, ''), 'đ', 'd'), 'Đ', 'D'),
       COALESCE((SELECT replace(replace(group_concat(fs.evidence, ' '), 'đ', 'd'), 'Đ', 'D')
                 FROM fact_sources AS fs WHERE fs.fact_id = f.id), '')
FROM facts AS f;

CREATE TRIGGER facts_search_insert AFTER INSERT ON facts BEGIN
    INSERT INTO fact_search (rowid, names, evidence)
    VALUES (new.id, replace(replace(new.subject || ' ' || COALESCE(new.counterparty, ''), 'đ', 'd'), 'Đ', 'D'), '');
END;

CREATE TRIGGER facts_search_names AFTER UPDATE OF subject, counterparty ON facts BEGIN
    UPDATE fact_search
    SET names = replace(replace(new.subject || ' ' || COALESCE(new.counterparty, ''), 'đ', 'd'), 'Đ', 'D')
    WHERE rowid = new.id;
END;

CREATE TRIGGER facts_search_delete AFTER DELETE ON facts BEGIN
    DELETE FROM fact_search WHERE rowid = old.id;
END;

CREATE TRIGGER fact_sources_search_insert AFTER INSERT ON fact_sources BEGIN
    UPDATE fact_search
    SET evidence = evidence || ' ' || replace(replace(new.evidence, 'đ', 'd'), 'Đ', 'D')
    WHERE rowid = new.fact_id;
END;

CREATE TRIGGER fact_sources_search_update AFTER UPDATE OF evidence, fact_id ON fact_sources BEGIN
    UPDATE fact_search
    SET evidence = COALESCE((SELECT replace(replace(group_concat(fs.evidence, ' '), 'đ', 'd'), 'Đ', 'D')
                             FROM fact_sources AS fs WHERE fs.fact_id = fact_search.rowid), '')
    WHERE rowid IN (old.fact_id, new.fact_id);
END;

CREATE TRIGGER fact_sources_search_delete AFTER DELETE ON fact_sources BEGIN
    UPDATE fact_search
    SET evidence = COALESCE((SELECT replace(replace(group_concat(fs.evidence, ' '), 'đ', 'd'), 'Đ', 'D')
                             FROM fact_sources AS fs WHERE fs.fact_id = old.fact_id), '')
    WHERE rowid = old.fact_id;
END;
