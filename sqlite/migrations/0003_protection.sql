-- Victim protection enforced by the store (issue 8). Keep in step with
-- postgres/migrations/0003_protection.sql.

-- Findings keep what screen.Protect decided: the subjects, the (possible)
-- victims and the victims a lead's audited override let stay subjects.
ALTER TABLE findings ADD COLUMN subject_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE findings ADD COLUMN victim_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE findings ADD COLUMN override_ids TEXT NOT NULL DEFAULT '[]';

-- A random secret per case keys the victims' pseudonyms (HMAC-SHA256), so
-- that a pseudonym is stable within its case and unlinkable across cases.
ALTER TABLE cases ADD COLUMN pseudonym_key BLOB;
UPDATE cases SET pseudonym_key = randomblob(32) WHERE pseudonym_key IS NULL;
CREATE TRIGGER cases_pseudonym_key AFTER INSERT ON cases WHEN NEW.pseudonym_key IS NULL
BEGIN
	UPDATE cases SET pseudonym_key = randomblob(32) WHERE id = NEW.id;
END;

-- Time-limited need-to-know grants to the victims' compartment of a case.
CREATE TABLE need_to_know_grants (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	granted_by INTEGER REFERENCES users (id),
	reason     TEXT NOT NULL,
	granted_at TEXT NOT NULL,
	until      TEXT NOT NULL,
	revoked_at TEXT,
	revoked_by INTEGER REFERENCES users (id)
);
CREATE INDEX need_to_know_grants_user ON need_to_know_grants (case_id, user_id, until);

-- Targeted look-ups of owner/holder statements and of protecting links.
CREATE INDEX statements_prop_value ON statements (case_id, prop, value);
