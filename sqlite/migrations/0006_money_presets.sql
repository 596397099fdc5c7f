-- Saved money presets: how to read a bank's statement layout (issue 7).
-- Keep in step with postgres/migrations/0006_money_presets.sql.

-- A preset of one case (case_id set) or of every case of an agency
-- (case_id NULL); mapping is money.Mapping as JSON text.
CREATE TABLE money_presets (
	id         INTEGER PRIMARY KEY,
	agency_id  INTEGER NOT NULL REFERENCES agencies (id),
	case_id    INTEGER REFERENCES cases (id),
	name       TEXT NOT NULL,
	format     TEXT NOT NULL DEFAULT '',
	mapping    TEXT NOT NULL DEFAULT '',
	account    TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX money_presets_name ON money_presets (agency_id, COALESCE(case_id, 0), name);

-- The money views read a case's payments and holders without its messages.
CREATE INDEX links_schema ON links (case_id, schema);
