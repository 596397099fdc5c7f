-- What parsing each evidence item did (issue 5): parsed, skipped or failed,
-- how many records, why, and the first problems. One row per item, replaced
-- by every parse. Keep in step with postgres/migrations/0008_parse_reports.sql.
CREATE TABLE parse_reports (
	case_id       INTEGER NOT NULL,
	evidence_id   INTEGER NOT NULL,
	format        TEXT NOT NULL DEFAULT '',
	outcome       TEXT NOT NULL CHECK (outcome IN ('parsed', 'skipped', 'failed')),
	records       INTEGER NOT NULL DEFAULT 0,
	reason        TEXT NOT NULL DEFAULT '',
	location      TEXT NOT NULL DEFAULT '',
	problems      TEXT NOT NULL DEFAULT '[]',
	more_problems INTEGER NOT NULL DEFAULT 0,
	updated_at    TEXT NOT NULL,
	PRIMARY KEY (case_id, evidence_id),
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id)
);
