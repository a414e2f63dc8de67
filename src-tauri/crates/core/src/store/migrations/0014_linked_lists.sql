-- Linked lists: a list that follows a Zotero collection (or a whole Zotero library) or
-- a reading-list file (a Better BibTeX auto-export .bib) instead of holding what the
-- user put in it. `link_target` says what it follows (JSON of `store::LinkSource`, whose
-- `kind` is `zotero` or `file`; NULL for a list of its own), `link_label` how the user
-- knows it, `link_seen` the source's fingerprint at the last follow (unchanged sources
-- are not read again), `link_checked_at` when it was last followed, `link_error` why
-- the last try failed.
ALTER TABLE reading_lists ADD COLUMN link_target TEXT;
ALTER TABLE reading_lists ADD COLUMN link_label TEXT;
ALTER TABLE reading_lists ADD COLUMN link_seen TEXT;
ALTER TABLE reading_lists ADD COLUMN link_checked_at TEXT;
ALTER TABLE reading_lists ADD COLUMN link_error TEXT;
