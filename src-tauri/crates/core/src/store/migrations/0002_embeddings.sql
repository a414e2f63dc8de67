-- One vector per paper and model; content_hash says which text it was computed from.
CREATE TABLE embeddings (
    paper_id     INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    model        TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    vector       BLOB NOT NULL,                  -- little-endian f32, L2-normalized
    PRIMARY KEY (paper_id, model)
) WITHOUT ROWID;
CREATE INDEX embeddings_model ON embeddings(model);
