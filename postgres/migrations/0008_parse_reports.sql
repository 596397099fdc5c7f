-- What parsing each evidence item did (issue 5): parsed, skipped or failed,
-- how many records, why, and the first problems. One row per item, replaced
-- by every parse. Keep in step with sqlite/migrations/0008_parse_reports.sql.
CREATE TABLE parse_reports (
	case_id       bigint NOT NULL,
	evidence_id   bigint NOT NULL,
	format        text NOT NULL DEFAULT '',
	outcome       text NOT NULL CHECK (outcome IN ('parsed', 'skipped', 'failed')),
	records       bigint NOT NULL DEFAULT 0,
	reason        text NOT NULL DEFAULT '',
	location      text NOT NULL DEFAULT '',
	problems      text NOT NULL DEFAULT '[]',
	more_problems bigint NOT NULL DEFAULT 0,
	updated_at    timestamptz NOT NULL,
	PRIMARY KEY (case_id, evidence_id),
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id)
);
