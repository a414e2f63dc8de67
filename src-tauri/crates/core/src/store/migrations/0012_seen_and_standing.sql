-- Papers the user has seen: a card that stayed in view for a moment. "Hide seen" and
-- the sidebar's unseen counts read it.
CREATE TABLE seen (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- Alerts now come from the ranker: a rule's threshold is a standing in the library (a
-- new paper alerts when it ranks above that share of the library's papers for the rule),
-- no longer a cosine similarity. Old thresholds (cosines) mean nothing on that scale:
-- every rule and the defaults start at the new default, the top 1%.
UPDATE alert_rules SET threshold = 0.99;
UPDATE settings SET value = json_set(value, '$.listThreshold', 0.99, '$.searchThreshold', 0.99)
    WHERE key = 'alerts' AND json_valid(value);
