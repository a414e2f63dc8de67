-- Identity beyond arXiv. A paper may be known by a DOI, an OpenReview forum id, or
-- several (a bioRxiv preprint and its journal version): `paper_ids` holds every one a
-- source has named it by, so the next source that names any of them merges into the
-- same row. `doi` is the DOI a paper is cited by, `journal` where it was published,
-- `openreview_id` its forum.
ALTER TABLE papers ADD COLUMN doi TEXT;
ALTER TABLE papers ADD COLUMN journal TEXT;
ALTER TABLE papers ADD COLUMN openreview_id TEXT;
CREATE TABLE paper_ids (
    scheme   TEXT NOT NULL,                  -- 'doi' or 'openreview'
    value    TEXT NOT NULL,                  -- normalized: DOIs in lower case
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    PRIMARY KEY (scheme, value)
) WITHOUT ROWID;
CREATE INDEX paper_ids_paper ON paper_ids(paper_id);
-- A list entry whose look-up could not be made (offline, the service failing): the next
-- sync asks again. Entries a service answered "not found" for do not wait.
ALTER TABLE reading_list_items ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
