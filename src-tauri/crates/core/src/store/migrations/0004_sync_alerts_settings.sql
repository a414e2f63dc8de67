-- Per-source sync progress, alert rules and their matches, and user settings.
CREATE TABLE sync_state (
    source       TEXT PRIMARY KEY,
    cursor       TEXT,
    last_success TEXT,
    last_error   TEXT,
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE alert_rules (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('list', 'search')),
    list_id   INTEGER REFERENCES reading_lists(id) ON DELETE CASCADE,
    query     TEXT,
    threshold REAL NOT NULL,
    enabled   INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE alert_matches (
    rule_id    INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    paper_id   INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    score      REAL NOT NULL,
    matched_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    seen       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (rule_id, paper_id)
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
