-- What Hugging Face Daily Papers adds to a paper.
ALTER TABLE papers ADD COLUMN ai_summary TEXT;
ALTER TABLE papers ADD COLUMN ai_keywords TEXT NOT NULL DEFAULT '[]';   -- JSON array
ALTER TABLE papers ADD COLUMN github_stars INTEGER;
ALTER TABLE papers ADD COLUMN num_comments INTEGER;
ALTER TABLE papers ADD COLUMN hf_date TEXT;                             -- day it was on Daily Papers
CREATE INDEX papers_hf_date ON papers(hf_date);
