-- 👍 and 👎: what the user told the recommender. `list_id` is the list a rating was
-- given inside (its 👍 teaches that list as well as For you), or 0 for a rating given
-- anywhere else. A 👎 counts everywhere. "Not interested" marks become 👎.
CREATE TABLE ratings (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    list_id  INTEGER NOT NULL DEFAULT 0,
    value    INTEGER NOT NULL CHECK (value IN (-1, 1)),
    rated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (paper_id, list_id)
) WITHOUT ROWID;
INSERT INTO ratings (paper_id, list_id, value, rated_at)
    SELECT paper_id, 0, -1, at FROM not_interested;
DROP TABLE not_interested;
