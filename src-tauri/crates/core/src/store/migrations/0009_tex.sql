-- TeX in titles, abstracts and author names is cleaned once, when a paper is stored
-- (crate::tex). The text as the source wrote it is kept where cleaning changed it
-- (NULL: the cleaned column is the original), with where the formulas sit in the
-- cleaned text and the cleaner version, so a newer cleaner redoes old rows.
ALTER TABLE papers ADD COLUMN title_tex TEXT;
ALTER TABLE papers ADD COLUMN abstract_tex TEXT;
ALTER TABLE papers ADD COLUMN authors_tex TEXT;                       -- JSON array
ALTER TABLE papers ADD COLUMN math TEXT;                              -- JSON, NULL: no formulas
ALTER TABLE papers ADD COLUMN cleaned_by INTEGER NOT NULL DEFAULT 0;  -- tex::CLEANER_VERSION
