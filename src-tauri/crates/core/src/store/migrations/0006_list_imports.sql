-- Reading-list imports: the file a list came from (so re-importing it updates that
-- list instead of duplicating it), each entry's label, title and order, and papers the
-- user marked "not interested".
ALTER TABLE reading_lists ADD COLUMN file_hash TEXT;
CREATE UNIQUE INDEX reading_lists_file_hash ON reading_lists(file_hash) WHERE file_hash IS NOT NULL;
ALTER TABLE reading_list_items ADD COLUMN label TEXT;
ALTER TABLE reading_list_items ADD COLUMN title TEXT;
ALTER TABLE reading_list_items ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
CREATE TABLE not_interested (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
