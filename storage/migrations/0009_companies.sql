-- Every company named in a fact, kept up to date by triggers on facts, so
-- looking a company up (and suggesting a near miss) reads this small table
-- instead of grouping every fact. key is the folded name (facts.subject_key or
-- counterparty_key), name the smallest spelling stored under it (as MIN() over
-- the facts gives), as_subject / as_counterparty how many facts name it in
-- each role (a fact with no counterparty counts once, as subject).

CREATE TABLE companies (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    as_subject INTEGER NOT NULL,
    as_counterparty INTEGER NOT NULL
);

INSERT INTO companies (key, name, as_subject, as_counterparty)
SELECT key, MIN(name), SUM(as_subject), SUM(as_counterparty)
FROM (
    SELECT subject_key AS key, subject AS name, 1 AS as_subject, 0 AS as_counterparty FROM facts
    UNION ALL
    SELECT counterparty_key, counterparty, 0, 1 FROM facts WHERE counterparty IS NOT NULL
)
GROUP BY key;

CREATE TRIGGER facts_companies_insert AFTER INSERT ON facts BEGIN
    INSERT INTO companies (key, name, as_subject, as_counterparty)
    VALUES (new.subject_key, new.subject, 1, 0)
    ON CONFLICT (key) DO UPDATE SET name = MIN(name, excluded.name), as_subject = as_subject + 1;
    INSERT INTO companies (key, name, as_subject, as_counterparty)
    SELECT new.counterparty_key, new.counterparty, 0, 1 WHERE new.counterparty IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET name = MIN(name, excluded.name), as_counterparty = as_counterparty + 1;
END;

-- A deleted or renamed fact: take it off its old names (dropping a name no fact
-- holds any more, and recomputing the smallest spelling of the others), then
-- count it under its new ones.
CREATE TRIGGER facts_companies_delete AFTER DELETE ON facts BEGIN
    UPDATE companies SET as_subject = as_subject - 1 WHERE key = old.subject_key;
    UPDATE companies SET as_counterparty = as_counterparty - 1
    WHERE key = old.counterparty_key AND old.counterparty IS NOT NULL;
    DELETE FROM companies
    WHERE key IN (old.subject_key, old.counterparty_key) AND as_subject + as_counterparty <= 0;
    UPDATE companies
    SET name = (SELECT MIN(name) FROM (SELECT subject AS name FROM facts WHERE subject_key = companies.key UNION ALL SELECT counterparty FROM facts WHERE counterparty_key = companies.key AND counterparty IS NOT NULL))
    WHERE key IN (old.subject_key, old.counterparty_key);
END;

CREATE TRIGGER facts_companies_update AFTER UPDATE OF subject, counterparty, subject_key, counterparty_key ON facts BEGIN
    UPDATE companies SET as_subject = as_subject - 1 WHERE key = old.subject_key;
    UPDATE companies SET as_counterparty = as_counterparty - 1
    WHERE key = old.counterparty_key AND old.counterparty IS NOT NULL;
    INSERT INTO companies (key, name, as_subject, as_counterparty)
    VALUES (new.subject_key, new.subject, 1, 0)
    ON CONFLICT (key) DO UPDATE SET name = MIN(name, excluded.name), as_subject = as_subject + 1;
    INSERT INTO companies (key, name, as_subject, as_counterparty)
    SELECT new.counterparty_key, new.counterparty, 0, 1 WHERE new.counterparty IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET name = MIN(name, excluded.name), as_counterparty = as_counterparty + 1;
    DELETE FROM companies
    WHERE key IN (old.subject_key, old.counterparty_key) AND as_subject + as_counterparty <= 0;
    UPDATE companies
    SET name = (SELECT MIN(name) FROM (SELECT subject AS name FROM facts WHERE subject_key = companies.key UNION ALL SELECT counterparty FROM facts WHERE counterparty_key = companies.key AND counterparty IS NOT NULL))
    WHERE key IN (old.subject_key, old.counterparty_key);
END;
