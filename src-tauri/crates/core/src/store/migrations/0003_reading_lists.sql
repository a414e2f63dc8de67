-- Reading lists and their entries (resolved to a paper, or kept with the reason why not).
CREATE TABLE reading_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    source_file TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE reading_list_items (
    id                INTEGER PRIMARY KEY,
    list_id           INTEGER NOT NULL REFERENCES reading_lists(id) ON DELETE CASCADE,
    paper_id          INTEGER REFERENCES papers(id) ON DELETE SET NULL,
    entry             TEXT NOT NULL,             -- what the file said (id, DOI, title)
    unresolved_reason TEXT,
    added_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (list_id, entry)
);
CREATE INDEX reading_list_items_paper ON reading_list_items(paper_id);
