-- Rastro schema, SQLite dialect. Timestamps are TEXT in UTC, fixed width
-- ('2006-01-02T15:04:05.000000Z'), so that text order is time order.
-- Keep in step with postgres/migrations/0001_init.sql.

CREATE TABLE agencies (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	country    TEXT NOT NULL,
	kind       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX agencies_name ON agencies (lower(name));

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	agency_id     INTEGER NOT NULL REFERENCES agencies (id),
	username      TEXT NOT NULL,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,
	language      TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  TEXT,
	created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE sessions (
	token_hash BLOB PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	prefix     TEXT NOT NULL,
	hash       BLOB NOT NULL UNIQUE,
	scopes     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT,
	revoked_at TEXT,
	last_used  TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE cases (
	id           INTEGER PRIMARY KEY,
	agency_id    INTEGER NOT NULL REFERENCES agencies (id),
	title        TEXT NOT NULL,
	jurisdiction TEXT NOT NULL,
	status       TEXT NOT NULL,
	created_by   INTEGER REFERENCES users (id),
	created_at   TEXT NOT NULL
);

CREATE TABLE case_members (
	case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role     TEXT NOT NULL,
	added_at TEXT NOT NULL,
	PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_members_user ON case_members (user_id);

CREATE TABLE evidence (
	id            INTEGER PRIMARY KEY,
	case_id       INTEGER NOT NULL REFERENCES cases (id),
	sha256        TEXT NOT NULL,
	md5           TEXT NOT NULL DEFAULT '',
	sha1          TEXT NOT NULL DEFAULT '',
	size          INTEGER NOT NULL,
	media_type    TEXT NOT NULL DEFAULT '',
	original_name TEXT NOT NULL DEFAULT '',
	source        TEXT NOT NULL DEFAULT '',
	exhibit_no    TEXT NOT NULL DEFAULT '',
	acquired_at   TEXT NOT NULL,
	acquired_by   INTEGER REFERENCES users (id),
	tool          TEXT NOT NULL DEFAULT '',
	source_tz     TEXT NOT NULL DEFAULT '',
	notes         TEXT NOT NULL DEFAULT '',
	parent_id     INTEGER,
	created_at    TEXT NOT NULL,
	UNIQUE (case_id, sha256),
	UNIQUE (case_id, id),
	FOREIGN KEY (case_id, parent_id) REFERENCES evidence (case_id, id)
);

CREATE TABLE records (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL,
	evidence_id INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	locator     TEXT NOT NULL,
	time        TEXT,
	text        TEXT NOT NULL DEFAULT '',
	UNIQUE (evidence_id, locator),
	UNIQUE (case_id, id),
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id)
);

CREATE TABLE entities (
	case_id      INTEGER NOT NULL REFERENCES cases (id),
	id           TEXT NOT NULL,
	schema       TEXT NOT NULL,
	caption      TEXT NOT NULL,
	case_role    TEXT NOT NULL,
	legal_status TEXT NOT NULL DEFAULT '',
	sensitivity  TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	PRIMARY KEY (case_id, id)
);
CREATE INDEX entities_caption ON entities (case_id, caption);

CREATE TABLE statements (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL,
	entity_id   TEXT NOT NULL,
	prop        TEXT NOT NULL,
	value       TEXT NOT NULL,
	normalized  TEXT NOT NULL DEFAULT '',
	evidence_id INTEGER,
	record_id   INTEGER,
	locator     TEXT NOT NULL DEFAULT '',
	origin      TEXT NOT NULL,
	confidence  REAL NOT NULL,
	created_at  TEXT NOT NULL,
	FOREIGN KEY (case_id, entity_id) REFERENCES entities (case_id, id),
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id),
	FOREIGN KEY (case_id, record_id) REFERENCES records (case_id, id)
);
-- One fact with one provenance is stored once: PutEntity is idempotent.
CREATE UNIQUE INDEX statements_fact ON statements
	(case_id, entity_id, prop, value, coalesce(evidence_id, 0), coalesce(record_id, 0), locator, origin);
CREATE INDEX statements_entity ON statements (case_id, entity_id, id);

CREATE TABLE links (
	case_id     INTEGER NOT NULL,
	id          TEXT NOT NULL,
	schema      TEXT NOT NULL,
	source_id   TEXT NOT NULL,
	target_id   TEXT NOT NULL,
	start_at    TEXT,
	end_at      TEXT,
	amount      TEXT NOT NULL DEFAULT '',
	currency    TEXT NOT NULL DEFAULT '',
	evidence_id INTEGER,
	record_id   INTEGER,
	locator     TEXT NOT NULL DEFAULT '',
	origin      TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	PRIMARY KEY (case_id, id),
	FOREIGN KEY (case_id, source_id) REFERENCES entities (case_id, id),
	FOREIGN KEY (case_id, target_id) REFERENCES entities (case_id, id),
	FOREIGN KEY (case_id, evidence_id) REFERENCES evidence (case_id, id),
	FOREIGN KEY (case_id, record_id) REFERENCES records (case_id, id)
);
CREATE INDEX links_source ON links (case_id, source_id);
CREATE INDEX links_target ON links (case_id, target_id);

CREATE TABLE findings (
	id            INTEGER PRIMARY KEY,
	case_id       INTEGER NOT NULL REFERENCES cases (id),
	kind          TEXT NOT NULL,
	title         TEXT NOT NULL,
	explanation   TEXT NOT NULL DEFAULT '',
	severity      INTEGER NOT NULL,
	entity_ids    TEXT NOT NULL DEFAULT '[]',
	statement_ids TEXT NOT NULL DEFAULT '[]',
	triage        TEXT NOT NULL,
	created_at    TEXT NOT NULL
);
CREATE INDEX findings_case ON findings (case_id);

CREATE TABLE audit_events (
	id       INTEGER PRIMARY KEY,
	time     TEXT NOT NULL,
	user_id  INTEGER,
	username TEXT NOT NULL,
	action   TEXT NOT NULL,
	case_id  INTEGER,
	object   TEXT NOT NULL DEFAULT '',
	purpose  TEXT NOT NULL DEFAULT '',
	details  TEXT NOT NULL DEFAULT '',
	remote   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_action ON audit_events (action, id);
CREATE INDEX audit_events_case ON audit_events (case_id, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TABLE provider_reports (
	id           INTEGER PRIMARY KEY,
	agency_id    INTEGER NOT NULL REFERENCES agencies (id),
	submitted_by INTEGER REFERENCES users (id),
	external_id  TEXT NOT NULL DEFAULT '',
	sha256       TEXT NOT NULL,
	payload      BLOB NOT NULL,
	received_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX provider_reports_external ON provider_reports (agency_id, external_id) WHERE external_id <> '';

CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER REFERENCES cases (id),
	kind         TEXT NOT NULL,
	payload      TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	max_attempts INTEGER NOT NULL,
	progress     REAL NOT NULL DEFAULT 0,
	message      TEXT NOT NULL DEFAULT '',
	last_error   TEXT NOT NULL DEFAULT '',
	run_at       TEXT NOT NULL,
	lease_until  TEXT,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_runnable ON jobs (state, run_at, id);
CREATE INDEX jobs_case ON jobs (case_id, id);
