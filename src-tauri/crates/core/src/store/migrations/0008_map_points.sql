-- The library map's layout, kept so the map opens instantly; recomputed when the set of
-- embedded papers or the model changes (its fingerprint is the `map.meta` setting).
CREATE TABLE map_points (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    x        REAL NOT NULL,
    y        REAL NOT NULL
);
