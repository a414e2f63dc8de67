-- TeX in titles, abstracts and author names is cleaned once, when a paper is stored
-- (crate::tex). The text as the source wrote it is kept where cleaning changed it
-- (NULL: the cleaned column is the original), with where the formulas sit in the
-- cleaned text. The cleaner's version is the setting 'tex.cleaner_version': a newer
-- cleaner redoes the library from the originals once.
ALTER TABLE papers ADD COLUMN title_tex TEXT;
ALTER TABLE papers ADD COLUMN abstract_tex TEXT;
ALTER TABLE papers ADD COLUMN authors_tex TEXT;                       -- JSON array
ALTER TABLE papers ADD COLUMN math TEXT;                              -- JSON, NULL: no formulas
