-- Screenings and referrals of (possible) victims (issue 8). Keep in step
-- with postgres/migrations/0004_screening.sql.

-- A screening keeps the screen package's interview and result as JSON text.
CREATE TABLE screenings (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	entity_id  TEXT NOT NULL,
	interview  TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('draft', 'final')),
	result     TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	FOREIGN KEY (case_id, entity_id) REFERENCES entities (case_id, id)
);
CREATE INDEX screenings_entity ON screenings (case_id, entity_id, id);

-- A referral to assistance with the informed consent (HTCDS consent fields)
-- or, without consent, the documented exception.
CREATE TABLE referrals (
	id                INTEGER PRIMARY KEY,
	case_id           INTEGER NOT NULL REFERENCES cases (id),
	entity_id         TEXT NOT NULL,
	service           TEXT NOT NULL CHECK (service IN ('shelter', 'medical', 'psychological', 'legal', 'repatriation', 'family_tracing')),
	provider          TEXT NOT NULL,
	consent_given     INTEGER NOT NULL,
	consent_date      TEXT,
	consent_form      TEXT NOT NULL DEFAULT '',
	consent_by        TEXT NOT NULL DEFAULT '',
	consent_exception TEXT NOT NULL DEFAULT '',
	status            TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'completed', 'declined')),
	notes             TEXT NOT NULL DEFAULT '',
	created_by        INTEGER REFERENCES users (id),
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL,
	CHECK (consent_given = 1 OR consent_exception <> ''),
	FOREIGN KEY (case_id, entity_id) REFERENCES entities (case_id, id)
);
CREATE INDEX referrals_entity ON referrals (case_id, entity_id, id);
