-- Alert rules get a name (a saved search's name, or its list's) and a creation time;
-- matches are looked up by time for the Alerts view.
ALTER TABLE alert_rules ADD COLUMN name TEXT;
ALTER TABLE alert_rules ADD COLUMN created_at TEXT;
CREATE INDEX alert_matches_seen ON alert_matches(seen, matched_at);
CREATE UNIQUE INDEX alert_rules_one_per_list ON alert_rules(list_id) WHERE kind = 'list';
