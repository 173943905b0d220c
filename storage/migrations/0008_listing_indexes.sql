-- Indexes that serve the listings without reading the whole facts table.
--
-- Listings run newest first: ORDER BY effective_date DESC, value DESC, id DESC
-- (facts with no effective_date last, as NULL sorts lowest). The index
-- facts_effective_date (effective_date, value) of 0001, with the rowid every
-- index ends in, is that order read backwards, so a listing of all facts reads
-- its first rows and stops; it needs no new column or index.
--
-- A company's facts are found through its subject and counterparty indexes.
-- These now also hold every column a company's listings, counts, page order
-- and deal totals read (and subject_key on the counterparty side, to tell the
-- facts where the company is only the other party), so those queries read
-- the index alone and only the facts shown are read from the table. They
-- replace the one-column indexes of 0001, which they begin with.

DROP INDEX facts_subject_key;
DROP INDEX facts_counterparty_key;

CREATE INDEX facts_subject_listing
ON facts (subject_key, kind, effective_date, value, currency, qualifier, status);

CREATE INDEX facts_counterparty_listing
ON facts (counterparty_key, kind, effective_date, value, subject_key, currency, qualifier, status);
