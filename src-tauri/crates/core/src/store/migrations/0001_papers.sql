-- Papers and their full-text index.
CREATE TABLE papers (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,          -- library identity: normalized arXiv id or corpus id
    arxiv_id      TEXT UNIQUE,                   -- normalized, without version
    arxiv_version INTEGER,
    title         TEXT NOT NULL,
    abstract      TEXT NOT NULL DEFAULT '',
    authors       TEXT NOT NULL DEFAULT '[]',    -- JSON array of names
    author_count  INTEGER NOT NULL DEFAULT 0,
    published     TEXT,                          -- YYYY-MM-DD
    updated       TEXT,
    categories    TEXT NOT NULL DEFAULT '[]',    -- JSON array, primary first
    sources       TEXT NOT NULL DEFAULT '[]',    -- JSON array of source names
    upvotes       INTEGER,
    links         TEXT NOT NULL DEFAULT '[]',    -- JSON array of {kind, url}
    content_hash  TEXT NOT NULL,                 -- of the embedded text; a change re-embeds
    added_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modified_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX papers_published ON papers(published);

CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract, authors,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts(rowid, title, abstract, authors)
    VALUES (new.id, new.title, new.abstract,
            (SELECT coalesce(group_concat(value, ', '), '') FROM json_each(new.authors)));
END;
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors ON papers BEGIN
    DELETE FROM papers_fts WHERE rowid = old.id;
    INSERT INTO papers_fts(rowid, title, abstract, authors)
    VALUES (new.id, new.title, new.abstract,
            (SELECT coalesce(group_concat(value, ', '), '') FROM json_each(new.authors)));
END;
CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
    DELETE FROM papers_fts WHERE rowid = old.id;
END;
