-- The keyword index (tantivy, under the data folder) follows the papers through this
-- log: every insert, change of indexed text or filter field, and delete appends the
-- paper's id. The index records in its own commits the last seq it holds; whatever
-- comes after is applied to it (at once by the process that stored it, or by the next
-- one to open the library after a crash), then trimmed from here.
CREATE TABLE keyword_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id INTEGER NOT NULL
);
-- AUTOINCREMENT keeps seq growing after the rows are trimmed; the first entry makes
-- sqlite_sequence hold the counter.
INSERT INTO keyword_log(paper_id) VALUES (0);
DELETE FROM keyword_log;

CREATE TRIGGER keyword_log_insert AFTER INSERT ON papers BEGIN
    INSERT INTO keyword_log(paper_id) VALUES (new.id);
END;
CREATE TRIGGER keyword_log_update AFTER UPDATE OF title, abstract, authors, categories,
    sources, published ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract
    OR old.authors IS NOT new.authors OR old.categories IS NOT new.categories
    OR old.sources IS NOT new.sources OR old.published IS NOT new.published
BEGIN
    INSERT INTO keyword_log(paper_id) VALUES (new.id);
END;
CREATE TRIGGER keyword_log_delete AFTER DELETE ON papers BEGIN
    INSERT INTO keyword_log(paper_id) VALUES (old.id);
END;
